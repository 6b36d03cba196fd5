// Key policies that no one can administer any more (KMS001): a Deny of `kms:PutKeyPolicy` to
// everyone, no statement that lets an identity change the policy, or Deny statements that,
// asked of the evaluator, refuse it to every caller the policy admits.
#include <fmt/format.h>

#include <algorithm>
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

// The key a key policy is attached to, for asking the evaluator: the first key ARN its
// resources name, else one of the account that owns the policy or that its principals name.
std::string key_of(const policy::Document& doc, std::string_view any_caller) {
  for (const policy::Statement& st : doc.statements) {
    if (st.resource.negated) continue;
    for (const policy::Text& item : st.resource.items) {
      if (match::is_kms_key_arn(item.value) && item.value.find_first_of("*?$") == std::string::npos) {
        return item.value;
      }
    }
  }
  const std::string_view owner = owner_of(doc).account;
  const auto fields = match::split_arn(any_caller);
  return fmt::format("arn:{}:kms:us-east-1:{}:key/1234abcd-12ab-34cd-56ef-1234567890ab", fields ? (*fields)[0] : "aws",
                     owner.empty() ? account_of_principal(any_caller) : owner);
}

// A template's key policy with the pseudo parameters `${AWS::Partition}` and `${AWS::AccountId}`
// written as a partition and an account (one no literal ARN names, as the stack's account is
// not known before deploy), so that the callers they name can be asked about. Other
// placeholders stay, and a principal that holds one names no caller. None when the policy also
// names an account literally: that may be the stack's own.
std::optional<policy::Document> with_stack_account(const policy::Document& doc) {
  static const std::string stack_account = make_placeholder("AWS::AccountId");
  policy::Document out = doc;
  bool placeholder = false;
  bool literal = false;
  const auto fill = [&](std::string& text) {
    if (!has_placeholder(text)) {
      literal = literal || is_account_id(text) || !account_of_principal(text).empty();
      return;
    }
    placeholder = placeholder || text.find(stack_account) != std::string::npos;
    text = in_aws_partition(fill_placeholder(text, "AWS::AccountId", "000000000000"));
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
  if (placeholder && literal) return std::nullopt;
  return out;
}

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
//   literal, and no IAM name holds one. A role named elsewhere under another path is that one
//   (a role's name is unique in its account).
// None when one of them holds a template's placeholder: who it names is not known; none too past
// `limit` callers.
std::optional<std::vector<Probe>> callers_to_ask(const policy::Document& doc, std::size_t limit) {
  std::vector<Probe> out;
  std::set<std::pair<std::string, std::string>> accounts;  // partition, account
  std::map<std::string, std::string> roles;                // lower-case name: the ARN named
  const auto session_of = [](std::string_view partition, std::string_view account, std::string_view resource) {
    return fmt::format("arn:{}:sts::{}:assumed-role/{}/{}", partition, account,
                       resource.substr(resource.rfind('/') + 1), kProbe);
  };
  for (const policy::Statement& st : doc.statements) {
    for (const policy::PrincipalEntry& entry : st.principal.entries) {
      if (entry.type != "AWS") continue;
      for (const policy::Text& value : entry.values) {
        if (has_placeholder(value.value)) return std::nullopt;
        const std::string_view account = account_of_principal(value.value);
        if (account.empty()) continue;
        const auto fields = match::split_arn(value.value);
        accounts.emplace(fields ? (*fields)[0] : "aws", account);
        if (!fields || value.value.find_first_of("*?") != std::string::npos) continue;
        const std::string_view resource = (*fields)[4];
        if ((*fields)[1] == "iam" && resource.starts_with("role/")) {
          out.push_back({session_of((*fields)[0], account, resource), value.value});
          roles.emplace(ascii_lower(resource.substr(resource.rfind('/') + 1)), value.value);
        } else if (resource.starts_with("user/") || resource.starts_with("assumed-role/") ||
                   resource.starts_with("federated-user/")) {
          out.push_back({value.value, ""});
        }
      }
    }
  }
  struct Named {
    std::string_view pattern;
    bool wildcards;
  };
  std::vector<Named> named;
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
          if (is_account_id(value.value)) accounts.emplace("aws", value.value);
          continue;
        }
        named.push_back({value.value, wildcards});
        const auto fields = match::split_arn(value.value);
        if (fields && is_account_id((*fields)[3])) {
          accounts.emplace((*fields)[0].find_first_of("*?$") == std::string_view::npos ? (*fields)[0] : "aws",
                           (*fields)[3]);
        }
      }
    }
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
      if (out.size() > limit) return std::nullopt;
      std::string arn = fmt::format("arn:{}:iam::{}:{}", partition, account, resource);
      if (resource.starts_with("role/")) {
        const auto same_name = roles.find(ascii_lower(std::string_view(resource).substr(resource.rfind('/') + 1)));
        if (same_name != roles.end() && same_name->second != arn) continue;
        out.push_back({session_of(partition, account, resource), std::move(arn)});
      } else if (resource.starts_with("user/") || resource == "root") {
        out.push_back({std::move(arn), ""});
      }
    }
  }
  if (out.size() > limit) return std::nullopt;
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The callers asked times the statements, principals, actions, resources and condition values of
// the key policy, at most: each caller costs a pass over them (a `NotPrincipal` of 20,000 names
// is read whole for each of the 20,000 callers it names), and a key policy within KMS's 32 KB
// quota (POL010) needs far fewer.
constexpr std::size_t kMaxLockoutProbeWork = 4'000'000;

// The Deny statement of the key policy that refuses every caller the policy names, or those
// its conditions spare, `kms:PutKeyPolicy`, asked of the evaluator as `simulate` asks, with
// what else the request carries unknown; null when one caller may change the key policy (or
// may under conditions), or when none is refused by a Deny. The caller's own policies allow
// whatever the key policy lets them: only the key policy decides. Null too past
// kMaxLockoutProbeWork.
const policy::Statement* denies_every_administrator(const policy::Document& doc) {
  if (std::ranges::none_of(doc.statements, [](const policy::Statement& st) {
        return st.effect == policy::Effect::deny && covers_action(st, "kms:PutKeyPolicy");
      })) {
    return nullptr;
  }
  std::optional<policy::Document> stack = with_stack_account(doc);
  if (!stack) return nullptr;
  policy::Document& filled = *stack;
  std::size_t size = 0;  // what one caller's pass reads
  for (const policy::Statement& st : filled.statements) {
    size += 1 + st.action.items.size() + st.resource.items.size();
    for (const policy::PrincipalEntry& entry : st.principal.entries) size += entry.values.size();
    for (const policy::ConditionEntry& condition : st.conditions) size += condition.values.size();
  }
  const std::optional<std::vector<Probe>> probes = callers_to_ask(filled, kMaxLockoutProbeWork / size);
  if (!probes || probes->empty()) return nullptr;
  policy::Document identity;
  identity.version = policy::Text{.value = "2012-10-17", .span = {}, .pointer = {}};
  policy::Statement& everything = identity.statements.emplace_back();
  everything.effect = policy::Effect::allow;
  everything.action.present = true;
  everything.action.items.push_back({.value = "kms:*", .span = {}, .pointer = {}});
  everything.resource.present = true;
  everything.resource.items.push_back({.value = "*", .span = {}, .pointer = {}});
  const auto identity_policy = eval::CompiledPolicy::compile(std::move(identity), SourceId{});
  const std::string key = key_of(filled, probes->front().caller);
  const auto key_policy = eval::CompiledPolicy::compile(std::move(filled), SourceId{});
  eval::PolicySet policies;
  policies.identity.push_back(identity_policy.get());
  policies.resource = key_policy.get();
  const policy::Statement* denying = nullptr;
  for (const Probe& probe : *probes) {
    eval::Context context;
    if (!probe.principal_arn.empty()) context.set("aws:PrincipalArn", probe.principal_arn);
    context.mark_unknown("*");
    context.keep_derived_keys();
    const auto request = eval::make_request(probe.caller, "kms:PutKeyPolicy", key, "", std::move(context));
    if (!request) continue;
    const eval::Answer answer = eval::decide(policies, *request, {.explain = denying == nullptr});
    if (answer.decision == eval::Decision::allowed || answer.decision == eval::Decision::conditional) return nullptr;
    if (answer.decision != eval::Decision::explicit_deny || denying != nullptr) continue;
    for (const eval::StatementTrace& trace : answer.statements) {
      if (trace.policy == key_policy.get() && trace.outcome == eval::StatementTrace::Outcome::applies &&
          key_policy->statements()[trace.statement].deny) {
        denying = &doc.statements[trace.statement];
        break;
      }
    }
  }
  return denying;
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
  const policy::Statement* denying = denies_every_administrator(doc);
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
