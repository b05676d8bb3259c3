#include "tests/support/self_signed.h"

#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <utility>

namespace suaradesa::testing {

void WriteSelfSigned(const std::string& common_name, const std::string& cert_path,
                     const std::string& key_path) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  REQUIRE(key);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  REQUIRE(cert);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  REQUIRE(X509_set_pubkey(cert.get(), key.get()) == 1);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), subject);
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

  BIO* cert_out = BIO_new_file((cert_path + ".new").c_str(), "w");
  REQUIRE(cert_out != nullptr);
  PEM_write_bio_X509(cert_out, cert.get());
  BIO_free(cert_out);
  BIO* key_out = BIO_new_file((key_path + ".new").c_str(), "w");
  REQUIRE(key_out != nullptr);
  PEM_write_bio_PrivateKey(key_out, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  BIO_free(key_out);
  REQUIRE(std::rename((cert_path + ".new").c_str(), cert_path.c_str()) == 0);
  REQUIRE(std::rename((key_path + ".new").c_str(), key_path.c_str()) == 0);
}

}  // namespace suaradesa::testing
