#include "tests/gateway/test_gateway.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <stdexcept>

#include "gateway/desk/auth.h"
#include "tests/gateway/store_view.h"

#include <nlohmann/json.hpp>

namespace suaradesa::testing {

void UseTestDatabase(Config& cfg, const std::string& db_path) {
  const storage::DatabaseOptions options = TestDatabase(db_path);
  cfg.database_path = options.path;
  cfg.database_url = options.url;
  cfg.database_schema = options.schema;
  if (options.postgres()) cfg.database_pool_size = options.pool_size;
}

nlohmann::json DatabaseJson(const storage::DatabaseOptions& options) {
  if (!options.postgres()) return {{"path", options.path}};
  nlohmann::json d = {{"url", options.url}, {"pool_size", options.pool_size}};
  if (!options.schema.empty()) d["schema"] = options.schema;
  return d;
}

std::string DatabaseJsonText(const std::string& db_path) {
  return DatabaseJson(TestDatabase(db_path)).dump();
}

Config TestConfig(const std::string& db_path, const std::string& telegram_api,
                  const std::string& http_send_url) {
  Config cfg = DemoConfig(kHttpSecret, http_send_url);
  cfg.demo = false;
  UseTestDatabase(cfg, db_path);
  cfg.threads = 8;
  cfg.public_url = "https://desa.example.org";
  // The privacy notice before a new contact's first reply (issue 19) is
  // tested in tests/gateway/rights/; other tests read the replies alone.
  cfg.privacy.notice_first_message = false;
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

std::string TestGateway::CreateToken(const std::string& name, const std::string& role,
                                     const std::vector<std::string>& areas,
                                     const std::string& position, const std::string& level,
                                     const std::string& channel_id, const std::string& address) {
  const std::string token = desk::NewToken();
  storage::Staff staff{0, name, role, position, level, areas, channel_id, address};
  storage::Token t{0, name, role, areas, desk::HashToken(token), clock_.NowMillis(), 0};
  auto s = app_->store().Transact([&](storage::Tx& tx) -> storage::Status {
    if (auto r = tx.PutStaff(staff); !r) return r;
    auto id = tx.CreateToken(t);
    if (!id) return std::unexpected(id.error());
    return {};
  });
  if (!s) throw std::runtime_error("CreateToken: " + s.error().message);
  return token;
}

httplib::Result TestGateway::GetAuthed(const std::string& path, const std::string& token) {
  httplib::Client cli("127.0.0.1", port_);
  return cli.Get(path.c_str(), {{"Authorization", "Bearer " + token}});
}

httplib::Result TestGateway::PostAuthed(const std::string& path, const std::string& token,
                                        const std::string& json_body) {
  httplib::Client cli("127.0.0.1", port_);
  return cli.Post(path.c_str(), {{"Authorization", "Bearer " + token}}, json_body,
                  "application/json");
}

int TestGateway::DrainOutbox() {
  // Rate limits hold back rows that are due (Telegram: one message a second
  // per chat): then the fake clock moves on to when the first held row may
  // go, as time would pass for a real worker. Rows waiting for a retry or
  // for the WhatsApp window are left alone.
  int total = 0;
  for (int i = 0; i < 200; ++i) {
    int n = app_->outbox().RunOnce();
    total += n;
    if (n > 0) continue;
    const int64_t held_until = app_->outbox().rate_held_until();
    if (held_until <= clock_.NowMillis()) break;
    clock_.Advance(held_until - clock_.NowMillis());
  }
  return total;
}

Config TwoAreaConfig(const std::string& db_path, const std::string& telegram_api) {
  Config cfg = TestConfig(db_path, telegram_api, "http://127.0.0.1:1/unused");
  AreaConfig bone;
  bone.code = "7308010";
  bone.name = "Dua Boccoe";
  bone.level = "kecamatan";
  bone.timezone = "Asia/Makassar";
  bone.desa = {{"7308010001", "Uloe"}};
  cfg.areas.push_back(bone);
  return cfg;
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

std::string QueryText(const std::string& db_path, const std::string& sql) {
  Db d(db_path);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(d.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(d.db));
  }
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return out;
}

std::vector<std::string> Converse(TestGateway& gw, FakePlatform& telegram, int64_t chat,
                                  int64_t& update_id, const std::string& first,
                                  const std::map<std::string, std::string>& answers) {
  const std::string chat_id = std::to_string(chat);
  const size_t before = telegram.requests_to("/sendMessage").size();
  auto say = [&](const std::string& text) {
    auto res = gw.Post("/webhook/tg", TelegramTextUpdate(++update_id, chat, text),
                       {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
    if (!res || res->status != 200) throw std::runtime_error("webhook refused: " + text);
    gw.DrainOutbox();
    gw.clock().Advance(20 * 1000);  // a person takes a while to type
  };
  say(first);
  for (int i = 0; i < 30; ++i) {
    const storage::Session session = StoreView(gw.app().store()).SessionOf("tg", chat_id);
    if (session.flow.empty()) break;
    const std::string& node = session.node;
    auto it = answers.find(node);
    say(it != answers.end() ? it->second : (node == "confirm" ? "ya" : "1"));
  }
  std::vector<std::string> texts;
  auto sent = telegram.requests_to("/sendMessage");
  for (size_t i = before; i < sent.size(); ++i) {
    nlohmann::json body = nlohmann::json::parse(sent[i].body, nullptr, false);
    if (body.is_object() && body["chat_id"].dump() == chat_id) texts.push_back(body.value("text", ""));
  }
  return texts;
}

namespace {

void ExecSqlite(const std::string& db_path, const std::string& sql) {
  Db d(db_path);
  char* err = nullptr;
  if (sqlite3_exec(d.db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("exec: " + msg);
  }
}

// Runs a script in the test's schema. The schema exists once the gateway
// (or a store) on db_path has been opened.
void ExecPostgres(const storage::DatabaseOptions& options, const std::string& sql) {
  PGconn* conn = PQconnectdb(options.url.c_str());
  struct Closer {
    PGconn* c;
    ~Closer() { PQfinish(c); }
  } closer{conn};
  if (PQstatus(conn) != CONNECTION_OK) {
    throw std::runtime_error(std::string("connect: ") + PQerrorMessage(conn));
  }
  // A schema name from TestDatabase: letters, digits and '_'.
  const std::string script = "SET search_path TO \"" + options.schema + "\";\n" + sql;
  PGresult* res = PQexec(conn, script.c_str());
  const ExecStatusType status = PQresultStatus(res);
  std::string msg = PQresultErrorMessage(res);
  PQclear(res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("exec: " + msg);
  }
}

std::string FailTrigger(const std::string& table) { return "fail_insert_" + table; }

}  // namespace

void ExecSql(const std::string& db_path, const std::string& sql) {
  const storage::DatabaseOptions options = TestDatabase(db_path);
  if (options.postgres()) {
    ExecPostgres(options, sql);
  } else {
    ExecSqlite(db_path, sql);
  }
}

void FailInserts(const std::string& db_path, const std::string& table,
                 const std::string& condition) {
  const std::string name = FailTrigger(table);
  const storage::DatabaseOptions options = TestDatabase(db_path);
  if (!options.postgres()) {
    ExecSqlite(db_path, "CREATE TRIGGER " + name + " BEFORE INSERT ON " + table +
                            (condition.empty() ? "" : " WHEN " + condition) +
                            " BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END;");
    return;
  }
  // A trigger's WHEN may not hold a subquery on PostgreSQL: the function
  // tests the condition. 53100 is disk_full.
  ExecPostgres(options,
               "CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
                   (condition.empty() ? "" : "IF NOT (" + condition + ") THEN RETURN NEW; END IF; ") +
                   "RAISE EXCEPTION 'simulated write failure' USING ERRCODE = '53100'; END $$;\n"
                   "CREATE TRIGGER " + name + " BEFORE INSERT ON " + table +
                   " FOR EACH ROW EXECUTE FUNCTION " + name + "();");
}

void AllowInserts(const std::string& db_path, const std::string& table) {
  const std::string name = FailTrigger(table);
  const storage::DatabaseOptions options = TestDatabase(db_path);
  if (!options.postgres()) {
    ExecSqlite(db_path, "DROP TRIGGER " + name + ";");
    return;
  }
  ExecPostgres(options, "DROP TRIGGER " + name + " ON " + table + ";\nDROP FUNCTION " + name +
                            "();");
}

}  // namespace suaradesa::testing
