// Where a template or a plan attaches a managed policy by ARN to a role, a user or a group:
// CloudFormation's `ManagedPolicyArns` (and a SAM function's `Policies` given by name or ARN),
// Terraform's `managed_policy_arns` and `*_policy_attachment` resources. The policies
// themselves are elsewhere (AWS's, or another template's), so only what grantlint holds of
// them can be judged: the AWS managed policies it carries (glue/aws_managed_policies.h).
#pragma once

#include <string>
#include <vector>

#include "json/node.h"
#include "source/span.h"

namespace grantlint::input {

struct ManagedAttachment {
  std::string arn;  // `${AWS::Partition}` and a SAM policy's bare name written out as `aws`'s ARN
  Span span;        // of the value that names it
  std::string pointer;
  std::string holder;  // the logical ID or resource address that attaches it
};

std::vector<ManagedAttachment> cloudformation_managed_attachments(const json::Node& root);
std::vector<ManagedAttachment> terraform_managed_attachments(const json::Node& root);

}  // namespace grantlint::input
