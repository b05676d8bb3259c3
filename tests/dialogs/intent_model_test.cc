// IntentModel: trained on labelled lines, it guesses from the words it has
// seen; the engine takes only confident guesses with enough known words.
#include "dialogs/intent_model.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "dialogs/engine.h"

namespace suaradesa::dialogs {
namespace {

TEST_CASE("Intent model: guesses from words seen with a flow", "[dialogs][intent_model]") {
  IntentModel model = IntentModel::Train({
      {"jalan desa rusak parah dana dikorupsi", "pengaduan"},
      {"bantuan beras dipotong kades", "pengaduan"},
      {"mohon dibangun jembatan untuk warga", "usulan"},
      {"pelatihan menjahit untuk ibu ibu", "usulan"},
  });
  IntentGuess complaint = model.Guess(KeywordText("beras bantuan dipotong lagi"));
  CHECK(complaint.flow == "pengaduan");
  CHECK(complaint.probability > 0.5);
  CHECK(complaint.known >= 3);
  IntentGuess wish = model.Guess(KeywordText("jembatan untuk anak sekolah"));
  CHECK(wish.flow == "usulan");
  // Nothing known: no evidence, whatever the leaning.
  CHECK(model.Guess(KeywordText("zzz qqq")).known == 0);
}

TEST_CASE("Intent model: labelled lines without text or flow are skipped",
          "[dialogs][intent_model]") {
  std::vector<LabelledText> lines = ParseLabelledLines(
      "{\"text\": \"usul sumur\", \"flow\": \"usulan\"}\n"
      "not json\n"
      "{\"text\": \"no label\"}\n"
      "{\"text\": 3, \"flow\": \"menu\"}\n"
      "{\"text\": \"halo\", \"flow\": \"menu\"}\n");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].flow == "usulan");
  CHECK(lines[1].text == "halo");
}

TEST_CASE("Intent model: a story no word list places is offered, never filed",
          "[dialogs][intent_model][routing]") {
  auto dialogs = LoadDialogs(EmbeddedSources(), Options{});
  REQUIRE(dialogs.has_value());
  Context context;
  context.now = 1780000000000;
  context.channel_type = "sms";
  Input input;
  // No keyword, phrase, topic or cue of any flow: only the model places it.
  input.text = "Tanah sy di pinggir jalan diambil 2 meter utk pelebaran jalan desa, pagar sy juga";
  StepResult r = (*dialogs)->Step(SessionState{}, input, context);
  CHECK(r.session.flow == "pengaduan");
  CHECK(r.effects.empty());
  REQUIRE_FALSE(r.replies.empty());
  // The story names no desa: the offer asks for it with the yes.
  CHECK(r.replies[0].key == "pengaduan.offer_no_place");
  // One word the model knows well among words it never saw: a leaning,
  // not evidence; no guess is taken.
  input.text = "qzx kwitansi wvq xjzk plo";
  StepResult lean = (*dialogs)->Step(SessionState{}, input, context);
  CHECK(lean.session.flow.empty());
  CHECK(lean.effects.empty());
  // Chit-chat with a few known words is no story.
  input.text = "ooh iya klo controler, ku kira td modelnya.";
  StepResult chat = (*dialogs)->Step(SessionState{}, input, context);
  CHECK(chat.session.flow.empty());
  CHECK(chat.effects.empty());
}

// Each training file in turn is held out, the model trained on the others
// (a new writer's messages, as the model will meet them): how often its
// first choice is right, and how often a guess the engine would take (p >=
// kDecideAlone, 0.97, four known features, a guessable flow) is right. Floors are the
// figures measured when the sixth and seventh sets were added.
TEST_CASE("Intent model: held out one training set at a time", "[dialogs][intent_model]") {
  std::map<std::string, std::vector<LabelledText>> sets;
  const std::filesystem::path dir =
      std::filesystem::path(SUARADESA_SOURCE_DIR) / "dialogs" / "training";
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    sets[e.path().filename().string()] = ParseLabelledLines(text.str());
  }
  REQUIRE(sets.size() >= 6);
  const std::set<std::string> guessable = {"pengaduan", "usulan", "jadwal", "status"};
  int total = 0, first_right = 0, taken = 0, taken_right = 0;
  for (const auto& [name, held] : sets) {
    std::vector<LabelledText> train;
    for (const auto& [other, lines] : sets) {
      if (other != name) train.insert(train.end(), lines.begin(), lines.end());
    }
    const IntentModel model = IntentModel::Train(train);
    for (const LabelledText& l : held) {
      ++total;
      const KeywordText words(l.text);
      const IntentGuess g = model.Guess(words);
      first_right += g.flow == l.flow;
      if (words.raw_count() >= 4 && guessable.contains(g.flow) && g.probability >= 0.97 &&
          g.known >= 4) {
        ++taken;
        taken_right += g.flow == l.flow;
      }
    }
  }
  const double first = 100.0 * first_right / total;
  const double precision = 100.0 * taken_right / taken;
  std::cout << "intent model, one set held out at a time: first choice right " << first_right
            << "/" << total << " = " << first << "%; guesses taken " << taken << ", right "
            << taken_right << " = " << precision << "%\n";
  // Six sets: 974/1069 = 91.1% and 627/643 = 97.5% (at 0.9); eight:
  // 92.4%, 97.8%; ten: 1826/1969 = 92.7%, and 97.3% at 0.9, 97.8% at 0.95;
  // twelve: 2577/2783 = 92.6%, 97.1% at 0.95, 97.6% at 0.97; fifteen:
  // 3154/3383 = 93.2%, 97.7% at 0.95, 98.2% at 0.97; twenty-one (with
  // blind sets 28, 29, 31): 4300/4583 = 93.8%, 98.5% at 0.97; twenty-four
  // (with 32, 33, 35): 4871/5183 = 94.0%, 98.4%; twenty-seven (with 38,
  // 40, 41): 5453/5783 = 94.3%, 98.6%; thirty (with 44-46): 6029/6383 =
  // 94.5%, 98.8%; thirty-three (with 47, 48, 51): 6614/6983 = 94.7%, 98.8%.
  CHECK(first >= 94.3);
  CHECK(precision >= 98.5);
}

}  // namespace
}  // namespace suaradesa::dialogs
