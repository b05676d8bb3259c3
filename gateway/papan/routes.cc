#include "gateway/papan/routes.h"

#include <httplib.h>

// Routes only: the httplib::Server (HttpServer) sets set_tcp_nodelay(true).
namespace suaradesa::papan {

namespace {

// No script at all, nothing from elsewhere; the inline <style> only.
constexpr const char* kCsp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

void SendPage(httplib::Response& res, int status, const std::string& html,
              const char* cache_control) {
  res.status = status;
  res.set_header("Content-Security-Policy", kCsp);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", cache_control);
  res.set_content(html, "text/html; charset=utf-8");
}

constexpr const char* kCacheable = "public, max-age=300";

}  // namespace

void RegisterRoutes(httplib::Server& server, const Board& board, Log& log) {
  server.Get("/papan", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/papan/");
  });
  server.Get("/papan/", [&board](const httplib::Request&, httplib::Response& res) {
    SendPage(res, 200, board.IndexPage(), kCacheable);
  });
  server.Get(R"(/papan/([^/]+))", [&board, &log](const httplib::Request& req,
                                                 httplib::Response& res) {
    auto page = board.DesaPage(req.matches[1]);
    if (!page) {
      log.Error("papan " + req.path + ": store failed (" + page.error().message + ")");
      res.set_header("Retry-After", "30");
      SendPage(res, 503, board.MessagePage("unavailable"), "no-store");
      return;
    }
    if (!*page) {
      SendPage(res, 404, board.MessagePage("not_found"), "public, max-age=60");
      return;
    }
    SendPage(res, 200, **page, kCacheable);
  });
}

}  // namespace suaradesa::papan
