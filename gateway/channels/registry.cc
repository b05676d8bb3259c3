#include "gateway/channels/registry.h"

#include "gateway/channels/http/http_channel.h"
#include "gateway/channels/telegram/telegram.h"

namespace suaradesa::channels {

std::string ChannelSettings::Get(const std::string& key,
                                 const std::string& fallback) const {
  auto it = values.find(key);
  return it == values.end() ? fallback : it->second;
}

const std::vector<ChannelSpec>& ChannelSpecs() {
  // The explicit table of channel types. A function-local constant, built on
  // first use, so there is no static-initialisation order to worry about.
  static const std::vector<ChannelSpec> kSpecs = {
      {
          .type = "telegram",
          .required = {"bot_token", "secret_token"},
          .optional = {"api_base"},
          .secrets = {"bot_token", "secret_token"},
          .make = &TelegramChannel::Make,
      },
      {
          .type = "http",
          .required = {"secret", "send_url"},
          .optional = {"api_base"},
          .secrets = {"secret"},
          .make = &HttpChannel::Make,
      },
  };
  return kSpecs;
}

const ChannelSpec* FindChannelSpec(const std::string& type) {
  for (const ChannelSpec& spec : ChannelSpecs()) {
    if (spec.type == type) return &spec;
  }
  return nullptr;
}

}  // namespace suaradesa::channels
