// CommitQueue: group commit for write transactions.
//
// Many threads want to commit small transactions; each commit costs one
// fsync (synchronous=FULL) and a fixed amount of page writing. So writers do
// not commit themselves: they queue their work and wait, and one committer
// thread takes everything queued so far (up to max_batch) and runs it as one
// batch — one transaction, one fsync — then wakes exactly the writers of
// that batch, each finding its own result. A caller still returns only after
// its own commit.
//
// This is leveldb's DBImpl::Write batching, with one change: leveldb lets
// the writer at the front of the queue lead the next batch, so between two
// batches a sleeping thread must be woken and scheduled. On a 2-core
// machine under load that hand-over took a fifth of the committer's time
// (measured on issue 7); a thread that only commits goes from one batch
// straight to the next.
//
// The queue knows nothing about SQLite: the runner given to the constructor
// does the work and sets every Write's result.
//
// With more than one committer (PostgreSQL, where each runs its batches on
// a connection of its own and the server works on them in parallel), each
// idle committer takes what is queued; batches then overlap.
//
// Within a batch, writes run oldest first, except that those that take a
// ticket number run after the others, the proposals' before the
// complaints' (Store's Takes). A counter row stays locked from its first
// number to the commit, and every other batch that numbers a case of that
// type waits for it. Measured under `suaradesa bench` on PostgreSQL with
// numbers taken mid-batch: 27-37 ms a case, most of it batches that had
// locked the two counters in opposite orders waiting for deadlock_timeout.
// Writes of one batch were all waiting at once, so running them in another
// order is an order in which they could have arrived.
//
// Thread safety: Submit may be called from many threads at once. With one
// committer batches never overlap; they all run on the committer thread.
// Either way a write's work runs on another thread than the one that
// submitted it.
#ifndef SUARADESA_STORAGE_COMMIT_QUEUE_H_
#define SUARADESA_STORAGE_COMMIT_QUEUE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "storage/store.h"

namespace suaradesa::storage {

class CommitQueue {
 public:
  // One queued write: the caller's work and, once done, its result.
  struct Write {
    const std::function<Status(Tx&)>* work = nullptr;
    Takes takes = Takes::kNothingShared;  // its place in the batch
    Status result;
    bool done = false;           // guarded by the queue's mutex
    std::condition_variable cv;  // signalled once done
  };
  // Runs the works of a batch and sets each Write's result. Must not throw.
  using Runner = std::function<void(std::span<Write* const> batch)>;

  // The committer thread's name, as top -H, perf and /proc show it.
  static constexpr const char* kThreadName = "commit";

  // Starts `committers` committer threads. REQUIRES: max_batch >= 1,
  // committers >= 1; the runner may be called from that many threads at
  // once.
  CommitQueue(size_t max_batch, Runner run, size_t committers = 1);
  // Runs what is still queued, then stops the committer thread.
  ~CommitQueue();
  CommitQueue(const CommitQueue&) = delete;
  CommitQueue& operator=(const CommitQueue&) = delete;

  // Queues `write` and returns once the committer has run it and set its
  // result. REQUIRES: not called from the committer thread (it would wait
  // for itself); true of the runner's own code, so it can be checked there.
  void Submit(Write& write);

  // Submit for one piece of work: queues it, waits, and returns its result.
  // Refuses (kInvalid) a call from inside a batch's work, which would wait
  // for itself; `inside_other` is the caller's own such refusal (a thread
  // inside another of the store's transactions).
  Status Run(const std::function<Status(Tx&)>& work, Takes takes = Takes::kNothingShared,
             bool inside_other = false);

  // True on a committer thread, i.e. inside the runner.
  bool OnCommitter() const;

  // Figures for the benchmark and tests: batches run, writes in them, and
  // writes waiting now (not yet taken into a batch).
  size_t batches() const;
  size_t writes() const;
  size_t queued() const;

 private:
  void Loop();

  const size_t max_batch_;
  const Runner run_;
  mutable std::mutex mu_;
  std::condition_variable work_;  // signalled when a write is queued or on stop
  // Guarded by mu_. Writes not yet taken into a batch, oldest first.
  std::deque<Write*> queue_;
  bool stopping_ = false;
  size_t batches_ = 0;
  size_t writes_ = 0;
  // Last: started after everything above exists; not changed after.
  std::vector<std::thread> threads_;
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_COMMIT_QUEUE_H_
