#include "gateway/desk/auth.h"

#include <openssl/rand.h>

#include "gateway/channels/signature.h"

namespace suaradesa::desk {

std::string NewToken() {
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) return "";
  static const char* kHex = "0123456789abcdef";
  std::string out = "sd_";
  for (unsigned char b : raw) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::string HashToken(const std::string& token) { return channels::Sha256Hex(token); }

void FailedAuthLimiter::Trim(std::deque<int64_t>& times, int64_t now_ms) {
  while (!times.empty() && times.front() <= now_ms - 60000) times.pop_front();
}

bool FailedAuthLimiter::Blocked(const std::string& address, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(address);
  if (it == failures_.end()) return false;
  Trim(it->second, now_ms);
  if (it->second.empty()) {
    failures_.erase(it);
    return false;
  }
  return static_cast<int>(it->second.size()) > max_per_minute_;
}

void FailedAuthLimiter::NoteFailure(const std::string& address, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& times = failures_[address];
  Trim(times, now_ms);
  times.push_back(now_ms);
  // Bounded memory under a flood: only the count above the limit matters.
  while (static_cast<int>(times.size()) > max_per_minute_ + 1) times.pop_front();
}

}  // namespace suaradesa::desk
