#include <fmt/format.h>

#include "base/suggest.h"
#include "checks/checks.h"
#include "match/glob.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

std::string did_you_mean(std::optional<std::string_view> near, std::string_view prefix = {}) {
  if (!near) return {};
  return prefix.empty() ? fmt::format("; did you mean `{}`?", *near) : fmt::format("; did you mean `{}:{}`?", prefix, *near);
}

void check_pattern(const policy::Text& item, const catalog::Catalog& catalog, Emitter& emit) {
  const std::string_view text = item.value;
  const auto colon = text.find(':');
  // `*` needs no catalog; malformed patterns were reported by the grammar stage (POL019).
  if (text == "*" || colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) return;
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
    emit.emit(rules::kUnknownAction, item.span, item.pointer,
              fmt::format("`{}` is not an action of `{}` ({}){}", text, service->prefix, service->name,
                          did_you_mean(closest_match(name, names), service->prefix)));
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

void run_all(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  check_actions(document, catalog, emit);
  check_conditions(document, catalog, emit);
  check_resources(document, catalog, emit);
  check_redundancy(document, catalog, emit);
  check_grants(document, catalog, emit);
  check_resource_policies(document, emit);
}

}  // namespace grantlint::checks
