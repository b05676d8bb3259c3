// The JSON-over-HTTP conventions every /api/v1 route shares: answers and
// errors ({"error":{"code","message"}}), request bodies, and the bearer-token
// guard (401 for a missing or wrong token, 429 instead of 401 after too many
// failures from one client address; a valid token is never refused).
#ifndef SUARADESA_GATEWAY_DESK_HTTP_JSON_H_
#define SUARADESA_GATEWAY_DESK_HTTP_JSON_H_

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "gateway/clock.h"
#include "gateway/desk/auth.h"
#include "gateway/desk/desk.h"
#include "gateway/log.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace suaradesa::desk {

// Headers every answer of the desk carries (CSP, nosniff, no referrer).
void SecurityHeaders(httplib::Response& res);
void SendJson(httplib::Response& res, int status, const nlohmann::json& body);
void SendError(httplib::Response& res, const DeskError& e);
// The token of "Authorization: Bearer TOKEN", or "".
std::string BearerToken(const httplib::Request& req);
// The request's JSON object body; sends 400 and returns nullopt otherwise
// (also when it nests more than json_fields::kMaxDepth deep).
std::optional<nlohmann::json> JsonBody(const httplib::Request& req, httplib::Response& res);
// A string field of a body, or "" when absent or not a string.
std::string StringField(const nlohmann::json& body, const std::string& key);

using ActorHandler =
    std::function<void(const Actor&, const httplib::Request&, httplib::Response&)>;
using RawHandler = std::function<void(const httplib::Request&, httplib::Response&)>;

// What the guard needs; everything must outlive the routes.
struct Guard {
  Desk* desk = nullptr;
  FailedAuthLimiter* limiter = nullptr;
  const Clock* clock = nullptr;
  Log* log = nullptr;
};

// Wraps `handler` so it runs only for a valid token, with its owner.
RawHandler Authed(Guard guard, ActorHandler handler);

}  // namespace suaradesa::desk

#endif  // SUARADESA_GATEWAY_DESK_HTTP_JSON_H_
