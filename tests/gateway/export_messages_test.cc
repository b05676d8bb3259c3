// `suaradesa export messages`, run in-process exactly as a user would.
#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/channels/signature.h"
#include "gateway/cli/cli.h"
#include "tests/gateway/test_gateway.h"
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
    f << R"({"database": )" << DatabaseJsonText(db_) << R"(,
      "areas": [{"code": "3510070", "name": "Rogojampi", "timezone": "Asia/Jakarta",
                 "desa": [{"code": "3510070001", "name": "Gitik"}]}],
      "channels": []})";
  }

  // One inbound message from +6281234567890 on "sms" at `at`, and a reply.
  void AddExchange(const std::string& provider_id, const std::string& text,
                   const std::string& reply, int64_t at) {
    AddExchangeOn("sms", "+6281234567890", provider_id, text, reply, "", at);
  }

  // One inbound message from `address` on `channel` at `at`, and a reply;
  // the reply is marked sent with `reply_provider_id` unless that is empty.
  void AddExchangeOn(const std::string& channel, const std::string& address,
                     const std::string& provider_id, const std::string& text,
                     const std::string& reply, const std::string& reply_provider_id,
                     int64_t at) {
    auto store = Open();
    int64_t outbox_id = 0;
    auto s = store->Transact([&](storage::Tx& tx) -> storage::Status {
      auto contact = tx.UpsertContact(channel, address, "Siti Aminah", at);
      if (!contact) return std::unexpected(contact.error());
      storage::Message m;
      m.contact_id = contact->id;
      m.channel_id = channel;
      m.provider_id = provider_id;
      m.text = text;
      m.created_at = at;
      if (auto id = tx.InsertInbound(m); !id) return std::unexpected(id.error());
      storage::OutboxItem item;
      item.contact_id = contact->id;
      item.channel_id = channel;
      item.address = address;
      item.payload_json = R"({"text":"reply"})";
      item.created_at = at + 1;
      auto id = tx.Enqueue(item, reply);
      if (!id) return std::unexpected(id.error());
      outbox_id = *id;
      return {};
    });
    REQUIRE(s);
    if (!reply_provider_id.empty()) {
      REQUIRE(store->MarkSent(outbox_id, reply_provider_id, 1, at + 2));
    }
  }

  // A complaint whose summary is `summary`.
  void AddCase(const std::string& summary, int64_t at) {
    auto store = Open();
    auto s = store->Transact([&](storage::Tx& tx) -> storage::Status {
      auto contact = tx.UpsertContact("sms", "+6281234567890", "Siti Aminah", at);
      if (!contact) return std::unexpected(contact.error());
      storage::Case c;
      c.type = storage::CaseType::kPengaduan;
      c.contact_id = contact->id;
      c.channel_id = "sms";
      c.area_code = "3510070";
      c.summary = summary;
      c.created_at = at;
      c.updated_at = at;
      if (auto made = tx.CreateCase(c); !made) return std::unexpected(made.error());
      return {};
    });
    REQUIRE(s);
  }

  // The installation's pseudonym key, as an operator reads it from the db.
  std::string PseudonymKey() {
    auto store = Open();
    std::string key;
    REQUIRE(store->Transact([&](storage::Tx& tx) -> storage::Status {
      auto v = tx.GetMeta("pseudonym_key");
      if (!v) return std::unexpected(v.error());
      key = *v;
      return {};
    }));
    return key;
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
  std::unique_ptr<storage::Store> Open() { return OpenStoreAt(db_); }

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
  CHECK(lines[0] == "direction,channel,provider_ref,time,status,text");
  const std::string ref =
      channels::HmacSha256Hex(f.PseudonymKey(), "provider_id:SM-1").substr(0, 16);
  CHECK(lines[1] == "in,sms," + ref + ",2026-11-20T08:00:00Z,received,\"Jalan rusak, \"\"parah\"\"\"");
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
  // Only the text column: the pseudonymous provider_ref is hex from a random
  // key and may hold any digits (it once held "999" and failed this test).
  auto lines = Lines(r.out);
  REQUIRE(lines.size() == 3);
  const std::string text = lines[1].substr(lines[1].find(",received,") + 10);
  CHECK(text.find("3456") == std::string::npos);
  CHECK(text.find("999") == std::string::npos);
  CHECK(text == "\"hubungi [phone] atau [phone], RT 02 no 15\"");
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

// The fields of one CSV line without quoted commas.
std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) out.push_back(field);
  return out;
}

TEST_CASE("Export messages: WhatsApp ids, which carry the number, become opaque references",
          "[cli][export][provider-ref]") {
  ExportFixture f;
  // A wamid is "wamid." + base64 of bytes holding the sender's number
  // (here 6281234567001) and a random message id.
  const std::string in_id = "wamid.HBgNNjI4MTIzNDU2NzAwMRUCABIYFjNFQjBDMTZBQjQ3MUY0RTcwMkJGNEUA";
  const std::string out_id = "wamid.HBgNNjI4MTIzNDU2NzAwMRUCABEYEjdBNUEzQ0Y5MUQ5RTJCNjE0MgA=";
  f.AddExchangeOn("wa", "6281234567001", in_id, "jalan rusak", "terima kasih", out_id, kDay1);
  f.AddExchangeOn("wa", "6281234567001", in_id + "x", "lagi", "ok", "", kDay2);
  auto r = f.Cli({"export", "messages", "--config", f.config()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  INFO(r.out);
  // Neither id, nor its base64 body, nor the number inside it, in any form.
  CHECK(r.out.find("wamid") == std::string::npos);
  CHECK(r.out.find("HBgN") == std::string::npos);
  CHECK(r.out.find("NjI4MTIzNDU2NzAwMR") == std::string::npos);  // base64 of the number
  CHECK(r.out.find("6281234567001") == std::string::npos);
  CHECK(r.out.find("81234567001") == std::string::npos);
  CHECK(r.out.find("4567001") == std::string::npos);
  auto lines = Lines(r.out);
  REQUIRE(lines.size() == 5);
  const std::string in_ref = Fields(lines[1])[2];
  const std::string out_ref = Fields(lines[2])[2];
  CHECK(in_ref.size() == 16);
  CHECK(in_ref.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(out_ref.size() == 16);
  CHECK(in_ref != out_ref);
  CHECK(Fields(lines[3])[2] != in_ref);  // another id, another reference
  CHECK(Fields(lines[4])[2].empty());    // a reply not yet sent has no id
  // The same row gets the same reference in every export, and an operator
  // with the database can compute it from the raw id.
  auto again = f.Cli({"export", "messages", "--config", f.config()});
  CHECK(again.out == r.out);
  CHECK(in_ref == channels::HmacSha256Hex(f.PseudonymKey(), "provider_id:" + in_id).substr(0, 16));
}

TEST_CASE("Export cases: phone numbers and NIKs in a summary are masked, amounts kept",
          "[cli][export]") {
  ExportFixture f;
  f.AddCase("Dana Rp15.000.000 dipotong, hubungi saya 0812-3456-7890, NIK 3510071204850001",
            kDay1);
  auto r = f.Cli({"export", "cases", "--config", f.config()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"Dana Rp15.000.000 dipotong, hubungi saya [phone], NIK [nik]\"") !=
        std::string::npos);
  CHECK(r.out.find("3456") == std::string::npos);
  CHECK(r.out.find("35100712") == std::string::npos);
}

}  // namespace
}  // namespace suaradesa::testing
