#include "gateway/notices/notices.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "dialogs/format.h"
#include "dialogs/parsers/keywords.h"
#include "storage/phone.h"
#include "dialogs/text.h"
#include "gateway/channels/sms_segments.h"
#include "gateway/notices/quiet_hours.h"
#include "gateway/outbound/payload.h"

namespace suaradesa::notices {

namespace {

using nlohmann::json;

constexpr int64_t kMinuteMs = 60LL * 1000;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int kMaxSegments = 2;
// A reminder due this soon after the member's last notice went out is not
// sent (see QueueDue).
constexpr int64_t kCollapseMs = 6LL * 3600 * 1000;

const std::vector<std::string> kForums = {"musdus", "mkp", "musdes", "mad", "spp", "other",
                                          "pertanggungjawaban", "serah_terima"};
const std::set<std::string> kSmsTypes = {"twilio", "android_sms", "http"};
const std::set<std::string> kLanguages = {"id", "en", "jv"};

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// Group codes: 2 to 20 of A-Z, 0-9, '-' and '_', starting with a letter or
// digit, short enough to type after GABUNG on a feature phone.
bool ValidCode(const std::string& code) {
  if (code.size() < 2 || code.size() > 20) return false;
  if (!std::isalnum(static_cast<unsigned char>(code[0]))) return false;
  for (char c : code) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string NormalizeCode(const std::string& code) { return Upper(dialogs::Trim(code)); }

std::string StringField(const json& body, const std::string& key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return "";
  return dialogs::Trim(it->get<std::string>());
}

DeskError Invalid(const std::string& code, const std::string& message) {
  return {422, code, message};
}

DeskError NotFound(const std::string& what) { return {404, "not_found", what + " not found"}; }

// Shortens UTF-8 `text` to about `max_bytes`, ending with "..."; empty when
// too little would be left to mean anything.
std::string Shorten(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  if (max_bytes < 8) return "";
  std::string cut = dialogs::TruncateUtf8(text, max_bytes - 3);
  while (!cut.empty() && cut.back() == ' ') cut.pop_back();
  return cut + "...";
}

// "Agenda item." -> "Agenda item": the templates add their own stop.
std::string WithoutFinalStop(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string JoinNonEmpty(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

// A minimal CSV reader: commas, double quotes with "" inside, CRLF or LF.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  bool any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',' || c == ';') {
      row.push_back(dialogs::Trim(cell));
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(dialogs::Trim(cell));
      cell.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      cell += c;
      any = true;
    }
  }
  if (any || !cell.empty()) {
    row.push_back(dialogs::Trim(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

bool ParseLocalDateTime(const std::string& text, int* year, int* month, int* day, int* hour,
                        int* minute) {
  // YYYY-MM-DDTHH:MM
  if (text.size() != 16 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':') {
    return false;
  }
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  auto num = [&](size_t at, size_t len) { return std::stoi(text.substr(at, len)); };
  *year = num(0, 4);
  *month = num(5, 2);
  *day = num(8, 2);
  *hour = num(11, 2);
  *minute = num(14, 2);
  if (*year < 2000 || *year > 2200 || *month < 1 || *month > 12 || *day < 1 ||
      *day > dialogs::DaysInMonth(*year, *month) || *hour > 23 || *minute > 59) {
    return false;
  }
  return true;
}

Notices::Notices(storage::Store& store, const dialogs::Dialogs& dialogs, const Config& config,
                 const Clock& clock, Log& log)
    : store_(store), dialogs_(dialogs), config_(config), clock_(clock), log_(log) {}

// ------------------------------------------------------------ helpers

int64_t Notices::NotBefore(int64_t now, int utc_offset_minutes) const {
  return QuietHoursEnd(config_.notices, now, utc_offset_minutes);
}

std::string Notices::SmsChannel() const {
  for (const auto& ch : config_.channels) {
    if (kSmsTypes.count(ch.type)) return ch.id;
  }
  return "";
}

const storage::Address* Notices::ReachAt(const storage::Member& member) const {
  // Addresses come most recently seen first; a channel no longer in the
  // config cannot carry anything.
  for (const auto& a : member.addresses) {
    for (const auto& ch : config_.channels) {
      if (ch.id == a.channel_id) return &a;
    }
  }
  return nullptr;
}

bool Notices::Covers(const Actor& actor, const std::string& area) const {
  if (actor.admin()) return true;
  for (const auto& a : actor.areas) {
    if (!a.empty() && area.rfind(a, 0) == 0) return true;
  }
  return false;
}

std::string Notices::MeetingLabel(const storage::Meeting& m, const std::string& language) const {
  const std::string title = channels::ToGsmFriendly(m.title);
  if (m.forum == "other" || m.forum.empty()) return title;
  const std::string forum =
      dialogs_.Render("notice.forum." + m.forum, json::object(), language).text;
  if (dialogs::Lowercase(title).rfind(dialogs::Lowercase(forum), 0) == 0) return title;
  return forum + " " + title;
}

std::string Notices::When(const storage::Meeting& m, const std::string& language) const {
  return dialogs::FormatDateTime(dialogs_, m.starts_at, m.utc_offset_minutes, "", language);
}

std::string Notices::NoticeText(const storage::Meeting& m, const std::string& kind,
                                const std::string& language) const {
  json params = {{"meeting", MeetingLabel(m, language)},
                 {"when", When(m, language)},
                 {"place", channels::ToGsmFriendly(m.place)}};
  const std::string head = dialogs_.Render("notice." + kind, params, language).text;
  if (kind == "cancelled") return head;
  const bool full = kind == "invite" || kind == "changed";
  const std::string answer =
      full ? dialogs_.Render("notice.answer", json::object(), language).text : "";
  std::string agenda = full ? WithoutFinalStop(channels::ToGsmFriendly(m.agenda)) : "";
  std::string bring = WithoutFinalStop(channels::ToGsmFriendly(m.bring));
  auto part = [&](const char* key, const char* name, const std::string& value) -> std::string {
    if (value.empty()) return "";
    std::string text = dialogs_.Render(key, {{name, value}}, language).text;
    // A shortened value ends in "..."; the template's own stop adds nothing.
    if (const size_t at = text.find("...."); at != std::string::npos) text.erase(at, 1);
    return text;
  };
  auto compose = [&] {
    return JoinNonEmpty({head, part("notice.agenda", "agenda", agenda),
                         part("notice.bring", "bring", bring), answer});
  };
  // Two SMS segments at most: shorten the agenda, then what to bring; the
  // head (what, when, where) is never cut.
  std::string text = compose();
  for (int guard = 0; guard < 200; ++guard) {
    const channels::SmsCount count = channels::CountSms(text);
    if (count.segments <= kMaxSegments) break;
    const int capacity = kMaxSegments * (count.encoding == channels::SmsEncoding::kGsm7
                                             ? channels::kGsm7SegmentUnits
                                             : channels::kUcs2SegmentUnits);
    const size_t over = static_cast<size_t>(std::max(count.units - capacity, 1)) + 2;
    std::string& target = !agenda.empty() ? agenda : bring;
    if (target.empty()) break;  // nothing left that may be shortened
    target = Shorten(target, target.size() > over ? target.size() - over : 0);
    text = compose();
  }
  return text;
}

storage::QueuedNotice Notices::MakeNotice(const storage::Meeting& m, const storage::Member& member,
                                          const storage::Address& to,
                                          const std::string& send_kind, const std::string& text,
                                          int64_t now, int64_t not_before) const {
  storage::QueuedNotice n;
  n.send.meeting_id = m.id;
  n.send.contact_id = member.contact_id;
  n.send.kind = send_kind;
  n.send.at = now;
  n.item.contact_id = member.contact_id;
  n.item.channel_id = to.channel_id;
  n.item.address = to.address;
  n.item.kind = storage::OutboxKind::kBroadcast;
  // "notice": the outbox worker may send it as the channel's template when
  // a free-form window (WhatsApp) is closed.
  OutboundPayload payload = OutboundPayload::Text(text);
  payload.notice = true;
  payload.meeting = m.id;
  payload.notice_kind = send_kind;
  n.item.payload_json = ToJson(payload);
  n.item.created_at = now;
  n.item.next_attempt_at = not_before;
  n.text = text;
  return n;
}

storage::Result<int> Notices::QueueForMembers(storage::Tx& tx, const storage::Meeting& m,
                                              const std::vector<storage::Member>& members,
                                              const std::string& template_kind,
                                              const std::string& send_kind, bool invite,
                                              int64_t now) {
  const int64_t not_before = NotBefore(now, m.utc_offset_minutes);
  std::map<std::string, std::string> texts;  // language -> text
  std::vector<storage::QueuedNotice> batch;
  batch.reserve(members.size());
  for (const auto& member : members) {
    if (member.opted_out) continue;
    const storage::Address* to = ReachAt(member);
    if (to == nullptr) continue;
    auto it = texts.find(member.language);
    if (it == texts.end()) {
      it = texts.emplace(member.language, NoticeText(m, template_kind, member.language)).first;
    }
    storage::QueuedNotice n = MakeNotice(m, member, *to, send_kind, it->second, now, not_before);
    n.invite = invite;
    batch.push_back(std::move(n));
  }
  return tx.QueueNotices(batch);
}

storage::Result<int> Notices::QueueDue(storage::Tx& tx, const storage::Meeting& m, int64_t now) {
  if (m.status != "scheduled" || m.starts_at <= now) return 0;
  auto members = tx.Recipients(m.groups, m.id);
  if (!members) return std::unexpected(members.error());
  auto sends = tx.ScheduledSends(m.id);
  if (!sends) return std::unexpected(sends.error());
  std::map<int64_t, std::set<std::string>> kinds;
  std::map<int64_t, int64_t> last_sent;
  for (const auto& s : *sends) {
    kinds[s.contact_id].insert(s.kind);
    if (s.outbox_id != 0) last_sent[s.contact_id] = std::max(last_sent[s.contact_id], s.at);
  }
  // Who answered TIDAK: they get no reminders (they said they won't come).
  auto invitations = tx.InvitationsOfMeeting(m.id);
  if (!invitations) return std::unexpected(invitations.error());
  std::set<int64_t> declined;
  for (const auto& i : *invitations) {
    if (i.answer == "tidak") declined.insert(i.contact_id);
  }

  // When each reminder falls due, in the meeting's local time.
  struct Due {
    int64_t at;
    std::string key;
    std::string template_kind;
  };
  std::vector<Due> due;
  const int64_t offset_ms = m.utc_offset_minutes * kMinuteMs;
  const int64_t local_midnight = (m.starts_at + offset_ms) / kDayMs * kDayMs - offset_ms;
  for (const auto& rule : config_.notices.reminders) {
    Due d;
    if (rule.days_before > 0) {
      d.at = local_midnight - rule.days_before * kDayMs + rule.at_minutes * kMinuteMs;
      d.template_kind = rule.days_before == 1 ? "reminder_day_before" : "reminder";
    } else {
      d.at = m.starts_at - rule.minutes_before * kMinuteMs;
      d.template_kind = "reminder_soon";
    }
    // The start is part of the key: a rescheduled meeting is reminded anew.
    d.key = "reminder:" + rule.Id() + "@" + std::to_string(m.starts_at);
    if (d.at < m.starts_at) due.push_back(std::move(d));
  }

  const int64_t not_before = NotBefore(now, m.utc_offset_minutes);
  std::map<std::string, std::string> texts;  // template + language -> text
  auto text_for = [&](const std::string& kind, const std::string& language) -> const std::string& {
    const std::string cache_key = kind + "|" + language;
    auto it = texts.find(cache_key);
    if (it == texts.end()) it = texts.emplace(cache_key, NoticeText(m, kind, language)).first;
    return it->second;
  };
  std::vector<storage::QueuedNotice> batch;
  for (const auto& member : *members) {
    if (member.opted_out) continue;
    const storage::Address* to = ReachAt(member);
    if (to == nullptr) continue;
    const std::set<std::string>& done = kinds[member.contact_id];
    if (member.invited_at == 0) {
      // A member who joined after the meeting was announced.
      const std::string key = done.count("invite") ? "invite:v" + std::to_string(m.version)
                                                   : "invite";
      storage::QueuedNotice n = MakeNotice(m, member, *to, key,
                                           text_for("invite", member.language), now, not_before);
      n.invite = true;
      batch.push_back(std::move(n));
      continue;
    }
    if (declined.count(member.contact_id)) continue;
    const int64_t last = std::max(member.invited_at, last_sent[member.contact_id]);
    const Due* latest = nullptr;
    for (const auto& d : due) {
      if (d.at > now || d.at <= last || done.count(d.key)) continue;
      if (latest == nullptr || d.at > latest->at) latest = &d;
    }
    if (latest == nullptr) continue;
    // A reminder falling due less than kCollapseMs after the member's last
    // notice of the meeting actually went out (its queue time, moved to the
    // end of the quiet hours it fell in) would arrive together with it
    // (an invitation queued at 22.00 leaves at 06.00, with the 2-hours
    // reminder of an 08.00 meeting): it is skipped, not sent.
    const int64_t last_out = NotBefore(last, m.utc_offset_minutes);
    const bool collapse = latest->at - last_out < kCollapseMs;
    for (const auto& d : due) {
      if ((&d == latest && !collapse) || d.at > now || d.at <= last || done.count(d.key)) {
        continue;
      }
      // Overtaken by a later reminder (downtime, a clock jump) or by a
      // notice just sent: never sent.
      storage::QueuedNotice skipped;
      skipped.send = {m.id, member.contact_id, d.key, now, 0};
      skipped.skip = true;
      batch.push_back(std::move(skipped));
    }
    if (collapse) continue;
    batch.push_back(MakeNotice(m, member, *to, latest->key,
                               text_for(latest->template_kind, member.language), now,
                               not_before));
  }
  return tx.QueueNotices(batch);
}

storage::Result<int> Notices::Renotify(storage::Tx& tx, const storage::Meeting& m,
                                       const std::string& notified_kind, int64_t now) {
  const bool cancelled = m.status == "cancelled";
  auto withdrawn = tx.WithdrawPendingNotices(
      m.id, cancelled ? "withdrawn: meeting cancelled" : "withdrawn: meeting changed", now);
  if (!withdrawn) return std::unexpected(withdrawn.error());
  auto notified = tx.NotifiedContacts(m.id);
  if (!notified) return std::unexpected(notified.error());
  const std::set<int64_t> told(notified->begin(), notified->end());
  auto members = tx.Recipients(m.groups, m.id);
  if (!members) return std::unexpected(members.error());
  std::vector<storage::Member> tell, reinvite;
  for (const auto& member : *members) {
    if (told.count(member.contact_id)) {
      tell.push_back(member);
    } else if (!cancelled && member.invited_at != 0) {
      reinvite.push_back(member);
    }
  }
  const std::string version = ":v" + std::to_string(m.version);
  int queued = 0;
  if (!notified_kind.empty()) {
    auto n = QueueForMembers(tx, m, tell, notified_kind,
                             cancelled ? notified_kind : notified_kind + version, false, now);
    if (!n) return n;
    queued += *n;
  }
  if (!reinvite.empty()) {
    auto n = QueueForMembers(tx, m, reinvite, "invite", "invite" + version, false, now);
    if (!n) return n;
    queued += *n;
  }
  return queued;
}

storage::Result<int64_t> Notices::ContactFor(storage::Tx& tx, const std::string& phone,
                                             const std::string& urn, const std::string& name,
                                             DeskError* error) {
  const int64_t now = clock_.NowMillis();
  if (!phone.empty() == !urn.empty()) {
    *error = Invalid("invalid", "give either phone or urn");
    return 0;
  }
  if (!phone.empty()) {
    std::optional<std::string> e164 = phone::ToE164(phone);
    if (!e164 || !phone::IsIndonesianMobile(*e164)) {
      *error = Invalid("invalid_phone", "not an Indonesian mobile number");
      return 0;
    }
    // Checked before looking the number up, so that the refusal does not
    // depend on whether someone wrote from it (issue 13).
    const std::string sms = SmsChannel();
    if (sms.empty()) {
      *error = Invalid("no_sms_channel",
                       "no channel of type twilio, android_sms or http to reach a phone number");
      return 0;
    }
    // Someone who already wrote to us from this number (SMS as +62...,
    // WhatsApp as 62...) is that contact.
    for (const std::string& form : {*e164, e164->substr(1)}) {
      auto found = tx.FindContactByAddress(form);
      if (!found) return std::unexpected(found.error());
      if (*found) return **found;
    }
    return tx.EnsureContact(sms, *e164, name, now);
  }
  const size_t colon = urn.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= urn.size()) {
    *error = Invalid("invalid_urn", "urn must look like telegram:123 or CHANNEL:ADDRESS");
    return 0;
  }
  const std::string prefix = urn.substr(0, colon);
  std::string address = dialogs::Trim(urn.substr(colon + 1));
  const channels::ChannelSettings* channel = nullptr;
  for (const auto& ch : config_.channels) {
    if (ch.id == prefix) channel = &ch;
  }
  for (const auto& ch : config_.channels) {
    if (channel == nullptr && ch.type == prefix) channel = &ch;
  }
  if (channel == nullptr || address.empty()) {
    *error = Invalid("unknown_channel", "no configured channel " + prefix);
    return 0;
  }
  if (channel->type == "whatsapp") {
    // wa_id: digits only, country code first. A BSUID ("ID.1502...") is
    // kept as it is.
    std::optional<std::string> e164 = phone::ToE164(address);
    if (e164) address = e164->substr(1);
  } else if (kSmsTypes.count(channel->type)) {
    std::optional<std::string> e164 = phone::ToE164(address);
    if (e164) address = *e164;
  }
  return tx.EnsureContact(channel->id, address, name, now);
}

std::string Notices::Iso(int64_t ms) const {
  if (ms == 0) return "";
  dialogs::CivilTime t = dialogs::CivilFromUnixMs(ms, 0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour,
                t.minute, static_cast<int>((ms / 1000) % 60));
  return buf;
}

std::string Notices::LocalIso(const storage::Meeting& m) const {
  dialogs::CivilTime t = dialogs::CivilFromUnixMs(m.starts_at, m.utc_offset_minutes);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", t.year, t.month, t.day, t.hour,
                t.minute);
  return buf;
}

std::string Notices::Day(int64_t ms, int utc_offset_minutes) const {
  if (ms == 0) return "";
  dialogs::CivilTime t = dialogs::CivilFromUnixMs(ms, utc_offset_minutes);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month, t.day);
  return buf;
}

std::string Notices::DesaName(const std::string& code) const {
  for (const auto& a : config_.areas) {
    for (const auto& d : a.desa) {
      if (d.code == code) return d.name;
    }
  }
  return "";
}

json Notices::GroupJson(const storage::Group& g) const {
  std::string area_name;
  for (const auto& a : config_.areas) {
    for (const auto& d : a.desa) {
      if (d.code == g.area) area_name = d.name;
    }
  }
  return {{"code", g.code}, {"name", g.name}, {"area", g.area}, {"area_name", area_name},
          {"created_at", Iso(g.created_at)}};
}

json Notices::MeetingJson(storage::Tx& tx, const storage::Meeting& m, const Actor& actor) {
  json out = {{"id", m.id},
              {"title", m.title},
              {"forum", m.forum},
              {"area", m.area},
              {"starts_at", LocalIso(m)},
              {"zone", dialogs::ZoneAbbrev(m.utc_offset_minutes)},
              {"starts_at_utc", Iso(m.starts_at)},
              {"place", m.place},
              {"agenda", m.agenda},
              {"bring", m.bring},
              {"groups", m.groups},
              {"status", m.status},
              {"version", m.version},
              {"created_by", m.created_by}};
  // The answers say what was answered, never who answered: no contact id,
  // no name, the day rather than the moment (which would match the
  // message in a case), in an order that follows the answers' text.
  int hadir = 0, tidak = 0, invited = 0;
  std::set<int64_t> answered;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> days;
  if (auto invitations = tx.InvitationsOfMeeting(m.id)) {
    for (const auto& i : *invitations) {
      ++invited;
      if (i.answer.empty()) continue;
      ++(i.answer == "hadir" ? hadir : tidak);
      answered.insert(i.contact_id);
      days[{i.answer, i.reason}].push_back(Day(i.answered_at, m.utc_offset_minutes));
    }
  }
  json answers = json::array();
  for (auto& [key, on] : days) {
    std::sort(on.begin(), on.end());
    for (const auto& day : on) {
      answers.push_back({{"answer", key.first}, {"reason", key.second}, {"answered_on", day}});
    }
  }
  if (actor.admin()) {
    // Admins see who could be reached: the invitations sent.
    out["invited"] = invited;
    out["rsvp"] = {{"hadir", hadir}, {"tidak", tidak}, {"belum", invited - hadir - tidak}};
  } else {
    // A fasilitator sees the members of the invited groups, reachable or
    // not: an invitation count would tell a member who opted out (a known
    // contact) from a number nobody knew (issue 13).
    int members = 0, belum = 0;
    if (auto all = tx.Recipients(m.groups, m.id)) {
      for (const auto& member : *all) {
        ++members;
        if (!answered.count(member.contact_id)) ++belum;
      }
    }
    out["members"] = members;
    out["rsvp"] = {{"hadir", hadir}, {"tidak", tidak}, {"belum", belum}};
  }
  out["answers"] = answers;
  return out;
}

// ------------------------------------------------------------ groups

NoticeResult<json> Notices::CreateGroup(const Actor& actor, const json& body) {
  storage::Group g;
  g.code = NormalizeCode(StringField(body, "code"));
  g.name = StringField(body, "name");
  g.area = StringField(body, "area");
  g.created_at = clock_.NowMillis();
  if (!ValidCode(g.code)) {
    return std::unexpected(Invalid("invalid_code", "code must be 2-20 letters, digits, - or _"));
  }
  if (g.name.empty() || g.name.size() > 100) {
    return std::unexpected(Invalid("invalid_name", "name must be 1-100 characters"));
  }
  if (config_.AreaOfDesa(g.area) == nullptr) {
    return std::unexpected(Invalid("unknown_area", "area must be a desa code from the config"));
  }
  if (!Covers(actor, g.area)) {
    return std::unexpected(DeskError{403, "forbidden", "the area is outside your areas"});
  }
  std::optional<storage::Group> created;
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto r = tx.CreateGroup(g);
    if (!r) return std::unexpected(r.error());
    created = *r;
    return {};
  });
  if (!s) {
    if (s.error().kind == storage::Error::Kind::kConflict) {
      // Codes are global (a resident texts GABUNG MELATI without an area),
      // so a taken code is refused wherever it is taken, with one answer
      // that names neither the group, nor its area, nor whether the caller
      // can see it. That a code is taken is no secret: GABUNG <code> tells
      // anyone with a phone, and codes are printed on posters.
      return std::unexpected(
          DeskError{409, "code_unavailable", "this code is not available, choose another"});
    }
    return std::unexpected(desk::FromStorage(s.error()));
  }
  log_.Info("group " + g.code + " created by " + actor.name);
  json out = GroupJson(*created);
  out["members"] = json::array();
  out["member_count"] = 0;
  return out;
}

NoticeResult<json> Notices::GetGroup(const Actor& actor, const std::string& code) {
  json out;
  bool found = false;
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto g = tx.FindGroup(NormalizeCode(code));
    if (!g) return std::unexpected(g.error());
    if (!*g || !Covers(actor, (*g)->area)) return {};
    found = true;
    auto members = tx.GroupMembers((*g)->id);
    if (!members) return std::unexpected(members.error());
    out = GroupJson(**g);
    // Who a member is stays out of the answer: no contact id, no name (a
    // platform profile name, or one staff gave), and the day of joining
    // in the group's zone rather than the moment, which would match a
    // message in a case. A member is their number in this group. Nothing
    // else about the contact goes to a fasilitator (not even language or
    // opt-out): that would tell a known contact from a number nobody knew
    // (issue 13). Admins also see the channel, language, opt-out and the
    // masked address: enough to recognise a member, not to call them.
    std::vector<const storage::Member*> sorted;
    for (const auto& m : *members) sorted.push_back(&m);
    std::sort(sorted.begin(), sorted.end(), [](const storage::Member* a, const storage::Member* b) {
      return a->number < b->number;
    });
    const int offset = config_.UtcOffsetMinutesOf((*g)->area);
    json list = json::array();
    for (const storage::Member* m : sorted) {
      json entry = {{"member", m->number},
                    {"joined_on", Day(m->joined_at, offset)},
                    {"source", m->source}};
      if (actor.admin()) {
        const storage::Address* to = ReachAt(*m);
        entry["channel"] = to ? to->channel_id : "";
        entry["address"] = to ? MaskAddress(to->address) : "";
        entry["language"] = m->language;
        entry["opted_out"] = m->opted_out;
      }
      list.push_back(std::move(entry));
    }
    out["member_count"] = list.size();
    out["members"] = list;
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  if (!found) return std::unexpected(NotFound("group"));
  return out;
}

NoticeResult<json> Notices::ListGroups(const Actor& actor) {
  json list = json::array();
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto groups = tx.ListGroups();
    if (!groups) return std::unexpected(groups.error());
    for (const auto& g : *groups) {
      if (Covers(actor, g.area)) list.push_back(GroupJson(g));
    }
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  return json{{"groups", list}};
}

NoticeResult<json> Notices::AddMember(const Actor& actor, const std::string& code,
                                      const json& body) {
  const std::string phone = StringField(body, "phone");
  const std::string urn = StringField(body, "urn");
  // A name is kept only from an admin: a label a fasilitator put on a
  // number must never come back to them attached to that person's cases.
  const std::string name = actor.admin() ? StringField(body, "name") : "";
  std::optional<DeskError> refused;
  bool added = false;
  std::string group_code;
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto g = tx.FindGroup(NormalizeCode(code));
    if (!g) return std::unexpected(g.error());
    if (!*g || !Covers(actor, (*g)->area)) {
      refused = NotFound("group");
      return {};
    }
    group_code = (*g)->code;
    DeskError error;
    auto contact = ContactFor(tx, phone, urn, name, &error);
    if (!contact) return std::unexpected(contact.error());
    if (*contact == 0) {
      refused = error;
      return {};
    }
    auto r = tx.AddMember((*g)->id, *contact, "api", clock_.NowMillis());
    if (!r) return std::unexpected(r.error());
    added = *r;
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  if (refused) return std::unexpected(*refused);
  if (added) log_.Info("group " + group_code + ": member added by " + actor.name);
  // The same answer whether the person was known or not: nothing about
  // the contact, only whether they were in this group already (which
  // member_count shows anyway).
  return json{{"group", group_code}, {"added", added}};
}

storage::Result<ImportReport> Notices::ImportMembers(const std::string& group_code,
                                                     const std::string& csv) {
  ImportReport report;
  std::vector<std::vector<std::string>> rows = ParseCsv(csv);
  // Which column holds what: from a header row, else phone then name.
  int phone_col = 0, urn_col = -1, name_col = 1, language_col = -1;
  size_t first = 0;
  if (!rows.empty()) {
    bool header = false;
    for (const auto& cell : rows[0]) {
      const std::string h = dialogs::Lowercase(cell);
      if (h == "phone" || h == "urn") header = true;
    }
    if (header) {
      phone_col = urn_col = name_col = -1;
      for (size_t i = 0; i < rows[0].size(); ++i) {
        const std::string h = dialogs::Lowercase(rows[0][i]);
        if (h == "phone") phone_col = static_cast<int>(i);
        if (h == "urn") urn_col = static_cast<int>(i);
        if (h == "name") name_col = static_cast<int>(i);
        if (h == "language") language_col = static_cast<int>(i);
      }
      first = 1;
    }
  }
  auto cell = [](const std::vector<std::string>& row, int col) -> std::string {
    if (col < 0 || static_cast<size_t>(col) >= row.size()) return "";
    return row[col];
  };
  const int64_t now = clock_.NowMillis();
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto g = tx.FindGroup(NormalizeCode(group_code));
    if (!g) return std::unexpected(g.error());
    if (!*g) return std::unexpected(storage::Error::NotFound("no group " + group_code));
    for (size_t i = first; i < rows.size(); ++i) {
      const auto& row = rows[i];
      const std::string line = "line " + std::to_string(i + 1) + ": ";
      bool blank = true;
      for (const auto& c : row) blank = blank && c.empty();
      if (blank) continue;
      ++report.rows;
      DeskError error;
      auto contact = ContactFor(tx, cell(row, phone_col), cell(row, urn_col),
                                cell(row, name_col), &error);
      if (!contact) return std::unexpected(contact.error());
      if (*contact == 0) {
        // The message names the problem, never the number itself.
        report.problems.push_back(line + error.message);
        continue;
      }
      const std::string language = dialogs::Lowercase(cell(row, language_col));
      if (kLanguages.count(language)) {
        if (auto r = tx.SetLanguage(*contact, language); !r) return r;
      }
      auto added = tx.AddMember((*g)->id, *contact, "import", now);
      if (!added) return std::unexpected(added.error());
      ++(*added ? report.added : report.already);
    }
    return {};
  });
  if (!s) return std::unexpected(s.error());
  log_.Info("group " + NormalizeCode(group_code) + ": imported " + std::to_string(report.added) +
            " members");
  return report;
}

// ------------------------------------------------------------ meetings

NoticeResult<storage::Meeting> Notices::ValidateMeeting(const Actor& actor, const json& body,
                                                        storage::Meeting m, bool partial) {
  auto has = [&](const char* key) { return body.contains(key); };
  auto text = [&](const char* key, size_t max, bool required,
                  std::string* out) -> std::optional<DeskError> {
    if (!has(key)) {
      if (required && !partial) {
        return Invalid("invalid_" + std::string(key), std::string(key) + " is required");
      }
      return std::nullopt;
    }
    if (!body[key].is_string() && !(body[key].is_null() && !required)) {
      return Invalid("invalid_" + std::string(key), std::string(key) + " must be a string");
    }
    std::string v = body[key].is_string() ? dialogs::Trim(body[key].get<std::string>()) : "";
    if ((required && v.empty()) || v.size() > max) {
      return Invalid("invalid_" + std::string(key),
                     std::string(key) + " must be 1-" + std::to_string(max) + " characters");
    }
    *out = v;
    return std::nullopt;
  };
  if (auto e = text("title", 120, true, &m.title)) return std::unexpected(*e);
  if (auto e = text("place", 120, true, &m.place)) return std::unexpected(*e);
  if (auto e = text("agenda", 500, false, &m.agenda)) return std::unexpected(*e);
  if (auto e = text("bring", 200, false, &m.bring)) return std::unexpected(*e);
  std::string forum = m.forum;
  if (auto e = text("forum", 20, true, &forum)) return std::unexpected(*e);
  forum = dialogs::Lowercase(forum);
  if (std::find(kForums.begin(), kForums.end(), forum) == kForums.end()) {
    return std::unexpected(
        Invalid("invalid_forum", "forum must be one of Musdus, MKP, Musdes, MAD, SPP, other, pertanggungjawaban, serah_terima"));
  }
  m.forum = forum;
  if (partial) {
    if (has("area") && StringField(body, "area") != m.area) {
      return std::unexpected(Invalid("invalid_area", "the area of a meeting cannot change"));
    }
  } else {
    m.area = StringField(body, "area");
    if (config_.FindArea(m.area) == nullptr) {
      return std::unexpected(Invalid("unknown_area", "area must be a desa code from the config"));
    }
    if (!Covers(actor, m.area)) {
      return std::unexpected(DeskError{403, "forbidden", "the area is outside your areas"});
    }
    m.utc_offset_minutes = config_.UtcOffsetMinutesOf(m.area);
  }
  if (has("starts_at") || !partial) {
    const std::string when = StringField(body, "starts_at");
    dialogs::CivilTime t;
    if (!ParseLocalDateTime(when, &t.year, &t.month, &t.day, &t.hour, &t.minute)) {
      return std::unexpected(Invalid(
          "invalid_starts_at",
          "starts_at must be local time as YYYY-MM-DDTHH:MM, e.g. 2026-11-23T09:00"));
    }
    m.starts_at = dialogs::UnixMsFromCivil(t, m.utc_offset_minutes);
    if (m.starts_at <= clock_.NowMillis()) {
      return std::unexpected(Invalid("invalid_starts_at", "starts_at is in the past"));
    }
  }
  if (has("groups") || !partial) {
    const json& groups = has("groups") ? body["groups"] : json();
    if (!groups.is_array() || groups.empty()) {
      return std::unexpected(
          Invalid("invalid_groups", "groups must be a non-empty array of codes"));
    }
    m.groups.clear();
    // In the order given, each code once: a set, so that a list of 80,000
    // codes costs n log n, not n squared.
    std::set<std::string> seen;
    for (const auto& g : groups) {
      if (!g.is_string()) {
        return std::unexpected(Invalid("invalid_groups", "groups must be group codes"));
      }
      std::string code = NormalizeCode(g.get<std::string>());
      if (seen.insert(code).second) m.groups.push_back(std::move(code));
    }
  }
  return m;
}

NoticeResult<json> Notices::CreateMeeting(const Actor& actor, const json& body) {
  storage::Meeting base;
  base.created_by = actor.name;
  auto m = ValidateMeeting(actor, body, base, /*partial=*/false);
  if (!m) return std::unexpected(m.error());
  const int64_t now = clock_.NowMillis();
  m->created_at = now;
  m->updated_at = now;
  json out;
  int queued = 0;
  std::optional<DeskError> refused;
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    for (const auto& code : m->groups) {
      auto g = tx.FindGroup(code);
      if (!g) return std::unexpected(g.error());
      if (!*g || !Covers(actor, (*g)->area)) {
        refused = Invalid("unknown_group", "no group " + code);
        return {};
      }
    }
    auto id = tx.CreateMeeting(*m);
    if (!id) return std::unexpected(id.error());
    m->id = *id;
    auto n = QueueDue(tx, *m, now);
    if (!n) return std::unexpected(n.error());
    queued = *n;
    out = MeetingJson(tx, *m, actor);
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  if (refused) return std::unexpected(*refused);
  // How many notices went out tells opted-out members from unknown
  // numbers; admins only (issue 13).
  if (actor.admin()) out["queued"] = queued;
  log_.Info("meeting " + std::to_string(m->id) + " created by " + actor.name + ": " +
            std::to_string(queued) + " notices queued");
  return out;
}

NoticeResult<json> Notices::PatchMeeting(const Actor& actor, int64_t id, const json& body) {
  const int64_t now = clock_.NowMillis();
  json out;
  int queued = 0;
  std::optional<DeskError> refused;
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto found = tx.GetMeeting(id);
    if (!found) return std::unexpected(found.error());
    if (!*found || !Covers(actor, (*found)->area)) {
      refused = NotFound("meeting");
      return {};
    }
    const storage::Meeting before = **found;
    if (before.status == "cancelled") {
      refused = DeskError{409, "conflict", "the meeting was cancelled"};
      return {};
    }
    if (before.starts_at <= now) {
      refused = DeskError{409, "conflict", "the meeting has already started"};
      return {};
    }
    auto m = ValidateMeeting(actor, body, before, /*partial=*/true);
    if (!m) {
      refused = m.error();
      return {};
    }
    for (const auto& code : m->groups) {
      auto g = tx.FindGroup(code);
      if (!g) return std::unexpected(g.error());
      if (!*g || !Covers(actor, (*g)->area)) {
        refused = Invalid("unknown_group", "no group " + code);
        return {};
      }
    }
    const bool moved = m->starts_at != before.starts_at || m->place != before.place;
    const bool reworded = moved || m->title != before.title || m->forum != before.forum ||
                          m->agenda != before.agenda || m->bring != before.bring;
    if (reworded) ++m->version;
    m->updated_at = now;
    if (auto r = tx.UpdateMeeting(*m); !r) return r;
    if (reworded) {
      auto n = Renotify(tx, *m, moved ? "changed" : "", now);
      if (!n) return std::unexpected(n.error());
      queued += *n;
    }
    // Members of groups added now are invited.
    auto n = QueueDue(tx, *m, now);
    if (!n) return std::unexpected(n.error());
    queued += *n;
    out = MeetingJson(tx, *m, actor);
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  if (refused) return std::unexpected(*refused);
  // How many notices went out tells opted-out members from unknown
  // numbers; admins only (issue 13).
  if (actor.admin()) out["queued"] = queued;
  log_.Info("meeting " + std::to_string(id) + " changed by " + actor.name + ": " +
            std::to_string(queued) + " notices queued");
  return out;
}

NoticeResult<json> Notices::CancelMeeting(const Actor& actor, int64_t id) {
  const int64_t now = clock_.NowMillis();
  json out;
  int queued = 0;
  std::optional<DeskError> refused;
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto found = tx.GetMeeting(id);
    if (!found) return std::unexpected(found.error());
    if (!*found || !Covers(actor, (*found)->area)) {
      refused = NotFound("meeting");
      return {};
    }
    storage::Meeting m = **found;
    if (m.status == "cancelled") {
      refused = DeskError{409, "conflict", "the meeting was already cancelled"};
      return {};
    }
    if (m.starts_at <= now) {
      refused = DeskError{409, "conflict", "the meeting has already started"};
      return {};
    }
    m.status = "cancelled";
    m.updated_at = now;
    if (auto r = tx.UpdateMeeting(m); !r) return r;
    auto n = Renotify(tx, m, "cancelled", now);
    if (!n) return std::unexpected(n.error());
    queued = *n;
    out = MeetingJson(tx, m, actor);
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  if (refused) return std::unexpected(*refused);
  // How many notices went out tells opted-out members from unknown
  // numbers; admins only (issue 13).
  if (actor.admin()) out["queued"] = queued;
  log_.Info("meeting " + std::to_string(id) + " cancelled by " + actor.name);
  return out;
}

NoticeResult<json> Notices::GetMeeting(const Actor& actor, int64_t id) {
  json out;
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto found = tx.GetMeeting(id);
    if (!found) return std::unexpected(found.error());
    if (!*found || !Covers(actor, (*found)->area)) return {};
    out = MeetingJson(tx, **found, actor);
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  if (out.is_null()) return std::unexpected(NotFound("meeting"));
  return out;
}

NoticeResult<json> Notices::ListMeetings(const Actor& actor) {
  json list = json::array();
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto meetings = tx.UpcomingMeetings(clock_.NowMillis());
    if (!meetings) return std::unexpected(meetings.error());
    for (const auto& m : *meetings) {
      if (Covers(actor, m.area)) list.push_back(MeetingJson(tx, m, actor));
    }
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  return json{{"meetings", list}};
}

// ------------------------------------------------------------ broadcasts

NoticeResult<json> Notices::Broadcast(const Actor& actor, const json& body) {
  storage::Broadcast b;
  b.text = body.contains("text") && body["text"].is_string()
               ? dialogs::Trim(body["text"].get<std::string>())
               : "";
  if (b.text.empty() || b.text.size() > 1000) {
    return std::unexpected(Invalid("invalid_text", "text must be 1-1000 characters"));
  }
  if (!body.contains("groups") || !body["groups"].is_array() || body["groups"].empty()) {
    return std::unexpected(Invalid("invalid_groups", "groups must be a non-empty array of codes"));
  }
  std::set<std::string> codes;  // each code once, in n log n (see ValidateMeeting)
  for (const auto& g : body["groups"]) {
    if (!g.is_string()) return std::unexpected(Invalid("invalid_groups", "groups must be codes"));
    std::string code = NormalizeCode(g.get<std::string>());
    if (codes.insert(code).second) b.groups.push_back(std::move(code));
  }
  const int64_t now = clock_.NowMillis();
  b.created_by = actor.name;
  b.created_at = now;
  std::optional<DeskError> refused;
  int queued = 0;
  int members = 0;
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    // Quiet hours follow the zone of each member's (first) group.
    std::map<std::string, int> offset_of;
    std::map<std::string, storage::Group> group_of;
    for (const auto& code : b.groups) {
      auto g = tx.FindGroup(code);
      if (!g) return std::unexpected(g.error());
      if (!*g || !Covers(actor, (*g)->area)) {
        refused = Invalid("unknown_group", "no group " + code);
        return {};
      }
      offset_of[code] = config_.UtcOffsetMinutesOf((*g)->area);
      group_of[code] = **g;
    }
    auto id = tx.CreateBroadcast(b);
    if (!id) return std::unexpected(id.error());
    b.id = *id;
    const std::string text = channels::ToGsmFriendly(b.text);
    // Each member reads who sends it: the group and its desa, never the
    // staff member who wrote it.
    std::map<std::string, std::string> texts;  // group code + language -> text
    auto text_for = [&](const std::string& code, const std::string& language) {
      const std::string cache_key = code + "|" + language;
      auto it = texts.find(cache_key);
      if (it != texts.end()) return it->second;
      const storage::Group& g = group_of[code];
      const std::string group = channels::ToGsmFriendly(g.name.empty() ? g.code : g.name);
      const std::string desa = channels::ToGsmFriendly(DesaName(g.area));
      const std::string sender =
          desa.empty() || dialogs::Lowercase(group).find(dialogs::Lowercase(desa)) !=
                              std::string::npos
              ? group
              : dialogs_.Render("notice.sender", {{"group", group}, {"desa", desa}}, language)
                    .text;
      return texts[cache_key] =
                 dialogs_.Render("notice.broadcast", {{"sender", sender}, {"text", text}},
                                 language)
                     .text;
    };
    std::set<int64_t> seen;
    std::vector<storage::QueuedNotice> batch;
    for (const auto& code : b.groups) {
      auto members = tx.Recipients({code}, 0);
      if (!members) return std::unexpected(members.error());
      const int64_t not_before = NotBefore(now, offset_of[code]);
      for (const auto& member : *members) {
        if (!seen.insert(member.contact_id).second || member.opted_out) continue;
        const storage::Address* to = ReachAt(member);
        if (to == nullptr) continue;
        storage::QueuedNotice n;
        n.send = {0, member.contact_id, "broadcast:" + std::to_string(b.id), now, 0};
        n.item.contact_id = member.contact_id;
        n.item.channel_id = to->channel_id;
        n.item.address = to->address;
        n.item.kind = storage::OutboxKind::kBroadcast;
        const std::string said = text_for(code, member.language);
        OutboundPayload payload = OutboundPayload::Text(said);
        payload.notice = true;
        payload.broadcast = b.id;
        n.item.payload_json = ToJson(payload);
        n.item.created_at = now;
        n.item.next_attempt_at = not_before;
        n.text = said;
        batch.push_back(std::move(n));
      }
    }
    auto n = tx.QueueNotices(batch);
    if (!n) return std::unexpected(n.error());
    queued = *n;
    members = static_cast<int>(seen.size());
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  if (refused) return std::unexpected(*refused);
  log_.Info("broadcast " + std::to_string(b.id) + " by " + actor.name + ": " +
            std::to_string(queued) + " queued");
  // A fasilitator learns how many members the groups have, not how many
  // could be reached: that would tell an opted-out member (a known
  // contact) from a number nobody knew (issue 13).
  json out = {{"id", b.id}, {"groups", b.groups}, {"members", members}};
  if (actor.admin()) out["recipients"] = queued;
  return out;
}

// ------------------------------------------------------------ inbound effects

namespace {

// The group a resident meant by the code as written: "SPP 01" is SPP01, and
// "SPP MELATI" is MELATI when there is no group SPPMELATI. Case and spaces
// never matter. nullopt when none.
storage::Result<std::optional<storage::Group>> FindWrittenGroup(storage::Tx& tx,
                                                               const std::string& written) {
  std::string joined;
  for (char ch : NormalizeCode(written)) {
    if (ch != ' ') joined += ch;
  }
  auto g = tx.FindGroup(joined);
  if (!g || *g) return g;
  const std::string c = NormalizeCode(written);
  if (const size_t space = c.rfind(' '); space != std::string::npos) {
    return tx.FindGroup(c.substr(space + 1));
  }
  return g;
}

// Every one of `written` (lower case words) is a word of the group's name
// or its code ("spp" of "SPP Mawar", "tani" of "Kelompok Tani Sumber
// Rejeki").
bool NamedBy(const storage::Group& group, const std::vector<std::string>& written) {
  std::vector<std::string> own = dialogs::Words(dialogs::Lowercase(group.name));
  own.push_back(dialogs::Lowercase(group.code));
  return std::ranges::all_of(written, [&](const std::string& w) {
    return std::ranges::find(own, w) != own.end();
  });
}

// Every group whose name or code holds all the words of `code` as written
// ("spp melati" names Kelompok SPP Melati; "spp" every SPP group).
std::vector<storage::Group> GroupsNamedBy(const std::vector<storage::Group>& groups,
                                          const std::vector<std::string>& written) {
  std::vector<storage::Group> named;
  if (written.empty()) return named;
  for (const storage::Group& group : groups) {
    if (NamedBy(group, written)) named.push_back(group);
  }
  return named;
}

// No group holds every word ("MELATI GITIK", "IBU2 MELATI"): the words
// that are in no group's name or code are left out, and the rest name the
// group whose name ends with one of them (its own name, "Melati" of
// "Kelompok SPP Melati") and holds them all. nullopt unless exactly one
// group does: "SPP MAWAR" names none ("spp" ends no name).
std::optional<storage::Group> GroupEndingWith(const std::vector<storage::Group>& groups,
                                              const std::vector<std::string>& written) {
  std::vector<std::string> known;
  for (const std::string& w : written) {
    if (std::ranges::any_of(groups, [&](const storage::Group& g) { return NamedBy(g, {w}); })) {
      known.push_back(w);
    }
  }
  if (known.empty()) return std::nullopt;
  std::optional<storage::Group> found;
  for (const storage::Group& group : groups) {
    const std::vector<std::string> own = dialogs::Words(dialogs::Lowercase(group.name));
    if (own.empty() || std::ranges::find(known, own.back()) == known.end() ||
        !NamedBy(group, known)) {
      continue;
    }
    if (found) return std::nullopt;
    found = group;
  }
  return found;
}

// The groups a join that found none may have meant, for the reply to name
// with their codes (at most kMaxSuggested): every group when there are no
// more than that; else those sharing the most words with what was written
// ("spp mawar" shares "spp" with SPP Melati, "mawar" with PKK Mawar). A
// word that names more than half of the groups ("kelompok", where most
// names start with it) tells them apart from nothing and is not counted.
// Empty when none shares a word.
std::vector<storage::Group> SuggestedGroups(const std::vector<storage::Group>& groups,
                                            const std::string& written) {
  constexpr size_t kMaxSuggested = 3;
  if (groups.size() <= kMaxSuggested) return groups;
  std::set<std::string> words;
  const dialogs::KeywordText text(written);
  for (const auto& token : text.tokens()) {
    const auto naming = std::ranges::count_if(
        groups, [&](const storage::Group& group) { return NamedBy(group, {token.word}); });
    if (2 * static_cast<size_t>(naming) <= groups.size()) words.insert(token.word);
  }
  std::vector<std::pair<size_t, const storage::Group*>> scored;
  for (const storage::Group& group : groups) {
    size_t shared = 0;
    for (const std::string& w : words) shared += NamedBy(group, {w}) ? 1 : 0;
    if (shared > 0) scored.emplace_back(shared, &group);
  }
  std::ranges::stable_sort(scored, std::greater<>{}, &std::pair<size_t, const storage::Group*>::first);
  std::vector<storage::Group> out;
  for (const auto& [shared, group] : scored) {
    if (out.size() == kMaxSuggested || shared < scored.front().first) break;
    out.push_back(*group);
  }
  return out;
}

}  // namespace

storage::Result<KeyedReply> Notices::Join(storage::Tx& tx, const storage::Contact& contact,
                                          const dialogs::JoinGroup& join, int64_t now) {
  const std::string& code = join.code;
  auto g = FindWrittenGroup(tx, code);
  if (!g) return std::unexpected(g.error());
  if (!*g) {
    // No group has that code: "ikut spp melati" names one by words of its
    // name (Kelompok SPP Melati). Only when they name exactly one; else
    // the one whose own name ends with one of them; else the same among
    // all the words around the code ("... ibu2 yg di Gitik, yg namanya
    // Melati").
    auto groups = tx.ListGroups();
    if (!groups) return std::unexpected(groups.error());
    const std::vector<std::string> written = dialogs::Words(dialogs::Lowercase(code));
    std::vector<storage::Group> named = GroupsNamedBy(*groups, written);
    if (named.size() == 1) {
      *g = std::move(named.front());
    } else {
      *g = GroupEndingWith(*groups, written);
    }
    if (!*g && !join.words.empty()) {
      *g = GroupEndingWith(*groups, dialogs::Words(dialogs::Lowercase(join.words)));
    }
    if (!*g) {
      // Not a dead end: the groups it may have meant, with their codes.
      const std::vector<storage::Group> meant = SuggestedGroups(*groups, code + " " + join.words);
      if (meant.empty()) return KeyedReply{"group.not_found", {{"code", NormalizeCode(code)}}};
      std::string listed;
      for (const storage::Group& group : meant) {
        listed += (listed.empty() ? "" : ", ") + group.code + " (" + group.name + ")";
      }
      return KeyedReply{"group.not_found_pick", {{"code", NormalizeCode(code)},
                                                 {"groups", listed},
                                                 {"first", meant.front().code}}};
    }
  }
  const std::string c = (*g)->code;
  auto added = tx.AddMember((*g)->id, contact.id, "keyword", now);
  if (!added) return std::unexpected(added.error());
  if (*added) log_.Info("group " + c + ": contact " + std::to_string(contact.id) + " joined");
  return KeyedReply{"group.joined", {{"code", c}, {"name", (*g)->name}}};
}

storage::Result<LeaveOutcome> Notices::Leave(storage::Tx& tx, const storage::Contact& contact,
                                             const std::string& code, int64_t now) {
  auto g = FindWrittenGroup(tx, code);
  if (!g) return std::unexpected(g.error());
  // Leaves one group; false when the contact was not in it. What waits in
  // the outbox because of the group is cancelled (issue 13).
  const auto leave = [&](const storage::Group& group) -> storage::Result<bool> {
    auto left = tx.RemoveMember(group.id, contact.id, now);
    if (!left || !*left) return left;
    auto cancelled = tx.CancelWaitingFromGroup(contact.id, group.id, "left_group", now);
    if (!cancelled) return std::unexpected(cancelled.error());
    return true;
  };
  if (*g) {
    auto left = leave(**g);
    if (!left) return std::unexpected(left.error());
    if (!*left) return LeaveOutcome{{"group.not_member", {{"code", (*g)->code}}}, false};
    return LeaveOutcome{{"group.left", {{"code", (*g)->code}, {"name", (*g)->name}}}, true};
  }
  // No group has that code. "stop info SPP aja", "keluar kelompok tani":
  // a kind of group or words of its name leave every group of the
  // contact's whose name or code holds all of them (SPP Mawar).
  auto all = tx.ListGroups();
  if (!all) return std::unexpected(all.error());
  const std::vector<storage::Group> groups =
      GroupsNamedBy(*all, dialogs::Words(dialogs::Lowercase(code)));
  std::vector<const storage::Group*> left_groups;
  for (const storage::Group& group : groups) {
    auto left = leave(group);
    if (!left) return std::unexpected(left.error());
    if (*left) left_groups.push_back(&group);
  }
  if (groups.empty()) return LeaveOutcome{{"group.not_found", {{"code", NormalizeCode(code)}}}, false};
  if (left_groups.empty()) {
    return LeaveOutcome{{"group.not_member", {{"code", NormalizeCode(code)}}}, false};
  }
  std::string codes, names;
  for (const storage::Group* group : left_groups) {
    codes += (codes.empty() ? "" : ", ") + group->code;
    names += (names.empty() ? "" : ", ") + group->name;
  }
  return LeaveOutcome{{"group.left", {{"code", codes}, {"name", names}}}, true};
}

storage::Result<KeyedReply> Notices::Rsvp(storage::Tx& tx, const storage::Contact& contact,
                                          const dialogs::Rsvp& rsvp, int64_t now) {
  auto invitations = tx.UpcomingInvitations(contact.id, now);
  if (!invitations) return std::unexpected(invitations.error());
  std::vector<const storage::MeetingInvitation*> pending;
  for (const auto& mi : *invitations) {
    if (mi.invitation.answer.empty()) pending.push_back(&mi);
  }
  const std::string language = contact.language;
  auto which = [&]() -> KeyedReply {
    std::string list;
    for (size_t i = 0; i < pending.size(); ++i) {
      if (!list.empty()) list += "\n";
      list += dialogs_
                  .Render("rsvp.item",
                          {{"n", i + 1},
                           {"meeting", MeetingLabel(pending[i]->meeting, language)},
                           {"when", When(pending[i]->meeting, language)}},
                          language)
                  .text;
    }
    return KeyedReply{"rsvp.which", {{"list", list}}};
  };

  const std::string answer = rsvp.answer == "tidak" ? "tidak" : "hadir";
  std::string reason = answer == "tidak" ? dialogs::Trim(rsvp.reason) : "";
  if (reason.size() > 300) reason = dialogs::TruncateUtf8(reason, 300);
  const json answer_text = dialogs_.Render("rsvp.answer_" + answer, json::object(), language).text;

  // "dua2nya", "semua" to rsvp.which: every pending invitation at once.
  if (rsvp.all && pending.size() >= 2) {
    for (const storage::MeetingInvitation* mi : pending) {
      if (auto r = tx.SetRsvp(mi->meeting.id, contact.id, answer, reason, now); !r) {
        return std::unexpected(r.error());
      }
    }
    return KeyedReply{"rsvp.recorded_all",
                      {{"count", pending.size()}, {"answer", answer_text}}};
  }

  const storage::MeetingInvitation* target = nullptr;
  if (rsvp.choice) {
    // An answer to rsvp.which: the list it showed, the pending ones.
    const int64_t choice = *rsvp.choice;
    if (choice >= 1 && static_cast<size_t>(choice) <= pending.size()) {
      target = pending[choice - 1];
    } else if (pending.size() >= 2) {
      return which();
    }
  } else if (pending.size() == 1) {
    target = pending.front();
  } else if (pending.size() >= 2) {
    return which();
  } else if (!invitations->empty()) {
    // Everything answered: a new answer changes the nearest meeting's.
    target = &invitations->front();
  }
  if (target == nullptr) return KeyedReply{"rsvp.none", json::object()};

  if (auto r = tx.SetRsvp(target->meeting.id, contact.id, answer, reason, now); !r) {
    return std::unexpected(r.error());
  }
  return KeyedReply{
      "rsvp.recorded",
      {{"title", MeetingLabel(target->meeting, language)},
       {"answer", answer_text}}};
}

storage::Result<KeyedReply> Notices::ListMeetingsOf(storage::Tx& tx,
                                                    const storage::Contact& contact,
                                                    int64_t now) {
  auto invitations = tx.UpcomingInvitations(contact.id, now);
  if (!invitations) return std::unexpected(invitations.error());
  if (invitations->empty()) return KeyedReply{"jadwal.none", json::object()};
  const std::string& language = contact.language;
  std::string lines;
  int n = 0;
  for (const auto& mi : *invitations) {
    if (n == 5) break;  // a feature phone screen; the nearest ones matter
    const std::string& a = mi.invitation.answer;
    const std::string answer_key = a.empty() ? "jadwal.unanswered" : "rsvp.answer_" + a;
    if (!lines.empty()) lines += "\n";
    lines += dialogs_
                 .Render("jadwal.item",
                         {{"n", ++n},
                          {"meeting", MeetingLabel(mi.meeting, language)},
                          {"when", When(mi.meeting, language)},
                          {"place", channels::ToGsmFriendly(mi.meeting.place)},
                          {"answer", dialogs_.Render(answer_key, json::object(), language).text}},
                         language)
                 .text;
  }
  return KeyedReply{"jadwal.list", {{"meetings", lines}}};
}

}  // namespace suaradesa::notices
