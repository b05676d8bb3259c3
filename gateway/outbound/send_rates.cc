#include "gateway/outbound/send_rates.h"

#include <algorithm>

namespace suaradesa {

namespace {

// StoreSendRates forgets idle keys after this many sends, as RateLimiter.
constexpr int kPruneEvery = 1024;

std::vector<storage::Store::SendRateLimit> Limits(const std::vector<RateKey>& keys) {
  std::vector<storage::Store::SendRateLimit> out;
  out.reserve(keys.size());
  for (const RateKey& k : keys) out.push_back({k.key, RateIntervalUs(k.per_second)});
  return out;
}

}  // namespace

storage::Result<std::vector<int64_t>> MemorySendRates::Waits(const std::vector<RateKey>& keys,
                                                             int64_t now_ms) {
  std::vector<int64_t> waits;
  waits.reserve(keys.size());
  for (const RateKey& k : keys) waits.push_back(limiter_.WaitMs(k.key, k.per_second, now_ms));
  return waits;
}

storage::Result<std::vector<int64_t>> MemorySendRates::Take(const std::vector<RateKey>& keys,
                                                            int64_t now_ms) {
  std::vector<int64_t> waits = *Waits(keys, now_ms);
  if (std::any_of(waits.begin(), waits.end(), [](int64_t w) { return w > 0; })) return waits;
  for (const RateKey& k : keys) limiter_.Record(k.key, k.per_second, now_ms);
  return waits;
}

storage::Result<std::vector<int64_t>> MemorySendRates::Hold(const RateKey& key,
                                                            const std::string& queue, int count,
                                                            int64_t now_ms) {
  std::vector<int64_t> slots;
  for (int i = 0; i < count; ++i) {
    slots.push_back(limiter_.Hold(key.key, queue, key.per_second, now_ms));
  }
  return slots;
}

storage::Status MemorySendRates::Pause(const std::string& key, int64_t until_ms) {
  limiter_.Pause(key, until_ms);
  return {};
}

storage::Result<std::vector<int64_t>> StoreSendRates::Waits(const std::vector<RateKey>& keys,
                                                            int64_t now_ms) {
  return store_.SendWaits(Limits(keys), now_ms);
}

storage::Result<std::vector<int64_t>> StoreSendRates::Take(const std::vector<RateKey>& keys,
                                                           int64_t now_ms) {
  auto waits = store_.ReserveSend(Limits(keys), now_ms);
  if (waits && ++takes_since_prune_ >= kPruneEvery) {
    takes_since_prune_ = 0;
    // Only housekeeping: a failure leaves a few rows for the next prune.
    (void)store_.PruneSendRates(now_ms);
  }
  return waits;
}

storage::Result<std::vector<int64_t>> StoreSendRates::Hold(const RateKey& key,
                                                           const std::string& queue, int count,
                                                           int64_t now_ms) {
  return store_.HoldSendSlots({key.key, RateIntervalUs(key.per_second)}, queue, count, now_ms);
}

storage::Status StoreSendRates::Pause(const std::string& key, int64_t until_ms) {
  return store_.PauseSends(key, until_ms);
}

}  // namespace suaradesa
