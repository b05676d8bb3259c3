// `suaradesa serve`: runs the gateway until SIGINT or SIGTERM; SIGHUP
// loads the TLS certificate and key again (after a renewal).
#include <signal.h>

#include <fstream>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "gateway/app.h"
#include "gateway/desk/auth.h"
#include "gateway/cli/cli.h"
#include "gateway/server.h"

namespace suaradesa::cli {

namespace {

// The demo's admin token for the web inbox: made once and kept in data/ so
// that it stays valid across restarts. Only the demo keeps a token in clear.
std::string DemoAdminToken(App& app, const Clock& clock) {
  const std::string path = "data/demo-admin-token";
  std::string token;
  {
    std::ifstream in(path);
    if (in) std::getline(in, token);
  }
  bool valid = false;
  if (!token.empty()) {
    auto actor = app.desk().Authenticate(token);
    valid = actor.has_value();
  }
  if (valid) return token;
  token = desk::NewToken();
  storage::Staff staff{0, "Admin Demo", "admin", "", "kabupaten", {}, "", ""};
  storage::Token t{0, staff.name, "admin", {}, desk::HashToken(token), clock.NowMillis(), 0};
  auto s = app.store().Transact([&](storage::Tx& tx) -> storage::Status {
    if (auto r = tx.PutStaff(staff); !r) return r;
    auto id = tx.CreateToken(t);
    if (!id) return std::unexpected(id.error());
    return {};
  });
  if (!s) return "";
  std::ofstream out(path, std::ios::trunc);
  out << token << "\n";
  return token;
}

void PrintDemoHelp(const Config& cfg, int port, const std::string& admin_token,
                   std::ostream& out) {
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  const std::string secret = cfg.channels.front().Get("secret");
  out << "\nsuaradesa demo is running at " << base << "\n"
      << "  database:   " << cfg.Database().Describe() << "\n"
      << "  area:       Kecamatan " << cfg.areas.front().name << " (";
  for (size_t i = 0; i < cfg.areas.front().desa.size(); ++i) {
    out << (i ? ", " : "") << cfg.areas.front().desa[i].name;
  }
  out << ")\n"
      << "  health:     curl " << base << "/healthz\n"
      << "  web inbox:  " << base << "/inbox/   (sign in with the admin token below)\n"
      << "  papan:      " << base << "/papan/   (each desa's public board, no login)\n"
      << "  token:      " << admin_token << "\n\n"
      << "Send a message as a villager would, through the demo's generic http channel\n"
      << "(replies are printed in this console):\n\n"
      << "  BODY='{\"id\":\"m1\",\"from\":\"+6281234567890\",\"text\":\"USUL\"}'\n"
      << "  SIG=$(printf %s \"$BODY\" | openssl dgst -sha256 -hmac '" << secret
      << "' | sed 's/.*= //')\n"
      << "  curl -s " << base << "/webhook/web -H \"X-Suaradesa-Signature: sha256=$SIG\" -d \"$BODY\"\n\n"
      << "(change \"id\" for every new message: a repeated id is a retried delivery)\n"
      << "Or talk to the dialogs directly in another terminal:  suaradesa chat\n"
      << "For Telegram and the other platforms, write a config file: see README.md.\n\n";
}

}  // namespace

int RunServe(const Args& args, Context& ctx) {
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;

  // Block the signals we act on in every thread; one thread waits for them
  // with sigwait, so no signal handler runs and the TLS reload happens on
  // that ordinary thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  AppDeps deps;
  deps.clock = &ctx.clock;
  deps.log_stream = &ctx.err;
  auto app = App::Create(*cfg, deps);
  if (!app) {
    for (const auto& p : app.error()) ctx.err << "cannot start: " << p << "\n";
    return 1;
  }
  App& a = **app;
  if (auto s = a.store().RecoverClaims(ctx.clock.NowMillis()); !s) {
    ctx.err << "cannot start: database: " << s.error().message << "\n";
    return 1;
  }

  HttpServer server(a);
  int port = server.Bind(cfg->listen_host, cfg->listen_port);
  if (port <= 0) {
    ctx.err << "cannot start: listen: cannot bind " << cfg->listen_host << ":"
            << cfg->listen_port
            << " (port in use? try --port N; with TLS, see the log line above)\n";
    return 1;
  }
  a.outbox().Start();
  if (cfg->demo) {
    PrintDemoHelp(*cfg, port, DemoAdminToken(a, ctx.clock), ctx.out);
  } else {
    ctx.out << "suaradesa listening on " << cfg->listen_host << ":" << port << "\n";
  }
  ctx.out.flush();
  a.log().Info("listening on " + cfg->listen_host + ":" + std::to_string(port));

  // Periodic jobs (deadlines, reminders) every 30 s until stop.
  std::mutex tick_mu;
  std::condition_variable tick_cv;
  bool stopping = false;
  std::thread ticker([&] {
    std::unique_lock<std::mutex> lock(tick_mu);
    while (!stopping) {
      lock.unlock();
      a.Tick();
      lock.lock();
      tick_cv.wait_for(lock, std::chrono::seconds(30), [&] { return stopping; });
    }
  });
  std::thread waiter([&] {
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        server.ReloadTls();
        continue;
      }
      a.log().Info("stopping (signal " + std::to_string(sig) + ")");
      server.Stop();
      return;
    }
  });
  server.Listen();
  // Listen also returns if the server stopped for another reason: wake the
  // waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  {
    std::lock_guard<std::mutex> lock(tick_mu);
    stopping = true;
  }
  tick_cv.notify_all();
  ticker.join();
  a.outbox().Stop();
  return 0;
}

}  // namespace suaradesa::cli
