#include "gateway/inbound.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "gateway/channels/utf8.h"
#include "gateway/outbound/delivery_errors.h"
#include "gateway/outbound/payload.h"
#include "storage/phone.h"

namespace suaradesa {

namespace {

using nlohmann::json;

dialogs::SessionState ToState(const storage::Session& s) {
  dialogs::SessionState st;
  st.flow = s.flow;
  st.node = s.node;
  st.updated_at = s.updated_at;
  json vars = json::parse(s.vars_json, nullptr, false);
  st.vars = vars.is_object() ? vars : json::object();
  return st;
}

storage::Session FromState(int64_t contact_id, const dialogs::SessionState& st) {
  storage::Session s;
  s.contact_id = contact_id;
  s.flow = st.flow;
  s.node = st.node;
  s.vars_json = st.vars.dump();
  s.updated_at = st.updated_at;
  return s;
}

std::string PayloadOf(const dialogs::Reply& reply) {
  return ToJson(OutboundPayload::Of(reply));
}

// Platforms and phones sometimes deliver invalid UTF-8; what we store and
// show must be valid, so every text field is repaired (U+FFFD).
channels::InboundEvent Repaired(const channels::InboundEvent& raw) {
  channels::InboundEvent ev = raw;
  ev.provider_id = channels::RepairUtf8(ev.provider_id);
  ev.address = channels::RepairUtf8(ev.address);
  ev.sender_name = channels::RepairUtf8(ev.sender_name);
  ev.text = channels::RepairUtf8(ev.text);
  ev.choice_id = channels::RepairUtf8(ev.choice_id);
  ev.user_id = channels::RepairUtf8(ev.user_id);
  return ev;
}

// The batch's address changes and statuses, repaired; its messages are left
// to HandleMessage, which repairs each.
channels::InboundBatch Repaired(const channels::InboundBatch& raw) {
  channels::InboundBatch batch;
  batch.address_changes = raw.address_changes;
  batch.statuses = raw.statuses;
  for (auto& change : batch.address_changes) {
    change.provider_id = channels::RepairUtf8(change.provider_id);
    change.old_address = channels::RepairUtf8(change.old_address);
    change.new_address = channels::RepairUtf8(change.new_address);
  }
  for (auto& st : batch.statuses) {
    st.provider_id = channels::RepairUtf8(st.provider_id);
    st.error_code = channels::RepairUtf8(st.error_code);
    st.error_reason = channels::RepairUtf8(st.error_reason);
  }
  return batch;
}

// A platform's reason text for one log line: one line, bounded.
std::string LogText(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 120)) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  return out;
}

}  // namespace

storage::Takes Inbound::Decision::takes() const {
  if (kind != Kind::kDialog) return storage::Takes::kNothingShared;
  // A step files one case at most; were it two, the first one's counter
  // decides the place (a deadlock, then, is broken by the database).
  for (const dialogs::Effect& e : step.effects) {
    if (const auto* c = std::get_if<dialogs::CreateCase>(&e.value)) {
      return c->type == dialogs::CaseType::kPengaduan ? storage::Takes::kComplaintNumber
                                                      : storage::Takes::kProposalNumber;
    }
  }
  return storage::Takes::kNothingShared;
}

std::string StoredAddress(const ChannelInfo& channel, const std::string& address) {
  if (!channel.sms) return address;
  std::optional<std::string> e164 = phone::ToE164(address);
  return e164 ? *e164 : address;
}

storage::ContactRef ContactRefOf(const ChannelInfo& channel, const channels::InboundEvent& event) {
  storage::ContactRef ref;
  ref.channel_id = channel.id;
  ref.address = StoredAddress(channel, event.address);
  ref.name = event.sender_name;
  if (channel.sms) {
    ref.same_number_channels.push_back(channel.id);
    for (const std::string& id : channel.sms_channels) {
      if (id != channel.id) ref.same_number_channels.push_back(id);
    }
  }
  if (event.user_id != ref.address) ref.alias = event.user_id;
  return ref;
}

Inbound::Inbound(storage::Store& store, const dialogs::Dialogs& dialogs, desk::Desk& desk,
                 const Config& config, const Clock& clock, Log& log)
    : store_(store),
      dialogs_(dialogs),
      desk_(desk),
      config_(config),
      clock_(clock),
      log_(log),
      effects_(dialogs, desk, config, clock, log) {}

std::expected<InboundResult, storage::Error> Inbound::HandleMessage(
    const ChannelInfo& channel, const channels::InboundEvent& raw) {
  const channels::InboundEvent event = Repaired(raw);
  // Phone numbers are kept in E.164 whichever form the SMS route gave.
  const storage::ContactRef ref = ContactRefOf(channel, event);
  // One message of a sender at a time, in arrival order: the next one is
  // decided on the session this one leaves.
  const ArrivalOrder::Turn turn = order_.Enter(ref.address);
  for (int attempt = 1;; ++attempt) {
    const int64_t now = clock_.NowMillis();
    auto decision = store_.Read([&](storage::Tx& tx) { return Decide(tx, channel, event, ref, now); });
    if (!decision) return std::unexpected(decision.error());
    auto outcome = store_.Transact(
        [&](storage::Tx& tx) { return Commit(tx, channel, event, ref, *decision, now); },
        decision->takes());
    const bool stale = outcome ? outcome->stale
                               : outcome.error().kind == storage::Error::Kind::kConflict &&
                                     (outcome.error().message == storage::kSessionChanged ||
                                      outcome.error().message == storage::kContactChanged);
    if (!stale) {
      if (!outcome) return std::unexpected(outcome.error());
      if (outcome->result.erased && rights_ != nullptr) rights_->ForgetErased();
      return std::move(outcome->result);
    }
    // Another gateway (or a merge of contacts) wrote the session after it
    // was read: decide again on the new one.
    if (attempt == kMaxDecisions) {
      return std::unexpected(storage::Error::Conflict(
          "inbound: the session kept changing while the message was decided"));
    }
  }
}

storage::Result<Inbound::Decision> Inbound::Decide(storage::Tx& tx, const ChannelInfo& channel,
                                                   const channels::InboundEvent& event,
                                                   const storage::ContactRef& ref, int64_t now) {
  Decision d;
  auto found = tx.FindContact(ref);
  if (!found) return std::unexpected(found.error());
  if (*found) d.contact = **found;  // else a new contact: id 0, language "id"

  // A known contact's flood count, session, pending invitation and cases,
  // read together (one round trip on PostgreSQL).
  storage::ContactReads reads;
  if (d.contact.id != 0) {
    // The messages already recorded within the flood window (this one not
    // yet): at the limit, this message is throttled.
    const int64_t window_ms = int64_t{config_.flood_limit.window_seconds} * 1000;
    auto read = tx.ContactReadsOf(d.contact.id, now - window_ms + 1, now);
    if (!read) return std::unexpected(read.error());
    reads = std::move(*read);
    if (reads.recent.total >= config_.flood_limit.messages) {
      // One reply per window: only when no message of the window was
      // throttled before this one.
      d.kind = reads.recent.throttled > 0 ? Decision::Kind::kThrottledQuietly
                                          : Decision::Kind::kThrottled;
      return d;
    }
  }
  if (event.unsupported) {
    // Messages we cannot read never reach the dialogs: they are recorded and
    // get the polite text-only notice, at most one a day.
    d.kind = Decision::Kind::kUnsupported;
    if (d.contact.id != 0) {
      auto last = tx.LastQueuedWithKey(d.contact.id, kTextOnlyKey);
      if (!last) return std::unexpected(last.error());
      d.text_only_notice = !(*last > 0 && now - *last < kTextOnlyPeriodMs);
    } else {
      d.text_only_notice = true;
    }
    return d;
  }

  d.kind = Decision::Kind::kDialog;
  if (d.contact.id != 0) d.session = std::move(reads.session);
  dialogs::Input input;
  input.text = event.text;
  input.choice_id = event.choice_id;
  if (event.latitude && event.longitude) {
    input.location = dialogs::Location{*event.latitude, *event.longitude};
  }
  dialogs::Context ctx;
  ctx.now = now;
  ctx.language = d.contact.language;
  ctx.channel_type = channel.sms ? "sms" : channel.type;
  // Contacts have no area of their own yet: dates are read in the zone of
  // the first configured area.
  if (!config_.areas.empty()) ctx.utc_offset_minutes = UtcOffsetMinutes(config_.areas[0].timezone);
  if (d.contact.id != 0) {
    // A bare "ya"/"tidak" answers a pending invitation.
    ctx.rsvp_pending = notices_ != nullptr && reads.invitation_pending;
    // What a free message may be about: the contact's recent cases.
    auto tickets = desk_.RecentTickets(tx, reads.cases);
    if (!tickets) return std::unexpected(tickets.error());
    ctx.case_tickets = std::move(*tickets);
    // Looked up only by the flows that need it (INFO). A store error reads
    // as "not known": the dialog then asks, which loses nothing.
    ctx.known_desa = [&tx, id = d.contact.id]() -> std::string {
      auto desa = tx.KnownDesaOf(id);
      return desa ? *desa : std::string();
    };
  }
  d.step = dialogs_.Step(ToState(d.session), input, ctx);
  // Effects that only read are answered here, on the snapshot, so the
  // committer only writes.
  if (!d.step.effects.empty() &&
      std::all_of(d.step.effects.begin(), d.step.effects.end(), Effects::OnlyReads)) {
    d.effects_done = true;
    d.replies = d.step.replies;
    for (const auto& effect : d.step.effects) {
      storage::Status applied =
          effects_.Apply(tx, channel, d.contact, ref.address, effect, d.replies, d.link);
      if (!applied) return std::unexpected(applied.error());
    }
  }
  return d;
}

storage::Result<Inbound::Outcome> Inbound::Commit(storage::Tx& tx, const ChannelInfo& channel,
                                                  const channels::InboundEvent& event,
                                                  const storage::ContactRef& ref, Decision& d,
                                                  int64_t now) {
  Outcome out;
  // The contact as decided, if its address is still theirs (the common
  // case: one UPDATE; else kContactChanged, now or later, and the message
  // is decided again); a new contact, or one known by an alias, is found or
  // created here.
  std::optional<storage::Contact> contact;
  if (d.contact.id != 0 && (ref.alias.empty() || ref.alias == ref.address)) {
    storage::ContactRef touch = ref;
    if (touch.name == d.contact.name) touch.name.clear();  // nothing to change
    if (storage::Status t = tx.TouchContact(touch, d.contact.id, now); !t) {
      return std::unexpected(t.error());
    }
    contact = d.contact;
    if (!ref.name.empty()) contact->name = ref.name;
  }
  if (!contact) {
    auto found = tx.FindOrCreateContact(ref, now);
    if (!found) return std::unexpected(found.error());
    // The decision was made for another contact (two were merged since).
    if (d.contact.id != 0 && found->id != d.contact.id) {
      out.stale = true;
      return out;
    }
    contact = std::move(*found);
  }
  // The session the decision read; PutSession below writes only over that
  // version, so a session written since makes the whole commit roll back
  // and the message is decided again.
  const storage::Session& session = d.session;

  const bool throttled = d.kind == Decision::Kind::kThrottled ||
                         d.kind == Decision::Kind::kThrottledQuietly;
  storage::Message m;
  m.contact_id = contact->id;
  m.channel_id = channel.id;
  m.direction = storage::Direction::kIn;
  m.provider_id = event.provider_id;
  m.text = event.text.empty() && !event.choice_id.empty() ? "[" + event.choice_id + "]"
                                                          : event.text;
  m.status = throttled ? "throttled" : "received";
  m.created_at = now;
  auto inserted = tx.InsertInbound(m);
  if (!inserted) {
    // A repeated provider id: the platform retried a delivery we have. The
    // contact's last_seen_at is all this commit writes. Any other conflict
    // (an earlier pipelined write's, kContactChanged) fails the commit.
    if (inserted.error().kind == storage::Error::Kind::kConflict &&
        inserted.error().message == storage::kAlreadyRecorded) {
      out.result.duplicate = true;
      return out;
    }
    return std::unexpected(inserted.error());
  }
  const int64_t message_id = *inserted;
  InboundResult& result = out.result;

  // Queues a reply to the sender and notes it in the result; the reply
  // joins `conversation`'s dialog and `case_id`'s history when set.
  const auto enqueue = [&](const dialogs::Reply& reply, std::string payload,
                           int64_t conversation = 0, int64_t case_id = 0) -> storage::Status {
    storage::OutboxItem item;
    item.conversation_id = conversation;
    item.case_id = case_id;
    item.contact_id = contact->id;
    item.channel_id = channel.id;
    item.address = ref.address;
    item.kind = storage::OutboxKind::kReply;
    item.payload_json = std::move(payload);
    item.created_at = now;
    item.next_attempt_at = now;
    auto id = tx.Enqueue(item, reply.text);
    if (!id) return std::unexpected(id.error());
    result.outbox_ids.push_back(*id);
    result.replies.push_back(reply);
    return {};
  };
  // The privacy notice, before the first reply a contact ever gets
  // (issue 19): the store's record decides, so a retried or concurrent
  // first message does not send it twice.
  const auto privacy_notice = [&]() -> storage::Status {
    if (rights_ == nullptr) return {};
    auto first = rights_->FirstNotice(tx, *contact, now);
    if (!first) return std::unexpected(first.error());
    if (!*first) return {};
    return enqueue(**first, ToJson(OutboundPayload::Text((*first)->text, rights::kNoticeKey)));
  };
  // A notice keyed in the outbox (flood, text only): at most one per period.
  const auto notice = [&](const char* key) -> storage::Status {
    const dialogs::Reply reply = dialogs_.Render(key, json::object(), contact->language);
    return enqueue(reply, ToJson(OutboundPayload::Text(reply.text, key)));
  };

  switch (d.kind) {
    case Decision::Kind::kThrottledQuietly:
      result.throttled = true;
      return out;
    case Decision::Kind::kThrottled:
      result.throttled = true;
      if (storage::Status s = notice(kFloodKey); !s) return std::unexpected(s.error());
      // Never the address: the channel and the contact's id.
      log_.Warn("inbound: contact " + std::to_string(contact->id) + " on " + channel.id +
                " sent over " + std::to_string(config_.flood_limit.messages) + " messages in " +
                std::to_string(config_.flood_limit.window_seconds) + " s: throttled");
      return out;
    case Decision::Kind::kUnsupported:
      result.unsupported = true;
      if (storage::Status s = privacy_notice(); !s) return std::unexpected(s.error());
      if (d.text_only_notice) {
        if (storage::Status s = notice(kTextOnlyKey); !s) return std::unexpected(s.error());
      }
      return out;
    case Decision::Kind::kDialog:
      break;
  }

  dialogs::StepResult& step = d.step;
  std::vector<dialogs::Reply> replies = d.effects_done ? d.replies : step.replies;
  CaseLink link = d.link;
  if (!d.effects_done) {
    for (const auto& effect : step.effects) {
      storage::Status applied =
          effects_.Apply(tx, channel, *contact, ref.address, effect, replies, link);
      if (!applied) return std::unexpected(applied.error());
    }
  }

  // Erased (HAPUS DATA): the contact is a tombstone now, its session gone;
  // nothing more is written or sent for it.
  if (link.erased) {
    result.erased = true;
    return out;
  }

  // Which case history this exchange joins (issue 13): recorded now, as
  // it happens, never found later by contact or time. A message in a
  // dialog joins that dialog's conversation: the open one when the dialog
  // goes on (or files its case), a new one when the message opens it. A
  // question about one case (STATUS, BUKA) joins that case only.
  const std::string& dialog = link.filed_by.empty() ? step.session.flow : link.filed_by;
  int64_t conversation = 0;
  if ((link.case_id == 0 || !link.filed_by.empty()) && !dialog.empty()) {
    conversation = session.flow == dialog && session.conversation_id != 0
                       ? session.conversation_id
                       : message_id;
    if (storage::Status s = tx.SetConversation(message_id, conversation); !s) {
      return std::unexpected(s.error());
    }
  }
  // A dialog that filed its case and goes on asking details keeps the
  // ticket, so the details reach that case (update_case).
  if (!link.ticket.empty() && step.session.open()) {
    step.session.vars["_ticket"] = link.ticket;
  }
  storage::Session next = FromState(contact->id, step.session);
  next.updated_at = now;
  next.version = session.version;
  if (step.session.open()) {
    next.conversation_id = conversation != 0                   ? conversation
                           : step.session.flow == session.flow ? session.conversation_id
                                                               : 0;
  }
  // Read at the same version in this transaction: only a second writer on
  // the same database (several gateways, a merge) makes it fail, with
  // kSessionChanged, here or at a later call. Nothing of this message
  // stays; it is decided again.
  if (storage::Status put = tx.PutSession(next); !put) return std::unexpected(put.error());

  if (storage::Status s = privacy_notice(); !s) return std::unexpected(s.error());
  for (const auto& reply : replies) {
    storage::Status queued = enqueue(reply, PayloadOf(reply), conversation, link.case_id);
    if (!queued) return std::unexpected(queued.error());
  }
  if (!link.filed_by.empty()) {
    if (storage::Status s = tx.LinkConversation(link.case_id, conversation); !s) {
      return std::unexpected(s.error());
    }
  } else if (link.case_id != 0) {
    if (storage::Status s = tx.LinkMessage(link.case_id, message_id); !s) {
      return std::unexpected(s.error());
    }
  }
  result.flow = step.session.flow;
  result.node = step.session.node;
  return out;
}

std::expected<BatchResult, storage::Error> Inbound::HandleBatch(
    const ChannelInfo& channel, const channels::InboundBatch& raw) {
  const channels::InboundBatch batch = Repaired(raw);
  BatchResult out;
  // Address changes first: a message in the same batch from the new address
  // then finds its contact.
  for (const auto& change : batch.address_changes) {
    const std::string from = StoredAddress(channel, change.old_address);
    const std::string to = StoredAddress(channel, change.new_address);
    storage::Result<bool> applied = store_.Transact([&](storage::Tx& tx) {
      return tx.ChangeAddress(channel.id, change.provider_id, from, to,
                              change.at ? change.at : clock_.NowMillis());
    });
    if (!applied) return std::unexpected(applied.error());
    if (*applied) {
      ++out.address_changes;
      log_.Info("inbound: address changed on " + channel.id + " from " + MaskAddress(from) +
                " to " + MaskAddress(to));
    } else {
      ++out.duplicates;
    }
  }
  for (const auto& event : raw.messages) {
    auto r = HandleMessage(channel, event);
    if (!r) return std::unexpected(r.error());
    if (r->duplicate) {
      ++out.duplicates;
    } else {
      ++out.processed;
      if (r->throttled) ++out.throttled;
      if (r->unsupported) ++out.unsupported;
    }
  }
  for (const auto& st : batch.statuses) {
    storage::DeliveryUpdate update;
    update.status = st.status;
    update.at = st.at ? st.at : clock_.NowMillis();
    update.error_code = st.error_code;
    update.error_reason = st.error_reason;
    const bool failed = st.status == "failed" || st.status == "undelivered" ||
                        !st.error_code.empty();
    if (failed) {
      const DeliveryErrorClass cls =
          ClassifyDeliveryError(channel.type, st.error_code, st.error_reason);
      update.consequence = ConsequenceOf(cls);
      // One line: never the text, the address or a secret.
      log_.Warn("delivery failed channel=" + channel.id + " provider_id=" +
                LogText(st.provider_id) + " status=" + LogText(st.status) + " code=" +
                (st.error_code.empty() ? "-" : LogText(st.error_code)) + " reason=\"" +
                LogText(st.error_reason) + "\" class=" + DeliveryErrorClassName(cls));
    }
    storage::Status s = store_.UpdateDelivery(channel.id, st.provider_id, update);
    if (!s) return std::unexpected(s.error());
    ++out.statuses;
  }
  return out;
}

}  // namespace suaradesa
