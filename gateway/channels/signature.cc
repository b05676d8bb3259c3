#include "gateway/channels/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <cstdint>

namespace suaradesa::channels {

namespace {

std::string ToHex(const unsigned char* data, size_t len) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (size_t i = 0; i < len; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0x0f]);
  }
  return out;
}

std::string ToBase64(const unsigned char* data, size_t len) {
  // EVP_EncodeBlock writes 4 bytes per 3 input bytes plus a NUL.
  std::string out(4 * ((len + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data,
                          static_cast<int>(len));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

// Returns the MAC length, or 0 if OpenSSL failed (it does not for these
// digests short of memory exhaustion).
unsigned int Hmac(const EVP_MD* md, std::string_view key, std::string_view message,
                  unsigned char* out) {
  unsigned int len = 0;
  // HMAC() with a zero-length key and a null pointer is rejected by some
  // OpenSSL builds, so always pass a valid pointer.
  static constexpr unsigned char kEmpty[1] = {0};
  const void* key_ptr =
      key.empty() ? static_cast<const void*>(kEmpty) : static_cast<const void*>(key.data());
  if (HMAC(md, key_ptr, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(),
           out, &len) == nullptr) {
    return 0;
  }
  return len;
}

}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = Hmac(EVP_sha256(), key, message, mac);
  return ToHex(mac, len);
}

std::string HmacSha1Base64(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = Hmac(EVP_sha1(), key, message, mac);
  return ToBase64(mac, len);
}

std::string HmacSha256Base64(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = Hmac(EVP_sha256(), key, message, mac);
  return ToBase64(mac, len);
}

std::string Base64(std::string_view data) {
  return ToBase64(reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

std::string BasicAuthorization(std::string_view user, std::string_view password) {
  std::string credentials(user);
  credentials += ':';
  credentials += password;
  return "Basic " + Base64(credentials);
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return ToHex(digest, sizeof(digest));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace suaradesa::channels
