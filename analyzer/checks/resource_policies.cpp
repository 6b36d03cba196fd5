// Resource-based, trust and key policies: principals open to everyone, principals of other
// accounts, and key administration granted too widely (RES001, RES009, KMS002; key_lockout.cpp
// has KMS001).
// In a key policy `"Resource": "*"` means "this key" and is never reported.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/placeholder.h"
#include "base/strings.h"
#include "checks/checks.h"
#include "checks/statement_scope.h"
#include "eval/decide.h"
#include "match/arn.h"
#include "match/values.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

// Condition keys that tie a public principal to an account, organization, source or
// network (iam-semantics §2; the confused-deputy keys of the IAM user guide).
// A bucket that delegates its access control to access points admits everyone only through
// the access points of one account (`s3:DataAccessPointAccount`).
// The resource's own keys (`aws:ResourceOrgID`, `aws:ResourceAccount`) hold one value in every
// request to it, its owner's: they tie nothing, unless compared with the caller's own
// (`aws:ResourceAccount` = `${aws:PrincipalAccount}`, callers of the owner's account only).
constexpr std::array<std::string_view, 21> kScopingKeys = {
    "aws:SourceAccount",  "aws:SourceArn",         "aws:SourceOwner",      "aws:SourceOrgID",  "aws:SourceOrgPaths",
    "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:userid",
    "aws:SourceVpc",      "aws:SourceVpce",        "aws:SourceVpcArn",     "aws:VpceAccount",  "aws:VpceOrgID",
    "aws:VpceOrgPaths",   "aws:SourceIp",          "kms:CallerAccount",    "sts:ExternalId",
    "s3:DataAccessPointAccount", "s3:DataAccessPointArn"};

// Keys that tie `*` to one account: a key-policy statement for `*` scoped by one of them grants
// each principal of that account directly, not through the account's IAM policies as the
// account principal (`arn:aws:iam::ACCOUNT:root`) does.
constexpr std::array<std::string_view, 2> kAccountKeys = {"kms:CallerAccount", "aws:PrincipalAccount"};

// The account key a statement for `*` is scoped by, or empty.
std::string_view account_key_scoping(const policy::Statement& statement) {
  for (std::string_view key : kAccountKeys) {
    if (has_scoping_condition(statement, key)) return key;
  }
  return {};
}

// Key administration: who can hold these controls the key.
constexpr std::array<std::string_view, 3> kKeyAdministration = {"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion",
                                                                "kms:DisableKey"};

bool is_scoped(const policy::Statement& statement) {
  for (std::string_view key : kScopingKeys) {
    if (has_scoping_condition(statement, key)) return true;
  }
  return ties_caller_to_owner(statement);
}

bool is_account_root(std::string_view value) {
  return is_account_id(value) || value == make_placeholder("AWS::AccountId") ||
         (value.starts_with("arn:") && value.ends_with(":root"));
}

bool grants_key_administration(const policy::Statement& st) {
  for (std::string_view action : kKeyAdministration) {
    if (covers_action(st, action)) return true;
  }
  return false;
}

void check_public(const policy::Document& doc, const policy::Statement& st,
                  const std::vector<const policy::Statement*>& denies, Emitter& emit) {
  if (st.effect != policy::Effect::allow || !is_public(st.principal) || is_scoped(st)) return;
  // A condition over no values with a plain positive operator never matches (POL009 says so):
  // the statement lets no one in.
  const bool never_matches = std::ranges::any_of(st.conditions, [](const policy::ConditionEntry& entry) {
    return entry.values.empty() && !entry.op.base.empty() && !entry.op.negated() && entry.op.set_prefix.empty() &&
           !entry.op.if_exists;
  });
  if (never_matches) return;
  // A Deny that refuses everyone else what this statement allows scopes it as well.
  const bool perimeter = std::ranges::any_of(
      denies, [&](const policy::Statement* deny) { return denies_all_but_named(*deny, st, kScopingKeys); });
  if (perimeter) return;
  std::string_view who = "anyone, anonymous callers included,";
  std::string verb = "act on this resource";
  if (doc.kind == policy::Kind::trust) verb = "assume this role";
  if (doc.kind == policy::Kind::kms_key) verb = "use this key";
  emit.emit(rules::kPublicPrincipal, st.principal.span, st.principal.pointer,
            fmt::format("{} can {} through this statement: it has no condition on an account, organization or "
                        "source (such as `aws:PrincipalOrgID`, `aws:SourceAccount`{})",
                        who, verb, doc.kind == policy::Kind::kms_key ? ", `kms:CallerAccount`" : ""));
}

// Keys that name the resource or account a service principal acts for (the IAM user guide's
// confused-deputy keys).
constexpr std::array<std::string_view, 5> kSourceKeys = {"aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner",
                                                         "aws:SourceOrgID", "aws:SourceOrgPaths"};

bool names_source(const policy::Document& doc, const policy::Statement& st) {
  for (std::string_view key : kSourceKeys) {
    if (has_scoping_condition(st, key)) return true;
  }
  if (doc.kind != policy::Kind::kms_key) return false;
  // In a key policy, an encryption context that holds an ARN names the resource the service
  // encrypts for (`kms:EncryptionContext:aws:logs:arn`); narrows() judges its values.
  return std::ranges::any_of(st.conditions, [&](const policy::ConditionEntry& entry) {
    constexpr std::string_view kContext = "kms:EncryptionContext:";
    return istarts_with(entry.key, kContext) &&
           has_scoping_condition(st, entry.key);
  });
}

void check_service_source(const policy::Document& doc, const policy::Statement& st, Emitter& emit) {
  if (doc.kind == policy::Kind::trust || st.effect != policy::Effect::allow || !st.principal.present ||
      st.principal.negated || names_source(doc, st)) {
    return;
  }
  // A source key written so that it pins nothing, or a condition on another key (`aws:Referer`,
  // `aws:SourceIp`), which does not say for whom the service acts.
  const auto is_source_key = [](const policy::ConditionEntry& e) {
    return std::ranges::any_of(kSourceKeys, [&](std::string_view k) { return iequals(k, e.key); });
  };
  const auto weak = std::ranges::find_if(st.conditions, is_source_key);
  const auto other = std::ranges::find_if(
      st.conditions, [&](const policy::ConditionEntry& e) { return e.op.base != "Null" && !is_source_key(e); });
  std::string instead;
  if (weak != st.conditions.end()) {
    const policy::ConditionOperator& op = weak->op;
    const std::string_view why = op.if_exists || op.set_prefix == "ForAllValues" ? "a request without it passes"
                                 : op.negated()                                  ? "it excludes sources, naming none"
                                 : op.base == "Null" ? "it asks only whether the key is there"
                                                     : "its values name no one source";
    instead = fmt::format("; `{}` under `{}` does not pin it: {}", weak->key, weak->op_text, why);
  } else if (other != st.conditions.end()) {
    instead = fmt::format("; `{}` does not name it", other->key);
  }
  for (const policy::PrincipalEntry& entry : st.principal.entries) {
    if (entry.type != "Service") continue;
    for (const policy::Text& value : entry.values) {
      emit.emit(rules::kServicePrincipalWithoutSource, value.span, value.pointer,
                fmt::format("`{}` may use this {} for any account that uses the service: no condition names the "
                            "source it acts for (`aws:SourceArn` or `aws:SourceAccount`{}){}",
                            show_placeholders(value.value), doc.kind == policy::Kind::kms_key ? "key" : "resource",
                            doc.kind == policy::Kind::kms_key ? ", or an encryption context" : "", instead));
    }
  }
}

// `kms:CreateGrant` for every principal of an account or an organization: a grant needs no IAM
// policy and may name any grantee, another account's included, so each of them can hand the
// key on, whatever their IAM policies say. AWS's default statement limits it to grants for AWS
// resources (`kms:GrantIsForAWSResource`); limiting the grantees or the operations also counts.
// Without an account or organization condition, RES001 reports the statement.
void check_grants_to_everyone(const policy::Statement& st, Emitter& emit) {
  const bool for_aws_resources = std::ranges::any_of(st.conditions, [](const policy::ConditionEntry& c) {
    return iequals(c.key, "kms:GrantIsForAWSResource") && c.op.base == "Bool" && !c.op.if_exists &&
           std::ranges::all_of(c.values, [](const policy::Text& v) { return match::parse_bool(v.value) == true; });
  });
  if (for_aws_resources || has_scoping_condition(st, "kms:GranteePrincipal") ||
      has_scoping_condition(st, "kms:GrantOperations")) {
    return;
  }
  std::string_view who = account_key_scoping(st);
  if (who.empty() && has_scoping_condition(st, "aws:PrincipalOrgID")) who = "aws:PrincipalOrgID";
  if (who.empty() && has_scoping_condition(st, "aws:PrincipalOrgPaths")) who = "aws:PrincipalOrgPaths";
  if (who.empty()) return;
  emit.emit(rules::kKeyAdministrationTooWide, st.principal.span, st.principal.pointer,
            fmt::format("the statement lets every principal its `{}` condition admits create grants on this key "
                        "(`kms:CreateGrant`) for any grantee, another account's included, whatever their IAM "
                        "policies say; add `\"Bool\": {{\"kms:GrantIsForAWSResource\": \"true\"}}`, or limit "
                        "`kms:GranteePrincipal` and `kms:GrantOperations`",
                        who));
}

void check_key_administration(const policy::Statement& st, Emitter& emit) {
  // A statement whose resources leave the key out grants nothing on it (POL022 says so).
  if (st.effect != policy::Effect::allow || !st.principal.present || st.principal.negated || !names_the_key(st)) {
    return;
  }
  const bool admin = grants_key_administration(st);
  // `aws:PrincipalArn` names the principals; a service's requests (`kms:ViaService`) are never
  // key administration.
  const bool named = has_scoping_condition(st, "aws:PrincipalArn") || has_scoping_condition(st, "kms:ViaService");
  if (admin && is_public(st.principal) && !named) {
    const std::string_view account_key = account_key_scoping(st);
    emit.emit(rules::kKeyAdministrationTooWide, st.principal.span, st.principal.pointer,
              account_key.empty()
                  ? std::string("the statement grants key administration (`kms:PutKeyPolicy`, "
                                "`kms:ScheduleKeyDeletion` or `kms:DisableKey`) to every principal; name the "
                                "administrators instead")
                  : fmt::format("the statement grants key administration (`kms:PutKeyPolicy`, "
                                "`kms:ScheduleKeyDeletion` or `kms:DisableKey`) to every principal of the account its "
                                "`{}` condition names, whatever their IAM policies say (only the account principal "
                                "`arn:aws:iam::ACCOUNT:root` defers to them); name the administrators instead",
                                account_key));
    return;
  }
  if (is_public(st.principal) && !named && covers_action(st, "kms:CreateGrant")) check_grants_to_everyone(st, emit);
  for (const policy::PrincipalEntry& entry : st.principal.entries) {
    for (const policy::Text& value : entry.values) {
      if (entry.type == "Service" && admin) {
        emit.emit(rules::kKeyAdministrationTooWide, value.span, value.pointer,
                  fmt::format("the service principal `{}` is granted key administration; services need only the "
                              "cryptographic actions they use",
                              value.value));
      } else if (entry.type == "AWS" && is_iam_identity(value.value) && !is_account_root(value.value)) {
        for (const policy::Text& action : st.action.items) {
          if (st.action.negated || (action.value != "*" && !iequals(action.value, "kms:*"))) continue;
          emit.emit(rules::kKeyAdministrationTooWide, value.span, value.pointer,
                    fmt::format("`{}` is granted `{}` on this key; administrators need only the administration "
                                "actions and users only the cryptographic ones",
                                value.value, action.value),
                    Level::note);
        }
      }
    }
  }
}

// The OIDC provider a Federated principal names: `accounts.google.com`, or the host of
// `arn:aws:iam::ACCOUNT:oidc-provider/HOST`; empty for SAML providers.
std::string_view oidc_provider(std::string_view federated) {
  if (federated.starts_with("arn:")) {
    const auto at = federated.find(":oidc-provider/");
    return at == std::string_view::npos ? std::string_view{} : federated.substr(at + 15);
  }
  return federated;
}

// The one identity provider host a statement's condition keys name (`HOST:aud`, `HOST:sub`,
// `HOST:amr`); empty when they name none or several.
std::string_view provider_in_conditions(const policy::Statement& st) {
  std::string_view found;
  for (const policy::ConditionEntry& c : st.conditions) {
    const std::string_view key = c.key;
    const auto colon = key.rfind(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view claim = key.substr(colon + 1);
    const std::string_view host = key.substr(0, colon);
    if ((claim != "aud" && claim != "sub" && claim != "amr") || host.find('.') == std::string_view::npos) continue;
    if (!found.empty() && found != host) return {};
    found = host;
  }
  return found;
}

// Whether a `token.actions.githubusercontent.com:sub` value names an organization: `repo:ORG/...`.
bool names_github_owner(std::string_view value) {
  return value.starts_with("repo:") && value.size() > 5 && value[5] != '*' && value[5] != '?' &&
         value.find('/') != std::string_view::npos;
}

// The runs a scoped GitHub subject still lets in through a wildcard: the organization's other
// repositories, or the repository's every branch, tag, pull request and environment.
void check_github_subjects(const policy::Statement& st, const std::string& key, Emitter& emit) {
  const auto on_subject = [&](const policy::ConditionEntry& c) { return iequals(c.key, key) && !c.op.negated(); };
  // Conditions are ANDed: one that names exact subjects already pins the runs.
  for (const policy::ConditionEntry& c : st.conditions) {
    if (on_subject(c) && !c.op.if_exists && !c.values.empty() &&
        std::ranges::none_of(c.values,
                             [](const policy::Text& v) { return v.value.find_first_of("*?") != std::string::npos; })) {
      return;
    }
  }
  for (const policy::ConditionEntry& c : st.conditions) {
    if (!on_subject(c) || !c.op.base.ends_with("Like")) continue;
    for (const policy::Text& value : c.values) {
      const std::string_view subject = value.value;
      const std::size_t wildcard = subject.find_first_of("*?");
      // `repo:ORG/REPO:QUALIFIER`; other subjects are RES005's to judge.
      const std::size_t slash = subject.find('/');
      if (wildcard == std::string_view::npos || !subject.starts_with("repo:") || slash == std::string_view::npos) {
        continue;
      }
      const std::size_t repository_end = subject.find(':', slash);
      if (repository_end == std::string_view::npos || wildcard < repository_end) {
        emit.emit(rules::kGitHubSubjectWildcard, value.span, value.pointer,
                  fmt::format("`{}` lets workflows of every matching repository assume this role; name the "
                              "repository and its branch or environment (`repo:ORG/REPO:ref:refs/heads/main`)",
                              subject));
        continue;
      }
      const std::string_view repository = subject.substr(5, repository_end - 5);
      const std::string_view qualifier = subject.substr(repository_end + 1);
      const bool environment = qualifier.starts_with("environment:");
      const std::string what =
          environment ? fmt::format("every environment matching `{}`", qualifier.substr(12))
          : qualifier.starts_with("ref:refs/heads/") ? fmt::format("every branch matching `{}`", qualifier.substr(15))
          : qualifier.starts_with("ref:refs/tags/")  ? fmt::format("every tag matching `{}`", qualifier.substr(14))
                                                     : std::string("every branch, tag, pull request and environment");
      emit.emit(rules::kGitHubSubjectWildcard, value.span, value.pointer,
                fmt::format("`{}` lets workflows of {} of `{}` assume this role; name the {} that deploys (`{}:{}`)",
                            subject, what, repository, environment ? "environment" : "branch or environment",
                            subject.substr(0, repository_end),
                            environment ? "environment:production" : "ref:refs/heads/main"));
    }
  }
}

// Web-identity federation must say which identities may assume the role: a GitHub
// subject (repository), or any condition on the provider's own keys (`aud`, `sub`).
// Whether a condition on a token's claim admits only tokens whose claim each of its values
// `names` (a positive operator, not `IfExists`, `Null` or `ForAllValues`, which pass a token
// without the claim). StringEquals compares `*` as a character.
template <class Names>
bool entry_compares_claim(const policy::ConditionEntry& c, const Names& names) {
  const policy::ConditionOperator& op = c.op;
  if (op.negated() || op.if_exists || op.base == "Null" || op.set_prefix == "ForAllValues") return false;
  const bool literal = istarts_with(op.base, "StringEquals");
  return !c.values.empty() && std::ranges::all_of(c.values, [&](const policy::Text& v) {
    return (literal && !v.value.empty()) || names(std::string_view(v.value));
  });
}

// Whether a condition on the claim `key` does (entry_compares_claim).
template <class Names>
bool claim_compared(const policy::Statement& st, std::string_view key, const Names& names) {
  return std::ranges::any_of(st.conditions, [&](const policy::ConditionEntry& c) {
    return iequals(c.key, key) && entry_compares_claim(c, names);
  });
}

// A claim's value that is more than wildcards: `system:serviceaccount:payments:*` names a
// namespace; `*` names no one.
bool names_something(std::string_view value) { return value.find_first_not_of("*?") != std::string_view::npos; }

// The namespace and name of a Kubernetes service account subject, each without wildcards, as
// far as they are written: `system:serviceaccount:payments:*` names the namespace only.
struct ServiceAccountNamed {
  bool namespace_named = false;
  bool account_named = false;
};
ServiceAccountNamed service_account_named(std::string_view subject) {
  constexpr std::string_view kLead = "system:serviceaccount:";
  if (!subject.starts_with(kLead)) return {};
  const std::string_view rest = subject.substr(kLead.size());
  const std::size_t colon = rest.find(':');
  const std::string_view ns = rest.substr(0, colon);
  const auto plain = [](std::string_view part) {
    return !part.empty() && part.find_first_of("*?") == std::string_view::npos;
  };
  if (!plain(ns) || colon == std::string_view::npos) return {};
  return {true, plain(rest.substr(colon + 1))};
}

// How far a statement's `sub` condition names an EKS cluster's service account.
enum class EksSubject : std::uint8_t { account, name_space, unnamed };

EksSubject eks_subject(const policy::Statement& st, const std::string& key) {
  if (claim_compared(st, key, [](std::string_view v) { return service_account_named(v).account_named; })) {
    return EksSubject::account;
  }
  if (claim_compared(st, key, [](std::string_view v) { return service_account_named(v).namespace_named; })) {
    return EksSubject::name_space;
  }
  return EksSubject::unnamed;
}

void check_eks_subject(EksSubject subject, const policy::Text& provider, const std::string& prefix, Emitter& emit) {
  const std::string key = prefix + "sub";
  if (subject == EksSubject::account) return;
  // Every service account of a namespace is a choice AWS documents: a note.
  if (subject == EksSubject::name_space) {
    emit.emit(rules::kUnscopedFederation, provider.span, provider.pointer,
              fmt::format("any service account of a namespace that `{}` admits can assume this role, one created "
                          "later included; name the service account (`system:serviceaccount:NAMESPACE:NAME`) unless "
                          "the whole namespace is meant",
                          key),
              Level::note);
    return;
  }
  emit.emit(rules::kUnscopedFederation, provider.span, provider.pointer,
            fmt::format("any pod of the cluster whose service account is annotated with this role can assume it (every "
                        "token the cluster issues has `aud` `sts.amazonaws.com`); add a condition on `{}` naming the "
                        "service account, `system:serviceaccount:NAMESPACE:NAME`",
                        key));
}

void check_federated(const policy::Statement& st, Emitter& emit) {
  if (st.effect != policy::Effect::allow || !covers_action(st, "sts:AssumeRoleWithWebIdentity")) return;
  // What the conditions say of a cluster's `sub`, by key: asked once however many times the
  // statement names the cluster (each reads every condition value).
  std::unordered_map<std::string, EksSubject> eks_subjects;
  for (const policy::PrincipalEntry& entry : st.principal.entries) {
    if (entry.type != "Federated") continue;
    for (const policy::Text& value : entry.values) {
      std::string_view host = oidc_provider(value.value);
      // A template's provider (`!GetAtt Provider.Arn`, `!Ref Provider`): its host is the one the
      // statement's conditions name, when they name one; otherwise it cannot be judged.
      if (has_placeholder(host)) host = provider_in_conditions(st);
      // Not a provider's domain: POL026 says so.
      if (host.empty() || host.find('.') == std::string_view::npos || host.find(' ') != std::string_view::npos)
        continue;
      const std::string prefix = std::string(host) + ":";
      if (host == "token.actions.githubusercontent.com") {
        bool scoped = false;
        for (const policy::ConditionEntry& c : st.conditions) {
          if (!iequals(c.key, prefix + "sub") || c.op.negated() || c.op.if_exists) continue;
          scoped = !c.values.empty() && std::all_of(c.values.begin(), c.values.end(),
                                                    [](const policy::Text& v) { return names_github_owner(v.value); });
        }
        if (!scoped) {
          emit.emit(rules::kUnscopedFederation, value.span, value.pointer,
                    "any GitHub repository can assume this role: add a condition on "
                    "`token.actions.githubusercontent.com:sub` naming your repository, such as "
                    "`repo:ORG/REPO:ref:refs/heads/main`");
        } else {
          check_github_subjects(st, prefix + "sub", emit);
        }
        continue;
      }
      // Cognito identity pools: the pool is the token's `aud`; `amr` says only how its user signed in.
      if (host == "cognito-identity.amazonaws.com") {
        if (!claim_compared(st, prefix + "aud", names_something)) {
          const bool tests_amr = std::ranges::any_of(
              st.conditions, [&](const policy::ConditionEntry& c) { return iequals(c.key, prefix + "amr"); });
          emit.emit(rules::kUnscopedFederation, value.span, value.pointer,
                    fmt::format("users of any Cognito identity pool can assume this role: add a condition on "
                                "`cognito-identity.amazonaws.com:aud` naming your identity pool ID{}",
                                tests_amr ? " (`amr` says how a user signed in, not to which pool)" : ""));
        }
        continue;
      }
      // An EKS cluster's tokens for service accounts (IRSA) all carry `aud` `sts.amazonaws.com`:
      // only `sub` (`system:serviceaccount:NAMESPACE:NAME`) says which service account.
      if (host.starts_with("oidc.eks.")) {
        const std::string key = prefix + "sub";
        auto [known, fresh] = eks_subjects.try_emplace(ascii_lower(key), EksSubject::unnamed);
        if (fresh) known->second = eks_subject(st, key);
        check_eks_subject(known->second, value, prefix, emit);
        continue;
      }
      // Shared CI platforms whose `aud` whoever writes the pipeline chooses: only `sub` says whose.
      // `sub` must name the owner (`project_path:GROUP/...`, `organization:ORG:...`), not a wildcard.
      struct SubjectRequired {
        std::string_view host;
        std::string_view who;
        std::string_view lead;
        std::string_view example;
      };
      static constexpr std::array<SubjectRequired, 2> kSubjectRequired{{
          {"gitlab.com", "GitLab.com project", "project_path:", "project_path:GROUP/PROJECT:ref_type:branch:ref:main"},
          {"app.terraform.io", "Terraform Cloud organization",
           "organization:", "organization:ORG:project:PROJECT:workspace:WS:run_phase:*"},
      }};
      if (const auto platform = std::ranges::find(kSubjectRequired, host, &SubjectRequired::host);
          platform != kSubjectRequired.end()) {
        const auto names_owner = [&](std::string_view subject) {
          if (!subject.starts_with(platform->lead)) return false;
          const std::string_view rest = subject.substr(platform->lead.size());
          const std::string_view owner = rest.substr(0, rest.find_first_of("/:"));
          return !owner.empty() && owner.find_first_of("*?") == std::string_view::npos;
        };
        if (!claim_compared(st, prefix + "sub", names_owner)) {
          emit.emit(rules::kUnscopedFederation, value.span, value.pointer,
                    fmt::format("any {} can assume this role: its pipelines choose their tokens' `aud`; add a "
                                "condition on `{}sub` naming yours, such as `{}`",
                                platform->who, prefix, platform->example));
        }
        continue;
      }
      // A claim of the provider (`aud`, `sub`, `oaud`, `app_id`...) compared with values that narrow:
      // not only `*`, nor a `Null` test that the claim is there.
      const bool scoped = std::ranges::any_of(st.conditions, [&](const policy::ConditionEntry& c) {
        if (c.key.size() <= prefix.size() || !istarts_with(c.key, prefix)) return false;
        return !iequals(std::string_view(c.key).substr(prefix.size()), "amr") &&
               entry_compares_claim(c, names_something);
      });
      if (!scoped) {
        // A claim already tested, in a way that admits every token: named, so the fix is clear.
        const auto tested = std::ranges::find_if(st.conditions, [&](const policy::ConditionEntry& c) {
          return c.key.size() > prefix.size() && istarts_with(c.key, prefix);
        });
        emit.emit(rules::kUnscopedFederation, value.span, value.pointer,
                  tested == st.conditions.end()
                      ? fmt::format("any identity of `{}` can assume this role: add a condition on its `{}aud` or "
                                    "`{}sub` keys",
                                    host, prefix, prefix)
                      : fmt::format("any identity of `{}` can assume this role: the condition on `{}` (`{}`) admits "
                                    "every token; compare its `{}aud` or `{}sub` keys with the values you trust",
                                    host, tested->key, tested->op_text, prefix, prefix));
      }
    }
  }
}

// Principals of another account than the policy's own (RES009): named in Principal, or, for
// `Principal: *`, in a condition that names the caller's account or ARN (`aws:PrincipalAccount`,
// `kms:CallerAccount`, `aws:PrincipalArn`), which admits that account's identities all the same.
void check_other_accounts(const policy::Document& doc, const policy::Statement& st, const Owner& owner, Emitter& emit) {
  if (owner.account.empty() || st.effect != policy::Effect::allow || st.principal.negated) return;
  const auto report = [&](const policy::Text& value, std::string_view account, std::string_view named) {
    const std::string_view what = doc.kind == policy::Kind::trust     ? "assume this role"
                                  : doc.kind == policy::Kind::kms_key ? "use this key"
                                                                      : "act on this resource";
    emit.emit(rules::kPrincipalFromOtherAccount, value.span, value.pointer,
              fmt::format(
                  "`{}`{} is in account {}, not in {} ({}): identities there can {} as far as their own "
                  "account's policies let them{}",
                  value.value, named, account, owner.account,
                  owner.said ? "the account given with `--account`" : "the account this policy's resources name", what,
                  doc.kind == policy::Kind::trust && !has_scoping_condition(st, "sts:ExternalId")
                      ? "; a third party's role needs `sts:ExternalId`"
                      : ""));
  };
  for (const policy::PrincipalEntry& entry : st.principal.entries) {
    if (entry.type != "AWS") continue;
    for (const policy::Text& value : entry.values) {
      const std::string_view account = account_of_principal(value.value);
      if (!account.empty() && account != owner.account) report(value, account, "");
    }
  }
  if (!is_public(st.principal)) return;
  static constexpr std::string_view kCallerKeys[] = {"aws:PrincipalAccount", "kms:CallerAccount", "aws:PrincipalArn"};
  for (const policy::ConditionEntry& condition : st.conditions) {
    if (!names_values(condition.op) || condition.op.negated() || condition.op.set_prefix == "ForAllValues" ||
        std::ranges::none_of(kCallerKeys, [&](std::string_view key) { return iequals(condition.key, key); })) {
      continue;
    }
    for (const policy::Text& value : condition.values) {
      const std::string_view account = account_of_principal(value.value);
      if (!account.empty() && account != owner.account) {
        report(value, account,
               fmt::format(" (`{}` in the condition on `{}`, with `Principal: *`)", condition.op_text, condition.key));
      }
    }
  }
}

// The unique ID IAM shows for a principal whose user or role was deleted (POL026 accepts its form).
void check_unique_ids(const policy::Statement& st, Emitter& emit) {
  for (const policy::PrincipalEntry& entry : st.principal.entries) {
    if (entry.type != "AWS") continue;
    for (const policy::Text& value : entry.values) {
      const std::string_view v = value.value;
      const bool user = v.starts_with("AIDA");
      if ((!user && !v.starts_with("AROA")) || v.size() < 16) continue;
      const std::string_view what = user ? "user" : "role";
      emit.emit(rules::kPrincipalByUniqueId, value.span, value.pointer,
                fmt::format("`{}` is a {}'s unique ID, as IAM shows a principal whose {} was deleted: it matches no "
                            "other {}, not even a new one with the same name; name the principal by its ARN or "
                            "remove it",
                            v, what, what, what));
    }
  }
}

}  // namespace

void check_resource_policies(const policy::Document& doc, Emitter& emit) {
  if (policy::is_identity_like(doc.kind)) return;
  const Owner owner = owner_of(doc);
  const std::vector<const policy::Statement*> denies = conditional_denies(doc);
  for (const policy::Statement& st : doc.statements) {
    check_other_accounts(doc, st, owner, emit);
    check_public(doc, st, denies, emit);
    check_service_source(doc, st, emit);
    check_federated(st, emit);
    check_unique_ids(st, emit);
    if (doc.kind == policy::Kind::kms_key) check_key_administration(st, emit);
  }
  if (doc.kind == policy::Kind::kms_key) check_key_lockout(doc, emit);
}

}  // namespace grantlint::checks
