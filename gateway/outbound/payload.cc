#include "gateway/outbound/payload.h"

#include <nlohmann/json.hpp>

namespace suaradesa {

using nlohmann::json;

OutboundPayload OutboundPayload::Of(const dialogs::Reply& reply) {
  OutboundPayload p;
  p.text = reply.text;
  for (const dialogs::Choice& c : reply.choices) p.choices.push_back({c.id, c.label});
  return p;
}

OutboundPayload OutboundPayload::Text(std::string text, std::string key) {
  OutboundPayload p;
  p.text = std::move(text);
  p.key = std::move(key);
  return p;
}

std::string ToJson(const OutboundPayload& payload) {
  json p = {{"text", payload.text}};
  if (!payload.choices.empty()) {
    json choices = json::array();
    for (const auto& c : payload.choices) choices.push_back({{"id", c.id}, {"label", c.label}});
    p["choices"] = std::move(choices);
  }
  if (!payload.key.empty()) p["key"] = payload.key;
  if (payload.notice) p["notice"] = true;
  if (payload.meeting) p["meeting"] = *payload.meeting;
  if (!payload.notice_kind.empty()) p["notice_kind"] = payload.notice_kind;
  if (payload.broadcast) p["broadcast"] = *payload.broadcast;
  return p.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<OutboundPayload> FromJson(const std::string& payload_json) {
  const json p = json::parse(payload_json, nullptr, /*allow_exceptions=*/false);
  if (!p.is_object()) return std::nullopt;
  auto text = p.find("text");
  if (text == p.end() || !text->is_string()) return std::nullopt;
  OutboundPayload out;
  out.text = text->get<std::string>();
  if (auto choices = p.find("choices"); choices != p.end() && !choices->is_null()) {
    if (!choices->is_array()) return std::nullopt;
    for (const json& c : *choices) {
      if (!c.is_object()) return std::nullopt;
      auto id = c.find("id");
      auto label = c.find("label");
      if (id == c.end() || !id->is_string()) return std::nullopt;
      channels::ChoiceOut choice;
      choice.id = id->get<std::string>();
      if (label != c.end() && label->is_string()) choice.label = label->get<std::string>();
      out.choices.push_back(std::move(choice));
    }
  }
  if (auto key = p.find("key"); key != p.end() && key->is_string()) out.key = *key;
  if (auto notice = p.find("notice"); notice != p.end() && notice->is_boolean()) {
    out.notice = *notice;
  }
  if (auto meeting = p.find("meeting"); meeting != p.end() && meeting->is_number_integer()) {
    out.meeting = meeting->get<int64_t>();
  }
  if (auto kind = p.find("notice_kind"); kind != p.end() && kind->is_string()) {
    out.notice_kind = *kind;
  }
  if (auto b = p.find("broadcast"); b != p.end() && b->is_number_integer()) {
    out.broadcast = b->get<int64_t>();
  }
  return out;
}

}  // namespace suaradesa
