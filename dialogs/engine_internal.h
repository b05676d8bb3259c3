// The dialog engine's inside, shared by the files that implement it:
// engine.cc (stepping through flows, actions, prompts and replies),
// routing.cc (what a message with no open question starts) and answers.cc
// (reading an answer to the open question). Not part of the public
// interface: include dialogs/engine.h instead.
#ifndef SUARADESA_DIALOGS_ENGINE_INTERNAL_H_
#define SUARADESA_DIALOGS_ENGINE_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/catalog.h"
#include "dialogs/chatter.h"
#include "dialogs/engine.h"
#include "dialogs/flow.h"
#include "dialogs/intent_model.h"
#include "dialogs/parsers/keywords.h"
#include "dialogs/parsers/rsvp.h"
#include "dialogs/parsers/yes_no.h"

namespace suaradesa::dialogs::internal {


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
// The last line of the note's "which case?" list (routing.cc CaseNote).
constexpr char kNewCaseKey[] = "case.note_new";
constexpr const char* kEngineKeys[] = {
    kYesKey, kNoKey, kErrorKey, kSkipKey, kOrKey, kReplyChoicesKey,
    kPlaceWhichKey, kStuckKey, kMorePlacesKey};
// The keys Engine::Chatter answers with, required when salam.json is loaded.
constexpr const char* kChatterKeys[] = {kThanksKey, kSalamKey, kGreetingKey, kShortKey};

constexpr char kMenuFlow[] = "menu";
constexpr char kDraftFlow[] = "lanjut";
constexpr char kNoteFlow[] = "catatan";
// How sure the intent model must be to place a message alone (no list
// placed it), chosen by holding out one training set at a time so that the
// guesses taken stay right 97.5% of the time (intent_model_test.cc): 0.95
// until blind sets 17 and 18 brought it to 97.1% there. With 20-22 it is
// 97.7% at 0.95 again, but 0.95 then took a real SMS of chit-chat ("kita
// lewat kolam renang? ...") for a proposal: 0.97 (98.2%) stays.
constexpr double kDecideAlone = 0.97;
// The flow a note that is a new problem after all is offered to.
constexpr char kNewCaseFlow[] = "pengaduan";
// catatan.json's question "an addition to this case, or a new one?".
constexpr char kNoteOneNode[] = "one";

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

// Forms of address people end a message with ("... jembatan gantung pak");
// recognition data.
constexpr std::string_view kCourtesy[] = {
    "pak", "bu", "bapak", "ibu", "min", "admin", "mas", "mbak", "bpk", "bapa",
    "kak", "ya", "yah", "nggih", "njih", "terima", "kasih", "makasih", "mksh",
    "tks", "thx", "trims", "matur", "nuwun", "suwun", "pls", "tolong"};

constexpr size_t kReadBackBytes = 60;
// The most of a group code's surrounding words kept for the caller: a
// message of three SMS.
constexpr size_t kCodeWordsBytes = 480;

// Text helpers (engine.cc).
size_t WhitespaceWords(std::string_view text);
bool RendersChoicesAsButtons(const std::string& channel_type);
std::optional<size_t> ChoiceNumber(const std::string& text);
bool IsSkip(const std::string& text);
std::optional<int64_t> FirstNumber(const std::string& text);
std::optional<std::string> FindTicket(const std::string& text);
std::string Coordinates(const Location& l);
bool HoldsPhoneNumber(std::string_view text);
std::string CodeWords(const Flow& flow, std::string_view rest);
// A join or leave written topic first, in any clause of a short message
// ("spp melati saya mau ikut", "posyandu mawar anak saya 2 tahun daftar
// mau. cara bagaimana?": a kind of group from the flow's group_words or a
// group's code, after one of its topic_prefixes or not, then within a few
// words one of topic_verbs not after one of topic_negations, and after it
// only topic_tail_words), as the flow's first keyword and the words from
// the group to the verb ("gabung posyandu mawar anak saya 2 tahun");
// nullopt otherwise.
std::optional<std::string> TopicFirstRequest(const Flow& flow, std::string_view text);
// Whether `code_words` (CodeWords' result) open with one of the flow's
// "group_words" ("posyandu mawar buat cucu saya").
bool OpensWithGroup(const Flow& flow, std::string_view code_words);
// The first clause of `rest`, up to one of `breaks` followed by a space, or
// a new line ("KELUAR karang taruna, sy sdh tua": "karang taruna").
std::string FirstClause(std::string_view rest, const char* breaks = ",.;!?");
// The message keeps the other groups ("yang lain tetap", "liyane gpp"), as
// `flow`'s keep_others list them (keluar's; a stop narrows to keluar).
bool KeepsOthers(const KeywordText& words, const Flow& flow);
std::string WithoutCourtesy(const std::string& rest);
std::string ShortenForReadBack(const std::string& text);
std::string CaseSummary(const std::string& templ, const json& strings);
std::string TextFor(const Flow& flow, const std::string& message);
bool FilesCase(const Flow& flow);
json PublicVars(const json& vars);

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
    chatter_lists_ = ChatterLists();
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
    // The message `typed` to `session`, as Step receives it.
    Run(const Context& c, const SessionState& session, std::string typed)
        : context(c), result{session, {}, {}}, text(std::move(typed)) {}
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
    // What LooksLikeBroadcast reads of `text`, made once for every flow's
    // word limit, and again if `text` changes.
    const BroadcastShape& shape() const {
      if (!shape_ || shape_text_ != text) {
        shape_ = ShapeOf(text);
        shape_text_ = text;
      }
      return *shape_;
    }
    mutable std::optional<BroadcastShape> shape_;  // shape()'s cache
    mutable std::string shape_text_;               // the text shape_ was read from
    // The intent model's guess for `text`: several checks ask it.
    const IntentGuess& guess() const {
      if (!guess_ || guess_text_ != text) {
        guess_ = DefaultIntentModel().Guess(words());
        guess_text_ = text;
      }
      return *guess_;
    }
    mutable std::optional<IntentGuess> guess_;  // guess()'s cache
    mutable std::string guess_text_;            // the text guess_ was made for
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
    // An answer read from part of the message gave way to the case the
    // whole reads as: the invitation's flow is not started by it.
    bool answer_yields = false;
  };

  enum class Answer { kNo, kAdvanced, kAsked };

  const Flow* FindFlow(const std::string& name) const;
  // The flow that takes tickets (status.json), whose word lists say how a
  // case is asked after; nullptr when none does.
  const Flow* TicketFlow() const;
  // Routes a message with no dialog open. Returns false only when nothing
  // matched and `fallback_to_menu` is false.
  bool RouteNew(Run& run, const json& draft, bool fallback_to_menu) const;
  bool GuardPasses(const Run& run, const Flow& flow) const;
  // The fallback for a message nothing else understood, from a contact with
  // recent cases (Context::case_tickets): a note on the case, the question
  // which case, or a courteous answer to thanks. False: not a note.
  // `own_case`: the flow that would file the message as a case of its own
  // (a topic word or a confident guess); with one recent case the resident
  // is then asked (catatan.json node "one") instead of the note being
  // attached, and with several the list's last choice offers that flow.
  bool CaseNote(Run& run, const Flow* own_case = nullptr) const;
  // The message carries a word that marks it as a follow-up on an earlier
  // report ("masih", "lagi", "tambahan": catatan.json "follow_up").
  bool FollowsUp(const Run& run) const;
  // No dialog open and nothing understood (dialogs/chatter.h): a greeting
  // or thanks gets one short courteous line, spam no reply at all, anything
  // else one short hint to type MENU, at most once in kHintQuietMs (the
  // time is kept in the closed session's "_hinted_at"), else nothing. The
  // full menu only on MENU.
  void Chatter(Run& run) const;
  WordLists ChatterLists() const;
  // The flow a message without a leading keyword names: by the earliest
  // phrase, else by the weight of its topics and cues (see BestPhrase).
  struct PhraseMatch {
    const Flow* flow = nullptr;
    KeywordMatch match;
    bool topic = false;
    // Placed by a phrase, a topic word or a confident model guess, not by
    // cues alone: the message reads as a case of its own.
    bool strong = false;
  };
  PhraseMatch BestPhrase(const Run& run) const;
  // Whether a phrase `m` of a help flow (phrases_first: the menu's "ini
  // nomor untuk lapor") answers the message: not after a case's story told
  // first; past the flow's length (`ends_only`) only when nothing follows
  // it or it opens a short closing question after too few words for a
  // matter.
  bool HelpPhraseStands(const Run& run, const KeywordMatch& m, bool ends_only) const;
  // The flow a message without a leading keyword starts: BestPhrase, with
  // the intent model deciding a story placed by weight alone, or nothing.
  PhraseMatch Placed(const Run& run) const;
  // The weight of topics and cues alone (BestPhrase's second step);
  // `cases_only`: among the flows that file a case.
  PhraseMatch BestTopic(const Run& run, bool cases_only = false) const;
  // When the phrase `named` is only a case noun naming the subject
  // (maksud.json "mentions", not after one of its "wish_words"), and another
  // case flow's topic words outweigh those of the flow the noun names: that
  // topic match. Otherwise no flow.
  PhraseMatch TopicOverMention(const Run& run, const KeywordMatch& named) const;
  // A colon follows the noun `named`, at once or after one owner word
  // ("usulan saya: ..."): it labels the text that follows.
  bool LabelsRest(const KeywordMatch& named) const;
  // A leading keyword that is the subject, one's own case ("usulan kami
  // sudah disetujui tapi dananya dipotong"): an owner word right after it
  // (status.json "owner_words"), then as TopicOverMention.
  PhraseMatch TopicOverSubject(const Run& run, const KeywordMatch& keyword) const;
  // What the intent model guesses for a story with at least
  // `min_probability`: one of the flows marked "guessable", or `nothing`
  // when it is that sure the message starts no dialog (labelled "menu");
  // neither when it is less sure.
  struct Guess {
    const Flow* flow = nullptr;
    bool nothing = false;
  };
  Guess Guessed(const Run& run, double min_probability) const;
  // A message about to file a case that the model is sure asks after an
  // earlier one ("Usulan PAUD kami kemarin lolos MAD gak?", in any
  // language it learnt) or after a meeting: the status or schedule flow
  // instead. Filing a question as a new case is the costliest mistake
  // routing can make. With `files`, the flow whose keyword opens the
  // message (the poster's form), a message that asks nothing and states a
  // problem (one of that flow's topics) is that problem, filed.
  bool AsksAfterCase(Run& run, const Flow* files) const;
  // At catatan's "which case?": the last number or a new-case word offers
  // the note as a new complaint instead. False: an answer about a case.
  bool NewCaseInstead(Run& run, const Flow& flow, const Input& input) const;
  // A question about one's case without a fixed phrase, by the word lists
  // of the flow that takes tickets: a ticket then a question word ("ADU
  // 0012 gmn"), or a case word, an owner word within three words and a
  // question word after them ("usulan sy yg kmrn gmn"). Starts that flow.
  bool CaseQuestion(Run& run) const;
  // Whether the words after a case keyword say anything to file: not only
  // numbers, courtesy, and the asking and empty words of the flow that
  // takes tickets ("laporan 0112 gmn pak", "lapor apa aja di sini?" ask;
  // "ADUAN pungli" says).
  bool SaysSomething(const std::string& rest) const;
  // One word of SaysSomething's: not courtesy, and not only asking.
  bool SaysWord(const KeywordText::Token& t) const;
  // The message told its story before the phrase `m` of `flow` ("KADES
  // POTONG BLT ... SAYA MAU LAPOR"): four or more words that are no filler,
  // no question, and the weight of `flow`'s topics.
  bool ToldBefore(const Run& run, const Flow& flow, const KeywordMatch& m) const;
  // The group a stop names ("stop info PKK aja", "jangan kirim info
  // posyandu lagi"), by `flow`'s word lists group_words and all_words: the
  // group's words and a number after them ("spp 04"). Empty: no group, or
  // a word of all ("stop semua info, SPP juga aja"). The reply to leaving
  // says how to stop everything.
  std::string OneGroupNamed(const Run& run, const Flow& flow) const;
  // A message that would file a case but names a ticket ("mohon info
  // tindak lanjut aduan ADU-104", "usl-9 sdh disetujui?") is about that
  // case: the ticket flow starts with it. False: no ticket named, or one
  // of `flow`'s about_tickets ("ADUAN USL-12 talud retak": the activity
  // complained of).
  bool NamedTicket(Run& run, const Flow& flow) const;
  // Two close intents in one message ("mau lapor dan usul"): the intent
  // flow's (maksud.json) question whose choices are exactly the two flows
  // named by keyword or phrase. False: not two close intents.
  bool AskIntent(Run& run) const;
  // After that question: what the chosen flow reads from the first message
  // (TextFor), or "" when it says nothing beyond the other intent and
  // connecting words ("mau lapor dan usul": no story to file).
  std::string ChosenIntentText(const Flow& chosen, const json& vars) const;
  void StartPhrase(Run& run, const PhraseMatch& best) const;
  // A case keyword whose first sentence ends asking ("pak laporan jembatan
  // gantung RT 9 gmn? masih miring"): by the ticket flow's asking_words
  // before the first "?". Such a message is offered (Offer), never filed.
  bool AsksFirst(const Run& run) const;
  // A case keyword followed only by how to use it ("usul caranya gimana
  // pak", "USUL itu ketiknya bagaimana"): by the menu's how_words (at least
  // one) and how_fillers. Such a message gets the menu; nothing is filed.
  bool AsksHowOnly(std::string_view rest) const;
  // A case keyword `m` right after a typed word and followed by a contrast
  // word, or within three words by a meaning word (menu.json's lists):
  // "ketik USUL tapi tak ada balasan", "ketik usul itu gimana maksudnya".
  bool TypedButFailed(const KeywordText& words, const KeywordMatch& m) const;
  // The question the case phrase `m` of `flow` stands in (after the last
  // "?" before it) asks only how, as AsksHowAround: "nomor tuh utk narai
  // aja? kawa kah lapor masalah desa lewat sini".
  bool AsksHowInQuestion(const Run& run, const Flow& flow, const KeywordMatch& m) const;
  // A question about what happens if one sends a case ("kalau saya lapor,
  // apakah nama saya disebut?"): one of status.json's conditional_words
  // within three words before the case phrase `m`, and a question mark.
  bool AsksIfSent(const Run& run, const KeywordMatch& m) const;
  // The message asks how to do something: one of the menu's how_nouns
  // ("caranya"), or a phrase of the menu's with one of its how_words ("ketik
  // apa", "formatnya bagaimana").
  bool AsksHowTo(const KeywordText& words) const;
  // What follows a case phrase ends with a question asking leave to tell
  // ("Boleh kita sampaikan?"), and says little before it.
  bool AsksLeave(const std::string& rest) const;
  // What follows a case phrase opens with "but" and ends with a question
  // ("mau usul tapi ... bagaimana?"): an obstacle asked about.
  bool ObstacleAsked(const std::string& rest) const;
  // Every word but the match's is a how_word, a how_filler or a courtesy
  // word, and one is a how_word ("cakmano nak ngadu lewat siko").
  bool AsksHowAround(const KeywordText& words, const KeywordMatch& m) const;
  // Offers the whole message to `flow` (its topic_start: "file this as a
  // complaint?"), as for a guess. False: the flow has no offer.
  bool Offer(Run& run, const Flow& flow) const;
  void StartFlow(Run& run, const Flow& flow, const std::string& rest,
                 json vars = json::object()) const;
  void Enter(Run& run, const Flow& flow, const std::string& node_id,
             const std::string& rest) const;
  void RunAction(Run& run, const Flow& flow, const Node& node,
                 const std::string& rest) const;
  void CreateCase(Run& run, const Flow& flow, const Node& node) const;
  void UpdateCase(Run& run, const Node& node) const;
  // What create_case and update_case both carry: the fields (the public
  // vars), summary, desa and the flow.
  struct CaseFields {
    json fields;
    std::string summary;
    std::string desa;
    std::string flow;
  };
  CaseFields CaseFieldsOf(const SessionState& s, const Node& node) const;
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
  // misses the node's fallback, a skip (also of a figure with none, when
  // the message is a skip word), or a word about cancelling.
  void Retry(Run& run, const Flow& flow, const Node& node, const Input& input) const;
  // nullopt if there is nothing to read (an empty message).
  static std::optional<YesNo> AnswerYesNo(const Input& input);
  void Prompt(Run& run, const Flow& flow, const Node& node,
              const std::string& key) const;
  void Close(Run& run) const { run.session() = SessionState{}; }
  void Fail(Run& run) const;

  std::vector<const Place*> PlacesFor(const Node& node, const json& vars) const;
  // The place an answer to `node` (asks_place) gives and nothing else, or
  // nullptr.
  // The one place of `question`'s list whose whole name stands among the
  // words of `text` (nullptr, and *several set, when more than one does).
  const Place* PlaceNamedIn(const Node& question, const json& vars, const std::string& text,
                            bool* several) const;
  // OnlyPlace, or one place named after a leading yes word ("ya, Gitik").
  const Place* PlaceWithYes(const Flow& flow, const Node& node, const json& vars,
                            const std::string& text) const;
  // The place `node.asks_place` names is set, or the flow's place question
  // infers it (and sets it) from the story.
  bool PlaceKnown(Run& run, const Flow& flow, const Node& node) const;
  const Place* OnlyPlace(const Flow& flow, const Node& node, const json& vars,
                         const std::string& text) const;
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
  // What Chatter sorts free text by: the chatter flow's word lists with the
  // note flow's thanks and wishes. Built once, at construction.
  WordLists chatter_lists_;
  const Options options_;
};

}  // namespace suaradesa::dialogs::internal

#endif  // SUARADESA_DIALOGS_ENGINE_INTERNAL_H_
