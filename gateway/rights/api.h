// The data-rights routes of /api/v1 (issue 19; gateway/desk/API.md "Audit
// and erasure"), admins only:
//   GET  /api/v1/audit?from=MS&to=MS&action=A   the staff audit, newest first
//   POST /api/v1/contacts/{pseudonym}/erase      erase a reporter's identity
//        body (optional): {"ticket": "ADU-12"}   the case showing the pseudonym
#ifndef SUARADESA_GATEWAY_RIGHTS_API_H_
#define SUARADESA_GATEWAY_RIGHTS_API_H_

#include "gateway/desk/http_json.h"
#include "gateway/rights/rights.h"

namespace httplib {
class Server;
}

namespace suaradesa::rights {

// Adds the routes to `server` (HttpServer's, which calls set_tcp_nodelay(true)). `rights` and everything in `guard` must
// outlive the server.
void RegisterApi(httplib::Server& server, Rights* rights, desk::Guard guard);

}  // namespace suaradesa::rights

#endif  // SUARADESA_GATEWAY_RIGHTS_API_H_
