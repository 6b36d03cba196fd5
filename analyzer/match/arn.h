// ARN patterns (IAM semantics §2.3): `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, where
// RESOURCE is everything after the fifth colon. Wildcards in the first four fields stay
// inside their field; in RESOURCE they cross `/` and `:`.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace grantlint::match {

struct ArnFields {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;
};

// The fields of an ARN after `arn:`: partition, service, region, account, and the resource
// part (everything after the fifth colon). nullopt when it is not `arn:` and six fields.
std::optional<std::array<std::string_view, 5>> split_arn(std::string_view arn);

// `arn:PARTITION:kms:REGION:ACCOUNT:key/...`
bool is_kms_key_arn(std::string_view arn);

// Whether `s` has the form of a region name: `us-east-1`, `us-gov-west-1`, `us-isob-east-1`
// (lower case, a hyphen, a final digit); `us-east-1a` (a zone) and `useast1` have not.
bool is_region(std::string_view s);

// Splits a policy's resource pattern. A pattern with fewer than six fields is padded with
// `*` fields when it ends in `*` (the trailing wildcard expands across colons); otherwise
// it is not an ARN pattern and nullopt is returned. With `variables`, policy variables
// (`${aws:username}`) become `*`, since they may expand to anything.
std::optional<ArnFields> split_arn_pattern(std::string_view pattern, bool variables);

// Whether a policy resource pattern can name a resource of a catalog resource type, whose
// ARN template holds placeholders such as `${Partition}` and `${BucketName}`.
bool arn_pattern_can_match_template(const ArnFields& pattern, std::string_view arn_template);

// Whether two split ARN patterns can name a common resource, field by field.
bool arn_patterns_intersect(const ArnFields& a, const ArnFields& b);

}  // namespace grantlint::match
