// The table of channel types: for each, the configuration keys it takes and
// how to build it. Config validation and the composition root both read it;
// adding a platform is one folder plus one row here.
#ifndef SUARADESA_GATEWAY_CHANNELS_REGISTRY_H_
#define SUARADESA_GATEWAY_CHANNELS_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gateway/channels/channel.h"

namespace suaradesa::channels {

// One channel's configuration after "${ENV}" substitution. Every value is a
// string; numeric settings are parsed by the channel.
struct ChannelSettings {
  std::string id;
  std::string type;
  std::map<std::string, std::string> values;  // key -> value, without id/type
  // The config's top-level public_url (no trailing slash), for channels
  // that sign or register their webhook URL. May be empty.
  std::string public_url = {};

  // The value of key, or fallback when it is absent.
  std::string Get(const std::string& key, const std::string& fallback = "") const;
};

struct ChannelSpec {
  std::string type;
  std::vector<std::string> required;  // keys that must be present and non-empty
  std::vector<std::string> optional;  // keys that may be present
  std::vector<std::string> secrets;   // keys whose values are never logged
  std::unique_ptr<Channel> (*make)(const ChannelSettings& settings);
  // Optional keys whose value must be a number >= 0 (kept as its JSON text).
  std::vector<std::string> numeric = {};
  // Optional keys whose value must be a JSON object (kept as its JSON text).
  std::vector<std::string> objects = {};
  // Checks of the values beyond presence and type; returns {key, problem}
  // pairs, which config validation reports (start-up stops). May be null.
  std::vector<std::pair<std::string, std::string>> (*check)(const ChannelSettings& settings) =
      nullptr;
};

// Setting keys every channel type takes for its send rate.
inline constexpr char kRatePerSecondKey[] = "rate_per_second";
inline constexpr char kPerRecipientPerSecondKey[] = "per_recipient_per_second";

// The limits in settings' rate keys, each falling back to the one in
// `defaults` when absent or not a number >= 0.
RateLimits RateLimitsFrom(const ChannelSettings& settings, RateLimits defaults);

// All known channel types.
const std::vector<ChannelSpec>& ChannelSpecs();
// The spec for `type`, or nullptr.
const ChannelSpec* FindChannelSpec(const std::string& type);

}  // namespace suaradesa::channels

#endif  // SUARADESA_GATEWAY_CHANNELS_REGISTRY_H_
