// OpenStore: the one place that chooses the backend. A database path means
// SQLite (one file, the default: storage/sqlite/store.h); a URL means
// PostgreSQL (several gateways on one database: storage/postgres/store.h).
#ifndef SUARADESA_STORAGE_OPEN_STORE_H_
#define SUARADESA_STORAGE_OPEN_STORE_H_

#include <memory>
#include <string>

#include "storage/store.h"

namespace suaradesa::storage {

struct DatabaseOptions {
  std::string path;    // SQLite: a file path (or ":memory:" in tests)
  std::string url;     // PostgreSQL: postgresql://user@host/db; wins over path
  std::string schema;  // PostgreSQL: the schema of our tables; "" = public
  int pool_size = 12;  // PostgreSQL: connections at most
  bool apply_migrations = true;  // false: fail if the schema is not current

  bool postgres() const { return !url.empty(); }
  // Where the data is, for messages: the path, or the URL without password.
  std::string Describe() const;
};

[[nodiscard]] Result<std::unique_ptr<Store>> OpenStore(const DatabaseOptions& options);
[[nodiscard]] Result<MigrationReport> Migrate(const DatabaseOptions& options);
// PostgreSQL: drops options.schema with everything in it (the bench's own
// schemas). Refused for SQLite and for the default schema.
[[nodiscard]] Status DropSchema(const DatabaseOptions& options);
// PostgreSQL: refreshes the planner's statistics of options.schema's tables
// (ANALYZE), as autovacuum does within a minute or so of their growth; the
// bench calls it after its warm-up. SQLite: nothing (its hot queries name
// their indexes).
[[nodiscard]] Status RefreshStatistics(const DatabaseOptions& options);
// PostgreSQL: times this process has waited for the server's answer (each
// a round trip), all connections together, since it started; the bench
// prints them per webhook. Always 0 with SQLite only.
uint64_t DatabaseRoundTrips();

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_OPEN_STORE_H_
