// RateLimiter: send-rate limits per key (a channel, or a channel and one
// recipient), over time given by the caller.
//
// Each key is a GCRA ("generic cell rate algorithm") bucket with a burst of
// one: with a rate of r messages a second, one message every 1000/r ms and
// never two closer together (but see lateness below). "30 a second" is
// read as a true rate, so that any window of one second carries at most 30
// messages sent on time; a burst of 30 (the earlier reading) put 60 into
// the first second, and platforms answer such bursts with 429 (Telegram's
// bulk limit is "about 30 messages per second", PROTOCOLS.md). The interval is rounded up to whole microseconds (33 334 us
// at 30/s), so r intervals never add up to less than a second.
//
// The clock has millisecond resolution: a message may go in the millisecond
// its theoretical arrival time falls in (a tolerance below 1 ms, not a
// burst). Messages then follow the exact grid t0 + k * 1000/r without
// drifting, so the drain is r/s, no slower. A message sent late by less
// than one interval (the outbox's round started after its slot: a late
// wake-up, a slow disk) keeps the grid, so the next may follow it closer
// than one interval; a window of one second then carries at most r + 1.
// Only after a longer gap (an idle channel) does the grid start again from
// the send, so idle time is never saved up for a burst.
//
// A key may also be paused until a given time (a platform's retry_after for
// the whole channel), whatever its rate, even when it has no limit.
//
// Kept in memory, these limits hold for one process: the default, SQLite,
// where one gateway owns the outbox. Several gateways on one database keep
// the same state in it instead (gateway/outbound/send_rates.h).
//
// Thread safety: not thread-safe; the outbox worker owns one and uses it
// from its single thread.
#ifndef SUARADESA_GATEWAY_OUTBOUND_RATE_LIMITER_H_
#define SUARADESA_GATEWAY_OUTBOUND_RATE_LIMITER_H_

#include <cstdint>
#include <string>
#include <unordered_map>

namespace suaradesa {

// The interval (us) between two messages at `per_second`, rounded up so that
// r intervals never add up to less than a second; 0 for a rate <= 0 (no
// limit).
int64_t RateIntervalUs(double per_second);

class RateLimiter {
 public:
  // Milliseconds until a message under `key` may be sent at `per_second`;
  // 0 when it may go now. A rate <= 0 means no limit (0 unless paused).
  int64_t WaitMs(const std::string& key, double per_second, int64_t now_ms) const;
  // Notes that a message under `key` was sent at now_ms.
  void Record(const std::string& key, double per_second, int64_t now_ms);

  // When (unix ms) a message under `key` that may not go now should come
  // back. Held messages are handed the send slots after the next allowed one
  // in turn, one interval apart, so that they come back one by one instead
  // of all at once and each finds its slot free. Each `queue` (e.g. replies
  // and broadcasts of one channel) hands out its own slots: a reply held
  // behind a large broadcast is not sent to the end of it; where the two
  // meet at a slot, the outbox claims the reply first and the broadcast row
  // is held again. (The outbox worker also gives rows that were held once
  // and come back to a busy key a queue of their own, so that they keep
  // their place ahead of rows never tried.) A rate <= 0 answers when the
  // pause ends.
  int64_t Hold(const std::string& key, const std::string& queue, double per_second,
               int64_t now_ms);

  // Nothing goes under `key` before until_ms (extends, never shortens).
  void Pause(const std::string& key, int64_t until_ms);

  // The number of keys with state (for tests: idle keys are forgotten).
  size_t size() const { return tat_.size(); }

 private:
  // Drops keys that no longer hold anything back, so one-off recipients do
  // not accumulate.
  void Prune(int64_t now_ms);
  // The earliest time (us) the next message under `key` may go, ignoring
  // slots handed to held messages; at least now_us.
  int64_t NextAllowedUs(const std::string& key, int64_t now_us) const;

  // Theoretical arrival time of the next message per key, in microseconds.
  std::unordered_map<std::string, int64_t> tat_;
  // Per queue, the first send slot (us) not yet handed to a held message.
  std::unordered_map<std::string, int64_t> next_slot_;
  // Per key, the end of a pause (us).
  std::unordered_map<std::string, int64_t> paused_until_;
  int records_since_prune_ = 0;
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_OUTBOUND_RATE_LIMITER_H_
