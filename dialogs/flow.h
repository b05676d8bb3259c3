// Flows: scripted dialogs as data (after nyaruka/goflow), loaded from
// dialogs/flows/<name>.json and validated whole at load time.
//
// A flow is a set of nodes. Ask and confirm nodes send a prompt (a catalogue
// key) and wait for the next message; action nodes do something and end the
// flow (or jump to another flow, or wait at another node). Prompts are
// rendered with the flow's variables as parameters, so a confirm prompt can
// read back a summary.
//
//   {
//     "spec_version": 1,
//     "name": "usulan",                  // must equal the file name's stem
//     "keywords": ["usul", "usulan"],    // start this flow when the message
//                                        // starts with one; any case, one typo
//     "phrases": ["mau usul"],           // ...or contains one anywhere (only
//                                        // with no dialog open); the text
//                                        // after it answers the first question
//     "topic_start": "offer",            // a message routed by a topic
//     "topic_var": "what",               // keeps its text in that var and
//                                        // starts there instead
//     "topics": ["dipotong"],            // ...or contains one anywhere; the
//                                        // whole text answers the first question
//     "max_words": 12,                   // phrases/topics only count in
//                                        // messages this short that do not
//                                        // look like a broadcast (0: any)
//     "not_keywords": ["bata"],          // real words never read as a typo
//     "alone_only": false,               // a keyword counts only on its own
//     "phrases_first": false,            // a phrase of this flow beats every
//                                        // other flow's phrase, wherever it
//                                        // stands ("..., caranya gimana?")
//     "rest": "code",                    // ...or followed by one word ("code"),
//                                        // or by an answer to the first
//                                        // question ("choice": BAHASA JAWA)
//                                        // or a ticket ("ticket")
//     "guard": "rsvp",                   // routing also needs an RSVP answer
//     "yields_to_invitation": false,     // with no dialog open, a message that
//                                        // answers a pending invitation goes
//                                        // there, not here (BATAL's "tidak
//                                        // jadi" is also "not coming")
//     "narrows_to": "keluar",            // a message that names one group
//                                        // (group_words; no all_words) starts
//                                        // that flow with the group instead
//                                        // ("stop info PKK aja")
//     "denied_to": "keluar",             // a phrase of this flow denied by the
//                                        // person ("tidak mau terima info PKK
//                                        // lagi"; not after "yang") starts that flow
//     "leads": "clause",                 // a phrase in the first clause counts
//                                        // in a message up to twice max_words
//                                        // ("keluarkan saya dari grup PKK, saya
//                                        // sudah pindah kerja ke kota ...");
//                                        // "sentence": in the first sentence,
//                                        // or the second after a greeting
//                                        // ("Dengan hormat. Nomor saya ...")
//     "asked_how": true,                 // asked how to do it ("gimana caranya
//                                        // masuk SPP?"): starts this flow, whose
//                                        // first question is the answer
//     "keep_draft": true,                // an expired session is kept as a draft
//     "engine_vars": ["draft_label"],    // variables the engine provides
//     "word_lists": {"spam": ["hadiah"]},  // named word lists the engine
//                                        // reads (dialogs/case_note.h)
//     "priority": 100,                   // lower wins when keywords compete
//     "accepts_ticket": false,           // a bare "ADU-12" starts this flow
//     "about_tickets": ["USL"],          // tickets of these prefixes the message
//                                        // is about ("ADUAN USL-12 talud retak":
//                                        // the activity complained of), not
//                                        // asking after; a flow whose rest is a
//                                        // ticket takes only these ("INFO
//                                        // ADU-44" asks after the complaint)
//     "start": "activity",
//     "nodes": [
//       {"id": "activity", "type": "ask", "prompt": "usulan.ask_activity",
//        "parser": "text", "var": "activity", "next": "desa"},
//       {"id": "desa", "type": "ask", "prompt": "usulan.ask_desa",
//        "parser": "place", "var": "desa", "retry": "usulan.retry_desa",
//        "next": "cost"},
//       {"id": "cost", "type": "ask", "prompt": "usulan.ask_cost",
//        "parser": "rupiah", "var": "cost", "retry": "usulan.retry_cost",
//        "ambiguous": "usulan.cost_ambiguous", "next": "confirm"},
//       {"id": "confirm", "type": "confirm", "prompt": "usulan.confirm",
//        "yes": "create", "no": "fix"},
//       {"id": "fix", "type": "ask", "prompt": "usulan.fix", "parser": "choice",
//        "return": "confirm", "choices": [
//          {"id": "activity", "label": "usulan.field_activity", "next": "activity"},
//          {"id": "cost", "label": "usulan.field_cost", "next": "cost"}]},
//       {"id": "create", "type": "action", "action": "create_case",
//        "case_type": "usulan", "summary": "{activity} - {desa_name}",
//        "desa_var": "desa", "confidential": false, "reply": "usulan.done",
//        "flags": [{"flag": "negative_list", "var": "activity",
//                   "words": ["partai", "gaji"]}]}
//     ]
//   }
//
// Node types and their keys ("_..." keys anywhere are comments):
//   ask      prompt, parser, var, next, [retry], [choices], [default],
//            [allow_text], [parent], [parent_var], [skippable], [continue],
//            [soft], [ambiguous], [unclear], [after_pin], [return],
//            [yes_choice], [no_choice], [fallback], [at_most], [too_many]
//   confirm  prompt, yes, no, [retry], [no_reply], [soft], [asks_place],
//            [prompt_no_place]
//            (answers: yes/no words, "1"/"2", or the button ids "yes"/"no";
//            with asks_place, a place alone or after the yes word is yes
//            and answers that place question; prompt_no_place is the prompt
//            when the flow's place question infers nothing from the story)
//   action   action, plus per action:
//              create_case   case_type ("usulan"|"pengaduan"), reply,
//                            [summary], [desa_var],
//                            [confidential | confidential_var
//                             [confidential_values]], [flags], [next],
//                            [reply_asking]
//                            With "next" the dialog goes on after filing
//                            (details asked afterwards); the caller stores
//                            the ticket in the session var "_ticket". The
//                            next question rides on the reply (Effect::
//                            follow_up), which is then reply_asking.
//              update_case   reply, [summary], [desa_var]: the details
//                            asked after filing go to the case "_ticket"
//                            names (an "update_case" effect); nothing when
//                            the case was filed by this same message
//              status_query  reply   (ticket: the text after the keyword)
//              opt_out, opt_in  reply
//              start_flow    flow
//              reply         reply   (just says something)
//              cancel        reply, [reply_none], [reply_filed] (closes
//                            the open flow; reply_filed {ticket} when that
//                            dialog had already filed its case)
//              effect        effect (a kind dialogs/effect.h lets a
//                            flow declare), [data] (object of "{var}"
//                            templates, one per field of that kind),
//                            [reply], [wait],
//                            [reply_language_var] (the engine renders the
//                            reply itself, in the language that var names)
//              rsvp          reply, [wait], [reply_undecided] (answer
//                            and reason from the message; "choice" from a
//                            var of that name; reply_undecided, when the
//                            person has not decided yet: nothing is
//                            recorded and the flow closes)
//              resume_draft  (restores vars.draft and asks its question)
//              discard_draft reply
//            "wait": after the effect the session waits at that node
//            without a prompt (the caller's reply asks the question).
//
// Ask options:
//   skippable   a skip word ("lewati", "tidak tahu", "-") or the "skip"
//               button stores var = "" (shown as "-")
//   continue    when correcting one field (see "return"), go on to `next`
//               instead of returning: the next node belongs to the same field
//   return      (choice) the node the picked field returns to once answered
//   soft        an answer that does not parse closes the flow and the
//               message is routed as if no dialog were open
//   ambiguous   (rupiah) prompt for an amount that could mean two things
//   unclear     (date) prompt, once, for a time that is not on the clock
//   after_pin   (place) prompt after a location pin that is stored
//               (var_lat, var_lon) but does not answer the question
//   fallback    (choice) the choice taken after two answers in a row that
//               fit nothing ("lainnya", "belum tahu"); a skippable question
//               is skipped then. Without either, the second retry also says
//               how to cancel (common.stuck), once.
//   at_most     (count) a var holding the most this count can be ("rtm"
//               at most "households"); a larger answer gets `too_many` and
//               is not stored
//   infer_from  a var whose text (the story of the opening message) may
//               already hold the answer: a choice's own words, a place's
//               whole name, or for a text question the sizes it gives
//               ("kurleb 300 m", "6x10 m": ParseMeasure); then the
//               question is not asked.
//               Only strong evidence counts (no numbers, labels or typos).
//   infer_only  never asked except when correcting that field: inferred
//               (infer_from), filled by an earlier answer (fills), or left
//               unset (a choice then takes its fallback)
//   skip_if_set not asked when var already holds a value (found in the
//               opening), except while correcting that field
//   skip_if     (a var name) not asked when that other var holds a value:
//               "INFO USL-12" needs no desa

//   labels      (count) the words naming this figure ("kk", "kepala
//               keluarga"): with labels, "40 KK, 12 miskin" at this node
//               is read figure by figure (parsers/numbers.h ParseFigures)
//   fills       ids of count nodes with labels whose figures this answer
//               may also carry ("40 KK, 12 miskin, 20 perempuan" at the
//               households question, or inside the opening): each is
//               stored and that question is not asked (an rtm above the
//               households is left to its question)
//   all         (index) words meaning "all of them" ("semua",
//               "keduanya"): var = "all"
//   asks_place  (text) the var of the flow's place question: this prompt
//               asks for the place too ("what happened, and in which
//               desa?"), which is then inferred from the answer (that
//               question's infer_from). An answer that is only a place
//               ("di desa Kaotan"; parsers/places.h OnlyPlaceNamed) is
//               not the story: it answers the place question and
//               `place_only` asks for the story again ("what happened in
//               {where_name}?")
//   place_only  (text, with asks_place) that prompt
//
// Parsers and what they store in the variables:
//   text    non-empty text                      var = the text
//   number  the first whole number in the text  var = integer
//   index   the whole text is a number 1..99    var = integer
//   count   parsers/numbers.h ("40 KK", "empat puluh")  var = integer
//   rupiah  parsers/rupiah.h                    var = integer, var_text = "Rp5.000"
//   yes_no  parsers/yes_no.h                    var = true|false; with
//           "default": "yes"|"no" an unclear answer takes the default
//   date    parsers/datetime.h                  var = the text, var_date =
//           "YYYY-MM-DD" and var_time = "HH:MM" when found; with allow_text
//           any text is kept
//   place   parsers/places.h: a desa from Options::places (more than 12
//           are listed 9 a page; "0" or the last number shows the next) (those with a
//           parent, or with "parent": "<code>" only those under it, or with
//           "parent_var": "<var>" those under the place that var holds), by
//           number, name or button; a numbered choice when ambiguous;
//           var = code, var_name = name; a location pin sets var_lat and
//           var_lon. With "allow_text": true any other text (or a pin) is
//           kept: var = "", var_name = the text
//   choice  "choices": [{"id", "label": <catalogue key>, ["next"],
//           ["words": ["pungli", "dana dipotong"]]}];
//           by number (digits or words: "dua", "yang kedua"), id or label,
//           exact before one typo, or a choice's words or a label word of
//           4+ letters inside the answer when only one choice has it;
//           var = the id, var_label = the label;
//           a choice's next wins. "default": <id> takes that choice for an
//           unclear answer; "yes_choice"/"no_choice" map yes/no words
//   ticket  a leading ticket ("ADU-12 ...")     var = "ADU-12"; the rest of
//           the message answers the next question
//   code    a group code, first word            var = "SPP01" (uppercase)
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
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/catalog.h"
#include "dialogs/parsers/keyword_list.h"

namespace suaradesa::dialogs {

inline constexpr int kFlowSpecVersion = 1;

enum class NodeType { kAsk, kConfirm, kAction };
enum class ParserKind {
  kText,
  kNumber,
  kIndex,
  kCount,
  kRupiah,
  kYesNo,
  kDate,
  kPlace,
  kChoice,
  kTicket,
  kCode,
};
enum class ActionKind {
  kCreateCase,
  kStatusQuery,
  kOptOut,
  kOptIn,
  kStartFlow,
  kReply,
  kCancel,
  kEffect,
  kRsvp,
  kResumeDraft,
  kDiscardDraft,
  kUpdateCase,
};

struct ChoiceSpec {
  std::string id;
  std::string label;  // catalogue key
  std::string next;   // empty: the node's next
  // "words": other ways people name this choice ("pungli" for funds),
  // found anywhere in the answer; KeywordWords().
  KeywordList words;
  // `words`, and the id when it is one word of at least four letters
  // ("musdes"): everything an answer may name the choice by. Built at load.
  KeywordList named_by;
};

// create_case "flags": a flag raised when var's text contains one of words.
struct FlagSpec {
  std::string flag;
  std::string var;
  KeywordList words;  // KeywordWords()
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
  std::string default_choice;       // choice: what an unclear answer means
  std::string yes_choice;           // choice: what a yes word picks
  std::string no_choice;            // choice: what a no word picks
  bool allow_text = false;          // place, date
  std::string parent;               // place
  std::string parent_var;           // place
  bool skippable = false;
  bool continue_field = false;      // "continue"
  std::string return_to;            // choice: "return"
  std::string ambiguous;            // rupiah
  std::string unclear;              // date
  std::string after_pin;            // place
  std::string fallback;             // choice id taken after two misses
  std::string at_most_var;          // count: not more than this var
  std::string too_many;             // count: prompt when it is more
  std::string infer_from;           // a var whose text may already answer
  bool infer_only = false;          // never asked: inferred or left unset
  bool skip_if_set = false;         // not asked when var already holds a value
  std::string skip_if;              // not asked when this other var holds a value
  // count: the words naming this figure ("kk", "kk miskin"), KeywordWords().
  KeywordList labels;
  // Count nodes (ids) whose labelled figures this answer may also carry.
  std::vector<std::string> fills;
  // index: words meaning "all of them" ("semua"); var = "all".
  KeywordList all_words;
  // text: the var of the flow's place question this prompt also asks for,
  // and the prompt for an answer that gave only the place.
  // confirm: the var of the flow's place question, a place named in the
  // answer also answers it ("ya, Gitik", "Kaotan": yes and the place), and
  // the prompt used when the story names no place (prompt_no_place).
  std::string asks_place;
  std::string place_only;
  std::string prompt_no_place;
  // ask and confirm
  bool soft = false;
  // confirm
  std::string yes;
  std::string no;
  std::string no_reply;
  // action
  ActionKind action = ActionKind::kReply;
  std::string reply;
  std::string reply_none;
  std::string reply_filed;          // cancel: when the dialog filed its case
  std::string reply_undecided;      // rsvp: when the person has not decided
  std::string reply_asking;         // create_case: when a question follows
  std::string case_type;
  std::string summary;
  std::string desa_var;
  bool confidential = false;
  std::string confidential_var;
  std::vector<std::string> confidential_values;
  std::vector<FlagSpec> flags;
  std::string flow;
  std::string effect;              // effect: the kind
  nlohmann::json data = nlohmann::json::object();  // effect: templates
  std::string wait;                // effect, rsvp
  std::string reply_language_var;  // effect
};

struct Flow {
  std::string name;
  std::vector<std::string> keywords;                 // as written
  KeywordList keyword_words;  // normalised
  KeywordList phrase_words;  // anywhere; rest
  KeywordList topic_words;   // anywhere; whole text
  std::set<std::string> not_keywords;
  size_t max_words = 0;
  bool alone_only = false;
  bool phrases_first = false;
  std::string rest_kind;  // "", "code" or "ticket"
  std::string guard;
  bool yields_to_invitation = false;
  // The flow a message goes to instead when it names one group and not
  // everything (the word lists group_words and all_words): BERHENTI's
  // "jangan kirim info posyandu lagi" leaves that group (keluar.json)
  // instead of stopping everything; the reply says how to stop all. Blind
  // writers label such messages a group's leave, one stop in two. Empty: none.
  std::string narrows_to;
  // The flow a phrase of this one starts when the person denies it of
  // themselves (a negation before it, not in a clause after maksud.json's
  // relative_words): GABUNG's "tidak mau terima info karang taruna lagi"
  // leaves a group (keluar.json). Empty: a denied phrase starts nothing.
  std::string denied_to;
  // A question how to do what this flow does, which otherwise gets the
  // how-to answer of a phrases_first flow (the menu), starts this flow: its
  // first question is the answer ("gimana caranya masuk SPP?" asks for the
  // group's code).
  bool asked_how = false;
  // Where a phrase of this flow may stand to count in a message up to twice
  // max_words (what follows is the reason): nowhere (kNone: only max_words
  // counts), in the first clause, or in the first sentence (the
  // second after a greeting of a few words).
  enum class Leads { kNone, kClause, kSentence };
  Leads leads = Leads::kNone;
  bool keep_draft = false;
  // The intent model (intent_model.h) may start this flow for a message no
  // word list placed: as an offer when the flow has a topic_start.
  bool guessable = false;
  // While a question is open a keyword counts only alone, or followed by at
  // most this many words (courtesy words aside): "BATAL dulu pak".
  size_t open_rest_words = 0;
  std::vector<std::string> engine_vars;
  // name -> entries, each its KeywordWords().
  std::map<std::string, KeywordList> word_lists;
  int priority = 100;
  bool accepts_ticket = false;
  std::vector<std::string> about_tickets;  // "USL": see "about_tickets" above
  std::string start;
  // A message routed by a topic alone (a described problem, no keyword)
  // keeps its text in topic_var and starts at topic_start: an offer, never
  // a case filed unasked. Both empty: it starts at `start`.
  std::string topic_start;
  std::string topic_var;
  std::vector<Node> nodes;

  // The node with `id`, or nullptr.
  const Node* Find(const std::string& id) const;
  // The first 'place' question that saves `var`, or nullptr.
  const Node* PlaceQuestion(const std::string& var) const;
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
