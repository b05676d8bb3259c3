// The SQLite implementation of Store: one database file, WAL mode,
// synchronous=FULL (power cuts are common where this runs), numbered
// migrations recorded in PRAGMA user_version, prepared statements only.
//
// Thread safety: all methods may be called from any thread. Writes are
// serialised on one connection guarded by a mutex, and concurrent Transact
// calls commit together (group commit); busy_timeout covers other processes
// (e.g. a `chat` session beside a running `serve`).
#ifndef SUARADESA_STORAGE_SQLITE_STORE_H_
#define SUARADESA_STORAGE_SQLITE_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "storage/store.h"

namespace suaradesa::storage {

struct SqliteOptions {
  std::string path;              // a file path, or ":memory:" for tests
  bool apply_migrations = true;  // false: fail if the schema is not current
};

// What only the SQLite store has, beside the Store interface.
class SqliteFile {
 public:
  virtual ~SqliteFile() = default;

  // Group commit figures (for the benchmark and tests): transactions
  // committed by Transact batches, Transact calls run in them, and calls
  // waiting now.
  struct CommitStats {
    int64_t batches = 0;
    int64_t writes = 0;
    int64_t queued = 0;
  };
  virtual CommitStats commit_stats() const = 0;

  // Writes a consistent copy of the whole database to dest_path (replacing
  // that file) while other threads keep using the store. Writers are held
  // back only for short steps, never for the whole copy.
  virtual Status Backup(const std::string& dest_path) = 0;

  // Copies the WAL into the database file and truncates the WAL to zero
  // bytes, so that no page image from before (an erased resident's
  // address, issue 19) stays in it. Error::Kind::kIo when a reader kept the
  // checkpoint from finishing.
  virtual Status TruncateWal() = 0;
};

// The SQLite side of `store`; nullptr when it is another backend.
SqliteFile* AsSqlite(Store& store);

// Opens (creating the file and its parent directory when missing) the
// database at options.path. Returns the store, or an error naming the path.
[[nodiscard]] Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

// Brings the schema of the database at `path` up to date.
[[nodiscard]] Result<MigrationReport> MigrateSqlite(const std::string& path);

// The newest schema version this build knows.
int LatestSchemaVersion();

// The least CPU a durable write of a message costs here, measured by
// MeasureDurableWriteFloor: the floor under the committer's figure in
// `suaradesa bench` (issue 16).
struct DurableWriteFloor {
  int per_commit = 0;           // rows in each transaction
  int64_t rows = 0;             // rows written in all
  double cpu_us_per_row = 0;    // the calling thread's CPU (user and kernel), per row
  double commit_us_per_row = 0; // of which in COMMIT (the WAL written and flushed)
};

// Writes `rows` rows of an inbound message's shape (its text, and the
// unique provider id that makes a retried delivery a no-op) into a new
// SQLite file at `path`, opened as the store opens its own (WAL,
// synchronous=FULL), `per_commit` rows to a transaction, and measures the
// CPU the calling thread spent. Nothing else of a message is written (no
// contact, session, reply or outbox row), so a committer that stores each
// message durably cannot cost less per message at that batch size. The
// file and its WAL are removed afterwards.
[[nodiscard]] Result<DurableWriteFloor> MeasureDurableWriteFloor(const std::string& path,
                                                                 int per_commit, int64_t rows);

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_SQLITE_STORE_H_
