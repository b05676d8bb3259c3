// Helpers for the per-channel end-to-end tests: the channels of issue 4
// added to TestConfig, signed requests built as each platform builds them,
// and fake platform answers in each platform's shape.
#ifndef SUARADESA_TESTS_GATEWAY_CHANNELS_E2E_H_
#define SUARADESA_TESTS_GATEWAY_CHANNELS_E2E_H_

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/channels/signature.h"
#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {

// What the store says about the contact reached at `address` (any channel),
// read through the store interface as the gateway reads it.
struct ContactView {
  bool exists = false;
  int64_t inbound = 0;    // messages recorded from them
  std::string open_flow;  // the dialog open with them; empty: none
};

inline ContactView ContactAt(storage::Store& store, const std::string& address) {
  ContactView view;
  auto status = store.Transact([&](storage::Tx& tx) -> storage::Status {
    auto id = tx.FindContactByAddress(address);
    if (!id) return std::unexpected(id.error());
    if (!id->has_value()) return {};
    view.exists = true;
    auto recent = tx.RecentInboundOf(**id, 0);
    if (!recent) return std::unexpected(recent.error());
    view.inbound = recent->total;
    auto session = tx.GetSession(**id);
    if (!session) return std::unexpected(session.error());
    view.open_flow = session->flow;
    return {};
  });
  REQUIRE(status.has_value());
  return view;
}

constexpr const char* kWaPhoneNumberId = "106540352242922";
constexpr const char* kWaAccessToken = "EAAG-e2e-access-token";
constexpr const char* kWaAppSecret = "wa-e2e-app-secret";
constexpr const char* kWaVerifyToken = "wa-e2e-verify-token";
constexpr const char* kTwilioSid = "AC00000000000000000000000000000e2e";
constexpr const char* kTwilioToken = "twilio-e2e-auth-token";
constexpr const char* kTwilioFrom = "+6281100000000";
constexpr const char* kPhoneUser = "sms";
constexpr const char* kPhonePassword = "phone-e2e-password";
constexpr const char* kPhoneKey = "phone-e2e-signing-key";

// The answers of a whole proposal, as tests/gateway/server_test.cc gives
// them (the usulan flow may ask more: UntilTicket keeps answering).
inline const std::vector<std::string>& UsulanAnswers() {
  static const std::vector<std::string> kAnswers = {
      "USUL", "Perbaikan jalan desa", "Gitik", "Dusun Krajan RT 02", "300 m", "40 KK", "10",
      "20", "5 jt", "tenaga gotong royong", "Kelompok Tani Maju", "3", "ya"};
  return kAnswers;
}

inline channels::ChannelSettings Settings(const Config& cfg, const std::string& id,
                                          const std::string& type,
                                          std::map<std::string, std::string> values) {
  channels::ChannelSettings s;
  s.id = id;
  s.type = type;
  s.values = std::move(values);
  s.public_url = cfg.public_url;
  return s;
}

// Adds the WhatsApp channel "wa" (API at api_base, a notice template).
inline void AddWhatsApp(Config& cfg, const std::string& api_base) {
  cfg.channels.push_back(Settings(
      cfg, "wa", "whatsapp",
      {{"phone_number_id", kWaPhoneNumberId}, {"access_token", kWaAccessToken},
       {"app_secret", kWaAppSecret}, {"verify_token", kWaVerifyToken},
       {"api_base", api_base},
       {"templates", R"({"notice":{"name":"pemberitahuan","language":"id"}})"}}));
}

// Adds the Twilio channel "sms" (REST API at api_base).
inline void AddTwilio(Config& cfg, const std::string& api_base) {
  cfg.channels.push_back(Settings(cfg, "sms", "twilio",
                                  {{"account_sid", kTwilioSid}, {"auth_token", kTwilioToken},
                                   {"from", kTwilioFrom}, {"api_base", api_base}}));
}

// Adds the Android SMS gateway channel "hp" (the phone's API at url).
inline void AddAndroidSms(Config& cfg, const std::string& url) {
  cfg.channels.push_back(Settings(cfg, "hp", "android_sms",
                                  {{"url", url}, {"username", kPhoneUser},
                                   {"password", kPhonePassword}, {"signing_key", kPhoneKey}}));
}

// A fake platform answer handler that numbers the ids it hands out.
inline FakePlatform::Handler Numbered(std::function<FakeResponse(int)> make) {
  auto counter = std::make_shared<std::atomic<int>>(0);
  return [counter, make](const RecordedRequest&) { return make(++*counter); };
}

// Keeps saying `answers`, then "ya", until a reply holds a ticket; `say`
// sends one text and returns the HTTP status, `replies` lists what was sent
// back so far. Returns the reply with the ticket, or "".
inline std::string UntilTicket(const std::function<int(const std::string&)>& say,
                               const std::function<void()>& drain,
                               const std::function<std::vector<std::string>()>& replies,
                               const std::string& prefix) {
  std::vector<std::string> answers = UsulanAnswers();
  for (int i = 0; i < 6; ++i) answers.push_back("ya");
  for (const std::string& text : answers) {
    REQUIRE(say(text) == 200);
    drain();
    for (const std::string& r : replies()) {
      if (r.find(prefix) != std::string::npos) return r;
    }
  }
  return "";
}

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_GATEWAY_CHANNELS_E2E_H_
