// Notices: meeting notices, reminders, RSVPs and broadcasts (issue 5).
//
// Groups (an SPP group, a dusun, a forum) have members: contacts who joined
// by keyword (GABUNG MELATI), or whom staff added by phone or platform
// address through the API or `suaradesa import members`. A meeting invites
// groups; each active member gets one notice in their own language, on the
// channel they wrote from last (a phone-only member who never wrote is
// reached on the first configured channel of type twilio, android_sms or
// http). Every notice goes through the outbox as a broadcast (so replies to
// people go first) with "notice": true in its payload, and carries a key in
// the store's ledger of scheduled sends: (meeting, contact, kind) is queued
// at most once, whatever restarts, second schedulers or clock jumps happen.
//
// Reminders fall due at configured offsets before a meeting (by default the
// day before at 16.00 local time, and 2 hours before). When several fall
// due at once (the gateway was down, the clock jumped) only the latest is
// sent and the older ones are recorded as skipped; a reminder due before the
// member's last notice of the meeting is skipped too, and so is one due less
// than 6 hours after that notice went out (after quiet hours, an invitation
// and the 2-hours reminder would otherwise arrive together). Members who
// answered TIDAK get no reminders. Quiet hours hold every
// notice, reminder and broadcast until their end in the area's local time
// (the meeting's area; for a broadcast, the group's area).
//
// Changing a meeting's time or place tells everyone already notified; a
// notice still waiting in the outbox is withdrawn and replaced by one with
// the new details. Cancelling withdraws what is waiting and tells everyone
// already notified. Opted-out contacts and members who left get nothing.
//
// Thread safety: all methods may be called from many threads at once; the
// public calls without a Tx run in their own transaction.
#ifndef SUARADESA_GATEWAY_NOTICES_NOTICES_H_
#define SUARADESA_GATEWAY_NOTICES_NOTICES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/engine.h"
#include "gateway/clock.h"
#include "gateway/config.h"
#include "gateway/desk/desk.h"
#include "gateway/log.h"
#include "storage/store.h"

namespace suaradesa::notices {

using desk::Actor;
using desk::DeskError;
template <typename T>
using NoticeResult = desk::DeskResult<T>;

// A catalogue key and its parameters: what to answer a resident with.
using KeyedReply = std::pair<std::string, nlohmann::json>;

// What Leave did, and what to answer. `was_member` is false when the code
// names no group or a group the person is not in: nothing was left.
struct LeaveOutcome {
  KeyedReply reply;
  bool was_member = false;
};

// What `suaradesa import members` did.
struct ImportReport {
  int rows = 0;
  int added = 0;           // new members of the group
  int already = 0;         // were members already
  std::vector<std::string> problems;  // "line 4: not a mobile number"
};

// "2026-11-23T09:00" (local time) to civil fields; false when malformed.
bool ParseLocalDateTime(const std::string& text, int* year, int* month, int* day, int* hour,
                        int* minute);

class Notices {
 public:
  // All references must outlive the Notices.
  Notices(storage::Store& store, const dialogs::Dialogs& dialogs, const Config& config,
          const Clock& clock, Log& log);

  // --- The API (gateway/notices/api.cc). Admins may do everything; a
  // fasilitator works within their areas (an area code covers the codes
  // that start with it): other groups and meetings answer 404, creating
  // one outside answers 403.
  NoticeResult<nlohmann::json> CreateGroup(const Actor& actor, const nlohmann::json& body);
  NoticeResult<nlohmann::json> GetGroup(const Actor& actor, const std::string& code);
  NoticeResult<nlohmann::json> ListGroups(const Actor& actor);
  // {"phone":"+62..."} or {"urn":"telegram:123"}, optional "name" (kept
  // from admins only, for a contact without one; never shown). The result is
  // {"group","added"}, "added" false when the contact was a member of this
  // group already; the same whether the contact existed before or not.
  NoticeResult<nlohmann::json> AddMember(const Actor& actor, const std::string& code,
                                         const nlohmann::json& body);
  // Creates the meeting and queues its notices in one transaction.
  NoticeResult<nlohmann::json> CreateMeeting(const Actor& actor, const nlohmann::json& body);
  NoticeResult<nlohmann::json> PatchMeeting(const Actor& actor, int64_t id,
                                            const nlohmann::json& body);
  NoticeResult<nlohmann::json> CancelMeeting(const Actor& actor, int64_t id);
  NoticeResult<nlohmann::json> GetMeeting(const Actor& actor, int64_t id);
  NoticeResult<nlohmann::json> ListMeetings(const Actor& actor);
  // {"groups":[...],"text":"..."}: queued for every member at once.
  NoticeResult<nlohmann::json> Broadcast(const Actor& actor, const nlohmann::json& body);

  // Adds members to a group from CSV text (see README.md: a header row
  // naming phone and/or urn, optional name and language columns).
  // Error::NotFound when the group does not exist.
  storage::Result<ImportReport> ImportMembers(const std::string& group_code,
                                              const std::string& csv);

  // --- The scheduler (scheduler.h): everything due for `meeting` at
  // `now` (invitations of members who joined later, reminders). Returns the
  // number of outbox rows queued.
  storage::Result<int> QueueDue(storage::Tx& tx, const storage::Meeting& meeting, int64_t now);

  // --- Inside an inbound transaction (gateway/inbound.cc) ---
  // (Whether an invitation awaits an answer, so that a bare "ya"/"tidak"
  // answers it, is read with the contact: storage::Tx::ContactReadsOf.)
  // The effects JoinGroup, LeaveGroup, Rsvp and ListMeetings (see
  // dialogs/effect.h). Each returns the reply to render.
  storage::Result<KeyedReply> Join(storage::Tx& tx, const storage::Contact& contact,
                                   const dialogs::JoinGroup& join, int64_t now);
  storage::Result<LeaveOutcome> Leave(storage::Tx& tx, const storage::Contact& contact,
                                      const std::string& code, int64_t now);
  storage::Result<KeyedReply> Rsvp(storage::Tx& tx, const storage::Contact& contact,
                                   const dialogs::Rsvp& rsvp, int64_t now);
  storage::Result<KeyedReply> ListMeetingsOf(storage::Tx& tx, const storage::Contact& contact,
                                             int64_t now);

  // When a message queued at `now` in a zone `utc_offset_minutes` may go out:
  // `now`, or the end of the quiet hours it falls in.
  int64_t NotBefore(int64_t now, int utc_offset_minutes) const;

 private:

  // The channel id used to reach a phone-only member, or "".
  std::string SmsChannel() const;
  // Where a member is reached: the most recently seen reachable address on
  // a configured channel, or nullptr.
  const storage::Address* ReachAt(const storage::Member& member) const;
  // Finds or creates the contact for {"phone"} / {"urn"}. Fills *error (and
  // returns 0) when the input is unusable.
  storage::Result<int64_t> ContactFor(storage::Tx& tx, const std::string& phone,
                                      const std::string& urn, const std::string& name,
                                      DeskError* error);

  bool Covers(const Actor& actor, const std::string& area) const;
  // The configured name of a desa code, or "".
  std::string DesaName(const std::string& code) const;
  // "MKP Desa Uloe": the forum's label unless the title already starts with it.
  std::string MeetingLabel(const storage::Meeting& m, const std::string& language) const;
  std::string When(const storage::Meeting& m, const std::string& language) const;
  // The text of a notice of `kind` ("invite", "changed", "cancelled",
  // "reminder_day_before", "reminder", "reminder_soon") in `language`, at
  // most two SMS segments: the agenda, then what to bring, are shortened
  // first; the date, time and place never.
  std::string NoticeText(const storage::Meeting& m, const std::string& kind,
                         const std::string& language) const;
  // One outbox row for a notice to `member`.
  storage::QueuedNotice MakeNotice(const storage::Meeting& m, const storage::Member& member,
                                   const storage::Address& to, const std::string& send_kind,
                                   const std::string& text, int64_t now, int64_t not_before) const;
  // Queues `template_kind` under key `send_kind` for each of `members`
  // (skipping the opted out and the unreachable).
  storage::Result<int> QueueForMembers(storage::Tx& tx, const storage::Meeting& m,
                                       const std::vector<storage::Member>& members,
                                       const std::string& template_kind,
                                       const std::string& send_kind, bool invite, int64_t now);
  // After a change of what people were told: withdraws what waits, tells
  // the notified with `notified_kind`, re-invites the others.
  storage::Result<int> Renotify(storage::Tx& tx, const storage::Meeting& m,
                                const std::string& notified_kind, int64_t now);

  NoticeResult<storage::Meeting> ValidateMeeting(const Actor& actor, const nlohmann::json& body,
                                                 storage::Meeting base, bool partial);
  // What `actor` may see of a meeting: see api.h.
  nlohmann::json MeetingJson(storage::Tx& tx, const storage::Meeting& m, const Actor& actor);
  nlohmann::json GroupJson(const storage::Group& g) const;
  std::string Iso(int64_t ms) const;
  // "2026-11-23": the day of `ms` in a zone; "" for 0.
  std::string Day(int64_t ms, int utc_offset_minutes) const;
  std::string LocalIso(const storage::Meeting& m) const;

  storage::Store& store_;
  const dialogs::Dialogs& dialogs_;
  const Config& config_;
  const Clock& clock_;
  Log& log_;
};

}  // namespace suaradesa::notices

#endif  // SUARADESA_GATEWAY_NOTICES_NOTICES_H_
