#include "gateway/outbound/text_only.h"

#include <nlohmann/json.hpp>

#include "gateway/outbound/payload.h"

namespace suaradesa {

std::expected<TextOnlyResult, storage::Error> HandleUnsupported(
    storage::Store& store, const dialogs::Dialogs& dialogs, const ChannelInfo& channel,
    const channels::InboundEvent& event, int64_t now) {
  TextOnlyResult result;
  bool duplicate = false;
  // The same contact rules as every other message (gateway/inbound.h).
  const storage::ContactRef ref = ContactRefOf(channel, event);
  storage::Status status = store.Transact([&](storage::Tx& tx) -> storage::Status {
    auto contact = tx.FindOrCreateContact(ref, now);
    if (!contact) return std::unexpected(contact.error());
    storage::Message m;
    m.contact_id = contact->id;
    m.channel_id = channel.id;
    m.direction = storage::Direction::kIn;
    m.provider_id = event.provider_id;
    m.text = event.text;
    m.status = "received";
    m.created_at = now;
    if (auto inserted = tx.InsertInbound(m); !inserted) {
      duplicate = inserted.error().kind == storage::Error::Kind::kConflict;
      return std::unexpected(inserted.error());
    }
    auto last = tx.LastQueuedWithKey(contact->id, kTextOnlyKey);
    if (!last) return std::unexpected(last.error());
    if (*last > 0 && now - *last < kTextOnlyPeriodMs) return {};

    const dialogs::Reply reply = dialogs.Render(kTextOnlyKey, nlohmann::json::object(),
                                                contact->language);
    storage::OutboxItem item;
    item.contact_id = contact->id;
    item.channel_id = channel.id;
    item.address = ref.address;
    item.kind = storage::OutboxKind::kReply;
    item.payload_json = ToJson(OutboundPayload::Text(reply.text, kTextOnlyKey));
    item.created_at = now;
    item.next_attempt_at = now;
    auto queued = tx.Enqueue(item, reply.text);
    if (!queued) return std::unexpected(queued.error());
    result.notice_queued = true;
    return {};
  });
  if (!status) {
    if (duplicate) return TextOnlyResult{true, false};
    return std::unexpected(status.error());
  }
  return result;
}

}  // namespace suaradesa
