// End to end: the real gateway with a WhatsApp Cloud API channel, and a fake
// Graph API on 127.0.0.1 standing in for graph.facebook.com.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/inbound.h"
#include "tests/gateway/channels_e2e.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr char kWaId[] = "6281234567890";

struct WaFixture {
  TempDir dir;
  FakePlatform telegram;
  FakePlatform meta;
  std::string db = dir.File("wa.db");
  TestGateway gw{[this] {
    Config cfg = TestConfig(db, telegram.base_url(), telegram.base_url() + "/out");
    AddWhatsApp(cfg, meta.base_url() + "/v21.0");
    return cfg;
  }()};
  int64_t next_id = 0;
  StoreView view() { return StoreView(gw.app().store()); }

  WaFixture() {
    meta.SetHandler(Numbered([](int n) {
      FakeResponse r;
      r.body = json{{"messaging_product", "whatsapp"},
                    {"messages", json::array({{{"id", "wamid.OUT" + std::to_string(n)}}})}}
                   .dump();
      return r;
    }));
  }

  static std::string Envelope(const json& messages, const json& statuses = json()) {
    json value = {{"messaging_product", "whatsapp"},
                  {"metadata", {{"display_phone_number", "6281100000000"},
                                {"phone_number_id", kWaPhoneNumberId}}},
                  {"contacts", json::array({{{"profile", {{"name", "Sri"}}}, {"wa_id", kWaId}}})}};
    if (!messages.is_null()) value["messages"] = messages;
    if (!statuses.is_null()) value["statuses"] = statuses;
    return json{{"object", "whatsapp_business_account"},
                {"entry", json::array({{{"id", "1"},
                                        {"changes", json::array({{{"field", "messages"},
                                                                  {"value", value}}})}}})}}
        .dump();
  }

  static json Text(const std::string& id, const std::string& text) {
    return {{"from", kWaId}, {"id", id}, {"timestamp", "1795399200"}, {"type", "text"},
            {"text", {{"body", text}}}};
  }

  int Post(const std::string& body, const std::string& secret = kWaAppSecret) {
    auto res = gw.Post("/webhook/wa", body,
                       {{"X-Hub-Signature-256", "sha256=" + channels::HmacSha256Hex(secret, body)}});
    REQUIRE(res);
    return res->status;
  }

  int Say(const std::string& text) {
    return Post(Envelope(json::array({Text("wamid.IN" + std::to_string(++next_id), text)})));
  }

  // What the fake Graph API was asked to send, as text, in order.
  std::vector<std::string> Sent() {
    std::vector<std::string> out;
    for (const auto& r : meta.requests_to("/messages")) {
      const json b = json::parse(r.body);
      if (b["type"] == "text") out.push_back(b["text"]["body"]);
      if (b["type"] == "interactive") out.push_back(b["interactive"]["body"]["text"]);
      if (b["type"] == "template") {
        out.push_back(b["template"]["components"][0]["parameters"][0]["text"]);
      }
    }
    return out;
  }
};

TEST_CASE("WhatsApp e2e: Meta's verification handshake", "[e2e]") {
  WaFixture f;
  auto ok = f.gw.Get(std::string("/webhook/wa?hub.mode=subscribe&hub.verify_token=") +
                     kWaVerifyToken + "&hub.challenge=1158201444");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(ok->body == "1158201444");
  CHECK(ok->get_header_value("Content-Type").find("text/plain") == 0);
  auto wrong = f.gw.Get("/webhook/wa?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1");
  REQUIRE(wrong);
  CHECK(wrong->status == 403);
  CHECK(wrong->body.find('1') == std::string::npos);
}

TEST_CASE("WhatsApp e2e: a proposal by WhatsApp reaches its ticket", "[e2e]") {
  WaFixture f;
  const std::string ticket = UntilTicket([&](const std::string& t) { return f.Say(t); },
                                         [&] { f.gw.DrainOutbox(); }, [&] { return f.Sent(); },
                                         "USL-");
  INFO("replies: " << json(f.Sent()).dump());
  CHECK(ticket.find("USL-1") != std::string::npos);
  CHECK(f.view().Cases().size() == 1);
  CHECK(f.view().OutboxCount([](const auto& o) { return o.state != "sent"; }) == 0);
  // Replies went to the wa_id with the Bearer token.
  const auto sent = f.meta.requests_to(std::string("/v21.0/") + kWaPhoneNumberId + "/messages");
  REQUIRE_FALSE(sent.empty());
  CHECK(json::parse(sent[0].body)["to"] == kWaId);
  CHECK(sent[0].headers.at("authorization") == std::string("Bearer ") + kWaAccessToken);
}

TEST_CASE("WhatsApp e2e: a retried delivery is answered once", "[e2e]") {
  WaFixture f;
  const std::string body = WaFixture::Envelope(json::array({WaFixture::Text("wamid.R1", "USUL")}));
  CHECK(f.Post(body) == 200);
  CHECK(f.Post(body) == 200);
  f.gw.DrainOutbox();
  CHECK(f.view().InboundCount() == 1);
  CHECK(f.meta.requests_to("/messages").size() == 1);
}

TEST_CASE("WhatsApp e2e: a wrong signature changes nothing", "[e2e]") {
  WaFixture f;
  const std::string body = WaFixture::Envelope(json::array({WaFixture::Text("wamid.W1", "USUL")}));
  CHECK(f.Post(body, "not-the-app-secret") == 403);
  auto missing = f.gw.Post("/webhook/wa", body, {});
  REQUIRE(missing);
  CHECK(missing->status == 401);
  f.gw.DrainOutbox();
  CHECK(f.view().Messages().empty());
  CHECK_FALSE(f.view().ContactAt("wa", kWaId));
  CHECK(f.meta.requests().empty());
  CHECK(f.gw.logs().find(kWaAppSecret) == std::string::npos);
}

TEST_CASE("WhatsApp e2e: a batch of two people and statuses is handled whole", "[e2e]") {
  WaFixture f;
  CHECK(f.Say("MENU") == 200);
  f.gw.DrainOutbox();
  REQUIRE(f.meta.requests_to("/messages").size() == 1);  // wamid.OUT1
  json other = WaFixture::Text("wamid.B2", "MENU");
  other["from"] = "6289900000001";
  const json statuses = json::array(
      {{{"id", "wamid.OUT1"}, {"status", "delivered"}, {"timestamp", "1795399260"},
        {"recipient_id", kWaId}},
       {{"id", "wamid.OUT1"}, {"status", "read"}, {"timestamp", "1795399270"},
        {"recipient_id", kWaId}}});
  CHECK(f.Post(WaFixture::Envelope(json::array({WaFixture::Text("wamid.B1", "BANTUAN"), other}),
                                   statuses)) == 200);
  CHECK(f.view().InboundCount() == 3);
  CHECK(f.view().InboundContacts() == 2);
  // The first reply's delivery timeline: queued, sent, delivered, read.
  const auto first = f.view().OutboundByProviderId("wamid.OUT1");
  REQUIRE(first);
  CHECK(first->status == "read");
  auto steps = [&] {
    std::vector<std::string> out;
    for (const auto& e : f.view().Timeline(first->id)) out.push_back(e.status);
    return out;
  };
  const std::vector<std::string> expected = {"queued", "sent", "delivered", "read"};
  CHECK(steps() == expected);
  // A repeated status changes nothing.
  CHECK(f.Post(WaFixture::Envelope(json(), statuses)) == 200);
  CHECK(steps() == expected);
}

TEST_CASE("WhatsApp e2e: a voice note gets one polite text-only notice a day", "[e2e]") {
  WaFixture f;
  const auto voice = [](const std::string& id) {
    return WaFixture::Envelope(json::array(
        {{{"from", kWaId}, {"id", id}, {"timestamp", "1795399200"}, {"type", "audio"},
          {"audio", {{"id", "media-1"}, {"mime_type", "audio/ogg; codecs=opus"}}}}}));
  };
  CHECK(f.Post(voice("wamid.V1")) == 200);
  CHECK(f.Post(voice("wamid.V1")) == 200);  // Meta's retry
  CHECK(f.Post(voice("wamid.V2")) == 200);
  f.gw.DrainOutbox();
  CHECK(f.view().InboundCount() == 2);
  auto notice = [](const storage::OutboxItem& o) { return PayloadKey(o) == kTextOnlyKey; };
  CHECK(f.view().OutboxCount(notice) == 1);
  CHECK(f.meta.requests_to("/messages").size() == 1);
  // The dialogs never saw it: no conversation was opened.
  CHECK(f.view().SessionOf("wa", kWaId).flow.empty());

  f.gw.clock().Advance(25LL * 3600 * 1000);
  CHECK(f.Post(voice("wamid.V3")) == 200);
  CHECK(f.view().OutboxCount(notice) == 2);
}

TEST_CASE("WhatsApp e2e: one unusable message or another number's change does not sink the "
          "batch",
          "[e2e]") {
  WaFixture f;
  json doc = json::parse(WaFixture::Envelope(json::array(
      {{{"id", "wamid.X1"}, {"timestamp", "1795399200"}, {"type", "text"},
        {"text", {{"body", "no sender"}}}},
       WaFixture::Text("wamid.G1", "MENU")})));
  // A second change, for another phone number of the same Meta app.
  json other = doc["entry"][0]["changes"][0];
  other["value"]["metadata"]["phone_number_id"] = "999999999999999";
  other["value"]["messages"] = json::array({WaFixture::Text("wamid.O1", "MENU")});
  other["value"]["messages"][0]["from"] = "6289900000009";
  doc["entry"][0]["changes"].push_back(other);
  // And a group message.
  json group = WaFixture::Text("wamid.GR1", "MENU");
  group["from"] = "6289900000008";
  group["group_id"] = "120363000000000001";
  doc["entry"][0]["changes"][0]["value"]["messages"].push_back(group);
  CHECK(f.Post(doc.dump()) == 200);
  f.gw.DrainOutbox();
  // Only our sender got an answer.
  const auto sent = f.meta.requests_to("/messages");
  REQUIRE(sent.size() == 1);
  CHECK(json::parse(sent[0].body)["to"] == kWaId);
  CHECK_FALSE(ContactAt(f.gw.app().store(), "6289900000009").exists);
  CHECK_FALSE(ContactAt(f.gw.app().store(), "6289900000008").exists);
  CHECK(ContactAt(f.gw.app().store(), kWaId).inbound == 1);
  const std::string logs = f.gw.logs();
  CHECK(logs.find("skipped one item (message without from or from_user_id)") != std::string::npos);
  CHECK(logs.find("skipped one item (delivery for another phone_number_id)") != std::string::npos);
  CHECK(logs.find("skipped one item (group message)") != std::string::npos);
  // No message text in those lines.
  CHECK(logs.find("no sender") == std::string::npos);
  auto metrics = f.gw.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("suaradesa_inbound_total{channel=\"wa\",result=\"skipped\"} 3") !=
        std::string::npos);
  CHECK(metrics->body.find("suaradesa_inbound_total{channel=\"wa\",result=\"ok\"} 1") !=
        std::string::npos);
}

TEST_CASE("WhatsApp e2e: a person behind a username is answered by BSUID", "[e2e]") {
  WaFixture f;
  json message = {{"from_user_id", "ID.1502576394655843"}, {"id", "wamid.N1"},
                  {"timestamp", "1795399200"}, {"type", "text"}, {"text", {{"body", "MENU"}}}};
  json doc = json::parse(WaFixture::Envelope(json::array({message})));
  doc["entry"][0]["changes"][0]["value"]["contacts"] = json::array(
      {{{"profile", {{"name", "Sri"}, {"username", "sri.w"}}}, {"user_id", "ID.1502576394655843"}}});
  CHECK(f.Post(doc.dump()) == 200);
  f.gw.DrainOutbox();
  const auto sent = f.meta.requests_to("/messages");
  REQUIRE(sent.size() == 1);
  const json body = json::parse(sent[0].body);
  CHECK(body["recipient"] == "ID.1502576394655843");
  CHECK_FALSE(body.contains("to"));
}

TEST_CASE("WhatsApp e2e: a username, then the number, then a new number are one person whose "
          "dialog goes on", "[e2e]") {
  WaFixture f;
  constexpr char kBsuid[] = "ID.1502576394655843";
  auto send = [&](json message) {
    json doc = json::parse(WaFixture::Envelope(json::array({message})));
    doc["entry"][0]["changes"][0]["value"]["contacts"] = json::array(
        {{{"profile", {{"name", "Sri"}}}, {"user_id", kBsuid}}});
    REQUIRE(f.Post(doc.dump()) == 200);
    f.gw.DrainOutbox();
    f.gw.clock().Advance(20 * 1000);
  };
  auto text = [](const std::string& id, const std::string& body) {
    return json{{"id", id}, {"timestamp", "1795399200"}, {"type", "text"},
                {"text", {{"body", body}}}};
  };
  auto last_to = [&] { return json::parse(f.meta.requests_to("/messages").back().body); };
  // Behind a username: the proposal is filed, its desa asked, by BSUID.
  json first = text("wamid.B1", "USUL sumur bor untuk dusun krajan");
  first["from_user_id"] = kBsuid;
  send(first);
  REQUIRE(f.Sent().back().find("USL-1") != std::string::npos);
  CHECK(last_to()["recipient"] == kBsuid);
  // The number shows up with the id: the same person, the same dialog.
  json second = text("wamid.B2", "Gitik");
  second["from"] = kWaId;
  second["from_user_id"] = kBsuid;
  send(second);
  CHECK(f.Sent().back().find("Berapa volumenya") != std::string::npos);
  CHECK(last_to()["to"] == kWaId);
  // Meta says the number changed: the next message from the new one goes on.
  const json change = {{"from", kWaId}, {"id", "wamid.B3"}, {"timestamp", "1795399200"},
                       {"type", "system"},
                       {"system", {{"body", "User Sri changed number"},
                                   {"wa_id", "6281298765432"},
                                   {"type", "user_changed_number"}}}};
  send(change);
  json third = text("wamid.B4", "300 m");
  third["from"] = "6281298765432";
  send(third);
  CHECK(f.Sent().back().find("Berapa KK") != std::string::npos);
  CHECK(last_to()["to"] == "6281298765432");
}

TEST_CASE("WhatsApp e2e: a batch holding only a number change reaches the inbound path",
          "[e2e]") {
  WaFixture f;
  const json change = {{"from", kWaId}, {"id", "wamid.Y1"}, {"timestamp", "1795399200"},
                       {"type", "system"},
                       {"system", {{"body", "User Sri changed from 6281234567890 to 6281298765432"},
                                   {"wa_id", "6281298765432"},
                                   {"type", "user_changed_number"}}}};
  CHECK(f.Post(WaFixture::Envelope(json::array({change}))) == 200);
  auto metrics = f.gw.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("suaradesa_inbound_total{channel=\"wa\",result=\"ok\"} 1") !=
        std::string::npos);
  CHECK(metrics->body.find("result=\"ignored\"") == std::string::npos);
}

TEST_CASE("WhatsApp e2e: invalid UTF-8 is repaired, never refused", "[e2e]") {
  WaFixture f;
  // A signed body whose text holds a stray byte.
  std::string body = WaFixture::Envelope(json::array({WaFixture::Text("wamid.U1", "MENUXX")}));
  body.replace(body.find("MENUXX"), 6, "ME\xC3NU");
  CHECK(f.Post(body) == 200);
  const auto inbound = f.view().Messages(storage::Direction::kIn);
  REQUIRE(inbound.size() == 1);
  CHECK(inbound[0].text == "ME\xEF\xBF\xBDNU");
}

TEST_CASE("WhatsApp e2e: a store failure answers 503 and Meta's retry is processed once",
          "[e2e]") {
  WaFixture f;
  FailInserts(f.db, "outbox");
  const std::string body = WaFixture::Envelope(json::array({WaFixture::Text("wamid.F1", "USUL")}));
  CHECK(f.Post(body) == 503);
  CHECK(f.view().Messages().empty());
  AllowInserts(f.db, "outbox");
  CHECK(f.Post(body) == 200);
  CHECK(f.Post(body) == 200);
  f.gw.DrainOutbox();
  CHECK(f.meta.requests_to("/messages").size() == 1);
}

TEST_CASE("WhatsApp e2e: a desk-style reply to a silent contact waits for them", "[e2e]") {
  WaFixture f;
  CHECK(f.Say("MENU") == 200);
  f.gw.DrainOutbox();
  REQUIRE(f.meta.requests_to("/messages").size() == 1);
  f.gw.clock().Advance(25LL * 3600 * 1000);
  // A reply queued now (as the desk does) cannot go out as free text.
  auto st = f.gw.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
    auto contact = tx.UpsertContact("wa", kWaId, "", f.gw.clock().NowMillis());
    if (!contact) return std::unexpected(contact.error());
    storage::OutboxItem item;
    item.contact_id = contact->id;
    item.channel_id = "wa";
    item.address = kWaId;
    item.payload_json = R"({"text":"Balasan fasilitator"})";
    item.created_at = f.gw.clock().NowMillis();
    auto id = tx.Enqueue(item, "Balasan fasilitator");
    if (!id) return std::unexpected(id.error());
    return {};
  });
  REQUIRE(st.has_value());
  f.gw.DrainOutbox();
  CHECK(f.meta.requests_to("/messages").size() == 1);
  CHECK(f.view().OutboxCount([](const auto& o) {
    return o.state == "pending" && o.last_error == "outside_24h_window";
  }) == 1);
  // The contact writes again: the reply goes first, then the bot's answer.
  CHECK(f.Say("MENU") == 200);
  f.gw.clock().Advance(60 * 1000);
  f.gw.DrainOutbox();
  const auto sent = f.Sent();
  REQUIRE(sent.size() >= 3);
  CHECK(sent[1] == "Balasan fasilitator");
  CHECK(f.view().OutboxCount([](const auto& o) { return o.state != "sent"; }) == 0);
}

}  // namespace
}  // namespace suaradesa::testing
