#include "tests/support/webdriver.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <regex>

extern char** environ;

namespace suaradesa::testing {

namespace {

using nlohmann::json;

// The key under which WebDriver returns an element reference.
constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

// Between two polls of something outside this process (the driver coming
// up, a condition in the page). No assertion depends on how long it is.
void PauseBetweenPolls() { std::this_thread::sleep_for(std::chrono::milliseconds(25)); }

std::string Tail(const std::string& s, size_t n = 2000) {
  return s.size() <= n ? s : "..." + s.substr(s.size() - n);
}

}  // namespace

WebResult<std::unique_ptr<WebDriver>> WebDriver::Start(const WebDriverOptions& options) {
  constexpr int kAttempts = 3;
  std::string said;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    bool exited_early = false;
    auto started = StartOnce(options, exited_early);
    if (started || !exited_early) return started;
    said += "\n[attempt " + std::to_string(attempt) + "] " + started.error();
  }
  return std::unexpected("chromedriver ended before it announced its port, " +
                         std::to_string(kAttempts) + " times:" + said);
}

WebResult<std::unique_ptr<WebDriver>> WebDriver::StartOnce(const WebDriverOptions& options,
                                                           bool& exited_early) {
  for (const std::string& binary : {options.chromium, options.chromedriver}) {
    if (access(binary.c_str(), X_OK) != 0) {
      return std::unexpected(binary + " is missing (" + std::strerror(errno) +
                             "): install Debian's chromium and chromium-driver "
                             "(./dev.sh does; or apt-get install chromium chromium-driver)");
    }
  }
  std::unique_ptr<WebDriver> driver(new WebDriver());

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return std::unexpected(std::string("pipe: ") + std::strerror(errno));
  // chromedriver (and the browser it starts, which inherits these) writes to
  // the pipe; a thread drains it so neither ever blocks on a full pipe.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group, so the destructor can end the driver and every
  // browser process it started by that one id.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  // Port 0: chromedriver binds a free port and prints it.
  std::vector<std::string> args = {options.chromedriver, "--port=0"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, options.chromedriver.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return std::unexpected("cannot start " + options.chromedriver + ": " + std::strerror(rc));
  }
  driver->pid_ = pid;
  driver->out_fd_ = fds[0];
  driver->reader_ = std::thread([d = driver.get()] { d->ReadOutput(); });

  // "ChromeDriver was started successfully on port 37649."
  static const std::regex kStarted("started successfully on port ([0-9]+)");
  {
    std::unique_lock<std::mutex> lock(driver->mu_);
    std::smatch m;
    bool ready = driver->output_changed_.wait_for(lock, std::chrono::seconds(60), [&] {
      return std::regex_search(driver->output_, m, kStarted) || driver->output_closed_;
    });
    if (!ready || driver->output_closed_ || m.empty()) {
      std::string status = "still running";
      int wstatus = 0;
      if (waitpid(driver->pid_, &wstatus, WNOHANG) == driver->pid_) {
        driver->pid_ = -1;
        status = WIFEXITED(wstatus)     ? "exit status " + std::to_string(WEXITSTATUS(wstatus))
                 : WIFSIGNALED(wstatus) ? "signal " + std::to_string(WTERMSIG(wstatus))
                                        : "ended";
      }
      exited_early = ready && driver->output_closed_;
      return std::unexpected("chromedriver did not start (" + status +
                             "); it said: " + Tail(driver->output_));
    }
    driver->port_ = std::stoi(m[1].str());
  }

  driver->http_ = std::make_unique<httplib::Client>("127.0.0.1", driver->port_);
  driver->http_->set_connection_timeout(10, 0);
  // Starting the browser or loading a page can take a while on a slow CI box.
  driver->http_->set_read_timeout(120, 0);
  driver->http_->set_write_timeout(30, 0);

  json chrome_args = json::array({
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage", "--disable-extensions", "--disable-breakpad",
      "--disable-crash-reporter", "--lang=id-ID",
      "--window-size=" + std::to_string(options.width) + "," + std::to_string(options.height),
      "--user-data-dir=" + driver->profile_.path()});
  json caps = {{"capabilities",
                {{"alwaysMatch",
                  {{"browserName", "chrome"},
                   {"pageLoadStrategy", "normal"},
                   {"goog:loggingPrefs", {{"browser", "ALL"}}},
                   {"goog:chromeOptions",
                    {{"binary", options.chromium}, {"args", chrome_args}}}}}}}};
  auto session = driver->Command("POST", "/session", caps);
  if (!session) {
    return std::unexpected("cannot open a browser session: " + session.error() +
                           "\nchromedriver said: " + Tail(driver->DriverOutput()));
  }
  driver->session_ = session->value("sessionId", "");
  if (driver->session_.empty()) {
    return std::unexpected("no session id in " + session->dump());
  }
  return driver;
}

WebDriver::~WebDriver() { Stop(); }

void WebDriver::Stop() {
  if (!session_.empty() && http_) {
    // Closes the browser; errors do not matter, the kill below follows.
    (void)Command("DELETE", "/session/" + session_);
    session_.clear();
  }
  if (pid_ > 0) {
    kill(-pid_, SIGTERM);
    bool exited = false;
    for (int i = 0; i < 200 && !exited; ++i) {
      pid_t r = waitpid(pid_, nullptr, WNOHANG);
      if (r == pid_ || (r < 0 && errno == ECHILD)) exited = true;
      else PauseBetweenPolls();
    }
    // Whatever is left of the group (a browser process that outlived the
    // driver) ends here; ESRCH when nothing is left.
    kill(-pid_, SIGKILL);
    if (!exited) waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  stop_reader_ = true;
  if (reader_.joinable()) reader_.join();
  if (out_fd_ >= 0) {
    close(out_fd_);
    out_fd_ = -1;
  }
}

void WebDriver::ReadOutput() {
  char buf[4096];
  while (!stop_reader_) {
    pollfd p{out_fd_, POLLIN, 0};
    // A bounded wait, so the thread notices stop_reader_ even if a stray
    // process still holds the pipe open.
    int r = poll(&p, 1, 100);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) continue;
    ssize_t n = r < 0 ? -1 : read(out_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard<std::mutex> lock(mu_);
    if (n <= 0) {
      output_closed_ = true;
      output_changed_.notify_all();
      return;
    }
    output_.append(buf, static_cast<size_t>(n));
    output_changed_.notify_all();
  }
}

std::string WebDriver::DriverOutput() const {
  std::lock_guard<std::mutex> lock(mu_);
  return output_;
}

std::string WebDriver::SessionPath(const std::string& rest) const {
  return "/session/" + session_ + rest;
}

WebResult<json> WebDriver::Command(const std::string& method, const std::string& path,
                                   const json& body) {
  httplib::Result res = [&] {
    if (method == "GET") return http_->Get(path.c_str());
    if (method == "DELETE") return http_->Delete(path.c_str());
    std::string payload = body.is_null() ? "{}" : body.dump();
    return http_->Post(path.c_str(), payload, "application/json");
  }();
  if (!res) {
    return std::unexpected(method + " " + path + ": " + httplib::to_string(res.error()));
  }
  json reply = json::parse(res->body, nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) {
    return std::unexpected(method + " " + path + ": HTTP " + std::to_string(res->status) +
                           ", not JSON: " + Tail(res->body, 500));
  }
  json value = reply.contains("value") ? reply["value"] : json();
  if (res->status != 200) {
    std::string error = value.is_object() ? value.value("error", "") : "";
    std::string message = value.is_object() ? value.value("message", "") : "";
    return std::unexpected(method + " " + path + ": HTTP " + std::to_string(res->status) + " " +
                           error + ": " + Tail(message, 1000));
  }
  return value;
}

WebResult<void> WebDriver::Navigate(const std::string& url) {
  auto r = Command("POST", SessionPath("/url"), {{"url", url}});
  if (!r) return std::unexpected(r.error());
  return {};
}

WebResult<std::string> WebDriver::Find(const std::string& css) {
  auto r = Command("POST", SessionPath("/element"), {{"using", "css selector"}, {"value", css}});
  if (!r) return std::unexpected(r.error());
  if (!r->is_object() || !r->contains(kElementKey)) {
    return std::unexpected("no element reference for " + css + ": " + r->dump());
  }
  return (*r)[kElementKey].get<std::string>();
}

WebResult<std::vector<std::string>> WebDriver::FindAll(const std::string& css) {
  auto r = Command("POST", SessionPath("/elements"), {{"using", "css selector"}, {"value", css}});
  if (!r) return std::unexpected(r.error());
  std::vector<std::string> ids;
  if (!r->is_array()) return std::unexpected("not a list of elements: " + r->dump());
  for (const auto& e : *r) {
    if (e.is_object() && e.contains(kElementKey)) ids.push_back(e[kElementKey].get<std::string>());
  }
  return ids;
}

WebResult<void> WebDriver::Click(const std::string& element) {
  auto r = Command("POST", SessionPath("/element/" + element + "/click"), json::object());
  if (!r) return std::unexpected(r.error());
  return {};
}

WebResult<void> WebDriver::SendKeys(const std::string& element, const std::string& text) {
  auto r = Command("POST", SessionPath("/element/" + element + "/value"), {{"text", text}});
  if (!r) return std::unexpected(r.error());
  return {};
}

WebResult<void> WebDriver::Clear(const std::string& element) {
  auto r = Command("POST", SessionPath("/element/" + element + "/clear"), json::object());
  if (!r) return std::unexpected(r.error());
  return {};
}

WebResult<std::string> WebDriver::Text(const std::string& element) {
  auto r = Command("GET", SessionPath("/element/" + element + "/text"));
  if (!r) return std::unexpected(r.error());
  if (!r->is_string()) return std::unexpected("text is not a string: " + r->dump());
  return r->get<std::string>();
}

WebResult<json> WebDriver::Execute(const std::string& script, const json& args) {
  return Command("POST", SessionPath("/execute/sync"), {{"script", script}, {"args", args}});
}

WebResult<void> WebDriver::WaitFor(const std::string& condition, int max_polls) {
  std::string last_error;
  for (int i = 0; i < max_polls; ++i) {
    auto r = Execute("return !!(" + condition + ");");
    if (r && r->is_boolean() && r->get<bool>()) return {};
    // A script error (say, an element not there yet) counts as "not yet".
    if (!r) last_error = r.error();
    PauseBetweenPolls();
  }
  return std::unexpected("never true after " + std::to_string(max_polls) + " polls: " + condition +
                         (last_error.empty() ? "" : " (last error: " + last_error + ")"));
}

WebResult<void> WebDriver::EmulateViewport(int width, int height, bool mobile) {
  json cmd;
  if (width <= 0) {
    cmd = {{"cmd", "Emulation.clearDeviceMetricsOverride"}, {"params", json::object()}};
  } else {
    cmd = {{"cmd", "Emulation.setDeviceMetricsOverride"},
           {"params",
            {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", mobile}}}};
  }
  auto r = Command("POST", SessionPath("/goog/cdp/execute"), cmd);
  if (!r) return std::unexpected(r.error());
  return {};
}

WebResult<void> WebDriver::SaveScreenshot(const std::string& path) {
  auto r = Command("GET", SessionPath("/screenshot"));
  if (!r) return std::unexpected(r.error());
  if (!r->is_string()) return std::unexpected("screenshot is not a string");
  std::string png = DecodeBase64(r->get<std::string>());
  if (png.size() < 8 || png.compare(1, 3, "PNG") != 0) {
    return std::unexpected("screenshot is not a PNG");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(png.data(), static_cast<std::streamsize>(png.size()));
  out.close();
  if (!out) return std::unexpected("cannot write " + path);
  return {};
}

WebResult<std::vector<std::string>> WebDriver::ConsoleLog() {
  auto r = Command("POST", SessionPath("/se/log"), {{"type", "browser"}});
  if (!r) return std::unexpected(r.error());
  std::vector<std::string> lines;
  if (!r->is_array()) return lines;
  for (const auto& entry : *r) {
    if (!entry.is_object()) continue;
    lines.push_back(entry.value("level", "") + " " + entry.value("message", ""));
  }
  return lines;
}

std::string DecodeBase64(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  bool padding = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    int v = value(c);
    if (v < 0 || padding) return "";
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace suaradesa::testing
