// Config: the gateway's one JSON configuration file.
//
// Values written as "${NAME}" are read from the environment, so secrets stay
// out of the file. Unknown keys are errors, and every error names the path of
// the offending key ("channels[1].secret_token: missing"), so an operator can
// fix a file without reading the code. DemoConfig() is what `serve` runs with
// when no file is given.
#ifndef SUARADESA_GATEWAY_CONFIG_H_
#define SUARADESA_GATEWAY_CONFIG_H_

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gateway/channels/registry.h"

namespace suaradesa {

struct DesaConfig {
  std::string code;
  std::string name;
};

struct AreaConfig {
  std::string code;
  std::string name;
  std::string level;      // provinsi|kabupaten|kecamatan|desa
  std::string timezone;   // Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT)
  std::vector<DesaConfig> desa;
};

struct Config {
  std::string listen_host = "0.0.0.0";
  int listen_port = 8080;
  std::string tls_cert;
  std::string tls_key;
  int threads = 64;                       // HTTP worker pool
  std::string database_path = "data/suaradesa.db";
  std::string public_url;
  std::vector<AreaConfig> areas;
  std::vector<channels::ChannelSettings> channels;
  int64_t session_ttl_ms = 24LL * 3600 * 1000;
  bool demo = false;                      // built by DemoConfig()

  // The area (kecamatan) a desa code belongs to, or nullptr.
  const AreaConfig* AreaOfDesa(const std::string& desa_code) const;
  // Every secret value, to be masked in logs.
  std::vector<std::string> Secrets() const;
};

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
// Reads the process environment.
EnvLookup ProcessEnv();

// Parses and validates a configuration. Returns the config, or every problem
// found, one line each, naming its key path.
[[nodiscard]] std::expected<Config, std::vector<std::string>> ParseConfig(
    const std::string& json_text, const EnvLookup& env);

// Reads the file at `path` and parses it.
[[nodiscard]] std::expected<Config, std::vector<std::string>> LoadConfig(
    const std::string& path, const EnvLookup& env);

// The demo: SQLite in ./data, the Rogojampi demo area, a generic `http`
// channel with the given secret whose replies go to send_url.
Config DemoConfig(const std::string& http_secret, const std::string& send_url);

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_CONFIG_H_
