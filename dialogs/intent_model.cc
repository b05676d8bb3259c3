#include "dialogs/intent_model.h"

#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

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

bool HasLetter(const std::string& word) {
  for (char c : word) {
    if (c >= 'a' && c <= 'z') return true;
  }
  return false;
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

IntentModel IntentModel::Train(const std::vector<LabelledText>& examples) {
  IntentModel model;
  for (const LabelledText& e : examples) {
    Label& label = model.labels_[e.flow];
    ++label.examples;
    ++model.examples_;
    for (const std::string& f : Features(KeywordText(e.text))) {
      ++label.counts[f];
      ++label.feature_total;
      model.vocabulary_.insert(f);
    }
  }
  return model;
}

IntentGuess IntentModel::Guess(const KeywordText& words) const {
  IntentGuess guess;
  if (labels_.empty()) return guess;
  const std::set<std::string> features = Features(words);
  for (const std::string& f : features) guess.known += vocabulary_.contains(f);
  const double vocabulary = static_cast<double>(vocabulary_.size());
  std::map<std::string, double> log_score;
  double best = -INFINITY;
  for (const auto& [flow, label] : labels_) {
    // No prior: complaints and proposals are most of the training lines,
    // and a message with little known in it must not lean to them for that.
    double score = 0;
    const double denominator = label.feature_total + kSmoothing * vocabulary;
    for (const std::string& f : features) {
      if (!vocabulary_.contains(f)) continue;  // unknown everywhere: no evidence
      auto it = label.counts.find(f);
      const double count = it == label.counts.end() ? 0 : it->second;
      score += std::log((count + kSmoothing) / denominator);
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
    return IntentModel::Train(examples);
  }();
  return model;
}

}  // namespace suaradesa::dialogs
