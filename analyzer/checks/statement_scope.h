// What a statement's Action and Resource elements cover, read from the model without the
// evaluator: the questions the grant and resource-policy checks ask.
#pragma once

#include <algorithm>
#include <span>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "match/glob.h"
#include "policy/model.h"

namespace grantlint::checks {

// Whether a written action pattern (`*`, `iam:*`, `iam:Pass*`) matches `service:action`.
bool pattern_matches_action(std::string_view pattern, std::string_view action);

// Calls `visit(service, action)` for every catalog action a `service:pattern` matches; the
// pattern is compiled once. Returns false when the service is unknown (or the pattern is `*`
// or malformed), without calling `visit`.
template <class Visit>
bool for_each_matching_action(const catalog::Catalog& catalog, std::string_view pattern, Visit visit) {
  const auto colon = pattern.find(':');
  if (colon == std::string_view::npos) return false;
  const catalog::Service* service = catalog.find_service(pattern.substr(0, colon));
  if (service == nullptr) return false;
  const std::string_view name = pattern.substr(colon + 1);
  const match::Glob glob(name, /*fold_case=*/true);
  // Only the actions that start with the pattern's literal head can match it.
  const std::string_view head = name.substr(0, std::min(name.size(), name.find_first_of("*?")));
  for (const catalog::Action& action : service->actions_starting_with(head)) {
    if (glob.matches(action.name)) visit(*service, action);
  }
  return true;
}

// Whether the statement's Action (or NotAction) element covers `service:action`.
bool covers_action(const policy::Statement& statement, std::string_view action);

// Whether a resource pattern takes every resource: `*`, or an ARN pattern that every ARN of
// its partition matches (`arn:*`, `arn:aws:*:*:*:*`).
bool takes_every_arn(std::string_view pattern);

// Whether the statement applies to every resource: `Resource` holds a pattern that takes
// every resource, or it uses `NotResource` (everything but what is listed).
bool covers_all_resources(const policy::Statement& statement);

// Two roles of one account that no pattern short of "every role" names together: one on the
// root path and one under a service path, with unlike names.
inline constexpr std::string_view kAnyRoleProbes[] = {"role/a", "role/service-role/Zz-9_q"};

// The first resource the statement names that takes every IAM role of an account (or of
// every account): `arn:aws:iam::*:role/*`, `arn:aws:iam::111122223333:*`, `arn:aws:*:*:*:*`;
// null when none does (`*` and NotResource are covers_all_resources's).
const policy::Text* any_role_pattern(const policy::Statement& statement);

// The statement's condition keys, as written, comma-separated in backticks (for messages);
// empty without conditions. Those on `besides` (any case) are left out.
std::string condition_keys_text(const policy::Statement& statement, std::string_view besides = {});

// Whether the statement has a condition on `key` with a positive operator that names values
// (names_values): one that is false when the key is absent (no `Not`, no `IfExists`, no
// `ForAllValues`) and whose values are not all `*`.
// `always_present`: the caller asks where every request carries the key (`aws:PrincipalArn` in
// `sts:AssumeRole` by an AWS principal), so `IfExists` tests it as the plain operator would.
bool has_scoping_condition(const policy::Statement& statement, std::string_view key, bool always_present = false);

// Whether an operator compares a value with the ones written as equal to or like them
// (`StringEquals`, `StringLike`, `ArnLike`, `IpAddress`...): only those can name callers or
// sources. `NumericGreaterThan aws:PrincipalAccount 1` holds for every account.
bool names_values(const policy::ConditionOperator& op);

// Whether a condition value narrows `key` to some callers or sources: not `*`, an ARN or
// organization path with a wildcard where the account or organization goes, `0.0.0.0/0`,
// an `aws:userid` prefix that holds no whole unique id or account (`AROA*`), or the caller's
// own value (`aws:PrincipalOrgID` = `${aws:PrincipalOrgID}`).
bool narrows(std::string_view key, std::string_view value);

// Whether the statement compares a resource key with the caller's own value of it
// (`aws:ResourceOrgID` = `${aws:PrincipalOrgID}`, `aws:ResourceAccount` = `${aws:PrincipalAccount}`):
// the caller is of the owner's account or organization.
bool ties_caller_to_owner(const policy::Statement& statement);

// Whether a Principal element is everyone: `"*"` or `{"AWS": "*"}` (NotPrincipal is not).
bool is_public(const policy::Principal& principal);

// The statements of `document` that may deny all but named callers: Denies with conditions,
// at most kMaxDeniesWeighed of them (a policy within IAM's size quotas holds far fewer), so
// that weighing them against each Allow stays linear.
constexpr std::size_t kMaxDeniesWeighed = 64;
std::vector<const policy::Statement*> conditional_denies(const policy::Document& document);

// Whether `deny` refuses every caller that `allow` admits except those its conditions name:
// a Deny for everyone (`Principal: "*"`) of every action and resource `allow` grants, each of
// whose conditions refuses whoever does not carry a narrowing value of one of `keys`
// (`StringNotEquals aws:PrincipalOrgID o-...`: the data-perimeter pattern), the key present or
// not. Its conditions then scope `allow` as they would written on it. With `action`, only that
// action of `allow`'s needs to be denied (an identity policy's Deny, without a Principal,
// applies to its holder).
bool denies_all_but_named(const policy::Statement& deny, const policy::Statement& allow,
                          std::span<const std::string_view> keys, std::string_view action = {});

// What a condition entry says of a request without its key (IAM semantics §3.3): true under
// `IfExists`, `ForAllValues` and the plain `Not` operators.
bool true_when_absent(const policy::ConditionEntry& entry);

// An account (`111122223333`, `arn:aws:iam::111122223333:root`) or an IAM user or role ARN.
// A template's placeholder (`!GetAtt Role.Arn`, `!Ref AWS::AccountId`) names one.
bool is_iam_identity(std::string_view value);

// The account an AWS principal value belongs to: a 12-digit id, or an IAM or STS ARN's
// account field; empty for `*`, unique IDs and placeholders.
std::string_view account_of_principal(std::string_view value);

// The account that owns the policy: as the user said (`--account`), or the one account every
// account-bearing resource ARN of the policy names. Borrows from the document.
struct Owner {
  std::string_view account;
  bool said = false;
};
Owner owner_of(const policy::Document& document);

// Whether a key policy statement's resources include the key the policy is attached to:
// `*` (this key) or a pattern of KMS key ARNs; with NotResource, unless it leaves out every key.
bool names_the_key(const policy::Statement& statement);

}  // namespace grantlint::checks
