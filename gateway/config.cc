#include "gateway/config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gateway/channels/sms_segments.h"

namespace suaradesa {

namespace {

using nlohmann::json;

const std::set<std::string> kTimezones = {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"};
const std::set<std::string> kLevels = {"provinsi", "kabupaten", "kecamatan", "desa"};

// Collects problems while walking the document.
class Checker {
 public:
  explicit Checker(const EnvLookup& env) : env_(env) {}

  void Problem(const std::string& path, const std::string& what) {
    problems_.push_back(path + ": " + what);
  }
  std::vector<std::string>& problems() { return problems_; }

  // Reports every key of `obj` not in `allowed`.
  void OnlyKeys(const json& obj, const std::string& path, const std::set<std::string>& allowed) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (!allowed.count(it.key())) Problem(Join(path, it.key()), "unknown key");
    }
  }

  bool IsObject(const json& v, const std::string& path) {
    if (v.is_object()) return true;
    Problem(path, "must be an object");
    return false;
  }

  // A string value, with "${NAME}" read from the environment.
  std::optional<std::string> String(const json& obj, const std::string& path,
                                    const std::string& key, bool required) {
    std::string p = Join(path, key);
    if (!obj.contains(key)) {
      if (required) Problem(p, "missing");
      return std::nullopt;
    }
    const json& v = obj.at(key);
    if (!v.is_string()) {
      Problem(p, "must be a string");
      return std::nullopt;
    }
    std::string s = v.get<std::string>();
    if (s.size() > 3 && s.rfind("${", 0) == 0 && s.back() == '}') {
      std::string name = s.substr(2, s.size() - 3);
      auto value = env_(name);
      if (!value || value->empty()) {
        Problem(p, "environment variable " + name + " is not set");
        return std::nullopt;
      }
      s = *value;
    }
    if (required && s.empty()) {
      Problem(p, "must not be empty");
      return std::nullopt;
    }
    return s;
  }

  std::optional<int64_t> Int(const json& obj, const std::string& path, const std::string& key,
                             int64_t min, int64_t max) {
    if (!obj.contains(key)) return std::nullopt;
    const json& v = obj.at(key);
    std::string p = Join(path, key);
    if (!v.is_number_integer()) {
      Problem(p, "must be a whole number");
      return std::nullopt;
    }
    int64_t n = v.get<int64_t>();
    if (n < min || n > max) {
      Problem(p, "must be between " + std::to_string(min) + " and " + std::to_string(max));
      return std::nullopt;
    }
    return n;
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

 private:
  const EnvLookup& env_;
  std::vector<std::string> problems_;
};

void ParseListen(Checker& c, const json& v, Config& cfg) {
  if (!c.IsObject(v, "listen")) return;
  c.OnlyKeys(v, "listen",
             {"host", "port", "tls_cert", "tls_key", "threads", "read_timeout_seconds",
              "request_timeout_seconds", "trusted_proxies"});
  if (auto s = c.String(v, "listen", "host", false)) cfg.listen_host = *s;
  if (auto n = c.Int(v, "listen", "port", 0, 65535)) cfg.listen_port = static_cast<int>(*n);
  if (auto n = c.Int(v, "listen", "threads", 4, 1024)) cfg.threads = static_cast<int>(*n);
  if (auto n = c.Int(v, "listen", "read_timeout_seconds", 1, 300)) {
    cfg.read_timeout_seconds = static_cast<int>(*n);
  }
  if (auto n = c.Int(v, "listen", "request_timeout_seconds", 1, 300)) {
    cfg.request_timeout_seconds = static_cast<int>(*n);
  }
  if (v.contains("trusted_proxies")) {
    const json& list = v.at("trusted_proxies");
    if (!list.is_array()) {
      c.Problem("listen.trusted_proxies", "must be a list of IP addresses");
    } else {
      for (const json& item : list) {
        in6_addr ip{};
        const std::string s = item.is_string() ? item.get<std::string>() : "";
        if (s.empty() || (::inet_pton(AF_INET, s.c_str(), &ip) != 1 &&
                          ::inet_pton(AF_INET6, s.c_str(), &ip) != 1)) {
          c.Problem("listen.trusted_proxies", "must be a list of IP addresses");
          break;
        }
        cfg.trusted_proxies.push_back(s);
      }
    }
  }
  if (auto s = c.String(v, "listen", "tls_cert", false)) cfg.tls_cert = *s;
  if (auto s = c.String(v, "listen", "tls_key", false)) cfg.tls_key = *s;
  if (cfg.tls_cert.empty() != cfg.tls_key.empty()) {
    c.Problem(cfg.tls_cert.empty() ? "listen.tls_cert" : "listen.tls_key",
              "tls_cert and tls_key go together");
  }
}

void ParseAreas(Checker& c, const json& v, Config& cfg) {
  if (!v.is_array() || v.empty()) {
    c.Problem("areas", "must be a non-empty array");
    return;
  }
  std::set<std::string> codes;
  for (size_t i = 0; i < v.size(); ++i) {
    std::string path = "areas[" + std::to_string(i) + "]";
    const json& a = v[i];
    if (!c.IsObject(a, path)) continue;
    c.OnlyKeys(a, path, {"code", "name", "level", "timezone", "desa"});
    AreaConfig area;
    area.code = c.String(a, path, "code", true).value_or("");
    area.name = c.String(a, path, "name", true).value_or("");
    area.level = c.String(a, path, "level", false).value_or("kecamatan");
    if (!kLevels.count(area.level)) {
      c.Problem(path + ".level", "must be one of provinsi, kabupaten, kecamatan, desa");
    }
    area.timezone = c.String(a, path, "timezone", true).value_or("");
    if (!area.timezone.empty() && !kTimezones.count(area.timezone)) {
      c.Problem(path + ".timezone",
                "must be Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)");
    }
    if (!area.code.empty() && !codes.insert(area.code).second) {
      c.Problem(path + ".code", "duplicate code " + area.code);
    }
    if (a.contains("desa")) {
      const json& d = a.at("desa");
      if (!d.is_array()) {
        c.Problem(path + ".desa", "must be an array");
      } else {
        for (size_t j = 0; j < d.size(); ++j) {
          std::string dpath = path + ".desa[" + std::to_string(j) + "]";
          if (!c.IsObject(d[j], dpath)) continue;
          c.OnlyKeys(d[j], dpath, {"code", "name"});
          DesaConfig desa;
          desa.code = c.String(d[j], dpath, "code", true).value_or("");
          desa.name = c.String(d[j], dpath, "name", true).value_or("");
          if (!desa.code.empty() && !codes.insert(desa.code).second) {
            c.Problem(dpath + ".code", "duplicate code " + desa.code);
          }
          area.desa.push_back(desa);
        }
      }
    }
    cfg.areas.push_back(std::move(area));
  }
}

void ParseChannels(Checker& c, const json& v, Config& cfg) {
  if (!v.is_array()) {
    c.Problem("channels", "must be an array");
    return;
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < v.size(); ++i) {
    std::string path = "channels[" + std::to_string(i) + "]";
    const json& ch = v[i];
    if (!c.IsObject(ch, path)) continue;
    channels::ChannelSettings s;
    s.id = c.String(ch, path, "id", true).value_or("");
    s.type = c.String(ch, path, "type", true).value_or("");
    if (!s.id.empty()) {
      bool url_safe = true;
      for (char x : s.id) {
        if (!std::isalnum(static_cast<unsigned char>(x)) && x != '-' && x != '_') url_safe = false;
      }
      if (!url_safe) c.Problem(path + ".id", "only letters, digits, - and _");
      if (!ids.insert(s.id).second) c.Problem(path + ".id", "duplicate id " + s.id);
    }
    const channels::ChannelSpec* spec = channels::FindChannelSpec(s.type);
    if (spec == nullptr) {
      if (!s.type.empty()) c.Problem(path + ".type", "unknown channel type '" + s.type + "'");
      continue;
    }
    std::set<std::string> allowed = {"id", "type"};
    allowed.insert(spec->required.begin(), spec->required.end());
    allowed.insert(spec->optional.begin(), spec->optional.end());
    c.OnlyKeys(ch, path, allowed);
    for (const auto& key : spec->required) {
      if (auto val = c.String(ch, path, key, true)) s.values[key] = *val;
    }
    for (const auto& key : spec->optional) {
      if (!ch.contains(key)) continue;
      const json& raw = ch.at(key);
      const auto listed = [&](const std::vector<std::string>& keys) {
        return std::find(keys.begin(), keys.end(), key) != keys.end();
      };
      if (listed(spec->numeric)) {
        if (!raw.is_number() || raw.get<double>() < 0) {
          c.Problem(path + "." + key, "must be a number >= 0");
        } else {
          s.values[key] = raw.dump();
        }
        continue;
      }
      if (listed(spec->objects)) {
        if (!raw.is_object()) {
          c.Problem(path + "." + key, "must be an object");
        } else {
          s.values[key] = raw.dump();
        }
        continue;
      }
      if (raw.is_number()) {
        s.values[key] = raw.dump();
      } else if (auto val = c.String(ch, path, key, false)) {
        s.values[key] = *val;
      }
    }
    if (spec->check != nullptr) {
      for (const auto& [key, problem] : spec->check(s)) c.Problem(path + "." + key, problem);
    }
    cfg.channels.push_back(std::move(s));
  }
}

void ParseDesk(Checker& c, const json& v, Config& cfg) {
  if (!c.IsObject(v, "desk")) return;
  c.OnlyKeys(v, "desk", {"deadlines", "holidays", "reopen_days", "conflict_rules"});
  if (v.contains("deadlines")) {
    const json& d = v["deadlines"];
    if (c.IsObject(d, "desk.deadlines")) {
      c.OnlyKeys(d, "desk.deadlines", {"verify", "answer", "resolve"});
      if (auto n = c.Int(d, "desk.deadlines", "verify", 1, 365)) cfg.desk.verify_days = *n;
      if (auto n = c.Int(d, "desk.deadlines", "answer", 1, 365)) cfg.desk.answer_days = *n;
      if (auto n = c.Int(d, "desk.deadlines", "resolve", 1, 365)) cfg.desk.resolve_days = *n;
    }
  }
  if (auto n = c.Int(v, "desk", "reopen_days", 0, 365)) cfg.desk.reopen_days = *n;
  if (v.contains("holidays")) {
    const json& h = v["holidays"];
    if (!h.is_array()) {
      c.Problem("desk.holidays", "must be an array of dates like \"2026-12-25\"");
    } else {
      for (size_t i = 0; i < h.size(); ++i) {
        std::string path = "desk.holidays[" + std::to_string(i) + "]";
        if (!h[i].is_string() || h[i].get<std::string>().size() != 10 ||
            h[i].get<std::string>()[4] != '-' || h[i].get<std::string>()[7] != '-') {
          c.Problem(path, "must be a date like \"2026-12-25\"");
          continue;
        }
        cfg.desk.holidays.push_back(h[i].get<std::string>());
      }
    }
  }
  if (v.contains("conflict_rules")) {
    const json& r = v["conflict_rules"];
    if (!r.is_array()) {
      c.Problem("desk.conflict_rules", "must be an array");
    } else {
      cfg.desk.conflict_rules.clear();
      cfg.desk.conflict_rules_configured = true;
      for (size_t i = 0; i < r.size(); ++i) {
        std::string path = "desk.conflict_rules[" + std::to_string(i) + "]";
        if (!c.IsObject(r[i], path)) continue;
        c.OnlyKeys(r[i], path, {"position", "words"});
        ConflictRule rule;
        rule.position = c.String(r[i], path, "position", true).value_or("");
        if (!r[i].contains("words") || !r[i]["words"].is_array() || r[i]["words"].empty()) {
          c.Problem(path + ".words", "must be a non-empty array of words");
          continue;
        }
        for (const auto& w : r[i]["words"]) {
          if (w.is_string()) rule.words.push_back(w.get<std::string>());
        }
        cfg.desk.conflict_rules.push_back(std::move(rule));
      }
    }
  }
}

// "HH:MM" (24-hour clock) to minutes after midnight, or nullopt.
std::optional<int> ParseClock(const json& v) {
  if (!v.is_string()) return std::nullopt;
  const std::string s = v.get<std::string>();
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

void ParseNotices(Checker& c, const json& v, Config& cfg) {
  if (!c.IsObject(v, "notices")) return;
  c.OnlyKeys(v, "notices", {"quiet_hours", "reminders"});
  if (v.contains("quiet_hours")) {
    const json& q = v["quiet_hours"];
    if (q.is_null()) {
      cfg.notices.quiet_hours = false;
    } else if (!q.is_array() || q.size() != 2 || !ParseClock(q[0]) || !ParseClock(q[1]) ||
               *ParseClock(q[0]) == *ParseClock(q[1])) {
      c.Problem("notices.quiet_hours", "must be [\"HH:MM\", \"HH:MM\"] (start, end) or null");
    } else {
      cfg.notices.quiet_hours = true;
      cfg.notices.quiet_start_minutes = *ParseClock(q[0]);
      cfg.notices.quiet_end_minutes = *ParseClock(q[1]);
    }
  }
  if (v.contains("reminders")) {
    const json& r = v["reminders"];
    if (!r.is_array()) {
      c.Problem("notices.reminders", "must be an array");
      return;
    }
    cfg.notices.reminders.clear();
    for (size_t i = 0; i < r.size(); ++i) {
      const std::string path = "notices.reminders[" + std::to_string(i) + "]";
      if (!c.IsObject(r[i], path)) continue;
      c.OnlyKeys(r[i], path, {"days_before", "at", "hours_before", "minutes_before"});
      ReminderRule rule;
      rule.days_before = 0;
      rule.at_minutes = 0;
      if (r[i].contains("days_before")) {
        auto days = c.Int(r[i], path, "days_before", 1, 30);
        if (!days) continue;
        rule.days_before = static_cast<int>(*days);
        rule.at_minutes = 16 * 60;
        if (r[i].contains("at")) {
          auto at = ParseClock(r[i]["at"]);
          if (!at) {
            c.Problem(path + ".at", "must be a local time like \"16:00\"");
            continue;
          }
          rule.at_minutes = *at;
        }
        if (r[i].contains("hours_before") || r[i].contains("minutes_before")) {
          c.Problem(path, "days_before does not go with hours_before or minutes_before");
          continue;
        }
      } else if (r[i].contains("hours_before") || r[i].contains("minutes_before")) {
        if (r[i].contains("at")) c.Problem(path + ".at", "only goes with days_before");
        auto hours = c.Int(r[i], path, "hours_before", 1, 72);
        auto minutes = c.Int(r[i], path, "minutes_before", 1, 72 * 60);
        rule.minutes_before = static_cast<int>(hours.value_or(0) * 60 + minutes.value_or(0));
        if (rule.minutes_before <= 0) continue;
      } else {
        c.Problem(path, "needs days_before (with at), hours_before or minutes_before");
        continue;
      }
      cfg.notices.reminders.push_back(rule);
    }
  }
}

void ParseInbound(Checker& c, const json& v, Config& cfg) {
  if (!c.IsObject(v, "inbound")) return;
  c.OnlyKeys(v, "inbound", {"flood_limit"});
  if (!v.contains("flood_limit")) return;
  const json& f = v["flood_limit"];
  if (!c.IsObject(f, "inbound.flood_limit")) return;
  c.OnlyKeys(f, "inbound.flood_limit", {"messages", "window_seconds"});
  if (auto n = c.Int(f, "inbound.flood_limit", "messages", 1, 10000)) {
    cfg.flood_limit.messages = static_cast<int>(*n);
  }
  if (auto n = c.Int(f, "inbound.flood_limit", "window_seconds", 1, 24 * 3600)) {
    cfg.flood_limit.window_seconds = static_cast<int>(*n);
  }
}

void ParsePrivacy(Checker& c, const json& v, Config& cfg) {
  if (!c.IsObject(v, "privacy")) return;
  c.OnlyKeys(v, "privacy", {"contact", "notice_first_message"});
  if (auto s = c.String(v, "privacy", "contact", false)) {
    // Sent by SMS inside the PRIVASI reply: GSM-7 and short.
    if (s->size() > 60) {
      c.Problem("privacy.contact", "must be at most 60 characters");
    } else if (channels::DetectSmsEncoding(*s) != channels::SmsEncoding::kGsm7) {
      c.Problem("privacy.contact", "must be plain text an SMS can carry (GSM-7)");
    } else {
      cfg.privacy.contact = *s;
    }
  }
  if (v.contains("notice_first_message")) {
    if (!v["notice_first_message"].is_boolean()) {
      c.Problem("privacy.notice_first_message", "must be true or false");
    } else {
      cfg.privacy.notice_first_message = v["notice_first_message"].get<bool>();
    }
  }
}

void ParseRetention(Checker& c, const json& v, Config& cfg) {
  if (!c.IsObject(v, "retention")) return;
  c.OnlyKeys(v, "retention", {"message_text_months", "outbox_body_days", "delivery_event_days"});
  if (auto n = c.Int(v, "retention", "message_text_months", 1, 120)) {
    cfg.retention.message_text_months = static_cast<int>(*n);
  }
  // At least a week: the outbox reads recent bodies (one notice a day).
  if (auto n = c.Int(v, "retention", "outbox_body_days", 7, 3650)) {
    cfg.retention.outbox_body_days = static_cast<int>(*n);
  }
  if (auto n = c.Int(v, "retention", "delivery_event_days", 7, 3650)) {
    cfg.retention.delivery_event_days = static_cast<int>(*n);
  }
}

}  // namespace

std::string ReminderRule::Id() const {
  if (days_before > 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "d%d@%02d:%02d", days_before, at_minutes / 60,
                  at_minutes % 60);
    return buf;
  }
  return "m" + std::to_string(minutes_before);
}

const AreaConfig* Config::AreaOfDesa(const std::string& desa_code) const {
  for (const auto& a : areas) {
    for (const auto& d : a.desa) {
      if (d.code == desa_code) return &a;
    }
  }
  return nullptr;
}

const AreaConfig* Config::FindArea(const std::string& code) const {
  for (const auto& a : areas) {
    if (a.code == code) return &a;
  }
  return AreaOfDesa(code);
}

int Config::UtcOffsetMinutesOf(const std::string& code) const {
  const AreaConfig* a = FindArea(code);
  return UtcOffsetMinutes(a ? a->timezone : "Asia/Jakarta");
}

int UtcOffsetMinutes(const std::string& timezone) {
  if (timezone == "Asia/Makassar") return 480;
  if (timezone == "Asia/Jayapura") return 540;
  return 420;
}

std::string ZoneAbbreviation(const std::string& timezone) {
  if (timezone == "Asia/Makassar") return "WITA";
  if (timezone == "Asia/Jayapura") return "WIT";
  return "WIB";
}

std::vector<std::string> Config::Secrets() const {
  std::vector<std::string> out;
  for (const auto& ch : channels) {
    const channels::ChannelSpec* spec = channels::FindChannelSpec(ch.type);
    if (spec == nullptr) continue;
    for (const auto& key : spec->secrets) {
      auto it = ch.values.find(key);
      if (it != ch.values.end() && !it->second.empty()) out.push_back(it->second);
    }
  }
  return out;
}

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::expected<Config, std::vector<std::string>> ParseConfig(const std::string& json_text,
                                                            const EnvLookup& env) {
  // Comments (// and /* */) are allowed: the packaged template explains itself.
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (doc.is_discarded()) return std::unexpected(std::vector<std::string>{"config: not valid JSON"});
  Checker c(env);
  if (!doc.is_object()) {
    c.Problem("config", "must be a JSON object");
    return std::unexpected(c.problems());
  }
  c.OnlyKeys(doc, "", {"listen", "database", "public_url", "areas", "channels", "dialogs", "desk",
                       "notices", "inbound", "privacy", "retention"});
  Config cfg;
  if (doc.contains("listen")) ParseListen(c, doc["listen"], cfg);
  if (doc.contains("database")) {
    const json& d = doc["database"];
    if (c.IsObject(d, "database")) {
      c.OnlyKeys(d, "database", {"path", "url", "schema", "pool_size"});
      if (d.contains("path") && d.contains("url")) {
        c.Problem("database", "give path (SQLite) or url (PostgreSQL), not both");
      }
      if (d.contains("url")) {
        if (auto s = c.String(d, "database", "url", true)) cfg.database_url = *s;
        if (!cfg.database_url.empty() && cfg.database_url.rfind("postgresql://", 0) != 0 &&
            cfg.database_url.rfind("postgres://", 0) != 0) {
          c.Problem("database.url", "must start with postgresql://");
        }
        if (auto s = c.String(d, "database", "schema", false)) cfg.database_schema = *s;
        if (auto n = c.Int(d, "database", "pool_size", 1, 256)) {
          cfg.database_pool_size = static_cast<int>(*n);
        }
      } else {
        if (d.contains("schema")) c.Problem("database.schema", "only applies with database.url");
        if (d.contains("pool_size")) {
          c.Problem("database.pool_size", "only applies with database.url");
        }
        if (auto s = c.String(d, "database", "path", true)) cfg.database_path = *s;
      }
    }
  }
  if (auto s = c.String(doc, "", "public_url", false)) {
    cfg.public_url = *s;
    if (cfg.public_url.rfind("http://", 0) != 0 && cfg.public_url.rfind("https://", 0) != 0) {
      c.Problem("public_url", "must start with http:// or https://");
    }
    while (!cfg.public_url.empty() && cfg.public_url.back() == '/') cfg.public_url.pop_back();
  }
  if (doc.contains("areas")) {
    ParseAreas(c, doc["areas"], cfg);
  } else {
    c.Problem("areas", "missing");
  }
  if (doc.contains("channels")) ParseChannels(c, doc["channels"], cfg);
  for (auto& channel : cfg.channels) channel.public_url = cfg.public_url;
  if (doc.contains("desk")) ParseDesk(c, doc["desk"], cfg);
  if (doc.contains("notices")) ParseNotices(c, doc["notices"], cfg);
  if (doc.contains("inbound")) ParseInbound(c, doc["inbound"], cfg);
  if (doc.contains("privacy")) ParsePrivacy(c, doc["privacy"], cfg);
  if (doc.contains("retention")) ParseRetention(c, doc["retention"], cfg);
  if (doc.contains("dialogs")) {
    const json& d = doc["dialogs"];
    if (c.IsObject(d, "dialogs")) {
      c.OnlyKeys(d, "dialogs", {"session_ttl_minutes"});
      if (auto n = c.Int(d, "dialogs", "session_ttl_minutes", 1, 60 * 24 * 30)) {
        cfg.session_ttl_ms = *n * 60 * 1000;
      }
    }
  }
  if (!c.problems().empty()) return std::unexpected(c.problems());
  return cfg;
}

std::expected<Config, std::vector<std::string>> LoadConfig(const std::string& path,
                                                           const EnvLookup& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(std::vector<std::string>{path + ": cannot be read"});
  std::stringstream ss;
  ss << in.rdbuf();
  auto cfg = ParseConfig(ss.str(), env);
  if (!cfg) {
    std::vector<std::string> problems;
    for (const auto& p : cfg.error()) problems.push_back(path + ": " + p);
    return std::unexpected(problems);
  }
  return cfg;
}

Config DemoConfig(const std::string& http_secret, const std::string& send_url) {
  Config cfg;
  cfg.demo = true;
  cfg.listen_host = "127.0.0.1";
  cfg.listen_port = 8080;
  cfg.database_path = "data/suaradesa.db";
  AreaConfig area;
  area.code = "3510070";
  area.name = "Rogojampi";
  area.level = "kecamatan";
  area.timezone = "Asia/Jakarta";
  area.desa = {{"3510070001", "Gitik"},
               {"3510070002", "Kaotan"},
               {"3510070003", "Lemahbang Kulon"},
               {"3510070004", "Gladag"}};
  cfg.areas.push_back(area);
  channels::ChannelSettings web;
  web.id = "web";
  web.type = "http";
  web.values["secret"] = http_secret;
  web.values["send_url"] = send_url;
  cfg.channels.push_back(web);
  return cfg;
}

}  // namespace suaradesa
