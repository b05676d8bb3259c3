// What a platform's failed-delivery code means for the person (issue 15).
//
// The table (delivery_errors.cc, documented in README.md "Delivery errors")
// maps a channel type and the code or reason a failed status carried to one
// of three classes:
//   retry               a passing condition (no signal, window closed, a
//                       rate limit, an unknown error): the address stays
//                       reachable and the person is not changed;
//   unreachable         this address cannot be reached on this channel (no
//                       such handset, a landline, not on WhatsApp): marked
//                       unreachable until the person writes from it again;
//   opted_out_platform  the person told the platform to stop (Twilio STOP,
//                       WhatsApp's "stop marketing messages"): the contact
//                       is opted out of broadcasts and notices everywhere,
//                       as after BERHENTI; replies to their own messages
//                       still go.
// A code the table does not name is "retry": nothing about the person is
// assumed from it.
//
// Thread safety: pure.
#ifndef SUARADESA_GATEWAY_OUTBOUND_DELIVERY_ERRORS_H_
#define SUARADESA_GATEWAY_OUTBOUND_DELIVERY_ERRORS_H_

#include <string>
#include <string_view>

#include "storage/store.h"

namespace suaradesa {

enum class DeliveryErrorClass { kRetry, kUnreachable, kOptedOutPlatform };

// "retry", "unreachable" or "opted_out_platform".
const char* DeliveryErrorClassName(DeliveryErrorClass c);

// The class of a failure with `code` (or, for the Android gateway, whose
// failures carry a reason text only, `reason`) on a channel of
// `channel_type` ("whatsapp", "twilio", "android_sms", ...).
DeliveryErrorClass ClassifyDeliveryError(std::string_view channel_type, std::string_view code,
                                         std::string_view reason);

// What the store does about it.
storage::DeliveryConsequence ConsequenceOf(DeliveryErrorClass c);

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_OUTBOUND_DELIVERY_ERRORS_H_
