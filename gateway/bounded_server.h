// BoundedServer: cpp-httplib's Server (or SSLServer) with every request
// bounded before any handler or authentication runs.
//
// Debian's cpp-httplib is a compiled library: its limits are fixed inside
// the .so, and its payload limit only checks Content-Length. So this class
// replaces the library's connection loop (process_and_close_socket) with
// its own, reading the socket through a stream that counts and times every
// byte httplib consumes:
//   - request line and headers: at most kMaxHeaderBytes in total (431);
//   - body on the wire, whatever its framing (Content-Length, chunked, or
//     until EOF): at most max_body plus kMaxHeaderBytes for chunk framing
//     and trailers (413), read as it arrives, never buffered beyond that;
//   - headers and body must arrive within request_timeout_seconds of the
//     connection's start (of its first byte for a kept-alive request),
//     however the client trickles them (408, then the connection closes);
//   - a client silent for read_timeout_seconds is disconnected, as before.
// A refusal is written at once with "Connection: close"; the connection is
// then closed after a short drain so that the client reads the answer.
//
// TLS certificates are reloaded without a restart (ReloadTls, on SIGHUP in
// `serve`): the handshakes that start afterwards get the new certificate and
// key, connections already open keep the one they were made with.
//
// BoundedPool is the task queue: its enqueue blocks while every worker is
// busy, so connections beyond the pool wait in the kernel's accept backlog,
// not in memory, and none is accepted that no worker could serve.
//
// Thread safety: as httplib::Server.
#ifndef SUARADESA_GATEWAY_BOUNDED_SERVER_H_
#define SUARADESA_GATEWAY_BOUNDED_SERVER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace suaradesa {

// Request line and header fields together.
constexpr size_t kMaxHeaderBytes = 64 * 1024;

struct RequestLimits {
  size_t max_body = 1 << 20;
  int read_timeout_seconds = 5;
  int request_timeout_seconds = 10;
  int write_timeout_seconds = 10;
  int keep_alive_timeout_seconds = 5;
  // Told of every refusal made here: "413 payload_too_large from 1.2.3.4".
  std::function<void(const std::string&)> on_refuse;
};

// Closes the current connection after the answer to the request being
// handled on this thread (e.g. one refused before its body was read).
// Does nothing outside a BoundedServer request.
void CloseConnectionAfterResponse();

// A plain (tls == false) or TLS server with TCP_NODELAY on every
// connection (its own accept loop sets it per socket, and
// set_tcp_nodelay(true) covers the listening socket); `cert`/`key` are PEM
// files (check is_valid() for TLS).
std::unique_ptr<httplib::Server> MakeBoundedServer(const RequestLimits& limits, bool tls,
                                                   const std::string& cert,
                                                   const std::string& key);

// Reads the certificate (chain) and key files a TLS server made by
// MakeBoundedServer was made with again, for the handshakes from now on;
// connections already open are not touched. When the files cannot be loaded
// (unreadable, not PEM, a key that does not match the certificate) the
// current certificate stays and the error names the file. An error for a
// plain server. Safe to call from any thread while the server runs.
[[nodiscard]] std::expected<void, std::string> ReloadTls(httplib::Server& server);

class BoundedPool : public httplib::TaskQueue {
 public:
  explicit BoundedPool(size_t threads);
  ~BoundedPool() override;
  BoundedPool(const BoundedPool&) = delete;
  BoundedPool& operator=(const BoundedPool&) = delete;

  // Blocks until a worker is free.
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

 private:
  void Work();

  const size_t size_;
  std::mutex mu_;
  std::condition_variable work_ready_;
  std::condition_variable worker_free_;
  // Guarded by mu_
  std::deque<std::function<void()>> jobs_;
  size_t busy_ = 0;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_BOUNDED_SERVER_H_
