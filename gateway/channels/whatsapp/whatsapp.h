// WhatsAppChannel: a WhatsApp Business number on Meta's Cloud API.
//
// Settings: phone_number_id, access_token, app_secret and verify_token
// (required); api_base (default "https://graph.facebook.com/v21.0"; tests
// point it at a fake platform); templates (optional), e.g.
//   "templates": {"notice": {"name": "pemberitahuan", "language": "id"}}
// naming an approved template with one body variable ({{1}}), used for
// notices to contacts outside the 24-hour window.
//
// Inbound: Meta verifies the callback URL once with a GET (hub.mode,
// hub.verify_token, hub.challenge): we echo the challenge as text/plain when
// the token matches, else 403. Deliveries are POSTs signed with
//   X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app_secret, raw body)>
// carrying a batch: every entry, change, message and status is read, and
// one part that cannot be used is skipped (with a reason) while the rest is
// processed. text, interactive button_reply/list_reply, template
// quick-reply buttons, locations and shared contacts (their first phone
// number as text) become InboundEvents (provider_id = the wamid); media
// with a caption count as text; other kinds (voice notes, stickers, ...)
// come back as unsupported events. A sender's address is "from" (the
// phone number) when present, else "from_user_id" (the business-scoped
// user id, BSUID, of a person who hides their number behind a username);
// user_id is the BSUID from from_user_id or contacts[].user_id. System
// messages user_changed_number and user_changed_user_id become
// AddressChanges. Skipped: group messages (group_id), changes for another
// phone_number_id of the same app, reactions, messages without id or
// sender. statuses (sent, delivered, read, failed with errors[0]'s code
// and title/details) become StatusEvents.
//
// Outbound: POST {api_base}/{phone_number_id}/messages with the Bearer
// token, addressed with "to" (a phone number) or, for a contact known only
// by its BSUID, "recipient". Plain text (split above 4096 characters);
// with choices, reply buttons (at most 3, titles of at most 20
// characters), else a list (at most 10 rows), else text with numbered
// options. Outside the 24-hour
// window only the notice template can be sent.
//
// Thread safety: immutable after construction; all methods may be called
// from several threads at once.
#ifndef SUARADESA_GATEWAY_CHANNELS_WHATSAPP_WHATSAPP_H_
#define SUARADESA_GATEWAY_CHANNELS_WHATSAPP_WHATSAPP_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/channels/channel.h"
#include "gateway/channels/registry.h"

namespace suaradesa::channels {

class WhatsAppChannel final : public Channel {
 public:
  static constexpr std::string_view kDefaultApiBase = "https://graph.facebook.com/v21.0";
  static constexpr std::string_view kSignatureHeader = "x-hub-signature-256";
  static constexpr int64_t kWindowMs = 24LL * 3600 * 1000;
  static constexpr size_t kMaxTextUnits = 4096;
  static constexpr size_t kMaxInteractiveBodyChars = 1024;
  static constexpr size_t kMaxButtons = 3;
  static constexpr size_t kMaxButtonTitleChars = 20;
  static constexpr size_t kMaxButtonIdChars = 256;
  static constexpr size_t kMaxListRows = 10;
  static constexpr size_t kMaxRowTitleChars = 24;
  static constexpr size_t kMaxRowDescriptionChars = 72;
  static constexpr size_t kMaxRowIdChars = 200;

  struct Template {
    std::string name;
    std::string language = "id";
  };

  // The registry's factory. A malformed "templates" value (config
  // validation checks its shape) leaves the channel without a template.
  static std::unique_ptr<Channel> Make(const ChannelSettings& settings);

  WhatsAppChannel(std::string id, std::string phone_number_id, std::string access_token,
                  std::string app_secret, std::string verify_token,
                  std::string api_base = std::string(kDefaultApiBase),
                  std::optional<Template> notice_template = std::nullopt);

  // "sha256=" + hex HMAC-SHA256(app_secret, body).
  static std::string Sign(std::string_view app_secret, std::string_view body);

  const std::string& id() const override { return id_; }
  const std::string& type() const override { return type_; }

  // GET: the verification handshake (200 + challenge, or 403).
  std::optional<WebhookResponse> Handshake(const WebhookRequest& req) const override;
  // 401 when X-Hub-Signature-256 is missing, 403 when it does not match.
  std::optional<Rejection> Verify(const WebhookRequest& req, int64_t now_ms) const override;
  // 400 for a body that is not a JSON object or whose "entry" is not an
  // array (not Meta's envelope); everything inside it that cannot be used
  // is skipped.
  std::expected<InboundBatch, Rejection> Parse(const WebhookRequest& req) const override;
  // Errors: network/5xx kRetryable; 429 and the rate-limit codes 4, 80007,
  // 130429, 131056 kThrottled (Retry-After honoured); 401 and code 190
  // kConfig; 403 kConfig; 131047 (window closed) and other 4xx kPermanent.
  std::expected<SendReceipt, SendError> Send(const OutboundMessage& msg,
                                             HttpClient& http) const override;

  int64_t free_form_window_ms() const override { return kWindowMs; }
  bool CanSendOutsideWindow() const override { return notice_template_.has_value(); }

  // Meta's webhook is configured in the App Dashboard: prints what to paste.
  WebhookReport SetWebhook(const std::string& url, HttpClient& http) const override;
  // Checks the access token by reading the phone number's details.
  WebhookReport WebhookInfo(const std::string& url, HttpClient& http) const override;
  std::vector<std::string> Secrets() const override;

 private:
  // POSTs one message body; returns the wamid (empty if unreadable).
  std::expected<std::string, SendError> PostMessage(const std::string& body,
                                                    HttpClient& http) const;
  SendError ClassifyFailure(const HttpResult& result) const;
  std::string MessagesUrl() const;

  const std::string id_;
  const std::string type_ = "whatsapp";
  const std::string phone_number_id_;
  const std::string access_token_;
  const std::string app_secret_;
  const std::string verify_token_;
  const std::string api_base_;  // without a trailing slash
  const std::optional<Template> notice_template_;
};

}  // namespace suaradesa::channels

#endif  // SUARADESA_GATEWAY_CHANNELS_WHATSAPP_WHATSAPP_H_
