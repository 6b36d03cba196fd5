// The kinds of policy document; each has its own grammar and size quota.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace grantlint::policy {

enum class Kind : std::uint8_t {
  identity,      // customer managed policy (also the default for an identity policy)
  inline_user,   // inline policy of a user
  inline_group,  // inline policy of a group
  inline_role,   // inline policy of a role
  boundary,      // permissions boundary
  resource,      // resource-based policy (bucket, queue, topic, secret, ...)
  trust,         // role trust policy (AssumeRolePolicyDocument)
  kms_key,       // KMS key policy
  scp,           // service control policy
};

std::string_view to_string(Kind kind);  // the CLI spelling: "identity", "kms-key", ...
std::optional<Kind> parse_kind(std::string_view text);
std::span<const Kind> all_kinds();

// Customer managed and inline policies are checked alike but for their size quotas: one
// family, whose findings an account scan shares between documents of the same text.
Kind family(Kind kind);
// How messages name a kind's policies: by its family ("identity" for an inline policy too), so
// that the findings of one family read the same.
std::string_view family_name(Kind kind);

// Identity-like kinds: attached to a principal, so Principal is forbidden.
bool is_identity_like(Kind kind);
// Kinds whose Sid must be alphanumeric and unique (IAM's own grammar).
bool uses_iam_sid_rules(Kind kind);

struct SizeQuota {
  std::uint32_t limit = 0;
  bool bytes = false;  // true: bytes with white space; false: characters without white space
  std::string_view what;
};
SizeQuota size_quota(Kind kind);

}  // namespace grantlint::policy
