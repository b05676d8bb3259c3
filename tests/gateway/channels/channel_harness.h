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
  std::vector<channels::StatusEvent> expected_statuses;
  // The batch's skipped reasons and address changes, compared exactly (an
  // accepted case expects none unless it lists them).
  std::vector<std::string> expected_skipped;
  std::vector<channels::AddressChange> expected_address_changes;
  std::string method = "POST";
  std::string query;                              // raw, without '?'
  std::multimap<std::string, std::string> params;  // query (GET) parameters
  std::optional<std::string> expected_body;       // checked when set
};

// A GET (WhatsApp's verification handshake) with query parameters.
inline IncomingCase Handshake(std::string label,
                              std::multimap<std::string, std::string> params, int status,
                              std::optional<std::string> body = std::nullopt) {
  IncomingCase c;
  c.label = std::move(label);
  c.method = "GET";
  c.params = std::move(params);
  c.expected_status = status;
  c.expected_body = std::move(body);
  return c;
}

// A delivery carrying status reports only.
inline IncomingCase Statuses(std::string label, std::map<std::string, std::string> headers,
                             std::string body, std::vector<channels::StatusEvent> statuses) {
  IncomingCase c;
  c.label = std::move(label);
  c.headers = std::move(headers);
  c.body = std::move(body);
  c.expected_statuses = std::move(statuses);
  return c;
}

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

// A delivery acknowledged with nothing to do, whose items were skipped for
// these reasons.
inline IncomingCase Skip(std::string label, std::map<std::string, std::string> headers,
                         std::string body, std::vector<std::string> reasons) {
  IncomingCase c = Ignore(std::move(label), std::move(headers), std::move(body));
  c.expected_skipped = std::move(reasons);
  return c;
}

// An event of a kind we cannot read, recorded as "[kind]".
inline channels::InboundEvent Unsupported(channels::InboundEvent e, std::string text) {
  e.unsupported = true;
  e.text = std::move(text);
  return e;
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
  CHECK(got.unsupported == want.unsupported);
  CHECK(got.user_id == want.user_id);
  CHECK(got.latitude.has_value() == want.latitude.has_value());
  CHECK(got.longitude.has_value() == want.longitude.has_value());
  if (got.latitude && want.latitude) CHECK(*got.latitude == Approx(*want.latitude));
  if (got.longitude && want.longitude) CHECK(*got.longitude == Approx(*want.longitude));
}

inline void CheckStatus(const channels::StatusEvent& got, const channels::StatusEvent& want) {
  CHECK(got.provider_id == want.provider_id);
  CHECK(got.status == want.status);
  CHECK(got.error_code == want.error_code);
  CHECK(got.error_reason == want.error_reason);
  CHECK(got.at == want.at);
}

// Runs every case against channel, the way the server handles a webhook.
// now_ms is the time Verify is given.
inline void RunIncomingCases(const channels::Channel& channel,
                             const std::vector<IncomingCase>& cases, int64_t now_ms = 0) {
  for (const IncomingCase& c : cases) {
    INFO("case: " << c.label);
    channels::WebhookRequest req;
    req.method = c.method;
    req.path = "/webhook/" + channel.id();
    req.headers = c.headers;
    req.params = c.params;
    req.query = c.query;
    req.body = c.body;
    req.remote_addr = "127.0.0.1";

    int status = 0;
    std::optional<channels::InboundBatch> batch;
    if (auto hs = channel.Handshake(req)) {
      status = hs->status;
      if (c.expected_body) CHECK(hs->body == *c.expected_body);
      CHECK(status == c.expected_status);
      continue;
    } else if (auto rejection = channel.Verify(req, now_ms)) {
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
      const channels::WebhookResponse ack = channel.Ack(*batch);
      status = ack.status;
      if (c.expected_body) CHECK(ack.body == *c.expected_body);
    }
    CHECK(status == c.expected_status);
    if (c.expected_status != 200) continue;
    REQUIRE(batch.has_value());
    CHECK(batch->ignored.empty() == !c.expect_ignored);
    REQUIRE(batch->messages.size() == c.expected_events.size());
    for (size_t i = 0; i < c.expected_events.size(); ++i) {
      CheckEvent(batch->messages[i], c.expected_events[i]);
    }
    REQUIRE(batch->statuses.size() == c.expected_statuses.size());
    for (size_t i = 0; i < c.expected_statuses.size(); ++i) {
      CheckStatus(batch->statuses[i], c.expected_statuses[i]);
    }
    CHECK(batch->skipped == c.expected_skipped);
    REQUIRE(batch->address_changes.size() == c.expected_address_changes.size());
    for (size_t i = 0; i < c.expected_address_changes.size(); ++i) {
      const channels::AddressChange& got = batch->address_changes[i];
      const channels::AddressChange& want = c.expected_address_changes[i];
      CHECK(got.provider_id == want.provider_id);
      CHECK(got.old_address == want.old_address);
      CHECK(got.new_address == want.new_address);
      CHECK(got.at == want.at);
    }
  }
}

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_GATEWAY_CHANNELS_CHANNEL_HARNESS_H_
