// `listen.tls_cert` and `listen.tls_key`: the gateway answers HTTPS itself.
// The certificate is made in the test with OpenSSL (self-signed, for
// 127.0.0.1) and the client verifies the server against it.
#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>

#include "tests/gateway/test_gateway.h"
#include "tests/support/self_signed.h"

namespace suaradesa::testing {
namespace {

int PortOf(const std::string& base_url) {
  return std::stoi(base_url.substr(base_url.rfind(':') + 1));
}

TEST_CASE("TLS: with listen.tls_cert and tls_key the gateway answers HTTPS", "[e2e]") {
  TempDir dir;
  FakePlatform telegram;
  const std::string cert = dir.File("cert.pem");
  const std::string key = dir.File("key.pem");
  WriteSelfSigned("127.0.0.1", cert, key);
  Config cfg = TestConfig(dir.File("tls.db"), telegram.base_url(), telegram.base_url() + "/out");
  cfg.tls_cert = cert;
  cfg.tls_key = key;
  TestGateway gw(cfg);
  const int port = PortOf(gw.base_url());

  httplib::SSLClient https("127.0.0.1", port);
  https.set_ca_cert_path(cert.c_str());
  https.enable_server_certificate_verification(true);
  auto health = https.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);

  auto hook = https.Post("/webhook/tg", {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}},
                         TelegramTextUpdate(1, 4242, "MENU"), "application/json");
  REQUIRE(hook);
  CHECK(hook->status == 200);
  CHECK(StoreView(gw.app().store()).InboundCount() == 1);

  // Plain HTTP on the same port gets no answer.
  httplib::Client plain("127.0.0.1", port);
  plain.set_read_timeout(2, 0);
  auto refused = plain.Get("/healthz");
  CHECK_FALSE(refused);
}

TEST_CASE("TLS: a certificate that cannot be loaded stops start-up", "[e2e]") {
  TempDir dir;
  FakePlatform telegram;
  Config cfg = TestConfig(dir.File("tls.db"), telegram.base_url(), telegram.base_url() + "/out");
  cfg.tls_cert = dir.File("missing-cert.pem");
  cfg.tls_key = dir.File("missing-key.pem");
  CHECK_THROWS_AS(TestGateway(cfg), std::runtime_error);
}

}  // namespace
}  // namespace suaradesa::testing
