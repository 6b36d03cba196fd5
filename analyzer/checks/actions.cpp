#include <fmt/format.h>

#include "base/placeholder.h"
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

void check_pattern(const policy::Text& item, const catalog::Catalog& catalog, Emitter& emit) {
  const std::string_view text = item.value;
  const auto colon = text.find(':');
  // `*` needs no catalog; malformed patterns were reported by the grammar stage (POL019).
  if (text == "*" || colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) return;
  if (has_placeholder(text)) return;  // a template's placeholder: known at deployment
  const std::string_view prefix = text.substr(0, colon);
  const std::string_view name = text.substr(colon + 1);
  if (prefix.empty() || name.empty() || prefix.find_first_of("*?") != std::string_view::npos) return;

  const catalog::Service* service = catalog.find_service(prefix);
  if (service == nullptr) {
    const auto prefixes = catalog.service_prefixes();
    emit.emit(rules::kUnknownService, item.span, item.pointer,
              fmt::format("unknown service prefix `{}` in `{}`{}", prefix, text, did_you_mean(closest_match(prefix, prefixes))));
    return;
  }
  const match::Glob glob(name, /*fold_case=*/true);
  if (!glob.has_wildcard()) {
    if (service->find_action(name) != nullptr) return;
    std::vector<std::string_view> names;
    names.reserve(service->actions.size());
    for (const catalog::Action& action : service->actions) names.push_back(action.name);
    const auto suggestion = qualified_name(service->prefix, closest_match(name, names));
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

}  // namespace

void check_actions(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  for (const policy::Statement& statement : document.statements) {
    for (const policy::Text& item : statement.action.items) check_pattern(item, catalog, emit);
  }
}

}  // namespace grantlint::checks
