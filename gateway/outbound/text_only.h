// The answer to messages we cannot read (voice notes, stickers, photos
// without a caption): the message is recorded like any other, so a retried
// delivery is still a no-op, and the sender gets the catalogue's
// "channel.text_only" notice, at most once in 24 hours, in their language.
// The dialogs never see such a message, so an open conversation is left as
// it was.
//
// Thread safety: may be called from many threads at once (the store
// serialises the transactions).
#ifndef SUARADESA_GATEWAY_OUTBOUND_TEXT_ONLY_H_
#define SUARADESA_GATEWAY_OUTBOUND_TEXT_ONLY_H_

#include <cstdint>
#include <expected>

#include "dialogs/engine.h"
#include "gateway/channels/channel.h"
#include "gateway/inbound.h"
#include "storage/store.h"

namespace suaradesa {

// The catalogue key of the notice, and the key its outbox payload carries.
inline constexpr char kTextOnlyKey[] = "channel.text_only";
// At most one notice per contact in this period.
inline constexpr int64_t kTextOnlyPeriodMs = 24LL * 3600 * 1000;

struct TextOnlyResult {
  bool duplicate = false;   // the delivery was already recorded
  bool notice_queued = false;
};

// Records `event` (REQUIRES: event.unsupported) in one transaction and
// queues the notice when none was queued for this contact in the last 24
// hours. Returns what was done, or the store's error (nothing was written).
[[nodiscard]] std::expected<TextOnlyResult, storage::Error> HandleUnsupported(
    storage::Store& store, const dialogs::Dialogs& dialogs, const ChannelInfo& channel,
    const channels::InboundEvent& event, int64_t now);

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_OUTBOUND_TEXT_ONLY_H_
