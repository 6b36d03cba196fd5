#include "checks/statement_scope.h"

#include <set>
#include <string>

#include "base/strings.h"
#include "match/glob.h"

namespace grantlint::checks {

bool pattern_matches_action(std::string_view pattern, std::string_view action) {
  if (pattern == "*") return true;
  const auto colon = pattern.find(':');
  const auto action_colon = action.find(':');
  if (colon == std::string_view::npos || action_colon == std::string_view::npos) return false;
  return iequals(pattern.substr(0, colon), action.substr(0, action_colon)) &&
         match::glob_matches(pattern.substr(colon + 1), action.substr(action_colon + 1), /*fold_case=*/true);
}

bool covers_action(const policy::Statement& statement, std::string_view action) {
  if (!statement.action.present) return false;
  bool listed = false;
  for (const policy::Text& item : statement.action.items) listed = listed || pattern_matches_action(item.value, action);
  return statement.action.negated ? !listed : listed;
}

bool covers_all_resources(const policy::Statement& statement) {
  if (!statement.resource.present) return false;
  if (statement.resource.negated) return true;
  for (const policy::Text& item : statement.resource.items) {
    if (item.value == "*") return true;
  }
  return false;
}

std::string condition_keys_text(const policy::Statement& statement) {
  std::set<std::string> keys;
  for (const policy::ConditionEntry& entry : statement.conditions) keys.insert(entry.key);
  std::string out;
  for (const std::string& key : keys) out += (out.empty() ? "`" : ", `") + key + "`";
  return out;
}

bool has_scoping_condition(const policy::Statement& statement, std::string_view key) {
  for (const policy::ConditionEntry& entry : statement.conditions) {
    if (!iequals(entry.key, key)) continue;
    const policy::ConditionOperator& op = entry.op;
    if (op.base.find("Not") != std::string::npos || op.base == "Null" || op.if_exists ||
        op.set_prefix == "ForAllValues") {
      continue;
    }
    bool all_wildcards = !entry.values.empty();
    for (const policy::Text& value : entry.values) all_wildcards = all_wildcards && value.value == "*";
    if (!entry.values.empty() && !all_wildcards) return true;
  }
  return false;
}

}  // namespace grantlint::checks
