// Tests of CommitQueue (storage/commit_queue.h): batching on the committer thread.
#include "storage/commit_queue.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace suaradesa::storage {
namespace {

// Waits (without sleeping a fixed time) until `queue` holds n writes.
void AwaitQueued(const CommitQueue& queue, size_t n) {
  while (queue.queued() < n) std::this_thread::yield();
}

// Submits `work` per_thread times from each of `threads` threads at once;
// each Submit must return with its write done.
void SubmitFromThreads(CommitQueue& queue, int threads, int per_thread,
                       const std::function<Status(Tx&)>& work) {
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([&] {
      for (int i = 0; i < per_thread; ++i) {
        CommitQueue::Write w;
        w.work = &work;
        queue.Submit(w);
        CHECK(w.done);
      }
    });
  }
  for (auto& t : running) t.join();
}

TEST_CASE("CommitQueue: writes queued behind a busy batch run together, oldest first, "
          "at most max_batch at a time",
          "[storage]") {
  std::mutex mu;
  std::vector<std::vector<int>> batches;  // the ids each batch ran
  std::vector<int> ids(6);
  std::vector<std::function<Status(Tx&)>> works;
  for (int i = 0; i < 6; ++i) {
    ids[i] = i;
    works.push_back([](Tx&) -> Status { return {}; });
  }
  std::vector<CommitQueue::Write> writes(6);
  for (int i = 0; i < 6; ++i) writes[i].work = &works[i];

  std::vector<std::thread> followers;
  CommitQueue* queue_ptr = nullptr;
  std::thread::id committer;
  CommitQueue::Runner run = [&](std::span<CommitQueue::Write* const> batch) {
    CommitQueue& queue = *queue_ptr;
    CHECK(queue.OnCommitter());
    committer = std::this_thread::get_id();
    std::vector<int> ran;
    for (CommitQueue::Write* w : batch) {
      ran.push_back(static_cast<int>(w - writes.data()));
      w->result = std::unexpected(Error::Invalid("write " + std::to_string(ran.back())));
    }
    bool first = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      batches.push_back(ran);
      first = batches.size() == 1;
    }
    if (first) {
      // While the first batch runs, five more writers queue up, in order.
      for (int i = 1; i < 6; ++i) {
        followers.emplace_back([&, i] { queue.Submit(writes[i]); });
        AwaitQueued(queue, static_cast<size_t>(i));
      }
    }
  };
  CommitQueue queue(2, run);
  queue_ptr = &queue;
  queue.Submit(writes[0]);
  for (auto& t : followers) t.join();

  // Every batch ran on the committer thread, not on a caller's.
  CHECK(committer != std::this_thread::get_id());
  CHECK_FALSE(queue.OnCommitter());
  REQUIRE(batches.size() == 4);
  CHECK(batches[0] == std::vector<int>{0});
  CHECK(batches[1] == std::vector<int>{1, 2});
  CHECK(batches[2] == std::vector<int>{3, 4});
  CHECK(batches[3] == std::vector<int>{5});
  CHECK(queue.batches() == 4);
  CHECK(queue.writes() == 6);
  CHECK(queue.queued() == 0);
  // Each writer got the result its batch set for it, not another's.
  for (int i = 0; i < 6; ++i) {
    REQUIRE_FALSE(writes[i].result.has_value());
    CHECK(writes[i].result.error().message == "write " + std::to_string(i));
    CHECK(writes[i].done);
  }
}

TEST_CASE("CommitQueue: in a batch, writes that take a ticket number run last, proposals' "
          "before complaints', each kind oldest first",
          "[storage]") {
  // Queued in this order behind a busy first write.
  const std::vector<Takes> takes = {Takes::kComplaintNumber, Takes::kNothingShared,
                                    Takes::kProposalNumber,  Takes::kComplaintNumber,
                                    Takes::kNothingShared,   Takes::kProposalNumber};
  const size_t n = takes.size() + 1;
  std::function<Status(Tx&)> work = [](Tx&) -> Status { return {}; };
  std::vector<CommitQueue::Write> writes(n);
  for (size_t i = 0; i < n; ++i) {
    writes[i].work = &work;
    if (i > 0) writes[i].takes = takes[i - 1];
  }
  std::vector<std::vector<int>> batches;
  std::vector<std::thread> followers;
  CommitQueue* queue_ptr = nullptr;
  CommitQueue::Runner run = [&](std::span<CommitQueue::Write* const> batch) {
    std::vector<int> ran;
    for (CommitQueue::Write* w : batch) ran.push_back(static_cast<int>(w - writes.data()));
    batches.push_back(ran);
    if (batches.size() == 1) {
      for (size_t i = 1; i < n; ++i) {
        followers.emplace_back([&, i] { queue_ptr->Submit(writes[i]); });
        AwaitQueued(*queue_ptr, i);
      }
    }
  };
  CommitQueue queue(16, run);
  queue_ptr = &queue;
  queue.Submit(writes[0]);
  for (auto& t : followers) t.join();
  REQUIRE(batches.size() == 2);
  CHECK(batches[0] == std::vector<int>{0});
  // Shared nothing (2, 5), then proposal numbers (3, 6), then complaint
  // numbers (1, 4): the two counter rows are always locked in one order.
  CHECK(batches[1] == std::vector<int>{2, 5, 3, 6, 1, 4});
  // Run() carries the caller's kind to its write.
  Takes seen = Takes::kNothingShared;
  CommitQueue one(1, [&](std::span<CommitQueue::Write* const> batch) {
    seen = batch.front()->takes;
  });
  CHECK(one.Run(work, Takes::kProposalNumber).has_value());
  CHECK(seen == Takes::kProposalNumber);
}

TEST_CASE("CommitQueue: many threads, every write runs exactly once", "[storage]") {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::atomic<int> ran{0};
  std::atomic<int> running{0};
  std::atomic<bool> overlapped{false};
  std::function<Status(Tx&)> work = [](Tx&) -> Status { return {}; };
  CommitQueue::Runner run = [&](std::span<CommitQueue::Write* const> batch) {
    if (running.fetch_add(1) != 0) overlapped = true;
    ran += static_cast<int>(batch.size());
    running.fetch_sub(1);
  };
  CommitQueue queue(8, run);
  SubmitFromThreads(queue, kThreads, kPerThread, work);
  CHECK(ran == kThreads * kPerThread);
  CHECK(queue.writes() == static_cast<size_t>(kThreads * kPerThread));
  CHECK_FALSE(overlapped);
}

TEST_CASE("CommitQueue: with three committers, batches run at once on three threads, every "
          "write exactly once",
          "[storage]") {
  constexpr int kThreads = 6;
  constexpr int kPerThread = 100;
  std::atomic<int> ran{0};
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::mutex mu;
  std::vector<std::thread::id> committers;
  std::function<Status(Tx&)> work = [](Tx&) -> Status { return {}; };
  CommitQueue* queue_ptr = nullptr;
  CommitQueue::Runner run = [&](std::span<CommitQueue::Write* const> batch) {
    CHECK(queue_ptr->OnCommitter());
    const int now = running.fetch_add(1) + 1;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      if (std::find(committers.begin(), committers.end(), std::this_thread::get_id()) ==
          committers.end()) {
        committers.push_back(std::this_thread::get_id());
      }
    }
    // The first batches wait until three run at once (or, should they not,
    // for ten seconds, and the check below fails).
    if (ran.load() == 0) {
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (most.load() < 3 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::yield();
      }
    }
    ran += static_cast<int>(batch.size());
    running.fetch_sub(1);
  };
  // One write a batch: with a larger batch the first committer could take
  // every write queued and leave the third nothing to run at once.
  CommitQueue queue(1, run, 3);
  queue_ptr = &queue;
  CHECK_FALSE(queue.OnCommitter());
  SubmitFromThreads(queue, kThreads, kPerThread, work);
  CHECK(ran == kThreads * kPerThread);
  CHECK(queue.writes() == static_cast<size_t>(kThreads * kPerThread));
  CHECK(most.load() == 3);  // never more than the committers
  CHECK(committers.size() == 3);
}

}  // namespace
}  // namespace suaradesa::storage
