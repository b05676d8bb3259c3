// What several dialog tests share: the demo places the golden transcripts
// and the conversation runner use, and reading a JSON-lines example set.
#ifndef SUARADESA_TESTS_DIALOGS_TESTDATA_H_
#define SUARADESA_TESTS_DIALOGS_TESTDATA_H_

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dialogs/engine.h"

namespace suaradesa::dialogs {

// Kecamatan Rogojampi, four desa, and two dusun of Gitik.
inline Options DemoPlaces() {
  Options options;
  options.places = {
      {"3510070", "Rogojampi", ""},
      {"3510070001", "Gitik", "3510070"},
      {"3510070002", "Kaotan", "3510070"},
      {"3510070003", "Lemahbang Kulon", "3510070"},
      {"3510070004", "Lemahbang Dewo", "3510070"},
      {"3510070001001", "Krajan", "3510070001"},
      {"3510070001002", "Sumberwaru", "3510070001"},
  };
  return options;
}

// One JSON value per non-empty line; a line that is no JSON fails the test.
inline std::vector<nlohmann::json> ReadJsonLines(const std::filesystem::path& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  REQUIRE(in.good());
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    REQUIRE_FALSE(record.is_discarded());
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_TESTS_DIALOGS_TESTDATA_H_
