// The activities' HTTP face (issue 18), beside the desk's /api/v1; see
// gateway/desk/API.md, section "Activities":
//
//   GET   /api/v1/activities?area=CODE         the activities the token may see
//   POST  /api/v1/activities                   {"ticket":"USL-12", ...}        201
//   GET   /api/v1/activities/{id}              with notes, tranches, meetings
//   PATCH /api/v1/activities/{id}              fields and stage
//   POST  /api/v1/activities/{id}/notes        {"progress","note"}            201
//   POST  /api/v1/activities/{id}/tranches     {"tahap","amount"}             201
//   POST  /api/v1/activities/{id}/meetings     {"meeting_id"}                 200
//
// Tokens are the desk's; an activity outside the token's areas answers 404.
// The server these routes join is HttpServer's, which calls set_tcp_nodelay(true).
#ifndef SUARADESA_GATEWAY_ACTIVITIES_API_H_
#define SUARADESA_GATEWAY_ACTIVITIES_API_H_

#include "gateway/activities/activities.h"
#include "gateway/clock.h"
#include "gateway/desk/auth.h"
#include "gateway/desk/desk.h"
#include "gateway/log.h"

namespace httplib {
class Server;
}

namespace suaradesa::activities {

struct ApiDeps {
  Activities* activities = nullptr;
  desk::Desk* desk = nullptr;  // for Authenticate
  desk::FailedAuthLimiter* limiter = nullptr;
  const Clock* clock = nullptr;
  Log* log = nullptr;
};

// Adds the routes to `server`. Everything in deps must outlive the server.
void RegisterApi(httplib::Server& server, ApiDeps deps);

}  // namespace suaradesa::activities

#endif  // SUARADESA_GATEWAY_ACTIVITIES_API_H_
