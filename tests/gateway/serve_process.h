// `suaradesa serve` as a child process, for the tests that kill it (crash,
// several gateways): start it on a config file, wait until it is healthy,
// SIGKILL it.
#ifndef SUARADESA_TESTS_GATEWAY_SERVE_PROCESS_H_
#define SUARADESA_TESTS_GATEWAY_SERVE_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace suaradesa::testing {

// A port on 127.0.0.1 that was free a moment ago (a config cannot say "any
// port").
int FreePort();

// `suaradesa serve --config FILE` as a child process, its output appended to
// log_path; SIGKILLed when the object goes away.
class ServeProcess {
 public:
  ServeProcess(const std::string& config, const std::string& log_path);
  ~ServeProcess() { Kill(); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // False once it has exited (reaped).
  bool Running();
  // SIGKILL, and wait for it.
  void Kill();

 private:
  pid_t pid_ = -1;
};

// Polls /healthz on `port` until it answers 200 (true), the process exits or
// wait_nanos pass (false).
bool WaitHealthy(ServeProcess& child, int port, int64_t wait_nanos);

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_GATEWAY_SERVE_PROCESS_H_
