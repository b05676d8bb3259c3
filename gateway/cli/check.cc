// `suaradesa check`: validates the config, the flows and the locale
// catalogues, and names every problem. Exit 1 when there is any.
#include "dialogs/engine.h"
#include "gateway/app.h"
#include "gateway/channels/sms_segments.h"
#include "gateway/cli/cli.h"

namespace suaradesa::cli {

int RunCheck(const Args& args, Context& ctx) {
  auto cfg = ConfigFor(args, ctx);
  if (!cfg) return 1;
  int problems = 0;
  dialogs::Options options;
  options.places = PlacesOf(*cfg);
  options.session_ttl_ms = cfg->session_ttl_ms;
  auto loaded = dialogs::LoadDialogs(dialogs::EmbeddedSources(), options);
  if (!loaded) {
    for (const auto& p : loaded.error().problems) {
      ctx.err << "dialogs: " << p << "\n";
      ++problems;
    }
  }
  if (loaded) {
    // Texts meant for phones must stay GSM-7 and within two SMS segments;
    // the web inbox's texts ("inbox.") are for browsers.
    for (const auto& e : (*loaded)->Entries()) {
      if (e.key.rfind("inbox.", 0) == 0 || e.key.rfind("_", 0) == 0) continue;
      if (channels::DetectSmsEncoding(e.text) != channels::SmsEncoding::kGsm7) {
        ctx.err << "locales/" << e.language << ".json: " << e.key << ": not GSM-7 (an emoji, curly quote or accented letter costs double on SMS)\n";
        ++problems;
      } else if (channels::SmsSegments(e.text) > 2) {
        ctx.err << "locales/" << e.language << ".json: " << e.key << ": over 2 SMS segments\n";
        ++problems;
      }
    }
  }
  if (problems > 0) {
    ctx.err << problems << " problem(s) found\n";
    return 1;
  }
  ctx.out << "config: ok (" << cfg->areas.size() << " area(s), " << cfg->channels.size()
          << " channel(s))\n";
  ctx.out << "dialogs: ok (" << (*loaded)->FlowNames().size() << " flows)\n";
  return 0;
}

}  // namespace suaradesa::cli
