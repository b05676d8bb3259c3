#include "gateway/channels/channel.h"

namespace suaradesa::channels {

WebhookResponse Channel::Ack(const InboundBatch& /*batch*/) const {
  // Platforms only look at the status; the default body is 200 {"ok":true}.
  return WebhookResponse{};
}

std::optional<WebhookResponse> Channel::Handshake(const WebhookRequest& /*req*/) const {
  return std::nullopt;
}

void Channel::AnswerCallback(const std::string& /*callback_id*/, HttpClient& /*http*/) const {}

}  // namespace suaradesa::channels
