// DeadlineWatcher: complaint deadlines, in working days.
//
// Each pass looks at every open complaint's three deadlines (verification,
// first answer, resolution). One working day before a deadline the assignee
// is reminded; once it has passed the complaint is marked overdue and
// escalates to staff at the next level (desa -> kecamatan -> kabupaten).
// Each reminder and escalation happens once per deadline (remembered in the
// case's workflow state, so restarts and clock jumps repeat nothing) and is
// an event in the case's history.
//
// Thread safety: RunOnce must not run concurrently with itself.
#ifndef SUARADESA_GATEWAY_DESK_DEADLINES_H_
#define SUARADESA_GATEWAY_DESK_DEADLINES_H_

#include "gateway/desk/desk.h"

namespace suaradesa::desk {

struct DeadlineReport {
  int reminded = 0;
  int escalated = 0;
};

class DeadlineWatcher {
 public:
  // All references must outlive the watcher.
  DeadlineWatcher(Desk& desk, storage::Store& store, const Config& config, const Clock& clock,
                  Log& log);

  // One pass at the clock's current time.
  storage::Result<DeadlineReport> RunOnce();

 private:
  // Queues a message to a staff member's registered phone, if any.
  storage::Status MessageStaff(storage::Tx& tx, const std::string& name, const std::string& key,
                               const nlohmann::json& params);

  Desk& desk_;
  storage::Store& store_;
  const Config& config_;
  const Clock& clock_;
  Log& log_;
};

}  // namespace suaradesa::desk

#endif  // SUARADESA_GATEWAY_DESK_DEADLINES_H_
