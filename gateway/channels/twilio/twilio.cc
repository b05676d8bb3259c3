#include "gateway/channels/twilio/twilio.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

#include "gateway/channels/json_fields.h"
#include "gateway/channels/send_errors.h"
#include "gateway/channels/signature.h"
#include "gateway/channels/sms_segments.h"
#include "gateway/channels/telegram/telegram.h"

namespace suaradesa::channels {

namespace {

using nlohmann::json;
using json_fields::Field;
using json_fields::Integer;
using json_fields::String;

Rejection BadRequest(std::string reason) { return Rejection{400, std::move(reason)}; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string DecodeComponent(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string EncodeComponent(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// Twilio's statuses, mapped onto the store's delivery states; nullopt for
// intermediate states we do not record.
std::optional<std::string> DeliveryStatus(const std::string& status) {
  if (status == "sent" || status == "delivered" || status == "read" || status == "failed") {
    return status;
  }
  if (status == "undelivered" || status == "canceled") return "failed";
  return std::nullopt;
}

const std::string* Find(const std::multimap<std::string, std::string>& params,
                        const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view pair = body.substr(pos, amp - pos);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      if (eq == std::string_view::npos) {
        out.emplace_back(DecodeComponent(pair), std::string());
      } else {
        out.emplace_back(DecodeComponent(pair.substr(0, eq)), DecodeComponent(pair.substr(eq + 1)));
      }
    }
    pos = amp + 1;
  }
  return out;
}

std::string EncodeForm(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out += EncodeComponent(name) + "=" + EncodeComponent(value);
  }
  return out;
}

std::unique_ptr<Channel> TwilioChannel::Make(const ChannelSettings& settings) {
  return std::make_unique<TwilioChannel>(
      settings.id, settings.Get("account_sid"), settings.Get("auth_token"), settings.Get("from"),
      settings.public_url, settings.Get("api_base", std::string(kDefaultApiBase)));
}

std::vector<std::pair<std::string, std::string>> TwilioChannel::CheckSettings(
    const ChannelSettings& settings) {
  if (settings.Get("from").starts_with(kWhatsAppPrefix)) {
    return {{"from",
             "a Twilio WhatsApp sender (whatsapp:...) is not supported: the twilio channel "
             "sends SMS only; use a whatsapp channel (Meta Cloud API) for WhatsApp"}};
  }
  return {};
}

TwilioChannel::TwilioChannel(std::string id, std::string account_sid, std::string auth_token,
                             std::string from, std::string public_url, std::string api_base)
    : id_(std::move(id)),
      account_sid_(std::move(account_sid)),
      auth_token_(std::move(auth_token)),
      from_(std::move(from)),
      public_url_([&] {
        while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
        return public_url;
      }()),
      api_base_([&] {
        std::string base = api_base.empty() ? std::string(kDefaultApiBase) : api_base;
        while (!base.empty() && base.back() == '/') base.pop_back();
        return base;
      }()) {}

std::string TwilioChannel::Sign(std::string_view auth_token, std::string_view url,
                                const std::multimap<std::string, std::string>& params) {
  std::string data(url);
  // Names in sorted order; a repeated name contributes each value, sorted.
  std::set<std::string> names;
  for (const auto& [name, value] : params) names.insert(name);
  for (const std::string& name : names) {
    std::vector<std::string> values;
    auto [begin, end] = params.equal_range(name);
    for (auto it = begin; it != end; ++it) values.push_back(it->second);
    std::sort(values.begin(), values.end());
    for (const std::string& value : values) data += name + value;
  }
  return HmacSha1Base64(auth_token, data);
}

std::string TwilioChannel::TogglePort(const std::string& url) {
  const size_t sep = url.find("://");
  if (sep == std::string::npos) return url;
  const std::string scheme = url.substr(0, sep);
  const char* default_port = scheme == "https" ? "443" : scheme == "http" ? "80" : nullptr;
  if (default_port == nullptr) return url;
  const size_t host_begin = sep + 3;
  size_t host_end = url.find_first_of("/?#", host_begin);
  if (host_end == std::string::npos) host_end = url.size();
  const std::string authority = url.substr(host_begin, host_end - host_begin);
  const size_t colon = authority.rfind(':');
  const bool has_port = colon != std::string::npos && authority.find(']', colon) == std::string::npos;
  std::string new_authority;
  if (has_port) {
    if (authority.substr(colon + 1) != default_port) return url;
    new_authority = authority.substr(0, colon);
  } else {
    new_authority = authority + ":" + default_port;
  }
  return url.substr(0, host_begin) + new_authority + url.substr(host_end);
}

std::optional<Rejection> TwilioChannel::Verify(const WebhookRequest& req,
                                               int64_t /*now_ms*/) const {
  auto it = req.headers.find(std::string(kSignatureHeader));
  if (it == req.headers.end() || it->second.empty()) {
    return Rejection{401, "missing X-Twilio-Signature header"};
  }
  if (auth_token_.empty() || public_url_.empty()) {
    return Rejection{403, "X-Twilio-Signature cannot be checked: auth_token or public_url unset"};
  }
  std::string url = public_url_ + req.path;
  if (!req.query.empty()) url += "?" + req.query;
  // Only a POST's body parameters are signed; a GET's are in the URL.
  std::multimap<std::string, std::string> params;
  if (req.method == "POST") {
    for (auto& [name, value] : ParseForm(req.body)) params.emplace(name, value);
  }
  const std::string& given = it->second;
  const bool ok = ConstantTimeEquals(given, Sign(auth_token_, url, params)) ||
                  ConstantTimeEquals(given, Sign(auth_token_, TogglePort(url), params));
  if (!ok) return Rejection{403, "X-Twilio-Signature does not match"};
  return std::nullopt;
}

std::expected<InboundBatch, Rejection> TwilioChannel::Parse(const WebhookRequest& req) const {
  std::multimap<std::string, std::string> params;
  for (auto& [name, value] : ParseForm(req.body)) params.emplace(name, value);
  if (req.method != "POST") params = req.params;
  const std::string* sid = Find(params, "MessageSid");
  if (sid == nullptr) sid = Find(params, "SmsSid");
  if (sid == nullptr || sid->empty()) return std::unexpected(BadRequest("no MessageSid"));

  InboundBatch batch;
  const std::string* status = Find(params, "MessageStatus");
  if (status != nullptr && !status->empty() && *status != "received") {
    std::optional<std::string> mapped = DeliveryStatus(*status);
    if (!mapped) {
      batch.ignored = "status " + *status;
      return batch;
    }
    StatusEvent ev;
    ev.provider_id = *sid;
    ev.status = *mapped;
    if (const std::string* code = Find(params, "ErrorCode"); code && !code->empty()) {
      ev.error_code = *code;
    }
    if (const std::string* message = Find(params, "ErrorMessage"); message && !message->empty()) {
      ev.error_reason = *message;
    }
    batch.statuses.push_back(std::move(ev));
    return batch;
  }

  const std::string* from = Find(params, "From");
  if (from == nullptr || from->empty()) {
    batch.skipped.push_back("message without From");
    batch.ignored = batch.skipped.back();
    return batch;
  }
  // Twilio's WhatsApp senders arrive on the same webhook as "whatsapp:+62...".
  // Answers would go out through the SMS API, which Twilio refuses for them:
  // this channel type is SMS only (use a whatsapp channel for WhatsApp).
  if (from->starts_with(kWhatsAppPrefix)) {
    batch.skipped.push_back("Twilio WhatsApp sender (whatsapp:): this channel is SMS only");
    batch.ignored = batch.skipped.back();
    return batch;
  }
  InboundEvent ev;
  ev.provider_id = *sid;
  ev.address = *from;
  if (const std::string* body = Find(params, "Body")) ev.text = *body;
  const std::string* media = Find(params, "NumMedia");
  if (ev.text.empty() && media != nullptr && !media->empty() && *media != "0") {
    ev.unsupported = true;
    ev.text = "[media]";
  }
  batch.messages.push_back(std::move(ev));
  return batch;
}

WebhookResponse TwilioChannel::Ack(const InboundBatch& /*batch*/) const {
  WebhookResponse res;
  res.content_type = "text/xml";
  res.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
  return res;
}

std::string TwilioChannel::AccountUrl() const {
  return api_base_ + "/2010-04-01/Accounts/" + account_sid_;
}

SendError TwilioChannel::ClassifyFailure(const HttpResult& result) const {
  const std::vector<std::string> secrets = {auth_token_};
  if (result.status == 0) {
    HttpResult cleaned = result;
    cleaned.error = CleanErrorText(result.error, secrets);
    return ErrorFromResponse(cleaned, "twilio");
  }
  // {"code": 21211, "message": "The 'To' number ... is not valid.", ...}:
  // the message may quote the recipient's number, so only the code is kept.
  const json body = json_fields::Parse(result.body);
  std::string detail;
  std::optional<int64_t> code = Integer(body, "code");
  if (code) detail = "error " + std::to_string(*code);
  SendError err = ErrorFromResponse(result, "twilio", detail);
  if (code) err.code = std::to_string(*code);
  return err;
}

std::expected<SendReceipt, SendError> TwilioChannel::Send(const OutboundMessage& msg,
                                                          HttpClient& http) const {
  if (account_sid_.empty() || auth_token_.empty() || from_.empty()) {
    return std::unexpected(SendError{SendError::Kind::kConfig,
                                     "twilio: account_sid, auth_token or from is not configured"});
  }
  const std::vector<std::string> parts = SplitTelegramText(msg.text, kMaxBodyUnits);
  if (parts.empty()) {
    return std::unexpected(SendError{SendError::Kind::kPermanent, "twilio: empty text"});
  }
  SendReceipt receipt;
  receipt.segments = 0;
  for (const std::string& part : parts) {
    std::vector<std::pair<std::string, std::string>> form = {
        {"To", msg.address}, {"From", from_}, {"Body", part}};
    if (!public_url_.empty()) form.emplace_back("StatusCallback", public_url_ + "/webhook/" + id_);
    OutgoingRequest request;
    request.url = AccountUrl() + "/Messages.json";
    request.content_type = "application/x-www-form-urlencoded";
    request.headers.emplace_back("Authorization", BasicAuthorization(account_sid_, auth_token_));
    request.body = EncodeForm(form);
    const HttpResult result = http.Send(request);
    if (result.status < 200 || result.status > 299) {
      return std::unexpected(ClassifyFailure(result));
    }
    const json answer = json_fields::Parse(result.body);
    receipt.provider_id = String(answer, "sid").value_or("");
    receipt.segments += std::max(1, SmsSegments(part));
  }
  return receipt;
}

WebhookReport TwilioChannel::SetWebhook(const std::string& url, HttpClient& /*http*/) const {
  WebhookReport report;
  report.lines = {
      "Twilio webhooks are set in the Twilio Console, not by this command.",
      "Phone Numbers > Manage > Active numbers > " + from_ + " > Messaging configuration:",
      "  A message comes in:  Webhook,  URL " + url + ",  HTTP POST",
      "Delivery reports need no setting: each message asks for them at",
      "  " + url,
      "Signatures are checked against exactly this URL (public_url + /webhook/" + id_ + ");",
      "if Twilio is given another address, signatures will not match (403).",
  };
  if (public_url_.empty()) {
    report.ok = false;
    report.lines.push_back("public_url is not set in the config: incoming SMS will be refused.");
  }
  return report;
}

WebhookReport TwilioChannel::WebhookInfo(const std::string& url, HttpClient& http) const {
  WebhookReport report;
  OutgoingRequest request;
  request.method = "GET";
  request.url = AccountUrl() + "/IncomingPhoneNumbers.json?PhoneNumber=" +
                EncodeForm({{"", from_}}).substr(1);
  request.headers.emplace_back("Authorization", BasicAuthorization(account_sid_, auth_token_));
  const HttpResult result = http.Send(request);
  if (result.status < 200 || result.status > 299) {
    report.ok = false;
    report.lines.push_back("Reading the number's settings failed: " +
                           ClassifyFailure(result).message);
    return report;
  }
  const json answer = json_fields::Parse(result.body);
  const json* numbers = Field(answer, "incoming_phone_numbers");
  if (numbers == nullptr || !numbers->is_array() || numbers->empty()) {
    report.ok = false;
    report.lines.push_back("The account has no number " + from_ + ".");
    return report;
  }
  const std::string sms_url = String((*numbers)[0], "sms_url").value_or("");
  const std::string method = String((*numbers)[0], "sms_method").value_or("");
  report.lines.push_back("Number " + from_ + " sends incoming SMS to: " +
                         (sms_url.empty() ? std::string("(nothing)") : sms_url) +
                         (method.empty() ? "" : " (" + method + ")"));
  if (sms_url != url) {
    report.ok = false;
    report.lines.push_back("Expected: " + url + " (POST). Run `webhook set` to see how to fix it.");
  } else {
    report.lines.push_back("That is this gateway's URL.");
  }
  return report;
}

std::vector<std::string> TwilioChannel::Secrets() const {
  if (auth_token_.empty()) return {};
  return {auth_token_};
}

}  // namespace suaradesa::channels
