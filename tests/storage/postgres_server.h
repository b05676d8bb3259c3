// The PostgreSQL server the tests run against, and a fresh schema per test.
// Start a throwaway cluster with tests/postgres/cluster.sh (./dev.sh test
// does) and give its URL in SUARADESA_TEST_PG_URL.
#ifndef SUARADESA_TESTS_STORAGE_POSTGRES_SERVER_H_
#define SUARADESA_TESTS_STORAGE_POSTGRES_SERVER_H_

#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <utility>

#include "storage/postgres/connection.h"

namespace suaradesa::testing {

// The URL of the test server. Fails the calling test when it is not set:
// a PostgreSQL test that is skipped silently would look green.
inline std::string TestPgUrl() {
  const char* url = std::getenv("SUARADESA_TEST_PG_URL");
  if (url == nullptr || *url == '\0') {
    FAIL(
        "SUARADESA_TEST_PG_URL is not set. Start a throwaway PostgreSQL 15 cluster "
        "(apt-get install postgresql-15) with\n"
        "  export SUARADESA_TEST_PG_URL=$(tests/postgres/cluster.sh start /tmp/suaradesa-pg)\n"
        "and stop it afterwards with tests/postgres/cluster.sh stop /tmp/suaradesa-pg\n"
        "(./dev.sh test does both).");
  }
  return url;
}

// A new connection to `url` (default: the test server); fails the test if it
// cannot be opened.
inline std::unique_ptr<storage::PgConnection> OpenTestPg(const std::string& url = TestPgUrl()) {
  storage::Result<std::unique_ptr<storage::PgConnection>> connection =
      storage::PgConnection::Open(url);
  INFO((connection ? std::string() : connection.error().message));
  REQUIRE(connection.has_value());
  return std::move(*connection);
}

// Creates an empty schema with a name no other test (or test process) uses
// and makes it the connection's search_path for the rest of its session.
// Returns the schema's name. The schema is left behind: the throwaway
// cluster is removed as a whole.
inline std::string FreshSchema(storage::PgConnection& connection) {
  static std::atomic<int> counter{0};
  std::random_device random;
  std::string name = "test_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
                     std::to_string(random() % 1000000);
  storage::Status made = connection.Exec("CREATE SCHEMA " + name + "; SET search_path TO " + name);
  INFO((made ? std::string() : made.error().message));
  REQUIRE(made.has_value());
  return name;
}

// `url` with `schema` as the search_path of every session opened with it
// (libpq's "options" parameter), for code that opens its own connections
// or reconnects: a SET search_path does not outlive its session.
inline std::string UrlWithSchema(const std::string& url, const std::string& schema) {
  // "-c search_path=schema", percent-encoded for the URI form.
  std::string option = "options=-c%20search_path%3D" + schema;
  if (url.find("://") == std::string::npos) return url + " options='-c search_path=" + schema + "'";
  return url + (url.find('?') == std::string::npos ? "?" : "&") + option;
}

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_STORAGE_POSTGRES_SERVER_H_
