// Policy variables as IAM reads them (IAM semantics §2.5): well formed where they expand
// (POL032), not written where they never expand (POL033), and naming a key a request can
// carry (POL036). Only under 2012-10-17; under 2008-10-17 the text is literal (POL005).
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/strings.h"
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

// The variables of a well-formed value: what is between `${` and `}`, and its default value
// when it has one (the literal characters `${*}`, `${?}`, `${$}` left out).
struct Variable {
  std::string_view whole;  // `${aws:username, 'none'}`
  std::string_view key;    // `aws:username`
  bool has_default = false;
};

std::vector<Variable> variables_of(std::string_view text) {
  std::vector<Variable> found;
  std::size_t close = 0;
  for (std::size_t at = text.find("${"); at != std::string_view::npos; at = text.find("${", close + 1)) {
    close = text.find('}', at + 2);
    if (close == std::string_view::npos) break;
    const std::string_view inner = text.substr(at + 2, close - at - 2);
    if (inner == "*" || inner == "?" || inner == "$") continue;
    const std::size_t comma = inner.find(',');
    found.push_back({text.substr(at, close - at + 1), inner.substr(0, comma), comma != std::string_view::npos});
  }
  return found;
}

// Where a value stands, for what an unfilled variable does to it.
struct Place {
  // A condition's: its operator as written, and what it tests; null for a resource.
  const policy::ConditionEntry* entry = nullptr;
  bool not_resource = false;  // a `NotResource` entry
};

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

// Variables a service fills in from the request that are no condition key of the catalog's:
// AWS Transfer Family's session policies (`${transfer:HomeFolder}`, Transfer Family user guide,
// "Creating a session policy") and AWS IoT Core's policy variables (`${iot:ClientId}`,
// `${iot:Connection.Thing.ThingName}`, `${iot:Certificate.Subject.CommonName}`, IoT developer
// guide, "AWS IoT Core policy variables"). A policy using them was a false POL036 (rev_0b81 M4).
bool is_service_variable(std::string_view key) {
  static constexpr std::string_view kNames[] = {"transfer:HomeBucket", "transfer:HomeDirectory", "transfer:HomeFolder",
                                                "transfer:UserName",   "iot:ClientId",           "iot:DomainName"};
  static constexpr std::string_view kStems[] = {"iot:Connection.Thing.", "iot:Certificate."};
  if (std::ranges::any_of(kNames, [&](std::string_view name) { return iequals(key, name); })) return true;
  return std::ranges::any_of(kStems, [&](std::string_view stem) {
    return key.size() > stem.size() && iequals(key.substr(0, stem.size()), stem);
  });
}

// POL036: the keys the variables of resources and of condition values under operators that
// expand them (String, Arn, Bool; CON009 reports the others) name. A value POL032 reports
// malformed is left to it.
class VariableKeyChecker {
 public:
  VariableKeyChecker(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit)
      : document_(document), catalog_(catalog), emit_(emit) {}

  void run() {
    for (const policy::Statement& statement : document_.statements) {
      for (const policy::Text& item : statement.resource.items) {
        known_keys(item, Place{.entry = nullptr, .not_resource = statement.resource.negated});
      }
      for (const policy::ConditionEntry& entry : statement.conditions) {
        const std::string_view base = entry.op.base;
        if (!base.starts_with("String") && !base.starts_with("Arn") && base != "Bool") continue;
        const Place place{.entry = &entry, .not_resource = false};
        for (const policy::Text& value : entry.values) known_keys(value, place);
      }
    }
  }

 private:
  // One finding per key a value names (`${aws:usrname}/${aws:usrname}` is one), each key looked
  // up once a document (rev_0b81 L5: a million unknown variables).
  void known_keys(const policy::Text& value, const Place& place) {
    if (value.value.find("${") == std::string::npos || !variable_problem(value.value).empty()) return;
    std::vector<std::string_view> reported;
    for (const Variable& variable : variables_of(value.value)) {
      if (std::ranges::find(reported, variable.key) != reported.end()) continue;
      auto [known, fresh] = looked_up_.try_emplace(variable.key);
      if (fresh) known->second = why_never_filled(variable.key);
      const Unfilled& unfilled = known->second;
      if (unfilled.why.empty()) continue;
      reported.push_back(variable.key);
      emit_.emit(rules::kUnknownPolicyVariable, value.span, value.pointer,
                 fmt::format("`{}` {}, so {}{}", variable.whole, unfilled.why, what_follows(variable, place),
                             unfilled.near ? fmt::format("; did you mean `${{{}}}`?", *unfilled.near) : ""));
    }
  }

  struct Unfilled {
    std::string why;  // "" when a request may fill the variable in
    std::optional<std::string> near;
  };

  Unfilled why_never_filled(std::string_view key) {
    // CloudFormation's pseudo parameters (`AWS::AccountId`) are filled in by `Fn::Sub` only:
    // left in a plain string, they reach IAM as written.
    if (key.size() >= 5 && iequals(key.substr(0, 5), "AWS::")) {
      return {
          "is a CloudFormation pseudo parameter, not a policy variable: CloudFormation fills it in only inside "
          "`Fn::Sub` (`!Sub`), and no request carries a key of that name",
          std::nullopt};
    }
    // One spelt with a single colon (`${AWS:AccountId}`) is no global key either (rev_0b81 L2).
    if (const auto pseudo = pseudo_parameter_with_one_colon(key)) {
      return {fmt::format("is no condition key but CloudFormation's pseudo parameter `{}` with one colon: "
                          "CloudFormation fills `${{{}}}` in only inside `Fn::Sub` (`!Sub`), and no request carries "
                          "a key of that name",
                          *pseudo, *pseudo),
              std::nullopt};
    }
    const std::size_t colon = key.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return {"names no condition key (a key is `service:name`, such as `aws:username`)",
              nearest(fmt::format("aws:{}", key), catalog_.global_condition_keys())};
    }
    if (const catalog::ConditionKey* found = catalog_.find_condition_key(key)) {
      if (!found->type.starts_with("ArrayOf")) return {};
      return {fmt::format("names `{}`, which holds several values, and IAM fills a variable with one value only",
                          found->name),
              std::nullopt};
    }
    if (is_identity_provider_key(key) || is_service_variable(key)) return {};
    const std::string_view prefix = key.substr(0, colon);
    if (iequals(prefix, "aws")) {
      return {fmt::format("names no condition key (`{}` is not a global condition key)", key),
              nearest(key, catalog_.global_condition_keys())};
    }
    const catalog::Service* service = catalog_.find_service(prefix);
    if (service == nullptr) return {fmt::format("names no condition key (`{}` is not a service prefix)", prefix), {}};
    return {fmt::format("names no condition key (`{}` is not a condition key of `{}`, {})", key, service->prefix,
                        service->name),
            nearest(key, service->condition_keys)};
  }

  // `AWS::NAME` when `key` is `AWS:NAME` for a pseudo parameter NAME (its case aside): spelt in
  // capitals as CloudFormation spells it (`${aws:region}` is a misspelt global key instead).
  static std::optional<std::string> pseudo_parameter_with_one_colon(std::string_view key) {
    static constexpr std::string_view kPseudoParameters[] = {"AccountId", "NotificationARNs", "NoValue",   "Partition",
                                                             "Region",    "StackId",          "StackName", "URLSuffix"};
    if (key.size() < 5 || !key.starts_with("AWS:") || key[4] == ':') return std::nullopt;
    for (const std::string_view name : kPseudoParameters) {
      if (iequals(key.substr(4), name)) return fmt::format("AWS::{}", name);
    }
    return std::nullopt;
  }

  // The key meant: for a key with a `/` (`aws:PrincipalTags/team`), the nearest of the keys that
  // take a name after theirs (`aws:PrincipalTag/tag-key`), with the name kept. Without one, such
  // keys are matched by what comes before their `/`, and suggested whole (`aws:PrincipalTags`:
  // `aws:PrincipalTag/tag-key`, not the nearer in letters `aws:PrincipalArn`; rev_0b81 L2).
  std::optional<std::string> nearest(std::string_view key, std::span<const catalog::ConditionKey> keys) {
    const std::size_t slash = key.find('/');
    const bool named_after = slash != std::string_view::npos;
    // Each key by what comes before its `/` (all of it without one), which starts where its name does.
    std::vector<std::string_view> stems;
    for (const catalog::ConditionKey& candidate : keys) {
      const std::size_t open = candidate.name.find('/');
      if (named_after && open == std::string_view::npos) continue;
      stems.push_back(std::string_view(candidate.name).substr(0, open));
    }
    const auto near = nearest_name(key.substr(0, slash), stems, suggestions_given_);
    if (!near) return std::nullopt;
    if (named_after) return fmt::format("{}{}", *near, key.substr(slash));
    const auto whole = std::ranges::find_if(
        keys, [&](const catalog::ConditionKey& candidate) { return candidate.name.data() == near->data(); });
    return whole != keys.end() ? std::string(whole->name) : std::string(*near);
  }

  // What the value then does: it matches no request, so an entry of a negated operator (which
  // holds when the request's value matches none of the entry's) tests its other values only, or
  // holds for every request when it has none (rev_0b81 M1); under a set operator, the requests
  // that carry no value of the key are apart.
  static std::string what_follows(const Variable& variable, const Place& place) {
    if (variable.has_default) return "its default value is always used";
    // Under NotResource the entry then excludes nothing: the statement covers every resource.
    if (place.not_resource) return "this `NotResource` entry excludes no resource";
    if (place.entry == nullptr) return "this resource matches no request";
    const policy::ConditionEntry& entry = *place.entry;
    const bool alone = entry.values.size() == 1;
    if (!entry.op.negated()) {
      if (alone && entry.op.set_prefix == "ForAllValues") {
        return fmt::format("`{}` holds only for requests that carry no value of `{}`", entry.op_text, entry.key);
      }
      return "this value matches no request";
    }
    if (!alone)
      return fmt::format("this value excludes nothing: `{}` tests the entry's other values only", entry.op_text);
    if (entry.op.set_prefix == "ForAnyValue") {
      return fmt::format("`{}` holds for every request that carries a value of `{}`", entry.op_text, entry.key);
    }
    return fmt::format("`{}` holds for every request (a missing value equals nothing)", entry.op_text);
  }

  const policy::Document& document_;
  const catalog::Catalog& catalog_;
  Emitter& emit_;
  std::size_t suggestions_given_ = 0;
  std::unordered_map<std::string_view, Unfilled> looked_up_;  // by key, as written
};

}  // namespace

void check_variables(const policy::Document& document, Emitter& emit) {
  if (!document.variables_enabled()) return;
  VariableChecker(document, emit).run();
}

void check_variable_keys(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  if (!document.variables_enabled()) return;
  VariableKeyChecker(document, catalog, emit).run();
}

}  // namespace grantlint::checks
