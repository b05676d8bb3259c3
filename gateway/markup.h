// Text placed in HTML or SVG that the server writes (the public Papan
// Informasi, the report charts): whatever staff or residents typed is shown
// as text, never read as markup.
#ifndef SUARADESA_GATEWAY_MARKUP_H_
#define SUARADESA_GATEWAY_MARKUP_H_

#include <string>

namespace suaradesa {

// & < > " ' as entities; safe in element text and in quoted attributes.
std::string EscapeMarkup(const std::string& text);

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_MARKUP_H_
