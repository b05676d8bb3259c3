#include "gateway/effects.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <variant>

#include "gateway/inbound.h"

namespace suaradesa {

namespace {

using nlohmann::json;

// The ticket a resident picked from `tickets` (space-separated, as listed
// by case.note_which) with `choice`: its number ("2") or the ticket itself
// ("adu 4"). Empty when it picks none.
std::string NoteChoice(const std::string& tickets, const std::string& choice) {
  std::vector<std::string> listed;
  for (size_t start = 0; start < tickets.size();) {
    size_t end = tickets.find(' ', start);
    if (end == std::string::npos) end = tickets.size();
    if (end > start) listed.push_back(tickets.substr(start, end - start));
    start = end + 1;
  }
  size_t b = choice.find_first_not_of(" \t\r\n");
  size_t e = choice.find_last_not_of(" \t\r\n.");
  const std::string c = b == std::string::npos ? "" : choice.substr(b, e - b + 1);
  if (!c.empty() && c.size() <= 2 &&
      std::all_of(c.begin(), c.end(), [](unsigned char ch) { return std::isdigit(ch); })) {
    size_t n = std::stoul(c);
    return n >= 1 && n <= listed.size() ? listed[n - 1] : "";
  }
  storage::CaseType type;
  int64_t number = 0;
  if (!desk::ParseTicketRef(c, &type, &number)) return "";
  const std::string wanted = std::string(storage::TicketPrefix(type)) + "-" + std::to_string(number);
  for (const std::string& t : listed) {
    if (t == wanted) return t;
  }
  return "";
}

}  // namespace

Effects::Effects(const dialogs::Dialogs& dialogs, desk::Desk& desk, const Config& config,
                 const Clock& clock, Log& log)
    : dialogs_(dialogs), desk_(desk), config_(config), clock_(clock), log_(log) {}

storage::Status Effects::Apply(storage::Tx& tx, const ChannelInfo& channel,
                               const storage::Contact& contact, const std::string& address,
                               const dialogs::Effect& effect,
                               std::vector<dialogs::Reply>& replies, CaseLink& link) {
  Call call{tx, channel, contact, address, link, clock_.NowMillis(), effect.reply_key};
  storage::Status done =
      std::visit([&](const auto& e) { return Handle(call, e); }, effect.value);
  if (!done) return done;
  for (auto& r : call.rendered) replies.push_back(std::move(r));
  if (!call.reply_key.empty()) {
    dialogs::Reply reply = dialogs_.Render(call.reply_key, call.params, contact.language);
    // The next question of a dialog that filed its case and goes on.
    if (!effect.follow_up.text.empty()) {
      reply.text += "\n" + effect.follow_up.text;
      reply.choices = effect.follow_up.choices;
    }
    replies.push_back(std::move(reply));
  }
  return {};
}

storage::Status Effects::Answer(Call& call,
                                storage::Result<std::pair<std::string, json>> r) {
  if (!r) return std::unexpected(r.error());
  call.reply_key = std::move(r->first);
  call.params = std::move(r->second);
  return {};
}

storage::Status Effects::NotSetUp(std::string_view kind, std::string_view part) {
  log_.Warn("dialog effect " + std::string(kind) + " ignored: " + std::string(part) +
            " are not set up");
  return {};
}

storage::Result<std::optional<desk::Actor>> Effects::Staff(Call& call) {
  auto staff = desk_.StaffAt(call.tx, call.channel.id, call.address);
  if (staff && !*staff) call.reply_key = "staff.not_allowed";
  return staff;
}

storage::Status Effects::Handle(Call& call, const dialogs::CreateCase& e) {
  storage::Case c;
  c.type = e.type == dialogs::CaseType::kPengaduan ? storage::CaseType::kPengaduan
                                                   : storage::CaseType::kUsulan;
  c.contact_id = call.contact.id;
  c.channel_id = call.channel.id;
  c.desa_code = e.desa;
  // A case whose desa is not known yet (asked right after filing) belongs
  // to the only area if there is one; with several it stays unrouted
  // (area "", seen by admins only) until its desa is known, never in
  // another area's inbox by default.
  const AreaConfig* area = config_.AreaOfDesa(c.desa_code);
  if (area == nullptr && config_.areas.size() == 1) area = &config_.areas.front();
  c.area_code = area ? area->code : "";
  c.confidential = e.confidential;
  c.summary = e.summary;
  c.fields_json = e.fields.is_object() ? e.fields.dump() : "{}";
  c.created_at = call.now;
  c.updated_at = call.now;
  auto created = call.tx.CreateCase(c);
  if (!created) return std::unexpected(created.error());
  // Everything the reporter wrote counts when looking for an accused office.
  std::string text = c.summary;
  if (e.fields.is_object()) {
    for (const auto& [k, v] : e.fields.items()) {
      if (v.is_string()) text += "\n" + v.get<std::string>();
    }
  }
  if (storage::Status s = desk_.OnCaseCreated(call.tx, *created, text); !s) return s;
  // A complaint naming an activity (USL-n) is counted on it.
  if (activities_ != nullptr) {
    if (storage::Status s = activities_->OnComplaint(call.tx, *created, text); !s) return s;
  }
  call.link.case_id = created->id;
  call.link.filed_by = e.flow.empty() ? dialogs::CaseTypeName(e.type) : e.flow;
  call.link.ticket = created->Ticket();
  call.params["ticket"] = created->Ticket();
  // Never the reporter's address: the log shows the ticket and channel.
  log_.Info("case created ticket=" + created->Ticket() + " channel=" + call.channel.id);
  return {};
}

// Details asked after filing go to the case the dialog filed (the sender's
// own only).
storage::Status Effects::Handle(Call& call, const dialogs::UpdateCase& e) {
  call.params["ticket"] = e.ticket;
  storage::CaseType type;
  int64_t number = 0;
  if (!desk::ParseTicketRef(e.ticket, &type, &number)) return {};
  auto c = call.tx.GetCase(type, number);
  if (!c) {
    if (c.error().kind == storage::Error::Kind::kNotFound) return {};
    return std::unexpected(c.error());
  }
  // Only the reporter's own dialog adds to a case.
  if (c->contact_id != call.contact.id) {
    log_.Warn("update_case: " + e.ticket + " is not the sender's case; ignored");
    return {};
  }
  json fields = json::parse(c->fields_json, nullptr, false);
  if (!fields.is_object()) fields = json::object();
  // What the reporter wrote now that the case did not hold: read for the
  // offices it accuses, like the words that filed it.
  std::string added;
  if (e.fields.is_object()) {
    for (const auto& [k, v] : e.fields.items()) {
      if (v.is_string() && fields.value(k, json()) != v) added += "\n" + v.get<std::string>();
      fields[k] = v;
    }
  }
  c->fields_json = fields.dump();
  if (!e.summary.empty()) c->summary = e.summary;
  if (!e.desa.empty() && e.desa != c->desa_code) {
    c->desa_code = e.desa;
    if (const AreaConfig* area = config_.AreaOfDesa(e.desa)) c->area_code = area->code;
  }
  c->updated_at = clock_.NowMillis();
  if (storage::Status s = call.tx.UpdateCaseDetails(*c); !s) return s;
  storage::CaseEvent event{0, c->id, c->updated_at, "details", "reporter", ""};
  if (storage::Status s = call.tx.AddCaseEvent(event); !s) return s;
  if (storage::Status s = desk_.OnCaseDetails(call.tx, *c, added); !s) return s;
  // The whole dialog joins the case: the answers since it was filed too.
  call.link.case_id = c->id;
  call.link.filed_by = e.flow.empty() ? storage::CaseTypeName(type) : e.flow;
  return {};
}

bool Effects::OnlyReads(const dialogs::Effect& effect) {
  // (StaffCases writes the audit of the confidential cases it lists.)
  return std::holds_alternative<dialogs::StatusQuery>(effect.value) ||
         std::holds_alternative<dialogs::ListMeetings>(effect.value) ||
         std::holds_alternative<dialogs::PrivacyInfo>(effect.value) ||
         std::holds_alternative<dialogs::DataAccess>(effect.value);
}

storage::Status Effects::Handle(Call& call, const dialogs::StatusQuery& e) {
  storage::CaseType type;
  int64_t number = 0;
  std::optional<storage::Case> found;
  std::string ticket = e.ticket;
  if (desk::ParseTicketRef(ticket, &type, &number)) {
    auto c = call.tx.GetCase(type, number);
    if (!c && c.error().kind != storage::Error::Kind::kNotFound) {
      return std::unexpected(c.error());
    }
    // Only the contact who filed a case may learn its status.
    if (c && c->contact_id == call.contact.id) found = *c;
  } else {
    auto cases = call.tx.CasesOfContact(call.contact.id);
    if (!cases) return std::unexpected(cases.error());
    // "CEK 1": the sender's case with that number (the newest, when a
    // proposal and a complaint share it); no number: the newest case.
    const int64_t asked = e.number.value_or(0);
    for (const storage::Case& c : *cases) {
      if (asked == 0 || c.number == asked) found = c;
    }
    if (asked != 0 && !found) ticket = std::to_string(asked);
  }
  // STATUS USL-12 of someone else's proposal that became an activity: what
  // INFO USL-12 says, which anyone may know.
  storage::CaseType named_type;
  int64_t named_number = 0;
  if (!found && activities_ != nullptr &&
      desk::ParseTicketRef(ticket, &named_type, &named_number) &&
      named_type == storage::CaseType::kUsulan) {
    auto info = activities_->InfoOne(call.tx, ticket, call.contact.language, call.now);
    if (!info) return std::unexpected(info.error());
    if (info->first != "activity.not_found") return Answer(call, std::move(info));
  }
  if (found) {
    call.link.case_id = found->id;
    call.params["ticket"] = found->Ticket();
    call.params["status"] =
        dialogs_.Render("case_status." + found->status, json::object(), call.contact.language)
            .text;
  } else if (ticket.empty()) {
    call.reply_key = "status.none";
  } else {
    call.params["ticket"] = ticket;
    call.reply_key = "status.not_found";
  }
  return {};
}

storage::Status Effects::Handle(Call& call, const dialogs::ListMeetings& e) {
  if (notices_ == nullptr) return NotSetUp(e.kKind, "meeting notices");
  return Answer(call, notices_->ListMeetingsOf(call.tx, call.contact, call.now));
}

storage::Status Effects::Handle(Call& call, const dialogs::JoinGroup& e) {
  if (notices_ == nullptr) return NotSetUp(e.kKind, "meeting notices");
  return Answer(call, notices_->Join(call.tx, call.contact, e, call.now));
}

storage::Status Effects::Handle(Call& call, const dialogs::LeaveGroup& e) {
  if (notices_ == nullptr && !e.stop) return NotSetUp(e.kKind, "meeting notices");
  if (notices_ != nullptr) {
    auto left = notices_->Leave(call.tx, call.contact, e.code, call.now);
    if (!left) return std::unexpected(left.error());
    if (left->was_member || !e.stop) return Answer(call, std::move(left->reply));
  }
  // A stop that named a group the person is not in: everything stops, as
  // BERHENTI (a stop must never leave the person still getting notices).
  call.reply_key = "optout.done";
  call.params = json::object();
  return Handle(call, dialogs::OptOut{});
}

storage::Status Effects::Handle(Call& call, const dialogs::Rsvp& e) {
  if (notices_ == nullptr) return NotSetUp(e.kKind, "meeting notices");
  return Answer(call, notices_->Rsvp(call.tx, call.contact, e, call.now));
}

storage::Status Effects::Handle(Call& call, const dialogs::StaffReply& e) {
  auto staff = Staff(call);
  if (!staff) return std::unexpected(staff.error());
  if (!*staff) return {};
  return Answer(call, desk_.ReplyInTx(call.tx, **staff, e.ticket, e.text));
}

storage::Status Effects::Handle(Call& call, const dialogs::StaffCases&) {
  auto staff = Staff(call);
  if (!staff) return std::unexpected(staff.error());
  if (!*staff) return {};
  auto list = desk_.OpenCasesText(call.tx, **staff, &call.tx);
  if (!list) return std::unexpected(list.error());
  call.reply_key = list->empty() ? "staff.no_cases" : "staff.cases";
  call.params["list"] = *list;
  return {};
}

storage::Status Effects::Handle(Call& call, const dialogs::ReopenCase& e) {
  return Answer(call, desk_.ReopenInTx(call.tx, call.contact.id, e.ticket, &call.link.case_id));
}

storage::Status Effects::Handle(Call& call, const dialogs::CaseNote& e) {
  std::string ticket = e.ticket;
  if (ticket.empty()) {
    // The answer to case.note_which: a number in the list, or a ticket
    // of it. The whole exchange (note, question, answer) joins the case.
    ticket = NoteChoice(e.tickets, e.choice);
    call.link.filed_by = "catatan";
  }
  if (ticket.empty()) {
    call.reply_key = "case.note_unclear";
    call.link.filed_by.clear();
    return {};
  }
  storage::Status s =
      Answer(call, desk_.NoteInTx(call.tx, call.contact.id, ticket, e.text, &call.link.case_id));
  if (!s) return s;
  if (call.link.case_id == 0) call.link.filed_by.clear();
  return {};
}

storage::Status Effects::Handle(Call& call, const dialogs::OptOut&) {
  if (storage::Status s = call.tx.SetOptOut(call.contact.id, true, call.now); !s) return s;
  // What waits in the outbox is cancelled too; replies about the person's
  // own cases still go out (storage/store.h, issue 13).
  auto cancelled =
      call.tx.CancelWaitingBroadcasts(call.contact.id, storage::kOptedOutError, call.now);
  if (!cancelled) return std::unexpected(cancelled.error());
  return {};
}

storage::Status Effects::Handle(Call& call, const dialogs::OptIn&) {
  return call.tx.SetOptOut(call.contact.id, false, call.now);
}

storage::Status Effects::Handle(Call& call, const dialogs::SetLanguage& e) {
  return call.tx.SetLanguage(call.contact.id, e.language);
}

// --- Activities (issue 18) ---

storage::Status Effects::Handle(Call& call, const dialogs::ActivityInfo& e) {
  if (activities_ == nullptr) return NotSetUp(e.kKind, "activities");
  if (e.page == "stop") return {};  // "no more": the step's own reply
  if (!e.ticket.empty()) {
    return Answer(call, activities_->InfoOne(call.tx, e.ticket, call.contact.language, call.now));
  }
  // The desa the dialog knew or asked (Context::known_desa); kept for the
  // contact, so that it is asked once.
  const std::string& desa = e.desa;
  if (desa.empty()) {
    call.reply_key = "info.no_desa";
    return {};
  }
  if (e.page == "1") {
    if (storage::Status s = call.tx.RememberDesa(call.contact.id, desa, call.now); !s) return s;
  }
  const int page = std::max(1, std::atoi(e.page.c_str())) - 1;
  return Answer(call, activities_->InfoList(call.tx, desa, page, call.contact.language));
}

storage::Status Effects::Handle(Call& call, const dialogs::FollowActivity& e) {
  if (activities_ == nullptr) return NotSetUp(e.kKind, "activities");
  return Answer(call, activities_->Follow(call.tx, call.contact.id, e.ticket, e.stop.empty(),
                                          call.now));
}

storage::Status Effects::Handle(Call& call, const dialogs::ActivityProgress& e) {
  if (activities_ == nullptr) return NotSetUp(e.kKind, "activities");
  // Staff at this very channel and address only: a TPK writing from
  // another phone is a resident here.
  auto staff = Staff(call);
  if (!staff) return std::unexpected(staff.error());
  if (!*staff) return {};
  // The ticket as the dialog parsed it: a proposal's number, else 0 (the
  // usage answer).
  storage::CaseType type = storage::CaseType::kUsulan;
  int64_t number = 0;
  if (!desk::ParseTicketRef(e.ticket, &type, &number) || type != storage::CaseType::kUsulan) {
    number = 0;
  }
  return Answer(call, activities_->ReportProgress(call.tx, **staff, number, e.text, call.now));
}

// --- Residents' data rights (issue 19) ---

storage::Status Effects::Handle(Call& call, const dialogs::PrivacyInfo& e) {
  if (rights_ == nullptr) return NotSetUp(e.kKind, "data rights");
  call.rendered.push_back(rights_->PrivacyReply(call.contact.language));
  return {};
}

storage::Status Effects::Handle(Call& call, const dialogs::DataAccess& e) {
  if (rights_ == nullptr) return NotSetUp(e.kKind, "data rights");
  // A contact not recorded yet (their first message): nothing is held but
  // this message, which commits with the answer.
  if (call.contact.id == 0) {
    storage::ContactData first;
    first.since = call.now;
    first.messages = 1;
    first.language = call.contact.language;
    call.rendered = rights_->AccessText(first, call.contact.language);
    return {};
  }
  auto replies = rights_->AccessReplies(call.tx, call.contact);
  if (!replies) return std::unexpected(replies.error());
  call.rendered = std::move(*replies);
  return {};
}

storage::Status Effects::Handle(Call& call, const dialogs::EraseData& e) {
  if (rights_ == nullptr) return NotSetUp(e.kKind, "data rights");
  auto erased = rights_->Erase(call.tx, call.contact.id, rights::kResidentActor, call.now);
  if (!erased) return std::unexpected(erased.error());
  call.link.erased = true;
  // Never the address or the contact: that an erasure happened.
  log_.Info("erasure: a contact was erased at their request on " + call.channel.id);
  return {};
}

}  // namespace suaradesa
