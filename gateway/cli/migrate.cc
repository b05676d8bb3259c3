// `suaradesa migrate`: brings the database schema up to date.
#include "gateway/cli/cli.h"
#include "storage/open_store.h"

namespace suaradesa::cli {

int RunMigrate(const Args& args, Context& ctx) {
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;
  const storage::DatabaseOptions db = cfg->Database();
  auto report = storage::Migrate(db);
  if (!report) {
    ctx.err << "migrate: " << report.error().message << "\n";
    return 1;
  }
  if (report->applied.empty()) {
    ctx.out << db.Describe() << ": schema is current (version " << report->to_version
            << ")\n";
  } else {
    ctx.out << db.Describe() << ": schema version " << report->from_version << " -> "
            << report->to_version << "\n";
    for (const auto& name : report->applied) ctx.out << "  applied " << name << "\n";
  }
  return 0;
}

}  // namespace suaradesa::cli
