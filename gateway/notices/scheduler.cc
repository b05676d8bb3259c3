#include "gateway/notices/scheduler.h"

#include <string>
#include <vector>

namespace suaradesa::notices {

Scheduler::Scheduler(Notices& notices, storage::Store& store, const Clock& clock, Log& log)
    : notices_(notices), store_(store), clock_(clock), log_(log) {}

storage::Result<int> Scheduler::RunOnce() {
  const int64_t now = clock_.NowMillis();
  std::vector<storage::Meeting> meetings;
  storage::Status listed = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto upcoming = tx.UpcomingMeetings(now);
    if (!upcoming) return std::unexpected(upcoming.error());
    meetings = std::move(*upcoming);
    return {};
  });
  if (!listed) return std::unexpected(listed.error());

  int total = 0;
  for (const auto& listed_meeting : meetings) {
    int queued = 0;
    storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
      // Read again inside the transaction: it may have been changed or
      // cancelled since the list was made.
      auto current = tx.GetMeeting(listed_meeting.id);
      if (!current) return std::unexpected(current.error());
      if (!*current) return {};
      auto n = notices_.QueueDue(tx, **current, now);
      if (!n) return std::unexpected(n.error());
      queued = *n;
      return {};
    });
    if (!s) return std::unexpected(s.error());
    if (queued > 0) {
      log_.Info("meeting " + std::to_string(listed_meeting.id) + ": " + std::to_string(queued) +
                " reminders and late invitations queued");
    }
    total += queued;
  }
  return total;
}

}  // namespace suaradesa::notices
