// Desk API tokens and the guard against guessing them.
//
// A token is 256 random bits, shown once; only its SHA-256 is stored.
// FailedAuthLimiter counts failed attempts per client address in a sliding
// minute; after too many, further FAILED attempts from that address get 429
// instead of 401 (and are no longer logged one by one). A valid token is
// checked first and always served: with 256-bit tokens guessing is out of
// reach anyway, and a limiter that refused valid tokens would let anyone
// behind the same address (every client, behind a reverse proxy) lock all
// staff out.
//
// The client address is the peer's, unless the peer is one of
// listen.trusted_proxies: then it is the last address of X-Forwarded-For
// that is not itself a trusted proxy (the one the proxy saw).
//
// Thread safety: FailedAuthLimiter may be used from many threads at once.
#ifndef SUARADESA_GATEWAY_DESK_AUTH_H_
#define SUARADESA_GATEWAY_DESK_AUTH_H_

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace suaradesa::desk {

// "sd_" + 64 hex characters from OpenSSL's RAND_bytes. Empty on failure.
std::string NewToken();
// Lower-case hex SHA-256 of the token.
std::string HashToken(const std::string& token);

class FailedAuthLimiter {
 public:
  explicit FailedAuthLimiter(int max_per_minute = 20) : max_per_minute_(max_per_minute) {}
  // Peers (exact addresses, as in remote_addr) whose X-Forwarded-For is
  // believed. Call before serving.
  void SetTrustedProxies(std::vector<std::string> proxies);
  // The address failures are counted under; see the file comment.
  std::string ClientAddress(const std::string& peer, const std::string& forwarded_for) const;
  // True when `address` failed more than the limit within the last minute.
  bool Blocked(const std::string& address, int64_t now_ms);
  void NoteFailure(const std::string& address, int64_t now_ms);

 private:
  void Trim(std::deque<int64_t>& times, int64_t now_ms);

  const int max_per_minute_;
  std::vector<std::string> trusted_proxies_;  // set before serving, then read-only
  std::mutex mu_;
  // Guarded by mu_
  std::map<std::string, std::deque<int64_t>> failures_;
};

}  // namespace suaradesa::desk

#endif  // SUARADESA_GATEWAY_DESK_AUTH_H_
