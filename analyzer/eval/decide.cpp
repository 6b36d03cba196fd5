#include "eval/decide.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "eval/conditions.h"
#include "eval/principal.h"

namespace grantlint::eval {

std::string_view to_string(Decision decision) {
  switch (decision) {
    case Decision::allowed: return "allowed";
    case Decision::explicit_deny: return "explicit_deny";
    case Decision::implicit_deny: return "implicit_deny";
    case Decision::conditional: return "conditional";
  }
  return "";
}

namespace {

bool action_matches(const CompiledAction& action, const Request& request) {
  if (action.any) return true;
  if (action.never || action.service != request.action_service) return false;
  return tokens_match(action.name, request.action_name, /*fold_case=*/true);
}

bool resource_matches(const CompiledResource& resource, const Request& request, std::vector<Token>& scratch) {
  if (resource.form == CompiledResource::Form::any) return true;
  std::span<const Token> tail = resource.tail.tokens();
  if (resource.tail.has_variables()) {
    // An unresolved variable matches nothing (§2.5); so does one on an unknown key, which
    // the README lists among the limits of three-valued mode.
    if (resource.tail.expand(request.context, scratch) != Expansion::resolved) return false;
    tail = scratch;
  }
  if (resource.form == CompiledResource::Form::whole) return tokens_match(tail, request.resource, false);
  if (!request.resource_is_arn) return false;
  for (std::size_t i = 0; i < 4; ++i) {
    if (!tokens_match(resource.head[i], request.resource_fields[i], /*fold_case=*/false)) return false;
  }
  return tokens_match(tail, request.resource_fields[4], /*fold_case=*/false);
}

struct Grants {
  Tri any = Tri::no();
  Tri direct = Tri::no();
  Tri role = Tri::no();
  Tri account = Tri::no();
};

class Decider {
 public:
  Decider(const PolicySet& policies, const Request& request, Answer& answer, bool explain)
      : policies_(policies), request_(request), answer_(answer), explain_(explain) {}

  // Evaluates every statement of a policy: Deny statements join the explicit deny, Allow
  // statements the policy's grants (by strength, for a resource policy).
  Grants visit(const CompiledPolicy* policy, bool resource_policy) {
    Grants grants;
    if (policy == nullptr) return grants;
    const bool trust = policy->document().kind == policy::Kind::trust;
    for (const std::uint32_t i : policy->candidates(request_.action_service)) {
      const CompiledStatement& statement = policy->statements()[i];
      bool action = false;
      for (const CompiledAction& a : statement.actions) action = action || action_matches(a, request_);
      if (statement.not_action) action = !action;
      if (!action) continue;

      StatementTrace trace{policy, i, StatementTrace::Outcome::no_match, {}};
      Naming naming = Naming::direct;
      Tri applies = evaluate_rest(statement, resource_policy, trust, naming, trace.reason);
      if (applies.is_true()) {
        trace.outcome = StatementTrace::Outcome::applies;
      } else if (!applies.is_false()) {
        trace.outcome = StatementTrace::Outcome::conditional;
        trace.reason = "depends on context keys marked unknown";
      }
      if (explain_) answer_.statements.push_back(std::move(trace));
      if (statement.deny) {
        deny_ = deny_ || applies;
        continue;
      }
      grants.any = grants.any || applies;
      switch (naming) {
        case Naming::direct: grants.direct = grants.direct || applies; break;
        case Naming::role: grants.role = grants.role || applies; break;
        case Naming::account: grants.account = grants.account || applies; break;
        case Naming::none: break;
      }
    }
    return grants;
  }

  void run() {
    const Caller& caller = request_.caller;
    const bool account_caller = caller.kind == CallerKind::root || caller.kind == CallerKind::user ||
                                caller.kind == CallerKind::role_session ||
                                caller.kind == CallerKind::federated_user;

    Tri identity = Tri::no();
    for (const CompiledPolicy* policy : policies_.identity) identity = identity || visit(policy, false).any;
    if (caller.kind == CallerKind::root) identity = Tri::yes();  // the root user needs no identity policy
    const Grants granted = visit(policies_.resource, true);
    Tri boundary = Tri::yes();
    if (!policies_.boundary.empty()) {
      boundary = Tri::no();
      for (const CompiledPolicy* policy : policies_.boundary) boundary = boundary || visit(policy, false).any;
    }
    Tri session = Tri::yes();
    if (policies_.session != nullptr) session = visit(policies_.session, false).any;
    Tri scp = Tri::yes();
    std::size_t failed_level = 0;
    for (std::size_t level = 0; level < policies_.scp.size(); ++level) {
      Tri allowed = Tri::no();
      for (const CompiledPolicy* policy : policies_.scp[level]) allowed = allowed || visit(policy, false).any;
      // SCPs limit the principals of member accounts, not anonymous callers or services.
      if (!account_caller) continue;
      if (allowed.is_false() && scp.known()) failed_level = level + 1;
      scp = scp && allowed;
    }
    if (deny_.is_true()) {
      finish(Decision::explicit_deny, "an explicit Deny applies", Tri::no());
      return;
    }
    if (failed_level != 0) {
      finish(Decision::implicit_deny,
             fmt::format("no statement of the service control policies at level {} allows the request", failed_level),
             Tri::no());
      return;
    }

    const Tri limits = boundary && session;
    Tri allow = Tri::no();
    std::string why_not;
    if (!account_caller) {
      allow = granted.direct;
      why_not = policies_.resource == nullptr
                    ? fmt::format("`{}` has no identity policies; only a resource policy can grant it access",
                                  caller.text)
                    : "the resource policy does not name the caller";
    } else if (request_.cross_account()) {
      if (policies_.resource == nullptr) {
        why_not = fmt::format("the resource is in account {} and the caller in {}: cross-account access needs a "
                              "resource policy, and none was given",
                              request_.resource_account, caller.account);
      } else if (!kms_works_cross_account()) {
        why_not = fmt::format("`{}` never works across accounts", request_.action);
      } else {
        const Tri named = granted.direct || granted.role || granted.account;
        allow = named && identity && limits;
        why_not = explain_gates(named, "the resource policy does not allow the caller or its account", identity,
                                boundary, session);
      }
    } else if (must_be_named()) {
      allow = granted.direct || (granted.role && limits) || (granted.account && identity && limits);
      const std::string_view what = key_resource() ? "key policy" : "trust policy";
      if (policies_.resource == nullptr) {
        why_not = fmt::format("no {} was given, and identity policies alone never grant access here", what);
      } else {
        why_not = explain_gates(granted.direct || granted.role || granted.account,
                                fmt::format("the {} names neither the caller nor its account", what),
                                granted.account.is_false() ? Tri::yes() : identity, boundary, session);
      }
    } else {
      allow = granted.direct || (granted.role && limits) || (identity && limits);
      why_not = explain_gates(granted.direct || granted.role || identity, "no statement allows the request", Tri::yes(),
                              boundary, session);
    }
    const Tri result = !deny_ && scp && allow;
    if (result.is_true()) {
      finish(Decision::allowed, "allowed", result);
    } else if (result.is_false()) {
      finish(Decision::implicit_deny, why_not, result);
    } else {
      finish(Decision::conditional, "allowed only if the listed conditions hold", result);
    }
  }

 private:
  // Resource, principal and conditions of a statement whose action matched.
  Tri evaluate_rest(const CompiledStatement& statement, bool resource_policy, bool trust, Naming& naming,
                    std::string& reason) {
    if (!statement.resource_present) {
      if (!trust) {
        reason = "the statement has no Resource, so it has no effect";
        return Tri::no();
      }
    } else {
      bool resource = false;
      for (const CompiledResource& r : statement.resources) {
        resource = resource || resource_matches(r, request_, scratch_);
      }
      if (statement.not_resource) resource = !resource;
      if (!resource) {
        if (explain_) reason = fmt::format("resource `{}` {}", request_.resource,
                             statement.not_resource ? "is excluded by NotResource" : "matches no Resource pattern");
        return Tri::no();
      }
    }
    if (resource_policy) {
      const policy::Principal& principal = statement.source->principal;
      if (!principal.present) {
        reason = "the statement names no principal";
        return Tri::no();
      }
      if (principal.negated) {
        // Deny with NotPrincipal always applies to a principal with a permissions boundary.
        const bool exempt = policies_.boundary.empty() && not_principal_exempts(principal, request_.caller);
        if (exempt) {
          reason = "the caller is exempted by NotPrincipal";
          return Tri::no();
        }
      } else {
        naming = principal_names(principal, request_.caller);
        if (naming == Naming::none) {
          if (explain_) reason = fmt::format("principal `{}` is not named", request_.caller.text);
          return Tri::no();
        }
      }
    }
    Tri all = Tri::yes();
    for (const CompiledCondition& condition : statement.conditions) {
      const Tri holds = evaluate_condition(condition, request_.context);
      if (holds.is_false()) {
        if (explain_) {
          const policy::ConditionEntry& entry = statement.source->conditions[condition.atom.condition];
          reason = fmt::format("condition `{}` on `{}` is not met", entry.op_text, entry.key);
        }
        return Tri::no();
      }
      all = all && holds;
    }
    return all;
  }

  [[nodiscard]] bool key_resource() const {
    if (policies_.resource != nullptr) return policies_.resource->document().kind == policy::Kind::kms_key;
    return request_.resource_is_arn && request_.resource_fields[1] == "kms" &&
           request_.resource_fields[4].starts_with("key/");
  }

  [[nodiscard]] bool must_be_named() const {
    if (key_resource()) return true;
    if (policies_.resource != nullptr) return policies_.resource->document().kind == policy::Kind::trust;
    return request_.action_service == "sts" && request_.resource_is_arn && request_.resource_fields[1] == "iam" &&
           request_.resource_fields[4].starts_with("role/");
  }

  // Only these KMS operations can be used on a key of another account (IAM semantics §2.8).
  [[nodiscard]] bool kms_works_cross_account() const {
    if (request_.action_service != "kms") return true;
    static constexpr std::string_view kCrossAccount[] = {
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
        "GenerateDataKeyWithoutPlaintext", "GenerateMac", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify",
        "VerifyMac", "CreateGrant", "DescribeKey", "GetKeyRotationStatus", "GetPublicKey", "ListGrants",
        "RetireGrant", "RevokeGrant", "DeriveSharedSecret"};
    for (const std::string_view name : kCrossAccount) {
      if (iequals(name, request_.action_name)) return true;
    }
    return false;
  }

  static std::string explain_gates(const Tri& granted, std::string_view not_granted, const Tri& identity,
                                   const Tri& boundary, const Tri& session) {
    if (granted.is_false()) return std::string(not_granted);
    if (identity.is_false()) return "no identity policy of the caller allows the request";
    if (boundary.is_false()) return "the permissions boundary does not allow the request";
    if (session.is_false()) return "the session policy does not allow the request";
    return std::string(not_granted);
  }

  void finish(Decision decision, std::string reason, Tri allowed_if) {
    answer_.decision = decision;
    answer_.reason = std::move(reason);
    answer_.allowed_if = std::move(allowed_if);
  }

  const PolicySet& policies_;
  const Request& request_;
  Answer& answer_;
  bool explain_;
  Tri deny_ = Tri::no();
  std::vector<Token> scratch_;
};

}  // namespace

Answer decide(const PolicySet& policies, const Request& request, DecideOptions options) {
  Answer answer;
  Decider decider(policies, request, answer, options.explain);
  decider.run();
  return answer;
}

}  // namespace grantlint::eval
