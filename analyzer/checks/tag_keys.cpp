// Tag condition keys on actions of services that never put them in the request context
// (CON015): the key is then absent, and the condition decides for those actions without
// looking at any tag.

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "base/strings.h"
#include "checks/checks.h"
#include "checks/statement_scope.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

constexpr std::size_t kServicesNamed = 5;

bool is_tag_key(std::string_view key) {
  return istarts_with(key, "aws:ResourceTag/") || istarts_with(key, "aws:RequestTag/") || iequals(key, "aws:TagKeys");
}

// The services of the statement's actions none of whose actions here supports `key`, in order
// of appearance; nullopt when the statement covers every service (`*`, NotAction).
std::optional<std::vector<std::string_view>> services_without(const policy::Statement& statement,
                                                              const catalog::Catalog& catalog, std::string_view key) {
  if (statement.action.negated) return std::nullopt;
  struct Seen {
    std::string_view prefix;
    bool supported = false;
  };
  std::vector<Seen> services;
  for (const policy::Text& item : statement.action.items) {
    if (item.value == "*") return std::nullopt;
    for_each_matching_action(catalog, item.value, [&](const catalog::Service& service, const catalog::Action& action) {
      auto it = std::ranges::find(services, std::string_view(service.prefix), &Seen::prefix);
      if (it == services.end()) it = services.insert(services.end(), Seen{service.prefix});
      it->supported = it->supported || catalog::action_supports_key(service, action, key);
    });
  }
  std::vector<std::string_view> without;
  for (const Seen& seen : services) {
    if (!seen.supported) without.push_back(seen.prefix);
  }
  return without;
}

std::string services_text(const std::vector<std::string_view>& services) {
  std::string text;
  for (std::size_t i = 0; i < services.size() && i < kServicesNamed; ++i) {
    if (i > 0) text += i + 1 == services.size() ? " and " : ", ";
    text += fmt::format("`{}`", services[i]);
  }
  if (services.size() > kServicesNamed) text += fmt::format(" and {} more", services.size() - kServicesNamed);
  return text;
}

}  // namespace

void check_tag_keys(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  for (const policy::Statement& statement : document.statements) {
    for (const policy::ConditionEntry& entry : statement.conditions) {
      // `Null` asks whether the key is there: absent is what it looks for.
      if (entry.op.base == "Null" || !is_tag_key(entry.key)) continue;
      const bool absent_true = true_when_absent(entry);
      const bool deny = statement.effect == policy::Effect::deny;
      if (deny && absent_true) continue;  // denies those actions whatever their tags: stricter, not looser
      const auto services = services_without(statement, catalog, entry.key);
      if (services && services->empty()) continue;
      const std::string whose = services ? fmt::format("of the {} actions here", services_text(*services))
                                         : std::string("of many services' actions, which this statement covers");
      std::string consequence;
      std::optional<Level> level;
      if (deny) {
        consequence = fmt::format("`{}` is false for them, so this Deny does not deny them", entry.op_text);
      } else if (absent_true) {
        consequence =
            fmt::format("`{}` is true for them, so this statement allows them whatever their tags", entry.op_text);
      } else {
        consequence = fmt::format("`{}` is false for them, so this statement allows them nothing", entry.op_text);
        level = Level::note;
      }
      emit.emit(rules::kTagKeyNotSupportedByService, entry.key_span, entry.pointer,
                fmt::format("`{}` is never in the request context {}: {}", entry.key, whose, consequence), level);
    }
  }
}

}  // namespace grantlint::checks
