#include "gateway/rights/rights.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <set>

#include "gateway/csv.h"
#include "storage/sqlite/store.h"

namespace suaradesa::rights {

namespace {

using nlohmann::json;

// One SMS segment (GSM-7): what each DATA SAYA message keeps within.
constexpr size_t kSegmentChars = 160;

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Rights::Rights(storage::Store& store, const dialogs::Dialogs& dialogs, desk::Desk& desk,
               const Config& config, const Clock& clock, Log& log)
    : store_(store), dialogs_(dialogs), desk_(desk), config_(config), clock_(clock), log_(log) {}

storage::Result<std::optional<dialogs::Reply>> Rights::FirstNotice(
    storage::RightsTx& tx, const storage::Contact& contact, int64_t now) const {
  if (!config_.privacy.notice_first_message) return std::optional<dialogs::Reply>();
  // Noticed already when the contact was read: nothing to write.
  if (contact.privacy_noticed) return std::optional<dialogs::Reply>();
  auto first = tx.MarkPrivacyNoticed(contact.id, now);
  if (!first) return std::unexpected(first.error());
  if (!*first) return std::optional<dialogs::Reply>();
  return std::optional<dialogs::Reply>(dialogs_.Render(
      kNoticeKey, {{"months", config_.retention.message_text_months}}, contact.language));
}

dialogs::Reply Rights::PrivacyReply(const std::string& language) const {
  dialogs::Reply r =
      dialogs_.Render(kNoticeKey, {{"months", config_.retention.message_text_months}}, language);
  if (!config_.privacy.contact.empty()) {
    r.text += "\n" + dialogs_.Render("privacy.contact", {{"contact", config_.privacy.contact}},
                                     language).text;
  }
  return r;
}

std::string Rights::Date(int64_t ms) const {
  const int offset = config_.areas.empty() ? 420 : UtcOffsetMinutes(config_.areas[0].timezone);
  std::time_t t = static_cast<std::time_t>(ms / 1000 + int64_t{offset} * 60);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%d-%m-%Y", &tm);
  return buf;
}

storage::Result<std::vector<dialogs::Reply>> Rights::AccessReplies(
    storage::RightsTx& tx, const storage::Contact& contact) const {
  auto data = tx.DataOf(contact.id);
  if (!data) return std::unexpected(data.error());
  return AccessText(*data, contact.language);
}

std::vector<dialogs::Reply> Rights::AccessText(const storage::ContactData& d,
                                               const std::string& lang) const {
  const storage::ContactData* data = &d;
  std::string groups;
  for (const auto& g : data->groups) groups += (groups.empty() ? "" : ", ") + g;
  if (groups.empty()) groups = dialogs_.Render("rights.no_groups", json::object(), lang).text;
  std::vector<dialogs::Reply> out;
  out.push_back(dialogs_.Render(
      "rights.access",
      {{"messages", data->messages},
       {"since", Date(data->since)},
       {"language", dialogs_.Render("language." + data->language, json::object(), lang).text},
       {"subscription",
        dialogs_.Render(data->opted_out ? "rights.unsubscribed" : "rights.subscribed",
                        json::object(), lang)
            .text},
       {"groups", groups}},
      lang));
  if (data->cases.empty()) {
    out.push_back(dialogs_.Render("rights.no_cases", json::object(), lang));
    return out;
  }
  // "USL-3 diterima, ADU-12 diproses": split between tickets so that each
  // message stays within one segment.
  std::string list;
  const auto flush = [&] {
    out.push_back(dialogs_.Render("rights.cases", {{"list", list}}, lang));
    list.clear();
  };
  const size_t frame = dialogs_.Render("rights.cases", {{"list", ""}}, lang).text.size();
  for (const storage::Case& c : data->cases) {
    std::string status = dialogs_.Render("case_status." + c.status, json::object(), lang).text;
    std::string item = c.Ticket() + " " + status;
    if (!list.empty() && frame + list.size() + 2 + item.size() > kSegmentChars) flush();
    list += (list.empty() ? "" : ", ") + item;
  }
  if (!list.empty()) flush();
  return out;
}

storage::Result<storage::ErasureReport> Rights::Erase(storage::Tx& tx, int64_t contact_id,
                                                      const std::string& actor, int64_t now) {
  auto report = tx.EraseContact(contact_id, now);
  if (!report) return std::unexpected(report.error());
  // When and by whom; never what (no contact, no case).
  if (storage::Status s = desk_.Audit(tx, actor, desk::Desk::kAuditErase, ""); !s) {
    return std::unexpected(s.error());
  }
  return report;
}

void Rights::ForgetErased() {
  storage::SqliteFile* file = storage::AsSqlite(store_);
  if (file == nullptr) return;
  if (storage::Status s = file->TruncateWal(); !s) {
    log_.Warn("erasure: truncating the WAL failed (" + s.error().message +
              "); the next checkpoint overwrites it");
  }
}

desk::DeskResult<json> Rights::EraseByPseudonym(const desk::Actor& actor,
                                                const std::string& pseudonym,
                                                const std::string& ticket) {
  if (!actor.admin()) {
    return std::unexpected(desk::DeskError{403, "forbidden", "only an admin may erase a contact"});
  }
  const int64_t now = clock_.NowMillis();
  storage::Result<desk::DeskResult<json>> r =
      store_.Transact([&](storage::Tx& tx) -> storage::Result<desk::DeskResult<json>> {
        storage::DeskQuery every;
        every.limit = 10000000;  // every case: the pseudonym is computed, not stored
        auto cases = tx.QueryCases(every);
        if (!cases) return std::unexpected(cases.error());
        std::set<int64_t> contacts;
        for (const auto& dc : *cases) {
          if (!ticket.empty() && Upper(dc.record.Ticket()) != Upper(ticket)) continue;
          if (Upper(desk_.Pseudonym(tx, dc.record)) != Upper(pseudonym)) continue;
          if (dc.record.contact_id != 0) contacts.insert(dc.record.contact_id);
        }
        if (contacts.empty()) {
          return desk::DeskResult<json>(
              std::unexpected(desk::DeskError{404, "not_found", "no case shows this pseudonym"}));
        }
        if (contacts.size() > 1) {
          return desk::DeskResult<json>(std::unexpected(desk::DeskError{
              409, "ambiguous", "cases of several reporters show this pseudonym: give the ticket"}));
        }
        auto report = Erase(tx, *contacts.begin(), actor.name, now);
        if (!report) return std::unexpected(report.error());
        return desk::DeskResult<json>(json{{"erased", true}, {"cases_kept", report->cases_kept}});
      });
  if (!r) return std::unexpected(desk::FromStorage(r.error()));
  if (*r) {
    ForgetErased();
    log_.Info("erasure: a contact was erased by " + actor.name);
  }
  return std::move(*r);
}

desk::DeskResult<json> Rights::ListAudit(const desk::Actor& actor,
                                         const storage::AuditQuery& query) {
  if (!actor.admin()) {
    return std::unexpected(desk::DeskError{403, "forbidden", "only an admin may read the audit"});
  }
  auto entries = store_.Read([&](storage::Tx& tx) { return tx.ListAudit(query); });
  if (!entries) return std::unexpected(desk::FromStorage(entries.error()));
  json out = {{"entries", json::array()}};
  for (const auto& e : *entries) {
    out["entries"].push_back({{"at", IsoUtc(e.at)},
                              {"at_ms", e.at},
                              {"actor", e.actor},
                              {"action", e.action},
                              {"ticket", e.ticket}});
  }
  return out;
}

std::string AuditCsv(const std::vector<storage::AuditEntry>& entries) {
  std::string out = "at,actor,action,ticket\r\n";
  for (const auto& e : entries) {
    out += CsvField(IsoUtc(e.at)) + "," + CsvField(e.actor) + "," + CsvField(e.action) + "," +
           CsvField(e.ticket) + "\r\n";
  }
  return out;
}

}  // namespace suaradesa::rights
