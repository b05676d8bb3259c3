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
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  const size_t scheme = url.find("://");
  const size_t at = scheme == std::string::npos ? std::string::npos : url.find('@', scheme + 3);
  if (at == std::string::npos) return url.find("password") == std::string::npos ? url : "postgresql";
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
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

Result<MigrationReport> Migrate(const DatabaseOptions& options) {
  if (options.postgres()) return MigratePg(PgOptionsOf(options));
  return MigrateSqlite(options.path);
}

}  // namespace suaradesa::storage
