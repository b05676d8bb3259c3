#include "gateway/activities/api.h"

// The server these routes join is HttpServer's, which calls set_tcp_nodelay(true).

#include <httplib.h>

#include <string>

#include "gateway/desk/http_json.h"

namespace suaradesa::activities {

namespace {

using nlohmann::json;

constexpr const char* kActivityPattern = R"(/api/v1/activities/([0-9]{1,15}))";

int64_t IdOf(const httplib::Request& req) { return std::stoll(req.matches[1].str()); }

void Reply(httplib::Response& res, int ok_status, const ActivityResult<json>& r) {
  if (!r) {
    desk::SendError(res, r.error());
  } else {
    desk::SendJson(res, ok_status, *r);
  }
}

}  // namespace

void RegisterApi(httplib::Server& server, ApiDeps deps) {
  const desk::Guard guard{deps.desk, deps.limiter, deps.clock, deps.log};
  auto authed = [guard](desk::ActorHandler handler) {
    return desk::Authed(guard, std::move(handler));
  };
  Activities* activities = deps.activities;
  using Req = httplib::Request;
  using Res = httplib::Response;

  server.Get("/api/v1/activities", authed([=](const Actor& a, const Req& req, Res& res) {
    Reply(res, 200, activities->List(a, req.get_param_value("area")));
  }));
  server.Post("/api/v1/activities", authed([=](const Actor& a, const Req& req, Res& res) {
    auto body = desk::JsonBody(req, res);
    if (!body) return;
    Reply(res, 201, activities->Create(a, *body));
  }));
  server.Get(kActivityPattern, authed([=](const Actor& a, const Req& req, Res& res) {
    Reply(res, 200, activities->Get(a, IdOf(req)));
  }));
  server.Patch(kActivityPattern, authed([=](const Actor& a, const Req& req, Res& res) {
    auto body = desk::JsonBody(req, res);
    if (!body) return;
    Reply(res, 200, activities->Patch(a, IdOf(req), *body));
  }));
  server.Post(std::string(kActivityPattern) + "/notes",
              authed([=](const Actor& a, const Req& req, Res& res) {
                auto body = desk::JsonBody(req, res);
                if (!body) return;
                Reply(res, 201, activities->AddNote(a, IdOf(req), *body));
              }));
  server.Post(std::string(kActivityPattern) + "/tranches",
              authed([=](const Actor& a, const Req& req, Res& res) {
                auto body = desk::JsonBody(req, res);
                if (!body) return;
                Reply(res, 201, activities->AddTranche(a, IdOf(req), *body));
              }));
  server.Post(std::string(kActivityPattern) + "/meetings",
              authed([=](const Actor& a, const Req& req, Res& res) {
                auto body = desk::JsonBody(req, res);
                if (!body) return;
                Reply(res, 200, activities->LinkMeeting(a, IdOf(req), *body));
              }));
}

}  // namespace suaradesa::activities
