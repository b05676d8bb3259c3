// The flow interpreter behind Dialogs::Step.
//
// One step: expire a stale session (keeping its answers as a draft), route
// the message (see engine.h), then walk nodes until the flow waits for an
// answer or ends. All state lives in the SessionState passed in and out; the
// engine itself is immutable after LoadDialogs, so Step is safe from many
// threads.
#include "dialogs/engine.h"
#include "dialogs/engine_internal.h"
#include "dialogs/intent_model.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
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

namespace suaradesa::dialogs::internal {

// How many words separated by spaces, tabs or newlines `text` holds.
size_t WhitespaceWords(std::string_view text) {
  std::istringstream split{std::string(text)};
  size_t n = 0;
  for (std::string w; split >> w;) ++n;
  return n;
}

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

namespace {

// The clauses of `text`, lowercased and split into words: a clause ends at
// a sentence's end, a comma, a bracket or a line break.
std::vector<std::vector<std::string>> Clauses(std::string_view text) {
  std::vector<std::vector<std::string>> clauses;
  for (const TextPiece& piece : SplitAt(Lowercase(text), ".?!,;()")) {
    std::vector<std::string> words = Words(piece.text);
    if (!words.empty()) clauses.push_back(std::move(words));
  }
  return clauses;
}

}  // namespace

std::optional<std::string> TopicFirstRequest(const Flow& flow, std::string_view text) {
  constexpr size_t kMaxWords = 40;     // a request, not a letter
  constexpr size_t kWordsBetween = 6;  // "posyandu mawar anak saya 2 tahun daftar"
  const auto list = [&](const char* name) -> const KeywordList* {
    auto it = flow.word_lists.find(name);
    return it == flow.word_lists.end() ? nullptr : &it->second;
  };
  const KeywordList* groups = list("group_words");
  const KeywordList* prefixes = list("topic_prefixes");
  const KeywordList* verbs = list("topic_verbs");
  const KeywordList* tail = list("topic_tail_words");
  const KeywordList* negations = list("topic_negations");
  const KeywordList* contrasts = list("topic_contrast_words");
  if (groups == nullptr || prefixes == nullptr || verbs == nullptr || tail == nullptr ||
      negations == nullptr || contrasts == nullptr || flow.keywords.empty()) {
    return std::nullopt;
  }
  if (Words(text).size() > kMaxWords) return std::nullopt;
  const auto in = [](const KeywordList& l, const std::string& w) {
    return std::ranges::any_of(l, [&](const std::vector<std::string>& e) {
      return e.size() == 1 && e[0] == w;
    });
  };
  const std::vector<std::vector<std::string>> clauses = Clauses(text);
  // "spp melati saya ikut, tapi tidak dapat info": a clause that opens with
  // "but" after the request turns it into a story.
  const auto contrasted = [&](size_t c) {
    return c + 1 < clauses.size() && in(*contrasts, clauses[c + 1].front());
  };
  // A clause of only a joining word and words of wanting or asking ("masuk
  // mau", "keluar", "saya"): whether it has the word.
  const auto request_only = [&](const std::vector<std::string>& clause, bool* has_verb) {
    *has_verb = false;
    for (const std::string& w : clause) {
      if (in(*verbs, w)) {
        *has_verb = true;
      } else if (!in(*tail, w)) {
        return false;
      }
    }
    return true;
  };
  // Before the request only short clauses ("saya tuli.", "halo."): not
  // "USUL pelatihan ... Karang Taruna siap ikut".
  constexpr size_t kWordsBefore = 6;
  for (size_t c = 0; c < clauses.size(); ++c) {
    if (c > 0 && clauses[c - 1].size() > kWordsBefore) break;
    const std::vector<std::string>& words = clauses[c];
    // A kind of group ("kelompok tani"), or one after a prefix ("grup
    // pkk"), or a group's code ("spp01").
    const auto group_at = [&](size_t from) {
      size_t longest = 0;
      for (const std::vector<std::string>& g : *groups) {
        if (g.size() > longest && from + g.size() <= words.size() &&
            std::equal(g.begin(), g.end(), words.begin() + static_cast<std::ptrdiff_t>(from))) {
          longest = g.size();
        }
      }
      if (longest == 0 && from < words.size()) {
        const std::string& w = words[from];
        const size_t letters = static_cast<size_t>(
            std::ranges::find_if(w, [](char c) { return c >= '0' && c <= '9'; }) - w.begin());
        const bool digits = letters < w.size() &&
                            std::all_of(w.begin() + static_cast<std::ptrdiff_t>(letters), w.end(),
                                        [](char c) { return c >= '0' && c <= '9'; });
        if (letters > 0 && digits && in(*groups, w.substr(0, letters))) longest = 1;
      }
      return longest;
    };
    size_t at = 0;
    size_t kind = group_at(0);
    if (kind == 0 && in(*prefixes, words[0])) {
      at = 1;
      kind = group_at(1);
    }
    if (kind == 0) continue;
    // The first joining (or leaving) word after the group, not denied
    // ("tidak ikut"), and after it only words of wanting or asking: the
    // clause asks for it ("posyandu mawar anak saya 2 tahun daftar mau"),
    // not "karang taruna ikut membersihkan jalan" nor "posyandu mawar saya
    // daftar anak tidak dilayani".
    size_t verb = at + kind;
    while (verb < words.size() && !in(*verbs, words[verb])) ++verb;
    // "12 anggota" counts members; "tidak ikut" denies.
    const auto counted = [&](size_t k) {
      return std::ranges::all_of(words[k - 1], [](char ch) { return ch >= '0' && ch <= '9'; });
    };
    if (verb == words.size() || in(*negations, words[verb - 1]) || counted(verb)) {
      // The request in the clauses that follow, alone ("posyandu mawar sms
      // banyak banyak. keluar mau.", "Karang Taruna. Saya. Masuk. Mau."),
      // after a clause that says no more than a few words and denies
      // nothing but a joining word ("pkk saya belum anggota. masuk mau").
      if (words.size() - (at + kind) > kWordsBetween) continue;
      bool denies = false;
      for (size_t k = at + kind; k < words.size(); ++k) {
        denies = denies || (in(*negations, words[k]) &&
                            (k + 1 == words.size() || !in(*verbs, words[k + 1])));
      }
      if (denies) continue;
      constexpr size_t kClausesAfter = 3;
      for (size_t n = c + 1; n < clauses.size() && n <= c + kClausesAfter; ++n) {
        bool has_verb = false;
        if (!request_only(clauses[n], &has_verb)) break;
        if (has_verb) {
          if (contrasted(n)) break;
          std::string request = flow.keywords.front();
          for (size_t k = at; k < words.size(); ++k) request += " " + words[k];
          return request;
        }
      }
      continue;
    }
    if (verb - (at + kind) > kWordsBetween || contrasted(c)) continue;
    const bool only_tail = std::all_of(
        words.begin() + static_cast<std::ptrdiff_t>(verb) + 1, words.end(),
        [&](const std::string& w) { return in(*tail, w) || in(*verbs, w); });
    if (!only_tail) continue;
    std::string request = flow.keywords.front();
    for (size_t k = at; k < verb; ++k) request += " " + words[k];
    return request;
  }
  return std::nullopt;
}

bool OpensWithGroup(const Flow& flow, std::string_view code_words) {
  auto it = flow.word_lists.find("group_words");
  if (it == flow.word_lists.end()) return false;
  const std::vector<std::string> words = Words(code_words);
  return std::ranges::any_of(it->second, [&](const std::vector<std::string>& group) {
    return !group.empty() && group.size() <= words.size() &&
           std::equal(group.begin(), group.end(), words.begin());
  });
}

// A group code as written after GABUNG or KELUAR, without the words people
// put around it ("kelompok SPP 04 bu" is "SPP 04"): the flow's
// "code_fillers" and courtesy words are dropped.
std::string CodeWords(const Flow& flow, std::string_view rest) {
  static const KeywordList kNone;
  auto it = flow.word_lists.find("code_fillers");
  const auto& fillers = it == flow.word_lists.end() ? kNone : it->second;
  std::string out;
  // "spp melati,piye carane": a comma typed without its space parts words.
  std::string spaced(rest);
  std::ranges::replace(spaced, ',', ' ');
  std::istringstream split{spaced};
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

// A group code is the rest's first clause: "KELUAR karang taruna, sy sudah
// tua" leaves "karang taruna"; what follows the comma is the reason.
// Punctuation inside a word ("SPP.01") does not end it (nor does the
// terminating NUL that strchr finds in `breaks`), except a comma before a
// letter, typed without its space: "spp melati,piye carane daftar".
std::string FirstClause(std::string_view rest, const char* breaks) {
  size_t end = 0;
  for (; end < rest.size(); ++end) {
    const char c = rest[end];
    const bool last = end + 1 == rest.size();
    if (c == '\n' || (std::strchr(breaks, c) != nullptr && c != '\0' &&
                      (last || std::isspace(static_cast<unsigned char>(rest[end + 1])) ||
                       (c == ',' && std::isalpha(static_cast<unsigned char>(rest[end + 1])))))) {
      break;
    }
  }
  const std::string head = Trim(rest.substr(0, end));
  return head.empty() ? std::string(rest) : head;
}

// Drops trailing forms of address and thanks from a keyword's rest.
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

const Flow* Engine::FindFlow(const std::string& name) const {
  for (const Flow& f : flows_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

StepResult Engine::Step(const SessionState& session, const Input& input,
                        const Context& context) const {
  Run run(context, session, input.text);
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
  // "spp melati saya mau ikut": a join or a leave written topic first reads
  // as if written after its keyword.
  if (!s.open()) {
    for (const char* name : {"gabung", "keluar"}) {
      const Flow* f = FindFlow(name);
      if (f == nullptr) continue;
      if (std::optional<std::string> request = TopicFirstRequest(*f, run.text)) {
        run.text = *request;
        break;
      }
    }
  }
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
      // An answer to a waiting invitation is not a keyword read through a
      // typo ("dau mi tunggu sy, tdk bisa datang": "dau" is no "adu").
      if (!s.open() && match->typos > 0 && run.context.rsvp_pending &&
          ParseRsvp(run.text, true)) {
        continue;
      }
      // "jawa" at the language question is the choice, not "jawab".
      if (s.open() && match->typos > 0) {
        const Node* at = FindFlow(s.flow)->Find(s.node);
        if (at->parser == ParserKind::kChoice && at->type == NodeType::kAsk &&
            AnswerChoice(run, *at, input, /*use_default=*/false) != nullptr) {
          continue;
        }
      }
      // A code or choice flow's keyword takes the first clause as its answer
      // ("BAHASA Jawa. Nomor ini jg dipakai bapak saya").
      const std::string rest = f->rest_kind == "code" || f->rest_kind == "choice"
                                   ? FirstClause(match->rest)
                                   : match->rest;
      if (!match->alone) {
        // "batal dulu pak" while a question is open: a short rest still
        // cancels (open_rest_words); a longer one is an answer.
        const bool short_rest =
            f->open_rest_words > 0 &&
            WhitespaceWords(WithoutCourtesy(match->rest)) <= f->open_rest_words;
        // "MULAI. Kulo badhe nampi info malih": alone in its first sentence.
        const auto alone_first = [&] {
          const std::string sentence = FirstClause(run.text, ".!");
          if (sentence == Trim(run.text)) return false;
          auto first = MatchLeadingKeyword(KeywordText(sentence), f->keyword_words,
                                           f->not_keywords);
          return first && first->alone && first->typos == 0;
        };
        if ((s.open() && !short_rest) || (f->alone_only && (s.open() || !alone_first()))) {
          continue;
        }
        // A code may be written in two words ("GABUNG spp 01"), no more,
        // unless they open with a kind of group the flow knows: the caller
        // then finds the group in all of them.
        if (f->rest_kind == "code") {
          const std::string code = CodeWords(*f, rest);
          if (WhitespaceWords(code) > 2 && !OpensWithGroup(*f, code)) continue;
        }
        if (f->rest_kind == "ticket") {
          const std::optional<LeadingTicket> ticket = ParseLeadingTicket(match->rest);
          if (!ticket) continue;
          // "INFO ADU-44": INFO is about activities (USL), not complaints.
          if (!f->about_tickets.empty() &&
              std::ranges::none_of(f->about_tickets, [&](const std::string& prefix) {
                return ticket->ticket.starts_with(prefix + "-");
              })) {
            continue;
          }
        }
        // "ganti bahasa jawa": only when the rest answers the first question.
        if (f->rest_kind == "choice") {
          const Node* first = f->Find(f->start);
          Input answer;
          answer.text = WithoutCourtesy(rest);
          if (first == nullptr || first->parser != ParserKind::kChoice ||
              AnswerChoice(run, *first, answer, /*use_default=*/false) == nullptr) {
            continue;
          }
        }
      }
      if (!GuardPasses(run, *f)) continue;
      // "usulan kami ... dipotong kades": the keyword names the subject, a
      // complaint topic says what the message is.
      if (!match->alone && !s.open()) {
        if (PhraseMatch topic = TopicOverSubject(run, *match); topic.flow != nullptr) {
          StartPhrase(run, topic);
          return true;
        }
      }
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
      // "ADUAN: ..." is the form the poster teaches: what follows is the
      // matter, even when it ends in a question ("itu boleh kah pak?").
      if (!s.open() && FilesCase(*f) &&
          (NamedTicket(run, *f) || (!match->colon && AsksAfterCase(run, f)))) {
        return true;
      }
      if (!s.open() && FilesCase(*f) && AsksFirst(run) && Offer(run, *f)) return true;
      if (!s.open() && FilesCase(*f) && AsksHowOnly(match->rest)) {
        StartFlow(run, *FindFlow(kMenuFlow), "");
        return true;
      }
      // "kalo nak ngusul formatnyo cakmano pak": it asks how; offered, not filed.
      if (!s.open() && FilesCase(*f) && AsksHowTo(run.words()) && Offer(run, *f)) return true;
      StartFlow(run, *f, rest);
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
      Retry(run, flow, node, input);
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

void Engine::StartFlow(Run& run, const Flow& flow, const std::string& rest,
                       json vars) const {
  // "stop info PKK aja, yg lain tetep kirim": one group, not everything.
  if (!flow.narrows_to.empty()) {
    if (std::string group = OneGroupNamed(run, flow); !group.empty()) {
      const size_t before = run.result.effects.size();
      StartFlow(run, *FindFlow(flow.narrows_to), group);
      for (size_t i = before; i < run.result.effects.size(); ++i) {
        if (auto* leave = std::get_if<LeaveGroup>(&run.result.effects[i].value)) leave->stop = true;
      }
      return;
    }
    // It keeps the others but names no one group: which one, then.
    if (KeepsOthers(run.words(), *FindFlow(flow.narrows_to))) {
      StartFlow(run, *FindFlow(flow.narrows_to), "");
      return;
    }
  }
  SessionState& s = run.session();
  s.flow = flow.name;
  s.node.clear();
  s.vars = std::move(vars);
  // The contact's desa, for a flow that declares it: looked up only then.
  if (run.context.known_desa &&
      std::ranges::find(flow.engine_vars, std::string(kKnownDesaVar)) != flow.engine_vars.end()) {
    if (std::string desa = run.context.known_desa(); !desa.empty()) s.vars[kKnownDesaVar] = desa;
  }
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
    auto holds = [&](const std::string& var) {
      return vars.contains(var) && !vars[var].is_null() &&
             !(vars[var].is_string() && vars[var].get<std::string>().empty());
    };
    const bool set = holds(node->var);
    // Known already (said in the opening, or inferred): not asked again.
    // While correcting, the new answer's words count again (a corrected
    // desa answer brings its dusun), but nothing is skipped unasked.
    // Leaving a node unasked goes where answering it would: on, or back to
    // the read-back when correcting one field.
    auto skip = [&] { Enter(run, flow, NextAfter(run, *node, node->next), ""); };
    if ((!correcting && node->skip_if_set && set) ||
        (!correcting && !node->skip_if.empty() && holds(node->skip_if)) ||
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
  // "jembatan gantung pak"; nothing to file in a number and an asking word
  // ("laporan 0112 gmn"): the question is asked.
  if (!answer.empty() && node_id == flow.start && node->type == NodeType::kAsk &&
      node->parser == ParserKind::kText) {
    answer = SaysSomething(answer) ? WithoutTrailingFillers(answer) : std::string();
  }
  if (!answer.empty()) {
    Input prefill;
    prefill.text = answer;
    if (TryAnswer(run, flow, *node, prefill) != Answer::kNo) return;
  }
  // An offer whose story names no place asks for it with the yes.
  if (node->type == NodeType::kConfirm && !node->prompt_no_place.empty() &&
      !PlaceKnown(run, flow, *node)) {
    Prompt(run, flow, *node, node->prompt_no_place);
    return;
  }
  Prompt(run, flow, *node, node->prompt);
}

Engine::CaseFields Engine::CaseFieldsOf(const SessionState& s, const Node& node) const {
  CaseFields out;
  out.fields = PublicVars(s.vars);
  out.summary =
      CaseSummary(node.summary, PromptParams(nullptr, out.fields, kReferenceLanguage));
  if (!node.desa_var.empty() && out.fields.contains(node.desa_var) &&
      out.fields[node.desa_var].is_string()) {
    out.desa = out.fields[node.desa_var].get<std::string>();
  }
  // The dialog that filed it: the gateway links that dialog's messages.
  out.flow = s.flow;
  return out;
}

void Engine::CreateCase(Run& run, const Flow& flow, const Node& node) const {
  CaseFields common = CaseFieldsOf(run.session(), node);
  dialogs::CreateCase filed;
  filed.type = node.case_type == "pengaduan" ? CaseType::kPengaduan : CaseType::kUsulan;
  filed.fields = std::move(common.fields);
  filed.summary = std::move(common.summary);
  filed.desa = std::move(common.desa);
  filed.flow = std::move(common.flow);
  const json& vars = filed.fields;
  filed.confidential = node.confidential;
  if (!node.confidential_var.empty()) {
    auto it = vars.find(node.confidential_var);
    filed.confidential = false;
    if (it != vars.end() && it->is_boolean()) filed.confidential = it->get<bool>();
    if (it != vars.end() && it->is_string()) {
      filed.confidential =
          std::ranges::find(node.confidential_values, it->get<std::string>()) !=
          node.confidential_values.end();
    }
  }
  for (const FlagSpec& f : node.flags) {
    auto it = vars.find(f.var);
    if (it == vars.end() || !it->is_string()) continue;
    if (FindKeyword(it->get<std::string>(), f.words)) filed.flags.push_back(f.flag);
  }
  run.result.effects.push_back(Effect{std::move(filed), node.reply, {}});
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
  CaseFields common = CaseFieldsOf(s, node);
  dialogs::UpdateCase update;
  update.ticket = s.vars[kTicketVar].get<std::string>();
  update.fields = std::move(common.fields);
  update.summary = std::move(common.summary);
  update.desa = std::move(common.desa);
  update.flow = std::move(common.flow);
  run.result.effects.push_back(Effect{std::move(update), node.reply, {}});
  Close(run);
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
      StatusQuery query;
      std::optional<std::string> ticket = FindTicket(rest);
      query.ticket = ticket.value_or("");
      if (!ticket) {
        if (std::optional<long long> n = ParseBareCaseNumber(rest)) query.number = *n;
      }
      run.result.effects.push_back(Effect{std::move(query), node.reply, {}});
      Close(run);
      return;
    }
    case ActionKind::kOptOut:
    case ActionKind::kOptIn: {
      run.result.effects.push_back(
          Effect{node.action == ActionKind::kOptOut ? EffectValue(OptOut{}) : EffectValue(OptIn{}),
                 node.reply, {}});
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
      json strings = json::object();
      for (const auto& [key, value] : s.vars.items()) {
        strings[key] = value.is_string() ? value : json(value.dump());
      }
      std::map<std::string, std::string> data;
      for (const auto& [key, value] : node.data.items()) {
        // A field that is one var the dialog never set (a question left
        // unasked, as INFO's ticket) is empty, never the template itself.
        const std::string& tmpl = value.get_ref<const std::string&>();
        const bool lone_var = tmpl.size() > 2 && tmpl.front() == '{' && tmpl.back() == '}' &&
                              tmpl.find('{', 1) == std::string::npos;
        data[key] = lone_var && !strings.contains(tmpl.substr(1, tmpl.size() - 2))
                        ? std::string()
                        : Substitute(tmpl, strings);
      }
      std::optional<EffectValue> declared = MakeDeclared(node.effect, data);
      if (!declared) {  // not declarable: refused when the flow loaded
        Fail(run);
        return;
      }
      Effect effect{std::move(*declared), "", {}};
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
      // "blm tau bisa kah ndik, liat besok": nothing to record yet.
      if (s.vars.value("answer", "") == kRsvpUndecided && !node.reply_undecided.empty()) {
        run.result.replies.push_back(MakeReply(
            node.reply_undecided, PromptParams(&flow, s.vars, run.context.language), {},
            run.context));
        Close(run);
        return;
      }
      Rsvp rsvp;
      rsvp.answer = s.vars.value("answer", "hadir");
      rsvp.reason = s.vars.value("reason", "");
      if (s.vars.contains("choice") && s.vars["choice"].is_number_integer()) {
        rsvp.choice = s.vars["choice"].get<int64_t>();
      }
      // "dua2nya", "semua": every invitation the question listed.
      rsvp.all = s.vars.value("choice", json()) == kAllValue;
      run.result.effects.push_back(Effect{std::move(rsvp), node.reply, {}});
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

}  // namespace suaradesa::dialogs::internal

namespace suaradesa::dialogs {

using internal::Engine;
using internal::kChatterFlow;
using internal::kChatterKeys;
using internal::kEngineKeys;
using internal::kFlowLabelPrefix;
using internal::kNewCaseKey;
using internal::kNoteFlow;

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
    if (f.name == kNoteFlow && !catalog.Has(kNewCaseKey)) {
      errors.problems.push_back(std::string("id.json: ") + kNewCaseKey +
                                ": missing; catatan.json's question lists it");
    }
    if (f.name != kChatterFlow) continue;
    for (const char* key : kChatterKeys) {
      if (!catalog.Has(key)) {
        errors.problems.push_back(std::string("id.json: ") + key +
                                  ": missing; salam.json's chatter answers use it");
      }
    }
  }
  // A flow another one hands its message to must exist and take the rest
  // it is given: narrows_to a group code, denied_to what the flow takes.
  const auto check_target = [&](const Flow& f, const char* key, const std::string& target,
                                const std::string& rest_kind, const char* what) {
    if (target.empty()) return;
    const auto found = std::ranges::find(flows, target, &Flow::name);
    if (found == flows.end() || found->rest_kind != rest_kind) {
      errors.problems.push_back(f.name + ".json: " + key + ": '" + target + "' is no flow that " +
                                what);
    }
  };
  for (const Flow& f : flows) {
    check_target(f, "narrows_to", f.narrows_to, "code", "takes a group code");
    check_target(f, "denied_to", f.denied_to, f.rest_kind, "takes what this one takes");
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
  // Trained here, at start-up, not inside the first message's transaction.
  (void)DefaultIntentModel();
  return std::make_unique<Engine>(std::move(catalog), std::move(flows),
                                  options);
}

}  // namespace suaradesa::dialogs
