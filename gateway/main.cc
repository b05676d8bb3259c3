// The composition root: hands the command line to the CLI with the real
// streams, clock and environment.
#include <iostream>
#include <string>
#include <vector>

#include "gateway/cli/cli.h"
#include "gateway/clock.h"

int main(int argc, char** argv) {
  suaradesa::SystemClock clock;
  suaradesa::cli::Context ctx{std::cin, std::cout, std::cerr, clock, suaradesa::ProcessEnv()};
  std::vector<std::string> args(argv + 1, argv + argc);
  return suaradesa::cli::RunCli(args, ctx);
}
