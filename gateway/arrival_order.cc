#include "gateway/arrival_order.h"

#include <functional>

namespace suaradesa {

ArrivalOrder::Turn ArrivalOrder::Enter(std::string_view sender) {
  Stripe& s = stripes_[std::hash<std::string_view>{}(sender) % kStripes];
  std::unique_lock<std::mutex> lock(s.mu);
  const uint64_t ticket = s.next++;
  s.cv.wait(lock, [&] { return s.serving == ticket; });
  return Turn(&s);
}

ArrivalOrder::Turn::~Turn() {
  auto* s = static_cast<Stripe*>(stripe_);
  {
    std::lock_guard<std::mutex> lock(s->mu);
    ++s->serving;
  }
  s->cv.notify_all();
}

}  // namespace suaradesa
