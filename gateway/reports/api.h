// The participation figures' HTTP face, beside the desk's /api/v1
// (gateway/desk/API.md, Reports):
//
//   GET /api/v1/reports/participation?area=&from=&to=        typed JSON
//   GET /api/v1/reports/participation.csv?area=&from=&to=    the same as CSV
//   GET /api/v1/reports/participation.svg?area=&from=&to=&chart=
//       a month-by-month bar chart: residents|proposals|meetings|complaints
//
// Tokens are the desk's (401 without one, 429 after too many wrong ones).
// A fasilitator sees only their own areas: no area means all of them, an
// area inside them is narrowed to it, an area that contains them is
// narrowed to theirs, and any other area answers 403 outside_area. from and
// to are local months or days, inclusive (default: the last six months,
// this one included); 400 bad_request when malformed.
#ifndef SUARADESA_GATEWAY_REPORTS_API_H_
#define SUARADESA_GATEWAY_REPORTS_API_H_

#include <string>
#include <vector>

#include "dialogs/engine.h"
#include "gateway/clock.h"
#include "gateway/config.h"
#include "gateway/desk/auth.h"
#include "gateway/desk/desk.h"
#include "gateway/log.h"
#include "gateway/reports/participation.h"
#include "storage/store.h"

// The server these routes join is HttpServer's, which calls set_tcp_nodelay(true).
namespace httplib {
class Server;
}

namespace suaradesa::reports {

struct ApiDeps {
  storage::Store* store = nullptr;
  const Config* config = nullptr;
  const dialogs::Dialogs* dialogs = nullptr;   // chart labels (report.*)
  desk::Desk* desk = nullptr;                  // for Authenticate
  desk::FailedAuthLimiter* limiter = nullptr;
  const Clock* clock = nullptr;
  Log* log = nullptr;
};

// The request for `actor` asking for `area` (may be empty) from `from` to
// `to` (may be empty: the defaults), or the refusal.
desk::DeskResult<ReportRequest> RequestFor(const desk::Actor& actor, const Config& config,
                                           const std::string& area, const std::string& from,
                                           const std::string& to, int64_t now);

// The chart `chart` (residents|proposals|meetings|complaints) of the
// report as SVG; nullopt for an unknown chart name.
std::optional<std::string> ChartOf(const Report& report, const std::string& chart,
                                   const dialogs::Dialogs& dialogs);

// Adds the routes to `server`. Everything in deps must outlive the server.
void RegisterApi(httplib::Server& server, ApiDeps deps);

}  // namespace suaradesa::reports

#endif  // SUARADESA_GATEWAY_REPORTS_API_H_
