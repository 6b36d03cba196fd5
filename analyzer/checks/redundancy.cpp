// Redundancy: actions and resources a statement lists twice or covers with a broader
// pattern, and statements that repeat another (RED001-RED003).
#include <algorithm>
#include <map>
#include <unordered_map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/strings.h"
#include "checks/checks.h"
#include "checks/statement_scope.h"
#include "match/glob.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

// The catalog actions a wildcard action pattern matches (pointers in catalog order),
// computed once per pattern and document.
class ActionSets {
 public:
  explicit ActionSets(const catalog::Catalog& catalog) : catalog_(catalog) {}

  const std::vector<const catalog::Action*>& of(std::string_view pattern) {
    const auto [it, inserted] = cache_.try_emplace(ascii_lower(pattern));
    if (inserted) {
      for_each_matching_action(catalog_, pattern, [&](const catalog::Service&, const catalog::Action& action) {
        it->second.push_back(&action);
      });
    }
    return it->second;
  }

  // Whether every action `narrow` matches is matched by `broad` (different patterns).
  bool covered(std::string_view narrow, std::string_view broad) {
    if (broad == "*") return narrow != "*";
    const auto colon = narrow.find(':');
    const auto broad_colon = broad.find(':');
    if (narrow == "*" || colon == std::string_view::npos || broad_colon == std::string_view::npos ||
        !iequals(narrow.substr(0, colon), broad.substr(0, broad_colon))) {
      return false;  // different services never cover each other
    }
    if (broad.find_first_of("*?") == std::string_view::npos) return false;  // literals cover only themselves
    if (narrow.find_first_of("*?") == std::string_view::npos) return pattern_matches_action(broad, narrow);
    // A wildcard is covered when every catalog action it matches is matched by `broad`;
    // both lists are in catalog order, so this is a merge.
    const auto& small = of(narrow);
    const auto& large = of(broad);
    return !small.empty() && std::includes(large.begin(), large.end(), small.begin(), small.end());
  }

 private:
  const catalog::Catalog& catalog_;
  std::unordered_map<std::string, std::vector<const catalog::Action*>> cache_;
};

// Whether the literal ARN `narrow` is matched by the pattern `broad`, field by field.
bool resource_covered(std::string_view narrow, std::string_view broad) {
  if (broad == "*") return narrow != "*";
  if (narrow.size() > 2048 || broad.size() > 2048) return false;  // matching is quadratic in the lengths
  if (narrow.find_first_of("*?$") != std::string_view::npos || broad == narrow) return false;
  return match::glob_matches(broad, narrow, /*fold_case=*/false) &&
         std::count(broad.begin(), broad.end(), ':') <= std::count(narrow.begin(), narrow.end(), ':');
}

// Reports each entry that repeats an earlier one or that a wildcard entry covers. Only
// wildcard entries can cover others, and for actions only those of the same service (or
// `*`), so entries are compared within their bucket. A budget per document keeps hostile
// lists linear: past it, only the duplicate check runs.
template <class Bucket, class Covered>
void report_covered(const policy::PatternList& list, const RuleMeta& rule, std::string_view what, bool fold_case,
                    Bucket bucket_of, Covered covered, std::size_t& budget, Emitter& emit) {
  std::unordered_map<std::string, std::vector<std::size_t>> wildcards;  // bucket → wildcard entries
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    if (list.items[i].value.find_first_of("*?") != std::string::npos) {
      wildcards[bucket_of(list.items[i].value)].push_back(i);
    }
  }
  const std::vector<std::size_t> none;
  auto bucket = [&](const std::string& key) -> const std::vector<std::size_t>& {
    const auto it = wildcards.find(key);
    return it == wildcards.end() ? none : it->second;
  };
  std::unordered_map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    const policy::Text& item = list.items[i];
    const auto [seen, inserted] = first.emplace(fold_case ? ascii_lower(item.value) : item.value, i);
    if (!inserted) {
      emit.emit(rule, item.span, item.pointer, fmt::format("{} `{}` is listed twice", what, item.value), std::nullopt,
                {RelatedLocation{emit.at(list.items[seen->second].span), "first listed here"}});
      continue;
    }
    const std::string key = bucket_of(item.value);
    bool reported = false;  // one report per entry
    for (const auto* candidates : {&bucket(key), key == "*" ? &none : &bucket("*")}) {
      for (std::size_t j : *candidates) {
        if (budget == 0 || reported) break;
        --budget;
        const policy::Text& other = list.items[j];
        if (j == i || (fold_case ? iequals(item.value, other.value) : item.value == other.value)) continue;
        if (covered(item.value, other.value)) {
          emit.emit(rule, item.span, item.pointer,
                    fmt::format("{} `{}` is already covered by `{}`", what, item.value, other.value), std::nullopt,
                    {RelatedLocation{emit.at(other.span), "covered by this"}});
          reported = true;
        }
      }
    }
  }
}

// An action's service prefix in lower case (`*` for `*`); a resource's bucket is the whole
// list, since wildcards may stand anywhere in an ARN.
std::string action_bucket(std::string_view action) {
  return action == "*" ? std::string("*") : ascii_lower(action.substr(0, action.find(':')));
}
std::string resource_bucket(std::string_view resource) { return resource == "*" ? "*" : ""; }

// The statement as AWS reads it, without its Sid: lists sorted, so that order does not matter.
std::string canonical(const policy::Statement& st) {
  auto sorted = [](const std::vector<policy::Text>& items, bool fold) {
    std::vector<std::string> values;
    for (const policy::Text& item : items) values.push_back(fold ? ascii_lower(item.value) : item.value);
    std::sort(values.begin(), values.end());
    std::string out;
    for (const std::string& v : values) out += v + '\x1f';
    return out;
  };
  std::string out = st.effect == policy::Effect::allow ? "A" : "D";
  out += fmt::format("|{}{}|{}{}|", st.action.negated ? "!" : "", sorted(st.action.items, true),
                     st.resource.negated ? "!" : "", sorted(st.resource.items, false));
  out += st.principal.negated ? "!" : "";
  out += st.principal.wildcard ? "*" : "";
  std::vector<std::string> principals;
  for (const policy::PrincipalEntry& entry : st.principal.entries) principals.push_back(entry.type + "=" + sorted(entry.values, false));
  std::sort(principals.begin(), principals.end());
  for (const std::string& p : principals) out += p + ';';
  std::vector<std::string> conditions;
  for (const policy::ConditionEntry& c : st.conditions) {
    conditions.push_back(c.op_text + ":" + ascii_lower(c.key) + "=" + sorted(c.values, false));
  }
  std::sort(conditions.begin(), conditions.end());
  for (const std::string& c : conditions) out += '|' + c;
  return out;
}

}  // namespace

void check_redundancy(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  std::map<std::string, const policy::Statement*> seen;
  ActionSets sets(catalog);
  std::size_t budget = 200'000;  // coverage comparisons for the whole document
  for (const policy::Statement& st : document.statements) {
    report_covered(st.action, rules::kRedundantAction, "action", /*fold_case=*/true, action_bucket,
                   [&](std::string_view narrow, std::string_view broad) { return sets.covered(narrow, broad); }, budget,
                   emit);
    report_covered(st.resource, rules::kRedundantResource, "resource", /*fold_case=*/false, resource_bucket,
                   resource_covered, budget, emit);
    if (!st.effect || !st.action.present) continue;
    const auto [it, inserted] = seen.emplace(canonical(st), &st);
    if (!inserted) {
      emit.emit(rules::kDuplicateStatement, st.span, st.pointer,
                fmt::format("this statement repeats the one at `{}`: remove one", it->second->pointer),
                std::nullopt, {RelatedLocation{emit.at(it->second->span), "the same statement"}});
    }
  }
}

}  // namespace grantlint::checks
