// The command line: `suaradesa VERB [options]`.
//
// RunCli parses the arguments and runs one verb. It writes to the given
// streams and reads the clock and environment it is handed, so tests run
// verbs in-process exactly as a user would from a shell. Each verb lives in
// its own file in this folder.
#ifndef SUARADESA_GATEWAY_CLI_CLI_H_
#define SUARADESA_GATEWAY_CLI_CLI_H_

#include <expected>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "gateway/clock.h"
#include "gateway/config.h"

namespace suaradesa::cli {

struct Context {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  const Clock& clock;
  EnvLookup env;
};

// Returns the process exit code: 0 success, 1 failure, 2 usage error.
int RunCli(const std::vector<std::string>& args, Context& ctx);

// Parsed options: "--name value" pairs (a repeated option keeps every
// value), "--flag" alone, and positional words.
struct Args {
  std::map<std::string, std::vector<std::string>> options;
  std::vector<std::string> positional;

  bool Has(const std::string& name) const { return options.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const;
};

// Options in `flags` take no value. Returns an error message on bad usage.
std::expected<Args, std::string> ParseArgs(const std::vector<std::string>& words,
                                           const std::vector<std::string>& flags);

// The config named by --config, or the demo config when none is given.
// Prints the problems to ctx.err and returns nullopt when it is invalid.
std::optional<Config> ConfigFor(const Args& args, Context& ctx);

int RunServe(const Args& args, Context& ctx);
int RunChat(const Args& args, Context& ctx);
int RunMigrate(const Args& args, Context& ctx);
int RunCheck(const Args& args, Context& ctx);
int RunExport(const Args& args, Context& ctx);
int RunWebhook(const Args& args, Context& ctx);
int RunToken(const Args& args, Context& ctx);
int RunImport(const Args& args, Context& ctx);
int RunBackup(const Args& args, Context& ctx);
int RunBench(const Args& args, Context& ctx);

}  // namespace suaradesa::cli

#endif  // SUARADESA_GATEWAY_CLI_CLI_H_
