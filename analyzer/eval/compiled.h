// A policy compiled once to answer many requests: actions split into an interned service
// and a name pattern, ARN patterns split into fields, condition values into patterns.
// The compiled form keeps the lowered model it came from, for spans and explanations.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/string_map.h"
#include "eval/pattern.h"
#include "eval/tri.h"
#include "match/values.h"
#include "policy/model.h"
#include "source/span.h"

namespace grantlint::eval {

class CompiledPolicy;

// What a three-valued answer is made of: one condition entry (operator and key) of one
// statement, or one Resource/NotResource pattern whose policy variable names an unknown key.
struct Atom {
  enum class Kind : std::uint8_t { condition, resource } kind = Kind::condition;
  const CompiledPolicy* policy = nullptr;
  std::size_t statement = 0;
  std::size_t index = 0;  // into the statement's conditions, or its Resource/NotResource items
};

enum class Family : std::uint8_t {
  string_equals,
  string_equals_ignore_case,
  string_like,
  numeric,
  date,
  boolean,
  binary,
  ip_address,
  arn,
  null,
  unsupported,
};
enum class Comparison : std::uint8_t { equals, less, less_equals, greater, greater_equals };

// A policy value parsed once for the operator's type (nullopt: it does not parse).
struct TypedValue {
  std::optional<double> number;  // Numeric*: the number; Date*: seconds since the epoch
  std::optional<match::IpRange> range;
  std::optional<bool> boolean;  // Bool without variables; Null
};

struct CompiledCondition {
  Atom atom;
  Family family = Family::unsupported;
  Comparison comparison = Comparison::equals;
  bool negated = false;  // StringNotEquals, NotIpAddress, ...: true iff no value matches
  enum class SetOperator : std::uint8_t { none, all_values, any_value } set_operator = SetOperator::none;
  bool if_exists = false;
  std::string key;  // lower case
  std::vector<Pattern> values;
  std::vector<TypedValue> typed;  // parallel to `values`
};

struct CompiledAction {
  bool any = false;     // `*`
  bool never = false;   // malformed, or a name with white space: matches nothing
  std::string service;  // lower case
  std::vector<Token> name;
};

struct CompiledResource {
  enum class Form : std::uint8_t { any, arn, whole } form = Form::whole;
  std::array<std::vector<Token>, 4> head;  // partition, service, region, account
  Pattern tail;                            // the resource part (arn) or the whole text (whole)
  Atom atom;                               // when `tail` reads a key marked unknown
};

struct CompiledStatement {
  const policy::Statement* source = nullptr;
  bool deny = false;
  bool not_action = false;
  std::vector<CompiledAction> actions;
  std::uint64_t action_words = 0;  // the actions' patterns, in words of 64 tokens (action_units)
  bool resource_present = false;
  bool not_resource = false;
  std::vector<CompiledResource> resources;
  std::vector<CompiledCondition> conditions;
};

class CompiledPolicy {
 public:
  // `source` is the policy's file.
  static std::unique_ptr<const CompiledPolicy> compile(policy::Document document, SourceId source);
  // An identity policy of one statement, Allow `action` (a pattern) on `*`, in no file: what
  // a caller whose own policies are not known is taken to hold.
  static std::unique_ptr<const CompiledPolicy> allowing_everywhere(std::string_view action);

  [[nodiscard]] const policy::Document& document() const { return document_; }
  [[nodiscard]] const std::vector<CompiledStatement>& statements() const { return statements_; }
  // The statements whose Action can match an action of `service` (lower case), in order:
  // those naming the service, `*` or a NotAction. Requests skip the rest unseen.
  [[nodiscard]] std::span<const std::uint32_t> candidates(std::string_view service) const;
  [[nodiscard]] SourceId source() const { return source_; }

  CompiledPolicy(const CompiledPolicy&) = delete;
  CompiledPolicy& operator=(const CompiledPolicy&) = delete;

 private:
  CompiledPolicy() = default;
  void index_by_service();
  policy::Document document_;
  std::vector<CompiledStatement> statements_;
  StringMap<std::vector<std::uint32_t>> by_service_;
  std::vector<std::uint32_t> any_service_;  // `*` and NotAction statements
  SourceId source_ = 0;
};

// Whether a statement's Action covers the action `service:name` (or its NotAction leaves it
// out): `service` in lower case, the name compared without regard to case.
bool covers_action(const CompiledStatement& statement, std::string_view service, std::string_view name);
// What covers_action costs for an action name of `name_length` bytes, in the units of
// Context::charge_comparison: matching_units summed over the statement's action patterns.
inline std::uint64_t action_units(const CompiledStatement& statement, std::size_t name_length) {
  return statement.actions.size() + static_cast<std::uint64_t>(name_length) * statement.action_words / 16;
}

// What a three-valued answer depends on, for messages: the condition keys of its condition
// atoms and the patterns of its Resource atoms.
void collect_dependencies(const Tri& formula, std::set<std::string>& out);

// `formula` with each atom that `value` answers replaced by that answer, the others kept, and
// the connectives simplified: what the answer is for a caller of whom some conditions are known.
Tri settle(const Tri& formula, const std::function<std::optional<bool>(const Atom&)>& value);

}  // namespace grantlint::eval
