#include "gateway/notices/api.h"

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>

#include "gateway/desk/http_json.h"

// Routes only: the httplib::Server (HttpServer) sets set_tcp_nodelay(true).
namespace suaradesa::notices {

namespace {

using nlohmann::json;

constexpr const char* kGroupPattern = R"(/api/v1/groups/([A-Za-z0-9_-]{1,40}))";
constexpr const char* kMeetingPattern = R"(/api/v1/meetings/([0-9]{1,15}))";

int64_t IdOf(const httplib::Request& req) { return std::stoll(req.matches[1].str()); }

}  // namespace

void RegisterApi(httplib::Server& server, ApiDeps deps) {
  const desk::Guard guard{deps.desk, deps.limiter, deps.clock, deps.log};
  auto authed = [guard](desk::ActorHandler handler) {
    return desk::Authed(guard, std::move(handler));
  };
  auto reply = [](httplib::Response& res, int ok_status, const NoticeResult<json>& r) {
    if (!r) {
      desk::SendError(res, r.error());
    } else {
      desk::SendJson(res, ok_status, *r);
    }
  };
  Notices* notices = deps.notices;

  server.Get("/api/v1/groups", authed([=](const Actor& a, const httplib::Request&,
                                          httplib::Response& res) {
    reply(res, 200, notices->ListGroups(a));
  }));
  server.Post("/api/v1/groups", authed([=](const Actor& a, const httplib::Request& req,
                                           httplib::Response& res) {
    auto body = desk::JsonBody(req, res);
    if (!body) return;
    reply(res, 201, notices->CreateGroup(a, *body));
  }));
  server.Get(kGroupPattern, authed([=](const Actor& a, const httplib::Request& req,
                                       httplib::Response& res) {
    reply(res, 200, notices->GetGroup(a, req.matches[1].str()));
  }));
  server.Post(std::string(kGroupPattern) + "/members",
              authed([=](const Actor& a, const httplib::Request& req, httplib::Response& res) {
                auto body = desk::JsonBody(req, res);
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
    auto body = desk::JsonBody(req, res);
    if (!body) return;
    reply(res, 201, notices->CreateMeeting(a, *body));
  }));
  server.Get(kMeetingPattern, authed([=](const Actor& a, const httplib::Request& req,
                                         httplib::Response& res) {
    reply(res, 200, notices->GetMeeting(a, IdOf(req)));
  }));
  server.Patch(kMeetingPattern, authed([=](const Actor& a, const httplib::Request& req,
                                           httplib::Response& res) {
    auto body = desk::JsonBody(req, res);
    if (!body) return;
    reply(res, 200, notices->PatchMeeting(a, IdOf(req), *body));
  }));
  server.Post(std::string(kMeetingPattern) + "/cancel",
              authed([=](const Actor& a, const httplib::Request& req, httplib::Response& res) {
                reply(res, 200, notices->CancelMeeting(a, IdOf(req)));
              }));

  server.Post("/api/v1/broadcasts", authed([=](const Actor& a, const httplib::Request& req,
                                               httplib::Response& res) {
    auto body = desk::JsonBody(req, res);
    if (!body) return;
    reply(res, 202, notices->Broadcast(a, *body));
  }));
}

}  // namespace suaradesa::notices
