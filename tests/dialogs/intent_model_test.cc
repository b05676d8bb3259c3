// IntentModel: trained on labelled lines, it guesses from the words it has
// seen; the engine takes only confident guesses with enough known words.
#include "dialogs/intent_model.h"

#include <catch2/catch.hpp>

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
  CHECK(r.replies[0].key == "pengaduan.offer");
  // Chit-chat with a few known words is no story.
  input.text = "ooh iya klo controler, ku kira td modelnya.";
  StepResult chat = (*dialogs)->Step(SessionState{}, input, context);
  CHECK(chat.session.flow.empty());
  CHECK(chat.effects.empty());
}

}  // namespace
}  // namespace suaradesa::dialogs
