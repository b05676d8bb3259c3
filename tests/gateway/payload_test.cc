// OutboundPayload: the stored form of an outbox row's payload stays what
// rows already in databases hold, byte for byte.
#include "gateway/outbound/payload.h"

#include <catch2/catch.hpp>

namespace suaradesa {
namespace {

TEST_CASE("Payload: written as the rows already stored", "[payload]") {
  dialogs::Reply reply;
  reply.text = "Pilih:";
  reply.choices = {{"yes", "Ya"}, {"no", "Tidak"}};
  CHECK(ToJson(OutboundPayload::Of(reply)) ==
        R"({"choices":[{"id":"yes","label":"Ya"},{"id":"no","label":"Tidak"}],"text":"Pilih:"})");
  CHECK(ToJson(OutboundPayload::Text("halo")) == R"({"text":"halo"})");
  CHECK(ToJson(OutboundPayload::Text("Pelan-pelan", "flood.slow_down")) ==
        R"({"key":"flood.slow_down","text":"Pelan-pelan"})");
  OutboundPayload notice = OutboundPayload::Text("Rapat");
  notice.notice = true;
  notice.meeting = 7;
  notice.notice_kind = "invite";
  CHECK(ToJson(notice) == R"({"meeting":7,"notice":true,"notice_kind":"invite","text":"Rapat"})");
  OutboundPayload broadcast = OutboundPayload::Text("Info");
  broadcast.notice = true;
  broadcast.broadcast = 3;
  CHECK(ToJson(broadcast) == R"({"broadcast":3,"notice":true,"text":"Info"})");
  // Broken UTF-8 in a text is replaced, never thrown on.
  CHECK(ToJson(OutboundPayload::Text("a\xff")) == "{\"text\":\"a\xEF\xBF\xBD\"}");
}

TEST_CASE("Payload: stored rows read back, unusable ones are refused", "[payload]") {
  auto read = FromJson(
      R"({"choices":[{"id":"1","label":"Satu"},{"id":"2"}],"key":"status:4","text":"Halo"})");
  REQUIRE(read.has_value());
  CHECK(read->text == "Halo");
  REQUIRE(read->choices.size() == 2);
  CHECK(read->choices[0].id == "1");
  CHECK(read->choices[0].label == "Satu");
  CHECK(read->choices[1].label.empty());
  CHECK(read->key == "status:4");
  auto notice = FromJson(R"({"meeting":7,"notice":true,"notice_kind":"invite","text":"Rapat"})");
  REQUIRE(notice.has_value());
  CHECK(notice->notice);
  CHECK(notice->meeting == 7);
  CHECK(notice->notice_kind == "invite");
  CHECK(ToJson(*notice) == R"({"meeting":7,"notice":true,"notice_kind":"invite","text":"Rapat"})");
  CHECK(FromJson(R"({"text":"x","choices":null})").has_value());
  CHECK(FromJson(R"({"text":"x","key":5})").has_value());  // an odd field is ignored
  CHECK_FALSE(FromJson("{}").has_value());
  CHECK_FALSE(FromJson("not json").has_value());
  CHECK_FALSE(FromJson(R"({"text":3})").has_value());
  CHECK_FALSE(FromJson(R"({"text":"x","choices":"1,2"})").has_value());
  CHECK_FALSE(FromJson(R"({"text":"x","choices":[{"label":"no id"}]})").has_value());
}

}  // namespace
}  // namespace suaradesa
