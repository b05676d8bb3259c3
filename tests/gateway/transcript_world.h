// TranscriptWorld: the gateway that whole conversations run through in
// tests (the golden transcripts, tests/gateway/transcript_test.cc, and the
// simulated villagers, tests/gateway/conversation_test.cc): the real App
// (store, dialogs, desk, notices, inbound) on a fresh SQLite file in a
// temporary directory, with a FakeClock; no HTTP server, and nothing is sent
// (the outbox is never drained).
//
// The world is set up through the Notices service and the store interface
// as staff would set it up, from tests/dialogs/testdata/transcript_world.json:
// the demo area of TestConfig with the world's desa, the group, a staff
// member, and the people who write in; the meetings staff may schedule are
// scheduled by Invite.
#ifndef SUARADESA_TESTS_GATEWAY_TRANSCRIPT_WORLD_H_
#define SUARADESA_TESTS_GATEWAY_TRANSCRIPT_WORLD_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "gateway/app.h"
#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace suaradesa::testing {

// When every world starts: 2026-05-28, fixed.
inline constexpr int64_t kWorldStartMs = 1780000000000;

// tests/dialogs/testdata, where the conversations and their world live.
std::filesystem::path DialogTestdataDir();

// The JSON document in `file`; discarded when it does not parse.
nlohmann::json ReadJsonFile(const std::filesystem::path& file);

class TranscriptWorld {
 public:
  // `world` is a document of the shape of transcript_world.json.
  explicit TranscriptWorld(const nlohmann::json& world);

  App& app() { return *app_; }
  FakeClock& clock() { return clock_; }
  std::string logs() const { return log_.str(); }
  const nlohmann::json& data() const { return world_; }

  // The channel a message comes by: "sms" (channel "web"), "telegram"
  // (channel "tg"), or another type as given.
  ChannelInfo ChannelOf(const std::string& type) const;

  // The address of the world's person `from` on channel type `type`.
  std::string AddressOf(const std::string& from, const std::string& type) const;

  // A message from `address` saying `text`, sent now, with a provider id
  // not used before in this world.
  channels::InboundEvent MessageFrom(const std::string& address, const std::string& text);

  // Staff schedule the world's meeting `key`, inviting the world's group,
  // after adding the person at `address` (SMS) to it.
  void Invite(const std::string& key, const std::string& address);

 private:
  nlohmann::json world_;
  TempDir dir_;
  FakeClock clock_{kWorldStartMs};
  std::stringstream log_;
  std::unique_ptr<App> app_;
  desk::Actor admin_{"Admin", "admin", {}, ""};
  int provider_id_ = 0;
};

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_GATEWAY_TRANSCRIPT_WORLD_H_
