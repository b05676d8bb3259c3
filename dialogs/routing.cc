// Routing: what a message starts when no question is open, or when it does
// not answer the open one (see engine.h): a ticket, an invitation's answer,
// a question about one's case, two close intents, a phrase, the weight of
// topics and cues, a note on a recent case, or a courteous line.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "dialogs/case_note.h"
#include "dialogs/chatter.h"
#include "dialogs/engine_internal.h"
#include "dialogs/intent_model.h"
#include "dialogs/lexicon.h"
#include "dialogs/normalize.h"
#include "dialogs/parsers/correction.h"
#include "dialogs/parsers/datetime.h"
#include "dialogs/parsers/fillers.h"
#include "dialogs/parsers/keywords.h"
#include "dialogs/parsers/numbers.h"
#include "dialogs/parsers/places.h"
#include "dialogs/parsers/rsvp.h"
#include "dialogs/parsers/rupiah.h"
#include "dialogs/parsers/yes_no.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs::internal {

namespace {

// A number written with its leading zero, as tickets are ("0112"); a count
// or a length is not written so, and a phone number ("081234567890") is
// longer.
bool TicketNumber(const KeywordText::Token& t) {
  constexpr size_t kMaxTicketDigits = 6;
  return t.word.size() >= 3 && t.word.size() <= kMaxTicketDigits && t.word[0] == '0' &&
         std::ranges::all_of(t.word, [](char c) { return c >= '0' && c <= '9'; });
}

// A ticket's number alone ("0087", "0087 pak"), as a reply gave it.
std::optional<std::string> TicketNumberAlone(const KeywordText& words) {
  const auto& tokens = words.tokens();
  const size_t lead = words.lead();
  if (lead >= tokens.size() || !TicketNumber(tokens[lead])) return std::nullopt;
  for (size_t i = lead + 1; i < tokens.size(); ++i) {
    if (!tokens[i].courtesy) return std::nullopt;
  }
  return tokens[lead].word;
}

}  // namespace

const Flow* Engine::TicketFlow() const {
  for (const Flow* f : by_priority_) {
    if (f->accepts_ticket) return f;
  }
  return nullptr;
}

bool Engine::GuardPasses(const Run& run, const Flow& flow) const {
  if (flow.guard == "rsvp") {
    return !run.answer_yields && ParseRsvp(run.text, run.context.rsvp_pending).has_value();
  }
  return true;
}

Engine::PhraseMatch Engine::Placed(const Run& run) const {
  PhraseMatch best = BestPhrase(run);
  // A story placed only by the weight of its topics and cues, or not at
  // all: the intent model, which reads new writers better than the lists
  // (README), decides when it is confident, also that it is nothing.
  if (best.flow == nullptr || best.topic) {
    // Over the lists' own placing, only a near-certain guess.
    constexpr double kOverrule = 0.99;
    Guess guess = Guessed(run, best.flow == nullptr ? kDecideAlone : kOverrule);
    if (guess.flow != nullptr) {
      best = {guess.flow, KeywordMatch{}, true, true};
    } else if (guess.nothing) {
      best = {};
    }
  }
  return best;
}

bool Engine::RouteNew(Run& run, const json& draft,
                      bool fallback_to_menu) const {
  const std::string& text = run.text;
  std::optional<std::string> ticket = ParseTicket(text);
  if (!ticket) ticket = TicketNumberAlone(run.words());
  if (ticket) {
    for (const Flow* f : by_priority_) {
      if (f->accepts_ticket) {
        StartFlow(run, *f, *ticket);
        return true;
      }
    }
  }
  // An answer to a pending invitation ("ya", "tidak, ada acara"). One read
  // from a part of the message gives way when the message reads as a case:
  // "BLT saya belum cair padahal saya sakit, maaf pak" is a complaint.
  std::optional<RsvpAnswer> answer;
  if (run.context.rsvp_pending) answer = ParseRsvp(text, true);
  if (answer && answer->partial) {
    // Read as if no invitation waited (its guard would let the answer win).
    Context uninvited = run.context;
    uninvited.rsvp_pending = false;
    Run alone(uninvited, run.result.session, run.text);
    const PhraseMatch placed = Placed(alone);
    // With one of the case's topic words: not by a guess or a case noun
    // alone ("maaf, hari itu saya jualan. saya titip usulan ke kak Rahmah").
    if (placed.flow != nullptr && FilesCase(*placed.flow) &&
        FindKeyword(alone.words(), placed.flow->topic_words, placed.flow->not_keywords)) {
      answer.reset();
      run.answer_yields = true;
    }
  }
  if (answer) {
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
  PhraseMatch best = Placed(run);
  // A problem described without a keyword, from a resident with a recent
  // case, is about that case (issue 14 item 6): a note, not a new offer.
  // One that reads as a case of its own (a topic word or a confident model
  // guess, no follow-up word) is not attached unasked: the resident is asked
  // whether it adds to the case or is a new one.
  if (best.flow != nullptr && best.topic && !run.context.case_tickets.empty()) {
    const Flow* own = best.strong && FilesCase(*best.flow) && !FollowsUp(run) ? best.flow : nullptr;
    if (CaseNote(run, own)) return true;
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

WordLists Engine::ChatterLists() const {
  const Flow* flow = FindFlow(kChatterFlow);
  if (flow == nullptr) return {};
  WordLists lists = flow->word_lists;
  if (const Flow* note = FindFlow(kNoteFlow)) {
    for (const char* name : {"thanks", "wishes"}) {
      auto it = note->word_lists.find(name);
      if (it != note->word_lists.end()) lists[name] = it->second;
    }
  }
  return lists;
}

void Engine::Chatter(Run& run) const {
  if (FindFlow(kChatterFlow) == nullptr) {
    StartFlow(run, *FindFlow(kMenuFlow), "");
    return;
  }
  // The hint is remembered in the closed session, so it survives Close.
  const json hinted = run.session().vars.value(kHintedVar, json());
  Close(run);
  if (hinted.is_number_integer()) run.session().vars[kHintedVar] = hinted;
  auto reply = [&](const char* key) {
    run.result.replies.push_back(MakeReply(key, json::object(), {}, run.context));
  };
  switch (ClassifyChatter(run.words(), chatter_lists_)) {
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

bool Engine::FollowsUp(const Run& run) const {
  const Flow* flow = FindFlow(kNoteFlow);
  if (flow == nullptr) return false;
  auto it = flow->word_lists.find("follow_up");
  if (it == flow->word_lists.end()) return false;
  std::optional<KeywordMatch> m = FindKeyword(run.words(), it->second, {});
  return m.has_value() && m->typos == 0;
}

bool Engine::CaseNote(Run& run, const Flow* own_case) const {
  const std::vector<std::string>& tickets = run.context.case_tickets;
  const Flow* flow = FindFlow(kNoteFlow);
  if (tickets.empty() || flow == nullptr) return false;
  auto list = [&](const char* name) -> const KeywordList& {
    static const KeywordList kNone;
    auto it = flow->word_lists.find(name);
    return it == flow->word_lists.end() ? kNone : it->second;
  };
  switch (ClassifyNote(run.words(), list("thanks"), list("courtesy"), list("wishes"),
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
  // The last choice: the message is a new case, offered to `own_case`'s
  // flow (a complaint unless the router read a proposal).
  const Flow* offered = own_case != nullptr ? own_case : FindFlow(kNewCaseFlow);
  std::string new_key = kNewCaseKey;
  if (offered != nullptr && offered->name != kNewCaseFlow &&
      catalog_.Has(new_key + "_" + offered->name)) {
    new_key += "_" + offered->name;
  }
  const std::string new_label = catalog_.Render(new_key, json::object(), run.context.language);
  const std::string new_flow = offered != nullptr ? offered->name : std::string(kNewCaseFlow);
  if (tickets.size() == 1 && own_case != nullptr) {
    Close(run);
    SessionState& s = run.session();
    s.flow = flow->name;
    s.vars = {{"note", note},      {"tickets", tickets[0]}, {"ticket", tickets[0]},
              {"new", new_label},  {"new_number", "2"},     {"new_flow", new_flow}};
    Enter(run, *flow, kNoteOneNode, "");
    return true;
  }
  if (tickets.size() == 1) {
    Close(run);
    dialogs::CaseNote added;
    added.text = note;
    added.ticket = tickets[0];
    run.result.effects.push_back(Effect{std::move(added), "case.note_added", {}});
    return true;
  }
  std::string joined, numbered;
  for (size_t i = 0; i < tickets.size(); ++i) {
    joined += (i ? " " : "") + tickets[i];
    numbered += (i ? "\n" : "") + std::to_string(i + 1) + ". " + tickets[i];
  }
  // And a way out: the message may be a new problem, not a note.
  const size_t new_number = tickets.size() + 1;
  numbered += "\n" + std::to_string(new_number) + ". " + new_label;
  Close(run);
  StartFlow(run, *flow, "",
            {{"note", note}, {"tickets", joined}, {"list", numbered},
             {"new_number", std::to_string(new_number)}, {"new_flow", new_flow}});
  return true;
}

namespace {

// How many words at the start of `text` a request may stand in to lead a
// longer message (Flow::leads): its first clause; or its first sentence,
// and after a greeting sentence of a few words ("Dengan hormat.", "Selamat
// sore.") the next one too.
// KeywordText(text).raw_count(), without reading the words' forms.
size_t RawWordCount(std::string_view text) { return WordCount(FoldCompatibility(text)); }

size_t LeadingWords(std::string_view text, Flow::Leads leads) {
  if (leads == Flow::Leads::kClause) return RawWordCount(FirstClause(text));
  constexpr size_t kGreetingWords = 3;
  constexpr char kSentenceEnds[] = ".!?";
  const std::string first = FirstClause(text, kSentenceEnds);
  const size_t words = RawWordCount(first);
  const size_t at = text.find(first);
  if (words > kGreetingWords || at == std::string_view::npos) return words;
  std::string_view rest = text.substr(at + first.size());
  while (!rest.empty() && (std::strchr(kSentenceEnds, rest[0]) != nullptr ||
                           std::isspace(static_cast<unsigned char>(rest[0])))) {
    rest.remove_prefix(1);
  }
  return rest.empty() ? words : words + RawWordCount(FirstClause(rest, kSentenceEnds));
}

// Whether a message of this length may start `f` from a phrase inside it:
// flows with max_words take short messages only, and never a broadcast.
bool PhrasesFit(const Flow& f, const BroadcastShape& shape, size_t words) {
  return f.max_words == 0 || (words <= f.max_words && !shape.Exceeds(f.max_words));
}


// The token is one of the single words of `list`, as written or as a word
// form (no typos: these words decide between intents).
bool TokenIn(const KeywordText::Token& t, const KeywordList& list) {
  return list.HasSingleWord(t.forms, t.form_hashes);
}

const KeywordList& WordList(const Flow& flow, const std::string& name) {
  static const KeywordList kNone;
  auto it = flow.word_lists.find(name);
  return it == flow.word_lists.end() ? kNone : it->second;
}

// The match follows a negation, directly or through one or two link words ("gk
// ada undangan"): the message denies it rather than asks for it.
bool DeniedAt(const KeywordText& words, const Flow& intent, size_t at) {
  const auto& tokens = words.tokens();
  if (at == 0 || at > tokens.size()) return false;
  // The negation right before, or up to two links between ("tdk mau lagi
  // terima info").
  constexpr size_t kMaxLinks = 2;
  size_t k = at;
  for (size_t links = 0;; ++links) {
    if (TokenIn(tokens[k - 1], WordList(intent, "negations"))) return true;
    if (links == kMaxLinks || k < 2 || !TokenIn(tokens[k - 1], WordList(intent, "negation_links"))) {
      return false;
    }
    --k;
  }
}

// The index of the token a match starts at.
size_t TokenAt(const KeywordText& words, const KeywordMatch& m) {
  const auto& tokens = words.tokens();
  size_t at = 0;
  while (at < tokens.size() && tokens[at].raw < m.position) ++at;
  return at;
}

// The match is a passive verb ("ditindaklanjuti", "ditanggapi") right after
// one of the flow's request_words ("mohon", "tolong", "segera"): what the
// writer asks to be done, not a question whether it was.
bool Requested(const KeywordText& words, const Flow& flow, const KeywordMatch& m) {
  const auto& tokens = words.tokens();
  const size_t at = TokenAt(words, m);
  return at > 0 && at < tokens.size() && tokens[at].written.starts_with("di") &&
         TokenIn(tokens[at - 1], WordList(flow, "request_words"));
}

// "musdus RT 03 kapan pak? kami mau usulkan jalan": one of the flow's
// topics, then a few words on one of its `asked_after_topic` words, asks
// that flow's question where the topic stands (before a wish that follows).
std::optional<KeywordMatch> TopicAsked(const KeywordText& words, const Flow& f) {
  const KeywordList& asks = WordList(f, "asked_after_topic");
  if (asks.empty() || f.topic_words.empty()) return std::nullopt;
  constexpr size_t kMaxBetween = 3;
  const auto& tokens = words.tokens();
  std::optional<KeywordMatch> first;
  for (const KeywordMatch& t : FindEach(words, f.topic_words, f.not_keywords)) {
    if (first && first->position <= t.position) continue;
    const size_t after = TokenAt(words, t) + t.length;
    for (size_t k = after; k < tokens.size() && k <= after + kMaxBetween; ++k) {
      if (TokenIn(tokens[k], asks)) {
        first = t;
        break;
      }
    }
  }
  return first;
}

bool Denied(const KeywordText& words, const Flow& intent, const KeywordMatch& m) {
  return DeniedAt(words, intent, TokenAt(words, m));
}

// Denied of the person themselves ("tidak mau terima info", "sy udh ga
// ikut kelompok tani lg"), which asks for its undoing; a denial in a
// relative clause ("org yg tdk ikut kelompok") only describes others.
bool Refused(const KeywordText& words, const Flow& intent, const KeywordMatch& m) {
  const auto& tokens = words.tokens();
  const size_t at = TokenAt(words, m);
  constexpr size_t kRelativeWithin = 3;
  for (size_t k = at >= kRelativeWithin ? at - kRelativeWithin : 0; k < at; ++k) {
    if (TokenIn(tokens[k], WordList(intent, "relative_words"))) return false;
  }
  // "bantuan lansia sa tida trima lagi": aid no longer received is a
  // complaint, not messages refused.
  constexpr size_t kAidWithin = 4;
  for (size_t k = at >= kAidWithin ? at - kAidWithin : 0; k < at; ++k) {
    if (TokenIn(tokens[k], WordList(intent, "aid_words"))) return false;
  }
  // "blm dapat kabar" waits for something; "gak dapat kabar" missed it;
  // a refusal wills ("tidak mau", "jangan", "tidak usah") or ends
  // something ("ga ikut kelompok tani lg").
  for (size_t k = at >= 2 ? at - 2 : 0; k < at; ++k) {
    if (TokenIn(tokens[k], WordList(intent, "waiting_words"))) return false;
  }
  for (size_t k = at >= 2 ? at - 2 : 0; k < tokens.size(); ++k) {
    if (TokenIn(tokens[k], WordList(intent, "refusal_words"))) return true;
  }
  // "sdh ndak jadi kader": no longer.
  for (size_t k = at >= 3 ? at - 3 : 0; k + 1 < at; ++k) {
    if (TokenIn(tokens[k], WordList(intent, "no_longer_words"))) return true;
  }
  return false;
}

}  // namespace

bool KeepsOthers(const KeywordText& words, const Flow& flow) {
  auto it = flow.word_lists.find("keep_others");
  return it != flow.word_lists.end() && FindKeyword(words, it->second, {}).has_value();
}

namespace {

// How many different words of the message `list` names, each word counted
// once however many entries it is a form of ("bangunan lg dibangun" is one,
// "bangun"); `first` is set to the earliest match.
int DistinctHits(const KeywordText& words, const KeywordList& list,
                 const std::set<std::string>& not_keywords, std::optional<KeywordMatch>* first) {
  std::set<std::string> stems;
  for (const KeywordMatch& m : FindEach(words, list, not_keywords)) {
    if (!*first || m.position < (*first)->position) *first = m;
    for (const KeywordText::Token& t : words.tokens()) {
      if (t.raw != m.position) continue;
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

Engine::Guess Engine::Guessed(const Run& run, double min_probability) const {
  // Only a story: a word or two says too little for a guess.
  constexpr size_t kMinWords = 4;
  // Evidence, not only a leaning: a few words the model has seen.
  constexpr int kMinKnown = 4;
  if (run.words().spam() || run.words().raw_count() < kMinWords ||
      HoldsPhoneNumber(run.text)) {
    return {};
  }
  const IntentGuess& guess = run.guess();
  if (guess.probability < min_probability || guess.known < kMinKnown) return {};
  if (guess.flow == kMenuFlow) return {nullptr, true};
  const Flow* flow = FindFlow(guess.flow);
  if (flow == nullptr || !flow->guessable) return {};
  return {flow, false};
}

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
    if (PhrasesFit(f, run.shape(), words)) return true;
    // "bapa sa pu cucu su besar, tra usah kirim info posyandu melati lagi":
    // a stop that names one group leaves that group, and may be as long as
    // a leave.
    const Flow* narrowed = f.narrows_to.empty() ? nullptr : FindFlow(f.narrows_to);
    if (narrowed != nullptr && PhrasesFit(*narrowed, run.shape(), words) &&
        !OneGroupNamed(run, f).empty()) {
      return true;
    }
    // "kabar posyandu mak usah dikirim lagi, cucu sudah besar. yg lain
    // tetap": a stop that keeps the rest may take longer to say.
    const Flow* leaves = f.narrows_to.empty() ? &f : FindFlow(f.narrows_to);
    return leaves != nullptr && words <= 2 * f.max_words &&
           !run.shape().Exceeds(2 * f.max_words) && KeepsOthers(run.words(), *leaves);
  };
  const Flow* intent = FindFlow(kIntentFlow);
  // A flow asked how to do, which a how-to answer would only explain.
  PhraseMatch asked_how;
  for (const Flow* f : by_priority_) {
    if (f->phrase_words.empty()) continue;
    // A question how to use the service that ends a longer message ("...,
    // katanya bisa lapor di sini. caranya bagaimana?") is still that
    // question, up to twice the flow's length.
    const bool fit = fits(*f);
    const bool ends_only = !fit && f->phrases_first && words <= 2 * f->max_words;
    const bool how_only = !fit && f->asked_how && words <= 2 * f->max_words;
    // "kaluarkan kita dari grup karang taruna, kita so pindah karja ka
    // bitung, ...": a request in the first clause, then its reason.
    const bool leads_only = !fit && f->leads != Flow::Leads::kNone && words <= 2 * f->max_words &&
                            !run.shape().Exceeds(2 * f->max_words);
    if (!fit && !ends_only && !how_only && !leads_only) continue;
    std::optional<KeywordMatch> m = FindKeyword(run.words(), f->phrase_words, f->not_keywords);
    if (std::optional<KeywordMatch> asked = TopicAsked(run.words(), *f);
        asked && (!m || asked->position < m->position)) {
      m = asked;
    }
    if (!m || !GuardPasses(run, *f)) continue;
    // "... tanpa mengundang perwakilan perempuan. mohon ditindaklanjuti": a
    // case's progress asked for, not asked after (the flow's request_words).
    if (Requested(run.words(), *f, *m)) continue;
    // A denied phrase that refuses nothing says nothing; a later one may
    // ("blm dapat info SPP di nomor ini, tolong masukkan nomor sy").
    while (intent != nullptr && Denied(run.words(), *intent, *m) &&
           (f->denied_to.empty() || !Refused(run.words(), *intent, *m))) {
      std::optional<KeywordMatch> later = FindKeyword(
          run.words(), f->phrase_words, f->not_keywords, TokenAt(run.words(), *m) + 1);
      if (!later) break;
      m = later;
    }
    // The phrase stands where a request may lead a longer message.
    const bool in_lead = leads_only && m->position + m->length <= LeadingWords(text, f->leads);
    if (f->phrases_first && !in_lead && !HelpPhraseStands(run, *m, ends_only)) continue;
    if (leads_only && !ends_only && !how_only && !in_lead) continue;
    // "tidak ada undangan" denies; it asks for nothing. A refusal asks for
    // the flow that undoes this one ("tidak mau terima info PKK lagi").
    if (intent != nullptr && Denied(run.words(), *intent, *m)) {
      const Flow* undo = f->denied_to.empty() ? nullptr : FindFlow(f->denied_to);
      if (undo == nullptr || !(fit || in_lead) || best.flow != nullptr ||
          !Refused(run.words(), *intent, *m)) {
        continue;
      }
      best = {undo, *m, false, true};
      continue;
    }
    if (f->asked_how && asked_how.flow == nullptr) asked_how = {f, *m, false, true};
    if (how_only && !in_lead) continue;
    const KeywordMatch& b = best.match;
    // A question how to use the service ("katanya bisa kirim usulan,
    // caranya gimana?") is that question wherever it stands: it files nothing.
    if (best.flow != nullptr && best.flow->phrases_first != f->phrases_first) {
      if (f->phrases_first) best = {f, *m, false, true};
      continue;
    }
    bool better = best.flow == nullptr || m->position < b.position ||
                  (m->position == b.position &&
                   (m->length > b.length || (m->length == b.length && m->typos < b.typos)));
    if (better) best = {f, *m, false, true};
  }
  if (best.flow == nullptr) return BestTopic(run);
  // A phrase that only names the subject ("usulan kami sudah disetujui
  // tapi dananya dipotong kades") says nothing of what the person wants:
  // another case flow's topics in the message outweigh it.
  if (best.flow->phrases_first) return asked_how.flow != nullptr ? asked_how : best;
  if (PhraseMatch topic = TopicOverMention(run, best.match); topic.flow != nullptr) {
    return topic;
  }
  return best;
}

Engine::PhraseMatch Engine::BestTopic(const Run& run, bool cases_only) const {
  const std::string& text = run.text;
  PhraseMatch best;
  if (run.words().spam()) return best;
  const size_t words = run.words().raw_count();
  auto fits = [&](const Flow& f) { return PhrasesFit(f, run.shape(), words); };
  // Topics and cues weigh the whole message: a topic counts two, a cue one
  // (each alone says little: "kering", "padahal", "tahun depan"); the flow
  // with the most wins if it reaches two, at a tie the one named first. An
  // advertisement names a number to call; its cues count for nothing.
  const bool cues_count = !HoldsPhoneNumber(text);
  int best_score = 0;
  for (const Flow* f : by_priority_) {
    if (!GuardPasses(run, *f) || (cases_only && !FilesCase(*f))) continue;
    std::optional<KeywordMatch> first;
    int score = 0;
    int topics = 0;
    if (fits(*f) && !f->topic_words.empty()) {
      topics = DistinctHits(run.words(), f->topic_words, f->not_keywords, &first);
      score += 2 * topics;
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
      best = {f, *first, true, topics > 0};
      best_score = score;
    }
  }
  return best;
}

Engine::PhraseMatch Engine::TopicOverMention(const Run& run, const KeywordMatch& named) const {
  const Flow* intent = FindFlow(kIntentFlow);
  if (intent == nullptr) return {};
  const auto& tokens = run.words().tokens();
  const size_t at = TokenAt(run.words(), named);
  // A case noun ("usulan", "proposal", "laporan"), not after a wish ("sy
  // mau usulan pak" asks to propose).
  if (at >= tokens.size() || !TokenIn(tokens[at], WordList(*intent, "mentions"))) return {};
  if (at > 0 && TokenIn(tokens[at - 1], WordList(*intent, "wish_words"))) return {};
  // "usulan ambo: bangun pos ronda baru krn yg lamo lah roboh": the noun
  // leads and labels what follows, as "USUL: ..." does.
  if (at == run.words().lead() && LabelsRest(named)) return {};
  // "musdus kemarin kada diundang ... tau2 usulan sudah jadi": a meeting's
  // topic weighs as much, but only a case's topics can outweigh the noun.
  PhraseMatch topic = BestTopic(run, /*cases_only=*/true);
  if (topic.flow == nullptr || !topic.strong) return {};
  // The flow the noun names keeps it when its own topics weigh as much.
  int own = 0, other = 0;
  std::optional<KeywordMatch> ignored;
  for (const Flow* f : by_priority_) {
    if (f->topic_words.empty()) continue;
    const int hits = DistinctHits(run.words(), f->topic_words, f->not_keywords, &ignored);
    if (f == topic.flow) other = hits;
    if (!TokenIn(tokens[at], f->phrase_words) || f == topic.flow) continue;
    own = std::max(own, hits);
    // "udh 2x musdes usulan drainase gk pernah masuk! sy usul lg: ...": the
    // flow the noun names is asked for further on, in words that are no
    // noun.
    for (size_t k = at + 1; k < tokens.size(); ++k) {
      if (TokenIn(tokens[k], f->phrase_words) &&
          !TokenIn(tokens[k], WordList(*intent, "mentions"))) {
        return {};
      }
    }
  }
  return other > own ? topic : PhraseMatch{};
}

bool Engine::LabelsRest(const KeywordMatch& named) const {
  if (named.colon) return true;
  const Flow* status = TicketFlow();
  const size_t mark = named.rest.find(':');
  if (status == nullptr || mark == std::string::npos) return false;
  // One owner word between the noun and the colon ("usulan saya:").
  const KeywordText owner(std::string_view(named.rest).substr(0, mark));
  return owner.tokens().size() == 1 && owner.raw_count() == 1 &&
         TokenIn(owner.tokens()[0], WordList(*status, "owner_words"));
}

Engine::PhraseMatch Engine::TopicOverSubject(const Run& run, const KeywordMatch& keyword) const {
  const Flow* status = TicketFlow();
  if (status == nullptr) return {};
  const auto& tokens = run.words().tokens();
  const size_t at = TokenAt(run.words(), keyword);
  if (at + 1 >= tokens.size() || !TokenIn(tokens[at + 1], WordList(*status, "owner_words"))) {
    return {};
  }
  return TopicOverMention(run, keyword);
}

namespace {

// Where a fate word (status.json's fate_words, as written: "supaya proposal
// diloloskan" asks for a fate, it does not ask after one) stands within ten
// words after a case word ("usulan ... lolos"); or of other lists (a
// follow-up after a report: "laporan ... ditindaklanjuti").
std::vector<size_t> FatesAfterCases(const KeywordText& words, const Flow& status,
                                    const char* case_list = "fate_case_words",
                                    const char* fate_list = "fate_words") {
  constexpr size_t kFateWithin = 10;
  const auto& tokens = words.tokens();
  const auto& fates = WordList(status, fate_list);
  std::vector<size_t> out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!TokenIn(tokens[i], WordList(status, case_list))) continue;
    for (size_t k = i + 1; k < tokens.size() && k <= i + kFateWithin; ++k) {
      if (std::ranges::any_of(fates, [&](const std::vector<std::string>& e) {
            return e.size() == 1 && e[0] == tokens[k].word;
          })) {
        out.push_back(k);
      }
    }
  }
  return out;
}

// A case word (fate_case_words), then the message closes with an asking
// word and a progress word, either way round ("... gmn kabarnya",
// "... kelanjutannya bagaimana pak?"), or with "already" and "how" ("aduan
// ... wis piye", "... sudah bagaimana"); courtesy words and question
// particles at the end do not count.
bool EndsAskingProgress(const std::vector<KeywordText::Token>& tokens, const Flow& status) {
  size_t end = tokens.size();
  while (end > 0 && (tokens[end - 1].courtesy ||
                     TokenIn(tokens[end - 1], WordList(status, "question_particles")))) {
    --end;
  }
  if (end < 3) return false;
  const auto& asking = WordList(status, "asking_words");
  const auto& progress = WordList(status, "progress_words");
  const KeywordText::Token& a = tokens[end - 2];
  const KeywordText::Token& b = tokens[end - 1];
  if (!((TokenIn(a, asking) && TokenIn(b, progress)) ||
        (TokenIn(a, progress) && TokenIn(b, asking)) ||
        (TokenIn(a, WordList(status, "already_words")) &&
         TokenIn(b, WordList(status, "how_words"))))) {
    return false;
  }
  return std::any_of(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(end - 2),
                     [&](const KeywordText::Token& t) {
                       return TokenIn(t, WordList(status, "fate_case_words"));
                     });
}

// Whether the sentence numbered `sentence` (KeywordText::Token::sentence:
// the "?" and "!" before it) of `text` ends with a question mark.
bool SentenceAsks(std::string_view text, size_t sentence) {
  size_t seen = 0;
  for (char c : text) {
    if (c != '?' && c != '!') continue;
    if (seen == sentence) return c == '?';
    ++seen;
  }
  return false;
}

// "aduan pohon tumbang kemarin. sudah potong?": a question that opens with
// a case word (or an owner word and a case word: "kita usul ... bulan
// lalu"), says the matter is from before and then, in its last words, asks
// whether it is done yet ("_comment_past" in status.json). Asked is a
// question mark, or an asking ending closing the sentence, as voice typing
// writes it ("... so dibahas di mus dus kah"); after that ending the
// question may run a few words longer.
// Told as one's own report ("sa lapor jalan longsor kemarin, su ada yg
// urus ka", "aku la lapor pungli bulan lalu, ditindak dak"): an owner word,
// perhaps "already", then a report word (followup_case_words); the
// question may then run as long as after an asking ending, or be a
// follow-up word and "not" ("ditindak dak").
bool AsksDoneSince(const KeywordText& words, const Flow& status) {
  const auto& tokens = words.tokens();
  size_t lead = words.lead();
  bool reported = false;
  if (lead + 1 < tokens.size() && TokenIn(tokens[lead], WordList(status, "owner_words"))) {
    ++lead;
    if (lead + 1 < tokens.size() && TokenIn(tokens[lead], WordList(status, "already_words"))) {
      ++lead;
    }
    reported = lead < tokens.size() && TokenIn(tokens[lead], WordList(status, "followup_case_words"));
  }
  if (lead >= tokens.size() ||
      (!reported && !TokenIn(tokens[lead], WordList(status, "fate_case_words")))) {
    return false;
  }
  const size_t sentence = tokens[lead].sentence;
  size_t last = lead;
  while (last + 1 < tokens.size() && tokens[last + 1].sentence == sentence) ++last;
  const bool ending = TokenIn(tokens[last], WordList(status, "asking_endings"));
  const bool marked = SentenceAsks(words.text(), sentence);
  constexpr size_t kWordsAfterAlready = 2;
  constexpr size_t kWordsBeforeEnding = 6;
  bool past = false;
  for (size_t k = lead + 1; k < last; ++k) {
    if (TokenIn(tokens[k], WordList(status, "past_words"))) {
      past = true;
    } else if (past && reported && TokenIn(tokens[k], WordList(status, "followup_words")) &&
               TokenIn(tokens[k + 1], WordList(status, "asking_endings"))) {
      return true;
    } else if (past && TokenIn(tokens[k], WordList(status, "already_words"))) {
      if (!ending && !marked) return false;
      // One or two words, then the question mark: "sudah potong?", not
      // "kemarin su bau deng ada kutu. ini dari dana desa ka?".
      const size_t after = last - k;
      return after <= kWordsAfterAlready || ((ending || reported) && after <= kWordsBeforeEnding);
    }
  }
  return false;
}

// Where a message speaks of the person's own case (status.json's lists).
struct OwnCase {
  // The owner word right after a case word ("aduan saya", "laporan kami"),
  // or 0 for a leading ticket; question_words count after it.
  std::optional<size_t> owner_at;
  // The case is the person's own by any of the signs below.
  bool own = false;
  // It is named by its number ("nomor aduan saya 0142").
  bool numbered = false;
};

// "yang saya", "sing kula": a relative word at `k` and an owner word after
// it (status.json's lists).
bool RelativeOwnerAt(const std::vector<KeywordText::Token>& tokens, size_t k, const Flow& status) {
  return k + 1 < tokens.size() && TokenIn(tokens[k], WordList(status, "relative_words")) &&
         TokenIn(tokens[k + 1], WordList(status, "owner_words"));
}

OwnCase FindOwnCase(const KeywordText& words, const Flow& status) {
  const auto& tokens = words.tokens();
  const auto& cases = WordList(status, "case_words");
  const auto& owners = WordList(status, "owner_words");
  const auto& sent = WordList(status, "sent_words");
  constexpr size_t kOwnerWithin = 3;
  constexpr size_t kSentWithin = 6;  // "sdh sebulan lebih sy lapor"
  OwnCase found;
  // "ADU-12 gmn", and a ticket's number alone ("0112 kumaha").
  // "no 0093 bgmn", "sayapung nomor 0112 tolong cek": after a number word too.
  bool numbered_near_start = false;
  for (size_t k = 0; k + 1 < tokens.size() && k < kOwnerWithin; ++k) {
    numbered_near_start = numbered_near_start ||
                     (TokenIn(tokens[k], WordList(status, "number_words")) && TicketNumber(tokens[k + 1]));
  }
  if (ParseLeadingTicket(Trim(words.text())) || (!tokens.empty() && TicketNumber(tokens[0])) ||
      numbered_near_start) {
    found.owner_at = 0;
  }
  const auto& conditionals = WordList(status, "conditional_words");
  const auto& boundaries = WordList(status, "boundary_words");
  for (size_t i = 0; !found.owner_at && i < tokens.size(); ++i) {
    if (!TokenIn(tokens[i], cases)) continue;
    // "kalau saya lapor, apakah identitas saya aman?": a case one may send,
    // not one sent.
    if ((i > 0 && TokenIn(tokens[i - 1], conditionals)) ||
        (i > 1 && TokenIn(tokens[i - 2], conditionals))) {
      continue;
    }
    // "laporanku", "usulanku": the owner is the word's own ending.
    if (tokens[i].word.ends_with("ku") &&
        std::ranges::any_of(cases, [&](const std::vector<std::string>& e) {
          return e.size() == 1 && tokens[i].word == e[0] + "ku";
        })) {
      found.owner_at = i;
      break;
    }
    // In the same sentence: "apakah ini nomor resmi pengaduan desa? Saya
    // mau lapor ..." asks nothing about a case of one's own.
    // "usulan untuk dusun kami", "yang mo dilaporkan, mar kita agak
    // takut": after a preposition or a conjunction the owner is another
    // phrase's.
    for (size_t j = i + 1; j < tokens.size() && j <= i + kOwnerWithin &&
                           tokens[j].sentence == tokens[i].sentence &&
                           !TokenIn(tokens[j], boundaries);
         ++j) {
      if (TokenIn(tokens[j], owners)) {
        found.owner_at = j;
        break;
      }
    }
    // Before it, only with a word that says it was sent already, right
    // before the case word: "sdh kirim usulan", "saya yang kemarin lapor";
    // not "saya mau lapor" (a new case) or "saya minta lihat laporan"
    // (someone else's report).
    bool owner = false, past = false;
    for (size_t j = i >= kSentWithin ? i - kSentWithin : 0; j < i; ++j) {
      // The owner may stand a little further off here: the word that says
      // it was sent is right before the case word ("kami kelompok WKRI su
      // usul").
      owner = owner || (j + kSentWithin >= i && TokenIn(tokens[j], owners));
      past = past || TokenIn(tokens[j], sent);
    }
    // A count of times may stand between ("sy udh 2x ngusulin", "sdh 3
    // kali lapor").
    size_t before = i;
    const auto times = [&](size_t k) {
      const std::string& w = tokens[k].word;
      const size_t digits = static_cast<size_t>(std::ranges::count_if(
          w, [](char c) { return c >= '0' && c <= '9'; }));
      return w == "kali" || (digits > 0 && (digits == w.size() ||
                                            (digits + 1 == w.size() && w.back() == 'x')));
    };
    while (before > 0 && i - before < 2 && times(before - 1)) --before;
    const bool adjacent =
        before > 0 && (TokenIn(tokens[before - 1], owners) || TokenIn(tokens[before - 1], sent));
    found.own = found.own || (owner && past && adjacent);
  }
  found.own = found.own || found.owner_at.has_value();
  // "pengaduan no 2024/11/045", "nomor aduan saya 0142": a case named by its
  // number is one's own.
  const auto digits = [&](size_t k) {
    return k < tokens.size() &&
           std::ranges::any_of(tokens[k].word, [](char c) { return c >= '0' && c <= '9'; });
  };
  const auto& number_words = WordList(status, "number_words");
  for (size_t i = 0; !found.numbered && i < tokens.size(); ++i) {
    if (!TokenIn(tokens[i], cases)) continue;
    const bool owner_next = i + 1 < tokens.size() && TokenIn(tokens[i + 1], owners);
    // "tiket 0112": a ticket word needs no number word.
    // "laporan 0112 gmn".
    found.numbered =
        (i + 1 < tokens.size() && TicketNumber(tokens[i + 1])) ||
        (TokenIn(tokens[i], WordList(status, "own_case_words")) && digits(i + 1)) ||
        (i + 2 < tokens.size() && TokenIn(tokens[i + 1], number_words) && digits(i + 2)) ||
        (i > 0 && TokenIn(tokens[i - 1], number_words) &&
         (digits(i + 1) || (owner_next && digits(i + 2))));
    // "kamek dapat nomor 0078 waktu ngadu": a ticket's number, given a few
    // words before the case word it came with.
    constexpr size_t kNumberBefore = 4;
    for (size_t j = i > kNumberBefore ? i - kNumberBefore : 0; !found.numbered && j + 1 < i; ++j) {
      found.numbered = TokenIn(tokens[j], number_words) && TicketNumber(tokens[j + 1]);
    }
  }
  found.own = found.own || found.numbered;
  for (size_t i = 0; !found.own && i < tokens.size(); ++i) {
    // "saya mau tanya tiket nomor 42 ...": a ticket is one's own.
    found.own = TokenIn(tokens[i], WordList(status, "own_case_words"));
    if (!TokenIn(tokens[i], cases)) continue;
    // "usulan ... yang saya ajukan bulan lalu": "yang" and an owner word
    // after it, however far; so is Javanese "sing tak kirim", whose "tak" is
    // the verb's first-person prefix written apart (as written: the word
    // "tak" also stands for "tidak").
    const auto& prefixes = WordList(status, "relative_owner_prefixes");
    for (size_t k = i + 1; !found.own && k + 1 < tokens.size(); ++k) {
      const bool prefix =
          k + 2 < tokens.size() &&
          std::ranges::any_of(prefixes, [&](const std::vector<std::string>& e) {
            return e.size() == 2 && tokens[k].written == e[0] && tokens[k + 1].written == e[1];
          });
      found.own = prefix || RelativeOwnerAt(tokens, k, status);
    }
  }
  return found;
}

// The message asks something: a question mark, an asking word, or an
// ending "... atau belum", "... gak ya".
// A word of `list` is among the tokens, or a phrase of it ("mohon info",
// "yg lain") stands in them.
bool Mentions(const std::vector<KeywordText::Token>& tokens,
              const KeywordList& list) {
  return std::ranges::any_of(tokens, [&](const KeywordText::Token& t) { return TokenIn(t, list); }) ||
         std::ranges::any_of(list, [&](const std::vector<std::string>& e) {
           return e.size() > 1 && ContainsPhrase(tokens, e);
         });
}

bool Asks(const KeywordText& words, const Flow& status) {
  if (words.text().find('?') != std::string::npos) return true;
  const auto& tokens = words.tokens();
  if (Mentions(tokens, WordList(status, "asking_words"))) return true;
  for (size_t k = tokens.size(); k-- > 0;) {
    if (!tokens[k].courtesy) return TokenIn(tokens[k], WordList(status, "asking_endings"));
  }
  return false;
}

}  // namespace

std::string Engine::OneGroupNamed(const Run& run, const Flow& flow) const {
  const auto& tokens = run.words().tokens();
  // "stop semua info, SPP juga aja": everything, whatever group it names.
  if (Mentions(tokens, WordList(flow, "all_words"))) return "";
  // Two groups named ("stop info posyandu, kirim info SPP saja", "posyandu
  // dan pkk") are no one group: leaving the first named in the list could
  // leave the one the person asked to keep. The stop stops everything.
  std::string named;
  for (const std::vector<std::string>& group : WordList(flow, "group_words")) {
    for (size_t i = 0; i + group.size() <= tokens.size(); ++i) {
      bool here = true;
      for (size_t j = 0; j < group.size() && here; ++j) here = tokens[i + j].word == group[j];
      if (!here) continue;
      // "stop info PKK aja. yg SPP tetap": a group kept is not the one left.
      const size_t after = i + group.size();
      bool kept = false;
      for (size_t k = after; k < tokens.size() && k <= after + 1; ++k) {
        kept = kept || TokenIn(tokens[k], WordList(flow, "keep_words"));
      }
      if (kept) continue;
      std::string words;
      for (size_t j = 0; j < group.size(); ++j) words += (j ? " " : "") + tokens[i + j].word;
      // "SPP 04": a number right after the group is part of its code.
      const size_t next = i + group.size();
      if (next < tokens.size() && !tokens[next].word.empty() &&
          std::ranges::all_of(tokens[next].word, [](char c) { return c >= '0' && c <= '9'; })) {
        words += " " + tokens[next].word;
      }
      if (!named.empty() && named != words) return "";
      named = words;
      break;
    }
  }
  return named;
}

bool Engine::CaseQuestion(Run& run) const {
  const Flow* status = TicketFlow();
  if (status == nullptr || run.words().spam()) return false;
  if (WordList(*status, "question_words").empty()) return false;
  // "ADUAN: kepala dusun sy minta uang ... itu boleh kah pak?": a case's
  // keyword and a colon, as the poster teaches, opens a new one.
  for (const Flow* f : by_priority_) {
    if (!FilesCase(*f)) continue;
    std::optional<KeywordMatch> m = MatchLeadingKeyword(run.words(), f->keyword_words, f->not_keywords);
    if (m && m->colon && !m->rest.empty()) return false;
  }
  const auto& tokens = run.words().tokens();
  // "bagimana cara kirim usulan lewat sini?", "sy mau kirim usul tp blm tau
  // formatnya bgmn": how to send one, not after one sent.
  if (AsksHowTo(run.words()) &&
      std::ranges::none_of(tokens, [](const KeywordText::Token& t) { return TicketNumber(t); })) {
    return false;
  }
  OwnCase own = FindOwnCase(run.words(), *status);
  // "minta uang supaya proposal kami diloloskan, itu boleh?": a case after a
  // purpose word is what a demand was for, not one's case asked after.
  if (own.owner_at && std::ranges::any_of(
                          tokens.begin(),
                          tokens.begin() + static_cast<std::ptrdiff_t>(*own.owner_at),
                          [&](const KeywordText::Token& t) {
                            return TokenIn(t, WordList(*status, "purpose_words"));
                          })) {
    own = OwnCase{};
  }
  auto start = [&] {
    // "tiket 0112 bagaimana": the case of that number, not the newest.
    for (const KeywordText::Token& t : tokens) {
      if (TicketNumber(t)) {
        StartFlow(run, *status, t.word);
        return true;
      }
    }
    StartFlow(run, *status, Trim(run.text));
    return true;
  };
  // "usulan sy yg kmrn gmn": a question word after the owner.
  for (size_t k = own.owner_at ? *own.owner_at + 1 : tokens.size(); k < tokens.size(); ++k) {
    if (TokenIn(tokens[k], WordList(*status, "question_words"))) return start();
  }
  // "nomor aduan lon 0142, mohon info": a case named by its number is the
  // one asked after (a new case has no number yet).
  if (own.numbered) return start();
  // A complaint's "why" ("knp ... udh 3x lapor gk ada tanggapan") is no
  // question about its progress; a statement asks nothing.
  for (const KeywordText::Token& t : tokens) {
    if (TokenIn(t, WordList(*status, "why_words"))) return false;
  }
  // "aduan sumur bor macet wis ditangani durung ya, warga isih ngangsu":
  // after a case word, "sudah <one or two words> belum" closed there (by
  // the end, a courtesy word or a particle such as "ya") asks whether it
  // happened yet, whatever sentence follows. "sudah 3 bulan belum
  // diperbaiki" goes on after "belum": a complaint, not a question.
  {
    constexpr size_t kAlreadyWithin = 8;
    const auto& case_words = WordList(*status, "fate_case_words");
    const auto& already = WordList(*status, "already_words");
    const auto& yet = WordList(*status, "yet_words");
    const auto& particles = WordList(*status, "question_particles");
    const auto closes = [&](size_t e) {
      return e + 1 == tokens.size() || tokens[e + 1].courtesy ||
             TokenIn(tokens[e + 1], particles);
    };
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (!TokenIn(tokens[i], case_words)) continue;
      for (size_t k = i + 1; k < tokens.size() && k <= i + kAlreadyWithin; ++k) {
        if (!TokenIn(tokens[k], already)) continue;
        for (size_t e = k + 2; e < tokens.size() && e <= k + 3; ++e) {
          if (TokenIn(tokens[e], yet) && closes(e)) return start();
        }
      }
    }
  }
  // "usulan jalan ke Orong Bun masuk ndek di RKP desa": a fate and then
  // "not" or "yet" right after it asks, wherever the sentence ends ("usulan
  // kami tidak masuk" states).
  const std::vector<size_t> fates = FatesAfterCases(run.words(), *status);
  for (size_t k : fates) {
    if (k + 1 < tokens.size() && TokenIn(tokens[k + 1], WordList(*status, "asking_endings"))) {
      return start();
    }
  }
  // "usulan pos ronda dusun lendang re gmn kabarnya": a case word and, to
  // close the message, how it is getting on ("gimana kabarnya",
  // "kelanjutannya bagaimana"): asked after, whatever stands between.
  if (EndsAskingProgress(tokens, *status)) return start();
  if (AsksDoneSince(run.words(), *status)) return start();
  if (!Asks(run.words(), *status)) return false;
  // "usulan sumur bor dari dusun kami lolos ka di musdes?": a case word and
  // then its fate, asked with a question mark or an asking ending after it
  // (not "kami ga sempat baca usulan apa yg lolos").
  const bool question_mark = run.text.find('?') != std::string::npos;
  // "laporan beras apek kemarin di tindak lanjuti ji?": a report and what
  // was done about it, asked.
  if (question_mark &&
      !FatesAfterCases(run.words(), *status, "followup_case_words", "followup_words").empty()) {
    return start();
  }
  for (size_t k : fates) {
    if (question_mark) return start();
    for (size_t e = k + 1; e < tokens.size(); ++e) {
      if (TokenIn(tokens[e], WordList(*status, "asking_endings"))) return start();
    }
  }
  // "Usulan PAUD kami kemarin lolos MAD gak pak?": with a question mark.
  if (own.owner_at && question_mark) return start();
  // Reported to someone else ("sy sudah lapor ke kades, kapan jalan
  // diperbaiki?") is a complaint that nothing was done, not a case here.
  const auto& cases = WordList(*status, "case_words");
  const auto first_case = std::ranges::find_if(
      tokens, [&](const KeywordText::Token& t) { return TokenIn(t, cases); });
  const bool told_elsewhere = first_case != tokens.end() && first_case + 1 != tokens.end() &&
                              TokenIn(*(first_case + 1), WordList(*status, "to_words"));
  // "usul lampu di tanjakan yg beta kirim dolo, kapan dong mau pasang?": a
  // case the person says they sent ("yang" + owner + a sending word), and a
  // question mark.
  if (own.own && question_mark) {
    const auto& sent = WordList(*status, "sent_words");
    for (size_t k = 0; k + 2 < tokens.size(); ++k) {
      if (RelativeOwnerAt(tokens, k, *status) && TokenIn(tokens[k + 2], sent)) return start();
    }
    // "sy sudah usul perbaikan dermaga lewat sini, kapan dikerja?": the
    // person's own case, sent already, and then "when", asked. Before the
    // case word it asks when a meeting is ("Kapan musdes? Sy mau ikut
    // menyampaikan usulan").
    if (!told_elsewhere && std::any_of(first_case, tokens.end(), [&](const KeywordText::Token& t) {
          return TokenIn(t, WordList(*status, "when_words"));
        })) {
      return start();
    }
  }
  // "sudah 3 minggu sejak saya lapor soal sampah. Apakah sudah ada petugas
  // yang datang?", "nyong ganu lapor soal sekdes ngomong kasar apa wis
  // ditegur": whether something was done yet, asked after one's own case.
  if (own.own && !told_elsewhere) {
    for (auto t = first_case; t != tokens.end() && t + 1 != tokens.end(); ++t) {
      if (TokenIn(*t, WordList(*status, "asking_words")) &&
          TokenIn(*(t + 1), WordList(*status, "already_words"))) {
        return start();
      }
    }
  }
  // Words that ask after a case wherever they stand ("apakah sudah ada
  // tindakan atas laporan saya?", "blm ada kabar sampai mana prosesnya").
  if (own.own) {
    for (const KeywordText::Token& t : tokens) {
      if (TokenIn(t, WordList(*status, "question_words_anywhere"))) return start();
    }
  }
  return false;
}

namespace {

// Whether the one word `m` matched starts a ticket ("USL-12", "usl 12").
bool NamesTicket(const KeywordText& words, const KeywordMatch& m) {
  if (m.length != 1) return false;
  for (const KeywordText::Token& t : words.tokens()) {
    if (t.raw != m.position) continue;
    std::string rest = m.rest;
    if (!rest.empty() && rest.front() == '-') rest.erase(0, 1);
    return ParseLeadingTicket(t.word + " " + rest).has_value();
  }
  return false;
}

}  // namespace

bool Engine::ToldBefore(const Run& run, const Flow& flow, const KeywordMatch& m) const {
  // A question ("..., kemana sy harus lapor?", "bisa kirim usulan lewat
  // sini?") asks first; the story must weigh as this flow's topics.
  if (run.text.find('?') != std::string::npos) return false;
  if (PhraseMatch topic = BestTopic(run, /*cases_only=*/true); topic.flow != &flow) return false;
  constexpr size_t kStoryWords = 4;  // "kades potong blt warga": a story
  size_t told = 0;
  bool says = false;
  for (const KeywordText::Token& t : run.words().tokens()) {
    if (t.raw >= m.position) break;
    if (!t.courtesy && HasLetter(t.word) && !OnlyFillers(t.word)) ++told;
    says = says || SaysWord(t);
  }
  return told >= kStoryWords && says;
}

bool Engine::SaysWord(const KeywordText::Token& t) const {
  const Flow* status = TicketFlow();
  if (status == nullptr) return true;
  return !t.courtesy && HasLetter(t.word) &&
         !TokenIn(t, WordList(*status, "question_words")) &&
         !TokenIn(t, WordList(*status, "empty_words")) &&
         !TokenIn(t, WordList(*status, "question_particles")) &&
         !TokenIn(t, WordList(*status, "asking_endings"));
}

bool Engine::SaysSomething(const std::string& rest) const {
  if (TicketFlow() == nullptr) return true;
  const KeywordText words(rest);
  return std::ranges::any_of(words.tokens(),
                             [&](const KeywordText::Token& t) { return SaysWord(t); });
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
  std::vector<bool> leading;  // named by a keyword that opens the message
  const size_t words = run.words().raw_count();
  for (const Node& n : intent->nodes) {
    for (const ChoiceSpec& c : n.choices) {
      const Flow* f = target(c);
      if (f == nullptr || std::ranges::find(named, f->name) != named.end()) continue;
      std::optional<KeywordMatch> m =
          MatchLeadingKeyword(run.words(), f->keyword_words, f->not_keywords);
      const bool opens = m.has_value();
      const bool phrases = PhrasesFit(*f, run.shape(), words);
      if (!m && phrases) m = FindKeyword(run.words(), f->phrase_words, f->not_keywords);
      // A typo is no second intent: "pengadaan" is not "pengaduan".
      if (!m || m->typos > 0 || Denied(run.words(), *intent, *m)) continue;
      // "ADUAN USL-12 ...": a ticket's prefix names a case, not an intent.
      if (NamesTicket(run.words(), *m)) continue;
      named.push_back(f->name);
      where.push_back(*m);
      leading.push_back(opens);
    }
  }
  if (named.size() != 2) return false;
  // "ADUAN dana pelatihan cuma 1 hari padahal di jadwal 5 hari": a message
  // that opens with one flow's keyword, the form the notices teach, and
  // names the other only well into its story is that flow. Close together
  // ("lapor bu, kapan undangan musdes?", "usul dan tanya jadwal") they are
  // two requests, and the person is asked which.
  constexpr size_t kStoryWords = 6;
  for (size_t i = 0; i < named.size(); ++i) {
    const KeywordMatch& other = where[1 - i];
    if (leading[i] && !leading[1 - i] && other.position >= where[i].position + kStoryWords) {
      return false;
    }
  }
  // "Jarene iso nggo lapor lan usul. Carane piye?" asks how to use the
  // service, not which of the two: the phrase routing answers it.
  for (const Flow* f : by_priority_) {
    if (f->phrases_first && PhrasesFit(*f, run.shape(), words) &&
        FindKeyword(run.words(), f->phrase_words, f->not_keywords)) {
      return false;
    }
  }
  // One phrase inside the other ("laporan usulan" at one word) is one intent.
  const KeywordMatch& a = where[0].position <= where[1].position ? where[0] : where[1];
  const KeywordMatch& b = where[0].position <= where[1].position ? where[1] : where[0];
  if (a.position == b.position) return false;
  // "Kapan musdes? kami mau usul lampu", "MAD prioritas usulan tgl brp?":
  // a message that opens with a meeting and asks when or where it is asks
  // after the meeting; the case noun only says what the meeting is about.
  for (size_t i = 0; i < named.size(); ++i) {
    const bool asks_when_flow = std::ranges::any_of(
        WordList(*intent, "asks_when_flows"),
        [&](const std::vector<std::string>& e) { return e.size() == 1 && e[0] == named[i]; });
    if (!asks_when_flow) continue;
    const KeywordMatch& other = where[1 - i];
    std::optional<KeywordMatch> meeting =
        FindKeyword(run.words(), WordList(*intent, "meeting_words"), {});
    const bool opens = where[i].position < other.position ||
                       (meeting && meeting->position < other.position);
    if (opens && FindKeyword(run.words(), WordList(*intent, "when_words"), {})) {
      StartPhrase(run, {FindFlow(named[i]), where[i], false});
      return true;
    }
  }
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
  std::vector<KeywordList::Entry> other = WordList(*intent, "connectors").entries();
  for (const json& name : vars.value(kIntentsVar, json::array())) {
    const Flow* f = name.is_string() ? FindFlow(name.get<std::string>()) : nullptr;
    if (f == nullptr || f == &chosen) continue;
    other.insert(other.end(), f->keyword_words.begin(), f->keyword_words.end());
    other.insert(other.end(), f->phrase_words.begin(), f->phrase_words.end());
  }
  const KeywordList other_words(std::move(other));
  const KeywordText words(text);
  for (const KeywordText::Token& t : words.tokens()) {
    if (!t.courtesy && !TokenIn(t, other_words)) return text;
  }
  return "";
}

bool Engine::NamedTicket(Run& run, const Flow& flow) const {
  std::optional<std::string> ticket = FindTicket(run.text);
  if (!ticket) return false;
  // What the message is about (the activity a complaint names), not asks after.
  for (const std::string& prefix : flow.about_tickets) {
    if (ticket->starts_with(prefix + "-")) return false;
  }
  for (const Flow* f : by_priority_) {
    if (!f->accepts_ticket) continue;
    StartFlow(run, *f, *ticket);
    return true;
  }
  return false;
}

bool Engine::AsksAfterCase(Run& run, const Flow* files) const {
  // A problem stated, and nothing asked, not even how a case is getting on
  // ("blm ada kabar", "ditindak belum"): "ADU dana BLT dipotong, sdh sy
  // kirim ke lapor.go.id" files its matter, however much the rest reads
  // like a case sent before.
  const Flow* status = TicketFlow();
  if (files != nullptr && status != nullptr && !Asks(run.words(), *status) &&
      !Mentions(run.words().tokens(), WordList(*status, "question_words_anywhere")) &&
      FindKeyword(run.words(), files->topic_words, files->not_keywords)) {
    return false;
  }
  // As sure as the model must be to decide alone.
  Guess guess = Guessed(run, kDecideAlone);
  // Asks after a case, or when a meeting is ("jam berapa rapat verifikasi
  // usulan besok?"): either way nothing to file.
  if (guess.flow == nullptr || FilesCase(*guess.flow)) return false;
  StartFlow(run, *guess.flow, Trim(run.text));
  return true;
}

bool Engine::Offer(Run& run, const Flow& flow) const {
  if (flow.topic_start.empty()) return false;
  SessionState& s = run.session();
  s.flow = flow.name;
  s.node.clear();
  s.vars = json::object();
  s.vars[flow.topic_var] = Trim(run.text);
  Enter(run, flow, flow.topic_start, "");
  return true;
}

bool Engine::AsksFirst(const Run& run) const {
  const Flow* status = TicketFlow();
  const size_t mark = run.text.find('?');
  if (status == nullptr || mark == std::string::npos) return false;
  const KeywordText first(std::string_view(run.text).substr(0, mark));
  const auto& tokens = first.tokens();
  for (size_t k = tokens.size(); k-- > 0;) {
    if (tokens[k].courtesy || TokenIn(tokens[k], WordList(*status, "question_particles"))) continue;
    return TokenIn(tokens[k], WordList(*status, "asking_words"));
  }
  return false;
}

bool Engine::AsksHowTo(const KeywordText& words) const {
  const Flow* menu = FindFlow(kMenuFlow);
  if (menu == nullptr) return false;
  const auto& tokens = words.tokens();
  if (std::ranges::any_of(tokens, [&](const KeywordText::Token& t) {
        return TokenIn(t, WordList(*menu, "how_nouns"));
      })) {
    return true;
  }
  for (const KeywordMatch& m : FindEach(words, menu->phrase_words, menu->not_keywords)) {
    const size_t at = TokenAt(words, m);
    for (size_t k = at; k < tokens.size() && k < at + m.length; ++k) {
      if (TokenIn(tokens[k], WordList(*menu, "how_words"))) return true;
    }
  }
  return false;
}

bool Engine::AsksHowAround(const KeywordText& words, const KeywordMatch& m) const {
  const Flow* menu = FindFlow(kMenuFlow);
  if (menu == nullptr) return false;
  const auto& tokens = words.tokens();
  const size_t at = TokenAt(words, m);
  bool how = false;
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (k >= at && k < at + m.length) continue;
    if (TokenIn(tokens[k], WordList(*menu, "how_words"))) {
      how = true;
    } else if (!tokens[k].courtesy && !TokenIn(tokens[k], WordList(*menu, "how_fillers"))) {
      return false;
    }
  }
  return how;
}

bool Engine::AsksHowInQuestion(const Run& run, const Flow& flow, const KeywordMatch& m) const {
  const std::string& folded = run.words().folded();
  const size_t rest_at = m.rest.empty() ? folded.size() : folded.rfind(m.rest);
  if (rest_at == std::string::npos || rest_at == 0) return false;
  const size_t mark = folded.rfind('?', rest_at - 1);
  if (mark == std::string::npos) return false;
  const KeywordText question(std::string_view(folded).substr(mark + 1));
  std::optional<KeywordMatch> again = FindKeyword(question, flow.phrase_words, flow.not_keywords);
  return again && AsksHowAround(question, *again);
}

bool Engine::AsksIfSent(const Run& run, const KeywordMatch& m) const {
  const Flow* status = TicketFlow();
  if (status == nullptr || run.text.find('?') == std::string::npos) return false;
  constexpr size_t kWithin = 3;  // "kalo mo lapor", "kalau sy mau usul"
  const auto& tokens = run.words().tokens();
  const size_t at = TokenAt(run.words(), m);
  for (size_t k = at > kWithin ? at - kWithin : 0; k < at && k < tokens.size(); ++k) {
    // "gmn klo kita ajukan pelatihan ...?": "how about", a suggestion.
    if (TokenIn(tokens[k], WordList(*status, "conditional_words")) &&
        (k == 0 || !TokenIn(tokens[k - 1], WordList(*status, "suggesting_words")))) {
      return true;
    }
  }
  return false;
}

bool Engine::TypedButFailed(const KeywordText& words, const KeywordMatch& m) const {
  const Flow* menu = FindFlow(kMenuFlow);
  if (menu == nullptr) return false;
  const auto& tokens = words.tokens();
  const size_t at = TokenAt(words, m);
  const size_t after = at + m.length;
  if (at == 0 || after >= tokens.size() ||
      !TokenIn(tokens[at - 1], WordList(*menu, "typed_words"))) {
    return false;
  }
  if (TokenIn(tokens[after], WordList(*menu, "contrast_words"))) return true;
  // "ketik usul itu gimana maksudnya": what typing it means, asked within
  // the next words.
  constexpr size_t kAskWithin = 3;
  for (size_t k = after; k < tokens.size() && k < after + kAskWithin; ++k) {
    if (TokenIn(tokens[k], WordList(*menu, "meaning_words"))) return true;
  }
  return false;
}

bool Engine::AsksHowOnly(std::string_view rest) const {
  const Flow* menu = FindFlow(kMenuFlow);
  if (menu == nullptr) return false;
  const KeywordText words(rest);
  bool how = false;
  for (const KeywordText::Token& t : words.tokens()) {
    if (TokenIn(t, WordList(*menu, "how_words"))) {
      how = true;
    } else if (!t.courtesy && !TokenIn(t, WordList(*menu, "how_fillers"))) {
      return false;
    }
  }
  return how;
}

bool Engine::AsksLeave(const std::string& rest) const {
  const Flow* menu = FindFlow(kMenuFlow);
  if (menu == nullptr) return false;
  const std::string text = Trim(rest);
  if (text.empty() || text.back() != '?') return false;
  // The question is the last sentence; it opens with a word asking leave.
  const size_t end = text.find_last_of(".!?", text.size() - 2);
  const size_t start = end == std::string::npos ? 0 : end + 1;
  const KeywordText question(text.substr(start));
  const auto& tokens = question.tokens();
  if (question.lead() >= tokens.size() ||
      !TokenIn(tokens[question.lead()], WordList(*menu, "leave_words"))) {
    return false;
  }
  // Before it, fewer words that say something than a matter needs.
  constexpr size_t kMatterWords = 4;
  const KeywordText before(text.substr(0, start));
  const Flow* status = TicketFlow();
  const auto said = std::ranges::count_if(before.tokens(), [&](const KeywordText::Token& t) {
    return SaysWord(t) && (status == nullptr || (!TokenIn(t, WordList(*status, "owner_words")) &&
                                                 !TokenIn(t, WordList(*status, "boundary_words"))));
  });
  return static_cast<size_t>(said) < kMatterWords;
}

bool Engine::ObstacleAsked(const std::string& rest) const {
  const Flow* menu = FindFlow(kMenuFlow);
  if (menu == nullptr) return false;
  const std::string text = Trim(rest);
  if (text.empty() || text.back() != '?') return false;
  const KeywordText words(text);
  return words.lead() < words.tokens().size() &&
         TokenIn(words.tokens()[words.lead()], WordList(*menu, "obstacle_words"));
}

bool Engine::HelpPhraseStands(const Run& run, const KeywordMatch& m, bool ends_only) const {
  const auto& tokens = run.words().tokens();
  // Past the flow's length only as the closing question, a few words before
  // its mark: "... ini nomor untuk kirim usulan saja atau bisa tanya
  // juga?".
  constexpr size_t kClosingQuestionWords = 8;
  const std::string after = Trim(m.rest);
  const bool closing_question = !after.empty() && after.back() == '?' &&
                                after.find_first_of(".!?\n") == after.size() - 1 &&
                                WhitespaceWords(after) <= kClosingQuestionWords;
  if (ends_only && !NormalizeText(m.rest).empty() && !closing_question) return false;
  // The message before the phrase: its raw words before m.position.
  std::string written;
  size_t last_raw = SIZE_MAX;
  for (const KeywordText::Token& t : tokens) {
    if (t.raw >= m.position) break;
    if (t.raw != last_raw) written += t.written + " ";
    last_raw = t.raw;
  }
  const KeywordText before(written);
  // A case's topic told before the question, in words that ask nothing
  // ("Jalan di dusun krajan rusak. ini nomor untuk lapor?", not "bagimana
  // kalo mo kirim aduan? kita ketik apa"): the story is the message.
  const size_t at = TokenAt(run.words(), m);
  const bool asked_before = at < tokens.size() && tokens[at].sentence > 0;
  if (!asked_before && std::ranges::any_of(by_priority_, [&](const Flow* c) {
        return FilesCase(*c) && FindKeyword(before, c->topic_words, c->not_keywords).has_value();
      })) {
    return false;
  }
  // The closing question after a greeting and too few words for a matter
  // (not after a proposal told first: "... usul jalan rabat ..., ini nomor
  // untuk usul kan?").
  constexpr size_t kMatterWords = 6;
  if (ends_only && closing_question) {
    const auto said = std::ranges::count_if(
        before.tokens(), [&](const KeywordText::Token& t) { return SaysWord(t); });
    return static_cast<size_t>(said) < kMatterWords;
  }
  return true;
}

void Engine::StartPhrase(Run& run, const PhraseMatch& best) const {
  const Flow& flow = *best.flow;
  if (FilesCase(flow) && (NamedTicket(run, flow) || AsksAfterCase(run, nullptr))) return;
  // A phrase read through a typo ("adakan" for "adukan") is a guess: the
  // message is offered, never filed on it.
  const bool guess = best.topic || (best.match.typos > 0 && FilesCase(flow));
  if (guess && Offer(run, flow)) return;
  // "bagaimana caranya kirim usulan lewat sini? apa harus ketik USUL dulu?":
  // nothing before the question mark after the phrase; it asks, it files
  // nothing.
  if (FilesCase(flow)) {
    const size_t mark = best.match.rest.find('?');
    if (mark != std::string::npos && !SaysSomething(best.match.rest.substr(0, mark)) &&
        Offer(run, flow)) {
      return;
    }
    // "kita ada satu usulan for torang pe dusun. Boleh kita sampaikan?",
    // "saya mau usul tapi tidak pandai nulis panjang, gimana ya?": leave to
    // tell it, or an obstacle, asked; the matter is not told yet. The flow
    // asks for it.
    if (AsksLeave(best.match.rest) || ObstacleAsked(best.match.rest)) {
      StartFlow(run, flow, "");
      return;
    }
    // "cakmano nak ngadu lewat siko": how, the phrase, and nothing else;
    // "awak ketik USUL tapi tak ada balasan": what was typed, and that it
    // did not work.
    if (AsksHowAround(run.words(), best.match) || TypedButFailed(run.words(), best.match) ||
        AsksHowInQuestion(run, flow, best.match) || AsksIfSent(run, best.match)) {
      StartFlow(run, *FindFlow(kMenuFlow), "");
      return;
    }
    // "bagaimana kalau sy mau usul sesuatu untuk kampung caranya apa": it
    // asks how; it is offered, not filed.
    if (AsksHowTo(run.words()) && Offer(run, flow)) return;
    // "mau kirim usulan tapi sonde tahu caranya. Apa harus ketik USUL
    // dulu?": the message goes on to ask how; it is offered, not filed.
    const Flow* menu = FindFlow(kMenuFlow);
    if (menu != nullptr &&
        FindKeyword(run.words(), menu->phrase_words, menu->not_keywords,
                    TokenAt(run.words(), best.match)) &&
        Offer(run, flow)) {
      return;
    }
  }
  std::string rest = best.topic ? Trim(run.text) : WithoutCourtesy(best.match.rest);
  // "PAK KADES POTONG BLT ... INI PUNGLI!! SAYA MAU LAPOR": the story came
  // before the phrase, and nothing after it; the story is the answer.
  if (FilesCase(flow) && !best.topic && !SaysSomething(rest) && ToldBefore(run, flow, best.match)) {
    rest = Trim(run.text);
  }
  // A question how to use the service asks; what follows it ("... nomor
  // pengaduan?") answers nothing the menu asks.
  if (flow.phrases_first) rest.clear();
  // A flow that takes a ticket gets the one the message names, or none:
  // "perkembangan pembangunan talud USL-8", "info kegiatan desa".
  if (flow.rest_kind == "ticket" && !ParseLeadingTicket(rest)) {
    rest = FindTicket(rest).value_or("");
  }
  StartFlow(run, flow, rest);
}

}  // namespace suaradesa::dialogs::internal
