#include "storage/commit_queue.h"

#include <pthread.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace suaradesa::storage {

CommitQueue::CommitQueue(size_t max_batch, Runner run, size_t committers)
    : max_batch_(max_batch), run_(std::move(run)) {
  threads_.reserve(committers);
  for (size_t i = 0; i < committers; ++i) {
    threads_.emplace_back([this] { Loop(); });
    // Named, so that top -H and perf show the committers on lines of their own.
    pthread_setname_np(threads_.back().native_handle(), kThreadName);
  }
}

CommitQueue::~CommitQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool CommitQueue::OnCommitter() const {
  const std::thread::id me = std::this_thread::get_id();
  for (const std::thread& t : threads_) {
    if (t.get_id() == me) return true;
  }
  return false;
}

Status CommitQueue::Run(const std::function<Status(Tx&)>& work, Takes takes, bool inside_other) {
  if (inside_other || OnCommitter()) {
    return std::unexpected(
        Error::Invalid("the store was called from inside one of its own transactions"));
  }
  Write write;
  write.work = &work;
  write.takes = takes;
  Submit(write);
  return write.result;
}

void CommitQueue::Submit(Write& write) {
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&write);
  // With one committer, only the first write of an idle queue needs to
  // wake it: a busy committer looks at the queue again before it sleeps.
  // With several, an idle one takes the write while the others are busy.
  if (queue_.size() == 1 || threads_.size() > 1) work_.notify_one();
  while (!write.done) write.cv.wait(lock);
}

void CommitQueue::Loop() {
  std::vector<Write*> batch;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    while (queue_.empty() && !stopping_) work_.wait(lock);
    if (queue_.empty()) return;  // stopping, and nothing left to run
    batch.clear();
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    std::stable_sort(batch.begin(), batch.end(),
                     [](const Write* a, const Write* b) { return a->takes < b->takes; });
    // If the runner threw, the batch would never be marked done and its
    // writers would hang; SqliteStore's runner catches everything.
    run_(batch);
    lock.lock();
    ++batches_;
    writes_ += batch.size();
    for (Write* w : batch) {
      w->done = true;
      w->cv.notify_one();
    }
  }
}

size_t CommitQueue::batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

size_t CommitQueue::writes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_;
}

size_t CommitQueue::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

}  // namespace suaradesa::storage
