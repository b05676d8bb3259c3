#include "gateway/desk/api.h"

#include <httplib.h>

#include <map>

#include "gateway/desk/http_json.h"

// Routes only: the httplib::Server (HttpServer) sets set_tcp_nodelay(true).
namespace suaradesa::desk {

const std::map<std::string, std::string>& EmbeddedDeskFiles();

namespace {

using nlohmann::json;

constexpr const char* kTicketPattern = R"(/api/v1/cases/([A-Za-z]{3}-?[0-9]{1,12}))";

}  // namespace

void RegisterApi(httplib::Server& server, ApiDeps deps) {
  const Guard guard{deps.desk, deps.limiter, deps.clock, deps.log};
  auto authed = [guard](ActorHandler handler) { return Authed(guard, std::move(handler)); };
  auto reply = [](httplib::Response& res, int ok_status, const DeskResult<json>& r) {
    if (!r) {
      SendError(res, r.error());
    } else {
      SendJson(res, ok_status, *r);
    }
  };

  server.Get("/api/v1/me", authed([](const Actor& a, const httplib::Request&,
                                     httplib::Response& res) {
    SendJson(res, 200, {{"name", a.name}, {"role", a.role}, {"areas", a.areas},
                        {"position", a.position}});
  }));

  server.Get("/api/v1/statuses", authed([deps](const Actor&, const httplib::Request&,
                                               httplib::Response& res) {
    SendJson(res, 200, deps.desk->Statuses());
  }));

  server.Get("/api/v1/cases", authed([deps, reply](const Actor& a, const httplib::Request& req,
                                                   httplib::Response& res) {
    CaseListParams p;
    p.type = req.get_param_value("type");
    p.status = req.get_param_value("status");
    p.area = req.get_param_value("area");
    p.text = req.get_param_value("q");
    const std::string overdue = req.get_param_value("overdue");
    p.overdue_only = overdue == "1" || overdue == "true";
    reply(res, 200, deps.desk->ListCases(a, p));
  }));

  server.Get(kTicketPattern, authed([deps, reply](const Actor& a, const httplib::Request& req,
                                                  httplib::Response& res) {
    reply(res, 200, deps.desk->GetCase(a, req.matches[1]));
  }));

  server.Post(std::string(kTicketPattern) + "/replies",
              authed([deps, reply](const Actor& a, const httplib::Request& req,
                                   httplib::Response& res) {
                auto body = JsonBody(req, res);
                if (!body) return;
                reply(res, 201, deps.desk->Reply(a, req.matches[1], StringField(*body, "text")));
              }));

  server.Post(std::string(kTicketPattern) + "/status",
              authed([deps, reply](const Actor& a, const httplib::Request& req,
                                   httplib::Response& res) {
                auto body = JsonBody(req, res);
                if (!body) return;
                reply(res, 200,
                      deps.desk->SetStatus(a, req.matches[1], StringField(*body, "status"),
                                           StringField(*body, "note")));
              }));

  server.Post(std::string(kTicketPattern) + "/assign",
              authed([deps, reply](const Actor& a, const httplib::Request& req,
                                   httplib::Response& res) {
                auto body = JsonBody(req, res);
                if (!body) return;
                reply(res, 200, deps.desk->Assign(a, req.matches[1], StringField(*body, "staff")));
              }));

  server.Post(std::string(kTicketPattern) + "/place",
              authed([deps, reply](const Actor& a, const httplib::Request& req,
                                   httplib::Response& res) {
                auto body = JsonBody(req, res);
                if (!body) return;
                reply(res, 200, deps.desk->Place(a, req.matches[1], StringField(*body, "desa")));
              }));

  server.Get("/api/v1/export/cases.csv", authed([deps](const Actor& a, const httplib::Request&,
                                                       httplib::Response& res) {
    auto csv = deps.desk->ExportCsv(a);
    if (!csv) {
      SendError(res, csv.error());
      return;
    }
    SecurityHeaders(res);
    // Residents' words and names: no browser or proxy may keep a copy.
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"cases.csv\"");
    res.set_content(*csv, "text/csv; charset=utf-8");
  }));

  // The web inbox: static files compiled into the binary.
  server.Get("/inbox", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/inbox/");
  });
  auto serve_file = [](const std::string& name, const std::string& type) {
    return [name, type](const httplib::Request&, httplib::Response& res) {
      const auto& files = EmbeddedDeskFiles();
      auto it = files.find(name);
      if (it == files.end()) {
        res.status = 404;
        return;
      }
      SecurityHeaders(res);
      res.set_header("Cache-Control", "no-cache");
      res.set_content(it->second, type.c_str());
    };
  };
  server.Get("/inbox/", serve_file("index.html", "text/html; charset=utf-8"));
  server.Get("/inbox/index.html", serve_file("index.html", "text/html; charset=utf-8"));
  server.Get("/inbox/app.js", serve_file("app.js", "text/javascript; charset=utf-8"));
  server.Get("/inbox/style.css", serve_file("style.css", "text/css; charset=utf-8"));
  server.Get("/inbox/strings.json", [deps](const httplib::Request&, httplib::Response& res) {
    SecurityHeaders(res);
    res.set_header("Cache-Control", "no-cache");
    res.set_content(deps.inbox_strings(), "application/json");
  });
}

}  // namespace suaradesa::desk
