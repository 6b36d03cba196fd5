// A `String` or `Number` parameter that lists `AllowedValues` takes one of them at deployment,
// so a policy that names it with `Ref` is deployed in one form per value (`Principal: !Ref
// Who` with `AllowedValues: ["*", "111122223333"]` may be everyone). Each such `Ref` in a
// policy is rewritten as a chain of `Fn::If`s over conditions on the parameter's value
// (`Fn::Equals`), added to a copy of the template's `Conditions`: a policy's forms then take
// each value, never two at once, and agree with the template's own conditions on the
// parameter (TemplateConditions::settled), as for any `Fn::If`.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "json/node.h"

namespace grantlint::input {

class ParameterChoices {
 public:
  // `parameters` and `conditions`: the template's `Parameters` and `Conditions`, or null. Both
  // must outlive this. Nothing is rewritten when `Conditions` is not a mapping (the template is
  // refused) or no parameter lists from 1 to kMaxValues values.
  ParameterChoices(const json::Node* parameters, const json::Node* conditions);

  // What TemplateConditions reads: the template's `Conditions` with the added conditions.
  [[nodiscard]] const json::Node* conditions() const { return conditions_ ? &*conditions_ : original_; }
  // The names of the added conditions (no name CloudFormation accepts: it takes letters and
  // digits only).
  [[nodiscard]] const std::vector<std::string>& added() const { return added_; }
  // `policy` with each `Ref` of such a parameter rewritten (a parameter of one value becomes
  // it), every new node spanning the `Ref` it replaces; nullopt when the policy holds none.
  [[nodiscard]] std::optional<json::Node> rewritten(const json::Node& policy) const;

  // A parameter with more values is left a value known at deployment: each adds a form.
  static constexpr std::size_t kMaxValues = 16;

 private:
  // The parameter a `{"Ref": name}` names when it lists values, else null.
  [[nodiscard]] const std::vector<std::string>* choice(const json::Node& node) const;
  [[nodiscard]] bool holds_choice(const json::Node& node) const;
  void rewrite(json::Node& node) const;

  const json::Node* original_ = nullptr;
  std::optional<json::Node> conditions_;
  struct Values {
    std::vector<std::string> values;      // as written
    std::vector<std::string> conditions;  // the added condition that the value is each (the last's unused)
  };
  std::map<std::string, Values, std::less<>> values_;  // by parameter name
  std::vector<std::string> added_;
};

}  // namespace grantlint::input
