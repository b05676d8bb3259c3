#include "tests/support/fake_platform.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace suaradesa::testing {

namespace {
std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
}  // namespace

FakePlatform::FakePlatform() : server_(std::make_unique<httplib::Server>()) {
  server_->set_tcp_nodelay(true);
  auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    RecordedRequest r;
    r.method = req.method;
    r.path = req.path;
    for (const auto& [k, v] : req.headers) r.headers[Lower(k)] = v;
    for (const auto& [k, v] : req.params) r.params.emplace(k, v);
    r.body = req.body;
    FakeResponse out;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(r);
      if (!queued_.empty()) {
        out = queued_.front();
        queued_.pop_front();
      } else if (handler_) {
        out = handler_(r);
      } else {
        out.body = "{\"ok\":true,\"result\":{\"message_id\":" +
                   std::to_string(next_message_id_++) + "}}";
      }
    }
    res.status = out.status;
    for (const auto& [k, v] : out.headers) res.set_header(k, v);
    res.set_content(out.body, out.content_type);
  };
  server_->Post(".*", handle);
  server_->Get(".*", handle);
  server_->Put(".*", handle);
  server_->Delete(".*", handle);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("FakePlatform: cannot bind");
  // The socket is listening once bound: requests queue in its backlog until
  // the thread starts accepting, so no wait is needed.
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listen_done_ = true;
  });
}

FakePlatform::~FakePlatform() {
  // cpp-httplib 0.11's stop() does nothing before the server runs.
  while (!listen_done_ && !server_->is_running()) std::this_thread::yield();
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakePlatform::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void FakePlatform::Enqueue(FakeResponse response) {
  std::lock_guard<std::mutex> lock(mu_);
  queued_.push_back(std::move(response));
}

void FakePlatform::SetHandler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

std::vector<RecordedRequest> FakePlatform::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<RecordedRequest> FakePlatform::requests_to(const std::string& suffix) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<RecordedRequest> out;
  for (const auto& r : requests_) {
    if (r.path.size() >= suffix.size() &&
        r.path.compare(r.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(r);
    }
  }
  return out;
}

void FakePlatform::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.clear();
  queued_.clear();
}

}  // namespace suaradesa::testing
