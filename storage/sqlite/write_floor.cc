// MeasureDurableWriteFloor (storage/sqlite/store.h): the least a durable
// write of a message costs, for `suaradesa bench`.
#include <time.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "storage/sqlite/connection.h"
#include "storage/sqlite/store.h"

namespace suaradesa::storage {

namespace {

// CPU time, in ns, the calling thread has used (user and kernel).
int64_t ThreadCpuNanos() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000LL + t.tv_nsec;
}

void RemoveDatabase(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
}

// A first message's length of text (25 bytes).
constexpr const char* kText = "a proposal of a few words";

Result<DurableWriteFloor> Measure(SqliteConnection& db, int per_commit, int64_t rows) {
  // The shape of an inbound row in `messages` and its unique provider id.
  if (Status s = db.Exec(
          "CREATE TABLE floor (id INTEGER PRIMARY KEY, channel_id TEXT NOT NULL,"
          " provider_id TEXT NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;"
          " CREATE UNIQUE INDEX floor_provider ON floor (channel_id, provider_id);");
      !s) {
    return std::unexpected(s.error());
  }
  auto insert = db.PrepareSqlite(
      "INSERT INTO floor (channel_id, provider_id, text, created_at) VALUES (?1, ?2, ?3, ?4)");
  auto begin = db.PrepareSqlite("BEGIN IMMEDIATE");
  auto commit = db.PrepareSqlite("COMMIT");
  if (!insert) return std::unexpected(insert.error());
  if (!begin) return std::unexpected(begin.error());
  if (!commit) return std::unexpected(commit.error());
  const auto run = [](SqliteStatement& s) -> Status {
    Result<bool> r = s.Step();
    s.Reset();
    if (!r) return std::unexpected(r.error());
    return {};
  };
  DurableWriteFloor floor;
  floor.per_commit = per_commit;
  int64_t commit_nanos = 0;
  const int64_t start = ThreadCpuNanos();
  for (int64_t written = 0; written < rows;) {
    if (Status s = run(*begin); !s) return std::unexpected(s.error());
    for (int i = 0; i < per_commit && written < rows; ++i, ++written) {
      insert->BindText(1, "tg");
      insert->BindText(2, std::to_string(1'000'000 + written));
      insert->BindText(3, kText);
      insert->BindInt(4, 1'795'399'200'000 + written);
      if (Status s = run(*insert); !s) return std::unexpected(s.error());
    }
    const int64_t before_commit = ThreadCpuNanos();
    if (Status s = run(*commit); !s) return std::unexpected(s.error());
    commit_nanos += ThreadCpuNanos() - before_commit;
  }
  const double n = static_cast<double>(rows);
  floor.rows = rows;
  floor.cpu_us_per_row = static_cast<double>(ThreadCpuNanos() - start) / 1e3 / n;
  floor.commit_us_per_row = static_cast<double>(commit_nanos) / 1e3 / n;
  return floor;
}

}  // namespace

Result<DurableWriteFloor> MeasureDurableWriteFloor(const std::string& path, int per_commit,
                                                   int64_t rows) {
  if (per_commit < 1 || rows < 1) {
    return std::unexpected(Error::Invalid("durable write floor: per_commit and rows must be > 0"));
  }
  RemoveDatabase(path);
  Result<DurableWriteFloor> floor;
  {
    Result<SqliteConnection> db = OpenConfiguredConnection(path);
    if (!db) return std::unexpected(db.error());
    floor = Measure(*db, per_commit, rows);
  }
  RemoveDatabase(path);
  return floor;
}

}  // namespace suaradesa::storage
