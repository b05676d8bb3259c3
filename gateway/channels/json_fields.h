// Typed, non-throwing access to fields of untrusted JSON (webhook bodies,
// platform answers). nlohmann's value() and get() throw on a type mismatch;
// these return nullopt or nullptr instead.
//
// Thread safety: pure functions.
#ifndef SUARADESA_GATEWAY_CHANNELS_JSON_FIELDS_H_
#define SUARADESA_GATEWAY_CHANNELS_JSON_FIELDS_H_

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace suaradesa::channels::json_fields {

using nlohmann::json;

// The member `key` of obj, or nullptr when obj is not an object or lacks it.
inline const json* Field(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

inline std::optional<std::string> String(const json& obj, const char* key) {
  const json* f = Field(obj, key);
  if (f == nullptr || !f->is_string()) return std::nullopt;
  return f->get<std::string>();
}

inline std::optional<double> Number(const json& obj, const char* key) {
  const json* f = Field(obj, key);
  if (f == nullptr || !f->is_number()) return std::nullopt;
  return f->get<double>();
}

// An integer given as a JSON integer or as a string of digits (WhatsApp
// sends timestamps as strings, Twilio sends counts as strings).
inline std::optional<int64_t> Integer(const json& obj, const char* key) {
  const json* f = Field(obj, key);
  if (f == nullptr) return std::nullopt;
  if (f->is_number_integer()) return f->get<int64_t>();
  if (!f->is_string()) return std::nullopt;
  const std::string& s = f->get_ref<const std::string&>();
  int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// A dump that never throws on invalid UTF-8 (it is replaced).
inline std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace suaradesa::channels::json_fields

#endif  // SUARADESA_GATEWAY_CHANNELS_JSON_FIELDS_H_
