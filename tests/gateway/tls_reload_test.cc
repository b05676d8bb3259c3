// The TLS certificate and key are loaded again without a restart: new
// handshakes get the new certificate, connections already open keep going,
// and files that cannot be loaded leave the current certificate in place.
// Certificates are made in the test with OpenSSL (self-signed for
// 127.0.0.1, told apart by their common name); the client is OpenSSL on a
// socket of its own, so that "the same connection" is certain.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "gateway/bounded_server.h"
#include "gateway/clock.h"
#include "gateway/server.h"
#include "tests/gateway/serve_process.h"
#include "tests/gateway/test_gateway.h"
#include "tests/support/self_signed.h"

namespace suaradesa::testing {
namespace {

constexpr int64_t kWaitNanos = 20'000'000'000;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One TLS connection to 127.0.0.1:port, kept open for the object's life.
// The server's certificate is not verified: the test reads its name.
class TlsConnection {
 public:
  explicit TlsConnection(int port) {
    // A write to a connection the server closed fails the test (0) instead
    // of killing the test process.
    ::signal(SIGPIPE, SIG_IGN);
    ctx_ = SSL_CTX_new(TLS_client_method());
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (ctx_ == nullptr || fd_ < 0) return;
    timeval timeout{10, 0};  // a broken server fails the test, not hangs it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    connected_ = SSL_connect(ssl_) == 1;
  }
  ~TlsConnection() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (fd_ >= 0) ::close(fd_);
    SSL_CTX_free(ctx_);
  }
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  bool connected() const { return connected_; }

  // The common name of the certificate the server showed, or "".
  std::string PeerName() const {
    if (!connected_) return "";
    X509* peer = SSL_get1_peer_certificate(ssl_);
    if (peer == nullptr) return "";
    char name[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, name, sizeof name);
    X509_free(peer);
    return name;
  }

  // GET /healthz on this connection, kept alive; the status, or 0.
  int GetHealth() {
    if (!connected_) return 0;
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    if (SSL_write(ssl_, request.data(), static_cast<int>(request.size())) <= 0) return 0;
    std::string response;
    char buf[4096];
    for (;;) {
      const size_t head_end = response.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const size_t length_at = response.find("Content-Length: ");
        const size_t length =
            length_at == std::string::npos ? 0 : std::stoul(response.substr(length_at + 16));
        if (response.size() >= head_end + 4 + length) break;
      }
      const int n = SSL_read(ssl_, buf, sizeof buf);
      if (n <= 0) return 0;
      response.append(buf, static_cast<size_t>(n));
    }
    if (response.rfind("HTTP/1.1 ", 0) != 0) return 0;
    return std::stoi(response.substr(9, 3));
  }

 private:
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool connected_ = false;
};

// A BoundedServer over TLS answering GET /healthz, listening on a free port
// of 127.0.0.1 until the object goes away.
class TlsServer {
 public:
  TlsServer(const std::string& cert, const std::string& key) {
    RequestLimits limits;
    limits.read_timeout_seconds = 30;
    limits.keep_alive_timeout_seconds = 30;
    server_ = MakeBoundedServer(limits, true, cert, key);
    REQUIRE(server_->is_valid());
    server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("{\"status\":\"ok\"}", "application/json");
    });
    port_ = BindListening(*server_, "127.0.0.1", 0);
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
  }
  ~TlsServer() {
    while (!server_->is_running()) std::this_thread::yield();
    server_->stop();
    thread_.join();
  }
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  httplib::Server& server() { return *server_; }
  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_CASE("TLS reload: new connections get the new certificate, open ones keep going",
          "[tls]") {
  TempDir dir;
  const std::string cert = dir.File("cert.pem");
  const std::string key = dir.File("key.pem");
  WriteSelfSigned("cert A", cert, key);
  TlsServer tls(cert, key);

  TlsConnection before(tls.port());
  REQUIRE(before.connected());
  CHECK(before.PeerName() == "cert A");
  CHECK(before.GetHealth() == 200);

  // A renewal: the files are replaced; until the reload nothing changes.
  WriteSelfSigned("cert B", cert, key);
  CHECK(TlsConnection(tls.port()).PeerName() == "cert A");
  REQUIRE(ReloadTls(tls.server()));

  TlsConnection after(tls.port());
  REQUIRE(after.connected());
  CHECK(after.PeerName() == "cert B");
  CHECK(after.GetHealth() == 200);
  // The connection made before the reload is the same one, still answered.
  CHECK(before.GetHealth() == 200);
  CHECK(before.PeerName() == "cert A");
}

TEST_CASE("TLS reload: files that cannot be loaded leave the current certificate", "[tls]") {
  TempDir dir;
  const std::string cert = dir.File("cert.pem");
  const std::string key = dir.File("key.pem");
  WriteSelfSigned("cert A", cert, key);
  TlsServer tls(cert, key);

  SECTION("a certificate that is not PEM") {
    WriteFile(cert, "not a certificate\n");
    auto reloaded = ReloadTls(tls.server());
    REQUIRE_FALSE(reloaded);
    CHECK_THAT(reloaded.error(), Catch::Contains("cannot load certificate " + cert));
  }
  SECTION("a key that does not belong to the certificate") {
    const std::string other_cert = dir.File("other-cert.pem");
    WriteSelfSigned("cert B", other_cert, key);  // a new key; cert.pem stays A
    auto reloaded = ReloadTls(tls.server());
    REQUIRE_FALSE(reloaded);
    CHECK_THAT(reloaded.error(), Catch::Contains("key " + key + " does not match"));
  }
  SECTION("a missing key file") {
    REQUIRE(std::remove(key.c_str()) == 0);
    auto reloaded = ReloadTls(tls.server());
    REQUIRE_FALSE(reloaded);
    CHECK_THAT(reloaded.error(), Catch::Contains("cannot load key " + key));
  }
  TlsConnection after(tls.port());
  REQUIRE(after.connected());
  CHECK(after.PeerName() == "cert A");
  CHECK(after.GetHealth() == 200);
}

TEST_CASE("TLS reload: a plain HTTP server has nothing to reload", "[tls]") {
  auto plain = MakeBoundedServer(RequestLimits{}, false, "", "");
  auto reloaded = ReloadTls(*plain);
  REQUIRE_FALSE(reloaded);
  CHECK_THAT(reloaded.error(), Catch::Contains("does not use TLS"));
}

// Polls until `done` or the child exits or the wait runs out.
template <class Done>
bool WaitFor(ServeProcess& child, Done done) {
  const int64_t deadline = MonotonicNanos() + kWaitNanos;
  while (MonotonicNanos() < deadline && child.Running()) {
    if (done()) return true;
    std::this_thread::yield();
  }
  return false;
}

// Sends SIGHUP to the child while it runs. Never kill() with a pid <= 0:
// -1 would signal every process we may signal. Running() reaps an exited
// child, so a pid it leaves in place cannot have been reused.
bool Hangup(ServeProcess& child) {
  if (!child.Running() || child.pid() <= 0) return false;
  return ::kill(child.pid(), SIGHUP) == 0;
}

TEST_CASE("TLS reload: SIGHUP to `serve` reloads the certificate and logs the outcome",
          "[tls][process]") {
  TempDir dir;
  const std::string cert = dir.File("cert.pem");
  const std::string key = dir.File("key.pem");
  WriteSelfSigned("cert A", cert, key);
  const int port = FreePort();
  const std::string config = dir.File("suaradesa.json");
  WriteFile(config, R"({"listen": {"host": "127.0.0.1", "port": )" + std::to_string(port) +
                        R"(, "read_timeout_seconds": 60, "tls_cert": ")" + cert +
                        R"(", "tls_key": ")" + key + R"("},
      "database": )" + DatabaseJsonText(dir.File("reload.db")) + R"(,
      "areas": [{"code": "3510070", "name": "Rogojampi", "timezone": "Asia/Jakarta"}],
      "channels": []})");
  const std::string log = dir.File("serve.log");
  INFO("serve log: " << ReadFile(log));

  ServeProcess child(config, log);
  REQUIRE(child.started());
  REQUIRE(WaitFor(child, [&] { return TlsConnection(port).GetHealth() == 200; }));
  TlsConnection before(port);
  REQUIRE(before.connected());
  CHECK(before.PeerName() == "cert A");
  // Its first request now: a connection's first request must come within
  // listen.request_timeout_seconds of the connection.
  CHECK(before.GetHealth() == 200);

  WriteSelfSigned("cert B", cert, key);
  REQUIRE(Hangup(child));
  CHECK(WaitFor(child, [&] { return TlsConnection(port).PeerName() == "cert B"; }));
  CHECK(WaitFor(child, [&] {
    return ReadFile(log).find("tls: reloaded certificate " + cert) != std::string::npos;
  }));
  CHECK(before.GetHealth() == 200);

  // A broken renewal: logged with the file's name, cert B stays.
  WriteFile(cert, "-----BEGIN CERTIFICATE-----\ntruncated\n");
  REQUIRE(Hangup(child));
  CHECK(WaitFor(child, [&] {
    return ReadFile(log).find("tls: reload failed, the current certificate stays: "
                              "cannot load certificate " + cert) != std::string::npos;
  }));
  CHECK(child.Running());
  CHECK(TlsConnection(port).PeerName() == "cert B");
  CHECK(before.GetHealth() == 200);
}

}  // namespace
}  // namespace suaradesa::testing
