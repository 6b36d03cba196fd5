#include "account/effective.h"

namespace grantlint::account {

Location statement_location(const CompiledDocument& copy, const policy::Statement& statement) {
  return Location{copy.source, Span{static_cast<std::uint32_t>(statement.span.begin + copy.shift),
                                    static_cast<std::uint32_t>(statement.span.end + copy.shift)}};
}

PolicyIndex::PolicyIndex(const Export& model, const DocumentLookup& compiled) : compiled_(compiled) {
  for (const ManagedPolicy& policy : model.policies) policies_.emplace(policy.arn, &policy);
  for (const Principal& principal : model.principals) {
    if (principal.kind == PrincipalKind::group) groups_.emplace(principal.name, &principal);
  }
}

void PolicyIndex::add(const DocumentRef& document, std::vector<const eval::CompiledPolicy*>& into,
                      EffectivePolicies& effective) const {
  if (!document.present) return;
  const CompiledDocument found = compiled_(document);
  if (found.policy == nullptr) return;
  into.push_back(found.policy);
  effective.copies.emplace(found.policy, found);
}

void PolicyIndex::add_own(const Principal& owner, std::vector<const eval::CompiledPolicy*>& into,
                          EffectivePolicies& effective) const {
  for (const InlinePolicy& policy : owner.inline_policies) add(policy.document, into, effective);
  for (const Reference& attached : owner.attached) {
    const auto it = policies_.find(attached.target);
    if (it == policies_.end()) continue;  // reported as ACC003
    if (const PolicyVersion* version = it->second->default_version()) add(version->document, into, effective);
  }
}

EffectivePolicies PolicyIndex::effective(const Principal& principal) const {
  EffectivePolicies effective;
  add_own(principal, effective.set.identity, effective);
  for (const Reference& group : principal.groups) {
    const auto it = groups_.find(group.target);
    if (it != groups_.end()) add_own(*it->second, effective.set.identity, effective);
  }
  if (principal.boundary) {
    const auto it = policies_.find(principal.boundary->target);
    if (it != policies_.end()) {
      if (const PolicyVersion* version = it->second->default_version()) {
        add(version->document, effective.set.boundary, effective);
      }
    }
  }
  return effective;
}

}  // namespace grantlint::account
