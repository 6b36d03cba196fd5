// Redundancy: actions and resources a statement lists twice or covers with a broader
// pattern, and statements that repeat another (RED001-RED003).
#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
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

// Appends a list's values, sorted so that their order does not matter, each ended by 0x1F.
// Views are sorted, not copies: one statement may hold a 50 MB value.
void append_sorted(std::string& out, const std::vector<policy::Text>& items, bool fold) {
  std::vector<std::string_view> values;
  values.reserve(items.size());
  for (const policy::Text& item : items) values.emplace_back(item.value);
  if (fold) {
    std::ranges::sort(values, [](std::string_view a, std::string_view b) {
      return std::ranges::lexicographical_compare(a, b, {}, ascii_fold, ascii_fold);
    });
  } else {
    std::ranges::sort(values);
  }
  for (const std::string_view value : values) {
    if (fold) {
      std::ranges::transform(value, std::back_inserter(out), ascii_fold);
    } else {
      out += value;
    }
    out += '\x1f';
  }
}

// The statement as AWS reads it, without its Sid: lists sorted, so that order does not matter.
std::string canonical(const policy::Statement& st) {
  std::string out = st.effect == policy::Effect::allow ? "A|" : "D|";
  if (st.action.negated) out += '!';
  append_sorted(out, st.action.items, true);
  out += st.resource.negated ? "|!" : "|";
  append_sorted(out, st.resource.items, false);
  out += '|';
  out += st.principal.negated ? "!" : "";
  out += st.principal.wildcard ? "*" : "";
  std::vector<std::string> principals;
  for (const policy::PrincipalEntry& entry : st.principal.entries) {
    std::string principal = entry.type + "=";
    append_sorted(principal, entry.values, false);
    principals.push_back(std::move(principal));
  }
  std::ranges::sort(principals);
  for (const std::string& p : principals) out += p + ';';
  std::vector<std::string> conditions;
  for (const policy::ConditionEntry& c : st.conditions) {
    std::string condition = c.op_text + ":" + ascii_lower(c.key) + "=";
    append_sorted(condition, c.values, false);
    conditions.push_back(std::move(condition));
  }
  std::ranges::sort(conditions);
  for (const std::string& c : conditions) out += '|' + c;
  return out;
}

}  // namespace

void check_redundancy(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  // Statements by the hash of their canonical form, which is built again only when two hashes
  // meet: a document's statements are not held twice.
  std::unordered_map<std::size_t, std::vector<const policy::Statement*>> seen;
  ActionSets sets(catalog);
  std::size_t budget = 200'000;  // coverage comparisons for the whole document
  for (const policy::Statement& st : document.statements) {
    report_covered(st.action, rules::kRedundantAction, "action", /*fold_case=*/true, action_bucket,
                   [&](std::string_view narrow, std::string_view broad) { return sets.covered(narrow, broad); }, budget,
                   emit);
    report_covered(st.resource, rules::kRedundantResource, "resource", /*fold_case=*/false, resource_bucket,
                   resource_covered, budget, emit);
    // Statements whose principals did not parse may have meant different ones (h51 M3).
    if (!st.effect || !st.action.present || st.principal.malformed) continue;
    const std::string form = canonical(st);
    std::vector<const policy::Statement*>& same_hash = seen[std::hash<std::string>{}(form)];
    const auto first = std::ranges::find_if(same_hash, [&](const policy::Statement* earlier) {
      return canonical(*earlier) == form;
    });
    if (first == same_hash.end()) {
      same_hash.push_back(&st);
      continue;
    }
    emit.emit(rules::kDuplicateStatement, st.span, st.pointer,
              fmt::format("this statement repeats the one at `{}`: remove one", (*first)->pointer), std::nullopt,
              {RelatedLocation{emit.at((*first)->span), "the same statement"}});
  }
}

}  // namespace grantlint::checks
