#include "gateway/log.h"

namespace suaradesa {

Log::Log(std::ostream& out) : out_(out) {}

void Log::AddSecret(const std::string& secret) {
  // Very short values would mask ordinary words; they are not secrets anyway.
  if (secret.size() < 4) return;
  std::lock_guard<std::mutex> lock(mu_);
  secrets_.push_back(secret);
}

void Log::Info(const std::string& line) { Write("info", line); }
void Log::Warn(const std::string& line) { Write("warn", line); }
void Log::Error(const std::string& line) { Write("error", line); }

void Log::Write(const char* level, const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string clean = line;
  for (const auto& s : secrets_) {
    for (size_t pos = clean.find(s); pos != std::string::npos; pos = clean.find(s, pos)) {
      clean.replace(pos, s.size(), "[redacted]");
    }
  }
  for (char& c : clean) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  out_ << level << ": " << clean << '\n';
  out_.flush();
}

std::string MaskAddress(const std::string& address) {
  if (address.size() <= 4) return "***";
  return "***" + address.substr(address.size() - 4);
}

}  // namespace suaradesa
