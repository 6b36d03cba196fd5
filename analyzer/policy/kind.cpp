#include "policy/kind.h"

#include <array>

namespace grantlint::policy {

namespace {
constexpr std::array kKinds = {Kind::identity, Kind::inline_user, Kind::inline_group, Kind::inline_role,
                               Kind::boundary, Kind::resource,    Kind::trust,        Kind::kms_key,
                               Kind::scp};
}

std::span<const Kind> all_kinds() { return kKinds; }

std::string_view to_string(Kind kind) {
  switch (kind) {
    case Kind::identity: return "identity";
    case Kind::inline_user: return "inline-user";
    case Kind::inline_group: return "inline-group";
    case Kind::inline_role: return "inline-role";
    case Kind::boundary: return "boundary";
    case Kind::resource: return "resource";
    case Kind::trust: return "trust";
    case Kind::kms_key: return "kms-key";
    case Kind::scp: return "scp";
  }
  return "identity";
}

std::optional<Kind> parse_kind(std::string_view text) {
  for (Kind kind : kKinds) {
    if (to_string(kind) == text) return kind;
  }
  return std::nullopt;
}

Kind family(Kind kind) {
  switch (kind) {
    case Kind::inline_user:
    case Kind::inline_group:
    case Kind::inline_role: return Kind::identity;
    default: return kind;
  }
}

std::string_view family_name(Kind kind) { return to_string(family(kind)); }

bool is_identity_like(Kind kind) {
  switch (kind) {
    case Kind::identity:
    case Kind::inline_user:
    case Kind::inline_group:
    case Kind::inline_role:
    case Kind::boundary:
    case Kind::scp: return true;
    default: return false;
  }
}

bool uses_iam_sid_rules(Kind kind) { return is_identity_like(kind) || kind == Kind::trust; }

SizeQuota size_quota(Kind kind) {
  switch (kind) {
    case Kind::identity: return {6144, false, "customer managed policies"};
    case Kind::boundary: return {6144, false, "managed policies used as permissions boundaries"};
    case Kind::inline_user: return {2048, false, "a user's inline policies"};
    case Kind::inline_group: return {5120, false, "a group's inline policies"};
    case Kind::inline_role: return {10240, false, "a role's inline policies"};
    case Kind::trust: return {4096, false, "role trust policies (2,048 unless the quota was raised)"};
    case Kind::scp: return {5120, false, "service control policies"};
    case Kind::kms_key: return {32768, true, "KMS key policies"};
    case Kind::resource: return {0, false, "resource-based policies"};  // service-specific: not checked
  }
  return {};
}

}  // namespace grantlint::policy
