// OutboundPayload: what one outbox row carries, kept in the row's
// payload_json. ToJson and FromJson are its only writer and reader; the
// stored form is
//   {"text": "...", "choices": [{"id": "...", "label": "..."}],
//    "key": "...", "notice": true, "meeting": 7, "notice_kind": "invite",
//    "broadcast": 3}
// with keys in that JSON's sorted order and everything but "text" left out
// when empty (rows written before this type existed read the same).
// The store finds rows by "key" (storage::Tx::LastQueuedWithKey,
// ReplacePendingWithKey).
#ifndef SUARADESA_GATEWAY_OUTBOUND_PAYLOAD_H_
#define SUARADESA_GATEWAY_OUTBOUND_PAYLOAD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/engine.h"
#include "gateway/channels/channel.h"

namespace suaradesa {

struct OutboundPayload {
  std::string text;
  std::vector<channels::ChoiceOut> choices;
  // What the row is, for the store to find it again: a catalogue key
  // ("flood.slow_down") or "status:<case id>" for a status notice that a
  // later one replaces. Empty: none.
  std::string key;
  // A meeting notice or broadcast (notices/notices.h), with the meeting
  // and the kind of notice ("invite", "reminder:...") or the broadcast.
  bool notice = false;
  std::optional<int64_t> meeting;
  std::string notice_kind;
  std::optional<int64_t> broadcast;

  // A reply of the dialogs, with its choices.
  static OutboundPayload Of(const dialogs::Reply& reply);
  // Just a text, found again by `key` when that is not empty.
  static OutboundPayload Text(std::string text, std::string key = "");
};

// The stored JSON. Invalid UTF-8 in a text is replaced, never thrown on.
std::string ToJson(const OutboundPayload& payload);

// nullopt when the row can never be sent: not an object, no string "text",
// or choices that are not a list of objects with a string "id". Other
// fields of the wrong type are ignored.
std::optional<OutboundPayload> FromJson(const std::string& payload_json);

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_OUTBOUND_PAYLOAD_H_
