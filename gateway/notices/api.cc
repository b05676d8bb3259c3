#include "gateway/notices/api.h"

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>

namespace suaradesa::notices {

namespace {

using nlohmann::json;

constexpr const char* kGroupPattern = R"(/api/v1/groups/([A-Za-z0-9_-]{1,40}))";
constexpr const char* kMeetingPattern = R"(/api/v1/meetings/([0-9]{1,15}))";

void SendJson(httplib::Response& res, int status, const json& body) {
  res.set_header("X-Content-Type-Options", "nosniff");
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

// Parses a JSON object body; sends 400 and returns nullopt when it is not one.
std::optional<json> Body(const httplib::Request& req, httplib::Response& res) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    SendError(res, {400, "bad_request", "the body must be a JSON object"});
    return std::nullopt;
  }
  return body;
}

int64_t IdOf(const httplib::Request& req) { return std::stoll(req.matches[1].str()); }

}  // namespace

void RegisterApi(httplib::Server& server, ApiDeps deps) {
  using Handler = std::function<void(const Actor&, const httplib::Request&, httplib::Response&)>;
  // Authentication and the failed-token limit, as the desk's routes do.
  auto authed = [deps](Handler handler) {
    return [deps, handler](const httplib::Request& req, httplib::Response& res) {
      const int64_t now = deps.clock->NowMillis();
      if (deps.limiter->Blocked(req.remote_addr, now)) {
        res.set_header("Retry-After", "60");
        SendError(res, {429, "too_many_attempts", "too many failed tokens; wait a minute"});
        return;
      }
      auto actor = deps.desk->Authenticate(BearerToken(req));
      if (!actor) {
        if (actor.error().status == 401) {
          deps.limiter->NoteFailure(req.remote_addr, now);
          deps.log->Warn("notices: 401 for " + req.method + " " + req.path + " from " +
                         req.remote_addr);
        }
        SendError(res, actor.error());
        return;
      }
      handler(*actor, req, res);
    };
  };
  auto reply = [](httplib::Response& res, int ok_status, const NoticeResult<json>& r) {
    if (!r) {
      SendError(res, r.error());
    } else {
      SendJson(res, ok_status, *r);
    }
  };
  Notices* notices = deps.notices;

  server.Get("/api/v1/groups", authed([=](const Actor& a, const httplib::Request&,
                                          httplib::Response& res) {
    reply(res, 200, notices->ListGroups(a));
  }));
  server.Post("/api/v1/groups", authed([=](const Actor& a, const httplib::Request& req,
                                           httplib::Response& res) {
    auto body = Body(req, res);
    if (!body) return;
    reply(res, 201, notices->CreateGroup(a, *body));
  }));
  server.Get(kGroupPattern, authed([=](const Actor& a, const httplib::Request& req,
                                       httplib::Response& res) {
    reply(res, 200, notices->GetGroup(a, req.matches[1].str()));
  }));
  server.Post(std::string(kGroupPattern) + "/members",
              authed([=](const Actor& a, const httplib::Request& req, httplib::Response& res) {
                auto body = Body(req, res);
                if (!body) return;
                auto r = notices->AddMember(a, req.matches[1].str(), *body);
                reply(res, r && !r->value("added", false) ? 200 : 201, r);
              }));

  server.Get("/api/v1/meetings", authed([=](const Actor& a, const httplib::Request&,
                                            httplib::Response& res) {
    reply(res, 200, notices->ListMeetings(a));
  }));
  server.Post("/api/v1/meetings", authed([=](const Actor& a, const httplib::Request& req,
                                             httplib::Response& res) {
    auto body = Body(req, res);
    if (!body) return;
    reply(res, 201, notices->CreateMeeting(a, *body));
  }));
  server.Get(kMeetingPattern, authed([=](const Actor& a, const httplib::Request& req,
                                         httplib::Response& res) {
    reply(res, 200, notices->GetMeeting(a, IdOf(req)));
  }));
  server.Patch(kMeetingPattern, authed([=](const Actor& a, const httplib::Request& req,
                                           httplib::Response& res) {
    auto body = Body(req, res);
    if (!body) return;
    reply(res, 200, notices->PatchMeeting(a, IdOf(req), *body));
  }));
  server.Post(std::string(kMeetingPattern) + "/cancel",
              authed([=](const Actor& a, const httplib::Request& req, httplib::Response& res) {
                reply(res, 200, notices->CancelMeeting(a, IdOf(req)));
              }));

  server.Post("/api/v1/broadcasts", authed([=](const Actor& a, const httplib::Request& req,
                                               httplib::Response& res) {
    auto body = Body(req, res);
    if (!body) return;
    reply(res, 202, notices->Broadcast(a, *body));
  }));
}

}  // namespace suaradesa::notices
