#include "gateway/desk/deadlines.h"

#include <algorithm>
#include <ctime>

#include "gateway/desk/working_days.h"

namespace suaradesa::desk {

namespace {

using nlohmann::json;

bool Has(const std::string& list, const std::string& item) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (list.compare(start, comma - start, item) == 0) return true;
    start = comma + 1;
  }
  return false;
}

void Add(std::string& list, const std::string& item) {
  if (!list.empty()) list += ',';
  list += item;
}

// "2026-11-26 09.00 WIB": short enough for a staff SMS.
std::string LocalTime(int64_t ms, const std::string& timezone) {
  const int64_t local = ms / 1000 + UtcOffsetMinutes(timezone) * 60;
  std::time_t t = static_cast<std::time_t>(local);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H.%M", &tm);
  return std::string(buf) + " " + ZoneAbbreviation(timezone);
}

}  // namespace

DeadlineWatcher::DeadlineWatcher(Desk& desk, storage::Store& store, const Config& config,
                                 const Clock& clock, Log& log)
    : desk_(desk), store_(store), config_(config), clock_(clock), log_(log) {}

storage::Status DeadlineWatcher::MessageStaff(storage::Tx& tx, const std::string& name,
                                              const std::string& key, const json& params) {
  return desk_.MessageStaff(tx, name, key, params);
}

storage::Result<DeadlineReport> DeadlineWatcher::RunOnce() {
  DeadlineReport report;
  const int64_t now = clock_.NowMillis();
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    storage::DeskQuery q;
    q.type = storage::CaseType::kPengaduan;
    q.limit = 100000;
    auto rows = tx.QueryCases(q);
    if (!rows) return std::unexpected(rows.error());
    for (auto& dc : *rows) {
      if (dc.record.status == "selesai" || dc.record.status == "diarsipkan") continue;
      if (dc.desk.verify_due == 0) continue;
      const AreaConfig* area = config_.FindArea(dc.record.area_code);
      const std::string tz = area ? area->timezone : "Asia/Jakarta";
      WorkingDays wd(config_.desk.holidays, UtcOffsetMinutes(tz));
      struct Deadline {
        const char* name;
        int64_t due;
        bool met;
      };
      const bool verified = dc.desk.verified_at != 0 || dc.record.status != "diterima";
      const Deadline deadlines[] = {{"verify", dc.desk.verify_due, verified},
                                    {"answer", dc.desk.answer_due, dc.desk.answered_at != 0},
                                    {"resolve", dc.desk.resolve_due, false}};
      bool changed = false;
      for (const auto& d : deadlines) {
        if (d.met || d.due == 0) continue;
        const std::string overdue_mark = std::string("overdue:") + d.name;
        const std::string remind_mark = std::string("remind:") + d.name;
        json params = {{"ticket", dc.record.Ticket()}, {"deadline", LocalTime(d.due, tz)}};
        if (now >= d.due) {
          if (Has(dc.desk.reminded, overdue_mark)) continue;
          Add(dc.desk.reminded, overdue_mark);
          dc.desk.overdue = true;
          ++dc.desk.escalation_level;
          const std::string level = dc.desk.escalation_level >= 2 ? "kabupaten" : "kecamatan";
          auto next = desk_.PickAssignee(tx, dc, level);
          if (!next) return std::unexpected(next.error());
          const std::string before = dc.desk.assignee;
          if (!next->empty()) dc.desk.assignee = *next;
          storage::CaseEvent e{0, dc.record.id, now, "escalate", "system",
                               std::string(d.name) + " deadline passed; " +
                                   (before.empty() ? "-" : before) + " -> " +
                                   (dc.desk.assignee.empty() ? "-" : dc.desk.assignee)};
          if (storage::Status r = tx.AddCaseEvent(e); !r) return r;
          if (!dc.desk.assignee.empty()) {
            if (storage::Status r = MessageStaff(tx, dc.desk.assignee, "desk.escalated", params);
                !r) {
              return r;
            }
          }
          ++report.escalated;
          changed = true;
        } else if (now >= wd.Subtract(d.due, 1) && !Has(dc.desk.reminded, remind_mark)) {
          Add(dc.desk.reminded, remind_mark);
          storage::CaseEvent e{0, dc.record.id, now, "reminder", "system",
                               std::string(d.name) + " due " + LocalTime(d.due, tz)};
          if (storage::Status r = tx.AddCaseEvent(e); !r) return r;
          if (!dc.desk.assignee.empty()) {
            if (storage::Status r = MessageStaff(tx, dc.desk.assignee, "desk.reminder", params);
                !r) {
              return r;
            }
          }
          ++report.reminded;
          changed = true;
        }
      }
      if (changed) {
        if (storage::Status r = tx.PutCaseDesk(dc.desk); !r) return r;
      }
    }
    return {};
  });
  if (!s) return std::unexpected(s.error());
  if (report.reminded || report.escalated) {
    log_.Info("deadlines: reminded=" + std::to_string(report.reminded) +
              " escalated=" + std::to_string(report.escalated));
  }
  return report;
}

}  // namespace suaradesa::desk
