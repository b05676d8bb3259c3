#include "gateway/channels/whatsapp/whatsapp.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <nlohmann/json.hpp>

#include "gateway/channels/json_fields.h"
#include "gateway/channels/send_errors.h"
#include "gateway/channels/signature.h"
#include "gateway/channels/telegram/telegram.h"
#include "gateway/channels/utf8.h"

namespace suaradesa::channels {

namespace {

using nlohmann::json;
using json_fields::Dump;
using json_fields::Field;
using json_fields::Integer;
using json_fields::Number;
using json_fields::String;

Rejection BadRequest(std::string reason) { return Rejection{400, std::move(reason)}; }

// Unix seconds from a payload as unix ms; 0 (unknown) when absent or beyond
// any real clock (multiplying would overflow).
int64_t MillisFromSeconds(std::optional<int64_t> seconds) {
  constexpr int64_t kMaxSeconds = int64_t{1} << 40;  // about the year 36812
  if (!seconds || *seconds < 0 || *seconds > kMaxSeconds) return 0;
  return *seconds * 1000;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The first value of a query parameter, or "".
std::string Param(const WebhookRequest& req, const std::string& name) {
  auto it = req.params.find(name);
  return it == req.params.end() ? std::string() : it->second;
}

// A template parameter may not hold newlines, tabs or more than four spaces
// in a row (Meta rejects the message, error 132018).
std::string TemplateParameter(std::string_view text) {
  std::string out;
  int spaces = 0;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ') {
      if (++spaces > 1) continue;
    } else {
      spaces = 0;
    }
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Meta's statuses, mapped onto the store's delivery states.
std::optional<std::string> DeliveryStatus(const std::string& status) {
  if (status == "sent" || status == "delivered" || status == "read" || status == "failed") {
    return status;
  }
  if (status == "played") return "read";  // a voice message was listened to
  return std::nullopt;
}

// True for a wa_id (a phone number in digits, no "+"); false for a
// business-scoped user id such as "ID.1502576394655843".
bool IsPhoneNumber(const std::string& address) {
  if (address.empty()) return false;
  return std::all_of(address.begin(), address.end(),
                     [](unsigned char c) { return c >= '0' && c <= '9'; });
}

// The start of every message body. A contact known only by its
// business-scoped user id is addressed with "recipient" (the Cloud API
// takes a BSUID there, not in "to").
json Envelope(const std::string& address) {
  json body = {{"messaging_product", "whatsapp"}, {"recipient_type", "individual"}};
  body[IsPhoneNumber(address) ? "to" : "recipient"] = address;
  return body;
}

json TextBody(const std::string& to, const std::string& text) {
  json body = Envelope(to);
  body["type"] = "text";
  body["text"] = {{"preview_url", false}, {"body", text}};
  return body;
}

// text followed by "1. label" lines, for menus no interactive message fits.
std::string WithNumberedChoices(std::string text, const std::vector<ChoiceOut>& choices) {
  for (size_t i = 0; i < choices.size(); ++i) {
    text += "\n" + std::to_string(i + 1) + ". " +
            (choices[i].label.empty() ? choices[i].id : choices[i].label);
  }
  return text;
}

// The interactive message for a menu, or nullopt when none fits (too many
// choices, a body too long, an id too long).
std::optional<json> InteractiveBody(const OutboundMessage& msg) {
  const std::vector<ChoiceOut>& choices = msg.choices;
  if (choices.empty() || msg.text.empty() ||
      CountChars(msg.text) > WhatsAppChannel::kMaxInteractiveBodyChars) {
    return std::nullopt;
  }
  const auto label = [](const ChoiceOut& c) { return c.label.empty() ? c.id : c.label; };
  bool short_titles = true;
  for (const ChoiceOut& c : choices) {
    if (c.id.empty()) return std::nullopt;
    if (CountChars(label(c)) > WhatsAppChannel::kMaxButtonTitleChars) short_titles = false;
  }
  json body = Envelope(msg.address);
  body["type"] = "interactive";
  if (choices.size() <= WhatsAppChannel::kMaxButtons && short_titles) {
    json buttons = json::array();
    for (const ChoiceOut& c : choices) {
      if (CountChars(c.id) > WhatsAppChannel::kMaxButtonIdChars) return std::nullopt;
      buttons.push_back({{"type", "reply"}, {"reply", {{"id", c.id}, {"title", label(c)}}}});
    }
    body["interactive"] = {{"type", "button"},
                           {"body", {{"text", msg.text}}},
                           {"action", {{"buttons", buttons}}}};
    return body;
  }
  if (choices.size() > WhatsAppChannel::kMaxListRows) return std::nullopt;
  json rows = json::array();
  for (const ChoiceOut& c : choices) {
    if (CountChars(c.id) > WhatsAppChannel::kMaxRowIdChars) return std::nullopt;
    const std::string full = label(c);
    json row = {{"id", c.id}};
    if (CountChars(full) <= WhatsAppChannel::kMaxRowTitleChars) {
      row["title"] = full;
    } else {
      // The title is cut; the description shows the whole label.
      row["title"] = TruncateChars(full, WhatsAppChannel::kMaxRowTitleChars - 1) + "\u2026";
      row["description"] = CountChars(full) <= WhatsAppChannel::kMaxRowDescriptionChars
                               ? full
                               : TruncateChars(full, WhatsAppChannel::kMaxRowDescriptionChars - 1) +
                                     "\u2026";
    }
    rows.push_back(std::move(row));
  }
  // The list's button needs a label; a symbol keeps it free of any one
  // language (replies are localised by the dialogs, not here).
  body["interactive"] = {
      {"type", "list"},
      {"body", {{"text", msg.text}}},
      {"action", {{"button", "\u2630"}, {"sections", json::array({{{"rows", rows}}})}}}};
  return body;
}

// What the contacts array of a change says about its senders: a profile
// name, and the BSUID for a phone number.
struct Senders {
  std::map<std::string, std::string> names;     // wa_id or user_id -> name
  std::map<std::string, std::string> user_ids;  // wa_id -> user_id
};

Senders ReadContacts(const json& value) {
  Senders out;
  const json* contacts = Field(value, "contacts");
  if (contacts == nullptr || !contacts->is_array()) return out;
  for (const json& c : *contacts) {
    const std::string wa_id = String(c, "wa_id").value_or("");
    const std::string user_id = String(c, "user_id").value_or("");
    const json* profile = Field(c, "profile");
    const std::optional<std::string> name = profile ? String(*profile, "name") : std::nullopt;
    if (name) {
      if (!wa_id.empty()) out.names[wa_id] = *name;
      if (!user_id.empty()) out.names[user_id] = *name;
    }
    if (!wa_id.empty() && !user_id.empty()) out.user_ids[wa_id] = user_id;
  }
  return out;
}

// One message of a batch: an event, an address change (system messages),
// or the reason it is skipped.
struct ParsedMessage {
  std::optional<InboundEvent> event;
  std::vector<AddressChange> address_changes;
  std::string skipped;
};

ParsedMessage Skip(std::string reason) {
  ParsedMessage out;
  out.skipped = std::move(reason);
  return out;
}

// A system message: the person changed their number (user_changed_number:
// "from" is the old number, system.wa_id the new one) or their BSUID
// (user_changed_user_id: system.previous_user_id and system.user_id, or
// the message's from_user_id for the new one). Meta's system-message
// reference (August 2026) carries previous_user_id with both kinds; a
// number change gives a new BSUID too, reported as a second change.
ParsedMessage ParseSystem(const json& m, const std::string& id, int64_t at) {
  const json* system = Field(m, "system");
  const std::string kind = system ? String(*system, "type").value_or("") : "";
  if (kind != "user_changed_number" && kind != "user_changed_user_id") {
    return Skip("system message " + (kind.empty() ? std::string("without type") : kind));
  }
  const std::string previous_user_id = String(*system, "previous_user_id").value_or("");
  std::string user_id = String(*system, "user_id").value_or("");
  if (user_id.empty()) user_id = String(m, "from_user_id").value_or("");
  ParsedMessage out;
  if (kind == "user_changed_number") {
    const std::string old_number = String(m, "from").value_or("");
    const std::string new_number = String(*system, "wa_id").value_or("");
    if (old_number.empty() || new_number.empty()) {
      return Skip("user_changed_number without from or system.wa_id");
    }
    out.address_changes.push_back({id, old_number, new_number, at});
  }
  if (!previous_user_id.empty() && !user_id.empty() && previous_user_id != user_id) {
    out.address_changes.push_back(
        {out.address_changes.empty() ? id : id + "#user_id", previous_user_id, user_id, at});
  }
  if (out.address_changes.empty()) {
    return Skip("user_changed_user_id without system.previous_user_id or the new user_id");
  }
  return out;
}

// The kind name of an unsupported message (see InboundEvent).
std::string UnsupportedKind(const std::string& type, const json& m) {
  if (type == "audio") {
    // A voice note is an audio message recorded in WhatsApp ("voice": true).
    const json* audio = Field(m, "audio");
    const json* voice = audio ? Field(*audio, "voice") : nullptr;
    return voice && voice->is_boolean() && voice->get<bool>() ? "voice" : "audio";
  }
  if (type == "image" || type == "video" || type == "document" || type == "sticker" ||
      type == "contacts" || type == "interactive" || type == "order") {
    return type;
  }
  return "unknown";  // "unsupported" (Meta could not read it either) and newer kinds
}

ParsedMessage ParseMessage(const json& m, const Senders& senders) {
  if (!m.is_object()) return Skip("message is not an object");
  const std::string id = String(m, "id").value_or("");
  if (id.empty()) return Skip("message without id");
  const std::string from = String(m, "from").value_or("");
  const std::string from_user_id = String(m, "from_user_id").value_or("");
  const std::string type = String(m, "type").value_or("");
  const int64_t at = MillisFromSeconds(Integer(m, "timestamp"));
  if (type == "system") return ParseSystem(m, id, at);
  if (Field(m, "group_id") != nullptr) return Skip(kGroupMessage);
  if (from.empty() && from_user_id.empty()) return Skip("message without from or from_user_id");
  // Reactions and disappearing-message notices need no answer.
  if (type == "reaction" || type == "ephemeral" || type == "request_welcome") {
    return Skip(type + " message");
  }

  InboundEvent ev;
  ev.provider_id = id;
  ev.address = from.empty() ? from_user_id : from;
  ev.user_id = from_user_id;
  if (ev.user_id.empty() && !from.empty()) {
    if (auto it = senders.user_ids.find(from); it != senders.user_ids.end()) {
      ev.user_id = it->second;
    }
  }
  if (auto it = senders.names.find(ev.address); it != senders.names.end()) {
    ev.sender_name = it->second;
  } else if (auto by_id = senders.names.find(ev.user_id); by_id != senders.names.end()) {
    ev.sender_name = by_id->second;
  }
  ev.sent_at = at;
  ParsedMessage out;

  if (type == "text") {
    const json* text = Field(m, "text");
    std::optional<std::string> body = text ? String(*text, "body") : std::nullopt;
    if (!body) return Skip("text message without text.body");
    ev.text = *body;
    out.event = std::move(ev);
    return out;
  }
  if (type == "interactive") {
    const json* interactive = Field(m, "interactive");
    const std::string kind = interactive ? String(*interactive, "type").value_or("") : "";
    if (kind == "button_reply" || kind == "list_reply") {
      const json* reply = Field(*interactive, kind.c_str());
      std::optional<std::string> reply_id = reply ? String(*reply, "id") : std::nullopt;
      if (!reply_id) return Skip("interactive reply without id");
      ev.choice_id = *reply_id;
      ev.text = String(*reply, "title").value_or("");
      out.event = std::move(ev);
      return out;
    }
  }
  if (type == "button") {
    // A quick-reply button of a template message.
    const json* button = Field(m, "button");
    std::optional<std::string> payload = button ? String(*button, "payload") : std::nullopt;
    if (payload) {
      ev.choice_id = *payload;
      ev.text = String(*button, "text").value_or("");
      out.event = std::move(ev);
      return out;
    }
  }
  if (type == "location") {
    const json* location = Field(m, "location");
    std::optional<double> lat = location ? Number(*location, "latitude") : std::nullopt;
    std::optional<double> lon = location ? Number(*location, "longitude") : std::nullopt;
    if (lat && lon) {
      ev.latitude = lat;
      ev.longitude = lon;
      out.event = std::move(ev);
      return out;
    }
  }
  if (type == "image" || type == "video" || type == "document") {
    const json* media = Field(m, type.c_str());
    if (std::optional<std::string> caption = media ? String(*media, "caption") : std::nullopt;
        caption && !caption->empty()) {
      ev.text = *caption;
      out.event = std::move(ev);
      return out;
    }
  }
  if (type == "contacts") {
    // A shared contact card: its first phone number is the answer when a
    // dialog asks for one.
    const json* cards = Field(m, "contacts");
    if (cards && cards->is_array() && !cards->empty()) {
      const json* phones = Field((*cards)[0], "phones");
      if (phones && phones->is_array() && !phones->empty()) {
        std::string phone = String((*phones)[0], "phone").value_or("");
        if (phone.empty()) phone = String((*phones)[0], "wa_id").value_or("");
        if (!phone.empty()) {
          ev.text = phone;
          out.event = std::move(ev);
          return out;
        }
      }
    }
  }
  // Voice notes, stickers, uncaptioned media, "unsupported": kept, and
  // answered with the polite text-only notice.
  ev.unsupported = true;
  ev.text = "[" + UnsupportedKind(type, m) + "]";
  out.event = std::move(ev);
  return out;
}

std::optional<StatusEvent> ParseStatus(const json& st) {
  const std::optional<std::string> id = String(st, "id");
  const std::optional<std::string> status = String(st, "status");
  if (!id || id->empty() || !status) return std::nullopt;
  const std::optional<std::string> mapped = DeliveryStatus(*status);
  if (!mapped) return std::nullopt;
  StatusEvent ev;
  ev.provider_id = *id;
  ev.status = *mapped;
  ev.at = MillisFromSeconds(Integer(st, "timestamp"));
  if (const json* errors = Field(st, "errors"); errors && errors->is_array() && !errors->empty()) {
    const json& e = (*errors)[0];
    if (auto code = Integer(e, "code")) ev.error_code = std::to_string(*code);
    // The title names the error ("Re-engagement message"); message repeats
    // it on newer payloads; error_data.details says what happened.
    ev.error_reason = String(e, "title").value_or("");
    if (ev.error_reason.empty()) ev.error_reason = String(e, "message").value_or("");
    if (const json* data = Field(e, "error_data")) {
      if (auto details = String(*data, "details");
          details && !details->empty() && *details != ev.error_reason) {
        ev.error_reason += ev.error_reason.empty() ? *details : ": " + *details;
      }
    }
  }
  return ev;
}

}  // namespace

std::unique_ptr<Channel> WhatsAppChannel::Make(const ChannelSettings& settings) {
  std::optional<Template> notice;
  const json templates = json_fields::Parse(settings.Get("templates", "{}"));
  if (const json* t = Field(templates, "notice")) {
    std::optional<std::string> name = String(*t, "name");
    if (name && !name->empty()) {
      notice = Template{*name, String(*t, "language").value_or("id")};
    }
  }
  return std::make_unique<WhatsAppChannel>(
      settings.id, settings.Get("phone_number_id"), settings.Get("access_token"),
      settings.Get("app_secret"), settings.Get("verify_token"),
      settings.Get("api_base", std::string(kDefaultApiBase)), notice);
}

WhatsAppChannel::WhatsAppChannel(std::string id, std::string phone_number_id,
                                 std::string access_token, std::string app_secret,
                                 std::string verify_token, std::string api_base,
                                 std::optional<Template> notice_template)
    : id_(std::move(id)),
      phone_number_id_(std::move(phone_number_id)),
      access_token_(std::move(access_token)),
      app_secret_(std::move(app_secret)),
      verify_token_(std::move(verify_token)),
      api_base_([&] {
        std::string base = api_base.empty() ? std::string(kDefaultApiBase) : api_base;
        while (!base.empty() && base.back() == '/') base.pop_back();
        return base;
      }()),
      notice_template_(std::move(notice_template)) {}

std::string WhatsAppChannel::Sign(std::string_view app_secret, std::string_view body) {
  return "sha256=" + HmacSha256Hex(app_secret, body);
}

std::optional<WebhookResponse> WhatsAppChannel::Handshake(const WebhookRequest& req) const {
  if (req.method != "GET") return std::nullopt;
  const std::string mode = Param(req, "hub.mode");
  const std::string token = Param(req, "hub.verify_token");
  const std::string challenge = Param(req, "hub.challenge");
  WebhookResponse res;
  res.content_type = "text/plain";
  // Fail closed: with no verify_token configured nothing is confirmed.
  if (mode == "subscribe" && !challenge.empty() && !verify_token_.empty() &&
      ConstantTimeEquals(token, verify_token_)) {
    res.status = 200;
    res.body = challenge;
  } else {
    res.status = 403;
    res.body = "forbidden";
  }
  return res;
}

std::optional<Rejection> WhatsAppChannel::Verify(const WebhookRequest& req,
                                                 int64_t /*now_ms*/) const {
  auto it = req.headers.find(std::string(kSignatureHeader));
  if (it == req.headers.end() || it->second.empty()) {
    return Rejection{401, "missing X-Hub-Signature-256 header"};
  }
  if (app_secret_.empty() || !ConstantTimeEquals(Lower(it->second), Sign(app_secret_, req.body))) {
    return Rejection{403, "X-Hub-Signature-256 does not match the body"};
  }
  return std::nullopt;
}

std::expected<InboundBatch, Rejection> WhatsAppChannel::Parse(const WebhookRequest& req) const {
  const json doc = json_fields::Parse(req.body);
  if (doc.is_discarded()) return std::unexpected(BadRequest("body is not JSON"));
  if (!doc.is_object()) return std::unexpected(BadRequest("body is not a JSON object"));
  InboundBatch batch;
  if (auto object = String(doc, "object"); object && *object != "whatsapp_business_account") {
    batch.ignored = "object " + *object;
    return batch;
  }
  const json* entries = Field(doc, "entry");
  if (entries == nullptr || !entries->is_array()) {
    return std::unexpected(BadRequest("\"entry\" must be an array"));
  }
  // From here on the body is Meta's envelope: whatever one part of it
  // holds, the rest is read and the batch acknowledged, so that Meta does
  // not retry a batch that can never succeed.
  for (const json& entry : *entries) {
    const json* changes = Field(entry, "changes");
    if (changes == nullptr || !changes->is_array()) {
      batch.skipped.push_back("entry without a \"changes\" array");
      continue;
    }
    for (const json& change : *changes) {
      if (String(change, "field").value_or("messages") != "messages") continue;
      const json* value = Field(change, "value");
      if (value == nullptr || !value->is_object()) {
        batch.skipped.push_back("change without a value object");
        continue;
      }
      // Several numbers can share one Meta app and its webhook: a change
      // for another number is not ours to store or answer.
      if (const json* metadata = Field(*value, "metadata")) {
        const std::string number_id = String(*metadata, "phone_number_id").value_or("");
        if (!number_id.empty() && number_id != phone_number_id_) {
          batch.skipped.push_back("delivery for another phone_number_id");
          continue;
        }
      }
      const Senders senders = ReadContacts(*value);
      if (const json* messages = Field(*value, "messages"); messages && messages->is_array()) {
        for (const json& m : *messages) {
          ParsedMessage parsed = ParseMessage(m, senders);
          if (!parsed.skipped.empty()) batch.skipped.push_back(std::move(parsed.skipped));
          if (parsed.event) batch.messages.push_back(std::move(*parsed.event));
          for (AddressChange& change : parsed.address_changes) {
            batch.address_changes.push_back(std::move(change));
          }
        }
      }
      if (const json* statuses = Field(*value, "statuses"); statuses && statuses->is_array()) {
        for (const json& st : *statuses) {
          if (auto ev = ParseStatus(st)) batch.statuses.push_back(std::move(*ev));
        }
      }
    }
  }
  if (batch.messages.empty() && batch.statuses.empty() && batch.address_changes.empty()) {
    batch.ignored = batch.skipped.empty() ? "no messages or statuses we handle"
                                          : "every message skipped";
  }
  return batch;
}

std::string WhatsAppChannel::MessagesUrl() const {
  return api_base_ + "/" + phone_number_id_ + "/messages";
}

SendError WhatsAppChannel::ClassifyFailure(const HttpResult& result) const {
  const std::vector<std::string> secrets = {access_token_, app_secret_};
  if (result.status == 0) {
    HttpResult cleaned = result;
    cleaned.error = CleanErrorText(result.error, secrets);
    return ErrorFromResponse(cleaned, "whatsapp");
  }
  const json body = json_fields::Parse(result.body);
  const json* error = Field(body, "error");
  const int64_t code = error ? Integer(*error, "code").value_or(0) : 0;
  std::string detail = error ? String(*error, "message").value_or("") : "";
  if (error) {
    if (const json* data = Field(*error, "error_data")) {
      if (auto details = String(*data, "details"); details && !details->empty()) {
        detail += ": " + *details;
      }
    }
  }
  detail = CleanErrorText(detail, secrets);
  SendError err = ErrorFromResponse(result, "whatsapp", detail);
  if (code != 0) err.code = std::to_string(code);
  switch (code) {
    case 4:        // application request limit
    case 80007:    // WABA rate limit
    case 130429:   // throughput limit
    case 131056:   // pair rate limit: the same recipient too often
      err.kind = SendError::Kind::kThrottled;
      break;
    case 1:        // unknown error, usually temporary
    case 2:        // service temporarily unavailable
    case 131000:   // something went wrong
    case 131016:   // service unavailable
      err.kind = SendError::Kind::kRetryable;
      break;
    case 190:      // access token expired or invalid
      err.kind = SendError::Kind::kConfig;
      break;
    case 131047:   // more than 24 hours since the contact last wrote
      err.kind = SendError::Kind::kPermanent;
      err.message = "outside_24h_window: " + err.message;
      break;
    default:
      break;
  }
  return err;
}

std::expected<std::string, SendError> WhatsAppChannel::PostMessage(const std::string& body,
                                                                   HttpClient& http) const {
  OutgoingRequest request;
  request.url = MessagesUrl();
  request.headers.emplace_back("Authorization", "Bearer " + access_token_);
  request.body = body;
  const HttpResult result = http.Send(request);
  if (result.status < 200 || result.status > 299) {
    return std::unexpected(ClassifyFailure(result));
  }
  // Accepted: even an unreadable answer must not make us send it again.
  const json answer = json_fields::Parse(result.body);
  if (const json* messages = Field(answer, "messages");
      messages && messages->is_array() && !messages->empty()) {
    if (auto wamid = String((*messages)[0], "id")) return *wamid;
  }
  return std::string();
}

std::expected<SendReceipt, SendError> WhatsAppChannel::Send(const OutboundMessage& msg,
                                                            HttpClient& http) const {
  if (access_token_.empty() || phone_number_id_.empty()) {
    return std::unexpected(SendError{SendError::Kind::kConfig,
                                     "whatsapp: access_token or phone_number_id is not configured"});
  }
  if (msg.text.empty()) {
    return std::unexpected(SendError{SendError::Kind::kPermanent, "whatsapp: empty text"});
  }
  SendReceipt receipt;
  if (msg.outside_window) {
    if (!notice_template_) {
      return std::unexpected(SendError{SendError::Kind::kPermanent,
                                       "outside_24h_window: no notice template configured"});
    }
    json body = Envelope(msg.address);
    body["type"] = "template";
    body["template"] = {
        {"name", notice_template_->name},
        {"language", {{"code", notice_template_->language}}},
        {"components",
         json::array({{{"type", "body"},
                       {"parameters", json::array({{{"type", "text"},
                                                    {"text", TemplateParameter(msg.text)}}})}}})}};
    auto sent = PostMessage(Dump(body), http);
    if (!sent) return std::unexpected(sent.error());
    receipt.provider_id = *sent;
    return receipt;
  }
  if (std::optional<json> interactive = InteractiveBody(msg)) {
    auto sent = PostMessage(Dump(*interactive), http);
    if (!sent) return std::unexpected(sent.error());
    receipt.provider_id = *sent;
    return receipt;
  }
  const std::string text = WithNumberedChoices(msg.text, msg.choices);
  const std::vector<std::string> parts = SplitTelegramText(text, kMaxTextUnits);
  receipt.segments = 0;
  for (const std::string& part : parts) {
    // A failure after the first part retries the whole message: earlier
    // parts may arrive twice (at least once, never lost).
    auto sent = PostMessage(Dump(TextBody(msg.address, part)), http);
    if (!sent) return std::unexpected(sent.error());
    receipt.provider_id = *sent;
    ++receipt.segments;
  }
  return receipt;
}

WebhookReport WhatsAppChannel::SetWebhook(const std::string& url, HttpClient& /*http*/) const {
  WebhookReport report;
  report.lines = {
      "WhatsApp webhooks are set in the Meta App Dashboard, not by API call.",
      "In your app: WhatsApp > Configuration > Webhook > Edit, then enter:",
      "  Callback URL:  " + url,
      "  Verify token:  the value of this channel's verify_token (not shown here)",
      "Then under Webhook fields subscribe to: messages",
      "The gateway must be running and reachable at that URL while you save,",
      "since Meta checks it at once with a GET request.",
      "Signatures are checked with this channel's app_secret: it must be the",
      "App Secret of the same app (App settings > Basic).",
  };
  if (notice_template_) {
    report.lines.push_back("Notice template: " + notice_template_->name + " (" +
                           notice_template_->language + "), one body variable {{1}}");
  } else {
    report.lines.push_back(
        "No notice template configured: notices cannot reach contacts silent for 24 h.");
  }
  return report;
}

WebhookReport WhatsAppChannel::WebhookInfo(const std::string& url, HttpClient& http) const {
  WebhookReport report = SetWebhook(url, http);
  OutgoingRequest request;
  request.method = "GET";
  request.url = api_base_ + "/" + phone_number_id_ +
                "?fields=display_phone_number,verified_name,quality_rating";
  request.headers.emplace_back("Authorization", "Bearer " + access_token_);
  const HttpResult result = http.Send(request);
  if (result.status < 200 || result.status > 299) {
    report.ok = false;
    report.lines.push_back("Checking the access token failed: " + ClassifyFailure(result).message);
    return report;
  }
  const json answer = json_fields::Parse(result.body);
  report.lines.push_back("Access token works for number " +
                         String(answer, "display_phone_number").value_or("?") + " (" +
                         String(answer, "verified_name").value_or("?") + "), quality " +
                         String(answer, "quality_rating").value_or("unknown"));
  return report;
}

std::vector<std::string> WhatsAppChannel::Secrets() const {
  std::vector<std::string> out;
  for (const std::string* s : {&access_token_, &app_secret_, &verify_token_}) {
    if (!s->empty()) out.push_back(*s);
  }
  return out;
}

}  // namespace suaradesa::channels
