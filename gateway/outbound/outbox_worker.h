// OutboxWorker: sends what the outbox holds.
//
// Each round claims due rows (one per contact, replies before broadcasts),
// sends each through its channel, and records the outcome: sent; retry later
// with exponential backoff and jitter, or after the platform's retry_after;
// failed for good on a permanent error or when the row is older than
// max_age. A configuration error (401 from the platform) keeps the row and
// retries it slowly, so nothing is dropped while the operator fixes it.
//
// Before a row is sent two policies may hold it back; a held row is put
// back with Store::Defer, which is neither an attempt nor an error:
//  - rate limits: each channel's RateLimits (per channel and per
//    recipient), kept with a RateLimiter over the injected Clock;
//  - the free-form window (WhatsApp: 24 hours after the contact's last
//    message). Outside it a broadcast (notice) goes out as the channel's
//    template when one is configured. Anything else (a desk reply, or a
//    notice without a template) waits with last_error "outside_24h_window"
//    and is looked at again every window_recheck_ms: it goes out as soon as
//    the contact writes again, and fails once it is older than max_age.
//
// RunOnce does one round synchronously (tests drive it with a FakeClock);
// Start runs rounds on a thread until Stop.
//
// Thread safety: RunOnce must not be called concurrently with itself or
// with a started worker.
#ifndef SUARADESA_GATEWAY_OUTBOUND_OUTBOX_WORKER_H_
#define SUARADESA_GATEWAY_OUTBOUND_OUTBOX_WORKER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "gateway/channels/channel.h"
#include "gateway/clock.h"
#include "gateway/http_client.h"
#include "gateway/outbound/rate_limiter.h"
#include "storage/store.h"

namespace suaradesa {

class Log;

struct OutboxOptions {
  int batch = 64;                               // rows claimed per round
  int64_t initial_backoff_ms = 2000;
  int64_t max_backoff_ms = 15LL * 60 * 1000;
  int64_t max_age_ms = 24LL * 3600 * 1000;      // then a retryable row fails
  int64_t config_error_retry_ms = 10LL * 60 * 1000;
  int64_t idle_poll_ms = 500;                   // Start(): wait between empty rounds
  int64_t window_recheck_ms = 60 * 1000;        // a row outside the window waits this long
};

// last_error of a row held because the contact's free-form window is closed.
inline constexpr char kOutsideWindowError[] = "outside_24h_window";

struct OutboxStats {
  int64_t sent = 0;
  int64_t retried = 0;
  int64_t failed = 0;
  int64_t config_errors = 0;
  int64_t rate_limited = 0;   // rows held back by a rate limit
  int64_t window_held = 0;    // rows held back by a closed free-form window
};

class OutboxWorker {
 public:
  // store, channels, http and clock must outlive the worker. channels maps a
  // channel id to its Channel.
  OutboxWorker(storage::Store& store,
               const std::map<std::string, const channels::Channel*>& channels,
               HttpClient& http, const Clock& clock, OutboxOptions options);
  ~OutboxWorker();
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  // One round. Returns the number of rows it attempted (sent, or failed
  // to send); rows held back by a rate limit or the window are not counted.
  int RunOnce();

  // When the earliest row the last round held back for a rate limit becomes
  // due (unix ms), or 0 when it held none. Lets tests move a FakeClock on.
  int64_t rate_held_until() const { return rate_held_until_.load(); }

  void Start();
  // Wakes a started worker early (new rows were queued).
  void Notify();
  void Stop();

  OutboxStats stats() const;

  // Sends the worker's log lines to `log` instead of stderr. `log` must
  // outlive the worker. REQUIRES: called before Start().
  void SetLog(Log* log) { log_ = log; }

 private:
  // Returns false when the row was held back (deferred) rather than tried.
  bool Attempt(const storage::OutboxItem& item);
  // Holds the row back until `until` (see Store::Defer).
  void Defer(const storage::OutboxItem& item, int64_t until, const std::string& note,
             const std::string& tag);
  // initial * 2^(attempts-1), capped at max_backoff_ms, plus up to 20% jitter.
  int64_t Backoff(int attempts);
  void Info(const std::string& line);
  void Warn(const std::string& line);
  void Loop();

  storage::Store& store_;
  const std::map<std::string, const channels::Channel*> channels_;
  HttpClient& http_;
  const Clock& clock_;
  const OutboxOptions options_;

  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  // Guarded by mu_
  bool stop_ = false;
  bool notified_ = false;

  std::atomic<int64_t> sent_{0}, retried_{0}, failed_{0}, config_errors_{0};
  std::atomic<int64_t> rate_limited_{0}, window_held_{0};
  std::atomic<int64_t> rate_held_until_{0};
  // Used only by the thread running rounds.
  RateLimiter limiter_;
  // Per channel, the next free slot for a row held by the channel-wide
  // limit in the current round, so held rows wake one by one.
  std::map<std::string, int64_t> next_slot_;
  uint64_t jitter_state_ = 0x9E3779B97F4A7C15ULL;
  Log* log_ = nullptr;  // not owned; nullptr: stderr
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_OUTBOUND_OUTBOX_WORKER_H_
