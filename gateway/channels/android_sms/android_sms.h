// AndroidSmsChannel: an Android phone running capcom6's "SMS Gateway for
// Android" (sms-gate.app), in local-server mode or through its cloud.
//
// Settings: url (the phone's API, e.g. "http://192.168.1.20:8080", or
// "https://api.sms-gate.app/3rdparty/v1"), username, password and
// signing_key (required); api_base (optional, replaces url).
//
// Inbound: one event per POST, {"deviceId","event","id","payload",
// "webhookId"}, signed with the headers
//   X-Timestamp: unix seconds
//   X-Signature: hex HMAC-SHA256(signing_key, raw body + X-Timestamp)
// A timestamp more than 5 minutes from now is refused (replays). The
// envelope id is the dedupe key (payload.messageId is derived from the
// content and is not unique). sms:received becomes an InboundEvent;
// mms:received an unsupported "[media]" one (answered with the text-only
// notice); sms:sent, sms:delivered and sms:failed (with its reason) become
// StatusEvents for the message id the send API gave us; an event missing
// its sender or message id is skipped; other events (sms:data-received,
// mms:downloaded, sms:cancelled, system:ping, app:started) are
// acknowledged and ignored. SMS has no group messages.
//
// Outbound: POST {url}/message with Basic auth and
//   {"textMessage":{"text":...},"phoneNumbers":[...],"withDeliveryReport":true}
// The phone splits long texts into parts itself.
//
// Thread safety: immutable after construction; all methods may be called
// from several threads at once.
#ifndef SUARADESA_GATEWAY_CHANNELS_ANDROID_SMS_ANDROID_SMS_H_
#define SUARADESA_GATEWAY_CHANNELS_ANDROID_SMS_ANDROID_SMS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/channels/channel.h"
#include "gateway/channels/registry.h"

namespace suaradesa::channels {

class AndroidSmsChannel final : public Channel {
 public:
  static constexpr std::string_view kSignatureHeader = "x-signature";
  static constexpr std::string_view kTimestampHeader = "x-timestamp";
  static constexpr int64_t kMaxClockSkewMs = 5 * 60 * 1000;
  // The events `webhook set` registers, one registration each.
  static const std::vector<std::string>& WebhookEvents();

  static std::unique_ptr<Channel> Make(const ChannelSettings& settings);

  AndroidSmsChannel(std::string id, std::string url, std::string username,
                    std::string password, std::string signing_key);

  // hex HMAC-SHA256(signing_key, body + timestamp).
  static std::string Sign(std::string_view signing_key, std::string_view body,
                          std::string_view timestamp);

  const std::string& id() const override { return id_; }
  const std::string& type() const override { return type_; }

  // 401 when a header is missing or the timestamp is not within 5 minutes
  // of now_ms; 403 when the signature does not match.
  std::optional<Rejection> Verify(const WebhookRequest& req, int64_t now_ms) const override;
  // 400 for a body that is not an object with string "event" and "id" (not
  // the app's envelope); an event without its sender or message id is
  // skipped with 200.
  std::expected<InboundBatch, Rejection> Parse(const WebhookRequest& req) const override;
  // Errors: network/5xx kRetryable; 429 kThrottled; 401/403 kConfig; other
  // 4xx kPermanent.
  std::expected<SendReceipt, SendError> Send(const OutboundMessage& msg,
                                             HttpClient& http) const override;
  bool is_sms() const override { return true; }

  // POST {url}/webhooks once per event in WebhookEvents(), with fixed ids
  // so that running it again replaces rather than adds.
  WebhookReport SetWebhook(const std::string& url, HttpClient& http) const override;
  // GET {url}/webhooks: what the phone will call.
  WebhookReport WebhookInfo(const std::string& url, HttpClient& http) const override;
  std::vector<std::string> Secrets() const override;

 private:
  OutgoingRequest Request(std::string method, const std::string& path) const;
  SendError ClassifyFailure(const HttpResult& result) const;

  const std::string id_;
  const std::string type_ = "android_sms";
  const std::string url_;  // without a trailing slash
  const std::string username_;
  const std::string password_;
  const std::string signing_key_;
};

}  // namespace suaradesa::channels

#endif  // SUARADESA_GATEWAY_CHANNELS_ANDROID_SMS_ANDROID_SMS_H_
