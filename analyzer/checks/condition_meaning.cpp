// Condition values that parse but cannot mean what they say: private addresses for
// `aws:SourceIp` (CON010), ids that are no VPC or endpoint (CON011), wildcards under
// operators that compare literally (CON012), the deprecated `aws:ARN` (CON013), and MFA
// conditions that do not require MFA (CON016).
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/placeholder.h"
#include "base/strings.h"
#include "checks/checks.h"
#include "match/values.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

struct Block {
  bool v6;
  std::array<std::uint8_t, 16> address;
  unsigned prefix;
};

// Private, loopback, link-local and shared address space: never the source of a request
// that reaches AWS over the internet.
constexpr std::array kPrivate = {
    Block{false, {10}, 8},
    Block{false, {172, 16}, 12},
    Block{false, {192, 168}, 16},
    Block{false, {127}, 8},
    Block{false, {169, 254}, 16},
    Block{false, {100, 64}, 10},
    Block{true, {0xfc}, 7},
    Block{true, {0xfe, 0x80}, 10},
    Block{true, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128},
};

bool inside(const match::IpRange& range, const Block& block) {
  if (range.v6 != block.v6 || range.prefix < block.prefix) return false;
  for (unsigned bit = 0; bit < block.prefix; ++bit) {
    const unsigned byte = bit / 8;
    const auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    if ((range.address[byte] & mask) != (block.address[byte] & mask)) return false;
  }
  return true;
}

bool is_private(const match::IpRange& range) {
  return std::ranges::any_of(kPrivate, [&](const Block& block) { return inside(range, block); });
}

// `*` or `?` outside the `${...}` of a policy variable.
bool has_wildcard(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i).starts_with("${")) {
      const std::size_t close = text.find('}', i);
      if (close == std::string_view::npos) return false;
      i = close;
      continue;
    }
    if (text[i] == '*' || text[i] == '?') return true;
  }
  return false;
}

// `vpc-` or `vpce-` and 8 or 17 letters and digits.
bool is_id(std::string_view text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  const std::string_view rest = text.substr(prefix.size());
  return (rest.size() == 8 || rest.size() == 17) && std::ranges::all_of(rest, [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
         });
}

class MeaningChecker {
 public:
  explicit MeaningChecker(Emitter& emit) : emit_(emit) {}

  void check(const policy::Statement& statement, const policy::ConditionEntry& entry) {
    const std::string_view base = entry.op.base;
    if (iequals(entry.key, "aws:MultiFactorAuthPresent") && entry.op.set_prefix.empty()) mfa(statement, entry);
    if (iequals(entry.key, "aws:MultiFactorAuthAge") && entry.op.set_prefix.empty()) mfa_age(statement, entry);
    if (iequals(entry.key, "aws:ARN")) {
      emit_.emit(rules::kDeprecatedConditionKey, entry.key_span, entry.pointer,
                 fmt::format("`{}` is deprecated: use `aws:PrincipalArn`", entry.key));
    }
    if (base == "Null" && !entry.op.set_prefix.empty()) {
      // Access Analyzer: with a set operator `Null` always evaluates to true (ForAllValues) or
      // false (ForAnyValue).
      emit_.emit(rules::kNullWithSetOperator, entry.op_span, entry.pointer,
                 fmt::format("`{}` is always {}: `Null` asks whether `{}` is absent; write `Null` alone", entry.op_text,
                             entry.op.set_prefix == "ForAllValues" ? "true" : "false", entry.key));
    }
    if (iequals(entry.key, "aws:SourceIp") && (base == "IpAddress" || base == "NotIpAddress")) source_ip(entry);
    const bool literal = base == "StringEquals" || base == "StringNotEquals" || base == "StringEqualsIgnoreCase" ||
                         base == "StringNotEqualsIgnoreCase";
    // Other operator families on these keys are a type mismatch (CON004).
    if ((iequals(entry.key, "aws:SourceVpc") || iequals(entry.key, "aws:SourceVpce")) && base.starts_with("String")) {
      vpc_ids(entry, literal);
    }
    if (literal) {
      for (const policy::Text& value : entry.values) {
        if (!has_wildcard(value.value)) continue;
        emit_.emit(
            rules::kWildcardWithoutLike, value.span, value.pointer,
            fmt::format("`{}` compares `{}` literally, `*` and `?` included; for a wildcard use `{}`", entry.op_text,
                        value.value, base.find("Not") != std::string_view::npos ? "StringNotLike" : "StringLike"));
      }
    }
  }

 private:
  // Requests signed with long-term access keys carry no `aws:MultiFactorAuthPresent` (IAM
  // semantics §3.3): `Bool` false does not match them, and `Null` false says only that the
  // credentials are temporary (Parliament's BAD_PATTERN_FOR_MFA).
  void mfa(const policy::Statement& statement, const policy::ConditionEntry& entry) {
    const bool deny = statement.effect == policy::Effect::deny;
    const bool says_true = std::ranges::any_of(
        entry.values, [](const policy::Text& value) { return match::parse_bool(value.value) == true; });
    // An Allow under `BoolIfExists` true also allows the requests that carry no key: those
    // signed with long-term access keys, without MFA.
    // `StringEquals` "false" compares the same text `Bool` does.
    const bool equals =
        entry.op.base == "Bool" || entry.op.base == "StringEquals" || entry.op.base == "StringEqualsIgnoreCase";
    if (!deny && says_true && equals && entry.op.if_exists) {
      emit_.emit(rules::kWeakMfaCondition, entry.key_span, entry.pointer,
                 fmt::format("`{}` true also matches requests signed with long-term access keys, which carry no "
                             "`{}`: this Allow does not require MFA of them; use `Bool` true",
                             entry.op_text, entry.key));
      return;
    }
    const bool says_false = std::ranges::any_of(
        entry.values, [](const policy::Text& value) { return match::parse_bool(value.value) == false; });
    if (!says_false) return;
    // A negated operator on a key the request does not carry is true (IAM semantics §2.5).
    const bool not_equals = entry.op.base == "StringNotEquals" || entry.op.base == "StringNotEqualsIgnoreCase";
    std::string message;
    if (not_equals && !deny) {
      message = fmt::format(
          "`{}` false also matches requests signed with long-term access keys, which carry no `{}`: this Allow "
          "does not require MFA of them; use `Bool` true",
          entry.op_text, entry.key);
    } else if (equals && !entry.op.if_exists) {
      message = deny ? fmt::format(
                           "`{}` false does not match requests signed with long-term access keys, which carry "
                           "no `{}`: this Deny does not deny them; use `BoolIfExists`",
                           entry.op_text, entry.key)
                     : fmt::format(
                           "`{}` false matches only temporary credentials obtained without MFA (long-term "
                           "access keys carry no `{}`): it requires no MFA; to require MFA, deny with "
                           "`BoolIfExists` false",
                           entry.op_text, entry.key);
    } else if (entry.op.base == "Null" && !deny) {
      message = fmt::format(
          "`Null` false on `{}` says only that the request used temporary credentials, not that "
          "it used MFA; to require MFA use `Bool` true",
          entry.key);
    }
    if (!message.empty()) emit_.emit(rules::kWeakMfaCondition, entry.key_span, entry.pointer, message);
  }

  // `aws:MultiFactorAuthAge` is there only when MFA was used: a Deny of old MFA without
  // `IfExists` spares requests with no MFA at all, and an Allow of recent MFA with `IfExists`
  // lets them in.
  void mfa_age(const policy::Statement& statement, const policy::ConditionEntry& entry) {
    const std::string& base = entry.op.base;
    const bool deny = statement.effect == policy::Effect::deny;
    if (deny && !entry.op.if_exists && (base == "NumericGreaterThan" || base == "NumericGreaterThanEquals")) {
      emit_.emit(rules::kWeakMfaCondition, entry.key_span, entry.pointer,
                 fmt::format("`{}` does not match requests made without MFA, which carry no `{}` (long-term access "
                             "keys among them): this Deny does not deny them; use `{}IfExists`",
                             entry.op_text, entry.key, base));
    } else if (!deny && entry.op.if_exists && (base == "NumericLessThan" || base == "NumericLessThanEquals")) {
      emit_.emit(rules::kWeakMfaCondition, entry.key_span, entry.pointer,
                 fmt::format("`{}` also matches requests made without MFA, which carry no `{}` (long-term access "
                             "keys among them): this Allow does not require MFA of them; use `{}`",
                             entry.op_text, entry.key, base));
    }
  }

  void source_ip(const policy::ConditionEntry& entry) {
    std::vector<const policy::Text*> private_values;
    std::size_t parsed = 0;
    for (const policy::Text& value : entry.values) {
      const auto range = match::parse_ip_range(value.value);
      if (!range) continue;  // CON004
      ++parsed;
      if (is_private(*range)) private_values.push_back(&value);
    }
    if (private_values.empty()) return;
    const bool negated = entry.op.base == "NotIpAddress";
    if (private_values.size() == parsed) {
      emit_.emit(rules::kPrivateSourceIp, entry.key_span, entry.pointer,
                 fmt::format("`aws:SourceIp` never holds a private address, so `{}` on only private ranges {}; for "
                             "requests from a VPC use `aws:VpcSourceIp`, `aws:SourceVpc` or `aws:SourceVpce`",
                             entry.op_text, negated ? "is always true" : "never matches"));
      return;
    }
    for (const policy::Text* value : private_values) {
      emit_.emit(
          rules::kPrivateSourceIp, value->span, value->pointer,
          fmt::format("`{}` is a private range, which `aws:SourceIp` never holds: it has no effect here", value->value),
          Level::note);
    }
  }

  void vpc_ids(const policy::ConditionEntry& entry, bool literal) {
    const bool endpoint = iequals(entry.key, "aws:SourceVpce");
    for (const policy::Text& value : entry.values) {
      if (value.value.find("${") != std::string::npos || has_placeholder(value.value)) continue;
      if (!literal && has_wildcard(value.value)) continue;  // a Like pattern
      if (is_id(value.value, endpoint ? "vpce-" : "vpc-")) continue;
      emit_.emit(rules::kMalformedVpcId, value.span, value.pointer,
                 fmt::format("`{}` is not a {} id: `{}-` followed by 8 or 17 letters and digits", value.value,
                             endpoint ? "VPC endpoint" : "VPC", endpoint ? "vpce" : "vpc"));
    }
  }

  Emitter& emit_;
};

}  // namespace

void check_condition_meaning(const policy::Document& document, Emitter& emit) {
  MeaningChecker checker(emit);
  for (const policy::Statement& statement : document.statements) {
    for (const policy::ConditionEntry& entry : statement.conditions) checker.check(statement, entry);
  }
}

}  // namespace grantlint::checks
