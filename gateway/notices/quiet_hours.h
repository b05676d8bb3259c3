// Quiet hours: nothing is sent to residents between notices.quiet_start and
// notices.quiet_end (local time in the area's zone). Meeting notices,
// broadcasts and staff messages to residents (desk replies, BALAS, status
// notices) all wait until the quiet hours end; a dialog's answer to what a
// resident just wrote does not.
#ifndef SUARADESA_GATEWAY_NOTICES_QUIET_HOURS_H_
#define SUARADESA_GATEWAY_NOTICES_QUIET_HOURS_H_

#include <cstdint>

#include "gateway/config.h"

namespace suaradesa::notices {

// When a message queued at `now` (unix ms) in a zone `utc_offset_minutes`
// east of UTC may go out: `now`, or the end of the quiet hours it falls in.
inline int64_t QuietHoursEnd(const NoticesConfig& n, int64_t now, int utc_offset_minutes) {
  constexpr int64_t kMinuteMs = 60LL * 1000;
  constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;
  if (!n.quiet_hours) return now;
  const int64_t offset_ms = utc_offset_minutes * kMinuteMs;
  const int64_t local = now + offset_ms;
  int64_t day_start = local / kDayMs * kDayMs;
  if (local < 0 && local % kDayMs != 0) day_start -= kDayMs;
  const int minute = static_cast<int>((local - day_start) / kMinuteMs);
  const int start = n.quiet_start_minutes;
  const int end = n.quiet_end_minutes;
  const bool quiet = start > end ? (minute >= start || minute < end)
                                 : (minute >= start && minute < end);
  if (!quiet) return now;
  int64_t until = day_start + end * kMinuteMs;
  if (until <= local) until += kDayMs;
  return until - offset_ms;
}

}  // namespace suaradesa::notices

#endif  // SUARADESA_GATEWAY_NOTICES_QUIET_HOURS_H_
