// Desk API tokens and the guard against guessing them.
//
// A token is 256 random bits, shown once; only its SHA-256 is stored.
// FailedAuthLimiter counts failed attempts per client address in a sliding
// minute and blocks an address after too many.
//
// Thread safety: FailedAuthLimiter may be used from many threads at once.
#ifndef SUARADESA_GATEWAY_DESK_AUTH_H_
#define SUARADESA_GATEWAY_DESK_AUTH_H_

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace suaradesa::desk {

// "sd_" + 64 hex characters from OpenSSL's RAND_bytes. Empty on failure.
std::string NewToken();
// Lower-case hex SHA-256 of the token.
std::string HashToken(const std::string& token);

class FailedAuthLimiter {
 public:
  explicit FailedAuthLimiter(int max_per_minute = 20) : max_per_minute_(max_per_minute) {}
  // True when `address` failed more than the limit within the last minute.
  bool Blocked(const std::string& address, int64_t now_ms);
  void NoteFailure(const std::string& address, int64_t now_ms);

 private:
  void Trim(std::deque<int64_t>& times, int64_t now_ms);

  const int max_per_minute_;
  std::mutex mu_;
  // Guarded by mu_
  std::map<std::string, std::deque<int64_t>> failures_;
};

}  // namespace suaradesa::desk

#endif  // SUARADESA_GATEWAY_DESK_AUTH_H_
