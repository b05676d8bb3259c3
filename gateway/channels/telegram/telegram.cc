#include "gateway/channels/telegram/telegram.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <nlohmann/json.hpp>

#include "gateway/channels/json_fields.h"
#include "gateway/channels/send_errors.h"
#include "gateway/channels/signature.h"

namespace suaradesa::channels {

namespace {

using nlohmann::json;

// Typed, non-throwing field access: nlohmann's value() throws on a type
// mismatch, and a webhook body is untrusted.
const json* Field(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

std::optional<std::string> StringField(const json& obj, const char* key) {
  const json* f = Field(obj, key);
  if (f == nullptr || !f->is_string()) return std::nullopt;
  return f->get<std::string>();
}

std::optional<int64_t> IntField(const json& obj, const char* key) {
  const json* f = Field(obj, key);
  if (f == nullptr || !f->is_number_integer()) return std::nullopt;
  return f->get<int64_t>();
}

std::optional<double> NumberField(const json& obj, const char* key) {
  const json* f = Field(obj, key);
  if (f == nullptr || !f->is_number()) return std::nullopt;
  return f->get<double>();
}

// Finds the text of the top-level "update_id" number in a JSON body, for
// the ids nlohmann could only keep as a float (2^64 and above). The last
// occurrence wins, as it does in the parsed tree.
class UpdateIdText final : public nlohmann::json_sax<json> {
 public:
  std::string text;

  bool null() override { return Value(""); }
  bool boolean(bool) override { return Value(""); }
  bool number_integer(number_integer_t) override { return Value(""); }
  bool number_unsigned(number_unsigned_t) override { return Value(""); }
  bool number_float(number_float_t, const string_t& s) override { return Value(s); }
  bool string(string_t&) override { return Value(""); }
  bool binary(binary_t&) override { return Value(""); }
  bool start_object(std::size_t) override {
    Value("");
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    Value("");
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool key(string_t& k) override {
    at_update_id_ = depth_ == 1 && k == "update_id";
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool Value(const std::string& s) {
    if (at_update_id_) text = s;
    at_update_id_ = false;
    return true;
  }

  int depth_ = 0;
  bool at_update_id_ = false;
};

// update_id as its exact decimal digits. Telegram documents a positive
// integer; any non-negative JSON integer is taken as written, so two ids
// never collide and none wraps. nlohmann keeps literals without a minus up
// to 2^64-1 as number_unsigned; beyond that it keeps a float, and the digits
// are read back from the body. nullopt for negatives, fractions, exponents,
// non-numbers and ids over 64 digits.
std::optional<std::string> UpdateIdDigits(const json& update, const std::string& body) {
  const json* f = Field(update, "update_id");
  if (f == nullptr) return std::nullopt;
  if (f->is_number_unsigned()) return std::to_string(f->get<uint64_t>());
  if (!f->is_number_float() || f->get<double>() < 0) return std::nullopt;
  UpdateIdText sax;
  if (!json::sax_parse(json_fields::ReplaceLoneSurrogateEscapes(body), &sax) || sax.text.empty() || sax.text.size() > 64) {
    return std::nullopt;
  }
  for (char c : sax.text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return sax.text;
}

std::string SenderName(const json& user) {
  std::string name = StringField(user, "first_name").value_or("");
  std::string last = StringField(user, "last_name").value_or("");
  if (!last.empty()) name += name.empty() ? last : " " + last;
  return name;
}

// Length of the UTF-8 sequence starting with lead byte b (1 for stray bytes).
size_t SequenceLength(unsigned char b) {
  if (b >= 0xF0 && b < 0xF8) return 4;
  if (b >= 0xE0) return b < 0xF0 ? 3 : 1;
  if (b >= 0xC0) return 2;
  return 1;
}

// chat_id as JSON: a number when the address is one (private chats always
// are), else a string such as "@channelname".
json ChatIdJson(const std::string& address) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(address.data(), address.data() + address.size(), n);
  if (!address.empty() && ec == std::errc() && end == address.data() + address.size()) {
    return n;
  }
  return address;
}

bool ContainsIgnoreCase(std::string haystack, std::string_view needle) {
  std::transform(haystack.begin(), haystack.end(), haystack.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return haystack.find(needle) != std::string::npos;
}

Rejection BadRequest(std::string reason) { return Rejection{400, std::move(reason)}; }

// Unix seconds from a payload as unix ms; 0 (unknown) when absent or beyond
// any real clock (multiplying would overflow).
int64_t MillisFromSeconds(std::optional<int64_t> seconds) {
  constexpr int64_t kMaxSeconds = int64_t{1} << 40;  // about the year 36812
  if (!seconds || *seconds < 0 || *seconds > kMaxSeconds) return 0;
  return *seconds * 1000;
}

// What a private-chat message carries, as the dialogs or the text-only
// notice need it.
struct MessageContent {
  enum class Kind {
    kInput,        // text, a caption, a location or a shared contact's number
    kUnsupported,  // recorded as "[kind]", answered with the text-only notice
    kService,      // not written by the person (a pinned message, ...)
  };
  Kind kind = Kind::kInput;
  std::string text;  // the text; "[kind]" when unsupported; the field if service
  std::optional<double> latitude, longitude;
};

// Message fields that carry something a person sent but we cannot read,
// with the kind name every channel uses for it (see InboundEvent). The
// order matters: an animation also carries "document", kept for old
// clients, so it is looked at first.
constexpr std::pair<const char*, const char*> kUnsupportedKinds[] = {
    {"voice", "voice"},         {"video_note", "video"}, {"animation", "video"},
    {"video", "video"},         {"audio", "audio"},      {"photo", "image"},
    {"sticker", "sticker"},     {"document", "document"}, {"paid_media", "media"},
    {"story", "media"},         {"poll", "poll"},        {"dice", "dice"},
    {"game", "game"},           {"checklist", "checklist"}, {"gift", "gift"},
    {"unique_gift", "gift"},
};

// Message fields of service messages: Telegram writes them, not the person.
constexpr const char* kServiceFields[] = {
    "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo",
    "delete_chat_photo", "group_chat_created", "supergroup_chat_created",
    "channel_chat_created", "message_auto_delete_timer_changed", "migrate_to_chat_id",
    "migrate_from_chat_id", "pinned_message", "invoice", "successful_payment",
    "refunded_payment", "users_shared", "chat_shared", "connected_website",
    "write_access_allowed", "passport_data", "proximity_alert_triggered", "boost_added",
    "chat_background_set", "checklist_tasks_done", "checklist_tasks_added",
    "forum_topic_created", "forum_topic_edited", "forum_topic_closed", "forum_topic_reopened",
    "general_forum_topic_hidden", "general_forum_topic_unhidden", "giveaway_created",
    "giveaway", "giveaway_winners", "giveaway_completed", "video_chat_scheduled",
    "video_chat_started", "video_chat_ended", "video_chat_participants_invited",
    "web_app_data",
};

MessageContent ReadContent(const json& message) {
  MessageContent out;
  // A caption is what the person wrote with a photo, video or document: it
  // is their message, the attachment is not read.
  std::optional<std::string> text = StringField(message, "text");
  if (!text) text = StringField(message, "caption");
  if (text && !text->empty()) {
    out.text = *text;
    return out;
  }
  // A venue carries its location too.
  if (const json* location = Field(message, "location")) {
    out.latitude = NumberField(*location, "latitude");
    out.longitude = NumberField(*location, "longitude");
    if (out.latitude && out.longitude) return out;
    out.latitude.reset();
    out.longitude.reset();
  }
  // A shared contact (often the person's own, from a "share my number"
  // button): its phone number is the answer when a dialog asks for one.
  if (const json* contact = Field(message, "contact")) {
    if (auto phone = StringField(*contact, "phone_number"); phone && !phone->empty()) {
      out.text = *phone;
      return out;
    }
    out.kind = MessageContent::Kind::kUnsupported;
    out.text = "[contacts]";
    return out;
  }
  for (const auto& [field, kind] : kUnsupportedKinds) {
    if (Field(message, field)) {
      out.kind = MessageContent::Kind::kUnsupported;
      out.text = std::string("[") + kind + "]";
      return out;
    }
  }
  for (const char* field : kServiceFields) {
    if (Field(message, field)) {
      out.kind = MessageContent::Kind::kService;
      out.text = field;
      return out;
    }
  }
  // An empty text, or a kind newer than this list: still the person's
  // message, recorded and answered with the text-only notice.
  if (text) return out;
  out.kind = MessageContent::Kind::kUnsupported;
  out.text = "[unknown]";
  return out;
}

}  // namespace

std::vector<std::string> SplitTelegramText(std::string_view text, size_t max_units) {
  std::vector<std::string> parts;
  if (max_units < 2) max_units = 2;  // room for a surrogate pair
  size_t begin = 0;
  while (begin < text.size()) {
    // Walk forward while the part fits, remembering good places to cut.
    size_t units = 0;
    size_t pos = begin;
    size_t last_newline = std::string_view::npos;  // cut after this byte
    size_t last_space = std::string_view::npos;
    while (pos < text.size()) {
      size_t len = std::min(SequenceLength(static_cast<unsigned char>(text[pos])),
                            text.size() - pos);
      size_t cost = len == 4 ? 2 : 1;
      if (units + cost > max_units) break;
      units += cost;
      if (text[pos] == '\n') last_newline = pos;
      if (text[pos] == ' ') last_space = pos;
      pos += len;
    }
    size_t end = pos;
    if (pos < text.size()) {
      // Only cut at a break in the second half, so parts stay reasonably full.
      const size_t half = begin + (pos - begin) / 2;
      if (last_newline != std::string_view::npos && last_newline >= half) {
        end = last_newline + 1;
      } else if (last_space != std::string_view::npos && last_space >= half) {
        end = last_space + 1;
      }
    }
    std::string part(text.substr(begin, end - begin));
    // The break itself is not worth sending at the end of a part.
    while (end < text.size() && !part.empty() && (part.back() == '\n' || part.back() == ' ')) {
      part.pop_back();
    }
    if (!part.empty()) parts.push_back(std::move(part));
    begin = end;
  }
  return parts;
}

std::unique_ptr<Channel> TelegramChannel::Make(const ChannelSettings& settings) {
  return std::make_unique<TelegramChannel>(
      settings.id, settings.Get("bot_token"), settings.Get("secret_token"),
      settings.Get("api_base", std::string(kDefaultApiBase)));
}

TelegramChannel::TelegramChannel(std::string id, std::string bot_token,
                                 std::string secret_token, std::string api_base)
    : id_(std::move(id)),
      bot_token_(std::move(bot_token)),
      secret_token_(std::move(secret_token)),
      api_base_([&] {
        std::string base = api_base.empty() ? std::string(kDefaultApiBase) : api_base;
        while (!base.empty() && base.back() == '/') base.pop_back();
        return base;
      }()) {}

std::optional<Rejection> TelegramChannel::Verify(const WebhookRequest& req,
                                                 int64_t /*now_ms*/) const {
  auto it = req.headers.find(std::string(kSecretHeader));
  if (it == req.headers.end() || it->second.empty()) {
    return Rejection{401, "missing X-Telegram-Bot-Api-Secret-Token header"};
  }
  // Fail closed: with no secret configured nothing is accepted.
  if (secret_token_.empty() || !ConstantTimeEquals(it->second, secret_token_)) {
    return Rejection{403, "X-Telegram-Bot-Api-Secret-Token does not match"};
  }
  return std::nullopt;
}

std::expected<InboundBatch, Rejection> TelegramChannel::Parse(
    const WebhookRequest& req) const {
  const json update = json_fields::Parse(req.body);
  if (update.is_discarded()) return std::unexpected(BadRequest("body is not JSON"));
  if (!update.is_object()) return std::unexpected(BadRequest("update is not an object"));
  const std::optional<std::string> update_id = UpdateIdDigits(update, req.body);
  if (!update_id) {
    return std::unexpected(BadRequest("update without a non-negative integer update_id"));
  }

  InboundBatch batch;
  InboundEvent event;
  event.provider_id = "u" + *update_id;
  // An update we cannot use is acknowledged (Telegram would retry it for a
  // day) and reported as skipped.
  const auto skip = [&batch](std::string reason) {
    batch.skipped.push_back(reason);
    batch.ignored = std::move(reason);
    return batch;
  };

  if (const json* message = Field(update, "message"); message && message->is_object()) {
    const json* chat = Field(*message, "chat");
    const std::optional<int64_t> chat_id = chat ? IntField(*chat, "id") : std::nullopt;
    if (!chat_id) return skip("message without chat.id");
    if (StringField(*chat, "type").value_or("private") != "private") {
      return skip(kGroupMessage);
    }
    event.address = std::to_string(*chat_id);
    if (const json* from = Field(*message, "from")) event.sender_name = SenderName(*from);
    event.sent_at = MillisFromSeconds(IntField(*message, "date"));
    const MessageContent content = ReadContent(*message);
    if (content.kind == MessageContent::Kind::kService) {
      batch.ignored = "service message " + content.text;
      return batch;
    }
    event.text = content.text;
    event.latitude = content.latitude;
    event.longitude = content.longitude;
    event.unsupported = content.kind == MessageContent::Kind::kUnsupported;
    batch.messages.push_back(std::move(event));
    return batch;
  }

  if (const json* query = Field(update, "callback_query"); query && query->is_object()) {
    const std::optional<std::string> query_id = StringField(*query, "id");
    const std::optional<std::string> data = StringField(*query, "data");
    if (!query_id) return skip("callback_query without id");
    if (!data) {
      batch.ignored = "callback_query without data";
      return batch;
    }
    std::optional<int64_t> chat_id;
    if (const json* message = Field(*query, "message")) {
      if (const json* chat = Field(*message, "chat")) {
        if (StringField(*chat, "type").value_or("private") != "private") {
          return skip(kGroupMessage);
        }
        chat_id = IntField(*chat, "id");
      }
    }
    const json* from = Field(*query, "from");
    if (!chat_id && from) chat_id = IntField(*from, "id");
    if (!chat_id) return skip("callback_query without chat or sender");
    event.address = std::to_string(*chat_id);
    if (from) event.sender_name = SenderName(*from);
    event.choice_id = *data;
    event.callback_id = *query_id;
    batch.messages.push_back(std::move(event));
    return batch;
  }

  // edited_message, channel_post, my_chat_member, inline_query, poll, ...
  batch.ignored = "unsupported update kind";
  for (const char* kind : {"edited_message", "channel_post", "edited_channel_post",
                           "my_chat_member", "chat_member", "inline_query",
                           "chosen_inline_result", "poll", "poll_answer",
                           "chat_join_request", "message_reaction"}) {
    if (Field(update, kind)) {
      batch.ignored = std::string("update kind ") + kind;
      break;
    }
  }
  return batch;
}

std::string TelegramChannel::MethodUrl(std::string_view method) const {
  return api_base_ + "/bot" + bot_token_ + "/" + std::string(method);
}

SendError TelegramChannel::ClassifyFailure(const HttpResult& result) const {
  const std::vector<std::string> secrets = {bot_token_};
  if (result.status == 0) {
    HttpResult cleaned = result;
    cleaned.error = CleanErrorText(result.error, secrets);
    return ErrorFromResponse(cleaned, "telegram");
  }
  const json body = json_fields::Parse(result.body);
  const std::string description =
      CleanErrorText(StringField(body, "description").value_or(""), secrets);
  SendError err = ErrorFromResponse(result, "telegram", description);
  switch (result.status) {
    case 429: {
      int retry_after = 0;
      if (const json* params = Field(body, "parameters")) {
        retry_after = static_cast<int>(IntField(*params, "retry_after").value_or(0));
      }
      if (retry_after > 0) err.retry_after_seconds = retry_after;
      break;
    }
    case 401:
    case 404:
      // The Bot API answers 401 for a wrong token and 404 for a malformed
      // one: either way the operator must fix the configuration.
      err.kind = SendError::Kind::kConfig;
      break;
    case 403:
      // 403 is about the recipient ("bot was blocked by the user", "user is
      // deactivated", "bot can't initiate conversation"), not about us.
      err.kind = SendError::Kind::kPermanent;
      err.unreachable = ContainsIgnoreCase(description, "blocked") ||
                        ContainsIgnoreCase(description, "deactivated");
      break;
    default:
      break;
  }
  return err;
}

std::expected<std::string, SendError> TelegramChannel::SendOne(
    const std::string& address, const std::string& text,
    const std::vector<ChoiceOut>* choices, HttpClient& http) const {
  json body = {{"chat_id", ChatIdJson(address)}, {"text", text}};
  if (choices != nullptr) {
    json rows = json::array();
    for (const ChoiceOut& c : *choices) {
      // callback_data must be 1-64 bytes; a longer id cannot round-trip, so
      // that button is left out rather than sent with a truncated id.
      if (c.id.empty() || c.id.size() > kMaxCallbackDataBytes) continue;
      rows.push_back(json::array(
          {{{"text", c.label.empty() ? c.id : c.label}, {"callback_data", c.id}}}));
    }
    if (!rows.empty()) body["reply_markup"] = {{"inline_keyboard", rows}};
  }
  OutgoingRequest request;
  request.url = MethodUrl("sendMessage");
  request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  const HttpResult result = http.Send(request);
  if (result.status < 200 || result.status > 299) {
    return std::unexpected(ClassifyFailure(result));
  }
  // Accepted: even an unreadable body must not make us send it again.
  const json answer = json_fields::Parse(result.body);
  if (const json* message = Field(answer, "result")) {
    if (std::optional<int64_t> id = IntField(*message, "message_id")) {
      return std::to_string(*id);
    }
  }
  return std::string();
}

std::expected<SendReceipt, SendError> TelegramChannel::Send(const OutboundMessage& msg,
                                                            HttpClient& http) const {
  if (bot_token_.empty()) {
    return std::unexpected(
        SendError{SendError::Kind::kConfig, "telegram: bot_token is not configured"});
  }
  const std::vector<std::string> parts = SplitTelegramText(msg.text, kMaxTextUnits);
  if (parts.empty()) {
    return std::unexpected(
        SendError{SendError::Kind::kPermanent, "telegram: empty text"});
  }
  SendReceipt receipt;
  receipt.segments = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    // A failure after the first part returns the error: the whole message is
    // retried, so earlier parts may arrive twice (at least once, never lost).
    auto sent = SendOne(msg.address, parts[i], last ? &msg.choices : nullptr, http);
    if (!sent) return std::unexpected(sent.error());
    receipt.provider_id = *sent;
    ++receipt.segments;
  }
  return receipt;
}

void TelegramChannel::AnswerCallback(const std::string& callback_id,
                                     HttpClient& http) const {
  if (callback_id.empty() || bot_token_.empty()) return;
  OutgoingRequest request;
  request.url = MethodUrl("answerCallbackQuery");
  request.body = json{{"callback_query_id", callback_id}}.dump();
  (void)http.Send(request);
}

WebhookReport TelegramChannel::SetWebhook(const std::string& url, HttpClient& http) const {
  WebhookReport report;
  if (bot_token_.empty() || secret_token_.empty()) {
    report.ok = false;
    report.lines.push_back("bot_token and secret_token must be configured");
    return report;
  }
  OutgoingRequest request;
  request.url = MethodUrl("setWebhook");
  request.body = json{{"url", url},
                      {"secret_token", secret_token_},
                      {"allowed_updates", json::array({"message", "callback_query"})}}
                     .dump();
  const HttpResult result = http.Send(request);
  if (result.status < 200 || result.status > 299) {
    report.ok = false;
    report.lines.push_back("setWebhook failed: " + ClassifyFailure(result).message);
    return report;
  }
  const json answer = json_fields::Parse(result.body);
  report.lines.push_back("setWebhook: " +
                         CleanErrorText(StringField(answer, "description").value_or("ok"),
                                        {bot_token_, secret_token_}));
  report.lines.push_back("Telegram now posts messages and button presses to " + url);
  return report;
}

WebhookReport TelegramChannel::WebhookInfo(const std::string& url, HttpClient& http) const {
  WebhookReport report;
  OutgoingRequest request;
  request.method = "GET";
  request.url = MethodUrl("getWebhookInfo");
  const HttpResult result = http.Send(request);
  if (result.status < 200 || result.status > 299) {
    report.ok = false;
    report.lines.push_back("getWebhookInfo failed: " + ClassifyFailure(result).message);
    return report;
  }
  const json answer = json_fields::Parse(result.body);
  const json* info = Field(answer, "result");
  if (info == nullptr || !info->is_object()) {
    report.ok = false;
    report.lines.push_back("getWebhookInfo: unreadable answer");
    return report;
  }
  const std::vector<std::string> secrets = {bot_token_, secret_token_};
  const std::string current = StringField(*info, "url").value_or("");
  report.lines.push_back("url: " + (current.empty() ? std::string("(none)") : current));
  report.lines.push_back("pending_update_count: " +
                         std::to_string(IntField(*info, "pending_update_count").value_or(0)));
  if (auto date = IntField(*info, "last_error_date")) {
    report.lines.push_back("last_error_date: " + std::to_string(*date));
  }
  const std::string last_error = StringField(*info, "last_error_message").value_or("");
  report.lines.push_back("last_error_message: " +
                         (last_error.empty() ? std::string("(none)")
                                             : CleanErrorText(last_error, secrets)));
  if (current != url) {
    report.ok = false;
    report.lines.push_back("expected url: " + url + " (run `suaradesa webhook set " + id_ + "`)");
  }
  return report;
}

std::vector<std::string> TelegramChannel::Secrets() const {
  std::vector<std::string> out;
  if (!bot_token_.empty()) out.push_back(bot_token_);
  if (!secret_token_.empty()) out.push_back(secret_token_);
  return out;
}

}  // namespace suaradesa::channels
