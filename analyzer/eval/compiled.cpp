#include "eval/compiled.h"

#include <algorithm>

#include "base/strings.h"
#include "match/arn.h"

namespace grantlint::eval {

namespace {

std::vector<Token> plain_tokens(std::string_view text) {
  const Pattern pattern(text, /*wildcards=*/true, /*variables=*/false);
  return {pattern.tokens().begin(), pattern.tokens().end()};
}

CompiledAction compile_action(std::string_view text) {
  CompiledAction action;
  if (text == "*") {
    action.any = true;
    return action;
  }
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) {
    action.never = true;
    return action;
  }
  const std::string_view name = text.substr(colon + 1);
  // An empty name or one with white space or a comma never matches (IAM semantics §2.2).
  if (name.empty() || name.find_first_of(" \t\r\n,") != std::string_view::npos) action.never = true;
  action.service = ascii_lower(text.substr(0, colon));
  action.name = plain_tokens(name);
  return action;
}

CompiledResource compile_resource(std::string_view text, bool variables) {
  CompiledResource resource;
  if (text == "*") {
    resource.form = CompiledResource::Form::any;
    return resource;
  }
  // Six fields, or fewer ending in `*`, which stands for the missing ones (§2.3 rule 3).
  if (const auto fields = match::split_arn_pattern(text, /*variables=*/false)) {
    resource.form = CompiledResource::Form::arn;
    const std::string_view head[] = {fields->partition, fields->service, fields->region, fields->account};
    for (std::size_t i = 0; i < 4; ++i) resource.head[i] = plain_tokens(head[i]);
    // Variables are substituted only in the resource part (§2.3 rule 6).
    resource.tail = Pattern(fields->resource, /*wildcards=*/true, variables);
    return resource;
  }
  resource.form = CompiledResource::Form::whole;
  resource.tail = Pattern(text, /*wildcards=*/true, variables);
  return resource;
}

struct OperatorShape {
  std::string_view base;
  Family family;
  Comparison comparison;
  bool negated;
};

constexpr OperatorShape kOperators[] = {
    {"StringEquals", Family::string_equals, Comparison::equals, false},
    {"StringNotEquals", Family::string_equals, Comparison::equals, true},
    {"StringEqualsIgnoreCase", Family::string_equals_ignore_case, Comparison::equals, false},
    {"StringNotEqualsIgnoreCase", Family::string_equals_ignore_case, Comparison::equals, true},
    {"StringLike", Family::string_like, Comparison::equals, false},
    {"StringNotLike", Family::string_like, Comparison::equals, true},
    {"NumericEquals", Family::numeric, Comparison::equals, false},
    {"NumericNotEquals", Family::numeric, Comparison::equals, true},
    {"NumericLessThan", Family::numeric, Comparison::less, false},
    {"NumericLessThanEquals", Family::numeric, Comparison::less_equals, false},
    {"NumericGreaterThan", Family::numeric, Comparison::greater, false},
    {"NumericGreaterThanEquals", Family::numeric, Comparison::greater_equals, false},
    {"DateEquals", Family::date, Comparison::equals, false},
    {"DateNotEquals", Family::date, Comparison::equals, true},
    {"DateLessThan", Family::date, Comparison::less, false},
    {"DateLessThanEquals", Family::date, Comparison::less_equals, false},
    {"DateGreaterThan", Family::date, Comparison::greater, false},
    {"DateGreaterThanEquals", Family::date, Comparison::greater_equals, false},
    {"Bool", Family::boolean, Comparison::equals, false},
    {"BinaryEquals", Family::binary, Comparison::equals, false},
    {"IpAddress", Family::ip_address, Comparison::equals, false},
    {"NotIpAddress", Family::ip_address, Comparison::equals, true},
    {"ArnEquals", Family::arn, Comparison::equals, false},
    {"ArnLike", Family::arn, Comparison::equals, false},
    {"ArnNotEquals", Family::arn, Comparison::equals, true},
    {"ArnNotLike", Family::arn, Comparison::equals, true},
    {"Null", Family::null, Comparison::equals, false},
};

CompiledCondition compile_condition(const policy::ConditionEntry& entry, bool variables) {
  CompiledCondition condition;
  for (const OperatorShape& shape : kOperators) {
    if (shape.base == entry.op.base) {
      condition.family = shape.family;
      condition.comparison = shape.comparison;
      condition.negated = shape.negated;
    }
  }
  using SetOperator = CompiledCondition::SetOperator;
  if (entry.op.set_prefix == "ForAllValues") condition.set_operator = SetOperator::all_values;
  if (entry.op.set_prefix == "ForAnyValue") condition.set_operator = SetOperator::any_value;
  condition.if_exists = entry.op.if_exists;
  condition.key = ascii_lower(entry.key);
  // Variables expand only under String*, Arn* and Bool (§2.5); `*` and `?` are wildcards
  // only under StringLike and Arn*.
  const bool expands =
      condition.family == Family::string_equals || condition.family == Family::string_equals_ignore_case ||
      condition.family == Family::string_like || condition.family == Family::arn || condition.family == Family::boolean;
  const bool wildcards = condition.family == Family::string_like || condition.family == Family::arn;
  for (const policy::Text& value : entry.values) {
    const Pattern& pattern = condition.values.emplace_back(value.value, wildcards, variables && expands);
    TypedValue& typed = condition.typed.emplace_back();
    switch (condition.family) {
      case Family::numeric: typed.number = match::parse_number(value.value); break;
      case Family::date: typed.number = match::parse_date(value.value); break;
      case Family::ip_address: typed.range = match::parse_ip_range(value.value); break;
      case Family::boolean:
        if (!pattern.has_variables()) typed.boolean = match::parse_bool(value.value);
        break;
      case Family::null: typed.boolean = match::parse_bool(value.value); break;
      default: break;
    }
  }
  return condition;
}

}  // namespace

std::unique_ptr<const CompiledPolicy> CompiledPolicy::allowing_everywhere(std::string_view action) {
  policy::Document identity;
  identity.version = policy::Text{.value = "2012-10-17", .span = {}, .pointer = {}};
  policy::Statement& allow = identity.statements.emplace_back();
  allow.effect = policy::Effect::allow;
  allow.action.present = true;
  allow.action.items.push_back({.value = std::string(action), .span = {}, .pointer = {}});
  allow.resource.present = true;
  allow.resource.items.push_back({.value = "*", .span = {}, .pointer = {}});
  return compile(std::move(identity), SourceId{});
}

std::unique_ptr<const CompiledPolicy> CompiledPolicy::compile(policy::Document document, SourceId source) {
  std::unique_ptr<CompiledPolicy> policy(new CompiledPolicy());
  policy->document_ = std::move(document);
  policy->source_ = source;
  const bool variables = policy->document_.variables_enabled();
  for (std::size_t s = 0; s < policy->document_.statements.size(); ++s) {
    const policy::Statement& statement = policy->document_.statements[s];
    CompiledStatement compiled;
    compiled.source = &statement;
    compiled.deny = statement.effect == policy::Effect::deny;
    // A statement whose Effect is missing or neither Allow nor Deny (POL015, POL016; AWS refuses the policy) names
    // no action, so it matches no request: taken for an Allow, `Alow` made a scan's user an
    // administrator (hostile h48 L7).
    const bool inert = !statement.effect.has_value();
    compiled.not_action = statement.action.negated && !inert;
    for (const policy::Text& item : statement.action.items) {
      if (inert) continue;
      compiled.actions.push_back(compile_action(item.value));
      compiled.action_words += (compiled.actions.back().name.size() + 63) / 64;
    }
    compiled.resource_present = statement.resource.present;
    compiled.not_resource = statement.resource.negated;
    for (std::size_t r = 0; r < statement.resource.items.size(); ++r) {
      CompiledResource resource = compile_resource(statement.resource.items[r].value, variables);
      resource.atom = Atom{Atom::Kind::resource, policy.get(), s, r};
      compiled.resources.push_back(std::move(resource));
    }
    for (std::size_t c = 0; c < statement.conditions.size(); ++c) {
      CompiledCondition condition = compile_condition(statement.conditions[c], variables);
      condition.atom = Atom{Atom::Kind::condition, policy.get(), s, c};
      compiled.conditions.push_back(std::move(condition));
    }
    policy->statements_.push_back(std::move(compiled));
  }
  policy->index_by_service();
  return policy;
}

void CompiledPolicy::index_by_service() {
  for (std::uint32_t i = 0; i < statements_.size(); ++i) {
    const CompiledStatement& statement = statements_[i];
    const bool any =
        statement.not_action || std::ranges::any_of(statement.actions, [](const CompiledAction& a) { return a.any; });
    if (any) {
      any_service_.push_back(i);
      for (auto& [service, list] : by_service_) list.push_back(i);
      continue;
    }
    for (const CompiledAction& action : statement.actions) {
      if (action.never) continue;
      auto [it, added] = by_service_.try_emplace(action.service, any_service_);
      if (it->second.empty() || it->second.back() != i) it->second.push_back(i);
    }
  }
}

std::span<const std::uint32_t> CompiledPolicy::candidates(std::string_view service) const {
  const auto it = by_service_.find(service);
  if (it == by_service_.end()) return any_service_;
  return it->second;
}

bool covers_action(const CompiledStatement& statement, std::string_view service, std::string_view name) {
  const bool named = std::ranges::any_of(statement.actions, [&](const CompiledAction& action) {
    if (action.any) return true;
    if (action.never || action.service != service) return false;
    return tokens_match(action.name, name, /*fold_case=*/true);
  });
  return named != statement.not_action;
}

void collect_dependencies(const Tri& formula, std::set<std::string>& out) {
  if (formula.op() == Tri::Op::atom) {
    const Atom& atom = *formula.atom_ref();
    const policy::Statement& statement = atom.policy->document().statements[atom.statement];
    out.insert(atom.kind == Atom::Kind::condition ? statement.conditions[atom.index].key
                                                  : statement.resource.items[atom.index].value);
    return;
  }
  for (const Tri& operand : formula.operands()) collect_dependencies(operand, out);
}

Tri settle(const Tri& formula, const std::function<std::optional<bool>(const Atom&)>& value) {
  switch (formula.op()) {
    case Tri::Op::truth:
    case Tri::Op::falsity:
      return formula;
    case Tri::Op::atom: {
      const std::optional<bool> known = value(*formula.atom_ref());
      return known ? Tri::of(*known) : formula;
    }
    case Tri::Op::negate:
      return !settle(formula.operands().front(), value);
    case Tri::Op::all:
    case Tri::Op::any: {
      const bool all = formula.op() == Tri::Op::all;
      Tri out = Tri::of(all);
      for (const Tri& operand : formula.operands()) {
        if (all) {
          out &= settle(operand, value);
        } else {
          out |= settle(operand, value);
        }
      }
      return out;
    }
  }
  return formula;
}

}  // namespace grantlint::eval
