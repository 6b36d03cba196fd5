// The resources of an account that are a principal's own: itself, the groups it is in, the
// managed policies attached to it and its permissions boundary. An escalation path allowed on
// one of them raises the principal's own permissions (ACC102) as surely as one allowed on
// every resource.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "account/model.h"

namespace grantlint::account {

// Which of its own resources an escalation path works on (rules/data/privilege_escalation.tsv).
enum class OwnResource : std::uint8_t {
  none,
  user,               // a user itself (iam:PutUserPolicy on its own ARN)
  role,               // a role itself
  bounded_user,       // a user itself, when a permissions boundary limits it
  bounded_role,       // a role itself, when a permissions boundary limits it
  groups,             // a user's groups
  attached_policies,  // the customer managed policies attached to it or to its groups, and its boundary
};

// From the data file's word (`-`, `user`, `role`, `bounded-user`, `bounded-role`, `groups`,
// `policies`); none for another.
std::optional<OwnResource> own_resource_named(std::string_view word);

class OwnResources {
 public:
  // `model` must outlive this.
  explicit OwnResources(const Export& model);

  // The ARNs of a principal's own resources of one kind, each once, at most kMaxListed (`cut`,
  // if given, is set when there were more): views of the model's text, valid while it lives.
  [[nodiscard]] std::vector<std::string_view> of(const Principal& principal, OwnResource kind,
                                                 bool* cut = nullptr) const;

  // AWS lets a principal hold at most 221 customer managed policies of its own: 20 attached to
  // it, 20 to each of its 10 groups, and its boundary (the highest quotas it grants).
  static constexpr std::size_t kMaxListed = 256;

 private:
  std::unordered_map<std::string_view, const Principal*> groups_;  // by name: the first listing
};

}  // namespace grantlint::account
