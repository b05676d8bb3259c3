// Two messages of one person in flight at once: each is decided on the
// session the other left, exactly once, in the order they were recorded.
// The real pipeline (Inbound) on a real SQLite file, called from two
// threads as two HTTP worker threads would.
#include <catch2/catch.hpp>

#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "gateway/inbound.h"
#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

channels::InboundEvent Text(const std::string& address, const std::string& id,
                            const std::string& text) {
  channels::InboundEvent ev;
  ev.provider_id = id;
  ev.address = address;
  ev.text = text;
  return ev;
}

// A proposal dialog walked up to a question whose answer is free text: the
// next question takes a count. "40" and "35" answer either one, so any
// order of the two is a valid conversation.
constexpr const char* kWalk[] = {"USUL", "perbaikan jalan desa", "Gitik"};

struct Fixture : GatewayFixture {
  Inbound& inbound = gw.app().inbound();
  ChannelInfo channel = gw.app().InfoOf(*gw.app().channel("tg"));

  std::string Walk(const std::string& address) {
    std::string node;
    int i = 0;
    for (const char* text : kWalk) {
      auto r = inbound.HandleMessage(channel, Text(address, address + "-w" + std::to_string(i++), text));
      REQUIRE(r.has_value());
      node = r->node;
    }
    return node;
  }
};

TEST_CASE("Inbound: two messages of one contact at once advance the dialog twice, in order",
          "[inbound][concurrency]") {
  Fixture f;
  // The reference: the same two answers one after the other.
  const std::string start = f.Walk("9000");
  auto one = f.inbound.HandleMessage(f.channel, Text("9000", "9000-a", "40"));
  auto two = f.inbound.HandleMessage(f.channel, Text("9000", "9000-b", "35"));
  REQUIRE(one.has_value());
  REQUIRE(two.has_value());
  const std::string after_one = one->node;
  const std::string after_two = two->node;
  REQUIRE(after_one != start);
  REQUIRE(after_two != after_one);

  constexpr int kRounds = 40;
  for (int round = 0; round < kRounds; ++round) {
    const std::string address = std::to_string(10000 + round);
    REQUIRE(f.Walk(address) == start);
    std::latch go(2);
    std::expected<InboundResult, storage::Error> a, b;
    std::thread ta([&] {
      go.arrive_and_wait();
      a = f.inbound.HandleMessage(f.channel, Text(address, address + "-a", "40"));
    });
    std::thread tb([&] {
      go.arrive_and_wait();
      b = f.inbound.HandleMessage(f.channel, Text(address, address + "-b", "35"));
    });
    ta.join();
    tb.join();
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK_FALSE(a->duplicate);
    CHECK_FALSE(b->duplicate);

    // Which of the two the store recorded first.
    auto messages = f.gw.app().store().ListMessages(std::nullopt, std::nullopt);
    REQUIRE(messages.has_value());
    int64_t id_a = 0, id_b = 0;
    for (const auto& m : *messages) {
      if (m.provider_id == address + "-a") id_a = m.id;
      if (m.provider_id == address + "-b") id_b = m.id;
    }
    REQUIRE(id_a != 0);
    REQUIRE(id_b != 0);
    const InboundResult& first = id_a < id_b ? *a : *b;
    const InboundResult& second = id_a < id_b ? *b : *a;
    INFO("round " << round);
    CHECK(first.node == after_one);
    CHECK(second.node == after_two);
    REQUIRE_FALSE(first.replies.empty());
    REQUIRE_FALSE(second.replies.empty());
    CHECK(first.replies.back().text == one->replies.back().text);
    CHECK(second.replies.back().text == two->replies.back().text);
  }
}

}  // namespace
}  // namespace suaradesa::testing
