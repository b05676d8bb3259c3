// Scheduler: sends meeting reminders (and invitations of members who joined
// after a meeting was announced) when they fall due.
//
// RunOnce looks at every scheduled meeting that has not started and queues,
// in one transaction per meeting, whatever Notices::QueueDue finds due at
// the clock's time. It keeps no state of its own: the store's ledger of
// scheduled sends decides what was already done, so a restart, a second
// scheduler over the same database, or a clock that jumps forward or back
// never sends anything twice. `serve` calls it every 30 seconds (App::Tick);
// tests call it with a FakeClock.
//
// Thread safety: RunOnce may be called from any thread; two concurrent
// calls are safe (the ledger's unique keys settle any race) but pointless.
#ifndef SUARADESA_GATEWAY_NOTICES_SCHEDULER_H_
#define SUARADESA_GATEWAY_NOTICES_SCHEDULER_H_

#include "gateway/clock.h"
#include "gateway/log.h"
#include "gateway/notices/notices.h"
#include "storage/store.h"

namespace suaradesa::notices {

class Scheduler {
 public:
  // All references must outlive the Scheduler.
  Scheduler(Notices& notices, storage::Store& store, const Clock& clock, Log& log);

  // One pass. Returns the number of outbox rows queued, or the first store
  // error (meetings handled before it stay done).
  [[nodiscard]] storage::Result<int> RunOnce();

 private:
  Notices& notices_;
  storage::Store& store_;
  const Clock& clock_;
  Log& log_;
};

}  // namespace suaradesa::notices

#endif  // SUARADESA_GATEWAY_NOTICES_SCHEDULER_H_
