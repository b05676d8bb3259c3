// RateLimiter: send-rate limits per key (a channel, or a channel and one
// recipient), over time given by the caller.
//
// Each key is a GCRA ("generic cell rate algorithm") bucket: with a rate of
// r messages a second, one message every 1000/r ms, and bursts of up to
// max(1, floor(r)) messages. So "30 a second" lets 30 go at once and then
// one every 33 ms; "one every 3 s" (r = 1/3) never bursts. WaitMs answers
// how long until a message may go; Record notes that one went.
//
// Thread safety: not thread-safe; the outbox worker owns one and uses it
// from its single thread.
#ifndef SUARADESA_GATEWAY_OUTBOUND_RATE_LIMITER_H_
#define SUARADESA_GATEWAY_OUTBOUND_RATE_LIMITER_H_

#include <cstdint>
#include <string>
#include <unordered_map>

namespace suaradesa {

class RateLimiter {
 public:
  // Milliseconds until a message under `key` may be sent at `per_second`;
  // 0 when it may go now. A rate <= 0 means no limit (always 0).
  int64_t WaitMs(const std::string& key, double per_second, int64_t now_ms) const;
  // Notes that a message under `key` was sent at now_ms.
  void Record(const std::string& key, double per_second, int64_t now_ms);

  // The number of keys with state (for tests: idle keys are forgotten).
  size_t size() const { return tat_.size(); }

 private:
  // Drops keys whose buckets are full again (they no longer hold anything
  // back), so one-off recipients do not accumulate.
  void Prune(int64_t now_ms);

  // Theoretical arrival time of the next message per key, in microseconds.
  std::unordered_map<std::string, int64_t> tat_;
  int records_since_prune_ = 0;
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_OUTBOUND_RATE_LIMITER_H_
