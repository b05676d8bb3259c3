// WebDriver: a small client for chromedriver's W3C WebDriver HTTP API, for
// end-to-end tests of the web inbox in headless Chromium.
//
// Start() launches chromedriver as a child process (in its own process group,
// on a port the kernel picks) and opens one headless Chromium session with a
// fresh profile in a temporary directory. The destructor deletes the session
// and ends chromedriver and the browser it started, by process group id.
//
// Every call returns its value or a message saying what went wrong (the
// WebDriver error and message, or the transport error); the tests turn those
// into failures. Nothing here asserts durations: WaitFor polls a condition
// in the page a bounded number of times.
//
// Thread safety: use one WebDriver from one thread.
#ifndef SUARADESA_TESTS_SUPPORT_WEBDRIVER_H_
#define SUARADESA_TESTS_SUPPORT_WEBDRIVER_H_

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.h"

namespace httplib {
class Client;
}

namespace suaradesa::testing {

template <typename T>
using WebResult = std::expected<T, std::string>;

struct WebDriverOptions {
  std::string chromium = "/usr/bin/chromium";
  std::string chromedriver = "/usr/bin/chromedriver";
  int width = 1280;   // window size in CSS pixels
  int height = 900;
};

class WebDriver {
 public:
  // Returns a driver with an open session, or why none could be started
  // (a missing binary is named with its path).
  [[nodiscard]] static WebResult<std::unique_ptr<WebDriver>> Start(
      const WebDriverOptions& options = {});
  ~WebDriver();
  WebDriver(const WebDriver&) = delete;
  WebDriver& operator=(const WebDriver&) = delete;

 private:
  // One attempt of Start(). `exited_early` is set when chromedriver ended
  // before it announced its port (seen once on a loaded CI machine, without
  // a reason printed); Start() tries again then.
  static WebResult<std::unique_ptr<WebDriver>> StartOnce(const WebDriverOptions& options,
                                                         bool& exited_early);

 public:

  // Loads `url` and returns once the document has loaded.
  WebResult<void> Navigate(const std::string& url);

  // The WebDriver id of the first element matching the CSS selector.
  WebResult<std::string> Find(const std::string& css);
  // The ids of all matching elements (possibly none).
  WebResult<std::vector<std::string>> FindAll(const std::string& css);

  WebResult<void> Click(const std::string& element);
  WebResult<void> SendKeys(const std::string& element, const std::string& text);
  WebResult<void> Clear(const std::string& element);
  // The element's rendered text (innerText as WebDriver defines it).
  WebResult<std::string> Text(const std::string& element);

  // Runs `script` as the body of a function with `args` as `arguments`;
  // returns what it returns, as JSON.
  WebResult<nlohmann::json> Execute(const std::string& script,
                                    const nlohmann::json& args = nlohmann::json::array());

  // Polls `condition` (a JavaScript expression) until it is truthy, at most
  // `max_polls` times with a short pause between polls. Returns an error
  // naming the condition when it never held, or the script's error.
  WebResult<void> WaitFor(const std::string& condition, int max_polls = 200);

  // Emulates a device viewport (Chromium's Emulation domain, through
  // chromedriver's CDP endpoint); width 0 clears the emulation.
  WebResult<void> EmulateViewport(int width, int height, bool mobile);

  // Takes a PNG of the viewport and writes it to `path` (directories must exist).
  WebResult<void> SaveScreenshot(const std::string& path);

  // The browser console messages since the last call ("LEVEL message" each).
  WebResult<std::vector<std::string>> ConsoleLog();

  // What chromedriver (and the browser it started) wrote to stdout/stderr.
  std::string DriverOutput() const;

 private:
  WebDriver() = default;

  // Sends a WebDriver command; returns the reply's "value" or the error.
  WebResult<nlohmann::json> Command(const std::string& method, const std::string& path,
                                    const nlohmann::json& body = nullptr);
  std::string SessionPath(const std::string& rest) const;
  void Stop();
  void ReadOutput();

  TempDir profile_;           // Chromium's user data dir, removed last
  pid_t pid_ = -1;            // chromedriver, leader of its process group
  int out_fd_ = -1;           // read end of chromedriver's stdout+stderr
  std::thread reader_;        // drains out_fd_ into output_
  std::atomic<bool> stop_reader_{false};
  int port_ = 0;
  std::unique_ptr<httplib::Client> http_;
  std::string session_;

  mutable std::mutex mu_;
  std::condition_variable output_changed_;
  // Guarded by mu_
  std::string output_;
  bool output_closed_ = false;
};

// Decodes standard base64 (whitespace ignored). Empty on malformed input.
std::string DecodeBase64(const std::string& text);

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_SUPPORT_WEBDRIVER_H_
