// /healthz while the disk is full (issue 13): a real gateway on a real
// SQLite file whose writes fail (RLIMIT_FSIZE), asked over HTTP. SQLite
// only ([sqlite]): a PostgreSQL server writes its own files.
#include <catch2/catch.hpp>

#include <memory>

#include "tests/gateway/test_gateway.h"
#include "tests/support/file_size_limit.h"

namespace suaradesa::testing {
namespace {

int Health(TestGateway& gw) {
  auto res = gw.Get("/healthz");
  REQUIRE(res);
  return res->status;
}

int Say(TestGateway& gw, int64_t update, const std::string& text) {
  auto res = gw.Post("/webhook/tg", TelegramTextUpdate(update, 77, text),
                     {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
  REQUIRE(res);
  return res->status;
}

TEST_CASE("Gateway: /healthz answers 503 while commits fail, and 200 once there is room",
          "[e2e][sqlite]") {
  GatewayFixture f;
  CHECK(Health(f.gw) == 200);
  CHECK(Say(f.gw, 1, "MENU") == 200);
  f.gw.DrainOutbox();
  {
    FileSizeLimit full_disk(1);
    // The database still answers reads and takes the write lock, but no
    // commit gets through: webhooks get 503, and so does /healthz.
    CHECK(Say(f.gw, 2, "USUL") == 503);
    CHECK(Health(f.gw) == 503);
    // An outbox round (a transaction that writes nothing) changes nothing.
    f.gw.DrainOutbox();
    CHECK(Health(f.gw) == 503);
  }
  // Room again: /healthz recovers by itself, before any webhook commits.
  CHECK(Health(f.gw) == 200);
  CHECK(Say(f.gw, 2, "USUL") == 200);
  CHECK(Health(f.gw) == 200);
}

}  // namespace
}  // namespace suaradesa::testing
