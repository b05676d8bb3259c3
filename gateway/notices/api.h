// The meeting notices' HTTP face (issue 5), beside the desk's /api/v1:
//
//   POST  /api/v1/groups                  {"code","name","area"}      201
//                                         409 code_unavailable when the code is
//                                         taken, in any area (codes are global)
//   GET   /api/v1/groups                  the groups visible to the token
//   GET   /api/v1/groups/{code}           with its members (see below)
//   POST  /api/v1/groups/{code}/members   {"phone"} or {"urn"}, "name" (admins)
//                                         201 {"group","added":true}, or 200
//                                         {"group","added":false} if already in
//                                         this group
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
// {"error":{"code","message"}}. Scoping: see Notices; a group or meeting
// outside the caller's areas answers as one that does not exist.
//
// Confidentiality (issue 13): no answer names a resident. Nothing carries a
// contact id, a name (a platform profile name or one staff gave) or a raw
// address, and nothing a fasilitator can call tells whether a phone number
// or platform address was a known contact:
//   - adding a member answers the same for a known and an unknown person;
//   - a member is {"member": their number in the group, "joined_on":
//     the day in the group's zone, "source"}; admins also get "channel",
//     the masked "address", "language" and "opted_out";
//   - RSVP "answers" are {"answer","reason","answered_on"} without who;
//   - a fasilitator gets counts of members, not of notices sent: a meeting
//     has "members" and "rsvp" {"hadir","tidak","belum"} where belum counts
//     the members who have not answered, reachable or not; a broadcast
//     answers "members". Admins get "invited", "queued" and "recipients"
//     (notices actually queued: opted-out and unreachable members excluded).
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
