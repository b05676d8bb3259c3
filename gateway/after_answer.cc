#include "gateway/after_answer.h"

#include <exception>
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
  // A length of 0 sets no provider, only the releaser: the body set later
  // is written as usual, and the releaser runs when the Response is
  // destroyed, after it was written to the socket.
  res.set_content_provider(
      0, "text/plain", nullptr,
      [this, call = std::move(call)](bool) mutable { Post(std::move(call)); });
}

void AfterAnswer::Post(std::function<void()> call) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= kMaxQueued) {
      log_.Warn("after answer: " + std::to_string(kMaxQueued) +
                " platform calls waiting; one dropped");
      return;
    }
    queue_.push_back(std::move(call));
  }
  work_.notify_one();
}

void AfterAnswer::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return queue_.empty() && !running_; });
}

void AfterAnswer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    std::function<void()> call = std::move(queue_.front());
    queue_.pop_front();
    running_ = true;
    lock.unlock();
    try {
      call();
    } catch (const std::exception& e) {
      log_.Error(std::string("after answer: a platform call threw: ") + e.what());
    } catch (...) {
      log_.Error("after answer: a platform call threw");
    }
    lock.lock();
    running_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

}  // namespace suaradesa
