#include "gateway/rights/retention.h"

#include <utility>

namespace suaradesa::rights {

RetentionJob::RetentionJob(storage::Store& store, const Config& config, const Clock& clock,
                           Log& log, std::string holder)
    : store_(store), config_(config), clock_(clock), log_(log), holder_(std::move(holder)) {}

storage::RetentionCutoffs RetentionJob::CutoffsAt(int64_t now) const {
  storage::RetentionCutoffs c;
  c.message_texts_before = now - int64_t{config_.retention.message_text_months} * 30 * kDayMs;
  c.outbox_bodies_before = now - int64_t{config_.retention.outbox_body_days} * kDayMs;
  c.delivery_events_before = now - int64_t{config_.retention.delivery_event_days} * kDayMs;
  return c;
}

storage::Result<storage::RetentionReport> RetentionJob::RunOnce() {
  const storage::RetentionCutoffs cutoffs = CutoffsAt(clock_.NowMillis());
  auto report = store_.Transact([&](storage::Tx& tx) { return tx.ApplyRetention(cutoffs); });
  if (!report) return report;
  log_.Info("retention: removed " + std::to_string(report->message_texts) +
            " message texts, " + std::to_string(report->outbox_bodies) + " outbox bodies, " +
            std::to_string(report->delivery_events) + " delivery events");
  return report;
}

storage::Result<std::optional<storage::RetentionReport>> RetentionJob::RunIfDue() {
  const int64_t now = clock_.NowMillis();
  if (now < next_try_) return std::optional<storage::RetentionReport>();
  // Held for a day and not renewed: whoever takes it next (this gateway or
  // another) runs the next day's pass.
  auto held = store_.TryLease(kLease, holder_, now, kDayMs);
  if (!held) return std::unexpected(held.error());
  if (!*held) {
    next_try_ = now + kRetryMs;
    return std::optional<storage::RetentionReport>();
  }
  next_try_ = now + kDayMs;
  auto report = RunOnce();
  if (!report) return std::unexpected(report.error());
  return std::optional<storage::RetentionReport>(*report);
}

}  // namespace suaradesa::rights
