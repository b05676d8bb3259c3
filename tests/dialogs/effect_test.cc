// Effects: the kinds a flow may declare, and the JSON view of each.
#include "dialogs/effect.h"

#include <catch2/catch.hpp>

namespace suaradesa::dialogs {
namespace {

using nlohmann::json;

TEST_CASE("Effect: every field a flow may give a kind reaches its value", "[dialogs]") {
  REQUIRE_FALSE(DeclarableKinds().empty());
  for (std::string_view kind : DeclarableKinds()) {
    INFO(kind);
    const std::optional<std::vector<std::string>> fields = DeclarableFields(kind);
    REQUIRE(fields.has_value());
    std::optional<EffectValue> empty = MakeDeclared(kind, {});
    REQUIRE(empty.has_value());
    CHECK(KindName(*empty) == kind);
    for (const std::string& field : *fields) {
      INFO(field);
      std::optional<EffectValue> made = MakeDeclared(kind, {{field, "x-" + field}});
      REQUIRE(made.has_value());
      const json data = DataOf(*made);
      CHECK(data.value(field, "") == "x-" + field);
    }
  }
  CHECK_FALSE(DeclarableFields("create_case").has_value());
  CHECK_FALSE(MakeDeclared("join_grup", {}).has_value());
}

TEST_CASE("Effect: the JSON view leaves out what was not given", "[dialogs]") {
  CHECK(DataOf(StatusQuery{"ADU-3", std::nullopt}) == json{{"ticket", "ADU-3"}});
  CHECK(DataOf(StatusQuery{"", 1}) == json{{"ticket", ""}, {"number", 1}});
  Rsvp rsvp;
  CHECK(DataOf(rsvp) == json{{"answer", "hadir"}, {"reason", ""}});
  rsvp.choice = 2;
  CHECK(DataOf(rsvp) == json{{"answer", "hadir"}, {"reason", ""}, {"choice", 2}});
  CHECK(DataOf(CaseNote{"retak", "ADU-4", "", ""}) ==
        json{{"text", "retak"}, {"ticket", "ADU-4"}});
  CHECK(KindName(OptOut{}) == "opt_out");
}

}  // namespace
}  // namespace suaradesa::dialogs
