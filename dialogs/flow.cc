// Flow loading. Validation collects every problem rather than stopping at
// the first, so `suaradesa check` can list them all in one run.
#include "dialogs/flow.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "dialogs/effect.h"
#include "dialogs/parsers/keywords.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

using nlohmann::json;

struct ParserName {
  std::string_view name;
  ParserKind kind;
};
constexpr ParserName kParsers[] = {
    {"text", ParserKind::kText},     {"number", ParserKind::kNumber},
    {"index", ParserKind::kIndex},   {"count", ParserKind::kCount},
    {"rupiah", ParserKind::kRupiah}, {"yes_no", ParserKind::kYesNo},
    {"date", ParserKind::kDate},     {"place", ParserKind::kPlace},
    {"choice", ParserKind::kChoice}, {"ticket", ParserKind::kTicket},
    {"code", ParserKind::kCode},
};

struct ActionName {
  std::string_view name;
  ActionKind kind;
};
constexpr ActionName kActions[] = {
    {"create_case", ActionKind::kCreateCase},
    {"status_query", ActionKind::kStatusQuery},
    {"opt_out", ActionKind::kOptOut},
    {"opt_in", ActionKind::kOptIn},
    {"start_flow", ActionKind::kStartFlow},
    {"reply", ActionKind::kReply},
    {"cancel", ActionKind::kCancel},
    {"effect", ActionKind::kEffect},
    {"rsvp", ActionKind::kRsvp},
    {"resume_draft", ActionKind::kResumeDraft},
    {"discard_draft", ActionKind::kDiscardDraft},
    {"update_case", ActionKind::kUpdateCase},
};

constexpr std::string_view kGuards[] = {"rsvp"};

constexpr std::string_view kCaseTypes[] = {"usulan", "pengaduan"};

// Accumulates problems for one file.
class Checker {
 public:
  Checker(std::string file, const Catalog& catalog,
          std::vector<std::string>* problems)
      : file_(std::move(file)), catalog_(catalog), problems_(problems) {}

  void Problem(const std::string& path, const std::string& what) {
    problems_->push_back(file_ + ": " + (path.empty() ? "" : path + ": ") +
                         what);
    ++count_;
  }
  int count() const { return count_; }

  // Reports keys of `obj` not in `allowed` ("_" keys are comments).
  void OnlyKeys(const json& obj, const std::string& path,
                const std::set<std::string_view>& allowed) {
    for (const auto& [key, value] : obj.items()) {
      if (key.starts_with("_") || allowed.contains(key)) continue;
      Problem(Join(path, key), "unknown key");
    }
  }

  // Reads a required (or optional) string member. Returns "" if absent or
  // of the wrong type (and reports it).
  std::string String(const json& obj, const std::string& path,
                     const std::string& key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) Problem(Join(path, key), "missing");
      return "";
    }
    if (!it->is_string() || it->get<std::string>().empty()) {
      Problem(Join(path, key), "expected a non-empty string");
      return "";
    }
    return it->get<std::string>();
  }

  // Reads an array of keyword phrases: each string is split into keyword
  // words (KeywordWords), so "ikut info" is one phrase of two words. With
  // `non_empty` an empty array is a problem too.
  void Phrases(const json& array, const std::string& path, bool non_empty,
               KeywordList* out) {
    if (!array.is_array() || (non_empty && array.empty())) {
      Problem(path, non_empty ? "expected a non-empty array of strings"
                              : "expected an array of strings");
      return;
    }
    for (const json& w : array) {
      std::vector<std::string> kw =
          w.is_string() ? KeywordWords(w.get<std::string>()) : std::vector<std::string>{};
      if (kw.empty()) {
        Problem(path, "expected strings with letters or digits");
      } else {
        out->push_back(std::move(kw));
      }
    }
  }

  // A catalogue key that must be in id.json.
  std::string Key(const json& obj, const std::string& path,
                  const std::string& key, bool required) {
    std::string value = String(obj, path, key, required);
    if (!value.empty() && !catalog_.Has(value)) {
      Problem(Join(path, key), "'" + value + "' is not in id.json");
    }
    return value;
  }

  // Reads an optional boolean member.
  bool Bool(const json& obj, const std::string& path, const std::string& key) {
    auto it = obj.find(key);
    if (it == obj.end()) return false;
    if (!it->is_boolean()) {
      Problem(Join(path, key), "expected true or false");
      return false;
    }
    return it->get<bool>();
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

 private:
  std::string file_;
  const Catalog& catalog_;
  std::vector<std::string>* problems_;
  int count_ = 0;
};

void LoadChoices(Checker& c, const json& node, const std::string& path,
                 Node* out) {
  auto it = node.find("choices");
  if (it == node.end()) return;
  std::string cpath = Checker::Join(path, "choices");
  if (!it->is_array() || it->empty()) {
    c.Problem(cpath, "expected a non-empty array");
    return;
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& choice = (*it)[i];
    std::string p = cpath + "[" + std::to_string(i) + "]";
    if (!choice.is_object()) {
      c.Problem(p, "expected an object");
      continue;
    }
    c.OnlyKeys(choice, p, {"id", "label", "next", "words"});
    ChoiceSpec spec;
    spec.id = c.String(choice, p, "id", true);
    spec.label = c.Key(choice, p, "label", true);
    spec.next = c.String(choice, p, "next", false);
    if (auto words = choice.find("words"); words != choice.end()) {
      c.Phrases(*words, p + ".words", /*non_empty=*/false, &spec.words);
    }
    spec.named_by = spec.words;
    if (std::vector<std::string> id = KeywordWords(spec.id); id.size() == 1 && id[0].size() >= 4) {
      spec.named_by.push_back(std::move(id));
    }
    if (!spec.id.empty() && !ids.insert(spec.id).second) {
      c.Problem(p + ".id", "duplicate choice '" + spec.id + "'");
    }
    out->choices.push_back(spec);
  }
}

void LoadAsk(Checker& c, const json& node, const std::string& path,
             Node* out) {
  c.OnlyKeys(node, path,
             {"id", "type", "prompt", "parser", "var", "next", "retry",
              "choices", "default", "allow_text", "parent", "parent_var",
              "skippable", "continue", "soft", "ambiguous", "unclear",
              "after_pin", "return", "yes_choice", "no_choice", "fallback",
              "at_most", "too_many", "infer_from", "infer_only", "skip_if_set", "skip_if",
              "labels", "fills", "all", "asks_place", "place_only"});
  out->prompt = c.Key(node, path, "prompt", true);
  out->retry = c.Key(node, path, "retry", false);
  out->ambiguous = c.Key(node, path, "ambiguous", false);
  out->unclear = c.Key(node, path, "unclear", false);
  out->after_pin = c.Key(node, path, "after_pin", false);
  out->skippable = c.Bool(node, path, "skippable");
  out->continue_field = c.Bool(node, path, "continue");
  out->soft = c.Bool(node, path, "soft");
  out->return_to = c.String(node, path, "return", false);
  out->yes_choice = c.String(node, path, "yes_choice", false);
  out->no_choice = c.String(node, path, "no_choice", false);
  out->fallback = c.String(node, path, "fallback", false);
  out->at_most_var = c.String(node, path, "at_most", false);
  out->too_many = c.Key(node, path, "too_many", false);
  out->infer_from = c.String(node, path, "infer_from", false);
  out->infer_only = c.Bool(node, path, "infer_only");
  out->skip_if_set = c.Bool(node, path, "skip_if_set");
  out->skip_if = c.String(node, path, "skip_if", false);
  out->asks_place = c.String(node, path, "asks_place", false);
  out->place_only = c.Key(node, path, "place_only", false);
  std::string parser = c.String(node, path, "parser", true);
  bool known = parser.empty();
  for (const ParserName& p : kParsers) {
    if (parser == p.name) {
      out->parser = p.kind;
      known = true;
    }
  }
  if (!known) c.Problem(path + ".parser", "unknown parser '" + parser + "'");
  out->next = c.String(node, path, "next", false);
  LoadChoices(c, node, path, out);
  bool is_choice = known && !parser.empty() && out->parser == ParserKind::kChoice;
  // A choice node may route by choice only, and a menu need not save.
  out->var = c.String(node, path, "var", !is_choice);
  if (is_choice && out->choices.empty() && !node.contains("choices")) {
    c.Problem(path + ".choices", "missing (parser 'choice' needs choices)");
  }
  if (!is_choice && node.contains("choices")) {
    c.Problem(path + ".choices", "only parser 'choice' takes choices");
  }
  if (out->next.empty()) {
    bool all_routed = is_choice && !out->choices.empty();
    for (const ChoiceSpec& ch : out->choices) {
      all_routed = all_routed && !ch.next.empty();
    }
    if (!all_routed) c.Problem(path + ".next", "missing");
  }
  if (auto it = node.find("default"); it != node.end()) {
    if (out->parser == ParserKind::kChoice && it->is_string()) {
      out->default_choice = it->get<std::string>();
    } else if (out->parser != ParserKind::kYesNo) {
      c.Problem(path + ".default",
                "only parsers 'yes_no' and 'choice' take a default");
    } else if (*it == "yes" || *it == "no") {
      out->default_yes = *it == "yes";
    } else {
      c.Problem(path + ".default", "expected \"yes\" or \"no\"");
    }
  }
  if (auto it = node.find("allow_text"); it != node.end()) {
    if (!it->is_boolean()) {
      c.Problem(path + ".allow_text", "expected true or false");
    } else {
      out->allow_text = it->get<bool>();
    }
    if (out->parser != ParserKind::kPlace && out->parser != ParserKind::kDate) {
      c.Problem(path + ".allow_text",
                "only parsers 'place' and 'date' take allow_text");
    }
  }
  if (node.contains("parent_var")) {
    out->parent_var = c.String(node, path, "parent_var", false);
    if (out->parser != ParserKind::kPlace) {
      c.Problem(path + ".parent_var", "only parser 'place' takes parent_var");
    }
  }
  if (!is_choice) {
    for (const char* key : {"return", "yes_choice", "no_choice", "fallback"}) {
      if (node.contains(key)) {
        c.Problem(path + "." + key, "only parser 'choice' takes " +
                                        std::string(key));
      }
    }
  }
  for (const std::string* id :
       {&out->default_choice, &out->yes_choice, &out->no_choice,
        &out->fallback}) {
    if (id->empty()) continue;
    bool found = false;
    for (const ChoiceSpec& ch : out->choices) found = found || ch.id == *id;
    if (!found) c.Problem(path, "no choice '" + *id + "'");
  }
  if ((node.contains("at_most") || node.contains("too_many")) &&
      (out->parser != ParserKind::kCount || out->at_most_var.empty() ||
       out->too_many.empty())) {
    c.Problem(path + ".at_most",
              "only parser 'count' takes at_most, and with too_many");
  }
  auto words = [&](const char* key,
                   KeywordList* list) {
    auto it = node.find(key);
    if (it == node.end()) return;
    c.Phrases(*it, path + "." + key, /*non_empty=*/true, list);
  };
  words("labels", &out->labels);
  if (node.contains("labels") && out->parser != ParserKind::kCount) {
    c.Problem(path + ".labels", "only parser 'count' takes labels");
  }
  words("all", &out->all_words);
  if (node.contains("all") && out->parser != ParserKind::kIndex) {
    c.Problem(path + ".all", "only parser 'index' takes all");
  }
  if (auto it = node.find("fills"); it != node.end()) {
    if (!it->is_array() || it->empty()) {
      c.Problem(path + ".fills", "expected a non-empty array of node ids");
    } else {
      for (const json& id : *it) {
        if (id.is_string() && !id.get<std::string>().empty()) {
          out->fills.push_back(id.get<std::string>());
        } else {
          c.Problem(path + ".fills", "expected node ids");
        }
      }
    }
  }
  if ((node.contains("asks_place") || node.contains("place_only")) &&
      (out->parser != ParserKind::kText || out->asks_place.empty() || out->place_only.empty())) {
    c.Problem(path + ".asks_place", "only parser 'text' takes asks_place, and with place_only");
  }
  if (node.contains("parent")) {
    out->parent = c.String(node, path, "parent", false);
    if (out->parser != ParserKind::kPlace) {
      c.Problem(path + ".parent", "only parser 'place' takes parent");
    }
  }
}

void LoadConfirm(Checker& c, const json& node, const std::string& path,
                 Node* out) {
  c.OnlyKeys(node, path,
             {"id", "type", "prompt", "yes", "no", "retry", "no_reply", "soft", "asks_place",
              "prompt_no_place"});
  out->soft = c.Bool(node, path, "soft");
  out->prompt = c.Key(node, path, "prompt", true);
  out->asks_place = c.String(node, path, "asks_place", false);
  out->prompt_no_place = c.Key(node, path, "prompt_no_place", false);
  if (node.contains("prompt_no_place") && out->asks_place.empty()) {
    c.Problem(path + ".prompt_no_place", "only with asks_place");
  }
  out->retry = c.Key(node, path, "retry", false);
  out->no_reply = c.Key(node, path, "no_reply", false);
  out->yes = c.String(node, path, "yes", true);
  out->no = c.String(node, path, "no", true);
}

void LoadAction(Checker& c, const json& node, const std::string& path,
                Node* out) {
  std::string action = c.String(node, path, "action", true);
  bool known = action.empty();
  for (const ActionName& a : kActions) {
    if (action == a.name) {
      out->action = a.kind;
      known = true;
    }
  }
  if (!known) {
    c.Problem(path + ".action", "unknown action '" + action + "'");
    return;
  }
  if (action.empty()) return;
  switch (out->action) {
    case ActionKind::kCreateCase: {
      c.OnlyKeys(node, path,
                 {"id", "type", "action", "reply", "case_type", "summary",
                  "desa_var", "confidential", "confidential_var",
                  "confidential_values", "flags", "next", "reply_asking"});
      out->reply = c.Key(node, path, "reply", true);
      out->reply_asking = c.Key(node, path, "reply_asking", false);
      out->next = c.String(node, path, "next", false);
      out->case_type = c.String(node, path, "case_type", true);
      bool type_ok = out->case_type.empty();
      for (std::string_view t : kCaseTypes) type_ok |= out->case_type == t;
      if (!type_ok) {
        c.Problem(path + ".case_type",
                  "unknown case type '" + out->case_type + "'");
      }
      out->summary = c.String(node, path, "summary", false);
      out->desa_var = c.String(node, path, "desa_var", false);
      out->confidential_var = c.String(node, path, "confidential_var", false);
      if (auto it = node.find("confidential_values"); it != node.end()) {
        if (!it->is_array()) {
          c.Problem(path + ".confidential_values", "expected an array of strings");
        } else {
          for (const json& v : *it) {
            if (v.is_string()) out->confidential_values.push_back(v.get<std::string>());
          }
        }
      }
      if (auto it = node.find("flags"); it != node.end()) {
        if (!it->is_array()) {
          c.Problem(path + ".flags", "expected an array");
        } else {
          for (size_t i = 0; i < it->size(); ++i) {
            const json& f = (*it)[i];
            std::string fp = path + ".flags[" + std::to_string(i) + "]";
            if (!f.is_object()) {
              c.Problem(fp, "expected an object");
              continue;
            }
            c.OnlyKeys(f, fp, {"flag", "var", "words"});
            FlagSpec spec;
            spec.flag = c.String(f, fp, "flag", true);
            spec.var = c.String(f, fp, "var", true);
            auto words = f.find("words");
            if (words == f.end()) {
              c.Problem(fp + ".words", "expected a non-empty array of strings");
            } else {
              c.Phrases(*words, fp + ".words", /*non_empty=*/true, &spec.words);
            }
            out->flags.push_back(std::move(spec));
          }
        }
      }
      if (auto it = node.find("confidential"); it != node.end()) {
        if (!it->is_boolean()) {
          c.Problem(path + ".confidential", "expected true or false");
        } else {
          out->confidential = it->get<bool>();
        }
        if (!out->confidential_var.empty()) {
          c.Problem(path + ".confidential",
                    "give confidential or confidential_var, not both");
        }
      }
      break;
    }
    case ActionKind::kUpdateCase:
      c.OnlyKeys(node, path, {"id", "type", "action", "reply", "summary", "desa_var"});
      out->reply = c.Key(node, path, "reply", true);
      out->summary = c.String(node, path, "summary", false);
      out->desa_var = c.String(node, path, "desa_var", false);
      break;
    case ActionKind::kStartFlow:
      c.OnlyKeys(node, path, {"id", "type", "action", "flow"});
      out->flow = c.String(node, path, "flow", true);
      break;
    case ActionKind::kCancel:
      c.OnlyKeys(node, path, {"id", "type", "action", "reply", "reply_none", "reply_filed"});
      out->reply = c.Key(node, path, "reply", true);
      out->reply_none = c.Key(node, path, "reply_none", false);
      out->reply_filed = c.Key(node, path, "reply_filed", false);
      break;
    case ActionKind::kEffect: {
      c.OnlyKeys(node, path,
                 {"id", "type", "action", "effect", "data", "reply", "wait",
                  "reply_language_var"});
      out->effect = c.String(node, path, "effect", true);
      out->reply = c.Key(node, path, "reply", false);
      out->wait = c.String(node, path, "wait", false);
      out->reply_language_var =
          c.String(node, path, "reply_language_var", false);
      // Only the kinds dialogs/effect.h lets a flow declare, with their
      // own fields: a typo is found here, not by a resident.
      const std::optional<std::vector<std::string>> fields = DeclarableFields(out->effect);
      if (!fields && !out->effect.empty()) {
        std::string known;
        for (std::string_view kind : DeclarableKinds()) {
          known += (known.empty() ? "" : ", ") + std::string(kind);
        }
        c.Problem(path + ".effect", "unknown effect '" + out->effect + "' (a flow may name: " +
                                        known + ")");
      }
      if (auto it = node.find("data"); it != node.end()) {
        if (!it->is_object()) {
          c.Problem(path + ".data", "expected an object");
        } else {
          for (const auto& [k, v] : it->items()) {
            if (!v.is_string()) {
              c.Problem(path + ".data." + k, "expected a string template");
            } else if (fields && std::ranges::find(*fields, k) == fields->end()) {
              c.Problem(path + ".data." + k,
                        "effect '" + out->effect + "' has no field '" + k + "'");
            }
          }
          out->data = *it;
        }
      }
      break;
    }
    case ActionKind::kRsvp:
      c.OnlyKeys(node, path, {"id", "type", "action", "reply", "wait", "reply_undecided"});
      out->reply = c.Key(node, path, "reply", true);
      out->wait = c.String(node, path, "wait", false);
      out->reply_undecided = c.Key(node, path, "reply_undecided", false);
      break;
    case ActionKind::kResumeDraft:
      c.OnlyKeys(node, path, {"id", "type", "action"});
      break;
    default:
      c.OnlyKeys(node, path, {"id", "type", "action", "reply"});
      out->reply = c.Key(node, path, "reply", true);
      break;
  }
}

// The variable names a flow's ask nodes define, with derived ones.
std::set<std::string> DefinedVars(const Flow& flow) {
  std::set<std::string> vars;
  for (const Node& n : flow.nodes) {
    if (n.type != NodeType::kAsk || n.var.empty()) continue;
    vars.insert(n.var);
    if (n.parser == ParserKind::kPlace) {
      for (const char* suffix : {"_name", "_lat", "_lon"}) {
        vars.insert(n.var + suffix);
      }
    }
    if (n.parser == ParserKind::kRupiah) vars.insert(n.var + "_text");
    if (n.parser == ParserKind::kChoice) vars.insert(n.var + "_label");
    if (n.parser == ParserKind::kDate) {
      vars.insert(n.var + "_date");
      vars.insert(n.var + "_time");
    }
  }
  for (const std::string& v : flow.engine_vars) vars.insert(v);
  return vars;
}

void CheckReferences(Checker& c, const Flow& flow, const Catalog& catalog) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < flow.nodes.size(); ++i) {
    const std::string& id = flow.nodes[i].id;
    if (id.empty()) continue;
    if (!index.emplace(id, i).second) {
      c.Problem("nodes[" + std::to_string(i) + "].id",
                "duplicate node '" + id + "'");
    }
  }
  auto check = [&](const std::string& path, const std::string& target) {
    if (!target.empty() && !index.contains(target)) {
      c.Problem(path, "no node '" + target + "'");
    }
  };
  if (!flow.start.empty()) check("start", flow.start);
  if (!flow.topic_start.empty()) check("topic_start", flow.topic_start);
  std::set<std::string> vars = DefinedVars(flow);
  auto check_vars = [&](const std::string& path, const std::string& text,
                        const std::string& what) {
    for (const std::string& p : Placeholders(text)) {
      if (!vars.contains(p)) {
        c.Problem(path, what + " uses {" + p + "}, which no node saves");
      }
    }
  };
  for (size_t i = 0; i < flow.nodes.size(); ++i) {
    const Node& n = flow.nodes[i];
    std::string p = "nodes[" + std::to_string(i) + "]";
    check(p + ".next", n.next);
    check(p + ".yes", n.yes);
    check(p + ".no", n.no);
    check(p + ".return", n.return_to);
    check(p + ".wait", n.wait);
    for (size_t k = 0; k < n.choices.size(); ++k) {
      check(p + ".choices[" + std::to_string(k) + "].next", n.choices[k].next);
    }
    for (const std::string& id : n.fills) {
      const Node* target = flow.Find(id);
      if (target == nullptr) {
        c.Problem(p + ".fills", "no node '" + id + "'");
      } else if (target->type != NodeType::kAsk ||
                 target->parser != ParserKind::kCount ||
                 target->labels.empty()) {
        c.Problem(p + ".fills",
                  "'" + id + "' is no 'count' question with labels");
      }
    }
    if (!n.asks_place.empty() && flow.PlaceQuestion(n.asks_place) == nullptr) {
      c.Problem(p + ".asks_place", "no 'place' question saves '" + n.asks_place + "'");
    }
    for (const std::string* key : {&n.prompt, &n.retry, &n.no_reply, &n.ambiguous,
                                   &n.unclear, &n.after_pin, &n.place_only,
                                   &n.prompt_no_place}) {
      if (key->empty()) continue;
      if (std::optional<std::string> text = catalog.Find(*key, "id")) {
        check_vars(p, *text, "'" + *key + "'");
      }
    }
    check_vars(p + ".summary", n.summary, "summary");
    for (const auto& [k, v] : n.data.items()) {
      if (v.is_string()) check_vars(p + ".data." + k, v.get<std::string>(), "data");
    }
    for (size_t f = 0; f < n.flags.size(); ++f) {
      if (!n.flags[f].var.empty() && !vars.contains(n.flags[f].var)) {
        c.Problem(p + ".flags[" + std::to_string(f) + "].var",
                  "no node saves '" + n.flags[f].var + "'");
      }
    }
    for (const auto& [field, var] :
         {std::pair{".desa_var", &n.desa_var},
          std::pair{".confidential_var", &n.confidential_var},
          std::pair{".reply_language_var", &n.reply_language_var}}) {
      if (!var->empty() && !vars.contains(*var)) {
        c.Problem(p + field, "no node saves '" + *var + "'");
      }
    }
  }
}

}  // namespace

const Node* Flow::Find(const std::string& id) const {
  for (const Node& n : nodes) {
    if (n.id == id) return &n;
  }
  return nullptr;
}

const Node* Flow::PlaceQuestion(const std::string& var) const {
  for (const Node& n : nodes) {
    if (n.type == NodeType::kAsk && n.parser == ParserKind::kPlace && n.var == var) return &n;
  }
  return nullptr;
}

std::optional<Flow> LoadFlow(const std::string& file_name,
                             const std::string& text, const Catalog& catalog,
                             std::vector<std::string>* problems) {
  Checker c(file_name, catalog, problems);
  std::string error;
  std::optional<json> doc = ParseJson(text, &error);
  if (!doc) {
    c.Problem("", error);
    return std::nullopt;
  }
  if (!doc->is_object()) {
    c.Problem("", "expected a JSON object");
    return std::nullopt;
  }
  c.OnlyKeys(*doc, "",
             {"spec_version", "name", "keywords", "phrases", "topics",
              "max_words", "not_keywords", "alone_only", "phrases_first", "rest", "guard",
              "yields_to_invitation", "keep_draft",
              "engine_vars", "word_lists", "guessable", "open_rest_words", "priority", "accepts_ticket", "about_tickets", "start", "nodes",
              "topic_start", "topic_var", "narrows_to", "denied_to", "asked_how", "leads"});
  Flow flow;
  auto version = doc->find("spec_version");
  if (version == doc->end()) {
    c.Problem("spec_version", "missing");
  } else if (!version->is_number_integer() ||
             version->get<int64_t>() != kFlowSpecVersion) {
    c.Problem("spec_version", "expected " + std::to_string(kFlowSpecVersion) +
                                  ", got " + version->dump());
  }
  flow.name = c.String(*doc, "", "name", true);
  std::string stem = file_name.ends_with(".json")
                         ? file_name.substr(0, file_name.size() - 5)
                         : file_name;
  if (!flow.name.empty() && flow.name != stem) {
    c.Problem("name", "'" + flow.name + "' does not match the file name");
  }
  if (auto it = doc->find("keywords"); it != doc->end()) {
    if (!it->is_array()) {
      c.Problem("keywords", "expected an array of strings");
    } else {
      for (size_t i = 0; i < it->size(); ++i) {
        const json& k = (*it)[i];
        std::string p = "keywords[" + std::to_string(i) + "]";
        std::vector<std::string> words =
            k.is_string() ? KeywordWords(k.get<std::string>())
                          : std::vector<std::string>{};
        if (words.empty()) {
          c.Problem(p, "expected a string with letters or digits");
          continue;
        }
        flow.keywords.push_back(k.get<std::string>());
        flow.keyword_words.push_back(words);
      }
    }
  }
  auto word_list = [&](const char* key,
                       KeywordList* out) {
    auto it = doc->find(key);
    if (it == doc->end()) return;
    if (!it->is_array()) {
      c.Problem(key, "expected an array of strings");
      return;
    }
    for (size_t i = 0; i < it->size(); ++i) {
      const json& k = (*it)[i];
      std::vector<std::string> words =
          k.is_string() ? KeywordWords(k.get<std::string>())
                        : std::vector<std::string>{};
      if (words.empty()) {
        c.Problem(std::string(key) + "[" + std::to_string(i) + "]",
                  "expected a string with letters or digits");
        continue;
      }
      out->push_back(std::move(words));
    }
  };
  word_list("phrases", &flow.phrase_words);
  word_list("topics", &flow.topic_words);
  {
    KeywordList not_keywords;
    word_list("not_keywords", &not_keywords);
    for (const auto& words : not_keywords) {
      for (const std::string& w : words) flow.not_keywords.insert(w);
    }
  }
  if (auto it = doc->find("word_lists"); it != doc->end()) {
    if (!it->is_object()) {
      c.Problem("word_lists", "expected an object of arrays of strings");
    } else {
      for (const auto& [name, list] : it->items()) {
        std::string p = "word_lists." + name;
        if (!list.is_array()) {
          c.Problem(p, "expected an array of strings");
          continue;
        }
        auto& out = flow.word_lists[name];
        for (size_t i = 0; i < list.size(); ++i) {
          std::vector<std::string> words =
              list[i].is_string() ? KeywordWords(list[i].get<std::string>())
                                  : std::vector<std::string>{};
          if (words.empty()) {
            c.Problem(p + "[" + std::to_string(i) + "]",
                      "expected a string with letters or digits");
            continue;
          }
          out.push_back(std::move(words));
        }
      }
    }
  }
  if (auto it = doc->find("engine_vars"); it != doc->end()) {
    if (!it->is_array()) {
      c.Problem("engine_vars", "expected an array of strings");
    } else {
      for (const json& v : *it) {
        if (v.is_string()) flow.engine_vars.push_back(v.get<std::string>());
      }
    }
  }
  if (auto it = doc->find("max_words"); it != doc->end()) {
    if (!it->is_number_unsigned()) {
      c.Problem("max_words", "expected a whole number");
    } else {
      flow.max_words = it->get<size_t>();
    }
  }
  flow.alone_only = c.Bool(*doc, "", "alone_only");
  flow.phrases_first = c.Bool(*doc, "", "phrases_first");
  flow.keep_draft = c.Bool(*doc, "", "keep_draft");
  flow.guessable = c.Bool(*doc, "", "guessable");
  if (auto it = doc->find("open_rest_words"); it != doc->end()) {
    if (!it->is_number_unsigned() || it->get<unsigned>() > 5) {
      c.Problem("open_rest_words", "expected a number from 0 to 5");
    } else {
      flow.open_rest_words = it->get<size_t>();
    }
  }
  flow.guard = c.String(*doc, "", "guard", false);
  flow.yields_to_invitation = c.Bool(*doc, "", "yields_to_invitation");
  flow.rest_kind = c.String(*doc, "", "rest", false);
  if (!flow.rest_kind.empty() && flow.rest_kind != "code" &&
      flow.rest_kind != "ticket" && flow.rest_kind != "choice") {
    c.Problem("rest", "expected \"code\", \"ticket\" or \"choice\"");
  }
  if (!flow.guard.empty() &&
      std::find(std::begin(kGuards), std::end(kGuards), flow.guard) ==
          std::end(kGuards)) {
    c.Problem("guard", "unknown guard '" + flow.guard + "'");
  }
  if (auto it = doc->find("priority"); it != doc->end()) {
    if (!it->is_number_integer()) {
      c.Problem("priority", "expected an integer");
    } else {
      flow.priority = it->get<int>();
    }
  }
  if (auto it = doc->find("about_tickets"); it != doc->end()) {
    if (!it->is_array()) {
      c.Problem("about_tickets", "expected an array of ticket prefixes");
    } else {
      for (const json& v : *it) {
        if (!v.is_string() || (v != "USL" && v != "ADU")) {
          c.Problem("about_tickets", "expected \"USL\" or \"ADU\"");
        } else {
          flow.about_tickets.push_back(v.get<std::string>());
        }
      }
    }
  }
  if (auto it = doc->find("accepts_ticket"); it != doc->end()) {
    if (!it->is_boolean()) {
      c.Problem("accepts_ticket", "expected true or false");
    } else {
      flow.accepts_ticket = it->get<bool>();
    }
  }
  flow.start = c.String(*doc, "", "start", true);
  flow.topic_start = c.String(*doc, "", "topic_start", false);
  flow.narrows_to = c.String(*doc, "", "narrows_to", false);
  flow.denied_to = c.String(*doc, "", "denied_to", false);
  flow.asked_how = c.Bool(*doc, "", "asked_how");
  if (const std::string leads = c.String(*doc, "", "leads", false); leads == "clause") {
    flow.leads = Flow::Leads::kClause;
  } else if (leads == "sentence") {
    flow.leads = Flow::Leads::kSentence;
  } else if (!leads.empty()) {
    c.Problem("leads", "expected \"clause\" or \"sentence\"");
  }
  flow.topic_var = c.String(*doc, "", "topic_var", false);
  if (flow.topic_start.empty() != flow.topic_var.empty()) {
    c.Problem("topic_start", "topic_start and topic_var go together");
  }
  auto nodes = doc->find("nodes");
  if (nodes == doc->end() || !nodes->is_array() || nodes->empty()) {
    c.Problem("nodes", "expected a non-empty array");
  } else {
    for (size_t i = 0; i < nodes->size(); ++i) {
      const json& node = (*nodes)[i];
      std::string p = "nodes[" + std::to_string(i) + "]";
      Node out;
      if (!node.is_object()) {
        c.Problem(p, "expected an object");
        continue;
      }
      out.id = c.String(node, p, "id", true);
      std::string type = c.String(node, p, "type", true);
      if (type == "ask") {
        out.type = NodeType::kAsk;
        LoadAsk(c, node, p, &out);
      } else if (type == "confirm") {
        out.type = NodeType::kConfirm;
        LoadConfirm(c, node, p, &out);
      } else if (type == "action") {
        out.type = NodeType::kAction;
        LoadAction(c, node, p, &out);
      } else if (!type.empty()) {
        c.Problem(p + ".type", "unknown node type '" + type + "'");
      }
      flow.nodes.push_back(std::move(out));
    }
  }
  CheckReferences(c, flow, catalog);
  if (c.count() > 0) return std::nullopt;
  return flow;
}

std::vector<Flow> LoadFlows(const std::map<std::string, std::string>& files,
                            const Catalog& catalog,
                            std::vector<std::string>* problems) {
  std::vector<Flow> flows;
  for (const auto& [file, text] : files) {
    if (std::optional<Flow> flow = LoadFlow(file, text, catalog, problems)) {
      flows.push_back(std::move(*flow));
    }
  }
  std::map<std::string, std::string> keyword_owner;  // "a b" -> flow
  std::set<std::string> names;
  for (const Flow& f : flows) names.insert(f.name);
  for (const Flow& f : flows) {
    std::string file = f.name + ".json";
    for (size_t i = 0; i < f.keyword_words.size(); ++i) {
      std::string joined;
      for (const std::string& w : f.keyword_words[i]) {
        joined += (joined.empty() ? "" : " ") + w;
      }
      auto [it, inserted] = keyword_owner.emplace(joined, f.name);
      if (!inserted) {
        problems->push_back(file + ": keywords[" + std::to_string(i) +
                            "]: '" + joined + "' is already a keyword of " +
                            it->second + ".json");
      }
    }
    for (size_t i = 0; i < f.nodes.size(); ++i) {
      const Node& n = f.nodes[i];
      if (n.type == NodeType::kAction && n.action == ActionKind::kStartFlow &&
          !n.flow.empty() && !names.contains(n.flow)) {
        problems->push_back(file + ": nodes[" + std::to_string(i) +
                            "].flow: no flow '" + n.flow + "'");
      }
    }
  }
  if (!names.contains("menu") && !files.contains("menu.json")) {
    problems->push_back(
        "menu.json: missing; the engine needs a flow named 'menu'");
  }
  return flows;
}

}  // namespace suaradesa::dialogs
