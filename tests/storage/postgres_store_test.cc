// Tests of what only the PostgreSQL store does (storage/postgres/store.h):
// its pool outliving the server's sessions, several stores on one database.
// The rest of its behaviour is checked by the store tests, which run on it
// too (tests/storage/open_store.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/open_store.h"
#include "storage/store.h"
#include "tests/storage/postgres_server.h"

namespace suaradesa::storage {
namespace {

using testing::OpenTestPg;
using testing::TestPgUrl;

// Options for a store in a schema of its own, whose sessions carry an
// application_name no other test uses, so that they can be found and ended.
DatabaseOptions Options(const std::string& tag) {
  std::random_device random;
  const std::string name = tag + "_" + std::to_string(random() % 100000000);
  DatabaseOptions o;
  const std::string url = TestPgUrl();
  o.url = testing::UrlWithApplicationName(url, name);
  o.schema = name;
  o.pool_size = 3;
  return o;
}

std::unique_ptr<Store> Open(const DatabaseOptions& o) {
  Result<std::unique_ptr<Store>> store = OpenStore(o);
  INFO((store ? std::string() : store.error().message));
  REQUIRE(store.has_value());
  return std::move(*store);
}

Case Complaint() {
  Case c;
  c.type = CaseType::kPengaduan;
  c.summary = "Dana dipotong";
  c.created_at = 1795399200000;
  return c;
}

int64_t NewCase(Store& store) {
  int64_t number = 0;
  Status s = store.Transact([&](Tx& tx) -> Status {
    Result<Case> made = tx.CreateCase(Complaint());
    if (!made) return std::unexpected(made.error());
    number = made->number;
    return {};
  });
  INFO((s ? std::string() : s.error().message));
  REQUIRE(s.has_value());
  return number;
}

// Ends every session of the store's (its application_name), as a server
// restart or a failover would.
int TerminateSessions(const DatabaseOptions& o) {
  auto admin = OpenTestPg();
  auto q = admin->Prepare(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
      " WHERE application_name = ?1");
  REQUIRE(q.has_value());
  (*q)->BindText(1, o.schema);
  Result<bool> row = (*q)->Step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  return static_cast<int>((*q)->ColumnInt(0));
}

TEST_CASE("PgStore: after the server ended its sessions the next transaction still succeeds",
          "[postgres]") {
  const DatabaseOptions o = Options("reopen");
  auto store = Open(o);
  CHECK(NewCase(*store) == 1);
  // Fill the pool: three transactions at once leave three idle sessions.
  {
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; ++i) threads.emplace_back([&] { NewCase(*store); });
    for (auto& t : threads) t.join();
  }
  REQUIRE(TerminateSessions(o) >= 1);
  // Every idle connection is dead now; none of that reaches the caller.
  CHECK(NewCase(*store) == 5);
  CHECK(store->Healthy());
}

TEST_CASE("PgStore: two stores on one database number cases without gaps or repeats",
          "[postgres]") {
  DatabaseOptions o = Options("two");
  o.pool_size = GENERATE(3, 12);  // one committer each, or four
  INFO("pool_size " << o.pool_size);
  auto a = Open(o);
  auto b = Open(o);
  constexpr int kEach = 40;
  std::vector<int64_t> numbers_a, numbers_b;
  std::thread ta([&] {
    for (int i = 0; i < kEach; ++i) numbers_a.push_back(NewCase(*a));
  });
  std::thread tb([&] {
    for (int i = 0; i < kEach; ++i) numbers_b.push_back(NewCase(*b));
  });
  ta.join();
  tb.join();
  std::vector<int64_t> all = numbers_a;
  all.insert(all.end(), numbers_b.begin(), numbers_b.end());
  std::sort(all.begin(), all.end());
  REQUIRE(all.size() == 2 * kEach);
  for (int i = 0; i < 2 * kEach; ++i) CHECK(all[i] == i + 1);
}

// Transact calls made at the same time commit together, one transaction
// for many (PgStore::RunBatch), each inside its own savepoint: a call that
// fails must take back its own writes, the ticket counter's among them, and
// nothing of the others; also when several such batches commit at once.
TEST_CASE("PgStore: of calls made together, one that fails leaves no trace and the others keep"
          " gapless numbers",
          "[postgres]") {
  // One committer (a pool of 3), and four committing batches at once (12).
  const int pool = GENERATE(3, 12);
  INFO("pool_size " << pool);
  DatabaseOptions o = Options("batch");
  o.pool_size = pool;
  auto store = Open(o);
  constexpr int kThreads = 8;
  constexpr int kEach = 30;
  std::vector<std::vector<int64_t>> numbers(kThreads);
  std::vector<int> refused(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const bool give_up = (t + i) % 3 == 0;
        int64_t number = 0;
        Status s = store->Transact([&](Tx& tx) -> Status {
          Result<Case> made = tx.CreateCase(Complaint());
          if (!made) return std::unexpected(made.error());
          if (give_up) return std::unexpected(Error::Invalid("the caller changed its mind"));
          number = made->number;
          return {};
        });
        if (give_up) {
          if (!s && s.error().kind == Error::Kind::kInvalid) ++refused[t];
        } else if (s) {
          numbers[t].push_back(number);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<int64_t> all;
  int refusals = 0;
  for (int t = 0; t < kThreads; ++t) {
    all.insert(all.end(), numbers[t].begin(), numbers[t].end());
    refusals += refused[t];
  }
  std::sort(all.begin(), all.end());
  CHECK(refusals == kThreads * kEach / 3);
  REQUIRE(static_cast<int>(all.size()) == kThreads * kEach - refusals);
  for (size_t i = 0; i < all.size(); ++i) CHECK(all[i] == static_cast<int64_t>(i) + 1);
  // The cases of the calls that failed were never stored.
  Status read = store->Read([&](Tx& tx) -> Status {
    Result<Case> next = tx.GetCase(CaseType::kPengaduan, static_cast<int64_t>(all.size()) + 1);
    CHECK(!next);
    if (!next) CHECK(next.error().kind == Error::Kind::kNotFound);
    return {};
  });
  CHECK(read.has_value());
  // A new call still gets the next number.
  CHECK(NewCase(*store) == static_cast<int64_t>(all.size()) + 1);
}

// Each counter row stays locked from a batch's first number of that type to
// its commit. Batches that numbered a proposal and a complaint in opposite
// orders deadlocked, and PostgreSQL broke each deadlock only after
// deadlock_timeout (1 s): under `suaradesa bench` a case took 27-37 ms.
TEST_CASE("PgStore: batches that number proposals and complaints together, on two stores, never "
          "deadlock and keep each type's numbers gapless",
          "[postgres]") {
  DatabaseOptions o = Options("order");
  o.pool_size = GENERATE(3, 12);  // one committer each, or four
  INFO("pool_size " << o.pool_size);
  const int64_t before = testing::DatabaseDeadlocks();
  constexpr int kThreads = 12;  // per store
  constexpr int kEach = 30;
  std::vector<std::vector<int64_t>> proposals(2 * kThreads), complaints(2 * kThreads);
  std::vector<std::string> errors(2 * kThreads);  // Catch2 asserts on this thread only
  {
    auto a = Open(o);
    auto b = Open(o);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2 * kThreads; ++t) {
      Store& store = t % 2 == 0 ? *a : *b;
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          Case c = Complaint();
          const bool proposal = (t + i) % 2 == 0;
          if (proposal) c.type = CaseType::kUsulan;
          int64_t number = 0;
          Status s = store.Transact(
              [&](Tx& tx) -> Status {
                Result<Case> made = tx.CreateCase(c);
                if (!made) return std::unexpected(made.error());
                number = made->number;
                return {};
              },
              proposal ? Takes::kProposalNumber : Takes::kComplaintNumber);
          if (!s) {
            errors[t] = s.error().message;
            return;
          }
          (proposal ? proposals : complaints)[t].push_back(number);
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  for (const std::string& error : errors) CHECK(error == "");
  testing::AwaitSessionsGone(o.schema);
  CHECK(testing::DatabaseDeadlocks() == before);
  for (auto* numbers : {&proposals, &complaints}) {
    std::vector<int64_t> all;
    for (const auto& each : *numbers) all.insert(all.end(), each.begin(), each.end());
    std::sort(all.begin(), all.end());
    REQUIRE(all.size() == kThreads * kEach);
    for (size_t i = 0; i < all.size(); ++i) CHECK(all[i] == static_cast<int64_t>(i) + 1);
  }
}

TEST_CASE("PgStore: gateways starting together on a new schema migrate it once, all of them",
          "[postgres]") {
  for (int round = 0; round < 5; ++round) {
    const DatabaseOptions o = Options("start");
    std::vector<Result<std::unique_ptr<Store>>> opened(4);
    std::vector<std::thread> threads;
    for (auto& slot : opened) threads.emplace_back([&slot, &o] { slot = OpenStore(o); });
    for (auto& t : threads) t.join();
    for (auto& store : opened) {
      INFO("round " << round << ": " << (store ? std::string() : store.error().message));
      REQUIRE(store.has_value());
    }
    CHECK(NewCase(**opened.front()) == 1);
    CHECK(NewCase(**opened.back()) == 2);
  }
}

TEST_CASE("PgStore: an ANALYZE keeps no statistics of the outbox's state", "[postgres]") {
  // Taken while the queue was empty they would say no row is pending, and
  // the cached plans would then read a state's whole range of an index
  // under the next backlog (migration 0018).
  const DatabaseOptions o = Options("stats");
  auto store = Open(o);
  constexpr int64_t kT0 = 1795399200000;
  for (int i = 0; i < 40; ++i) {
    Status s = store->Transact([&](Tx& tx) -> Status {
      Result<Contact> c = tx.UpsertContact("tg", "chat-" + std::to_string(i), "", kT0);
      if (!c) return std::unexpected(c.error());
      OutboxItem item;
      item.contact_id = c->id;
      item.channel_id = "tg";
      item.address = "chat-" + std::to_string(i);
      item.kind = OutboxKind::kReply;
      item.payload_json = R"({"text":"Terima kasih"})";
      item.created_at = kT0;
      Result<int64_t> id = tx.Enqueue(item, "Terima kasih");
      if (!id) return std::unexpected(id.error());
      return {};
    });
    REQUIRE(s.has_value());
  }
  // An idle queue: every row sent.
  Result<std::vector<OutboxItem>> claimed = store->ClaimDue(kT0, 100, 60000);
  REQUIRE(claimed.has_value());
  REQUIRE(claimed->size() == 40);
  for (const OutboxItem& item : *claimed) {
    REQUIRE(store->MarkSent(item.id, "p" + std::to_string(item.id), 1, kT0 + 1).has_value());
  }
  REQUIRE(RefreshStatistics(o).has_value());
  auto admin = OpenTestPg();
  auto q = admin->Prepare(
      "SELECT count(*) FILTER (WHERE attname = 'state'),"
      " count(*) FILTER (WHERE attname = 'contact_id')"
      " FROM pg_stats WHERE schemaname = ?1 AND tablename = 'outbox'");
  REQUIRE(q.has_value());
  (*q)->BindText(1, o.schema);
  Result<bool> row = (*q)->Step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  CHECK((*q)->ColumnInt(0) == 0);
  // The ANALYZE did run: the other columns have theirs.
  CHECK((*q)->ColumnInt(1) == 1);
}

TEST_CASE("PgStore: the URL's password never appears in an error", "[postgres]") {
  DatabaseOptions o;
  o.url = "postgresql://someone:s3cr3tpw@127.0.0.1:1/nothing?connect_timeout=2";
  Result<std::unique_ptr<Store>> store = OpenStore(o);
  REQUIRE_FALSE(store.has_value());
  CHECK(store.error().message.find("s3cr3tpw") == std::string::npos);
  CHECK(store.error().message.find("127.0.0.1") != std::string::npos);
  CHECK(o.Describe().find("s3cr3tpw") == std::string::npos);
  // The other places libpq takes a password from.
  for (const std::string url : {"postgresql://someone@127.0.0.1:1/nothing?password=s3cr3tpw",
                                "postgresql://127.0.0.1:1/nothing?sslmode=disable&password=s3cr3tpw"
                                "&connect_timeout=2",
                                "host=127.0.0.1 port=1 password=s3cr3tpw connect_timeout=2"}) {
    o.url = url;
    INFO(url);
    Result<std::unique_ptr<Store>> other = OpenStore(o);
    REQUIRE_FALSE(other.has_value());
    CHECK(other.error().message.find("s3cr3tpw") == std::string::npos);
    CHECK(o.Describe().find("s3cr3tpw") == std::string::npos);
  }
}

}  // namespace
}  // namespace suaradesa::storage
