// Message authentication helpers for webhook signatures and signed requests:
// HMAC-SHA256 and HMAC-SHA1 (as used by Meta, Twilio, LINE, the generic HTTP
// channel), SHA-256, and a constant-time comparison. Backed by OpenSSL 3.
//
// All functions are pure and take raw bytes (std::string_view carries any
// bytes, NULs included); hex output is lower case.
//
// Thread safety: every function may be called from any thread.
#ifndef SUARADESA_GATEWAY_CHANNELS_SIGNATURE_H_
#define SUARADESA_GATEWAY_CHANNELS_SIGNATURE_H_

#include <string>
#include <string_view>

namespace suaradesa::channels {

// Lower-case hex of HMAC-SHA256(key, message): 64 characters.
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// Standard base64 (with padding) of HMAC-SHA1(key, message): 28 characters.
std::string HmacSha1Base64(std::string_view key, std::string_view message);

// Standard base64 (with padding) of HMAC-SHA256(key, message).
std::string HmacSha256Base64(std::string_view key, std::string_view message);

// Standard base64 (with padding) of data (for HTTP Basic credentials).
std::string Base64(std::string_view data);

// "Basic " + base64(user ":" password): an Authorization header value.
std::string BasicAuthorization(std::string_view user, std::string_view password);

// Lower-case hex of SHA-256(data): 64 characters.
std::string Sha256Hex(std::string_view data);

// True when a and b hold the same bytes. The time taken depends only on the
// lengths, never on where the contents differ; strings of different length
// compare unequal at once (lengths are not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace suaradesa::channels

#endif  // SUARADESA_GATEWAY_CHANNELS_SIGNATURE_H_
