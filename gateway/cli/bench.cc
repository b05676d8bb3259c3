// `suaradesa bench`: measures the gateway on this machine, in-process, and
// prints each figure beside its ceiling or target (issue 7):
//
//   - a bare cpp-httplib server (POST, 2-byte answer, keep-alive,
//     TCP_NODELAY, a pool of at least as many threads as connections): the
//     ceiling for any HTTP service here;
//   - the real gateway (App + HttpServer on 127.0.0.1, a temporary SQLite
//     file with synchronous=FULL) answering signed Telegram updates, with
//     the same load generator, and how many webhooks shared each commit
//     (group commit, storage/commit_queue.h);
//   - the gateway's latency at half load: requests sent on a fixed
//     schedule (open loop) at half the bare rate, or at half the gateway's
//     own rate when it cannot reach that, each timed from when it was due
//     to be sent, so a late request counts its wait;
//   - the durable write floor: the CPU one row per message costs SQLite
//     (WAL, synchronous=FULL) at the same number of messages to a commit,
//     the least any committer that stores messages durably can spend;
//   - resident memory idle and under load (/proc/self/status VmRSS);
//   - the time to queue a meeting notice to a group of 10,000 members;
//   - the outbox drain rate against a fake Telegram API, beside the
//     channel's rate limit;
//   - how throughput grows with cores (issue 16): the gateway again, each
//     time on a fresh database, with every thread it creates (the HTTP
//     pool and its listener, the store's committer, the outbox worker)
//     limited to 1 core and then to all cores with sched_setaffinity, and
//     the ratio of the two rates. The load generator runs on all cores in
//     both runs.
//
// Durations are measured with MonotonicNanos (gateway/clock.h). Not part of
// the test suite: its figures depend on the machine and on what else runs.
//
// Options: --seconds N (each load run, default 5), --connections N (default
// 8), --members N (default 10000), --mix walk|halo (default walk),
// --cores 1|all|both (which of the two core runs, default both).
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "dialogs/intent_model.h"
#include "gateway/app.h"
#include "gateway/cli/cli.h"
#include "gateway/clock.h"
#include "gateway/server.h"
#include "storage/commit_queue.h"
#include "storage/open_store.h"
#include "storage/sqlite/store.h"

namespace suaradesa::cli {

namespace {

constexpr const char* kBenchToken = "123456:BENCH-bot-token";
constexpr const char* kBenchSecret = "bench-secret_0123456789";
// Rows the durable write floor writes (storage::MeasureDurableWriteFloor).
constexpr int64_t kFloorRows = 20'000;

// VmRSS of this process in MB, or -1 when unknown.
double RssMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return -1;
}

// CPU time, in ns, used so far by the whole process (every thread, those
// that ended included), from getrusage.
int64_t ProcessCpuNanos() {
  rusage u{};
  if (getrusage(RUSAGE_SELF, &u) != 0) return -1;
  auto ns = [](const timeval& t) { return t.tv_sec * 1'000'000'000LL + t.tv_usec * 1000LL; };
  return ns(u.ru_utime) + ns(u.ru_stime);
}

// CPU time, in ns, used so far by this process's thread named `name` (the
// store's committer is CommitQueue::kThreadName), from /proc; -1 if there is
// no such thread.
int64_t ThreadCpuNanos(const std::string& name) {
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream comm(task.path() / "comm");
    std::string n;
    if (!std::getline(comm, n) || n != name) continue;
    std::ifstream stat(task.path() / "schedstat");
    int64_t ns = -1;
    if (stat >> ns) return ns;
  }
  return -1;
}

double Seconds(int64_t nanos) { return static_cast<double>(nanos) / 1e9; }

// CPUs the calling thread may run on, in increasing order (empty if
// unknown).
std::vector<int> AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

// Limits the calling thread to `cpus`. Threads it creates afterwards
// inherit the limit; threads that already exist keep theirs.
bool LimitThisThreadTo(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

// `cpus` written as Linux writes Cpus_allowed_list: "0", "0-3", "0-3,6".
std::string CpuListText(const std::vector<int>& cpus) {
  std::string text;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!text.empty()) text += ",";
    text += std::to_string(cpus[i]);
    if (j > i) text += "-" + std::to_string(cpus[j]);
    i = j + 1;
  }
  return text;
}

// "CPU 0" or "CPUs 0-3".
std::string CpuNames(const std::vector<int>& cpus) {
  return (cpus.size() == 1 ? "CPU " : "CPUs ") + CpuListText(cpus);
}

// The ids of this process's threads, from /proc/self/task.
std::set<std::string> ThreadIds() {
  std::set<std::string> ids;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    ids.insert(task.path().filename().string());
  }
  return ids;
}

// The Cpus_allowed_list of this process's thread `id`, from /proc.
std::string ThreadCpusAllowed(const std::string& id) {
  std::ifstream in("/proc/self/task/" + id + "/status");
  std::string line;
  const std::string key = "Cpus_allowed_list:";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) != 0) continue;
    const size_t start = line.find_first_not_of(" \t", key.size());
    return start == std::string::npos ? "" : line.substr(start);
  }
  return "";
}

struct LoadResult {
  int64_t ok = 0;
  int64_t errors = 0;
  double seconds = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::string first_error;  // the first non-200 answer, e.g. "HTTP 503"
  int client_cpus = 0;      // the fewest CPUs any client thread could run on
  double rps() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
};

// A request body and its headers for the n-th request of a run.
using MakeRequest = std::function<std::pair<std::string, httplib::Headers>(int64_t n)>;

// `connections` keep-alive clients POST to 127.0.0.1:port/path for
// `seconds`, each waiting for its answer before the next request. With
// `per_second` > 0 the requests are due on a fixed schedule instead (the
// n-th at start + n / per_second), taken by whichever client is free, and
// each latency runs from when the request was due. With max_requests > 0
// the run also ends once that many requests were sent.
LoadResult RunLoad(int port, const std::string& path, int connections, double seconds,
                   const MakeRequest& make, double per_second = 0, int64_t max_requests = 0) {
  std::atomic<int64_t> sequence{0};
  std::vector<std::vector<int64_t>> latencies(connections);
  std::vector<int64_t> errors(connections, 0);
  std::vector<std::string> first_errors(connections);
  std::vector<int> client_cpus(connections, 0);
  const int64_t start = MonotonicNanos();
  const int64_t end = start + static_cast<int64_t>(seconds * 1e9);
  std::vector<std::thread> threads;
  for (int t = 0; t < connections; ++t) {
    threads.emplace_back([&, t] {
      client_cpus[t] = static_cast<int>(AllowedCpus().size());
      httplib::Client cli("127.0.0.1", port);
      cli.set_keep_alive(true);
      cli.set_tcp_nodelay(true);
      cli.set_read_timeout(30, 0);
      while (MonotonicNanos() < end) {
        const int64_t n = sequence.fetch_add(1);
        if (max_requests > 0 && n >= max_requests) break;
        auto [body, headers] = make(n);
        int64_t before = MonotonicNanos();
        if (per_second > 0) {
          const int64_t due = start + static_cast<int64_t>(static_cast<double>(n) * 1e9 / per_second);
          if (due >= end) break;
          if (due > before) std::this_thread::sleep_for(std::chrono::nanoseconds(due - before));
          before = due;
        }
        auto res = cli.Post(path, headers, body, "application/json");
        const int64_t after = MonotonicNanos();
        if (res && res->status == 200) {
          latencies[t].push_back(after - before);
        } else {
          if (errors[t]++ == 0) {
            first_errors[t] = res ? "HTTP " + std::to_string(res->status)
                                  : "client error " + httplib::to_string(res.error());
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  LoadResult r;
  r.seconds = Seconds(MonotonicNanos() - start);
  std::vector<int64_t> all;
  for (int t = 0; t < connections; ++t) {
    all.insert(all.end(), latencies[t].begin(), latencies[t].end());
    r.errors += errors[t];
    if (r.first_error.empty()) r.first_error = first_errors[t];
  }
  r.ok = static_cast<int64_t>(all.size());
  r.client_cpus = *std::min_element(client_cpus.begin(), client_cpus.end());
  if (!all.empty()) {
    std::sort(all.begin(), all.end());
    r.p50_ms = static_cast<double>(all[all.size() / 2]) / 1e6;
    r.p99_ms = static_cast<double>(all[std::min(all.size() - 1, all.size() * 99 / 100)]) / 1e6;
  }
  return r;
}

// An httplib server on 127.0.0.1 with a kernel-chosen port, serving on its
// own thread until destroyed.
class LocalServer {
 public:
  explicit LocalServer(int threads) {
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_max_count(1000000);
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  }
  ~LocalServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  httplib::Server& server() { return server_; }
  int Start() {
    port_ = BindListening(server_, "127.0.0.1", 0);  // as the gateway binds
    if (port_ > 0) thread_ = std::thread([this] { server_.listen_after_bind(); });
    return port_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

std::string TelegramUpdate(int64_t update_id, int64_t chat_id, const std::string& text) {
  nlohmann::json u = {
      {"update_id", update_id},
      {"message",
       {{"message_id", update_id},
        {"from", {{"id", chat_id}, {"is_bot", false}, {"first_name", "Warga"}}},
        {"chat", {{"id", chat_id}, {"type", "private"}, {"first_name", "Warga"}}},
        {"date", 1795399200},
        {"text", text}}}};
  return u.dump();
}

// "2026-11-23T09:00" three days from now (UTC fields; close enough for a
// meeting in the future).
std::string MeetingTime(int64_t now_ms) {
  std::time_t t = static_cast<std::time_t>(now_ms / 1000 + 3 * 24 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT09:00", &tm);
  return buf;
}

void Row(std::ostream& out, const std::string& what, const std::string& measured,
         const std::string& ceiling) {
  char line[256];
  std::snprintf(line, sizeof line, "%-44s %18s   %s\n", what.c_str(), measured.c_str(),
                ceiling.c_str());
  out << line;
}

std::string Fmt(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace

const std::map<std::string, std::string>& EmbeddedBenchFiles();

// What residents send under the "walk" mix: bench_walk.json (compiled in),
// one script per resident, the scripts in turn. Empty when unreadable.
const std::vector<std::vector<std::string>>& WalkScripts() {
  static const std::vector<std::vector<std::string>> scripts = [] {
    std::vector<std::vector<std::string>> out;
    const auto& files = EmbeddedBenchFiles();
    auto it = files.find("bench_walk.json");
    if (it == files.end()) return out;
    const nlohmann::json doc = nlohmann::json::parse(it->second, nullptr, false);
    if (!doc.is_object() || !doc.contains("scripts") || !doc["scripts"].is_array()) return out;
    for (const auto& script : doc["scripts"]) {
      std::vector<std::string> lines;
      if (script.is_array()) {
        for (const auto& text : script) {
          if (text.is_string()) lines.push_back(text.get<std::string>());
        }
      }
      if (!lines.empty()) out.push_back(std::move(lines));
    }
    return out;
  }();
  return scripts;
}

// The text the `id`-th update of the run carries; resident `id % residents`.
std::string WalkText(int64_t id, int64_t residents) {
  const auto& scripts = WalkScripts();
  const int64_t resident = id % residents;
  const int64_t step = id / residents;
  const auto& script = scripts[static_cast<size_t>(resident) % scripts.size()];
  return script[static_cast<size_t>(step) % script.size()];
}

namespace {

constexpr int64_t kResidents = 5000;

// The gateway under test: a Telegram channel whose API is the fake at
// 127.0.0.1:telegram_port, its database at `database_path`.
Config GatewayConfig(const std::string& database_path, int telegram_port, int pool) {
  Config cfg = DemoConfig(kBenchSecret, "http://127.0.0.1:" + std::to_string(telegram_port) + "/sms");
  cfg.demo = false;
  cfg.database_path = database_path;
  cfg.listen_host = "127.0.0.1";
  cfg.threads = pool;
  cfg.public_url = "https://desa.example.org";
  channels::ChannelSettings tg;
  tg.id = "tg";
  tg.type = "telegram";
  tg.values["bot_token"] = kBenchToken;
  tg.values["secret_token"] = kBenchSecret;
  tg.values["api_base"] = "http://127.0.0.1:" + std::to_string(telegram_port);
  cfg.channels.push_back(tg);
  return cfg;
}

// Signed Telegram updates: a new update each time (ids from 1), from the
// residents in turn, saying what the mix has them say.
MakeRequest GatewayUpdates(const std::string& mix) {
  auto update_id = std::make_shared<std::atomic<int64_t>>(0);
  const httplib::Headers headers = {{"X-Telegram-Bot-Api-Secret-Token", kBenchSecret}};
  return [update_id, headers, walk = mix == "walk"](int64_t) {
    const int64_t id = update_id->fetch_add(1) + 1;
    const std::string text = walk ? WalkText(id, kResidents) : std::string("halo");
    return std::make_pair(TelegramUpdate(id, 100000 + id % kResidents, text), headers);
  };
}

// One run of the gateway with its threads limited to some CPUs.
struct CoresRun {
  std::vector<int> cpus;   // the gateway's threads were limited to these
  LoadResult load;         // measured by clients on the caller's CPUs
  int server_threads = 0;  // threads the gateway under test created
  int server_threads_limited = 0;  // of them, those allowed exactly `cpus`
  // Waits for the database server's answer during the measured load, the
  // outbox worker's included (PostgreSQL only; storage::DatabaseRoundTrips).
  uint64_t round_trips = 0;
  std::string error;       // why the run could not start, if it could not
};

// Creates a gateway (App: store and committer; outbox worker; HttpServer:
// listener and pool) from `cfg` on a new thread limited to `cpus` before it
// creates anything, so that every thread of the gateway inherits the limit,
// and puts it under load for `seconds` from clients created by the calling
// thread, which keep the caller's CPUs. Which threads the gateway made and
// the CPUs each may use are read from /proc/self/task. With warm_up > 0,
// that many requests go first, unmeasured (as fast as answered).
CoresRun RunGatewayOnCpus(const std::vector<int>& cpus, const Config& cfg, int connections,
                          double seconds, const MakeRequest& make, double per_second = 0,
                          int64_t warm_up = 0) {
  CoresRun run;
  run.cpus = cpus;
  const std::set<std::string> threads_before = ThreadIds();
  std::mutex mu;
  std::condition_variable changed;
  // Guarded by mu
  HttpServer* server = nullptr;
  int port = 0;  // 0: not yet bound; -1: failed
  bool stopped = false;

  std::thread owner([&] {
    SystemClock clock;
    std::ostringstream log;  // the gateway's log is not part of the table
    AppDeps deps;
    deps.clock = &clock;
    deps.log_stream = &log;
    std::unique_ptr<App> app;
    std::unique_ptr<HttpServer> http;
    std::string problem;
    int bound = -1;
    if (!LimitThisThreadTo(cpus)) {
      problem = std::string("sched_setaffinity: ") + std::strerror(errno);
    } else if (auto created = App::Create(cfg, deps); !created) {
      problem = created.error().empty() ? "cannot create the gateway" : created.error().front();
    } else {
      app = std::move(*created);
      app->outbox().Start();  // as `serve` runs it
      http = std::make_unique<HttpServer>(*app);
      bound = http->Bind("127.0.0.1", 0);
      if (bound <= 0) problem = "cannot bind 127.0.0.1";
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      server = bound > 0 ? http.get() : nullptr;
      port = bound > 0 ? bound : -1;
      run.error = problem;
    }
    changed.notify_all();
    if (bound > 0) {
      http->Listen();
      // Stop may still be returning on the caller's thread.
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return stopped; });
    }
    if (app) app->outbox().Stop();
    http.reset();
    app.reset();
  });

  {
    std::unique_lock<std::mutex> lock(mu);
    changed.wait(lock, [&] { return port != 0; });
  }
  if (port > 0) {
    // Once /healthz answers, the pool's threads exist: they are made when
    // the server starts listening.
    httplib::Client probe("127.0.0.1", port);
    for (int attempt = 0; attempt < 200; ++attempt) {
      auto res = probe.Get("/healthz");
      if (res && res->status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const std::string wanted = CpuListText(cpus);
    for (const auto& id : ThreadIds()) {
      if (threads_before.count(id) > 0) continue;
      ++run.server_threads;
      if (ThreadCpusAllowed(id) == wanted) ++run.server_threads_limited;
    }
    if (warm_up > 0) {
      (void)RunLoad(port, "/webhook/tg", connections, 600, make, 0, warm_up);
      // A deployment's planner knows its tables' sizes: autovacuum analyzes
      // a growing table within its first minute or so. A run seconds old
      // would otherwise be planned as if its tables were empty (PostgreSQL
      // read whole indexes: 739 req/s, 959 after ANALYZE).
      storage::DatabaseOptions db;
      db.path = cfg.database_path;
      db.url = cfg.database_url;
      db.schema = cfg.database_schema;
      if (auto s = storage::RefreshStatistics(db); !s) run.error = s.error().message;
    }
    const uint64_t round_trips_before = storage::DatabaseRoundTrips();
    run.load = RunLoad(port, "/webhook/tg", connections, seconds, make, per_second);
    run.round_trips = storage::DatabaseRoundTrips() - round_trips_before;
    server->Stop();
    {
      std::lock_guard<std::mutex> lock(mu);
      stopped = true;
    }
    changed.notify_all();
  }
  owner.join();
  return run;
}

// The rows of one core run.
void CoresRows(std::ostream& out, const std::string& what, const CoresRun& run) {
  if (!run.error.empty()) {
    Row(out, what, "failed", run.error);
    return;
  }
  const LoadResult& r = run.load;
  Row(out, what, Fmt("%.0f", r.rps()),
      "p50 / p99 " + Fmt("%.2f", r.p50_ms) + " / " + Fmt("%.2f", r.p99_ms) + " ms; " +
          Fmt("%.0f", static_cast<double>(r.errors)) + " non-200" +
          (r.first_error.empty() ? "" : " (first: " + r.first_error + ")"));
  Row(out, "  gateway threads on " + CpuNames(run.cpus) + " only",
      std::to_string(run.server_threads_limited) + " of " + std::to_string(run.server_threads),
      "pool, listener, committer, outbox worker; /proc/self/task/*/status");
  Row(out, "  load generator threads, CPUs each", std::to_string(r.client_cpus),
      "all cores, as in the other run");
}

// A schema of its own on the PostgreSQL server for one bench run.
Config OnPostgres(Config cfg, const std::string& url, const std::string& schema) {
  cfg.database_url = url;
  cfg.database_schema = schema;
  // A connection for each webhook thread's reads, and four committers.
  constexpr int kCommitters = 4;
  cfg.database_pool_size = cfg.threads + kCommitters;
  return cfg;
}

using storage::Status;

storage::DatabaseOptions PostgresAt(const std::string& url, const std::string& schema) {
  storage::DatabaseOptions o;
  o.url = url;
  o.schema = schema;
  return o;
}

// The gateway on SQLite and on PostgreSQL, each on all cores, in one run;
// PostgreSQL again at half its rate for the latency; and two gateways on one
// PostgreSQL database when there are cores enough to give each its own.
Status RunDatabaseRows(std::ostream& out, const std::string& url, const std::vector<int>& cpus,
                       const std::string& dir, int telegram_port, int pool, int connections,
                       double seconds, const std::string& mix) {
  const std::string stem = "bench_" + std::to_string(getpid()) + "_";
  std::vector<std::string> schemas;
  const auto fresh = [&](const std::string& what) {
    schemas.push_back(stem + what);
    return OnPostgres(GatewayConfig(dir + "/unused.db", telegram_port, pool), url, schemas.back());
  };
  // Each run measures the same work: a resident's first message (a new
  // contact, the privacy notice) costs more than the next ones, and a run
  // measured from the start would give the slower store more of them.
  const int64_t warm_up = mix == "walk" ? kResidents : 0;
  out << "\ndatabase: the gateway on all " << cpus.size() << " cores, on SQLite and on "
      << PostgresAt(url, "").Describe() << " (a schema of its own per run)";
  if (warm_up > 0) {
    out << ";\n  each measured after every resident's first message (unmeasured) and, on"
           " PostgreSQL, ANALYZE";
  }
  out << "\n";
  out.flush();
  const CoresRun sqlite = RunGatewayOnCpus(cpus, GatewayConfig(dir + "/db-sqlite.db",
                                                               telegram_port, pool),
                                           connections, seconds, GatewayUpdates(mix), 0, warm_up);
  CoresRows(out, "gateway on SQLite, req/s", sqlite);
  const CoresRun pg = RunGatewayOnCpus(cpus, fresh("one"), connections, seconds,
                                       GatewayUpdates(mix), 0, warm_up);
  CoresRows(out, "gateway on PostgreSQL, req/s", pg);
  if (const int64_t answered = pg.load.ok + pg.load.errors; answered > 0) {
    Row(out, "  round trips to PostgreSQL per webhook",
        Fmt("%.1f", static_cast<double>(pg.round_trips) / static_cast<double>(answered)),
        "waits for the server's answer, the outbox worker's included");
  }
  if (sqlite.load.rps() > 0 && pg.load.rps() > 0) {
    Row(out, "PostgreSQL / SQLite", Fmt("%.2f", pg.load.rps() / sqlite.load.rps()),
        "target >= 0.5");
    const CoresRun half = RunGatewayOnCpus(cpus, fresh("half"), connections, seconds,
                                           GatewayUpdates(mix), pg.load.rps() / 2, warm_up);
    Row(out, "PostgreSQL at half its rate, p99 ms", Fmt("%.2f", half.load.p99_ms),
        Fmt("%.0f", half.load.rps()) + " req/s offered; target < 50 ms");
  }
  out.flush();
  // Two gateways need a core each, and the load generator its own.
  const std::string two = "two gateways on one PostgreSQL / one";
  if (cpus.size() < 4) {
    Row(out, two, "-",
        "needs >= 4 cores (a core each and the load generator's); this machine has " +
            std::to_string(cpus.size()));
  } else {
    const size_t half_cpus = cpus.size() / 2;
    const std::vector<int> first(cpus.begin(), cpus.begin() + static_cast<long>(half_cpus / 2));
    const std::vector<int> second(cpus.begin() + static_cast<long>(half_cpus / 2),
                                  cpus.begin() + static_cast<long>(half_cpus));
    const Config shared = fresh("two");
    const MakeRequest make = GatewayUpdates(mix);
    // The second gateway's updates get other ids: a platform never sends
    // one update twice on purpose.
    const MakeRequest make_b = [make](int64_t id) { return make(id + 1000000000); };
    CoresRun a, b;
    std::thread ta([&] { a = RunGatewayOnCpus(first, shared, connections / 2 + 1, seconds, make); });
    std::thread tb(
        [&] { b = RunGatewayOnCpus(second, shared, connections / 2 + 1, seconds, make_b); });
    ta.join();
    tb.join();
    const CoresRun one = RunGatewayOnCpus(first, fresh("single"), connections, seconds, make);
    const double both = a.load.rps() + b.load.rps();
    Row(out, "two gateways, req/s together", Fmt("%.0f", both),
        "each on " + std::to_string(first.size()) + " core(s)");
    Row(out, "one gateway on the same cores, req/s", Fmt("%.0f", one.load.rps()), "");
    if (one.load.rps() > 0) Row(out, two, Fmt("%.2f", both / one.load.rps()) + "x", "target >= 1.5x");
  }
  for (const auto& schema : schemas) {
    (void)storage::DropSchema(PostgresAt(url, schema));
  }
  out.flush();
  return {};
}

}  // namespace

// The dialog step alone, on one thread, for every labelled first message
// compiled in (dialogs/training/): routing is most of a message's work on
// the HTTP threads, and this figure has no HTTP or disk in it. Returns
// microseconds per message; `count` is set to how many were stepped.
double DialogStepMicros(const dialogs::Dialogs& dialogs, size_t* count) {
  std::vector<std::string> texts;
  for (const auto& [name, lines] : dialogs::EmbeddedTrainingFiles()) {
    for (const auto& labelled : dialogs::ParseLabelledLines(lines)) texts.push_back(labelled.text);
  }
  *count = texts.size();
  if (texts.empty()) return 0;
  dialogs::Context context;
  context.now = 1'700'000'000'000;
  context.channel_type = "sms";
  size_t replies = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& text : texts) {
    dialogs::Input input;
    input.text = text;
    replies += dialogs.Step(dialogs::SessionState{}, input, context).replies.size();
  }
  const std::chrono::duration<double, std::micro> spent = std::chrono::steady_clock::now() - start;
  return replies > 0 ? spent.count() / static_cast<double>(texts.size()) : 0;
}

int RunBench(const Args& args, Context& ctx) {
  const double seconds = std::max(0.5, std::atof(args.Get("seconds", "5").c_str()));
  const int connections = std::max(1, std::atoi(args.Get("connections", "8").c_str()));
  const int members = std::max(1, std::atoi(args.Get("members", "10000").c_str()));
  const int pool = std::max(connections, 8);
  // "walk" (default): residents walk real dialogs; "halo": every update is
  // a greeting, as the first benches sent.
  const std::string mix = args.Get("mix", "walk");
  if (mix != "walk" && mix != "halo") {
    ctx.err << "bench: --mix must be walk or halo\n";
    return 2;
  }
  if (mix == "walk" && WalkScripts().empty()) {
    ctx.err << "bench: bench_walk.json holds no scripts\n";
    return 1;
  }
  // Which core runs: the gateway's threads on 1 core, on all cores, or both.
  const std::string cores = args.Get("cores", "both");
  // --database postgresql://...: also measure the gateway on PostgreSQL.
  const std::string database_url = args.Get("database", "");
  if (cores != "1" && cores != "all" && cores != "both") {
    ctx.err << "bench: --cores must be 1, all or both\n";
    return 2;
  }
  const std::vector<int> all_cpus = AllowedCpus();
  if (all_cpus.empty()) {
    ctx.err << "bench: cannot read this process's CPUs (sched_getaffinity)\n";
    return 1;
  }
  std::ostream& out = ctx.out;
  out << "suaradesa bench: " << connections << " keep-alive connections, " << seconds
      << " s per run, " << std::thread::hardware_concurrency() << " cores\n";
  if (mix == "walk") {
    out << "mix: " << kResidents << " residents, each walking one of these in turn:\n";
    for (const auto& script : WalkScripts()) {
      std::string line;
      for (const auto& text : script) line += (line.empty() ? "  " : " | ") + text;
      out << line << "\n";
    }
  } else {
    out << "mix: every update is \"halo\" from one of " << kResidents << " residents\n";
  }
  out.flush();

  // 1. The ceiling: a bare cpp-httplib server.
  LoadResult bare;
  {
    LocalServer server(pool);
    server.server().Post("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    const int port = server.Start();
    if (port <= 0) {
      ctx.err << "bench: cannot bind 127.0.0.1\n";
      return 1;
    }
    const std::string update = TelegramUpdate(1, 1, "halo");
    bare = RunLoad(port, "/", connections, seconds, [&](int64_t) {
      return std::make_pair(update, httplib::Headers{});
    });
  }

  // 2. The gateway, with a fake Telegram API.
  char dir_template[] = "/tmp/suaradesa-bench-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    ctx.err << "bench: cannot create a temporary directory\n";
    return 1;
  }
  const std::string dir = dir_template;
  std::atomic<int64_t> telegram_sends{0};
  LocalServer telegram(8);
  telegram.server().Post(".*", [&](const httplib::Request&, httplib::Response& res) {
    const int64_t id = telegram_sends.fetch_add(1) + 1;
    nlohmann::json answer = {
        {"ok", true},
        {"result", {{"message_id", id}, {"date", 1795399200}, {"chat", {{"id", 1}}}}}};
    res.set_content(answer.dump(), "application/json");
  });
  const int telegram_port = telegram.Start();
  if (telegram_port <= 0) {
    ctx.err << "bench: cannot bind 127.0.0.1\n";
    return 1;
  }
  const Config cfg = GatewayConfig(dir + "/bench.db", telegram_port, pool);

  SystemClock clock;
  std::ostringstream log;  // the gateway's log is not part of the table
  AppDeps deps;
  deps.clock = &clock;
  deps.log_stream = &log;
  auto created = App::Create(cfg, deps);
  if (!created) {
    for (const auto& p : created.error()) ctx.err << "bench: " << p << "\n";
    return 1;
  }
  App& app = **created;
  LoadResult gateway;
  LoadResult half;
  double half_rate = 0;
  // Group commit figures: SQLite's only (zeros on PostgreSQL).
  storage::SqliteFile* sqlite_file = storage::AsSqlite(app.store());
  const auto commit_stats = [&] {
    return sqlite_file != nullptr ? sqlite_file->commit_stats() : storage::SqliteFile::CommitStats{};
  };
  storage::SqliteFile::CommitStats commits_before = commit_stats();
  storage::SqliteFile::CommitStats commits_after = commits_before;
  double rss_idle = 0;
  double rss_load = 0;
  double cpu_used = 0;        // s of CPU, all threads, during the full-load run
  double committer_used = 0;  // s of CPU of the store's committer thread
  {
    HttpServer server(app);
    const int port = server.Bind("127.0.0.1", 0);
    if (port <= 0) {
      ctx.err << "bench: cannot bind 127.0.0.1\n";
      return 1;
    }
    std::thread listener([&] { server.Listen(); });
    rss_idle = RssMb();
    std::atomic<bool> loading{true};
    std::atomic<int64_t> rss_peak_kb{0};
    std::thread sampler([&] {
      while (loading.load()) {
        rss_peak_kb.store(std::max(rss_peak_kb.load(), static_cast<int64_t>(RssMb() * 1024)));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
    const MakeRequest make = GatewayUpdates(mix);
    const int64_t cpu_before = ProcessCpuNanos();
    const int64_t committer_before = ThreadCpuNanos(storage::CommitQueue::kThreadName);
    gateway = RunLoad(port, "/webhook/tg", connections, seconds, make);
    commits_after = commit_stats();
    cpu_used = Seconds(ProcessCpuNanos() - cpu_before);
    if (committer_before >= 0) {
      committer_used =
          Seconds(ThreadCpuNanos(storage::CommitQueue::kThreadName) - committer_before);
    }
    half_rate = std::min(bare.rps(), gateway.rps()) / 2;
    if (half_rate > 0) half = RunLoad(port, "/webhook/tg", connections, seconds, make, half_rate);
    loading.store(false);
    sampler.join();
    rss_load = static_cast<double>(rss_peak_kb.load()) / 1024.0;
    server.Stop();
    listener.join();
  }

  // The floor under the committer's figure: one durable row per message,
  // as many to a commit as the gateway's run had (SQLite only).
  std::optional<storage::DurableWriteFloor> floor;
  std::string floor_error;
  if (sqlite_file != nullptr) {
    const int64_t b = commits_after.batches - commits_before.batches;
    const int64_t w = commits_after.writes - commits_before.writes;
    const int per_commit =
        b > 0 ? std::max(1, static_cast<int>(static_cast<double>(w) / static_cast<double>(b) + 0.5))
              : 1;
    auto measured = storage::MeasureDurableWriteFloor(dir + "/floor.db", per_commit, kFloorRows);
    if (measured) {
      floor = *measured;
    } else {
      floor_error = measured.error().message;
    }
  }

  // 3. A notice to a group of `members` members.
  double notice_seconds = -1;
  int notices_queued = 0;
  {
    const int64_t now = clock.NowMillis();
    auto s = app.store().Transact([&](storage::Tx& tx) -> storage::Status {
      storage::Group g;
      g.code = "BENCH";
      g.name = "Bench group";
      g.area = cfg.areas.front().desa.front().code;
      g.created_at = now;
      auto group = tx.CreateGroup(g);
      if (!group) return std::unexpected(group.error());
      for (int i = 0; i < members; ++i) {
        auto contact = tx.EnsureContact("tg", std::to_string(900000 + i), "", now);
        if (!contact) return std::unexpected(contact.error());
        auto added = tx.AddMember(group->id, *contact, "api", now);
        if (!added) return std::unexpected(added.error());
      }
      return {};
    });
    if (!s) {
      ctx.err << "bench: cannot create the group: " << s.error().message << "\n";
    } else {
      auto rows_before = app.store().ListOutbox();
      const int64_t outbox_before = rows_before ? static_cast<int64_t>(rows_before->size()) : 0;
      nlohmann::json body = {{"title", "Musyawarah desa"},
                             {"forum", "musdes"},
                             {"area", cfg.areas.front().desa.front().code},
                             {"starts_at", MeetingTime(now)},
                             {"place", "Balai desa"},
                             {"agenda", "RKP Desa"},
                             {"groups", {"BENCH"}}};
      notices::Actor admin{"Bench", "admin", {}, ""};
      const int64_t start = MonotonicNanos();
      auto meeting = app.notices().CreateMeeting(admin, body);
      notice_seconds = Seconds(MonotonicNanos() - start);
      if (!meeting) {
        ctx.err << "bench: cannot create the meeting: " << meeting.error().message << "\n";
        notice_seconds = -1;
      }
      auto rows_after = app.store().ListOutbox();
      if (rows_after) {
        notices_queued = static_cast<int>(static_cast<int64_t>(rows_after->size()) - outbox_before);
      }
    }
  }

  // 4. The outbox against the fake Telegram API, for `seconds`.
  double drain_rate = 0;
  double drain_limit = 0;
  {
    if (const channels::Channel* ch = app.channel("tg")) {
      drain_limit = ch->rate_limits().per_second;
    }
    const int64_t sends_before = telegram_sends.load();
    const int64_t start = MonotonicNanos();
    const int64_t end = start + static_cast<int64_t>(seconds * 1e9);
    while (MonotonicNanos() < end) {
      if (app.outbox().RunOnce() > 0) continue;
      // Nothing went: wait until the worker's next round is due (a rate
      // limit slot), as the running worker would, or 5 ms.
      const int64_t wait_ms = app.outbox().next_round_at() - clock.NowMillis();
      std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp<int64_t>(wait_ms, 0, 5)));
    }
    drain_rate = static_cast<double>(telegram_sends.load() - sends_before) /
                 Seconds(MonotonicNanos() - start);
  }

  out << "\n";
  Row(out, "figure", "measured", "ceiling / target");
  Row(out, "bare cpp-httplib, req/s", Fmt("%.0f", bare.rps()),
      "ceiling on this machine (issue: 22,800-32,000)");
  Row(out, "bare cpp-httplib, p50 / p99 ms",
      Fmt("%.2f", bare.p50_ms) + " / " + Fmt("%.2f", bare.p99_ms), "");
  Row(out, "gateway (signed Telegram update), req/s", Fmt("%.0f", gateway.rps()),
      "target >= " + Fmt("%.0f", bare.rps() / 2) + " (half the bare rate)");
  Row(out, "gateway, p50 / p99 ms",
      Fmt("%.2f", gateway.p50_ms) + " / " + Fmt("%.2f", gateway.p99_ms),
      "at full load (closed loop)");
  Row(out, "gateway, non-200 answers", Fmt("%.0f", static_cast<double>(gateway.errors)),
      gateway.first_error.empty() ? "0" : "0; first: " + gateway.first_error);
  const int64_t batches = commits_after.batches - commits_before.batches;
  const int64_t writes = commits_after.writes - commits_before.writes;
  Row(out, "  webhooks per commit (group commit)",
      batches > 0 ? Fmt("%.2f", static_cast<double>(writes) / static_cast<double>(batches)) : "-",
      Fmt("%.0f", static_cast<double>(writes)) + " writes in " +
          Fmt("%.0f", static_cast<double>(batches)) + " commits");
  if (gateway.ok > 0) {
    const double n = static_cast<double>(gateway.ok);
    Row(out, "  CPU per webhook, us (all threads)", Fmt("%.0f", cpu_used * 1e6 / n),
        Fmt("%.2f", cpu_used / gateway.seconds) + " of " +
            std::to_string(std::thread::hardware_concurrency()) +
            " cores busy; at the target rate they allow " +
            Fmt("%.0f", 2e6 * std::thread::hardware_concurrency() / bare.rps()));
    Row(out, "  committer CPU per webhook, us", Fmt("%.0f", committer_used * 1e6 / n),
        Fmt("%.0f", committer_used / gateway.seconds * 100) +
            "% of one core; the serialized part");
  }
  if (floor) {
    Row(out, "  durable write floor, CPU us per message", Fmt("%.0f", floor->cpu_us_per_row),
        "one row and its unique index, " + std::to_string(floor->per_commit) +
            " to a commit, synchronous=FULL (COMMIT " + Fmt("%.0f", floor->commit_us_per_row) +
            "): no committer costs less");
  } else if (!floor_error.empty()) {
    Row(out, "  durable write floor, CPU us per message", "failed", floor_error);
  }
  Row(out, "gateway at " + Fmt("%.0f", half_rate) + " req/s, p50 / p99 ms",
      Fmt("%.2f", half.p50_ms) + " / " + Fmt("%.2f", half.p99_ms),
      std::string("target p99 < 20 ms; ") +
          (half_rate * 2 >= bare.rps() ? "half the bare rate" : "half the gateway's rate"));
  Row(out, "  sent / non-200 at that rate",
      Fmt("%.0f", static_cast<double>(half.ok)) + " / " +
          Fmt("%.0f", static_cast<double>(half.errors)),
      half.first_error.empty() ? "0 non-200" : "0 non-200; first: " + half.first_error);
  {
    size_t stepped = 0;
    const double step_us = DialogStepMicros(app.dialogs(), &stepped);
    Row(out, "dialog step of a first message, us", Fmt("%.0f", step_us),
        std::to_string(stepped) + " labelled first messages (dialogs/training/), one thread");
  }
  Row(out, "RSS idle, MB", Fmt("%.1f", rss_idle), "target < 30");
  Row(out, "RSS under load (peak), MB", Fmt("%.1f", rss_load), "target < 100");
  Row(out, "notice to " + std::to_string(members) + " members, s",
      notice_seconds < 0 ? "failed" : Fmt("%.3f", notice_seconds), "target < 1");
  Row(out, "  outbox rows queued by it", Fmt("%.0f", static_cast<double>(notices_queued)),
      std::to_string(members));
  Row(out, "outbox drain, sends/s", Fmt("%.1f", drain_rate),
      drain_limit > 0 ? "channel limit " + Fmt("%.1f", drain_limit) : "no channel limit");
  out.flush();

  // 5. Scaling with cores: the gateway again, each run on a fresh database,
  // its threads limited to one core, then to all of them.
  const int n = static_cast<int>(all_cpus.size());
  out << "\ncores: the gateway's threads limited with sched_setaffinity; the load generator"
      << " and the fake Telegram API on all " << n << " cores (" << CpuNames(all_cpus)
      << ") in every run\n";
  out.flush();
  const std::vector<int> one_cpu = {all_cpus.front()};
  const bool run_one = cores != "all" || n == 1;
  const bool run_all = cores != "1" && n > 1;
  CoresRun on_one;
  CoresRun on_all;
  if (run_one) {
    on_one = RunGatewayOnCpus(one_cpu, GatewayConfig(dir + "/cores-1.db", telegram_port, pool),
                              connections, seconds, GatewayUpdates(mix));
    CoresRows(out, "gateway on 1 core (" + CpuNames(one_cpu) + "), req/s", on_one);
    out.flush();
  }
  if (run_all) {
    on_all = RunGatewayOnCpus(all_cpus, GatewayConfig(dir + "/cores-all.db", telegram_port, pool),
                              connections, seconds, GatewayUpdates(mix));
    CoresRows(out, "gateway on all " + std::to_string(n) + " cores, req/s", on_all);
  }
  const std::string scaling = "scaling: all cores / 1 core";
  if (n == 1) {
    Row(out, scaling, "-", "needs >= 2 cores; this process may use 1");
  } else if (!run_one || !run_all) {
    Row(out, scaling, "-", "needs both runs (--cores both)");
  } else if (on_one.load.rps() <= 0 || on_all.load.rps() <= 0) {
    Row(out, scaling, "-", "a run answered nothing");
  } else {
    Row(out, scaling, Fmt("%.2f", on_all.load.rps() / on_one.load.rps()) + "x",
        std::to_string(n) + " cores, shared with the load generator; target >= 3x on more");
  }
  out.flush();

  // 6. PostgreSQL (--database URL): the same gateway on it, beside SQLite.
  if (!database_url.empty()) {
    if (Status s = RunDatabaseRows(out, database_url, all_cpus, dir, telegram_port, pool,
                                   connections, seconds, mix);
        !s) {
      ctx.err << "bench: " << s.error().message << "\n";
    }
  }

  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}

}  // namespace suaradesa::cli
