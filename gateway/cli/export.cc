// `suaradesa export cases`: the cases as CSV on stdout, one row per case,
// UTF-8 with a header row. No reporter identity is ever part of it.
//
// `suaradesa export messages`: the message log as CSV on stdout (direction,
// channel, provider id, time, status, text). Contacts and their addresses
// are never part of it, and digit runs that look like phone numbers in the
// text are masked.
#include <cctype>
#include <ctime>
#include <optional>
#include <string>

#include "gateway/cli/cli.h"
#include "storage/sqlite_store.h"

#include "gateway/csv.h"

namespace suaradesa::cli {

namespace {

// "2026-11-23" -> unix ms at 00:00 UTC; nullopt when malformed.
std::optional<int64_t> ParseDate(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%Y-%m-%d", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

// Replaces every run of 8 or more digits (spaces, dots, dashes and a
// leading + allowed between them) with "[phone]": residents type their own
// or others' numbers into messages, and exports must not carry them.
std::string MaskPhones(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isdigit(c) || (c == '+' && i + 1 < text.size() &&
                            std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      size_t j = i;
      size_t last_digit = i;
      int digits = 0;
      while (j < text.size()) {
        const unsigned char d = static_cast<unsigned char>(text[j]);
        if (std::isdigit(d)) {
          ++digits;
          last_digit = j;
        } else if (!(d == ' ' || d == '-' || d == '.' || (d == '+' && j == i))) {
          break;
        }
        ++j;
      }
      if (digits >= 8) {
        out += "[phone]";
        i = last_digit + 1;
        continue;
      }
      out.append(text, i, last_digit + 1 - i);
      i = last_digit + 1;
      continue;
    }
    out += text[i];
    ++i;
  }
  return out;
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

int ExportMessages(const Args& args, Context& ctx) {
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;
  std::optional<int64_t> from, to;
  if (!DateRange(args, ctx, from, to)) return 2;
  storage::SqliteOptions options;
  options.path = cfg->database_path;
  auto store = storage::OpenSqliteStore(options);
  if (!store) {
    ctx.err << "export: " << store.error().message << "\n";
    return 1;
  }
  auto messages = (*store)->ListMessages(from, to);
  if (!messages) {
    ctx.err << "export: " << messages.error().message << "\n";
    return 1;
  }
  ctx.out << "direction,channel,provider_id,time,status,text\r\n";
  for (const auto& m : *messages) {
    ctx.out << (m.direction == storage::Direction::kIn ? "in" : "out") << ","
            << CsvField(m.channel_id) << "," << CsvField(m.provider_id) << ","
            << IsoUtc(m.created_at) << "," << CsvField(m.status) << ","
            << CsvField(MaskPhones(m.text)) << "\r\n";
  }
  return 0;
}

}  // namespace

int RunExport(const Args& args, Context& ctx) {
  if (!args.positional.empty() && args.positional[0] == "messages") {
    return ExportMessages(args, ctx);
  }
  if (args.positional.empty() || args.positional[0] != "cases") {
    ctx.err << "usage: suaradesa export cases [--config FILE] [--type usulan|pengaduan] "
               "[--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
               "       suaradesa export messages [--config FILE] [--from YYYY-MM-DD] "
               "[--to YYYY-MM-DD]\n";
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
  storage::SqliteOptions options;
  options.path = cfg->database_path;
  auto store = storage::OpenSqliteStore(options);
  if (!store) {
    ctx.err << "export: " << store.error().message << "\n";
    return 1;
  }
  auto cases = (*store)->ListCases(filter);
  if (!cases) {
    ctx.err << "export: " << cases.error().message << "\n";
    return 1;
  }
  ctx.out << "ticket,type,status,area,desa,created_at,summary\r\n";
  for (const auto& c : *cases) {
    ctx.out << CsvField(c.Ticket()) << "," << storage::CaseTypeName(c.type) << ","
            << CsvField(c.status) << "," << CsvField(c.area_code) << "," << CsvField(c.desa_code)
            << "," << IsoUtc(c.created_at) << "," << CsvField(c.summary) << "\r\n";
  }
  return 0;
}

}  // namespace suaradesa::cli
