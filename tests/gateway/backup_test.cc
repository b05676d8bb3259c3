// Store::Backup and `suaradesa backup`: a consistent copy taken while
// webhooks are being committed, which opens, passes integrity_check and
// holds a prefix of the messages with all their consequences. SQLite only
// ([sqlite]): it copies the SQLite file; PostgreSQL is backed up with
// pg_dump, and its store's Backup refuses (tested below on PostgreSQL).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "gateway/channels/signature.h"
#include "gateway/cli/cli.h"
#include "storage/sqlite/store.h"
#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

constexpr int kMessages = 200;

// A signed generic-http webhook: message `i` from its own sender.
httplib::Result PostHttpMessage(TestGateway& gw, int i) {
  nlohmann::json body = {{"id", "m" + std::to_string(i)},
                         {"from", "+628120000" + std::to_string(10000 + i)},
                         {"text", "halo"}};
  const std::string raw = body.dump();
  return gw.Post("/webhook/web", raw,
                 {{"X-Suaradesa-Signature", "sha256=" + channels::HmacSha256Hex(kHttpSecret, raw)}});
}

// Inbound messages without the reply their transaction queued.
int64_t Orphans(StoreView view) {
  std::set<int64_t> answered;
  for (const auto& m : view.Messages(storage::Direction::kOut)) answered.insert(m.contact_id);
  int64_t orphans = 0;
  for (const auto& m : view.Messages(storage::Direction::kIn)) {
    orphans += answered.count(m.contact_id) == 0;
  }
  return orphans;
}

// The highest k of the inbound messages' provider ids "m<k>"; 0 when none.
int64_t HighestProviderNumber(StoreView view) {
  int64_t highest = 0;
  for (const auto& m : view.Messages(storage::Direction::kIn)) {
    REQUIRE(m.provider_id.starts_with("m"));
    highest = std::max<int64_t>(highest, std::stoll(m.provider_id.substr(1)));
  }
  return highest;
}

TEST_CASE("Backup: a copy taken under load is consistent and holds a prefix", "[backup][sqlite]") {
  TempDir dir;
  FakePlatform platform;
  const std::string db = dir.File("live.db");
  TestGateway gw(TestConfig(db, platform.base_url(), platform.base_url() + "/send"));

  std::atomic<int> acked{0};
  std::atomic<int> failed{0};
  std::thread poster([&] {
    for (int i = 1; i <= kMessages; ++i) {
      auto r = PostHttpMessage(gw, i);
      if (r && r->status == 200) {
        acked.fetch_add(1);
      } else {
        failed.fetch_add(1);
      }
    }
  });
  // Start the copy once a quarter is in (bounded: the poster finishes).
  for (int i = 0; i < 20000000 && acked.load() < kMessages / 4 && failed.load() == 0; ++i) {
    std::this_thread::yield();
  }
  const int acked_before = acked.load();
  const std::string copy = dir.File("backup/copy.db");
  storage::SqliteFile* file = storage::AsSqlite(gw.app().store());
  REQUIRE(file != nullptr);
  auto backed_up = file->Backup(copy);
  poster.join();
  INFO((backed_up ? std::string() : backed_up.error().message));
  REQUIRE(backed_up);
  REQUIRE(failed.load() == 0);
  REQUIRE(acked.load() == kMessages);
  // The invariant holds in the live database ...
  StoreView live(gw.app().store());
  REQUIRE(live.InboundCount() == kMessages);
  REQUIRE(Orphans(live) == 0);

  // ... and the copy opens as a current store and is intact.
  storage::SqliteOptions options;
  options.path = copy;
  options.apply_migrations = false;
  auto restored = storage::OpenSqliteStore(options);
  INFO((restored ? std::string() : restored.error().message));
  REQUIRE(restored);
  CHECK((*restored)->Healthy());
  // The backup is an SQLite file: SQLite's own check of the file (not a
  // read of our tables).
  CHECK(QueryText(copy, "PRAGMA integrity_check") == "ok");

  // A prefix: everything acknowledged before the copy began, messages
  // m1..mk with no gaps, and each with the reply its transaction queued.
  StoreView view(**restored);
  const int64_t in_copy = view.InboundCount();
  CHECK(in_copy >= acked_before);
  CHECK(in_copy <= kMessages);
  CHECK(HighestProviderNumber(view) == in_copy);
  CHECK(Orphans(view) == 0);
  CHECK(view.InboundContacts() == in_copy);
  CHECK(view.OutboxCount() == view.OutboundCount());
}

TEST_CASE("Backup: the backup verb copies a database in use and refuses bad targets",
          "[backup][cli][sqlite]") {
  TempDir dir;
  FakePlatform platform;
  const std::string db = dir.File("live.db");
  TestGateway gw(TestConfig(db, platform.base_url(), platform.base_url() + "/send"));
  for (int i = 1; i <= 5; ++i) REQUIRE(PostHttpMessage(gw, i)->status == 200);

  const std::string config = dir.File("suaradesa.json");
  {
    std::ofstream f(config);
    f << R"({"database": )" << DatabaseJsonText(db) << R"(,
      "areas": [{"code": "3510070", "name": "Rogojampi", "timezone": "Asia/Jakarta",
                 "desa": [{"code": "3510070001", "name": "Gitik"}]}],
      "channels": []})";
  }
  auto run = [&](std::vector<std::string> args, std::string& out, std::string& err) {
    std::istringstream in;
    std::ostringstream o, e;
    FakeClock clock;
    cli::Context ctx{in, o, e, clock, [](const std::string&) { return std::nullopt; }};
    int code = cli::RunCli(args, ctx);
    out = o.str();
    err = e.str();
    return code;
  };
  std::string out, err;
  const std::string copy = dir.File("copy.db");
  REQUIRE(run({"backup", copy, "--config", config}, out, err) == 0);
  CHECK(StoreView(*OpenStoreAt(copy)).InboundCount() == 5);
  CHECK(QueryText(copy, "PRAGMA integrity_check") == "ok");
  CHECK_FALSE(std::filesystem::exists(copy + ".partial"));

  CHECK(run({"backup", db, "--config", config}, out, err) == 2);
  CHECK(StoreView(gw.app().store()).InboundCount() == 5);
  CHECK(run({"backup", "--config", config}, out, err) == 2);
}

}  // namespace
}  // namespace suaradesa::testing
