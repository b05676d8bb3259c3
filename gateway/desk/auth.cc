#include "gateway/desk/auth.h"

#include <openssl/rand.h>

#include <algorithm>

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

void FailedAuthLimiter::SetTrustedProxies(std::vector<std::string> proxies) {
  trusted_proxies_ = std::move(proxies);
}

std::string FailedAuthLimiter::ClientAddress(const std::string& peer,
                                             const std::string& forwarded_for) const {
  auto trusted = [this](const std::string& a) {
    return std::find(trusted_proxies_.begin(), trusted_proxies_.end(), a) !=
           trusted_proxies_.end();
  };
  if (!trusted(peer)) return peer;
  // "client, proxy1, proxy2": walk from the right, past our own proxies.
  std::string client = peer;
  size_t end = forwarded_for.size();
  while (end > 0) {
    const size_t comma = forwarded_for.rfind(',', end - 1);
    const size_t begin = comma == std::string::npos ? 0 : comma + 1;
    std::string item = forwarded_for.substr(begin, end - begin);
    const size_t first = item.find_first_not_of(" \t");
    const size_t last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
    if (item.empty()) break;
    client = item;
    if (!trusted(item)) break;
    if (comma == std::string::npos) break;
    end = comma;
  }
  return client;
}

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
