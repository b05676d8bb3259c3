// TelegramChannel: a Telegram bot, reached through the Bot API.
//
// Settings: bot_token and secret_token (required), api_base (optional,
// default "https://api.telegram.org"; tests point it at a fake platform).
//
// Inbound: Telegram posts one Update per request, with the secret_token we
// registered in the X-Telegram-Bot-Api-Secret-Token header (a shared
// secret, not an HMAC). Every private-chat message becomes an InboundEvent
// with provider_id "u<update_id>": text, a caption (the photo or video is
// not read), a location or venue, a shared contact (its phone_number as the
// text) and inline-keyboard button presses reach the dialogs; voice notes,
// audio, video, video notes, animations, photos without a caption,
// stickers, documents, polls, dice and kinds newer than this adapter come
// back unsupported ("[voice]", "[video]", ... see InboundEvent). Service
// messages (a pinned message, ...), edits and other update kinds are
// acknowledged and ignored; messages in groups, supergroups and channels,
// and updates that lack a chat or sender, are acknowledged and skipped.
//
// Outbound: sendMessage with the choices as an inline keyboard (one button
// a row). Texts longer than 4096 UTF-16 units go out as several messages,
// cut at line or word breaks, the keyboard on the last.
//
// The bot token is part of every API URL; it never appears in a Rejection,
// a SendError or any other text this class produces.
//
// Thread safety: immutable after construction; all methods may be called
// from several threads at once.
#ifndef SUARADESA_GATEWAY_CHANNELS_TELEGRAM_TELEGRAM_H_
#define SUARADESA_GATEWAY_CHANNELS_TELEGRAM_TELEGRAM_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/channels/channel.h"
#include "gateway/channels/registry.h"

namespace suaradesa::channels {

class TelegramChannel final : public Channel {
 public:
  static constexpr std::string_view kDefaultApiBase = "https://api.telegram.org";
  static constexpr std::string_view kSecretHeader = "x-telegram-bot-api-secret-token";
  // sendMessage's text limit, in UTF-16 code units.
  static constexpr size_t kMaxTextUnits = 4096;
  // InlineKeyboardButton.callback_data limit, in bytes.
  static constexpr size_t kMaxCallbackDataBytes = 64;

  // The registry's factory: reads bot_token, secret_token and api_base.
  // Missing required values give a channel that rejects every webhook and
  // whose sends fail with kConfig (config validation reports them first).
  static std::unique_ptr<Channel> Make(const ChannelSettings& settings);

  TelegramChannel(std::string id, std::string bot_token, std::string secret_token,
                  std::string api_base = std::string(kDefaultApiBase));

  const std::string& id() const override { return id_; }
  const std::string& type() const override { return type_; }

  // 401 when the secret header is missing, 403 when it does not match (or
  // no secret_token is configured).
  std::optional<Rejection> Verify(const WebhookRequest& req,
                                  int64_t now_ms) const override;
  // 400 for a body that is not a JSON object with an integer update_id
  // (not an update at all); an update we cannot use is skipped with 200.
  std::expected<InboundBatch, Rejection> Parse(const WebhookRequest& req) const override;
  // On success: provider_id is the message_id of the (last) message sent,
  // segments the number of messages. Errors: network/5xx kRetryable; 429
  // kThrottled with retry_after; 401/404 kConfig (bad token); 403 "blocked"
  // or "deactivated" kPermanent + unreachable; other 4xx kPermanent.
  std::expected<SendReceipt, SendError> Send(const OutboundMessage& msg,
                                             HttpClient& http) const override;
  // answerCallbackQuery; the outcome is ignored (the button just stops
  // spinning a little later when it fails).
  void AnswerCallback(const std::string& callback_id, HttpClient& http) const override;
  // setWebhook with url, our secret_token and allowed_updates
  // ["message", "callback_query"].
  WebhookReport SetWebhook(const std::string& url, HttpClient& http) const override;
  // getWebhookInfo: the URL Telegram calls, pending_update_count and the
  // last error it saw.
  WebhookReport WebhookInfo(const std::string& url, HttpClient& http) const override;
  std::vector<std::string> Secrets() const override;

 private:
  // {api_base}/bot{token}/{method}
  std::string MethodUrl(std::string_view method) const;
  // Sends one sendMessage; returns the message_id (empty if unreadable).
  std::expected<std::string, SendError> SendOne(const std::string& address,
                                                const std::string& text,
                                                const std::vector<ChoiceOut>* choices,
                                                HttpClient& http) const;
  SendError ClassifyFailure(const HttpResult& result) const;

  const std::string id_;
  const std::string type_ = "telegram";
  const std::string bot_token_;
  const std::string secret_token_;
  const std::string api_base_;  // without a trailing slash
};

// Cuts text into parts of at most max_units UTF-16 code units each, never
// inside a character; prefers to cut after the last newline, else the last
// space, in the second half of a part. Returns {text} when it fits, and an
// empty vector for the empty text.
std::vector<std::string> SplitTelegramText(std::string_view text, size_t max_units);

}  // namespace suaradesa::channels

#endif  // SUARADESA_GATEWAY_CHANNELS_TELEGRAM_TELEGRAM_H_
