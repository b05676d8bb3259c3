#include "gateway/server.h"

#include "gateway/bounded_server.h"
#include "gateway/channels/json_fields.h"
#include "gateway/channels/utf8.h"
#include "gateway/clock.h"
#include "gateway/desk/api.h"
#include "gateway/notices/api.h"
#include "gateway/activities/api.h"
#include "gateway/rights/api.h"
#include "gateway/papan/board.h"
#include "gateway/papan/routes.h"
#include "gateway/reports/api.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <sstream>
#include <thread>

namespace suaradesa {

namespace {

constexpr size_t kMaxBody = 1 << 20;
// cpp-httplib 0.11 limits each header line (8 KiB: 400) but not their
// number; platforms send a few dozen. Their total size is bounded by
// BoundedServer (kMaxHeaderBytes) while they are read.
constexpr size_t kMaxHeaders = 100;
// Requests served on one connection before it is closed.
constexpr size_t kKeepAliveRequests = 1000;

constexpr char kInboundTotal[] = "suaradesa_inbound_total";
constexpr char kInboundThrottled[] = "suaradesa_inbound_throttled_total";
constexpr char kWebhookDuration[] = "suaradesa_webhook_duration_seconds";

// Observes the time from construction to destruction in the webhook latency
// histogram, whichever way the handler returns.
class WebhookTimer {
 public:
  WebhookTimer(MetricsRegistry& metrics, std::string channel)
      : metrics_(metrics), channel_(std::move(channel)), start_(MonotonicNanos()) {}
  ~WebhookTimer() {
    const double seconds = static_cast<double>(MonotonicNanos() - start_) / 1e9;
    metrics_.Observe(kWebhookDuration, {{"channel", channel_}}, seconds);
  }
  WebhookTimer(const WebhookTimer&) = delete;
  WebhookTimer& operator=(const WebhookTimer&) = delete;

 private:
  MetricsRegistry& metrics_;
  const std::string channel_;
  const int64_t start_;
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

channels::WebhookRequest ToWebhookRequest(const httplib::Request& req, const std::string& body) {
  channels::WebhookRequest out;
  out.method = req.method;
  out.path = req.path;
  for (const auto& [k, v] : req.headers) out.headers[Lower(k)] = v;
  for (const auto& [k, v] : req.params) out.params.emplace(k, v);
  out.body = body;
  out.remote_addr = req.remote_addr;
  if (const size_t q = req.target.find('?'); q != std::string::npos) {
    out.query = req.target.substr(q + 1);
  }
  return out;
}

// A BoundedServer over TLS when the config names a certificate and key (the
// gateway then answers HTTPS itself), else over plain TCP.
std::unique_ptr<httplib::Server> MakeServer(const Config& config, Log& log) {
  RequestLimits limits;
  limits.on_refuse = [&log](const std::string& what) { log.Warn("http: refused " + what); };
  limits.max_body = kMaxBody;
  limits.read_timeout_seconds = config.read_timeout_seconds;
  limits.request_timeout_seconds = config.request_timeout_seconds;
  limits.keep_alive_timeout_seconds = config.read_timeout_seconds;
  const bool tls = !config.tls_cert.empty() && !config.tls_key.empty();
  return MakeBoundedServer(limits, tls, config.tls_cert, config.tls_key);
}

// Answers a request refused before its body was read; the connection is
// closed after the answer (the unread body must not be taken for a request).
void RefuseBeforeBody(httplib::Response& res, int status, const std::string& code,
                      const std::string& message) {
  CloseConnectionAfterResponse();
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void Answer(httplib::Response& res, const channels::WebhookResponse& w) {
  res.status = w.status;
  res.set_content(w.body, w.content_type.c_str());
}

void JsonError(httplib::Response& res, int status, const std::string& code,
               const std::string& message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

}  // namespace

HttpServer::HttpServer(App& app)
    : app_(app), after_answer_(app.log()), server_(MakeServer(app.config(), app.log())) {
  if (!server_->is_valid()) {
    // SSLServer could not load the certificate or key: Bind will fail.
    app_.log().Error("listen.tls_cert/listen.tls_key: cannot load " + app_.config().tls_cert +
                     " and " + app_.config().tls_key + " (PEM certificate and key)");
  }
  server_->set_tcp_nodelay(true);
  // Refused early by Content-Length; other bodies are counted as they
  // arrive by BoundedServer, which also applies listen.read_timeout_seconds
  // (a silent client) and listen.request_timeout_seconds (a slow one).
  server_->set_payload_max_length(kMaxBody);
  app_.auth_limiter().SetTrustedProxies(app_.config().trusted_proxies);
  // cpp-httplib closes a connection after 5 requests by default: platforms
  // that deliver in bursts over a few connections (Telegram keeps up to 40)
  // would reconnect, and redo TLS, every fifth webhook, and reconnects
  // beyond its accept backlog of 5 were refused under load.
  server_->set_keep_alive_max_count(kKeepAliveRequests);
  // Connections beyond the pool wait in the kernel's backlog, not here.
  const int threads = app_.config().threads;
  server_->new_task_queue = [threads] { return new BoundedPool(static_cast<size_t>(threads)); };
  server_->set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        app_.log().Error("http " + req.method + " " + req.path + ": " + what);
        JsonError(res, 500, "internal", "internal error");
      });
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (req.headers.size() > kMaxHeaders) {
      app_.log().Warn("http " + req.method + " " + req.path + ": " +
                      std::to_string(req.headers.size()) + " headers from " + req.remote_addr +
                      " (431)");
      RefuseBeforeBody(res, 431, "too_many_headers",
                       "more than " + std::to_string(kMaxHeaders) + " header fields");
      return httplib::Server::HandlerResponse::Handled;
    }
    // cpp-httplib would inflate gzip, deflate and br bodies without a
    // bound (1 MB of gzip became 2.1 GB); no platform compresses webhooks.
    const std::string encoding = Lower(req.get_header_value("Content-Encoding"));
    if (!encoding.empty() && encoding != "identity") {
      app_.log().Warn("http " + req.method + " " + req.path + ": Content-Encoding from " +
                      req.remote_addr + " (415)");
      RefuseBeforeBody(res, 415, "unsupported_encoding",
                       "compressed request bodies are not accepted");
      return httplib::Server::HandlerResponse::Handled;
    }
    const std::string transfer = Lower(req.get_header_value("Transfer-Encoding"));
    if (!transfer.empty() && transfer != "chunked") {
      RefuseBeforeBody(res, 501, "unsupported_transfer_encoding",
                       "only chunked transfer encoding is accepted");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      res.set_content("{\"error\":{\"code\":\"http_" + std::to_string(res.status) +
                          "\",\"message\":\"request not handled\"}}",
                      "application/json");
    }
  });
  metrics_.Counter(kInboundTotal,
                   "Webhook deliveries by channel and result (unknown channel ids count as "
                   "channel \"other\"); result \"skipped\" counts items of deliveries left "
                   "out (group messages, another number, unusable messages), one per item.");
  metrics_.Counter(kInboundThrottled,
                   "Inbound messages stored without running the dialogs: the sender went over "
                   "inbound.flood_limit.");
  metrics_.Histogram(kWebhookDuration,
                     "Time to handle a webhook of a configured channel, store commit included.",
                     kLatencyBuckets);
  Routes();
}

HttpServer::~HttpServer() { Stop(); }

int BindListening(httplib::Server& server, const std::string& host, int port) {
  const auto reuse_addr = [](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  };
  int fd = -1;
  server.set_socket_options([&](socket_t sock) {
    reuse_addr(sock);
    fd = sock;
  });
  const int bound = port == 0 ? server.bind_to_any_port(host)
                              : (server.bind_to_port(host, port) ? port : -1);
  server.set_socket_options(reuse_addr);  // `fd` goes out of scope
  // cpp-httplib listens with a backlog of 5 (compiled into Debian's
  // library): when a platform opens dozens of connections at once, the rest
  // were dropped and retried a second later. Listening again on Linux only
  // changes the backlog.
  if (bound > 0 && fd >= 0) ::listen(fd, SOMAXCONN);
  return bound;
}

int HttpServer::Bind(const std::string& host, int port) {
  return BindListening(*server_, host, port);
}

bool HttpServer::Listen() {
  listen_called_ = true;
  bool ok = false;
  if (!stop_requested_) ok = server_->listen_after_bind();
  listen_done_ = true;
  return ok;
}

void HttpServer::Stop() {
  stop_requested_ = true;
  // Either Listen has not been called (and will see stop_requested_), or it
  // has: then wait until the server runs so that stop() takes effect.
  while (listen_called_ && !listen_done_ && !server_->is_running()) {
    std::this_thread::yield();
  }
  server_->stop();
}

bool HttpServer::ReloadTls() {
  const Config& config = app_.config();
  if (config.tls_cert.empty()) {
    app_.log().Info("tls: reload asked, but listen.tls_cert is not set: nothing to reload");
    return false;
  }
  if (auto r = suaradesa::ReloadTls(*server_); !r) {
    app_.log().Error("tls: reload failed, the current certificate stays: " + r.error());
    return false;
  }
  app_.log().Info("tls: reloaded certificate " + config.tls_cert + " and key " + config.tls_key +
                  " for new connections");
  return true;
}

void HttpServer::Count(const std::string& channel, const std::string& result) {
  metrics_.Add(kInboundTotal, {{"channel", channel}, {"result", result}});
}

void HttpServer::Routes() {
  // A store failure: nothing of the message was written, so the platform
  // must retry it.
  auto store_failed = [this](const std::string& id, const storage::Error& error,
                             httplib::Response& res) {
    app_.log().Error("webhook " + id + ": store failed (" + error.message + "), answered 503");
    Count(id, "store_error");
    res.set_header("Retry-After", "5");
    JsonError(res, 503, "unavailable", "store unavailable, retry later");
  };
  auto webhook = [this, store_failed](const httplib::Request& req, const std::string& body,
                                      httplib::Response& res) {
    const std::string id = req.matches[1];
    const channels::Channel* channel = app_.channel(id);
    if (channel == nullptr) {
      app_.log().Warn("webhook " + id + ": no such channel (404)");
      // Not the id: anyone could make up new label values without end.
      Count("other", "unknown_channel");
      JsonError(res, 404, "unknown_channel", "no such channel");
      return;
    }
    const WebhookTimer timer(metrics_, id);
    channels::WebhookRequest wreq = ToWebhookRequest(req, body);
    if (auto hs = channel->Handshake(wreq)) {
      Count(id, "handshake");
      Answer(res, *hs);
      return;
    }
    if (req.method != "POST") {
      JsonError(res, 405, "method_not_allowed", "POST only");
      return;
    }
    if (auto rejected = channel->Verify(wreq, app_.clock().NowMillis())) {
      app_.log().Warn("webhook " + id + ": rejected " + std::to_string(rejected->status) + " (" +
                      rejected->reason + ") from " + req.remote_addr);
      Count(id, "rejected");
      JsonError(res, rejected->status, "unauthorized", rejected->reason);
      return;
    }
    // The signature covered the raw bytes; from here on the text must be
    // valid UTF-8 (JSON parsers refuse it otherwise, and the store keeps it).
    wreq.body = channels::RepairUtf8(wreq.body);
    auto batch = channel->Parse(wreq);
    if (!batch) {
      app_.log().Warn("webhook " + id + ": malformed (" + batch.error().reason + ")");
      Count(id, "malformed");
      JsonError(res, batch.error().status, "malformed", batch.error().reason);
      return;
    }
    // Items of the delivery the adapter left out (a group message, another
    // phone number id, a message it cannot use): one line and one count
    // each. The reasons are the adapters' own words, never message text.
    for (const std::string& reason : batch->skipped) {
      app_.log().Info("webhook " + id + ": skipped one item (" + channels::RepairUtf8(reason) +
                      ")");
      Count(id, "skipped");
    }
    if (batch->messages.empty() && batch->statuses.empty() && batch->address_changes.empty()) {
      Count(id, "ignored");
      Answer(res, channel->Ack(*batch));
      return;
    }
    auto handled = app_.inbound().HandleBatch(app_.InfoOf(*channel), *batch);
    if (!handled) return store_failed(id, handled.error(), res);
    Count(id, handled->processed > 0 || handled->statuses > 0 || handled->address_changes > 0
                  ? "ok"
                  : "duplicate");
    if (handled->throttled > 0) {
      metrics_.Add(kInboundThrottled, {{"channel", id}}, handled->throttled);
    }
    app_.outbox().Notify();
    // A pressed button stops spinning once the platform has its answer.
    std::vector<std::string> callbacks;
    for (const auto& ev : batch->messages) {
      if (!ev.callback_id.empty()) callbacks.push_back(ev.callback_id);
    }
    if (!callbacks.empty()) {
      after_answer_.Schedule(res, [channel, callbacks = std::move(callbacks), this] {
        for (const std::string& id : callbacks) channel->AnswerCallback(id, app_.http());
      });
    }
    Answer(res, channel->Ack(*batch));
  };
  // POST bodies are read here, not by cpp-httplib: it refuses form bodies
  // (Twilio's) over 8 KiB with 413, a limit compiled into Debian's library.
  server_->Post(R"(/webhook/([A-Za-z0-9_-]+))",
                [webhook](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& read) {
                  if (req.has_header("Content-Length") &&
                      req.get_header_value<uint64_t>("Content-Length") > kMaxBody) {
                    return RefuseBeforeBody(res, 413, "payload_too_large", "body over 1 MiB");
                  }
                  std::string body;
                  bool too_big = false;
                  const bool ok = read([&](const char* data, size_t n) {
                    too_big = body.size() + n > kMaxBody;
                    if (!too_big) body.append(data, n);
                    return !too_big;
                  });
                  if (too_big) {
                    return RefuseBeforeBody(res, 413, "payload_too_large", "body over 1 MiB");
                  }
                  if (!ok) return JsonError(res, 400, "bad_request", "incomplete body");
                  webhook(req, body, res);
                });
  server_->Get(R"(/webhook/([A-Za-z0-9_-]+))",
               [webhook](const httplib::Request& req, httplib::Response& res) {
                 webhook(req, req.body, res);
               });

  server_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    if (app_.store().Healthy()) {
      res.set_content("{\"status\":\"ok\"}", "application/json");
    } else {
      res.status = 503;
      res.set_content("{\"status\":\"unavailable\"}", "application/json");
    }
  });

  desk::ApiDeps api;
  api.desk = &app_.desk();
  api.limiter = &app_.auth_limiter();
  api.clock = &app_.clock();
  api.log = &app_.log();
  api.inbox_strings = [this] { return app_.InboxStrings(); };
  desk::RegisterApi(*server_, api);

  notices::ApiDeps notices_api;
  notices_api.notices = &app_.notices();
  notices_api.desk = &app_.desk();
  notices_api.limiter = &app_.auth_limiter();
  notices_api.clock = &app_.clock();
  notices_api.log = &app_.log();
  notices::RegisterApi(*server_, notices_api);
  rights::RegisterApi(*server_, &app_.rights(),
                      desk::Guard{&app_.desk(), &app_.auth_limiter(), &app_.clock(), &app_.log()});

  activities::ApiDeps activities_api;
  activities_api.activities = &app_.activities();
  activities_api.desk = &app_.desk();
  activities_api.limiter = &app_.auth_limiter();
  activities_api.clock = &app_.clock();
  activities_api.log = &app_.log();
  activities::RegisterApi(*server_, activities_api);

  reports::ApiDeps reports_api;
  reports_api.store = &app_.store();
  reports_api.config = &app_.config();
  reports_api.dialogs = &app_.dialogs();
  reports_api.desk = &app_.desk();
  reports_api.limiter = &app_.auth_limiter();
  reports_api.clock = &app_.clock();
  reports_api.log = &app_.log();
  reports::RegisterApi(*server_, reports_api);

  board_ = std::make_unique<papan::Board>(app_.store(), app_.config(), app_.dialogs(),
                                          app_.clock());
  papan::RegisterRoutes(*server_, *board_, app_.log());

  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(Metrics(), "text/plain; version=0.0.4");
  });

  if (app_.config().demo) {
    // The demo's `http` channel sends its replies here, so a new user sees
    // the conversation in the console without any platform account.
    server_->Post("/demo/sent", [this](const httplib::Request& req, httplib::Response& res) {
      nlohmann::json body = channels::json_fields::Parse(req.body);
      if (body.is_object()) {
        app_.log().Info("demo reply to " + MaskAddress(body.value("to", "")) + ":\n" +
                        body.value("text", ""));
      }
      res.set_content("{\"id\":\"demo\"}", "application/json");
    });
  }
}

std::string HttpServer::Metrics() {
  std::ostringstream out;
  metrics_.Render(out);

  const OutboxStats s = app_.outbox().stats();
  WriteMetricHeader(out, "suaradesa_outbound_total", "counter",
                    "Outbound send attempts by channel and status (sent, retried, failed, "
                    "config_error).");
  for (const auto& [key, n] : s.by_channel) {
    WriteMetricSample(out, "suaradesa_outbound_total",
                      {{"channel", key.first}, {"status", key.second}}, static_cast<double>(n));
  }
  WriteMetricHeader(out, "suaradesa_outbound_held_total", "counter",
                    "Rows held back before sending, by reason.");
  WriteMetricSample(out, "suaradesa_outbound_held_total", {{"reason", "rate_limit"}},
                    static_cast<double>(s.rate_limited));
  WriteMetricSample(out, "suaradesa_outbound_held_total", {{"reason", kOutsideWindowError}},
                    static_cast<double>(s.window_held));
  WriteMetricHeader(out, "suaradesa_sms_segments_sent_total", "counter",
                    "SMS segments of the messages sent, by channel.");
  for (const auto& [channel, n] : s.segments_sent) {
    WriteMetricSample(out, "suaradesa_sms_segments_sent_total", {{"channel", channel}},
                      static_cast<double>(n));
  }

  // Read at scrape time. When the store does not answer the gauges are left
  // out (a scrape shows them missing) rather than reported as 0.
  auto backlog = app_.store().OutboxBacklogAt(app_.clock().NowMillis());
  if (backlog) {
    WriteMetricHeader(out, "suaradesa_outbox_depth", "gauge",
                      "Outbox rows not yet sent or failed (pending or sending).");
    WriteMetricSample(out, "suaradesa_outbox_depth", {}, static_cast<double>(backlog->depth));
    WriteMetricHeader(out, "suaradesa_outbox_oldest_age_seconds", "gauge",
                      "Age of the oldest outbox row not yet sent or failed; 0 when none.");
    WriteMetricSample(out, "suaradesa_outbox_oldest_age_seconds", {},
                      static_cast<double>(backlog->oldest_age_ms) / 1000.0);
  } else {
    app_.log().Warn("metrics: outbox backlog unavailable: " + backlog.error().message);
  }
  return out.str();
}

}  // namespace suaradesa
