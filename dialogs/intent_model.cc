#include "dialogs/intent_model.h"

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dialogs/lexicon.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {

namespace {

// Additive smoothing: a word never seen with a flow is unlikely, not
// impossible.
constexpr double kSmoothing = 0.5;

std::string Stem(const KeywordText::Token& t) {
  // "seng diperbaiki" reads as "tidak diperbaiki".
  if (!t.meaning.empty()) return t.meaning;
  // "ado" reads as "ada", "alah" as "sudah": one feature for every region.
  const auto& regional = DefaultLexicon().regional;
  if (auto it = regional.find(t.word); it != regional.end()) return it->second;
  std::string stem = t.word;
  for (const std::string& form : t.forms) {
    if (!form.empty() && form.size() < stem.size()) stem = form;
  }
  return stem;
}

}  // namespace

std::set<std::string> IntentModel::Features(const KeywordText& words) {
  std::set<std::string> out;
  std::string previous;
  for (const KeywordText::Token& t : words.tokens()) {
    if (t.courtesy || !HasLetter(t.word)) {
      previous.clear();
      continue;
    }
    std::string stem = Stem(t);
    out.insert(stem);
    if (!previous.empty()) out.insert(previous + "|" + stem);
    previous = stem;
  }
  return out;
}

IntentModel::FeatureId IntentModel::Id(const std::string& feature) {
  return static_cast<FeatureId>(std::hash<std::string>{}(feature));
}

ptrdiff_t IntentModel::Find(FeatureId id) const {
  auto it = std::ranges::lower_bound(vocabulary_, id);
  return it != vocabulary_.end() && *it == id ? it - vocabulary_.begin() : -1;
}

int IntentModel::Count(size_t index, uint32_t label) const {
  for (uint32_t p = postings_at_[index]; p < postings_at_[index + 1]; ++p) {
    if (postings_[p].label == label) return postings_[p].count;
  }
  return 0;
}

IntentModel IntentModel::Train(const std::vector<LabelledText>& examples) {
  IntentModel model;
  // Every (feature, label) occurrence in one flat array, then counted in
  // order: no node per feature at any time.
  std::vector<std::string> flows;
  std::vector<std::pair<FeatureId, uint32_t>> seen;
  for (const LabelledText& e : examples) {
    Label& label = model.labels_[e.flow];
    ++label.examples;
    ++model.examples_;
    auto at = std::ranges::find(flows, e.flow);
    if (at == flows.end()) at = flows.insert(flows.end(), e.flow);
    const auto flow = static_cast<uint32_t>(at - flows.begin());
    for (const std::string& f : Features(KeywordText(e.text))) {
      seen.emplace_back(Id(f), flow);
      ++label.feature_total;
    }
  }
  // Each flow's place in labels_ (which is ordered by name).
  std::vector<uint32_t> place(flows.size());
  for (size_t f = 0; f < flows.size(); ++f) {
    place[f] = static_cast<uint32_t>(
        std::distance(model.labels_.begin(), model.labels_.find(flows[f])));
  }
  std::ranges::sort(seen);
  for (size_t i = 0; i < seen.size();) {
    const FeatureId id = seen[i].first;
    model.vocabulary_.push_back(id);
    model.postings_at_.push_back(static_cast<uint32_t>(model.postings_.size()));
    for (; i < seen.size() && seen[i].first == id;) {
      const uint32_t flow = seen[i].second;
      int count = 0;
      for (; i < seen.size() && seen[i].first == id && seen[i].second == flow; ++i) ++count;
      model.postings_.push_back({place[flow], count});
    }
  }
  model.postings_at_.push_back(static_cast<uint32_t>(model.postings_.size()));
  model.vocabulary_.shrink_to_fit();
  model.postings_at_.shrink_to_fit();
  model.postings_.shrink_to_fit();
  return model;
}

IntentGuess IntentModel::Guess(const KeywordText& words) const {
  IntentGuess guess;
  if (labels_.empty()) return guess;
  // In the features' text order, as the scores were always summed.
  std::vector<size_t> known;  // places in vocabulary_
  for (const std::string& f : Features(words)) {
    if (const ptrdiff_t at = Find(Id(f)); at >= 0) known.push_back(static_cast<size_t>(at));
  }
  guess.known = static_cast<int>(known.size());
  const double vocabulary = static_cast<double>(vocabulary_.size());
  std::map<std::string, double> log_score;
  double best = -INFINITY;
  uint32_t place = 0;
  for (const auto& [flow, label] : labels_) {
    // No prior: complaints and proposals are most of the training lines,
    // and a message with little known in it must not lean to them for that.
    // A feature unknown everywhere is no evidence and is left out.
    double score = 0;
    const double denominator = label.feature_total + kSmoothing * vocabulary;
    for (const size_t at : known) {
      score += std::log((Count(at, place) + kSmoothing) / denominator);
    }
    ++place;
    log_score[flow] = score;
    if (score > best) {
      best = score;
      guess.flow = flow;
    }
  }
  double total = 0;
  for (const auto& [flow, score] : log_score) total += std::exp(score - best);
  guess.probability = 1.0 / total;
  return guess;
}

std::vector<LabelledText> ParseLabelledLines(const std::string& jsonl) {
  std::vector<LabelledText> out;
  std::istringstream in(jsonl);
  for (std::string line; std::getline(in, line);) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("text") || !j.contains("flow")) continue;
    if (!j["text"].is_string() || !j["flow"].is_string()) continue;
    out.push_back({j["text"].get<std::string>(), j["flow"].get<std::string>()});
  }
  return out;
}

const IntentModel& DefaultIntentModel() {
  static const IntentModel model = [] {
    std::vector<LabelledText> examples;
    for (const auto& [name, text] : EmbeddedTrainingFiles()) {
      std::vector<LabelledText> more = ParseLabelledLines(text);
      examples.insert(examples.end(), more.begin(), more.end());
    }
    IntentModel trained = IntentModel::Train(examples);
    examples = {};
    // The training text and its tokens were many small blocks, freed now;
    // glibc keeps freed blocks in the process unless asked to give back
    // the whole pages among them (2-3 MB of resident memory here).
    malloc_trim(0);
    return trained;
  }();
  return model;
}

}  // namespace suaradesa::dialogs
