// The public board's HTTP face, without login:
//
//   GET /papan/          every configured desa, each a link to its page
//   GET /papan/{code}    the desa's Papan Informasi (gateway/papan/board.h);
//                        404 with an HTML page for an unknown desa, 503 when
//                        the store cannot be read
//
// Pages are HTML with inline CSS and no script; the Content-Security-Policy
// allows no script and nothing from elsewhere. They may be cached for five
// minutes (figures a little stale are fine on a notice board).
#ifndef SUARADESA_GATEWAY_PAPAN_ROUTES_H_
#define SUARADESA_GATEWAY_PAPAN_ROUTES_H_

#include "gateway/log.h"
#include "gateway/papan/board.h"

// The server these routes join is HttpServer's, which calls set_tcp_nodelay(true).
namespace httplib {
class Server;
}

namespace suaradesa::papan {

// Adds the routes to `server`. `board` and `log` must outlive the server.
void RegisterRoutes(httplib::Server& server, const Board& board, Log& log);

}  // namespace suaradesa::papan

#endif  // SUARADESA_GATEWAY_PAPAN_ROUTES_H_
