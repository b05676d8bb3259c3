// A table-driven harness for channel adapters, in the manner of courier's
// handlers/handlertest: each test file lists raw webhook requests with the
// answer and events it expects, and RunIncomingCases drives them through
// Handshake, Verify, Parse and Ack exactly as the server does.
#ifndef SUARADESA_TESTS_GATEWAY_CHANNELS_CHANNEL_HARNESS_H_
#define SUARADESA_TESTS_GATEWAY_CHANNELS_CHANNEL_HARNESS_H_

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/channels/channel.h"
#include "tests/support/fake_platform.h"
#include "tests/support/temp_dir.h"

namespace suaradesa::testing {

struct IncomingCase {
  std::string label;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  int expected_status = 200;
  std::vector<channels::InboundEvent> expected_events;
  bool expect_ignored = false;  // 200 with batch.ignored set and no events
};

// Table rows. (Designated initialisers would leave members out, which GCC 12
// warns about.)
inline IncomingCase Accept(std::string label, std::map<std::string, std::string> headers,
                           std::string body, std::vector<channels::InboundEvent> events) {
  IncomingCase c;
  c.label = std::move(label);
  c.headers = std::move(headers);
  c.body = std::move(body);
  c.expected_events = std::move(events);
  return c;
}

inline IncomingCase Ignore(std::string label, std::map<std::string, std::string> headers,
                           std::string body) {
  IncomingCase c = Accept(std::move(label), std::move(headers), std::move(body), {});
  c.expect_ignored = true;
  return c;
}

inline IncomingCase Reject(std::string label, std::map<std::string, std::string> headers,
                           std::string body, int status) {
  IncomingCase c = Accept(std::move(label), std::move(headers), std::move(body), {});
  c.expected_status = status;
  return c;
}

inline channels::OutboundMessage Outbound(std::string address, std::string text,
                                          std::vector<channels::ChoiceOut> choices = {}) {
  channels::OutboundMessage m;
  m.address = std::move(address);
  m.text = std::move(text);
  m.choices = std::move(choices);
  return m;
}

inline FakeResponse Reply(int status, std::string body,
                          std::map<std::string, std::string> headers = {}) {
  FakeResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

// A base URL where nothing listens: connections are refused at once.
inline constexpr char kDeadBaseUrl[] = "http://127.0.0.1:1";

// A fixture from tests/gateway/channels/testdata/.
inline std::string Fixture(const std::string& name) {
  std::string body = ReadFile(SourceDir() + "/tests/gateway/channels/testdata/" + name);
  REQUIRE_FALSE(body.empty());
  return body;
}

inline void CheckEvent(const channels::InboundEvent& got,
                       const channels::InboundEvent& want) {
  CHECK(got.provider_id == want.provider_id);
  CHECK(got.address == want.address);
  CHECK(got.sender_name == want.sender_name);
  CHECK(got.text == want.text);
  CHECK(got.choice_id == want.choice_id);
  CHECK(got.callback_id == want.callback_id);
  CHECK(got.sent_at == want.sent_at);
  CHECK(got.latitude.has_value() == want.latitude.has_value());
  CHECK(got.longitude.has_value() == want.longitude.has_value());
  if (got.latitude && want.latitude) CHECK(*got.latitude == Approx(*want.latitude));
  if (got.longitude && want.longitude) CHECK(*got.longitude == Approx(*want.longitude));
}

// Runs every case against channel, the way the server handles a webhook.
inline void RunIncomingCases(const channels::Channel& channel,
                             const std::vector<IncomingCase>& cases) {
  for (const IncomingCase& c : cases) {
    INFO("case: " << c.label);
    channels::WebhookRequest req;
    req.method = "POST";
    req.path = "/webhook/" + channel.id();
    req.headers = c.headers;
    req.body = c.body;
    req.remote_addr = "127.0.0.1";

    int status = 0;
    std::optional<channels::InboundBatch> batch;
    if (auto hs = channel.Handshake(req)) {
      status = hs->status;
    } else if (auto rejection = channel.Verify(req, 0)) {
      status = rejection->status;
      CHECK_FALSE(rejection->reason.empty());
      for (const std::string& secret : channel.Secrets()) {
        CHECK(rejection->reason.find(secret) == std::string::npos);
      }
    } else if (auto parsed = channel.Parse(req); !parsed) {
      status = parsed.error().status;
      CHECK_FALSE(parsed.error().reason.empty());
    } else {
      batch = *parsed;
      status = channel.Ack(*batch).status;
    }
    CHECK(status == c.expected_status);
    if (c.expected_status != 200) continue;
    REQUIRE(batch.has_value());
    CHECK(batch->ignored.empty() == !c.expect_ignored);
    REQUIRE(batch->messages.size() == c.expected_events.size());
    for (size_t i = 0; i < c.expected_events.size(); ++i) {
      CheckEvent(batch->messages[i], c.expected_events[i]);
    }
  }
}

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_GATEWAY_CHANNELS_CHANNEL_HARNESS_H_
