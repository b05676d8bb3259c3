// The command line, run in-process exactly as a user would type it.
#include "gateway/cli/cli.h"

#include <sched.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/gateway/test_gateway.h"

#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

struct Run {
  int code = 0;
  std::string out;
  std::string err;
};

class CliFixture {
 public:
  CliFixture() {
    config_ = dir_.File("suaradesa.json");
    std::ofstream f(config_);
    f << R"({"database": )" << DatabaseJsonText(dir_.File("cli.db")) << R"(,
      "areas": [{"code": "3510070", "name": "Rogojampi", "timezone": "Asia/Jakarta",
                 "desa": [{"code": "3510070001", "name": "Gitik"},
                          {"code": "3510070002", "name": "Kaotan"}]}],
      "channels": []})";
  }

  Run Cli(std::vector<std::string> args, const std::string& input = "") {
    std::istringstream in(input);
    std::ostringstream out, err;
    cli::Context ctx{in, out, err, clock_, [](const std::string&) { return std::nullopt; }};
    Run r;
    r.code = cli::RunCli(args, ctx);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  const std::string& config() const { return config_; }
  FakeClock& clock() { return clock_; }

 private:
  TempDir dir_;
  std::string config_;
  FakeClock clock_;
};

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    out.push_back(j);
  }
  return out;
}

TEST_CASE("Cli: chat --json answers one JSON object per line and ends with a ticket", "[cli]") {
  CliFixture f;
  auto r = f.Cli({"chat", "--config", f.config(), "--from", "+6281234567890", "--json"},
                 "USUL\nPerbaikan jalan desa\nGitik\nDusun Krajan RT 02\n300 m\n40 KK\n10\n20\n"
                 "5 jt\ntenaga gotong royong\nKelompok Tani Maju\n3\nya\n");
  INFO(r.err);
  REQUIRE(r.code == 0);
  auto lines = JsonLines(r.out);
  REQUIRE(lines.size() == 13);
  CHECK(lines[0]["in"] == "USUL");
  CHECK(lines[0]["flow"] == "usulan");
  CHECK(lines[0]["node"].is_string());
  CHECK(lines[0]["out"].size() >= 1);
  const json& last = lines.back();
  CHECK(last["flow"].is_null());
  CHECK(last["node"].is_null());
  REQUIRE(last["out"].size() >= 1);
  CHECK(last["out"].back().get<std::string>().find("USL-1") != std::string::npos);

  auto csv = f.Cli({"export", "cases", "--config", f.config()});
  REQUIRE(csv.code == 0);
  CHECK(csv.out.rfind("ticket,type,status,area,desa,created_at,summary\r\n", 0) == 0);
  CHECK(csv.out.find("USL-1,usulan,diterima,3510070,3510070001,2026-11-23T02:00:00Z,") !=
        std::string::npos);
  // The proposer's number is nowhere in the export.
  CHECK(csv.out.find("81234567890") == std::string::npos);
}

TEST_CASE("Cli: chat --json reports null flow when no dialog is open", "[cli]") {
  CliFixture f;
  auto r = f.Cli({"chat", "--config", f.config(), "--json"}, "MENU\nBATAL\n");
  REQUIRE(r.code == 0);
  auto lines = JsonLines(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1]["flow"].is_null());
  CHECK(lines[1]["out"].size() >= 1);
}

TEST_CASE("Cli: a complaint keeps the reporter out of the export", "[cli]") {
  CliFixture f;
  auto r = f.Cli({"chat", "--config", f.config(), "--from", "+6289876543210", "--json"},
                 "ADUAN\nDana BLM dipotong oleh oknum\nKaotan\n");
  REQUIRE(r.code == 0);
  auto lines = JsonLines(r.out);
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.back()["out"].back().get<std::string>().find("ADU-1") != std::string::npos);
  auto csv = f.Cli({"export", "cases", "--config", f.config(), "--type", "pengaduan"});
  REQUIRE(csv.code == 0);
  CHECK(csv.out.find("ADU-1,pengaduan,") != std::string::npos);
  CHECK(csv.out.find("89876543210") == std::string::npos);
  auto none = f.Cli({"export", "cases", "--config", f.config(), "--type", "usulan"});
  CHECK(none.out.find("ADU-1") == std::string::npos);
}

TEST_CASE("Cli: bench refuses a mix it does not know before it loads anything", "[cli]") {
  CliFixture f;
  Run r = f.Cli({"bench", "--mix", "everything", "--seconds", "0.5"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--mix must be walk or halo") != std::string::npos);
  CHECK(r.out.find("bare cpp-httplib") == std::string::npos);
}

TEST_CASE("Cli: bench refuses a core count it does not know before it loads anything", "[cli]") {
  CliFixture f;
  Run r = f.Cli({"bench", "--cores", "2", "--seconds", "0.5"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--cores must be 1, all or both") != std::string::npos);
  CHECK(r.out.find("bare cpp-httplib") == std::string::npos);
}

// The lines of a bench table that start with `prefix`.
std::vector<std::string> BenchLines(const std::string& out, const std::string& prefix) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) lines.push_back(line);
  }
  return lines;
}

// The number that follows `token` on `line`.
std::optional<double> NumberAfter(const std::string& line, const std::string& token) {
  const size_t at = line.find(token);
  if (at == std::string::npos) return std::nullopt;
  std::istringstream rest(line.substr(at + token.size()));
  double value = 0;
  if (rest >> value) return value;
  return std::nullopt;
}

// Only that the core rows are there and agree with each other: the figures
// themselves depend on the machine.
TEST_CASE("Cli: bench runs the gateway on one core and on all, and prints their ratio", "[cli]") {
  cpu_set_t set;
  CPU_ZERO(&set);
  REQUIRE(sched_getaffinity(0, sizeof set, &set) == 0);
  const int cores = CPU_COUNT(&set);
  CliFixture f;
  Run r = f.Cli({"bench", "--seconds", "0.5", "--connections", "2", "--members", "10"});
  REQUIRE(r.code == 0);
  INFO(r.out);
  CHECK(r.out.find("the load generator and the fake Telegram API on all " +
                   std::to_string(cores) + " cores") != std::string::npos);

  // The dialog step alone, over every labelled first message compiled in.
  const auto step = BenchLines(r.out, "dialog step of a first message, us");
  REQUIRE(step.size() == 1);
  CHECK(NumberAfter(step[0], "us").value_or(0) > 0);
  CHECK(NumberAfter(step[0], "us").value_or(0) < 1e6);
  CHECK(NumberAfter(step[0], "us").has_value());
  const size_t counted = step[0].find("labelled first messages");
  REQUIRE(counted != std::string::npos);
  std::istringstream lines(step[0].substr(step[0].rfind(' ', counted - 2) + 1));
  size_t stepped = 0;
  REQUIRE(lines >> stepped);
  CHECK(stepped > 10000);

  const auto one = BenchLines(r.out, "gateway on 1 core (CPU ");
  REQUIRE(one.size() == 1);
  const auto one_rate = NumberAfter(one[0], "req/s");
  REQUIRE(one_rate.has_value());
  CHECK(*one_rate > 0);

  // Each run: the pool (at least 8 threads), its listener, the committer
  // and the outbox worker, all confined to the run's CPUs; the load
  // generator on all of them.
  const auto threads = BenchLines(r.out, "  gateway threads on CPU");
  const auto clients = BenchLines(r.out, "  load generator threads, CPUs each");
  const size_t runs = cores == 1 ? 1 : 2;
  REQUIRE(threads.size() == runs);
  REQUIRE(clients.size() == runs);
  for (size_t i = 0; i < runs; ++i) {
    std::istringstream counts(threads[i].substr(threads[i].find(" only") + 5));
    int limited = 0, made = 0;
    std::string of;
    REQUIRE(counts >> limited >> of >> made);
    CHECK(of == "of");
    CHECK(made >= 11);
    CHECK(limited == made);
    CHECK(NumberAfter(clients[i], "each") == cores);
  }

  const auto scaling = BenchLines(r.out, "scaling: all cores / 1 core");
  REQUIRE(scaling.size() == 1);
  if (cores == 1) {
    CHECK(scaling[0].find("needs >= 2 cores") != std::string::npos);
    return;
  }
  const auto all = BenchLines(r.out, "gateway on all " + std::to_string(cores) + " cores, req/s");
  REQUIRE(all.size() == 1);
  const auto all_rate = NumberAfter(all[0], "req/s");
  REQUIRE(all_rate.has_value());
  CHECK(*all_rate > 0);
  const auto ratio = NumberAfter(scaling[0], "1 core");
  REQUIRE(ratio.has_value());
  // The rates are printed rounded to whole requests, the ratio to 0.01.
  CHECK(*ratio == Approx(*all_rate / *one_rate).margin(0.01 + 2.0 / *one_rate));
}

TEST_CASE("Cli: migrate says what it did, then that the schema is current", "[cli]") {
  CliFixture f;
  auto first = f.Cli({"migrate", "--config", f.config()});
  REQUIRE(first.code == 0);
  // Each backend has its own migrations (storage/migrations/postgres/).
  const std::string first_migration = TestingPostgres() ? "0010_schema.sql" : "0001_init.sql";
  CHECK(first.out.find("applied " + first_migration) != std::string::npos);
  auto second = f.Cli({"migrate", "--config", f.config()});
  REQUIRE(second.code == 0);
  CHECK(second.out.find("schema is current") != std::string::npos);
}

TEST_CASE("Cli: check passes on a good config and names the key of a bad one", "[cli]") {
  CliFixture f;
  auto ok = f.Cli({"check", "--config", f.config()});
  INFO(ok.err);
  CHECK(ok.code == 0);

  TempDir d;
  std::ofstream(d.File("bad.json"))
      << R"({"areas":[{"code":"1","name":"A","timezone":"Asia/Jakarta"}],
             "channels":[{"id":"tg","type":"telegram","bot_token":"x"}]})";
  auto bad = f.Cli({"check", "--config", d.File("bad.json")});
  CHECK(bad.code == 1);
  CHECK(bad.err.find("channels[0].secret_token: missing") != std::string::npos);
  auto serve = f.Cli({"serve", "--config", d.File("bad.json")});
  CHECK(serve.code == 1);
  CHECK(serve.err.find("channels[0].secret_token: missing") != std::string::npos);
}

TEST_CASE("Cli: --help, --version and unknown verbs", "[cli]") {
  CliFixture f;
  auto help = f.Cli({"--help"});
  CHECK(help.code == 0);
  CHECK(help.out.find("serve") != std::string::npos);
  auto version = f.Cli({"--version"});
  CHECK(version.code == 0);
  CHECK(version.out.rfind("suaradesa ", 0) == 0);
  auto unknown = f.Cli({"frobnicate"});
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("unknown verb 'frobnicate'") != std::string::npos);
  auto missing = f.Cli({"chat", "--from"});
  CHECK(missing.code == 2);
}

}  // namespace
}  // namespace suaradesa::testing
