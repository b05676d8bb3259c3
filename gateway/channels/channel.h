// Channel: one configured messaging platform account (a Telegram bot, a
// WhatsApp number, a Twilio sender, an Android SMS gateway, a generic HTTP
// endpoint).
//
// Adapters only translate. They verify a webhook's signature over the raw
// bytes, turn its payload into normalised InboundEvents, say how to answer
// the platform, and turn an OutboundMessage into the platform's API call.
// They never touch the server, the store or the dialogs.
//
// Thread safety: a Channel is immutable after construction; every method may
// be called from several threads at once.
#ifndef SUARADESA_GATEWAY_CHANNELS_CHANNEL_H_
#define SUARADESA_GATEWAY_CHANNELS_CHANNEL_H_

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/http_client.h"

namespace suaradesa::channels {

// The parts of a webhook request an adapter may look at.
struct WebhookRequest {
  std::string method;                          // "POST" or "GET"
  std::string path;                            // "/webhook/tg"
  std::map<std::string, std::string> headers;  // names in lower case
  std::multimap<std::string, std::string> params;  // query (and form) params
  std::string body;                            // raw bytes as received
  std::string remote_addr;
  std::string query;                           // raw query string, without '?'
};

struct WebhookResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body = "{\"ok\":true}";
};

// Verify's answer: ok, or the status to answer with and why (for the log).
struct Rejection {
  int status = 401;                            // 401/403 signature, 400 malformed
  std::string reason;                          // never contains a secret
};

struct ChoiceOut {
  std::string id;
  std::string label;
};

// One message from a person, normalised.
struct InboundEvent {
  std::string provider_id;     // unique per channel: the dedupe key
  std::string address;         // where to answer: chat id, E.164 phone, wa_id
  std::string sender_name;     // may be empty
  std::string text;
  std::string choice_id;       // a pressed button's data; empty if none
  std::optional<double> latitude, longitude;
  std::string callback_id;     // Telegram callback_query id to acknowledge
  int64_t sent_at = 0;         // unix ms according to the platform; 0 unknown
  // A message of a kind we cannot read (a photo, a voice note, a sticker).
  // It is recorded (text describes the kind, e.g. "[image]") but does not
  // reach the dialogs; the sender gets at most one polite "text only" reply
  // a day. Every adapter names kinds from one list: [image], [video],
  // [audio], [voice], [sticker], [document], [contacts], [poll], [dice],
  // [game], [checklist], [gift], [interactive], [order], [media] (an
  // attachment the platform does not name: MMS, Telegram paid media and
  // stories), [unknown] (a kind newer than the adapter).
  bool unsupported = false;
  // WhatsApp's business-scoped user id (BSUID, "ID.1502576394655843") when
  // the platform gave one. `address` is the phone number when the platform
  // gave it, otherwise this id; with both, the gateway keeps them as one
  // contact.
  std::string user_id;
};

// The platform says a person's address changed (WhatsApp's system messages
// user_changed_number and user_changed_user_id). The gateway moves the
// contact reached at old_address to new_address.
struct AddressChange {
  std::string provider_id;     // the system message's id: the dedupe key
  std::string old_address;     // phone number or BSUID the contact had
  std::string new_address;     // phone number or BSUID it has now
  int64_t at = 0;              // unix ms; 0 unknown
};

// A delivery report about a message we sent.
struct StatusEvent {
  std::string provider_id;     // the id the platform gave our message
  std::string status;          // sent|delivered|read|failed
  std::string error_code;      // the platform's code, if failed ("131047")
  std::string error_reason;    // its title or reason text, if any
  int64_t at = 0;
};

// The skipped reason every adapter gives a message from a group chat (a
// Telegram group, supergroup or channel, a WhatsApp group): the gateway
// only talks to people one to one.
inline constexpr char kGroupMessage[] = "group message";

struct InboundBatch {
  std::vector<InboundEvent> messages;
  std::vector<StatusEvent> statuses;
  std::vector<AddressChange> address_changes;
  // One reason per delivered item left out of this batch (a group message,
  // another phone number id, a message that cannot be used): the gateway
  // logs and counts each, and still acknowledges the batch.
  std::vector<std::string> skipped;
  std::string ignored;         // non-empty: nothing to do, and why
};

struct OutboundMessage {
  std::string address;
  std::string text;
  std::vector<ChoiceOut> choices;
  // The platform's free-form window with this contact is closed (WhatsApp:
  // no message from them in 24 hours): only a pre-approved template may be
  // sent. Set by the outbox worker only when CanSendOutsideWindow().
  bool outside_window = false;
};

// Throughput limits for sending, in messages per second. 0 means no limit.
// Sends are spaced evenly, with no burst: 30 means one every 33.3 ms, and
// 1/3 means one every three seconds (see outbound/rate_limiter.h).
struct RateLimits {
  double per_second = 0;                // the whole channel (one sender)
  double per_recipient_per_second = 0;  // each address on the channel
};

// What `suaradesa webhook set|info` found out, for the operator to read.
struct WebhookReport {
  bool ok = true;                   // false: the platform refused or failed
  std::vector<std::string> lines;   // English, for a terminal; never secrets
};

struct SendReceipt {
  std::string provider_id;
  int segments = 1;
};

struct SendError {
  enum class Kind {
    kRetryable,   // network error, 5xx: back off and try again
    kThrottled,   // 429 or a platform rate-limit code: wait retry_after
    kPermanent,   // this message will never go through
    kConfig,      // our credentials are wrong: keep the row, alert the operator
  };
  Kind kind = Kind::kRetryable;
  std::string message;         // never contains a secret
  int retry_after_seconds = 0; // > 0 when the platform said how long
  bool unreachable = false;    // the recipient blocked us on this channel
  std::string code = {};       // the platform's error code, when it gave one
                               // ("21610"): the delivery-error table reads it
};

class Channel {
 public:
  virtual ~Channel() = default;

  virtual const std::string& id() const = 0;
  virtual const std::string& type() const = 0;

  // Checks the request's signature or secret over the raw bytes, in
  // constant time. Returns a Rejection when it must not be processed.
  virtual std::optional<Rejection> Verify(const WebhookRequest& req,
                                          int64_t now_ms) const = 0;

  // Parses a verified request. Returns the events, or a Rejection (400)
  // when the payload is malformed. Kinds we do not handle come back as an
  // empty batch with `ignored` set.
  virtual std::expected<InboundBatch, Rejection> Parse(
      const WebhookRequest& req) const = 0;

  // The answer to give the platform once the batch is safely stored.
  virtual WebhookResponse Ack(const InboundBatch& batch) const;

  // Answers requests that are not deliveries (WhatsApp's GET handshake).
  // Returns nullopt when the request is an ordinary delivery.
  virtual std::optional<WebhookResponse> Handshake(const WebhookRequest& req) const;

  // Sends one message through the platform's API.
  virtual std::expected<SendReceipt, SendError> Send(const OutboundMessage& msg,
                                                     HttpClient& http) const = 0;

  // Acknowledges a Telegram-style button press, if the platform needs it.
  virtual void AnswerCallback(const std::string& callback_id, HttpClient& http) const;

  // True when replies should be rendered for SMS (GSM-7, numbered menus).
  virtual bool is_sms() const { return false; }

  // How long after a contact's last inbound message the platform still
  // accepts free-form messages to them; 0 when there is no such window.
  virtual int64_t free_form_window_ms() const { return 0; }
  // True when a notice can still reach a contact outside that window (a
  // template is configured).
  virtual bool CanSendOutsideWindow() const { return false; }

  // The limits the outbox worker keeps to for this channel: the platform's
  // defaults, or the channel's "rate_per_second" and
  // "per_recipient_per_second" settings.
  const RateLimits& rate_limits() const { return rate_limits_; }
  // REQUIRES: called before the channel is shared (by its factory).
  void set_rate_limits(const RateLimits& limits) { rate_limits_ = limits; }

  // Registers `url` as the platform's webhook for this channel where the
  // platform has an API for it; otherwise says what to paste where. The
  // default explains that the URL must be given to the platform by hand.
  virtual WebhookReport SetWebhook(const std::string& url, HttpClient& http) const;
  // What the platform reports about our webhook (pending updates, last
  // error), or what to check by hand.
  virtual WebhookReport WebhookInfo(const std::string& url, HttpClient& http) const;

  // Secret values this channel was configured with, to be masked in logs.
  virtual std::vector<std::string> Secrets() const = 0;

 private:
  RateLimits rate_limits_;
};

}  // namespace suaradesa::channels

#endif  // SUARADESA_GATEWAY_CHANNELS_CHANNEL_H_
