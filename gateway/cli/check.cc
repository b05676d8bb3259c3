// `suaradesa check`: validates the config, the flows and the locale
// catalogues, and names every problem. Exit 1 when there is any.
#include "dialogs/engine.h"
#include "gateway/app.h"
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
