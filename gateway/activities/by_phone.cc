// The activities' phone side (issue 18): INFO, INFO USL-n, IKUTI and
// BERHENTI IKUTI from residents, PROGRES from the TPK, and the complaint
// that names an activity. See activities.h.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/parsers/rupiah.h"
#include "dialogs/text.h"
#include "gateway/activities/activities.h"
#include "gateway/channels/sms_segments.h"
#include "gateway/desk/desk.h"

namespace suaradesa::activities {

namespace {

using nlohmann::json;

// Upper-cases ASCII and treats every non-alphanumeric as a space.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '%' || c >= 0x80) {
      word += static_cast<char>(std::toupper(c));
    } else if (!word.empty()) {
      out.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(word);
  return out;
}

bool AllDigits(const std::string& s) {
  return !s.empty() && s.size() <= 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Finds "USL-12" / "USL 12" / "usl12" among the words from `*i`; advances
// past it. 0 when the words there are not a proposal ticket.
int64_t TicketAt(const std::vector<std::string>& w, size_t* i) {
  if (*i >= w.size()) return 0;
  const std::string& first = w[*i];
  if (first.rfind("USL", 0) != 0) return 0;
  std::string rest = first.substr(3);
  if (rest.empty()) {
    if (*i + 1 >= w.size() || !AllDigits(w[*i + 1])) return 0;
    *i += 2;
    return std::stoll(w[*i - 1]);
  }
  if (!AllDigits(rest)) return 0;
  *i += 1;
  return std::stoll(rest);
}

// The first USL-n anywhere in a text; 0 when none.
int64_t FindTicket(const std::string& text) {
  const std::vector<std::string> w = Words(text);
  for (size_t i = 0; i < w.size(); ++i) {
    size_t j = i;
    if (int64_t n = TicketAt(w, &j); n > 0) return n;
  }
  return 0;
}

}  // namespace

std::optional<ProgressFigure> ParseProgressFigure(const std::string& text) {
  // Whitespace-separated tokens as written.
  std::vector<std::string> raw;
  std::string token;
  for (char ch : text + " ") {
    if (std::isspace(static_cast<unsigned char>(ch))) {
      if (!token.empty()) raw.push_back(token);
      token.clear();
    } else {
      token += ch;
    }
  }
  if (raw.empty()) return std::nullopt;
  const std::string& figure = raw[0];
  // The figure: digits, then at most a '%' and punctuation ("60%", "60.").
  size_t digits = 0;
  while (digits < figure.size() && std::isdigit(static_cast<unsigned char>(figure[digits]))) {
    ++digits;
  }
  if (digits == 0 || digits > 4) return std::nullopt;
  for (size_t k = digits; k < figure.size(); ++k) {
    if (figure[k] != '%' && !std::ispunct(static_cast<unsigned char>(figure[k]))) {
      return std::nullopt;
    }
  }
  ProgressFigure r;
  r.percent = std::stoi(figure.substr(0, digits));
  for (size_t k = 1; k < raw.size(); ++k) r.note += (r.note.empty() ? "" : " ") + raw[k];
  return r;
}


// ------------------------------------------------------------ by phone

storage::Result<std::optional<storage::Activity>> Activities::ByTicket(storage::Tx& tx,
                                                                       const std::string& ticket) {
  storage::CaseType type;
  int64_t number = 0;
  if (!desk::ParseTicketRef(ticket, &type, &number) || type != storage::CaseType::kUsulan) {
    const int64_t n = FindTicket(ticket);
    if (n <= 0) return std::optional<storage::Activity>();
    number = n;
  }
  auto c = tx.GetCase(storage::CaseType::kUsulan, number);
  if (!c) {
    if (c.error().kind == storage::Error::Kind::kNotFound) {
      return std::optional<storage::Activity>();
    }
    return std::unexpected(c.error());
  }
  return tx.ActivityOfCase(c->id);
}

storage::Result<KeyedReply> Activities::ReportProgress(storage::Tx& tx, const Actor& staff,
                                                       int64_t number, const std::string& text,
                                                       int64_t now) {
  const std::string& position = staff.position;
  if (position.rfind("tpk", 0) != 0) return KeyedReply{"activity.tpk_only", json::object()};
  std::optional<ProgressFigure> r = ParseProgressFigure(text);
  if (number <= 0 || !r) return KeyedReply{"activity.progress_usage", json::object()};
  const std::string ticket = "USL-" + std::to_string(number);
  if (r->percent < 0 || r->percent > 100) {
    return KeyedReply{"activity.progress_range", json::object()};
  }
  auto found = ByTicket(tx, ticket);
  if (!found) return std::unexpected(found.error());
  // Another desa's activity answers as one that does not exist.
  if (!*found || !Covers(staff, (*found)->desa_code)) {
    return KeyedReply{"activity.not_found", {{"ticket", ticket}}};
  }
  storage::Activity a = **found;
  if (r->percent < a.progress && dialogs::Trim(r->note).empty()) {
    return KeyedReply{"activity.progress_backwards",
                      {{"ticket", ticket}, {"progress", a.progress}}};
  }
  if (auto s = RecordProgress(tx, a, r->percent, r->note, "tpk:" + staff.name, now); !s) {
    return std::unexpected(s.error());
  }
  return KeyedReply{"activity.progress_recorded", {{"ticket", ticket}, {"progress", r->percent}}};
}

storage::Result<KeyedReply> Activities::InfoList(storage::Tx& tx, const std::string& desa_code,
                                                 int page, const std::string& language) {
  auto list = tx.ActivitiesOf(desa_code);
  if (!list) return std::unexpected(list.error());
  if (list->empty()) return KeyedReply{"info.none", {{"desa", DesaName(desa_code)}}};
  // Pages fill two segments: the lines, then "LANJUT" when more remain.
  std::vector<std::string> lines;
  for (const auto& a : *list) {
    lines.push_back(
        dialogs_
            .Render("info.item",
                    {{"ticket", Ticket(a)},
                     {"title", Short(a.title, 40)},
                     {"stage",
                      dialogs_.Render("activity.stage." + a.stage, json::object(), language).text},
                     {"progress", a.progress}},
                    language)
            .text);
  }
  // Pages of whole lines, each (with its heading and, when more follow,
  // the LANJUT hint) within kInfoSegments SMS segments.
  auto render = [&](const std::string& body, bool more_after) {
    return dialogs_
        .Render(more_after ? "info.list_more" : "info.list",
                {{"desa", DesaName(desa_code)}, {"list", body}}, language)
        .text;
  };
  size_t start = 0;
  for (int p = 0;; ++p) {
    if (start >= lines.size()) return KeyedReply{"info.end", json::object()};
    std::string body = lines[start];
    size_t end = start + 1;
    while (end < lines.size()) {
      const std::string longer = body + "\n" + lines[end];
      if (channels::SmsSegments(render(longer, end + 1 < lines.size())) > kInfoSegments) break;
      body = longer;
      ++end;
    }
    if (p == page) {
      const bool more = end < lines.size();
      return KeyedReply{"info.page", {{"text", render(body, more)}, {"more", more}}};
    }
    start = end;
  }
}

storage::Result<KeyedReply> Activities::InfoOne(storage::Tx& tx, const std::string& ticket,
                                                const std::string& language, int64_t now) {
  auto found = ByTicket(tx, ticket);
  if (!found) return std::unexpected(found.error());
  if (!*found) return KeyedReply{"activity.not_found", {{"ticket", dialogs::Trim(ticket)}}};
  const storage::Activity& a = **found;
  json p = {{"ticket", Ticket(a)},
            {"title", Short(a.title, 40)},
            {"stage", dialogs_.Render("activity.stage." + a.stage, json::object(), language).text},
            {"progress", a.progress},
            {"blm", dialogs::FormatRupiah(a.budget_blm)},
            {"swadaya", dialogs::FormatRupiah(a.budget_swadaya)}};
  std::string extra;
  auto notes = tx.NotesOf(a.id);
  if (!notes) return std::unexpected(notes.error());
  if (!notes->empty() && !notes->back().note.empty()) {
    extra += " " + dialogs_
                       .Render("info.last_note",
                               {{"note", Short(notes->back().note, 50)},
                                {"when", When(notes->back().at, a.desa_code).substr(0, 5)}},
                               language)
                       .text;
  }
  auto meetings = tx.MeetingsOfActivity(a.id);
  if (!meetings) return std::unexpected(meetings.error());
  for (const auto& m : *meetings) {
    if (m.status != "scheduled" || m.starts_at <= now) continue;
    extra +=
        " " + dialogs_
                  .Render("info.next_meeting",
                          {{"when", When(m.starts_at, a.desa_code)}, {"place", Short(m.place, 30)}},
                          language)
                  .text;
    break;
  }
  auto complaints = tx.ComplaintCountOf(a.id);
  if (!complaints) return std::unexpected(complaints.error());
  if (*complaints > 0) {
    extra += " " + dialogs_.Render("info.complaints", {{"count", *complaints}}, language).text;
  }
  p["extra"] = extra;
  return KeyedReply{"info.one", p};
}

storage::Result<KeyedReply> Activities::Follow(storage::Tx& tx, int64_t contact_id,
                                               const std::string& ticket, bool following,
                                               int64_t now) {
  auto found = ByTicket(tx, ticket);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    if (dialogs::Trim(ticket).empty()) return KeyedReply{"activity.ask_ticket", json::object()};
    return KeyedReply{"activity.not_found", {{"ticket", dialogs::Trim(ticket)}}};
  }
  const storage::Activity& a = **found;
  if (auto s = tx.SetFollowing({a.id, contact_id, following, now}); !s) {
    return std::unexpected(s.error());
  }
  return KeyedReply{following ? "activity.following" : "activity.unfollowed",
                    {{"ticket", Ticket(a)}}};
}

storage::Status Activities::OnComplaint(storage::Tx& tx, const storage::Case& complaint,
                                        const std::string& text) {
  if (complaint.type != storage::CaseType::kPengaduan) return {};
  const int64_t number = FindTicket(text);
  if (number <= 0) return {};
  auto c = tx.GetCase(storage::CaseType::kUsulan, number);
  if (!c) {
    if (c.error().kind == storage::Error::Kind::kNotFound) return {};
    return std::unexpected(c.error());
  }
  auto a = tx.ActivityOfCase(c->id);
  if (!a) return std::unexpected(a.error());
  if (!*a) return {};
  auto linked = tx.LinkComplaint((*a)->id, complaint.id);
  if (!linked) return std::unexpected(linked.error());
  if (!*linked) return {};
  // On the complaint's own history only: the proposal's history (which
  // staff of the activity read) shows no complaint.
  return tx.AddCaseEvent(
      {0, complaint.id, clock_.NowMillis(), "activity", "system", "names " + Ticket(**a)});
}

}  // namespace suaradesa::activities
