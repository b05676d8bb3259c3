// KeywordList: the index of a long list finds every entry that comparing
// each entry in turn would find, word forms and slips of the thumb included.
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dialogs/parsers/keyword_list.h"
#include "dialogs/parsers/keywords.h"
#include "tests/dialogs/testdata.h"

namespace suaradesa::dialogs {
namespace {

// Long enough that matching goes through the index.
KeywordList LongList() {
  KeywordList list;
  for (const char* phrase :
       {"usul", "usulan", "adu", "aduan", "lapor", "rapat", "jadwal", "kirim info", "batal",
        "status", "cek", "gabung", "keluar", "berhenti", "stop", "mulai", "info", "menu", "halo",
        "terima kasih", "jalan rusak", "dana desa", "dipotong", "pungli", "lampu jalan",
        "sumur bor", "posyandu", "kelompok tani", "bantuan", "kapan", "dimana", "tolong", "tiket",
        "nomor", "pertemuan", "musyawarah", "undangan", "hadir", "tidak bisa", "wadul"}) {
    list.push_back(KeywordWords(phrase));
  }
  return list;
}

TEST_CASE("KeywordList: a long list finds what each of its entries finds alone",
          "[dialogs][keywords]") {
  const KeywordList list = LongList();
  const std::set<std::string> not_keywords = {"rabat", "bata"};
  // Every held-out blind line and every real SMS: many words, many writers.
  std::vector<std::filesystem::path> files;
  const std::filesystem::path source(SUARADESA_SOURCE_DIR);
  for (const auto& e : std::filesystem::directory_iterator(source / "tests/dialogs/testdata")) {
    if (e.path().filename().string().starts_with("routing_blind")) files.push_back(e.path());
  }
  REQUIRE(files.size() >= 10);
  size_t lines = 0;
  size_t found = 0;
  for (const auto& file : files) {
    for (const nlohmann::json& c : ReadJsonLines(file)) {
      const std::string text = c.value("text", "");
      const KeywordText words(text);
      const std::vector<KeywordMatch> each = FindEach(words, list, not_keywords);
      size_t next = 0;
      for (size_t k = 0; k < list.size(); ++k) {
        // A list of one entry is compared word by word, never indexed.
        const std::vector<KeywordMatch> alone = FindEach(words, KeywordList{list[k]}, not_keywords);
        const bool in_long = next < each.size() && each[next].keyword_index == k;
        INFO(text << " / entry " << k);
        REQUIRE(in_long == !alone.empty());
        if (!in_long) continue;
        CHECK(each[next].position == alone[0].position);
        CHECK(each[next].typos == alone[0].typos);
        CHECK(each[next].rest == alone[0].rest);
        ++next;
        ++found;
      }
      ++lines;
    }
  }
  // The lines do name these words: the comparison is not empty.
  CHECK(lines > 2000);
  CHECK(found > lines / 2);
}

TEST_CASE("KeywordList: forms, typos and swapped first letters reach their entry",
          "[dialogs][keywords]") {
  const KeywordList list = LongList();
  REQUIRE(list.size() >= 8);
  const auto index_of = [&](const char* text) -> int {
    std::optional<KeywordMatch> m = FindKeyword(text, list, {"rabat"});
    return m ? static_cast<int>(m->keyword_index) : -1;
  };
  CHECK(index_of("mau ngusulin sumur") == 0);           // a chat form of "usul"
  CHECK(index_of("saya mau usull") == 0);               // a doubled letter
  CHECK(index_of("suul jalan") == 0);                   // the first two letters swapped
  CHECK(index_of("mau laopr pak") == 4);                // a long word, one edit
  CHECK(index_of("mau lapr pak") == 4);                 // a long word, one letter short
  CHECK(index_of("kulo badhe wadul") == 2);             // a regional form of "adu", listed first
  CHECK(index_of("jalan rabat beton") == -1);           // a real word, no typo of "rapat"
  CHECK(index_of("jadwal rapat") == 6);                 // the earliest wins
  CHECK(index_of("terima kasih banyak") == 19);         // two words
  // Single words, as written or as a form of the typed word.
  const KeywordText words("ngusulin usulan kami");
  CHECK(list.HasSingleWord(words.tokens()[0].forms, words.tokens()[0].form_hashes));
  const KeywordText other("jalan rusak");
  CHECK_FALSE(list.HasSingleWord(other.tokens()[0].forms, other.tokens()[0].form_hashes));
}

}  // namespace
}  // namespace suaradesa::dialogs
