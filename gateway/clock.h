// Clock: the only way the gateway learns what time it is.
//
// SystemClock reads the wall clock; tests use FakeClock (tests/support) and
// move time forward by hand. Nothing else may call system_clock::now().
//
// Thread safety: implementations must be safe to call from any thread.
#ifndef SUARADESA_GATEWAY_CLOCK_H_
#define SUARADESA_GATEWAY_CLOCK_H_

#include <cstdint>

namespace suaradesa {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix time in milliseconds, UTC.
  virtual int64_t NowMillis() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override;
};

// A monotonic clock reading in nanoseconds, for measuring durations (the
// bench); it has no relation to the wall clock.
int64_t MonotonicNanos();

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_CLOCK_H_
