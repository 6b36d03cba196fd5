#include "input/template_conditions.h"

#include <cstddef>

namespace grantlint::input {

namespace {

using json::Node;
using json::Type;

// CloudFormation refuses circular conditions; a template that has them is followed this deep.
constexpr int kMaxDepth = 64;

// Past this many free conditions behind one branch, a way to it is not searched for: each
// is taken as its own `Fn::If` asks.
constexpr std::size_t kMaxSearched = 12;

}  // namespace

TemplateConditions::TemplateConditions(const Node* conditions) {
  if (conditions == nullptr || !conditions->is(Type::object)) return;
  for (const json::Member& condition : conditions->members) {
    // `Other: !Condition Base` alone is an alias; it follows from Base like the rest.
    if (auto expression = composition(condition.value, 0)) derived_.try_emplace(condition.key, std::move(*expression));
  }
}

// `node` as `Fn::Not`, `Fn::And`, `Fn::Or` of `{Condition: name}`s, or nullopt when it holds
// anything else (`Fn::Equals`: then the condition is free).
std::optional<TemplateConditions::Expression> TemplateConditions::composition(const Node& node, int depth) {
  if (depth > kMaxDepth || !node.is(Type::object) || node.members.size() != 1) return std::nullopt;
  const json::Member& only = node.members.front();
  if (only.key == "Condition") {
    if (!only.value.is(Type::string)) return std::nullopt;
    return Expression{Expression::Kind::condition, only.value.text, {}};
  }
  Expression out;
  if (only.key == "Fn::Not") {
    out.kind = Expression::Kind::negation;
  } else if (only.key == "Fn::And") {
    out.kind = Expression::Kind::all;
  } else if (only.key == "Fn::Or") {
    out.kind = Expression::Kind::any;
  } else {
    return std::nullopt;
  }
  if (!only.value.is(Type::array) || only.value.items.empty()) return std::nullopt;
  if (out.kind == Expression::Kind::negation && only.value.items.size() != 1) return std::nullopt;
  for (const Node& part : only.value.items) {
    auto parsed = composition(part, depth + 1);
    if (!parsed) return std::nullopt;
    out.parts.push_back(std::move(*parsed));
  }
  return out;
}

bool TemplateConditions::value(const Expression& expression, const std::set<std::string>& taken_false,
                               int depth) const {
  switch (expression.kind) {
    case Expression::Kind::condition: return value_of(expression.name, taken_false, depth + 1);
    case Expression::Kind::negation: return !value(expression.parts.front(), taken_false, depth + 1);
    case Expression::Kind::all:
      for (const Expression& part : expression.parts) {
        if (!value(part, taken_false, depth + 1)) return false;
      }
      return true;
    case Expression::Kind::any:
      for (const Expression& part : expression.parts) {
        if (value(part, taken_false, depth + 1)) return true;
      }
      return false;
  }
  return true;
}

bool TemplateConditions::value_of(const std::string& name, const std::set<std::string>& taken_false, int depth) const {
  const auto it = derived_.find(name);
  if (it == derived_.end() || depth > kMaxDepth) return !taken_false.contains(name);
  return value(it->second, taken_false, depth + 1);
}

void TemplateConditions::free_of(const std::string& name, std::vector<std::string>& out, std::set<std::string>& seen,
                                 int depth) const {
  if (!seen.insert(name).second) return;
  const auto it = derived_.find(name);
  if (it == derived_.end() || depth > kMaxDepth) {
    out.push_back(name);
    return;
  }
  std::vector<const Expression*> pending{&it->second};
  while (!pending.empty()) {
    const Expression* expression = pending.back();
    pending.pop_back();
    if (expression->kind == Expression::Kind::condition) {
      free_of(expression->name, out, seen, depth + 1);
      continue;
    }
    for (auto part = expression->parts.rbegin(); part != expression->parts.rend(); ++part) pending.push_back(&*part);
  }
}

std::vector<std::string> TemplateConditions::free_conditions_of(const std::vector<std::string>& names) const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& name : names) free_of(name, out, seen, 0);
  return out;
}

std::map<std::string, bool> TemplateConditions::choice(const std::set<std::string>& taken_false) const {
  std::map<std::string, bool> out;
  for (const std::string& name : taken_false) out.emplace(name, false);
  for (const auto& [name, expression] : derived_) out[name] = value(expression, taken_false, 0);
  return out;
}

std::optional<std::set<std::string>> TemplateConditions::leading_to(const std::map<std::string, bool>& path) const {
  std::vector<std::string> named;
  for (const auto& [name, way] : path) named.push_back(name);
  const std::vector<std::string> free = free_conditions_of(named);
  const auto leads = [&](const std::set<std::string>& taken_false) {
    for (const auto& [name, way] : path) {
      if (value_of(name, taken_false, 0) != way) return false;
    }
    return true;
  };
  if (free.size() > kMaxSearched) {
    std::set<std::string> taken_false;
    for (const auto& [name, way] : path) {
      if (!way) taken_false.insert(name);
    }
    return taken_false;
  }
  for (std::size_t mask = 0; mask < (std::size_t{1} << free.size()); ++mask) {
    std::set<std::string> taken_false;
    for (std::size_t k = 0; k < free.size(); ++k) {
      if ((mask & (std::size_t{1} << k)) != 0) taken_false.insert(free[k]);
    }
    if (leads(taken_false)) return taken_false;
  }
  return std::nullopt;
}

}  // namespace grantlint::input
