// `suaradesa webhook set CHANNEL` and `suaradesa webhook info CHANNEL`:
// register our webhook URL (public_url + /webhook/{id}) with the platform
// where it has an API for it (Telegram, the Android SMS gateway), or print
// what to paste into the platform's console (WhatsApp, Twilio); and show
// what the platform reports about it.
#include <memory>

#include "gateway/channels/registry.h"
#include "gateway/cli/cli.h"
#include "gateway/http_client.h"

namespace suaradesa::cli {

int RunWebhook(const Args& args, Context& ctx) {
  const std::string usage = "usage: suaradesa webhook set|info CHANNEL [--config FILE]\n";
  if (args.positional.size() != 2 ||
      (args.positional[0] != "set" && args.positional[0] != "info")) {
    ctx.err << usage;
    return 2;
  }
  const std::string& action = args.positional[0];
  const std::string& channel_id = args.positional[1];
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;

  const channels::ChannelSettings* settings = nullptr;
  for (const auto& s : cfg->channels) {
    if (s.id == channel_id) settings = &s;
  }
  if (settings == nullptr) {
    ctx.err << "suaradesa webhook: no channel '" << channel_id << "' in the config\n";
    return 1;
  }
  const channels::ChannelSpec* spec = channels::FindChannelSpec(settings->type);
  if (spec == nullptr) {
    ctx.err << "suaradesa webhook: unknown channel type '" << settings->type << "'\n";
    return 1;
  }
  if (cfg->public_url.empty()) {
    ctx.err << "suaradesa webhook: public_url must be set in the config (the address the "
               "platform reaches this gateway at)\n";
    return 1;
  }
  const std::unique_ptr<channels::Channel> channel = spec->make(*settings);
  const std::string url = cfg->public_url + "/webhook/" + channel_id;
  RealHttpClient http;
  const channels::WebhookReport report =
      action == "set" ? channel->SetWebhook(url, http) : channel->WebhookInfo(url, http);

  // The report never holds secrets, but mask them anyway should a platform
  // echo one back.
  std::vector<std::string> secrets = channel->Secrets();
  ctx.out << "channel " << channel_id << " (" << settings->type << ")\n";
  for (std::string line : report.lines) {
    for (const std::string& secret : secrets) {
      if (secret.size() < 4) continue;
      for (size_t pos = line.find(secret); pos != std::string::npos; pos = line.find(secret, pos)) {
        line.replace(pos, secret.size(), "[redacted]");
      }
    }
    ctx.out << "  " << line << "\n";
  }
  return report.ok ? 0 : 1;
}

}  // namespace suaradesa::cli
