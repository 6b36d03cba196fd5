#include "account/effective.h"

#include "match/arn.h"

namespace grantlint::account {

Location statement_location(const CompiledDocument& copy, const policy::Statement& statement) {
  return Location{copy.source, Span{static_cast<std::uint32_t>(statement.span.begin + copy.shift),
                                    static_cast<std::uint32_t>(statement.span.end + copy.shift)}};
}

std::string statement_pointer(const CompiledDocument& copy, const policy::Statement& statement) {
  return copy.pointer + statement.pointer;
}

PolicyIndex::PolicyIndex(const Export& model, const DocumentLookup& compiled) : compiled_(compiled) {
  for (const ManagedPolicy& policy : model.policies) policies_.emplace(policy.arn, &policy);
  for (const Principal& principal : model.principals) {
    if (principal.kind == PrincipalKind::group) groups_.emplace(principal.name, &principal);
  }
}

const eval::CompiledPolicy* PolicyIndex::add(const DocumentRef& document,
                                             std::vector<const eval::CompiledPolicy*>& into,
                                             EffectivePolicies& effective) const {
  if (!document.present) return nullptr;
  CompiledDocument found = compiled_(document);
  const eval::CompiledPolicy* policy = found.policy;
  if (policy == nullptr) return nullptr;
  into.push_back(policy);
  effective.copies.emplace(policy, std::move(found));
  return policy;
}

void PolicyIndex::add_own(const Principal& owner, std::vector<const eval::CompiledPolicy*>& into,
                          EffectivePolicies& effective) const {
  for (const InlinePolicy& policy : owner.inline_policies) add(policy.document, into, effective);
  for (const Reference& attached : owner.attached) {
    const auto it = policies_.find(attached.target);
    const PolicyVersion* version = it == policies_.end() ? nullptr : it->second->default_version();
    const eval::CompiledPolicy* policy = version == nullptr ? nullptr : add(version->document, into, effective);
    if (policy == nullptr) effective.unknown.push_back(&attached);  // reported as ACC003 in scans
    const auto fields = match::split_arn(attached.target);
    if (policy != nullptr && fields && (*fields)[3] == "aws") effective.aws_managed.insert(policy);
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
    const PolicyVersion* version = it == policies_.end() ? nullptr : it->second->default_version();
    if (version == nullptr || add(version->document, effective.set.boundary, effective) == nullptr) {
      effective.unknown_boundary = &*principal.boundary;
    }
  }
  return effective;
}

}  // namespace grantlint::account
