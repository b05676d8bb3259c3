// The case store: what the gateway may ask of persistent storage.
//
// Everything the gateway remembers lives behind this interface: contacts and
// their channel addresses, every message in and out, dialog sessions, cases
// with their event history, and the outbox. Two implementations share their
// SQL (storage/sql/): SQLite (storage/sqlite/store.h, the default: one file)
// and PostgreSQL (storage/postgres/store.h: several gateways on one
// database). Nothing outside storage/ may depend on either.
//
// The records are in storage/records.h; what a transaction may do, by role
// (conversation, cases and desk, outbox, notices, tokens), in storage/tx.h.
//
// Writes happen inside Store::Transact: the callback receives a Tx and either
// all of its changes commit or none do. Store::Read runs a callback against
// one consistent snapshot, on the caller's thread and in parallel with other
// readers and the writer; its Tx refuses writes. Times are unix
// milliseconds (UTC).
//
// Thread safety: a Store may be used from many threads at once. A Tx must be
// used only inside the callback it was passed to. Transact callbacks of
// several threads commit together (group commit: one fsync for many), so a
// callback may run on another thread than its caller's: it must not call
// the Store, nor wait for anything its caller's thread holds or must do.
#ifndef SUARADESA_STORAGE_STORE_H_
#define SUARADESA_STORAGE_STORE_H_

#include <concepts>
#include <cstdint>
#include <expected>
#include <functional>
#include <type_traits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/records.h"
#include "storage/tx.h"

namespace suaradesa::storage {

struct CaseFilter {
  std::optional<CaseType> type;
  std::optional<int64_t> from;  // created_at >= from
  std::optional<int64_t> to;    // created_at < to
};

// What a write will take that every writer of its kind shares, so that
// group commit can place it (storage/commit_queue.h). A ticket number comes
// from a counter row per case type (0011), whose row lock PostgreSQL holds
// until the commit. The writes of a batch run in this enum's order, each
// value's oldest first:
// - those that take a number after the others, so that other committers'
//   and gateways' batches wait for the counter as briefly as they can;
// - the proposal counter before the complaint counter, so that two batches
//   never lock the two rows in opposite orders: that is a deadlock, which
//   PostgreSQL breaks only after deadlock_timeout (1 s by default).
enum class Takes { kNothingShared, kProposalNumber, kComplaintNumber };

class Store {
 public:
  virtual ~Store() = default;

  // Runs fn inside one transaction. If fn returns an error the transaction is
  // rolled back and that error returned; otherwise it commits, and a failed
  // commit is returned as Error::Kind::kIo. fn may be called at most once.
  // Returns once fn's changes are durable (or rolled back), with fn's value:
  // fn returns a Result<T> (Status is Result<void>), and so does Transact.
  // `takes` says which ticket number fn will take, if it creates a case
  // (see Takes); it changes only where fn runs among the writes committed
  // with it.
  template <typename F>
    requires std::invocable<F&, Tx&>
  std::invoke_result_t<F&, Tx&> Transact(F&& fn, Takes takes = Takes::kNothingShared) {
    return WithValue(fn, [this, takes](const std::function<Status(Tx&)>& f) {
      return TransactStatus(f, takes);
    });
  }

  // Runs fn on the caller's thread against one consistent snapshot of the
  // store, in parallel with other readers and with Transact's commits
  // (which it neither waits for nor holds up). fn may only read: a write
  // through the Tx fails. Returns fn's value, like Transact.
  template <typename F>
    requires std::invocable<F&, Tx&>
  std::invoke_result_t<F&, Tx&> Read(F&& fn) {
    return WithValue(fn, [this](const std::function<Status(Tx&)>& f) { return ReadStatus(f); });
  }

  // True when the database answers a trivial query and takes the write
  // lock, and the last commit that wrote something did not fail (a full
  // disk). While commits fail, Healthy tries one small write itself, so it
  // turns true again once there is room even when nothing else writes.
  virtual bool Healthy() = 0;

  // --- Outbox (each call is its own transaction) ---

  // Claims up to `limit` rows due at `now`: for each contact only its oldest
  // unsent row (replies before broadcasts), skipping contacts that have a
  // row in state "sending". Claimed rows move to "sending" with attempts+1
  // and a lease until now + lease_ms: a row whose lease ran out (its worker
  // could not record the outcome, or stopped) is claimable again, and
  // counts another attempt. A kBroadcast row of a contact who opted out is
  // not claimed but failed (last_error kOptedOutError) in the same
  // transaction, and returned in state "failed" so the caller can count it.
  virtual Result<std::vector<OutboxItem>> ClaimDue(int64_t now, int limit, int64_t lease_ms) = 0;
  // The row was accepted by the platform.
  virtual Status MarkSent(int64_t outbox_id, const std::string& provider_id,
                          int segments, int64_t now) = 0;
  // Try again at next_attempt_at.
  virtual Status MarkRetry(int64_t outbox_id, int64_t next_attempt_at,
                           const std::string& error, int64_t now) = 0;
  // Give up on the row for good.
  virtual Status MarkFailed(int64_t outbox_id, const std::string& error,
                            int64_t now) = 0;
  // Rows left in "sending" by a crash go back to "pending". Called at start.
  virtual Status RecoverClaims(int64_t now) = 0;
  // Records a delivery status reported by the platform for an outbound
  // message identified by its provider id, with a failure's code and reason.
  // The first time a status is reported for the message, its consequence
  // is applied in the same transaction: kUnreachable marks the address the
  // message went to unreachable on that channel (until the person writes
  // from it again); kOptedOutAtPlatform opts the contact out (no more
  // broadcasts or notices on any channel, waiting ones failed with
  // kOptedOutPlatformError; replies to their own messages still go).
  virtual Status UpdateDelivery(const std::string& channel_id,
                                const std::string& provider_id,
                                const DeliveryUpdate& update) = 0;

  // --- Reads for exports, the desk and tests ---
  virtual Result<std::vector<Case>> ListCases(const CaseFilter& filter) = 0;
  virtual Result<std::vector<Message>> ListMessages(std::optional<int64_t> from,
                                                    std::optional<int64_t> to) = 0;
  virtual Result<std::vector<OutboxItem>> ListOutbox() = 0;
  // The delivery timeline of a message: one DeliveryEvent per status
  // transition, oldest first (e.g. queued, sent, delivered, read, or failed
  // with the platform's code and reason). Error::NotFound when the message
  // does not exist.
  virtual Result<std::vector<DeliveryEvent>> DeliveryTimeline(int64_t message_id) = 0;
  // --- Channels (the outbound policies of issue 4) ---
  // Puts claimed rows back to "pending", each due at its next_attempt_at,
  // without counting the claim as an attempt: a rate limit or a closed
  // WhatsApp window held them back before anything was sent. A non-empty
  // note replaces last_error (e.g. "outside_24h_window"). All rows in one
  // commit: a round of the outbox may hold back a whole batch, and one
  // commit each would make the round, not the rate limit, set the pace.
  // Rows already sent or failed, or gone, are left as they are.
  struct Deferral {
    int64_t outbox_id = 0;
    int64_t next_attempt_at = 0;
    std::string note;
  };
  virtual Status Defer(const std::vector<Deferral>& rows) = 0;
  // The time (unix ms, as recorded) of the newest inbound message from the
  // contact reached at (channel_id, address), or 0 when there is none.
  virtual Result<int64_t> LastInboundAt(const std::string& channel_id,
                                        const std::string& address) = 0;
  // --- Metrics (issue 7) ---
  // The rows still to be sent (pending or sending) and the age at `now` of
  // the oldest of them.
  virtual Result<OutboxBacklog> OutboxBacklogAt(int64_t now) = 0;

  // --- Leases: one gateway at a time (issue 17) ---
  // Takes or renews the lease `name` for `holder` until now + ttl_ms and
  // returns true, when the lease is free, ran out (its until <= now), or is
  // already held by `holder`; else changes nothing and returns false. One
  // statement: of gateways racing for a free lease exactly one gets it.
  // Holders compare times by their own clocks, so clocks must agree to
  // well within ttl_ms.
  virtual Result<bool> TryLease(const std::string& name, const std::string& holder, int64_t now,
                                int64_t ttl_ms) = 0;
  // --- Send-rate limits shared by gateways (issue 17, migration 0013) ---
  // The state of the outbox's rate limits, for several gateways on one
  // database (gateway/outbound/send_rates.h; the algorithm is described in
  // gateway/outbound/rate_limiter.h). Times are unix ms; state is kept in
  // microseconds so that a rate's grid adds up exactly.
  //
  // One key's limit: a send every interval_us at most; 0 means no limit,
  // only a pause holds the key back.
  struct SendRateLimit {
    std::string key;
    int64_t interval_us = 0;
  };
  // Per key, the ms until a send may go under it at now_ms (0: now): the
  // later of its pause's end and, when limited, the millisecond its
  // theoretical arrival time (TAT) falls in.
  virtual Result<std::vector<int64_t>> SendWaits(const std::vector<SendRateLimit>& limits,
                                                 int64_t now_ms) = 0;
  // Takes the send slot at now_ms under every key, or under none, in one
  // transaction: when SendWaits would answer all 0, moves each limited
  // key's TAT on by its interval (from the TAT when the send is late by
  // less than one interval, else from now) and answers all 0. Otherwise
  // changes nothing and answers the waits. Two gateways never both take a
  // key's slot.
  virtual Result<std::vector<int64_t>> ReserveSend(const std::vector<SendRateLimit>& limits,
                                                   int64_t now_ms) = 0;
  // Hands `count` (>= 1) messages held back under `limit` the next free
  // send slots of `queue` in turn (unix ms, one per message): the first at
  // or after the key's next allowed time and one interval after the slot
  // handed out before, each next one interval later. Unlimited: all at the
  // pause's end. Never earlier than now_ms. One transaction, however many.
  virtual Result<std::vector<int64_t>> HoldSendSlots(const SendRateLimit& limit,
                                                     const std::string& queue, int count,
                                                     int64_t now_ms) = 0;
  // Nothing goes under `key` before until_ms (extends, never shortens).
  virtual Status PauseSends(const std::string& key, int64_t until_ms) = 0;
  // Forgets keys and queues that hold nothing back any more at now_ms.
  virtual Status PruneSendRates(int64_t now_ms) = 0;

 protected:
  // What Transact and Read run: fn's Status decides commit or rollback.
  virtual Status TransactStatus(const std::function<Status(Tx&)>& fn, Takes takes) = 0;
  virtual Status ReadStatus(const std::function<Status(Tx&)>& fn) = 0;

 private:
  // Runs fn through `run` (TransactStatus or ReadStatus) and returns fn's
  // value: fn's error decides the rollback like any Status.
  template <typename F, typename Run>
  static std::invoke_result_t<F&, Tx&> WithValue(F& fn, Run run) {
    using R = std::invoke_result_t<F&, Tx&>;
    if constexpr (std::is_same_v<R, Status>) {
      return run(std::function<Status(Tx&)>(std::ref(fn)));
    } else {
      std::optional<typename R::value_type> value;
      Status s = run([&](Tx& tx) -> Status {
        R r = fn(tx);
        if (!r) return std::unexpected(std::move(r.error()));
        value.emplace(std::move(*r));
        return {};
      });
      if (!s) return std::unexpected(std::move(s.error()));
      return std::move(*value);
    }
  }
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_STORE_H_
