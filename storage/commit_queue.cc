#include "storage/commit_queue.h"

#include <vector>

namespace suaradesa::storage {

void CommitQueue::Submit(Write& write, const Runner& run) {
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&write);
  while (!write.done) {
    if (leading_) {
      cv_.wait(lock);
      continue;
    }
    // Lead one batch: everything queued so far, oldest first. Our own write
    // may be further back than max_batch; then we lead again after this one.
    leading_ = true;
    std::vector<Write*> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    // The runner must not throw (SqliteStore's catches everything); if it
    // did, the batch would never be marked done and its writers would hang.
    run(batch);
    lock.lock();
    for (Write* w : batch) w->done = true;
    ++batches_;
    writes_ += batch.size();
    leading_ = false;
    cv_.notify_all();
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
