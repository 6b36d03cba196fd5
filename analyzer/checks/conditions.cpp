// Condition blocks against the catalog and the operator semantics (IAM semantics §3):
// unknown keys, keys no action of the statement supports, values an operator cannot read,
// operators that do not fit the key's type, and the set-operator traps.
#include <fmt/format.h>

#include <algorithm>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/placeholder.h"
#include "base/strings.h"
#include "base/suggest.h"
#include "checks/checks.h"
#include "checks/statement_scope.h"
#include "match/arn.h"
#include "match/glob.h"
#include "match/values.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

// The value type an operator family reads; "" for the String family (any text).
std::string_view operator_type(const policy::ConditionOperator& op) {
  const std::string_view base = op.base;
  if (base.starts_with("Numeric")) return "Numeric";
  if (base.starts_with("Date")) return "Date";
  if (base == "Bool") return "Bool";
  if (base == "IpAddress" || base == "NotIpAddress") return "IPAddress";
  if (base.starts_with("Arn")) return "ARN";
  if (base == "BinaryEquals") return "Binary";
  if (base == "Null") return "Null";
  return "";
}

// `ArrayOfString` → `String`.
std::string_view element_type(std::string_view type) { return type.starts_with("ArrayOf") ? type.substr(7) : type; }

bool is_base64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return false;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alnum =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (c == '=') {
      ++padding;
    } else if (!alnum || padding > 0) {
      return false;
    }
  }
  return padding <= 2;
}

class ConditionChecker {
 public:
  ConditionChecker(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit)
      : document_(document), catalog_(catalog), emit_(emit) {}

  void run() {
    for (const policy::Statement& statement : document_.statements) {
      null_false_keys_ = keys_required_present(statement);
      for (const policy::ConditionEntry& entry : statement.conditions) check(statement, entry);
    }
  }

 private:
  void check(const policy::Statement& statement, const policy::ConditionEntry& entry) {
    const policy::ConditionOperator& op = entry.op;
    const std::string_view family = operator_type(op);
    check_values(entry, family);
    const catalog::ConditionKey* key = known_key(entry);
    if (key != nullptr) {
      check_type(entry, *key, family);
      check_set_operator(entry, *key);
      if (!is_global(key)) check_supported(statement, entry);
    }
    if (op.set_prefix == "ForAllValues" && statement.effect == policy::Effect::allow &&
        !null_false_keys_.contains(ascii_lower(entry.key))) {
      emit_.emit(rules::kForAllValuesWithAllow, entry.op_span, entry.pointer,
                 fmt::format("`{}` in an Allow is also true when `{}` is absent or empty, so requests without "
                             "it are allowed; add `\"Null\": {{\"{}\": \"false\"}}`",
                             entry.op_text, entry.key, entry.key));
    }
    if (op.set_prefix == "ForAnyValue" && statement.effect == policy::Effect::deny) {
      emit_.emit(rules::kForAnyValueWithDeny, entry.op_span, entry.pointer,
                 fmt::format("`{}` in a Deny is false when `{}` is absent, so requests without it are not denied",
                             entry.op_text, entry.key));
    }
  }

  void check_values(const policy::ConditionEntry& entry, std::string_view family) {
    for (const policy::Text& value : entry.values) {
      const std::string& v = value.value;
      // Variables expand under String, Arn and (IAM semantics §7.2) Bool operators.
      if (document_.variables_enabled() && v.find("${") != std::string::npos && !family.empty() && family != "ARN" &&
          family != "Bool") {
        emit_.emit(rules::kVariableInNonStringOperator, value.span, value.pointer,
                   fmt::format("`{}` uses a policy variable, which `{}` does not expand; only String and Arn "
                               "operators do",
                               v, entry.op_text));
        continue;
      }
      if (has_placeholder(v)) continue;  // a template's placeholder: known at deployment
      std::string problem;
      if (family == "Numeric" && !match::parse_number(v)) problem = "a decimal number such as `10` or `2.5`";
      if (family == "Date" && !match::parse_date(v)) {
        problem = "an ISO 8601 date such as `2026-01-31T00:00:00Z`, or epoch seconds";
      }
      if ((family == "Bool" || family == "Null") && !match::parse_bool(v)) problem = "`true` or `false`";
      // A region the request can never name: a zone (`us-east-1a`), a typo (`useast1`), upper case.
      if (entry.op.base.starts_with("String") && iequals(entry.key, "aws:RequestedRegion")) check_region(entry, value);
      if (family == "Binary" && !is_base64(v)) problem = "base64-encoded bytes";
      if (family == "ARN" && v != "*" && v.find("${") == std::string::npos && std::count(v.begin(), v.end(), ':') < 5 &&
          !v.ends_with('*')) {
        problem = "an ARN with its six fields, `arn:partition:service:region:account:resource`";
      }
      if (family == "IPAddress") {
        const auto range = match::parse_ip_range(v);
        if (!range) {
          problem = "an IPv4 or IPv6 address or CIDR range such as `203.0.113.0/24`";
        } else if (range->host_bits_set) {
          emit_.emit(rules::kInvalidConditionValue, value.span, value.pointer,
                     fmt::format("`{}` has bits set after its /{} prefix, which IAM ignores; write the network "
                                 "address",
                                 v, range->prefix),
                     Level::note);
        }
      }
      if (!problem.empty()) {
        emit_.emit(rules::kInvalidConditionValue, value.span, value.pointer,
                   fmt::format("`{}` is not a value `{}` can compare: expected {}", v, entry.op_text, problem));
      }
    }
  }

  // A region no request names: a zone (`us-east-1a`), a typo (`useast1`), upper case under a
  // case-sensitive operator. The condition then never matches that value.
  void check_region(const policy::ConditionEntry& entry, const policy::Text& value) {
    const std::string& v = value.value;
    const bool like = entry.op.base.find("Like") != std::string::npos;
    if (v.find("${") != std::string::npos || (like && v.find_first_of("*?") != std::string::npos)) return;
    const bool ignore_case = entry.op.base.ends_with("IgnoreCase");
    if (match::is_region(ignore_case ? ascii_lower(v) : v)) return;
    emit_.emit(rules::kInvalidConditionValue, value.span, value.pointer,
               fmt::format("`{}` is not a region, so `{}` never holds it: write a region name such as `eu-west-1`", v,
                           entry.key));
  }

  const catalog::ConditionKey* known_key(const policy::ConditionEntry& entry) {
    const std::string& key = entry.key;
    const auto colon = key.find(':');
    if (colon == std::string::npos || colon == 0) return nullptr;  // reported by the grammar (POL028)
    if (const catalog::ConditionKey* found = catalog_.find_condition_key(key)) return found;
    if (is_identity_provider_key(key)) return nullptr;
    if (iequals(key, "aws:ARN")) return nullptr;  // deprecated, not unknown: CON013
    const std::string_view stem = std::string_view(key).substr(0, key.ends_with('/') ? key.size() - 1 : key.size());
    if (const catalog::ConditionKey* whole = catalog_.find_condition_key(fmt::format("{}/name", stem));
        whole != nullptr) {
      // `aws:ResourceTag` for `aws:ResourceTag/${TagKey}` (MISSING_TAG_KEY_IN_CONDITION).
      const bool tag = whole->name.find("Tag") != std::string::npos;
      emit_.emit(rules::kUnknownConditionKey, entry.key_span, entry.pointer,
                 fmt::format("`{}` names no {}: the key is `{}/` and the {}, such as `{}/{}`", key,
                             tag ? "tag" : "name", stem, tag ? "tag's key" : "name", stem, tag ? "team" : "example"));
      return nullptr;
    }
    const std::string_view prefix(key.data(), colon);
    if (iequals(prefix, "aws")) {
      emit_.emit(
          rules::kUnknownConditionKey, entry.key_span, entry.pointer,
          fmt::format("`{}` is not a global condition key{}", key, suggest(key, catalog_.global_condition_keys())));
      return nullptr;
    }
    const catalog::Service* service = catalog_.find_service(prefix);
    if (service == nullptr) {
      emit_.emit(rules::kUnknownConditionKey, entry.key_span, entry.pointer,
                 fmt::format("`{}` belongs to no known service: `{}` is not a service prefix", key, prefix));
      return nullptr;
    }
    emit_.emit(rules::kUnknownConditionKey, entry.key_span, entry.pointer,
               fmt::format("`{}` is not a condition key of `{}` ({}){}", key, service->prefix, service->name,
                           suggest(key, service->condition_keys)));
    return nullptr;
  }

  std::string suggest(std::string_view key, std::span<const catalog::ConditionKey> keys) {
    return did_you_mean(nearest_condition_key(key, keys, suggestions_given_));
  }

  bool is_global(const catalog::ConditionKey* key) const {
    const auto globals = catalog_.global_condition_keys();
    return key >= globals.data() && key < globals.data() + globals.size();
  }

  void check_type(const policy::ConditionEntry& entry, const catalog::ConditionKey& key, std::string_view family) {
    const std::string_view type = element_type(key.type);
    if (family.empty() || family == "Null" || family == "Binary") return;
    if (family == type) return;
    // `aws:EpochTime` is documented as Date and as Numeric (IAM semantics §3.7).
    if (iequals(entry.key, "aws:EpochTime") && (family == "Numeric" || family == "Date")) return;
    // String keys often hold ARNs (`kms:EncryptionContext:aws:s3:arn`), and AWS's own
    // policies compare them with Arn operators; only the other families are reported.
    if (family == "ARN" && type == "String") return;
    emit_.emit(
        rules::kOperatorTypeMismatch, entry.op_span, entry.pointer,
        fmt::format("`{}` compares {} values, but `{}` is of type {}", entry.op_text, family, entry.key, key.type));
  }

  void check_set_operator(const policy::ConditionEntry& entry, const catalog::ConditionKey& key) {
    // Cognito's `amr` claim carries several values although the catalog types it String;
    // AWS's own trust policy examples test it with ForAnyValue.
    const bool multivalued =
        key.type.starts_with("ArrayOf") || iequals(entry.key, "cognito-identity.amazonaws.com:amr");
    if (!entry.op.set_prefix.empty() && !multivalued) {
      // ForAllValues is then also true for an absent key (a trap); ForAnyValue only says
      // the plain operator the long way.
      const bool all = entry.op.set_prefix == "ForAllValues";
      emit_.emit(rules::kSetOperatorOnSingleValue, entry.op_span, entry.pointer,
                 fmt::format("`{}` is for multivalued keys, but `{}` holds one value ({}); {}", entry.op_text,
                             entry.key, key.type,
                             all ? "`ForAllValues` is then also true when the key is absent"
                                 : fmt::format("use `{}{}`", entry.op.base, entry.op.if_exists ? "IfExists" : "")),
                 all ? Level::warning : Level::note);
    } else if (entry.op.set_prefix.empty() && multivalued && entry.op.base != "Null") {
      emit_.emit(rules::kMissingSetOperator, entry.op_span, entry.pointer,
                 fmt::format("`{}` can hold several values ({}), so `{}` needs `ForAnyValue:` or `ForAllValues:`",
                             entry.key, key.type, entry.op_text));
    }
  }

  // A service key none of the statement's actions can see in its request context.
  void check_supported(const policy::Statement& statement, const policy::ConditionEntry& entry) {
    const std::string& key = entry.key;
    if (key.starts_with("aws:") || key.starts_with("AWS:") || statement.action.negated ||
        statement.action.items.empty()) {
      return;
    }
    std::size_t actions = 0;
    for (const policy::Text& item : statement.action.items) {
      bool supported = false;
      // `*` and unknown services (ACT001) may include actions that support the key.
      const bool known = for_each_matching_action(
          catalog_, item.value, [&](const catalog::Service& service, const catalog::Action& action) {
            ++actions;
            supported = supported || catalog::action_supports_key(service, action, key);
          });
      if (!known || supported) return;
    }
    if (actions == 0) return;  // reported as ACT002/ACT003
    emit_.emit(rules::kConditionKeyNotSupported, entry.key_span, entry.pointer,
               fmt::format(
                   "no action of this statement supports `{}`, so the condition never sees a value and {}", key,
                   entry.op.if_exists || entry.op.set_prefix == "ForAllValues" ? "is always true" : "may never match"));
  }

  // The keys (lowercase) a `"Null": {"KEY": "false"}` of `statement` requires present: found once
  // per statement, as a statement of 200,000 `ForAllValues` keys asks of each.
  static std::unordered_set<std::string> keys_required_present(const policy::Statement& statement) {
    std::unordered_set<std::string> keys;
    for (const policy::ConditionEntry& entry : statement.conditions) {
      if (entry.op.base == "Null" && entry.values.size() == 1 && match::parse_bool(entry.values[0].value) == false) {
        keys.insert(ascii_lower(entry.key));
      }
    }
    return keys;
  }

  const policy::Document& document_;
  const catalog::Catalog& catalog_;
  Emitter& emit_;
  std::unordered_set<std::string> null_false_keys_;
  std::size_t suggestions_given_ = 0;
};

}  // namespace

// "Did you mean" for a document's first kSuggestionsPerList unknown keys only: each reads
// every key it could be, and a hostile document holds millions of unknown keys (3M took
// minutes). Later keys are reported without one; past a thousand findings of a rule a report
// lists only the first thousand anyway, unless a baseline or suppression took some of those.
std::optional<std::string_view> nearest_name(std::string_view word, std::span<const std::string_view> names,
                                             std::size_t& given) {
  if (given >= Suggestions::kSuggestionsPerList) return std::nullopt;
  ++given;
  return closest_match(word, names);
}

std::optional<std::string_view> nearest_condition_key(std::string_view key, std::span<const catalog::ConditionKey> keys,
                                                      std::size_t& given) {
  std::vector<std::string_view> names;
  names.reserve(keys.size());
  for (const catalog::ConditionKey& candidate : keys) names.push_back(candidate.name);
  return nearest_name(key, names, given);
}

bool is_identity_provider_key(std::string_view key) {
  const std::string_view prefix = key.substr(0, key.find(':'));
  return prefix.find('.') != std::string_view::npos || iequals(prefix, "saml");
}

void check_conditions(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  ConditionChecker(document, catalog, emit).run();
}

}  // namespace grantlint::checks
