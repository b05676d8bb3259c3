// TestGateway: the real gateway (App + HttpServer) on 127.0.0.1 with a port
// chosen by the kernel, a real database (a SQLite file in a temporary
// directory, or its own schema on PostgreSQL when the tests run there:
// tests/storage/open_store.h), a FakeClock, and fake platforms for the
// channels' APIs. The outbox is driven
// by hand (DrainOutbox), so tests never wait for a background thread.
#ifndef SUARADESA_TESTS_GATEWAY_TEST_GATEWAY_H_
#define SUARADESA_TESTS_GATEWAY_TEST_GATEWAY_H_

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "gateway/app.h"
#include "gateway/server.h"
#include "storage/open_store.h"
#include "tests/gateway/store_view.h"
#include "tests/storage/open_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_platform.h"
#include "tests/support/temp_dir.h"

namespace suaradesa::testing {

constexpr const char* kBotToken = "123456:TEST-bot-token";
constexpr const char* kTelegramSecret = "tg-secret_0123456789";
constexpr const char* kHttpSecret = "http-secret-0123456789";

// Points cfg at the database a test calls `db_path` (TestDatabase): that
// SQLite file, or its PostgreSQL schema when the tests run on PostgreSQL.
void UseTestDatabase(Config& cfg, const std::string& db_path);

// The "database" object of a config file for those options: {"path": ...}
// or {"url": ..., "schema": ..., "pool_size": ...}.
nlohmann::json DatabaseJson(const storage::DatabaseOptions& options);
// DatabaseJson(TestDatabase(db_path)), as JSON text.
std::string DatabaseJsonText(const std::string& db_path);

// A config with the Rogojampi demo area, a Telegram channel "tg" whose API is
// `telegram_api`, and an http channel "web" that sends to `http_send_url`.
Config TestConfig(const std::string& db_path, const std::string& telegram_api,
                  const std::string& http_send_url);

// TestConfig with a second kecamatan in another zone: Dua Boccoe (7308010,
// Asia/Makassar, WITA) with desa Uloe (7308010001); no SMS bridge.
Config TwoAreaConfig(const std::string& db_path, const std::string& telegram_api);

class TestGateway {
 public:
  explicit TestGateway(Config config);
  ~TestGateway();

  App& app() { return *app_; }
  int port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Creates a desk token (and its staff record) as `suaradesa token create`
  // does, and returns the token.
  std::string CreateToken(const std::string& name, const std::string& role,
                          const std::vector<std::string>& areas,
                          const std::string& position = "", const std::string& level = "kecamatan",
                          const std::string& channel_id = "", const std::string& address = "");
  // GET/POST with `Authorization: Bearer token`.
  httplib::Result GetAuthed(const std::string& path, const std::string& token);
  httplib::Result PostAuthed(const std::string& path, const std::string& token,
                             const std::string& json_body);
  FakeClock& clock() { return clock_; }
  std::string logs() const { return log_.str(); }

  // POSTs to the gateway; headers as (name, value) pairs.
  httplib::Result Post(const std::string& path, const std::string& body,
                       const httplib::Headers& headers,
                       const std::string& content_type = "application/json");
  httplib::Result Get(const std::string& path);

  // Runs outbox rounds until one attempts nothing. Returns rows attempted.
  int DrainOutbox();
  // Waits until the platform calls made after answering a webhook
  // (HttpServer::after_answer) are done.
  void DrainAfterAnswer() { server_->after_answer().Drain(); }

 private:
  FakeClock clock_;
  std::stringstream log_;
  std::unique_ptr<App> app_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int port_ = 0;
};

// A Telegram update carrying a private text message from chat `chat_id`.
std::string TelegramTextUpdate(int64_t update_id, int64_t chat_id, const std::string& text);

// Talks through a dialog on Telegram as chat `chat`: sends `first`, then
// answers each open question by its node id from `answers` ("ya" for
// confirm nodes, "1" otherwise), draining the outbox after each message,
// until no dialog is open (at most 30 messages). Returns every text sent to
// that chat, in order.
std::vector<std::string> Converse(TestGateway& gw, FakePlatform& telegram, int64_t chat,
                                  int64_t& update_id, const std::string& first,
                                  const std::map<std::string, std::string>& answers);

// The usual setup of an end-to-end test: a TestGateway on TestConfig, its
// database in a fresh temporary directory, fake Telegram and SMS-bridge
// APIs. Tests derive their own Fixture from it.
struct GatewayFixture {
  TempDir dir;
  FakePlatform telegram;
  FakePlatform sms_bridge;
  std::string db = dir.File("gw.db");
  TestGateway gw{TestConfig(db, telegram.base_url(), sms_bridge.base_url() + "/out")};
  // The gateway's store, read through the Store interface.
  StoreView view() { return StoreView(gw.app().store()); }
};

// Tests observe the store through StoreView (store_view.h), the API,
// exports and /metrics, never by SQL on our tables (issue 17): the same
// tests run against SQLite and PostgreSQL. The raw-connection helpers below
// set up what the interface cannot (a fault, an unusual row), or look at
// what is SQLite's own:
//
// Reads one text value with a raw SQLite connection ("" when no row), e.g.
// SQLite's PRAGMA integrity_check of a backup file. SQLite only.
std::string QueryText(const std::string& db_path, const std::string& sql);
// Runs SQL (portable to both backends) on a raw connection to the database
// of TestDatabase(db_path): the SQLite file, or the PostgreSQL schema.
void ExecSql(const std::string& db_path, const std::string& sql);
// Makes every INSERT into `table` fail, as a full disk would, while
// `condition` (an SQL expression, e.g. "(SELECT count(*) FROM outbox) >= 70";
// "" = always) holds, until AllowInserts. A trigger on either backend.
void FailInserts(const std::string& db_path, const std::string& table,
                 const std::string& condition = "");
void AllowInserts(const std::string& db_path, const std::string& table);

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_GATEWAY_TEST_GATEWAY_H_
