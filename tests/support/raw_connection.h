// RawConnection: a plain TCP connection to a server on 127.0.0.1, for tests
// that speak HTTP byte by byte (slow clients, oversized heads, floods).
// Every read and send waits at most `wait_seconds`, so none waits for ever.
#ifndef SUARADESA_TESTS_SUPPORT_RAW_CONNECTION_H_
#define SUARADESA_TESTS_SUPPORT_RAW_CONNECTION_H_

#include <string>

namespace suaradesa::testing {

class RawConnection {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error when it cannot.
  explicit RawConnection(int port, int wait_seconds = 30);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False when the server stopped reading (closed or reset).
  bool Send(const std::string& data);
  // Reads one response's status line and headers (up to the blank line).
  std::string ReadHead();
  // Reads until the server closes or resets the connection (true), or a
  // read fails or times out (false). What arrived is appended to *out.
  bool ReadUntilClosed(std::string* out);
  // Ends both directions (wakes a thread blocked in Send).
  void Shutdown();

 private:
  int fd_ = -1;
};

// The status code of a raw response ("HTTP/1.1 431 ..." -> 431), or 0.
int StatusOf(const std::string& response);

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_SUPPORT_RAW_CONNECTION_H_
