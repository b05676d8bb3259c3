// Board: the public Papan Informasi of each desa, as one HTML page that
// needs no login, no script and nothing from elsewhere (CSS inline), reads
// on a cheap phone and prints on A4 for the board in the balai desa.
//
// A desa's page shows its activities (budget, tranches, progress, the last
// notes), its upcoming meetings (title, forum, local date and time, place;
// never who is invited), its proposals by forum and status, and its
// complaints by category and status with the share answered within the
// desk's deadline. It never shows a name, a phone number, an address, a
// complaint's text, a pseudonym or a TPK member: only what staff wrote for
// the public (titles, places, progress notes) and counts, the small ones
// hidden by the rule of small_counts.h. Every text is HTML-escaped.
//
// Labels are catalogue keys under "papan." (locales/id.json).
//
// The page is public and needs no login, so anyone may ask for it in a loop:
// a desa's page is built at most once a minute (by the injected Clock) and
// served from memory in between, one entry per configured desa.
//
// Thread safety: the methods may be called from many threads at once; each
// page is read in one read transaction.
#ifndef SUARADESA_GATEWAY_PAPAN_BOARD_H_
#define SUARADESA_GATEWAY_PAPAN_BOARD_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "dialogs/engine.h"
#include "gateway/clock.h"
#include "gateway/config.h"
#include "storage/store.h"

namespace suaradesa::papan {

class Board {
 public:
  // All references must outlive the Board.
  Board(storage::Store& store, const Config& config, const dialogs::Dialogs& dialogs,
        const Clock& clock);

  // The page of the desa with this code; nullopt when the config has no
  // such desa; a store error when it cannot be read.
  storage::Result<std::optional<std::string>> DesaPage(const std::string& code) const;
  // Every configured desa, by kecamatan, each a link to its page.
  std::string IndexPage() const;
  // A short page of papan.<which>_title and papan.<which>_text: "not_found"
  // for an unknown desa (404), "unavailable" when the store failed (503).
  std::string MessagePage(const std::string& which) const;

  // Upcoming meetings shown at most.
  static constexpr size_t kMaxMeetings = 10;
  // Progress notes shown per activity at most (the newest).
  static constexpr size_t kMaxNotes = 3;
  // How long a built page is served before it is built again.
  static constexpr int64_t kFreshMs = 60 * 1000;

 private:
  // The catalogue's text for `key`, HTML-escaped.
  std::string Label(const std::string& key,
                    const nlohmann::json& params = nlohmann::json::object()) const;
  std::string Page(const std::string& title, const std::string& body) const;
  // Builds the page of a configured desa from the store.
  storage::Result<std::string> BuildDesaPage(const AreaConfig& area,
                                             const std::string& code) const;

  storage::Store& store_;
  const Config& config_;
  const dialogs::Dialogs& dialogs_;
  const Clock& clock_;

  struct Built {
    int64_t at = 0;
    std::string html;
  };
  mutable std::mutex mu_;
  // Guarded by mu_: the last page built per desa code.
  mutable std::map<std::string, Built> built_;
};

}  // namespace suaradesa::papan

#endif  // SUARADESA_GATEWAY_PAPAN_BOARD_H_
