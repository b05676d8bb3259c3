#include "gateway/outbound/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace suaradesa {

namespace {

constexpr int kPruneEvery = 1024;

// Times are kept in whole microseconds so that a burst adds up exactly.
int64_t IntervalUs(double per_second) {
  return std::max<int64_t>(1, std::llround(1e6 / per_second));
}

// How far ahead of now the arrival time may run: (burst - 1) intervals.
int64_t ToleranceUs(double per_second) {
  const int64_t burst = std::max<int64_t>(1, static_cast<int64_t>(std::floor(per_second)));
  return IntervalUs(per_second) * (burst - 1);
}

}  // namespace

int64_t RateLimiter::WaitMs(const std::string& key, double per_second, int64_t now_ms) const {
  if (per_second <= 0) return 0;
  auto it = tat_.find(key);
  if (it == tat_.end()) return 0;
  const int64_t allowed_at_us = it->second - ToleranceUs(per_second);
  const int64_t now_us = now_ms * 1000;
  if (allowed_at_us <= now_us) return 0;
  return (allowed_at_us - now_us + 999) / 1000;
}

void RateLimiter::Record(const std::string& key, double per_second, int64_t now_ms) {
  if (per_second <= 0) return;
  const int64_t now_us = now_ms * 1000;
  int64_t& tat = tat_.try_emplace(key, now_us).first->second;
  tat = std::max(tat, now_us) + IntervalUs(per_second);
  if (++records_since_prune_ >= kPruneEvery) Prune(now_ms);
}

void RateLimiter::Prune(int64_t now_ms) {
  records_since_prune_ = 0;
  const int64_t now_us = now_ms * 1000;
  std::erase_if(tat_, [now_us](const auto& entry) { return entry.second <= now_us; });
}

}  // namespace suaradesa
