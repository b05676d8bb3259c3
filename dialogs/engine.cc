// The flow interpreter behind Dialogs::Step.
//
// One step: expire a stale session (keeping its answers as a draft), route
// the message (see engine.h), then walk nodes until the flow waits for an
// answer or ends. All state lives in the SessionState passed in and out; the
// engine itself is immutable after LoadDialogs, so Step is safe from many
// threads.
#include "dialogs/engine.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <sstream>

#include "dialogs/case_note.h"
#include "dialogs/chatter.h"
#include "dialogs/catalog.h"
#include "dialogs/flow.h"
#include "dialogs/lexicon.h"
#include "dialogs/parsers/datetime.h"
#include "dialogs/parsers/fillers.h"
#include "dialogs/parsers/correction.h"
#include "dialogs/parsers/keywords.h"
#include "dialogs/parsers/numbers.h"
#include "dialogs/parsers/places.h"
#include "dialogs/parsers/rsvp.h"
#include "dialogs/parsers/rupiah.h"
#include "dialogs/parsers/yes_no.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

// How many words separated by spaces, tabs or newlines `text` holds.
size_t WhitespaceWords(std::string_view text) {
  std::istringstream split{std::string(text)};
  size_t n = 0;
  for (std::string w; split >> w;) ++n;
  return n;
}

using nlohmann::json;

// Catalogue keys the engine itself uses (flows name all the others).
constexpr char kYesKey[] = "common.yes";
constexpr char kNoKey[] = "common.no";
constexpr char kErrorKey[] = "common.error";
constexpr char kSkipKey[] = "common.skip";
constexpr char kOrKey[] = "common.or";
constexpr char kReplyChoicesKey[] = "common.reply_choices";
constexpr char kPlaceWhichKey[] = "common.place_which";
constexpr char kStuckKey[] = "common.stuck";
constexpr char kMorePlacesKey[] = "common.more_places";
constexpr char kFlowLabelPrefix[] = "flow_label.";
constexpr char kThanksKey[] = "case.note_thanks";
constexpr char kSalamKey[] = "chatter.salam";
constexpr char kGreetingKey[] = "chatter.greeting";
constexpr char kShortKey[] = "chatter.short";
constexpr const char* kEngineKeys[] = {
    kYesKey, kNoKey, kErrorKey, kSkipKey, kOrKey, kReplyChoicesKey,
    kPlaceWhichKey, kStuckKey, kMorePlacesKey};
// The keys Engine::Chatter answers with, required when salam.json is loaded.
constexpr const char* kChatterKeys[] = {kThanksKey, kSalamKey, kGreetingKey, kShortKey};

constexpr char kMenuFlow[] = "menu";
constexpr char kDraftFlow[] = "lanjut";
constexpr char kNoteFlow[] = "catatan";
constexpr char kChatterFlow[] = "salam";
constexpr char kIntentFlow[] = "maksud";
constexpr char kHintedVar[] = "_hinted_at";
constexpr int64_t kHintQuietMs = 24LL * 60 * 60 * 1000;

// Button ids for yes/no questions and for skipping an optional one.
constexpr char kYesId[] = "yes";
constexpr char kNoId[] = "no";
constexpr char kSkipId[] = "skip";
constexpr char kMorePlacesId[] = "more_places";

// Session variables the engine keeps for itself; never case fields.
constexpr char kReturnVar[] = "_return";
constexpr char kPlaceOptionsVar[] = "_place_options";
constexpr char kUnclearVar[] = "_unclear_asked";
constexpr char kMissesVar[] = "_misses";        // answers that fit nothing
constexpr char kPlacePageVar[] = "_place_page";  // the page of a long list
// The ticket of the case this dialog filed; the caller stores it (see
// create_case "next" in flow.h) and update_case names it.
constexpr char kTicketVar[] = "_ticket";
// A place answer as typed, under "_said_<var>": a later question may be
// inferred from it (infer_from "_said_desa": "Gitik, dusun Krajan RT 2").
constexpr char kSaidPrefix[] = "_said_";
// A first message kept while the person is asked which of two intents they
// meant (AskIntent); the chosen flow starts with it.
constexpr char kMessageVar[] = "_message";
constexpr char kIntentsVar[] = "_intents";  // the two flows it named
// Questions that must be asked although they are infer_only: a figure
// given for them inside an earlier answer could not be stored (more poor
// households than households), so it is questioned, not dropped.
constexpr char kMustAskVar[] = "_must_ask";
// What an index question stores for "all of them" (a node's "all" words).
constexpr char kAllValue[] = "all";
constexpr char kDraftVar[] = "draft";
constexpr char kDraftLabelVar[] = "draft_label";

// Longer place lists are not offered as numbered choices (an SMS would run
// to many parts); people type the name instead.
constexpr size_t kMaxListedPlaces = 12;
// A longer list is shown this many a page, then "more".
constexpr size_t kPlacesPerPage = 9;
// After this many answers in a row that fit nothing, a question takes its
// fallback (or is skipped), else says once how to cancel.
constexpr int kMissesBeforeFallback = 2;
// A numbered SMS menu up to this size spells out "1, 2 atau 3".
constexpr size_t kMaxSpelledChoices = 5;
// WhatsApp shows at most 10 list rows; longer lists are numbered in text.
constexpr size_t kMaxWhatsAppChoices = 10;

// Guards against start_flow cycles between flows.
constexpr int kMaxHops = 32;

// Summaries are a case's one-line title.
constexpr size_t kMaxSummaryBytes = 160;

// Answers that skip an optional question; recognition data.

bool RendersChoicesAsButtons(const std::string& channel_type) {
  return channel_type == "telegram" || channel_type == "whatsapp";
}

// The 1-based number if `text` is just a number ("2", "dua", "yang kedua",
// "no 2 pak").
std::optional<size_t> ChoiceNumber(const std::string& text) {
  std::optional<int64_t> n = ParseChoiceNumber(text);
  if (!n || *n < 1 || *n > 99) return std::nullopt;
  return static_cast<size_t>(*n);
}

bool IsSkip(const std::string& text) {
  std::string t = WithoutTrailingFillers(Trim(text));
  if (t == "-" || t == "--" || t == "0") return true;
  return DefaultLexicon().skip_answers.contains(ExpandAbbreviations(NormalizeText(t)));
}

// The first whole number in the text: "25 KK" -> 25, "1.200 orang" -> 1200.
std::optional<int64_t> FirstNumber(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && !(text[i] >= '0' && text[i] <= '9')) ++i;
  if (i == text.size()) return std::nullopt;
  std::string digits;
  while (i < text.size()) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '.' && i + 3 < text.size() &&
               std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isdigit(static_cast<unsigned char>(text[i + 2])) &&
               std::isdigit(static_cast<unsigned char>(text[i + 3]))) {
      // A thousands separator: skip it and keep reading digits.
    } else {
      break;
    }
    ++i;
  }
  if (digits.size() > 15) return std::nullopt;
  return std::stoll(digits);
}

// A ticket anywhere in the text ("status laporan ADU-12 pak").
std::optional<std::string> FindTicket(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) continue;
    if (std::optional<LeadingTicket> t = ParseLeadingTicket(text.substr(i))) {
      return t->ticket;
    }
  }
  return std::nullopt;
}

std::string Coordinates(const Location& l) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.5f,%.5f", l.latitude, l.longitude);
  return buf;
}

// Forms of address people end a message with ("... jembatan gantung pak");
// recognition data.
constexpr std::string_view kCourtesy[] = {
    "pak", "bu", "bapak", "ibu", "min", "admin", "mas", "mbak", "bpk", "bapa",
    "kak", "ya", "yah", "nggih", "njih", "terima", "kasih", "makasih", "mksh",
    "tks", "thx", "trims", "matur", "nuwun", "suwun", "pls", "tolong"};

// Drops trailing forms of address and thanks from a keyword's rest.
// Nine or more digits in a row, separators allowed ("0852-8336-0989").
bool HoldsPhoneNumber(std::string_view text) {
  int digits = 0;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (++digits >= 9) return true;
    } else if (c != '-' && c != ' ' && c != '.') {
      digits = 0;
    }
  }
  return false;
}

// A group code as written after GABUNG or KELUAR, without the words people
// put around it ("kelompok SPP 04 bu" is "SPP 04"): the flow's
// "code_fillers" and courtesy words are dropped.
std::string CodeWords(const Flow& flow, std::string_view rest) {
  static const std::vector<std::vector<std::string>> kNone;
  auto it = flow.word_lists.find("code_fillers");
  const auto& fillers = it == flow.word_lists.end() ? kNone : it->second;
  std::string out;
  std::istringstream split{std::string(rest)};
  for (std::string w; split >> w;) {
    std::string bare;
    for (char c : w) {
      if (std::isalnum(static_cast<unsigned char>(c))) bare.push_back(c);
    }
    bare = Lowercase(bare);
    // Compared as the lists are read: abbreviations expanded ("dr", "sy").
    const std::vector<std::string> expanded = KeywordWords(bare);
    const std::string word = expanded.size() == 1 ? expanded[0] : bare;
    bool filler = std::ranges::find(kCourtesy, bare) != std::end(kCourtesy);
    for (const auto& f : fillers) filler = filler || (f.size() == 1 && f[0] == word);
    if (!filler) out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

std::string WithoutCourtesy(const std::string& rest) {
  std::string out = Trim(rest);
  while (true) {
    size_t end = out.size();
    while (end > 0 && !std::isalnum(static_cast<unsigned char>(out[end - 1]))) {
      --end;
    }
    size_t begin = end;
    while (begin > 0 && std::isalnum(static_cast<unsigned char>(out[begin - 1]))) {
      --begin;
    }
    std::string word = Lowercase(out.substr(begin, end - begin));
    if (begin == 0 || word.empty() ||
        std::ranges::find(kCourtesy, word) == std::end(kCourtesy)) {
      break;
    }
    out = Trim(out.substr(0, begin));
    while (!out.empty() && (out.back() == ',' || out.back() == '.')) {
      out.pop_back();
    }
  }
  return out;
}

// One answer as a read-back shows it: whole up to kReadBackBytes, else cut
// at a space (never inside a character) with "..".
constexpr size_t kReadBackBytes = 60;
std::string ShortenForReadBack(const std::string& text) {
  if (text.size() <= kReadBackBytes) return text;
  std::string cut = TruncateUtf8(text, kReadBackBytes - 2);
  size_t space = cut.rfind(' ');
  if (space != std::string::npos && space > kReadBackBytes / 2) cut.resize(space);
  while (!cut.empty() && (cut.back() == ' ' || cut.back() == ',' || cut.back() == '.')) {
    cut.pop_back();
  }
  return cut + "..";
}

// A case's one-line summary from its template: a field left empty (skipped,
// or never asked) leaves no "{where_name}" and no dangling " - ".
std::string CaseSummary(const std::string& templ, const json& strings) {
  json params = strings;
  for (const std::string& name : Placeholders(templ)) {
    if (!params.contains(name) || params[name] == "-") params[name] = "";
  }
  std::string out = Substitute(templ, params);
  while (out.ends_with(" -") || out.ends_with(" ")) out.resize(out.size() - 1);
  return TruncateUtf8(out, kMaxSummaryBytes);
}

// What `flow` reads from `message` as its first answer: the text after
// its keyword at the start, or after its phrase inside; "" if neither.
std::string TextFor(const Flow& flow, const std::string& message) {
  KeywordText words(message);
  if (auto m = MatchLeadingKeyword(words, flow.keyword_words, flow.not_keywords)) return m->rest;
  if (auto m = FindKeyword(words, flow.phrase_words, flow.not_keywords)) {
    return WithoutCourtesy(m->rest);
  }
  return "";
}

// True if the flow can file a case (it has a create_case action).
bool FilesCase(const Flow& flow) {
  return std::ranges::any_of(flow.nodes, [](const Node& n) {
    return n.type == NodeType::kAction && n.action == ActionKind::kCreateCase;
  });
}

// Case fields: the flow's variables without the engine's own.
json PublicVars(const json& vars) {
  json out = json::object();
  for (const auto& [key, value] : vars.items()) {
    if (key.starts_with("_") || key == kDraftVar || key == kDraftLabelVar) {
      continue;
    }
    out[key] = value;
  }
  return out;
}

class Engine : public Dialogs {
 public:
  Engine(Catalog catalog, std::vector<Flow> flows, Options options)
      : catalog_(std::move(catalog)),
        flows_(std::move(flows)),
        options_(std::move(options)) {
    for (const Flow& f : flows_) by_priority_.push_back(&f);
    std::stable_sort(by_priority_.begin(), by_priority_.end(),
                     [](const Flow* a, const Flow* b) {
                       return a->priority < b->priority;
                     });
  }

  Engine(const Engine&) = delete;  // by_priority_ points into flows_
  Engine& operator=(const Engine&) = delete;

  StepResult Step(const SessionState& session, const Input& input,
                  const Context& context) const override;
  Reply Render(const std::string& key, const json& params,
               const std::string& language) const override;
  std::vector<std::string> FlowNames() const override;
  std::vector<CatalogEntry> Entries() const override;

 private:
  // The mutable state of one Step call.
  struct Run {
    const Context& context;
    StepResult result;
    std::string text;        // the message as typed (or a pressed button)
    bool was_open = false;   // a flow was open when the message arrived
    int hops = 0;
    std::string leftover;    // the unread part of an answer (parser ticket)
    SessionState& session() { return result.session; }
    // `text` split into words for keyword matching: made once, since every
    // flow's keywords are tried against it, and again if `text` changes.
    const KeywordText& words() const {
      if (!words_ || words_->text() != text) words_.emplace(text);
      return *words_;
    }
    mutable std::optional<KeywordText> words_;  // words()' cache
    // The ticket of the case the dialog open when the message arrived had
    // already filed (its "_ticket"); empty if none.
    std::string filed_ticket;
    // The reply key of that create_case when a question follows.
    std::string filed_asking;
    // The create_case effect of this step whose reply asks the next
    // question (Effect::follow_up); -1 if none.
    int filed_effect = -1;
    // A correction typed at a read-back: the field's answer returns to the
    // read-back even where the field would go on ("continue").
    bool direct_fix = false;
  };

  enum class Answer { kNo, kAdvanced, kAsked };

  const Flow* FindFlow(const std::string& name) const;
  // Routes a message with no dialog open. Returns false only when nothing
  // matched and `fallback_to_menu` is false.
  bool RouteNew(Run& run, const json& draft, bool fallback_to_menu) const;
  bool GuardPasses(const Run& run, const Flow& flow) const;
  // The fallback for a message nothing else understood, from a contact with
  // recent cases (Context::case_tickets): a note on the case, the question
  // which case, or a courteous answer to thanks. False: not a note.
  bool CaseNote(Run& run) const;
  // No dialog open and nothing understood (dialogs/chatter.h): a greeting
  // or thanks gets one short courteous line, spam no reply at all, anything
  // else one short hint to type MENU, at most once in kHintQuietMs (the
  // time is kept in the closed session's "_hinted_at"), else nothing. The
  // full menu only on MENU.
  void Chatter(Run& run) const;
  // The flow a message without a leading keyword names: by the earliest
  // phrase, else by the weight of its topics and cues (see BestPhrase).
  struct PhraseMatch {
    const Flow* flow = nullptr;
    KeywordMatch match;
    bool topic = false;
  };
  PhraseMatch BestPhrase(const Run& run) const;
  // A question about one's case without a fixed phrase, by the word lists
  // of the flow that takes tickets: a ticket then a question word ("ADU
  // 0012 gmn"), or a case word, an owner word within three words and a
  // question word after them ("usulan sy yg kmrn gmn"). Starts that flow.
  bool CaseQuestion(Run& run) const;
  // A message that would file a case but names a ticket ("mohon info
  // tindak lanjut aduan ADU-104", "usl-9 sdh disetujui?") is about that
  // case: the ticket flow starts with it. False: no ticket named.
  bool NamedTicket(Run& run) const;
  // Two close intents in one message ("mau lapor dan usul"): the intent
  // flow's (maksud.json) question whose choices are exactly the two flows
  // named by keyword or phrase. False: not two close intents.
  bool AskIntent(Run& run) const;
  // After that question: what the chosen flow reads from the first message
  // (TextFor), or "" when it says nothing beyond the other intent and
  // connecting words ("mau lapor dan usul": no story to file).
  std::string ChosenIntentText(const Flow& chosen, const json& vars) const;
  void StartPhrase(Run& run, const PhraseMatch& best) const;
  void StartFlow(Run& run, const Flow& flow, const std::string& rest,
                 json vars = json::object()) const;
  void Enter(Run& run, const Flow& flow, const std::string& node_id,
             const std::string& rest) const;
  void RunAction(Run& run, const Flow& flow, const Node& node,
                 const std::string& rest) const;
  void CreateCase(Run& run, const Flow& flow, const Node& node) const;
  void UpdateCase(Run& run, const Node& node) const;
  // What create_case and update_case both carry: the fields (the public
  // vars), summary, desa, the flow and the node's reply key.
  Effect CaseEffect(const char* kind, const SessionState& s, const Node& node) const;
  // The answer to `node` that the text of its infer_from var already gives,
  // stored as if answered. Only strong evidence: a choice's own words, a
  // place's whole name (or, with allow_text under a parent place, the words
  // beside the parent's name). Other parsers infer nothing. False: nothing
  // stored.
  bool Infer(Run& run, const Node& node) const;
  // Tries `input` as the answer to `node`; on success saves it and moves on.
  Answer TryAnswer(Run& run, const Flow& flow, const Node& node,
                   const Input& input) const;
  // Where an answered node goes: `next`, or back to where a correction of
  // one field started.
  std::string NextAfter(Run& run, const Node& node, std::string next) const;
  // A count node with labels: its own figure in `text` ("40 KK, 12 miskin"
  // -> 40), or nullopt.
  std::optional<int64_t> OwnFigure(const Flow& flow, const Node& node,
                                   const std::string& text) const;
  // Stores the labelled figures of node.fills found in `text` (their
  // questions are then skip_if_set); one that cannot be stored is asked
  // (kMustAskVar).
  void FillFigures(Run& run, const Flow& flow, const Node& node,
                   const std::string& text) const;
  // At a read-back (confirm): "tempatnya salah, harusnya Kaotan" changes
  // that field with its own parser and shows the read-back again; a field
  // named without a new value asks that field's question. kNo: no
  // correction (a plain yes or no, or no field named).
  Answer TryCorrection(Run& run, const Flow& flow, const Node& confirm,
                       const Input& input) const;
  Answer AnswerPlace(Run& run, const Node& node, const Input& input) const;
  // The choice `input` picks, or nullptr. Pure.
  const ChoiceSpec* AnswerChoice(const Run& run, const Node& node,
                                 const Input& input,
                                 bool use_default = true) const;
  // A message that answers nothing: the retry prompt, or after repeated
  // misses the node's fallback, a skip, or a word about cancelling.
  void Retry(Run& run, const Flow& flow, const Node& node) const;
  // nullopt if there is nothing to read (an empty message).
  static std::optional<YesNo> AnswerYesNo(const Input& input);
  void Prompt(Run& run, const Flow& flow, const Node& node,
              const std::string& key) const;
  void Close(Run& run) const { run.session() = SessionState{}; }
  void Fail(Run& run) const;

  std::vector<const Place*> PlacesFor(const Node& node, const json& vars) const;
  std::vector<Choice> ChoicesFor(const Node& node, const json& vars,
                                 const std::string& language) const;
  json PromptParams(const Flow* flow, const json& vars,
                    const std::string& language) const;
  Reply MakeReply(const std::string& key, const json& params,
                  std::vector<Choice> choices, const Context& context) const;
  std::string NumberList(size_t n, const std::string& language) const;

  // Constant after construction.
  const Catalog catalog_;
  const std::vector<Flow> flows_;
  std::vector<const Flow*> by_priority_;  // into flows_
  const Options options_;
};

const Flow* Engine::FindFlow(const std::string& name) const {
  for (const Flow& f : flows_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

StepResult Engine::Step(const SessionState& session, const Input& input,
                        const Context& context) const {
  Run run{context, StepResult{session, {}, {}}, input.text, false, 0, "", std::nullopt, "", "", -1};
  SessionState& s = run.session();
  if (!s.vars.is_object()) s.vars = json::object();
  json draft;  // the answers of a session that just expired
  if (s.open()) {
    const Flow* flow = FindFlow(s.flow);
    bool expired = context.now - s.updated_at > options_.session_ttl_ms;
    // A session left on a flow or node that no longer exists (flows changed
    // between releases) is treated like an expired one, without a draft.
    if (flow == nullptr || flow->Find(s.node) == nullptr) {
      Close(run);
    } else if (expired) {
      if (flow->keep_draft && !PublicVars(s.vars).empty()) {
        draft = {{"flow", s.flow}, {"node", s.node}, {"vars", s.vars}};
      } else if (s.flow == kDraftFlow && s.vars.contains(kDraftVar)) {
        draft = s.vars[kDraftVar];  // an offer left unanswered: keep it
      }
      Close(run);
    }
  }
  run.was_open = s.open();
  if (s.open() && s.vars.contains(kTicketVar) && s.vars[kTicketVar].is_string()) {
    run.filed_ticket = s.vars[kTicketVar].get<std::string>();
  }

  // A button pressed after its dialog ended: read its id as if typed.
  if (!s.open() && Trim(run.text).empty() && !input.choice_id.empty()) {
    run.text = input.choice_id;
  }

  // A keyword at the start of the message, in priority order. While a
  // question is open, a keyword counts only on its own, so that an answer
  // that starts with "stop" or "lapor" stays an answer.
  auto leading = [&]() -> bool {
    // A bare ticket ("ADU-12") is a status question, not the keyword "adu".
    if (!s.open() && ParseTicket(run.text)) return false;
    if (!s.open() && (CaseQuestion(run) || AskIntent(run))) return true;
    for (const Flow* f : by_priority_) {
      std::optional<KeywordMatch> match =
          MatchLeadingKeyword(run.words(), f->keyword_words, f->not_keywords);
      if (!match) continue;
      // "jawa" at the language question is the choice, not "jawab".
      if (s.open() && match->typos > 0) {
        const Node* at = FindFlow(s.flow)->Find(s.node);
        if (at->parser == ParserKind::kChoice && at->type == NodeType::kAsk &&
            AnswerChoice(run, *at, input, /*use_default=*/false) != nullptr) {
          continue;
        }
      }
      if (!match->alone) {
        if (s.open() || f->alone_only) continue;
        // A code may be written in two words ("GABUNG spp 01"), no more.
        if (f->rest_kind == "code" && WhitespaceWords(CodeWords(*f, match->rest)) > 2) {
          continue;
        }
        if (f->rest_kind == "ticket" && !ParseLeadingTicket(match->rest)) {
          continue;
        }
        // "ganti bahasa jawa": only when the rest answers the first question.
        if (f->rest_kind == "choice") {
          const Node* first = f->Find(f->start);
          Input rest;
          rest.text = WithoutCourtesy(match->rest);
          if (first == nullptr || first->parser != ParserKind::kChoice ||
              AnswerChoice(run, *first, rest, /*use_default=*/false) == nullptr) {
            continue;
          }
        }
      }
      if (!GuardPasses(run, *f)) continue;
      // "gk jadi pak" to an invitation is "not coming", not "cancel".
      if (f->yields_to_invitation && !s.open() && run.context.rsvp_pending &&
          ParseRsvp(run.text, true)) {
        continue;
      }
      // "laporan saya sudah ditindaklanjuti?": a longer phrase of another
      // flow at the start says more than the keyword "laporan", and so does
      // a question about a case anywhere (a phrase of the flow that takes
      // tickets: "aduan saya kemarin sudah ditindaklanjuti belum?").
      if (!match->alone && !s.open() && f->priority >= 100) {
        PhraseMatch phrase = BestPhrase(run);
        if (phrase.flow != nullptr && phrase.flow != f &&
            phrase.match.position == match->position &&
            phrase.match.length > match->length) {
          StartPhrase(run, phrase);
          return true;
        }
        for (const Flow* g : by_priority_) {
          if (g == f || !g->accepts_ticket || g->phrase_words.empty()) continue;
          std::optional<KeywordMatch> q =
              FindKeyword(run.words(), g->phrase_words, g->not_keywords);
          if (q && q->position >= match->position) {
            StartPhrase(run, {g, *q, false});
            return true;
          }
        }
      }
      if (!s.open() && FilesCase(*f) && NamedTicket(run)) return true;
      StartFlow(run, *f, match->rest);
      return true;
    }
    return false;
  };
  // A button press answers the open question; it is never a keyword.
  bool routed = !(s.open() && !input.choice_id.empty()) && leading();
  if (!routed && s.open()) {
    const Flow& flow = *FindFlow(s.flow);
    const Node& node = *flow.Find(s.node);
    Answer answer = TryAnswer(run, flow, node, input);
    if (answer != Answer::kNo) {
      routed = true;
    } else if (!node.soft) {
      Retry(run, flow, node);
      routed = true;
    } else {
      // A soft question that this message does not answer: the message may
      // be something new. With a retry prompt (the menu), only a keyword or
      // phrase leaves the question; without one, anything does.
      SessionState saved = s;
      Close(run);
      routed = leading();
      if (!routed && !node.retry.empty()) {
        routed = RouteNew(run, draft, /*fallback_to_menu=*/false);
        if (!routed) {
          run.session() = std::move(saved);
          Prompt(run, flow, node, node.retry);
          routed = true;
        }
      }
    }
  }
  if (!routed) RouteNew(run, draft, /*fallback_to_menu=*/true);
  run.session().updated_at = context.now;
  return std::move(run.result);
}

bool Engine::GuardPasses(const Run& run, const Flow& flow) const {
  if (flow.guard == "rsvp") {
    return ParseRsvp(run.text, run.context.rsvp_pending).has_value();
  }
  return true;
}

bool Engine::RouteNew(Run& run, const json& draft,
                      bool fallback_to_menu) const {
  const std::string& text = run.text;
  if (std::optional<std::string> ticket = ParseTicket(text)) {
    for (const Flow* f : by_priority_) {
      if (f->accepts_ticket) {
        StartFlow(run, *f, *ticket);
        return true;
      }
    }
  }
  // An answer to a pending invitation ("ya", "tidak, ada acara").
  if (run.context.rsvp_pending && ParseRsvp(text, true)) {
    for (const Flow* f : by_priority_) {
      if (f->guard == "rsvp") {
        StartFlow(run, *f, "");
        return true;
      }
    }
  }
  if (draft.is_object()) {
    if (const Flow* offer = FindFlow(kDraftFlow)) {
      json vars = json::object();
      vars[kDraftVar] = draft;
      vars[kDraftLabelVar] =
          catalog_.Render(kFlowLabelPrefix + draft.value("flow", ""),
                          json::object(), run.context.language);
      StartFlow(run, *offer, "", std::move(vars));
      return true;
    }
  }
  PhraseMatch best = BestPhrase(run);
  // A problem described without a keyword, from a resident with a recent
  // case, is about that case (issue 14 item 6): a note, not a new offer.
  if (best.flow != nullptr && best.topic && !run.context.case_tickets.empty() &&
      CaseNote(run)) {
    return true;
  }
  if (best.flow != nullptr) {
    StartPhrase(run, best);
    return true;
  }
  if (CaseNote(run)) return true;
  if (!fallback_to_menu) return false;
  Chatter(run);
  return true;
}

void Engine::Chatter(Run& run) const {
  const Flow* flow = FindFlow(kChatterFlow);
  if (flow == nullptr) {
    StartFlow(run, *FindFlow(kMenuFlow), "");
    return;
  }
  WordLists lists = flow->word_lists;
  if (const Flow* note = FindFlow(kNoteFlow)) {
    auto it = note->word_lists.find("thanks");
    if (it != note->word_lists.end()) lists["thanks"] = it->second;
  }
  // The hint is remembered in the closed session, so it survives Close.
  const json hinted = run.session().vars.value(kHintedVar, json());
  Close(run);
  if (hinted.is_number_integer()) run.session().vars[kHintedVar] = hinted;
  auto reply = [&](const char* key) {
    run.result.replies.push_back(MakeReply(key, json::object(), {}, run.context));
  };
  switch (ClassifyChatter(run.words(), lists)) {
    case ChatterKind::kSpam:
      return;  // no reply at all: an SMS spent on spam is wasted
    case ChatterKind::kThanks:
      reply(kThanksKey);
      return;
    case ChatterKind::kSalam:
      reply(kSalamKey);
      return;
    case ChatterKind::kGreeting:
      reply(kGreetingKey);
      return;
    case ChatterKind::kOther:
      break;
  }
  if (hinted.is_number_integer() &&
      run.context.now - hinted.get<int64_t>() < kHintQuietMs) {
    return;
  }
  reply(kShortKey);
  run.session().vars[kHintedVar] = run.context.now;
}

bool Engine::CaseNote(Run& run) const {
  const std::vector<std::string>& tickets = run.context.case_tickets;
  const Flow* flow = FindFlow(kNoteFlow);
  if (tickets.empty() || flow == nullptr) return false;
  auto list = [&](const char* name) -> const std::vector<std::vector<std::string>>& {
    static const std::vector<std::vector<std::string>> kNone;
    auto it = flow->word_lists.find(name);
    return it == flow->word_lists.end() ? kNone : it->second;
  };
  switch (ClassifyNote(run.words(), list("thanks"), list("courtesy"),
                       list("spam"))) {
    case NoteKind::kNone:
      return false;
    case NoteKind::kCourtesy:
      Close(run);
      run.result.replies.push_back(
          MakeReply("case.note_thanks", json::object(), {}, run.context));
      return true;
    case NoteKind::kNote:
      break;
  }
  const std::string note = Trim(run.text);
  if (tickets.size() == 1) {
    Close(run);
    Effect effect;
    effect.kind = "case_note";
    effect.data = {{"text", note}, {"ticket", tickets[0]}};
    effect.reply_key = "case.note_added";
    run.result.effects.push_back(std::move(effect));
    return true;
  }
  std::string joined, numbered;
  for (size_t i = 0; i < tickets.size(); ++i) {
    joined += (i ? " " : "") + tickets[i];
    numbered += (i ? "\n" : "") + std::to_string(i + 1) + ". " + tickets[i];
  }
  Close(run);
  StartFlow(run, *flow, "",
            {{"note", note}, {"tickets", joined}, {"list", numbered}});
  return true;
}

namespace {

// How many different words of the message `list` names, each word counted
// once however many entries it is a form of ("bangunan lg dibangun" is one,
// "bangun"); `first` is set to the earliest match.
int DistinctHits(const KeywordText& words, const std::vector<std::vector<std::string>>& list,
                 const std::set<std::string>& not_keywords, std::optional<KeywordMatch>* first) {
  std::set<std::string> stems;
  for (const std::vector<std::string>& entry : list) {
    std::optional<KeywordMatch> m = FindKeyword(words, {entry}, not_keywords);
    if (!m) continue;
    if (!*first || m->position < (*first)->position) *first = m;
    for (const KeywordText::Token& t : words.tokens()) {
      if (t.raw != m->position) continue;
      std::string stem = t.word;
      for (const std::string& form : t.forms) {
        if (form.size() < stem.size()) stem = form;
      }
      stems.insert(stem);
      break;
    }
  }
  return static_cast<int>(stems.size());
}

}  // namespace

Engine::PhraseMatch Engine::BestPhrase(const Run& run) const {
  // Keywords inside a sentence: a phrase that says what the person wants
  // ("mengusulkan") beats everything that only mentions something; among
  // phrases the one that starts earliest wins; at the same word, the longer
  // one, then the one with fewer typos, then the flow's priority.
  const std::string& text = run.text;
  PhraseMatch best;
  // Free text with a spam word ("pengajuan pinjaman", "undian") starts no
  // dialog; only a keyword at the start does.
  if (run.words().spam()) return best;
  const size_t words = run.words().raw_count();
  auto fits = [&](const Flow& f) {
    return f.max_words == 0 ||
           (words <= f.max_words && !LooksLikeBroadcast(text, f.max_words));
  };
  for (const Flow* f : by_priority_) {
    if (!fits(*f) || f->phrase_words.empty()) continue;
    std::optional<KeywordMatch> m = FindKeyword(run.words(), f->phrase_words, f->not_keywords);
    if (!m || !GuardPasses(run, *f)) continue;
    const KeywordMatch& b = best.match;
    bool better = best.flow == nullptr || m->position < b.position ||
                  (m->position == b.position &&
                   (m->length > b.length || (m->length == b.length && m->typos < b.typos)));
    if (better) best = {f, *m, false};
  }
  if (best.flow != nullptr) return best;
  // Topics and cues weigh the whole message: a topic counts two, a cue one
  // (each alone says little: "kering", "padahal", "tahun depan"); the flow
  // with the most wins if it reaches two, at a tie the one named first. An
  // advertisement names a number to call; its cues count for nothing.
  const bool cues_count = !HoldsPhoneNumber(text);
  int best_score = 0;
  for (const Flow* f : by_priority_) {
    if (!GuardPasses(run, *f)) continue;
    std::optional<KeywordMatch> first;
    int score = 0;
    if (fits(*f) && !f->topic_words.empty()) {
      score += 2 * DistinctHits(run.words(), f->topic_words, f->not_keywords, &first);
    }
    auto cues = f->word_lists.find("cues");
    if (cues_count && cues != f->word_lists.end() && !f->topic_start.empty()) {
      std::optional<KeywordMatch> first_cue;
      score += DistinctHits(run.words(), cues->second, f->not_keywords, &first_cue);
      if (!first) first = first_cue;
    }
    if (score < 2 || !first) continue;
    if (score > best_score ||
        (score == best_score && first->position < best.match.position)) {
      best = {f, *first, true};
      best_score = score;
    }
  }
  return best;
}

namespace {

// The token is one of the single words of `list`, as written or as a word
// form (no typos: these words decide between intents).
bool TokenIn(const KeywordText::Token& t,
             const std::vector<std::vector<std::string>>& list) {
  for (const std::vector<std::string>& entry : list) {
    if (entry.size() != 1) continue;
    if (t.word == entry[0] || std::ranges::find(t.forms, entry[0]) != t.forms.end()) {
      return true;
    }
  }
  return false;
}

const std::vector<std::vector<std::string>>& WordList(const Flow& flow,
                                                      const std::string& name) {
  static const std::vector<std::vector<std::string>> kNone;
  auto it = flow.word_lists.find(name);
  return it == flow.word_lists.end() ? kNone : it->second;
}

// The match follows a negation, directly or through one link word ("gk
// ada undangan"): the message denies it rather than asks for it.
bool DeniedAt(const KeywordText& words, const Flow& intent, size_t at) {
  const auto& tokens = words.tokens();
  if (at == 0 || at > tokens.size()) return false;
  const KeywordText::Token& before = tokens[at - 1];
  if (TokenIn(before, WordList(intent, "negations"))) return true;
  return at >= 2 && TokenIn(before, WordList(intent, "negation_links")) &&
         TokenIn(tokens[at - 2], WordList(intent, "negations"));
}

bool Denied(const KeywordText& words, const Flow& intent, const KeywordMatch& m) {
  const auto& tokens = words.tokens();
  size_t at = 0;
  while (at < tokens.size() && tokens[at].raw < m.position) ++at;
  return DeniedAt(words, intent, at);
}

}  // namespace

bool Engine::CaseQuestion(Run& run) const {
  const Flow* status = nullptr;
  for (const Flow* f : by_priority_) {
    if (f->accepts_ticket && status == nullptr) status = f;
  }
  if (status == nullptr || run.words().spam()) return false;
  const auto& cases = WordList(*status, "case_words");
  const auto& owners = WordList(*status, "owner_words");
  const auto& questions = WordList(*status, "question_words");
  const auto& anywhere = WordList(*status, "question_words_anywhere");
  if (questions.empty()) return false;
  const auto& tokens = run.words().tokens();
  // "aduan saya", "laporan kami", and "saya sdh kirim usulan", "saya yang
  // kemarin lapor": the person's own case, owner after or before it.
  constexpr size_t kOwnerWithin = 3;
  std::optional<size_t> from;
  bool own_case = false;
  if (ParseLeadingTicket(Trim(run.text))) from = 0;
  for (size_t i = 0; !from && i < tokens.size(); ++i) {
    if (!TokenIn(tokens[i], cases)) continue;
    for (size_t j = i + 1; j < tokens.size() && j <= i + kOwnerWithin; ++j) {
      if (TokenIn(tokens[j], owners)) {
        from = j;
        break;
      }
    }
    // Before it, only with a word that says it was sent already ("sudah",
    // "kemarin"): "saya mau lapor" is a new case.
    constexpr size_t kSentWithin = 6;  // "sdh sebulan lebih sy lapor"
    bool owner = false, past = false;
    for (size_t j = i >= kSentWithin ? i - kSentWithin : 0; j < i; ++j) {
      owner = owner || (j + kOwnerWithin >= i && TokenIn(tokens[j], owners));
      past = past || TokenIn(tokens[j], WordList(*status, "sent_words"));
    }
    // Right before it, the owner or the sending: "sy lapor", "sdh kirim
    // usulan"; not "saya minta lihat laporan" (someone else's report).
    const bool adjacent = i > 0 && (TokenIn(tokens[i - 1], owners) ||
                                    TokenIn(tokens[i - 1], WordList(*status, "sent_words")));
    own_case = own_case || (owner && past && adjacent);
  }
  own_case = own_case || from.has_value();
  // "apakah usulan pelatihan ... yang saya ajukan bulan lalu sudah masuk?":
  // a case word followed, however far, by "yang" and an owner word.
  for (size_t i = 0; !own_case && i < tokens.size(); ++i) {
    if (!TokenIn(tokens[i], cases)) continue;
    for (size_t k = i + 1; k + 1 < tokens.size(); ++k) {
      if (TokenIn(tokens[k], WordList(*status, "relative_words")) &&
          TokenIn(tokens[k + 1], owners)) {
        own_case = true;
        break;
      }
    }
  }
  auto start = [&] {
    StartFlow(run, *status, Trim(run.text));
    return true;
  };
  for (size_t k = from ? *from + 1 : tokens.size(); k < tokens.size(); ++k) {
    if (TokenIn(tokens[k], questions)) return start();
  }
  // Words that ask after a case wherever they stand ("apakah sudah ada
  // tindakan atas laporan saya?", "apa ada kabar diterima atau ditolak?").
  bool asks = run.text.find('?') != std::string::npos;
  for (const KeywordText::Token& t : tokens) {
    asks = asks || TokenIn(t, WordList(*status, "asking_words"));
  }
  // "udh 3x lapor gk ada tanggapan" states a complaint; it asks nothing.
  const Flow* intent = FindFlow(kIntentFlow);
  if (own_case && asks) {
    for (size_t k = 0; k < tokens.size(); ++k) {
      if (TokenIn(tokens[k], anywhere) &&
          (intent == nullptr || !DeniedAt(run.words(), *intent, k))) {
        return start();
      }
    }
  }
  return false;
}

bool Engine::AskIntent(Run& run) const {
  const Flow* intent = FindFlow(kIntentFlow);
  if (intent == nullptr || run.words().spam()) return false;
  // The flow a choice starts, or nullptr.
  auto target = [&](const ChoiceSpec& c) -> const Flow* {
    const Node* n = intent->Find(c.next);
    if (n == nullptr || n->type != NodeType::kAction ||
        n->action != ActionKind::kStartFlow) {
      return nullptr;
    }
    return FindFlow(n->flow);
  };
  // The flows the pairs offer that the message names by keyword or phrase.
  std::vector<std::string> named;
  std::vector<KeywordMatch> where;
  const size_t words = run.words().raw_count();
  for (const Node& n : intent->nodes) {
    for (const ChoiceSpec& c : n.choices) {
      const Flow* f = target(c);
      if (f == nullptr || std::ranges::find(named, f->name) != named.end()) continue;
      std::optional<KeywordMatch> m =
          MatchLeadingKeyword(run.words(), f->keyword_words, f->not_keywords);
      bool phrases = f->max_words == 0 ||
                     (words <= f->max_words && !LooksLikeBroadcast(run.text, f->max_words));
      if (!m && phrases) m = FindKeyword(run.words(), f->phrase_words, f->not_keywords);
      // A typo is no second intent: "pengadaan" is not "pengaduan".
      if (!m || m->typos > 0 || Denied(run.words(), *intent, *m)) continue;
      named.push_back(f->name);
      where.push_back(*m);
    }
  }
  if (named.size() != 2) return false;
  // One phrase inside the other ("laporan usulan" at one word) is one intent.
  const KeywordMatch& a = where[0].position <= where[1].position ? where[0] : where[1];
  const KeywordMatch& b = where[0].position <= where[1].position ? where[1] : where[0];
  if (a.position == b.position) return false;
  for (const Node& n : intent->nodes) {
    if (n.type != NodeType::kAsk || n.choices.size() != 2) continue;
    std::set<std::string> offered;
    for (const ChoiceSpec& c : n.choices) {
      if (const Flow* f = target(c)) offered.insert(f->name);
    }
    if (offered != std::set<std::string>(named.begin(), named.end())) continue;
    SessionState& s = run.session();
    s.flow = intent->name;
    s.vars = json::object();
    // The message itself waits for the answer: the chosen flow reads it as
    // if it had been routed there (the story is not asked again).
    s.vars[kMessageVar] = run.text;
    s.vars[kIntentsVar] = named;
    Enter(run, *intent, n.id, "");
    return true;
  }
  return false;
}

std::string Engine::ChosenIntentText(const Flow& chosen, const json& vars) const {
  std::string text = TextFor(chosen, vars.value(kMessageVar, std::string()));
  const Flow* intent = FindFlow(kIntentFlow);
  if (text.empty() || intent == nullptr) return text;
  std::vector<std::vector<std::string>> other_words = WordList(*intent, "connectors");
  for (const json& name : vars.value(kIntentsVar, json::array())) {
    const Flow* other = name.is_string() ? FindFlow(name.get<std::string>()) : nullptr;
    if (other == nullptr || other == &chosen) continue;
    other_words.insert(other_words.end(), other->keyword_words.begin(), other->keyword_words.end());
    other_words.insert(other_words.end(), other->phrase_words.begin(), other->phrase_words.end());
  }
  const KeywordText words(text);
  for (const KeywordText::Token& t : words.tokens()) {
    if (!t.courtesy && !TokenIn(t, other_words)) return text;
  }
  return "";
}

bool Engine::NamedTicket(Run& run) const {
  std::optional<std::string> ticket = FindTicket(run.text);
  if (!ticket) return false;
  for (const Flow* f : by_priority_) {
    if (!f->accepts_ticket) continue;
    StartFlow(run, *f, *ticket);
    return true;
  }
  return false;
}

void Engine::StartPhrase(Run& run, const PhraseMatch& best) const {
  const Flow& flow = *best.flow;
  if (FilesCase(flow) && NamedTicket(run)) return;
  // A phrase read through a typo ("adakan" for "adukan") is a guess: the
  // message is offered, never filed on it.
  const bool guess = best.topic || (best.match.typos > 0 && FilesCase(flow));
  if (guess && !flow.topic_start.empty()) {
    SessionState& s = run.session();
    s.flow = flow.name;
    s.node.clear();
    s.vars = json::object();
    s.vars[flow.topic_var] = Trim(run.text);
    Enter(run, flow, flow.topic_start, "");
    return;
  }
  StartFlow(run, flow, best.topic ? Trim(run.text) : WithoutCourtesy(best.match.rest));
}

void Engine::StartFlow(Run& run, const Flow& flow, const std::string& rest,
                       json vars) const {
  SessionState& s = run.session();
  s.flow = flow.name;
  s.node.clear();
  s.vars = std::move(vars);
  Enter(run, flow, flow.start, rest);
}

void Engine::Enter(Run& run, const Flow& flow, const std::string& node_id,
                   const std::string& rest) const {
  if (++run.hops > kMaxHops) {
    Fail(run);
    return;
  }
  const Node* node = flow.Find(node_id);
  if (node == nullptr) {  // validated at load; defensive only
    Fail(run);
    return;
  }
  if (node->type == NodeType::kAction) {
    RunAction(run, flow, *node, rest);
    return;
  }
  json& vars = run.session().vars;
  if (node->type == NodeType::kAsk && rest.empty()) {
    const bool correcting = vars.contains(kReturnVar);
    const bool set = vars.contains(node->var) && !vars[node->var].is_null() &&
                     !(vars[node->var].is_string() && vars[node->var].get<std::string>().empty());
    // Known already (said in the opening, or inferred): not asked again.
    // While correcting, the new answer's words count again (a corrected
    // desa answer brings its dusun), but nothing is skipped unasked.
    // Leaving a node unasked goes where answering it would: on, or back to
    // the read-back when correcting one field.
    auto skip = [&] { Enter(run, flow, NextAfter(run, *node, node->next), ""); };
    if ((!correcting && node->skip_if_set && set) ||
        (!node->infer_from.empty() && (!set || correcting) && Infer(run, *node))) {
      skip();
      return;
    }
    bool must_ask = false;
    if (auto it = vars.find(kMustAskVar); it != vars.end() && it->is_array()) {
      auto at = std::ranges::find(*it, json(node->id));
      must_ask = at != it->end();
      if (must_ask) it->erase(at);
      if (it->empty()) vars.erase(it);
    }
    if (!correcting && node->infer_only && !must_ask) {
      if (node->parser == ParserKind::kChoice && !node->fallback.empty() && !set) {
        for (const ChoiceSpec& c : node->choices) {
          if (c.id != node->fallback) continue;
          vars[node->var] = c.id;
          vars[node->var + "_label"] =
              catalog_.Render(c.label, json::object(), kReferenceLanguage);
        }
      }
      skip();
      return;
    }
  }
  run.session().flow = flow.name;
  run.session().node = node->id;
  run.session().vars.erase(kMissesVar);
  // Content after a keyword answers the first question ("USUL jembatan"),
  // unless it is only politeness ("sy mau usulan pak", "lapor, tolong").
  std::string answer = OnlyFillers(rest) ? std::string() : rest;
  if (!answer.empty() && node_id == flow.start && node->type == NodeType::kAsk &&
      node->parser == ParserKind::kText) {
    answer = WithoutTrailingFillers(answer);  // "jembatan gantung pak"
  }
  if (!answer.empty()) {
    Input prefill;
    prefill.text = answer;
    if (TryAnswer(run, flow, *node, prefill) != Answer::kNo) return;
  }
  Prompt(run, flow, *node, node->prompt);
}

Effect Engine::CaseEffect(const char* kind, const SessionState& s, const Node& node) const {
  json vars = PublicVars(s.vars);
  Effect effect;
  effect.kind = kind;
  effect.data["summary"] =
      CaseSummary(node.summary, PromptParams(nullptr, vars, kReferenceLanguage));
  std::string desa;
  if (!node.desa_var.empty() && vars.contains(node.desa_var) &&
      vars[node.desa_var].is_string()) {
    desa = vars[node.desa_var].get<std::string>();
  }
  effect.data["desa"] = desa;
  // The dialog that filed it: the gateway links that dialog's messages.
  effect.data["flow"] = s.flow;
  effect.data["fields"] = std::move(vars);
  effect.reply_key = node.reply;
  return effect;
}

void Engine::CreateCase(Run& run, const Flow& flow, const Node& node) const {
  Effect effect = CaseEffect("create_case", run.session(), node);
  const json& vars = effect.data["fields"];
  effect.data["type"] = node.case_type;
  bool confidential = node.confidential;
  if (!node.confidential_var.empty()) {
    auto it = vars.find(node.confidential_var);
    confidential = false;
    if (it != vars.end() && it->is_boolean()) confidential = it->get<bool>();
    if (it != vars.end() && it->is_string()) {
      confidential =
          std::ranges::find(node.confidential_values, it->get<std::string>()) !=
          node.confidential_values.end();
    }
  }
  effect.data["confidential"] = confidential;
  json flags = json::array();
  for (const FlagSpec& f : node.flags) {
    auto it = vars.find(f.var);
    if (it == vars.end() || !it->is_string()) continue;
    if (FindKeyword(it->get<std::string>(), f.words)) flags.push_back(f.flag);
  }
  effect.data["flags"] = flags;
  run.result.effects.push_back(std::move(effect));
  if (node.next.empty()) {
    Close(run);
    return;
  }
  // Filed at once; the details come after. The next question rides on the
  // reply that gives the ticket (Effect::follow_up): one message.
  run.filed_effect = static_cast<int>(run.result.effects.size()) - 1;
  run.filed_asking = node.reply_asking.empty() ? node.reply : node.reply_asking;
  Enter(run, flow, node.next, "");
  run.filed_effect = -1;
}

void Engine::UpdateCase(Run& run, const Node& node) const {
  SessionState& s = run.session();
  // Filed by this same message: the case already holds every answer.
  if (run.filed_effect >= 0 || !s.vars.contains(kTicketVar) ||
      !s.vars[kTicketVar].is_string()) {
    Close(run);
    return;
  }
  Effect effect = CaseEffect("update_case", s, node);
  effect.data["ticket"] = s.vars[kTicketVar];
  run.result.effects.push_back(std::move(effect));
  Close(run);
}

bool Engine::Infer(Run& run, const Node& node) const {
  json& vars = run.session().vars;
  auto source = vars.find(node.infer_from);
  if (source == vars.end() || !source->is_string()) return false;
  const std::string text = Trim(source->get<std::string>());
  if (text.empty()) return false;
  switch (node.parser) {
    case ParserKind::kChoice: {
      // Only a choice's own words, and only one choice's: never a number
      // ("RT 3" is no choice) or a label word ("tidak").
      const ChoiceSpec* found = nullptr;
      for (const ChoiceSpec& c : node.choices) {
        if (c.words.empty() || !FindKeyword(text, c.words)) continue;
        if (found != nullptr) return false;
        found = &c;
      }
      if (found == nullptr) return false;
      vars[node.var] = found->id;
      vars[node.var + "_label"] =
          catalog_.Render(found->label, json::object(), kReferenceLanguage);
      return true;
    }
    case ParserKind::kPlace: {
      // A place's whole name as words of the text, and only one place's.
      std::vector<std::string> words = Words(NormalizeText(text));
      const Place* found = nullptr;
      for (const Place* p : PlacesFor(node, vars)) {
        std::vector<std::string> name = Words(NormalizeText(p->name));
        if (name.empty() || name.size() > words.size()) continue;
        bool hit = false;
        for (size_t i = 0; i + name.size() <= words.size() && !hit; ++i) {
          hit = std::equal(name.begin(), name.end(), words.begin() + static_cast<std::ptrdiff_t>(i));
        }
        if (!hit) continue;
        if (found != nullptr) return false;
        found = p;
      }
      if (found != nullptr) {
        vars[node.var] = found->code;
        vars[node.var + "_name"] = found->name;
        return true;
      }
      // Free text the flow allows, when it says more than a parent place:
      // "Gitik, dusun Krajan RT 2" is the location under Gitik.
      if (!node.allow_text || node.parent_var.empty()) return false;
      // The words that name the parent (or nearly: "Kaotn") are the
      // parent's; the rest, as typed, is the location.
      std::string parent = vars.value(node.parent_var + "_name", "");
      std::vector<std::string> parent_words = Words(NormalizeText(parent));
      std::string rest;
      size_t extra = 0;
      std::istringstream typed{text};
      for (std::string raw; typed >> raw;) {
        std::vector<std::string> w = Words(NormalizeText(raw));
        bool of_parent = !w.empty() && std::ranges::any_of(parent_words, [&](const std::string& p) {
          return w[0] == p || (p.size() >= 5 && EditDistance(w[0], p, 1) <= 1);
        });
        if (of_parent || w.empty()) continue;
        rest += (rest.empty() ? "" : " ") + raw;
        ++extra;
      }
      while (!rest.empty() && (rest.front() == ',' || rest.front() == ' ')) rest.erase(0, 1);
      if (extra < 2) return false;
      vars[node.var] = "";
      vars[node.var + "_name"] = rest;
      return true;
    }
    default:
      return false;
  }
}

void Engine::RunAction(Run& run, const Flow& flow, const Node& node,
                       const std::string& rest) const {
  SessionState& s = run.session();
  switch (node.action) {
    case ActionKind::kCreateCase:
      CreateCase(run, flow, node);
      return;
    case ActionKind::kUpdateCase:
      UpdateCase(run, node);
      return;
    case ActionKind::kStatusQuery: {
      Effect effect;
      effect.kind = "status_query";
      std::optional<std::string> ticket = FindTicket(rest);
      effect.data["ticket"] = ticket.value_or("");
      if (!ticket) {
        if (std::optional<long long> n = ParseBareCaseNumber(rest)) {
          effect.data["number"] = *n;
        }
      }
      effect.reply_key = node.reply;
      run.result.effects.push_back(std::move(effect));
      Close(run);
      return;
    }
    case ActionKind::kOptOut:
    case ActionKind::kOptIn: {
      Effect effect;
      effect.kind = node.action == ActionKind::kOptOut ? "opt_out" : "opt_in";
      effect.reply_key = node.reply;
      run.result.effects.push_back(std::move(effect));
      Close(run);
      return;
    }
    case ActionKind::kStartFlow: {
      const Flow* target = FindFlow(node.flow);
      if (target == nullptr) {
        Fail(run);
        return;
      }
      // After the two-intents question: the first message, read for the
      // chosen flow (its text after that flow's keyword or phrase).
      std::string given = rest;
      if (s.vars.contains(kMessageVar)) given = ChosenIntentText(*target, s.vars);
      StartFlow(run, *target, given);
      return;
    }
    case ActionKind::kReply:
      run.result.replies.push_back(MakeReply(
          node.reply, PromptParams(&flow, s.vars, run.context.language), {},
          run.context));
      Close(run);
      return;
    case ActionKind::kCancel: {
      std::string key =
          run.was_open || node.reply_none.empty() ? node.reply : node.reply_none;
      json params = json::object();
      // The dialog had filed its case: only the questions stop.
      if (!run.filed_ticket.empty() && !node.reply_filed.empty()) {
        key = node.reply_filed;
        params["ticket"] = run.filed_ticket;
      }
      run.result.replies.push_back(MakeReply(key, params, {}, run.context));
      Close(run);
      return;
    }
    case ActionKind::kEffect: {
      Effect effect;
      effect.kind = node.effect;
      json strings = json::object();
      for (const auto& [key, value] : s.vars.items()) {
        strings[key] = value.is_string() ? value : json(value.dump());
      }
      for (const auto& [key, value] : node.data.items()) {
        effect.data[key] = Substitute(value.get<std::string>(), strings);
      }
      if (!node.reply_language_var.empty()) {
        std::string language = s.vars.value(node.reply_language_var, "");
        Context in_new_language = run.context;
        in_new_language.language = language;
        if (!node.reply.empty()) {
          run.result.replies.push_back(
              MakeReply(node.reply, json::object(), {}, in_new_language));
        }
      } else {
        effect.reply_key = node.reply;
      }
      run.result.effects.push_back(std::move(effect));
      if (node.wait.empty()) {
        Close(run);
      } else {
        s.node = node.wait;
      }
      return;
    }
    case ActionKind::kRsvp: {
      // "kontraktornya masih blm datang" with no invitation pending: about
      // the person's case, not a meeting.
      if (!run.context.rsvp_pending && !s.vars.contains("answer") &&
          CaseNote(run)) {
        return;
      }
      if (!s.vars.contains("answer")) {
        std::optional<RsvpAnswer> answer = ParseRsvp(run.text, true);
        s.vars["answer"] = answer ? answer->answer : "hadir";
        s.vars["reason"] = answer ? answer->reason : "";
      }
      Effect effect;
      effect.kind = "rsvp";
      effect.data["answer"] = s.vars.value("answer", "hadir");
      effect.data["reason"] = s.vars.value("reason", "");
      if (s.vars.contains("choice") && s.vars["choice"].is_number_integer()) {
        effect.data["choice"] = s.vars["choice"];
      }
      // "dua2nya", "semua": every invitation the question listed.
      if (s.vars.value("choice", json()) == kAllValue) effect.data["all"] = true;
      effect.reply_key = node.reply;
      run.result.effects.push_back(std::move(effect));
      if (node.wait.empty()) {
        Close(run);
      } else {
        s.node = node.wait;
        s.vars.erase("choice");
      }
      return;
    }
    case ActionKind::kResumeDraft: {
      json draft = s.vars.value(kDraftVar, json::object());
      const Flow* target = FindFlow(draft.value("flow", ""));
      const Node* at =
          target != nullptr ? target->Find(draft.value("node", "")) : nullptr;
      if (at == nullptr || at->type == NodeType::kAction) {
        Fail(run);
        return;
      }
      s.flow = target->name;
      s.node = at->id;
      s.vars = draft.value("vars", json::object());
      Prompt(run, *target, *at, at->prompt);
      return;
    }
    case ActionKind::kDiscardDraft:
      run.result.replies.push_back(
          MakeReply(node.reply, json::object(), {}, run.context));
      Close(run);
      return;
  }
}

Engine::Answer Engine::TryAnswer(Run& run, const Flow& flow, const Node& node,
                                 const Input& input) const {
  json& vars = run.session().vars;
  if (node.type == NodeType::kConfirm) {
    if (Answer a = TryCorrection(run, flow, node, input); a != Answer::kNo) {
      return a;
    }
    std::optional<YesNo> answer = AnswerYesNo(input);
    if (!answer || *answer == YesNo::kUnknown) return Answer::kNo;
    if (*answer == YesNo::kYes) {
      Enter(run, flow, node.yes, "");
    } else {
      if (!node.no_reply.empty()) {
        run.result.replies.push_back(MakeReply(
            node.no_reply, PromptParams(&flow, vars, run.context.language), {},
            run.context));
      }
      Enter(run, flow, node.no, "");
    }
    return Answer::kAdvanced;
  }

  std::string next = node.next;
  std::string text = Trim(input.text);
  run.leftover.clear();
  // The skip is listed last: its number skips where a bare number is no
  // answer (a count of 1 is; an amount of "1" is not).
  bool skip_number = false;
  if (node.skippable && input.choice_id.empty() &&
      node.parser != ParserKind::kNumber && node.parser != ParserKind::kCount &&
      node.parser != ParserKind::kIndex) {
    std::optional<size_t> n = ChoiceNumber(text);
    skip_number = n && *n == ChoicesFor(node, vars, run.context.language).size();
  }
  if (node.skippable && (input.choice_id == kSkipId || skip_number ||
                         (input.choice_id.empty() && IsSkip(text)))) {
    vars[node.var] = "";
    if (node.parser == ParserKind::kRupiah) vars[node.var + "_text"] = "";
  } else {
    switch (node.parser) {
      case ParserKind::kText: {
        if (text.empty() && input.location) text = Coordinates(*input.location);
        if (text.empty()) text = Trim(input.choice_id);
        if (text.empty()) return Answer::kNo;
        vars[node.var] = text;
        break;
      }
      case ParserKind::kNumber: {
        std::optional<int64_t> n = FirstNumber(text);
        if (!n) return Answer::kNo;
        vars[node.var] = *n;
        break;
      }
      case ParserKind::kIndex: {
        std::optional<size_t> n = ChoiceNumber(text);
        if (!n && !node.all_words.empty() && !text.empty() &&
            FindKeyword(text, node.all_words)) {
          vars[node.var] = kAllValue;
          break;
        }
        if (!n) return Answer::kNo;
        vars[node.var] = static_cast<int64_t>(*n);
        break;
      }
      case ParserKind::kCount: {
        std::optional<int64_t> n =
            node.labels.empty() ? ParseCount(text) : OwnFigure(flow, node, text);
        if (!n) return Answer::kNo;
        // More poor households than households: asked again, not stored.
        if (!node.at_most_var.empty() && vars.contains(node.at_most_var) &&
            vars[node.at_most_var].is_number_integer() &&
            *n > vars[node.at_most_var].get<int64_t>()) {
          Prompt(run, flow, node, node.too_many);
          return Answer::kAsked;
        }
        vars[node.var] = *n;
        break;
      }
      case ParserKind::kRupiah: {
        std::expected<int64_t, RupiahError> amount = ParseRupiah(text);
        if (!amount) {
          if (amount.error() == RupiahError::kAmbiguous &&
              !node.ambiguous.empty()) {
            Prompt(run, flow, node, node.ambiguous);
            return Answer::kAsked;
          }
          return Answer::kNo;
        }
        vars[node.var] = *amount;
        vars[node.var + "_text"] = FormatRupiah(*amount);
        break;
      }
      case ParserKind::kYesNo: {
        std::optional<YesNo> answer = AnswerYesNo(input);
        if (!answer) return Answer::kNo;
        if (*answer == YesNo::kUnknown) {
          if (!node.default_yes) return Answer::kNo;
          answer = *node.default_yes ? YesNo::kYes : YesNo::kNo;
        }
        vars[node.var] = *answer == YesNo::kYes;
        break;
      }
      case ParserKind::kDate: {
        if (text.empty()) return Answer::kNo;
        ParsedDateTime when = ParseDateTime(text, run.context.now,
                                            run.context.utc_offset_minutes);
        using Status = ParsedDateTime::Status;
        if (when.status == Status::kUnclear && !node.unclear.empty() &&
            !vars.value(kUnclearVar, false)) {
          vars[kUnclearVar] = true;
          Prompt(run, flow, node, node.unclear);
          return Answer::kAsked;
        }
        if (when.status != Status::kOk && !node.allow_text) return Answer::kNo;
        vars.erase(kUnclearVar);
        vars[node.var] = text;
        vars[node.var + "_date"] = when.IsoDate();
        vars[node.var + "_time"] = when.IsoTime();
        break;
      }
      case ParserKind::kPlace: {
        Answer a = AnswerPlace(run, node, input);
        if (a != Answer::kAdvanced) return a;
        break;
      }
      case ParserKind::kChoice: {
        const ChoiceSpec* picked = AnswerChoice(run, node, input);
        if (picked == nullptr) return Answer::kNo;
        if (!node.var.empty()) {
          vars[node.var] = picked->id;
          vars[node.var + "_label"] = catalog_.Render(
              picked->label, json::object(), kReferenceLanguage);
        }
        if (!picked->next.empty()) next = picked->next;
        if (!node.return_to.empty() && picked->next != node.return_to) {
          vars[kReturnVar] = node.return_to;
          Enter(run, flow, next, "");
          return Answer::kAdvanced;
        }
        break;
      }
      case ParserKind::kTicket: {
        std::optional<LeadingTicket> t = ParseLeadingTicket(text);
        if (!t) return Answer::kNo;
        vars[node.var] = t->ticket;
        run.leftover = t->rest;
        break;
      }
      case ParserKind::kCode: {
        // Up to two words, kept apart by one space: "spp 01" is SPP01 and
        // "spp melati" may be MELATI; the caller, who knows the groups,
        // decides (notices::Notices::Join).
        std::string code;
        size_t letters = 0;
        int words = 0;
        std::istringstream split{CodeWords(flow, text)};
        for (std::string w; split >> w;) {
          if (++words > 2) break;
          std::string part;
          for (char c : w) {
            unsigned char u = static_cast<unsigned char>(c);
            if (std::isalnum(u) || c == '-' || c == '_') {
              part.push_back(static_cast<char>(std::toupper(u)));
            }
          }
          if (part.empty()) continue;
          letters += part.size();
          code += (code.empty() ? "" : " ") + part;
        }
        if (letters < 2 || letters > 20) return Answer::kNo;
        vars[node.var] = code;
        break;
      }
    }
  }
  if (!node.fills.empty() && !text.empty() && vars.value(node.var, json()) != "") {
    FillFigures(run, flow, node, text);
  }
  next = NextAfter(run, node, std::move(next));
  std::string leftover = std::move(run.leftover);
  run.leftover.clear();
  Enter(run, flow, next, leftover);
  return Answer::kAdvanced;
}

std::string Engine::NextAfter(Run& run, const Node& node,
                              std::string next) const {
  // Correcting one field: back to where the correction started.
  json& vars = run.session().vars;
  if (vars.contains(kReturnVar) && vars[kReturnVar].is_string() &&
      (!node.continue_field || run.direct_fix)) {
    next = vars[kReturnVar].get<std::string>();
    vars.erase(kReturnVar);
  }
  return next;
}

namespace {

std::vector<FigureLabels> FigureFieldsOf(const Flow& flow, const Node& node) {
  std::vector<FigureLabels> fields;
  if (!node.labels.empty()) fields.push_back({node.id, node.labels});
  for (const std::string& id : node.fills) {
    const Node* target = flow.Find(id);
    if (target != nullptr && target != &node) {
      fields.push_back({target->id, target->labels});
    }
  }
  return fields;
}

}  // namespace

std::optional<int64_t> Engine::OwnFigure(const Flow& flow, const Node& node,
                                         const std::string& text) const {
  Figures figures = ParseFigures(text, FigureFieldsOf(flow, node));
  for (const auto& [field, value] : figures.values) {
    if (field == node.id) return value;
  }
  // No label at all: a count as before ("40", "lima puluh rumah").
  if (figures.values.empty()) return ParseCount(text);
  // "40, 12 miskin": the one number without a label is this one.
  if (figures.unlabelled.size() == 1) return figures.unlabelled.front();
  return std::nullopt;
}

void Engine::FillFigures(Run& run, const Flow& flow, const Node& node,
                         const std::string& text) const {
  json& vars = run.session().vars;
  Figures figures = ParseFigures(text, FigureFieldsOf(flow, node));
  for (const auto& [field, value] : figures.values) {
    if (field == node.id) continue;
    const Node* target = flow.Find(field);
    if (target == nullptr || target->var.empty()) continue;
    // More poor households than households: its own question asks again.
    if (!target->at_most_var.empty() && vars.contains(target->at_most_var) &&
        vars[target->at_most_var].is_number_integer() &&
        value > vars[target->at_most_var].get<int64_t>()) {
      json& must = vars[kMustAskVar];
      if (!must.is_array()) must = json::array();
      if (std::ranges::find(must, json(field)) == must.end()) must.push_back(field);
      continue;
    }
    vars[target->var] = value;
  }
}

Engine::Answer Engine::TryCorrection(Run& run, const Flow& flow,
                                     const Node& confirm,
                                     const Input& input) const {
  if (!input.choice_id.empty() || Trim(input.text).empty()) return Answer::kNo;
  const Node* fix = flow.Find(confirm.no);
  if (fix == nullptr || fix->type != NodeType::kAsk ||
      fix->parser != ParserKind::kChoice || fix->return_to != confirm.id) {
    return Answer::kNo;
  }
  // "ya, sudah benar" stays a yes even if it names a field.
  if (AnswerYesNo(input) == YesNo::kYes) return Answer::kNo;
  const json& vars = run.session().vars;
  const Node* target = nullptr;
  std::string value;
  // The field named by its words: the earliest in the message.
  std::optional<KeywordMatch> best;
  for (const ChoiceSpec& c : fix->choices) {
    const Node* field = flow.Find(c.next);
    if (c.words.empty() || field == nullptr || field->type != NodeType::kAsk) {
      continue;
    }
    std::optional<KeywordMatch> m = FindKeyword(run.words(), c.words);
    if (m && (!best || m->position < best->position ||
              (m->position == best->position && m->length > best->length))) {
      best = m;
      target = field;
    }
  }
  if (target != nullptr) {
    value = CorrectedValue(best->rest);
  } else if (HasCorrectionMarker(run.text)) {
    // "bukan Gitik tp Kaotan": the old value of a field is named.
    for (const ChoiceSpec& c : fix->choices) {
      const Node* field = flow.Find(c.next);
      if (field == nullptr || field->type != NodeType::kAsk || field->var.empty() ||
          (field->parser != ParserKind::kPlace && field->parser != ParserKind::kText)) {
        continue;
      }
      auto shown = vars.find(field->parser == ParserKind::kPlace
                                 ? field->var + "_name"
                                 : field->var);
      if (shown == vars.end() || !shown->is_string()) continue;
      const std::string old = shown->get<std::string>();
      std::vector<std::string> old_words = KeywordWords(old);
      if (old_words.empty() || old_words.size() > 3 || old.size() < 3) continue;
      if (FindKeyword(run.words(), {old_words})) {
        target = field;
        break;
      }
    }
    if (target == nullptr) return Answer::kNo;
    value = CorrectedValue(run.text);
    if (value.empty()) return Answer::kNo;
  } else {
    return Answer::kNo;
  }
  run.session().vars[kReturnVar] = confirm.id;
  if (!value.empty()) {
    Input corrected;
    corrected.text = value;
    run.direct_fix = true;
    Answer a = TryAnswer(run, flow, *target, corrected);
    run.direct_fix = false;
    if (a != Answer::kNo) return a;
  }
  // The field named without a value that fits: its question.
  Enter(run, flow, target->id, "");
  return Answer::kAdvanced;
}

const ChoiceSpec* Engine::AnswerChoice(const Run& run, const Node& node,
                                       const Input& input,
                                       bool use_default) const {
  // A button, or the number of one in the list.
  std::string text = Trim(input.text);
  std::optional<size_t> number = ChoiceNumber(text);
  for (size_t i = 0; i < node.choices.size(); ++i) {
    const ChoiceSpec& c = node.choices[i];
    bool hit = input.choice_id.empty() ? number && *number == i + 1
                                       : input.choice_id == c.id;
    if (hit) return &node.choices[i];
  }
  if (!input.choice_id.empty() || number || text.empty()) return nullptr;
  // The id or the label typed whole, in any language, exactly: "musdes" is
  // Musdes even though it is one letter from "musdus".
  std::string normalized = NormalizeText(WithoutTrailingFillers(text));
  auto labels = [&](const ChoiceSpec& c) {
    return std::vector<std::string>{
        NormalizeText(c.id),
        NormalizeText(catalog_.Render(c.label, json::object(), run.context.language)),
        NormalizeText(catalog_.Render(c.label, json::object(), kReferenceLanguage))};
  };
  for (const ChoiceSpec& c : node.choices) {
    for (const std::string& l : labels(c)) {
      if (!normalized.empty() && normalized == l) return &c;
    }
  }
  // A choice's words (or its id) inside the answer ("pungli", "MUSDES pak",
  // "yang anonim saja"): the best match wins if no other choice ties.
  const ChoiceSpec* best = nullptr;
  bool tie = false;
  KeywordMatch best_match;
  for (const ChoiceSpec& c : node.choices) {
    std::vector<std::vector<std::string>> words = c.words;
    std::vector<std::string> id = KeywordWords(c.id);
    if (id.size() == 1 && id[0].size() >= 4) words.push_back(id);
    if (words.empty()) continue;
    std::optional<KeywordMatch> m = FindKeyword(text, words);
    if (!m) continue;
    bool better = best == nullptr || m->typos < best_match.typos ||
                  (m->typos == best_match.typos && m->length > best_match.length);
    bool same = best != nullptr && m->typos == best_match.typos &&
                m->length == best_match.length;
    if (better) {
      best = &c;
      best_match = *m;
      tie = false;
    } else if (same) {
      tie = true;
    }
  }
  if (best != nullptr && !tie) return best;
  // The id or label with one typo, if only one choice is that close.
  const ChoiceSpec* close = nullptr;
  int close_count = 0;
  if (normalized.size() >= 4) {
    for (const ChoiceSpec& c : node.choices) {
      std::vector<std::string> l = labels(c);
      if (EditDistance(normalized, l[0], 1) <= 1 ||
          EditDistance(normalized, l[1], 1) <= 1) {
        close = &c;
        ++close_count;
      }
    }
  }
  if (close_count == 1) return close;
  auto find = [&](const std::string& id) -> const ChoiceSpec* {
    for (const ChoiceSpec& c : node.choices) {
      if (c.id == id) return &c;
    }
    return nullptr;
  };
  YesNo yn = ParseYesNo(text);
  if (yn == YesNo::kYes && !node.yes_choice.empty()) return find(node.yes_choice);
  if (yn == YesNo::kNo && !node.no_choice.empty()) return find(node.no_choice);
  if (use_default && !node.default_choice.empty()) return find(node.default_choice);
  return nullptr;
}

void Engine::Retry(Run& run, const Flow& flow, const Node& node) const {
  json& vars = run.session().vars;
  int misses = vars.value(kMissesVar, 0) + 1;
  vars[kMissesVar] = misses;
  if (misses >= kMissesBeforeFallback && node.type == NodeType::kAsk) {
    Input pick;
    if (!node.fallback.empty()) pick.choice_id = node.fallback;
    else if (node.skippable) pick.choice_id = kSkipId;
    if (!pick.choice_id.empty() &&
        TryAnswer(run, flow, node, pick) != Answer::kNo) {
      return;
    }
  }
  Prompt(run, flow, node, node.retry.empty() ? node.prompt : node.retry);
  if (misses == kMissesBeforeFallback) {
    run.result.replies.push_back(
        MakeReply(kStuckKey, json::object(), {}, run.context));
  }
}

std::optional<YesNo> Engine::AnswerYesNo(const Input& input) {
  if (input.choice_id == kYesId) return YesNo::kYes;
  if (input.choice_id == kNoId) return YesNo::kNo;
  if (!input.choice_id.empty()) return YesNo::kUnknown;
  // The numbered choices are 1. yes, 2. no.
  if (std::optional<size_t> n = ChoiceNumber(input.text)) {
    if (*n == 1) return YesNo::kYes;
    if (*n == 2) return YesNo::kNo;
    return YesNo::kUnknown;
  }
  if (Trim(input.text).empty()) return std::nullopt;  // nothing to read
  return ParseYesNo(input.text);
}

Engine::Answer Engine::AnswerPlace(Run& run, const Node& node,
                                   const Input& input) const {
  json& vars = run.session().vars;
  std::vector<const Place*> places = PlacesFor(node, vars);
  // After an ambiguous name, the numbers pick among the offered places.
  std::vector<const Place*> offered;
  if (vars.contains(kPlaceOptionsVar)) {
    for (const json& code : vars[kPlaceOptionsVar]) {
      for (const Place* p : places) {
        if (code.is_string() && p->code == code.get<std::string>()) {
          offered.push_back(p);
        }
      }
    }
    vars.erase(kPlaceOptionsVar);
  }
  // A long list is shown a page at a time: its numbers pick on that page.
  std::vector<const Place*> numbered = offered.empty() ? places : offered;
  bool paged = offered.empty() && places.size() > kMaxListedPlaces;
  size_t page = vars.value(kPlacePageVar, size_t{0});
  if (paged) {
    size_t first = std::min(page * kPlacesPerPage, places.size());
    size_t last = std::min(first + kPlacesPerPage, places.size());
    numbered.assign(places.begin() + static_cast<std::ptrdiff_t>(first),
                    places.begin() + static_cast<std::ptrdiff_t>(last));
  }
  std::string text = Trim(input.text);
  if (!text.empty()) vars[kSaidPrefix + node.var] = text;
  const Place* found = nullptr;
  if (!input.choice_id.empty()) {
    for (const Place* p : places) {
      if (p->code == input.choice_id) found = p;
    }
  }
  size_t number = 0;  // 0: no number
  if (input.choice_id.empty()) number = ChoiceNumber(text).value_or(0);
  if (paged && (input.choice_id == kMorePlacesId || text == "0" ||
                number == numbered.size() + 1)) {
    size_t pages = (places.size() + kPlacesPerPage - 1) / kPlacesPerPage;
    vars[kPlacePageVar] = (page + 1) % pages;
    const Flow* flow = FindFlow(run.session().flow);
    Prompt(run, *flow, node, node.prompt);
    return Answer::kAsked;
  }
  if (found == nullptr && number > 0 && number <= numbered.size()) {
    found = numbered[number - 1];
  }
  if (found == nullptr && !text.empty() && input.choice_id.empty()) {
    std::vector<std::string> names;
    for (const Place* p : places) names.push_back(p->name);
    std::vector<size_t> hits = MatchPlaces(text, names);
    if (hits.size() == 1) {
      found = places[hits[0]];
    } else if (hits.size() > 1) {
      json options = json::array();
      std::vector<Choice> choices;
      for (size_t i : hits) {
        options.push_back(places[i]->code);
        choices.push_back({places[i]->code, places[i]->name});
      }
      vars[kPlaceOptionsVar] = options;
      run.result.replies.push_back(MakeReply(kPlaceWhichKey, json::object(),
                                             std::move(choices), run.context));
      return Answer::kAsked;
    }
  }
  if (found != nullptr) {
    vars.erase(kPlacePageVar);
    vars[node.var] = found->code;
    // "Dusun Krajan RT 02": keep the RT the person added to the name.
    bool more = node.allow_text && !text.empty() && !ChoiceNumber(text) &&
                Words(text).size() > Words(found->name).size() + 1;
    vars[node.var + "_name"] = more ? text : found->name;
    return Answer::kAdvanced;
  }
  if (input.location) {
    vars[node.var + "_lat"] = input.location->latitude;
    vars[node.var + "_lon"] = input.location->longitude;
    if (text.empty()) text = Coordinates(*input.location);
    if (!node.allow_text && !places.empty()) {
      const Flow* flow = FindFlow(run.session().flow);
      Prompt(run, *flow, node,
             node.after_pin.empty() ? node.prompt : node.after_pin);
      return Answer::kAsked;
    }
  }
  // Free text is kept where the flow allows it, and always when no places
  // are configured (otherwise the question could never be answered).
  if ((node.allow_text || places.empty()) && !text.empty() &&
      !ChoiceNumber(text)) {
    vars[node.var] = "";
    vars[node.var + "_name"] = text;
    return Answer::kAdvanced;
  }
  return Answer::kNo;
}

void Engine::Prompt(Run& run, const Flow& flow, const Node& node,
                    const std::string& key) const {
  const json& vars = run.session().vars;
  json params = PromptParams(&flow, vars, run.context.language);
  if (run.filed_effect >= 0 && key == node.prompt) {
    // Right after filing: one message gives the ticket and asks.
    Effect& filed = run.result.effects[static_cast<size_t>(run.filed_effect)];
    filed.reply_key = run.filed_asking;
    filed.follow_up = MakeReply(key, params, ChoicesFor(node, vars, run.context.language),
                                run.context);
    return;
  }
  // A read-back shows each answer shortened (a long story is the case's,
  // not the SMS's): one or two segments, never seven.
  if (node.type == NodeType::kConfirm) {
    for (auto& [name, value] : params.items()) {
      if (value.is_string()) value = ShortenForReadBack(value.get<std::string>());
    }
    // A field never asked (not said in the opening) reads as "-".
    if (std::optional<std::string> text = catalog_.Find(key, run.context.language)) {
      for (const std::string& name : Placeholders(*text)) {
        if (!params.contains(name)) params[name] = "-";
      }
    }
  }
  run.result.replies.push_back(MakeReply(key, params, ChoicesFor(node, vars, run.context.language),
                                         run.context));
}

void Engine::Fail(Run& run) const {
  Close(run);
  run.result.replies.push_back(
      MakeReply(kErrorKey, json::object(), {}, run.context));
}

std::vector<const Place*> Engine::PlacesFor(const Node& node,
                                            const json& vars) const {
  std::vector<const Place*> out;
  std::string parent = node.parent;
  if (!node.parent_var.empty()) {
    parent = vars.value(node.parent_var, std::string());
    if (parent.empty()) return out;  // no desa known: no dusun to offer
  }
  for (const Place& p : options_.places) {
    if (p.parent_code.empty()) continue;
    if (!parent.empty()) {
      if (p.parent_code != parent) continue;
    } else {
      // A desa: its parent is not itself under something (that would make
      // it a dusun).
      bool nested = false;
      for (const Place& q : options_.places) {
        nested = nested || (q.code == p.parent_code && !q.parent_code.empty());
      }
      if (nested) continue;
    }
    out.push_back(&p);
  }
  return out;
}

std::vector<Choice> Engine::ChoicesFor(const Node& node, const json& vars,
                                       const std::string& language) const {
  std::vector<Choice> out;
  if (node.type == NodeType::kConfirm ||
      (node.type == NodeType::kAsk && node.parser == ParserKind::kYesNo)) {
    out.push_back({kYesId, catalog_.Render(kYesKey, json::object(), language)});
    out.push_back({kNoId, catalog_.Render(kNoKey, json::object(), language)});
  } else if (node.type == NodeType::kAsk && node.parser == ParserKind::kChoice) {
    for (const ChoiceSpec& c : node.choices) {
      out.push_back({c.id, catalog_.Render(c.label, json::object(), language)});
    }
  } else if (node.type == NodeType::kAsk &&
             node.parser == ParserKind::kPlace) {
    std::vector<const Place*> places = PlacesFor(node, vars);
    if (places.size() <= kMaxListedPlaces) {
      for (const Place* p : places) out.push_back({p->code, p->name});
    } else {
      // A page of the list, then "more" (which wraps to the first page).
      size_t first = vars.value(kPlacePageVar, size_t{0}) * kPlacesPerPage;
      for (size_t i = first; i < places.size() && i < first + kPlacesPerPage; ++i) {
        out.push_back({places[i]->code, places[i]->name});
      }
      out.push_back({kMorePlacesId,
                     catalog_.Render(kMorePlacesKey, json::object(), language)});
    }
  }
  if (node.type == NodeType::kAsk && node.skippable) {
    out.push_back({kSkipId, catalog_.Render(kSkipKey, json::object(), language)});
  }
  return out;
}

json Engine::PromptParams(const Flow* flow, const json& vars,
                          const std::string& language) const {
  json params = json::object();
  for (const auto& [key, value] : vars.items()) {
    if (value.is_boolean()) {
      params[key] = catalog_.Render(value.get<bool>() ? kYesKey : kNoKey,
                                    json::object(), language);
    } else if (value.is_string()) {
      params[key] = value.get<std::string>().empty() ? json("-") : value;
    } else if (value.is_number()) {
      params[key] = value.dump();
    }
  }
  // Choice labels in the contact's language.
  if (flow != nullptr) {
    for (const Node& n : flow->nodes) {
      if (n.type != NodeType::kAsk || n.parser != ParserKind::kChoice ||
          n.var.empty() || !vars.contains(n.var) || !vars[n.var].is_string()) {
        continue;
      }
      for (const ChoiceSpec& c : n.choices) {
        if (c.id == vars[n.var].get<std::string>()) {
          params[n.var + "_label"] =
              catalog_.Render(c.label, json::object(), language);
        }
      }
    }
  }
  return params;
}

std::string Engine::NumberList(size_t n, const std::string& language) const {
  if (n > kMaxSpelledChoices) return "1-" + std::to_string(n);
  std::string out;
  for (size_t i = 1; i <= n; ++i) {
    if (i > 1) {
      out += i == n ? " " + catalog_.Render(kOrKey, json::object(), language) + " "
                    : ", ";
    }
    out += std::to_string(i);
  }
  return out;
}

Reply Engine::MakeReply(const std::string& key, const json& params,
                        std::vector<Choice> choices,
                        const Context& context) const {
  Reply reply;
  reply.key = key;
  reply.text = catalog_.Render(key, params, context.language);
  bool numbered = !choices.empty() &&
                  (!RendersChoicesAsButtons(context.channel_type) ||
                   (context.channel_type == "whatsapp" &&
                    choices.size() > kMaxWhatsAppChoices));
  if (numbered) {
    for (size_t i = 0; i < choices.size(); ++i) {
      reply.text += "\n" + std::to_string(i + 1) + ". " + choices[i].label;
    }
    if (choices.size() > 1) {
      reply.text += "\n" + catalog_.Render(
                               kReplyChoicesKey,
                               {{"numbers", NumberList(choices.size(),
                                                       context.language)}},
                               context.language);
    }
    // Buttons only where the channel can show them all.
    if (RendersChoicesAsButtons(context.channel_type)) choices.clear();
  }
  reply.choices = std::move(choices);
  return reply;
}

Reply Engine::Render(const std::string& key, const json& params,
                     const std::string& language) const {
  Reply reply;
  reply.key = key;
  reply.text = catalog_.Render(key, params, language);
  return reply;
}

std::vector<std::string> Engine::FlowNames() const {
  std::vector<std::string> names;
  for (const Flow& f : flows_) names.push_back(f.name);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<CatalogEntry> Engine::Entries() const {
  std::vector<CatalogEntry> out;
  for (const std::string& language : catalog_.Languages()) {
    for (const std::string& key : catalog_.Keys(language)) {
      out.push_back({language, key, *catalog_.Find(key, language)});
    }
  }
  return out;
}

}  // namespace

std::expected<std::unique_ptr<Dialogs>, LoadErrors> LoadDialogs(
    const Sources& sources, const Options& options) {
  LoadErrors errors;
  Catalog catalog;
  catalog.Load(sources.locales, &errors.problems);
  for (const char* key : kEngineKeys) {
    if (!catalog.Keys(kReferenceLanguage).empty() && !catalog.Has(key)) {
      errors.problems.push_back(std::string("id.json: ") + key +
                                ": missing; the engine uses it");
    }
  }
  std::vector<Flow> flows = LoadFlows(sources.flows, catalog, &errors.problems);
  for (const Flow& f : flows) {
    if (f.name != kChatterFlow) continue;
    for (const char* key : kChatterKeys) {
      if (!catalog.Has(key)) {
        errors.problems.push_back(std::string("id.json: ") + key +
                                  ": missing; salam.json's chatter answers use it");
      }
    }
  }
  for (const Flow& f : flows) {
    if (!f.keep_draft) continue;
    std::string key = kFlowLabelPrefix + f.name;
    if (!catalog.Has(key)) {
      errors.problems.push_back("id.json: " + key + ": missing; " + f.name +
                                ".json keeps drafts, whose offer names it");
    }
  }
  if (!errors.problems.empty()) return std::unexpected(std::move(errors));
  return std::make_unique<Engine>(std::move(catalog), std::move(flows),
                                  options);
}

}  // namespace suaradesa::dialogs
