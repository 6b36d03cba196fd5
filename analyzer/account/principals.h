// Per-principal checks (ACC101, ACC102): each user and role with its effective policies
// (inline, attached, its groups', its boundary) asked through the evaluator whether it can
// do everything, or raise its own permissions. Context is unknown, not guessed: what holds
// only under conditions is a note naming them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "account/effective.h"
#include "account/model.h"
#include "account/own_resources.h"
#include "base/progress.h"
#include "diag/diagnostic.h"
#include "eval/compiled.h"
#include "eval/decide.h"

namespace grantlint::account {

// What the per-principal checks found a principal to be, as warnings (not notes).
enum class Standing : std::uint8_t {
  none,
  administrator,  // ACC101
  escalates,      // ACC102: it can raise its own permissions
  raises_others,  // ACC102: it can raise the permissions of principals of another kind only (a role any user's)
  // ACC101 or ACC102 as a note only because a policy the export lacks could refuse it: neither a
  // target nor asked again (each step found would be the same note).
  noted,
};

// `index` (of `model`) must be safe to read from several threads at once (its document lookup
// too); `threads` workers share the principals. `progress` (may be null) counts them. Returns
// each principal's standing, by its index in `model.principals`.
std::vector<Standing> check_principals(const Export& model, const PolicyIndex& index, unsigned threads,
                                       DiagnosticSink& sink, Progress* progress = nullptr);

// Asks what the per-principal checks ask, reporting nothing, of any principal: one the export
// holds, or one it does not (a user with a group added). One thread at a time.
class PrivilegeProbe {
 public:
  // `model` and `index` (of `model`) must outlive the probe.
  PrivilegeProbe(const Export& model, const PolicyIndex& index);
  ~PrivilegeProbe();
  PrivilegeProbe(const PrivilegeProbe&) = delete;
  PrivilegeProbe& operator=(const PrivilegeProbe&) = delete;

  struct Privilege {
    Standing standing = Standing::none;
    bool conditional = false;    // only under conditions, or unless a boundary the export lacks refuses it
    std::set<std::string> keys;  // the conditions' keys
  };
  // Allowed everything, or every action of an escalation path on every resource.
  Privilege privilege(const Principal& principal);
  // The same, with these policies for its own (a managed policy's other version in its default's place).
  Privilege privilege(const Principal& principal, const EffectivePolicies& effective);
  // Whether each action is allowed on every resource it takes.
  std::vector<eval::Decision> everywhere(const Principal& principal, std::span<const std::string_view> actions);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The escalation paths that pass a role to a service (rules/data/privilege_escalation.tsv).
struct PassRoleRoute {
  std::string_view name;
  std::string_view service;                     // its `iam:PassedToService`
  std::vector<std::string_view> other_actions;  // beside iam:PassRole, each on every resource
};
const std::vector<PassRoleRoute>& pass_role_routes();

// The escalation paths of one action that work on a principal's own resources
// (privilege_escalation.tsv): allowed on another principal's, they raise that one's permissions.
struct OwnPath {
  std::string_view name;
  std::string_view action;
  OwnResource own = OwnResource::none;
};
const std::vector<OwnPath>& own_paths();

// A scan's request context: whatever a request carries is not known to it.
eval::Context unknown_request_context();

}  // namespace grantlint::account
