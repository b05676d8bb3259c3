// ArrivalOrder: the messages of one contact are handled one at a time, in
// the order they arrived.
//
// An inbound message is decided against a read snapshot on the HTTP thread
// that received it (gateway/inbound.h), and only its writes are serialized.
// Two messages of one person in flight at once (a villager who sends "USUL"
// and the answer in quick succession, a platform that redelivers in
// parallel) would be decided on the same session; the second's write would
// be refused and decided again, but possibly before the first. Holding the
// sender's turn from the read to the commit keeps their dialog advancing in
// arrival order, while messages of different people run in parallel.
//
// Turns are fair: a ticket lock per stripe, so arrival order is the order in
// which Enter was called. Senders are spread over kStripes stripes by a hash
// of their address; two people who share a stripe only wait for each other.
//
// Thread safety: Enter may be called from many threads at once.
#ifndef SUARADESA_GATEWAY_ARRIVAL_ORDER_H_
#define SUARADESA_GATEWAY_ARRIVAL_ORDER_H_

#include <array>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>

namespace suaradesa {

class ArrivalOrder {
 public:
  static constexpr size_t kStripes = 256;

  // The sender's turn: held from construction until destruction.
  class Turn {
   public:
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn();

   private:
    friend class ArrivalOrder;
    explicit Turn(void* stripe) : stripe_(stripe) {}
    void* stripe_;
  };

  // Waits until every message of `sender` that entered before has left.
  [[nodiscard]] Turn Enter(std::string_view sender);

 private:
  struct Stripe {
    std::mutex mu;
    std::condition_variable cv;
    uint64_t next = 0;     // the ticket the next arrival takes
    uint64_t serving = 0;  // the ticket whose turn it is
  };
  std::array<Stripe, kStripes> stripes_;
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_ARRIVAL_ORDER_H_
