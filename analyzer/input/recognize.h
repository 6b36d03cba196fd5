// Finds the policy documents in a parsed file: a bare policy, or one wrapped in the
// output of an AWS CLI command (get-policy-version, get-role, get-role-policy and its
// user and group forms, kms get-key-policy, s3api get-bucket-policy).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "json/node.h"
#include "policy/kind.h"
#include "policy/resource_type.h"

namespace grantlint::input {

struct PolicySlot {
  std::string pointer;               // where the document sits in the file ("" = the whole file)
  const json::Node* node = nullptr;  // an object, or a string holding the policy
  std::optional<policy::Kind> kind;  // known from the wrapper; otherwise detected from content
  std::string_view source;           // the CLI command the wrapper comes from, for messages
  // A string whose span is not a JSON string token (a YAML scalar, or a string a template's
  // function built): the policy is read from the node's text and placed back by aligning it
  // with the file.
  bool string_not_token = false;
  // A resource policy whose statements take no Resource: an ECR repository's.
  bool takes_no_resource = false;
  // Another form of a document already given (a template's `Fn::If` the other way): its
  // findings count, the document is listed once.
  bool repeats_document = false;
  // A SAM inline policy: SAM adds its Version, so a missing one is not reported.
  bool version_added = false;
  // The resource that holds the policy: a template's logical id, a Terraform address (SARIF
  // `logicalLocations`). Empty for policy files.
  std::string resource = {};
  // The resource a resource policy is attached to, when its wrapper says (a bucket policy),
  // and its name when the wrapper gives it literally (a plan's bucket).
  const policy::ResourceType* resource_type = nullptr;
  std::string resource_name = {};
};

std::vector<PolicySlot> find_policies(const json::Node& root);

}  // namespace grantlint::input
