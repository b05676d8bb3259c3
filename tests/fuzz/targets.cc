#include "tests/fuzz/targets.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "dialogs/format.h"
#include "dialogs/parsers/datetime.h"
#include "dialogs/parsers/keywords.h"
#include "dialogs/parsers/numbers.h"
#include "dialogs/parsers/phone.h"
#include "dialogs/parsers/places.h"
#include "dialogs/parsers/rsvp.h"
#include "dialogs/parsers/rupiah.h"
#include "dialogs/parsers/yes_no.h"
#include "dialogs/text.h"
#include "gateway/channels/android_sms/android_sms.h"
#include "gateway/channels/channel.h"
#include "gateway/channels/http/http_channel.h"
#include "gateway/channels/registry.h"
#include "gateway/channels/sms_segments.h"
#include "gateway/channels/telegram/telegram.h"
#include "gateway/channels/twilio/twilio.h"
#include "gateway/channels/utf8.h"
#include "gateway/channels/whatsapp/whatsapp.h"
#include "gateway/config.h"

namespace suaradesa::fuzz {

namespace {

using channels::Channel;
using channels::ChannelSettings;
using channels::InboundBatch;
using channels::RepairUtf8;
using channels::WebhookRequest;

// Aborts with what broke: libFuzzer keeps the input as a crash-* file, and
// the regression test fails.
[[noreturn]] void Fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", what, file, line);
  std::fflush(stderr);
  std::abort();
}

#define FUZZ_CHECK(cond)                                  \
  do {                                                    \
    if (!(cond)) Fail(#cond, __FILE__, __LINE__);         \
  } while (false)

std::string_view AsText(const uint8_t* data, size_t size) {
  return size == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(data), size);
}

// The input's first line (a header value for the Verify paths).
std::string FirstLine(std::string_view text) {
  return std::string(text.substr(0, text.find('\n')));
}

// The input's second line, or "".
std::string SecondLine(std::string_view text) {
  const size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return {};
  return FirstLine(text.substr(nl + 1));
}

// 2026-05-28 13.00 WIB: the time the dialog tests use.
constexpr int64_t kNowMs = 1779948000000;
constexpr char kPublicUrl[] = "https://desa.example.org";

// A channel of `type` built by the registry, as the composition root does.
std::unique_ptr<Channel> MakeChannel(const std::string& id, const std::string& type,
                                     std::map<std::string, std::string> values) {
  ChannelSettings settings;
  settings.id = id;
  settings.type = type;
  settings.values = std::move(values);
  settings.public_url = kPublicUrl;
  const channels::ChannelSpec* spec = channels::FindChannelSpec(type);
  FUZZ_CHECK(spec != nullptr);
  std::unique_ptr<Channel> channel = spec->make(settings);
  FUZZ_CHECK(channel != nullptr);
  return channel;
}

WebhookRequest Post(const std::string& id, std::string body) {
  WebhookRequest req;
  req.method = "POST";
  req.path = "/webhook/" + id;
  req.body = std::move(body);
  req.remote_addr = "127.0.0.1";
  return req;
}

bool IsDeliveryStatus(const std::string& status) {
  return status == "sent" || status == "delivered" || status == "read" || status == "failed";
}

// The Channel contract: a 400 for malformed payloads; otherwise events with
// their dedupe keys and addresses, statuses the store knows, and a reason
// for an empty batch.
void CheckParsed(const Channel& channel, const std::expected<InboundBatch, channels::Rejection>& r) {
  if (!r) {
    FUZZ_CHECK(r.error().status == 400);
    FUZZ_CHECK(!r.error().reason.empty());
    return;
  }
  for (const channels::InboundEvent& ev : r->messages) {
    FUZZ_CHECK(!ev.provider_id.empty());
    FUZZ_CHECK(!ev.address.empty());
    FUZZ_CHECK(ev.latitude.has_value() == ev.longitude.has_value());
  }
  for (const channels::StatusEvent& st : r->statuses) {
    FUZZ_CHECK(!st.provider_id.empty());
    FUZZ_CHECK(IsDeliveryStatus(st.status));
  }
  if (r->messages.empty() && r->statuses.empty()) FUZZ_CHECK(!r->ignored.empty());
  const channels::WebhookResponse ack = channel.Ack(*r);
  FUZZ_CHECK(ack.status >= 200 && ack.status < 300);
}

// What the server does with a verified request: repair, then parse.
void ParseAsServer(const Channel& channel, WebhookRequest req) {
  req.body = RepairUtf8(req.body);
  CheckParsed(channel, channel.Parse(req));
}

void CheckRejected(const std::optional<channels::Rejection>& r) {
  FUZZ_CHECK(r.has_value());
  FUZZ_CHECK(r->status == 401 || r->status == 403);
}

std::multimap<std::string, std::string> FormParams(std::string_view body) {
  std::multimap<std::string, std::string> params;
  for (auto& [name, value] : channels::ParseForm(body)) params.emplace(name, value);
  return params;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int FuzzTelegram(const uint8_t* data, size_t size) {
  static const std::unique_ptr<Channel> channel =
      MakeChannel("tg", "telegram", {{"bot_token", "123:abc"}, {"secret_token", "s3cret"}});
  const std::string_view text = AsText(data, size);
  WebhookRequest req = Post("tg", std::string(text));
  const std::string header = FirstLine(text);
  req.headers[std::string(channels::TelegramChannel::kSecretHeader)] = header;
  const std::optional<channels::Rejection> verdict = channel->Verify(req, kNowMs);
  if (header == "s3cret") {
    FUZZ_CHECK(!verdict.has_value());
  } else {
    CheckRejected(verdict);
  }
  FUZZ_CHECK(!channel->Handshake(req).has_value());
  ParseAsServer(*channel, std::move(req));
  return 0;
}

int FuzzWhatsApp(const uint8_t* data, size_t size) {
  static const std::unique_ptr<Channel> channel =
      MakeChannel("wa", "whatsapp",
                  {{"phone_number_id", "1001"}, {"access_token", "token"},
                   {"app_secret", "app-secret"}, {"verify_token", "verify-me"}});
  const std::string_view text = AsText(data, size);
  WebhookRequest req = Post("wa", std::string(text));
  const std::string header = std::string(channels::WhatsAppChannel::kSignatureHeader);
  req.headers[header] = FirstLine(text);
  (void)channel->Verify(req, kNowMs);
  req.headers[header] = channels::WhatsAppChannel::Sign("app-secret", req.body);
  FUZZ_CHECK(!channel->Verify(req, kNowMs).has_value());
  req.headers[header] = channels::WhatsAppChannel::Sign("other-secret", req.body);
  CheckRejected(channel->Verify(req, kNowMs));
  FUZZ_CHECK(!channel->Handshake(req).has_value());

  // The GET handshake, with the input as its query parameters.
  WebhookRequest get;
  get.method = "GET";
  get.path = req.path;
  get.query = std::string(text);
  get.params = FormParams(text);
  const std::optional<channels::WebhookResponse> hs = channel->Handshake(get);
  FUZZ_CHECK(hs.has_value());
  FUZZ_CHECK(hs->status == 200 || hs->status == 403);
  if (hs->status == 200) {
    FUZZ_CHECK(get.params.find("hub.verify_token")->second == "verify-me");
    FUZZ_CHECK(hs->body == get.params.find("hub.challenge")->second);
  }

  ParseAsServer(*channel, std::move(req));
  return 0;
}

int FuzzTwilio(const uint8_t* data, size_t size) {
  static const std::unique_ptr<Channel> channel =
      MakeChannel("sms", "twilio",
                  {{"account_sid", "AC123"}, {"auth_token", "12345"}, {"from", "+15005550006"}});
  const std::string_view text = AsText(data, size);
  WebhookRequest req = Post("sms", std::string(text));
  const std::string header = std::string(channels::TwilioChannel::kSignatureHeader);
  req.headers[header] = FirstLine(text);
  (void)channel->Verify(req, kNowMs);
  // Signed as Twilio signs, with and without the default port.
  const std::string url = std::string(kPublicUrl) + req.path;
  const std::multimap<std::string, std::string> params = FormParams(req.body);
  req.headers[header] = channels::TwilioChannel::Sign("12345", url, params);
  FUZZ_CHECK(!channel->Verify(req, kNowMs).has_value());
  req.headers[header] =
      channels::TwilioChannel::Sign("12345", channels::TwilioChannel::TogglePort(url), params);
  FUZZ_CHECK(!channel->Verify(req, kNowMs).has_value());
  req.headers[header] = channels::TwilioChannel::Sign("54321", url, params);
  CheckRejected(channel->Verify(req, kNowMs));

  // A GET webhook carries the same names in the query string.
  WebhookRequest get = req;
  get.method = "GET";
  get.body.clear();
  get.params = FormParams(RepairUtf8(text));
  CheckParsed(*channel, channel->Parse(get));

  ParseAsServer(*channel, std::move(req));
  return 0;
}

int FuzzAndroidSms(const uint8_t* data, size_t size) {
  static const std::unique_ptr<Channel> channel =
      MakeChannel("hp", "android_sms",
                  {{"url", "http://192.168.1.20:8080"}, {"username", "sms"},
                   {"password", "password"}, {"signing_key", "signing-key"}});
  using channels::AndroidSmsChannel;
  const std::string_view text = AsText(data, size);
  WebhookRequest req = Post("hp", std::string(text));
  const std::string timestamp = FirstLine(text);
  req.headers[std::string(AndroidSmsChannel::kTimestampHeader)] = timestamp;
  req.headers[std::string(AndroidSmsChannel::kSignatureHeader)] = SecondLine(text);
  (void)channel->Verify(req, kNowMs);
  // A correct signature passes exactly when the timestamp is close to now.
  req.headers[std::string(AndroidSmsChannel::kSignatureHeader)] =
      AndroidSmsChannel::Sign("signing-key", req.body, timestamp);
  const std::optional<channels::Rejection> verdict = channel->Verify(req, kNowMs);
  if (verdict) FUZZ_CHECK(verdict->status == 401);
  if (IsDigits(timestamp) && timestamp.size() <= 12) {
    const int64_t skew = std::stoll(timestamp) * 1000 - kNowMs;
    const bool in_window = skew <= AndroidSmsChannel::kMaxClockSkewMs &&
                           skew >= -AndroidSmsChannel::kMaxClockSkewMs;
    FUZZ_CHECK(in_window == !verdict.has_value());
  }
  // Signed now: passes, and a wrong key does not.
  const std::string now = std::to_string(kNowMs / 1000);
  req.headers[std::string(AndroidSmsChannel::kTimestampHeader)] = now;
  req.headers[std::string(AndroidSmsChannel::kSignatureHeader)] =
      AndroidSmsChannel::Sign("signing-key", req.body, now);
  FUZZ_CHECK(!channel->Verify(req, kNowMs).has_value());
  req.headers[std::string(AndroidSmsChannel::kSignatureHeader)] =
      AndroidSmsChannel::Sign("other-key", req.body, now);
  CheckRejected(channel->Verify(req, kNowMs));

  ParseAsServer(*channel, std::move(req));
  return 0;
}

int FuzzHttpChannel(const uint8_t* data, size_t size) {
  static const std::unique_ptr<Channel> channel =
      MakeChannel("web", "http", {{"secret", "http-secret"}, {"send_url", "http://127.0.0.1:9/out"}});
  using channels::HttpChannel;
  const std::string_view text = AsText(data, size);
  WebhookRequest req = Post("web", std::string(text));
  const std::string header = std::string(HttpChannel::kSignatureHeader);
  req.headers[header] = FirstLine(text);
  (void)channel->Verify(req, kNowMs);
  req.headers[header] = HttpChannel::Sign("http-secret", req.body);
  FUZZ_CHECK(!channel->Verify(req, kNowMs).has_value());
  req.headers[header] = HttpChannel::Sign("other-secret", req.body);
  CheckRejected(channel->Verify(req, kNowMs));

  req.body = RepairUtf8(req.body);
  const auto parsed = channel->Parse(req);
  CheckParsed(*channel, parsed);
  if (parsed) FUZZ_CHECK(parsed->messages.size() == 1);
  return 0;
}

int FuzzTwilioForm(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  // Decoding what we encode gives back the same pairs.
  const auto pairs = channels::ParseForm(text);
  const std::string encoded = channels::EncodeForm(pairs);
  FUZZ_CHECK(channels::ParseForm(encoded) == pairs);
  FUZZ_CHECK(channels::EncodeForm(channels::ParseForm(encoded)) == encoded);
  // Any URL: toggling the port never fails, and a well-formed URL without
  // a port comes back unchanged after two toggles.
  const std::string url(text);
  const std::string toggled = channels::TwilioChannel::TogglePort(url);
  (void)channels::TwilioChannel::TogglePort(toggled);
  const std::string simple = "https://" + std::string(text.substr(0, text.find_first_of(":/?#[]@")));
  if (simple.size() > 8) {
    FUZZ_CHECK(channels::TwilioChannel::TogglePort(channels::TwilioChannel::TogglePort(simple)) ==
               simple);
  }
  return 0;
}

int FuzzUtf8(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  const std::string repaired = RepairUtf8(text);
  FUZZ_CHECK(channels::IsValidUtf8(repaired));
  FUZZ_CHECK(RepairUtf8(repaired) == repaired);
  if (channels::IsValidUtf8(text)) FUZZ_CHECK(repaired == text);
  const size_t chars = channels::CountChars(repaired);
  FUZZ_CHECK(chars <= repaired.size());
  const size_t limit = size == 0 ? 0 : data[0] % 64;
  const std::string cut = channels::TruncateChars(repaired, limit);
  FUZZ_CHECK(channels::IsValidUtf8(cut));
  FUZZ_CHECK(repaired.compare(0, cut.size(), cut) == 0);
  FUZZ_CHECK(channels::CountChars(cut) == std::min(limit, chars));
  return 0;
}

int FuzzSmsSegments(const uint8_t* data, size_t size) {
  const std::string_view raw = AsText(data, size);
  // Invalid bytes are allowed (they count as U+FFFD).
  const channels::SmsCount raw_count = channels::CountSms(raw);
  FUZZ_CHECK((raw_count.segments == 0) == raw.empty());
  FUZZ_CHECK(static_cast<int>(channels::SplitSms(raw).size()) == raw_count.segments);

  const std::string text = RepairUtf8(raw);
  const channels::SmsCount count = channels::CountSms(text);
  FUZZ_CHECK(count.encoding == channels::DetectSmsEncoding(text));
  FUZZ_CHECK(channels::SmsSegments(text) == count.segments);
  FUZZ_CHECK((count.segments == 0) == text.empty());
  FUZZ_CHECK(count.units >= 0);
  const int single = count.encoding == channels::SmsEncoding::kGsm7 ? channels::kGsm7SingleUnits
                                                                    : channels::kUcs2SingleUnits;
  const int segment = count.encoding == channels::SmsEncoding::kGsm7 ? channels::kGsm7SegmentUnits
                                                                     : channels::kUcs2SegmentUnits;
  if (count.units <= single) {
    FUZZ_CHECK(count.segments == (text.empty() ? 0 : 1));
  } else {
    FUZZ_CHECK(count.segments >= (count.units + segment - 1) / segment);
  }
  const std::vector<std::string> parts = channels::SplitSms(text);
  FUZZ_CHECK(static_cast<int>(parts.size()) == count.segments);
  std::string joined;
  for (const std::string& part : parts) {
    FUZZ_CHECK(!part.empty());
    FUZZ_CHECK(channels::IsValidUtf8(part));
    FUZZ_CHECK(channels::SmsSegments(part) == 1);
    joined += part;
  }
  FUZZ_CHECK(joined == text);
  const std::string friendly = channels::ToGsmFriendly(text);
  FUZZ_CHECK(channels::IsValidUtf8(friendly));
  return 0;
}

int FuzzTelegramSplit(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t max_units = 2 + data[0] % 64;
  const std::string text = RepairUtf8(AsText(data + 1, size - 1));
  const std::vector<std::string> parts = channels::SplitTelegramText(text, max_units);
  FUZZ_CHECK(parts.empty() == text.empty());
  size_t total = 0;
  for (const std::string& part : parts) {
    FUZZ_CHECK(!part.empty());
    FUZZ_CHECK(channels::IsValidUtf8(part));
    // UTF-16 units: one per code point, two above the BMP.
    size_t units = 0;
    for (unsigned char c : part) {
      if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
    }
    FUZZ_CHECK(units <= max_units);
    FUZZ_CHECK(text.find(part) != std::string::npos);
    total += part.size();
  }
  FUZZ_CHECK(total <= text.size());
  return 0;
}

int FuzzConfig(const uint8_t* data, size_t size) {
  const std::string text(AsText(data, size));
  const EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "UNSET") return std::nullopt;
    return "env-" + name;
  };
  const auto config = ParseConfig(text, env);
  if (!config) {
    FUZZ_CHECK(!config.error().empty());
    for (const std::string& problem : config.error()) FUZZ_CHECK(!problem.empty());
    return 0;
  }
  FUZZ_CHECK(config->listen_port >= 0 && config->listen_port <= 65535);
  // Every accepted channel can be built, as the composition root does.
  std::set<std::string> ids;
  for (const ChannelSettings& settings : config->channels) {
    FUZZ_CHECK(ids.insert(settings.id).second);
    const channels::ChannelSpec* spec = channels::FindChannelSpec(settings.type);
    FUZZ_CHECK(spec != nullptr);
    std::unique_ptr<Channel> channel = spec->make(settings);
    FUZZ_CHECK(channel != nullptr);
    FUZZ_CHECK(channel->id() == settings.id);
    FUZZ_CHECK(channel->type() == settings.type);
    FUZZ_CHECK(channel->rate_limits().per_second >= 0);
    FUZZ_CHECK(channel->rate_limits().per_recipient_per_second >= 0);
    (void)channel->Secrets();
  }
  for (const AreaConfig& area : config->areas) {
    const int offset = config->UtcOffsetMinutesOf(area.code);
    FUZZ_CHECK(offset == 420 || offset == 480 || offset == 540);
    for (const DesaConfig& desa : area.desa) (void)config->AreaOfDesa(desa.code);
  }
  (void)config->Secrets();
  return 0;
}

int FuzzRupiah(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  const auto amount = dialogs::ParseRupiah(text);
  if (!amount) return 0;
  FUZZ_CHECK(*amount >= 0);
  // What we write, we read back.
  const std::string formatted = dialogs::FormatRupiah(*amount);
  const auto again = dialogs::ParseRupiah(formatted);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == *amount);
  return 0;
}

int FuzzDateTime(const uint8_t* data, size_t size) {
  static constexpr int kOffsets[] = {420, 480, 540};
  const int offset = kOffsets[size % 3];
  const std::string_view text = AsText(data, size);
  const dialogs::ParsedDateTime got = dialogs::ParseDateTime(text, kNowMs, offset);
  using Status = dialogs::ParsedDateTime::Status;
  if (got.status != Status::kOk) {
    FUZZ_CHECK(got.status == Status::kNone || got.status == Status::kUnclear);
    return 0;
  }
  FUZZ_CHECK(got.has_date || got.has_time);
  FUZZ_CHECK(got.month >= 1 && got.month <= 12);
  FUZZ_CHECK(got.day >= 1 && got.day <= dialogs::DaysInMonth(got.year, got.month));
  FUZZ_CHECK(got.hour >= 0 && got.hour <= 23);
  FUZZ_CHECK(got.minute >= 0 && got.minute <= 59);
  FUZZ_CHECK(got.IsoDate().empty() != got.has_date);
  FUZZ_CHECK(got.IsoTime().empty() != got.has_time);
  dialogs::CivilTime local;
  local.year = got.year;
  local.month = got.month;
  local.day = got.day;
  local.hour = got.hour;
  local.minute = got.minute;
  FUZZ_CHECK(got.unix_ms == dialogs::UnixMsFromCivil(local, offset));
  return 0;
}

int FuzzYesNo(const uint8_t* data, size_t size) {
  const dialogs::YesNo got = dialogs::ParseYesNo(AsText(data, size));
  FUZZ_CHECK(got == dialogs::YesNo::kYes || got == dialogs::YesNo::kNo ||
             got == dialogs::YesNo::kUnknown);
  return 0;
}

int FuzzPhone(const uint8_t* data, size_t size) {
  const std::optional<std::string> phone = dialogs::NormalizePhone(AsText(data, size));
  if (!phone) return 0;
  // +628 followed by 7 to 11 digits.
  FUZZ_CHECK(phone->rfind("+628", 0) == 0);
  FUZZ_CHECK(IsDigits(std::string_view(*phone).substr(1)));
  FUZZ_CHECK(phone->size() >= 4 + 7 && phone->size() <= 4 + 11);
  FUZZ_CHECK(dialogs::NormalizePhone(*phone) == phone);
  return 0;
}

int FuzzNumbers(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  if (const std::optional<int64_t> count = dialogs::ParseCount(text)) FUZZ_CHECK(*count >= 0);
  const std::vector<std::string> words = dialogs::Words(text);
  for (size_t start = 0; start < words.size() && start < 8; ++start) {
    size_t pos = start;
    if (const std::optional<int64_t> n = dialogs::ReadNumber(words, &pos)) {
      FUZZ_CHECK(*n >= 0);
      FUZZ_CHECK(pos > start && pos <= words.size());
    }
  }
  return 0;
}

int FuzzKeywords(const uint8_t* data, size_t size) {
  static const dialogs::KeywordList keywords = {
      dialogs::KeywordWords("usul"),    dialogs::KeywordWords("adu"),
      dialogs::KeywordWords("lapor"),   dialogs::KeywordWords("jangan kirim"),
      dialogs::KeywordWords("cek status"), dialogs::KeywordWords("cek"),
      dialogs::KeywordWords("berhenti"), dialogs::KeywordWords("batal"),
      dialogs::KeywordWords("gabung"),  dialogs::KeywordWords("jadwal")};
  static const std::set<std::string> not_keywords = {"bata", "cel", "usus"};
  const std::string_view text = AsText(data, size);
  for (const auto& match : {dialogs::MatchLeadingKeyword(text, keywords, not_keywords),
                            dialogs::FindKeyword(text, keywords, not_keywords)}) {
    if (!match) continue;
    FUZZ_CHECK(match->keyword_index < keywords.size());
    FUZZ_CHECK(match->length >= 1);
    FUZZ_CHECK(match->typos >= 0 && static_cast<size_t>(match->typos) <= match->length);
    FUZZ_CHECK(!match->alone || match->rest.empty());
  }
  if (const std::optional<std::string> ticket = dialogs::ParseTicket(text)) {
    FUZZ_CHECK(ticket->rfind("ADU-", 0) == 0 || ticket->rfind("USL-", 0) == 0);
    FUZZ_CHECK(IsDigits(std::string_view(*ticket).substr(4)));
    FUZZ_CHECK(dialogs::ParseTicket(*ticket) == ticket);
  }
  if (const auto lead = dialogs::ParseLeadingTicket(text)) {
    FUZZ_CHECK(dialogs::ParseTicket(lead->ticket) == lead->ticket);
  }
  if (const std::optional<long long> n = dialogs::ParseBareCaseNumber(text)) FUZZ_CHECK(*n >= 0);
  // Edit distance: the two halves of the input, both ways round.
  const std::string_view a = text.substr(0, text.size() / 2);
  const std::string_view b = text.substr(text.size() / 2);
  const int cap = size == 0 ? 2 : data[0] % 4;
  const int d = dialogs::EditDistance(a, b, cap);
  FUZZ_CHECK(d >= 0 && d <= cap + 1);
  FUZZ_CHECK(d == dialogs::EditDistance(b, a, cap));
  FUZZ_CHECK(dialogs::EditDistance(a, a, cap) == 0);
  FUZZ_CHECK(dialogs::WithinOneEdit(a, b) == (dialogs::EditDistance(a, b, 1) <= 1));
  (void)dialogs::KeywordWords(text);
  return 0;
}

int FuzzPlaces(const uint8_t* data, size_t size) {
  static const std::vector<std::string> names = {"Gitik",          "Kaotan",
                                                 "Lemahbang Kulon", "Lemahbang Dewo",
                                                 "Krajan",         "Uloe",
                                                 "Watu Agung"};
  const std::vector<size_t> got = dialogs::MatchPlaces(AsText(data, size), names);
  std::set<size_t> seen;
  for (size_t index : got) {
    FUZZ_CHECK(index < names.size());
    FUZZ_CHECK(seen.insert(index).second);
  }
  return 0;
}

int FuzzRsvp(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  for (bool pending : {false, true}) {
    if (const std::optional<dialogs::RsvpAnswer> got = dialogs::ParseRsvp(text, pending)) {
      FUZZ_CHECK(got->answer == "hadir" || got->answer == "tidak" ||
                 (pending && got->answer == dialogs::kRsvpUndecided));
    }
  }
  (void)dialogs::LooksLikeBroadcast(text, size == 0 ? 0 : data[0] % 32);
  return 0;
}

int FuzzText(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  const std::string normalized = dialogs::NormalizeText(text);
  FUZZ_CHECK(dialogs::NormalizeText(normalized) == normalized);
  for (const std::string& word : dialogs::Words(text)) FUZZ_CHECK(!word.empty());
  (void)dialogs::ExpandAbbreviations(normalized);
  const std::string trimmed = dialogs::Trim(text);
  FUZZ_CHECK(dialogs::Trim(trimmed) == trimmed);
  FUZZ_CHECK(dialogs::Lowercase(text).size() == text.size());
  const size_t max_bytes = size == 0 ? 0 : data[0] % 64;
  const std::string cut = dialogs::TruncateUtf8(text, max_bytes);
  FUZZ_CHECK(cut.size() <= max_bytes);
  FUZZ_CHECK(text.compare(0, cut.size(), cut) == 0);
  if (channels::IsValidUtf8(text)) {
    FUZZ_CHECK(channels::IsValidUtf8(cut));
    if (dialogs::IsGsm7(text)) FUZZ_CHECK(channels::DetectSmsEncoding(text) == channels::SmsEncoding::kGsm7);
  }
  std::string error;
  if (!dialogs::ParseJson(text, &error)) FUZZ_CHECK(!error.empty());
  return 0;
}

const std::vector<FuzzTarget>& FuzzTargets() {
  static const std::vector<FuzzTarget> kTargets = {
      {"telegram", &FuzzTelegram},
      {"whatsapp", &FuzzWhatsApp},
      {"twilio", &FuzzTwilio},
      {"android_sms", &FuzzAndroidSms},
      {"http_channel", &FuzzHttpChannel},
      {"twilio_form", &FuzzTwilioForm},
      {"utf8", &FuzzUtf8},
      {"sms_segments", &FuzzSmsSegments},
      {"telegram_split", &FuzzTelegramSplit},
      {"config", &FuzzConfig},
      {"rupiah", &FuzzRupiah},
      {"datetime", &FuzzDateTime},
      {"yes_no", &FuzzYesNo},
      {"phone", &FuzzPhone},
      {"numbers", &FuzzNumbers},
      {"keywords", &FuzzKeywords},
      {"places", &FuzzPlaces},
      {"rsvp", &FuzzRsvp},
      {"text", &FuzzText},
  };
  return kTargets;
}

const FuzzTarget* FindFuzzTarget(std::string_view name) {
  for (const FuzzTarget& target : FuzzTargets()) {
    if (name == target.name) return &target;
  }
  return nullptr;
}

}  // namespace suaradesa::fuzz
