#include "gateway/channels/send_errors.h"

#include <charconv>

namespace suaradesa::channels {

int RetryAfterFromHeaders(const HttpResult& result) {
  auto it = result.headers.find("retry-after");
  if (it == result.headers.end()) return 0;
  std::string_view v = it->second;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  int seconds = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (ec != std::errc() || end != v.data() + v.size() || seconds < 0) return 0;
  return seconds;
}

SendError ErrorFromResponse(const HttpResult& result, std::string_view platform,
                            std::string_view detail) {
  SendError err;
  if (result.status == 0) {
    err.kind = SendError::Kind::kRetryable;
    err.message = std::string(platform) + ": network error";
    if (!result.error.empty()) err.message += ": " + result.error;
    return err;
  }
  err.message = std::string(platform) + " " + std::to_string(result.status);
  if (!detail.empty()) err.message += ": " + std::string(detail);
  const int s = result.status;
  if (s == 429) {
    err.kind = SendError::Kind::kThrottled;
    err.retry_after_seconds = RetryAfterFromHeaders(result);
  } else if (s == 401 || s == 403) {
    err.kind = SendError::Kind::kConfig;
  } else if (s >= 400 && s < 500) {
    err.kind = SendError::Kind::kPermanent;
  } else {
    // 5xx, and anything a platform API should never answer (1xx, 3xx):
    // worth another try later.
    err.kind = SendError::Kind::kRetryable;
  }
  return err;
}

std::string CleanErrorText(std::string text, const std::vector<std::string>& secrets,
                           size_t max_bytes) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "[redacted]");
    }
  }
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > max_bytes) {
    size_t cut = max_bytes;
    // Back up over continuation bytes so no character is cut in half.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
  }
  return text;
}

}  // namespace suaradesa::channels
