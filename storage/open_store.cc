#include "storage/open_store.h"

#include "storage/postgres/store.h"
#include "storage/sqlite/store.h"

namespace suaradesa::storage {

namespace {

PgOptions PgOptionsOf(const DatabaseOptions& o) {
  PgOptions pg;
  pg.url = o.url;
  pg.schema = o.schema;
  pg.pool_size = o.pool_size;
  pg.apply_migrations = o.apply_migrations;
  return pg;
}

}  // namespace

std::string DatabaseOptions::Describe() const {
  if (!postgres()) return path;
  return RedactedPgUrl(url);
}

Result<std::unique_ptr<Store>> OpenStore(const DatabaseOptions& options) {
  if (options.postgres()) return OpenPgStore(PgOptionsOf(options));
  return OpenSqliteStore({.path = options.path, .apply_migrations = options.apply_migrations});
}

Status DropSchema(const DatabaseOptions& options) {
  if (!options.postgres() || options.schema.empty() || options.schema == "public") {
    return std::unexpected(Error::Invalid("only a PostgreSQL schema of its own can be dropped"));
  }
  return DropPgSchema(PgOptionsOf(options));
}

Status RefreshStatistics(const DatabaseOptions& options) {
  if (!options.postgres()) return {};
  return AnalyzePgSchema(PgOptionsOf(options));
}

uint64_t DatabaseRoundTrips() { return PgRoundTrips(); }

Result<MigrationReport> Migrate(const DatabaseOptions& options) {
  if (options.postgres()) return MigratePg(PgOptionsOf(options));
  return MigrateSqlite(options.path);
}

}  // namespace suaradesa::storage
