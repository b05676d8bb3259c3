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
// JSON allows a string escape to name half of a UTF-16 surrogate pair on
// its own ("\ud83d" with no low half after it); nlohmann refuses such a
// document, and platforms do send them (a message cut inside an emoji).
// Parse first tries the text as given; only when that fails and the text
// holds a lone surrogate escape is each lone half replaced by "\ufffd"
// (U+FFFD) and the text parsed again. Escapes of complete pairs are kept.
// Signatures are checked over the raw bytes before any of this.
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

namespace internal {

// The value of the four hex digits at text[pos..pos+4), or -1.
inline int HexQuad(std::string_view text, size_t pos) {
  if (pos + 4 > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + 4; ++i) {
    const char c = text[i];
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

inline bool IsHighSurrogate(int unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
inline bool IsLowSurrogate(int unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

}  // namespace internal

// text with every "\uXXXX" escape (inside a JSON string) that names a lone
// surrogate replaced by "\ufffd". A high surrogate escape directly followed
// by a low surrogate escape is a pair and kept; everything else (other
// escapes, "\\u" which is an escaped backslash, text outside strings) is
// copied unchanged. Linear; it does not validate the JSON.
inline std::string ReplaceLoneSurrogateEscapes(std::string_view text) {
  using internal::HexQuad;
  using internal::IsHighSurrogate;
  using internal::IsLowSurrogate;
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (!in_string) {
      if (c == '"') in_string = true;
      out.push_back(c);
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = false;
      out.push_back(c);
      ++i;
      continue;
    }
    if (c != '\\' || i + 1 >= text.size()) {
      out.push_back(c);
      ++i;
      continue;
    }
    if (text[i + 1] != 'u') {
      // A two-character escape such as \" or \\: copied whole, so its
      // second character is never read as a quote or a backslash.
      out.append(text.substr(i, 2));
      i += 2;
      continue;
    }
    const int unit = HexQuad(text, i + 2);
    if (IsHighSurrogate(unit) && i + 12 <= text.size() && text[i + 6] == '\\' &&
        text[i + 7] == 'u' && IsLowSurrogate(HexQuad(text, i + 8))) {
      out.append(text.substr(i, 12));  // a whole pair
      i += 12;
      continue;
    }
    if (IsHighSurrogate(unit) || IsLowSurrogate(unit)) {
      out += "\\ufffd";
      i += 6;
      continue;
    }
    out.append(text.substr(i, 2));  // "\u"; the digits follow as plain text
    i += 2;
  }
  return out;
}

// Parses untrusted JSON without throwing: a discarded value (is_discarded())
// when the text is not JSON or nests more than kMaxDepth deep.
inline json Parse(std::string_view text) {
  if (TooDeep(text)) return json(json::value_t::discarded);
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) return doc;
  const std::string repaired = ReplaceLoneSurrogateEscapes(text);
  if (repaired == text) return doc;
  return json::parse(repaired, nullptr, /*allow_exceptions=*/false);
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
