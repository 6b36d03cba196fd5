// Values a statement lists that another of its values already covers: a role session beside
// its role (RED004), and numeric bounds beside a looser one of the same key (RED005).
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/placeholder.h"
#include "checks/checks.h"
#include "match/arn.h"
#include "match/values.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

// `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION` as partition, account and role name.
struct Session {
  std::string_view partition, account, role;
};
std::optional<Session> session_of(std::string_view arn) {
  const auto fields = match::split_arn(arn);
  if (!fields || (*fields)[1] != "sts") return std::nullopt;
  std::string_view rest = (*fields)[4];
  if (!rest.starts_with("assumed-role/")) return std::nullopt;
  rest.remove_prefix(std::string_view("assumed-role/").size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  return Session{(*fields)[0], (*fields)[3], rest.substr(0, slash)};
}

// How a role is keyed: its partition, account and name (neither of the first two holds a colon).
std::string role_key(std::string_view partition, std::string_view account, std::string_view name) {
  return fmt::format("{}:{}:{}", partition, account, name);
}

// The role an ARN names as `PARTITION:ACCOUNT:NAME` (neither of the first two holds a colon), the
// path of `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME` left out as a session's ARN leaves it out;
// nothing when the ARN names no role.
std::optional<std::string> role_key_of(std::string_view arn) {
  const auto fields = match::split_arn(arn);
  if (!fields || (*fields)[1] != "iam") return std::nullopt;
  const std::string_view resource = (*fields)[4];
  if (!resource.starts_with("role/")) return std::nullopt;
  return role_key((*fields)[0], (*fields)[3], resource.substr(resource.rfind('/') + 1));
}

void redundant_sessions(const policy::Statement& st, Emitter& emit) {
  if (!st.principal.present || st.principal.negated) return;
  for (const policy::PrincipalEntry& entry : st.principal.entries) {
    if (entry.type != "AWS") continue;
    // The roles listed, each by its first listing: a lookup per session, not a pass over the
    // list (a list of 60,000 roles and their sessions took 52 s that way).
    std::unordered_map<std::string, const policy::Text*> roles;
    for (const policy::Text& value : entry.values) {
      if (auto key = role_key_of(value.value)) roles.try_emplace(std::move(*key), &value);
    }
    if (roles.empty()) continue;
    for (const policy::Text& value : entry.values) {
      // A wildcard session is not expanded (POL027), so it makes nothing redundant.
      if (has_placeholder(value.value) || value.value.find_first_of("*?") != std::string::npos) continue;
      const auto session = session_of(value.value);
      if (!session) continue;
      const auto role = roles.find(role_key(session->partition, session->account, session->role));
      if (role == roles.end()) continue;
      emit.emit(rules::kRedundantSessionPrincipal, value.span, value.pointer,
                fmt::format("the session `{}` is redundant: its role `{}` is listed too, and matches every "
                            "session of the role",
                            value.value, role->second->value),
                std::nullopt, {RelatedLocation{emit.at(role->second->span), "the role"}});
    }
  }
}

// How a request's value relates to the bound under `op`.
std::string_view bound_words(std::string_view op) {
  if (op == "NumericLessThan") return "below";
  if (op == "NumericLessThanEquals") return "at most";
  if (op == "NumericGreaterThan") return "above";
  return "at least";
}

void redundant_numbers(const policy::Statement& st, Emitter& emit) {
  for (const policy::ConditionEntry& entry : st.conditions) {
    const std::string& op = entry.op.base;
    const bool less = op == "NumericLessThan" || op == "NumericLessThanEquals";
    const bool greater = op == "NumericGreaterThan" || op == "NumericGreaterThanEquals";
    if ((!less && !greater) || entry.values.size() < 2) continue;
    // Every value must be a number: a policy variable or a placeholder may be any.
    std::vector<double> numbers;
    for (const policy::Text& value : entry.values) {
      const auto number = match::parse_number(value.value);
      if (!number) break;
      numbers.push_back(*number);
    }
    if (numbers.size() != entry.values.size()) continue;
    std::size_t kept = 0;
    for (std::size_t i = 1; i < numbers.size(); ++i) {
      if (less ? numbers[i] > numbers[kept] : numbers[i] < numbers[kept]) kept = i;
    }
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      if (i == kept) continue;
      const policy::Text& value = entry.values[i];
      emit.emit(rules::kRedundantNumericValue, value.span, value.pointer,
                fmt::format("`{}` is redundant: `{}` on `{}` holds whenever the request's value is {} `{}`, "
                            "the {} value given",
                            value.value, entry.op_text, entry.key, bound_words(op), entry.values[kept].value,
                            less ? "greatest" : "least"),
                std::nullopt, {RelatedLocation{emit.at(entry.values[kept].span), "the value that decides"}});
    }
  }
}

}  // namespace

void check_redundant_values(const policy::Document& document, Emitter& emit) {
  for (const policy::Statement& st : document.statements) {
    redundant_sessions(st, emit);
    redundant_numbers(st, emit);
  }
}

}  // namespace grantlint::checks
