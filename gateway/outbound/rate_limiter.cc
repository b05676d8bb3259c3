#include "gateway/outbound/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace suaradesa {

namespace {

constexpr int kPruneEvery = 1024;

// The millisecond a theoretical arrival time (us) falls in.
int64_t FloorMs(int64_t us) { return us / 1000; }  // unix times: never negative

}  // namespace

// Times are kept in whole microseconds so that the grid adds up exactly. The
// interval is rounded up (the small epsilon keeps 1/(1/3) from becoming
// 3 000 001 us), so r intervals are never shorter than a second.
int64_t RateIntervalUs(double per_second) {
  if (per_second <= 0) return 0;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(1e6 / per_second - 1e-3)));
}

int64_t RateLimiter::NextAllowedUs(const std::string& key, int64_t now_us) const {
  int64_t at = now_us;
  if (auto it = tat_.find(key); it != tat_.end()) at = std::max(at, it->second);
  if (auto it = paused_until_.find(key); it != paused_until_.end()) {
    at = std::max(at, it->second);
  }
  return at;
}

int64_t RateLimiter::WaitMs(const std::string& key, double per_second, int64_t now_ms) const {
  int64_t wait = 0;
  if (auto it = paused_until_.find(key); it != paused_until_.end()) {
    wait = std::max<int64_t>(wait, FloorMs(it->second) - now_ms);
  }
  if (per_second > 0) {
    if (auto it = tat_.find(key); it != tat_.end()) {
      wait = std::max<int64_t>(wait, FloorMs(it->second) - now_ms);
    }
  }
  return wait;
}

void RateLimiter::Record(const std::string& key, double per_second, int64_t now_ms) {
  if (per_second <= 0) return;
  const int64_t now_us = now_ms * 1000;
  const int64_t interval = RateIntervalUs(per_second);
  int64_t& tat = tat_.try_emplace(key, now_us).first->second;
  // Sent on time (in the millisecond tat falls in), or late by less than
  // one interval, the grid goes on from tat: a round that starts a little
  // late must not push every later slot back. Sent later than that (the
  // channel was idle), it starts again from now: idle time is not saved up.
  tat = (now_us < tat + interval ? tat : now_us) + interval;
  if (++records_since_prune_ >= kPruneEvery) Prune(now_ms);
}

int64_t RateLimiter::Hold(const std::string& key, const std::string& queue, double per_second,
                          int64_t now_ms) {
  const int64_t now_us = now_ms * 1000;
  const int64_t base = NextAllowedUs(key, now_us);
  if (per_second <= 0) return std::max(now_ms, FloorMs(base));
  int64_t& slot = next_slot_[queue];
  slot = std::max(slot, base);
  const int64_t at = FloorMs(slot);
  slot += RateIntervalUs(per_second);
  return std::max(now_ms, at);
}

void RateLimiter::Pause(const std::string& key, int64_t until_ms) {
  int64_t& until = paused_until_[key];
  until = std::max(until, until_ms * 1000);
}

void RateLimiter::Prune(int64_t now_ms) {
  records_since_prune_ = 0;
  const int64_t now_us = now_ms * 1000;
  const auto passed = [now_us](const auto& entry) { return entry.second <= now_us; };
  std::erase_if(tat_, passed);
  std::erase_if(next_slot_, passed);
  std::erase_if(paused_until_, passed);
}

}  // namespace suaradesa
