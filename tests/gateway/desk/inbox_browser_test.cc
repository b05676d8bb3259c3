// End to end in a real browser: the real gateway (TestGateway) serves the web
// inbox, headless Chromium loads it through chromium-driver (WebDriver), and
// a facilitator signs in, opens a complaint, answers it and moves it on.
//
// The complaint's text is markup. The inbox must show it as text: no element
// is made from it, so nothing can run from it.
//
// Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and
// chromium-driver; ./dev.sh installs them). Without them the test fails and
// says so: a browser test that skips itself would hide a broken inbox.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/gateway/test_gateway.h"
#include "tests/support/web_must.h"
#include "tests/support/webdriver.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

const httplib::Headers kSigned = {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}};
constexpr const char* kMarkup = "<img src=x onerror=alert(1)>";
constexpr const char* kReply = "Terima kasih, sedang kami periksa";
constexpr int64_t kChat = 4242;
constexpr int64_t kMinuteMs = 60 * 1000;

struct Fixture : GatewayFixture {
  int64_t update = 700;

  // The resident (Telegram chat kChat) sends `update` (a JSON Telegram
  // update); returns the sendMessage bodies the gateway answered with.
  std::vector<json> Send(const std::string& update) {
    size_t before = telegram.requests_to("/sendMessage").size();
    // A resident types at a human pace; the outbox's per-recipient rate
    // limit sees the same.
    gw.clock().Advance(kMinuteMs);
    auto res = gw.Post("/webhook/tg", update, kSigned);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    gw.DrainOutbox();
    auto sends = telegram.requests_to("/sendMessage");
    std::vector<json> out;
    for (size_t i = before; i < sends.size(); ++i) out.push_back(json::parse(sends[i].body));
    return out;
  }
  std::vector<json> Say(const std::string& text) {
    return Send(TelegramTextUpdate(++update, kChat, text));
  }
  // Presses an inline keyboard button (its callback_data).
  std::vector<json> Press(const std::string& data) {
    json press = {
        {"update_id", ++update},
        {"callback_query",
         {{"id", "cbq-" + std::to_string(update)},
          {"from", {{"id", kChat}, {"is_bot", false}, {"first_name", "Siti"}}},
          {"chat_instance", "ci"},
          {"message", {{"message_id", update + 500}, {"chat", {{"id", kChat}, {"type", "private"}}},
                       {"date", 1795399200}, {"text", "?"}}},
          {"data", data}}}};
    return Send(press.dump());
  }

  // Texts the fake Telegram API received for the resident's chat.
  std::vector<std::string> SentToResident() {
    std::vector<std::string> out;
    for (const auto& r : telegram.requests_to("/sendMessage")) {
      json body = json::parse(r.body, nullptr, false);
      if (body.is_discarded() || body.value("chat_id", json()).dump() != std::to_string(kChat)) {
        continue;
      }
      out.push_back(body.value("text", ""));
    }
    return out;
  }
};

// Files a complaint whose "what happened" is kMarkup; returns its ticket.
//
// The complaint flow grows while the product does, so after the first two
// messages this answers whatever it is asked the way a resident would: the
// first button when there are buttons (category, privacy, yes), a village
// for "where", a day for "when", and "ya" for anything else.
std::string FileComplaint(Fixture& f) {
  std::string transcript;
  auto note = [&](const std::string& said, const std::vector<json>& replies) {
    transcript += "> " + said + "\n";
    for (const auto& r : replies) transcript += "< " + r.value("text", "") + "\n";
    return replies;
  };
  note("ADUAN", f.Say("ADUAN"));
  std::vector<json> replies = note(kMarkup, f.Say(kMarkup));
  for (int turn = 0; turn < 16 && !replies.empty(); ++turn) {
    const json& last = replies.back();
    const std::string text = last.value("text", "");
    auto at = text.find("ADU-");
    if (at != std::string::npos) {
      size_t end = at + 4;
      while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
      return text.substr(at, end - at);
    }
    json buttons = last.contains("reply_markup")
                       ? last["reply_markup"].value("inline_keyboard", json::array())
                       : json::array();
    if (!buttons.empty() && buttons[0].is_array() && !buttons[0].empty()) {
      const json& first = buttons[0][0];
      replies = note("[" + first.value("text", "") + "]",
                     f.Press(first.value("callback_data", "")));
    } else if (text.find("Di mana") != std::string::npos) {
      replies = note("Kaotan", f.Say("Kaotan"));
    } else if (text.find("Kapan") != std::string::npos ||
               text.find("tanggal") != std::string::npos) {
      replies = note("kemarin jam 7 malam", f.Say("kemarin jam 7 malam"));
    } else {
      replies = note("ya", f.Say("ya"));
    }
  }
  FAIL("the complaint flow never answered with an ADU- ticket:\n"
       << transcript << "gateway log:\n" << f.gw.logs());
  return "";
}

// A JavaScript string literal for `s` (JSON's quoting is valid JavaScript).
std::string Js(const std::string& s) { return json(s).dump(); }

// Fails the test, naming what is missing, unless the browser is installed.
void RequireBrowser() {
  for (const char* binary : {"/usr/bin/chromium", "/usr/bin/chromedriver"}) {
    if (access(binary, X_OK) != 0) {
      FAIL(binary << " is missing: the browser test needs Debian's chromium and "
                     "chromium-driver (./dev.sh installs them: apt-get install chromium "
                     "chromium-driver)");
    }
  }
}

std::unique_ptr<WebDriver> StartBrowser() {
  WebDriverOptions options;
  options.width = 1280;
  options.height = 1400;
  auto started = WebDriver::Start(options);
  if (!started) FAIL("cannot start the browser: " << started.error());
  return std::move(*started);
}

// Opens the inbox and waits for the sign-in form.
void OpenInbox(WebDriver& web, const std::string& base_url) {
  MustWeb(web.Navigate(base_url + "/inbox/"), "open the inbox");
  MustWeb(web.WaitFor("document.body.getAttribute('data-ready') === '1'"), "the page starts");
  MustWeb(web.WaitFor("!document.getElementById('signin').hidden"), "the sign-in form shows");
}

void SignIn(WebDriver& web, const std::string& token) {
  std::string field = MustWeb(web.Find("#token"), "token field");
  MustWeb(web.Clear(field), "clear the token field");
  MustWeb(web.SendKeys(field, token), "type the token");
  MustWeb(web.Click(MustWeb(web.Find("#signin-submit"), "sign-in button")), "sign in");
}

TEST_CASE("Inbox: a facilitator answers a complaint whose text is markup, shown as text",
          "[browser]") {
  RequireBrowser();

  Fixture f;
  const std::string ticket = FileComplaint(f);
  REQUIRE(ticket.rfind("ADU-", 0) == 0);
  const std::string token = f.gw.CreateToken("Sari", "admin", {});
  REQUIRE_FALSE(token.empty());

  // The page runs under the strict policy, so everything below happens
  // with inline script, inline style and eval forbidden.
  auto page = f.gw.Get("/inbox/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Security-Policy").find("script-src 'self'") !=
        std::string::npos);

  auto browser = StartBrowser();
  WebDriver& web = *browser;

  // Sign in.
  OpenInbox(web, f.gw.base_url());
  // Every text came from /inbox/strings.json: no key shows as itself.
  CHECK(MustWeb(web.Execute("return document.body.textContent.indexOf('inbox.') < 0;"),
             "look for raw keys") == json(true));
  SignIn(web, token);

  // The case list shows the complaint, its summary as text.
  const std::string item = "#case-list li[data-ticket=" + Js(ticket) + "]";
  MustWeb(web.WaitFor("document.querySelector(" + Js(item) + ")"), "the case shows in the list");
  CHECK(MustWeb(web.Execute("return sessionStorage.getItem('suaradesa.token') === arguments[0];",
                         json::array({token})),
             "token kept for the tab") == json(true));
  std::string listed = MustWeb(web.Text(MustWeb(web.Find(item), "list item")), "list item text");
  CHECK(listed.find(ticket) != std::string::npos);
  CHECK(listed.find(kMarkup) != std::string::npos);

  // The free-text filter narrows the list, and clearing it brings the case back.
  std::string q = MustWeb(web.Find("#f-q"), "search field");
  MustWeb(web.SendKeys(q, "tidak-ada-kasus-seperti-ini"), "type a search");
  MustWeb(web.Click(MustWeb(web.Find("#f-apply"), "search button")), "search");
  MustWeb(web.WaitFor("!document.getElementById('list-empty').hidden && "
                   "!document.querySelector('#case-list li')"),
       "nothing matches");
  MustWeb(web.Clear(q), "clear the search");
  MustWeb(web.Click(MustWeb(web.Find("#f-apply"), "search button")), "search again");
  MustWeb(web.WaitFor("document.querySelector(" + Js(item) + ")"), "the case is back");

  // Open it: the description is literal text, and no element came of it.
  MustWeb(web.Click(MustWeb(web.Find(item + " a"), "case link")), "open the case");
  MustWeb(web.WaitFor("document.getElementById('case-view').getAttribute('data-ticket') === " +
                   Js(ticket)),
       "the case opens");
  CHECK(MustWeb(web.Execute("return document.getElementById('case-view').textContent"
                         ".indexOf(arguments[0]) >= 0;",
                         json::array({kMarkup})),
             "markup shown as text") == json(true));
  CHECK(MustWeb(web.Execute("return document.getElementById('case-fields').textContent"
                         ".indexOf(arguments[0]) >= 0;",
                         json::array({kMarkup})),
             "the 'what happened' field shows it") == json(true));
  CHECK(MustWeb(web.Execute("return document.querySelectorAll('#case-view img').length;"),
             "images in the case") == json(0));
  CHECK(MustWeb(web.Execute("return document.querySelectorAll('img').length;"),
             "images in the page") == json(0));
  // The reporter is a pseudonym: neither the Telegram chat id nor the
  // resident's name reaches the page.
  for (const std::string& identity : {std::to_string(kChat), std::string("Siti")}) {
    INFO(identity);
    CHECK(MustWeb(web.Execute("return document.body.textContent.indexOf(arguments[0]) < 0;",
                           json::array({identity})),
               "no identity") == json(true));
  }

  // Reply: the resident gets it on Telegram once the outbox runs.
  MustWeb(web.SendKeys(MustWeb(web.Find("#reply-text"), "reply box"), kReply), "type the reply");
  MustWeb(web.Click(MustWeb(web.Find("#reply-send"), "send button")), "send the reply");
  MustWeb(web.WaitFor("document.getElementById('reply-text').value === '' && "
                   "(document.getElementById('case-messages').textContent + "
                   "document.getElementById('case-events').textContent).indexOf(" + Js(kReply) +
                   ") >= 0"),
       "the reply shows in the case");
  f.gw.clock().Advance(kMinuteMs);
  f.gw.DrainOutbox();
  {
    auto sent = f.SentToResident();
    bool delivered = std::any_of(sent.begin(), sent.end(), [](const std::string& text) {
      return text.find(kReply) != std::string::npos;
    });
    INFO("sent to the resident: " << json(sent).dump(1) << "\ngateway log:\n" << f.gw.logs());
    CHECK(delivered);
  }

  // Change the status; the case shows it, and its history has the change.
  MustWeb(web.WaitFor("document.querySelector('#status-select option[value=\"diverifikasi\"]')"),
       "diverifikasi is offered");
  MustWeb(web.Execute("var s = document.getElementById('status-select');"
                   "s.value = 'diverifikasi';"
                   "s.dispatchEvent(new Event('change', {bubbles: true}));"),
       "choose diverifikasi");
  const json events_before =
      MustWeb(web.Execute("return document.querySelectorAll('#case-events li[data-kind]').length;"),
           "count events");
  MustWeb(web.SendKeys(MustWeb(web.Find("#status-note"), "note field"), "Sudah dicek ke lokasi"),
       "type the note");
  MustWeb(web.Click(MustWeb(web.Find("#status-save"), "save status")), "save the status");
  MustWeb(web.WaitFor("document.getElementById('case-status').getAttribute('data-status') === "
                   "'diverifikasi'"),
       "the case shows its new status");
  MustWeb(web.WaitFor("document.querySelectorAll('#case-events li[data-kind]').length > " +
                   events_before.dump()),
       "the history has the change");
  std::string status_text = MustWeb(web.Text(MustWeb(web.Find("#case-status"), "status")), "status");
  CHECK(status_text.find("iverifikasi") != std::string::npos);
  MustWeb(web.WaitFor("document.querySelector(" + Js(item + " [data-status=\"diverifikasi\"]") +
                   ")"),
       "the list shows the new status");

  // Still nothing made of the resident's text, and the page broke no CSP rule.
  CHECK(MustWeb(web.Execute("return document.querySelectorAll('img').length;"), "images") ==
        json(0));
  auto console = MustWeb(web.ConsoleLog(), "browser console");
  for (const std::string& line : console) {
    INFO(line);
    CHECK(line.find("Content Security Policy") == std::string::npos);
    CHECK(line.find("Uncaught") == std::string::npos);
  }

  // Screenshots kept as test artefacts, in artifacts/ beside the test binary
  // (the build directory), whatever the working directory is.
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::filesystem::path artifacts = (ec ? std::filesystem::current_path() : exe.parent_path()) /
                                    "artifacts";
  std::filesystem::create_directories(artifacts);
  const std::string shot = (artifacts / "inbox.png").string();
  const std::string phone_shot = (artifacts / "inbox-phone.png").string();
  MustWeb(web.Execute("window.scrollTo(0, 0);"), "scroll to the top");
  MustWeb(web.SaveScreenshot(shot), "screenshot");
  CHECK(std::filesystem::file_size(shot) > 1000);
  MustWeb(web.EmulateViewport(360, 740, true), "phone viewport");
  MustWeb(web.Execute("window.scrollTo(0, 0);"), "scroll to the top");
  MustWeb(web.SaveScreenshot(phone_shot), "phone screenshot");
  WARN("screenshots: " << shot << " and " << phone_shot);
}

TEST_CASE("Inbox: a wrong token keeps the sign-in form and signing out forgets it",
          "[browser]") {
  RequireBrowser();
  Fixture f;
  const std::string token = f.gw.CreateToken("Sari", "fasilitator", {"3510070"});
  auto browser = StartBrowser();
  WebDriver& web = *browser;
  OpenInbox(web, f.gw.base_url());

  SignIn(web, "sd_not-a-token");
  MustWeb(web.WaitFor("!document.getElementById('notice').hidden && "
                   "document.getElementById('notice-text').textContent.length > 0"),
       "the wrong token is refused with a message");
  CHECK(MustWeb(web.Execute("return !document.getElementById('signin').hidden && "
                         "document.getElementById('desk').hidden && "
                         "sessionStorage.getItem('suaradesa.token') === null;"),
             "still signed out") == json(true));

  SignIn(web, token);
  MustWeb(web.WaitFor("!document.getElementById('desk').hidden && "
                   "document.getElementById('case-list').getAttribute('aria-busy') === null"),
       "signed in");
  CHECK(MustWeb(web.Text(MustWeb(web.Find("#who-name"), "who")), "who").find("Sari") !=
        std::string::npos);
  MustWeb(web.WaitFor("!document.getElementById('list-empty').hidden"), "no cases yet");

  MustWeb(web.Click(MustWeb(web.Find("#signout"), "sign-out button")), "sign out");
  MustWeb(web.WaitFor("!document.getElementById('signin').hidden && "
                   "sessionStorage.getItem('suaradesa.token') === null"),
       "signed out, token forgotten");
}

}  // namespace
}  // namespace suaradesa::testing
