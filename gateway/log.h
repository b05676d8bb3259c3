// Log: one line per event on stderr (or any stream), with secrets masked.
//
// Every configured secret is registered with AddSecret and replaced by
// "[redacted]" in each line before it is written. Phone numbers and platform
// addresses are shortened with MaskAddress before they reach a log call.
//
// Thread safety: all methods may be called from any thread.
#ifndef SUARADESA_GATEWAY_LOG_H_
#define SUARADESA_GATEWAY_LOG_H_

#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace suaradesa {

class Log {
 public:
  // `out` must outlive the Log.
  explicit Log(std::ostream& out);

  void AddSecret(const std::string& secret);
  void Info(const std::string& line);
  void Warn(const std::string& line);
  void Error(const std::string& line);

 private:
  void Write(const char* level, const std::string& line);

  std::ostream& out_;
  std::mutex mu_;
  // Guarded by mu_
  std::vector<std::string> secrets_;
};

// "+6281234567890" -> "***7890": enough to tell contacts apart in a log,
// not enough to call anyone.
std::string MaskAddress(const std::string& address);

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_LOG_H_
