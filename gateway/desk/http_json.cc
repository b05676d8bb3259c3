#include "gateway/desk/http_json.h"

#include <httplib.h>

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
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
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
    const int64_t now = guard.clock->NowMillis();
    if (guard.limiter->Blocked(req.remote_addr, now)) {
      res.set_header("Retry-After", "60");
      SendError(res, {429, "too_many_attempts", "too many failed tokens; wait a minute"});
      return;
    }
    auto actor = guard.desk->Authenticate(BearerToken(req));
    if (!actor) {
      if (actor.error().status == 401) {
        guard.limiter->NoteFailure(req.remote_addr, now);
        guard.log->Warn("api: 401 for " + req.method + " " + req.path + " from " +
                        req.remote_addr);
      }
      SendError(res, actor.error());
      return;
    }
    handler(*actor, req, res);
  };
}

}  // namespace suaradesa::desk
