// Typed, non-throwing access to fields of untrusted JSON (webhook bodies,
// platform answers). nlohmann's value() and get() throw on a type mismatch;
// these return nullopt or nullptr instead.
//
// Every parse of JSON from outside (webhook and API request bodies,
// platform answers) goes through Parse: nlohmann parses deep nesting
// without trouble, but copying such a value recurses once per level and
// 160,000 levels overflow the stack. Parse refuses more than kMaxDepth
// levels by a scan of the raw bytes, before any tree is built.
//
// Thread safety: pure functions.
#ifndef SUARADESA_GATEWAY_CHANNELS_JSON_FIELDS_H_
#define SUARADESA_GATEWAY_CHANNELS_JSON_FIELDS_H_

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace suaradesa::channels::json_fields {

using nlohmann::json;

// Arrays and objects nested deeper than this are refused. No platform or
// client of ours sends more than about 8.
constexpr int kMaxDepth = 64;

// True when `text` nests arrays and objects (outside strings) more than
// `max_depth` deep. Linear, no allocation; it does not validate the JSON.
inline bool TooDeep(std::string_view text, int max_depth = kMaxDepth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

// Parses untrusted JSON without throwing: a discarded value (is_discarded())
// when the text is not JSON or nests more than kMaxDepth deep.
inline json Parse(std::string_view text) {
  if (TooDeep(text)) return json(json::value_t::discarded);
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

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
