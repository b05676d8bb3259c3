// The dialog engine: scripted conversations defined as data.
//
// Flows are JSON documents (dialogs/flows/*.json) and every user-visible
// text is a key in a locale catalogue (locales/*.json). LoadDialogs reads and
// validates all of them at once; a dangling `next`, an unknown key, a parser
// that does not exist, an effect kind or data key dialogs/effect.h does not
// declare, or a catalogue key that id.json lacks is a load error.
//
// Routing, in order: BERHENTI (opt-out), BATAL, MENU/BANTUAN, then the
// other flows' keywords at the start of the message; with no dialog open
// also a bare ticket, an answer to a pending invitation, the offer to
// resume an expired draft, and keywords inside a sentence ("sy mau usul
// jembatan"); anything else answers the open question, is a note on the
// contact's recent case (Context::case_tickets), or gets the menu.
// An idle session older than Options::session_ttl_ms is closed; its answers
// so far are kept as vars.draft = {flow,node,vars}, and the next message
// that is not a keyword offers to continue.
//
// Step is pure: (session, input, context) -> (session, replies, effects). It
// reads no clock, touches no storage and does no I/O. Effects that need the
// store (creating a case and learning its ticket, looking up a status) are
// returned to the caller, which carries them out and then renders the
// effect's `reply_key` with the results as parameters.
//
// Thread safety: a loaded Dialogs is immutable; Step may be called from many
// threads at once.
#ifndef SUARADESA_DIALOGS_ENGINE_H_
#define SUARADESA_DIALOGS_ENGINE_H_

#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/effect.h"

namespace suaradesa::dialogs {

// A choice offered with a reply. Channels show it as a numbered line (SMS),
// an inline keyboard button (Telegram) or a reply button (WhatsApp); what
// comes back is `id` as Input::choice_id, or the number typed as text.
struct Choice {
  std::string id;
  std::string label;
};

struct Reply {
  std::string key;               // the catalogue key it was rendered from
  std::string text;              // rendered, in the contact's language
  std::vector<Choice> choices;
};

struct Location {
  double latitude = 0;
  double longitude = 0;
};

struct Input {
  std::string text;              // what the person typed; may be empty
  std::string choice_id;         // a pressed button's id; empty if none
  std::optional<Location> location;
};

// The per-contact conversation state the store keeps between messages.
struct SessionState {
  std::string flow;              // empty: no dialog open
  std::string node;
  nlohmann::json vars = nlohmann::json::object();
  int64_t updated_at = 0;        // unix ms of the last step

  bool open() const { return !flow.empty(); }
};

// Something the caller must do with the store, then answer with
// Render(reply_key, params-with-results, language). `value` is one of the
// typed effects of dialogs/effect.h, whose comments give each kind's
// fields, the params its reply key takes and the keys the caller may
// answer with instead. An empty reply_key means no follow-up reply.
// Whether the sender may use staff commands is the caller's decision.
struct Effect {
  EffectValue value;
  std::string reply_key;         // empty: no follow-up reply
  // A question that rides on the reply (create_case of a dialog that goes
  // on asking): the caller appends its text to the rendered reply, on a new
  // line, and offers its choices. Empty text: none.
  Reply follow_up;
};

struct StepResult {
  SessionState session;
  std::vector<Reply> replies;
  std::vector<Effect> effects;
};

// A place people may name: a desa (or dusun) from the configuration. A desa
// has the kecamatan as parent; a dusun may be listed with its desa as parent
// (then it is offered only under that desa, never as a desa).
struct Place {
  std::string code;
  std::string name;
  std::string parent_code;       // the kecamatan for a desa
};

struct Context {
  int64_t now = 0;               // unix ms
  std::string language = "id";
  std::string channel_type;      // "telegram", "sms", ... (rendering hints)
  // The area's time zone, for dates people write ("besok jam 9").
  int utc_offset_minutes = 420;  // WIB
  // True while the contact has a meeting invitation awaiting an answer: a
  // bare "ya"/"tidak" then answers it (an Rsvp effect).
  bool rsvp_pending = false;
  // The tickets of the contact's open or recently closed cases, newest
  // first. A message nothing else understood is then a note on one of them
  // (a CaseNote effect, or with several the question which), or, if it
  // is only thanks, answered politely: dialogs/case_note.h.
  std::vector<std::string> case_tickets;
  // The desa the contact is known to live in (the one they named to INFO,
  // else that of their newest case), or "" when unknown. Called only when
  // a flow that declares the engine var "known_desa" starts, so that other
  // messages cost no lookup; it may read the store of the current step.
  std::function<std::string()> known_desa;
};

// The engine var a flow declares (engine_vars) to start with the
// contact's desa (Context::known_desa) when known.
inline constexpr char kKnownDesaVar[] = "known_desa";

// One catalogue text, for checks such as GSM-7 and SMS length.
struct CatalogEntry {
  std::string language;
  std::string key;
  std::string text;
};

struct Sources {
  // file name -> JSON text
  std::map<std::string, std::string> flows;     // "usulan.json" -> ...
  std::map<std::string, std::string> locales;   // "id.json" -> ...
};

struct Options {
  std::vector<Place> places;
  int64_t session_ttl_ms = 24LL * 3600 * 1000;
};

class Dialogs {
 public:
  virtual ~Dialogs() = default;

  // Advances the conversation by one inbound message.
  virtual StepResult Step(const SessionState& session, const Input& input,
                          const Context& context) const = 0;

  // Renders a catalogue key with {named} parameters, falling back to id.
  // An unknown key renders as the key itself (never empty, never a crash).
  virtual Reply Render(const std::string& key, const nlohmann::json& params,
                       const std::string& language) const = 0;

  // The flow names loaded, e.g. {"menu","usulan","pengaduan"}.
  virtual std::vector<std::string> FlowNames() const = 0;

  // Every text of every loaded language, sorted by language then key.
  virtual std::vector<CatalogEntry> Entries() const = 0;
};

// Every problem found, one line each, naming the file and the path inside
// it ("usulan.json: nodes[3].next: no node 'konfirm'").
struct LoadErrors {
  std::vector<std::string> problems;
};

// Loads and validates everything. Returns the engine, or all problems found.
[[nodiscard]] std::expected<std::unique_ptr<Dialogs>, LoadErrors> LoadDialogs(
    const Sources& sources, const Options& options);

// The flows and locales compiled into this binary from dialogs/flows/ and
// locales/ at build time.
const Sources& EmbeddedSources();

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_ENGINE_H_
