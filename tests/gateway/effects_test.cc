// The dialogs' effects carried out by the gateway (gateway/effects.h):
// messages go through the real Inbound, the real dialogs and a real SQLite
// store; what they did is read back through the store interface.
#include <catch2/catch.hpp>

#include <cctype>
#include <string>
#include <vector>

#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

struct Fixture : GatewayFixture {
  const ChannelInfo channel{"tg", "telegram"};
  int next_update = 1;

  // Sends `text` from `chat` through Inbound, a minute after the previous
  // message; returns the replies queued, joined by " | ".
  std::string Say(const std::string& text, const std::string& chat = "4242") {
    gw.clock().Advance(60 * 1000);
    channels::InboundEvent event;
    event.provider_id = "u" + std::to_string(next_update++);
    event.address = chat;
    event.user_id = chat;
    event.text = text;
    auto result = gw.app().inbound().HandleMessage(channel, event);
    REQUIRE(result.has_value());
    std::string out;
    for (const dialogs::Reply& r : result->replies) out += (out.empty() ? "" : " | ") + r.text;
    return out;
  }

  // Files a case from its opening and stops the questions after it;
  // returns the reply that gave the ticket.
  std::string File(const std::string& opening) {
    std::string filed = Say(opening);
    Say("BATAL");
    return filed;
  }

  // The notes the reporter added to a case, through the store interface.
  std::vector<std::string> NotesOf(storage::CaseType type, int64_t number) {
    std::vector<std::string> notes;
    storage::Status s = gw.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
      auto c = tx.GetCase(type, number);
      if (!c) return std::unexpected(c.error());
      auto events = tx.CaseEvents(c->id);
      if (!events) return std::unexpected(events.error());
      for (const storage::CaseEvent& e : *events) {
        if (e.kind == "note") notes.push_back(e.detail);
      }
      return {};
    });
    REQUIRE(s.has_value());
    return notes;
  }
};

// The sender's cases, oldest first: USL-1, USL-2, ADU-1, ADU-2, ADU-3.
void FileFive(Fixture& f) {
  REQUIRE(f.File("USUL sumur bor").find("USL-1") != std::string::npos);
  REQUIRE(f.File("USUL jembatan gantung").find("USL-2") != std::string::npos);
  REQUIRE(f.File("ADU dana BLT dipotong oknum").find("ADU-1") != std::string::npos);
  REQUIRE(f.File("ADU jalan rusak dibiarkan").find("ADU-2") != std::string::npos);
  REQUIRE(f.File("ADU pungli di kantor desa").find("ADU-3") != std::string::npos);
}

// The sender's tickets a reply names (not the example "ADU-12" of a
// not-found reply).
std::vector<std::string> Named(const std::string& reply) {
  std::vector<std::string> named;
  for (const std::string t : {"USL-1", "USL-2", "ADU-1", "ADU-2", "ADU-3"}) {
    for (size_t at = reply.find(t); at != std::string::npos; at = reply.find(t, at + 1)) {
      const size_t end = at + t.size();
      if (end == reply.size() || !std::isdigit(static_cast<unsigned char>(reply[end]))) {
        named.push_back(t);
        break;
      }
    }
  }
  return named;
}

TEST_CASE("Effects: a status question answers the ticket it names", "[effects]") {
  Fixture f;
  FileFive(f);
  using Tickets = std::vector<std::string>;
  // A bare number: the sender's newest case with that number.
  CHECK(Named(f.Say("CEK 1")) == Tickets{"ADU-1"});
  CHECK(Named(f.Say("cek 2")) == Tickets{"ADU-2"});
  // A ticket: that case, even when a newer one shares its number.
  CHECK(Named(f.Say("CEK USL-1")) == Tickets{"USL-1"});
  CHECK(Named(f.Say("cek usl 2")) == Tickets{"USL-2"});
  CHECK(Named(f.Say("STATUS ADU-3")) == Tickets{"ADU-3"});
  // No ticket: the newest case.
  CHECK(Named(f.Say("STATUS")) == Tickets{"ADU-3"});
  // A number none of the sender's cases has is not found.
  const std::string seven = f.Say("CEK 7");
  CHECK(Named(seven).empty());
  CHECK(seven.find('7') != std::string::npos);
  // Someone else's cases are not theirs to read.
  CHECK(Named(f.Say("CEK 1", "5151")).empty());
  CHECK(f.Say("CEK USL-1", "5151") ==
        f.gw.app().dialogs().Render("status.not_found", {{"ticket", "USL-1"}}, "id").text);
}

TEST_CASE("Effects: a number answering 'which case?' adds the note to that case",
          "[effects]") {
  Fixture f;
  FileFive(f);
  const std::string note = "jalannya retak lagi setelah hujan kemarin";
  const std::string which = f.Say(note);
  // Newest first: 1. ADU-3, 2. ADU-2, 3. ADU-1, 4. USL-2, 5. USL-1.
  REQUIRE(which.find("1. ADU-3\n2. ADU-2\n3. ADU-1") != std::string::npos);
  CHECK(Named(f.Say("2")) == std::vector<std::string>{"ADU-2"});
  CHECK(f.NotesOf(storage::CaseType::kPengaduan, 2) == std::vector<std::string>{note});
  CHECK(f.NotesOf(storage::CaseType::kPengaduan, 3).empty());
  CHECK(f.NotesOf(storage::CaseType::kUsulan, 2).empty());
  // A ticket as the answer works the same way.
  f.Say("air sumurnya sudah kering pak");
  CHECK(Named(f.Say("usl 1")) == std::vector<std::string>{"USL-1"});
  CHECK(f.NotesOf(storage::CaseType::kUsulan, 1) ==
        std::vector<std::string>{"air sumurnya sudah kering pak"});
}

}  // namespace
}  // namespace suaradesa::testing
