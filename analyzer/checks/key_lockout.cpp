// Key policies that no one can administer any more (KMS001): a Deny of `kms:PutKeyPolicy` to
// everyone, no statement that lets an identity change the policy, or Deny statements that,
// asked of the evaluator, refuse it to every caller the policy admits.
#include <fmt/format.h>

#include <algorithm>
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
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

constexpr std::string_view kProbe = "grantlint-probe";

// Whether any statement lets the account or a named IAM identity change the key policy.
// An unconditional Deny of kms:PutKeyPolicy to everyone, which locks out every administrator.
const policy::Statement* denies_administration(const policy::Document& doc) {
  for (const policy::Statement& st : doc.statements) {
    if (st.effect == policy::Effect::deny && is_public(st.principal) && st.conditions.empty() &&
        covers_action(st, "kms:PutKeyPolicy")) {
      return &st;
    }
  }
  return nullptr;
}

bool administrable(const policy::Document& doc) {
  for (const policy::Statement& st : doc.statements) {
    if (st.effect != policy::Effect::allow || !st.principal.present || st.principal.negated) continue;
    if (!covers_action(st, "kms:PutKeyPolicy") || !names_the_key(st)) continue;
    // Everyone may change it (RES001 and KMS002 say how bad that is): not locked out.
    if (is_public(st.principal)) return true;
    for (const policy::PrincipalEntry& entry : st.principal.entries) {
      if (entry.type != "AWS") continue;
      for (const policy::Text& value : entry.values) {
        if (is_iam_identity(value.value)) return true;
      }
    }
  }
  return false;
}

// The callers a key policy's principals stand for, as `simulate` takes them: the root, an IAM
// user and a role's session of each account named; a session of each role named; each user
// and role session named. None when a principal is a template's placeholder, which no caller
// stands for.
std::vector<std::string> callers_named(const policy::Document& doc) {
  std::vector<std::string> out;
  for (const policy::Statement& st : doc.statements) {
    for (const policy::PrincipalEntry& entry : st.principal.entries) {
      if (entry.type != "AWS") continue;
      for (const policy::Text& value : entry.values) {
        if (has_placeholder(value.value)) return {};
        const std::string_view account = account_of_principal(value.value);
        if (account.empty()) continue;
        const auto fields = match::split_arn(value.value);
        const std::string_view partition = fields ? (*fields)[0] : "aws";
        out.push_back(fmt::format("arn:{}:iam::{}:root", partition, account));
        out.push_back(fmt::format("arn:{}:iam::{}:user/{}", partition, account, kProbe));
        out.push_back(fmt::format("arn:{}:sts::{}:assumed-role/{}/{}", partition, account, kProbe, kProbe));
        if (!fields || value.value.find_first_of("*?") != std::string::npos) continue;
        const std::string_view resource = (*fields)[4];
        if ((*fields)[1] == "iam" && resource.starts_with("role/")) {
          out.push_back(fmt::format("arn:{}:sts::{}:assumed-role/{}/{}", partition, account,
                                    resource.substr(resource.rfind('/') + 1), kProbe));
        } else if (resource.starts_with("user/") || resource.starts_with("assumed-role/")) {
          out.push_back(value.value);
        }
      }
    }
  }
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
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
// placeholders stay, and a principal that holds one names no caller.
policy::Document with_stack_account(const policy::Document& doc) {
  const auto fill = [](std::string& text) {
    if (!has_placeholder(text)) return;
    text = fill_placeholder(fill_placeholder(text, "AWS::AccountId", "000000000000"), "AWS::Partition", "aws");
  };
  policy::Document out = doc;
  for (policy::Statement& st : out.statements) {
    for (policy::PrincipalEntry& entry : st.principal.entries) {
      for (policy::Text& value : entry.values) fill(value.value);
    }
    for (policy::Text& item : st.resource.items) fill(item.value);
    for (policy::ConditionEntry& condition : st.conditions) {
      for (policy::Text& value : condition.values) fill(value.value);
    }
  }
  return out;
}

// A caller to ask about, and the `aws:PrincipalArn` its request carries when the caller's ARN
// does not tell it (a role's session does not name the role's path).
struct Probe {
  std::string caller;
  std::string principal_arn;
};

// The users and roles a Deny of `kms:PutKeyPolicy` spares by name: the `aws:PrincipalArn`
// values of its conditions (`ArnNotLike aws:PrincipalArn arn:aws:iam::111122223333:role/Admin`).
// A wildcard under a `Like` or `Arn` operator is filled in (one caller it matches); under a
// `String` operator it is literal, and no IAM name holds `*` or `?`.
std::vector<Probe> callers_spared(const policy::Document& doc) {
  std::vector<Probe> out;
  for (const policy::Statement& st : doc.statements) {
    if (st.effect != policy::Effect::deny || !covers_action(st, "kms:PutKeyPolicy")) continue;
    for (const policy::ConditionEntry& condition : st.conditions) {
      if (!iequals(condition.key, "aws:PrincipalArn")) continue;
      const bool wildcards = condition.op.base.starts_with("Arn") || condition.op.base.ends_with("Like");
      for (const policy::Text& value : condition.values) {
        if (has_placeholder(value.value)) continue;
        if (!wildcards && value.value.find_first_of("*?") != std::string::npos) continue;
        std::string arn = value.value;
        std::ranges::replace(arn, '*', 'x');
        std::ranges::replace(arn, '?', 'x');
        const auto fields = match::split_arn(arn);
        if (!fields || (*fields)[1] != "iam" || !is_account_id((*fields)[3])) continue;
        const std::string_view resource = (*fields)[4];
        if (resource.starts_with("role/")) {
          out.push_back({fmt::format("arn:{}:sts::{}:assumed-role/{}/{}", (*fields)[0], (*fields)[3],
                                     resource.substr(resource.rfind('/') + 1), kProbe),
                         std::move(arn)});
        } else if (resource.starts_with("user/") || resource == "root") {
          out.push_back({std::move(arn), ""});
        }
      }
    }
  }
  return out;
}

// The callers asked times the statements of the key policy, at most: each caller costs a pass
// over the statements, and a key policy within KMS's 32 KB quota (POL010) needs a few thousand.
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
  policy::Document filled = with_stack_account(doc);
  std::vector<Probe> probes;
  for (std::string& caller : callers_named(filled)) probes.push_back({std::move(caller), ""});
  if (probes.empty()) return nullptr;
  for (Probe& probe : callers_spared(filled)) probes.push_back(std::move(probe));
  if (probes.size() > kMaxLockoutProbeWork / filled.statements.size()) return nullptr;
  policy::Document identity;
  identity.version = policy::Text{.value = "2012-10-17", .span = {}, .pointer = {}};
  policy::Statement& everything = identity.statements.emplace_back();
  everything.effect = policy::Effect::allow;
  everything.action.present = true;
  everything.action.items.push_back({.value = "kms:*", .span = {}, .pointer = {}});
  everything.resource.present = true;
  everything.resource.items.push_back({.value = "*", .span = {}, .pointer = {}});
  const auto identity_policy = eval::CompiledPolicy::compile(std::move(identity), SourceId{});
  const std::string key = key_of(filled, probes.front().caller);
  const auto key_policy = eval::CompiledPolicy::compile(std::move(filled), SourceId{});
  eval::PolicySet policies;
  policies.identity.push_back(identity_policy.get());
  policies.resource = key_policy.get();
  const policy::Statement* denying = nullptr;
  for (const Probe& probe : probes) {
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
  if (!administrable(doc)) {
    emit.emit(rules::kKeyPolicyLockout, Span{doc.span.begin, doc.span.begin + 1}, "",
              "no statement lets the account or a named IAM identity change this key policy "
              "(`kms:PutKeyPolicy`); the key could become unmanageable");
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
