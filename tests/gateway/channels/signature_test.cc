#include "gateway/channels/signature.h"

#include <catch2/catch.hpp>

#include <string>

namespace suaradesa::channels {
namespace {

TEST_CASE("Signature: HmacSha256Hex matches published vectors", "[channels]") {
  struct {
    const char* key;
    std::string message;
    const char* hex;
  } cases[] = {
      // WhatsApp Business SDK test: X-Hub-Signature-256 of body "test".
      {"TEST_APP_SECRET", "test",
       "0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888221"},
      // The Wikipedia HMAC example.
      {"key", "The quick brown fox jumps over the lazy dog",
       "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"},
  };
  for (const auto& c : cases) {
    INFO(c.key);
    CHECK(HmacSha256Hex(c.key, c.message) == c.hex);
  }
}

TEST_CASE("Signature: HmacSha1Base64 reproduces Twilio's request validator vector",
          "[channels]") {
  // twilio-python tests/unit/test_request_validator.py: the URL followed by
  // each POST parameter name + value, names sorted.
  const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const std::string data = url + "CallSid" + "CA1234567890ABCDE" + "Caller" + "+14158675309" +
                           "Digits" + "1234" + "From" + "+14158675309" + "To" +
                           "+18005551212";
  CHECK(HmacSha1Base64("12345", data) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  // With bodySHA256 in the URL and no parameters.
  const std::string json_url =
      url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
  CHECK(HmacSha1Base64("12345", json_url) == "a9nBmqA0ju/hNViExpshrM61xv4=");
}

TEST_CASE("Signature: Sha256Hex hashes raw bytes", "[channels]") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex(R"({"property": "value", "boolean": true})") ==
        "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620");
  // Embedded NULs are data, not terminators.
  CHECK(Sha256Hex(std::string("a\0b", 3)) != Sha256Hex("a"));
}

TEST_CASE("Signature: an empty key is a valid HMAC key", "[channels]") {
  CHECK(HmacSha256Hex("", "").size() == 64);
  CHECK(HmacSha256Hex("", "") == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  CHECK(HmacSha256Base64("key", "The quick brown fox jumps over the lazy dog") ==
        "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");
}

TEST_CASE("Signature: ConstantTimeEquals compares bytes and lengths", "[channels]") {
  CHECK(ConstantTimeEquals("", ""));
  CHECK(ConstantTimeEquals("sha256=abc", "sha256=abc"));
  CHECK_FALSE(ConstantTimeEquals("sha256=abc", "sha256=abd"));
  CHECK_FALSE(ConstantTimeEquals("abc", "abcd"));
  CHECK_FALSE(ConstantTimeEquals("", "a"));
  CHECK_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace suaradesa::channels
