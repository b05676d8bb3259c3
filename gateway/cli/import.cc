// `suaradesa import members FILE.csv --group CODE`: adds a group's members in
// bulk, in one transaction. The CSV has a header row naming its columns:
// phone (08xx, 628xx or +628xx) and/or urn (telegram:123, whatsapp:628...,
// CHANNEL:ADDRESS), optionally name and language (id, en, jv). A file
// without a header is read as phone,name. Rows that cannot be used are
// reported by line number (never by their number) and skipped.
#include <fstream>
#include <sstream>

#include "gateway/app.h"
#include "gateway/cli/cli.h"

namespace suaradesa::cli {

namespace {

constexpr const char* kImportUsage =
    "usage: suaradesa import members FILE.csv --group CODE [--config FILE]\n"
    "  FILE.csv: a header row with phone and/or urn, optional name and language\n";

}  // namespace

int RunImport(const Args& args, Context& ctx) {
  if (args.positional.size() != 2 || args.positional[0] != "members" || !args.Has("group")) {
    ctx.err << kImportUsage;
    return 2;
  }
  const std::string path = args.positional[1];
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ctx.err << "import: " << path << ": cannot be read\n";
    return 1;
  }
  std::stringstream csv;
  csv << in.rdbuf();
  std::string text = csv.str();
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a BOM from spreadsheets

  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;
  AppDeps deps;
  deps.clock = &ctx.clock;
  deps.log_stream = &ctx.err;
  auto app = App::Create(*cfg, deps);
  if (!app) {
    for (const auto& p : app.error()) ctx.err << "import: " << p << "\n";
    return 1;
  }
  const std::string group = args.Get("group");
  auto report = (*app)->notices().ImportMembers(group, text);
  if (!report) {
    if (report.error().kind == storage::Error::Kind::kNotFound) {
      ctx.err << "import: no group " << group << " (create it with POST /api/v1/groups)\n";
    } else {
      ctx.err << "import: " << report.error().message << "\n";
    }
    return 1;
  }
  for (const auto& p : report->problems) ctx.err << "import: " << path << ": " << p << "\n";
  ctx.out << "imported " << report->rows - static_cast<int>(report->problems.size())
          << " of " << report->rows << " rows into " << group << ": " << report->added
          << " new members, " << report->already << " already members, "
          << report->problems.size() << " skipped\n";
  return report->problems.empty() ? 0 : 1;
}

}  // namespace suaradesa::cli
