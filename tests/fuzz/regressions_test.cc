// Replays every seed (tests/fuzz/seeds/<target>/) and every input a fuzzer
// ever crashed on (tests/fuzz/regressions/<target>/) through its target in
// tests/fuzz/targets.h, with the normal build. A target checks its own
// invariants and aborts when one breaks, so a regression stops this binary
// with the broken invariant on stderr; the INFO names the file.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/fuzz/targets.h"

namespace suaradesa::fuzz {
namespace {

namespace fs = std::filesystem;

const fs::path& FuzzDir() {
  static const fs::path dir = fs::path(SUARADESA_SOURCE_DIR) / "tests" / "fuzz";
  return dir;
}

// The files directly under dir, sorted; none when it does not exist.
std::vector<fs::path> FilesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs every file of tests/fuzz/<kind>/<target>/ through its target.
// Returns how many it ran.
size_t Replay(const char* kind) {
  size_t count = 0;
  for (const FuzzTarget& target : FuzzTargets()) {
    for (const fs::path& file : FilesIn(FuzzDir() / kind / target.name)) {
      INFO(file.string());
      const std::string input = ReadFile(file);
      CHECK(target.function(reinterpret_cast<const uint8_t*>(input.data()), input.size()) == 0);
      ++count;
    }
  }
  return count;
}

TEST_CASE("Fuzz: every target has seeds, and they pass its invariants", "[fuzz]") {
  for (const FuzzTarget& target : FuzzTargets()) {
    INFO(target.name);
    CHECK_FALSE(FilesIn(FuzzDir() / "seeds" / target.name).empty());
    CHECK(FindFuzzTarget(target.name) == &target);
  }
  CHECK(Replay("seeds") > 0);
}

TEST_CASE("Fuzz: every input that once crashed a target passes now", "[fuzz]") {
  Replay("regressions");
}

// The shared corpus of real messages may not be copied into the tree; it is
// read where it is, when this checkout has it next to it.
TEST_CASE("Fuzz: real messages pass every target", "[fuzz]") {
  const fs::path corpus = fs::path(SUARADESA_SOURCE_DIR) / ".." / "shared" / "corpus" /
                          "real_sms.jsonl";
  if (!fs::is_regular_file(corpus)) return;
  std::ifstream in(corpus);
  std::string line;
  size_t count = 0;
  while (std::getline(in, line)) {
    const nlohmann::json row = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!row.is_object() || !row.contains("text") || !row["text"].is_string()) continue;
    const std::string& text = row["text"].get_ref<const std::string&>();
    for (const FuzzTarget& target : FuzzTargets()) {
      INFO(target.name << ": " << text);
      CHECK(target.function(reinterpret_cast<const uint8_t*>(text.data()), text.size()) == 0);
    }
    ++count;
  }
  CHECK(count > 0);
}

TEST_CASE("Fuzz: every seed and regression folder names a target", "[fuzz]") {
  for (const char* kind : {"seeds", "regressions"}) {
    const fs::path dir = FuzzDir() / kind;
    if (!fs::is_directory(dir)) continue;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
      INFO(entry.path().string());
      CHECK(entry.is_directory());
      CHECK(FindFuzzTarget(entry.path().filename().string()) != nullptr);
    }
  }
}

TEST_CASE("Fuzz: the empty input and stray bytes pass every target", "[fuzz]") {
  const std::vector<std::string> inputs = {
      "", std::string(1, '\0'), "\xff\xfe", "\n\n", "{}", "[]", "null", "%", "\xf0\x9f\x98",
  };
  for (const FuzzTarget& target : FuzzTargets()) {
    for (const std::string& input : inputs) {
      INFO(target.name);
      CHECK(target.function(reinterpret_cast<const uint8_t*>(input.data()), input.size()) == 0);
    }
  }
}

}  // namespace
}  // namespace suaradesa::fuzz
