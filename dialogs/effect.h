// Effects: what a dialog step asks its caller to do with the store, one
// type per kind. The caller (gateway/effects.h) carries each out and then
// answers with the step's reply key (dialogs/engine.h Effect).
//
// Most kinds come from the engine's own actions (create_case,
// update_case, status_query, rsvp, opt_out, opt_in) or from routing
// (case_note). A flow may also name a kind in an "effect" action node, its
// fields filled from the node's "data" templates ({"code": "{code}"}):
// those kinds are the ones DeclarableFields knows, and an unknown kind or
// a data key the kind does not have is a load error (flow.cc).
//
// Thread safety: plain values.
#ifndef SUARADESA_DIALOGS_EFFECT_H_
#define SUARADESA_DIALOGS_EFFECT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace suaradesa::dialogs {

enum class CaseType { kUsulan, kPengaduan };

// "usulan" or "pengaduan", as flows write a create_case's case_type.
const char* CaseTypeName(CaseType type);

// File a case. Reply {ticket}. When the dialog goes on asking details, the
// caller keeps the ticket in the session var "_ticket" (flow.h, create_case
// "next").
struct CreateCase {
  static constexpr char kKind[] = "create_case";
  CaseType type = CaseType::kUsulan;
  nlohmann::json fields = nlohmann::json::object();  // the answers, by var
  std::string summary;
  std::string desa;          // a desa code, or empty when not known yet
  bool confidential = false;
  std::string flow;          // the dialog that filed it
  // Hints for the facilitator ("negative_list"); a case is never refused.
  std::vector<std::string> flags;
  bool operator==(const CreateCase&) const = default;
};

// The details asked after filing, for the case the dialog filed (the
// caller checks it is the sender's). Reply {ticket}.
struct UpdateCase {
  static constexpr char kKind[] = "update_case";
  std::string ticket;        // "ADU-12"
  nlohmann::json fields = nlohmann::json::object();
  std::string summary;
  std::string desa;
  std::string flow;
  bool operator==(const UpdateCase&) const = default;
};

// The status of one of the sender's cases: `ticket` as written ("ADU-12"),
// else the case numbered `number` ("CEK 1": the newest of the sender's
// cases with that number), else the newest. Reply {ticket, status};
// instead: status.none {}, status.not_found {ticket}.
struct StatusQuery {
  static constexpr char kKind[] = "status_query";
  std::string ticket;                  // empty: none named
  std::optional<int64_t> number;       // only when `ticket` is empty
  bool operator==(const StatusQuery&) const = default;
};

// Reply jadwal.list {meetings} (one meeting a line); instead: jadwal.none.
struct ListMeetings {
  static constexpr char kKind[] = "list_meetings";
  bool operator==(const ListMeetings&) const = default;
};

// Reply group.joined {code, name}; instead: group.not_found {code}.
struct JoinGroup {
  static constexpr char kKind[] = "join_group";
  std::string code;          // "SPP01"
  // The words around the code when there are more than the code holds
  // ("IBU2 GITIK YG NAMANYA MELATI"), else empty: a group named further on.
  std::string words;
  bool operator==(const JoinGroup&) const = default;
};

// Reply group.left {code, name}; instead: group.not_member {code}.
struct LeaveGroup {
  static constexpr char kKind[] = "leave_group";
  std::string code;
  // Named in a stop ("jangan kirim info posyandu lagi"): when the person is
  // in no such group, the stop stops everything, as a stop without a group.
  bool stop = false;
  bool operator==(const LeaveGroup&) const = default;
};

// An answer to a meeting invitation. Reply rsvp.recorded {title, answer};
// instead: rsvp.which {list} (two or more invitations pending: the session
// already waits at rsvp/which, and the next "1"/"2" comes back with
// `choice`), rsvp.recorded_all {count, answer} (with `all`), rsvp.none {}.
struct Rsvp {
  static constexpr char kKind[] = "rsvp";
  std::string answer = "hadir";        // "hadir" | "tidak"
  std::string reason;                  // the words after TIDAK; may be empty
  std::optional<int64_t> choice;       // the answer to rsvp.which
  bool all = false;                    // that answer was "all of them"
  bool operator==(const Rsvp&) const = default;
};

// Staff answer a case. Reply staff.reply_sent {ticket}; instead:
// staff.not_allowed {}, status.not_found {ticket}.
struct StaffReply {
  static constexpr char kKind[] = "staff_reply";
  std::string ticket;
  std::string text;
  bool operator==(const StaffReply&) const = default;
};

// Reply staff.cases {list}; instead: staff.not_allowed {}, staff.no_cases {}.
struct StaffCases {
  static constexpr char kKind[] = "staff_cases";
  bool operator==(const StaffCases&) const = default;
};

// Reply case.reopened {ticket}; instead: status.not_found {ticket},
// case.not_closed {ticket}.
struct ReopenCase {
  static constexpr char kKind[] = "reopen_case";
  std::string ticket;
  bool operator==(const ReopenCase&) const = default;
};

// Add `text` to a case's history and alert its assignee: `ticket` (the
// contact's only recent case), or the one `choice` picks from `tickets`
// (space-separated, as case.note_which listed them; a number or a
// ticket). Reply case.note_added {ticket}; instead: case.note_unclear {}
// (the choice fits no ticket), status.not_found {ticket}.
struct CaseNote {
  static constexpr char kKind[] = "case_note";
  std::string text;
  std::string ticket;
  std::string tickets;
  std::string choice;
  bool operator==(const CaseNote&) const = default;
};

// Reply optout.done.
struct OptOut {
  static constexpr char kKind[] = "opt_out";
  bool operator==(const OptOut&) const = default;
};

// Reply optin.done.
struct OptIn {
  static constexpr char kKind[] = "opt_in";
  bool operator==(const OptIn&) const = default;
};

// No reply key: the engine already replied in the new language.
struct SetLanguage {
  static constexpr char kKind[] = "set_language";
  std::string language;      // "id" | "en" | "jv"
  bool operator==(const SetLanguage&) const = default;
};

// Activities (issue 18; gateway/activities/activities.h).
// INFO: the activities of desa `desa` (a code: the one the contact is
// known by, or just named; the gateway remembers it for the contact), page
// `page` ("1", "2", ...); INFO USL-12: that one (`ticket`). Reply info.page
// {text} or info.one; instead: info.ask_desa {}, info.none {desa},
// info.end {}, activity.not_found {ticket}.
struct ActivityInfo {
  static constexpr char kKind[] = "activity_info";
  std::string ticket;
  std::string page;
  std::string desa;
  bool operator==(const ActivityInfo&) const = default;
};

// IKUTI USL-12 (stop empty) / BERHENTI IKUTI USL-12 (stop "1"). Reply
// activity.following / activity.unfollowed {ticket}; instead:
// activity.not_found {ticket}.
struct FollowActivity {
  static constexpr char kKind[] = "follow_activity";
  std::string ticket;
  std::string stop;
  bool operator==(const FollowActivity&) const = default;
};

// The TPK: PROGRES USL-12 60 <note>. `ticket` and the words after it
// (`text`). Reply activity.progress_recorded {ticket, progress}; instead:
// staff.not_allowed {}, activity.tpk_only {}, activity.progress_usage {},
// activity.progress_range {}, activity.progress_backwards {ticket,
// progress}, activity.not_found {ticket}.
struct ActivityProgress {
  static constexpr char kKind[] = "activity_progress";
  std::string ticket;
  std::string text;
  bool operator==(const ActivityProgress&) const = default;
};

// Residents' data rights (issue 19; gateway/rights/). PRIVASI: reply with
// the privacy notice and the operator's contact. No reply key: the caller
// renders it.
struct PrivacyInfo {
  static constexpr char kKind[] = "privacy_info";
  bool operator==(const PrivacyInfo&) const = default;
};

// DATA SAYA: reply with what is held about the sender. No reply key: the
// caller renders it (one message, or a few).
struct DataAccess {
  static constexpr char kKind[] = "data_access";
  bool operator==(const DataAccess&) const = default;
};

// HAPUS DATA, confirmed: erase the sender's identity. Nothing is sent
// afterwards, not even a confirmation (the question before was the last).
struct EraseData {
  static constexpr char kKind[] = "erase_data";
  bool operator==(const EraseData&) const = default;
};

using EffectValue =
    std::variant<CreateCase, UpdateCase, StatusQuery, ListMeetings, JoinGroup, LeaveGroup, Rsvp,
                 StaffReply, StaffCases, ReopenCase, CaseNote, OptOut, OptIn, SetLanguage,
                 ActivityInfo, FollowActivity, ActivityProgress,
                 PrivacyInfo, DataAccess, EraseData>;

// "create_case", ...: for logs and tests.
std::string_view KindName(const EffectValue& effect);

// The effect's fields as a JSON object ({"code":"SPP01"}), as golden
// transcripts and logs show them; an absent optional is left out. Nothing
// reads it back.
nlohmann::json DataOf(const EffectValue& effect);

// The data keys a flow's "effect" node may give `kind`, or nullopt when no
// flow may name that kind (unknown, or made by an action of its own such
// as create_case).
std::optional<std::vector<std::string>> DeclarableFields(std::string_view kind);

// The kinds a flow may name, in a fixed order (for load messages).
std::vector<std::string_view> DeclarableKinds();

// The effect a flow's "effect" node names, from its rendered data
// templates; a field the node does not give is empty, a key the kind does
// not have is ignored (flows are checked at load). nullopt: `kind` is not
// declarable.
std::optional<EffectValue> MakeDeclared(std::string_view kind,
                                        const std::map<std::string, std::string>& data);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_EFFECT_H_
