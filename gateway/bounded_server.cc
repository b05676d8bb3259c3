#include "gateway/bounded_server.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <type_traits>

namespace suaradesa {

namespace {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;

// After a refusal, what the client still sends is read and dropped for at
// most this long (and this much) so that it reads our answer instead of a
// reset.
constexpr auto kDrainTime = std::chrono::seconds(1);
constexpr size_t kDrainBytes = 8 << 20;
// How often a connection waiting for its next request checks for Stop.
constexpr auto kStopCheck = std::chrono::milliseconds(100);

// Waits until `fd` is ready for `events` or `until` passed.
bool WaitFd(int fd, short events, TimePoint until) {
  for (;;) {
    // Rounded up: poll's whole milliseconds must not wake before `until`,
    // or a caller that then checks the deadline would find it not passed.
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(until - SteadyClock::now()).count();
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(left, 0)));
    if (n > 0) return true;
    if (n == 0 && SteadyClock::now() >= until) return false;
    if (n == 0) continue;
    if (errno != EINTR) return false;
  }
}

// The bytes of a connection, plain or TLS. Recv and Send return the bytes
// moved, 0 for an orderly close (Recv), or -1 for an error or `until`.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual ssize_t Recv(char* buf, size_t n, TimePoint until) = 0;
  virtual ssize_t Send(const char* buf, size_t n, TimePoint until) = 0;
  // Bytes already received and decoded but not yet returned by Recv.
  virtual bool HasBuffered() const { return false; }
};

class PlainTransport : public Transport {
 public:
  explicit PlainTransport(int fd) : fd_(fd) {}
  ssize_t Recv(char* buf, size_t n, TimePoint until) override {
    for (;;) {
      if (!WaitFd(fd_, POLLIN, until)) return -1;
      const ssize_t got = ::recv(fd_, buf, n, 0);
      if (got >= 0 || errno != EINTR) return got < 0 ? -1 : got;
    }
  }
  ssize_t Send(const char* buf, size_t n, TimePoint until) override {
    for (;;) {
      if (!WaitFd(fd_, POLLOUT, until)) return -1;
      const ssize_t sent = ::send(fd_, buf, n, MSG_NOSIGNAL);
      if (sent >= 0 || errno != EINTR) return sent < 0 ? -1 : sent;
    }
  }

 private:
  const int fd_;
};

// TLS over a non-blocking socket, so that no SSL call can wait past a
// deadline for a record that trickles in.
class TlsTransport : public Transport {
 public:
  TlsTransport(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  ~TlsTransport() override {
    SSL_shutdown(ssl_);  // one attempt: the socket is non-blocking
    SSL_free(ssl_);
  }
  TlsTransport(const TlsTransport&) = delete;
  TlsTransport& operator=(const TlsTransport&) = delete;

  bool Handshake(TimePoint until) {
    for (;;) {
      const int r = SSL_accept(ssl_);
      if (r == 1) return true;
      if (!Wait(r, until)) return false;
    }
  }
  ssize_t Recv(char* buf, size_t n, TimePoint until) override {
    for (;;) {
      const int r = SSL_read(ssl_, buf, static_cast<int>(std::min<size_t>(n, 1 << 30)));
      if (r > 0) return r;
      if (SSL_get_error(ssl_, r) == SSL_ERROR_ZERO_RETURN) return 0;
      if (!Wait(r, until)) return -1;
    }
  }
  ssize_t Send(const char* buf, size_t n, TimePoint until) override {
    for (;;) {
      const int r = SSL_write(ssl_, buf, static_cast<int>(std::min<size_t>(n, 1 << 30)));
      if (r > 0) return r;
      if (!Wait(r, until)) return -1;
    }
  }
  bool HasBuffered() const override { return SSL_pending(ssl_) > 0; }

 private:
  // After an SSL call returned `r`: waits for what it needs, false when it
  // failed for good or `until` passed.
  bool Wait(int r, TimePoint until) {
    switch (SSL_get_error(ssl_, r)) {
      case SSL_ERROR_WANT_READ:
        return WaitFd(fd_, POLLIN, until);
      case SSL_ERROR_WANT_WRITE:
        return WaitFd(fd_, POLLOUT, until);
      default:
        return false;
    }
  }

  const int fd_;
  SSL* const ssl_;
};

// What httplib reads a request from: counts the bytes of the headers and of
// the body, enforces the request's deadline, and refuses on its own when a
// limit is passed (httplib would answer 400, or not at all).
class BoundedStream : public httplib::Stream {
 public:
  BoundedStream(Transport& transport, int fd, const RequestLimits& limits)
      : transport_(transport), fd_(fd), limits_(limits) {}

  // Starts counting a new request that began at `start`.
  void BeginRequest(TimePoint start) {
    in_headers_ = true;
    line_length_ = 0;
    header_bytes_ = 0;
    body_bytes_ = 0;
    deadline_ = start + std::chrono::seconds(limits_.request_timeout_seconds);
  }

  // Waits up to the keep-alive timeout for the next request; false when
  // none came or `stopping` said so.
  bool WaitForRequest(const std::function<bool()>& stopping) {
    const TimePoint until =
        SteadyClock::now() + std::chrono::seconds(limits_.keep_alive_timeout_seconds);
    for (;;) {
      if (pos_ < len_ || transport_.HasBuffered()) return true;
      if (stopping()) return false;
      const TimePoint now = SteadyClock::now();
      if (now >= until) return false;
      if (WaitFd(fd_, POLLIN, std::min(until, now + kStopCheck))) return true;
    }
  }

  // Closed with a request (or its body) left unread: drain before closing.
  bool refused() const { return refused_ || close_after_; }
  bool closing() const { return dead_ || close_after_; }
  void CloseAfterResponse() { close_after_ = true; }

  bool is_readable() const override {
    return pos_ < len_ || transport_.HasBuffered() ||
           WaitFd(fd_, POLLIN,
                  std::min(deadline_, SteadyClock::now() +
                                          std::chrono::seconds(limits_.read_timeout_seconds)));
  }
  bool is_writable() const override { return !dead_; }

  ssize_t read(char* ptr, size_t size) override {
    if (dead_) return -1;
    if (pos_ == len_) {
      const TimePoint now = SteadyClock::now();
      if (now >= deadline_) return Expire();
      const TimePoint until =
          std::min(deadline_, now + std::chrono::seconds(limits_.read_timeout_seconds));
      const ssize_t got = transport_.Recv(buffer_, sizeof buffer_, until);
      if (got <= 0) {
        if (got < 0 && SteadyClock::now() >= deadline_) return Expire();
        return got;
      }
      pos_ = 0;
      len_ = static_cast<size_t>(got);
    }
    const size_t n = std::min(size, len_ - pos_);
    size_t i = 0;
    // httplib reads headers a byte at a time; they end at an empty line.
    for (; i < n && in_headers_; ++i) {
      const char c = buffer_[pos_ + i];
      ++header_bytes_;
      if (c == '\n') {
        if (line_length_ == 0) in_headers_ = false;
        line_length_ = 0;
      } else if (c != '\r') {
        ++line_length_;
      }
    }
    body_bytes_ += n - i;
    if (header_bytes_ > kMaxHeaderBytes) {
      return Refuse(431, "Request Header Fields Too Large", "headers_too_large",
                    "request line and headers over " + std::to_string(kMaxHeaderBytes) +
                        " bytes");
    }
    // Chunk sizes and trailers count too; a little room for them.
    if (body_bytes_ > limits_.max_body + kMaxHeaderBytes) {
      return Refuse(413, "Payload Too Large", "payload_too_large",
                    "body over " + std::to_string(limits_.max_body) + " bytes");
    }
    std::memcpy(ptr, buffer_ + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (dead_) return -1;
    return WriteAll(ptr, size) ? static_cast<ssize_t>(size) : -1;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) Name(addr, len, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) Name(addr, len, ip, port);
  }
  socket_t socket() const override { return fd_; }

 private:
  static void Name(const sockaddr_storage& addr, socklen_t len, std::string& ip, int& port) {
    char host[NI_MAXHOST];
    char serv[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, serv,
                      sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host;
      port = std::atoi(serv);
    }
  }

  bool WriteAll(const char* ptr, size_t size) {
    const TimePoint until =
        SteadyClock::now() + std::chrono::seconds(limits_.write_timeout_seconds);
    while (size > 0) {
      const ssize_t sent = transport_.Send(ptr, size, until);
      if (sent <= 0) return false;
      ptr += sent;
      size -= static_cast<size_t>(sent);
    }
    return true;
  }

  // The deadline passed: 408 when part of a request came, else just close.
  ssize_t Expire() {
    if (header_bytes_ == 0) {
      dead_ = true;
      return -1;
    }
    return Refuse(408, "Request Timeout", "request_timeout",
                  "request not complete within " +
                      std::to_string(limits_.request_timeout_seconds) + " s");
  }

  // Answers with `status` and closes: httplib's own answer (it sees a
  // failed read) is not sent.
  ssize_t Refuse(int status, const std::string& reason, const std::string& code,
                 const std::string& message) {
    const std::string body =
        "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    const std::string response = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                                 "\r\nContent-Type: application/json\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                                 body;
    if (limits_.on_refuse) {
      std::string ip;
      int port = 0;
      get_remote_ip_and_port(ip, port);
      limits_.on_refuse(std::to_string(status) + " " + code + " from " + ip);
    }
    WriteAll(response.data(), response.size());
    dead_ = true;
    refused_ = true;
    return -1;
  }

  Transport& transport_;
  const int fd_;
  const RequestLimits limits_;
  char buffer_[16 * 1024];
  size_t pos_ = 0;
  size_t len_ = 0;
  bool in_headers_ = true;
  size_t line_length_ = 0;
  size_t header_bytes_ = 0;
  size_t body_bytes_ = 0;
  TimePoint deadline_ = SteadyClock::now();
  bool dead_ = false;
  bool refused_ = false;
  bool close_after_ = false;
};

// The stream of the request handled on this thread, for
// CloseConnectionAfterResponse.
thread_local BoundedStream* current_stream = nullptr;

// Reads and drops what the client still sends, within kDrainTime and
// kDrainBytes, after our answer (and our FIN) went out.
void Drain(Transport& transport, int fd) {
  ::shutdown(fd, SHUT_WR);
  const TimePoint until = SteadyClock::now() + kDrainTime;
  char sink[16 * 1024];
  size_t total = 0;
  while (total < kDrainBytes) {
    const ssize_t got = transport.Recv(sink, sizeof sink, until);
    if (got <= 0) return;
    total += static_cast<size_t>(got);
  }
}

// The oldest OpenSSL error of this thread as text; the queue is cleared.
std::string OpenSslError() {
  const unsigned long code = ERR_peek_error();
  std::string text = "unknown error";
  if (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    text = buf;
  }
  ERR_clear_error();
  return text;
}

// Sets up a server context with the certificate chain and key in the PEM
// files `cert` and `key`. Returns "" or what went wrong, naming the file.
std::string ConfigureTls(SSL_CTX& ctx, const std::string& cert, const std::string& key) {
  ERR_clear_error();
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  // The platforms that call webhooks all speak TLS 1.2 or 1.3.
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(&ctx, cert.c_str()) != 1) {
    return "cannot load certificate " + cert + ": " + OpenSslError();
  }
  if (SSL_CTX_use_PrivateKey_file(&ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL checks the key against the certificate while loading it.
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      return "key " + key + " does not match certificate " + cert + ": " + OpenSslError();
    }
    return "cannot load key " + key + ": " + OpenSslError();
  }
  if (SSL_CTX_check_private_key(&ctx) != 1) {
    return "key " + key + " does not match certificate " + cert + ": " + OpenSslError();
  }
  return "";
}

// What a TLS server can do beyond httplib::SSLServer: ReloadTls.
class TlsReloadable {
 public:
  virtual ~TlsReloadable() = default;
  virtual std::expected<void, std::string> Reload() = 0;
};

// The context new TLS connections are made with. SSL_new takes a reference
// to it, so a context replaced by Replace lives on until the last
// connection made with it closes.
class TlsContext {
 public:
  TlsContext() = default;
  ~TlsContext() { SSL_CTX_free(ctx_); }
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // Takes over one reference to `ctx` (may be null) and drops the old one.
  void Replace(SSL_CTX* ctx) {
    SSL_CTX* old = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      old = ctx_;
      ctx_ = ctx;
    }
    SSL_CTX_free(old);
  }
  // A connection with the current certificate, or nullptr.
  SSL* NewConnection() {
    std::lock_guard<std::mutex> lock(mu_);
    return ctx_ == nullptr ? nullptr : SSL_new(ctx_);
  }

 private:
  std::mutex mu_;
  SSL_CTX* ctx_ = nullptr;  // guarded by mu_; one reference held
};

template <class Base>
class Bounded : public Base {
 public:
  template <class... Args>
  explicit Bounded(const RequestLimits& limits, Args&&... args)
      : Base(std::forward<Args>(args)...), limits_(limits) {}

 private:
  bool process_and_close_socket(socket_t sock) override {
    // This loop replaces the library's, so TCP_NODELAY is set here on every
    // connection: without it each keep-alive answer can wait 40 ms for the
    // client's delayed ACK (Nagle).
    const int one = 1;
    (void)::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    TimePoint start = SteadyClock::now();
    const TimePoint handshake_until =
        start + std::chrono::seconds(limits_.request_timeout_seconds);
    std::unique_ptr<Transport> transport = Open(sock, handshake_until);
    bool ok = false;
    if (transport) {
      BoundedStream stream(*transport, sock, limits_);
      current_stream = &stream;
      const auto stopping = [this] { return this->svr_sock_ == INVALID_SOCKET; };
      for (size_t left = this->keep_alive_max_count_; left > 0 && !stopping(); --left) {
        if (left != this->keep_alive_max_count_) {
          if (!stream.WaitForRequest(stopping)) break;
          start = SteadyClock::now();
        }
        stream.BeginRequest(start);
        bool closed = false;
        ok = this->process_request(stream, left == 1, closed, nullptr);
        if (!ok || closed || stream.closing()) break;
      }
      current_stream = nullptr;
      if (stream.refused()) Drain(*transport, sock);
      transport.reset();
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
  }

  std::unique_ptr<Transport> Open(socket_t sock, TimePoint until) {
    if constexpr (std::is_same_v<Base, httplib::SSLServer>) {
      SSL* ssl = tls_.NewConnection();
      if (ssl == nullptr) return nullptr;
      ::fcntl(sock, F_SETFL, ::fcntl(sock, F_GETFL) | O_NONBLOCK);
      SSL_set_fd(ssl, sock);
      auto tls = std::make_unique<TlsTransport>(sock, ssl);
      if (!tls->Handshake(until)) return nullptr;
      return tls;
    } else {
      (void)until;
      return std::make_unique<PlainTransport>(sock);
    }
  }

  const RequestLimits limits_;

 protected:
  // What TLS connections are made with (set by BoundedTls); unused for a
  // plain server.
  TlsContext tls_;
};

// A TLS server whose certificate can be loaded again (ReloadTls).
template <class Base>
class BoundedTls : public Bounded<Base>, public TlsReloadable {
 public:
  BoundedTls(const RequestLimits& limits, const std::string& cert, const std::string& key)
      : Bounded<Base>(limits,
                      [cert, key](SSL_CTX& ctx) {
                        // Start-up reports an unusable pair by is_valid().
                        return ConfigureTls(ctx, cert, key).empty();
                      }),
        cert_(cert),
        key_(key) {
    if (SSL_CTX* ctx = this->ssl_context(); ctx != nullptr && SSL_CTX_up_ref(ctx) == 1) {
      this->tls_.Replace(ctx);
    }
  }

  std::expected<void, std::string> Reload() override {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == nullptr) return std::unexpected("cannot make a TLS context: " + OpenSslError());
    if (std::string error = ConfigureTls(*ctx, cert_, key_); !error.empty()) {
      SSL_CTX_free(ctx);
      return std::unexpected(error);
    }
    this->tls_.Replace(ctx);
    return {};
  }

 private:
  const std::string cert_;
  const std::string key_;
};

}  // namespace

std::expected<void, std::string> ReloadTls(httplib::Server& server) {
  auto* tls = dynamic_cast<TlsReloadable*>(&server);
  if (tls == nullptr) return std::unexpected(std::string("the server does not use TLS"));
  return tls->Reload();
}

void CloseConnectionAfterResponse() {
  if (current_stream != nullptr) current_stream->CloseAfterResponse();
}

std::unique_ptr<httplib::Server> MakeBoundedServer(const RequestLimits& limits, bool tls,
                                                   const std::string& cert,
                                                   const std::string& key) {
  std::unique_ptr<httplib::Server> server;
  if (!tls) {
    server = std::make_unique<Bounded<httplib::Server>>(limits);
  } else {
    server = std::make_unique<BoundedTls<httplib::SSLServer>>(limits, cert, key);
  }
  server->set_tcp_nodelay(true);  // the listening socket too
  return server;
}

BoundedPool::BoundedPool(size_t threads) : size_(threads) {
  for (size_t i = 0; i < size_; ++i) threads_.emplace_back([this] { Work(); });
}

BoundedPool::~BoundedPool() { shutdown(); }

void BoundedPool::enqueue(std::function<void()> fn) {
  std::unique_lock<std::mutex> lock(mu_);
  worker_free_.wait(lock, [this] { return shutdown_ || busy_ + jobs_.size() < size_; });
  if (shutdown_) {  // not expected: httplib shuts the pool down after accepting
    lock.unlock();
    fn();
    return;
  }
  jobs_.push_back(std::move(fn));
  work_ready_.notify_one();
}

void BoundedPool::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shutdown_ && threads_.empty()) return;
    shutdown_ = true;
  }
  work_ready_.notify_all();
  worker_free_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void BoundedPool::Work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_ready_.wait(lock, [this] { return shutdown_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // shut down, nothing left
      job = std::move(jobs_.front());
      jobs_.pop_front();
      ++busy_;
    }
    job();
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_;
    }
    worker_free_.notify_one();
  }
}

}  // namespace suaradesa
