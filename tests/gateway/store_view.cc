#include "tests/gateway/store_view.h"

#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "storage/open_store.h"
#include "tests/storage/open_store.h"

namespace suaradesa::testing {
namespace {

template <typename T>
T Must(storage::Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

}  // namespace

std::vector<storage::Message> StoreView::Messages() {
  return Must(store_.ListMessages(std::nullopt, std::nullopt), "ListMessages");
}

std::vector<storage::Message> StoreView::Messages(storage::Direction direction) {
  std::vector<storage::Message> out;
  for (auto& m : Messages()) {
    if (m.direction == direction) out.push_back(std::move(m));
  }
  return out;
}

int64_t StoreView::InboundCount() {
  return static_cast<int64_t>(Messages(storage::Direction::kIn).size());
}

int64_t StoreView::OutboundCount() {
  return static_cast<int64_t>(Messages(storage::Direction::kOut).size());
}

std::optional<storage::Message> StoreView::MessageOfOutbox(int64_t outbox_id) {
  for (auto& m : Messages(storage::Direction::kOut)) {
    if (m.outbox_id == outbox_id) return std::move(m);
  }
  return std::nullopt;
}

std::optional<storage::Message> StoreView::OutboundByProviderId(const std::string& provider_id) {
  for (auto& m : Messages(storage::Direction::kOut)) {
    if (m.provider_id == provider_id) return std::move(m);
  }
  return std::nullopt;
}

std::vector<storage::DeliveryEvent> StoreView::Timeline(int64_t message_id) {
  return Must(store_.DeliveryTimeline(message_id), "DeliveryTimeline");
}

std::vector<std::string> StoreView::TimelineStatuses(const std::string& provider_id) {
  std::vector<std::string> out;
  const std::optional<storage::Message> message = OutboundByProviderId(provider_id);
  if (!message) return out;
  for (const storage::DeliveryEvent& e : Timeline(message->id)) out.push_back(e.status);
  return out;
}

int64_t StoreView::InboundContacts() {
  std::set<int64_t> contacts;
  for (const auto& m : Messages(storage::Direction::kIn)) contacts.insert(m.contact_id);
  return static_cast<int64_t>(contacts.size());
}

std::vector<storage::OutboxItem> StoreView::Outbox(
    const std::function<bool(const storage::OutboxItem&)>& keep) {
  std::vector<storage::OutboxItem> out;
  for (auto& o : Must(store_.ListOutbox(), "ListOutbox")) {
    if (!keep || keep(o)) out.push_back(std::move(o));
  }
  return out;
}

int64_t StoreView::OutboxCount(const std::function<bool(const storage::OutboxItem&)>& keep) {
  return static_cast<int64_t>(Outbox(keep).size());
}

int64_t StoreView::OutboxInState(const std::string& state) {
  return OutboxCount([&](const storage::OutboxItem& o) { return o.state == state; });
}

std::vector<storage::Case> StoreView::Cases() {
  return Must(store_.ListCases({}), "ListCases");
}

std::vector<storage::CaseEvent> StoreView::EventsOf(int64_t case_id) {
  return Must(store_.Read([&](storage::Tx& tx) { return tx.CaseEvents(case_id); }), "CaseEvents");
}

std::vector<storage::Message> StoreView::CaseMessages(int64_t case_id) {
  return Must(store_.Read([&](storage::Tx& tx) { return tx.CaseMessages(case_id); }),
              "CaseMessages");
}

std::optional<storage::Contact> StoreView::ContactAt(const std::string& channel_id,
                                                     const std::string& address) {
  storage::ContactRef ref;
  ref.channel_id = channel_id;
  ref.address = address;
  return Must(store_.Read([&](storage::Tx& tx) { return tx.FindContact(ref); }), "FindContact");
}

int64_t StoreView::ContactIdAt(const std::string& channel_id, const std::string& address) {
  auto c = ContactAt(channel_id, address);
  if (!c) throw std::runtime_error("no contact at " + channel_id + ":" + address);
  return c->id;
}

storage::Contact StoreView::ContactById(int64_t contact_id) {
  return Must(store_.Read([&](storage::Tx& tx) { return tx.GetContact(contact_id); }),
              "GetContact");
}

std::vector<storage::Address> StoreView::AddressesOf(int64_t contact_id) {
  return Must(store_.Read([&](storage::Tx& tx) { return tx.AddressesOf(contact_id); }),
              "AddressesOf");
}

storage::Session StoreView::SessionOf(const std::string& channel_id, const std::string& address) {
  auto c = ContactAt(channel_id, address);
  if (!c) return {};
  return Must(store_.Read([&](storage::Tx& tx) { return tx.GetSession(c->id); }), "GetSession");
}

std::optional<storage::Meeting> StoreView::MeetingById(int64_t meeting_id) {
  return Must(store_.Read([&](storage::Tx& tx) { return tx.GetMeeting(meeting_id); }),
              "GetMeeting");
}

std::vector<storage::ScheduledSend> StoreView::SendsOf(int64_t meeting_id) {
  return Must(store_.Read([&](storage::Tx& tx) { return tx.ScheduledSends(meeting_id); }),
              "ScheduledSends");
}

std::vector<storage::Invitation> StoreView::InvitationsOf(int64_t meeting_id) {
  return Must(store_.Read([&](storage::Tx& tx) { return tx.InvitationsOfMeeting(meeting_id); }),
              "InvitationsOfMeeting");
}

std::vector<storage::Group> StoreView::Groups() {
  return Must(store_.Read([&](storage::Tx& tx) { return tx.ListGroups(); }), "ListGroups");
}

std::vector<storage::Member> StoreView::MembersOf(const std::string& group_code) {
  return Must(store_.Read([&](storage::Tx& tx) -> storage::Result<std::vector<storage::Member>> {
                auto g = tx.FindGroup(group_code);
                if (!g) return std::unexpected(g.error());
                if (!*g) return std::unexpected(storage::Error::NotFound("group " + group_code));
                return tx.GroupMembers((*g)->id);
              }),
              "GroupMembers");
}

std::string PayloadKey(const storage::OutboxItem& item) {
  const auto payload = nlohmann::json::parse(item.payload_json, nullptr, false);
  if (!payload.is_object()) return "";
  auto key = payload.find("key");
  return key != payload.end() && key->is_string() ? key->get<std::string>() : "";
}

std::unique_ptr<storage::Store> OpenStoreAt(const std::string& db_path) {
  return Must(storage::OpenStore(TestDatabase(db_path)), "OpenStore");
}

}  // namespace suaradesa::testing
