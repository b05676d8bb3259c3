// `suaradesa import members FILE.csv --group CODE`, run in-process as a user
// would type it.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gateway/app.h"
#include "gateway/cli/cli.h"
#include "tests/gateway/test_gateway.h"
#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace suaradesa::testing {
namespace {

struct Run {
  int code = 0;
  std::string out;
  std::string err;
};

TEST_CASE("Import: members from a CSV file join the group once each", "[notices]") {
  TempDir dir;
  FakeClock clock;
  const std::string db = dir.File("import.db");
  const std::string config = dir.File("suaradesa.json");
  {
    std::ofstream f(config);
    f << R"({"database": )" << DatabaseJsonText(db) << R"(,
      "areas": [{"code": "7308010", "name": "Dua Boccoe", "timezone": "Asia/Makassar",
                 "desa": [{"code": "7308010001", "name": "Uloe"}]}],
      "channels": [
        {"id": "tg", "type": "telegram", "bot_token": "123:abc",
         "secret_token": "s3cret-token-123"},
        {"id": "sms", "type": "http", "secret": "http-secret-0123456789",
         "send_url": "http://127.0.0.1:1/out"}]})";
  }
  auto cli = [&](std::vector<std::string> args) {
    std::istringstream in;
    std::ostringstream out, err;
    cli::Context ctx{in, out, err, clock, [](const std::string&) { return std::nullopt; }};
    Run r;
    r.code = cli::RunCli(args, ctx);
    r.out = out.str();
    r.err = err.str();
    return r;
  };
  const std::string csv = dir.File("anggota.csv");
  {
    std::ofstream f(csv);
    f << "\xEF\xBB\xBFname,phone,urn,language\r\n"
         "Ibu Siti,0812-3456-7890,,id\r\n"
         "\"Ibu Rahma, S.Pd\",+62 813 1111 2222,,en\r\n"
         "Ibu Wati,,telegram:98765,\r\n"
         "Ibu Ani,0333-123456,,\r\n"
         "Ibu Siti lagi,6281234567890,,\r\n"
         "Ibu Siti juga,0062 812.3456.7890,,\r\n"
         ",,,\r\n";
  }

  SECTION("an unknown group is refused") {
    Run r = cli({"import", "members", csv, "--group", "MELATI", "--config", config});
    CHECK(r.code == 1);
    CHECK(r.err.find("no group MELATI") != std::string::npos);
  }
  SECTION("rows are added, bad ones named by line, repeats are members already") {
    {
      auto cfg = LoadConfig(config, [](const std::string&) { return std::nullopt; });
      REQUIRE(cfg);
      AppDeps deps;
      deps.clock = &clock;
      std::ostringstream log;
      deps.log_stream = &log;
      auto app = App::Create(*cfg, deps);
      REQUIRE(app);
      REQUIRE((*app)->notices().CreateGroup(
          desk::Actor{"Admin", "admin", {}, ""},
          {{"code", "MELATI"}, {"name", "SPP Melati"}, {"area", "7308010001"}}));
    }
    Run r = cli({"import", "members", csv, "--group", "melati", "--config", config});
    INFO(r.out << r.err);
    CHECK(r.code == 1);  // one row could not be used
    CHECK(r.out.find("3 new members, 2 already members, 1 skipped") != std::string::npos);
    CHECK(r.err.find("line 5: not an Indonesian mobile number") != std::string::npos);
    // The bad row's number is not echoed.
    CHECK(r.err.find("123456") == std::string::npos);
    {
      // What the import wrote, through a store opened on the file.
      auto store = OpenStoreAt(db);
      StoreView view(*store);
      const auto members = view.MembersOf("MELATI");
      CHECK(members.size() == 3);
      // Members reached at (channel, address).
      auto reached_at = [&](const std::string& channel, const std::string& address) {
        int n = 0;
        for (const auto& m : members) {
          for (const auto& a : m.addresses) n += a.channel_id == channel && a.address == address;
        }
        return n;
      };
      CHECK(reached_at("sms", "+6281234567890") == 1);
      CHECK(reached_at("tg", "98765") == 1);
      const auto rahma = view.ContactAt("sms", "+6281311112222");
      REQUIRE(rahma);
      CHECK(rahma->name == "Ibu Rahma, S.Pd");
      CHECK(rahma->language == "en");
    }

    // Importing again adds nobody.
    Run again = cli({"import", "members", csv, "--group", "MELATI", "--config", config});
    CHECK(again.out.find("0 new members, 5 already members") != std::string::npos);
    CHECK(StoreView(*OpenStoreAt(db)).MembersOf("MELATI").size() == 3);
  }
  SECTION("usage errors") {
    CHECK(cli({"import", "members", csv, "--config", config}).code == 2);
    CHECK(cli({"import", "members", dir.File("missing.csv"), "--group", "X", "--config", config})
              .code == 1);
  }
}

}  // namespace
}  // namespace suaradesa::testing
