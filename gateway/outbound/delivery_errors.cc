#include "gateway/outbound/delivery_errors.h"

namespace suaradesa {

namespace {

struct Row {
  std::string_view channel_type;
  std::string_view code;  // the platform's code; for android_sms a word of the reason
  DeliveryErrorClass cls;
  std::string_view meaning;  // for readers of this table
};

using enum DeliveryErrorClass;

// Sources: Meta's Cloud API error-code page, Twilio's error pages, Android's
// SmsManager result codes (which the Android gateway reports as the reason
// of sms:failed). See README.md "Delivery errors".
constexpr Row kTable[] = {
    // WhatsApp Cloud API (statuses[].errors[].code).
    {"whatsapp", "131047", kRetry, "re-engagement: the 24 h window is closed; a template may go"},
    {"whatsapp", "131026", kUnreachable, "message undeliverable (not on WhatsApp, old app, terms)"},
    {"whatsapp", "131050", kOptedOutPlatform, "the user stopped marketing messages from us"},
    {"whatsapp", "131049", kRetry, "Meta chose not to deliver (per-user marketing limit)"},
    {"whatsapp", "131048", kRetry, "spam rate limit"},
    {"whatsapp", "131056", kRetry, "pair rate limit"},
    {"whatsapp", "130429", kRetry, "throughput limit"},
    {"whatsapp", "131000", kRetry, "something went wrong"},
    // Twilio Programmable Messaging (ErrorCode of the status callback).
    {"twilio", "21610", kOptedOutPlatform, "the recipient replied STOP to this sender"},
    {"twilio", "21614", kUnreachable, "'To' is not a mobile number"},
    {"twilio", "30003", kUnreachable, "unreachable destination handset"},
    {"twilio", "30004", kUnreachable, "message blocked (by the recipient or their carrier)"},
    {"twilio", "30005", kUnreachable, "unknown destination handset"},
    {"twilio", "30006", kUnreachable, "landline or unreachable carrier"},
    {"twilio", "30001", kRetry, "queue overflow"},
    {"twilio", "30007", kRetry, "filtered by the carrier"},
    {"twilio", "30008", kRetry, "unknown error"},
    // Android gateway (sms:failed payload.reason: Android's SmsManager result).
    {"android_sms", "RESULT_ERROR_NO_SERVICE", kRetry, "the phone had no signal"},
    {"android_sms", "RESULT_ERROR_RADIO_OFF", kRetry, "the phone's radio was off"},
    {"android_sms", "RESULT_ERROR_GENERIC_FAILURE", kRetry, "the modem failed"},
    {"android_sms", "RESULT_ERROR_LIMIT_EXCEEDED", kRetry, "Android's sending limit"},
    {"android_sms", "RESULT_ERROR_NULL_PDU", kRetry, "the message could not be encoded"},
    {"android_sms", "RESULT_ERROR_INVALID_ADDRESS", kUnreachable, "not a number Android can send to"},
};

}  // namespace

const char* DeliveryErrorClassName(DeliveryErrorClass c) {
  switch (c) {
    case kRetry: return "retry";
    case kUnreachable: return "unreachable";
    case kOptedOutPlatform: return "opted_out_platform";
  }
  return "retry";
}

DeliveryErrorClass ClassifyDeliveryError(std::string_view channel_type, std::string_view code,
                                         std::string_view reason) {
  for (const Row& row : kTable) {
    if (row.channel_type != channel_type) continue;
    if (!code.empty() && code == row.code) return row.cls;
    // The Android gateway says what failed in words ("RESULT_ERROR_NO_SERVICE",
    // or a sentence holding it).
    if (channel_type == "android_sms" && (code.find(row.code) != std::string_view::npos ||
                                          reason.find(row.code) != std::string_view::npos)) {
      return row.cls;
    }
  }
  return kRetry;
}

storage::DeliveryConsequence ConsequenceOf(DeliveryErrorClass c) {
  switch (c) {
    case kUnreachable: return storage::DeliveryConsequence::kUnreachable;
    case kOptedOutPlatform: return storage::DeliveryConsequence::kOptedOutAtPlatform;
    case kRetry: return storage::DeliveryConsequence::kNone;
  }
  return storage::DeliveryConsequence::kNone;
}

}  // namespace suaradesa
