#include "gateway/cli/cli.h"

#include <openssl/rand.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace suaradesa::cli {

namespace {

constexpr const char* kUsage =
    "usage: suaradesa VERB [options]\n"
    "\n"
    "  serve   [--config FILE] [--port N]     run the gateway (no config: the demo)\n"
    "  chat    [--config FILE] [--from PHONE] [--json]\n"
    "                                         talk to the dialogs from this terminal\n"
    "  migrate [--config FILE]                bring the database schema up to date\n"
    "  check   [--config FILE]                validate config, flows and locales\n"
    "  export cases [--config FILE] [--type usulan|pengaduan] [--from DATE] [--to DATE]\n"
    "                                         cases as CSV on stdout\n"
    "  export messages [--config FILE] [--from DATE] [--to DATE]\n"
    "                                         the message log as CSV on stdout\n"
    "  export report --area CODE --month YYYY-MM [--config FILE]\n"
    "                                         participation figures as CSV on stdout\n"
    "  backup FILE [--config FILE]            a consistent copy of the database, taken\n"
    "                                         while the gateway runs (see README.md)\n"
    "  bench [--seconds N] [--connections N] [--members N] [--mix walk|halo]\n"
    "        [--cores 1|all|both] [--database URL]\n"
    "                                         measure throughput, latency and memory;\n"
    "                                         --cores: the gateway's threads on 1 core,\n"
    "                                         on all cores, or both and their ratio;\n"
    "                                         --database postgresql://...: also on it\n"
    "  token create --name N --role admin|fasilitator [--area CODE ...]\n"
    "        [--position OFFICE] [--level desa|kecamatan|kabupaten] [--channel ID --address A]\n"
    "  token list | token revoke ID           desk API tokens (shown once; only a hash is kept)\n"
    "  import members FILE.csv --group CODE [--config FILE]\n"
    "                                         add a group's members in bulk (see README.md)\n"
    "  webhook set|info CHANNEL [--config FILE]\n"
    "                                         register our webhook with the platform, or show it\n"
    "  --help, --version\n"
    "\n"
    "With no --config, the demo runs: SQLite in ./data, the Rogojampi demo area\n"
    "and a generic http channel. See README.md.\n";

// The demo's http-channel secret: made once, kept in data/ so that the
// curl command printed by `serve` keeps working across restarts.
std::string DemoSecret() {
  const std::string path = "data/demo-http-secret";
  std::ifstream in(path);
  std::string secret;
  if (in && std::getline(in, secret) && secret.size() >= 16) return secret;
  unsigned char raw[16];
  if (RAND_bytes(raw, sizeof raw) != 1) return "demo-secret-change-me";
  static const char* kHex = "0123456789abcdef";
  secret.clear();
  for (unsigned char b : raw) {
    secret += kHex[b >> 4];
    secret += kHex[b & 15];
  }
  std::error_code ec;
  std::filesystem::create_directories("data", ec);
  std::ofstream out(path, std::ios::trunc);
  out << secret << "\n";
  return secret;
}

}  // namespace

std::string Args::Get(const std::string& name, const std::string& fallback) const {
  auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return fallback;
  return it->second.back();
}

std::expected<Args, std::string> ParseArgs(const std::vector<std::string>& words,
                                           const std::vector<std::string>& flags) {
  Args args;
  const std::set<std::string> flag_set(flags.begin(), flags.end());
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.rfind("--", 0) == 0 && w.size() > 2) {
      std::string name = w.substr(2);
      std::string value;
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else if (!flag_set.count(name)) {
        if (i + 1 >= words.size()) return std::unexpected("--" + name + " needs a value");
        value = words[++i];
      }
      args.options[name].push_back(value);
    } else {
      args.positional.push_back(w);
    }
  }
  return args;
}

std::optional<Config> ConfigFor(const Args& args, Context& ctx) {
  if (!args.Has("config")) {
    int port = 8080;
    if (args.Has("port")) port = std::atoi(args.Get("port").c_str());
    Config cfg = DemoConfig(DemoSecret(), "http://127.0.0.1:" + std::to_string(port) + "/demo/sent");
    cfg.listen_port = port;
    return cfg;
  }
  auto cfg = LoadConfig(args.Get("config"), ctx.env);
  if (!cfg) {
    for (const auto& p : cfg.error()) ctx.err << "config error: " << p << "\n";
    return std::nullopt;
  }
  if (args.Has("port")) cfg->listen_port = std::atoi(args.Get("port").c_str());
  return *cfg;
}

int RunCli(const std::vector<std::string>& argv, Context& ctx) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    (argv.empty() ? ctx.err : ctx.out) << kUsage;
    return argv.empty() ? 2 : 0;
  }
  if (argv[0] == "--version" || argv[0] == "version") {
    ctx.out << "suaradesa " << SUARADESA_VERSION << "\n";
    return 0;
  }
  const std::string verb = argv[0];
  std::vector<std::string> rest(argv.begin() + 1, argv.end());
  auto args = ParseArgs(rest, {"json", "help"});
  if (!args) {
    ctx.err << "suaradesa " << verb << ": " << args.error() << "\n";
    return 2;
  }
  if (args->Has("help")) {
    ctx.out << kUsage;
    return 0;
  }
  if (verb == "serve") return RunServe(*args, ctx);
  if (verb == "chat") return RunChat(*args, ctx);
  if (verb == "migrate") return RunMigrate(*args, ctx);
  if (verb == "check") return RunCheck(*args, ctx);
  if (verb == "export") return RunExport(*args, ctx);
  if (verb == "webhook") return RunWebhook(*args, ctx);
  if (verb == "token") return RunToken(*args, ctx);
  if (verb == "import") return RunImport(*args, ctx);
  if (verb == "backup") return RunBackup(*args, ctx);
  if (verb == "bench") return RunBench(*args, ctx);
  ctx.err << "suaradesa: unknown verb '" << verb << "'\n\n" << kUsage;
  return 2;
}

}  // namespace suaradesa::cli
