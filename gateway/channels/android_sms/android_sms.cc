#include "gateway/channels/android_sms/android_sms.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <nlohmann/json.hpp>

#include "gateway/channels/json_fields.h"
#include "gateway/channels/send_errors.h"
#include "gateway/channels/signature.h"
#include "gateway/channels/sms_segments.h"

namespace suaradesa::channels {

namespace {

using nlohmann::json;
using json_fields::Dump;
using json_fields::Field;
using json_fields::String;

Rejection BadRequest(std::string reason) { return Rejection{400, std::move(reason)}; }

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Header(const WebhookRequest& req, std::string_view name) {
  auto it = req.headers.find(std::string(name));
  return it == req.headers.end() ? std::string() : it->second;
}

}  // namespace

const std::vector<std::string>& AndroidSmsChannel::WebhookEvents() {
  static const std::vector<std::string> kEvents = {"sms:received", "mms:received", "sms:sent",
                                                   "sms:delivered", "sms:failed"};
  return kEvents;
}

std::unique_ptr<Channel> AndroidSmsChannel::Make(const ChannelSettings& settings) {
  return std::make_unique<AndroidSmsChannel>(
      settings.id, settings.Get("api_base", settings.Get("url")), settings.Get("username"),
      settings.Get("password"), settings.Get("signing_key"));
}

AndroidSmsChannel::AndroidSmsChannel(std::string id, std::string url, std::string username,
                                     std::string password, std::string signing_key)
    : id_(std::move(id)),
      url_([&] {
        while (!url.empty() && url.back() == '/') url.pop_back();
        return url;
      }()),
      username_(std::move(username)),
      password_(std::move(password)),
      signing_key_(std::move(signing_key)) {}

std::string AndroidSmsChannel::Sign(std::string_view signing_key, std::string_view body,
                                    std::string_view timestamp) {
  std::string message(body);
  message += timestamp;
  return HmacSha256Hex(signing_key, message);
}

std::optional<Rejection> AndroidSmsChannel::Verify(const WebhookRequest& req,
                                                   int64_t now_ms) const {
  const std::string signature = Header(req, kSignatureHeader);
  const std::string timestamp = Header(req, kTimestampHeader);
  if (signature.empty() || timestamp.empty()) {
    return Rejection{401, "missing X-Signature or X-Timestamp header"};
  }
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), seconds);
  if (ec != std::errc() || end != timestamp.data() + timestamp.size()) {
    return Rejection{401, "X-Timestamp is not a number"};
  }
  // Compared in seconds first: a huge timestamp must not overflow into range.
  const int64_t now_seconds = now_ms / 1000;
  const int64_t max_skew_seconds = kMaxClockSkewMs / 1000 + 1;
  const bool near = seconds > now_seconds - max_skew_seconds &&
                    seconds < now_seconds + max_skew_seconds;
  const int64_t skew = near ? seconds * 1000 - now_ms : kMaxClockSkewMs + 1;
  if (skew > kMaxClockSkewMs || skew < -kMaxClockSkewMs) {
    return Rejection{401, "X-Timestamp is more than 5 minutes from now"};
  }
  if (signing_key_.empty() ||
      !ConstantTimeEquals(Lower(signature), Sign(signing_key_, req.body, timestamp))) {
    return Rejection{403, "X-Signature does not match"};
  }
  return std::nullopt;
}

std::expected<InboundBatch, Rejection> AndroidSmsChannel::Parse(const WebhookRequest& req) const {
  const json doc = json_fields::Parse(req.body);
  if (doc.is_discarded()) return std::unexpected(BadRequest("body is not JSON"));
  if (!doc.is_object()) return std::unexpected(BadRequest("body is not a JSON object"));
  const std::optional<std::string> event = String(doc, "event");
  const std::optional<std::string> id = String(doc, "id");
  if (!event || !id || id->empty()) {
    return std::unexpected(BadRequest("\"event\" and \"id\" must be strings"));
  }
  const json* payload = Field(doc, "payload");
  InboundBatch batch;
  // Inside the envelope, an event we cannot use is acknowledged (the phone
  // would retry it for two days) and skipped with a reason.
  const auto skip = [&batch](std::string reason) {
    batch.skipped.push_back(reason);
    batch.ignored = std::move(reason);
    return batch;
  };
  // sms:received is a text; mms:received a picture or voice message we
  // cannot read, recorded as "[media]" and answered with the text-only
  // notice. (mms:downloaded reports the same MMS again once fetched.)
  if (*event == "sms:received" || *event == "mms:received") {
    if (payload == nullptr || !payload->is_object()) return skip(*event + " without payload");
    std::optional<std::string> sender = String(*payload, "sender");
    if (!sender || sender->empty()) sender = String(*payload, "phoneNumber");  // deprecated
    if (!sender || sender->empty()) return skip(*event + " without payload.sender");
    InboundEvent ev;
    ev.provider_id = *id;
    ev.address = *sender;
    if (*event == "sms:received") {
      ev.text = String(*payload, "message").value_or("");
    } else {
      ev.unsupported = true;
      ev.text = "[media]";
    }
    batch.messages.push_back(std::move(ev));
    return batch;
  }
  std::string status;
  if (*event == "sms:sent") status = "sent";
  if (*event == "sms:delivered") status = "delivered";
  if (*event == "sms:failed") status = "failed";
  if (status.empty()) {
    // sms:data-received (binary SMS between apps, not written by a person),
    // mms:downloaded, sms:cancelled, system:ping, app:started.
    batch.ignored = "event " + *event;
    return batch;
  }
  const std::optional<std::string> message_id =
      payload ? String(*payload, "messageId") : std::nullopt;
  if (!message_id || message_id->empty()) return skip(*event + " without payload.messageId");
  StatusEvent ev;
  ev.provider_id = *message_id;
  ev.status = status;
  if (status == "failed") ev.error_reason = String(*payload, "reason").value_or("");
  batch.statuses.push_back(std::move(ev));
  return batch;
}

OutgoingRequest AndroidSmsChannel::Request(std::string method, const std::string& path) const {
  OutgoingRequest request;
  request.method = std::move(method);
  request.url = url_ + path;
  request.headers.emplace_back("Authorization", BasicAuthorization(username_, password_));
  return request;
}

SendError AndroidSmsChannel::ClassifyFailure(const HttpResult& result) const {
  // The phone's answers may quote numbers; only the status is kept.
  HttpResult cleaned = result;
  cleaned.error = CleanErrorText(result.error, {password_, signing_key_});
  return ErrorFromResponse(cleaned, "android_sms");
}

std::expected<SendReceipt, SendError> AndroidSmsChannel::Send(const OutboundMessage& msg,
                                                              HttpClient& http) const {
  if (url_.empty() || username_.empty() || password_.empty()) {
    return std::unexpected(SendError{SendError::Kind::kConfig,
                                     "android_sms: url, username or password is not configured"});
  }
  if (msg.text.empty()) {
    return std::unexpected(SendError{SendError::Kind::kPermanent, "android_sms: empty text"});
  }
  OutgoingRequest request = Request("POST", "/message");
  request.body = Dump({{"textMessage", {{"text", msg.text}}},
                       {"phoneNumbers", json::array({msg.address})},
                       {"withDeliveryReport", true}});
  const HttpResult result = http.Send(request);
  if (result.status < 200 || result.status > 299) {
    return std::unexpected(ClassifyFailure(result));
  }
  SendReceipt receipt;
  receipt.segments = std::max(1, SmsSegments(msg.text));
  const json answer = json_fields::Parse(result.body);
  receipt.provider_id = String(answer, "id").value_or("");
  return receipt;
}

WebhookReport AndroidSmsChannel::SetWebhook(const std::string& url, HttpClient& http) const {
  WebhookReport report;
  for (const std::string& event : WebhookEvents()) {
    std::string hook_id = "suaradesa-" + id_ + "-" + event;
    std::replace(hook_id.begin(), hook_id.end(), ':', '-');
    OutgoingRequest request = Request("POST", "/webhooks");
    request.body = Dump({{"id", hook_id}, {"url", url}, {"event", event}});
    const HttpResult result = http.Send(request);
    if (result.status < 200 || result.status > 299) {
      report.ok = false;
      report.lines.push_back(event + ": failed: " + ClassifyFailure(result).message);
    } else {
      report.lines.push_back(event + ": registered " + url);
    }
  }
  report.lines.push_back(
      "Set the same signing key in the app (Settings > Webhooks > Signing key) as this "
      "channel's signing_key.");
  if (url.rfind("https://", 0) != 0) {
    report.lines.push_back(
        "Note: the app only calls https:// URLs (or http://127.0.0.1); use a TLS set-up.");
  }
  return report;
}

WebhookReport AndroidSmsChannel::WebhookInfo(const std::string& url, HttpClient& http) const {
  WebhookReport report;
  const HttpResult result = http.Send(Request("GET", "/webhooks"));
  if (result.status < 200 || result.status > 299) {
    report.ok = false;
    report.lines.push_back("Reading the webhooks failed: " + ClassifyFailure(result).message);
    return report;
  }
  const json answer = json_fields::Parse(result.body);
  if (!answer.is_array()) {
    report.ok = false;
    report.lines.push_back("The phone's answer is not a list of webhooks.");
    return report;
  }
  for (const std::string& event : WebhookEvents()) {
    bool found = false;
    for (const json& hook : answer) {
      if (String(hook, "event").value_or("") == event && String(hook, "url").value_or("") == url) {
        found = true;
      }
    }
    report.lines.push_back(event + ": " + (found ? "registered" : "NOT registered"));
    if (!found) report.ok = false;
  }
  for (const json& hook : answer) {
    const std::string hook_url = String(hook, "url").value_or("");
    if (hook_url != url) {
      report.lines.push_back("other webhook: " + String(hook, "event").value_or("?") + " -> " +
                             hook_url);
    }
  }
  return report;
}

std::vector<std::string> AndroidSmsChannel::Secrets() const {
  std::vector<std::string> out;
  if (!password_.empty()) out.push_back(password_);
  if (!signing_key_.empty()) out.push_back(signing_key_);
  return out;
}

}  // namespace suaradesa::channels
