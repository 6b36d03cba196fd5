#include "input/template_parameters.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "input/template_conditions.h"

namespace grantlint::input {

using json::Member;
using json::Node;
using json::Type;

namespace {

Node string_node(std::string text, Span span) {
  Node out;
  out.type = Type::string;
  out.span = span;
  out.text = std::move(text);
  return out;
}

Node object_node(std::string key, Node value, Span span) {
  Node out;
  out.type = Type::object;
  out.span = span;
  out.members.push_back(Member{std::move(key), span, std::move(value)});
  return out;
}

}  // namespace

ParameterChoices::ParameterChoices(const Node* parameters, const Node* conditions) : original_(conditions) {
  if (parameters == nullptr || !parameters->is(Type::object)) return;
  if (conditions != nullptr && !conditions->is(Type::object)) return;
  for (const Member* parameter : parameters->first_members()) {
    const Node* allowed = allowed_values(parameter->value);  // as TemplateConditions reads them
    if (allowed == nullptr || allowed->items.size() > kMaxValues) continue;
    Values& values = values_[parameter->key];
    for (const Node& value : allowed->items) {
      if (std::ranges::find(values.values, value.text) == values.values.end()) values.values.push_back(value.text);
    }
  }
  if (values_.empty()) return;
  conditions_ = conditions != nullptr ? *conditions : Node{Type::object, {}, {}, {}, {}};
  for (auto& [name, values] : values_) {
    for (std::size_t i = 0; i + 1 < values.values.size(); ++i) {
      const std::string condition = fmt::format("{}={}", name, i);
      Node equals{Type::array, {}, {}, {}, {}};
      equals.items.push_back(object_node("Ref", string_node(name, {}), {}));
      equals.items.push_back(string_node(values.values[i], {}));
      conditions_->members.push_back(Member{condition, {}, object_node("Fn::Equals", std::move(equals), {})});
      values.conditions.push_back(condition);
      added_.push_back(condition);
    }
  }
}

const std::vector<std::string>* ParameterChoices::choice(const Node& node) const {
  if (!node.is(Type::object) || node.members.size() != 1 || node.members[0].key != "Ref" ||
      !node.members[0].value.is(Type::string)) {
    return nullptr;
  }
  const auto it = values_.find(node.members[0].value.text);
  return it != values_.end() ? &it->second.values : nullptr;
}

bool ParameterChoices::holds_choice(const Node& node) const {
  if (choice(node) != nullptr) return true;
  return std::ranges::any_of(node.items, [&](const Node& item) { return holds_choice(item); }) ||
         std::ranges::any_of(node.members, [&](const Member& member) { return holds_choice(member.value); });
}

std::optional<Node> ParameterChoices::rewritten(const Node& policy) const {
  if (values_.empty() || !holds_choice(policy)) return std::nullopt;
  Node out = policy;
  rewrite(out);
  return out;
}

void ParameterChoices::rewrite(Node& node) const {
  if (choice(node) != nullptr) {
    const Values& values = values_.find(node.members[0].value.text)->second;
    const Span span = node.span;
    // From the last value out: `Fn::If [Who=0, v0, Fn::If [Who=1, v1, v2]]`.
    Node chained = string_node(values.values.back(), span);
    for (std::size_t i = values.conditions.size(); i-- > 0;) {
      Node arguments{Type::array, span, {}, {}, {}};
      arguments.items.push_back(string_node(values.conditions[i], span));
      arguments.items.push_back(string_node(values.values[i], span));
      arguments.items.push_back(std::move(chained));
      chained = object_node("Fn::If", std::move(arguments), span);
    }
    node = std::move(chained);
    return;
  }
  for (Node& item : node.items) rewrite(item);
  for (Member& member : node.members) rewrite(member.value);
}

}  // namespace grantlint::input
