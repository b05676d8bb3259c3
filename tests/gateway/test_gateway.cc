#include "tests/gateway/test_gateway.h"

#include <sqlite3.h>

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace suaradesa::testing {

Config TestConfig(const std::string& db_path, const std::string& telegram_api,
                  const std::string& http_send_url) {
  Config cfg = DemoConfig(kHttpSecret, http_send_url);
  cfg.demo = false;
  cfg.database_path = db_path;
  cfg.threads = 8;
  cfg.public_url = "https://desa.example.org";
  channels::ChannelSettings tg;
  tg.id = "tg";
  tg.type = "telegram";
  tg.values["bot_token"] = kBotToken;
  tg.values["secret_token"] = kTelegramSecret;
  tg.values["api_base"] = telegram_api;
  cfg.channels.push_back(tg);
  return cfg;
}

TestGateway::TestGateway(Config config) {
  AppDeps deps;
  deps.clock = &clock_;
  deps.log_stream = &log_;
  auto app = App::Create(std::move(config), deps);
  if (!app) throw std::runtime_error("App::Create: " + app.error().front());
  app_ = std::move(*app);
  server_ = std::make_unique<HttpServer>(*app_);
  port_ = server_->Bind("127.0.0.1", 0);
  if (port_ <= 0) throw std::runtime_error("cannot bind");
  // Bound means listening: requests wait in the backlog until Listen runs.
  thread_ = std::thread([this] { server_->Listen(); });
}

TestGateway::~TestGateway() {
  server_->Stop();
  if (thread_.joinable()) thread_.join();
}

httplib::Result TestGateway::Post(const std::string& path, const std::string& body,
                                  const httplib::Headers& headers,
                                  const std::string& content_type) {
  httplib::Client cli("127.0.0.1", port_);
  return cli.Post(path.c_str(), headers, body, content_type.c_str());
}

httplib::Result TestGateway::Get(const std::string& path) {
  httplib::Client cli("127.0.0.1", port_);
  return cli.Get(path.c_str());
}

int TestGateway::DrainOutbox() {
  int total = 0;
  for (int i = 0; i < 100; ++i) {
    int n = app_->outbox().RunOnce();
    if (n == 0) break;
    total += n;
  }
  return total;
}

std::string TelegramTextUpdate(int64_t update_id, int64_t chat_id, const std::string& text) {
  nlohmann::json u = {
      {"update_id", update_id},
      {"message",
       {{"message_id", update_id + 500},
        {"from", {{"id", chat_id}, {"is_bot", false}, {"first_name", "Siti"},
                  {"language_code", "id"}}},
        {"chat", {{"id", chat_id}, {"first_name", "Siti"}, {"type", "private"}}},
        {"date", 1795399200},
        {"text", text}}}};
  return u.dump();
}

namespace {
struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("open " + path);
    sqlite3_busy_timeout(db, 5000);
  }
  ~Db() { sqlite3_close(db); }
};
}  // namespace

int64_t CountRows(const std::string& db_path, const std::string& table, const std::string& where) {
  Db d(db_path);
  sqlite3_stmt* st = nullptr;
  std::string sql = "SELECT count(*) FROM " + table + " WHERE " + where;
  if (sqlite3_prepare_v2(d.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(d.db));
  }
  int64_t n = -1;
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

void ExecSql(const std::string& db_path, const std::string& sql) {
  Db d(db_path);
  char* err = nullptr;
  if (sqlite3_exec(d.db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("exec: " + msg);
  }
}

}  // namespace suaradesa::testing
