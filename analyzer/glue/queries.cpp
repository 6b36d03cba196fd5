// The questions every Glue check asks the evaluator, and the answers they share: effective
// policies per principal, the account's Glue operators, what each role was found to need.
#include <fmt/format.h>

#include <algorithm>

#include "base/placeholder.h"
#include "base/strings.h"
#include "glue/aws_managed_policies.h"
#include "glue/files.h"
#include "glue/pack.h"
#include "match/arn.h"

namespace grantlint::glue {

using account::Principal;
using account::PrincipalKind;

Outcome Pack::ask(std::string_view caller, std::string_view action, const std::string& resource,
                  const eval::PolicySet& set, const RequestContext& context, std::uint64_t comparison_budget) {
  eval::Context request_context;
  request_context.set_comparison_budget(comparison_budget);
  request_context.mark_unknown("*");  // what the request carries beyond the path's keys is not known
  request_context.keep_derived_keys();
  for (const auto& [key, value] : context) {
    if (key.starts_with(kAbsentMark)) {
      request_context.mark_absent(std::string_view(key).substr(1));
    } else {
      request_context.set(key, value);
    }
  }
  // A regional resource is asked of its Region's endpoint (a KMS key, a Glue catalog, a log group
  // cannot be called from another): `aws:RequestedRegion` is its Region (h56 M2: a Region guard
  // that broke the job read as unknown, a note instead of the error).
  if (const auto fields = match::split_arn(resource);
      fields && !(*fields)[2].empty() && !has_placeholder((*fields)[2]) &&
      std::ranges::none_of(context, [](const auto& entry) { return iequals(entry.first, "aws:RequestedRegion"); })) {
    request_context.set("aws:RequestedRegion", std::string((*fields)[2]));
  }
  auto request = eval::make_request(caller, action, resource, "", std::move(request_context));
  if (!request) return Outcome{eval::Decision::implicit_deny, request.error().message, {}, {}};
  eval::Answer answer = eval::decide(set, *request);
  Outcome out{answer.decision,
              std::move(answer.reason),
              {},
              std::move(answer.statements),
              request->context.comparisons(),
              request->context.budget_spent()};
  if (answer.decision == eval::Decision::conditional) eval::collect_dependencies(answer.allowed_if, out.keys);
  return out;
}

const account::EffectivePolicies& Pack::effective(const Principal& principal) {
  auto it = effective_.find(&principal);
  if (it != effective_.end()) return it->second;
  account::EffectivePolicies policies = index.effective(principal);
  // An AWS managed policy the input does not hold but the pack knows (aws_managed_policies.h)
  // is what AWS says it is: the index took it, and findings point at its attachment.
  for (const auto& [known, reference] : policies.builtin)
    known_attached_.emplace(std::pair(&principal, known), reference);
  return effective_.emplace(&principal, std::move(policies)).first->second;
}

std::string Pack::resource_for(std::string_view action, const std::string& resource) const {
  const std::size_t colon = action.find(':');
  const catalog::Service* service = catalog.find_service(action.substr(0, colon));
  const catalog::Action* found = service != nullptr ? service->find_action(action.substr(colon + 1)) : nullptr;
  if (found != nullptr && found->resources.empty()) return "*";
  return resource;
}


void Pack::compile_delegation() {
  const std::string text = fmt::format(
      R"({{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:{}:iam::{}:root"}},)"
      R"("Action":"kms:*","Resource":"*"}}]}})",
      snapshot.partition, "{account}");
  delegation_ = compile_policy_text(text, policy::Kind::kms_key, catalog, snapshot.account);
  allow_all_ = compile_policy_text(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
                                   policy::Kind::identity, catalog);
}

bool Pack::trusts_people(const Principal& role) const {
  const account::CompiledDocument trust = index.compiled(role.trust);
  if (trust.policy == nullptr) return false;
  for (const policy::Statement& statement : trust.policy->document().statements) {
    if (statement.effect != policy::Effect::allow) continue;
    if (statement.principal.wildcard) return true;
    for (const policy::PrincipalEntry& entry : statement.principal.entries) {
      if (entry.type == "AWS" || entry.type == "Federated") return true;
    }
  }
  return false;
}

const std::vector<const Principal*>& Pack::operators() {
  if (operators_) return *operators_;
  static constexpr std::string_view kProbes[] = {"glue:GetDatabases", "glue:GetDataCatalogEncryptionSettings",
                                                 "glue:PutDataCatalogEncryptionSettings",
                                                 "glue:GetSecurityConfigurations", "glue:CreateSecurityConfiguration"};
  operators_.emplace();
  const std::string catalog_arn = glue_arn("catalog");
  for (const Principal& principal : iam.principals) {
    if (principal.kind == PrincipalKind::group || principal.arn.empty()) continue;
    if (principal.kind == PrincipalKind::role && !trusts_people(principal)) continue;
    const account::EffectivePolicies& policies = effective(principal);
    for (const std::string_view probe : kProbes) {
      if (granted(ask(principal.arn, probe, resource_for(probe, catalog_arn), policies.set, {}).decision)) {
        operators_->push_back(&principal);
        break;
      }
    }
  }
  return *operators_;
}

void Pack::note_need(const Principal& principal, const Key& key, std::string_view action) {
  needs_[&principal][&key].emplace(action);
}

const std::map<const Key*, std::set<std::string>>& Pack::needs(const Principal& principal) const {
  static const std::map<const Key*, std::set<std::string>> kNone;
  const auto it = needs_.find(&principal);
  return it == needs_.end() ? kNone : it->second;
}

}  // namespace grantlint::glue
