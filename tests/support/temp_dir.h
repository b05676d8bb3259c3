// TempDir: a fresh directory under /tmp, removed with everything in it when
// the object goes out of scope.
#ifndef SUARADESA_TESTS_SUPPORT_TEMP_DIR_H_
#define SUARADESA_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace suaradesa::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string File(const std::string& name) const;

 private:
  std::string path_;
};

// Reads a whole file; empty when it cannot be read.
std::string ReadFile(const std::string& path);
// The repository's root directory (for testdata and ../shared).
std::string SourceDir();

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_SUPPORT_TEMP_DIR_H_
