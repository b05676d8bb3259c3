// `suaradesa backup FILE`: a consistent copy of the database, taken while
// the gateway keeps running (SQLite's online backup API, see
// Store::Backup). The copy is written beside FILE and renamed into place
// once complete, so FILE is never a half-written backup.
#include <filesystem>
#include <string>
#include <system_error>

#include "gateway/cli/cli.h"
#include "storage/sqlite/store.h"

namespace suaradesa::cli {

int RunBackup(const Args& args, Context& ctx) {
  if (args.positional.size() != 1) {
    ctx.err << "usage: suaradesa backup FILE [--config FILE]\n";
    return 2;
  }
  const std::string dest = args.positional[0];
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;
  if (cfg->Database().postgres()) {
    ctx.err << "backup: copies a SQLite file; back up PostgreSQL with pg_dump (README)\n";
    return 2;
  }
  std::error_code ec;
  if (std::filesystem::exists(dest, ec) &&
      std::filesystem::equivalent(dest, cfg->database_path, ec)) {
    ctx.err << "backup: " << dest << " is the database itself\n";
    return 2;
  }
  storage::SqliteOptions options;
  options.path = cfg->database_path;
  options.apply_migrations = false;
  auto store = storage::OpenSqliteStore(options);
  if (!store) {
    ctx.err << "backup: " << store.error().message << "\n";
    return 1;
  }
  const std::string partial = dest + ".partial";
  std::filesystem::remove(partial, ec);
  storage::SqliteFile* file = storage::AsSqlite(**store);
  if (auto s = file != nullptr ? file->Backup(partial)
                               : storage::Status(std::unexpected(storage::Error::Invalid(
                                     "not a SQLite store")));
      !s) {
    std::filesystem::remove(partial, ec);
    ctx.err << "backup: " << s.error().message << "\n";
    return 1;
  }
  std::filesystem::rename(partial, dest, ec);
  if (ec) {
    ctx.err << "backup: cannot rename " << partial << " to " << dest << ": " << ec.message()
            << "\n";
    return 1;
  }
  ctx.out << "backup of " << cfg->database_path << " written to " << dest << "\n";
  return 0;
}

}  // namespace suaradesa::cli
