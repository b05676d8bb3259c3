// `suaradesa chat`: a villager's conversation from a terminal, through the
// real dialogs and the real store. Replies are rendered as for SMS and are
// recorded as sent on the pseudo-channel "cli".
#include <nlohmann/json.hpp>

#include <string>

#include "gateway/app.h"
#include "gateway/cli/cli.h"

namespace suaradesa::cli {

namespace {

constexpr const char* kChatChannel = "cli";

}  // namespace

int RunChat(const Args& args, Context& ctx) {
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;
  const bool json_mode = args.Has("json");
  const std::string from = args.Get("from", "+6281200000001");

  AppDeps deps;
  deps.clock = &ctx.clock;
  deps.log_stream = &ctx.err;
  auto app = App::Create(*cfg, deps);
  if (!app) {
    for (const auto& p : app.error()) ctx.err << "cannot start: " << p << "\n";
    return 1;
  }
  App& a = **app;
  const ChannelInfo channel{kChatChannel, kChatChannel, /*sms=*/true};
  // Provider ids must be unique across runs: the start time and a counter.
  const std::string run = std::to_string(ctx.clock.NowMillis());
  int64_t counter = 0;

  if (!json_mode) {
    ctx.out << "suaradesa chat as " << from << " (" << cfg->Database().Describe()
            << "). Type USUL, ADUAN or MENU; an empty line or Ctrl-D ends.\n";
  }
  std::string line;
  while (true) {
    if (!json_mode) ctx.out << "> " << std::flush;
    if (!std::getline(ctx.in, line)) {
      if (!json_mode) ctx.out << "\n";
      break;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() && !json_mode) break;

    channels::InboundEvent ev;
    ev.provider_id = "cli-" + run + "-" + std::to_string(++counter);
    ev.address = from;
    ev.text = line;
    ev.sent_at = ctx.clock.NowMillis();
    auto result = a.inbound().HandleMessage(channel, ev);
    if (!result) {
      ctx.err << "chat: store error: " << result.error().message << "\n";
      return 1;
    }
    // The terminal is this channel's delivery: record the replies as sent.
    for (int64_t id : result->outbox_ids) {
      if (auto s = a.store().MarkSent(id, "cli", 1, ctx.clock.NowMillis()); !s) {
        ctx.err << "chat: store error: " << s.error().message << "\n";
        return 1;
      }
    }
    if (json_mode) {
      nlohmann::json out = {{"in", line}, {"out", nlohmann::json::array()}};
      for (const auto& r : result->replies) out["out"].push_back(r.text);
      out["flow"] = result->flow.empty() ? nlohmann::json(nullptr) : nlohmann::json(result->flow);
      out["node"] = result->flow.empty() ? nlohmann::json(nullptr) : nlohmann::json(result->node);
      ctx.out << out.dump() << "\n" << std::flush;
    } else {
      for (const auto& r : result->replies) ctx.out << r.text << "\n\n";
      ctx.out << std::flush;
    }
  }
  return 0;
}

}  // namespace suaradesa::cli
