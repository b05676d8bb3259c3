// Engine behaviour, one rule per test, against the embedded flows.
#include "dialogs/engine.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace suaradesa::dialogs {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1780000000000;

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
    return last_.effects.empty() ? "" : last_.effects.front().kind;
  }

 private:
  const Dialogs& dialogs_;
  Context context_;
  StepResult last_;
};

TEST_CASE("Engine: a message with no open flow gets the menu", "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  chat.Send("Assalamualaikum pak");
  CHECK(chat.FirstKey() == "menu.prompt");
  CHECK(chat.session().flow == "menu");
  CHECK(chat.last().replies[0].choices.size() == 4);
  CHECK(chat.last().effects.empty());
}

TEST_CASE("Engine: a yes with no open flow confirms nothing", "[dialogs]") {
  auto dialogs = Load();
  for (const char* text : {"ya", "OKE", "1", "iya betul"}) {
    INFO(text);
    Chat chat(*dialogs);
    chat.Send(text);
    CHECK(chat.last().effects.empty());
    CHECK(chat.FirstKey() == "menu.prompt");
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
      {"4", "", "", "", "menu.help"},
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
  CHECK(chat.last().replies[0].choices.size() == 4);
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
  CHECK(chat.session().node == "desa");
  CHECK(chat.session().vars["activity"] == "jembatan gantung");
  CHECK(chat.FirstKey() == "usulan.ask_desa");

  Chat status(*dialogs);
  status.Send("STATUS adu 45");
  REQUIRE(status.last().effects.size() == 1);
  CHECK(status.last().effects[0].data["ticket"] == "ADU-45");
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
  CHECK(chat.FirstKey() == "cancel.done");
  CHECK_FALSE(chat.session().open());
  CHECK(chat.session().vars.empty());
  chat.Send("BATAL");
  CHECK(chat.FirstKey() == "cancel.nothing");
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
  CHECK(chat.last().effects.empty());
  CHECK(chat.session().node == "where");
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
  REQUIRE(chat.session().node == "desa");
  chat.Advance(options.session_ttl_ms);
  chat.Send("Gitik");  // a minute past the TTL
  CHECK(chat.session().flow == "menu");
  CHECK(chat.FirstKey() == "menu.prompt");
  CHECK_FALSE(chat.session().vars.contains("activity"));

  Chat fresh(*dialogs);
  fresh.Send("usul");
  fresh.Send("Sumur bor");
  fresh.Advance(options.session_ttl_ms - 2 * 60 * 1000);
  fresh.Send("Gitik");  // just inside the TTL
  CHECK(fresh.session().node == "location");
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
  CHECK(result.session.flow == "menu");
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
  REQUIRE(a.replies.size() == b.replies.size());
  CHECK(a.replies[0].text == b.replies[0].text);
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
    CHECK(chat.session().node == "location");
    CHECK(chat.session().vars["desa"] == c.code);
  }
  SECTION("an unknown desa or number is asked again") {
    for (const char* text : {"Jakarta", "4", "Rogojampi"}) {
      INFO(text);
      Chat chat(*dialogs);
      chat.Send("USUL sumur");
      chat.Send(text);
      CHECK(chat.session().node == "desa");
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
  CHECK(chat.last().replies[0].choices.empty());
  chat.Send("Sukamaju");
  CHECK(chat.session().node == "location");
  CHECK(chat.session().vars["desa_name"] == "Sukamaju");
  CHECK(chat.session().vars["desa"] == "");
}

TEST_CASE("Engine: an unreadable cost is asked again with a hint",
          "[dialogs]") {
  auto dialogs = Load();
  Chat chat(*dialogs);
  for (const char* text : {"USUL sumur", "1", "RT 1", "30 KK"}) chat.Send(text);
  REQUIRE(chat.session().node == "cost");
  for (const char* bad : {"mahal", "5", "5-10 jt"}) {
    INFO(bad);
    chat.Send(bad);
    CHECK(chat.session().node == "cost");
    CHECK(chat.FirstKey() == "usulan.retry_cost");
  }
  chat.Send("500rb");
  CHECK(chat.session().node == "swadaya");
  CHECK(chat.session().vars["cost"] == 500000);
  CHECK(chat.session().vars["cost_text"] == "Rp500.000");
}

// Runs the usulan flow to its confirm question.
void ToUsulanConfirm(Chat& chat) {
  for (const char* text :
       {"USUL Perbaikan jalan", "Gitik", "RT 1", "30 KK", "5 jt", "tenaga"}) {
    chat.Send(text);
  }
  REQUIRE(chat.session().node == "confirm");
}

TEST_CASE("Engine: confirming an usulan creates the case", "[dialogs]") {
  auto dialogs = Load();
  for (const char* yes : {"ya", "Y", "iya", "ok", "oke", "betul", "benar",
                          "inggih", "nggih", "1"}) {
    INFO(yes);
    Chat chat(*dialogs);
    ToUsulanConfirm(chat);
    chat.Send(yes);
    REQUIRE(chat.last().effects.size() == 1);
    const Effect& e = chat.last().effects[0];
    CHECK(e.kind == "create_case");
    CHECK(e.reply_key == "usulan.done");
    CHECK(e.data["type"] == "usulan");
    CHECK(e.data["summary"] == "Perbaikan jalan - Gitik");
    CHECK(e.data["desa"] == "3510070001");
    CHECK(e.data["confidential"] == false);
    CHECK(e.data["fields"]["cost"] == 5000000);
    CHECK(e.data["fields"]["activity"] == "Perbaikan jalan");
    CHECK_FALSE(chat.session().open());
    CHECK(chat.last().replies.empty());
  }
}

TEST_CASE("Engine: no at the confirm starts the usulan again", "[dialogs]") {
  auto dialogs = Load();
  for (const char* no : {"tidak", "tdk", "gak", "ga", "gk", "nggak", "ndak",
                         "mboten", "salah", "2"}) {
    INFO(no);
    Chat chat(*dialogs);
    ToUsulanConfirm(chat);
    chat.Send(no);
    CHECK(chat.last().effects.empty());
    CHECK(chat.session().node == "activity");
    REQUIRE(chat.last().replies.size() == 2);
    CHECK(chat.last().replies[0].key == "usulan.restart");
    CHECK(chat.last().replies[1].key == "usulan.ask_activity");
  }
  SECTION("an unclear answer asks again") {
    Chat chat(*dialogs);
    ToUsulanConfirm(chat);
    chat.Send("hmm nanti dulu");
    CHECK(chat.session().node == "confirm");
    CHECK(chat.FirstKey() == "usulan.confirm_retry");
  }
}

TEST_CASE("Engine: a complaint is confidential unless the person clearly says no",
          "[dialogs]") {
  auto dialogs = Load();
  struct {
    const char* answer;
    bool confidential;
  } cases[] = {
      {"ya", true},        {"terserah", true}, {"rahasiakan", true},
      {"tidak", false},    {"2", false},       {"gak usah", false},
  };
  for (const auto& c : cases) {
    INFO(c.answer);
    Chat chat(*dialogs);
    for (const char* text : {"ADU dana dipotong", "pasar", "kemarin"}) {
      chat.Send(text);
    }
    REQUIRE(chat.session().node == "confidential");
    chat.Send(c.answer);
    REQUIRE(chat.session().node == "confirm");
    chat.Send("ya");
    REQUIRE(chat.last().effects.size() == 1);
    const Effect& e = chat.last().effects[0];
    CHECK(e.data["type"] == "pengaduan");
    CHECK(e.data["confidential"] == c.confidential);
    CHECK(e.data["desa"] == "");
    CHECK(e.data["summary"] == "dana dipotong - pasar");
    CHECK(e.reply_key == "pengaduan.done");
  }
}

TEST_CASE("Engine: SMS lists choices as numbered lines, Telegram as buttons",
          "[dialogs]") {
  auto dialogs = Load();
  Chat sms(*dialogs, "sms");
  sms.Send("menu");
  const Reply& r = sms.last().replies[0];
  CHECK(r.text.find("\n1. ") != std::string::npos);
  CHECK(r.text.find("\n4. ") != std::string::npos);
  for (const char* channel : {"telegram", "whatsapp"}) {
    INFO(channel);
    Chat chat(*dialogs, channel);
    chat.Send("menu");
    const Reply& t = chat.last().replies[0];
    CHECK(t.text.find("\n1. ") == std::string::npos);
    REQUIRE(t.choices.size() == 4);
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
  chat.Send("Yes");  // text for "what happened"
  chat.Send("Gitik");
  chat.Send("kemarin");
  chat.Send("Yes");
  CHECK(chat.session().vars["confidential"] == true);
  CHECK(chat.last().replies[0].text.find("Identity confidential: Yes") !=
        std::string::npos);
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
  CHECK(chat.FirstKey() == "menu.prompt");
  chat.Send("", "3510070001");  // a desa button from an old dialog
  CHECK(chat.session().flow == "menu");
  chat.Send("usul");
  chat.Send("");  // e.g. a photo with no caption
  CHECK(chat.FirstKey() == "usulan.ask_activity");
  CHECK(chat.session().node == "activity");
}

}  // namespace
}  // namespace suaradesa::dialogs
