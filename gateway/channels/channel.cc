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

WebhookReport Channel::SetWebhook(const std::string& url, HttpClient& /*http*/) const {
  WebhookReport report;
  report.lines = {"channel " + id() + " (" + type() + ") has no API to register a webhook.",
                  "Configure the platform to POST to: " + url};
  return report;
}

WebhookReport Channel::WebhookInfo(const std::string& url, HttpClient& http) const {
  return SetWebhook(url, http);
}

}  // namespace suaradesa::channels
