// Stage 2's output: the typed policy model. Every element keeps its span in the file the
// user opened and its JSON pointer inside the policy document. Lowering never throws:
// elements that are malformed are reported and left out (absent), so later stages
// see only what AWS would accept.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/kind.h"
#include "policy/resource_type.h"
#include "source/span.h"

namespace grantlint::policy {

struct Text {
  std::string value;  // unescaped; for numbers and booleans in conditions, their JSON text
  Span span;
  std::string pointer;
};

enum class Effect : std::uint8_t { allow, deny };

// Action/NotAction, Resource/NotResource: a string or an array of strings.
struct PatternList {
  bool present = false;
  bool negated = false;  // NotAction / NotResource
  Span key_span;         // the member's key
  Span span;             // the value
  std::string pointer;
  std::vector<Text> items;
};

struct PrincipalEntry {
  std::string type;  // AWS, Service, Federated, CanonicalUser
  Span key_span;
  std::vector<Text> values;
};

struct Principal {
  bool present = false;
  bool negated = false;   // NotPrincipal
  bool wildcard = false;  // "Principal": "*"
  // Part of it did not parse (a bare ARN, an unknown type, a value that is no string): the
  // entries do not say whom it was meant to name.
  bool malformed = false;
  Span key_span;
  Span span;
  std::string pointer;
  std::vector<PrincipalEntry> entries;
};

struct ConditionOperator {
  std::string set_prefix;  // "", "ForAllValues", "ForAnyValue"
  std::string base;        // canonical spelling: "StringEquals", "Null", ...
  bool if_exists = false;
  // Whether it is a negated operator (`StringNotEquals`, `ArnNotLike`, ...; not `Null`).
  [[nodiscard]] bool negated() const { return base.find("Not") != std::string::npos; }
};

struct ConditionEntry {
  ConditionOperator op;
  std::string op_text;  // as written
  Span op_span;
  std::string key;  // as written
  Span key_span;
  std::string pointer;
  std::vector<Text> values;
};

struct Statement {
  Span span;
  std::string pointer;
  std::optional<Text> sid;
  std::optional<Effect> effect;
  Span effect_span;
  PatternList action;
  PatternList resource;
  Principal principal;
  std::vector<ConditionEntry> conditions;
};

struct Document {
  Kind kind = Kind::identity;
  std::optional<Text> version;
  std::optional<Text> id;
  Span span;
  std::vector<Statement> statements;
  std::string account;  // the account that owns the policy when the user said (`check --account`)
  const ResourceType* resource_type = nullptr;  // a resource policy's resource, when the caller knows it
  std::string resource_name;                    // and its name (a bucket's), when known

  // Policy variables are live only under 2012-10-17 (IAM semantics §1.1).
  [[nodiscard]] bool variables_enabled() const { return version && version->value == "2012-10-17"; }
};

}  // namespace grantlint::policy
