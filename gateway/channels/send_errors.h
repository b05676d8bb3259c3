// Helpers shared by channel adapters to turn a platform's HTTP answer into a
// SendError (in the manner of courier's handlers/errors.go), and to keep
// secrets and noise out of error text.
//
// Thread safety: every function is pure and may be called from any thread.
#ifndef SUARADESA_GATEWAY_CHANNELS_SEND_ERRORS_H_
#define SUARADESA_GATEWAY_CHANNELS_SEND_ERRORS_H_

#include <string>
#include <string_view>
#include <vector>

#include "gateway/channels/channel.h"
#include "gateway/http_client.h"

namespace suaradesa::channels {

// The generic mapping of a failed HTTP exchange (status 0 or not 2xx):
//   status 0 (transport error), 5xx and other unexpected statuses -> kRetryable
//   429 -> kThrottled, retry_after_seconds from the Retry-After header
//   401, 403 -> kConfig (our credentials are wrong)
//   other 4xx -> kPermanent
// `platform` prefixes the message ("telegram 500"); `detail`, if non-empty,
// is appended (the caller has already cleaned it).
SendError ErrorFromResponse(const HttpResult& result, std::string_view platform,
                            std::string_view detail = {});

// Seconds from a Retry-After header given in seconds; 0 when absent or not a
// plain number (HTTP dates are not honoured: the worker's backoff applies).
int RetryAfterFromHeaders(const HttpResult& result);

// text with every occurrence of each non-empty secret replaced by
// "[redacted]", newlines flattened to spaces, and cut (on a UTF-8 boundary)
// to at most max_bytes.
std::string CleanErrorText(std::string text, const std::vector<std::string>& secrets,
                           size_t max_bytes = 200);

}  // namespace suaradesa::channels

#endif  // SUARADESA_GATEWAY_CHANNELS_SEND_ERRORS_H_
