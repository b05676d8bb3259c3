// End to end (issue 15): one person is one contact whichever SMS route they
// write by, phone numbers are kept in E.164, and a failed delivery's code
// reaches the desk and changes the contact as the table says. The real
// gateway with an Android SMS gateway channel "hp" and a Twilio channel
// "sms", each against a fake platform on 127.0.0.1.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gateway/channels/twilio/twilio.h"
#include "gateway/cli/cli.h"
#include "tests/gateway/channels_e2e.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr char kLocal[] = "081234567001";    // as the Android gateway gives it
constexpr char kE164[] = "+6281234567001";   // as Twilio gives it
constexpr char kTwilioUrl[] = "https://desa.example.org/webhook/sms";

struct TwoRoutes {
  TempDir dir;
  FakePlatform telegram;
  FakePlatform phone;
  FakePlatform twilio;
  std::string db = dir.File("routes.db");
  TestGateway gw{[this] {
    Config cfg = TestConfig(db, telegram.base_url(), telegram.base_url() + "/out");
    AddAndroidSms(cfg, phone.base_url());
    AddTwilio(cfg, twilio.base_url());
    return cfg;
  }()};
  int next = 0;

  TwoRoutes() {
    phone.SetHandler(Numbered([](int n) {
      FakeResponse r;
      r.status = 202;
      r.body = json{{"id", "out-" + std::to_string(n)}, {"state", "Pending"}}.dump();
      return r;
    }));
    twilio.SetHandler(Numbered([](int n) {
      FakeResponse r;
      r.status = 201;
      r.body = json{{"sid", "SMOUT" + std::to_string(n)}, {"status", "queued"}}.dump();
      return r;
    }));
  }

  int PostPhone(const json& envelope) {
    const std::string body = envelope.dump();
    const std::string ts = std::to_string(gw.clock().NowMillis() / 1000);
    auto res = gw.Post("/webhook/hp", body,
                       {{"X-Signature", channels::HmacSha256Hex(kPhoneKey, body + ts)},
                        {"X-Timestamp", ts}});
    REQUIRE(res);
    return res->status;
  }

  int ByPhone(const std::string& from, const std::string& text) {
    const std::string id = "ev" + std::to_string(++next);
    return PostPhone({{"deviceId", "ffffffffceb0b1db"}, {"event", "sms:received"}, {"id", id},
                      {"payload", {{"messageId", "h"}, {"message", text}, {"sender", from},
                                   {"recipient", nullptr}, {"simNumber", 1},
                                   {"receivedAt", "2026-11-23T09:00:00.000+07:00"}}},
                      {"webhookId", "suaradesa-hp-sms:received"}});
  }

  int PostTwilio(std::vector<std::pair<std::string, std::string>> params) {
    const std::string body = channels::EncodeForm(params);
    std::sort(params.begin(), params.end());
    std::string data = kTwilioUrl;
    for (const auto& [k, v] : params) data += k + v;
    auto res = gw.Post("/webhook/sms", body,
                       {{"X-Twilio-Signature", channels::HmacSha1Base64(kTwilioToken, data)}},
                       "application/x-www-form-urlencoded");
    REQUIRE(res);
    return res->status;
  }

  int ByTwilio(const std::string& from, const std::string& text) {
    const std::string sid = "SM" + std::to_string(5000 + ++next);
    return PostTwilio({{"MessageSid", sid}, {"AccountSid", kTwilioSid}, {"From", from},
                       {"To", kTwilioFrom}, {"Body", text}, {"NumMedia", "0"},
                       {"SmsStatus", "received"}, {"ApiVersion", "2010-04-01"}});
  }

  int TwilioStatus(const std::string& sid, const std::string& status, const std::string& code) {
    return PostTwilio({{"MessageSid", sid}, {"AccountSid", kTwilioSid}, {"From", kTwilioFrom},
                       {"To", kE164}, {"MessageStatus", status}, {"ErrorCode", code},
                       {"ApiVersion", "2010-04-01"}});
  }

  // (to, text) of each SMS sent through the phone and through Twilio.
  std::vector<std::pair<std::string, std::string>> ByPhoneSent() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : phone.requests_to("/message")) {
      const json b = json::parse(r.body);
      out.emplace_back(b["phoneNumbers"][0], b["textMessage"]["text"]);
    }
    return out;
  }
  std::vector<std::pair<std::string, std::string>> ByTwilioSent() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : twilio.requests_to("/Messages.json")) {
      std::string to, body;
      for (const auto& [k, v] : channels::ParseForm(r.body)) {
        if (k == "To") to = v;
        if (k == "Body") body = v;
      }
      out.emplace_back(to, body);
    }
    return out;
  }

  storage::Contact ContactOf(const std::string& channel, const std::string& address) {
    storage::Contact out;
    auto s = gw.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
      auto c = tx.FindOrCreateContact({channel, address, "", {}, ""}, 0);
      if (!c) return std::unexpected(c.error());
      out = *c;
      return {};
    });
    REQUIRE(s.has_value());
    return out;
  }

  std::vector<storage::Address> AddressesOf(int64_t contact) {
    std::vector<storage::Address> out;
    auto s = gw.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
      auto a = tx.AddressesOf(contact);
      if (!a) return std::unexpected(a.error());
      out = *a;
      return {};
    });
    REQUIRE(s.has_value());
    return out;
  }
};

// Continues the complaint through Twilio until a reply holds its ticket.
std::string FileByTwilio(TwoRoutes& f) {
  for (const char* answer : {"Dana BLM dipotong oleh oknum", "Gitik", "kemarin", "-", "3", "1",
                             "ya", "ya", "ya", "ya"}) {
    REQUIRE(f.ByTwilio(kE164, answer) == 200);
    f.gw.DrainOutbox();
    for (const auto& [to, text] : f.ByTwilioSent()) {
      const auto pos = text.find("ADU-");
      if (pos != std::string::npos) return text.substr(pos, 5);
    }
  }
  return "";
}

TEST_CASE("Contacts e2e: a complaint begun on the Android gateway goes on by Twilio as one contact",
          "[e2e][contacts]") {
  TwoRoutes f;
  REQUIRE(f.ByPhone(kLocal, "ADUAN") == 200);
  f.gw.DrainOutbox();
  const auto first = f.ByPhoneSent();
  REQUIRE(first.size() == 1);
  // The reply went back by the phone it came by, to the number in E.164.
  CHECK(first[0].first == kE164);

  const std::string ticket = FileByTwilio(f);
  INFO("twilio replies: " << json(f.ByTwilioSent()).dump());
  CHECK(ticket == "ADU-1");
  // Every later reply went by Twilio, the route the person moved to.
  CHECK(f.ByPhoneSent().size() == 1);
  for (const auto& [to, text] : f.ByTwilioSent()) CHECK(to == kE164);

  // One contact, reached at one E.164 number on both routes.
  const storage::Contact c = f.ContactOf("hp", kE164);
  CHECK(f.ContactOf("sms", kE164).id == c.id);
  const auto addresses = f.AddressesOf(c.id);
  REQUIRE(addresses.size() == 2);
  for (const auto& a : addresses) CHECK(a.address == kE164);
}

TEST_CASE("Contacts e2e: a failed delivery's code reaches the desk, one log line, and the contact",
          "[e2e][contacts]") {
  TwoRoutes f;
  REQUIRE(f.ByPhone(kLocal, "ADUAN") == 200);
  f.gw.DrainOutbox();
  const std::string ticket = FileByTwilio(f);
  REQUIRE(ticket == "ADU-1");
  const auto sent = f.twilio.requests_to("/Messages.json");
  REQUIRE_FALSE(sent.empty());
  const std::string last_sid = "SMOUT" + std::to_string(sent.size());

  // Twilio: the handset is unreachable.
  CHECK(f.TwilioStatus(last_sid, "undelivered", "30003") == 200);
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});
  auto detail = f.gw.GetAuthed("/api/v1/cases/" + ticket, admin);
  REQUIRE(detail);
  REQUIRE(detail->status == 200);
  const json body = json::parse(detail->body);
  int failed = 0;
  for (const auto& m : body["messages"]) {
    if (m.value("error_code", "") == "30003") {
      ++failed;
      CHECK(m["status"] == "failed");
    }
  }
  CHECK(failed == 1);
  // One log line: channel, provider id, code, class; never the number.
  const std::string logs = f.gw.logs();
  CHECK(logs.find("delivery failed channel=sms provider_id=" + last_sid +
                  " status=failed code=30003") != std::string::npos);
  CHECK(logs.find("class=unreachable") != std::string::npos);
  CHECK(logs.find(kE164) == std::string::npos);
  // The Twilio address is unreachable; the phone route is not.
  const storage::Contact c = f.ContactOf("hp", kE164);
  for (const auto& a : f.AddressesOf(c.id)) CHECK(a.unreachable == (a.channel_id == "sms"));
  CHECK_FALSE(c.opted_out);

  // They write again by Twilio: reachable again. Then STOP at Twilio
  // (21610) on the answer: opted out of broadcasts, as after BERHENTI.
  REQUIRE(f.ByTwilio(kE164, "STATUS " + ticket) == 200);
  f.gw.DrainOutbox();
  for (const auto& a : f.AddressesOf(c.id)) CHECK_FALSE(a.unreachable);
  const std::string answer_sid =
      "SMOUT" + std::to_string(f.twilio.requests_to("/Messages.json").size());
  CHECK(f.TwilioStatus(answer_sid, "undelivered", "21610") == 200);
  CHECK(f.ContactOf("sms", kE164).opted_out);
  CHECK(f.gw.logs().find("code=21610") != std::string::npos);
  CHECK(f.gw.logs().find("class=opted_out_platform") != std::string::npos);
  // A retried callback changes nothing more and is not an error.
  CHECK(f.TwilioStatus(answer_sid, "undelivered", "21610") == 200);
}

TEST_CASE("Contacts e2e: Twilio refusing a send with 21610 opts the person out, as the same code "
          "in a status does", "[e2e][contacts]") {
  TwoRoutes f;
  REQUIRE(f.ByTwilio(kE164, "MENU") == 200);
  // Twilio answers the send itself: the number sent STOP to our sender.
  f.twilio.SetHandler([](const RecordedRequest&) {
    FakeResponse r;
    r.status = 400;
    r.body = json{{"code", 21610}, {"message", "Attempt to send to unsubscribed recipient"},
                  {"status", 400}}
                 .dump();
    return r;
  });
  f.gw.DrainOutbox();
  CHECK(f.ContactOf("sms", kE164).opted_out);
  CHECK(f.gw.logs().find("refused with code 21610") != std::string::npos);
  CHECK(f.gw.logs().find(kE164) == std::string::npos);
}

TEST_CASE("Contacts e2e: a WhatsApp username's BSUID, the number given later and a number change "
          "are one contact", "[e2e][contacts]") {
  TwoRoutes f;
  const ChannelInfo wa{"wa", "whatsapp", false};
  static constexpr char kBsuid[] = "ID.1502576394655843";
  const auto message = [](const std::string& id, const std::string& address) {
    channels::InboundEvent ev;
    ev.provider_id = id;
    ev.address = address;
    ev.text = "MENU";
    ev.user_id = kBsuid;
    return ev;
  };
  channels::InboundBatch first;
  first.messages.push_back(message("wamid.1", kBsuid));
  auto r1 = f.gw.app().inbound().HandleBatch(wa, first);
  REQUIRE(r1.has_value());
  CHECK(r1->processed == 1);
  const storage::Contact by_id = f.ContactOf("wa", kBsuid);

  // The number appears beside the BSUID: the same contact, answered at the number.
  channels::InboundBatch both;
  both.messages.push_back(message("wamid.2", "6281234567001"));
  auto r2 = f.gw.app().inbound().HandleBatch(wa, both);
  REQUIRE(r2.has_value());
  REQUIRE(r2->processed == 1);
  CHECK(f.ContactOf("wa", "6281234567001").id == by_id.id);
  auto outbox = f.gw.app().store().ListOutbox();
  REQUIRE(outbox.has_value());
  REQUIRE_FALSE(outbox->empty());
  CHECK(outbox->back().address == "6281234567001");
  CHECK(outbox->back().contact_id == by_id.id);

  // Meta's user_changed_number, delivered twice (a retry), in a batch of its own.
  channels::InboundBatch change;
  channels::AddressChange moved;
  moved.provider_id = "wamid.SYS1";
  moved.old_address = "6281234567001";
  moved.new_address = "6281234567009";
  change.address_changes.push_back(moved);
  auto r3 = f.gw.app().inbound().HandleBatch(wa, change);
  REQUIRE(r3.has_value());
  CHECK(r3->address_changes == 1);
  auto r4 = f.gw.app().inbound().HandleBatch(wa, change);
  REQUIRE(r4.has_value());
  CHECK(r4->address_changes == 0);
  CHECK(r4->duplicates == 1);
  std::vector<std::string> where;
  for (const auto& a : f.AddressesOf(by_id.id)) where.push_back(a.address);
  std::sort(where.begin(), where.end());
  CHECK(where == std::vector<std::string>{"6281234567009", kBsuid});
  // The log names the channel, never the whole number.
  CHECK(f.gw.logs().find("address changed on wa") != std::string::npos);
  CHECK(f.gw.logs().find("6281234567009") == std::string::npos);
}

TEST_CASE("Contacts e2e: a staff number given to token create on an SMS channel is kept in E.164",
          "[e2e][contacts]") {
  TempDir dir;
  FakeClock clock;
  const std::string db = dir.File("staff.db");
  const std::string config = dir.File("suaradesa.json");
  {
    std::ofstream f(config);
    f << R"({"database": )" << DatabaseJsonText(db) << R"(,
      "areas": [{"code": "3510070", "name": "Rogojampi", "timezone": "Asia/Jakarta",
                 "desa": [{"code": "3510070001", "name": "Gitik"}]}],
      "channels": [{"id": "sms", "type": "http", "secret": "http-secret-0123456789",
                    "send_url": "http://127.0.0.1:1/out"}]})";
  }
  const auto cli = [&](std::vector<std::string> args) {
    std::istringstream in;
    std::ostringstream out, err;
    cli::Context ctx{in, out, err, clock, [](const std::string&) { return std::nullopt; }};
    const int code = cli::RunCli(args, ctx);
    INFO(out.str() << err.str());
    return code;
  };
  CHECK(cli({"token", "create", "--name", "Pak Camat", "--role", "fasilitator", "--area",
             "3510070", "--channel", "sms", "--address", "0812-3456-7099", "--config",
             config}) == 0);
  CHECK(cli({"token", "create", "--name", "Bu Lurah", "--role", "fasilitator", "--area",
             "3510070", "--channel", "sms", "--address", "TELKOMSEL", "--config", config}) == 2);
  auto store = OpenStoreAt(db);
  std::vector<storage::Staff> staff;
  REQUIRE(store->Transact([&](storage::Tx& tx) -> storage::Status {
    auto s = tx.ListStaff();
    if (!s) return std::unexpected(s.error());
    staff = *s;
    return {};
  }));
  REQUIRE(staff.size() == 1);
  CHECK(staff[0].address == "+6281234567099");
}

}  // namespace
}  // namespace suaradesa::testing
