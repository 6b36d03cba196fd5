#include <fmt/format.h>

#include <algorithm>
#include <cstddef>

#include "base/placeholder.h"
#include "base/strings.h"
#include "base/suggest.h"
#include "checks/checks.h"
#include "match/glob.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

// `prefix:name` for a suggested action name.
std::optional<std::string> qualified_name(std::string_view prefix, std::optional<std::string_view> name) {
  if (!name) return std::nullopt;
  return fmt::format("{}:{}", prefix, *name);
}

// Whether one insertion, deletion or substitution (ignoring case) turns `a` into `b`.
bool one_edit_apart(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && ascii_fold(a[i]) == ascii_fold(b[i])) ++i;
  if (i == b.size()) return true;                         // the same
  const std::size_t skip = a.size() == b.size() ? 1 : 0;  // substitute, or insert into `a`
  return iequals(a.substr(std::min(a.size(), i + skip)), b.substr(i + 1));
}

}  // namespace

void check_action_pattern(const policy::Text& item, const catalog::Catalog& catalog, Emitter& emit,
                          std::size_t* suggestions_left) {
  const auto may_suggest = [&] {
    if (suggestions_left == nullptr) return true;
    if (*suggestions_left == 0) return false;
    --*suggestions_left;
    return true;
  };
  const std::string_view text = item.value;
  const auto colon = text.find(':');
  // `*` needs no catalog; malformed patterns were reported by the grammar stage (POL019).
  if (text == "*" || colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) return;
  if (has_placeholder(text)) return;  // a template's placeholder: known at deployment
  if (text.find("${") != std::string_view::npos) return;  // a policy variable, never expanded here (POL033)
  const std::string_view prefix = text.substr(0, colon);
  const std::string_view name = text.substr(colon + 1);
  if (prefix.empty() || name.empty() || prefix.find_first_of("*?") != std::string_view::npos) return;

  const catalog::Service* service = catalog.find_service(prefix);
  if (service == nullptr) {
    const auto prefixes = catalog.service_prefixes();
    emit.emit(rules::kUnknownService, item.span, item.pointer,
              fmt::format("unknown service prefix `{}` in `{}`{}", prefix, text,
                          may_suggest() ? did_you_mean(closest_match(prefix, prefixes)) : ""));
    return;
  }
  const match::Glob glob(name, /*fold_case=*/true);
  if (!glob.has_wildcard()) {
    if (service->find_action(name) != nullptr) return;
    if (!may_suggest()) {
      emit.emit(rules::kUnknownAction, item.span, item.pointer,
                fmt::format("`{}` is not an action of `{}` ({})", text, service->prefix, service->name));
      return;
    }
    std::vector<std::string_view> names;
    names.reserve(service->actions.size());
    for (const catalog::Action& action : service->actions) names.push_back(action.name);
    auto suggestion = qualified_name(service->prefix, closest_match(name, names));
    // A name cut short (`s3:GetObjectAc`, `kms:ReEncrypt`) means the action or the small family
    // it starts; a complete word that merely starts longer names (`budgets:CreateBudget`,
    // `CreateBudgetAction`) is not offered them.
    if (!(suggestion && one_edit_apart(name, std::string_view(*suggestion).substr(prefix.size() + 1)))) {
      constexpr std::size_t kShortSuffix = 4;
      const auto longer = service->actions_starting_with(name);
      const auto one_more =
          std::ranges::find_if(longer, [&](const auto& a) { return a.name.size() == name.size() + 1; });
      const bool short_family = !longer.empty() && std::ranges::all_of(longer, [&](const auto& a) {
        return a.name.size() <= name.size() + kShortSuffix;
      });
      if (one_more != longer.end()) {
        suggestion = qualified_name(service->prefix, one_more->name);
      } else if (short_family && longer.size() == 1) {
        suggestion = qualified_name(service->prefix, longer.front().name);
      } else if (short_family) {
        suggestion = fmt::format("{}:{}*", service->prefix, name);
      }
    }
    emit.emit(rules::kUnknownAction, item.span, item.pointer,
              fmt::format("`{}` is not an action of `{}` ({}){}", text, service->prefix, service->name,
                          did_you_mean(suggestion ? std::optional<std::string_view>(*suggestion) : std::nullopt)));
    return;
  }
  for (const catalog::Action& action : service->actions) {
    if (glob.matches(action.name)) return;
  }
  emit.emit(rules::kPatternMatchesNothing, item.span, item.pointer,
            fmt::format("`{}` matches no action of `{}` ({})", text, service->prefix, service->name));
}

void check_actions(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  std::size_t suggestions_left = Suggestions::kSuggestionsPerList;
  for (const policy::Statement& statement : document.statements) {
    for (const policy::Text& item : statement.action.items) {
      check_action_pattern(item, catalog, emit, &suggestions_left);
    }
  }
}

}  // namespace grantlint::checks
