// FakePlatform: a stand-in for a messaging platform's API, served by
// cpp-httplib on 127.0.0.1 with a port chosen by the kernel.
//
// It records every request and answers with queued responses (first in,
// first out), falling back to a handler (by default 200 with a Telegram-style
// success body). Point a channel's api_base at base_url().
//
// Thread safety: all methods may be called while the server thread runs.
#ifndef SUARADESA_TESTS_SUPPORT_FAKE_PLATFORM_H_
#define SUARADESA_TESTS_SUPPORT_FAKE_PLATFORM_H_

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace suaradesa::testing {

struct RecordedRequest {
  std::string method;
  std::string path;                            // without the query string
  std::map<std::string, std::string> headers;  // names in lower case
  std::multimap<std::string, std::string> params;  // query and form params
  std::string body;
};

struct FakeResponse {
  int status = 200;
  std::string body = "{}";
  std::string content_type = "application/json";
  std::map<std::string, std::string> headers;
};

class FakePlatform {
 public:
  using Handler = std::function<FakeResponse(const RecordedRequest&)>;

  FakePlatform();
  ~FakePlatform();
  FakePlatform(const FakePlatform&) = delete;
  FakePlatform& operator=(const FakePlatform&) = delete;

  // "http://127.0.0.1:<port>"
  std::string base_url() const;

  // The next request gets this response (queued responses are used in order).
  void Enqueue(FakeResponse response);
  // Used when no queued response is left.
  void SetHandler(Handler handler);

  std::vector<RecordedRequest> requests() const;
  // Requests whose path ends with `suffix`.
  std::vector<RecordedRequest> requests_to(const std::string& suffix) const;
  void Clear();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> listen_done_{false};

  mutable std::mutex mu_;
  // Guarded by mu_
  std::vector<RecordedRequest> requests_;
  std::deque<FakeResponse> queued_;
  Handler handler_;
  int next_message_id_ = 1000;
};

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_SUPPORT_FAKE_PLATFORM_H_
