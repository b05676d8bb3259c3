#include "storage/sql/migrations.h"

#include <cctype>

namespace suaradesa::storage {

Result<std::vector<Migration>> ParseMigrations(const std::map<std::string, std::string>& files) {
  std::vector<Migration> out;
  for (const auto& [name, sql] : files) {
    size_t digits = 0;
    while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) {
      ++digits;
    }
    if (digits == 0 || digits > 9) {
      return std::unexpected(Error::Invalid("migration " + name + " does not start with a version"));
    }
    const int version = std::stoi(name.substr(0, digits));
    if (!out.empty() && version <= out.back().version) {
      return std::unexpected(Error::Invalid("migration " + name + " repeats or reorders version " +
                                            std::to_string(version)));
    }
    out.push_back({version, name, &sql});
  }
  return out;
}

}  // namespace suaradesa::storage
