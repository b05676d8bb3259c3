#include "gateway/channels/whatsapp/whatsapp.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "gateway/channels/registry.h"
#include "gateway/channels/signature.h"
#include "gateway/http_client.h"
#include "tests/gateway/channels/channel_harness.h"
#include "tests/support/fake_platform.h"

namespace suaradesa::channels {
namespace {

using nlohmann::json;
using testing::Accept;
using testing::FakePlatform;
using testing::FakeResponse;
using testing::Ignore;
using testing::IncomingCase;
using testing::Outbound;
using testing::Reject;
using testing::Reply;

constexpr char kAppSecret[] = "wa-app-secret-0123456789";
constexpr char kAccessToken[] = "EAAG-wa-access-token-xyz";
constexpr char kVerifyToken[] = "wa-verify-token-42";
constexpr char kPhoneNumberId[] = "106540352242922";

WhatsAppChannel MakeChannel(const std::string& api_base = "https://graph.facebook.com/v21.0",
                            std::optional<WhatsAppChannel::Template> notice = std::nullopt) {
  return WhatsAppChannel("wa", kPhoneNumberId, kAccessToken, kAppSecret, kVerifyToken, api_base,
                         notice);
}

// Headers with the X-Hub-Signature-256 Meta would send for body.
std::map<std::string, std::string> Signed(const std::string& body) {
  return {{"x-hub-signature-256", "sha256=" + HmacSha256Hex(kAppSecret, body)},
          {"content-type", "application/json"}};
}

// A webhook envelope with one change whose value holds `value_fields`.
std::string Envelope(const json& value_fields) {
  json value = {{"messaging_product", "whatsapp"},
                {"metadata",
                 {{"display_phone_number", "6281100000000"}, {"phone_number_id", kPhoneNumberId}}}};
  for (auto it = value_fields.begin(); it != value_fields.end(); ++it) value[it.key()] = it.value();
  json doc = {{"object", "whatsapp_business_account"},
              {"entry", json::array({{{"id", "102290129340398"},
                                      {"changes", json::array({{{"field", "messages"},
                                                                {"value", value}}})}}})}};
  return doc.dump();
}

json Contacts(const std::string& wa_id = "6281234567890", const std::string& name = "Sri") {
  return json::array({{{"profile", {{"name", name}}}, {"wa_id", wa_id}}});
}

json Message(const std::string& id, const std::string& type, const json& content,
             const std::string& from = "6281234567890") {
  json m = {{"from", from}, {"id", id}, {"timestamp", "1795399200"}, {"type", type}};
  if (!content.is_null()) m[type] = content;
  return m;
}

InboundEvent Event(const std::string& id, const std::string& text,
                   const std::string& from = "6281234567890", const std::string& name = "Sri") {
  InboundEvent e;
  e.provider_id = id;
  e.address = from;
  e.sender_name = name;
  e.text = text;
  e.sent_at = 1795399200000;
  return e;
}

TEST_CASE("WhatsApp: the signature follows Meta's SDK test vector", "[channels]") {
  CHECK(WhatsAppChannel::Sign("TEST_APP_SECRET", "test") ==
        "sha256=0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888221");
}

TEST_CASE("WhatsApp: incoming webhooks are verified, parsed and answered per the case table",
          "[channels]") {
  const WhatsAppChannel channel = MakeChannel();

  const std::string text = Envelope(
      {{"contacts", Contacts()},
       {"messages", json::array({Message("wamid.A1", "text",
                                         {{"body", "Jalan rusak di Dusun Krajan"}})})}});
  // Meta escapes non-ASCII as \uXXXX (emoji as a surrogate pair) and signs
  // the escaped bytes.
  const std::string escaped =
      R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","contacts":[{"profile":{"name":"Sri"},"wa_id":"6281234567890"}],"messages":[{"from":"6281234567890","id":"wamid.E1","timestamp":"1795399200","type":"text","text":{"body":"caf\u00e9 \ud83d\ude4f"}}]}}]}]})";
  const std::string raw_utf8 = Envelope(
      {{"contacts", Contacts()},
       {"messages", json::array({Message("wamid.U1", "text", {{"body", "café 🙏"}})})}});

  // Two entries, one with two messages and a status: everything is read.
  json batch_doc = json::parse(text);
  json second = batch_doc["entry"][0];
  second["changes"][0]["value"]["contacts"] = Contacts("6289900000001", "Budi");
  second["changes"][0]["value"]["messages"] = json::array(
      {Message("wamid.B1", "text", {{"body", "USUL"}}, "6289900000001"),
       Message("wamid.B2", "text", {{"body", "ADUAN"}}, "6289900000001")});
  second["changes"][0]["value"]["statuses"] = json::array(
      {{{"id", "wamid.OUT1"}, {"status", "delivered"}, {"timestamp", "1795399300"},
        {"recipient_id", "6281234567890"}}});
  batch_doc["entry"].push_back(second);
  const std::string batch = batch_doc.dump();

  const std::string button = Envelope(
      {{"contacts", Contacts()},
       {"messages",
        json::array({Message("wamid.C1", "interactive",
                             {{"type", "button_reply"},
                              {"button_reply", {{"id", "yes"}, {"title", "Ya"}}}})})}});
  const std::string list = Envelope(
      {{"contacts", Contacts()},
       {"messages", json::array({Message(
                        "wamid.C2", "interactive",
                        {{"type", "list_reply"},
                         {"list_reply",
                          {{"id", "3510070001"}, {"title", "Gitik"}, {"description", "desa"}}}})})}});
  const std::string location = Envelope(
      {{"contacts", Contacts()},
       {"messages", json::array({Message("wamid.L1", "location",
                                         {{"latitude", -8.2851}, {"longitude", 114.3069},
                                          {"name", "Village hall"}})})}});
  const std::string captioned = Envelope(
      {{"contacts", Contacts()},
       {"messages", json::array({Message("wamid.I1", "image",
                                         {{"id", "media1"}, {"mime_type", "image/jpeg"},
                                          {"caption", "lubang di jalan"}})})}});
  const std::string voice = Envelope(
      {{"contacts", Contacts()},
       {"messages", json::array({Message("wamid.V1", "audio",
                                         {{"id", "media2"}, {"mime_type", "audio/ogg"}})})}});
  const std::string sticker = Envelope(
      {{"contacts", Contacts()},
       {"messages", json::array({Message("wamid.S1", "sticker", {{"id", "media3"}})})}});
  const std::string reaction_body = Envelope(
      {{"contacts", Contacts()},
       {"messages", json::array({Message("wamid.R1", "reaction",
                                         {{"message_id", "wamid.OUT1"}, {"emoji", "👍"}})})}});
  // System messages as Meta's reference shows them: no contacts; "from" is
  // the old number and system.wa_id the new one; BSUID changes carry
  // previous_user_id (changelog, August 2026).
  const std::string changed_number = Envelope(
      {{"messages",
        json::array({Message("wamid.Y1", "system",
                             {{"body", "User Sri changed from 6281234567890 to 6281298765432"},
                              {"wa_id", "6281298765432"},
                              {"type", "user_changed_number"}})})}});
  const std::string changed_number_and_id = Envelope(
      {{"messages",
        json::array({Message("wamid.Y2", "system",
                             {{"body", "User Sri changed from 6281234567890 to 6281298765432"},
                              {"wa_id", "6281298765432"},
                              {"type", "user_changed_number"},
                              {"previous_user_id", "ID.1502576394655843"},
                              {"user_id", "ID.9900000000000001"}})})}});
  json changed_id_message = {{"from_user_id", "ID.9900000000000001"},
                             {"id", "wamid.Y3"},
                             {"timestamp", "1795399200"},
                             {"type", "system"},
                             {"system",
                              {{"body", "User changed"},
                               {"type", "user_changed_user_id"},
                               {"previous_user_id", "ID.1502576394655843"}}}};
  const std::string changed_user_id =
      Envelope({{"messages", json::array({changed_id_message})}});
  const std::string identity_changed = Envelope(
      {{"messages", json::array({Message("wamid.Y4", "system",
                                         {{"body", "changed"},
                                          {"type", "customer_identity_changed"}})})}});
  const std::string changed_number_without_new = Envelope(
      {{"messages", json::array({Message("wamid.Y5", "system",
                                         {{"body", "changed number"},
                                          {"type", "user_changed_number"}})})}});

  // Usernames (2026): the number may be withheld; from_user_id and
  // contacts[].user_id carry the business-scoped user id.
  const json bsuid_contacts = json::array(
      {{{"profile", {{"name", "Sri"}, {"username", "sri.w"}}}, {"user_id", "ID.1502576394655843"}}});
  json bsuid_message = {{"from_user_id", "ID.1502576394655843"},
                        {"id", "wamid.N1"},
                        {"timestamp", "1795399200"},
                        {"type", "text"},
                        {"text", {{"body", "The street light is out"}}}};
  const std::string bsuid_only =
      Envelope({{"contacts", bsuid_contacts}, {"messages", json::array({bsuid_message})}});
  json both_message = bsuid_message;
  both_message["id"] = "wamid.N2";
  both_message["from"] = "6281234567890";
  const std::string bsuid_and_number = Envelope(
      {{"contacts", json::array({{{"profile", {{"name", "Sri"}}},
                                  {"wa_id", "6281234567890"},
                                  {"user_id", "ID.1502576394655843"}}})},
       {"messages", json::array({both_message})}});
  const std::string number_and_contact_user_id = Envelope(
      {{"contacts", json::array({{{"profile", {{"name", "Sri"}}},
                                  {"wa_id", "6281234567890"},
                                  {"user_id", "ID.1502576394655843"}}})},
       {"messages", json::array({Message("wamid.N3", "text", {{"body", "hello"}})})}});
  // One message without any sender in a batch with a good one: the good one
  // is processed, the other skipped, and the batch acknowledged.
  const std::string one_unusable = Envelope(
      {{"contacts", Contacts()},
       {"messages", json::array({{{"id", "wamid.X"}, {"type", "text"},
                                  {"text", {{"body", "hi"}}}},
                                 Message("wamid.A2", "text", {{"body", "ADUAN"}})})}});
  json group_message = Message("wamid.G1", "text", {{"body", "neighbourhood meeting"}});
  group_message["group_id"] = "120363000000000001";
  const std::string group = Envelope({{"contacts", Contacts()},
                                      {"messages", json::array({group_message})}});
  // Two phone numbers share the app: the change for the other one is
  // skipped, ours kept.
  json two_numbers_doc = json::parse(text);
  json other_change = two_numbers_doc["entry"][0]["changes"][0];
  other_change["value"]["metadata"]["phone_number_id"] = "999999999999999";
  other_change["value"]["messages"][0]["id"] = "wamid.O1";
  two_numbers_doc["entry"][0]["changes"].push_back(other_change);
  const std::string two_numbers = two_numbers_doc.dump();

  const auto one_message = [](const std::string& type, const json& content) {
    return Envelope({{"contacts", Contacts()},
                     {"messages", json::array({Message("wamid.K1", type, content)})}});
  };
  const std::string voice_note = one_message(
      "audio", {{"id", "m4"}, {"mime_type", "audio/ogg; codecs=opus"}, {"voice", true}});
  const std::string video = one_message("video", {{"id", "m5"}, {"mime_type", "video/mp4"}});
  const std::string document =
      one_message("document", {{"id", "m6"}, {"filename", "letter.pdf"}});
  const std::string image = one_message("image", {{"id", "m7"}, {"mime_type", "image/jpeg"}});
  const std::string contact_card = one_message(
      "contacts", json::array({{{"name", {{"formatted_name", "Neighbourhood head"}, {"first_name", "Head"}}},
                                {"phones", json::array({{{"phone", "+62 812-3456-7001"},
                                                         {"wa_id", "6281234567001"},
                                                         {"type", "CELL"}}})}}}));
  json unsupported_message = {{"from", "6281234567890"},
                              {"id", "wamid.K1"},
                              {"timestamp", "1795399200"},
                              {"type", "unsupported"},
                              {"errors", json::array({{{"code", 131051},
                                                       {"title", "Message type unknown"}}})}};
  const std::string unsupported = Envelope(
      {{"contacts", Contacts()}, {"messages", json::array({unsupported_message})}});
  const std::string flow_reply = one_message(
      "interactive", {{"type", "nfm_reply"},
                      {"nfm_reply", {{"response_json", "{}"}, {"body", "Sent"}, {"name", "flow"}}}});
  const std::string text_without_body = one_message("text", {{"preview", "x"}});
  const std::string not_an_object =
      Envelope({{"contacts", Contacts()}, {"messages", json::array({"wamid.Z"})}});
  const std::string entry_without_changes =
      R"({"object":"whatsapp_business_account","entry":[{"id":"1"}]})";
  const std::string failed_with_details = Envelope(
      {{"statuses",
        json::array({{{"id", "wamid.OUT3"}, {"status", "failed"}, {"timestamp", "1795399280"},
                      {"recipient_id", "6281234567890"},
                      {"errors", json::array({{{"code", 131026},
                                               {"title", "Message undeliverable"},
                                               {"message", "Message undeliverable"},
                                               {"error_data",
                                                {{"details", "Unable to deliver message."}}}}})}},
                     {{"id", "wamid.OUT4"}, {"status", "failed"}, {"timestamp", "1795399290"},
                      {"recipient_id", "6281234567890"},
                      {"errors", json::array({{{"code", 131050},
                                               {"message", "User stopped marketing messages"}}})}}})}});
  // Meta escapes non-ASCII; a text cut inside an emoji leaves a lone half.
  const std::string lone_surrogate =
      R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","contacts":[{"profile":{"name":"Sri"},"wa_id":"6281234567890"}],"messages":[{"from":"6281234567890","id":"wamid.E2","timestamp":"1795399200","type":"text","text":{"body":"help \ud83d"}}]}}]}]})";
  const std::string statuses = Envelope(
      {{"statuses",
        json::array({{{"id", "wamid.OUT1"}, {"status", "sent"}, {"timestamp", "1795399201"},
                      {"recipient_id", "6281234567890"}},
                     {{"id", "wamid.OUT1"}, {"status", "read"}, {"timestamp", "1795399260"},
                      {"recipient_id", "6281234567890"}},
                     {{"id", "wamid.OUT2"}, {"status", "failed"}, {"timestamp", "1795399270"},
                      {"recipient_id", "6281234567890"},
                      {"errors", json::array({{{"code", 131047},
                                               {"title", "Re-engagement message"}}})}}})}});
  const std::string no_from = Envelope(
      {{"messages", json::array({{{"id", "wamid.X"}, {"type", "text"},
                                  {"text", {{"body", "hi"}}}}})}});
  const std::string other_object = R"({"object":"page","entry":[]})";
  const std::string entry_not_array = R"({"object":"whatsapp_business_account","entry":{}})";

  InboundEvent choice = Event("wamid.C1", "Ya");
  choice.choice_id = "yes";
  InboundEvent row = Event("wamid.C2", "Gitik");
  row.choice_id = "3510070001";
  InboundEvent place = Event("wamid.L1", "");
  place.latitude = -8.2851;
  place.longitude = 114.3069;
  InboundEvent audio = Event("wamid.V1", "[audio]");
  audio.unsupported = true;
  InboundEvent stick = Event("wamid.S1", "[sticker]");
  stick.unsupported = true;
  InboundEvent by_bsuid = Event("wamid.N1", "The street light is out", "ID.1502576394655843");
  by_bsuid.user_id = "ID.1502576394655843";
  InboundEvent by_number = Event("wamid.N2", "The street light is out");
  by_number.user_id = "ID.1502576394655843";
  InboundEvent by_contact = Event("wamid.N3", "hello");
  by_contact.user_id = "ID.1502576394655843";
  const auto kind = [](const std::string& text) {
    InboundEvent e = Event("wamid.K1", text);
    e.unsupported = true;
    return e;
  };

  const AddressChange number_change{"wamid.Y1", "6281234567890", "6281298765432", 1795399200000};
  const AddressChange number_change_2{"wamid.Y2", "6281234567890", "6281298765432",
                                      1795399200000};
  const AddressChange id_change_2{"wamid.Y2#user_id", "ID.1502576394655843",
                                  "ID.9900000000000001", 1795399200000};
  const AddressChange id_change{"wamid.Y3", "ID.1502576394655843", "ID.9900000000000001",
                                1795399200000};
  const auto changes = [](std::string label, const std::string& body,
                          std::vector<AddressChange> expected) {
    IncomingCase c = Accept(std::move(label), Signed(body), body, {});
    c.expected_address_changes = std::move(expected);
    return c;
  };
  IncomingCase unusable =
      Accept("a message without a sender is skipped, the rest of the batch processed",
             Signed(one_unusable), one_unusable, {Event("wamid.A2", "ADUAN")});
  unusable.expected_skipped = {"message without from or from_user_id"};
  IncomingCase other_number =
      Accept("a change for another phone_number_id is skipped, ours kept",
             Signed(two_numbers), two_numbers,
             {Event("wamid.A1", "Jalan rusak di Dusun Krajan")});
  other_number.expected_skipped = {"delivery for another phone_number_id"};
  StatusEvent undeliverable{"wamid.OUT3", "failed", "131026",
                            "Message undeliverable: Unable to deliver message.", 1795399280000};
  StatusEvent stopped{"wamid.OUT4", "failed", "131050", "User stopped marketing messages",
                      1795399290000};

  StatusEvent sent{"wamid.OUT1", "sent", "", "", 1795399201000};
  StatusEvent read{"wamid.OUT1", "read", "", "", 1795399260000};
  StatusEvent failed{"wamid.OUT2", "failed", "131047", "Re-engagement message", 1795399270000};
  StatusEvent delivered{"wamid.OUT1", "delivered", "", "", 1795399300000};

  IncomingCase mixed = Accept("every entry, message and status of a batch", Signed(batch),
                              batch,
                              {Event("wamid.A1", "Jalan rusak di Dusun Krajan"),
                               Event("wamid.B1", "USUL", "6289900000001", "Budi"),
                               Event("wamid.B2", "ADUAN", "6289900000001", "Budi")});
  mixed.expected_statuses = {delivered};

  std::map<std::string, std::string> upper = Signed(text);
  for (auto& c : upper["x-hub-signature-256"]) c = static_cast<char>(std::toupper(c));
  upper["x-hub-signature-256"].replace(0, 7, "sha256=");

  const std::vector<IncomingCase> cases = {
      Accept("text message", Signed(text), text, {Event("wamid.A1", "Jalan rusak di Dusun Krajan")}),
      Accept("upper-case hex signature", upper, text,
             {Event("wamid.A1", "Jalan rusak di Dusun Krajan")}),
      Accept("escaped non-ASCII, signed as escaped", Signed(escaped), escaped,
             {Event("wamid.E1", "café 🙏")}),
      Accept("raw UTF-8 non-ASCII", Signed(raw_utf8), raw_utf8, {Event("wamid.U1", "café 🙏")}),
      mixed,
      Accept("reply button", Signed(button), button, {choice}),
      Accept("list row", Signed(list), list, {row}),
      Accept("location", Signed(location), location, {place}),
      Accept("captioned image counts as text", Signed(captioned), captioned,
             {Event("wamid.I1", "lubang di jalan")}),
      Accept("voice note is unsupported", Signed(voice), voice, {audio}),
      Accept("sticker is unsupported", Signed(sticker), sticker, {stick}),
      testing::Skip("reaction", Signed(reaction_body), reaction_body, {"reaction message"}),
      changes("user_changed_number moves the contact to the new number", changed_number,
              {number_change}),
      changes("user_changed_number with BSUIDs moves both", changed_number_and_id,
              {number_change_2, id_change_2}),
      changes("user_changed_user_id moves the BSUID", changed_user_id, {id_change}),
      testing::Skip("other system message", Signed(identity_changed), identity_changed,
                    {"system message customer_identity_changed"}),
      testing::Skip("user_changed_number without the new number",
                    Signed(changed_number_without_new), changed_number_without_new,
                    {"user_changed_number without from or system.wa_id"}),
      Accept("username: from_user_id without from", Signed(bsuid_only), bsuid_only, {by_bsuid}),
      Accept("username: from and from_user_id", Signed(bsuid_and_number), bsuid_and_number,
             {by_number}),
      Accept("user_id from contacts[]", Signed(number_and_contact_user_id),
             number_and_contact_user_id, {by_contact}),
      unusable,
      testing::Skip("group message", Signed(group), group, {"group message"}),
      other_number,
      Accept("voice note is [voice]", Signed(voice_note), voice_note, {kind("[voice]")}),
      Accept("video without caption is [video]", Signed(video), video, {kind("[video]")}),
      Accept("document without caption is [document]", Signed(document), document,
             {kind("[document]")}),
      Accept("image without caption is [image]", Signed(image), image, {kind("[image]")}),
      Accept("shared contact: its phone number is the text", Signed(contact_card), contact_card,
             {Event("wamid.K1", "+62 812-3456-7001")}),
      Accept("unsupported (131051) is [unknown]", Signed(unsupported), unsupported,
             {kind("[unknown]")}),
      Accept("a flow reply is [interactive]", Signed(flow_reply), flow_reply,
             {kind("[interactive]")}),
      testing::Skip("text without body", Signed(text_without_body), text_without_body,
                    {"text message without text.body"}),
      testing::Skip("message that is not an object", Signed(not_an_object), not_an_object,
                    {"message is not an object"}),
      testing::Skip("entry without changes", Signed(entry_without_changes),
                    entry_without_changes, {"entry without a \"changes\" array"}),
      testing::Statuses("failed statuses keep code and reason", Signed(failed_with_details),
                        failed_with_details, {undeliverable, stopped}),
      Accept("lone surrogate escape becomes U+FFFD", Signed(lone_surrogate), lone_surrogate,
             {Event("wamid.E2", "help \xEF\xBF\xBD")}),
      Reject("lone surrogate signed with another secret",
             {{"x-hub-signature-256", "sha256=" + HmacSha256Hex("not-the-secret", lone_surrogate)}},
             lone_surrogate, 403),
      Ignore("other object", Signed(other_object), other_object),
      testing::Statuses("statuses", Signed(statuses), statuses, {sent, read, failed}),
      Reject("missing signature", {}, text, 401),
      Reject("wrong signature", {{"x-hub-signature-256", "sha256=" + std::string(64, '0')}},
             text, 403),
      Reject("signature of another body", Signed(voice), text, 403),
      Reject("signature with another secret",
             {{"x-hub-signature-256", "sha256=" + HmacSha256Hex("not-the-secret", text)}}, text,
             403),
      Reject("malformed JSON", Signed("{\"object\":"), "{\"object\":", 400),
      Reject("entry is not an array", Signed(entry_not_array), entry_not_array, 400),
      testing::Skip("message without from", Signed(no_from), no_from,
                    {"message without from or from_user_id"}),
  };
  CHECK(cases.size() >= 25);
  testing::RunIncomingCases(channel, cases);
}

TEST_CASE("WhatsApp: the GET handshake echoes the challenge only for our verify token",
          "[channels]") {
  const WhatsAppChannel channel = MakeChannel();
  const std::vector<IncomingCase> cases = {
      testing::Handshake("right token",
                         {{"hub.mode", "subscribe"},
                          {"hub.verify_token", kVerifyToken},
                          {"hub.challenge", "1158201444"}},
                         200, "1158201444"),
      testing::Handshake("wrong token",
                         {{"hub.mode", "subscribe"},
                          {"hub.verify_token", "guess"},
                          {"hub.challenge", "1158201444"}},
                         403, "forbidden"),
      testing::Handshake("wrong mode",
                         {{"hub.mode", "unsubscribe"},
                          {"hub.verify_token", kVerifyToken},
                          {"hub.challenge", "1158201444"}},
                         403),
      testing::Handshake("no parameters", {}, 403),
  };
  testing::RunIncomingCases(channel, cases);
  // A POST is never a handshake.
  WebhookRequest post;
  post.method = "POST";
  CHECK_FALSE(channel.Handshake(post).has_value());
}

FakeResponse Accepted(const std::string& wamid = "wamid.OUT1") {
  return Reply(200, json{{"messaging_product", "whatsapp"},
                         {"contacts", json::array({{{"input", "6281234567890"},
                                                    {"wa_id", "6281234567890"}}})},
                         {"messages", json::array({{{"id", wamid}}})}}
                        .dump());
}

FakeResponse MetaError(int status, int code, const std::string& message) {
  return Reply(status, json{{"error",
                             {{"message", message},
                              {"type", "OAuthException"},
                              {"code", code},
                              {"error_data", {{"messaging_product", "whatsapp"},
                                              {"details", "details here"}}},
                              {"fbtrace_id", "Az8or2yhqkZfEZ-_4Qn_Bam"}}}}
                            .dump());
}

TEST_CASE("WhatsApp: text, buttons, lists and templates go to the Cloud API", "[channels]") {
  FakePlatform meta;
  RealHttpClient http(5);
  const WhatsAppChannel channel =
      MakeChannel(meta.base_url() + "/v21.0", WhatsAppChannel::Template{"pemberitahuan", "id"});
  meta.SetHandler([](const testing::RecordedRequest&) { return Accepted(); });
  const std::string path = std::string("/v21.0/") + kPhoneNumberId + "/messages";

  SECTION("plain text") {
    auto sent = channel.Send(Outbound("6281234567890", "Tiket Anda USL-7"), http);
    REQUIRE(sent.has_value());
    CHECK(sent->provider_id == "wamid.OUT1");
    auto requests = meta.requests_to(path);
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].headers["authorization"] == std::string("Bearer ") + kAccessToken);
    const json body = json::parse(requests[0].body);
    CHECK(body["messaging_product"] == "whatsapp");
    CHECK(body["to"] == "6281234567890");
    CHECK(body["type"] == "text");
    CHECK(body["text"]["body"] == "Tiket Anda USL-7");
    CHECK(body["text"]["preview_url"] == false);
  }
  SECTION("a contact known only by its BSUID is addressed with recipient, not to") {
    REQUIRE(channel.Send(Outbound("ID.1502576394655843", "Tiket Anda USL-7"), http).has_value());
    const json body = json::parse(meta.requests_to(path).at(0).body);
    CHECK(body["recipient"] == "ID.1502576394655843");
    CHECK_FALSE(body.contains("to"));
    CHECK(body["text"]["body"] == "Tiket Anda USL-7");
  }
  SECTION("menus and templates to a BSUID use recipient too") {
    REQUIRE(channel.Send(Outbound("US.ENT.11815799212886844830", "Benar?", {{"yes", "Ya"}}), http)
                .has_value());
    OutboundMessage late = Outbound("ID.1502576394655843", "Meeting tomorrow");
    late.outside_window = true;
    REQUIRE(channel.Send(late, http).has_value());
    const auto requests = meta.requests_to(path);
    REQUIRE(requests.size() == 2);
    const json menu = json::parse(requests[0].body);
    CHECK(menu["recipient"] == "US.ENT.11815799212886844830");
    CHECK(menu["type"] == "interactive");
    const json notice = json::parse(requests[1].body);
    CHECK(notice["recipient"] == "ID.1502576394655843");
    CHECK(notice["type"] == "template");
    CHECK_FALSE(notice.contains("to"));
  }
  SECTION("up to three short choices become reply buttons") {
    auto sent = channel.Send(
        Outbound("6281234567890", "Benar?", {{"yes", "Ya"}, {"no", "Tidak"}}), http);
    REQUIRE(sent.has_value());
    const json body = json::parse(meta.requests_to(path).at(0).body);
    CHECK(body["type"] == "interactive");
    CHECK(body["interactive"]["type"] == "button");
    CHECK(body["interactive"]["body"]["text"] == "Benar?");
    const json buttons = body["interactive"]["action"]["buttons"];
    REQUIRE(buttons.size() == 2);
    CHECK(buttons[0]["type"] == "reply");
    CHECK(buttons[0]["reply"]["id"] == "yes");
    CHECK(buttons[0]["reply"]["title"] == "Ya");
  }
  SECTION("more choices, or long titles, become a list of at most ten rows") {
    std::vector<ChoiceOut> choices;
    for (int i = 1; i <= 5; ++i) choices.push_back({"d" + std::to_string(i), "Desa " + std::to_string(i)});
    choices[4].label = "Desa dengan nama yang sangat panjang sekali";
    REQUIRE(channel.Send(Outbound("6281234567890", "Pilih desa", choices), http).has_value());
    const json body = json::parse(meta.requests_to(path).at(0).body);
    CHECK(body["interactive"]["type"] == "list");
    CHECK_FALSE(body["interactive"]["action"]["button"].get<std::string>().empty());
    const json rows = body["interactive"]["action"]["sections"][0]["rows"];
    REQUIRE(rows.size() == 5);
    CHECK(rows[0]["id"] == "d1");
    CHECK(rows[0]["title"] == "Desa 1");
    // Titles are cut to 24 characters; the description keeps the label.
    const std::string title = rows[4]["title"];
    CHECK(title.find("Desa dengan") == 0);
    CHECK(rows[4]["description"] == "Desa dengan nama yang sangat panjang sekali");
  }
  SECTION("more than ten choices go as numbered text") {
    std::vector<ChoiceOut> choices;
    for (int i = 1; i <= 12; ++i) choices.push_back({"c" + std::to_string(i), "Pilihan " + std::to_string(i)});
    REQUIRE(channel.Send(Outbound("6281234567890", "Pilih", choices), http).has_value());
    const json body = json::parse(meta.requests_to(path).at(0).body);
    CHECK(body["type"] == "text");
    const std::string text = body["text"]["body"];
    CHECK(text.find("\n1. Pilihan 1") != std::string::npos);
    CHECK(text.find("\n12. Pilihan 12") != std::string::npos);
  }
  SECTION("outside the window a notice goes as the template") {
    OutboundMessage msg = Outbound("6281234567890", "Musyawarah desa\nSenin 09.00");
    msg.outside_window = true;
    REQUIRE(channel.Send(msg, http).has_value());
    const json body = json::parse(meta.requests_to(path).at(0).body);
    CHECK(body["type"] == "template");
    CHECK(body["template"]["name"] == "pemberitahuan");
    CHECK(body["template"]["language"]["code"] == "id");
    const json param = body["template"]["components"][0]["parameters"][0];
    CHECK(param["type"] == "text");
    // Template parameters may not hold newlines.
    CHECK(param["text"] == "Musyawarah desa Senin 09.00");
  }
  SECTION("outside the window without a template nothing is sent") {
    const WhatsAppChannel bare = MakeChannel(meta.base_url() + "/v21.0");
    CHECK_FALSE(bare.CanSendOutsideWindow());
    CHECK(channel.CanSendOutsideWindow());
    OutboundMessage msg = Outbound("6281234567890", "hello");
    msg.outside_window = true;
    auto sent = bare.Send(msg, http);
    REQUIRE_FALSE(sent.has_value());
    CHECK(sent.error().kind == SendError::Kind::kPermanent);
    CHECK(meta.requests().empty());
  }
}

TEST_CASE("WhatsApp: send errors are classified by HTTP status and Meta error code",
          "[channels]") {
  FakePlatform meta;
  RealHttpClient http(5);
  const WhatsAppChannel channel = MakeChannel(meta.base_url() + "/v21.0");
  struct Row {
    FakeResponse response;
    SendError::Kind kind;
    int retry_after;
  };
  FakeResponse with_retry_after = MetaError(429, 130429, "(#130429) Rate limit hit");
  with_retry_after.headers["Retry-After"] = "12";
  const std::vector<Row> rows = {
      {with_retry_after, SendError::Kind::kThrottled, 12},
      {MetaError(400, 131056, "(#131056) Pair rate limit hit"), SendError::Kind::kThrottled, 0},
      {MetaError(400, 80007, "(#80007) Rate limit issues"), SendError::Kind::kThrottled, 0},
      {MetaError(401, 190, "Error validating access token"), SendError::Kind::kConfig, 0},
      {MetaError(400, 190, "Error validating access token"), SendError::Kind::kConfig, 0},
      {MetaError(400, 131047, "Re-engagement message"), SendError::Kind::kPermanent, 0},
      {MetaError(400, 100, "(#100) Invalid parameter"), SendError::Kind::kPermanent, 0},
      {MetaError(500, 131000, "Something went wrong"), SendError::Kind::kRetryable, 0},
      {MetaError(400, 131016, "Service unavailable"), SendError::Kind::kRetryable, 0},
      {Reply(503, "<html>busy</html>"), SendError::Kind::kRetryable, 0},
  };
  for (const Row& row : rows) {
    INFO("status " << row.response.status << " body " << row.response.body);
    meta.Enqueue(row.response);
    auto sent = channel.Send(Outbound("6281234567890", "hi"), http);
    REQUIRE_FALSE(sent.has_value());
    CHECK(sent.error().kind == row.kind);
    CHECK(sent.error().retry_after_seconds == row.retry_after);
    CHECK(sent.error().message.find(kAccessToken) == std::string::npos);
  }
  const WhatsAppChannel dead = MakeChannel(testing::kDeadBaseUrl);
  auto network = dead.Send(Outbound("6281234567890", "hi"), http);
  REQUIRE_FALSE(network.has_value());
  CHECK(network.error().kind == SendError::Kind::kRetryable);
}

TEST_CASE("WhatsApp: the registry builds it with its template and default rate", "[channels]") {
  ChannelSettings settings;
  settings.id = "wa";
  settings.type = "whatsapp";
  settings.values = {{"phone_number_id", kPhoneNumberId},
                     {"access_token", kAccessToken},
                     {"app_secret", kAppSecret},
                     {"verify_token", kVerifyToken},
                     {"templates", R"({"notice":{"name":"pemberitahuan","language":"id"}})"}};
  const ChannelSpec* spec = FindChannelSpec("whatsapp");
  REQUIRE(spec != nullptr);
  auto channel = spec->make(settings);
  CHECK(channel->type() == "whatsapp");
  CHECK(channel->CanSendOutsideWindow());
  CHECK(channel->free_form_window_ms() == 24LL * 3600 * 1000);
  CHECK(channel->rate_limits().per_second == 80);
  settings.values.erase("templates");
  settings.values["rate_per_second"] = "20";
  auto plain = spec->make(settings);
  CHECK_FALSE(plain->CanSendOutsideWindow());
  CHECK(plain->rate_limits().per_second == 20);
  for (const std::string secret : {kAccessToken, kAppSecret, kVerifyToken}) {
    const auto secrets = plain->Secrets();
    CHECK(std::find(secrets.begin(), secrets.end(), secret) != secrets.end());
  }
}

}  // namespace
}  // namespace suaradesa::channels
