// CloudFormation templates (JSON, or YAML read by input/yaml.h): the policies their
// resources hold, with the intrinsic functions in them turned into placeholders
// (base/placeholder.h) that keep the span of the function in the template.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "diag/emitter.h"
#include "input/recognize.h"
#include "json/node.h"

namespace grantlint::input {

// Whether `root` is a template: it has `AWSTemplateFormatVersion`, or `Resources` whose
// entries have a `Type` of `AWS::...`.
bool is_cloudformation(const json::Node& root);

// Whether the template's `Transform` names a macro other than AWS's own, which may rewrite any
// resource before deployment: nothing in it is analysed.
bool uses_foreign_macro(const json::Node& root);

// Whether `node` is `{"Ref": "AWS::NoValue"}`, which removes the property it is given to.
bool is_no_value(const json::Node& node);

// The conditions a template's `Conditions` defines.
struct DefinedConditions {
  std::vector<std::string> in_order;  // for "did you mean"
  std::set<std::string, std::less<>> names;

  [[nodiscard]] bool contains(std::string_view name) const { return names.contains(name); }
};
// The template's resources by logical id: their types, and the physical names it gives them
// literally where a reference's value shows them (a role's `RoleName` and `Path`, an alias's
// `AliasName`), and the conditions its `Conditions` defines (unset when it is not a map).
struct TemplateResources {
  std::map<std::string, std::string> types;
  std::map<std::string, std::string> names;
  std::map<std::string, std::string> paths;
  // Roles and users whose name the template gives by a function (`RoleName: !Ref Param`): a value
  // known at deploy, which may be any name, not one of the stack's own making.
  std::set<std::string> names_by_value;
  std::optional<DefinedConditions> conditions;
  // The names `Ref` and `Fn::GetAtt` may take (resources and parameters); unset when a `Transform`
  // may add resources, or `Resources` is not a map.
  std::optional<std::vector<std::string>> defined_names;
  json::Node mappings;  // the template's `Mappings`, for `Fn::FindInMap` with literal keys (null when none)
};
TemplateResources template_resources(const json::Node& root);

// What a property's `value` is at deployment as far as the template says, its intrinsic
// functions resolved as in policies (`Fn::If` takes its first branch): nullopt when it is not
// a string.
std::optional<std::string> cloudformation_value(const json::Node& value, const TemplateResources& resources);

// `value` resolved as in policies, once with each `Fn::If` in it taking its first branch and,
// when it has any, once taking its second: the forms it may take at deployment, as far as two
// tell (a form AWS::NoValue removes is left out).
std::vector<json::Node> cloudformation_forms(const json::Node& value, const TemplateResources& resources);

// The policies of the template's resources (IAM policies, roles' trust and inline
// policies, key policies, bucket, queue, topic, secret and repository policies), with their
// intrinsic functions resolved: `Ref`, `Fn::GetAtt` and the names in `Fn::Sub` become
// placeholders, `Fn::Join` joins, `AWS::NoValue` removes a value. A policy with `Fn::If` is
// given once for each way its conditions may go (every way of up to twelve; past them the first
// three both ways, each other one false, each branch of each `Fn::If` reached; its slots after the first are marked
// `repeats_document`). The resolved documents live in `variants`, which must
// outlive the slots. Misused functions are reported (TPL002), and so is a policy written as
// a string built by a function (TPL003). `from_yaml`: the template was YAML, so policies
// written as strings are YAML scalars.
std::vector<PolicySlot> cloudformation_policies(json::Node& root, bool from_yaml, Emitter& emit,
                                                std::deque<json::Node>& variants);

}  // namespace grantlint::input
