// OutboxWorker: sends what the outbox holds.
//
// Each round claims due rows (one per contact, replies before broadcasts),
// no more than the rate limits let go now (one per rate-limited channel
// whose next send slot has come, a batch when a channel has no limit; see
// SendBudget), sends each through its channel, and records the outcome:
// sent; retry later
// with exponential backoff and jitter, or after the platform's retry_after;
// failed for good on a permanent error or when the row is older than
// max_age. A configuration error (401 from the platform) keeps the row and
// retries it slowly, so nothing is dropped while the operator fixes it.
//
// A platform that is down (5xx, or the connection refused) is retried per
// row at 2 s, 4 s, 8 s ... up to max_backoff_ms (15 min): about a dozen
// attempts per row in an hour. Only the oldest row of each contact is
// tried, so nothing overtakes it. max_age_ms (48 h) is long enough that an
// outage of a day fails nothing; then everything goes out, in order per
// contact. A 429 with retry_after holds the whole channel, not only the
// row: the platform throttles the sender, and every other row would get a
// 429 too.
//
// Before a row is sent two policies may hold it back; a held row is put
// back with Store::Defer (all of a round's in one commit), which is neither
// an attempt nor an error:
//  - rate limits: each channel's RateLimits (per channel and per
//    recipient), kept with SendRates (send_rates.h) over the injected
//    Clock: in memory, or in the store when several gateways share it
//    (OutboxOptions::rates_in_store), so that together they keep each
//    limit. The
//    channel limit is a true rate (burst 1, see rate_limiter.h): rows held
//    by it are handed the channel's next send slots in turn (replies and
//    broadcasts in separate queues) and come back one per interval;
//  - the free-form window (WhatsApp: 24 hours after the contact's last
//    message). Outside it a broadcast (notice) goes out as the channel's
//    template when one is configured. Anything else (a desk reply, or a
//    notice without a template) waits with last_error "outside_24h_window"
//    and is looked at again every window_recheck_ms: it goes out as soon as
//    the contact writes again, and fails once it is older than max_age.
//
// Opt-out is checked when a row is claimed (Store::ClaimDue): a broadcast,
// meeting notice or reminder of a contact who opted out after it was
// queued is failed as "opted_out" and never sent. Replies are not covered.
//
// A delivered message is never sent twice by a live worker: when the
// outcome of a send cannot be recorded (a full disk) the worker keeps it in
// memory, sends nothing more in that round (the rest of the batch is put
// back), and records it before it claims anything again. Only a crash
// before the outcome is recorded repeats a send, at most one per worker:
// the row's claim holds a lease (lease_ms), after which ClaimDue hands it
// out again, without waiting for a restart.
//
// RunOnce does one round synchronously (tests drive it with a FakeClock,
// moving it on to next_round_at()); Start runs rounds on a thread until
// Stop, which sleeps only until the next held row is due or a channel's
// next send slot, so a channel drains at its full rate. A round in which no
// channel may send claims nothing: with a backlog behind a rate limit, each
// send costs one claim and one outcome, not a batch claimed and put back.
//
// Thread safety: RunOnce must not be called concurrently with itself or
// with a started worker.
#ifndef SUARADESA_GATEWAY_OUTBOUND_OUTBOX_WORKER_H_
#define SUARADESA_GATEWAY_OUTBOUND_OUTBOX_WORKER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

#include "gateway/channels/channel.h"
#include "gateway/clock.h"
#include "gateway/http_client.h"
#include "gateway/outbound/send_rates.h"
#include "storage/store.h"

namespace suaradesa {

class Log;

struct OutboxOptions {
  int batch = 64;                               // most rows claimed per round
  int64_t initial_backoff_ms = 2000;
  int64_t max_backoff_ms = 15LL * 60 * 1000;
  // Then a retryable row fails: 48 h, so that a platform down for a whole
  // day fails nothing (a row queued just before the outage is a day old
  // when it ends, and the next retry comes up to max_backoff_ms later).
  int64_t max_age_ms = 48LL * 3600 * 1000;
  int64_t config_error_retry_ms = 10LL * 60 * 1000;
  int64_t idle_poll_ms = 500;                   // Start(): wait between empty rounds
  int64_t window_recheck_ms = 60 * 1000;        // a row outside the window waits this long
  // How long a claimed row stays claimed: longer than a round can take (a
  // batch of sends, each up to the HTTP timeout), since a row whose lease
  // ran out may be claimed again.
  int64_t lease_ms = 30LL * 60 * 1000;
  // Keep the rate limits' state in the store (StoreSendRates), shared by
  // every gateway on it, instead of in this process (MemorySendRates).
  // Needed with several gateways on one database (PostgreSQL); one process
  // on SQLite saves a commit per send without it.
  bool rates_in_store = false;
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
  // Per (channel id, status): sent, retried, failed, config_error.
  std::map<std::pair<std::string, std::string>, int64_t> by_channel;
  // Per SMS channel id: segments sent.
  std::map<std::string, int64_t> segments_sent;
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

  // When the earliest row held back for a rate limit (in the last round or
  // an earlier one) becomes due (unix ms), or 0 when none is waiting.
  int64_t rate_held_until() const { return rate_held_until_.load(); }
  // When the worker wants its next round (unix ms): at once (the time of
  // the last round) when that round claimed a full batch, so more rows may
  // be due; else rate_held_until(). 0 when neither: rows waiting for a
  // retry or the window are found by polling (idle_poll_ms). Lets tests
  // move a FakeClock on exactly as far as a started worker would sleep.
  int64_t next_round_at() const { return next_round_at_.load(); }

  void Start();
  // Wakes a started worker early (new rows were queued).
  void Notify();
  void Stop();

  OutboxStats stats() const;

  // Sends the worker's log lines to `log` instead of stderr. `log` must
  // outlive the worker. REQUIRES: called before Start().
  void SetLog(Log* log) { log_ = log; }

 private:
  // The outcome of one attempt, to be written with Store::MarkSent,
  // MarkRetry or MarkFailed.
  struct Outcome {
    enum class Kind { kSent, kRetry, kFailed };
    Kind kind = Kind::kSent;
    int64_t outbox_id = 0;
    std::string provider_id;  // kSent
    int segments = 0;         // kSent
    int64_t next_attempt_at = 0;  // kRetry
    std::string error;        // kRetry, kFailed
    int64_t at = 0;
  };

  // Returns false when the row was held back (deferred) rather than tried.
  bool Attempt(const storage::OutboxItem& item);
  // Writes the outcome; when that fails, keeps it for RecordPending.
  // Returns whether it was written.
  bool Record(Outcome outcome, const std::string& tag);
  // Writes the outcomes kept by Record, oldest first. Returns true when
  // none is left.
  bool RecordPending();
  // Holds the row back until `until`: noted now, written with the round's
  // other held rows by FlushDeferred (see Store::Defer).
  void Defer(const storage::OutboxItem& item, int64_t until, const std::string& note);
  // How many rows may be sent at `now`: one for each rate-limited channel
  // whose next send slot has come (burst 1), a whole batch when a channel
  // without a limit may send. Sets *next_slot to the earliest time (unix
  // ms) a channel that may not send now gets its next slot, 0 when none.
  int SendBudget(int64_t now, int64_t* next_slot);
  void FlushDeferred();
  // Hands the rows Attempt queued for a send slot (to_slot_) their slots,
  // one Hold per queue for all its rows, and defers each until its slot.
  void HandOutSlots();
  // initial * 2^(attempts-1) plus up to 20% jitter, never above
  // max_backoff_ms (at the cap the jitter goes below it instead).
  int64_t Backoff(int attempts);
  // Counts an outcome in stats().by_channel (and segments_sent).
  void Tally(const std::string& channel_id, const char* status, int segments = 0);
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

  std::atomic<int64_t> rate_limited_{0}, window_held_{0};
  std::atomic<int64_t> rate_held_until_{0};
  std::atomic<int64_t> next_round_at_{0};
  // The last round could send nothing: every row it claimed was held back by
  // a rate limit, or no channel had a free slot. Until next_round_at_ a
  // Notify (a webhook queued a reply) does not start another round: each
  // would only claim and put back rows, two commits holding the store's
  // writer while webhooks wait for it. Rows queued meanwhile go at the next
  // slot.
  std::atomic<bool> held_back_{false};
  // The rows held back in this round, used by the worker's thread only.
  std::vector<storage::Store::Deferral> deferred_;
  // A row of this round held back for its channel's limit, waiting for a
  // slot of its queue (HandOutSlots); `until` is its time if none comes.
  struct ToSlot {
    storage::OutboxItem item;
    RateKey key;
    std::string queue;
    int64_t until = 0;
    int64_t claimed_at = 0;
  };
  std::vector<ToSlot> to_slot_;
  // Channels found busy in this round, and until when (unix ms).
  std::map<std::string, int64_t> busy_channels_;
  // Outcomes of sends that could not be recorded yet, oldest first; used by
  // the worker's thread only. Nothing is claimed while one is waiting.
  std::vector<Outcome> unrecorded_;
  mutable std::mutex stats_mu_;
  // Guarded by stats_mu_
  std::map<std::pair<std::string, std::string>, int64_t> by_channel_;
  std::map<std::string, int64_t> segments_sent_;
  // Used only by the thread running rounds.
  std::unique_ptr<SendRates> rates_;
  // The times (unix ms) rows held back for a rate limit become due, the
  // earliest first; passed ones are dropped at the start of a round.
  std::priority_queue<int64_t, std::vector<int64_t>, std::greater<>> held_due_;
  // The last round held a row back for its channel's limit: the next round
  // claims a whole batch instead of its send budget (see RunOnce).
  bool hold_wide_ = false;
  uint64_t jitter_state_ = 0x9E3779B97F4A7C15ULL;
  Log* log_ = nullptr;  // not owned; nullptr: stderr
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_OUTBOUND_OUTBOX_WORKER_H_
