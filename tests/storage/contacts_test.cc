// One person, one contact (issue 15): phone numbers across SMS channels,
// WhatsApp's BSUID beside the phone number, address changes, the delivery
// errors that change a contact, and migration 0009, which merged the
// duplicates older versions made. Real SQLite files; observed through the
// Store interface.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "storage/sqlite/connection.h"
#include "storage/sqlite/store.h"
#include "storage/store.h"
#include "tests/storage/open_store.h"
#include "tests/support/temp_dir.h"

namespace suaradesa::storage {

const std::map<std::string, std::string>& EmbeddedMigrations();

namespace {

using testing::TempDir;

constexpr int64_t kT0 = 1795399200000;  // 2026-11-23T02:00:00Z
constexpr int64_t kLease = 60 * 60 * 1000;

std::unique_ptr<Store> Open(const std::string& path = ":memory:") {
  return testing::OpenStore(path);
}

using testing::Commit;

Contact Find(Store& store, const ContactRef& ref, int64_t now = kT0) {
  Contact out;
  Commit(store, [&](Tx& tx) {
    Result<Contact> c = tx.FindOrCreateContact(ref, now);
    INFO((c ? std::string() : c.error().message));
    REQUIRE(c.has_value());
    out = *c;
  });
  return out;
}

std::vector<Address> AddressesOf(Store& store, int64_t contact_id) {
  std::vector<Address> out;
  Commit(store, [&](Tx& tx) {
    auto a = tx.AddressesOf(contact_id);
    REQUIRE(a.has_value());
    out = *a;
  });
  return out;
}

std::vector<std::string> Where(Store& store, int64_t contact_id) {
  std::vector<std::string> out;
  for (const Address& a : AddressesOf(store, contact_id)) {
    out.push_back(a.channel_id + ":" + a.address + (a.unreachable ? " (unreachable)" : ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool Exists(Store& store, int64_t contact_id) {
  bool found = false;
  Commit(store, [&](Tx& tx) { found = tx.GetContact(contact_id).has_value(); });
  return found;
}

const std::vector<std::string> kSms = {"hp", "sms"};

TEST_CASE("Contacts: one phone number is one contact across SMS channels", "[storage][contacts]") {
  TempDir dir;
  auto store = Open(dir.File("c.db"));
  const Contact a = Find(*store, {"hp", "+6281234567001", "Sari", kSms, ""});
  const Contact b = Find(*store, {"sms", "+6281234567001", "", kSms, ""}, kT0 + 1000);
  CHECK(b.id == a.id);
  CHECK(b.name == "Sari");
  CHECK(Where(*store, a.id) == std::vector<std::string>{"hp:+6281234567001", "sms:+6281234567001"});
  // Without the SMS rule (Telegram, WhatsApp) an equal address is someone else.
  const Contact c = Find(*store, {"tg", "+6281234567001", "", {}, ""});
  CHECK(c.id != a.id);
  // A different number on SMS is a different person.
  const Contact d = Find(*store, {"sms", "+6281234567002", "", kSms, ""});
  CHECK(d.id != a.id);
}

TEST_CASE("Contacts: a WhatsApp BSUID and the phone number given later are one contact",
          "[storage][contacts]") {
  TempDir dir;
  auto store = Open(dir.File("c.db"));
  // First only the BSUID (the number hidden behind a username).
  const Contact first = Find(*store, {"wa", "ID.1502576394655843", "Budi", {}, ""});
  // Then a message carrying both: the same contact, now reached by number.
  const Contact both = Find(*store, {"wa", "6281234567001", "Budi", {}, "ID.1502576394655843"});
  CHECK(both.id == first.id);
  CHECK(Where(*store, first.id) ==
        std::vector<std::string>{"wa:6281234567001", "wa:ID.1502576394655843"});
  // Known under both separately (the number before, the BSUID after):
  // merged into the number's contact, with its cases.
  const Contact by_number = Find(*store, {"wa", "6281234567002", "", {}, ""});
  const Contact by_id = Find(*store, {"wa", "ID.777", "", {}, ""});
  int64_t case_id = 0;
  Commit(*store, [&](Tx& tx) {
    Case c;
    c.type = CaseType::kPengaduan;
    c.contact_id = by_id.id;
    c.created_at = c.updated_at = kT0;
    auto created = tx.CreateCase(c);
    REQUIRE(created.has_value());
    case_id = created->id;
  });
  const Contact merged = Find(*store, {"wa", "6281234567002", "", {}, "ID.777"});
  CHECK(merged.id == by_number.id);
  CHECK_FALSE(Exists(*store, by_id.id));
  Commit(*store, [&](Tx& tx) {
    auto cases = tx.CasesOfContact(by_number.id);
    REQUIRE(cases.has_value());
    REQUIRE(cases->size() == 1);
    CHECK(cases->front().id == case_id);
  });
  // Only the BSUID again later: still that contact.
  CHECK(Find(*store, {"wa", "ID.777", "", {}, ""}).id == by_number.id);
}

TEST_CASE("Contacts: an address change moves the contact once, and joins one already there",
          "[storage][contacts]") {
  TempDir dir;
  auto store = Open(dir.File("c.db"));
  const Contact c = Find(*store, {"wa", "6281234567001", "", {}, ""});
  bool applied = false;
  Commit(*store, [&](Tx& tx) {
    auto r = tx.ChangeAddress("wa", "wamid.SYS1", "6281234567001", "6281234567009", kT0);
    INFO((r ? std::string() : r.error().message));
    REQUIRE(r.has_value());
    applied = *r;
  });
  CHECK(applied);
  CHECK(Where(*store, c.id) == std::vector<std::string>{"wa:6281234567009"});
  // A retried webhook: applied once. Even after the number moved back, the
  // old change does not run again.
  Commit(*store, [&](Tx& tx) {
    REQUIRE(tx.ChangeAddress("wa", "wamid.SYS2", "6281234567009", "6281234567001", kT0).value());
    auto again = tx.ChangeAddress("wa", "wamid.SYS1", "6281234567001", "6281234567009", kT0);
    REQUIRE(again.has_value());
    CHECK_FALSE(*again);
  });
  CHECK(Where(*store, c.id) == std::vector<std::string>{"wa:6281234567001"});
  // The new BSUID already wrote (a contact of its own): one contact.
  const Contact other = Find(*store, {"wa", "ID.NEW", "", {}, ""});
  Commit(*store, [&](Tx& tx) {
    REQUIRE(tx.ChangeAddress("wa", "wamid.SYS3", "6281234567001", "ID.NEW", kT0).value());
  });
  CHECK(Where(*store, c.id) == std::vector<std::string>{"wa:ID.NEW"});
  CHECK_FALSE(Exists(*store, other.id));
  // Nobody at the old address: recorded, nothing moves.
  Commit(*store, [&](Tx& tx) {
    CHECK(tx.ChangeAddress("wa", "wamid.SYS4", "62999", "62998", kT0).value());
  });
}

// Queues and sends one reply to `contact` at `address`; returns its message id.
int64_t Sent(Store& store, int64_t contact, const std::string& channel, const std::string& address,
             const std::string& provider_id, OutboxKind kind = OutboxKind::kReply) {
  int64_t outbox_id = 0;
  Commit(store, [&](Tx& tx) {
    OutboxItem item;
    item.contact_id = contact;
    item.channel_id = channel;
    item.address = address;
    item.kind = kind;
    item.payload_json = R"({"text":"halo"})";
    item.created_at = kT0;
    item.next_attempt_at = kT0;
    auto id = tx.Enqueue(item, "halo");
    REQUIRE(id.has_value());
    outbox_id = *id;
  });
  REQUIRE(store.ClaimDue(kT0, 10, kLease).has_value());
  REQUIRE(store.MarkSent(outbox_id, provider_id, 1, kT0 + 1).has_value());
  auto rows = store.ListOutbox();
  REQUIRE(rows.has_value());
  for (const auto& r : *rows) {
    if (r.id == outbox_id) return r.message_id;
  }
  FAIL("outbox row not listed");
  return 0;
}

Message MessageRow(Store& store, int64_t id) {
  auto rows = store.ListMessages(std::nullopt, std::nullopt);
  REQUIRE(rows.has_value());
  for (const auto& m : *rows) {
    if (m.id == id) return m;
  }
  FAIL("message not listed");
  return {};
}

TEST_CASE("Contacts: a failed delivery keeps its code and reason and the contact follows its class",
          "[storage][contacts]") {
  TempDir dir;
  auto store = Open(dir.File("c.db"));
  const Contact c = Find(*store, {"sms", "+6281234567001", "", kSms, ""});
  const int64_t m1 = Sent(*store, c.id, "sms", "+6281234567001", "SM1");
  DeliveryUpdate failed{"failed", kT0 + 5, "30003", "Unreachable destination handset",
                        DeliveryConsequence::kUnreachable};
  REQUIRE(store->UpdateDelivery("sms", "SM1", failed).has_value());
  auto timeline = store->DeliveryTimeline(m1);
  REQUIRE(timeline.has_value());
  REQUIRE(timeline->size() == 3);
  CHECK(timeline->back() == DeliveryEvent{"failed", kT0 + 5, "30003",
                                          "Unreachable destination handset"});
  CHECK(MessageRow(*store, m1).error_code == "30003");
  CHECK(MessageRow(*store, m1).error_reason == "Unreachable destination handset");
  CHECK(Where(*store, c.id) == std::vector<std::string>{"sms:+6281234567001 (unreachable)"});
  Commit(*store, [&](Tx& tx) { CHECK_FALSE(tx.GetContact(c.id)->opted_out); });
  // They write again from it: reachable again.
  Find(*store, {"sms", "+6281234567001", "", kSms, ""}, kT0 + 10);
  CHECK(Where(*store, c.id) == std::vector<std::string>{"sms:+6281234567001"});

  // STOP at the platform: opted out, waiting broadcasts failed, replies kept.
  const int64_t m2 = Sent(*store, c.id, "sms", "+6281234567001", "SM2");
  int64_t broadcast = 0, reply = 0;
  Commit(*store, [&](Tx& tx) {
    OutboxItem item;
    item.contact_id = c.id;
    item.channel_id = "sms";
    item.address = "+6281234567001";
    item.payload_json = R"({"text":"rapat"})";
    item.created_at = item.next_attempt_at = kT0 + 20;
    item.kind = OutboxKind::kBroadcast;
    broadcast = tx.Enqueue(item, "rapat").value();
    item.kind = OutboxKind::kReply;
    reply = tx.Enqueue(item, "jawaban").value();
  });
  REQUIRE(store->UpdateDelivery("sms", "SM2", {"failed", kT0 + 30, "21610", "",
                                               DeliveryConsequence::kOptedOutAtPlatform})
              .has_value());
  Commit(*store, [&](Tx& tx) { CHECK(tx.GetContact(c.id)->opted_out); });
  auto rows = store->ListOutbox();
  REQUIRE(rows.has_value());
  for (const auto& r : *rows) {
    if (r.id == broadcast) {
      CHECK(r.state == "failed");
      CHECK(r.last_error == kOptedOutPlatformError);
    }
    if (r.id == reply) CHECK(r.state == "pending");
  }
  CHECK(MessageRow(*store, m2).status == "failed");
  // The address stays reachable: replies may still go there.
  CHECK(Where(*store, c.id) == std::vector<std::string>{"sms:+6281234567001"});

  // A passing failure (no signal) changes nobody.
  const Contact d = Find(*store, {"hp", "+6281234567002", "", kSms, ""});
  Sent(*store, d.id, "hp", "+6281234567002", "hp-1");
  REQUIRE(store->UpdateDelivery("hp", "hp-1", {"failed", kT0 + 40, "", "RESULT_ERROR_NO_SERVICE",
                                               DeliveryConsequence::kNone})
              .has_value());
  CHECK(Where(*store, d.id) == std::vector<std::string>{"hp:+6281234567002"});
  Commit(*store, [&](Tx& tx) { CHECK_FALSE(tx.GetContact(d.id)->opted_out); });
}

// --- Migration 0009 on a database made by the previous version ---

// A database at schema version 8, as the previous release left it.
void CreateAtVersion8(const std::string& path) {
  Result<SqliteConnection> db = SqliteConnection::Open(path);
  REQUIRE(db.has_value());
  for (const auto& [name, sql] : EmbeddedMigrations()) {
    if (std::stoi(name.substr(0, 4)) > 8) continue;
    INFO(name);
    REQUIRE(db->Exec(sql).has_value());
  }
  REQUIRE(db->Exec("PRAGMA user_version = 8").has_value());
}

void Sql(const std::string& path, const std::string& sql) {
  Result<SqliteConnection> db = SqliteConnection::Open(path);
  REQUIRE(db.has_value());
  Status s = db->Exec(sql);
  INFO(sql << (s ? std::string() : "\n" + s.error().message));
  REQUIRE(s.has_value());
}

TEST_CASE("Contacts: migration 0009 rewrites phone addresses to E.164 and merges the duplicates",
          "[storage][contacts][migration][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("old.db");
  CreateAtVersion8(path);
  // What the previous version made of one villager: the Android gateway's
  // "0812..." (contact 1, with a complaint, a session and group MELATI),
  // Twilio's "+62..." (contact 2, seen last, its own session, an outbox row
  // and an RSVP) and the Android gateway's other form (contact 3, also in
  // MELATI and in KENANGA, with the most recent session). Contact 4 is someone else on WhatsApp with the
  // same digits; contact 5 a Telegram chat.
  Sql(path, R"sql(
    INSERT INTO contacts (id, name, language, created_at) VALUES
      (1, 'Sari', 'id', 1000), (2, '', 'jv', 2000), (3, '', 'id', 3000),
      (4, 'Wati', 'id', 4000), (5, 'Tg', 'id', 5000);
    INSERT INTO addresses (contact_id, channel_id, address, last_seen_at) VALUES
      (1, 'hp', '0812-3456-7001', 10), (2, 'sms', '+6281234567001', 20),
      (3, 'hp', '+6281234567001', 5), (4, 'wa', '6281234567001', 30), (5, 'tg', '81234567001', 40);
    INSERT INTO sessions (contact_id, flow, node, vars_json, updated_at) VALUES
      (1, 'pengaduan', 'old', '{}', 10), (2, 'usulan', 'where', '{"a":1}', 20),
      (3, 'pengaduan', 'when', '{}', 25);
    INSERT INTO cases (id, type, number, status, contact_id, created_at, updated_at)
      VALUES (1, 'pengaduan', 1, 'diterima', 1, 10, 10);
    INSERT INTO notice_groups (id, code, name, area, created_at) VALUES
      (1, 'MELATI', 'Melati', '3510070001', 1), (2, 'KENANGA', 'Kenanga', '3510070001', 1);
    INSERT INTO group_members (group_id, contact_id, joined_at, left_at, source) VALUES
      (1, 1, 100, 0, 'keyword'), (1, 3, 50, 60, 'import'), (2, 3, 70, 0, 'api');
    INSERT INTO meetings (id, title, forum, area, starts_at, utc_offset_minutes, created_at, updated_at)
      VALUES (1, 'Musdes', 'musdes', '3510070001', 9999999999999, 420, 1, 1);
    INSERT INTO invitations (meeting_id, contact_id, invited_at, answer, answered_at)
      VALUES (1, 2, 10, 'hadir', 15), (1, 3, 10, '', 0);
    INSERT INTO messages (id, direction, channel_id, provider_id, text, status, created_at, contact_id)
      VALUES (1, 'in', 'hp', 'e1', 'lapor', 'received', 10, 1),
             (2, 'in', 'sms', 'SM1', 'lanjut', 'received', 20, 2);
    INSERT INTO outbox (id, contact_id, channel_id, address, kind, payload_json, created_at, next_attempt_at)
      VALUES (1, 1, 'hp', '0812-3456-7001', 0, '{"text":"x"}', 10, 10);
    INSERT INTO staff (name, role, channel_id, address) VALUES ('Pak Camat', 'admin', 'hp', '0812 3456 7099');
  )sql");

  auto store = Open(path);  // applies 0009
  // Contact 2 was seen last: it goes on, with everything of 1 and 3.
  CHECK(Where(*store, 2) == std::vector<std::string>{"hp:+6281234567001", "sms:+6281234567001"});
  CHECK_FALSE(Exists(*store, 1));
  CHECK_FALSE(Exists(*store, 3));
  Commit(*store, [&](Tx& tx) {
    Contact c = tx.GetContact(2).value();
    CHECK(c.name == "Sari");
    CHECK(c.language == "jv");
    Session s = tx.GetSession(2).value();
    // The most recent session goes on, though its contact was not the
    // one seen last.
    CHECK(s.flow == "pengaduan");
    CHECK(s.node == "when");
    auto cases = tx.CasesOfContact(2).value();
    REQUIRE(cases.size() == 1);
    CHECK(cases.front().Ticket() == "ADU-1");
    auto melati = tx.GroupMembers(1).value();
    REQUIRE(melati.size() == 1);
    CHECK(melati.front().contact_id == 2);
    auto kenanga = tx.GroupMembers(2).value();
    REQUIRE(kenanga.size() == 1);
    CHECK(kenanga.front().contact_id == 2);
    auto invitations = tx.InvitationsOfMeeting(1).value();
    REQUIRE(invitations.size() == 1);
    CHECK(invitations.front().contact_id == 2);
    CHECK(invitations.front().answer == "hadir");
    auto staff = tx.ListStaff().value();
    REQUIRE(staff.size() == 1);
    CHECK(staff.front().address == "+6281234567099");
  });
  auto messages = store->ListMessages(std::nullopt, std::nullopt).value();
  REQUIRE(messages.size() == 2);
  for (const auto& m : messages) CHECK(m.contact_id == 2);
  auto outbox = store->ListOutbox().value();
  REQUIRE(outbox.size() == 1);
  CHECK(outbox.front().contact_id == 2);
  CHECK(outbox.front().address == "+6281234567001");
  // WhatsApp's wa_id and a Telegram chat id are not phone addresses: untouched.
  CHECK(Where(*store, 4) == std::vector<std::string>{"wa:6281234567001"});
  CHECK(Where(*store, 5) == std::vector<std::string>{"tg:81234567001"});
  // The next message by either SMS route finds that contact.
  CHECK(Find(*store, {"hp", "+6281234567001", "", kSms, ""}).id == 2);
}

}  // namespace
}  // namespace suaradesa::storage
