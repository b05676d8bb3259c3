#include "dialogs/intent_model.h"

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dialogs/text.h"

namespace suaradesa::dialogs {

const std::map<std::string, std::string>& EmbeddedTrainingFiles();

namespace {

// Additive smoothing: a word never seen with a flow is unlikely, not
// impossible.
constexpr double kSmoothing = 0.5;

std::string Stem(const KeywordText::Token& t) {
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

int IntentModel::Label::Count(FeatureId id) const {
  auto it = std::ranges::lower_bound(counts, id, {}, &std::pair<FeatureId, int>::first);
  return it != counts.end() && it->first == id ? it->second : 0;
}

bool IntentModel::Known(FeatureId id) const {
  return std::ranges::binary_search(vocabulary_, id);
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
  std::ranges::sort(seen);
  for (size_t i = 0; i < seen.size();) {
    const FeatureId id = seen[i].first;
    model.vocabulary_.push_back(id);
    for (; i < seen.size() && seen[i].first == id;) {
      const uint32_t flow = seen[i].second;
      int count = 0;
      for (; i < seen.size() && seen[i].first == id && seen[i].second == flow; ++i) ++count;
      model.labels_[flows[flow]].counts.emplace_back(id, count);
    }
  }
  model.vocabulary_.shrink_to_fit();
  for (auto& [flow, label] : model.labels_) label.counts.shrink_to_fit();
  return model;
}

IntentGuess IntentModel::Guess(const KeywordText& words) const {
  IntentGuess guess;
  if (labels_.empty()) return guess;
  // In the features' text order, as the scores were always summed.
  std::vector<FeatureId> known;
  for (const std::string& f : Features(words)) {
    if (const FeatureId id = Id(f); Known(id)) known.push_back(id);
  }
  guess.known = static_cast<int>(known.size());
  const double vocabulary = static_cast<double>(vocabulary_.size());
  std::map<std::string, double> log_score;
  double best = -INFINITY;
  for (const auto& [flow, label] : labels_) {
    // No prior: complaints and proposals are most of the training lines,
    // and a message with little known in it must not lean to them for that.
    // A feature unknown everywhere is no evidence and is left out.
    double score = 0;
    const double denominator = label.feature_total + kSmoothing * vocabulary;
    for (const FeatureId id : known) {
      score += std::log((label.Count(id) + kSmoothing) / denominator);
    }
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
