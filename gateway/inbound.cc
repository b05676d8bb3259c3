#include "gateway/inbound.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

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

// A platform's reason text for one log line: one line, bounded.
std::string LogText(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 120)) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  return out;
}

}  // namespace

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
    const ChannelInfo& channel, const channels::InboundEvent& event) {
  const int64_t now = clock_.NowMillis();
  InboundResult result;
  bool duplicate = false;
  // Phone numbers are kept in E.164 whichever form the SMS route gave.
  const storage::ContactRef ref = ContactRefOf(channel, event);
  const std::string& address = ref.address;
  storage::Status status = store_.Transact([&](storage::Tx& tx) -> storage::Status {
    auto contact = tx.FindOrCreateContact(ref, now);
    if (!contact) return std::unexpected(contact.error());

    // Queues a reply to the sender and notes it in the result; the reply
    // joins `conversation`'s dialog and `case_id`'s history when set.
    const auto enqueue = [&](const dialogs::Reply& reply, std::string payload,
                             int64_t conversation = 0, int64_t case_id = 0) -> storage::Status {
      storage::OutboxItem item;
      item.conversation_id = conversation;
      item.case_id = case_id;
      item.contact_id = contact->id;
      item.channel_id = channel.id;
      item.address = address;
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

    // The messages already recorded within the flood window (this one not
    // yet): at the limit, this message is throttled.
    const int64_t window_ms = int64_t{config_.flood_limit.window_seconds} * 1000;
    auto recent = tx.RecentInboundOf(contact->id, now - window_ms + 1);
    if (!recent) return std::unexpected(recent.error());
    const bool throttled = recent->total >= config_.flood_limit.messages;

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
      // Only a repeated provider id makes this delivery a duplicate; any
      // other conflict later in the transaction is a store failure.
      duplicate = inserted.error().kind == storage::Error::Kind::kConflict;
      return std::unexpected(inserted.error());
    }
    if (throttled) {
      result.throttled = true;
      // One reply per window: only when no message of the window was
      // throttled before this one.
      if (recent->throttled > 0) return {};
      const dialogs::Reply reply = dialogs_.Render(kFloodKey, json::object(), contact->language);
      storage::Status queued =
          enqueue(reply, ToJson(OutboundPayload::Text(reply.text, kFloodKey)));
      if (!queued) return queued;
      // Never the address: the channel and the contact's id.
      log_.Warn("inbound: contact " + std::to_string(contact->id) + " on " + channel.id +
                " sent over " + std::to_string(config_.flood_limit.messages) + " messages in " +
                std::to_string(config_.flood_limit.window_seconds) + " s: throttled");
      return {};
    }

    auto session = tx.GetSession(contact->id);
    if (!session) return std::unexpected(session.error());

    dialogs::Input input;
    input.text = event.text;
    input.choice_id = event.choice_id;
    if (event.latitude && event.longitude) {
      input.location = dialogs::Location{*event.latitude, *event.longitude};
    }
    dialogs::Context ctx;
    ctx.now = now;
    ctx.language = contact->language;
    ctx.channel_type = channel.sms ? "sms" : channel.type;
    // Contacts have no area of their own yet: dates are read in the zone of
    // the first configured area.
    if (!config_.areas.empty()) ctx.utc_offset_minutes = UtcOffsetMinutes(config_.areas[0].timezone);
    if (notices_ != nullptr) {
      // A bare "ya"/"tidak" answers a pending invitation.
      auto pending = notices_->HasPendingInvitation(tx, contact->id, now);
      if (!pending) return std::unexpected(pending.error());
      ctx.rsvp_pending = *pending;
    }
    // What a free message may be about: the contact's recent cases.
    auto tickets = desk_.RecentTicketsOf(tx, contact->id);
    if (!tickets) return std::unexpected(tickets.error());
    ctx.case_tickets = std::move(*tickets);

    dialogs::StepResult step = dialogs_.Step(ToState(*session), input, ctx);
    std::vector<dialogs::Reply> replies = step.replies;
    CaseLink link;
    for (const auto& effect : step.effects) {
      storage::Status applied =
          effects_.Apply(tx, channel, *contact, address, effect, replies, link);
      if (!applied) return applied;
    }

    // Which case history this exchange joins (issue 13): recorded now, as
    // it happens, never found later by contact or time. A message in a
    // dialog joins that dialog's conversation: the open one when the dialog
    // goes on (or files its case), a new one when the message opens it. A
    // question about one case (STATUS, BUKA) joins that case only.
    const int64_t message_id = *inserted;
    const std::string& dialog = link.filed_by.empty() ? step.session.flow : link.filed_by;
    int64_t conversation = 0;
    if ((link.case_id == 0 || !link.filed_by.empty()) && !dialog.empty()) {
      conversation = session->flow == dialog && session->conversation_id != 0
                         ? session->conversation_id
                         : message_id;
      if (storage::Status s = tx.SetConversation(message_id, conversation); !s) return s;
    }
    // A dialog that filed its case and goes on asking details keeps the
    // ticket, so the details reach that case (update_case).
    if (!link.ticket.empty() && step.session.open()) {
      step.session.vars["_ticket"] = link.ticket;
    }
    storage::Session next = FromState(contact->id, step.session);
    next.updated_at = now;
    if (step.session.open()) {
      next.conversation_id =
          conversation != 0 ? conversation
          : step.session.flow == session->flow ? session->conversation_id
                                               : 0;
    }
    storage::Status put = tx.PutSession(next);
    if (!put) return put;

    result.replies.clear();
    result.outbox_ids.clear();
    for (const auto& reply : replies) {
      storage::Status queued = enqueue(reply, PayloadOf(reply), conversation, link.case_id);
      if (!queued) return queued;
    }
    if (!link.filed_by.empty()) {
      if (storage::Status s = tx.LinkConversation(link.case_id, conversation); !s) return s;
    } else if (link.case_id != 0) {
      if (storage::Status s = tx.LinkMessage(link.case_id, message_id); !s) return s;
    }
    result.flow = step.session.flow;
    result.node = step.session.node;
    return {};
  });
  if (!status) {
    if (duplicate) {
      InboundResult dup;
      dup.duplicate = true;
      return dup;
    }
    return std::unexpected(status.error());
  }
  return result;
}

std::expected<BatchResult, storage::Error> Inbound::HandleBatch(
    const ChannelInfo& channel, const channels::InboundBatch& batch) {
  BatchResult out;
  // Address changes first: a message in the same batch from the new address
  // then finds its contact.
  for (const auto& change : batch.address_changes) {
    const std::string from = StoredAddress(channel, change.old_address);
    const std::string to = StoredAddress(channel, change.new_address);
    bool applied = false;
    storage::Status s = store_.Transact([&](storage::Tx& tx) -> storage::Status {
      auto r = tx.ChangeAddress(channel.id, change.provider_id, from, to,
                                change.at ? change.at : clock_.NowMillis());
      if (!r) return std::unexpected(r.error());
      applied = *r;
      return {};
    });
    if (!s) return std::unexpected(s.error());
    if (applied) {
      ++out.address_changes;
      log_.Info("inbound: address changed on " + channel.id + " from " + MaskAddress(from) +
                " to " + MaskAddress(to));
    } else {
      ++out.duplicates;
    }
  }
  for (const auto& event : batch.messages) {
    auto r = HandleMessage(channel, event);
    if (!r) return std::unexpected(r.error());
    if (r->duplicate) {
      ++out.duplicates;
    } else {
      ++out.processed;
      if (r->throttled) ++out.throttled;
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
