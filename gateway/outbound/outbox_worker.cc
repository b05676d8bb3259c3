#include "gateway/outbound/outbox_worker.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "gateway/channels/sms_segments.h"
#include "gateway/log.h"
#include "gateway/outbound/delivery_errors.h"
#include "gateway/outbound/payload.h"

namespace suaradesa {

namespace {

using nlohmann::json;

// A row held by the channel limit at most this early is about to have its
// turn: it waits for it instead of queueing for a later send slot.
constexpr int64_t kNearTurnMs = 2;

const char* KindName(channels::SendError::Kind kind) {
  switch (kind) {
    case channels::SendError::Kind::kRetryable: return "retryable";
    case channels::SendError::Kind::kThrottled: return "throttled";
    case channels::SendError::Kind::kPermanent: return "permanent";
    case channels::SendError::Kind::kConfig: return "config";
  }
  return "unknown";
}

const char* OutcomeName(int kind) {
  switch (kind) {
    case 0: return "sent";
    case 1: return "retry";
    default: return "failed";
  }
}

}  // namespace

OutboxWorker::OutboxWorker(storage::Store& store,
                           const std::map<std::string, const channels::Channel*>& channels,
                           HttpClient& http, const Clock& clock, OutboxOptions options)
    : store_(store),
      channels_(channels),
      http_(http),
      clock_(clock),
      options_(options),
      rates_(options.rates_in_store ? std::unique_ptr<SendRates>(new StoreSendRates(store))
                                    : std::unique_ptr<SendRates>(new MemorySendRates())) {}

OutboxWorker::~OutboxWorker() { Stop(); }

OutboxStats OutboxWorker::stats() const {
  OutboxStats s;
  s.rate_limited = rate_limited_.load();
  s.window_held = window_held_.load();
  std::lock_guard<std::mutex> lock(stats_mu_);
  s.by_channel = by_channel_;
  s.segments_sent = segments_sent_;
  // The totals are the per-channel tallies summed.
  for (const auto& [key, n] : by_channel_) {
    const std::string& status = key.second;
    if (status == "sent") s.sent += n;
    if (status == "retried") s.retried += n;
    if (status == "failed") s.failed += n;
    if (status == "config_error") s.config_errors += n;
  }
  return s;
}

void OutboxWorker::Tally(const std::string& channel_id, const char* status, int segments) {
  std::lock_guard<std::mutex> lock(stats_mu_);
  ++by_channel_[{channel_id, status}];
  if (segments > 0) segments_sent_[channel_id] += segments;
}

void OutboxWorker::Info(const std::string& line) {
  if (log_ != nullptr) {
    log_->Info(line);
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
}

void OutboxWorker::Warn(const std::string& line) {
  if (log_ != nullptr) {
    log_->Warn(line);
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
}

int64_t OutboxWorker::Backoff(int attempts) {
  int64_t delay = std::max<int64_t>(options_.initial_backoff_ms, 1);
  const int64_t cap = std::max(options_.max_backoff_ms, delay);
  for (int i = 1; i < attempts && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  // xorshift64*: deterministic, so a run is reproducible; the jitter only
  // needs to keep many rows that failed together from retrying in lockstep.
  jitter_state_ ^= jitter_state_ >> 12;
  jitter_state_ ^= jitter_state_ << 25;
  jitter_state_ ^= jitter_state_ >> 27;
  const uint64_t r = jitter_state_ * 0x2545F4914F6CDD1DULL;
  const double fraction = static_cast<double>(r >> 11) / static_cast<double>(1ULL << 53);
  const auto jitter = static_cast<int64_t>(static_cast<double>(delay) * 0.2 * fraction);
  // The configured maximum is a true maximum: at the cap the jitter goes
  // below it, so rows that failed together still spread out.
  if (delay >= cap) return cap - jitter;
  return std::min(cap, delay + jitter);
}

int OutboxWorker::RunOnce() {
  const int64_t now = clock_.NowMillis();
  // Rows held until now are due in this round (and held again if need be).
  while (!held_due_.empty() && held_due_.top() <= now) held_due_.pop();
  // What a failed write left behind in an earlier round comes first: the
  // outcomes of sends (a row sent but not recorded as sent must not be
  // claimed and sent again), then rows held back. While the store cannot
  // write them, nothing new is claimed, so nothing more is sent.
  if (!RecordPending()) {
    next_round_at_ = 0;  // poll
    return 0;
  }
  FlushDeferred();
  if (!deferred_.empty()) {
    next_round_at_ = 0;
    return 0;
  }
  // Claim only what the rate limits let go in this round: a row claimed
  // without a send slot is only put back (Store::Defer), and each claim and
  // each Defer is a commit that holds the store's writer. When no channel can
  // send before its next slot, the round claims nothing and the worker
  // sleeps until that slot (a Notify meanwhile costs no store call).
  int64_t next_slot = 0;
  const int budget = hold_wide_ ? SendBudget(now, &next_slot) > 0 ? options_.batch : 0
                                : SendBudget(now, &next_slot);
  held_back_ = budget == 0;
  if (budget == 0) {
    rate_held_until_ = held_due_.empty() ? 0 : held_due_.top();
    next_round_at_ = rate_held_until_ > 0 ? std::min(rate_held_until_.load(), next_slot)
                                          : next_slot;
    return 0;
  }
  hold_wide_ = false;
  auto claimed = store_.ClaimDue(now, budget, options_.lease_ms);
  if (!claimed) {
    Warn("outbox: claim failed: " + claimed.error().message);
    next_round_at_ = 0;  // poll
    return 0;
  }
  int attempted = 0;
  busy_channels_.clear();
  for (const storage::OutboxItem& item : *claimed) {
    if (!unrecorded_.empty() && item.state == "sending") {
      // An outcome of this round could not be written: send nothing more,
      // and put the rest back as they were (not an attempt).
      Defer(item, item.next_attempt_at, "");
      continue;
    }
    if (Attempt(item)) ++attempted;
  }
  HandOutSlots();
  FlushDeferred();
  held_back_ = !claimed->empty() && attempted == 0 && unrecorded_.empty();
  rate_held_until_ = held_due_.empty() ? 0 : held_due_.top();
  // A full claim may have left more due rows: the next round comes with the
  // next send slot (at once when a channel can still send).
  const bool full = static_cast<int>(claimed->size()) >= budget;
  int64_t after = rate_held_until_.load();
  if (full) {
    int64_t slot = 0;
    if (SendBudget(now, &slot) > 0 || hold_wide_) slot = now;
    after = after > 0 ? std::min(after, slot) : slot;
  }
  next_round_at_ = after;
  return attempted;
}

int OutboxWorker::SendBudget(int64_t now, int64_t* next_slot) {
  std::vector<RateKey> keys;
  for (const auto& [id, channel] : channels_) {
    if (channel != nullptr) keys.push_back({id, channel->rate_limits().per_second});
  }
  auto waits = rates_->Waits(keys, now);
  if (!waits) {
    // Each send still takes its slot (Take): count every channel as free.
    Warn("outbox: reading rate limits failed: " + waits.error().message);
    waits = std::vector<int64_t>(keys.size(), 0);
  }
  int budget = 0;
  int64_t earliest = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    const double rate = keys[i].per_second;
    const int64_t wait = (*waits)[i];
    if (wait > 0) {
      earliest = earliest == 0 ? now + wait : std::min(earliest, now + wait);
    } else if (rate <= 0) {
      // A channel without a limit may send a whole batch.
      budget = options_.batch;
    } else {
      ++budget;  // burst 1: one send per slot
    }
  }
  *next_slot = earliest;
  return std::min(budget, options_.batch);
}

void OutboxWorker::Defer(const storage::OutboxItem& item, int64_t until,
                         const std::string& note) {
  deferred_.push_back({item.id, until, note});
}

void OutboxWorker::HandOutSlots() {
  // Each queue's rows in claim order, so that they come back in it.
  std::vector<std::string> queues;
  for (const ToSlot& row : to_slot_) {
    if (std::find(queues.begin(), queues.end(), row.queue) == queues.end()) {
      queues.push_back(row.queue);
    }
  }
  for (const std::string& queue : queues) {
    std::vector<const ToSlot*> rows;
    for (const ToSlot& row : to_slot_) {
      if (row.queue == queue) rows.push_back(&row);
    }
    const ToSlot& first = *rows.front();
    auto slots = rates_->Hold(first.key, queue, static_cast<int>(rows.size()), first.claimed_at);
    if (!slots) {
      Warn("outbox: handing out " + std::to_string(rows.size()) + " send slots of " +
           first.key.key + " failed: " + slots.error().message);
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      // On failure each row keeps the time its own wait gave it.
      const int64_t until = slots && i < slots->size() ? (*slots)[i] : rows[i]->until;
      held_due_.push(until);
      Defer(rows[i]->item, until, "");
    }
  }
  to_slot_.clear();
}

void OutboxWorker::FlushDeferred() {
  if (deferred_.empty()) return;
  // On failure (a full disk) the rows stay claimed ("sending"), which
  // blocks their contacts' queues, and the next round tries again first.
  if (auto st = store_.Defer(deferred_); !st) {
    Warn("outbox: holding back " + std::to_string(deferred_.size()) +
         " rows failed: " + st.error().message);
    return;
  }
  deferred_.clear();
}

bool OutboxWorker::Record(Outcome outcome, const std::string& tag) {
  storage::Status st;
  switch (outcome.kind) {
    case Outcome::Kind::kSent:
      st = store_.MarkSent(outcome.outbox_id, outcome.provider_id, outcome.segments, outcome.at);
      break;
    case Outcome::Kind::kRetry:
      st = store_.MarkRetry(outcome.outbox_id, outcome.next_attempt_at, outcome.error, outcome.at);
      break;
    case Outcome::Kind::kFailed:
      st = store_.MarkFailed(outcome.outbox_id, outcome.error, outcome.at);
      break;
  }
  if (st) return true;
  const char* what = OutcomeName(static_cast<int>(outcome.kind));
  const storage::Error::Kind kind = st.error().kind;
  if (kind == storage::Error::Kind::kNotFound || kind == storage::Error::Kind::kInvalid) {
    // The row is gone or already finished: nothing left to record.
    Warn(std::string("outbox: mark ") + what + " failed " + tag + ": " + st.error().message);
    return true;
  }
  Warn(std::string("outbox: mark ") + what + " failed " + tag + ": " + st.error().message +
       " (kept; written before anything else is claimed)");
  unrecorded_.push_back(std::move(outcome));
  return false;
}

bool OutboxWorker::RecordPending() {
  if (unrecorded_.empty()) return true;
  std::vector<Outcome> pending;
  pending.swap(unrecorded_);
  for (size_t i = 0; i < pending.size(); ++i) {
    const std::string tag = "id=" + std::to_string(pending[i].outbox_id);
    if (!Record(pending[i], tag)) {
      // Record kept this one; keep the rest behind it, in order.
      for (size_t j = i + 1; j < pending.size(); ++j) unrecorded_.push_back(std::move(pending[j]));
      return false;
    }
  }
  Info("outbox: recorded " + std::to_string(pending.size()) + " outcomes kept from a failed write");
  return true;
}

bool OutboxWorker::Attempt(const storage::OutboxItem& item) {
  const std::string tag =
      "id=" + std::to_string(item.id) + " channel=" + item.channel_id;
  if (item.state == "failed") {
    // ClaimDue failed it (its contact opted out): nothing to send.
    Tally(item.channel_id, "failed");
    Info("outbox: not sent " + tag + ": " + item.last_error);
    return true;
  }
  const auto check = [&](const storage::Status& st, const char* what) {
    if (!st) Warn(std::string("outbox: ") + what + " failed " + tag + ": " + st.error().message);
  };
  const auto fail = [&](const std::string& error) {
    Outcome o;
    o.kind = Outcome::Kind::kFailed;
    o.outbox_id = item.id;
    o.error = error;
    o.at = clock_.NowMillis();
    Record(std::move(o), tag);
    Tally(item.channel_id, "failed");
    Warn("outbox: failed " + tag + ": " + error);
  };

  std::optional<OutboundPayload> payload = FromJson(item.payload_json);
  if (!payload) {
    fail("invalid payload");
    return true;
  }
  channels::OutboundMessage msg;
  msg.address = item.address;
  msg.text = std::move(payload->text);
  msg.choices = std::move(payload->choices);
  auto found = channels_.find(item.channel_id);
  if (found == channels_.end() || found->second == nullptr) {
    fail("unknown channel");
    return true;
  }
  const channels::Channel& channel = *found->second;
  const int64_t claimed_at = clock_.NowMillis();

  // The free-form window: checked first, since a held row sends nothing and
  // so must not use up a rate-limit slot.
  if (const int64_t window = channel.free_form_window_ms(); window > 0) {
    auto last_inbound = store_.LastInboundAt(item.channel_id, item.address);
    if (!last_inbound) {
      Warn("outbox: window check failed " + tag + ": " + last_inbound.error().message);
      Defer(item, claimed_at + options_.initial_backoff_ms, "");
      return false;
    }
    if (claimed_at - *last_inbound > window) {
      if (item.kind == storage::OutboxKind::kBroadcast && channel.CanSendOutsideWindow()) {
        msg.outside_window = true;
      } else if (claimed_at - item.created_at > options_.max_age_ms) {
        fail(std::string(kOutsideWindowError) + ": the contact did not write again in time");
        return true;
      } else {
        ++window_held_;
        Info("outbox: held " + tag + " (" + kOutsideWindowError + ")");
        Defer(item, claimed_at + options_.window_recheck_ms, kOutsideWindowError);
        return false;
      }
    }
  }

  // Rate limits: per channel and per recipient.
  const channels::RateLimits& limits = channel.rate_limits();
  const std::string& channel_key = item.channel_id;
  const std::string recipient_key = item.channel_id + '\n' + item.address;
  // Checked and recorded in one step: when both may go, the send is
  // recorded under both now (before it is tried, as a slot is spent either
  // way); else neither is, and the row is held back. A channel found busy
  // earlier in this round is busy for every later row of it (the round's
  // rows are claimed together), so those rows skip the check: under a
  // backlog that is one store call a row fewer.
  int64_t channel_wait = 0;
  int64_t recipient_wait = 0;
  if (auto busy = busy_channels_.find(channel_key);
      busy != busy_channels_.end() && busy->second > claimed_at) {
    channel_wait = busy->second - claimed_at;
  } else {
    auto waits = rates_->Take({{channel_key, limits.per_second},
                               {recipient_key, limits.per_recipient_per_second}},
                              claimed_at);
    if (!waits) {
      // Unknown whether the limits allow it: send nothing, try again soon.
      Warn("outbox: taking a send slot failed " + tag + ": " + waits.error().message);
      Defer(item, claimed_at + options_.initial_backoff_ms, "");
      return false;
    }
    channel_wait = (*waits)[0];
    recipient_wait = (*waits)[1];
    if (channel_wait > 0) busy_channels_[channel_key] = claimed_at + channel_wait;
  }
  if (channel_wait > 0 || recipient_wait > 0) {
    const int64_t until = claimed_at + std::max(channel_wait, recipient_wait);
    // A row already held (or retried) before was given its time: if the
    // channel is still busy then (a round ran late and the grid moved on),
    // it queues for the channel's next free sends in a queue of its own,
    // ahead of rows never tried, instead of behind the whole backlog. Where
    // that slot was also handed to a row never tried, the outbox claims the
    // older row (this one) first and holds the other again.
    const bool waited_before = item.next_attempt_at > item.created_at;
    std::string queue;
    if (recipient_wait == 0 && channel_wait > 0 && waited_before && limits.per_second > 0) {
      queue = channel_key + "\nagain";
    } else if (recipient_wait == 0 && channel_wait > kNearTurnMs) {
      // Queue up for the channel's next free send slot, so that held rows
      // come back one per interval, each to a free slot. A row that is only
      // a moment early (a worker woken a little late sent the previous one
      // late) just waits for that moment and keeps its turn.
      queue =
          channel_key + (item.kind == storage::OutboxKind::kBroadcast ? "\nbroadcast" : "\nreply");
    }
    // A row claimed for a channel with no free slot: the round's budget
    // counted a slot of another channel (the claim cannot ask for rows of
    // one channel). The next round claims a whole batch, as before budgets,
    // so that such rows are handed their later slots a batch at a time and
    // a quiet channel's rows are not left behind them.
    if (channel_wait > 0) hold_wide_ = true;
    ++rate_limited_;
    if (queue.empty()) {
      held_due_.push(until);
      Defer(item, until, "");
    } else {
      // Handed its slot with the round's other rows of this queue, in one
      // store call (HandOutSlots).
      to_slot_.push_back({item, {channel_key, limits.per_second}, std::move(queue), until,
                          claimed_at});
    }
    return false;
  }
  // Typographic quotes and dashes would switch the whole SMS to UCS-2 and
  // double its cost.
  if (channel.is_sms()) msg.text = channels::ToGsmFriendly(msg.text);

  auto receipt = channel.Send(msg, http_);
  const int64_t now = clock_.NowMillis();
  if (receipt) {
    Outcome o;
    o.kind = Outcome::Kind::kSent;
    o.outbox_id = item.id;
    o.provider_id = receipt->provider_id;
    o.segments = receipt->segments;
    o.at = now;
    Record(std::move(o), tag);
    Tally(item.channel_id, "sent", channel.is_sms() ? receipt->segments : 0);
    Info("outbox: sent " + tag + " segments=" + std::to_string(receipt->segments) +
         (msg.outside_window ? " as template" : ""));
    return true;
  }

  const channels::SendError& err = receipt.error();
  const std::string error = std::string(KindName(err.kind)) + ": " + err.message;
  const auto retry = [&](int64_t at) {
    Outcome o;
    o.kind = Outcome::Kind::kRetry;
    o.outbox_id = item.id;
    o.next_attempt_at = at;
    o.error = error;
    o.at = now;
    Record(std::move(o), tag);
    Info("outbox: retry " + tag + " attempts=" + std::to_string(item.attempts) +
         " in_ms=" + std::to_string(at - now) + " error=" + error);
  };
  switch (err.kind) {
    case channels::SendError::Kind::kRetryable:
    case channels::SendError::Kind::kThrottled: {
      if (now - item.created_at > options_.max_age_ms) {
        fail("expired after " + std::to_string(item.attempts) + " attempts: " + error);
        return true;
      }
      int64_t delay = 0;
      if (err.kind == channels::SendError::Kind::kThrottled && err.retry_after_seconds > 0) {
        delay = int64_t{err.retry_after_seconds} * 1000;
        // The platform throttles the sender: hold the whole channel, or its
        // other rows would only collect 429s of their own.
        if (auto st = rates_->Pause(item.channel_id, now + delay); !st) {
          Warn("outbox: pausing channel " + item.channel_id + " failed: " + st.error().message);
        }
      } else {
        delay = Backoff(std::max(item.attempts, 1));
      }
      Tally(item.channel_id, "retried");
      retry(now + delay);
      return true;
    }
    case channels::SendError::Kind::kConfig:
      // Keep the row: nothing is dropped while the operator fixes the
      // credentials. Retried slowly, and never expires.
      Tally(item.channel_id, "config_error");
      Warn("outbox: channel configuration error " + tag + ": " + err.message);
      retry(now + options_.config_error_retry_ms);
      return true;
    case channels::SendError::Kind::kPermanent: {
      fail(error);
      // A refusal at send time means what the same code means in a failed
      // status (delivery_errors.h): Twilio 21610 is the person's STOP.
      const DeliveryErrorClass cls = ClassifyDeliveryError(channel.type(), err.code, "");
      if (err.unreachable || cls == DeliveryErrorClass::kUnreachable) {
        const std::string channel_id = item.channel_id;
        const std::string address = item.address;
        check(store_.Transact([&](storage::Tx& tx) {
          return tx.MarkUnreachable(channel_id, address);
        }), "mark unreachable");
      } else if (cls == DeliveryErrorClass::kOptedOutPlatform && item.contact_id != 0) {
        const int64_t contact_id = item.contact_id;
        check(store_.Transact([&](storage::Tx& tx) -> storage::Status {
          if (storage::Status s = tx.SetOptOut(contact_id, true, now); !s) return s;
          auto cancelled =
              tx.CancelWaitingBroadcasts(contact_id, storage::kOptedOutPlatformError, now);
          if (!cancelled) return std::unexpected(cancelled.error());
          return {};
        }), "opt out at the platform");
        Warn("outbox: " + tag + " refused with code " + err.code +
             ": the person opted out at the platform");
      }
      return true;
    }
  }
  return true;
}

void OutboxWorker::Loop() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
    }
    const int attempted = RunOnce();
    std::unique_lock<std::mutex> lock(mu_);
    if (stop_) return;
    // A full or partial round may have left more due rows (the next row of
    // each contact just sent): go again at once. An empty round waits.
    // It sleeps only until the next held row is due (a rate limit's next
    // slot), so a channel drains at its full rate, not at the poll's.
    // After a round that could send nothing, a Notify waits for the next
    // send slot too (held_back_).
    const bool held = held_back_.load() && next_round_at_.load() > 0;
    if (attempted == 0 && (!notified_ || held)) {
      int64_t wait = options_.idle_poll_ms;
      if (const int64_t next = next_round_at_.load(); next > 0) {
        wait = std::clamp<int64_t>(next - clock_.NowMillis(), 0, wait);
      }
      if (wait > 0) {
        cv_.wait_for(lock, std::chrono::milliseconds(wait),
                     [this, held] { return stop_ || (notified_ && !held); });
      }
    }
    notified_ = false;
  }
}

void OutboxWorker::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
    notified_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void OutboxWorker::Notify() {
  std::lock_guard<std::mutex> lock(mu_);
  notified_ = true;
  cv_.notify_one();
}

void OutboxWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace suaradesa
