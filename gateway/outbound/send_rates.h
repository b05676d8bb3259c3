// SendRates: where the outbox worker keeps its send-rate limits (per
// channel, and per channel and recipient), with two homes:
//
//  - MemorySendRates: a RateLimiter in this process's memory. Right when one
//    process owns the outbox (SQLite, the default), and costs no store call.
//  - StoreSendRates: the same state in the database (Store::ReserveSend and
//    its neighbours, migration 0013), shared by every gateway on it, so that
//    several gateways together keep to each limit. Chosen with PostgreSQL.
//
// Both follow rate_limiter.h: GCRA with a burst of one, a message may go in
// the millisecond its slot falls in, lateness below one interval keeps the
// grid, pauses extend and never shorten, held messages are handed the next
// free slots of their queue one interval apart. Where they differ:
//  - Take checks and records a send under all its keys in one step. In the
//    store that step is one transaction, so two gateways never take the
//    same slot; a gateway that finds the slot taken holds its row back, as
//    for any busy channel.
//  - Queues of held messages are shared too: two gateways holding rows of
//    one channel hand out distinct slots.
//  - Idle keys are forgotten after every 1024 sends of this process (in
//    memory: per process; in the store: by whichever gateway prunes).
//  - The store can fail. A failed Take sends nothing (the worker holds the
//    row back briefly); a failed Waits reads as "may send" (Take decides);
//    a failed Hold or Pause is logged and the row's own time stands.
//
// Thread safety: not thread-safe; the outbox worker owns one and uses it
// from its single thread. A StoreSendRates may share its store with others.
#ifndef SUARADESA_GATEWAY_OUTBOUND_SEND_RATES_H_
#define SUARADESA_GATEWAY_OUTBOUND_SEND_RATES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "gateway/outbound/rate_limiter.h"
#include "storage/store.h"

namespace suaradesa {

// A key and its limit: messages a second, <= 0 for none.
struct RateKey {
  std::string key;
  double per_second = 0;
};

class SendRates {
 public:
  virtual ~SendRates() = default;

  // Per key, the ms until a message under it may go at `now_ms` (0: now).
  virtual storage::Result<std::vector<int64_t>> Waits(const std::vector<RateKey>& keys,
                                                      int64_t now_ms) = 0;
  // Sends a message at now_ms under every key, or under none: when all may
  // go, records the send under each and answers all 0; otherwise records
  // nothing and answers Waits (at least one > 0).
  virtual storage::Result<std::vector<int64_t>> Take(const std::vector<RateKey>& keys,
                                                     int64_t now_ms) = 0;
  // When (unix ms) each of `count` messages held back under `key` should
  // come back: the next `count` free slots of `queue`, in turn (see
  // RateLimiter::Hold). In the store, one transaction for them all.
  virtual storage::Result<std::vector<int64_t>> Hold(const RateKey& key, const std::string& queue,
                                                     int count, int64_t now_ms) = 0;
  // Nothing goes under `key` before until_ms (extends, never shortens).
  virtual storage::Status Pause(const std::string& key, int64_t until_ms) = 0;
};

class MemorySendRates final : public SendRates {
 public:
  storage::Result<std::vector<int64_t>> Waits(const std::vector<RateKey>& keys,
                                              int64_t now_ms) override;
  storage::Result<std::vector<int64_t>> Take(const std::vector<RateKey>& keys,
                                             int64_t now_ms) override;
  storage::Result<std::vector<int64_t>> Hold(const RateKey& key, const std::string& queue,
                                             int count, int64_t now_ms) override;
  storage::Status Pause(const std::string& key, int64_t until_ms) override;

 private:
  RateLimiter limiter_;
};

class StoreSendRates final : public SendRates {
 public:
  // store must outlive this.
  explicit StoreSendRates(storage::Store& store) : store_(store) {}

  storage::Result<std::vector<int64_t>> Waits(const std::vector<RateKey>& keys,
                                              int64_t now_ms) override;
  storage::Result<std::vector<int64_t>> Take(const std::vector<RateKey>& keys,
                                             int64_t now_ms) override;
  storage::Result<std::vector<int64_t>> Hold(const RateKey& key, const std::string& queue,
                                             int count, int64_t now_ms) override;
  storage::Status Pause(const std::string& key, int64_t until_ms) override;

 private:
  storage::Store& store_;
  int takes_since_prune_ = 0;
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_OUTBOUND_SEND_RATES_H_
