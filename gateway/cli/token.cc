// `suaradesa token create|list|revoke`: desk API tokens. A new token is
// printed once; only its SHA-256 is stored. Creating a token also records
// (or updates) the staff member it belongs to.
#include <ctime>

#include "gateway/cli/cli.h"
#include "gateway/desk/auth.h"
#include "gateway/desk/desk.h"
#include "storage/phone.h"
#include "storage/open_store.h"

namespace suaradesa::cli {

namespace {

constexpr const char* kTokenUsage =
    "usage: suaradesa token create --name NAME --role admin|fasilitator [--area CODE ...]\n"
    "                              [--position OFFICE] [--level desa|kecamatan|kabupaten]\n"
    "                              [--channel ID --address ADDRESS]\n"
    "       suaradesa token list\n"
    "       suaradesa token revoke ID\n";

bool KnownArea(const Config& cfg, const std::string& code) {
  return cfg.FindArea(code) != nullptr;
}

std::string Date(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

}  // namespace

int RunToken(const Args& args, Context& ctx) {
  if (args.positional.empty()) {
    ctx.err << kTokenUsage;
    return 2;
  }
  const std::string action = args.positional[0];
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;
  auto store = storage::OpenStore(cfg->Database());
  if (!store) {
    ctx.err << "token: " << store.error().message << "\n";
    return 1;
  }
  const int64_t now = ctx.clock.NowMillis();

  if (action == "create") {
    storage::Staff staff;
    staff.name = args.Get("name");
    staff.role = args.Get("role");
    staff.position = args.Get("position");
    staff.level = args.Get("level", "kecamatan");
    staff.channel_id = args.Get("channel");
    staff.address = args.Get("address");
    if (args.Has("area")) staff.areas = args.options.at("area");
    if (staff.name.empty()) {
      ctx.err << "token create: --name is required\n" << kTokenUsage;
      return 2;
    }
    if (staff.role != "admin" && staff.role != "fasilitator") {
      ctx.err << "token create: --role must be admin or fasilitator\n";
      return 2;
    }
    if (staff.role == "fasilitator" && staff.areas.empty()) {
      ctx.err << "token create: a fasilitator needs at least one --area CODE\n";
      return 2;
    }
    if (staff.level != "desa" && staff.level != "kecamatan" && staff.level != "kabupaten") {
      ctx.err << "token create: --level must be desa, kecamatan or kabupaten\n";
      return 2;
    }
    for (const auto& a : staff.areas) {
      if (!KnownArea(*cfg, a)) {
        ctx.err << "token create: --area " << a << ": not an area or desa code in the config\n";
        return 2;
      }
    }
    if (staff.channel_id.empty() != staff.address.empty()) {
      ctx.err << "token create: --channel and --address go together\n";
      return 2;
    }
    // A staff number on an SMS channel is kept in E.164, the form the
    // gateway gives every SMS sender, so that their messages find them.
    for (const auto& ch : cfg->channels) {
      if (ch.id != staff.channel_id) continue;
      if (ch.type == "twilio" || ch.type == "android_sms" || ch.type == "http") {
        std::optional<std::string> e164 = phone::ToE164(staff.address);
        if (!e164) {
          ctx.err << "token create: --address is not a phone number\n";
          return 2;
        }
        staff.address = *e164;
      }
    }
    const std::string token = desk::NewToken();
    if (token.empty()) {
      ctx.err << "token create: no randomness available\n";
      return 1;
    }
    storage::Token t;
    t.name = staff.name;
    t.role = staff.role;
    t.areas = staff.areas;
    t.hash = desk::HashToken(token);
    t.created_at = now;
    int64_t id = 0;
    auto s = (*store)->Transact([&](storage::Tx& tx) -> storage::Status {
      if (auto r = tx.PutStaff(staff); !r) return r;
      auto created = tx.CreateToken(t);
      if (!created) return std::unexpected(created.error());
      id = *created;
      return {};
    });
    if (!s) {
      ctx.err << "token create: " << s.error().message << "\n";
      return 1;
    }
    ctx.out << token << "\n";
    ctx.err << "token " << id << " for " << staff.name << " (" << staff.role
            << "): shown once, keep it safe\n";
    return 0;
  }

  if (action == "list") {
    std::vector<storage::Token> tokens;
    auto s = (*store)->Transact([&](storage::Tx& tx) -> storage::Status {
      auto all = tx.ListTokens();
      if (!all) return std::unexpected(all.error());
      tokens = *all;
      return {};
    });
    if (!s) {
      ctx.err << "token list: " << s.error().message << "\n";
      return 1;
    }
    ctx.out << "id\tname\trole\tareas\tcreated\tstate\n";
    for (const auto& t : tokens) {
      std::string areas;
      for (const auto& a : t.areas) areas += (areas.empty() ? "" : ",") + a;
      ctx.out << t.id << "\t" << t.name << "\t" << t.role << "\t" << (areas.empty() ? "*" : areas)
              << "\t" << Date(t.created_at) << "\t"
              << (t.revoked_at ? "revoked " + Date(t.revoked_at) : "valid") << "\n";
    }
    return 0;
  }

  if (action == "revoke") {
    if (args.positional.size() < 2) {
      ctx.err << kTokenUsage;
      return 2;
    }
    int64_t id = std::atoll(args.positional[1].c_str());
    auto s = (*store)->Transact([&](storage::Tx& tx) { return tx.RevokeToken(id, now); });
    if (!s) {
      ctx.err << "token revoke: " << s.error().message << "\n";
      return 1;
    }
    ctx.out << "token " << id << " revoked\n";
    return 0;
  }
  ctx.err << kTokenUsage;
  return 2;
}

}  // namespace suaradesa::cli
