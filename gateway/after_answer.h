// AfterAnswer: platform calls that wait until a webhook has been answered.
//
// A webhook is acknowledged only after its messages are committed, and
// nothing that calls a platform may run before that: Telegram's
// answerCallbackQuery (the button stops spinning) is a round-trip to
// api.telegram.org that the platform's delivery must never wait for, nor
// fail because of. Schedule hooks a call to the response: when cpp-httplib
// has written the response and lets go of it, the call is queued, and one
// thread of this object makes it. The outcome is the call's own business
// (it logs what it needs).
//
// At most kMaxQueued calls wait; beyond that a call is dropped with a log
// line (a platform that stopped answering must not grow memory).
//
// Thread safety: Schedule and Drain may be called from many threads.
#ifndef SUARADESA_GATEWAY_AFTER_ANSWER_H_
#define SUARADESA_GATEWAY_AFTER_ANSWER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "gateway/log.h"

namespace httplib {
struct Response;
}

namespace suaradesa {

class AfterAnswer {
 public:
  static constexpr size_t kMaxQueued = 1000;

  // `log` must outlive this object.
  explicit AfterAnswer(Log& log);
  // Makes the calls still queued, then stops the thread.
  ~AfterAnswer();
  AfterAnswer(const AfterAnswer&) = delete;
  AfterAnswer& operator=(const AfterAnswer&) = delete;

  // Makes `call` once `res` has been written and released. REQUIRES: called
  // at most once per response (a second call replaces the first), before
  // the response's body is set (the hook rides on cpp-httplib's
  // content-provider releaser, which a later body does not clear).
  void Schedule(httplib::Response& res, std::function<void()> call);

  // Returns once every call scheduled so far has been made (or dropped):
  // also those whose response is still being written. Tests use it.
  void Drain();

 private:
  void Post(std::function<void()> call);
  void Loop();

  Log& log_;
  std::mutex mu_;
  std::condition_variable work_;  // a call was queued, or stopping
  std::condition_variable idle_;  // the queue ran empty
  // Guarded by mu_.
  std::deque<std::function<void()>> queue_;
  // Calls scheduled and not yet made or dropped: waiting for their
  // response, queued, or being made.
  size_t scheduled_ = 0;
  bool stopping_ = false;
  std::thread thread_;    // last: starts after the rest exists
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_AFTER_ANSWER_H_
