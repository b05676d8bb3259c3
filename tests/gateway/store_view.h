// StoreView: what end-to-end tests observe in the store, read only through
// the Store interface (storage/store.h), never by SQL on its tables, so the
// same tests can run against any store backend (issue 17). Every read is
// one consistent snapshot (Store::Read or one of the Store's own reads); a
// failed read throws, which fails the test that asked.
#ifndef SUARADESA_TESTS_GATEWAY_STORE_VIEW_H_
#define SUARADESA_TESTS_GATEWAY_STORE_VIEW_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/store.h"

namespace suaradesa::testing {

class StoreView {
 public:
  explicit StoreView(storage::Store& store) : store_(store) {}

  // Every message in and out, oldest first.
  std::vector<storage::Message> Messages();
  std::vector<storage::Message> Messages(storage::Direction direction);
  int64_t InboundCount();
  int64_t OutboundCount();
  // The outbound message carried by an outbox row; nullopt when none.
  std::optional<storage::Message> MessageOfOutbox(int64_t outbox_id);
  // The outbound message the platform knows by provider_id; nullopt when none.
  std::optional<storage::Message> OutboundByProviderId(const std::string& provider_id);
  // Its delivery timeline (Store::DeliveryTimeline).
  std::vector<storage::DeliveryEvent> Timeline(int64_t message_id);
  // The statuses of that timeline for the message the platform knows by
  // provider_id, oldest first; empty when there is no such message.
  std::vector<std::string> TimelineStatuses(const std::string& provider_id);
  // How many different contacts the inbound messages are from.
  int64_t InboundContacts();

  // Outbox rows, oldest first, those `keep` accepts (all when empty).
  std::vector<storage::OutboxItem> Outbox(
      const std::function<bool(const storage::OutboxItem&)>& keep = {});
  int64_t OutboxCount(const std::function<bool(const storage::OutboxItem&)>& keep = {});
  int64_t OutboxInState(const std::string& state);

  std::vector<storage::Case> Cases();
  std::vector<storage::CaseEvent> EventsOf(int64_t case_id);
  std::vector<storage::Message> CaseMessages(int64_t case_id);

  // The contact reached at (channel_id, address); nullopt when none.
  std::optional<storage::Contact> ContactAt(const std::string& channel_id,
                                            const std::string& address);
  // Its id; throws when there is none.
  int64_t ContactIdAt(const std::string& channel_id, const std::string& address);
  storage::Contact ContactById(int64_t contact_id);
  std::vector<storage::Address> AddressesOf(int64_t contact_id);
  // The session of the contact at (channel_id, address); an empty Session
  // when there is no such contact or no session.
  storage::Session SessionOf(const std::string& channel_id, const std::string& address);

  // --- Meeting notices ---
  std::optional<storage::Meeting> MeetingById(int64_t meeting_id);
  std::vector<storage::ScheduledSend> SendsOf(int64_t meeting_id);
  std::vector<storage::Invitation> InvitationsOf(int64_t meeting_id);
  std::vector<storage::Group> Groups();
  std::vector<storage::Member> MembersOf(const std::string& group_code);

 private:
  storage::Store& store_;
};

// The "key" of an outbox row's payload (e.g. "flood.slow_down"); "" when none.
std::string PayloadKey(const storage::OutboxItem& item);

// Opens the store of TestDatabase(db_path) (as `suaradesa` would) for a
// test that looks at a database no running gateway holds, e.g. after a
// crash: the SQLite file, or its schema on PostgreSQL.
std::unique_ptr<storage::Store> OpenStoreAt(const std::string& db_path);

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_GATEWAY_STORE_VIEW_H_
