#include "gateway/activities/activities.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dialogs/parsers/rupiah.h"
#include "dialogs/text.h"
#include "gateway/channels/sms_segments.h"
#include "gateway/csv.h"
#include "gateway/notices/quiet_hours.h"
#include "gateway/outbound/payload.h"
#include "gateway/privacy.h"

namespace suaradesa::activities {

namespace {

using nlohmann::json;

DeskError Invalid(const std::string& code, const std::string& message) {
  return {400, code, message};
}
DeskError NotFound() { return {404, "not_found", "not found"}; }

// An integer field of a body: absent leaves *out alone; present must be a
// whole number in [lo, hi].
std::optional<DeskError> IntField(const json& body, const char* key, int64_t lo, int64_t hi,
                                  int64_t* out) {
  if (!body.contains(key)) return std::nullopt;
  const json& v = body[key];
  if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
    return Invalid("invalid_" + std::string(key),
                   std::string(key) + " must be a whole number from " + std::to_string(lo) +
                       " to " + std::to_string(hi));
  }
  *out = v.get<int64_t>();
  return std::nullopt;
}

// A text field: absent leaves *out alone; present must be a string of at
// most `max` bytes.
std::optional<DeskError> TextField(const json& body, const char* key, size_t max,
                                   std::string* out) {
  if (!body.contains(key)) return std::nullopt;
  const json& v = body[key];
  if (!v.is_string() || v.get<std::string>().size() > max) {
    return Invalid("invalid_" + std::string(key),
                   std::string(key) + " must be text of at most " + std::to_string(max) + " bytes");
  }
  *out = v.get<std::string>();
  return std::nullopt;
}

// "groups": codes of existing groups of the activity's desa (or above it),
// upper-cased; NotFound-free: an unknown code is a 400 naming it.
std::optional<DeskError> GroupsField(storage::Tx& tx, const json& body, const std::string& desa,
                                     std::vector<std::string>* out) {
  if (!body.contains("groups")) return std::nullopt;
  const json& v = body["groups"];
  if (!v.is_array() || v.size() > 20) {
    return Invalid("invalid_groups", "groups must be a list of at most 20 group codes");
  }
  std::vector<std::string> codes;
  for (const json& item : v) {
    if (!item.is_string()) return Invalid("invalid_groups", "groups must be group codes");
    std::string code = item.get<std::string>();
    for (char& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    auto g = tx.FindGroup(code);
    const bool same_place =
        g && *g && (desa.rfind((*g)->area, 0) == 0 || (*g)->area.rfind(desa, 0) == 0);
    if (!same_place) {
      return Invalid("unknown_group", "no group " + code + " in the activity's desa");
    }
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  *out = std::move(codes);
  return std::nullopt;
}

// The largest amount of rupiah an activity field takes (a trillion).
constexpr int64_t kMaxRupiah = 1000000000000LL;

}  // namespace

std::string Ticket(const storage::Activity& a) { return "USL-" + std::to_string(a.case_number); }

const std::vector<std::string>& Stages() {
  static const std::vector<std::string> kStages = {"persiapan", "pelaksanaan", "serah_terima",
                                                   "selesai"};
  return kStages;
}

Activities::Activities(storage::Store& store, const dialogs::Dialogs& dialogs, const Config& config,
                       const Clock& clock, Log& log)
    : store_(store), dialogs_(dialogs), config_(config), clock_(clock), log_(log) {}

bool Activities::Covers(const Actor& actor, const std::string& desa_code) const {
  if (actor.admin()) return true;
  for (const auto& a : actor.areas) {
    if (!a.empty() && desa_code.rfind(a, 0) == 0) return true;
  }
  return false;
}

std::string Activities::DesaName(const std::string& code) const {
  for (const auto& a : config_.areas) {
    for (const auto& d : a.desa) {
      if (d.code == code) return d.name;
    }
  }
  return "";
}

std::string Activities::Iso(int64_t ms) const { return ms == 0 ? "" : IsoUtc(ms); }

std::string Activities::When(int64_t ms, const std::string& desa_code) const {
  const int64_t local = ms + config_.UtcOffsetMinutesOf(desa_code) * 60LL * 1000;
  const std::string iso = IsoUtc(local);  // 2026-11-23T09:00:00Z
  if (iso.size() < 16) return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + " " + iso.substr(11, 2) + "." +
         iso.substr(14, 2);
}

std::string Activities::Short(const std::string& text, size_t max) {
  // What staff typed goes to any resident who asks: a phone number in it
  // (a worker's, a supplier's) is masked, as on the public board.
  std::string out = channels::ToGsmFriendly(MaskPhoneNumbers(text));
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (out.size() <= max) return out;
  size_t cut = out.rfind(' ', max - 2);
  if (cut == std::string::npos || cut < max / 2) cut = max - 2;
  return out.substr(0, cut) + "..";
}

storage::Result<std::optional<storage::Activity>> Activities::Load(storage::Tx& tx,
                                                                   const Actor& actor, int64_t id) {
  auto a = tx.GetActivity(id);
  if (!a) return std::unexpected(a.error());
  if (!*a || !Covers(actor, (*a)->desa_code)) return std::optional<storage::Activity>();
  return *a;
}

json Activities::Json(storage::Tx& tx, const storage::Activity& a, bool detail) {
  json out = {{"id", a.id},
              {"ticket", Ticket(a)},
              {"desa", a.desa_code},
              {"desa_name", DesaName(a.desa_code)},
              {"title", a.title},
              {"location", a.location},
              {"budget_blm", a.budget_blm},
              {"budget_swadaya", a.budget_swadaya},
              {"tpk", a.tpk},
              {"groups", a.groups},
              {"stage", a.stage},
              {"progress", a.progress},
              {"created_at", Iso(a.created_at)},
              {"updated_at", Iso(a.updated_at)}};
  auto complaints = tx.ComplaintCountOf(a.id);
  out["complaints"] = complaints ? *complaints : 0;
  if (!detail) return out;
  json notes = json::array();
  if (auto ns = tx.NotesOf(a.id)) {
    for (const auto& n : *ns) {
      notes.push_back(
          {{"at", Iso(n.at)}, {"progress", n.progress}, {"note", n.note}, {"actor", n.actor}});
    }
  }
  out["notes"] = notes;
  json tranches = json::array();
  if (auto ts = tx.TranchesOf(a.id)) {
    for (const auto& t : *ts) {
      tranches.push_back(
          {{"tahap", t.tahap}, {"amount", t.amount}, {"released_at", Iso(t.released_at)}});
    }
  }
  out["tranches"] = tranches;
  json meetings = json::array();
  if (auto ms = tx.MeetingsOfActivity(a.id)) {
    for (const auto& m : *ms) {
      meetings.push_back({{"id", m.id},
                          {"title", m.title},
                          {"forum", m.forum},
                          {"starts_at", Iso(m.starts_at)},
                          {"status", m.status}});
    }
  }
  out["meetings"] = meetings;
  return out;
}

storage::Status Activities::Event(storage::Tx& tx, const storage::Activity& a,
                                  const std::string& kind, const std::string& actor,
                                  const std::string& detail, int64_t now) {
  return tx.AddCaseEvent({0, a.case_id, now, kind, actor, detail});
}

// ------------------------------------------------------------------ the API

ActivityResult<json> Activities::List(const Actor& actor, const std::string& area) {
  if (!area.empty() && !Covers(actor, area)) {
    // An area outside the actor's: as empty as one with no activity.
    bool inside = false;
    for (const auto& a : actor.areas) {
      if (area.rfind(a, 0) == 0 || a.rfind(area, 0) == 0) inside = true;
    }
    if (!inside) return json{{"activities", json::array()}};
  }
  json list = json::array();
  storage::Status s = store_.Read([&](storage::Tx& tx) -> storage::Status {
    auto all = tx.ListActivities();
    if (!all) return std::unexpected(all.error());
    for (const auto& a : *all) {
      if (!Covers(actor, a.desa_code)) continue;
      if (!area.empty() && a.desa_code.rfind(area, 0) != 0) continue;
      list.push_back(Json(tx, a, false));
    }
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  return json{{"activities", list}};
}

ActivityResult<json> Activities::Get(const Actor& actor, int64_t id) {
  json out;
  bool found = false;
  storage::Status s = store_.Read([&](storage::Tx& tx) -> storage::Status {
    auto a = Load(tx, actor, id);
    if (!a) return std::unexpected(a.error());
    if (!*a) return {};
    found = true;
    out = Json(tx, **a, true);
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  if (!found) return std::unexpected(NotFound());
  return out;
}

ActivityResult<json> Activities::Create(const Actor& actor, const json& body) {
  storage::CaseType type;
  int64_t number = 0;
  const std::string ticket = body.value("ticket", std::string());
  if (!desk::ParseTicketRef(ticket, &type, &number) || type != storage::CaseType::kUsulan) {
    return std::unexpected(Invalid("invalid_ticket", "ticket must be a proposal, USL-n"));
  }
  storage::Activity a;
  if (auto e = TextField(body, "title", 200, &a.title)) return std::unexpected(*e);
  if (auto e = TextField(body, "location", 200, &a.location)) return std::unexpected(*e);
  if (auto e = TextField(body, "tpk", 100, &a.tpk)) return std::unexpected(*e);
  if (auto e = IntField(body, "budget_blm", 0, kMaxRupiah, &a.budget_blm)) {
    return std::unexpected(*e);
  }
  if (auto e = IntField(body, "budget_swadaya", 0, kMaxRupiah, &a.budget_swadaya)) {
    return std::unexpected(*e);
  }
  const int64_t now = clock_.NowMillis();
  std::optional<DeskError> refused;
  json out;
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto c = tx.GetCase(type, number);
    if (!c) {
      if (c.error().kind != storage::Error::Kind::kNotFound) return std::unexpected(c.error());
      refused = NotFound();
      return {};
    }
    if (c->desa_code.empty() ? !actor.admin() : !Covers(actor, c->desa_code)) {
      refused = NotFound();
      return {};
    }
    if (c->status != "disetujui") {
      refused = DeskError{409, "not_approved",
                          "only an approved proposal (status disetujui) becomes an activity"};
      return {};
    }
    if (c->desa_code.empty()) {
      refused = DeskError{409, "no_desa", "place the proposal in a desa first"};
      return {};
    }
    auto existing = tx.ActivityOfCase(c->id);
    if (!existing) return std::unexpected(existing.error());
    if (*existing) {
      refused = DeskError{409, "exists", c->Ticket() + " already has an activity"};
      return {};
    }
    a.case_id = c->id;
    a.desa_code = c->desa_code;
    if (auto e = GroupsField(tx, body, a.desa_code, &a.groups)) {
      refused = *e;
      return {};
    }
    if (a.title.empty()) a.title = c->summary;
    if (a.location.empty()) {
      auto fields = json::parse(c->fields_json, nullptr, false);
      if (fields.is_object() && fields.contains("location") && fields["location"].is_string()) {
        a.location = fields["location"].get<std::string>();
      }
    }
    a.created_at = now;
    auto made = tx.CreateActivity(a);
    if (!made) return std::unexpected(made.error());
    if (auto r = Event(tx, *made, "activity", actor.name, "created: " + made->title, now); !r) {
      return r;
    }
    out = Json(tx, *made, true);
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  if (refused) return std::unexpected(*refused);
  return out;
}

// ------------------------------------------------------------ the API

ActivityResult<json> Activities::Change(
    const Actor& actor, int64_t id,
    const std::function<Refusal(storage::Tx&, storage::Activity&)>& change) {
  std::optional<DeskError> refused;
  json out;
  storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto found = Load(tx, actor, id);
    if (!found) return std::unexpected(found.error());
    if (!*found) {
      refused = NotFound();
      return {};
    }
    storage::Activity a = **found;
    Refusal r = change(tx, a);
    if (!r) return std::unexpected(r.error());
    if (*r) {
      refused = **r;
      return {};
    }
    out = Json(tx, a, true);
    return {};
  });
  if (!s) return std::unexpected(desk::FromStorage(s.error()));
  if (refused) return std::unexpected(*refused);
  return out;
}

ActivityResult<json> Activities::Patch(const Actor& actor, int64_t id, const json& body) {
  const int64_t now = clock_.NowMillis();
  return Change(actor, id, [&](storage::Tx& tx, storage::Activity& a) -> Refusal {
    const storage::Activity before = a;
    std::string stage = a.stage;
    for (auto e :
         {TextField(body, "title", 200, &a.title), TextField(body, "location", 200, &a.location),
          TextField(body, "tpk", 100, &a.tpk), TextField(body, "stage", 20, &stage),
          IntField(body, "budget_blm", 0, kMaxRupiah, &a.budget_blm),
          IntField(body, "budget_swadaya", 0, kMaxRupiah, &a.budget_swadaya)}) {
      if (e) return *e;
    }
    if (auto e = GroupsField(tx, body, a.desa_code, &a.groups)) return *e;
    if (std::find(Stages().begin(), Stages().end(), stage) == Stages().end()) {
      return Invalid("invalid_stage",
                     "stage must be persiapan, pelaksanaan, serah_terima or selesai");
    }
    std::vector<std::string> changed;
    if (a.title != before.title) changed.push_back("title");
    if (a.location != before.location) changed.push_back("location");
    if (a.tpk != before.tpk) changed.push_back("tpk");
    if (a.groups != before.groups) changed.push_back("groups");
    if (a.budget_blm != before.budget_blm) changed.push_back("budget_blm");
    if (a.budget_swadaya != before.budget_swadaya) changed.push_back("budget_swadaya");
    if (!changed.empty()) {
      a.updated_at = now;
      if (auto r = tx.UpdateActivity(a); !r) return std::unexpected(r.error());
      std::string detail;
      for (const auto& f : changed) detail += (detail.empty() ? "" : ", ") + f;
      if (auto r = Event(tx, a, "activity", actor.name, "changed: " + detail, now); !r) {
        return std::unexpected(r.error());
      }
    }
    if (stage != a.stage) {
      if (auto r = ChangeStage(tx, a, stage, actor.name, now); !r) {
        return std::unexpected(r.error());
      }
    }
    return std::nullopt;
  });
}

ActivityResult<json> Activities::AddNote(const Actor& actor, int64_t id, const json& body) {
  int64_t percent = -1;
  if (auto e = IntField(body, "progress", 0, 100, &percent)) return std::unexpected(*e);
  if (percent < 0) return std::unexpected(Invalid("invalid_progress", "progress is required"));
  std::string note;
  if (auto e = TextField(body, "note", 500, &note)) return std::unexpected(*e);
  const int64_t now = clock_.NowMillis();
  return Change(actor, id, [&](storage::Tx& tx, storage::Activity& a) -> Refusal {
    if (percent < a.progress && dialogs::Trim(note).empty()) {
      return DeskError{409, "progress_backwards",
                       "progress may go back only with a note saying why"};
    }
    if (auto r = RecordProgress(tx, a, static_cast<int>(percent), note, actor.name, now); !r) {
      return std::unexpected(r.error());
    }
    return std::nullopt;
  });
}

ActivityResult<json> Activities::AddTranche(const Actor& actor, int64_t id, const json& body) {
  int64_t tahap = 0, amount = -1;
  const int64_t now = clock_.NowMillis();
  int64_t released_at = now;
  if (auto e = IntField(body, "tahap", 1, 3, &tahap)) return std::unexpected(*e);
  if (auto e = IntField(body, "amount", 0, kMaxRupiah, &amount)) return std::unexpected(*e);
  if (auto e = IntField(body, "released_at", 1, 32503680000000LL, &released_at)) {
    return std::unexpected(*e);
  }
  if (tahap == 0 || amount < 0) {
    return std::unexpected(Invalid("invalid_tranche", "tahap (1-3) and amount are required"));
  }
  return Change(actor, id, [&](storage::Tx& tx, storage::Activity& a) -> Refusal {
    storage::Status added = tx.AddTranche({a.id, static_cast<int>(tahap), amount, released_at});
    if (!added) {
      if (added.error().kind != storage::Error::Kind::kConflict) {
        return std::unexpected(added.error());
      }
      return DeskError{409, "tranche_exists",
                       "tahap " + std::to_string(tahap) + " was already recorded"};
    }
    if (auto r =
            Event(tx, a, "tranche", actor.name,
                  "tahap " + std::to_string(tahap) + ": " + dialogs::FormatRupiah(amount), now);
        !r) {
      return std::unexpected(r.error());
    }
    return std::nullopt;
  });
}

ActivityResult<json> Activities::LinkMeeting(const Actor& actor, int64_t id, const json& body) {
  int64_t meeting_id = 0;
  if (auto e = IntField(body, "meeting_id", 1, INT64_MAX, &meeting_id)) return std::unexpected(*e);
  if (meeting_id == 0)
    return std::unexpected(Invalid("invalid_meeting_id", "meeting_id is required"));
  const int64_t now = clock_.NowMillis();
  return Change(actor, id, [&](storage::Tx& tx, storage::Activity& a) -> Refusal {
    auto m = tx.GetMeeting(meeting_id);
    if (!m) return std::unexpected(m.error());
    if (!*m || !Covers(actor, (*m)->area)) return NotFound();
    if ((*m)->forum != "pertanggungjawaban" && (*m)->forum != "serah_terima") {
      return DeskError{409, "not_accountability",
                       "only a meeting of forum pertanggungjawaban or serah_terima"};
    }
    if (a.desa_code.rfind((*m)->area, 0) != 0) {
      return DeskError{409, "other_desa", "the meeting is for another desa"};
    }
    if ((*m)->activity_id != 0 && (*m)->activity_id != a.id) {
      return DeskError{409, "linked_elsewhere", "the meeting belongs to another activity"};
    }
    if ((*m)->activity_id != a.id) {
      if (auto r = tx.SetMeetingActivity(meeting_id, a.id); !r) {
        return std::unexpected(r.error());
      }
      if (auto r = Event(tx, a, "meeting", actor.name,
                         (*m)->forum + " " + std::to_string(meeting_id), now);
          !r) {
        return std::unexpected(r.error());
      }
    }
    if ((*m)->status == "scheduled" && (*m)->starts_at > now) {
      json params = {{"when", When((*m)->starts_at, a.desa_code)},
                     {"place", Short((*m)->place, 40)}};
      if (auto r = Announce(tx, a, "meeting:" + std::to_string(meeting_id),
                            "activity.notice_meeting_" + (*m)->forum, params, now);
          !r) {
        return std::unexpected(r.error());
      }
    }
    return std::nullopt;
  });
}

// ------------------------------------------------------------ changes

storage::Status Activities::RecordProgress(storage::Tx& tx, storage::Activity& a, int percent,
                                           const std::string& note, const std::string& actor,
                                           int64_t now) {
  const int before = a.progress;
  if (auto id = tx.AddActivityNote({0, a.id, now, percent, note, actor}); !id) {
    return std::unexpected(id.error());
  }
  a.progress = percent;
  a.updated_at = now;
  std::string detail = std::to_string(before) + "% -> " + std::to_string(percent) + "%";
  if (!note.empty()) detail += ": " + note;
  if (auto r = Event(tx, a, "progress", actor, detail, now); !r) return r;
  // Each quarter crossed upwards is claimed; one notice names the highest.
  int announce = 0;
  for (int mark : {25, 50, 75, 100}) {
    if (before < mark && percent >= mark) announce = mark;
  }
  if (announce == 0) return {};
  for (int mark : {25, 50, 75}) {
    if (mark < announce && before < mark) {
      auto claimed = tx.ClaimMilestone(a.id, "progress:" + std::to_string(mark), now);
      if (!claimed) return std::unexpected(claimed.error());
    }
  }
  json params = {{"progress", percent}, {"note", Short(note, 50)}};
  return Announce(tx, a, "progress:" + std::to_string(announce),
                  note.empty() ? "activity.notice_progress" : "activity.notice_progress_note",
                  params, now);
}

storage::Status Activities::ChangeStage(storage::Tx& tx, storage::Activity& a,
                                        const std::string& stage, const std::string& actor,
                                        int64_t now) {
  const std::string before = a.stage;
  a.stage = stage;
  a.updated_at = now;
  if (auto r = tx.UpdateActivity(a); !r) return r;
  if (auto r = Event(tx, a, "stage", actor, before + " -> " + stage, now); !r) return r;
  return Announce(tx, a, "stage:" + stage, "activity.notice_stage", json::object(), now);
}

storage::Result<std::vector<int64_t>> Activities::Audience(storage::Tx& tx,
                                                           const storage::Activity& a) {
  std::set<int64_t> who;
  std::set<int64_t> stopped;
  auto followers = tx.FollowersOf(a.id);
  if (!followers) return std::unexpected(followers.error());
  for (const auto& f : *followers) (f.following ? who : stopped).insert(f.contact_id);
  // The proposer.
  auto proposal = tx.GetCase(storage::CaseType::kUsulan, a.case_number);
  if (!proposal) return std::unexpected(proposal.error());
  if (proposal->contact_id != 0) who.insert(proposal->contact_id);
  // The members of the groups that proposed it.
  if (!a.groups.empty()) {
    auto members = tx.Recipients(a.groups, 0);
    if (!members) return std::unexpected(members.error());
    for (const auto& m : *members) who.insert(m.contact_id);
  }
  std::vector<int64_t> out;
  for (int64_t id : who) {
    if (!stopped.contains(id)) out.push_back(id);
  }
  return out;
}

storage::Status Activities::Announce(storage::Tx& tx, const storage::Activity& a,
                                     const std::string& milestone, const std::string& key,
                                     json params, int64_t now) {
  auto claimed = tx.ClaimMilestone(a.id, milestone, now);
  if (!claimed) return std::unexpected(claimed.error());
  if (!*claimed) return {};
  auto audience = Audience(tx, a);
  if (!audience) return std::unexpected(audience.error());
  const int64_t not_before =
      notices::QuietHoursEnd(config_.notices, now, config_.UtcOffsetMinutesOf(a.desa_code));
  params["ticket"] = Ticket(a);
  params["title"] = Short(a.title, 40);
  std::vector<storage::QueuedNotice> batch;
  for (int64_t contact_id : *audience) {
    auto contact = tx.GetContact(contact_id);
    if (!contact) return std::unexpected(contact.error());
    if (contact->opted_out) continue;
    auto addresses = tx.AddressesOf(contact_id);
    if (!addresses) return std::unexpected(addresses.error());
    // The most recently seen reachable address on a configured channel.
    const storage::Address* to = nullptr;
    for (const auto& ad : *addresses) {
      if (ad.unreachable) continue;
      bool configured = false;
      for (const auto& ch : config_.channels) configured = configured || ch.id == ad.channel_id;
      if (!configured) continue;
      if (to == nullptr || ad.last_seen_at > to->last_seen_at) to = &ad;
    }
    if (to == nullptr) continue;
    json p = params;
    p["stage"] =
        dialogs_.Render("activity.stage." + a.stage, json::object(), contact->language).text;
    const std::string text = dialogs_.Render(key, p, contact->language).text;
    storage::QueuedNotice n;
    // Meeting 0 with the activity in the kind: one key per contact and
    // milestone, beside the broadcasts' keys.
    n.send = {0, contact_id, "activity:" + std::to_string(a.id) + ":" + milestone, now, 0};
    n.item.contact_id = contact_id;
    n.item.channel_id = to->channel_id;
    n.item.address = to->address;
    n.item.kind = storage::OutboxKind::kBroadcast;
    // A notice: with WhatsApp's window closed the outbox worker sends it as
    // the channel's notice template, as meeting notices and broadcasts.
    OutboundPayload payload = OutboundPayload::Text(text);
    payload.notice = true;
    payload.notice_kind = "activity:" + milestone;
    n.item.payload_json = ToJson(payload);
    n.item.created_at = now;
    n.item.next_attempt_at = not_before;
    n.text = text;
    batch.push_back(std::move(n));
  }
  if (batch.empty()) return {};
  auto queued = tx.QueueNotices(batch);
  if (!queued) return std::unexpected(queued.error());
  return {};
}

}  // namespace suaradesa::activities
