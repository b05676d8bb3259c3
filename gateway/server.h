// HttpServer: the gateway's HTTP face, on cpp-httplib.
//
//   POST /webhook/{channel_id}   platform deliveries (GET for handshakes)
//   GET  /healthz                200 when the store answers, else 503
//   GET  /metrics                Prometheus text format (0.0.4)
//   GET  /papan/...              the public boards (gateway/papan/routes.h)
//   /api/v1/reports/...          participation figures (gateway/reports/api.h)
//
// A webhook is verified over its raw bytes, parsed, and handled through
// Inbound; the platform gets its 2xx only after the store committed, and a
// 503 when it could not (so the platform retries). Every rejected request is
// logged with its reason, never its secrets.
//
// Bounded before any handler (see gateway/bounded_server.h): headers over
// 64 KiB in total or 100 fields get 431; bodies over 1 MiB get 413, counted
// as they arrive whatever their framing (Content-Length, chunked); a
// Content-Encoding other than identity gets 415 before the body is read
// (cpp-httplib would inflate it without bound; platforms do not compress
// webhooks); a request not complete within listen.request_timeout_seconds
// gets 408. JSON bodies nested over 64 deep get 400 (json_fields::Parse).
//
// Thread safety: requests run on a pool of `config.threads` threads;
// connections beyond it wait in the kernel's accept backlog. Stop may be
// called from any thread.
#ifndef SUARADESA_GATEWAY_SERVER_H_
#define SUARADESA_GATEWAY_SERVER_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "gateway/after_answer.h"
#include "gateway/app.h"
#include "gateway/metrics.h"

namespace httplib {
class Server;
}

namespace suaradesa {

namespace papan {
class Board;
}

// Binds `server` to host:port (port 0: any free port) and returns the port,
// or -1 (also when another process listens on it: SO_REUSEADDR, not
// cpp-httplib's SO_REUSEPORT, which would let two servers share a port and
// split the requests between them). The accept backlog is raised from
// cpp-httplib's 5 to SOMAXCONN.
int BindListening(httplib::Server& server, const std::string& host, int port);

// Owns the httplib::Server; its constructor calls set_tcp_nodelay(true).
class HttpServer {
 public:
  // `app` must outlive the server.
  explicit HttpServer(App& app);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds to host:port with BindListening.
  int Bind(const std::string& host, int port);
  // Serves until Stop. REQUIRES: Bind succeeded.
  bool Listen();
  void Stop();
  // Loads listen.tls_cert and listen.tls_key again for new connections
  // (SIGHUP in `serve`) and logs the outcome; on failure the current
  // certificate stays. False when nothing was reloaded (no TLS, bad files).
  bool ReloadTls();

  // Platform calls made once a webhook was answered (Telegram's
  // answerCallbackQuery). Tests Drain it.
  AfterAnswer& after_answer() { return after_answer_; }

 private:
  void Routes();
  std::string Metrics();
  void Count(const std::string& channel, const std::string& result);

  App& app_;
  // Before server_: outlives the responses whose release posts to it.
  AfterAnswer after_answer_;
  std::unique_ptr<httplib::Server> server_;
  // Stop may race with a Listen that is just starting on another thread;
  // cpp-httplib's stop() does nothing until the server runs.
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> listen_called_{false};
  std::atomic<bool> listen_done_{false};

  // Inbound counts by (channel, result), throttled senders, webhook latency.
  MetricsRegistry metrics_;
  // The public Papan Informasi pages (/papan/).
  std::unique_ptr<papan::Board> board_;
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_SERVER_H_
