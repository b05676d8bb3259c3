// The PostgreSQL server the tests run against, and a fresh schema per test.
// Start a throwaway cluster with tests/postgres/cluster.sh (./dev.sh test
// does) and give its URL in SUARADESA_TEST_PG_URL.
#ifndef SUARADESA_TESTS_STORAGE_POSTGRES_SERVER_H_
#define SUARADESA_TESTS_STORAGE_POSTGRES_SERVER_H_

#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
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

// `url` with `name` as the application_name of every session opened with
// it, so that a test can find them (pg_stat_activity) and end them.
inline std::string UrlWithApplicationName(const std::string& url, const std::string& name) {
  if (url.find("://") == std::string::npos) return url + " application_name=" + name;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "application_name=" + name;
}

// Deadlocks detected in the test database so far, as its statistics show
// them: a backend reports what it found by its exit at the latest (see
// AwaitSessionsGone). Other tests' deadlocks count too; none should have any.
inline int64_t DatabaseDeadlocks() {
  auto admin = OpenTestPg();
  auto q = admin->Prepare(
      "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
  REQUIRE(q.has_value());
  storage::Result<bool> row = (*q)->Step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  return (*q)->ColumnInt(0);
}

// Waits until no session with this application_name is left (each has then
// reported its statistics); fails after ten seconds.
inline void AwaitSessionsGone(const std::string& application_name) {
  auto admin = OpenTestPg();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto q = admin->Prepare("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?1");
  REQUIRE(q.has_value());
  for (;;) {
    (*q)->BindText(1, application_name);
    storage::Result<bool> row = (*q)->Step();
    REQUIRE(row.has_value());
    REQUIRE(*row);
    const int64_t left = (*q)->ColumnInt(0);
    (*q)->Reset();
    if (left == 0) return;
    REQUIRE(std::chrono::steady_clock::now() < give_up);
    std::this_thread::yield();
  }
}

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_STORAGE_POSTGRES_SERVER_H_
