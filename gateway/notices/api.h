// The meeting notices' HTTP face (issue 5), beside the desk's /api/v1:
//
//   POST  /api/v1/groups                  {"code","name","area"}      201
//   GET   /api/v1/groups                  the groups visible to the token
//   GET   /api/v1/groups/{code}           with its members (addresses masked)
//   POST  /api/v1/groups/{code}/members   {"phone"} or {"urn"}        201 (200 if already)
//   POST  /api/v1/meetings                {"title","forum","area","starts_at",
//                                          "place","agenda","bring","groups"}   201
//   GET   /api/v1/meetings                upcoming meetings
//   GET   /api/v1/meetings/{id}           with "rsvp" counts and the answers
//   PATCH /api/v1/meetings/{id}           any of the fields above but area
//   POST  /api/v1/meetings/{id}/cancel
//   POST  /api/v1/broadcasts              {"groups":[...],"text"}     202
//
// Tokens are the desk's (`Authorization: Bearer`, 401 when missing or
// wrong, 429 after too many wrong ones). Errors are
// {"error":{"code","message"}}. Scoping: see Notices.
#ifndef SUARADESA_GATEWAY_NOTICES_API_H_
#define SUARADESA_GATEWAY_NOTICES_API_H_

#include "gateway/clock.h"
#include "gateway/desk/auth.h"
#include "gateway/desk/desk.h"
#include "gateway/log.h"
#include "gateway/notices/notices.h"

// The server these routes join is HttpServer's, which calls set_tcp_nodelay(true).
namespace httplib {
class Server;
}

namespace suaradesa::notices {

struct ApiDeps {
  Notices* notices = nullptr;
  desk::Desk* desk = nullptr;                  // for Authenticate
  desk::FailedAuthLimiter* limiter = nullptr;
  const Clock* clock = nullptr;
  Log* log = nullptr;
};

// Adds the routes to `server`. Everything in deps must outlive the server.
void RegisterApi(httplib::Server& server, ApiDeps deps);

}  // namespace suaradesa::notices

#endif  // SUARADESA_GATEWAY_NOTICES_API_H_
