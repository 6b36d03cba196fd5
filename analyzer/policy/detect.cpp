#include <string_view>

#include "base/suggest.h"
#include "policy/lower.h"

namespace grantlint::policy {

namespace {

using json::Node;
using json::Type;

// Calls `visit` with every string in an Action/NotAction value.
template <class Visit>
void each_string(const Node* value, Visit visit) {
  if (value == nullptr) return;
  if (value->is(Type::string)) visit(value->text);
  for (const Node& item : value->items) {
    if (item.is(Type::string)) visit(item.text);
  }
}

bool is_trust_action(std::string_view action) {
  static constexpr std::string_view kPrefix = "sts:";
  if (action.size() <= kPrefix.size() || !iequals(action.substr(0, kPrefix.size()), kPrefix)) return false;
  const std::string_view name = action.substr(kPrefix.size());
  return (name.size() >= 10 && iequals(name.substr(0, 10), "AssumeRole")) || iequals(name, "TagSession") ||
         iequals(name, "SetSourceIdentity") || iequals(name, "SetContext");
}

}  // namespace

Kind detect_kind(const Node& root) {
  const Node* statement = root.is(Type::object) ? root.find("Statement") : nullptr;
  if (statement == nullptr) return Kind::identity;
  std::vector<const Node*> statements;
  if (statement->is(Type::object)) statements.push_back(statement);
  for (const Node& item : statement->items) {
    if (item.is(Type::object)) statements.push_back(&item);
  }
  bool any_principal = false;
  bool all_trust = true;
  bool all_kms = true;
  std::size_t actions = 0;
  for (const Node* st : statements) {
    any_principal = any_principal || st->find("Principal") != nullptr || st->find("NotPrincipal") != nullptr;
    auto visit = [&](std::string_view action) {
      ++actions;
      all_trust = all_trust && is_trust_action(action);
      all_kms = all_kms && action.size() > 4 && iequals(action.substr(0, 4), "kms:");
    };
    each_string(st->find("Action"), visit);
    each_string(st->find("NotAction"), visit);
  }
  if (!any_principal) return Kind::identity;
  // A trust policy wrongly carrying a Resource is still a trust policy (and reported so).
  if (actions > 0 && all_trust) return Kind::trust;
  if (actions > 0 && all_kms) return Kind::kms_key;
  return Kind::resource;
}

}  // namespace grantlint::policy
