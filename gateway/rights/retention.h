// Retention: a daily job that removes what no case needs once the config's
// retention periods have passed (issue 19; config "retention"): texts of
// messages that belong to no case, bodies of finished outbox rows, delivery
// timelines. Several gateways on one database run it once a day between
// them: the one that takes the "retention" lease (Store::TryLease, held for
// a day) runs it. Each run is logged with what it removed.
//
// Thread safety: RunIfDue must not run concurrently with itself.
#ifndef SUARADESA_GATEWAY_RIGHTS_RETENTION_H_
#define SUARADESA_GATEWAY_RIGHTS_RETENTION_H_

#include <cstdint>
#include <optional>
#include <string>

#include "gateway/clock.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "storage/store.h"

namespace suaradesa::rights {

class RetentionJob {
 public:
  static constexpr char kLease[] = "retention";
  static constexpr int64_t kDayMs = 24LL * 3600 * 1000;
  // A gateway that did not get the lease asks again this much later.
  static constexpr int64_t kRetryMs = 3600LL * 1000;

  // All references must outlive the job. `holder`: this gateway's lease name.
  RetentionJob(storage::Store& store, const Config& config, const Clock& clock, Log& log,
               std::string holder);

  // The cutoffs of a run at `now`: the config's periods back from now
  // (a month is 30 days).
  storage::RetentionCutoffs CutoffsAt(int64_t now) const;
  // One run now, whoever holds the lease. Logs what it removed.
  storage::Result<storage::RetentionReport> RunOnce();
  // Runs once a day: when this gateway takes the day's lease. Returns the
  // report of a run, nullopt when none was due.
  storage::Result<std::optional<storage::RetentionReport>> RunIfDue();

 private:
  storage::Store& store_;
  const Config& config_;
  const Clock& clock_;
  Log& log_;
  std::string holder_;
  int64_t next_try_ = 0;  // RunIfDue's thread only
};

}  // namespace suaradesa::rights

#endif  // SUARADESA_GATEWAY_RIGHTS_RETENTION_H_
