// A desa's worth of participation, written through the real store
// (storage::Tx), for the tests of the participation figures and the public
// board. Every person in it has a distinctive name, phone number and text,
// so a test can assert that none of them leaves the store.
#ifndef SUARADESA_TESTS_GATEWAY_PAPAN_FIXTURE_H_
#define SUARADESA_TESTS_GATEWAY_PAPAN_FIXTURE_H_

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "dialogs/format.h"
#include "storage/store.h"

namespace suaradesa::testing::papan_fixture {

// Local time in WIB (UTC+7) as unix ms.
inline int64_t Wib(int year, int month, int day, int hour, int minute) {
  dialogs::CivilTime t;
  t.year = year;
  t.month = month;
  t.day = day;
  t.hour = hour;
  t.minute = minute;
  return dialogs::UnixMsFromCivil(t, 420);
}

inline constexpr int64_t kHourMs = 3600LL * 1000;
inline constexpr int64_t kDayMs = 24 * kHourMs;

template <typename T>
T Must(storage::Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}
inline void Must(storage::Status r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
}

// A contact at (channel, address) who wrote one message at each time.
inline int64_t Resident(storage::Tx& tx, const std::string& channel, const std::string& address,
                        const std::string& name, const std::vector<int64_t>& writes,
                        const std::string& text = "halo") {
  const int64_t first = writes.empty() ? 1 : writes.front();
  storage::ContactRef ref{channel, address, name, {}, ""};
  const int64_t id = Must(tx.FindOrCreateContact(ref, first), "contact").id;
  int n = 0;
  for (int64_t at : writes) {
    storage::Message m;
    m.contact_id = id;
    m.channel_id = channel;
    m.direction = storage::Direction::kIn;
    m.provider_id = address + "-" + std::to_string(++n);
    m.text = text;
    m.status = "received";
    m.created_at = at;
    Must(tx.InsertInbound(m), "inbound");
  }
  return id;
}

// A case filed by `contact` with its desk deadlines (0: none).
inline storage::Case File(storage::Tx& tx, storage::CaseType type, int64_t contact,
                          const std::string& desa, const std::string& fields_json,
                          int64_t created_at, const std::string& summary,
                          const std::string& status = "diterima", int64_t answer_due = 0,
                          int64_t answered_at = 0) {
  storage::Case c;
  c.type = type;
  c.contact_id = contact;
  c.channel_id = "tg";
  c.area_code = desa.substr(0, 7);
  c.desa_code = desa;
  c.confidential = type == storage::CaseType::kPengaduan;
  c.summary = summary;
  c.fields_json = fields_json;
  c.created_at = created_at;
  c.status = status;
  storage::Case made = Must(tx.CreateCase(c), "case");
  storage::CaseDesk desk;
  desk.case_id = made.id;
  desk.answer_due = answer_due;
  desk.answered_at = answered_at;
  Must(tx.PutCaseDesk(desk), "desk");
  return made;
}

inline storage::Group Group(storage::Tx& tx, const std::string& code, const std::string& desa,
                            const std::vector<int64_t>& members, int64_t at) {
  storage::Group g{0, code, code + " group", desa, at};
  storage::Group made = Must(tx.CreateGroup(g), "group");
  for (int64_t c : members) Must(tx.AddMember(made.id, c, "api", at), "member");
  return made;
}

// A meeting inviting `groups`, with an invitation recorded for each of
// `invited` (as the scheduler does) and no message sent.
inline int64_t Meeting(storage::Tx& tx, const std::string& title, const std::string& forum,
                       const std::string& area, int64_t starts_at,
                       const std::vector<std::string>& groups,
                       const std::vector<int64_t>& invited, const std::string& place = "Balai") {
  storage::Meeting m;
  m.title = title;
  m.forum = forum;
  m.area = area;
  m.starts_at = starts_at;
  m.place = place;
  m.groups = groups;
  m.created_at = starts_at - 10 * kDayMs;
  m.updated_at = m.created_at;
  const int64_t id = Must(tx.CreateMeeting(m), "meeting");
  std::vector<storage::QueuedNotice> notices;
  for (int64_t c : invited) {
    storage::QueuedNotice n;
    n.send = {id, c, "invite", m.created_at, 0};
    n.skip = true;
    n.invite = true;
    notices.push_back(n);
  }
  Must(tx.QueueNotices(notices), "invitations");
  return id;
}

}  // namespace suaradesa::testing::papan_fixture

#endif  // SUARADESA_TESTS_GATEWAY_PAPAN_FIXTURE_H_
