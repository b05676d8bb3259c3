// `listen.tls_cert` and `listen.tls_key`: the gateway answers HTTPS itself.
// The certificate is made in the test with OpenSSL (self-signed, for
// 127.0.0.1) and the client verifies the server against it.
#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

// Writes a self-signed P-256 certificate for IP 127.0.0.1 and its key.
void WriteSelfSigned(const std::string& cert_path, const std::string& key_path) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  REQUIRE(key);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  REQUIRE(cert);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  REQUIRE(X509_set_pubkey(cert.get(), key.get()) == 1);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    REQUIRE(ext != nullptr);
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);

  BIO* cert_out = BIO_new_file(cert_path.c_str(), "w");
  REQUIRE(cert_out != nullptr);
  PEM_write_bio_X509(cert_out, cert.get());
  BIO_free(cert_out);
  BIO* key_out = BIO_new_file(key_path.c_str(), "w");
  REQUIRE(key_out != nullptr);
  PEM_write_bio_PrivateKey(key_out, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  BIO_free(key_out);
}

int PortOf(const std::string& base_url) {
  return std::stoi(base_url.substr(base_url.rfind(':') + 1));
}

TEST_CASE("TLS: with listen.tls_cert and tls_key the gateway answers HTTPS", "[e2e]") {
  TempDir dir;
  FakePlatform telegram;
  const std::string cert = dir.File("cert.pem");
  const std::string key = dir.File("key.pem");
  WriteSelfSigned(cert, key);
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
