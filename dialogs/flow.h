// Flows: scripted dialogs as data (after nyaruka/goflow), loaded from
// dialogs/flows/<name>.json and validated whole at load time.
//
// A flow is a set of nodes. Ask and confirm nodes send a prompt (a catalogue
// key) and wait for the next message; action nodes do something and end the
// flow (or jump to another flow). Prompts are rendered with the flow's
// variables as parameters, so a confirm prompt can read back a summary.
//
//   {
//     "spec_version": 1,
//     "name": "usulan",                  // must equal the file name's stem
//     "keywords": ["usul", "usulan"],    // start this flow; words, any case
//     "priority": 100,                   // lower wins when keywords compete
//     "accepts_ticket": false,           // a bare "ADU-12" starts this flow
//     "start": "activity",
//     "nodes": [
//       {"id": "activity", "type": "ask", "prompt": "usulan.ask_activity",
//        "parser": "text", "var": "activity", "next": "desa"},
//       {"id": "desa", "type": "ask", "prompt": "usulan.ask_desa",
//        "parser": "place", "var": "desa", "retry": "usulan.retry_desa",
//        "next": "cost"},
//       {"id": "cost", "type": "ask", "prompt": "usulan.ask_cost",
//        "parser": "rupiah", "var": "cost", "retry": "usulan.retry_cost",
//        "next": "confirm"},
//       {"id": "confirm", "type": "confirm", "prompt": "usulan.confirm",
//        "yes": "create", "no": "activity", "no_reply": "usulan.restart"},
//       {"id": "create", "type": "action", "action": "create_case",
//        "case_type": "usulan", "summary": "{activity} - {desa_name}",
//        "desa_var": "desa", "confidential": false, "reply": "usulan.done"}
//     ]
//   }
//
// Node types and their keys ("_..." keys anywhere are comments):
//   ask      prompt, parser, var, next, [retry], [choices], [default],
//            [allow_text], [parent]
//   confirm  prompt, yes, no, [retry], [no_reply]   (answers: yes/no words,
//            "1"/"2", or the button ids "yes"/"no")
//   action   action, plus per action:
//              create_case   case_type ("usulan"|"pengaduan"), reply,
//                            [summary], [desa_var],
//                            [confidential | confidential_var]
//              status_query  reply   (ticket: the text after the keyword)
//              opt_out, opt_in  reply
//              start_flow    flow
//              reply         reply   (just says something)
//              cancel        reply, [reply_none]  (closes the open flow)
//
// Parsers and what they store in the variables:
//   text    non-empty text                      var = the text
//   number  the first whole number in the text  var = integer
//   rupiah  parsers/rupiah.h                    var = integer, var_text = "Rp5.000"
//   yes_no  parsers/yes_no.h                    var = true|false; with
//           "default": "yes"|"no" an unclear answer takes the default
//   place   a desa from Options::places (those with a parent, or with
//           "parent": "<code>" only those under it), by number or name;
//           var = code, var_name = name. With "allow_text": true any other
//           text is kept: var = "", var_name = the text
//   choice  "choices": [{"id", "label": <catalogue key>, ["next"]}];
//           by number, id or label; var = the id; a choice's next wins
// An answer that does not parse gets `retry` (or the prompt again).
//
// Load problems are reported as "<file>: <path>: <what>", e.g.
// "usulan.json: nodes[3].next: no node 'konfirm'".
//
// Thread safety: a loaded Flow is immutable.
#ifndef SUARADESA_DIALOGS_FLOW_H_
#define SUARADESA_DIALOGS_FLOW_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/catalog.h"

namespace suaradesa::dialogs {

inline constexpr int kFlowSpecVersion = 1;

enum class NodeType { kAsk, kConfirm, kAction };
enum class ParserKind { kText, kNumber, kRupiah, kYesNo, kPlace, kChoice };
enum class ActionKind {
  kCreateCase,
  kStatusQuery,
  kOptOut,
  kOptIn,
  kStartFlow,
  kReply,
  kCancel,
};

struct ChoiceSpec {
  std::string id;
  std::string label;  // catalogue key
  std::string next;   // empty: the node's next
};

struct Node {
  std::string id;
  NodeType type = NodeType::kAsk;

  // ask and confirm
  std::string prompt;
  std::string retry;
  // ask
  ParserKind parser = ParserKind::kText;
  std::string var;
  std::string next;
  std::vector<ChoiceSpec> choices;
  std::optional<bool> default_yes;  // yes_no: what an unclear answer means
  bool allow_text = false;          // place
  std::string parent;               // place
  // confirm
  std::string yes;
  std::string no;
  std::string no_reply;
  // action
  ActionKind action = ActionKind::kReply;
  std::string reply;
  std::string reply_none;
  std::string case_type;
  std::string summary;
  std::string desa_var;
  bool confidential = false;
  std::string confidential_var;
  std::string flow;
};

struct Flow {
  std::string name;
  std::vector<std::string> keywords;                 // as written
  std::vector<std::vector<std::string>> keyword_words;  // normalised
  int priority = 100;
  bool accepts_ticket = false;
  std::string start;
  std::vector<Node> nodes;

  // The node with `id`, or nullptr.
  const Node* Find(const std::string& id) const;
};

// Parses and validates one flow file. Appends problems (prefixed with
// `file_name`) to `problems`; returns the flow only if it had none.
// `catalog` must hold the loaded id catalogue: every key a flow uses must be
// in it.
std::optional<Flow> LoadFlow(const std::string& file_name,
                             const std::string& text, const Catalog& catalog,
                             std::vector<std::string>* problems);

// Loads every flow and checks what spans files: keywords claimed twice,
// start_flow targets, and that a "menu" flow exists (the engine's fallback).
// Returns the flows that loaded (all of them iff no problem was appended).
std::vector<Flow> LoadFlows(const std::map<std::string, std::string>& files,
                            const Catalog& catalog,
                            std::vector<std::string>* problems);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_FLOW_H_
