// The resource a resource-based policy is attached to, when the caller knows it (a template's
// `AWS::S3::BucketPolicy`, `check --resource-type`): what that resource's service accepts in
// its policy. The types are Access Analyzer's `validatePolicyResourceType` values.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace grantlint::policy {

struct ResourceType {
  std::string_view name;     // "AWS::S3::Bucket"
  std::string_view display;  // "S3 bucket", for messages
  // The services whose actions the policy may name, and the catalog resource types (of the
  // first service) its Resource element may name.
  std::span<const std::string_view> services;
  std::span<const std::string_view> arn_types;
  std::size_t size_quota = 0;           // 0 when not published
  bool quota_counts_whitespace = true;  // bytes as sent, or characters other than white space
  std::string_view quota_what;          // "S3 bucket policies", for the size message
  // Condition keys whose value the resource fixes: the policy's own account or organization.
  std::span<const std::string_view> fixed_keys;
};

std::span<const ResourceType> all_resource_types();
const ResourceType* find_resource_type(std::string_view name);

}  // namespace grantlint::policy
