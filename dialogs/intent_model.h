// IntentModel: a naive Bayes classifier over the words of a first message,
// trained when the dialogs load on dialogs/training/*.jsonl (first messages
// labelled with the flow they should start; compiled in). Word lists name
// what people say in so many words; the model weighs everything else a
// message holds, so that a story in words no list has ("Tanah sy diambil 2
// meter tanpa musyawarah") still finds its dialog.
//
// The engine (routing.cc) takes only confident guesses: where no keyword,
// phrase, topic or cue placed a message (95% sure), over what topics and
// cues alone placed (99% sure), and to send a message about to file a case
// to the status flow when it asks after an earlier one (95% sure). A
// complaint or a proposal guessed is offered, never filed.
//
// Thread safety: DefaultIntentModel() is built once on first use and never
// changed afterwards.
#ifndef SUARADESA_DIALOGS_INTENT_MODEL_H_
#define SUARADESA_DIALOGS_INTENT_MODEL_H_

#include <cstdint>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dialogs/parsers/keywords.h"

namespace suaradesa::dialogs {

struct LabelledText {
  std::string text;
  std::string flow;
};

struct IntentGuess {
  std::string flow;          // empty when the model knows nothing
  double probability = 0;    // of `flow`, among all flows trained
  int known = 0;             // features of the message seen in training
};

class IntentModel {
 public:
  static IntentModel Train(const std::vector<LabelledText>& examples);

  IntentGuess Guess(const KeywordText& words) const;

  // The features of a message: each word's stem once, and each pair of
  // neighbouring stems once ("tidak|dapat"). Courtesy words are left out.
  static std::set<std::string> Features(const KeywordText& words);

 private:
  // Features are kept as 64-bit hashes of their text, in sorted arrays:
  // 8,800 training lines made some 200,000 map nodes of strings, 12 MB of
  // the gateway's memory. A hash collision among the few hundred thousand
  // features would at worst merge two features' counts.
  using FeatureId = uint64_t;
  static FeatureId Id(const std::string& feature);
  struct Label {
    int examples = 0;
    int feature_total = 0;
  };
  std::map<std::string, Label> labels_;
  std::vector<FeatureId> vocabulary_;  // sorted
  // How often each feature of the vocabulary was seen with each label that
  // saw it: vocabulary_[i]'s are postings_[postings_at_[i]] up to
  // postings_[postings_at_[i + 1]]. A feature is seen with few labels, so a
  // guess finds its counts without searching every label's.
  struct Posting {
    uint32_t label = 0;  // the label's place in labels_
    int count = 0;
  };
  std::vector<uint32_t> postings_at_;
  std::vector<Posting> postings_;
  // The place of `id` in vocabulary_, or -1.
  ptrdiff_t Find(FeatureId id) const;
  // How often vocabulary_[index] was seen with the label at `label`.
  int Count(size_t index, uint32_t label) const;
  int examples_ = 0;
};

// The model trained on the compiled-in training files.
const IntentModel& DefaultIntentModel();

// The labelled first messages of dialogs/training/, compiled in: file
// name -> JSON lines.
const std::map<std::string, std::string>& EmbeddedTrainingFiles();

// Parses JSON lines {"text": ..., "flow": ...}; lines without both are
// skipped.
std::vector<LabelledText> ParseLabelledLines(const std::string& jsonl);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_INTENT_MODEL_H_
