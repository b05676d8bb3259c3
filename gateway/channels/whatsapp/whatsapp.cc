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

json Envelope(const std::string& to) {
  return {{"messaging_product", "whatsapp"}, {"recipient_type", "individual"}, {"to", to}};
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

// One inbound message of a batch. Returns nullopt for kinds that need no
// answer at all (system notices, reactions).
std::expected<std::optional<InboundEvent>, Rejection> ParseMessage(
    const json& m, const std::map<std::string, std::string>& names) {
  const std::optional<std::string> id = String(m, "id");
  const std::optional<std::string> from = String(m, "from");
  if (!id || id->empty()) return std::unexpected(BadRequest("message without id"));
  if (!from || from->empty()) return std::unexpected(BadRequest("message without from"));
  const std::string type = String(m, "type").value_or("");
  InboundEvent ev;
  ev.provider_id = *id;
  ev.address = *from;
  if (auto it = names.find(*from); it != names.end()) ev.sender_name = it->second;
  ev.sent_at = MillisFromSeconds(Integer(m, "timestamp"));

  if (type == "system" || type == "reaction" || type == "ephemeral") return std::nullopt;
  if (type == "text") {
    const json* text = Field(m, "text");
    std::optional<std::string> body = text ? String(*text, "body") : std::nullopt;
    if (!body) return std::unexpected(BadRequest("text message without text.body"));
    ev.text = *body;
    return ev;
  }
  if (type == "interactive") {
    const json* interactive = Field(m, "interactive");
    const std::string kind = interactive ? String(*interactive, "type").value_or("") : "";
    if (kind == "button_reply" || kind == "list_reply") {
      const json* reply = Field(*interactive, kind.c_str());
      std::optional<std::string> reply_id = reply ? String(*reply, "id") : std::nullopt;
      if (!reply_id) return std::unexpected(BadRequest("interactive reply without id"));
      ev.choice_id = *reply_id;
      ev.text = String(*reply, "title").value_or("");
      return ev;
    }
  }
  if (type == "button") {
    // A quick-reply button of a template message.
    const json* button = Field(m, "button");
    std::optional<std::string> payload = button ? String(*button, "payload") : std::nullopt;
    if (payload) {
      ev.choice_id = *payload;
      ev.text = String(*button, "text").value_or("");
      return ev;
    }
  }
  if (type == "location") {
    const json* location = Field(m, "location");
    std::optional<double> lat = location ? Number(*location, "latitude") : std::nullopt;
    std::optional<double> lon = location ? Number(*location, "longitude") : std::nullopt;
    if (lat && lon) {
      ev.latitude = lat;
      ev.longitude = lon;
      return ev;
    }
  }
  if (type == "image" || type == "video" || type == "document") {
    const json* media = Field(m, type.c_str());
    if (std::optional<std::string> caption = media ? String(*media, "caption") : std::nullopt;
        caption && !caption->empty()) {
      ev.text = *caption;
      return ev;
    }
  }
  // Voice notes, stickers, contacts, uncaptioned media, "unsupported": kept,
  // and answered with the polite text-only notice.
  ev.unsupported = true;
  ev.text = "[" + (type.empty() ? std::string("unknown") : type) + "]";
  return ev;
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
    ev.error_code = std::to_string(Integer(e, "code").value_or(0));
    if (auto title = String(e, "title")) ev.error_reason = *title;
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
  for (const json& entry : *entries) {
    const json* changes = Field(entry, "changes");
    if (changes == nullptr || !changes->is_array()) {
      return std::unexpected(BadRequest("entry without a \"changes\" array"));
    }
    for (const json& change : *changes) {
      if (String(change, "field").value_or("messages") != "messages") continue;
      const json* value = Field(change, "value");
      if (value == nullptr || !value->is_object()) continue;
      std::map<std::string, std::string> names;
      if (const json* contacts = Field(*value, "contacts"); contacts && contacts->is_array()) {
        for (const json& c : *contacts) {
          std::optional<std::string> wa_id = String(c, "wa_id");
          const json* profile = Field(c, "profile");
          std::optional<std::string> name = profile ? String(*profile, "name") : std::nullopt;
          if (wa_id && name) names[*wa_id] = *name;
        }
      }
      if (const json* messages = Field(*value, "messages"); messages && messages->is_array()) {
        for (const json& m : *messages) {
          auto ev = ParseMessage(m, names);
          if (!ev) return std::unexpected(ev.error());
          if (*ev) batch.messages.push_back(std::move(**ev));
        }
      }
      if (const json* statuses = Field(*value, "statuses"); statuses && statuses->is_array()) {
        for (const json& st : *statuses) {
          if (auto ev = ParseStatus(st)) batch.statuses.push_back(std::move(*ev));
        }
      }
    }
  }
  if (batch.messages.empty() && batch.statuses.empty()) {
    batch.ignored = "no messages or statuses we handle";
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
