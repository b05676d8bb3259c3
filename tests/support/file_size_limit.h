// FileSizeLimit: a full disk for this process. While one exists, no file
// this process writes can grow past `bytes` (RLIMIT_FSIZE); the write fails
// with EFBIG, as SQLite sees a full disk (SIGXFSZ is ignored meanwhile).
// Pipes and sockets are not affected. The limit is process wide, so it may
// be set from any thread (e.g. a FakePlatform handler, between a send and
// the writing of its outcome).
#ifndef SUARADESA_TESTS_SUPPORT_FILE_SIZE_LIMIT_H_
#define SUARADESA_TESTS_SUPPORT_FILE_SIZE_LIMIT_H_

#include <sys/resource.h>

#include <csignal>

#include <catch2/catch.hpp>

namespace suaradesa::testing {

class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old_) == 0);
    old_handler_ = signal(SIGXFSZ, SIG_IGN);
    rlimit limit = old_;
    limit.rlim_cur = bytes;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_);
    signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit old_{};
  sighandler_t old_handler_ = SIG_DFL;
};

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_SUPPORT_FILE_SIZE_LIMIT_H_
