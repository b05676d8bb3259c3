// The value of a WebDriver call in a browser test, or a failed test that
// says which step failed and why.
#ifndef SUARADESA_TESTS_SUPPORT_WEB_MUST_H_
#define SUARADESA_TESTS_SUPPORT_WEB_MUST_H_

#include <catch2/catch.hpp>

#include <utility>

#include "tests/support/webdriver.h"

namespace suaradesa::testing {

template <typename T>
T MustWeb(WebResult<T> result, const char* what) {
  if (!result) FAIL(what << ": " << result.error());
  return std::move(*result);
}

inline void MustWeb(WebResult<void> result, const char* what) {
  if (!result) FAIL(what << ": " << result.error());
}

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_SUPPORT_WEB_MUST_H_
