#include "dialogs/effect.h"

#include <algorithm>

namespace suaradesa::dialogs {

namespace {

using nlohmann::json;
using Rendered = std::map<std::string, std::string>;

std::string Field(const Rendered& data, const char* key) {
  auto it = data.find(key);
  return it == data.end() ? std::string() : it->second;
}

// A kind a flow's "effect" node may name: its data keys, and how the
// rendered templates make the value. Keep each row's keys and maker
// together; effect_test checks they agree with DataOf.
struct Declarable {
  std::string_view kind;
  std::vector<std::string> fields;
  EffectValue (*make)(const Rendered&);
};

const std::vector<Declarable>& Declarables() {
  static const std::vector<Declarable> kAll = {
      {ListMeetings::kKind, {}, [](const Rendered&) -> EffectValue { return ListMeetings{}; }},
      {JoinGroup::kKind, {"code", "words"},
       [](const Rendered& d) -> EffectValue {
         return JoinGroup{Field(d, "code"), Field(d, "words")};
       }},
      {LeaveGroup::kKind, {"code"},
       [](const Rendered& d) -> EffectValue { return LeaveGroup{Field(d, "code")}; }},
      {StaffReply::kKind, {"ticket", "text"},
       [](const Rendered& d) -> EffectValue {
         return StaffReply{Field(d, "ticket"), Field(d, "text")};
       }},
      {StaffCases::kKind, {}, [](const Rendered&) -> EffectValue { return StaffCases{}; }},
      {ReopenCase::kKind, {"ticket"},
       [](const Rendered& d) -> EffectValue { return ReopenCase{Field(d, "ticket")}; }},
      {CaseNote::kKind, {"text", "ticket", "tickets", "choice"},
       [](const Rendered& d) -> EffectValue {
         return CaseNote{Field(d, "text"), Field(d, "ticket"), Field(d, "tickets"),
                         Field(d, "choice")};
       }},
      {SetLanguage::kKind, {"language"},
       [](const Rendered& d) -> EffectValue { return SetLanguage{Field(d, "language")}; }},
      {ActivityInfo::kKind, {"ticket", "page", "desa"},
       [](const Rendered& d) -> EffectValue {
         return ActivityInfo{Field(d, "ticket"), Field(d, "page"), Field(d, "desa")};
       }},
      {FollowActivity::kKind, {"ticket", "stop"},
       [](const Rendered& d) -> EffectValue {
         return FollowActivity{Field(d, "ticket"), Field(d, "stop")};
       }},
      {ActivityProgress::kKind, {"ticket", "text"},
       [](const Rendered& d) -> EffectValue {
         return ActivityProgress{Field(d, "ticket"), Field(d, "text")};
       }},
      {PrivacyInfo::kKind, {}, [](const Rendered&) -> EffectValue { return PrivacyInfo{}; }},
      {DataAccess::kKind, {}, [](const Rendered&) -> EffectValue { return DataAccess{}; }},
      {EraseData::kKind, {}, [](const Rendered&) -> EffectValue { return EraseData{}; }},
  };
  return kAll;
}

const Declarable* FindDeclarable(std::string_view kind) {
  const auto& all = Declarables();
  auto it = std::ranges::find(all, kind, &Declarable::kind);
  return it == all.end() ? nullptr : &*it;
}

json Data(const CreateCase& e) {
  return {{"type", CaseTypeName(e.type)}, {"fields", e.fields},
          {"summary", e.summary},         {"desa", e.desa},
          {"confidential", e.confidential}, {"flow", e.flow},
          {"flags", e.flags}};
}

json Data(const UpdateCase& e) {
  return {{"ticket", e.ticket}, {"fields", e.fields}, {"summary", e.summary},
          {"desa", e.desa},     {"flow", e.flow}};
}

json Data(const StatusQuery& e) {
  json out = {{"ticket", e.ticket}};
  if (e.number) out["number"] = *e.number;
  return out;
}

json Data(const Rsvp& e) {
  json out = {{"answer", e.answer}, {"reason", e.reason}};
  if (e.choice) out["choice"] = *e.choice;
  if (e.all) out["all"] = true;
  return out;
}

json Data(const JoinGroup& e) { return {{"code", e.code}, {"words", e.words}}; }
json Data(const LeaveGroup& e) {
  json data = {{"code", e.code}};
  if (e.stop) data["stop"] = true;
  return data;
}
json Data(const StaffReply& e) { return {{"ticket", e.ticket}, {"text", e.text}}; }
json Data(const ReopenCase& e) { return {{"ticket", e.ticket}}; }
json Data(const SetLanguage& e) { return {{"language", e.language}}; }
json Data(const ActivityInfo& e) {
  return {{"ticket", e.ticket}, {"page", e.page}, {"desa", e.desa}};
}
json Data(const FollowActivity& e) { return {{"ticket", e.ticket}, {"stop", e.stop}}; }
json Data(const ActivityProgress& e) { return {{"ticket", e.ticket}, {"text", e.text}}; }

// A note on the only case names it; the answer to "which case?" carries the
// list and the choice instead.
json Data(const CaseNote& e) {
  json out = {{"text", e.text}};
  if (!e.ticket.empty()) {
    out["ticket"] = e.ticket;
  } else {
    out["tickets"] = e.tickets;
    out["choice"] = e.choice;
  }
  return out;
}

json Data(const ListMeetings&) { return json::object(); }
json Data(const StaffCases&) { return json::object(); }
json Data(const OptOut&) { return json::object(); }
json Data(const OptIn&) { return json::object(); }
json Data(const PrivacyInfo&) { return json::object(); }
json Data(const DataAccess&) { return json::object(); }
json Data(const EraseData&) { return json::object(); }

}  // namespace

const char* CaseTypeName(CaseType type) {
  return type == CaseType::kPengaduan ? "pengaduan" : "usulan";
}

std::string_view KindName(const EffectValue& effect) {
  return std::visit([](const auto& e) -> std::string_view { return e.kKind; }, effect);
}

json DataOf(const EffectValue& effect) {
  return std::visit([](const auto& e) { return Data(e); }, effect);
}

std::optional<std::vector<std::string>> DeclarableFields(std::string_view kind) {
  const Declarable* d = FindDeclarable(kind);
  if (d == nullptr) return std::nullopt;
  return d->fields;
}

std::vector<std::string_view> DeclarableKinds() {
  std::vector<std::string_view> out;
  for (const Declarable& d : Declarables()) out.push_back(d.kind);
  return out;
}

std::optional<EffectValue> MakeDeclared(std::string_view kind, const Rendered& data) {
  const Declarable* d = FindDeclarable(kind);
  if (d == nullptr) return std::nullopt;
  return d->make(data);
}

}  // namespace suaradesa::dialogs
