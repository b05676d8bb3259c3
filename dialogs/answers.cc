// Answers: reading a message as the answer to the open question, by the
// node's parser (text, numbers, rupiah, choices, yes/no, places), with
// several figures filling several questions, corrections at the read-back,
// and what a message that fits nothing gets.
#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "dialogs/case_note.h"
#include "dialogs/chatter.h"
#include "dialogs/engine_internal.h"
#include "dialogs/lexicon.h"
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

// The amount in the clause after the first of `cost_words` in `text`, when
// that clause holds exactly one ("biaya sktr 25jt, warga swadaya" -> 25
// million); a clause ends at a comma or full stop before a space.
std::optional<int64_t> StatedAmount(const std::string& text, const KeywordList& cost_words) {
  std::optional<KeywordMatch> cost = FindKeyword(text, cost_words);
  if (!cost) return std::nullopt;
  std::string clause = cost->rest;
  for (const char* end : {", ", ". ", ";", "\n"}) {
    size_t at = clause.find(end);
    // "Rp. 187.500.000,-": the currency's full stop ends nothing.
    while (at != std::string::npos && at >= 2 && Lowercase(clause.substr(at - 2, 2)) == "rp") {
      at = clause.find(end, at + 1);
    }
    if (at != std::string::npos) clause.resize(at);
  }
  // "2. Perkiraan biaya Rp. 187.500.000,- 3. Swadaya ...": the next point's
  // number of a numbered letter ends the clause.
  if (size_t space = clause.find_last_of(' '); space != std::string::npos &&
                                               space + 3 >= clause.size() &&
                                               AllDigits(clause.substr(space + 1)) &&
                                               cost->rest.size() > clause.size() &&
                                               cost->rest[clause.size()] == '.') {
    clause.resize(space);
  }
  std::expected<int64_t, RupiahError> amount = ParseRupiah(clause);
  if (!amount) return std::nullopt;
  return *amount;
}

// The amount meant in a cost answer with several figures, as a formal
// writer gives one: the amount spelled out or a rate in brackets after it
// ("Rp. 187.500.000,- (seratus delapan puluh tujuh juta ...)", "(hitungan
// kasar Rp. 300.000,-/m')"), a total after "=" ("2 unit x Rp. 14.500.000,-
// = Rp. 29.000.000,-"), or what it includes after "@" or one of
// `detail_words` ("Rp. 32.750.000,- termasuk mesin jahit 5 unit @ ...").
std::optional<int64_t> MeantAmount(const std::string& text, const KeywordList* detail_words) {
  std::vector<std::string> readings;
  std::string unbracketed;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (depth == 0) unbracketed.push_back(c);
    if (c == ')' && depth > 0) --depth;
  }
  if (unbracketed.size() < text.size()) readings.push_back(unbracketed);
  if (size_t eq = text.rfind('='); eq != std::string::npos) readings.push_back(text.substr(eq + 1));
  std::string before = Lowercase(text);
  if (size_t at = before.find('@'); at != std::string::npos) before.resize(at);
  if (detail_words != nullptr) {
    for (const std::vector<std::string>& entry : *detail_words) {
      std::string phrase;
      for (const std::string& w : entry) phrase += (phrase.empty() ? "" : " ") + w;
      if (size_t at = (" " + before + " ").find(" " + phrase + " "); at != std::string::npos) {
        before.resize(at);
      }
    }
  }
  if (before.size() < text.size()) readings.push_back(before);
  for (const std::string& r : readings) {
    if (std::expected<int64_t, RupiahError> amount = ParseRupiah(r)) return *amount;
  }
  return std::nullopt;
}

}  // namespace

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
      const KeywordText words(text);  // read once for every choice
      for (const ChoiceSpec& c : node.choices) {
        if (c.words.empty() || !FindKeyword(words, c.words)) continue;
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
      // A place's whole name as words of the text ("lemahbang kln" too), and
      // only one place's. When the story came from this message, the words
      // before its keyword count too ("kulo Sulastri saking Kaotan ... badhe
      // ngusulaken lampu ...").
      const bool from_message = node.parent_var.empty() && text.size() < run.text.size() &&
                                run.text.find(text) != std::string::npos;
      bool several = false;
      const Place* found = PlaceNamedIn(node, vars, from_message ? run.text : text, &several);
      if (several) return false;
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
    case ParserKind::kRupiah: {
      // An amount the story gives after a cost word, in that clause: "usul
      // saluran irigasi ..., biaya sktr 25jt, warga swadaya tenaga". Never
      // while correcting the amount.
      if (vars.contains(kReturnVar)) return false;
      const Flow* flow = FindFlow(run.session().flow);
      if (flow == nullptr) return false;
      auto cost_words = flow->word_lists.find("cost_words");
      if (cost_words == flow->word_lists.end()) return false;
      std::optional<int64_t> amount = StatedAmount(text, cost_words->second);
      if (!amount) return false;
      vars[node.var] = *amount;
      vars[node.var + "_text"] = FormatRupiah(*amount);
      return true;
    }
    case ParserKind::kText: {
      // The sizes the story gives: "mau usul rabat beton ... kurleb 300 m".
      std::optional<std::string> sizes = ParseMeasure(text);
      if (!sizes) return false;
      vars[node.var] = *sizes;
      return true;
    }
    default:
      return false;
  }
}

bool Engine::NewCaseInstead(Run& run, const Flow& flow, const Input& input) const {
  const json& vars = run.session().vars;
  const std::string answer = Trim(input.text);
  bool chosen = !answer.empty() && answer == vars.value("new_number", std::string());
  auto words = flow.word_lists.find("new_case");
  if (!chosen && words != flow.word_lists.end()) {
    chosen = FindKeyword(run.words(), words->second, {}).has_value();
  }
  // "Is this an addition to ADU-1?" (one case): "tidak" is a new case.
  if (!chosen && run.session().node == kNoteOneNode) {
    chosen = AnswerYesNo(input) == YesNo::kNo;
  }
  const Flow* complaint = FindFlow(vars.value("new_flow", std::string(kNewCaseFlow)));
  if (!chosen || complaint == nullptr) return false;
  // Chosen, not guessed: filed at once with the message as its first
  // answer, as if it had opened with the keyword (nothing asked twice).
  const std::string note = vars.value("note", std::string());
  Close(run);
  StartFlow(run, *complaint, note);
  return true;
}

Engine::Answer Engine::TryAnswer(Run& run, const Flow& flow, const Node& node,
                                 const Input& input) const {
  json& vars = run.session().vars;
  // "Which case is this for?" answered "a new one": offered as a complaint.
  if (flow.name == kNoteFlow && NewCaseInstead(run, flow, input)) return Answer::kAdvanced;
  // "Is this an addition to ADU-1?" answered yes, or "tambahan": choice 1.
  if (flow.name == kNoteFlow && node.id == kNoteOneNode && Trim(input.text) != "1") {
    auto addition = flow.word_lists.find("addition");
    const bool added = AnswerYesNo(input) == YesNo::kYes ||
                       (addition != flow.word_lists.end() &&
                        FindKeyword(run.words(), addition->second, {}).has_value());
    if (added) {
      Input first = input;
      first.text = "1";
      first.choice_id.clear();
      return TryAnswer(run, flow, node, first);
    }
  }
  if (node.type == NodeType::kConfirm) {
    if (Answer a = TryCorrection(run, flow, node, input); a != Answer::kNo) {
      return a;
    }
    std::optional<YesNo> answer = AnswerYesNo(input);
    // "ya, Gitik" or "Kaotan" to "is this a complaint? reply YES and the
    // desa": yes, and the place question answered.
    if (!node.asks_place.empty() && input.choice_id.empty() &&
        (!answer || *answer != YesNo::kNo)) {
      if (const Place* place = PlaceWithYes(flow, node, vars, Trim(input.text))) {
        vars[node.asks_place] = place->code;
        vars[node.asks_place + "_name"] = place->name;
        vars[kSaidPrefix + node.asks_place] = Trim(input.text);
        Enter(run, flow, node.yes, "");
        return Answer::kAdvanced;
      }
    }
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
        // Asked the story and its desa, given only the desa: the desa is
        // kept and the story asked for. Not while correcting the story.
        if (!node.asks_place.empty() && input.choice_id.empty() && !vars.contains(kReturnVar)) {
          if (const Place* place = OnlyPlace(flow, node, vars, text)) {
            vars[node.asks_place] = place->code;
            vars[node.asks_place + "_name"] = place->name;
            vars[kSaidPrefix + node.asks_place] = text;
            Prompt(run, flow, node, node.place_only);
            return Answer::kAsked;
          }
        }
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
        // Two amounts, the second a total ("setunggal mesin 3,5jt, dados
        // 7jt"): the total.
        if (!amount && amount.error() == RupiahError::kAmbiguous) {
          if (auto total = flow.word_lists.find("total_words"); total != flow.word_lists.end()) {
            if (std::optional<int64_t> stated = StatedAmount(text, total->second)) amount = *stated;
          }
        }
        if (!amount && amount.error() == RupiahError::kAmbiguous) {
          auto detail = flow.word_lists.find("detail_words");
          if (std::optional<int64_t> meant = MeantAmount(
                  text, detail == flow.word_lists.end() ? nullptr : &detail->second)) {
            amount = *meant;
          }
        }
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
        const std::string all = CodeWords(flow, text);
        std::istringstream split{all};
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
        // More words than the code holds: kept for the caller, who may find
        // the group named further on ("... ibu2 yg di Gitik, yg namanya
        // Melati"), or before the words that asked to join, when they stood
        // inside a longer message ("... kelompok simpan pinjam ibu2 namanya
        // Melati di gitik, nenek mau ikut masuk jadi anggota bisa ji kah?").
        // The words after the request come first, then the whole message's.
        const std::string around =
            run.text.size() > text.size() ? all + " " + CodeWords(flow, run.text) : all;
        vars["_" + node.var + "_words"] =
            words > 2 ? TruncateUtf8(around, kCodeWordsBytes) : "";
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
      if (FindKeyword(run.words(), KeywordList{old_words})) {
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
  const KeywordText typed(text);
  for (const ChoiceSpec& c : node.choices) {
    if (c.named_by.empty()) continue;
    std::optional<KeywordMatch> m = FindKeyword(typed, c.named_by);
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

void Engine::Retry(Run& run, const Flow& flow, const Node& node, const Input& input) const {
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
    // A figure with no skip (the households benefiting), answered "gk tau"
    // once more: the person does not know, and asking again gets nowhere.
    // The answer is kept as not known ("-"), as a skip would keep it. A
    // place, a ticket or a code is still asked: without it nothing can go on.
    const bool figure = node.parser == ParserKind::kCount || node.parser == ParserKind::kNumber;
    if (figure && pick.choice_id.empty() && input.choice_id.empty() && IsSkip(input.text)) {
      Node unknown = node;
      unknown.skippable = true;
      pick.choice_id = kSkipId;
      if (TryAnswer(run, flow, unknown, pick) != Answer::kNo) return;
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

const Place* Engine::PlaceNamedIn(const Node& question, const json& vars,
                                  const std::string& text, bool* several) const {
  std::vector<std::string> words = Words(NormalizeText(text));
  const Place* found = nullptr;
  for (const Place* p : PlacesFor(question, vars)) {
    std::vector<std::string> name = Words(NormalizeText(p->name));
    if (name.empty() || name.size() > words.size()) continue;
    bool hit = false;
    for (size_t i = 0; i + name.size() <= words.size() && !hit; ++i) {
      hit = std::equal(name.begin(), name.end(), words.begin() + static_cast<std::ptrdiff_t>(i),
                       [](const std::string& n, const std::string& w) {
                         return PlaceWordMatches(n, w);
                       });
    }
    if (!hit) continue;
    if (found != nullptr) {
      *several = true;
      return nullptr;
    }
    found = p;
  }
  return found;
}

const Place* Engine::PlaceWithYes(const Flow& flow, const Node& node, const json& vars,
                                  const std::string& text) const {
  if (const Place* place = OnlyPlace(flow, node, vars, text)) return place;
  // The yes word (or its number) first, then one place's whole name among
  // the words ("ya, desa Gitik, di balai desa").
  // On SMS the offer is numbered: "1, Kaotan" says yes too.
  const size_t end = text.find_first_of(" ,.");
  if (end == std::string::npos) return nullptr;
  const std::string first = text.substr(0, end);
  if (first != "1" && ParseYesNo(first) != YesNo::kYes) return nullptr;
  const Node* question = flow.PlaceQuestion(node.asks_place);
  if (question == nullptr) return nullptr;
  bool several = false;
  return PlaceNamedIn(*question, vars, text.substr(end), &several);
}

bool Engine::PlaceKnown(Run& run, const Flow& flow, const Node& node) const {
  json& vars = run.session().vars;
  if (vars.contains(node.asks_place) && vars[node.asks_place].is_string() &&
      !vars[node.asks_place].get<std::string>().empty()) {
    return true;
  }
  const Node* question = flow.PlaceQuestion(node.asks_place);
  return question != nullptr && !question->infer_from.empty() && Infer(run, *question);
}

const Place* Engine::OnlyPlace(const Flow& flow, const Node& node, const json& vars,
                               const std::string& text) const {
  const Node* question = flow.PlaceQuestion(node.asks_place);
  if (question == nullptr) return nullptr;
  std::vector<const Place*> places = PlacesFor(*question, vars);
  std::vector<std::string> names;
  for (const Place* p : places) names.push_back(p->name);
  std::optional<size_t> named = OnlyPlaceNamed(text, names);
  return named ? places[*named] : nullptr;
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
                WordCount(text) > WordCount(found->name) + 1;
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

}  // namespace suaradesa::dialogs::internal
