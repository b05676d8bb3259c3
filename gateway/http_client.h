// HttpClient: how channels reach their platform's API.
//
// Channels build a request (URL, headers, body) and get back a status and a
// body, or a transport error (status 0). The real implementation uses
// cpp-httplib with certificate verification against the system CA store;
// tests point channels' api_base at fake platforms on 127.0.0.1.
//
// Thread safety: Post may be called from several threads at once.
#ifndef SUARADESA_GATEWAY_HTTP_CLIENT_H_
#define SUARADESA_GATEWAY_HTTP_CLIENT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace suaradesa {

struct HttpResult {
  int status = 0;           // 0: the request did not complete (network error)
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string error;        // set when status == 0
};

struct OutgoingRequest {
  std::string method = "POST";
  std::string url;          // absolute: scheme://host[:port]/path[?query]
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual HttpResult Send(const OutgoingRequest& request) = 0;
};

// cpp-httplib based client. Timeouts in seconds.
class RealHttpClient final : public HttpClient {
 public:
  explicit RealHttpClient(int timeout_seconds = 15);
  HttpResult Send(const OutgoingRequest& request) override;

 private:
  const int timeout_seconds_;
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_HTTP_CLIENT_H_
