// RealHttpClient: one cpp-httplib client per request. Requests are few (one
// per outbound message) and a fresh connection keeps the client stateless
// and safe to share between threads.
#include "gateway/http_client.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <exception>

namespace suaradesa {

namespace {

constexpr char kCaBundle[] = "/etc/ssl/certs/ca-certificates.crt";

struct ParsedUrl {
  std::string scheme;  // "http" or "https"
  std::string origin;  // scheme://host[:port]
  std::string host;    // for error text
  std::string target;  // /path[?query], at least "/"
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Splits an absolute http(s) URL. Returns false for anything else.
bool ParseUrl(const std::string& url, ParsedUrl* out) {
  const size_t sep = url.find("://");
  if (sep == std::string::npos) return false;
  out->scheme = Lower(url.substr(0, sep));
  if (out->scheme != "http" && out->scheme != "https") return false;
  const size_t authority_begin = sep + 3;
  size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string::npos) authority_end = url.size();
  std::string authority = url.substr(authority_begin, authority_end - authority_begin);
  // Userinfo is not supported (credentials go in headers), and would leak
  // into error text through the host.
  if (authority.empty() || authority.find('@') != std::string::npos) return false;
  out->origin = out->scheme + "://" + authority;
  const size_t colon = authority.rfind(':');
  out->host = (colon != std::string::npos && authority.find(']') == std::string::npos)
                  ? authority.substr(0, colon)
                  : authority;
  std::string target = url.substr(authority_end);
  if (const size_t hash = target.find('#'); hash != std::string::npos) target.resize(hash);
  if (target.empty() || target.front() == '?') target.insert(target.begin(), '/');
  out->target = target;
  return true;
}

HttpResult Failure(std::string error) {
  HttpResult r;
  r.status = 0;
  r.error = std::move(error);
  return r;
}

}  // namespace

RealHttpClient::RealHttpClient(int timeout_seconds) : timeout_seconds_(timeout_seconds) {}

HttpResult RealHttpClient::Send(const OutgoingRequest& request) {
  ParsedUrl url;
  if (!ParseUrl(request.url, &url)) return Failure("invalid or unsupported URL");
  // Error text names the host only: the path may carry a secret (Telegram's
  // bot token) and the query a password (Kannel).
  try {
    httplib::Client cli(url.origin);
    if (!cli.is_valid()) return Failure("cannot create a client for " + url.host);
    cli.set_connection_timeout(timeout_seconds_, 0);
    cli.set_read_timeout(timeout_seconds_, 0);
    cli.set_write_timeout(timeout_seconds_, 0);
    cli.set_tcp_nodelay(true);
    cli.set_follow_location(false);
    if (url.scheme == "https") {
      cli.enable_server_certificate_verification(true);
      cli.set_ca_cert_path(kCaBundle);
    }
    httplib::Headers headers;
    for (const auto& [name, value] : request.headers) headers.emplace(name, value);

    const std::string method = request.method.empty() ? "POST" : request.method;
    httplib::Result res{nullptr, httplib::Error::Unknown};
    if (method == "POST") {
      res = cli.Post(url.target, headers, request.body, request.content_type);
    } else if (method == "PUT") {
      res = cli.Put(url.target, headers, request.body, request.content_type);
    } else if (method == "GET") {
      res = cli.Get(url.target, headers);
    } else if (method == "DELETE") {
      res = cli.Delete(url.target, headers, request.body, request.content_type);
    } else {
      return Failure("unsupported method " + method);
    }
    if (!res) {
      return Failure(url.host + ": " + httplib::to_string(res.error()));
    }
    HttpResult out;
    out.status = res->status;
    out.body = res->body;
    for (const auto& [name, value] : res->headers) out.headers[Lower(name)] = value;
    return out;
  } catch (const std::exception&) {
    // e.what() could quote the URL; keep it out.
    return Failure(url.host + ": request failed");
  } catch (...) {
    return Failure(url.host + ": request failed");
  }
}

}  // namespace suaradesa
