#include "dialogs/catalog.h"

#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

bool IsPlaceholderChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.';
}

std::string JoinSet(const std::set<std::string>& s) {
  std::string out = "{";
  for (const std::string& x : s) {
    if (out.size() > 1) out += ",";
    out += x;
  }
  return out + "}";
}

// "en-US" -> "en".
std::string BaseLanguage(const std::string& language) {
  std::string lower = Lowercase(language);
  size_t cut = lower.find_first_of("-_");
  return cut == std::string::npos ? lower : lower.substr(0, cut);
}

}  // namespace

std::set<std::string> Placeholders(std::string_view text) {
  std::set<std::string> names;
  size_t pos = 0;
  while ((pos = text.find('{', pos)) != std::string_view::npos) {
    size_t end = pos + 1;
    while (end < text.size() && IsPlaceholderChar(text[end])) ++end;
    if (end < text.size() && text[end] == '}' && end > pos + 1) {
      names.insert(std::string(text.substr(pos + 1, end - pos - 1)));
      pos = end + 1;
    } else {
      pos = pos + 1;
    }
  }
  return names;
}

std::string Substitute(std::string_view text, const nlohmann::json& params) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find('{', pos);
    if (open == std::string_view::npos) break;
    size_t end = open + 1;
    while (end < text.size() && IsPlaceholderChar(text[end])) ++end;
    out.append(text.substr(pos, open - pos));
    if (end < text.size() && text[end] == '}' && end > open + 1) {
      std::string name(text.substr(open + 1, end - open - 1));
      if (params.is_object() && params.contains(name) &&
          !params[name].is_null()) {
        const nlohmann::json& v = params[name];
        out += v.is_string() ? v.get<std::string>() : v.dump();
      } else {
        out.append(text.substr(open, end - open + 1));
      }
      pos = end + 1;
    } else {
      out.push_back('{');
      pos = open + 1;
    }
  }
  if (pos < text.size()) out.append(text.substr(pos));
  return out;
}

bool Catalog::Load(const std::map<std::string, std::string>& files,
                   std::vector<std::string>* problems) {
  size_t before = problems->size();
  for (const auto& [file, text] : files) {
    if (!file.ends_with(".json")) {
      problems->push_back(file + ": a locale file must be named <language>.json");
      continue;
    }
    std::string language = file.substr(0, file.size() - 5);
    std::string error;
    std::optional<nlohmann::json> doc = ParseJson(text, &error);
    if (!doc) {
      problems->push_back(file + ": " + error);
      continue;
    }
    if (!doc->is_object()) {
      problems->push_back(file + ": expected an object of key -> text");
      continue;
    }
    std::map<std::string, std::string>& texts = texts_[language];
    for (const auto& [key, value] : doc->items()) {
      if (key.starts_with("_")) continue;
      if (!value.is_string()) {
        problems->push_back(file + ": " + key + ": expected a string");
        continue;
      }
      if (value.get<std::string>().empty()) {
        problems->push_back(file + ": " + key + ": empty text");
        continue;
      }
      texts[key] = value.get<std::string>();
    }
  }
  auto reference = texts_.find(kReferenceLanguage);
  if (reference == texts_.end()) {
    problems->push_back(std::string(kReferenceLanguage) +
                        ".json: missing; it is the reference catalogue");
    return false;
  }
  for (const auto& [language, texts] : texts_) {
    if (language == kReferenceLanguage) continue;
    for (const auto& [key, text] : texts) {
      auto ref = reference->second.find(key);
      std::string where = language + ".json: " + key + ": ";
      if (ref == reference->second.end()) {
        problems->push_back(where + "not in id.json");
        continue;
      }
      std::set<std::string> mine = Placeholders(text);
      std::set<std::string> theirs = Placeholders(ref->second);
      if (mine != theirs) {
        problems->push_back(where + "placeholders " + JoinSet(mine) +
                            " differ from id.json's " + JoinSet(theirs));
      }
    }
  }
  return problems->size() == before;
}

bool Catalog::Has(const std::string& key) const {
  auto reference = texts_.find(kReferenceLanguage);
  return reference != texts_.end() && reference->second.contains(key);
}

std::optional<std::string> Catalog::Find(const std::string& key,
                                         const std::string& language) const {
  for (const std::string& lang :
       {BaseLanguage(language), std::string(kReferenceLanguage)}) {
    auto texts = texts_.find(lang);
    if (texts == texts_.end()) continue;
    auto text = texts->second.find(key);
    if (text != texts->second.end()) return text->second;
  }
  return std::nullopt;
}

std::string Catalog::Render(const std::string& key,
                            const nlohmann::json& params,
                            const std::string& language) const {
  std::optional<std::string> text = Find(key, language);
  if (!text) return key;
  return Substitute(*text, params);
}

std::vector<std::string> Catalog::Languages() const {
  std::vector<std::string> out;
  for (const auto& [language, texts] : texts_) out.push_back(language);
  return out;
}

std::vector<std::string> Catalog::Keys(const std::string& language) const {
  std::vector<std::string> out;
  auto texts = texts_.find(language);
  if (texts == texts_.end()) return out;
  for (const auto& [key, text] : texts->second) out.push_back(key);
  return out;
}

}  // namespace suaradesa::dialogs
