#include "account/own_resources.h"

#include <algorithm>
#include <array>
#include <utility>

#include "match/arn.h"

namespace grantlint::account {

std::optional<OwnResource> own_resource_named(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, OwnResource>, 7> kWords{{
      {"-", OwnResource::none},
      {"user", OwnResource::user},
      {"role", OwnResource::role},
      {"bounded-user", OwnResource::bounded_user},
      {"bounded-role", OwnResource::bounded_role},
      {"groups", OwnResource::groups},
      {"policies", OwnResource::attached_policies},
  }};
  for (const auto& [name, kind] : kWords) {
    if (name == word) return kind;
  }
  return std::nullopt;
}

OwnResources::OwnResources(const Export& model) {
  for (const Principal& principal : model.principals) {
    if (principal.kind == PrincipalKind::group) groups_.try_emplace(principal.name, &principal);
  }
}

std::vector<std::string_view> OwnResources::of(const Principal& principal, OwnResource kind, bool* cut) const {
  std::vector<std::string_view> out;
  const auto add = [&](std::string_view arn) {
    if (arn.empty() || std::ranges::find(out, arn) != out.end()) return;
    if (out.size() < kMaxListed) {
      out.push_back(arn);
    } else if (cut != nullptr) {
      *cut = true;
    }
  };
  const bool user = principal.kind == PrincipalKind::user;
  const bool role = principal.kind == PrincipalKind::role;
  std::vector<const Principal*> groups;
  for (const Reference& group : principal.groups) {
    if (const auto it = groups_.find(group.target); user && it != groups_.end()) groups.push_back(it->second);
  }
  switch (kind) {
    case OwnResource::none:
      break;
    case OwnResource::user:
    case OwnResource::bounded_user:
      if (user && (kind == OwnResource::user || principal.boundary)) add(principal.arn);
      break;
    case OwnResource::role:
    case OwnResource::bounded_role:
      if (role && (kind == OwnResource::role || principal.boundary)) add(principal.arn);
      break;
    case OwnResource::groups:
      for (const Principal* group : groups) add(group->arn);
      break;
    case OwnResource::attached_policies: {
      // AWS managed policies (account `aws`) take no new versions from the account.
      const auto customer_managed = [&](const Reference& policy) {
        const auto fields = match::split_arn(policy.target);
        if (fields && (*fields)[3] != "aws") add(policy.target);
      };
      for (const Reference& policy : principal.attached) customer_managed(policy);
      for (const Principal* group : groups) std::ranges::for_each(group->attached, customer_managed);
      // A new version of its permissions boundary lifts the boundary.
      if (principal.boundary) customer_managed(*principal.boundary);
      break;
    }
  }
  return out;
}

}  // namespace grantlint::account
