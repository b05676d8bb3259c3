#include "gateway/channels/http/http_channel.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "gateway/channels/json_fields.h"
#include "gateway/channels/send_errors.h"
#include "gateway/channels/signature.h"
#include "gateway/channels/sms_segments.h"

namespace suaradesa::channels {

namespace {

using nlohmann::json;

Rejection BadRequest(std::string reason) { return Rejection{400, std::move(reason)}; }

}  // namespace

std::unique_ptr<Channel> HttpChannel::Make(const ChannelSettings& settings) {
  return std::make_unique<HttpChannel>(settings.id, settings.Get("secret"),
                                       settings.Get("send_url"));
}

HttpChannel::HttpChannel(std::string id, std::string secret, std::string send_url)
    : id_(std::move(id)), secret_(std::move(secret)), send_url_(std::move(send_url)) {}

std::string HttpChannel::Sign(std::string_view secret, std::string_view body) {
  return std::string(kSignaturePrefix) + HmacSha256Hex(secret, body);
}

std::optional<Rejection> HttpChannel::Verify(const WebhookRequest& req,
                                             int64_t /*now_ms*/) const {
  auto it = req.headers.find(std::string(kSignatureHeader));
  if (it == req.headers.end() || it->second.empty()) {
    return Rejection{401, "missing X-Suaradesa-Signature header"};
  }
  // Hex digits may arrive in either case; ours are lower case.
  std::string given = it->second;
  std::transform(given.begin(), given.end(), given.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // Fail closed: with no secret configured nothing is accepted.
  if (secret_.empty() || !ConstantTimeEquals(given, Sign(secret_, req.body))) {
    return Rejection{403, "X-Suaradesa-Signature does not match the body"};
  }
  return std::nullopt;
}

std::expected<InboundBatch, Rejection> HttpChannel::Parse(const WebhookRequest& req) const {
  const json body = json_fields::Parse(req.body);
  if (body.is_discarded()) return std::unexpected(BadRequest("body is not JSON"));
  if (!body.is_object()) return std::unexpected(BadRequest("body is not a JSON object"));
  auto id = body.find("id");
  auto from = body.find("from");
  auto text = body.find("text");
  auto name = body.find("name");
  if (id == body.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
    return std::unexpected(BadRequest("\"id\" must be a non-empty string"));
  }
  if (from == body.end() || !from->is_string() ||
      from->get_ref<const std::string&>().empty()) {
    return std::unexpected(BadRequest("\"from\" must be a non-empty string"));
  }
  if (text != body.end() && !text->is_string()) {
    return std::unexpected(BadRequest("\"text\" must be a string"));
  }
  if (name != body.end() && !name->is_string()) {
    return std::unexpected(BadRequest("\"name\" must be a string"));
  }
  InboundEvent event;
  event.provider_id = id->get<std::string>();
  event.address = from->get<std::string>();
  if (text != body.end()) event.text = text->get<std::string>();
  if (name != body.end()) event.sender_name = name->get<std::string>();
  InboundBatch batch;
  batch.messages.push_back(std::move(event));
  return batch;
}

std::expected<SendReceipt, SendError> HttpChannel::Send(const OutboundMessage& msg,
                                                        HttpClient& http) const {
  if (secret_.empty() || send_url_.empty()) {
    return std::unexpected(SendError{SendError::Kind::kConfig,
                                     "http: secret or send_url is not configured"});
  }
  json body = {{"to", msg.address}, {"text", msg.text}};
  if (!msg.choices.empty()) {
    json choices = json::array();
    for (const ChoiceOut& c : msg.choices) {
      choices.push_back({{"id", c.id}, {"label", c.label}});
    }
    body["choices"] = std::move(choices);
  }
  OutgoingRequest request;
  request.url = send_url_;
  request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  request.headers.emplace_back("X-Suaradesa-Signature", Sign(secret_, request.body));
  const HttpResult result = http.Send(request);
  if (result.status < 200 || result.status > 299) {
    // The answer's body is not quoted: a bridge may echo the phone number or
    // its own credentials. The URL is left out too (Kannel puts a password
    // in its query string).
    HttpResult cleaned = result;
    cleaned.error = CleanErrorText(result.error, {secret_});
    return std::unexpected(ErrorFromResponse(cleaned, "http"));
  }
  SendReceipt receipt;
  receipt.segments = std::max(1, SmsSegments(msg.text));
  const json answer = json_fields::Parse(result.body);
  if (answer.is_object()) {
    auto id = answer.find("id");
    if (id != answer.end() && id->is_string()) {
      receipt.provider_id = id->get<std::string>();
    } else if (id != answer.end() && id->is_number_integer()) {
      receipt.provider_id = std::to_string(id->get<int64_t>());
    }
  }
  return receipt;
}

std::vector<std::string> HttpChannel::Secrets() const {
  if (secret_.empty()) return {};
  return {secret_};
}

}  // namespace suaradesa::channels
