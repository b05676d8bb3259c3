#include "gateway/rights/api.h"

// The server these routes join is HttpServer's, which calls set_tcp_nodelay(true).

#include <httplib.h>

#include <cctype>
#include <optional>
#include <string>

namespace suaradesa::rights {

namespace {

using nlohmann::json;

// A unix-ms query parameter: nullopt when absent; false when malformed.
bool MillisParam(const httplib::Request& req, const char* name, std::optional<int64_t>& out) {
  if (!req.has_param(name)) return true;
  const std::string v = req.get_param_value(name);
  if (v.empty() || v.size() > 15) return false;
  for (char c : v) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  out = std::stoll(v);
  return true;
}

}  // namespace

void RegisterApi(httplib::Server& server, Rights* rights, desk::Guard guard) {
  server.Get("/api/v1/audit",
             desk::Authed(guard, [rights](const desk::Actor& a, const httplib::Request& req,
                                          httplib::Response& res) {
               storage::AuditQuery q;
               if (!MillisParam(req, "from", q.from) || !MillisParam(req, "to", q.to)) {
                 desk::SendError(res, {400, "bad_request", "from and to are unix milliseconds"});
                 return;
               }
               q.action = req.get_param_value("action");
               auto r = rights->ListAudit(a, q);
               if (!r) {
                 desk::SendError(res, r.error());
                 return;
               }
               desk::SendJson(res, 200, *r);
             }));

  server.Post(R"(/api/v1/contacts/([A-Za-z0-9-]{1,40})/erase)",
              desk::Authed(guard, [rights](const desk::Actor& a, const httplib::Request& req,
                                           httplib::Response& res) {
                std::string ticket;
                if (!req.body.empty()) {
                  auto body = desk::JsonBody(req, res);
                  if (!body) return;
                  ticket = desk::StringField(*body, "ticket");
                }
                auto r = rights->EraseByPseudonym(a, req.matches[1], ticket);
                if (!r) {
                  desk::SendError(res, r.error());
                  return;
                }
                desk::SendJson(res, 200, *r);
              }));
}

}  // namespace suaradesa::rights
