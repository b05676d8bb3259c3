// Locale catalogues: every user-visible text, keyed, per language.
//
// A catalogue is a JSON object of flat dotted keys to texts with {named}
// placeholders:
//   {"usulan.done": "Thank you. Your proposal number is {ticket}."}
// id.json is the reference and must be complete. Any other language may lack
// keys (they fall back to id) but may not have keys id.json lacks, and each
// text must use exactly the placeholders its id.json text uses. Keys whose
// name starts with "_" (e.g. "_comment") are ignored.
//
// Thread safety: a loaded Catalog is immutable.
#ifndef SUARADESA_DIALOGS_CATALOG_H_
#define SUARADESA_DIALOGS_CATALOG_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace suaradesa::dialogs {

inline constexpr char kReferenceLanguage[] = "id";

// The placeholder names in `text`: "{ticket} {status}" -> {ticket, status}.
std::set<std::string> Placeholders(std::string_view text);

// Replaces each {name} with params[name]: strings as is, numbers and booleans
// as JSON writes them. A placeholder without a parameter stays as written, so
// a missing value is visible rather than silently empty.
std::string Substitute(std::string_view text, const nlohmann::json& params);

class Catalog {
 public:
  Catalog() = default;

  // Loads catalogues from file name ("id.json") -> JSON text. Appends one
  // line per problem to `problems` (naming the file and key) and returns
  // false if there was any; the Catalog then holds whatever did load.
  bool Load(const std::map<std::string, std::string>& files,
            std::vector<std::string>* problems);

  // True if the reference catalogue has `key`.
  bool Has(const std::string& key) const;

  // The text for `key` in `language` (a tag such as "en" or "en-US"), falling
  // back to id; nullopt if id lacks it too.
  std::optional<std::string> Find(const std::string& key,
                                  const std::string& language) const;

  // Find + Substitute. An unknown key renders as the key itself.
  std::string Render(const std::string& key, const nlohmann::json& params,
                     const std::string& language) const;

  // Languages loaded, e.g. {"en", "id"}.
  std::vector<std::string> Languages() const;

  // Every key of one language; empty if the language is not loaded.
  std::vector<std::string> Keys(const std::string& language) const;

 private:
  // language -> key -> text
  std::map<std::string, std::map<std::string, std::string>> texts_;
};

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_CATALOG_H_
