// The desk's HTTP face: /api/v1 (JSON, bearer tokens) and the web inbox's
// static files under /inbox/. See gateway/desk/API.md for the contract.
//
// Every /api/v1 request needs `Authorization: Bearer TOKEN`: a missing or
// wrong token answers 401, and an address with more than 20 failed tokens in
// a minute answers 429 until the minute has passed. A case outside the
// token's areas answers 404, exactly like a case that does not exist.
#ifndef SUARADESA_GATEWAY_DESK_API_H_
#define SUARADESA_GATEWAY_DESK_API_H_

#include <functional>
#include <string>

#include "gateway/clock.h"
#include "gateway/desk/auth.h"
#include "gateway/desk/desk.h"
#include "gateway/log.h"

// The server these routes join is HttpServer's, which calls set_tcp_nodelay(true).
namespace httplib {
class Server;
}

namespace suaradesa::desk {

struct ApiDeps {
  Desk* desk = nullptr;
  FailedAuthLimiter* limiter = nullptr;
  const Clock* clock = nullptr;
  Log* log = nullptr;
  // The inbox's texts as a flat JSON object {"inbox.title": "...", ...}.
  std::function<std::string()> inbox_strings;
};

// Adds the routes to `server`. Everything in deps must outlive the server.
void RegisterApi(httplib::Server& server, ApiDeps deps);

}  // namespace suaradesa::desk

#endif  // SUARADESA_GATEWAY_DESK_API_H_
