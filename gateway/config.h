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
#include "storage/open_store.h"

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

// Keeps a complaint away from staff in the office it accuses: when the
// complaint's text contains one of `words`, staff holding `position` are
// neither assigned nor shown the case.
struct ConflictRule {
  std::string position;
  std::vector<std::string> words;
};

struct DeskConfig {
  int verify_days = 3;       // working days to verify a complaint
  int answer_days = 5;       // to give a first answer
  int resolve_days = 14;     // to resolve it
  int reopen_days = 14;      // a closed complaint may be reopened this long
  std::vector<std::string> holidays;  // YYYY-MM-DD, not working days
  std::vector<ConflictRule> conflict_rules;
  bool conflict_rules_configured = false;  // false: gateway/desk/conflict_rules.json
};

// One reminder before a meeting (issue 5). Either a number of days before
// at a local time of day ({"days_before": 1, "at": "16:00"}) or a number of
// minutes before the start ({"hours_before": 2} is 120 minutes).
struct ReminderRule {
  int days_before = 0;          // > 0: the days-before form
  int at_minutes = 16 * 60;     // local time of day, days-before form only
  int minutes_before = 0;       // > 0: the minutes-before form

  // A stable name for the rule, part of each reminder's once-only key:
  // "d1@16:00" or "m120".
  std::string Id() const;
};

// Meeting notices, reminders and broadcasts (issue 5).
struct NoticesConfig {
  // Nothing is sent from quiet_start to quiet_end (minutes after local
  // midnight, in the area's zone); it waits until quiet_end. "quiet_hours":
  // null turns them off.
  bool quiet_hours = true;
  int quiet_start_minutes = 21 * 60;
  int quiet_end_minutes = 6 * 60;
  std::vector<ReminderRule> reminders = {ReminderRule{1, 16 * 60, 0},
                                         ReminderRule{0, 0, 120}};
};

// A sender writing faster than this (an auto-responder loop, a stuck phone)
// is throttled: more than `messages` inbound messages within
// `window_seconds` are stored but do not run the dialogs (issue 7). A person
// tapping through a dialog's buttons stays well under 30 a minute.
struct FloodLimit {
  int messages = 30;
  int window_seconds = 60;
};

// "privacy": what residents are told about their data (issue 19).
struct PrivacyConfig {
  // privacy.contact: how a resident reaches the operator about their data
  // (a phone number, an office), added to the reply to PRIVASI. GSM-7, at
  // most 60 characters. Empty: the reply names no contact.
  std::string contact;
  // privacy.notice_first_message: the privacy notice goes before the first
  // reply to every new contact. On by default; false only where residents
  // were informed otherwise.
  bool notice_first_message = true;
};

// "retention": how long what no case needs is kept (issue 19; README
// "Residents' data rights"). A daily job removes what is older.
struct RetentionConfig {
  int message_text_months = 12;  // texts of messages that belong to no case
  int outbox_body_days = 30;     // bodies of sent or failed outbox rows
  int delivery_event_days = 90;  // delivery timelines
};

struct Config {
  std::string listen_host = "0.0.0.0";
  int listen_port = 8080;
  std::string tls_cert;
  std::string tls_key;
  int threads = 64;                       // HTTP worker pool
  int read_timeout_seconds = 5;           // a client silent this long is disconnected
  // A request's headers and body must arrive within this long of the
  // connection's start (or, on a kept-alive connection, of its first byte).
  int request_timeout_seconds = 10;
  // Peers (IP addresses) whose X-Forwarded-For names the client; see
  // desk::FailedAuthLimiter.
  std::vector<std::string> trusted_proxies;
  // "database": {"path": ...} (SQLite, the default) or {"url": ...}
  // (PostgreSQL, with optional "schema" and "pool_size").
  std::string database_path = "data/suaradesa.db";
  std::string database_url;
  std::string database_schema;
  int database_pool_size = 12;
  // The store options these make (storage/open_store.h).
  storage::DatabaseOptions Database() const {
    storage::DatabaseOptions o;
    o.path = database_path;
    o.url = database_url;
    o.schema = database_schema;
    o.pool_size = database_pool_size;
    return o;
  }
  std::string public_url;
  std::vector<AreaConfig> areas;
  std::vector<channels::ChannelSettings> channels;
  int64_t session_ttl_ms = 24LL * 3600 * 1000;
  DeskConfig desk;
  NoticesConfig notices;
  FloodLimit flood_limit;                 // inbound.flood_limit
  PrivacyConfig privacy;
  RetentionConfig retention;
  bool demo = false;                      // built by DemoConfig()

  // The area (kecamatan) a desa code belongs to, or nullptr.
  const AreaConfig* AreaOfDesa(const std::string& desa_code) const;
  // The area (of any level) with this code, or nullptr.
  const AreaConfig* FindArea(const std::string& code) const;
  // The UTC offset of the area a case or desa code belongs to (WIB when
  // unknown).
  int UtcOffsetMinutesOf(const std::string& code) const;
  // Every secret value, to be masked in logs.
  std::vector<std::string> Secrets() const;
};

// Asia/Jakarta 420 (WIB), Asia/Makassar 480 (WITA), Asia/Jayapura 540 (WIT).
int UtcOffsetMinutes(const std::string& timezone);
// "WIB", "WITA" or "WIT".
std::string ZoneAbbreviation(const std::string& timezone);

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
