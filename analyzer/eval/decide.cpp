#include "eval/decide.h"

#include <fmt/format.h>

#include <algorithm>
#include <span>
#include <unordered_map>
#include <utility>

#include "base/strings.h"
#include "eval/conditions.h"
#include "eval/principal.h"
#include "match/arn.h"

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

// Whether a Resource pattern names one resource (`fields` when it is an ARN, else null); an
// atom when its policy variable reads a key marked unknown.
Tri names_resource(const CompiledResource& resource, std::string_view text,
                   const std::array<std::string, 5>* fields, const Context& context, std::vector<Token>& scratch) {
  if (resource.form == CompiledResource::Form::any) return Tri::yes();
  // What the tail is matched against: the whole text, or an ARN's resource part.
  const std::size_t matched = resource.form == CompiledResource::Form::whole ? text.size()
                              : fields != nullptr                            ? (*fields)[4].size()
                                                                             : 0;
  std::span<const Token> tail = resource.tail.tokens();
  if (resource.tail.has_variables()) {
    switch (resource.tail.expand(context, matched, scratch)) {
      case Expansion::resolved: break;
      case Expansion::unresolved:  // matches nothing (§2.5)
      case Expansion::too_long:
        return Tri::no();
      case Expansion::unknown: return Tri::atom(&resource.atom);
    }
    tail = scratch;
  }
  // A request's budget (simulate's) counts resources matched too (hostile h50 H3: a 200 KB
  // resource against 1,000 patterns of 4 KB took 27 s); past it the decision is not used.
  if (!context.charge_comparison(matching_units(matched, tail.size()))) return Tri::no();
  if (resource.form == CompiledResource::Form::whole) return Tri::of(tokens_match(tail, text, false));
  if (fields == nullptr) return Tri::no();
  for (std::size_t i = 0; i < 4; ++i) {
    if (!tokens_match(resource.head[i], (*fields)[i], /*fold_case=*/false)) return Tri::no();
  }
  return Tri::of(tokens_match(tail, (*fields)[4], /*fold_case=*/false));
}

// Only these KMS operations can be used on a key of another account (IAM semantics §2.8).
bool kms_works_cross_account(std::string_view action) {
  static constexpr std::string_view kCrossAccount[] = {"Decrypt",
                                                       "Encrypt",
                                                       "GenerateDataKey",
                                                       "GenerateDataKeyPair",
                                                       "GenerateDataKeyPairWithoutPlaintext",
                                                       "GenerateDataKeyWithoutPlaintext",
                                                       "GenerateMac",
                                                       "ReEncryptFrom",
                                                       "ReEncryptTo",
                                                       "Sign",
                                                       "Verify",
                                                       "VerifyMac",
                                                       "CreateGrant",
                                                       "DescribeKey",
                                                       "GetKeyRotationStatus",
                                                       "GetPublicKey",
                                                       "ListGrants",
                                                       "RetireGrant",
                                                       "RevokeGrant",
                                                       "DeriveSharedSecret"};
  for (const std::string_view name : kCrossAccount) {
    if (iequals(name, action)) return true;
  }
  return false;
}

// The bucket policy's own operations: only principals of the bucket owner's account may call
// them (S3 answers others 405), and its root user always may, whatever the bucket policy
// denies (S3's lockout protection; IAM semantics §2.7).
bool is_bucket_policy_operation(const Request& request) {
  if (request.action_service != "s3") return false;
  return iequals(request.action_name, "GetBucketPolicy") || iequals(request.action_name, "PutBucketPolicy") ||
         iequals(request.action_name, "DeleteBucketPolicy");
}

// A resource policy's Allow statements that apply, by how strongly they name the caller.
struct Grants {
  Tri any = Tri::no();
  Tri direct = Tri::no();
  Tri role = Tri::no();
  Tri account = Tri::no();
};

class Decider {
 public:
  // How the caller and the resource relate, which decides the rule that applies (§2.7).
  enum class Path : std::uint8_t {
    outside_account,  // anonymous, a service or a provider
    cross_account,
    must_be_named,  // a KMS key or a role's trust policy
    same_account,
  };

  // `views`: the resources the request's `*` stands for, of one resource type (Request::stands_for).
  Decider(const PolicySet& policies, const Request& request, std::span<const ResourceView> views, Answer& answer,
          bool explain)
      : policies_(policies), request_(request), views_(views), answer_(answer), explain_(explain) {}

  void run() {
    const Caller& caller = request_.caller;
    // STS answers GetCallerIdentity for everyone; not even an explicit deny stops it.
    if (request_.action_service == "sts" && iequals(request_.action_name, "GetCallerIdentity") &&
        caller.kind != CallerKind::anonymous) {
      finish(Decision::allowed, "`sts:GetCallerIdentity` needs no permission and cannot be denied", Tri::yes());
      return;
    }
    const bool account_caller = caller.kind == CallerKind::root || caller.kind == CallerKind::user ||
                                caller.kind == CallerKind::role_session || caller.kind == CallerKind::federated_user;

    Tri identity = Tri::no();
    for (const CompiledPolicy* policy : policies_.identity) identity |= visit(policy, false).any;
    if (caller.kind == CallerKind::root) identity = Tri::yes();  // the root user needs no identity policy
    const Grants granted = visit(policies_.resource, true);
    Tri boundary = Tri::yes();
    if (!policies_.boundary.empty()) {
      // One principal has one boundary; several given are read as one set of statements.
      boundary = Tri::no();
      for (const CompiledPolicy* policy : policies_.boundary) boundary |= visit(policy, false).any;
    }
    Tri session = Tri::yes();
    if (policies_.session != nullptr) {
      session = visit(policies_.session, false).any;
    } else if (caller.kind == CallerKind::federated_user) {
      // GetFederationToken without a session policy gives a session with no permissions of
      // its own: only resource policies that name the session grant it anything.
      session = Tri::no();
    }
    // SCPs limit the principals of member accounts, not anonymous callers or services: for
    // those they are not read at all, denies included.
    Tri scp = Tri::yes();
    std::size_t failed_level = 0;
    if (account_caller) {
      for (std::size_t level = 0; level < policies_.scp.size(); ++level) {
        Tri allowed = Tri::no();
        for (const CompiledPolicy* policy : policies_.scp[level]) allowed |= visit(policy, false).any;
        if (allowed.is_false() && failed_level == 0) failed_level = level + 1;
        scp &= allowed;
      }
    }
    const bool bucket_policy_operation = is_bucket_policy_operation(request_);
    if (bucket_policy_operation && caller.kind == CallerKind::root && !request_.cross_account() &&
        !deny_elsewhere_.is_true() && failed_level == 0) {
      Tri result = !deny_elsewhere_ && scp;
      if (result.is_true()) {
        finish(Decision::allowed, "the bucket owner's root user may always call it, whatever the bucket policy denies",
               Tri::yes());
      } else {
        finish(Decision::conditional, "allowed only if the listed conditions hold", std::move(result));
      }
      return;
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
    Path path = Path::same_account;
    if (!account_caller) {
      path = Path::outside_account;
      if (!bucket_policy_operation) allow = granted.direct;
    } else if (request_.cross_account()) {
      path = Path::cross_account;
      if (policies_.resource != nullptr && !bucket_policy_operation &&
          (request_.action_service != "kms" || kms_works_cross_account(request_.action_name))) {
        allow = (granted.direct || granted.role || granted.account) && identity && limits;
      }
    } else if (must_be_named()) {
      path = Path::must_be_named;
      allow = granted.direct || (granted.role && limits) || (granted.account && identity && limits);
    } else {
      allow = granted.direct || (granted.role && limits) || (identity && limits);
    }
    Tri result = !deny_ && scp && allow;
    if (result.is_true()) {
      finish(Decision::allowed, "allowed", std::move(result));
    } else if (result.is_false()) {
      finish(Decision::implicit_deny, explain_ ? why_not(path, granted, identity, boundary, session) : std::string(),
             std::move(result));
    } else {
      finish(Decision::conditional, "allowed only if the listed conditions hold", std::move(result));
    }
  }

 private:
  // Evaluates the statements of a policy that can match the action: Deny statements join
  // the explicit deny, Allow statements the policy's grants (by strength, for a resource
  // policy).
  Grants visit(const CompiledPolicy* policy, bool resource_policy) {
    Grants grants;
    if (policy == nullptr) return grants;
    for (const std::uint32_t i : policy->candidates(request_.action_service)) {
      const CompiledStatement& statement = policy->statements()[i];
      // Matching the action reads each of the statement's action patterns: charged, or one
      // statement of 20,000 patterns weighed nothing (h52 H3: 90,000 questions took 40 s).
      // Past the budget the answer is discarded (budget_spent), so the match goes on.
      static_cast<void>(request_.context.charge_comparison(action_units(statement, request_.action_name.size())));
      if (!covers_action(statement, request_.action_service, request_.action_name)) continue;

      StatementTrace trace{policy, i, StatementTrace::Outcome::no_match, {}};
      Naming naming = Naming::direct;
      const Tri applies = evaluate_rest(*policy, statement, resource_policy, naming, trace.reason);
      if (applies.is_true()) {
        trace.outcome = StatementTrace::Outcome::applies;
      } else if (!applies.is_false()) {
        trace.outcome = StatementTrace::Outcome::conditional;
        trace.reason = "depends on context keys marked unknown";
      }
      if (explain_) answer_.statements.push_back(std::move(trace));
      if (statement.deny) {
        if (!resource_policy) deny_elsewhere_ |= applies;
        deny_ |= std::move(applies);
        continue;
      }
      grants.any |= applies;
      switch (naming) {
        case Naming::direct: grants.direct |= applies; break;
        case Naming::role: grants.role |= applies; break;
        case Naming::account: grants.account |= applies; break;
        case Naming::none: break;
      }
    }
    return grants;
  }

  // Resource, principal and conditions of a statement whose action matched.
  Tri evaluate_rest(const CompiledPolicy& policy, const CompiledStatement& statement, bool resource_policy,
                    Naming& naming, std::string& reason) {
    Tri all = Tri::yes();
    if (!statement.resource_present) {
      // KMS ignores a key-policy statement without Resource; other resource policies (a
      // trust policy, an ECR repository policy) apply it to the resource they are on.
      if (policy.document().kind == policy::Kind::kms_key) {
        reason = "the statement has no Resource, so it has no effect";
        return Tri::no();
      }
    } else {
      Tri resource = statement_resource(statement);
      if (resource.is_false()) {
        if (explain_) {
          reason = fmt::format("resource `{}` {}", request_.resource,
                               statement.not_resource ? "is excluded by NotResource" : "matches no Resource pattern");
        }
        return Tri::no();
      }
      all = std::move(resource);
    }
    if (resource_policy) {
      const policy::Principal& principal = statement.source->principal;
      if (!principal.present) {
        reason = "the statement names no principal";
        return Tri::no();
      }
      if (principal.negated) {
        // Deny with NotPrincipal always applies to a principal with a permissions boundary.
        if (policies_.boundary.empty() && not_principal_exempts(principal, request_.caller)) {
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
    for (const CompiledCondition& condition : statement.conditions) {
      const Tri holds = evaluate_condition(condition, request_.context);
      if (holds.is_false()) {
        if (explain_) {
          const policy::ConditionEntry& entry = statement.source->conditions[condition.atom.index];
          reason = fmt::format("condition `{}` on `{}` is not met", entry.op_text, entry.key);
        }
        return Tri::no();
      }
      all &= holds;
    }
    return all;
  }

  // Whether the statement's Resource (or NotResource) element takes the request's resource;
  // for a request on `*` that stands for resources, whether it takes each of them (each may
  // be named by another pattern: a RunInstances statement lists instance, image, subnet...).
  Tri statement_resource(const CompiledStatement& statement) {
    const auto takes = [&](std::string_view text, const std::array<std::string, 5>* fields) {
      Tri named = Tri::no();
      for (const CompiledResource& r : statement.resources) {
        named |= names_resource(r, text, fields, request_.context, scratch_);
      }
      return statement.not_resource ? !named : named;
    };
    if (views_.empty()) {
      return takes(request_.resource, request_.resource_is_arn ? &request_.resource_fields : nullptr);
    }
    Tri all = Tri::yes();
    for (const ResourceView& view : views_) {
      all &= takes(view.arn, &view.fields);
      if (all.is_false()) break;
    }
    return all;
  }

  [[nodiscard]] bool key_resource() const {
    if (policies_.resource != nullptr) return policies_.resource->document().kind == policy::Kind::kms_key;
    return match::is_kms_key_arn(request_.resource);
  }

  // KMS keys and role trust policies must name the caller or its account themselves.
  [[nodiscard]] bool must_be_named() const {
    if (key_resource()) return true;
    if (policies_.resource != nullptr) return policies_.resource->document().kind == policy::Kind::trust;
    return request_.action_service == "sts" && request_.resource_is_arn && request_.resource_fields[1] == "iam" &&
           request_.resource_fields[4].starts_with("role/");
  }

  // Why an implicit deny: the first gate that is closed.
  std::string why_not(Path path, const Grants& granted, const Tri& identity, const Tri& boundary,
                      const Tri& session) const {
    const Caller& caller = request_.caller;
    const auto limits = [&]() -> std::string {
      if (boundary.is_false()) return "the permissions boundary does not allow the request";
      if (session.is_false()) {
        return policies_.session == nullptr
                   ? "a federated user's session without a session policy has no permissions of its own"
                   : "the session policy does not allow the request";
      }
      return "";
    };
    const bool named = !(granted.direct || granted.role || granted.account).is_false();
    switch (path) {
      case Path::outside_account:
        if (is_bucket_policy_operation(request_)) {
          return fmt::format("`{}` works only for principals of the bucket owner's account", request_.action);
        }
        if (policies_.resource == nullptr) {
          return fmt::format("`{}` has no identity policies; only a resource policy can grant it access", caller.text);
        }
        return "the resource policy does not name the caller";
      case Path::cross_account:
        if (policies_.resource == nullptr) {
          return fmt::format(
              "the resource is in account {} and the caller in {}: cross-account access needs a "
              "resource policy, and none was given",
              request_.resource_account, caller.account);
        }
        if (request_.action_service == "kms" && !kms_works_cross_account(request_.action_name)) {
          return fmt::format("`{}` never works on a key of another account", request_.action);
        }
        if (is_bucket_policy_operation(request_)) {
          return fmt::format("`{}` works only for principals of the bucket owner's account", request_.action);
        }
        if (!named) return "the resource policy does not allow the caller or its account";
        if (identity.is_false()) return "cross-account access also needs an identity policy of the caller; none allows";
        return limits();
      case Path::must_be_named: {
        const std::string_view what = key_resource() ? "key policy" : "trust policy";
        if (policies_.resource == nullptr) {
          return fmt::format("no {} was given, and identity policies alone never grant access here", what);
        }
        if (!named) return fmt::format("the {} names neither the caller nor its account", what);
        if (!granted.direct.is_true() && !granted.role.is_true() && identity.is_false()) {
          return fmt::format("the {} allows the caller's account, so an identity policy must allow too; none does",
                             what);
        }
        const std::string limited = limits();
        return limited.empty() ? fmt::format("the {} does not allow the request", what) : limited;
      }
      case Path::same_account: {
        if (!named && identity.is_false()) return "no statement allows the request";
        if (!granted.account.is_false() && granted.direct.is_false() && granted.role.is_false() &&
            identity.is_false()) {
          return "the resource policy names only the caller's account, so an identity policy must allow too; none "
                 "does";
        }
        const std::string limited = limits();
        return limited.empty() ? "no statement allows the request" : limited;
      }
    }
    return "";
  }

  void finish(Decision decision, std::string reason, Tri allowed_if) {
    answer_.decision = decision;
    answer_.reason = std::move(reason);
    answer_.allowed_if = std::move(allowed_if);
  }

  const PolicySet& policies_;
  const Request& request_;
  std::span<const ResourceView> views_;
  Answer& answer_;
  bool explain_;
  Tri deny_ = Tri::no();
  Tri deny_elsewhere_ = Tri::no();  // of the policies other than the resource policy
  std::vector<Token> scratch_;
};

}  // namespace

// Where each statement's trace is among an answer's: searched in order while they are few, and
// through a hash index past them (a policy of 100,000 statements is merged in linear time).
class TraceIndex {
 public:
  StatementTrace* find(std::vector<StatementTrace>& traces, const StatementTrace& trace) {
    if (traces.size() < kIndexedFrom) {
      const auto same = std::ranges::find_if(traces, [&](const StatementTrace& known) {
        return known.policy == trace.policy && known.statement == trace.statement;
      });
      return same == traces.end() ? nullptr : &*same;
    }
    while (indexed_ < traces.size()) {
      index_.emplace(Key{traces[indexed_].policy, traces[indexed_].statement}, indexed_);
      ++indexed_;
    }
    const auto it = index_.find(Key{trace.policy, trace.statement});
    return it == index_.end() ? nullptr : &traces[it->second];
  }
  // The last of `traces` was just added.
  void added(const std::vector<StatementTrace>& traces) {
    if (indexed_ + 1 != traces.size() || traces.size() <= kIndexedFrom) return;
    index_.emplace(Key{traces.back().policy, traces.back().statement}, indexed_);
    ++indexed_;
  }

 private:
  static constexpr std::size_t kIndexedFrom = 64;
  using Key = std::pair<const CompiledPolicy*, std::size_t>;
  struct KeyHash {
    std::size_t operator()(const Key& key) const {
      return std::hash<const void*>()(key.first) ^ (key.second * 0x9e3779b97f4a7c15ULL);
    }
  };
  std::unordered_map<Key, std::size_t, KeyHash> index_;
  std::size_t indexed_ = 0;
};

// A request whose `*` stands for resources of several types is decided for each type's, and
// allowed when each is: an explicit deny of one type's denies it, else an implicit one does,
// else it is allowed when every type's conditions hold.
Answer decide(const PolicySet& policies, const Request& request, DecideOptions options) {
  Answer answer;
  if (request.stands_for_type_ends.size() < 2) {
    Decider(policies, request, request.stands_for, answer, options.explain).run();
    return answer;
  }
  answer.decision = Decision::allowed;
  answer.allowed_if = Tri::yes();
  std::size_t begin = 0;
  TraceIndex traced;
  for (const std::uint32_t end : request.stands_for_type_ends) {
    Answer part;
    Decider(policies, request, request.stands_for.subspan(begin, end - begin), part, options.explain).run();
    begin = end;
    for (StatementTrace& trace : part.statements) {
      StatementTrace* same = traced.find(answer.statements, trace);
      if (same == nullptr) {
        answer.statements.push_back(std::move(trace));
        traced.added(answer.statements);
      } else if (trace.outcome < same->outcome) {  // applies before conditional before no_match
        *same = std::move(trace);
      }
    }
    const bool worse = part.decision == Decision::explicit_deny ||
                       (part.decision == Decision::implicit_deny && answer.decision != Decision::implicit_deny);
    if (worse) {
      answer.decision = part.decision;
      answer.reason = std::move(part.reason);
      answer.allowed_if = Tri::no();
      if (part.decision == Decision::explicit_deny) break;
    } else if (part.decision == Decision::conditional && answer.decision != Decision::implicit_deny) {
      answer.decision = Decision::conditional;
      answer.reason = std::move(part.reason);
      answer.allowed_if &= part.allowed_if;
    }
  }
  if (answer.decision == Decision::allowed) answer.reason = "allowed";
  return answer;
}

}  // namespace grantlint::eval
