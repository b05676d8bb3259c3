// The flows and locales compiled into the binary. The maps come from files
// that cmake/embed.cmake generates at build time.
#include <map>
#include <string>

#include "dialogs/engine.h"

namespace suaradesa::dialogs {

const std::map<std::string, std::string>& EmbeddedFlowFiles();
const std::map<std::string, std::string>& EmbeddedLocaleFiles();

const Sources& EmbeddedSources() {
  // Built once on first use and never changed: immutable, not mutable state.
  static const Sources sources{EmbeddedFlowFiles(), EmbeddedLocaleFiles()};
  return sources;
}

}  // namespace suaradesa::dialogs
