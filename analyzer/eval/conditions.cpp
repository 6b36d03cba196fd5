#include "eval/conditions.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "base/strings.h"
#include "match/values.h"

namespace grantlint::eval {

namespace {

bool compare(double request, double policy, Comparison comparison) {
  switch (comparison) {
    case Comparison::equals: return request == policy;
    case Comparison::less: return request < policy;
    case Comparison::less_equals: return request <= policy;
    case Comparison::greater: return request > policy;
    case Comparison::greater_equals: return request >= policy;
  }
  return false;
}

bool ip_in_range(const match::IpRange& address, const match::IpRange& range) {
  if (address.v6 != range.v6) return false;
  unsigned bits = range.prefix;
  for (std::size_t i = 0; bits > 0; ++i) {
    const unsigned take = std::min(bits, 8u);
    const auto mask = static_cast<std::uint8_t>(0xFF00u >> take);
    if ((address.address[i] & mask) != (range.address[i] & mask)) return false;
    bits -= take;
  }
  return true;
}

// An ARN pattern split into six fields of tokens at the first five colons. Arn* operators
// check each of the six fields (§3.4): a pattern with fewer fields matches nothing.
bool split_arn_tokens(std::span<const Token> tokens, std::array<std::span<const Token>, 6>& fields) {
  const auto colon = static_cast<Token>(':');
  std::size_t start = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < tokens.size() && count < 5; ++i) {
    if (tokens[i] == colon) {
      fields[count++] = tokens.subspan(start, i - start);
      start = i + 1;
    }
  }
  fields[count] = tokens.subspan(start);
  return count == 5;
}

bool arn_matches(std::span<const Token> pattern, std::string_view value) {
  // A request value that is not a six-field ARN never matches (§3.4).
  if (!value.starts_with("arn:")) return false;
  std::array<std::string_view, 6> v;
  std::size_t start = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const auto colon = value.find(':', start);
    if (colon == std::string_view::npos) return false;
    v[i] = value.substr(start, colon - start);
    start = colon + 1;
  }
  v[5] = value.substr(start);
  std::array<std::span<const Token>, 6> p;
  if (!split_arn_tokens(pattern, p)) return false;
  for (std::size_t i = 0; i < 6; ++i) {
    if (!tokens_match(p[i], v[i], /*fold_case=*/false)) return false;
  }
  return true;
}

// A condition's literal values, looked up (Evaluator::prepare_lookup): strings and ARNs as
// written, numbers and dates as parsed.
struct Lookup {
  bool fold_case = false;
  bool by_number = false;  // NumericEquals, DateEquals: `numbers`, else `literals`
  std::unordered_set<std::string> literals;
  std::unordered_set<double> numbers;
  std::vector<std::size_t> others;  // indexes of the values in neither
};

class Evaluator {
 public:
  Evaluator(const CompiledCondition& condition, const Context& context) : condition_(condition), context_(context) {}

  // Whether one request value matches the policy value `i` under the positive operator.
  bool matches(std::string_view request, std::size_t i) {
    if (context_.budget_spent()) return false;
    const Pattern& policy = condition_.values[i];
    const TypedValue& typed = condition_.typed[i];
    std::span<const Token> tokens = policy.tokens();
    if (policy.has_variables()) {
      // A Bool value is `true` or `false`: a longer one parses as neither.
      const std::size_t text_size = condition_.family == Family::boolean ? 5 : request.size();
      // Unresolved, or longer than the request value: matches nothing.
      if (policy.expand(context_, text_size, scratch_) != Expansion::resolved) return false;
      tokens = scratch_;
    }
    if (!context_.charge_comparison(matching_units(request.size(), tokens.size()))) return false;
    switch (condition_.family) {
      case Family::string_equals:
      case Family::string_like: return tokens_match(tokens, request, /*fold_case=*/false);
      case Family::string_equals_ignore_case: return tokens_match(tokens, request, /*fold_case=*/true);
      case Family::numeric: {
        const auto r = match::parse_number(request);
        return r && typed.number && compare(*r, *typed.number, condition_.comparison);
      }
      case Family::date: {
        const auto r = match::parse_date(request);
        return r && typed.number && compare(*r, *typed.number, condition_.comparison);
      }
      case Family::boolean: {
        const auto r = match::parse_bool(request);
        if (!r) return false;
        if (!policy.has_variables()) return typed.boolean && *r == *typed.boolean;
        std::string text;
        for (const Token token : tokens) text += static_cast<char>(token);
        const auto p = match::parse_bool(text);
        return p && *r == *p;
      }
      case Family::binary: return request == policy.text();
      case Family::ip_address: {
        const auto r = match::parse_ip_range(request);
        return r && typed.range && r->prefix == (r->v6 ? 128u : 32u) && ip_in_range(*r, *typed.range);
      }
      case Family::arn: return arn_matches(tokens, request);
      case Family::null:
      case Family::unsupported: return false;
    }
    return false;
  }

  // The operator over one request value: OR over the policy values, or NOR when negated.
  bool single(std::string_view request) {
    // Past the context's budget the decision is not used: the pairs left are not compared.
    if (context_.budget_spent()) return false;
    bool any = false;
    if (lookup_ && lookup_->by_number) {
      const auto parsed = condition_.family == Family::date ? match::parse_date(request) : match::parse_number(request);
      any = parsed && lookup_->numbers.contains(*parsed);
      for (std::size_t k = 0; k < lookup_->others.size() && !any && !context_.budget_spent(); ++k) {
        any = matches(request, lookup_->others[k]);
      }
    } else if (lookup_) {
      any = lookup_->literals.contains(lookup_->fold_case ? ascii_lower(request) : std::string(request));
      for (std::size_t k = 0; k < lookup_->others.size() && !any && !context_.budget_spent(); ++k) {
        any = matches(request, lookup_->others[k]);
      }
    } else {
      for (std::size_t i = 0; i < condition_.values.size() && !any && !context_.budget_spent(); ++i) {
        any = matches(request, i);
      }
    }
    return condition_.negated ? !any : any;
  }

  bool evaluate(const ContextValue* value) {
    const bool absent = value == nullptr || value->values.empty();
    if (condition_.family == Family::null) {
      // Null: "true" tests that the key is absent, "false" that it is present.
      return std::ranges::any_of(condition_.typed,
                                 [&](const TypedValue& typed) { return typed.boolean && *typed.boolean == absent; });
    }
    switch (condition_.set_operator) {
      case CompiledCondition::SetOperator::all_values:
        if (!absent) prepare_lookup(value->values.size());
        return absent || std::ranges::all_of(value->values, [&](const std::string& r) { return single(r); });
      case CompiledCondition::SetOperator::any_value:
        // Absent or empty: false, unless IfExists says absent keys pass (§3.3).
        if (absent) return condition_.if_exists && value == nullptr;
        prepare_lookup(value->values.size());
        return std::ranges::any_of(value->values, [&](const std::string& r) { return single(r); });
      case CompiledCondition::SetOperator::none: break;
    }
    if (absent) return condition_.if_exists || condition_.negated;
    // A set under an operator without ForAllValues/ForAnyValue matches nothing (§3.5).
    if (value->multi) return false;
    return single(value->values.front());
  }

 private:
  // The values without wildcards or variables of the string and ARN operators, and of the
  // numeric and date operators that test equality, in a set, when a set of request values meets
  // many of them: comparing each with each is quadratic (a request file may list 30,000 tag keys
  // against a policy's 30,000). Wildcard patterns, and IP ranges, are still tried one by one.
  static constexpr std::size_t kLookupFrom = 4096;  // request values x policy values

  void prepare_lookup(std::size_t request_values) {
    const Family family = condition_.family;
    const bool strings = family == Family::string_equals || family == Family::string_like ||
                         family == Family::string_equals_ignore_case || family == Family::arn;
    const bool numbers =
        (family == Family::numeric || family == Family::date) && condition_.comparison == Comparison::equals;
    if ((!strings && !numbers) || request_values * condition_.values.size() < kLookupFrom) return;
    Lookup& lookup = lookup_.emplace();
    lookup.fold_case = family == Family::string_equals_ignore_case;
    lookup.by_number = numbers;
    for (std::size_t i = 0; i < condition_.values.size(); ++i) {
      const Pattern& policy = condition_.values[i];
      const auto tokens = policy.tokens();
      if (policy.has_variables()) {
        lookup.others.push_back(i);
      } else if (numbers) {
        // A value that does not parse matches nothing.
        if (const auto& number = condition_.typed[i].number) lookup.numbers.insert(*number);
      } else if (std::ranges::any_of(tokens, [](Token t) { return t == kStar || t == kOne; }) ||
                 (family == Family::arn && std::ranges::count(tokens, Token{':'}) < 5)) {
        lookup.others.push_back(i);  // a wildcard; an ARN pattern of fewer than six fields matches nothing
      } else {
        std::string literal(tokens.size(), '\0');
        std::ranges::transform(tokens, literal.begin(), [](Token t) { return static_cast<char>(t); });
        lookup.literals.insert(lookup.fold_case ? ascii_lower(literal) : std::move(literal));
      }
    }
  }

  const CompiledCondition& condition_;
  const Context& context_;
  std::vector<Token> scratch_;
  std::optional<Lookup> lookup_;
};

bool depends_on_unknown(const CompiledCondition& condition, const Context& context) {
  if (context.is_unknown(condition.key)) return true;
  return std::ranges::any_of(condition.values, [&](const Pattern& value) { return value.reads_unknown(context); });
}

}  // namespace

Tri evaluate_condition(const CompiledCondition& condition, const Context& context) {
  if (depends_on_unknown(condition, context)) return Tri::atom(&condition.atom);
  Evaluator evaluator(condition, context);
  return Tri::of(evaluator.evaluate(context.find(condition.key)));
}

}  // namespace grantlint::eval
