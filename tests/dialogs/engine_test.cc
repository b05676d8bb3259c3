// Engine behaviour, one rule per test, against the embedded flows.
#include "dialogs/engine.h"
#include "tests/dialogs/filed_ticket.h"
#include "dialogs/text.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace suaradesa::dialogs {
namespace {

bool IsGsm7Text(const std::string& text) { return IsGsm7(text); }

using nlohmann::json;

constexpr int64_t kNow = 1780000000000;

// The share of testdata/answers_heldout.jsonl that must be read as meant.
constexpr size_t kHeldOutAnswersPercent = 90;  // 84/89 on 2026-12-04
// The share of testdata/answers_more_heldout.jsonl that must be.
constexpr size_t kHeldOutMoreAnswersPercent = 95;  // 60/60 after the change

Options TestOptions() {
  Options options;
  options.places = {
      {"3510070", "Rogojampi", ""},
      {"3510070001", "Gitik", "3510070"},
      {"3510070002", "Kaotan", "3510070"},
      {"3510070003", "Lemahbang Kulon", "3510070"},
  };
  return options;
}

Options ManyPlaces();
Options ManyPlacesForTest() { return ManyPlaces(); }

std::unique_ptr<Dialogs> Load(const Options& options = TestOptions()) {
  auto dialogs = LoadDialogs(EmbeddedSources(), options);
  REQUIRE(dialogs.has_value());
  return std::move(*dialogs);
}

// A conversation with one contact; time moves a minute per message.
class Chat {
 public:
  explicit Chat(const Dialogs& dialogs, std::string channel = "sms")
      : dialogs_(dialogs) {
    context_.now = kNow;
    context_.channel_type = std::move(channel);
  }

  const StepResult& Send(const std::string& text,
                         const std::string& choice_id = "") {
    context_.now += 60 * 1000;
    Input input;
    input.text = text;
    input.choice_id = choice_id;
    last_ = dialogs_.Step(last_.session, input, context_);
    KeepFiledTicket(last_);
    return last_;
  }
  void Advance(int64_t ms) { context_.now += ms; }
  void set_language(const std::string& l) { context_.language = l; }
  const SessionState& session() const { return last_.session; }
  const StepResult& last() const { return last_; }
  std::string FirstKey() const {
    return last_.replies.empty() ? "" : last_.replies.front().key;
  }
  std::string EffectKind() const {
    return last_.effects.empty() ? "" : std::string(KindName(last_.effects.front().value));
  }

 private:
  const Dialogs& dialogs_;
  Context context_;
  StepResult last_;
};

TEST_CASE("Engine: two close intents get one short numbered question", "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("mau lapor dan usul");
  REQUIRE(chat.last().replies.size() == 1);
  const Reply& r = chat.last().replies[0];
  INFO(r.text);
  CHECK(r.key == "maksud.which");
  CHECK(r.text.find("1. Pengaduan baru\n2. Usulan baru") != std::string::npos);
  CHECK(r.text.size() <= 160);
  CHECK(IsGsm7Text(r.text));
  CHECK(chat.last().effects.empty());
  chat.Send("2");
  CHECK(chat.session().flow == "usulan");
  CHECK(chat.FirstKey() == "usulan.ask_activity");
  // A story given with the two intents is the chosen flow's first answer:
  // not asked again, and filed at once once the person chose.
  Chat story(*dialogs);
  story.Send("sy mau lapor dana BLT dipotong, sekalian usul jalan");
  REQUIRE(story.FirstKey() == "maksud.which");
  story.Send("1");
  REQUIRE(story.EffectKind() == "create_case");
  const CreateCase& told = std::get<CreateCase>(story.last().effects[0].value);
  CHECK(told.fields["what"] == "dana BLT dipotong, sekalian usul jalan");
  CHECK(told.fields["category"] == "dana");
  // Nothing beyond the other intent: the story is asked for, nothing filed.
  Chat bare(*dialogs);
  bare.Send("mau lapor dan usul");
  bare.Send("1");
  CHECK(bare.last().effects.empty());
  CHECK(bare.session().node == "what");
  // One intent, or a keyword and a topic, is no question.
  Chat one(*dialogs);
  one.Send("usul perbaikan jalan yang rusak");
  CHECK(one.session().flow == "usulan");
}

TEST_CASE("Engine: a correction at the read-back reads back the changed field",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  for (const char* text : {"usul jalan desa", "Gitik dusun Krajan", "300 m",
                           "40 KK, 12 miskin, 20 perempuan", "5 jt"}) {
    chat.Send(text);
  }
  REQUIRE(chat.FirstKey() == "usulan.confirm");
  CHECK(chat.last().replies[0].text.find("40 KK, 12 RTM, 20 perempuan") !=
        std::string::npos);
  chat.Send("bukan gitik tp kaotan");
  REQUIRE(chat.FirstKey() == "usulan.confirm");
  CHECK(chat.last().replies[0].text.find("Kaotan") != std::string::npos);
  CHECK(chat.last().replies[0].text.find("Gitik") == std::string::npos);
  chat.Send("biayanya 7 juta");
  REQUIRE(chat.FirstKey() == "usulan.confirm");
  CHECK(chat.last().replies[0].text.find("Rp7.000.000") != std::string::npos);
  chat.Send("ya");
  REQUIRE(chat.EffectKind() == "update_case");
  const json& fields = std::get<UpdateCase>(chat.last().effects[0].value).fields;
  CHECK(fields["desa"] == "3510070002");
  CHECK(fields["cost"] == 7000000);
  CHECK(fields["women"] == 20);
}

TEST_CASE("Engine: a greeting gets a short answer, not the menu", "[dialogs]") {
  auto dialogs = Load();
  struct {
    const char* text;
    const char* key;
  } cases[] = {
      {"Assalamualaikum pak", "chatter.salam"},
      {"selamat pagi", "chatter.greeting"},
      {"halo", "chatter.greeting"},
      {"permisi", "chatter.greeting"},
      {"terima kasih pak", "case.note_thanks"},  // thanks without a case
  };
  for (const auto& c : cases) {
    INFO(c.text);
    Chat chat(*dialogs);
    chat.Send(c.text);
    REQUIRE(chat.last().replies.size() == 1);
    CHECK(chat.FirstKey() == c.key);
    CHECK(chat.last().replies[0].choices.empty());
    CHECK(chat.last().replies[0].text.size() <= 160);
    CHECK_FALSE(chat.session().open());
    CHECK(chat.last().effects.empty());
  }
  Chat menu(*dialogs);
  menu.Send("MENU");
  CHECK(menu.FirstKey() == "menu.prompt");
  CHECK(menu.session().flow == "menu");
  CHECK(menu.last().replies[0].choices.size() == 5);
}

TEST_CASE("Engine: spam as a first message gets no reply at all", "[dialogs]") {
  auto dialogs = Load();
  for (const char* text :
       {"Selamat anda mendapatkan hadiah 25jt dari undian", "pengajuan pinjaman cepat",
        "info slot gacor maxwin", "promo terbaru di https://contoh.id/x",
        "Dana tunai hubungi 081234567890"}) {
    INFO(text);
    Chat chat(*dialogs);
    chat.Send(text);
    CHECK(chat.last().replies.empty());
    CHECK(chat.last().effects.empty());
    CHECK_FALSE(chat.session().open());
  }
}

TEST_CASE("Engine: other text gets one short line, once a day", "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("siapa ini?");
  CHECK(chat.FirstKey() == "chatter.short");
  CHECK_FALSE(chat.session().open());
  chat.Advance(60 * 60 * 1000);
  chat.Send("tes");
  CHECK(chat.last().replies.empty());
  chat.Send("halo");  // a greeting is still answered, and keeps the hint's time
  CHECK(chat.FirstKey() == "chatter.greeting");
  chat.Send("tes");
  CHECK(chat.last().replies.empty());
  chat.Advance(24 * 60 * 60 * 1000);
  chat.Send("tes");
  CHECK(chat.FirstKey() == "chatter.short");
}

TEST_CASE("Engine: a yes with no open flow confirms nothing", "[dialogs]") {
  auto dialogs = Load();
  for (const char* text : {"ya", "OKE", "1", "iya betul"}) {
    INFO(text);
    Chat chat(*dialogs);
    chat.Send(text);
    CHECK(chat.last().effects.empty());
    CHECK(chat.FirstKey() == "chatter.short");
  }
}

TEST_CASE("Engine: menu choices pick by number, id or label", "[dialogs]") {
  auto dialogs = Load();
  struct {
    const char* text;
    const char* choice_id;
    const char* flow;
    const char* effect;
    const char* key;
  } cases[] = {
      {"1", "", "usulan", "", "usulan.ask_activity"},
      {"2", "", "pengaduan", "", "pengaduan.ask_what"},
      {"3", "", "", "status_query", ""},
      {"4", "", "", "list_meetings", ""},
      {"5", "", "", "", "menu.help"},
      {"", "pengaduan", "pengaduan", "", "pengaduan.ask_what"},
      {"Cek status", "", "", "status_query", ""},
      {" 1. ", "", "usulan", "", "usulan.ask_activity"},
  };
  for (const auto& c : cases) {
    INFO(c.text << c.choice_id);
    Chat chat(*dialogs);
    chat.Send("MENU");
    REQUIRE(chat.session().flow == "menu");
    chat.Send(c.text, c.choice_id);
    CHECK(chat.session().flow == c.flow);
    CHECK(chat.EffectKind() == c.effect);
    CHECK(chat.FirstKey() == c.key);
  }
}

TEST_CASE("Engine: an unclear menu answer shows the menu again", "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("menu");
  chat.Send("7");
  CHECK(chat.FirstKey() == "menu.retry");
  CHECK(chat.session().flow == "menu");
  CHECK(chat.last().replies[0].choices.size() == 5);
}

TEST_CASE("Engine: keywords start flows, any case and punctuation",
          "[dialogs]") {
  auto dialogs = Load();
  struct {
    const char* text;
    const char* flow;
    const char* node;
    const char* effect;
  } cases[] = {
      {"USUL", "usulan", "activity", ""},
      {"usulan", "usulan", "activity", ""},
      {"Usul.", "usulan", "activity", ""},
      {"ADUAN", "pengaduan", "what", ""},
      {"lapor!", "pengaduan", "what", ""},
      {"adu", "pengaduan", "what", ""},
      {"STATUS ADU-3", "", "", "status_query"},
      {"cek", "", "", "status_query"},
      {"ADU-3", "", "", "status_query"},
      {"BERHENTI", "", "", "opt_out"},
      {"unreg", "", "", "opt_out"},
      {"Stop", "", "", "opt_out"},
      {"MULAI", "", "", "opt_in"},
      {"BANTUAN", "menu", "main", ""},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    Chat chat(*dialogs);
    chat.Send(c.text);
    CHECK(chat.session().flow == c.flow);
    CHECK(chat.session().node == c.node);
    CHECK(chat.EffectKind() == c.effect);
  }
}

TEST_CASE("Engine: content after a keyword answers the first question",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("USUL jembatan gantung");
  CHECK(chat.session().flow == "usulan");
  // Filed at once; the desa is asked with the ticket, in the caller's reply.
  CHECK(chat.session().node == "ask_desa");
  CHECK(chat.session().vars["activity"] == "jembatan gantung");
  REQUIRE(chat.EffectKind() == "create_case");
  CHECK(std::get<CreateCase>(chat.last().effects[0].value).fields["activity"] ==
        "jembatan gantung");
  CHECK(chat.last().effects[0].reply_key == "usulan.filed");
  CHECK(chat.last().effects[0].follow_up.key == "usulan.ask_desa");
  CHECK_FALSE(chat.last().effects[0].follow_up.choices.empty());
  CHECK(chat.last().replies.empty());

  Chat status(*dialogs);
  status.Send("STATUS adu 45");
  REQUIRE(status.last().effects.size() == 1);
  CHECK(status.last().effects[0].value == EffectValue(StatusQuery{"ADU-45", std::nullopt}));
  CHECK(status.last().effects[0].reply_key == "status.result");
}

TEST_CASE("Engine: opt-out beats every other keyword at any point",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("adu");
  chat.Send("Jalan rusak");
  chat.Send("BERHENTI");
  CHECK(chat.EffectKind() == "opt_out");
  CHECK(chat.last().effects[0].reply_key == "optout.done");
  CHECK(chat.last().replies.empty());
  CHECK_FALSE(chat.session().open());
}

TEST_CASE("Engine: BATAL cancels the open flow, and says so when none is open",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("usul");
  chat.Send("Sumur bor");
  chat.Send("Batal.");
  // The proposal was filed with its activity: only the questions stop.
  CHECK(chat.FirstKey() == "cancel.filed");
  CHECK(chat.last().replies[0].text.find("USL-1") != std::string::npos);
  CHECK_FALSE(chat.session().open());
  CHECK(chat.session().vars.empty());
  chat.Send("BATAL");
  CHECK(chat.FirstKey() == "cancel.nothing");
}

TEST_CASE("Engine: BATAL with a word or two cancels at the first question",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("usul");
  chat.Send("batal dulu pak");
  // Nothing was filed: "batal dulu" is no activity.
  CHECK(chat.FirstKey() == "cancel.done");
  CHECK(chat.last().effects.empty());
  CHECK_FALSE(chat.session().open());
  // A story that starts with the word stays the story.
  Chat story(*dialogs);
  story.Send("aduan");
  story.Send("batal dibangun padahal dananya sudah cair");
  CHECK(story.EffectKind() == "create_case");
}

TEST_CASE("Engine: MENU mid-flow leaves the flow for the menu", "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("usul");
  chat.Send("menu");
  CHECK(chat.session().flow == "menu");
  CHECK(chat.FirstKey() == "menu.prompt");
}

TEST_CASE("Engine: while a question is open, a keyword counts only alone",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("adu");
  chat.Send("Stop pembangunan jalan karena dananya hilang");
  CHECK(chat.EffectKind() == "create_case");
  CHECK(chat.session().node == "ask_where");
  CHECK(chat.session().vars["what"] ==
        "Stop pembangunan jalan karena dananya hilang");
  chat.Send("usul");  // alone: switches flows
  CHECK(chat.session().flow == "usulan");
}

TEST_CASE("Engine: a session idle past the TTL expires", "[dialogs]") {
  Options options = TestOptions();
  options.session_ttl_ms = 1000 * 60 * 60;
  auto dialogs = Load(options);
  Chat chat(*dialogs);
  chat.Send("usul");
  chat.Send("Sumur bor");
  REQUIRE(chat.session().node == "ask_desa");
  chat.Advance(options.session_ttl_ms);
  chat.Send("Gitik");  // a minute past the TTL
  CHECK(chat.session().flow == "lanjut");
  CHECK(chat.FirstKey() == "draft.offer");
  CHECK_FALSE(chat.session().vars.contains("activity"));
  CHECK(chat.session().vars["draft"]["vars"]["activity"] == "Sumur bor");
  CHECK(chat.session().vars["draft"]["node"] == "ask_desa");
  chat.Send("ya");
  CHECK(chat.session().flow == "usulan");
  CHECK(chat.session().node == "ask_desa");
  CHECK(chat.session().vars["activity"] == "Sumur bor");
  CHECK(chat.FirstKey() == "usulan.ask_desa");

  Chat declined(*dialogs);
  declined.Send("usul");
  declined.Send("Sumur bor");
  declined.Advance(options.session_ttl_ms);
  declined.Send("Gitik");
  declined.Send("2");
  CHECK(declined.FirstKey() == "draft.discarded");
  CHECK_FALSE(declined.session().open());
  CHECK(declined.session().vars.empty());

  Chat other(*dialogs);
  other.Send("usul");
  other.Send("Sumur bor");
  other.Advance(options.session_ttl_ms);
  other.Send("Gitik");
  other.Send("JADWAL");  // anything else is handled normally
  CHECK(other.EffectKind() == "list_meetings");

  Chat nothing(*dialogs);  // nothing answered yet: no draft to offer
  nothing.Send("usul");
  nothing.Advance(options.session_ttl_ms);
  nothing.Send("Gitik");
  CHECK(nothing.FirstKey() == "chatter.short");

  Chat fresh(*dialogs);
  fresh.Send("usul");
  fresh.Send("Sumur bor");
  fresh.Advance(options.session_ttl_ms - 2 * 60 * 1000);
  fresh.Send("Gitik");  // just inside the TTL
  CHECK(fresh.session().node == "volume");
}

TEST_CASE("Engine: a session on a flow that no longer exists is reset",
          "[dialogs]") {
  auto dialogs = Load();
  SessionState session;
  session.flow = "rapat";
  session.node = "rsvp";
  session.updated_at = kNow;
  Input input;
  input.text = "ya";
  Context context;
  context.now = kNow + 1000;
  StepResult result = dialogs->Step(session, input, context);
  CHECK_FALSE(result.session.open());
  REQUIRE(result.replies.size() == 1);
  CHECK(result.replies[0].key == "chatter.short");
  CHECK(result.effects.empty());
}

TEST_CASE("Engine: Step is pure and stamps the session with now",
          "[dialogs]") {
  auto dialogs = Load();
  SessionState session;
  Input input;
  input.text = "USUL sumur";
  Context context;
  context.now = kNow;
  StepResult a = dialogs->Step(session, input, context);
  StepResult b = dialogs->Step(session, input, context);
  CHECK(a.session.updated_at == kNow);
  CHECK(a.session.vars == b.session.vars);
  CHECK(a.session.node == b.session.node);
  REQUIRE(a.effects.size() == 1);
  REQUIRE(b.effects.size() == 1);
  CHECK(a.effects[0].value == b.effects[0].value);
  CHECK(a.effects[0].reply_key == b.effects[0].reply_key);
}

TEST_CASE("Engine: desa is picked by number, name in any case, or button",
          "[dialogs]") {
  auto dialogs = Load();
  struct {
    const char* text;
    const char* choice_id;
    const char* code;
  } cases[] = {
      {"1", "", "3510070001"},
      {"gitik", "", "3510070001"},
      {"LEMAHBANG KULON", "", "3510070003"},
      {"Desa Kaotan.", "", "3510070002"},
      {"di ds kaotan", "", "3510070002"},
      {"", "3510070003", "3510070003"},
  };
  for (const auto& c : cases) {
    INFO(c.text << c.choice_id);
    Chat chat(*dialogs);
    chat.Send("USUL sumur");
    chat.Send(c.text, c.choice_id);
    CHECK(chat.session().node == "volume");
    CHECK(chat.session().vars["desa"] == c.code);
  }
  SECTION("an unknown desa or number is asked again") {
    for (const char* text : {"Jakarta", "4", "Rogojampi"}) {
      INFO(text);
      Chat chat(*dialogs);
      chat.Send("USUL sumur");
      chat.Send(text);
      CHECK(chat.session().node == "ask_desa");
      CHECK(chat.FirstKey() == "usulan.retry_desa");
      CHECK(chat.last().replies[0].choices.size() == 3);
    }
  }
}

TEST_CASE("Engine: with no places configured, desa is free text",
          "[dialogs]") {
  auto dialogs = Load(Options{});
  Chat chat(*dialogs);
  chat.Send("USUL sumur");
  CHECK(chat.last().replies.empty());
  CHECK(chat.last().effects[0].follow_up.key == "usulan.ask_desa");
  CHECK(chat.last().effects[0].follow_up.choices.empty());
  chat.Send("Sukamaju");
  CHECK(chat.session().node == "volume");
  CHECK(chat.session().vars["desa_name"] == "Sukamaju");
  CHECK(chat.session().vars["desa"] == "");
}

TEST_CASE("Engine: an unreadable cost is asked again with a hint",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  for (const char* text : {"USUL sumur", "1", "-", "30 KK"}) {
    chat.Send(text);
  }
  REQUIRE(chat.session().node == "cost");
  chat.Send("mahal");
  CHECK(chat.session().node == "cost");
  CHECK(chat.FirstKey() == "usulan.retry_cost");
  // Ambiguous amounts get a question, never a guess.
  for (const char* unclear : {"5", "5-10 jt", "lima"}) {
    INFO(unclear);
    chat.Send(unclear);
    CHECK(chat.session().node == "cost");
    CHECK(chat.FirstKey() == "usulan.cost_ambiguous");
    CHECK_FALSE(chat.session().vars.contains("cost"));
  }
  chat.Send("500rb");
  CHECK(chat.session().node == "confirm");
  CHECK(chat.session().vars["cost"] == 500000);
  CHECK(chat.session().vars["cost_text"] == "Rp500.000");
}

TEST_CASE("Engine: a cost not known yet is skipped, never asked for ever",
          "[dialogs]") {
  auto dialogs = Load();
  for (const char* unknown : {"gk tau", "dereng ngertos", "teu terang", "tidak tahu pak", "blm tau", "-",
                              "gak ngerti lur"}) {
    INFO(unknown);
    Chat chat(*dialogs);
    for (const char* text : {"USUL sumur", "1", "-", "30 KK"}) {
      chat.Send(text);
    }
    REQUIRE(chat.session().node == "cost");
    chat.Send(unknown);
    CHECK(chat.session().node == "confirm");
    CHECK(chat.session().vars["cost"] == "");
    CHECK(chat.session().vars["cost_text"] == "");
  }
  // Two answers that are no amount: the question is skipped as well.
  Chat chat(*dialogs);
  for (const char* text : {"USUL sumur", "1", "-", "30 KK",
                           "mahal", "pokoknya mahal"}) {
    chat.Send(text);
  }
  CHECK(chat.session().node == "confirm");
  CHECK(chat.session().vars["cost"] == "");
}

TEST_CASE("Engine: two answers that fit nothing take the fallback or name BATAL once",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  // The forum, offered at the read-back (fix 8).
  for (const char* text : {"USUL sumur", "1", "-", "30 KK", "5 jt", "tidak", "8"}) {
    chat.Send(text);
  }
  REQUIRE(chat.session().node == "forum");
  chat.Send("hmm");
  CHECK(chat.session().node == "forum");
  CHECK(chat.last().replies.size() == 1);
  chat.Send("gimana ya");
  CHECK(chat.session().vars["forum"] == "belum_tahu");
  CHECK(chat.session().node == "confirm");

  // No fallback and not skippable: the second miss names BATAL, the third
  // does not repeat it.
  Chat count(*dialogs);
  for (const char* text : {"USUL sumur", "1", "-"}) count.Send(text);
  REQUIRE(count.session().node == "households");
  count.Send("banyak");
  CHECK(count.last().replies.size() == 1);
  count.Send("banyak sekali");
  REQUIRE(count.last().replies.size() == 2);
  CHECK(count.last().replies[1].key == "common.stuck");
  CHECK(count.last().replies[1].text.find("BATAL") != std::string::npos);
  count.Send("pokoknya banyak");
  CHECK(count.last().replies.size() == 1);
  count.Send("40 KK");
  // The poor and the women are asked with the households, not after.
  CHECK(count.session().node == "cost");
}

TEST_CASE("Engine: a figure with no skip, answered 'gk tau' twice, is kept as not known",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  for (const char* text : {"USUL sumur", "1", "-"}) chat.Send(text);
  REQUIRE(chat.session().node == "households");
  // Once is asked again; a second time the person does not know.
  chat.Send("gk tau");
  CHECK(chat.session().node == "households");
  chat.Send("gk tau pak");
  CHECK(chat.session().node == "cost");
  CHECK(chat.session().vars["households"] == "");
  // Two answers that fit nothing but are no "tidak tahu" are still asked
  // again (see the test above): only not knowing moves on.
  Chat vague(*dialogs);
  for (const char* text : {"USUL sumur", "1", "-", "banyak", "banyak sekali"}) vague.Send(text);
  CHECK(vague.session().node == "households");
  // Only a figure: without its desa a proposal goes nowhere, so the desa
  // is still asked (with BATAL named once).
  Chat place(*dialogs);
  place.Send("USUL sumur");
  const std::string desa_node = place.session().node;
  REQUIRE(!desa_node.empty());
  place.Send("gk tau");
  place.Send("gk tau");
  CHECK(place.session().node == desa_node);
  CHECK_FALSE(place.session().vars.contains("desa"));
}

TEST_CASE("Engine: the cost and the desa the opening gives are not asked", "[dialogs]") {
  auto dialogs = Load();
  // "biaya sktr 25jt": the cost, read from that clause only.
  Chat cost(*dialogs);
  cost.Send("usul saluran irigasi tersier kaotan, sm gorong2 2 unit. biaya sktr 25jt, warga "
            "swadaya tenaga");
  REQUIRE(cost.session().flow == "usulan");
  cost.Send("35 kk");
  CHECK(cost.session().node == "confirm");
  CHECK(cost.session().vars["cost"] == 25000000);
  // No cost word: the amount is asked ("2 unit" is a size, "5 jt" without a
  // cost word could be anything).
  Chat unpriced(*dialogs);
  unpriced.Send("usul saluran irigasi tersier kaotan, gorong2 2 unit, 5 jt");
  unpriced.Send("35 kk");
  CHECK(unpriced.session().node == "cost");
  // The desa named before the keyword, by a resident who says where they
  // are from.
  Chat desa(*dialogs);
  desa.Send("Nyuwun sewu pak, kulo Sulastri saking Kaotan. Kulo badhe ngusulaken lampu "
            "penerangan jalan teng dalan tani dsn krajan, 10 titik lampu");
  REQUIRE(desa.session().flow == "usulan");
  CHECK(desa.session().vars["desa"] == "3510070002");
  CHECK(desa.session().node != "ask_desa");
  // Two desa named: asked, never guessed.
  Chat two(*dialogs);
  two.Send("sy dr Gitik, mau usul lampu jalan di Kaotan dsn krajan 10 titik");
  CHECK(two.session().vars.value("desa", "") == "");
  // A cost answer with a total after the parts: the total.
  Chat total(*dialogs);
  for (const char* text : {"USUL mesin pompa", "1", "2 unit", "30 KK"}) total.Send(text);
  REQUIRE(total.session().node == "cost");
  total.Send("setunggal mesin 3,5jt, dados 7jt");
  CHECK(total.session().vars["cost"] == 7000000);
  CHECK(total.session().node == "confirm");
  // A formal letter's cost answers, each with several figures: the amount
  // meant (the amount spelled out in brackets, a rate in brackets, a total
  // after "=", what it includes after "termasuk" and "@").
  const std::pair<const char*, int64_t> formal[] = {
      {"Rp. 187.500.000,- (seratus delapan puluh tujuh juta lima ratus ribu rupiah)", 187500000},
      {"Perkiraan Rp. 126.000.000,- (hitungan kasar Rp. 300.000,-/m')", 126000000},
      {"2 unit x Rp. 14.500.000,- = Rp. 29.000.000,-", 29000000},
      {"Rp. 32.750.000,- termasuk mesin jahit 5 unit @ Rp. 3.200.000,-", 32750000},
  };
  for (const auto& [text, amount] : formal) {
    INFO(text);
    Chat letter(*dialogs);
    for (const char* t : {"USUL mesin pompa", "1", "2 unit", "30 KK"}) letter.Send(t);
    REQUIRE(letter.session().node == "cost");
    letter.Send(text);
    CHECK(letter.session().vars["cost"] == amount);
    CHECK(letter.session().node == "confirm");
  }
  // Two amounts and no sign which is meant: asked which, never guessed.
  Chat two_amounts(*dialogs);
  for (const char* t : {"USUL mesin pompa", "1", "2 unit", "30 KK"}) two_amounts.Send(t);
  two_amounts.Send("antara 5jt sampai 10jt");
  CHECK(two_amounts.session().node == "cost");
  CHECK_FALSE(two_amounts.session().vars.contains("cost"));
  // The cost in a numbered letter, "Rp." with its full stop and the next
  // point's number after it, is not asked.
  Chat numbered(*dialogs);
  numbered.Send("Dengan hormat, bersama ini saya sampaikan usulan kegiatan Desa Kaotan sbb: 1. "
                "Rabat beton jalan lingkungan Dsn Krajan RT 02, panjang 350 m. 2. Perkiraan "
                "biaya Rp. 187.500.000,- 3. Swadaya masyarakat berupa tenaga. Demikian.");
  REQUIRE(numbered.session().flow == "usulan");
  for (const char* t : {"Dsn Krajan RT 02", "64 KK"}) numbered.Send(t);
  CHECK(numbered.session().vars["cost"] == 187500000);
  CHECK(numbered.session().node != "cost");
}

TEST_CASE("Engine: the story and its desa in one answer; the desa alone asks for the story",
          "[dialogs]") {
  auto dialogs = Load();
  // "mau lapor": asked what happened and where; both in one answer file the
  // complaint with its desa, and nothing more is asked.
  Chat both(*dialogs);
  both.Send("sy mau lapor pak");
  REQUIRE(both.session().node == "what");
  CHECK(both.last().replies.back().key == "pengaduan.ask_what");
  both.Send("dana blt dipotong pak kadus, di kaotan");
  REQUIRE(both.last().effects.size() == 1);
  const CreateCase& filed = std::get<CreateCase>(both.last().effects[0].value);
  CHECK(filed.desa == "3510070002");
  CHECK(filed.fields["what"] == "dana blt dipotong pak kadus, di kaotan");
  CHECK(both.last().effects[0].reply_key == "pengaduan.done");
  CHECK_FALSE(both.session().open());
  // Only the desa: kept, and the story asked for, naming the desa; the
  // story then files the complaint there, and the desa is not asked again.
  for (const char* place : {"Kaotan", "di desa kaotan pak", "kaotan dsn krajan rt 3"}) {
    INFO(place);
    Chat only(*dialogs);
    only.Send("mau lapor");
    only.Send(place);
    CHECK(only.last().effects.empty());
    REQUIRE(only.session().node == "what");
    REQUIRE_FALSE(only.last().replies.empty());
    CHECK(only.last().replies.back().key == "pengaduan.ask_what_there");
    CHECK(only.last().replies.back().text.find("Kaotan") != std::string::npos);
    only.Send("jalan desa rusak parah");
    REQUIRE(only.last().effects.size() == 1);
    const CreateCase& there = std::get<CreateCase>(only.last().effects[0].value);
    CHECK(there.fields["what"] == "jalan desa rusak parah");
    CHECK(there.desa == "3510070002");
    CHECK_FALSE(only.session().open());
  }
  // The keyword's own rest ("mau lapor dari desa Kaotan") is only a place
  // too: no case named "dari desa Kaotan".
  Chat rest(*dialogs);
  rest.Send("LAPOR dari desa Kaotan");
  CHECK(rest.last().effects.empty());
  CHECK(rest.session().node == "what");
  // A proposal the same way: the activity and its desa, or the desa alone.
  Chat usul(*dialogs);
  usul.Send("mau usul");
  REQUIRE(usul.session().node == "activity");
  usul.Send("ds kaotan");
  CHECK(usul.last().effects.empty());
  REQUIRE(usul.session().node == "activity");
  CHECK(usul.last().replies.back().key == "usulan.ask_activity_there");
  usul.Send("sumur bor");
  REQUIRE(usul.last().effects.size() == 1);
  CHECK(std::get<CreateCase>(usul.last().effects[0].value).desa == "3510070002");
  CHECK(usul.session().node != "ask_desa");
}

TEST_CASE("Engine: more poor households than households is asked again",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  // Given in one answer, the impossible figure is questioned, not dropped.
  for (const char* text : {"USUL sumur", "1", "-", "30 KK, 100 miskin"}) chat.Send(text);
  REQUIRE(chat.session().node == "rtm");
  CHECK_FALSE(chat.session().vars.contains("rtm"));
  chat.Send("100");
  CHECK(chat.session().node == "rtm");
  CHECK(chat.FirstKey() == "usulan.rtm_too_many");
  CHECK(chat.last().replies[0].text.find("30") != std::string::npos);
  CHECK_FALSE(chat.session().vars.contains("rtm"));
  chat.Send("12");
  CHECK(chat.session().vars["rtm"] == 12);
  // A length is no count of households.
  Chat length(*dialogs);
  for (const char* text : {"USUL jalan", "1", "-"}) length.Send(text);
  REQUIRE(length.session().node == "households");
  length.Send("jalan rusak sepanjang 300 meter");
  CHECK(length.session().node == "households");
  CHECK_FALSE(length.session().vars.contains("households"));
}

TEST_CASE("Engine: politeness after a keyword is no answer", "[dialogs]") {
  auto dialogs = Load();
  for (const char* text : {"usul pak", "USULAN nggih bu", "lapor, tolong pak",
                           "sy mau usul dong"}) {
    INFO(text);
    Chat chat(*dialogs);
    chat.Send(text);
    CHECK((chat.session().node == "activity" || chat.session().node == "what"));
    CHECK_FALSE(chat.session().vars.contains("activity"));
    CHECK_FALSE(chat.session().vars.contains("what"));
  }
  Chat chat(*dialogs);
  chat.Send("usul sumur bor pak");
  CHECK(chat.session().vars["activity"] == "sumur bor");
}

TEST_CASE("Engine: a choice by its words, exact before a typo", "[dialogs]") {
  auto dialogs = Load();
  auto at_forum = [&](const std::string& answer) {
    Chat chat(*dialogs);
    for (const char* text : {"USUL sumur", "1", "-", "30 KK", "5 jt", "tidak", "8"}) {
      chat.Send(text);
    }
    REQUIRE(chat.session().node == "forum");
    chat.Send(answer);
    return chat.session().vars.value("forum", std::string());
  };
  CHECK(at_forum("musdes") == "musdes");
  CHECK(at_forum("Musdus") == "musdus");
  CHECK(at_forum("musdess") == "musdes");
  CHECK(at_forum("musyawarah desa saja pak") == "musdes");
  CHECK(at_forum("dua") == "mkp");
  CHECK(at_forum("blm tau") == "belum_tahu");
  Chat chat(*dialogs);
  // A complaint's category is read from the story by the same words.
  chat.Send("ADUAN jalan rusak ada pungli pak");
  CHECK(chat.session().vars["category"] == "dana");
}

TEST_CASE("Engine: a long desa list is paged and numbered", "[dialogs]") {
  auto dialogs = Load(ManyPlacesForTest());
  Chat chat(*dialogs);
  chat.Send("USUL sumur");
  REQUIRE(chat.session().node == "ask_desa");
  REQUIRE(chat.last().effects.size() == 1);
  const std::string first = chat.last().effects[0].follow_up.text;
  CHECK(first.find("\n1. Gitik") != std::string::npos);
  CHECK(first.find("\n10. ") != std::string::npos);  // "more"
  CHECK(first.find("Aliyan") == std::string::npos);
  chat.Send("0");
  CHECK(chat.last().replies[0].text.find("\n1. Aliyan") != std::string::npos);
  chat.Send("2");
  CHECK(chat.session().vars["desa"] == "3510070011");
  // Named inside a sentence, on any page.
  Chat named(*dialogs);
  named.Send("USUL sumur");
  named.Send("di desa Watukebo pak");
  CHECK(named.session().vars["desa"] == "3510070014");
  // Typed instead of tapped on Telegram: read like an SMS answer.
  Chat telegram(*dialogs, "telegram");
  telegram.Send("USUL sumur");
  telegram.Send("3");
  CHECK(telegram.session().vars["desa"] == "3510070003");
}

// Runs the usulan flow to its confirm question.
void ToUsulanConfirm(Chat& chat) {
  for (const char* text :
       {"USUL Perbaikan jalan", "Gitik", "300 m", "30 KK", "10", "12",
        "5 jt"}) {
    chat.Send(text);
  }
  REQUIRE(chat.session().node == "confirm");
}

TEST_CASE("Engine: an usulan is filed at once; its read-back updates the case",
          "[dialogs]") {
  auto dialogs = Load();
  {
    Chat chat(*dialogs);
    chat.Send("USUL Perbaikan jalan");
    REQUIRE(chat.last().effects.size() == 1);
    CHECK(chat.last().effects[0].reply_key == "usulan.filed");
    const CreateCase& e = std::get<CreateCase>(chat.last().effects[0].value);
    CHECK(e.summary == "Perbaikan jalan");
    CHECK_FALSE(e.confidential);
  }
  for (const char* yes : {"ya", "Y", "iya", "ok", "oke", "betul", "benar",
                          "inggih", "nggih", "1"}) {
    INFO(yes);
    Chat chat(*dialogs);
    ToUsulanConfirm(chat);
    chat.Send(yes);
    REQUIRE(chat.last().effects.size() == 1);
    CHECK(chat.last().effects[0].reply_key == "usulan.updated");
    const UpdateCase& e = std::get<UpdateCase>(chat.last().effects[0].value);
    CHECK(e.ticket == "USL-1");
    CHECK(e.summary == "Perbaikan jalan - Gitik");
    CHECK(e.desa == "3510070001");
    CHECK_FALSE(e.fields.contains("_ticket"));
    CHECK(e.fields["cost"] == 5000000);
    CHECK(e.fields["activity"] == "Perbaikan jalan");
    CHECK_FALSE(chat.session().open());
    CHECK(chat.last().replies.empty());
  }
}

TEST_CASE("Engine: no at the confirm offers the fields to correct",
          "[dialogs]") {
  auto dialogs = Load();
  for (const char* no : {"tidak", "tdk", "gak", "ga", "gk", "nggak", "ndak",
                         "mboten", "salah", "enggak", "2"}) {
    INFO(no);
    Chat chat(*dialogs);
    ToUsulanConfirm(chat);
    chat.Send(no);
    CHECK(chat.last().effects.empty());
    CHECK(chat.session().node == "fix");
    CHECK(chat.FirstKey() == "usulan.fix");
    CHECK(chat.last().replies[0].choices.size() == 9);
  }
  SECTION("one field is corrected, then the summary again") {
    Chat chat(*dialogs);
    ToUsulanConfirm(chat);
    chat.Send("tidak");
    chat.Send("5");  // cost
    CHECK(chat.session().node == "cost");
    chat.Send("7,5 jt");
    CHECK(chat.session().node == "confirm");
    CHECK(chat.FirstKey() == "usulan.confirm");
    CHECK(chat.last().replies[0].text.find("Rp7.500.000") != std::string::npos);
    CHECK(chat.session().vars["activity"] == "Perbaikan jalan");
    chat.Send("ya");
    REQUIRE(chat.last().effects.size() == 1);
    const json& fields = std::get<UpdateCase>(chat.last().effects[0].value).fields;
    CHECK(fields["cost"] == 7500000);
    CHECK_FALSE(fields.contains("_return"));
  }
  SECTION("a field with several questions asks them all") {
    Chat chat(*dialogs);
    ToUsulanConfirm(chat);
    chat.Send("tidak");
    chat.Send("Penerima manfaat");
    CHECK(chat.session().node == "households");
    chat.Send("50 KK");
    CHECK(chat.session().node == "rtm");
    chat.Send("20");
    CHECK(chat.session().node == "women");
    chat.Send("25");
    CHECK(chat.session().node == "confirm");
    CHECK(chat.session().vars["households"] == 50);
  }
  SECTION("an unclear answer asks again") {
    Chat chat(*dialogs);
    ToUsulanConfirm(chat);
    chat.Send("hmm nanti dulu");
    CHECK(chat.session().node == "confirm");
    CHECK(chat.FirstKey() == "usulan.confirm_retry");
  }
}

TEST_CASE("Engine: a proposal like the negative list is flagged, not refused",
          "[dialogs]") {
  auto dialogs = Load();
  struct {
    const char* activity;
    bool flagged;
  } cases[] = {
      {"Renovasi masjid", true},          {"beli chainsaw utk kelompok", true},
      {"honor kader posyandu", true},     {"pembelian tanah makam", true},
      {"Perbaikan jalan", false},         {"pelatihan menjahit", false},
  };
  for (const auto& c : cases) {
    INFO(c.activity);
    Chat chat(*dialogs);
    for (const char* text :
         {"USUL", c.activity}) {
      chat.Send(text);
    }
    REQUIRE(chat.last().effects.size() == 1);
    const CreateCase& e = std::get<CreateCase>(chat.last().effects[0].value);
    CHECK((e.flags == std::vector<std::string>{"negative_list"}) == c.flagged);
  }
}

TEST_CASE("Engine: a complaint is filed at once, confidential, with what its story says",
          "[dialogs]") {
  auto dialogs = Load();
  struct {
    const char* opening;
    const char* category;
    const char* desa;      // read from the story; "" asks for it
  } cases[] = {
      {"ADU dana dipotong", "dana", ""},
      {"ADUAN dana BLM dipotong oleh ketua TPK desa Gitik", "dana", "3510070001"},
      {"lapor ada pungli di Kaotan", "dana", "3510070002"},
      {"ADU jalan rusak di Lemahbang", "bencana_lain", ""},  // two desa share the name
      {"lapor banjir di RT 3", "bencana_lain", ""},           // no number is a choice
      {"lapor, kepala desa intervensi pemilihan TPK", "intervensi", ""},
  };
  for (const auto& c : cases) {
    INFO(c.opening);
    Chat chat(*dialogs);
    chat.Send(c.opening);
    REQUIRE(chat.last().effects.size() == 1);
    const Effect& e = chat.last().effects[0];
    const CreateCase& filed = std::get<CreateCase>(e.value);
    CHECK(filed.type == CaseType::kPengaduan);
    CHECK(filed.confidential);
    CHECK(filed.fields["category"] == c.category);
    CHECK(filed.desa == c.desa);
    if (std::string(c.desa).empty()) {
      CHECK(e.reply_key == "pengaduan.filed");
      CHECK(e.follow_up.key == "pengaduan.ask_where");
      CHECK(chat.session().node == "ask_where");
    } else {
      CHECK(e.reply_key == "pengaduan.done");
      CHECK(e.follow_up.text.empty());
      CHECK_FALSE(chat.session().open());
    }
  }
  SECTION("the desa asked afterwards updates that case") {
    Chat chat(*dialogs);
    chat.Send("ADU dana dipotong");
    chat.Send("di pasar Kaotan");
    REQUIRE(chat.last().effects.size() == 1);
    CHECK(chat.last().effects[0].reply_key == "pengaduan.updated");
    const UpdateCase& e = std::get<UpdateCase>(chat.last().effects[0].value);
    CHECK(e.ticket == "ADU-1");
    CHECK(e.desa == "3510070002");
    CHECK(e.summary == "dana dipotong - di pasar Kaotan");
    CHECK_FALSE(chat.session().open());
  }
  SECTION("skipped, the case keeps no place and no dangling separator") {
    Chat chat(*dialogs);
    chat.Send("ADU dana dipotong");
    chat.Send("lewati");
    REQUIRE(chat.last().effects.size() == 1);
    CHECK(std::get<UpdateCase>(chat.last().effects[0].value).summary == "dana dipotong");
  }
  SECTION("a described problem without a keyword is offered, never filed unasked") {
    Chat chat(*dialogs);
    chat.Send("jalan rabat beton rusak pak");
    CHECK(chat.last().effects.empty());
    CHECK(chat.session().node == "offer");
    chat.Send("tidak");
    CHECK(chat.last().effects.empty());
    CHECK_FALSE(chat.session().open());
    Chat yes(*dialogs);
    yes.Send("jalan rabat beton rusak pak");
    yes.Send("ya");
    REQUIRE(yes.last().effects.size() == 1);
    CHECK(std::get<CreateCase>(yes.last().effects[0].value).fields["what"] ==
          "jalan rabat beton rusak pak");
  }
}

TEST_CASE("Engine: an offer whose story names no desa asks for it with the yes, and 'ya, "
          "Kaotan' answers both",
          "[dialogs]") {
  auto dialogs = Load();
  // Stop 38: the desa was asked after filing, a third SMS for a complaint.
  for (const char* answer :
       {"ya, Kaotan", "Kaotan", "iya pak, di desa Kaotan dusun Krajan", "1. Kaotan"}) {
    INFO(answer);
    Chat chat(*dialogs);
    chat.Send("dana BLT dipotong pak RT, warga cuma terima 200rb");
    REQUIRE(chat.session().node == "offer");
    CHECK(chat.FirstKey() == "pengaduan.offer_no_place");
    CHECK(chat.last().replies.front().text.size() <= 160);
    CHECK(IsGsm7Text(chat.last().replies.front().text));
    chat.Send(answer);
    REQUIRE(chat.EffectKind() == "create_case");
    const CreateCase& filed = std::get<CreateCase>(chat.last().effects[0].value);
    CHECK(filed.type == CaseType::kPengaduan);
    CHECK(filed.desa == "3510070002");
    CHECK(filed.fields["what"] == "dana BLT dipotong pak RT, warga cuma terima 200rb");
    // Nothing more to ask: the desa is not asked again.
    CHECK_FALSE(chat.session().open());
  }
  // A story that names its desa gets the plain offer; "ya" files it there.
  Chat placed(*dialogs);
  placed.Send("dana BLT di Gitik dipotong pak RT, warga cuma terima 200rb");
  REQUIRE(placed.session().node == "offer");
  CHECK(placed.FirstKey() == "pengaduan.offer");
  placed.Send("ya");
  REQUIRE(placed.EffectKind() == "create_case");
  CHECK(std::get<CreateCase>(placed.last().effects[0].value).desa == "3510070001");
  // The way around: "tidak" with a desa still declines, and a plain "ya"
  // files and then asks the desa, as before.
  Chat no(*dialogs);
  no.Send("dana BLT dipotong pak RT, warga cuma terima 200rb");
  no.Send("tidak, Kaotan");
  CHECK(no.last().effects.empty());
  CHECK(no.FirstKey() == "common.offer_declined");
  Chat bare(*dialogs);
  bare.Send("dana BLT dipotong pak RT, warga cuma terima 200rb");
  bare.Send("ya");
  REQUIRE(bare.EffectKind() == "create_case");
  CHECK(std::get<CreateCase>(bare.last().effects[0].value).desa.empty());
  CHECK(bare.session().node == "ask_where");
}

TEST_CASE("Engine: a wish described without asking to propose is offered, never filed unasked",
          "[dialogs]") {
  auto dialogs = Load();
  for (const char* text : {"mohon bantuan pak, rumah saya kebanjiran",
                           "jalan di dusun kami perlu diperbaiki pak"}) {
    INFO(text);
    Chat chat(*dialogs);
    chat.Send(text);
    CHECK(chat.last().effects.empty());
    CHECK(chat.session().flow == "usulan");
    CHECK(chat.session().node == "offer");
    // The story names no desa: the offer asks for it with the yes.
    CHECK(chat.FirstKey() == "usulan.offer_no_place");
    chat.Send("tidak");
    CHECK(chat.last().effects.empty());
    CHECK(chat.FirstKey() == "common.offer_declined");
    CHECK_FALSE(chat.session().open());
    // Yes files the whole message as the activity.
    Chat yes(*dialogs);
    yes.Send(text);
    yes.Send("ya");
    REQUIRE(yes.EffectKind() == "create_case");
    const CreateCase& filed = std::get<CreateCase>(yes.last().effects[0].value);
    CHECK(filed.type == CaseType::kUsulan);
    CHECK(filed.fields["activity"] == text);
  }
  // Asking to propose is no wish described: the text after it is filed.
  Chat asked(*dialogs);
  asked.Send("sy mau mengajukan sumur bor");
  REQUIRE(asked.EffectKind() == "create_case");
  CHECK(std::get<CreateCase>(asked.last().effects[0].value).fields["activity"] == "sumur bor");
}

TEST_CASE("Engine: SMS lists choices as numbered lines, Telegram as buttons",
          "[dialogs]") {
  auto dialogs = Load();
  Chat sms(*dialogs, "sms");
  sms.Send("menu");
  const Reply& r = sms.last().replies[0];
  CHECK(r.text.find("\n1. ") != std::string::npos);
  CHECK(r.text.find("\n5. ") != std::string::npos);
  CHECK(r.text.ends_with("Balas 1, 2, 3, 4 atau 5."));
  for (const char* channel : {"telegram", "whatsapp"}) {
    INFO(channel);
    Chat chat(*dialogs, channel);
    chat.Send("menu");
    const Reply& t = chat.last().replies[0];
    CHECK(t.text.find("\n1. ") == std::string::npos);
    REQUIRE(t.choices.size() == 5);
    CHECK(t.choices[0].id == "usulan");
    CHECK(t.choices[2].id == "status");
  }
  Chat other(*dialogs, "android_sms");
  other.Send("menu");
  CHECK(other.last().replies[0].text.find("\n1. ") != std::string::npos);
}

TEST_CASE("Engine: replies follow the contact's language", "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.set_language("en");
  chat.Send("menu");
  CHECK(chat.last().replies[0].text.starts_with("Welcome"));
  CHECK(chat.last().replies[0].text.find("1. Propose an activity") !=
        std::string::npos);
  chat.Send("2");
  chat.Send("The road fund was cut");  // what happened
  REQUIRE(chat.last().effects.size() == 1);
  CHECK(chat.last().effects[0].follow_up.text.starts_with("Where did it happen?"));
  SECTION("Javanese where translated, Indonesian where not") {
    Chat jv(*dialogs);
    jv.set_language("jv");
    jv.Send("usul");
    CHECK(jv.last().replies[0].text.starts_with("Matur nuwun"));
    jv.Send("jembatan");
    jv.Send("Gitik");
    jv.Send("lewati");
    jv.Send("40 KK");
    jv.Send("lima");
    CHECK(jv.FirstKey() == "usulan.cost_ambiguous");
    CHECK(jv.last().replies[0].text.starts_with("Mohon maaf"));
  }
}

TEST_CASE("Engine: Render fills parameters and never fails", "[dialogs]") {
  auto dialogs = Load();
  Reply r = dialogs->Render("usulan.done", {{"ticket", "USL-9"}}, "id");
  CHECK(r.key == "usulan.done");
  CHECK(r.text.find("USL-9") != std::string::npos);
  CHECK(dialogs->Render("status.result",
                        {{"ticket", "ADU-1"}, {"status", "selesai"}}, "en")
            .text == "Status of ADU-1: selesai. Thank you.");
  CHECK(dialogs->Render("no.such.key", json::object(), "id").text ==
        "no.such.key");
  CHECK(dialogs->Render("common.yes", json::object(), "xx").text == "Ya");
}

TEST_CASE("Engine: an empty message or a stray button never crashes",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("");
  CHECK(chat.FirstKey() == "chatter.short");
  chat.Send("", "3510070001");  // a desa button from an old dialog
  CHECK_FALSE(chat.session().open());
  chat.Send("usul");
  chat.Send("");  // e.g. a photo with no caption
  CHECK(chat.FirstKey() == "usulan.ask_activity");
  CHECK(chat.session().node == "activity");
}

TEST_CASE("Engine: precedence is BERHENTI, BATAL, MENU, then flow keywords",
          "[dialogs]") {
  auto dialogs = Load();
  struct {
    const char* text;
    const char* effect;
    const char* key;
  } cases[] = {
      {"BERHENTI", "opt_out", ""},
      {"batal", "", "cancel.filed"},
      {"MENU", "", "menu.prompt"},
      {"bantuan", "", "menu.prompt"},
      {"ADU", "", "pengaduan.ask_what"},
      {"berhnti", "opt_out", ""},  // one typo
      {"stop", "opt_out", ""},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    Chat chat(*dialogs);
    chat.Send("usul");
    chat.Send("Sumur bor");
    chat.Send(c.text);
    CHECK(chat.EffectKind() == c.effect);
    CHECK(chat.FirstKey() == c.key);
  }
}

TEST_CASE("Engine: a yes that opens a conversation confirms and starts nothing",
          "[dialogs]") {
  auto dialogs = Load();
  for (const char* text : {"OKE, pinjaman 5 jt", "ya", "sip", "Y", "tidak"}) {
    INFO(text);
    Chat chat(*dialogs);
    chat.Send(text);
    CHECK(chat.last().effects.empty());
    CHECK_FALSE(chat.session().open());
    chat.Send("ya");
    CHECK(chat.last().effects.empty());
  }
}

TEST_CASE("Engine: status questions in many forms", "[dialogs]") {
  auto dialogs = Load();
  struct {
    const char* text;
    const char* ticket;
    int number;  // 0: none
  } cases[] = {
      {"STATUS ADU-12", "ADU-12", 0},   {"CEK 12", "", 12},
      {"gimana laporan saya", "", 0},   {"gmn laporan sy pak?", "", 0},
      {"cek status usl 3", "USL-3", 0}, {"#adu-7", "ADU-7", 0},
      {"status laporan ADU-9 pak", "ADU-9", 0},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    Chat chat(*dialogs);
    chat.Send(c.text);
    REQUIRE(chat.EffectKind() == "status_query");
    const Effect& e = chat.last().effects[0];
    const StatusQuery& query = std::get<StatusQuery>(e.value);
    CHECK(query.ticket == c.ticket);
    CHECK(query.number.has_value() == (c.number != 0));
    if (c.number != 0) CHECK(query.number == c.number);
    CHECK(e.reply_key == "status.result");
    CHECK_FALSE(chat.session().open());
  }
}

TEST_CASE("Engine: meeting schedule questions", "[dialogs]") {
  auto dialogs = Load();
  for (const char* text : {"JADWAL", "kapan rapat SPP?", "jadwal musyawarah",
                           "kpn musdes pak?", "jadwl"}) {
    INFO(text);
    Chat chat(*dialogs);
    chat.Send(text);
    REQUIRE(chat.EffectKind() == "list_meetings");
    CHECK(chat.last().effects[0].reply_key == "jadwal.list");
    CHECK(DataOf(chat.last().effects[0].value).empty());
  }
}

TEST_CASE("Engine: invitations are answered with HADIR or TIDAK",
          "[dialogs]") {
  auto dialogs = Load();
  struct {
    const char* text;
    bool pending;
    const char* answer;  // "": not an RSVP
    const char* reason;
  } cases[] = {
      {"HADIR", false, "hadir", ""},
      {"insyaallah datang", false, "hadir", ""},
      {"ya sy dtg", false, "hadir", ""},
      {"inggih rawuh", false, "hadir", ""},
      {"mboten saged", false, "tidak", ""},
      {"tidak bisa hadir, ada acara keluarga", false, "tidak",
       "ada acara keluarga"},
      {"TIDAK ada acara keluarga", true, "tidak", "ada acara keluarga"},
      {"ya", true, "hadir", ""},
      {"ya", false, "", ""},
      {"tidak", false, "", ""},
      // BATAL's "tidak jadi" gives way to a pending invitation.
      {"gk jadi pak", true, "tidak", ""},
      {"tidak jadi", true, "tidak", ""},
      {"tidak jadi", false, "", ""},
  };
  for (const auto& c : cases) {
    INFO(c.text << " pending=" << c.pending);
    Context context;
    context.now = kNow;
    context.rsvp_pending = c.pending;
    Input input;
    input.text = c.text;
    StepResult r = dialogs->Step(SessionState{}, input, context);
    if (std::string(c.answer).empty()) {
      CHECK(r.effects.empty());
      continue;
    }
    REQUIRE(r.effects.size() == 1);
    const Rsvp& rsvp = std::get<Rsvp>(r.effects[0].value);
    CHECK(rsvp.answer == c.answer);
    CHECK(rsvp.reason == c.reason);
    CHECK_FALSE(rsvp.choice.has_value());
    CHECK_FALSE(rsvp.all);
    CHECK(r.effects[0].reply_key == "rsvp.recorded");
  }
  SECTION("the number after rsvp.which comes back with the choice") {
    Chat chat(*dialogs);
    chat.Send("tidak bisa hadir, sakit");
    CHECK(chat.session().flow == "rsvp");
    chat.Send("2");
    REQUIRE(chat.EffectKind() == "rsvp");
    const Rsvp& rsvp = std::get<Rsvp>(chat.last().effects[0].value);
    CHECK(rsvp.choice == 2);
    CHECK(rsvp.answer == "tidak");
    CHECK(rsvp.reason == "sakit");
    CHECK_FALSE(chat.session().open());
  }
  SECTION("anything else after an answer is a new message") {
    Chat chat(*dialogs);
    chat.Send("HADIR");
    chat.Send("USUL sumur");
    CHECK(chat.session().flow == "usulan");
    CHECK(chat.EffectKind() == "create_case");
  }
}

TEST_CASE("Engine: groups, language and consent commands", "[dialogs]") {
  auto dialogs = Load();
  struct {
    const char* text;
    const char* effect;
    const char* key;
    const char* value;
  } cases[] = {
      {"GABUNG SPP01", "join_group", "group.joined", "SPP01"},
      {"gabung spp-02", "join_group", "group.joined", "SPP-02"},
      {"KELUAR SPP01", "leave_group", "group.left", "SPP01"},
      {"jangan kirim sms lagi", "opt_out", "optout.done", ""},
      {"UNREG", "opt_out", "optout.done", ""},
      {"MULAI", "opt_in", "optin.done", ""},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    Chat chat(*dialogs);
    chat.Send(c.text);
    REQUIRE(chat.EffectKind() == c.effect);
    CHECK(chat.last().effects[0].reply_key == c.key);
    if (std::string(c.value).size() > 0) {
      CHECK(DataOf(chat.last().effects[0].value)["code"] == c.value);
    }
  }
  SECTION("KELUAR inside a sentence is not leaving a group") {
    Chat chat(*dialogs);
    chat.Send("Keluar uang 5 juta tapi jalan belum jadi");
    CHECK(chat.EffectKind() != "leave_group");
  }
  SECTION("BAHASA answers in the new language at once") {
    Chat chat(*dialogs);
    chat.Send("BAHASA");
    CHECK(chat.last().replies[0].choices.size() == 3);
    chat.Send("2");
    REQUIRE(chat.EffectKind() == "set_language");
    CHECK(std::get<SetLanguage>(chat.last().effects[0].value).language == "en");
    CHECK(chat.last().effects[0].reply_key.empty());
    REQUIRE(chat.last().replies.size() == 1);
    CHECK(chat.last().replies[0].text.starts_with("Done"));
  }
}

TEST_CASE("Engine: staff and reopen commands only produce effects",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("BALAS ADU-12 Sudah kami cek, dana dikembalikan.");
  REQUIRE(chat.EffectKind() == "staff_reply");
  CHECK(chat.last().effects[0].value ==
        EffectValue(StaffReply{"ADU-12", "Sudah kami cek, dana dikembalikan."}));
  chat.Send("KASUS");
  CHECK(chat.EffectKind() == "staff_cases");
  chat.Send("BUKA adu 12");
  REQUIRE(chat.EffectKind() == "reopen_case");
  CHECK(chat.last().effects[0].value == EffectValue(ReopenCase{"ADU-12"}));
  chat.Send("kasus korupsi dana desa di dusun kami");
  CHECK(chat.session().flow == "pengaduan");
  CHECK(chat.last().effects.empty());
}

TEST_CASE("Engine: places are matched tolerantly, ambiguity is asked",
          "[dialogs]") {
  Options options = TestOptions();
  options.places.push_back({"3510070004", "Lemahbang Dewo", "3510070"});
  auto dialogs = Load(options);
  Chat chat(*dialogs);
  chat.Send("USUL sumur");
  chat.Send("lemahbang");
  CHECK(chat.session().node == "ask_desa");
  CHECK(chat.FirstKey() == "common.place_which");
  REQUIRE(chat.last().replies[0].choices.size() == 2);
  CHECK(chat.last().replies[0].text.find("1. Lemahbang Kulon\n2. Lemahbang Dewo") !=
        std::string::npos);
  chat.Send("2");
  CHECK(chat.session().vars["desa"] == "3510070004");
  for (const char* typo : {"Kaotn", "kaotan ", "KAOTAN", "desa kaotan"}) {
    INFO(typo);
    Chat t(*dialogs);
    t.Send("USUL sumur");
    t.Send(typo);
    CHECK(t.session().vars["desa"] == "3510070002");
  }
}

TEST_CASE("Engine: a location pin is accepted at the place questions",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs, "telegram");
  chat.Send("USUL sumur");
  Input pin;
  pin.location = Location{-8.25, 114.3};
  Context context;
  context.now = kNow + 10 * 60 * 1000;
  context.channel_type = "telegram";
  StepResult r = dialogs->Step(chat.session(), pin, context);
  CHECK(r.session.node == "ask_desa");
  CHECK(r.replies[0].key == "usulan.pin_desa");
  CHECK(r.session.vars["desa_lat"] == -8.25);
  CHECK(r.session.vars["desa_lon"] == 114.3);

  Chat adu(*dialogs, "whatsapp");
  adu.Send("ADU jalan rusak");
  REQUIRE(adu.session().node == "ask_where");
  r = dialogs->Step(adu.session(), pin, context);
  REQUIRE(r.effects.size() == 1);
  const UpdateCase& update = std::get<UpdateCase>(r.effects[0].value);
  CHECK(update.fields["where_lat"] == -8.25);
  CHECK(update.fields["where"] == "");
}

TEST_CASE("Engine: WhatsApp keeps up to ten choices, numbers longer lists",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs, "whatsapp");
  ToUsulanConfirm(chat);
  chat.Send("tidak");
  CHECK(chat.last().replies[0].choices.size() == 9);
  CHECK(chat.last().replies[0].text.find("\n1. ") == std::string::npos);
  Options many = TestOptions();
  for (int i = 0; i < 8; ++i) {
    many.places.push_back({"35100700" + std::to_string(10 + i),
                           "Desa " + std::to_string(i), "3510070"});
  }
  auto big = Load(many);
  Chat wa(*big, "whatsapp");
  wa.Send("USUL sumur");
  REQUIRE(wa.last().effects.size() == 1);
  CHECK(wa.last().effects[0].follow_up.choices.empty());
  CHECK(wa.last().effects[0].follow_up.text.find("\n11. Desa 7") != std::string::npos);
  Chat tg(*big, "telegram");
  tg.Send("USUL sumur");
  REQUIRE(tg.last().effects.size() == 1);
  CHECK(tg.last().effects[0].follow_up.choices.size() == 11);
}

TEST_CASE("Engine: every prompt fits two SMS segments in GSM-7", "[dialogs]") {
  // Replies that carry the person's own text (read-backs) may be longer;
  // everything else must fit 306 GSM-7 characters with its numbered menu.
  auto dialogs = Load();
  std::vector<std::vector<std::string>> conversations = {
      {"menu", "7", "5"},
      {"USUL", "x", "Gitik", "x", "x", "40", "x", "x", "lima", "5 jt", "x",
       "x", "9", "ya"},
      {"ADU", "x", "9", "3", "Gitik", "ba'da isya", "x", "x", "x", "ya"},
      {"BAHASA", "9"}, {"gabung"}, {"keluar"}, {"balas"}, {"buka"},
  };
  for (const char* language : {"id", "en", "jv"}) {
    for (const auto& conversation : conversations) {
      Chat chat(*dialogs);
      chat.set_language(language);
      for (const std::string& text : conversation) {
        chat.Send(text);
        for (const Reply& r : chat.last().replies) {
          INFO(language << " " << r.key << ": " << r.text);
          CHECK(IsGsm7Text(r.text));
          if (r.key != "usulan.confirm") {
            CHECK(r.text.size() <= 306);
          }
        }
      }
    }
  }
}

TEST_CASE("Engine: Entries lists every catalogue text", "[dialogs]") {
  auto dialogs = Load();
  std::vector<CatalogEntry> entries = dialogs->Entries();
  std::set<std::string> languages;
  bool found = false;
  for (const CatalogEntry& e : entries) {
    languages.insert(e.language);
    found = found || (e.language == "jv" && e.key == "usulan.ask_activity" &&
                      e.text.starts_with("Matur nuwun"));
  }
  CHECK(languages == std::set<std::string>{"en", "id", "jv"});
  CHECK(found);
  CHECK(entries.size() > 250);
}


// Answers to open questions (issue 14): each line of
// testdata/answers_<set>.jsonl puts a session at a question (or none), sends
// one or more messages and checks what was stored or happened. The held-out
// set was written before the engine was changed and is never tuned against;
// the tuning set holds the examples the unit tests grew from.
struct AnswerScore {
  size_t passed = 0;
  size_t total = 0;
  std::vector<std::string> failures;
};

Options ManyPlaces() {
  Options options;
  options.places = {{"3510070", "Rogojampi", ""}};
  const char* names[] = {"Gitik",     "Kaotan",     "Lemahbang Kulon",
                         "Sukamaju",  "Karangrejo", "Bubuk",
                         "Mangir",    "Kedaleman",  "Patoman",
                         "Aliyan",    "Cantuk",     "Gladag",
                         "Pengatigan", "Watukebo",  "Bomo"};
  int i = 1;
  for (const char* n : names) {
    char code[16];
    std::snprintf(code, sizeof code, "3510070%03d", i++);
    options.places.push_back({code, n, "3510070"});
  }
  return options;
}

bool AnswerCasePasses(const Dialogs& few, const Dialogs& many, const json& c,
                      std::string* why) {
  const Dialogs& dialogs = c.value("places", "") == "many" ? many : few;
  Context context;
  context.now = kNow;
  context.channel_type = c.value("channel", "sms");
  context.rsvp_pending = c.value("rsvp_pending", false);
  context.case_tickets = c.value("case_tickets", std::vector<std::string>{});
  StepResult last;
  if (c.contains("flow")) {
    last.session.flow = c["flow"];
    last.session.node = c["node"];
    last.session.vars = c.value("vars", json::object());
    last.session.updated_at = kNow;
    // Past its first question a proposal is filed: the caller keeps the
    // ticket (engine.h), so its read-back updates that case.
    if (c["flow"] == "usulan" && c["node"] != "activity") last.session.vars["_ticket"] = "USL-1";
  }
  for (const json& text : c["send"]) {
    context.now += 60 * 1000;
    Input input;
    input.text = text.get<std::string>();
    last = dialogs.Step(last.session, input, context);
    KeepFiledTicket(last);
  }
  const json& e = c["expect"];
  const SessionState& s = last.session;
  std::string replies;
  for (const Reply& r : last.replies) replies += r.key + ": " + r.text + " | ";
  for (const Effect& f : last.effects) {
    if (!f.follow_up.text.empty()) replies += f.follow_up.key + ": " + f.follow_up.text + " | ";
  }
  *why = "at " + s.flow + "/" + s.node + " vars " + s.vars.dump() +
         " replies " + replies + " effects";
  for (const Effect& f : last.effects) {
    *why += " " + std::string(KindName(f.value)) + DataOf(f.value).dump();
  }
  if (e.contains("node") && s.flow + "/" + s.node != e["node"]) return false;
  // "started": the flow is open, or it already filed its case.
  if (e.contains("started")) {
    bool started = s.flow == e["started"];
    for (const Effect& f : last.effects) {
      const auto* filed = std::get_if<CreateCase>(&f.value);
      started = started || (filed != nullptr && filed->flow == e["started"]);
    }
    if (!started) return false;
  }
  if (e.contains("reply_key")) {
    bool found = false;
    for (const Reply& r : last.replies) found = found || r.key == e["reply_key"];
    if (!found) return false;
  }
  const json vars = e.value("vars", json::object());
  const json absent = e.value("absent", json::array());
  const json effect_data = e.value("effect_data", json::object());
  for (const auto& [k, v] : vars.items()) {
    if (!s.vars.contains(k) || s.vars[k] != v) {
      // A question that ended its flow: the case's fields hold the answer.
      bool filed = false;
      for (const Effect& f : last.effects) {
        const json data = DataOf(f.value);
        if (data.contains(k) && data[k] == v) filed = true;
        if (data.contains("fields") && data["fields"].value(k, json()) == v) filed = true;
      }
      if (!filed) return false;
    }
  }
  for (const json& k : absent) {
    if (s.vars.contains(k.get<std::string>())) return false;
  }
  if (e.contains("effect")) {
    bool found = false;
    for (const Effect& f : last.effects) {
      if (KindName(f.value) != e["effect"].get<std::string>()) continue;
      const json data = DataOf(f.value);
      bool same = true;
      for (const auto& [k, v] : effect_data.items()) {
        same = same && data.contains(k) && data[k] == v;
      }
      found = found || same;
    }
    if (!found) return false;
  }
  if (e.contains("effects") && last.effects.size() != e["effects"].get<size_t>()) {
    return false;
  }
  if (e.contains("reply_has") &&
      replies.find(e["reply_has"].get<std::string>()) == std::string::npos) {
    return false;
  }
  return true;
}

AnswerScore ScoreAnswers(const std::string& set) {
  auto few = Load();
  auto many = Load(ManyPlaces());
  std::ifstream in(std::filesystem::path(SUARADESA_SOURCE_DIR) / "tests" /
                   "dialogs" / "testdata" / ("answers_" + set + ".jsonl"));
  REQUIRE(in.good());
  AnswerScore score;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json c = json::parse(line);
    std::string why;
    ++score.total;
    if (AnswerCasePasses(*few, *many, c, &why)) {
      ++score.passed;
    } else {
      score.failures.push_back(c["send"].dump() + " -> " + why);
    }
  }
  return score;
}

TEST_CASE("Engine: held-out answers are read as meant", "[dialogs][answers]") {
  AnswerScore score = ScoreAnswers("heldout");
  std::cout << "answers held-out: " << score.passed << "/" << score.total
            << "\n";
  for (const std::string& f : score.failures) std::cout << "  MISS " << f << "\n";
  REQUIRE(score.total >= 60);
  CHECK(score.passed * 100 >= score.total * kHeldOutAnswersPercent);
}

TEST_CASE("Engine: tuning answers are all read as meant", "[dialogs][answers]") {
  AnswerScore score = ScoreAnswers("tuning");
  for (const std::string& f : score.failures) std::cout << "  MISS " << f << "\n";
  CHECK(score.failures.empty());
}

// The second round (several figures in one answer, corrections at the
// read-back, all invitations at once, two intents in one message, known
// misses): answers_more_heldout.jsonl was written before the change.
TEST_CASE("Engine: second-round held-out answers are read as meant",
          "[dialogs][answers]") {
  AnswerScore score = ScoreAnswers("more_heldout");
  std::cout << "answers second-round held-out: " << score.passed << "/"
            << score.total << "\n";
  for (const std::string& f : score.failures) std::cout << "  MISS " << f << "\n";
  REQUIRE(score.total >= 50);
  CHECK(score.passed * 100 >= score.total * kHeldOutMoreAnswersPercent);
}

TEST_CASE("Engine: second-round tuning answers are all read as meant",
          "[dialogs][answers]") {
  AnswerScore score = ScoreAnswers("more_tuning");
  for (const std::string& f : score.failures) std::cout << "  MISS " << f << "\n";
  CHECK(score.failures.empty());
}

}  // namespace
}  // namespace suaradesa::dialogs
