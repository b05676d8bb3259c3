// The records of the participation figures (ReportTx in storage/tx.h;
// storage/sql/reports.cc): counts over a span of time and a set of areas,
// never a contact, a name, an address or a text. Plain values, no behaviour.
#ifndef SUARADESA_STORAGE_REPORTS_H_
#define SUARADESA_STORAGE_REPORTS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace suaradesa::storage {

// What a report counts: things that happened in [from, to) (unix ms) in
// the places whose code starts with one of `area_prefixes` (codes nest by
// prefix: kabupaten 3510 > kecamatan 3510070 > desa 3510070001). No
// prefixes: every place, including cases not placed yet (place "").
struct ReportScope {
  std::vector<std::string> area_prefixes;
  int64_t from = 0;
  int64_t to = 0;
  // When the report is made: a complaint's answer deadline after `now` is
  // still open, so it is neither on time nor late yet.
  int64_t now = 0;
};

// Residents who took part: distinct contacts with an inbound message in
// the span. A contact belongs to the desa of the cases it filed and of the
// groups it is a member of (it may belong to several, and then counts in
// each); a case not placed in a desa yet counts for its area. Contacts
// linked to no place are not counted.
struct ResidentCount {
  std::string place;          // a desa code, or an area code
  std::string channel_id;     // "" in the rows that count every channel together
  int64_t contacts = 0;
};

// Proposals (usulan) filed in the span, by place, forum and status.
struct ProposalCount {
  std::string place;          // desa code; the area code while no desa is known
  std::string forum;          // the proposal's "forum" field; "" when not given
  std::string status;
  int64_t count = 0;
  int64_t women = 0;          // the women beneficiaries the proposals name, summed
};

// Complaints (pengaduan) filed in the span, by place, category and status,
// with how their first answer went against the desk's deadline
// (CaseDesk::answer_due, answered_at).
struct ComplaintCount {
  std::string place;
  std::string category;       // the complaint's "category" field; "" when not given
  std::string status;
  int64_t count = 0;
  int64_t answered = 0;       // answered_at was set
  // Had an answer deadline that is settled: answered, or past by `now`.
  // The on-time rate is answered_on_time / due.
  int64_t due = 0;
  int64_t answered_on_time = 0;  // of those, answered at or before answer_due
};

// The time a complaint filed in the span waited for its first answer.
struct AnswerTime {
  std::string place;
  std::string category;
  int64_t wait_ms = 0;        // answered_at - created_at
};

// Invitations to meetings starting in the span, by the invited group: the
// invitations of the group's members, and their RSVPs. Cancelled meetings
// are left out. A member of two invited groups counts in both.
struct InvitationCount {
  std::string group_code;
  std::string place;          // the group's desa code
  int64_t meetings = 0;       // meetings that invited the group
  int64_t invited = 0;
  int64_t hadir = 0;
  int64_t tidak = 0;
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_REPORTS_H_
