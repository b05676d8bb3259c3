// OutboxWorker: sends what the outbox holds.
//
// Each round claims due rows (one per contact, replies before broadcasts),
// sends each through its channel, and records the outcome: sent; retry later
// with exponential backoff and jitter, or after the platform's retry_after;
// failed for good on a permanent error or when the row is older than
// max_age. A configuration error (401 from the platform) keeps the row and
// retries it slowly, so nothing is dropped while the operator fixes it.
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
};

struct OutboxStats {
  int64_t sent = 0;
  int64_t retried = 0;
  int64_t failed = 0;
  int64_t config_errors = 0;
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

  // One round. Returns the number of rows it attempted.
  int RunOnce();

  void Start();
  // Wakes a started worker early (new rows were queued).
  void Notify();
  void Stop();

  OutboxStats stats() const;

  // Sends the worker's log lines to `log` instead of stderr. `log` must
  // outlive the worker. REQUIRES: called before Start().
  void SetLog(Log* log) { log_ = log; }

 private:
  void Attempt(const storage::OutboxItem& item);
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
  uint64_t jitter_state_ = 0x9E3779B97F4A7C15ULL;
  Log* log_ = nullptr;  // not owned; nullptr: stderr
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_OUTBOUND_OUTBOX_WORKER_H_
