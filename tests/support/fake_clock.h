// FakeClock: time that moves only when a test says so.
#ifndef SUARADESA_TESTS_SUPPORT_FAKE_CLOCK_H_
#define SUARADESA_TESTS_SUPPORT_FAKE_CLOCK_H_

#include <atomic>
#include <cstdint>

#include "gateway/clock.h"

namespace suaradesa::testing {

class FakeClock final : public Clock {
 public:
  // 2026-11-23T02:00:00Z: a Monday, 09.00 WIB.
  static constexpr int64_t kDefaultStart = 1795399200000;

  explicit FakeClock(int64_t start_ms = kDefaultStart) : now_(start_ms) {}
  int64_t NowMillis() const override { return now_.load(); }
  void Advance(int64_t ms) { now_ += ms; }
  void Set(int64_t ms) { now_ = ms; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_SUPPORT_FAKE_CLOCK_H_
