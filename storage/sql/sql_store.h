// SqlStore: the part of Store (storage/store.h) that is the same SQL on every
// backend: the outbox worker's claims and results, delivery reports, exports
// and metrics. A backend derives from it and supplies the transactions
// (WriteTx, ReadTx) and what only it can do (group commit, backup, health).
//
// This header is internal to storage/: nothing outside it may include it.
#ifndef SUARADESA_STORAGE_SQL_SQL_STORE_H_
#define SUARADESA_STORAGE_SQL_SQL_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/sql/statement_cache.h"
#include "storage/store.h"

namespace suaradesa::storage {

class SqlStore : public Store {
 public:
  Result<std::vector<OutboxItem>> ClaimDue(int64_t now, int limit, int64_t lease_ms) override;
  Status MarkSent(int64_t outbox_id, const std::string& provider_id, int segments,
                  int64_t now) override;
  Status MarkRetry(int64_t outbox_id, int64_t next_attempt_at, const std::string& error,
                   int64_t now) override;
  Status MarkFailed(int64_t outbox_id, const std::string& error, int64_t now) override;
  Status UpdateDelivery(const std::string& channel_id, const std::string& provider_id,
                        const DeliveryUpdate& update) override;
  Result<std::vector<Case>> ListCases(const CaseFilter& filter) override;
  Result<std::vector<Message>> ListMessages(std::optional<int64_t> from,
                                            std::optional<int64_t> to) override;
  Result<std::vector<OutboxItem>> ListOutbox() override;
  Result<std::vector<DeliveryEvent>> DeliveryTimeline(int64_t message_id) override;
  Status Defer(const std::vector<Deferral>& rows) override;
  Result<int64_t> LastInboundAt(const std::string& channel_id,
                                const std::string& address) override;
  Result<OutboxBacklog> OutboxBacklogAt(int64_t now) override;
  Result<bool> TryLease(const std::string& name, const std::string& holder, int64_t now,
                        int64_t ttl_ms) override;
  Result<std::vector<int64_t>> SendWaits(const std::vector<SendRateLimit>& limits,
                                         int64_t now_ms) override;
  Result<std::vector<int64_t>> ReserveSend(const std::vector<SendRateLimit>& limits,
                                           int64_t now_ms) override;
  Result<std::vector<int64_t>> HoldSendSlots(const SendRateLimit& limit, const std::string& queue,
                                             int count, int64_t now_ms) override;
  Status PauseSends(const std::string& key, int64_t until_ms) override;
  Status PruneSendRates(int64_t now_ms) override;

 protected:
  // Runs body in one write transaction: all of it commits or none. The
  // backend may run body again after a transaction lost a race (PostgreSQL's
  // serialization failures), so body must not keep state between runs.
  virtual Status WriteTx(const std::function<Status(StatementCache&)>& body) = 0;
  // Runs body for reading; it writes nothing.
  virtual Status ReadTx(const std::function<Status(StatementCache&)>& body) = 0;

 private:
  // ReadTx for a body that returns a Result.
  template <typename R, typename F>
  R Read(F&& f) {
    std::optional<R> out;
    Status s = ReadTx([&](StatementCache& stmts) -> Status {
      out.emplace(f(stmts));
      return {};
    });
    if (!s) return std::unexpected(s.error());
    return std::move(*out);
  }

  // When ClaimDue last put back claims whose lease ran out (leases last
  // minutes; looking every claim, 30 a second under a backlog, cost
  // PostgreSQL a scan of the claimed rows' dead index entries each time).
  // kNeverChecked until the first claim.
  static constexpr int64_t kNeverChecked = std::numeric_limits<int64_t>::min();
  std::atomic<int64_t> leases_checked_at_{kNeverChecked};

  // The state and message id of an outbox row that is not finished.
  static Result<std::pair<std::string, int64_t>> OpenOutboxRow(StatementCache& stmts,
                                                               int64_t outbox_id);
  // Sets an outbound message's status and appends it to its timeline.
  static Status SetMessageStatus(StatementCache& stmts, int64_t message_id,
                                 const std::string& status, int64_t at);
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_SQL_SQL_STORE_H_
