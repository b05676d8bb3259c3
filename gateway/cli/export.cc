// `suaradesa export cases`: the cases as CSV on stdout, one row per case,
// UTF-8 with a header row. No reporter identity is ever part of it.
//
// `suaradesa export messages`: the message log as CSV on stdout (direction,
// channel, provider reference, time, status, text). Contacts, their
// addresses and raw provider ids are never part of it.
//
// `suaradesa export audit`: the staff audit (issue 19) as CSV on stdout:
// at, actor, action, ticket; --from/--to and --action filter it.
//
// Phone numbers and NIKs typed into a summary or a text are masked
// (MaskPhoneNumbers) in both exports. Every export of cases or messages is
// itself an audit record (actor "cli").
//
// `suaradesa export report --area CODE --month 2026-11`: the participation
// figures of the area for that month (in the area's zone) as CSV, the same
// as GET /api/v1/reports/participation.csv (gateway/reports/participation.h):
// counts only, no person in it.
#include <ctime>
#include <optional>
#include <string>

#include "gateway/channels/signature.h"
#include "gateway/cli/cli.h"
#include "gateway/csv.h"
#include "gateway/privacy.h"
#include "gateway/rights/rights.h"
#include "gateway/reports/participation.h"
#include "storage/open_store.h"

namespace suaradesa::cli {

namespace {

// "2026-11-23" -> unix ms at 00:00 UTC; nullopt when malformed.
std::optional<int64_t> ParseDate(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%Y-%m-%d", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

// The reference printed instead of a message's provider id. Provider ids
// can carry the sender's number (a WhatsApp wamid is base64 of text that
// includes it), so the export shows HMAC-SHA256(pseudonym_key,
// "provider_id:" + id) cut to 16 hex digits: equal ids give equal
// references, and an operator with the database can match a row to the
// platform by computing the same value. Empty when the message has no id.
std::string ProviderRef(const std::string& key, const std::string& provider_id) {
  if (provider_id.empty()) return "";
  return channels::HmacSha256Hex(key, "provider_id:" + provider_id).substr(0, 16);
}

// Reads --from and --to into [from, to) unix ms. Prints and returns false
// when malformed.
bool DateRange(const Args& args, Context& ctx, std::optional<int64_t>& from,
               std::optional<int64_t>& to) {
  for (const char* name : {"from", "to"}) {
    if (!args.Has(name)) continue;
    auto ms = ParseDate(args.Get(name));
    if (!ms) {
      ctx.err << "export: --" << name << " must be a date like 2026-11-23\n";
      return false;
    }
    // --to is inclusive of its whole day.
    if (std::string(name) == "from") {
      from = *ms;
    } else {
      to = *ms + 24LL * 3600 * 1000;
    }
  }
  return true;
}

// The audit record of an export from the command line. Prints and returns
// false when it cannot be written: no export goes unrecorded.
bool RecordExport(storage::Store& store, Context& ctx) {
  const int64_t now = ctx.clock.NowMillis();
  storage::Status s = store.Transact([&](storage::Tx& tx) {
    return tx.AddAudit(storage::AuditEntry{0, now, "cli", "export", ""});
  });
  if (!s) ctx.err << "export: recording the export in the audit failed: " << s.error().message << "\n";
  return s.has_value();
}

int ExportAudit(const Args& args, Context& ctx) {
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;
  storage::AuditQuery query;
  if (!DateRange(args, ctx, query.from, query.to)) return 2;
  if (args.Has("action")) query.action = args.Get("action");
  query.limit = 100000000;
  auto store = storage::OpenStore(cfg->Database());
  if (!store) {
    ctx.err << "export: " << store.error().message << "\n";
    return 1;
  }
  auto entries = (*store)->Read([&](storage::Tx& tx) { return tx.ListAudit(query); });
  if (!entries) {
    ctx.err << "export: " << entries.error().message << "\n";
    return 1;
  }
  ctx.out << rights::AuditCsv(*entries);
  return 0;
}

int ExportMessages(const Args& args, Context& ctx) {
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;
  std::optional<int64_t> from, to;
  if (!DateRange(args, ctx, from, to)) return 2;
  auto store = storage::OpenStore(cfg->Database());
  if (!store) {
    ctx.err << "export: " << store.error().message << "\n";
    return 1;
  }
  std::string key;
  auto read_key = (*store)->Transact([&](storage::Tx& tx) -> storage::Status {
    auto value = tx.GetMeta("pseudonym_key");
    if (!value) return std::unexpected(value.error());
    key = *value;
    return {};
  });
  if (!read_key || key.empty()) {
    ctx.err << "export: the database has no pseudonym_key; run `suaradesa migrate`\n";
    return 1;
  }
  if (!RecordExport(**store, ctx)) return 1;
  auto messages = (*store)->ListMessages(from, to);
  if (!messages) {
    ctx.err << "export: " << messages.error().message << "\n";
    return 1;
  }
  ctx.out << "direction,channel,provider_ref,time,status,text\r\n";
  for (const auto& m : *messages) {
    ctx.out << (m.direction == storage::Direction::kIn ? "in" : "out") << ","
            << CsvField(m.channel_id) << "," << ProviderRef(key, m.provider_id) << ","
            << IsoUtc(m.created_at) << "," << CsvField(m.status) << ","
            << CsvField(MaskPhoneNumbers(m.text)) << "\r\n";
  }
  return 0;
}

int ExportReport(const Args& args, Context& ctx) {
  const std::string area = args.Get("area");
  const std::string month = args.Get("month");
  if (area.empty() || month.empty()) {
    ctx.err << "usage: suaradesa export report --area CODE --month YYYY-MM [--config FILE]\n";
    return 2;
  }
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;
  if (month.size() != 7 || !reports::LocalBoundary(month, 420, false)) {
    ctx.err << "export: --month must be a month like 2026-11\n";
    return 2;
  }
  const AreaConfig* found = cfg->FindArea(area);
  if (found == nullptr) {
    ctx.err << "export: --area " << area << " is not an area or desa of the config\n";
    return 2;
  }
  auto store = storage::OpenStore(cfg->Database());
  if (!store) {
    ctx.err << "export: " << store.error().message << "\n";
    return 1;
  }
  reports::ReportRequest request;
  request.area_prefixes = {area};
  request.area = area;
  request.from = month;
  request.to = month;
  request.utc_offset_minutes = cfg->UtcOffsetMinutesOf(area);
  request.now = ctx.clock.NowMillis();
  auto report = reports::BuildReport(**store, request);
  if (!report) {
    ctx.err << "export: " << report.error().message << "\n";
    return 1;
  }
  ctx.out << reports::ToCsv(*report);
  return 0;
}

}  // namespace

int RunExport(const Args& args, Context& ctx) {
  if (!args.positional.empty() && args.positional[0] == "messages") {
    return ExportMessages(args, ctx);
  }
  if (!args.positional.empty() && args.positional[0] == "audit") return ExportAudit(args, ctx);
  if (!args.positional.empty() && args.positional[0] == "report") {
    return ExportReport(args, ctx);
  }
  if (args.positional.empty() || args.positional[0] != "cases") {
    ctx.err << "usage: suaradesa export cases [--config FILE] [--type usulan|pengaduan] "
               "[--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
               "       suaradesa export messages [--config FILE] [--from YYYY-MM-DD] "
               "[--to YYYY-MM-DD]\n"
               "       suaradesa export audit [--config FILE] [--from YYYY-MM-DD] "
               "[--to YYYY-MM-DD] [--action ACTION]\n"
               "       suaradesa export report --area CODE --month YYYY-MM [--config FILE]\n";
    return 2;
  }
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;
  storage::CaseFilter filter;
  if (args.Has("type")) {
    std::string t = args.Get("type");
    if (t == "usulan") {
      filter.type = storage::CaseType::kUsulan;
    } else if (t == "pengaduan") {
      filter.type = storage::CaseType::kPengaduan;
    } else {
      ctx.err << "export: --type must be usulan or pengaduan\n";
      return 2;
    }
  }
  if (!DateRange(args, ctx, filter.from, filter.to)) return 2;
  auto store = storage::OpenStore(cfg->Database());
  if (!store) {
    ctx.err << "export: " << store.error().message << "\n";
    return 1;
  }
  if (!RecordExport(**store, ctx)) return 1;
  auto cases = (*store)->ListCases(filter);
  if (!cases) {
    ctx.err << "export: " << cases.error().message << "\n";
    return 1;
  }
  ctx.out << "ticket,type,status,area,desa,created_at,summary\r\n";
  for (const auto& c : *cases) {
    ctx.out << CsvField(c.Ticket()) << "," << storage::CaseTypeName(c.type) << ","
            << CsvField(c.status) << "," << CsvField(c.area_code) << "," << CsvField(c.desa_code)
            << "," << IsoUtc(c.created_at) << "," << CsvField(MaskPhoneNumbers(c.summary))
            << "\r\n";
  }
  return 0;
}

}  // namespace suaradesa::cli
