#include "gateway/desk/http_json.h"

#include <httplib.h>

#include "gateway/channels/json_fields.h"

namespace suaradesa::desk {

namespace {
constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
}  // namespace

void SecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy", kCsp);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
}

void SendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  SecurityHeaders(res);
  res.set_header("Cache-Control", "no-store");
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void SendError(httplib::Response& res, const DeskError& e) {
  SendJson(res, e.status, {{"error", {{"code", e.code}, {"message", e.message}}}});
}

std::string BearerToken(const httplib::Request& req) {
  const std::string h = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (h.size() <= prefix.size() || h.compare(0, prefix.size(), prefix) != 0) return "";
  return h.substr(prefix.size());
}

std::optional<nlohmann::json> JsonBody(const httplib::Request& req, httplib::Response& res) {
  if (channels::json_fields::TooDeep(req.body)) {
    SendError(res, {400, "bad_request",
                    "the body nests arrays and objects more than " +
                        std::to_string(channels::json_fields::kMaxDepth) + " deep"});
    return std::nullopt;
  }
  nlohmann::json body = channels::json_fields::Parse(req.body);
  if (body.is_discarded() || !body.is_object()) {
    SendError(res, {400, "bad_request", "the body must be a JSON object"});
    return std::nullopt;
  }
  return body;
}

std::string StringField(const nlohmann::json& body, const std::string& key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

RawHandler Authed(Guard guard, ActorHandler handler) {
  return [guard, handler](const httplib::Request& req, httplib::Response& res) {
    // A valid token is always served: the limiter counts and refuses only
    // failed attempts, so neither a guesser nor a colleague's stale token
    // behind the same proxy locks anyone out.
    auto actor = guard.desk->Authenticate(BearerToken(req));
    if (actor) {
      handler(*actor, req, res);
      return;
    }
    if (actor.error().status != 401) {
      SendError(res, actor.error());
      return;
    }
    const int64_t now = guard.clock->NowMillis();
    const std::string client = guard.limiter->ClientAddress(
        req.remote_addr, req.get_header_value("X-Forwarded-For"));
    if (guard.limiter->Blocked(client, now)) {
      res.set_header("Retry-After", "60");
      SendError(res, {429, "too_many_attempts", "too many failed tokens; wait a minute"});
      return;
    }
    guard.limiter->NoteFailure(client, now);
    guard.log->Warn("api: 401 for " + req.method + " " + req.path + " from " + client);
    SendError(res, actor.error());
  };
}

}  // namespace suaradesa::desk
