// `suaradesa export messages`, run in-process exactly as a user would.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/cli/cli.h"
#include "storage/sqlite_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace suaradesa::testing {
namespace {

// 2026-11-20T08:00:00Z and a day later.
constexpr int64_t kDay1 = 1795161600000;
constexpr int64_t kDay2 = kDay1 + 24LL * 3600 * 1000;

struct Run {
  int code = 0;
  std::string out;
  std::string err;
};

class ExportFixture {
 public:
  ExportFixture() {
    db_ = dir_.File("export.db");
    config_ = dir_.File("suaradesa.json");
    std::ofstream f(config_);
    f << R"({"database": {"path": ")" << db_ << R"("},
      "areas": [{"code": "3510070", "name": "Rogojampi", "timezone": "Asia/Jakarta",
                 "desa": [{"code": "3510070001", "name": "Gitik"}]}],
      "channels": []})";
  }

  // One inbound message from +6281234567890 on "sms" at `at`, and a reply.
  void AddExchange(const std::string& provider_id, const std::string& text,
                   const std::string& reply, int64_t at) {
    storage::SqliteOptions options;
    options.path = db_;
    auto store = storage::OpenSqliteStore(options);
    REQUIRE(store);
    auto s = (*store)->Transact([&](storage::Tx& tx) -> storage::Status {
      auto contact = tx.UpsertContact("sms", "+6281234567890", "Siti Aminah", at);
      if (!contact) return std::unexpected(contact.error());
      storage::Message m;
      m.contact_id = contact->id;
      m.channel_id = "sms";
      m.provider_id = provider_id;
      m.text = text;
      m.created_at = at;
      if (auto id = tx.InsertInbound(m); !id) return std::unexpected(id.error());
      storage::OutboxItem item;
      item.contact_id = contact->id;
      item.channel_id = "sms";
      item.address = "+6281234567890";
      item.payload_json = R"({"text":"reply"})";
      item.created_at = at + 1;
      if (auto id = tx.Enqueue(item, reply); !id) return std::unexpected(id.error());
      return {};
    });
    REQUIRE(s);
  }

  Run Cli(std::vector<std::string> args) {
    std::istringstream in;
    std::ostringstream out, err;
    cli::Context ctx{in, out, err, clock_, [](const std::string&) { return std::nullopt; }};
    Run r;
    r.code = cli::RunCli(args, ctx);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  const std::string& config() const { return config_; }

 private:
  TempDir dir_;
  std::string db_;
  std::string config_;
  FakeClock clock_;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

TEST_CASE("Export messages: CSV with header, both directions, no addresses", "[cli][export]") {
  ExportFixture f;
  f.AddExchange("SM-1", "Jalan rusak, \"parah\"", "Terima kasih", kDay1);
  auto r = f.Cli({"export", "messages", "--config", f.config()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  auto lines = Lines(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "direction,channel,provider_id,time,status,text");
  CHECK(lines[1] == "in,sms,SM-1,2026-11-20T08:00:00Z,received,\"Jalan rusak, \"\"parah\"\"\"");
  CHECK(lines[2] == "out,sms,,2026-11-20T08:00:00Z,queued,Terima kasih");
  CHECK(r.out.find("6281234567890") == std::string::npos);
  CHECK(r.out.find("Siti") == std::string::npos);
}

TEST_CASE("Export messages: phone numbers typed into a text are masked", "[cli][export]") {
  ExportFixture f;
  f.AddExchange("SM-2", "hubungi 0812-3456-7890 atau +62 812 999 0000, RT 02 no 15", "ok",
                kDay1);
  auto r = f.Cli({"export", "messages", "--config", f.config()});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("3456") == std::string::npos);
  CHECK(r.out.find("999") == std::string::npos);
  CHECK(r.out.find("hubungi [phone] atau [phone], RT 02 no 15") != std::string::npos);
}

TEST_CASE("Export messages: --from and --to select whole UTC days", "[cli][export]") {
  ExportFixture f;
  f.AddExchange("SM-a", "first day", "r1", kDay1);
  f.AddExchange("SM-b", "second day", "r2", kDay2);
  auto day2 = f.Cli({"export", "messages", "--config", f.config(), "--from", "2026-11-21"});
  REQUIRE(day2.code == 0);
  CHECK(day2.out.find("second day") != std::string::npos);
  CHECK(day2.out.find("first day") == std::string::npos);
  auto day1 = f.Cli({"export", "messages", "--config", f.config(), "--to", "2026-11-20"});
  REQUIRE(day1.code == 0);
  CHECK(day1.out.find("first day") != std::string::npos);
  CHECK(day1.out.find("second day") == std::string::npos);
  CHECK(Lines(day1.out).size() == 3);
  auto bad = f.Cli({"export", "messages", "--config", f.config(), "--from", "20-11-2026"});
  CHECK(bad.code == 2);
  auto unknown = f.Cli({"export", "contacts", "--config", f.config()});
  CHECK(unknown.code == 2);
}

}  // namespace
}  // namespace suaradesa::testing
