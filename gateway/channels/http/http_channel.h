// HttpChannel: the generic HTTP channel, for SMS bridges (Kannel, Jasmin)
// and custom integrations that speak a small signed JSON protocol.
//
// Settings: secret and send_url (required); api_base is accepted and unused.
//
// Inbound: POST with the JSON body {"id": "...", "from": "...", "text": "..."}
// (id and from non-empty strings; text a string, may be empty or absent;
// optional "name" string) and the header
//   X-Suaradesa-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>
// One request is one message; provider_id = id, address = from.
//
// Outbound: POST send_url with {"to", "text", "choices": [{"id","label"}]}
// ("choices" only when there are some), signed the same way. A 2xx answer
// may carry {"id": ...}, which becomes the provider id.
//
// The channel counts as SMS (replies are rendered for GSM-7); a receipt's
// segments is the GSM segment count of the text.
//
// Thread safety: immutable after construction; all methods may be called
// from several threads at once.
#ifndef SUARADESA_GATEWAY_CHANNELS_HTTP_HTTP_CHANNEL_H_
#define SUARADESA_GATEWAY_CHANNELS_HTTP_HTTP_CHANNEL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/channels/channel.h"
#include "gateway/channels/registry.h"

namespace suaradesa::channels {

class HttpChannel final : public Channel {
 public:
  static constexpr std::string_view kSignatureHeader = "x-suaradesa-signature";
  static constexpr std::string_view kSignaturePrefix = "sha256=";

  // The registry's factory: reads secret and send_url.
  static std::unique_ptr<Channel> Make(const ChannelSettings& settings);

  HttpChannel(std::string id, std::string secret, std::string send_url);

  // "sha256=" + hex HMAC-SHA256(secret, body): the signature header's value
  // for body, in both directions.
  static std::string Sign(std::string_view secret, std::string_view body);

  const std::string& id() const override { return id_; }
  const std::string& type() const override { return type_; }

  // 401 when the signature header is missing, 403 when it does not match (or
  // no secret is configured).
  std::optional<Rejection> Verify(const WebhookRequest& req,
                                  int64_t now_ms) const override;
  // 400 unless the body is {"id": string, "from": string, "text"?: string}:
  // one message per request from a bridge we document, so a bad one is
  // refused (the bridge's author sees why) rather than skipped. There are
  // no kinds other than text and no group messages.
  std::expected<InboundBatch, Rejection> Parse(const WebhookRequest& req) const override;
  // Errors: network/5xx kRetryable; 429 kThrottled (Retry-After); 401/403
  // kConfig; other 4xx kPermanent.
  std::expected<SendReceipt, SendError> Send(const OutboundMessage& msg,
                                             HttpClient& http) const override;
  bool is_sms() const override { return true; }
  std::vector<std::string> Secrets() const override;

 private:
  const std::string id_;
  const std::string type_ = "http";
  const std::string secret_;
  const std::string send_url_;
};

}  // namespace suaradesa::channels

#endif  // SUARADESA_GATEWAY_CHANNELS_HTTP_HTTP_CHANNEL_H_
