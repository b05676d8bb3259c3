// The table of platform delivery-error codes (gateway/outbound/delivery_errors.h).
#include "gateway/outbound/delivery_errors.h"

#include <catch2/catch.hpp>

namespace suaradesa {
namespace {

TEST_CASE("Delivery errors: each platform's codes map to retry, unreachable or opted out",
          "[delivery_errors]") {
  static const struct {
    const char* type;
    const char* code;
    const char* reason;
    const char* want;
  } cases[] = {
      {"whatsapp", "131047", "Re-engagement message", "retry"},
      {"whatsapp", "131026", "Message undeliverable", "unreachable"},
      {"whatsapp", "131050", "", "opted_out_platform"},
      {"whatsapp", "131049", "", "retry"},
      {"twilio", "21610", "", "opted_out_platform"},
      {"twilio", "30003", "", "unreachable"},
      {"twilio", "30005", "", "unreachable"},
      {"twilio", "30006", "", "unreachable"},
      {"twilio", "30008", "", "retry"},
      {"android_sms", "", "RESULT_ERROR_NO_SERVICE", "retry"},
      {"android_sms", "", "Send failed: RESULT_ERROR_INVALID_ADDRESS", "unreachable"},
      // A code is read only on its own platform, and an unknown one assumes nothing.
      {"twilio", "131026", "", "retry"},
      {"whatsapp", "21610", "", "retry"},
      {"whatsapp", "999999", "", "retry"},
      {"telegram", "", "", "retry"},
  };
  for (const auto& c : cases) {
    INFO(c.type << " " << c.code << " " << c.reason);
    CHECK(std::string(DeliveryErrorClassName(ClassifyDeliveryError(c.type, c.code, c.reason))) ==
          c.want);
  }
  CHECK(ConsequenceOf(DeliveryErrorClass::kUnreachable) == storage::DeliveryConsequence::kUnreachable);
  CHECK(ConsequenceOf(DeliveryErrorClass::kOptedOutPlatform) ==
        storage::DeliveryConsequence::kOptedOutAtPlatform);
  CHECK(ConsequenceOf(DeliveryErrorClass::kRetry) == storage::DeliveryConsequence::kNone);
}

}  // namespace
}  // namespace suaradesa
