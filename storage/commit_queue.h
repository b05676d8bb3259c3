// CommitQueue: group commit for write transactions.
//
// Many threads want to commit small transactions; each commit costs one
// fsync (synchronous=FULL), which dominates the cost of a webhook. So the
// writers queue up: the first one in becomes the leader, takes every write
// queued behind it (up to max_batch), and runs them as one batch — one
// transaction, one fsync. Writers that arrived while the leader was busy
// wait on a condition variable; when the batch is done each finds its own
// result and returns, so a caller still returns only after its own commit.
// The next waiting writer whose work was not taken becomes the next leader.
// (This is how leveldb's DBImpl::Write batches its log writes.)
//
// The queue knows nothing about SQLite: the batch runner given to Submit
// does the work and sets every Write's result.
//
// Thread safety: Submit may be called from many threads at once. Batches
// never overlap: at most one runner runs at a time, on the leader's thread,
// so a write's work may run on another thread than the one that submitted it.
#ifndef SUARADESA_STORAGE_COMMIT_QUEUE_H_
#define SUARADESA_STORAGE_COMMIT_QUEUE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <span>

#include "storage/store.h"

namespace suaradesa::storage {

class CommitQueue {
 public:
  // One queued write: the caller's work and, once done, its result.
  struct Write {
    const std::function<Status(Tx&)>* work = nullptr;
    Status result;
    bool done = false;  // guarded by the queue's mutex
  };
  // Runs the works of a batch and sets each Write's result.
  using Runner = std::function<void(std::span<Write* const> batch)>;

  // REQUIRES: max_batch >= 1.
  explicit CommitQueue(size_t max_batch) : max_batch_(max_batch) {}
  CommitQueue(const CommitQueue&) = delete;
  CommitQueue& operator=(const CommitQueue&) = delete;

  // Queues `write` and returns once its result is set, either by a batch
  // this thread led (calling `run`) or by another thread's batch.
  void Submit(Write& write, const Runner& run);

  // Figures for the benchmark and tests: batches run, writes in them, and
  // writes waiting now (not yet taken into a batch).
  size_t batches() const;
  size_t writes() const;
  size_t queued() const;

 private:
  const size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  // Guarded by mu_.
  std::deque<Write*> queue_;
  bool leading_ = false;
  size_t batches_ = 0;
  size_t writes_ = 0;
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_COMMIT_QUEUE_H_
