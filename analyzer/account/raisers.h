// Principals that can raise another principal's permissions by a path allowed on that one's own
// resources by name, not on `*` (x59 M3): a role allowed iam:PutUserPolicy on `user/dev`, a role
// allowed iam:PutGroupPolicy on dev's group, a user allowed iam:PutRolePolicy on a role; and a
// role allowed iam:AddUserToGroup on a group whose members are privileged. None is a finding by
// itself: the raiser gains nothing unless it acts as the principal it raises. The reach pass
// makes each a pair of targets: the raiser for the principals it raises (dev escalates when it
// can assume the role that can write its policies), and each of them for the raiser (a user
// escalates when it can assume the role whose policy it can write).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "account/effective.h"
#include "account/model.h"
#include "account/principals.h"
#include "diag/diagnostic.h"

namespace grantlint::account {

// One principal allowed an escalation path on one resource of others' own, or (a role) allowed
// iam:AddUserToGroup on a group whose members are privileged. Compact: an export's roles may be
// named by path wildcards (`role/service-role/*`) in many principals' policies; what a finding
// says of it is made when one does.
struct Raise {
  std::uint32_t raiser = 0;           // by index in the export's principals
  std::vector<std::uint32_t> raised;  // sorted; empty: any user (iam:AddUserToGroup)
  std::size_t path = 0;               // in own_paths(); kAddsToGroup for iam:AddUserToGroup
  std::string_view resource;          // the model's text: the ARN it is allowed on
  bool conditional = false;
  std::set<std::string> keys = {};
  Standing member = Standing::none;  // iam:AddUserToGroup: what a member of the group would be
};
inline constexpr std::size_t kAddsToGroup = static_cast<std::size_t>(-1);

struct RaiseSearch {
  std::vector<Raise> raises;
  // The first raiser whose statements named more resources for one path than are asked.
  struct Cut {
    std::uint32_t raiser = 0;
    std::string_view action;
  };
  std::optional<Cut> cut_at;
  bool questions_spent = false;  // kMaxRaiseQuestions were asked, and the principals after not
};

// What the raiser is to those it raises, and each of them to the raiser, in a reach finding's
// words ("and that role can raise the permissions of user `X` (put-user-policy): ...").
std::string raiser_is(const Raise& raise);
std::string raised_is(const Raise& raise);
// Where the raiser's statements that allow it are, and the group it adds users to.
std::vector<RelatedLocation> raise_statements(const Raise& raise, const Export& model, const PolicyIndex& index);

// Resources a raiser's statements name that one path is asked about at most, and questions to
// the evaluator the whole search asks at most.
inline constexpr std::size_t kMaxRaisedResources = 256;
inline constexpr std::size_t kMaxRaiseQuestions = 100'000;

// `standings`: check_principals()'s for `model`. Raisers and raised principals are those it
// found neither privileged nor able to raise their own permissions (Standing::none); the others
// are targets for every caller, or reported, already. Asked on up to `threads` threads; the
// answer is the same for any number.
RaiseSearch find_raises(const Export& model, const PolicyIndex& index, std::span<const Standing> standings,
                        unsigned threads);

}  // namespace grantlint::account
