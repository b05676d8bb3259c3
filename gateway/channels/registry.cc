#include "gateway/channels/registry.h"

#include <charconv>

#include "gateway/channels/android_sms/android_sms.h"
#include "gateway/channels/http/http_channel.h"
#include "gateway/channels/telegram/telegram.h"
#include "gateway/channels/twilio/twilio.h"
#include "gateway/channels/whatsapp/whatsapp.h"

namespace suaradesa::channels {

namespace {

// A non-negative number, or nullopt.
std::optional<double> ParseRate(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

// Wraps a channel type's factory so that every channel gets its rate limits
// from the same two keys.
template <std::unique_ptr<Channel> (*kMake)(const ChannelSettings&)>
std::unique_ptr<Channel> WithRates(const ChannelSettings& settings, RateLimits defaults) {
  std::unique_ptr<Channel> channel = kMake(settings);
  channel->set_rate_limits(RateLimitsFrom(settings, defaults));
  return channel;
}

// Platform defaults (PROTOCOLS.md): Telegram 30/s per bot and 1/s per chat;
// WhatsApp Cloud 80/s per number; Twilio 1/s per long-code sender; the
// Android gateway one SMS every 3 s (the phone's own sending limits); the
// generic http channel unlimited.
std::unique_ptr<Channel> MakeTelegram(const ChannelSettings& s) {
  return WithRates<&TelegramChannel::Make>(s, {30, 1});
}
std::unique_ptr<Channel> MakeHttp(const ChannelSettings& s) {
  return WithRates<&HttpChannel::Make>(s, {0, 0});
}
std::unique_ptr<Channel> MakeWhatsApp(const ChannelSettings& s) {
  return WithRates<&WhatsAppChannel::Make>(s, {80, 0});
}
std::unique_ptr<Channel> MakeTwilio(const ChannelSettings& s) {
  return WithRates<&TwilioChannel::Make>(s, {1, 0});
}
std::unique_ptr<Channel> MakeAndroidSms(const ChannelSettings& s) {
  return WithRates<&AndroidSmsChannel::Make>(s, {1.0 / 3.0, 0});
}

}  // namespace

std::string ChannelSettings::Get(const std::string& key,
                                 const std::string& fallback) const {
  auto it = values.find(key);
  return it == values.end() ? fallback : it->second;
}

RateLimits RateLimitsFrom(const ChannelSettings& settings, RateLimits defaults) {
  RateLimits out = defaults;
  if (auto v = ParseRate(settings.Get(kRatePerSecondKey))) out.per_second = *v;
  if (auto v = ParseRate(settings.Get(kPerRecipientPerSecondKey))) {
    out.per_recipient_per_second = *v;
  }
  return out;
}

const std::vector<ChannelSpec>& ChannelSpecs() {
  // The explicit table of channel types. A function-local constant, built on
  // first use, so there is no static-initialisation order to worry about.
  static const std::vector<ChannelSpec> kSpecs = {
      {
          .type = "telegram",
          .required = {"bot_token", "secret_token"},
          .optional = {"api_base", kRatePerSecondKey, kPerRecipientPerSecondKey},
          .secrets = {"bot_token", "secret_token"},
          .make = &MakeTelegram,
          .numeric = {kRatePerSecondKey, kPerRecipientPerSecondKey},
      },
      {
          .type = "whatsapp",
          .required = {"phone_number_id", "access_token", "app_secret", "verify_token"},
          .optional = {"api_base", "templates", kRatePerSecondKey, kPerRecipientPerSecondKey},
          .secrets = {"access_token", "app_secret", "verify_token"},
          .make = &MakeWhatsApp,
          .numeric = {kRatePerSecondKey, kPerRecipientPerSecondKey},
          .objects = {"templates"},
      },
      {
          .type = "twilio",
          .required = {"account_sid", "auth_token", "from"},
          .optional = {"api_base", kRatePerSecondKey, kPerRecipientPerSecondKey},
          .secrets = {"auth_token"},
          .make = &MakeTwilio,
          .numeric = {kRatePerSecondKey, kPerRecipientPerSecondKey},
          .check = &TwilioChannel::CheckSettings,
      },
      {
          .type = "android_sms",
          .required = {"url", "username", "password", "signing_key"},
          .optional = {"api_base", kRatePerSecondKey, kPerRecipientPerSecondKey},
          .secrets = {"password", "signing_key"},
          .make = &MakeAndroidSms,
          .numeric = {kRatePerSecondKey, kPerRecipientPerSecondKey},
      },
      {
          .type = "http",
          .required = {"secret", "send_url"},
          .optional = {"api_base", kRatePerSecondKey, kPerRecipientPerSecondKey},
          .secrets = {"secret"},
          .make = &MakeHttp,
          .numeric = {kRatePerSecondKey, kPerRecipientPerSecondKey},
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
