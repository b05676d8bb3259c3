// TwilioChannel: an SMS number on Twilio Programmable Messaging.
//
// Settings: account_sid, auth_token and from (required; from is the E.164
// sender number); api_base (optional, default "https://api.twilio.com").
// The webhook URL Twilio signs is the config's public_url + the request
// path (/webhook/{id}).
//
// Inbound: a form POST signed with
//   X-Twilio-Signature: base64(HMAC-SHA1(auth_token, url + for each name in
//                       sorted order, each of its values sorted: name+value))
// over every received parameter; the URL is accepted with and without the
// scheme's default port (Twilio's own validators do the same). An incoming
// SMS (MessageSid, From, Body) becomes an InboundEvent with provider_id =
// MessageSid; an MMS without a Body an unsupported "[media]" one; a status
// callback (MessageStatus, ErrorCode, ErrorMessage when sent) a
// StatusEvent. A message from a Twilio WhatsApp sender ("whatsapp:+62...")
// or without From is skipped; Twilio SMS has no group messages.
// The answer is an empty TwiML <Response/>: replies go through the outbox.
//
// Outbound: POST {api_base}/2010-04-01/Accounts/{sid}/Messages.json with
// Basic auth and the form To, From, Body, StatusCallback (public_url +
// /webhook/{id}, when public_url is set). Texts above 1600 characters go
// out as several messages.
//
// Thread safety: immutable after construction; all methods may be called
// from several threads at once.
#ifndef SUARADESA_GATEWAY_CHANNELS_TWILIO_TWILIO_H_
#define SUARADESA_GATEWAY_CHANNELS_TWILIO_TWILIO_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/channels/channel.h"
#include "gateway/channels/registry.h"

namespace suaradesa::channels {

class TwilioChannel final : public Channel {
 public:
  static constexpr std::string_view kDefaultApiBase = "https://api.twilio.com";
  static constexpr std::string_view kSignatureHeader = "x-twilio-signature";
  static constexpr size_t kMaxBodyUnits = 1600;
  // Twilio's prefix for WhatsApp addresses ("whatsapp:+6281..."). This
  // channel type sends SMS only: such a sender is skipped, and such a
  // "from" setting is a config error (CheckSettings).
  static constexpr std::string_view kWhatsAppPrefix = "whatsapp:";

  // Problems with the settings, as {key, problem}: "from" must be a phone
  // number, not a Twilio WhatsApp sender.
  static std::vector<std::pair<std::string, std::string>> CheckSettings(
      const ChannelSettings& settings);

  static std::unique_ptr<Channel> Make(const ChannelSettings& settings);

  // public_url: where Twilio reaches us (no trailing slash), e.g.
  // "https://desa.example.org"; the webhook URL is public_url + path.
  TwilioChannel(std::string id, std::string account_sid, std::string auth_token,
                std::string from, std::string public_url,
                std::string api_base = std::string(kDefaultApiBase));

  // base64(HMAC-SHA1(auth_token, url + sorted name/value pairs)): the
  // X-Twilio-Signature Twilio sends for a POST of `params` to `url`.
  static std::string Sign(std::string_view auth_token, std::string_view url,
                          const std::multimap<std::string, std::string>& params);

  // The URL with the scheme's default port added when absent, or removed
  // when present; the URL unchanged for other ports.
  static std::string TogglePort(const std::string& url);

  const std::string& id() const override { return id_; }
  const std::string& type() const override { return type_; }

  // 401 when X-Twilio-Signature is missing, 403 when it matches neither
  // form of the URL (or no public_url is configured).
  std::optional<Rejection> Verify(const WebhookRequest& req, int64_t now_ms) const override;
  // 400 without MessageSid, or an inbound message without From.
  std::expected<InboundBatch, Rejection> Parse(const WebhookRequest& req) const override;
  // 200 text/xml with an empty <Response/>.
  WebhookResponse Ack(const InboundBatch& batch) const override;
  // Errors: network/5xx kRetryable; 429 kThrottled; 401/403 kConfig; other
  // 4xx kPermanent (e.g. 21211 invalid To, 21610 unsubscribed recipient).
  std::expected<SendReceipt, SendError> Send(const OutboundMessage& msg,
                                             HttpClient& http) const override;
  bool is_sms() const override { return true; }

  // Prints where to paste the URL in the Twilio Console.
  WebhookReport SetWebhook(const std::string& url, HttpClient& http) const override;
  // Reads the number's configured SMS URL through the REST API.
  WebhookReport WebhookInfo(const std::string& url, HttpClient& http) const override;
  std::vector<std::string> Secrets() const override;

 private:
  std::string AccountUrl() const;  // {api_base}/2010-04-01/Accounts/{sid}
  SendError ClassifyFailure(const HttpResult& result) const;

  const std::string id_;
  const std::string type_ = "twilio";
  const std::string account_sid_;
  const std::string auth_token_;
  const std::string from_;
  const std::string public_url_;
  const std::string api_base_;  // without a trailing slash
};

// application/x-www-form-urlencoded helpers.
// Decodes a form body ("a=1&b=x+y%21") into name/value pairs, in order.
std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view body);
// Encodes pairs as a form body (spaces as %20, unreserved characters kept).
std::string EncodeForm(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace suaradesa::channels

#endif  // SUARADESA_GATEWAY_CHANNELS_TWILIO_TWILIO_H_
