#include "tests/gateway/transcript_world.h"

#include <fstream>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {

using nlohmann::json;

std::filesystem::path DialogTestdataDir() {
  return std::filesystem::path(SUARADESA_SOURCE_DIR) / "tests" / "dialogs" / "testdata";
}

json ReadJsonFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return json::parse(buffer.str(), nullptr, false);
}

TranscriptWorld::TranscriptWorld(const json& world) : world_(world) {
  Config config = TestConfig(dir_.File("transcript.db"), "http://127.0.0.1:9",
                             "http://127.0.0.1:9/out");
  REQUIRE(config.areas.size() == 1);
  config.areas[0].desa.clear();
  for (const json& desa : world_["desa"]) {
    config.areas[0].desa.push_back({desa["code"].get<std::string>(),
                                    desa["name"].get<std::string>()});
  }
  AppDeps deps;
  deps.clock = &clock_;
  deps.log_stream = &log_;
  auto app = App::Create(std::move(config), deps);
  if (!app) FAIL("App::Create: " << app.error().front());
  app_ = std::move(*app);

  const json& group = world_["group"];
  auto created = app_->notices().CreateGroup(admin_, group);
  INFO((created ? std::string() : created.error().message));
  REQUIRE(created.has_value());

  const json& s = world_["staff"];
  storage::Staff staff{0,
                       s["name"].get<std::string>(),
                       s["role"].get<std::string>(),
                       s["position"].get<std::string>(),
                       s["level"].get<std::string>(),
                       s["areas"].get<std::vector<std::string>>(),
                       "web",
                       world_["people"]["staff"]["sms"].get<std::string>()};
  storage::Status put =
      app_->store().Transact([&](storage::Tx& tx) { return tx.PutStaff(staff); });
  INFO((put ? std::string() : put.error().message));
  REQUIRE(put.has_value());
}

ChannelInfo TranscriptWorld::ChannelOf(const std::string& type) const {
  if (type == "sms") return app_->InfoOf(*app_->channel("web"));
  if (type == "telegram") return app_->InfoOf(*app_->channel("tg"));
  return ChannelInfo{type, type, false};
}

std::string TranscriptWorld::AddressOf(const std::string& from, const std::string& type) const {
  const json& person = world_["people"][from];
  REQUIRE(person.contains(type));
  return person[type].get<std::string>();
}

channels::InboundEvent TranscriptWorld::MessageFrom(const std::string& address,
                                                    const std::string& text) {
  channels::InboundEvent event;
  event.provider_id = "transcript-" + std::to_string(++provider_id_);
  event.address = address;
  event.user_id = address;
  event.text = text;
  event.sent_at = clock_.NowMillis();
  return event;
}

void TranscriptWorld::Invite(const std::string& key, const std::string& address) {
  const std::string code = world_["group"]["code"].get<std::string>();
  auto added = app_->notices().AddMember(admin_, code, {{"phone", address}});
  INFO((added ? std::string() : added.error().message));
  REQUIRE(added.has_value());
  json meeting = world_["meetings"][key];
  REQUIRE(meeting.is_object());
  meeting["groups"] = {code};
  auto created = app_->notices().CreateMeeting(admin_, meeting);
  INFO((created ? std::string() : created.error().message));
  REQUIRE(created.has_value());
}

}  // namespace suaradesa::testing
