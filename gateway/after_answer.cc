#include "gateway/after_answer.h"

#include <atomic>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include <httplib.h>

namespace suaradesa {

AfterAnswer::AfterAnswer(Log& log) : log_(log), thread_([this] { Loop(); }) {}

AfterAnswer::~AfterAnswer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  thread_.join();
}

void AfterAnswer::Schedule(httplib::Response& res, std::function<void()> call) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++scheduled_;
  }
  // Posted once even if cpp-httplib copied the Response (and its releaser).
  auto once = std::make_shared<std::atomic<bool>>(false);
  // A length of 0 sets no provider, only the releaser: the body set later
  // is written as usual, and the releaser runs when the Response is
  // destroyed, after it was written to the socket.
  res.set_content_provider(0, "text/plain", nullptr,
                           [this, once, call = std::move(call)](bool) mutable {
                             if (!once->exchange(true)) Post(std::move(call));
                           });
}

void AfterAnswer::Post(std::function<void()> call) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= kMaxQueued) {
      --scheduled_;
      log_.Warn("after answer: " + std::to_string(kMaxQueued) +
                " platform calls waiting; one dropped");
      if (scheduled_ == 0) idle_.notify_all();
      return;
    }
    queue_.push_back(std::move(call));
  }
  work_.notify_one();
}

void AfterAnswer::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return scheduled_ == 0; });
}

void AfterAnswer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    std::function<void()> call = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    try {
      call();
    } catch (const std::exception& e) {
      log_.Error(std::string("after answer: a platform call threw: ") + e.what());
    } catch (...) {
      log_.Error("after answer: a platform call threw");
    }
    lock.lock();
    if (--scheduled_ == 0) idle_.notify_all();
  }
}

}  // namespace suaradesa
