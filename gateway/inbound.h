// Inbound: the one pipeline from a verified, parsed delivery to a committed
// result. The HTTP layer (gateway/server.cc) only verifies and parses; all
// that happens to a message happens here.
//
// A message is handled in two steps:
//  1. Decide, on the caller's thread, against a read snapshot of the store
//     (Store::Read; many run in parallel): the contact, whether they are
//     flooding, and for a readable message the dialog step with what it
//     needs (session, pending invitations, recent cases). Messages we cannot
//     read (voice notes, stickers) never reach the dialogs: they get the
//     text-only notice, at most one a day (kTextOnlyKey).
//  2. Commit, in one storage transaction (Store::Transact, group commit):
//     record the message (a repeated provider id means the platform retried
//     a delivery we already have, and nothing more happens), create the
//     contact if new, carry out the step's effects (a case, an opt-out, a
//     status lookup), write the session and queue the replies. The session
//     is written only if it is still at the version the decision read;
//     otherwise nothing of the message is kept and it is decided again.
//     Either all of that commits or none of it does; the caller answers the
//     platform only after the commit.
// A sender's messages pass one at a time, in arrival order
// (gateway/arrival_order.h), so within one gateway a decision is never
// stale; several gateways on one database rely on the version check.
//
// The dialogs learn the contact's recent cases (Desk::RecentTicketsOf); a
// message nothing else understood then comes back as a CaseNote effect,
// which joins that one case's history (Desk::NoteInTx): the message alone,
// or, after the question which case, the whole exchange. Effects are
// carried out by gateway/effects.h.
//
// A flooding sender (an auto-responder loop, a stuck phone): when the
// contact already sent config.flood_limit.messages inbound messages within
// the last window_seconds, the message is still recorded (status
// "throttled", visible in the desk) but does not run the dialogs. The first
// throttled message of a window gets one polite reply (kFloodKey).
//
// Every text field is made valid UTF-8 here (invalid bytes become U+FFFD):
// the signature covered the raw bytes, what is stored and shown must be
// valid.
//
// Thread safety: Handle* may be called from many threads at once.
#ifndef SUARADESA_GATEWAY_INBOUND_H_
#define SUARADESA_GATEWAY_INBOUND_H_

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "dialogs/engine.h"
#include "gateway/arrival_order.h"
#include "gateway/channels/channel.h"
#include "gateway/clock.h"
#include "gateway/config.h"
#include "gateway/desk/desk.h"
#include "gateway/effects.h"
#include "gateway/log.h"
#include "gateway/notices/notices.h"
#include "storage/store.h"

namespace suaradesa {

// What the inbound path needs to know about the channel a message came by.
struct ChannelInfo {
  std::string id;
  std::string type;   // "telegram", "http", "cli", ...
  bool sms = false;   // render for SMS: GSM-7, numbered choices
  // Every SMS channel's id, when this one is SMS: one phone number is one
  // contact across them.
  std::vector<std::string> sms_channels = {};
};

// The address as the store keeps it: E.164 on SMS channels when the address
// is a phone number (storage/phone.h); as given otherwise (WhatsApp's wa_id
// and BSUID, Telegram's chat id, an SMS sender name).
std::string StoredAddress(const ChannelInfo& channel, const std::string& address);

// Who a message is from: its stored address, the other SMS channels when it
// came by SMS, the BSUID beside a WhatsApp phone number (storage::ContactRef).
storage::ContactRef ContactRefOf(const ChannelInfo& channel, const channels::InboundEvent& event);

// The locale key (and outbox payload "key") of the reply to a flooding sender.
inline constexpr char kFloodKey[] = "flood.slow_down";
// The catalogue key of the notice to a message we cannot read, and the key
// its outbox payload carries; at most one per contact in kTextOnlyPeriodMs.
inline constexpr char kTextOnlyKey[] = "channel.text_only";
inline constexpr int64_t kTextOnlyPeriodMs = 24LL * 3600 * 1000;

struct InboundResult {
  bool duplicate = false;               // already processed: nothing was done
  bool throttled = false;               // recorded only: the sender is flooding
  bool unsupported = false;             // recorded only: a kind we cannot read
  bool erased = false;                  // the sender's data was erased (HAPUS DATA)
  std::vector<dialogs::Reply> replies;  // what was queued, in order
  std::vector<int64_t> outbox_ids;      // the outbox rows carrying them
  std::string flow;                     // the open dialog after this message
  std::string node;
};

struct BatchResult {
  int processed = 0;
  int duplicates = 0;
  int statuses = 0;
  int throttled = 0;                    // processed, but beyond the flood limit
  int unsupported = 0;                  // processed: a kind we cannot read
  int address_changes = 0;              // applied (a repeated one counts as duplicate)
};

class Inbound {
 public:
  // All references must outlive this object.
  Inbound(storage::Store& store, const dialogs::Dialogs& dialogs, desk::Desk& desk,
          const Config& config, const Clock& clock, Log& log);

  // Meeting notices (issue 5): answers join_group, leave_group, rsvp and
  // list_meetings effects, and tells the dialogs when an invitation awaits
  // an answer. nullptr: those effects are ignored. `notices` must outlive
  // this object. REQUIRES: called before the first message.
  void SetNotices(notices::Notices* notices) {
    notices_ = notices;
    effects_.SetNotices(notices);
  }
  // Activities answer INFO, IKUTI and PROGRES (issue 18). REQUIRES: called
  // before the first message.
  void SetActivities(activities::Activities* activities) { effects_.SetActivities(activities); }
  // Residents' data rights (issue 19): the privacy notice before the first
  // reply to a new contact, PRIVASI, DATA SAYA, HAPUS DATA. nullptr: none of
  // them. REQUIRES: called before the first message.
  void SetRights(rights::Rights* rights) {
    rights_ = rights;
    effects_.SetRights(rights);
  }

  // Handles one message: decides it, then commits it in one transaction.
  // Returns what was done, or the store's error (nothing was written; the
  // platform should retry).
  [[nodiscard]] std::expected<InboundResult, storage::Error> HandleMessage(
      const ChannelInfo& channel, const channels::InboundEvent& event);

  // Handles every address change, message and status of a batch, each in
  // its own transaction. Address changes come first; a failed status is
  // logged in one line (channel, provider id, code, reason, class) and its
  // class (outbound/delivery_errors.h) is applied to the contact. Stops at the first store error and returns it; what was
  // committed before stays, and a retry dedupes it.
  [[nodiscard]] std::expected<BatchResult, storage::Error> HandleBatch(
      const ChannelInfo& channel, const channels::InboundBatch& batch);

 private:
  // What Decide found and decided for one message, from a read snapshot.
  struct Decision {
    enum class Kind {
      kDialog,            // run the dialogs: `step`
      kThrottled,         // the sender is flooding: record, one notice
      kThrottledQuietly,  // flooding, noticed already in this window
      kUnsupported,       // a kind we cannot read: record, maybe a notice
    };
    Kind kind = Kind::kDialog;
    storage::Contact contact;   // id 0: not known yet (created at commit)
    storage::Session session;   // as read, with its version
    dialogs::StepResult step;
    // The step's effects only read (a status, the meeting list): carried
    // out on the snapshot, their replies after the step's in `replies`.
    bool effects_done = false;
    std::vector<dialogs::Reply> replies;
    CaseLink link;
    bool text_only_notice = false;
    // Which ticket number committing it takes, if it files a case.
    storage::Takes takes() const;
  };
  // What Commit did: the result, or stale (nothing of the message written
  // but the contact's last_seen_at: decide again).
  struct Outcome {
    InboundResult result;
    bool stale = false;
  };
  // Decisions one message may take when its session keeps changing under
  // it (only several gateways writing to one database can make it change).
  static constexpr int kMaxDecisions = 5;

  storage::Result<Decision> Decide(storage::Tx& tx, const ChannelInfo& channel,
                                   const channels::InboundEvent& event,
                                   const storage::ContactRef& ref, int64_t now);
  // Commits `d`; its step's session is used up (the next decision is a new
  // Decision).
  storage::Result<Outcome> Commit(storage::Tx& tx, const ChannelInfo& channel,
                                  const channels::InboundEvent& event,
                                  const storage::ContactRef& ref, Decision& d,
                                  int64_t now);

  storage::Store& store_;
  const dialogs::Dialogs& dialogs_;
  desk::Desk& desk_;
  const Config& config_;
  const Clock& clock_;
  Log& log_;
  notices::Notices* notices_ = nullptr;
  rights::Rights* rights_ = nullptr;
  Effects effects_;  // the dialog step's effects, in the message's transaction
  ArrivalOrder order_;
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_INBOUND_H_
