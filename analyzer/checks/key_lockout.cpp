// Key policies that no one can administer any more (KMS001): a Deny of `kms:PutKeyPolicy` to
// everyone, no statement that lets an identity change the policy, or Deny statements that,
// asked of the evaluator, refuse it to every caller the policy admits.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/placeholder.h"
#include "base/strings.h"
#include "checks/checks.h"
#include "checks/statement_scope.h"
#include "eval/context.h"
#include "eval/decide.h"
#include "match/arn.h"
#include "match/glob.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

constexpr std::string_view kProbe = "grantlint-probe";

// An unconditional Deny of kms:PutKeyPolicy on the key to everyone, which locks out every
// administrator.
const policy::Statement* denies_administration(const policy::Document& doc) {
  for (const policy::Statement& st : doc.statements) {
    if (st.effect == policy::Effect::deny && is_public(st.principal) && st.conditions.empty() &&
        covers_action(st, "kms:PutKeyPolicy") && names_the_key(st)) {
      return &st;
    }
  }
  return nullptr;
}

// The condition of `st` that no `kms:PutKeyPolicy` request meets, if any. Administrators call
// it directly: the request carries no `kms:ViaService` (only an integrated service calling KMS
// for them sets it; CloudFormation, which may update a key's policy for its caller, aside), no
// grant or cryptographic keys (`kms:GrantIsForAWSResource`, `kms:EncryptionContext:...`), and
// the caller's own account as `kms:CallerAccount`, which KMS requires to be the key's.
const policy::ConditionEntry* never_met_by_administrators(const policy::Statement& st, std::string_view owner) {
  static constexpr std::string_view kAbsent[] = {
      "kms:ViaService",         "kms:GrantIsForAWSResource", "kms:GrantOperations",       "kms:GranteePrincipal",
      "kms:RetiringPrincipal",  "kms:GrantConstraintType",   "kms:EncryptionContextKeys", "kms:EncryptionAlgorithm",
      "kms:SigningAlgorithm",   "kms:MessageType",           "kms:MacAlgorithm",          "kms:WrappingAlgorithm",
      "kms:ReEncryptOnSameKey", "kms:DataKeyPairSpec"};
  const auto absent = [](std::string_view key) {
    return std::ranges::any_of(kAbsent, [&](std::string_view k) { return iequals(key, k); }) ||
           istarts_with(key, "kms:EncryptionContext:");
  };
  for (const policy::ConditionEntry& c : st.conditions) {
    const policy::ConditionOperator& op = c.op;
    if (op.negated() || op.if_exists || op.set_prefix == "ForAllValues" || c.values.empty()) continue;
    if (op.base == "Null") {
      // `Null` false asks that the key be there.
      if (absent(c.key) &&
          std::ranges::all_of(c.values, [](const policy::Text& v) { return iequals(v.value, "false"); }))
        return &c;
      continue;
    }
    if (iequals(c.key, "kms:ViaService")) {
      if (std::ranges::none_of(c.values, [](const policy::Text& v) { return v.value.starts_with("cloudformation."); }))
        return &c;
      continue;
    }
    if (absent(c.key)) return &c;
    if (!owner.empty() && (iequals(c.key, "kms:CallerAccount") || iequals(c.key, "aws:PrincipalAccount")) &&
        names_values(op) && std::ranges::none_of(c.values, [&](const policy::Text& v) {
          return v.value.find_first_of("*?") != std::string::npos || is_placeholder(v.value) || v.value == owner;
        })) {
      return &c;
    }
  }
  return nullptr;
}

// Whether a statement lets everyone, the account or a named IAM identity (a user, a role, a
// role's session, a federated user) change the key policy. With `owner`, only one of that
// account counts: KMS never lets another account call `kms:PutKeyPolicy`. A statement under a
// condition no administrator's request meets is put in `unmet`.
bool administrable(const policy::Document& doc, std::string_view owner = {},
                   const policy::ConditionEntry** unmet = nullptr) {
  const std::string_view key_account = owner_of(doc).account;
  for (const policy::Statement& st : doc.statements) {
    if (st.effect != policy::Effect::allow || !st.principal.present || st.principal.negated) continue;
    if (!covers_action(st, "kms:PutKeyPolicy") || !names_the_key(st)) continue;
    if (const policy::ConditionEntry* never = never_met_by_administrators(st, key_account)) {
      if (unmet != nullptr && *unmet == nullptr) *unmet = never;
      continue;
    }
    // Everyone may change it (RES001 and KMS002 say how bad that is): not locked out.
    if (is_public(st.principal)) return true;
    for (const policy::PrincipalEntry& entry : st.principal.entries) {
      if (entry.type != "AWS") continue;
      for (const policy::Text& value : entry.values) {
        const std::string_view account = account_of_principal(value.value);
        if (!owner.empty() && !account.empty() && account != owner) continue;
        if (is_iam_identity(value.value) || !account.empty()) return true;
      }
    }
  }
  return false;
}

// A template's key policy with the pseudo parameters `${AWS::Partition}` and `${AWS::AccountId}`
// written as a partition and an account (one no literal ARN names, as the stack's account is
// not known before deploy), so that the callers they name can be asked about. Other
// placeholders stay, and a principal that holds one names no caller. The account is `--account`'s
// when given. None when it is not and the policy also names an account literally: that may be the
// stack's own (`*unknown` set: said, h54 H2).
std::optional<policy::Document> with_stack_account(const policy::Document& doc, bool* unknown) {
  static const std::string stack_account = make_placeholder("AWS::AccountId");
  const std::string given(doc.account);
  policy::Document out = doc;
  bool placeholder = false;
  bool literal = false;
  const auto fill = [&](std::string& text) {
    if (!has_placeholder(text)) {
      literal = literal || is_account_id(text) || !account_of_principal(text).empty();
      return;
    }
    placeholder = placeholder || text.find(stack_account) != std::string::npos;
    text = in_aws_partition(fill_placeholder(text, "AWS::AccountId", given.empty() ? "000000000000" : given));
  };
  for (policy::Statement& st : out.statements) {
    for (policy::PrincipalEntry& entry : st.principal.entries) {
      for (policy::Text& value : entry.values) fill(value.value);
    }
    for (policy::Text& item : st.resource.items) fill(item.value);
    for (policy::ConditionEntry& condition : st.conditions) {
      for (policy::Text& value : condition.values) fill(value.value);
    }
  }
  // `111122223333` beside `${AWS::AccountId}` may be the stack's own account, or not.
  if (placeholder && literal && given.empty()) {
    *unknown = true;
    return std::nullopt;
  }
  return out;
}

// The callers asked times the work of one caller's pass over the key policy, at most: the
// statements, principals, actions, resources and condition values it reads, each weighed by the
// words it may take against the caller's ARN (a `NotPrincipal` of 20,000 names is read whole for
// each of the 20,000 callers it names; 500 `aws:PrincipalArn` patterns of 2 KB against ARNs of
// 1 KB took 20 s: h51 H2, h52 H1). Past it the question is not worked out, which is said.
constexpr std::size_t kMaxLockoutProbeWork = 4'000'000;

// A caller to ask about, and the `aws:PrincipalArn` its request carries (a role's session
// does not name the role's path; empty: the caller's ARN tells it).
struct Probe {
  std::string caller;
  std::string principal_arn;
  friend auto operator<=>(const Probe&, const Probe&) = default;
};

// The callers to ask whether they may change a key policy, as `simulate` takes them:
// - the root, an IAM user and a role's session of each account the policy names, in a
//   principal, in an `aws:PrincipalArn` pattern or as an `aws:PrincipalAccount` or
//   `kms:CallerAccount` value of a statement about `kms:PutKeyPolicy`;
// - a session of each role named, and each user, role session and federated user named;
// - the users and roles those statements' `aws:PrincipalArn` conditions name: a wildcard under a
//   `Like` or `Arn` operator filled in, an account field that is a pattern or a policy variable
//   taken as each account named that it admits; under a `String` operator a wildcard is
//   literal, and no IAM name holds one. A role named elsewhere in the same account under another
//   path is that one (a role's name is unique in its account).
// Accounts named only by statements that are not about `kms:PutKeyPolicy` (an Allow of
// `kms:Decrypt` to 1,500 accounts) are alike but for the partition and the wildcard patterns
// (`aws:PrincipalArn` account fields, `aws:PrincipalAccount` values) that admit them: of each
// such class one is asked, and the owner's (h52 H2: three callers each made a 22 KB policy pass
// the budget, and its lockout went unsaid). A pattern these cannot read asks them all.
// None when one of them holds a template's placeholder: who it names is not known; none too past
// `limit` callers, and `*past` set.
std::optional<std::vector<Probe>> callers_to_ask(const policy::Document& doc, std::string_view owner, std::size_t limit,
                                                 bool* past) {
  const auto past_limit = [&] {
    *past = true;
    return std::nullopt;
  };
  using Account = std::pair<std::string, std::string>;  // partition, account
  std::vector<std::pair<Probe, Account>> named_callers;
  std::set<Account> accounts;  // those asked
  std::set<Account> others;    // named only outside statements about kms:PutKeyPolicy
  // Roles and users by partition, account, kind and lower-case name: the ARN named (a name is
  // unique in its account only, whatever the path: h53 H1, a partner's `role/service-role/Admin`
  // hid the key account's `Admin`; a named `user/admins/alice` is the `user/alice` a pattern fills in).
  std::map<std::string, std::string> identities;
  const auto identity_key = [](std::string_view partition, std::string_view account, std::string_view resource) {
    return fmt::format("{}:{}:{}:{}", partition, account, resource.substr(0, resource.find('/')),
                       ascii_lower(resource.substr(resource.rfind('/') + 1)));
  };
  const auto session_of = [](std::string_view partition, std::string_view account, std::string_view resource) {
    return fmt::format("arn:{}:sts::{}:assumed-role/{}/{}", partition, account,
                       resource.substr(resource.rfind('/') + 1), kProbe);
  };
  for (const policy::Statement& st : doc.statements) {
    const bool administers = covers_action(st, "kms:PutKeyPolicy");
    for (const policy::PrincipalEntry& entry : st.principal.entries) {
      if (entry.type != "AWS") continue;
      for (const policy::Text& value : entry.values) {
        if (has_placeholder(value.value)) return std::nullopt;
        const std::string_view account = account_of_principal(value.value);
        if (account.empty()) continue;
        const auto fields = match::split_arn(value.value);
        Account named{fields ? std::string((*fields)[0]) : "aws", std::string(account)};
        (administers ? accounts : others).insert(named);
        if (!fields || value.value.find_first_of("*?") != std::string::npos) continue;
        const std::string_view resource = (*fields)[4];
        if ((*fields)[1] == "iam" && resource.starts_with("role/")) {
          named_callers.push_back({{session_of((*fields)[0], account, resource), value.value}, named});
          identities.emplace(identity_key((*fields)[0], account, resource), value.value);
        } else if (resource.starts_with("user/") || resource.starts_with("assumed-role/") ||
                   resource.starts_with("federated-user/")) {
          named_callers.push_back({{value.value, ""}, named});
          if (resource.starts_with("user/"))
            identities.emplace(identity_key((*fields)[0], account, resource), value.value);
        }
      }
    }
  }
  struct Named {
    std::string_view pattern;
    bool wildcards;
  };
  std::vector<Named> named;
  // The patterns that may tell accounts apart: an account field or value with a wildcard.
  std::vector<std::string_view> account_patterns;
  bool alike = true;  // false when a condition may tell accounts apart in a way not worked out here
  for (const policy::Statement& st : doc.statements) {
    if (!covers_action(st, "kms:PutKeyPolicy")) continue;
    for (const policy::ConditionEntry& condition : st.conditions) {
      const bool arn = iequals(condition.key, "aws:PrincipalArn");
      if (!arn && !iequals(condition.key, "aws:PrincipalAccount") && !iequals(condition.key, "kms:CallerAccount")) {
        continue;
      }
      const bool wildcards = condition.op.base.starts_with("Arn") || condition.op.base.ends_with("Like");
      for (const policy::Text& value : condition.values) {
        if (has_placeholder(value.value)) return std::nullopt;
        if (!arn) {
          if (is_account_id(value.value)) accounts.emplace("aws", std::string(value.value));
          if (wildcards && value.value.find_first_of("*?") != std::string::npos)
            account_patterns.push_back(value.value);
          continue;
        }
        named.push_back({value.value, wildcards});
        const auto fields = match::split_arn(value.value);
        if (!fields) {
          alike = alike && !wildcards;  // `*:222222222222:*` may name an account anywhere
          continue;
        }
        if (is_account_id((*fields)[3])) {
          accounts.emplace(
              std::string((*fields)[0].find_first_of("*?$") == std::string_view::npos ? (*fields)[0] : "aws"),
              std::string((*fields)[3]));
        } else if (wildcards && (*fields)[3].find_first_of("*?") != std::string_view::npos &&
                   (*fields)[3].find("${") == std::string_view::npos) {
          account_patterns.push_back((*fields)[3]);
        }
      }
    }
  }
  // Of the others (not asked already), the owner's and the first of each partition that the
  // same account patterns admit: the rest are alike to it (h53 M1: `arn:aws:iam::*:role/x` kept
  // every account).
  if (others.size() * account_patterns.size() > kMaxLockoutProbeWork) return past_limit();
  // An account with roles or users named is not like the others: its names change what a pattern
  // fills in there (the review of 716fc36: a role named under a path in the one account asked).
  std::set<Account> with_names;
  for (const auto& [probe, account] : named_callers) with_names.insert(account);
  std::set<std::string> classes_seen;
  for (const Account& other : others) {
    if (accounts.contains(other)) continue;
    if (with_names.contains(other)) {
      accounts.insert(other);
      continue;
    }
    std::string signature = other.first + ':';
    for (const std::string_view pattern : account_patterns) {
      signature += match::glob_matches(pattern, other.second, false) ? '1' : '0';
    }
    if (!alike || other.second == owner || classes_seen.insert(std::move(signature)).second) accounts.insert(other);
  }
  if (named.size() * accounts.size() > kMaxLockoutProbeWork) return past_limit();
  std::vector<Probe> out;
  for (auto& [probe, account] : named_callers) {
    if (accounts.contains(account)) out.push_back(std::move(probe));
  }
  for (const auto& [partition, account] : accounts) {
    out.push_back({fmt::format("arn:{}:iam::{}:root", partition, account), ""});
    out.push_back({fmt::format("arn:{}:iam::{}:user/{}", partition, account, kProbe), ""});
    out.push_back({session_of(partition, account, kProbe), ""});
  }
  for (const Named& one : named) {
    if (!one.wildcards && one.pattern.find_first_of("*?") != std::string_view::npos) continue;
    // A policy variable (`${aws:PrincipalAccount}`) holds a `:` that is no field's end.
    std::string pattern(one.pattern);
    for (auto at = pattern.find("${"); at != std::string::npos; at = pattern.find("${", at + 2)) {
      const auto close = pattern.find('}', at);
      if (close == std::string::npos) break;
      pattern.replace(at, close - at + 1, "${}");
    }
    const auto fields = match::split_arn(pattern);
    if (!fields || (*fields)[1] != "iam" || (*fields)[4].find("${") != std::string_view::npos) continue;
    const std::string_view partition =
        (*fields)[0].find_first_of("*?$") == std::string_view::npos ? (*fields)[0] : "aws";
    std::string resource((*fields)[4]);
    std::ranges::replace(resource, '*', 'x');
    std::ranges::replace(resource, '?', 'x');
    const std::string_view account_field = (*fields)[3];
    for (const auto& [unused, account] : accounts) {
      const bool admitted = account_field == account || account_field.find("${") != std::string_view::npos ||
                            (one.wildcards && match::glob_matches(account_field, account, false));
      if (!admitted) continue;
      if (out.size() > limit) return past_limit();
      std::string arn = fmt::format("arn:{}:iam::{}:{}", partition, account, resource);
      if (resource.starts_with("role/") || resource.starts_with("user/")) {
        const auto same_name = identities.find(identity_key(partition, account, resource));
        if (same_name != identities.end() && same_name->second != arn) continue;
      }
      if (resource.starts_with("role/")) {
        out.push_back({session_of(partition, account, resource), std::move(arn)});
      } else if (resource.starts_with("user/") || resource == "root") {
        out.push_back({std::move(arn), ""});
      }
    }
  }
  if (out.size() > limit) return past_limit();
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// A key a key policy may be attached to, for asking the evaluator, and its account.
struct KeyToAsk {
  std::string arn;
  std::string partition;
  std::string account;
};

// The keys a key policy may be attached to: the first key ARN its resources name, else one of
// the account that owns the policy; else one of each account an Allow of `kms:PutKeyPolicy`
// admits by name (a principal, or an `aws:PrincipalAccount`, `kms:CallerAccount` or
// `aws:PrincipalArn` value): the key's own is among them, and only its callers may change its
// policy (h52 review: the lowest account named was taken for the key's, and a user of the key in
// a lower-numbered account made the administrators "cross-account"); else one of each account
// the callers asked are of, and so when one admits everyone. `probes` is not empty.
std::vector<KeyToAsk> keys_to_ask(const policy::Document& doc, const std::vector<Probe>& probes) {
  for (const policy::Statement& st : doc.statements) {
    if (st.resource.negated) continue;
    for (const policy::Text& item : st.resource.items) {
      const auto fields = match::split_arn(item.value);
      if (match::is_kms_key_arn(item.value) && item.value.find_first_of("*?$") == std::string::npos && fields) {
        return {{item.value, std::string((*fields)[0]), std::string((*fields)[3])}};
      }
    }
  }
  const auto key_in = [](std::string_view partition, std::string_view account) {
    return KeyToAsk{fmt::format("arn:{}:kms:us-east-1:{}:key/1234abcd-12ab-34cd-56ef-1234567890ab", partition, account),
                    std::string(partition), std::string(account)};
  };
  const auto fields = match::split_arn(probes.front().caller);
  const std::string_view caller_partition = fields ? (*fields)[0] : "aws";
  if (const std::string_view owner = owner_of(doc).account; !owner.empty()) return {key_in(caller_partition, owner)};
  std::set<std::pair<std::string, std::string>> accounts;
  const auto add_arn = [&](std::string_view arn) {
    const auto named = match::split_arn(arn);
    if (named && is_account_id((*named)[3])) accounts.emplace((*named)[0], (*named)[3]);
  };
  bool open = false;  // an Allow of everyone (under conditions): any account may be the key's
  for (const policy::Statement& st : doc.statements) {
    if (st.effect != policy::Effect::allow || st.principal.negated || !covers_action(st, "kms:PutKeyPolicy")) continue;
    open = open || is_public(st.principal);
    for (const policy::PrincipalEntry& entry : st.principal.entries) {
      if (entry.type != "AWS") continue;
      for (const policy::Text& value : entry.values) {
        const std::string_view account = account_of_principal(value.value);
        if (!is_account_id(account)) continue;
        const auto named = match::split_arn(value.value);
        accounts.emplace(named ? (*named)[0] : "aws", account);
      }
    }
    for (const policy::ConditionEntry& condition : st.conditions) {
      if (condition.op.negated()) continue;
      for (const policy::Text& value : condition.values) {
        if (iequals(condition.key, "aws:PrincipalArn")) {
          add_arn(value.value);
        } else if ((iequals(condition.key, "aws:PrincipalAccount") || iequals(condition.key, "kms:CallerAccount")) &&
                   is_account_id(value.value)) {
          accounts.emplace(caller_partition, value.value);
        }
      }
    }
  }
  // None names one, or one lets everyone in (`"Principal": "*"` under a pattern): any account a
  // caller asked is of (h53 k03: `kms:CallerAccount` `3333*` made the key's account unknown).
  if (accounts.empty() || open) {
    for (const Probe& probe : probes) add_arn(probe.caller);
  }
  std::vector<KeyToAsk> keys;
  for (const auto& [partition, account] : accounts) keys.push_back(key_in(partition, account));
  return keys;
}

// A principal is compared whole with the caller, a condition value matched against what the
// caller's request carries (its ARN, the longest of it: `text`), actions and resources against
// `kms:PutKeyPolicy` and the key's ARN. 0 for `text` counts one unit a value.
std::uint64_t one_pass(const policy::Document& doc, std::size_t text) {
  constexpr std::size_t kKeyArn = 96;  // `arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/<uuid>`, about
  std::uint64_t units = 0;
  const auto add = [&](const std::vector<policy::Text>& items, std::size_t against) {
    for (const policy::Text& item : items) units += eval::matching_units(against, item.value.size());
  };
  for (const policy::Statement& st : doc.statements) {
    units += 1;
    add(st.action.items, text == 0 ? 0 : 16);
    add(st.resource.items, text == 0 ? 0 : kKeyArn);
    for (const policy::PrincipalEntry& entry : st.principal.entries) units += entry.values.size();
    for (const policy::ConditionEntry& condition : st.conditions) add(condition.values, text);
  }
  return units;
}

struct LockoutAnswer {
  const policy::Statement* denying = nullptr;  // the Deny that refuses every caller
  std::size_t past_budget = 0;                 // past kMaxLockoutProbeWork: at least this many callers to ask
  bool stack_account_unknown = false;          // a template's `${AWS::AccountId}` beside a literal account
};

// The Deny statement of the key policy that refuses every caller the policy names, or those
// its conditions spare, `kms:PutKeyPolicy`, asked of the evaluator as `simulate` asks, with
// what else the request carries unknown; none when one caller may change the key policy (or
// may under conditions), or when none is refused by a Deny. The caller's own policies allow
// whatever the key policy lets them: only the key policy decides. Past kMaxLockoutProbeWork
// none, and past_budget says so.
LockoutAnswer denies_every_administrator(const policy::Document& doc) {
  if (std::ranges::none_of(doc.statements, [](const policy::Statement& st) {
        return st.effect == policy::Effect::deny && covers_action(st, "kms:PutKeyPolicy");
      })) {
    return {};
  }
  bool unknown_account = false;
  std::optional<policy::Document> stack = with_stack_account(doc, &unknown_account);
  if (unknown_account) return {.stack_account_unknown = true};
  if (!stack) return {};
  policy::Document& filled = *stack;
  // Counted first as if each value took one unit, which bounds the callers worth listing; then
  // by the length of the longest caller's ARN.
  const std::uint64_t least = std::max<std::uint64_t>(1, one_pass(filled, 0));
  bool past = false;
  const std::optional<std::vector<Probe>> probes =
      callers_to_ask(filled, owner_of(doc).account, kMaxLockoutProbeWork / least, &past);
  if (past) return {nullptr, kMaxLockoutProbeWork / least + 1};
  if (!probes) return {};
  if (probes->empty()) return {};
  std::size_t longest = 0;
  for (const Probe& probe : *probes) longest = std::max({longest, probe.caller.size(), probe.principal_arn.size()});
  const std::vector<KeyToAsk> keys = keys_to_ask(filled, *probes);
  // Each caller is asked about the key of its own account only: KMS never lets another account
  // change a key's policy (so the work stays callers × a pass, not keys × callers × a pass).
  if (probes->size() * one_pass(filled, longest) > kMaxLockoutProbeWork) return {nullptr, probes->size()};
  policy::Document identity;
  identity.version = policy::Text{.value = "2012-10-17", .span = {}, .pointer = {}};
  policy::Statement& everything = identity.statements.emplace_back();
  everything.effect = policy::Effect::allow;
  everything.action.present = true;
  everything.action.items.push_back({.value = "kms:*", .span = {}, .pointer = {}});
  everything.resource.present = true;
  everything.resource.items.push_back({.value = "*", .span = {}, .pointer = {}});
  const auto identity_policy = eval::CompiledPolicy::compile(std::move(identity), SourceId{});
  const auto key_policy = eval::CompiledPolicy::compile(std::move(filled), SourceId{});
  eval::PolicySet policies;
  policies.identity.push_back(identity_policy.get());
  policies.resource = key_policy.get();
  // Locked out only if locked out whichever of them is the key's account; named at the first.
  const policy::Statement* first_denying = nullptr;
  for (const KeyToAsk& key : keys) {
    const policy::Statement* denying = nullptr;
    for (const Probe& probe : *probes) {
      const auto caller = match::split_arn(probe.caller);
      if (!caller || (*caller)[3] != key.account || (*caller)[0] != key.partition) continue;
      eval::Context context;
      if (!probe.principal_arn.empty()) context.set("aws:PrincipalArn", probe.principal_arn);
      context.mark_unknown("*");
      context.keep_derived_keys();
      const auto request = eval::make_request(probe.caller, "kms:PutKeyPolicy", key.arn, "", std::move(context));
      if (!request) continue;
      const eval::Answer answer = eval::decide(policies, *request, {.explain = denying == nullptr});
      if (answer.decision == eval::Decision::allowed || answer.decision == eval::Decision::conditional) return {};
      if (answer.decision != eval::Decision::explicit_deny || denying != nullptr) continue;
      for (const eval::StatementTrace& trace : answer.statements) {
        if (trace.policy == key_policy.get() && trace.outcome == eval::StatementTrace::Outcome::applies &&
            key_policy->statements()[trace.statement].deny) {
          denying = &doc.statements[trace.statement];
          break;
        }
      }
    }
    if (denying == nullptr) return {};
    if (first_denying == nullptr) first_denying = denying;
  }
  return {first_denying, 0};
}

}  // namespace

void check_key_lockout(const policy::Document& doc, Emitter& emit) {
  // A statement whose Effect did not parse makes the question unanswerable (and AWS rejects
  // the policy anyway: POL015/POL016).
  const bool effects_known = std::all_of(doc.statements.begin(), doc.statements.end(),
                                         [](const policy::Statement& st) { return st.effect.has_value(); });
  if (doc.statements.empty() || !effects_known) return;
  if (const policy::Statement* deny = denies_administration(doc)) {
    emit.emit(rules::kKeyPolicyLockout, deny->span, deny->pointer,
              "this statement denies `kms:PutKeyPolicy` to everyone without a condition, so no one can change "
              "the key policy again; the key could become unmanageable");
    return;
  }
  const policy::ConditionEntry* unmet = nullptr;
  if (!administrable(doc, {}, &unmet)) {
    if (unmet != nullptr) {
      emit.emit(rules::kKeyPolicyLockout, unmet->key_span, unmet->pointer,
                fmt::format("no one can change this key policy: the statement that lets the account change it "
                            "(`kms:PutKeyPolicy`) holds only under `{}` on `{}`, which no administrator's request "
                            "meets (they call KMS directly, from the key's account); the key could become "
                            "unmanageable",
                            unmet->op_text, unmet->key));
      return;
    }
    emit.emit(rules::kKeyPolicyLockout, Span{doc.span.begin, doc.span.begin + 1}, "",
              "no statement lets the account or a named IAM identity change this key policy "
              "(`kms:PutKeyPolicy`); the key could become unmanageable");
    return;
  }
  if (const std::string_view owner = owner_of(doc).account; !owner.empty() && !administrable(doc, owner)) {
    emit.emit(rules::kKeyPolicyLockout, Span{doc.span.begin, doc.span.begin + 1}, "",
              fmt::format("only principals of other accounts than {} may change this key policy "
                          "(`kms:PutKeyPolicy`), and KMS never lets another account call it; the key could become "
                          "unmanageable",
                          owner));
    return;
  }
  const LockoutAnswer answer = denies_every_administrator(doc);
  // Said, not passed over: the note says why the question was not worked out.
  const auto not_worked_out = [&](std::string_view why) {
    emit.emit(rules::kKeyPolicyLockout, Span{doc.span.begin, doc.span.begin + 1}, "",
              fmt::format("whether a Deny statement refuses `kms:PutKeyPolicy` to every caller this key policy lets "
                          "change it was not worked out: {}",
                          why),
              Level::note);
  };
  if (answer.past_budget > 0) {
    not_worked_out(
        fmt::format("asking {} callers or more over a policy this long is past the check's budget (README, Limits)",
                    answer.past_budget));
    return;
  }
  if (answer.stack_account_unknown) {
    not_worked_out(
        "it names the stack's account (`${AWS::AccountId}`) beside a literal account, which may be the same one; "
        "`--account` tells the stack's");
    return;
  }
  const policy::Statement* denying = answer.denying;
  if (denying == nullptr) return;
  emit.emit(rules::kKeyPolicyLockout, denying->span, denying->pointer,
            denying->principal.negated
                ? "this statement denies `kms:PutKeyPolicy` to every caller its `NotPrincipal` does not exempt, and it "
                  "exempts no one the policy lets change the key policy (a role's sessions are exempt only when their "
                  "session ARN and the account are listed with the role); the key could become unmanageable"
                : "this statement denies `kms:PutKeyPolicy` to every caller the policy lets change the key policy, "
                  "those its conditions name included; the key could become unmanageable");
}

}  // namespace grantlint::checks
