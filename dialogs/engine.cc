// The flow interpreter behind Dialogs::Step.
//
// One step: expire a stale session, route the message (a global or flow
// keyword, a bare ticket, the answer to the open question, or else the
// menu), then walk nodes until the flow waits for an answer or ends. All
// state lives in the SessionState passed in and out; the engine itself is
// immutable after LoadDialogs, so Step is safe from many threads.
#include "dialogs/engine.h"

#include <algorithm>
#include <cctype>

#include "dialogs/catalog.h"
#include "dialogs/flow.h"
#include "dialogs/parsers/keywords.h"
#include "dialogs/parsers/rupiah.h"
#include "dialogs/parsers/yes_no.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

using nlohmann::json;

// Catalogue keys the engine itself uses (flows name all the others).
constexpr char kYesKey[] = "common.yes";
constexpr char kNoKey[] = "common.no";
constexpr char kErrorKey[] = "common.error";
constexpr char kMenuFlow[] = "menu";

// Button ids for yes/no questions.
constexpr char kYesId[] = "yes";
constexpr char kNoId[] = "no";

// Longer place lists are not offered as numbered choices (an SMS would run
// to many parts); people type the name instead.
constexpr size_t kMaxListedPlaces = 12;

// Guards against start_flow cycles between flows.
constexpr int kMaxHops = 16;

// Summaries are a case's one-line title.
constexpr size_t kMaxSummaryBytes = 160;

// Words people put before a place name ("desa Gitik", "di ds. Kaotan").
constexpr std::string_view kPlaceFillers[] = {
    "desa", "ds", "di", "kel", "kelurahan", "dusun", "dari", "lokasi"};

bool RendersChoicesAsButtons(const std::string& channel_type) {
  return channel_type == "telegram" || channel_type == "whatsapp";
}

// The 1-based number if `text` is just a number.
std::optional<size_t> ChoiceNumber(const std::string& text) {
  std::string t = NormalizeText(text);
  if (t.empty() || t.size() > 3) return std::nullopt;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  size_t n = std::stoul(t);
  if (n == 0) return std::nullopt;
  return n;
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

 private:
  // The mutable state of one Step call.
  struct Run {
    const Context& context;
    StepResult result;
    bool was_open = false;  // a flow was open when the message arrived
    int hops = 0;
    SessionState& session() { return result.session; }
  };

  const Flow* FindFlow(const std::string& name) const;
  void StartFlow(Run& run, const Flow& flow, const std::string& rest) const;
  void Enter(Run& run, const Flow& flow, const std::string& node_id,
             const std::string& rest) const;
  void RunAction(Run& run, const Node& node, const std::string& rest) const;
  // Tries `input` as the answer to `node`; on success saves it and moves on.
  bool TryAnswer(Run& run, const Flow& flow, const Node& node,
                 const Input& input) const;
  bool AnswerPlace(Run& run, const Node& node, const Input& input) const;
  // nullopt if there is nothing to read (an empty message).
  static std::optional<YesNo> AnswerYesNo(const Input& input);
  void Prompt(Run& run, const Node& node, const std::string& key) const;
  void Close(Run& run) const { run.session() = SessionState{}; }
  void Fail(Run& run) const;

  std::vector<const Place*> PlacesFor(const Node& node) const;
  std::vector<Choice> ChoicesFor(const Node& node,
                                 const std::string& language) const;
  json PromptParams(const json& vars, const std::string& language) const;
  Reply MakeReply(const std::string& key, const json& params,
                  std::vector<Choice> choices, const Context& context) const;

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
  Run run{context, StepResult{session, {}, {}}};
  SessionState& s = run.session();
  if (s.open()) {
    const Flow* flow = FindFlow(s.flow);
    bool expired = context.now - s.updated_at > options_.session_ttl_ms;
    // A session left on a flow or node that no longer exists (flows changed
    // between releases) is treated like an expired one.
    if (expired || flow == nullptr || flow->Find(s.node) == nullptr) {
      Close(run);
    }
  }
  run.was_open = s.open();
  if (!s.vars.is_object()) s.vars = json::object();

  std::string text = input.text;
  // A button pressed after its dialog ended: read its id as if typed.
  if (!s.open() && Trim(text).empty() && !input.choice_id.empty()) {
    text = input.choice_id;
  }

  bool routed = false;
  // A button press answers the open question; it is never a keyword.
  if (!(s.open() && !input.choice_id.empty())) {
    if (!s.open()) {
      if (std::optional<std::string> ticket = ParseTicket(text)) {
        for (const Flow* f : by_priority_) {
          if (f->accepts_ticket) {
            StartFlow(run, *f, *ticket);
            routed = true;
            break;
          }
        }
      }
    }
    for (size_t i = 0; !routed && i < by_priority_.size(); ++i) {
      const Flow& f = *by_priority_[i];
      std::optional<KeywordMatch> match =
          MatchLeadingKeyword(text, f.keyword_words);
      // While a question is open, a keyword counts only on its own, so that
      // an answer that starts with "stop" or "lapor" stays an answer.
      if (!match || (s.open() && !match->alone)) continue;
      StartFlow(run, f, match->rest);
      routed = true;
    }
  }
  if (!routed) {
    if (s.open()) {
      const Flow& flow = *FindFlow(s.flow);
      const Node& node = *flow.Find(s.node);
      if (!TryAnswer(run, flow, node, input)) {
        Prompt(run, node, node.retry.empty() ? node.prompt : node.retry);
      }
    } else {
      StartFlow(run, *FindFlow(kMenuFlow), "");
    }
  }
  run.session().updated_at = context.now;
  return std::move(run.result);
}

void Engine::StartFlow(Run& run, const Flow& flow,
                       const std::string& rest) const {
  SessionState& s = run.session();
  s.flow = flow.name;
  s.node.clear();
  s.vars = json::object();
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
    RunAction(run, *node, rest);
    return;
  }
  run.session().flow = flow.name;
  run.session().node = node->id;
  // Content after a keyword answers the first question ("USUL jembatan").
  if (!rest.empty()) {
    Input prefill;
    prefill.text = rest;
    if (TryAnswer(run, flow, *node, prefill)) return;
  }
  Prompt(run, *node, node->prompt);
}

void Engine::RunAction(Run& run, const Node& node,
                       const std::string& rest) const {
  SessionState& s = run.session();
  switch (node.action) {
    case ActionKind::kCreateCase: {
      json vars = s.vars;
      json strings = PromptParams(vars, kReferenceLanguage);
      Effect effect;
      effect.kind = "create_case";
      effect.data["type"] = node.case_type;
      effect.data["fields"] = vars;
      effect.data["summary"] =
          TruncateUtf8(Substitute(node.summary, strings), kMaxSummaryBytes);
      std::string desa;
      if (!node.desa_var.empty() && vars.contains(node.desa_var) &&
          vars[node.desa_var].is_string()) {
        desa = vars[node.desa_var].get<std::string>();
      }
      effect.data["desa"] = desa;
      bool confidential = node.confidential;
      if (!node.confidential_var.empty()) {
        auto it = vars.find(node.confidential_var);
        confidential = it != vars.end() && it->is_boolean() && it->get<bool>();
      }
      effect.data["confidential"] = confidential;
      effect.reply_key = node.reply;
      run.result.effects.push_back(std::move(effect));
      Close(run);
      return;
    }
    case ActionKind::kStatusQuery: {
      Effect effect;
      effect.kind = "status_query";
      effect.data["ticket"] = ParseTicket(rest).value_or("");
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
      StartFlow(run, *target, rest);
      return;
    }
    case ActionKind::kReply:
      run.result.replies.push_back(
          MakeReply(node.reply, PromptParams(s.vars, run.context.language), {},
                    run.context));
      Close(run);
      return;
    case ActionKind::kCancel: {
      const std::string& key =
          run.was_open || node.reply_none.empty() ? node.reply : node.reply_none;
      run.result.replies.push_back(MakeReply(key, json::object(), {},
                                             run.context));
      Close(run);
      return;
    }
  }
}

bool Engine::TryAnswer(Run& run, const Flow& flow, const Node& node,
                       const Input& input) const {
  json& vars = run.session().vars;
  if (node.type == NodeType::kConfirm) {
    std::optional<YesNo> answer = AnswerYesNo(input);
    if (!answer || *answer == YesNo::kUnknown) return false;
    if (*answer == YesNo::kYes) {
      Enter(run, flow, node.yes, "");
    } else {
      if (!node.no_reply.empty()) {
        run.result.replies.push_back(MakeReply(
            node.no_reply, PromptParams(vars, run.context.language), {},
            run.context));
      }
      Enter(run, flow, node.no, "");
    }
    return true;
  }

  std::string next = node.next;
  std::string text = Trim(input.text);
  switch (node.parser) {
    case ParserKind::kText: {
      if (text.empty() && input.location) {
        text = std::to_string(input.location->latitude) + "," +
               std::to_string(input.location->longitude);
      }
      if (text.empty()) text = Trim(input.choice_id);
      if (text.empty()) return false;
      vars[node.var] = text;
      break;
    }
    case ParserKind::kNumber: {
      std::optional<int64_t> n = FirstNumber(text);
      if (!n) return false;
      vars[node.var] = *n;
      break;
    }
    case ParserKind::kRupiah: {
      std::expected<int64_t, RupiahError> amount = ParseRupiah(text);
      if (!amount) return false;
      vars[node.var] = *amount;
      vars[node.var + "_text"] = FormatRupiah(*amount);
      break;
    }
    case ParserKind::kYesNo: {
      std::optional<YesNo> answer = AnswerYesNo(input);
      if (!answer) return false;
      if (*answer == YesNo::kUnknown) {
        if (!node.default_yes) return false;
        answer = *node.default_yes ? YesNo::kYes : YesNo::kNo;
      }
      vars[node.var] = *answer == YesNo::kYes;
      break;
    }
    case ParserKind::kPlace:
      if (!AnswerPlace(run, node, input)) return false;
      break;
    case ParserKind::kChoice: {
      const ChoiceSpec* picked = nullptr;
      std::optional<size_t> number = ChoiceNumber(text);
      std::string normalized = NormalizeText(text);
      for (size_t i = 0; i < node.choices.size() && picked == nullptr; ++i) {
        const ChoiceSpec& c = node.choices[i];
        bool hit =
            (!input.choice_id.empty() && input.choice_id == c.id) ||
            (number && *number == i + 1) ||
            (!normalized.empty() &&
             (normalized == NormalizeText(c.id) ||
              normalized == NormalizeText(catalog_.Render(
                                c.label, json::object(), run.context.language))));
        if (hit) picked = &c;
      }
      if (picked == nullptr) return false;
      if (!node.var.empty()) vars[node.var] = picked->id;
      if (!picked->next.empty()) next = picked->next;
      break;
    }
  }
  Enter(run, flow, next, "");
  return true;
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

bool Engine::AnswerPlace(Run& run, const Node& node, const Input& input) const {
  json& vars = run.session().vars;
  std::vector<const Place*> places = PlacesFor(node);
  std::string text = Trim(input.text);
  const Place* found = nullptr;
  if (!input.choice_id.empty()) {
    for (const Place* p : places) {
      if (p->code == input.choice_id) found = p;
    }
  }
  if (found == nullptr && places.size() <= kMaxListedPlaces) {
    if (std::optional<size_t> n = ChoiceNumber(text)) {
      if (*n <= places.size()) found = places[*n - 1];
    }
  }
  if (found == nullptr && !text.empty()) {
    std::vector<std::string> words = Words(text);
    while (!words.empty() &&
           std::ranges::find(kPlaceFillers, words.front()) !=
               std::end(kPlaceFillers)) {
      words.erase(words.begin());
    }
    std::string joined;
    for (const std::string& w : words) joined += (joined.empty() ? "" : " ") + w;
    // Exact name first; then a name that appears as whole words inside the
    // text, if exactly one does.
    std::vector<const Place*> contained;
    for (const Place* p : places) {
      std::string name = NormalizeText(p->name);
      if (name.empty()) continue;
      if (name == joined) {
        found = p;
        break;
      }
      std::string padded = " " + joined + " ";
      if (padded.find(" " + name + " ") != std::string::npos) {
        contained.push_back(p);
      }
    }
    if (found == nullptr && contained.size() == 1) found = contained.front();
  }
  if (found != nullptr) {
    vars[node.var] = found->code;
    vars[node.var + "_name"] = found->name;
    return true;
  }
  if (input.location && text.empty()) {
    text = std::to_string(input.location->latitude) + "," +
           std::to_string(input.location->longitude);
  }
  // Free text is kept where the flow allows it, and always when no places
  // are configured (otherwise the question could never be answered).
  if ((node.allow_text || places.empty()) && !text.empty() &&
      !ChoiceNumber(text)) {
    vars[node.var] = "";
    vars[node.var + "_name"] = text;
    return true;
  }
  return false;
}

void Engine::Prompt(Run& run, const Node& node, const std::string& key) const {
  run.result.replies.push_back(
      MakeReply(key, PromptParams(run.session().vars, run.context.language),
                ChoicesFor(node, run.context.language), run.context));
}

void Engine::Fail(Run& run) const {
  Close(run);
  run.result.replies.push_back(
      MakeReply(kErrorKey, json::object(), {}, run.context));
}

std::vector<const Place*> Engine::PlacesFor(const Node& node) const {
  std::vector<const Place*> out;
  for (const Place& p : options_.places) {
    if (p.parent_code.empty()) continue;
    if (!node.parent.empty() && p.parent_code != node.parent) continue;
    out.push_back(&p);
  }
  return out;
}

std::vector<Choice> Engine::ChoicesFor(const Node& node,
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
    std::vector<const Place*> places = PlacesFor(node);
    if (places.size() <= kMaxListedPlaces) {
      for (const Place* p : places) out.push_back({p->code, p->name});
    }
  }
  return out;
}

json Engine::PromptParams(const json& vars, const std::string& language) const {
  json params = json::object();
  for (const auto& [key, value] : vars.items()) {
    if (value.is_boolean()) {
      params[key] = catalog_.Render(value.get<bool>() ? kYesKey : kNoKey,
                                    json::object(), language);
    } else if (value.is_string()) {
      params[key] = value;
    } else {
      params[key] = value.dump();
    }
  }
  return params;
}

Reply Engine::MakeReply(const std::string& key, const json& params,
                        std::vector<Choice> choices,
                        const Context& context) const {
  Reply reply;
  reply.key = key;
  reply.text = catalog_.Render(key, params, context.language);
  if (!choices.empty() && !RendersChoicesAsButtons(context.channel_type)) {
    for (size_t i = 0; i < choices.size(); ++i) {
      reply.text += "\n" + std::to_string(i + 1) + ". " + choices[i].label;
    }
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

}  // namespace

std::expected<std::unique_ptr<Dialogs>, LoadErrors> LoadDialogs(
    const Sources& sources, const Options& options) {
  LoadErrors errors;
  Catalog catalog;
  catalog.Load(sources.locales, &errors.problems);
  for (const char* key : {kYesKey, kNoKey, kErrorKey}) {
    if (!catalog.Keys(kReferenceLanguage).empty() && !catalog.Has(key)) {
      errors.problems.push_back(std::string("id.json: ") + key +
                                ": missing; the engine uses it");
    }
  }
  std::vector<Flow> flows = LoadFlows(sources.flows, catalog, &errors.problems);
  if (!errors.problems.empty()) return std::unexpected(std::move(errors));
  return std::make_unique<Engine>(std::move(catalog), std::move(flows),
                                  options);
}

}  // namespace suaradesa::dialogs
