// Policy variables as IAM reads them (IAM semantics §2.4): well formed where they expand
// (POL032), and not written where they never expand (POL033). Only under 2012-10-17; under
// 2008-10-17 the text is literal (POL005).
#include <fmt/format.h>

#include "checks/checks.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

// What is wrong with the variables of one value, or "" when they are all well formed. A
// variable runs from `${` to the first `}` after it, as IAM reads it (and eval/pattern.cpp), so
// the next is looked for after that `}`: nested `${${…}}` cost one pass, not one per `${`.
std::string variable_problem(std::string_view text) {
  std::size_t close = 0;
  for (std::size_t at = text.find("${"); at != std::string_view::npos; at = text.find("${", close + 1)) {
    close = text.find('}', at + 2);
    if (close == std::string_view::npos) {
      return fmt::format("`{}` has no closing `}}`: add `}}` after the variable text", text.substr(at));
    }
    const std::string_view inner = text.substr(at + 2, close - at - 2);
    const std::string_view whole = text.substr(at, close - at + 1);
    if (inner.empty()) return "`${}` is an empty policy variable: name a key or remove it";
    if (inner == "*" || inner == "?" || inner == "$") continue;  // the literal characters
    const std::size_t comma = inner.find(',');
    const std::string_view name = inner.substr(0, comma);
    if (name.find_first_of(" \t") != std::string_view::npos) {
      return fmt::format("`{}` has a space in the variable text: remove it", whole);
    }
    if (comma == std::string_view::npos) continue;
    std::string_view fallback = inner.substr(comma + 1);
    while (!fallback.empty() && fallback.front() == ' ') fallback.remove_prefix(1);
    if (fallback.size() < 2 || fallback.front() != '\'' || fallback.back() != '\'') {
      return fmt::format("the default value of `{}` must begin and end with a single quote: `${{{}, '...'}}`", whole,
                         name);
    }
  }
  return {};
}

class VariableChecker {
 public:
  VariableChecker(const policy::Document& document, Emitter& emit) : document_(document), emit_(emit) {}

  void run() {
    for (const policy::Statement& statement : document_.statements) {
      for (const policy::Text& item : statement.resource.items) well_formed(item);
      for (const policy::ConditionEntry& entry : statement.conditions) {
        for (const policy::Text& value : entry.values) well_formed(value);
      }
      const std::string_view action = statement.action.negated ? "NotAction" : "Action";
      for (const policy::Text& item : statement.action.items) unsupported(item, action);
      const std::string_view principal = statement.principal.negated ? "NotPrincipal" : "Principal";
      for (const policy::PrincipalEntry& entry : statement.principal.entries) {
        for (const policy::Text& value : entry.values) unsupported(value, principal);
      }
    }
  }

 private:
  void well_formed(const policy::Text& value) {
    const std::string problem = variable_problem(value.value);
    if (!problem.empty()) emit_.emit(rules::kMalformedPolicyVariable, value.span, value.pointer, problem);
  }

  void unsupported(const policy::Text& value, std::string_view element) {
    const std::size_t at = value.value.find("${");
    if (at == std::string::npos) return;
    const std::size_t close = value.value.find('}', at);
    const std::string variable =
        value.value.substr(at, close == std::string::npos ? std::string::npos : close - at + 1);
    emit_.emit(rules::kVariableInUnsupportedElement, value.span, value.pointer,
               fmt::format("`{}` in `{}` is not expanded: policy variables work only in `Resource` and `Condition`",
                           variable, element));
  }

  const policy::Document& document_;
  Emitter& emit_;
};

}  // namespace

void check_variables(const policy::Document& document, Emitter& emit) {
  if (!document.variables_enabled()) return;
  VariableChecker(document, emit).run();
}

}  // namespace grantlint::checks
