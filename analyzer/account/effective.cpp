#include "account/effective.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "base/strings.h"
#include "match/arn.h"

namespace grantlint::account {

Location statement_location(const CompiledDocument& copy, const policy::Statement& statement) {
  return Location{copy.source, Span{static_cast<std::uint32_t>(statement.span.begin + copy.shift),
                                    static_cast<std::uint32_t>(statement.span.end + copy.shift)}};
}

std::string statement_pointer(const CompiledDocument& copy, const policy::Statement& statement) {
  return std::string(copy.pointer) + statement.pointer;
}

std::optional<RelatedLocation> builtin_allows(const EffectivePolicies& effective, const eval::CompiledPolicy* policy,
                                              std::string_view action) {
  const auto builtin = effective.builtin.find(policy);
  if (builtin == effective.builtin.end()) return std::nullopt;
  const Reference& attached = *builtin->second;
  return RelatedLocation{
      Location{attached.source, attached.span},
      fmt::format("`{}` allows `{}` (grantlint's copy of this AWS managed policy: the export holds none that reads)",
                  attached.target, action)};
}

void note_allowing_statements(const eval::Answer& answer, const EffectivePolicies& effective,
                              const CompiledDocument* trust, std::vector<RelatedLocation>& out,
                              std::string_view action) {
  for (const eval::StatementTrace& trace : answer.statements) {
    const policy::Statement& statement = trace.policy->document().statements[trace.statement];
    if (statement.effect != policy::Effect::allow || trace.outcome == eval::StatementTrace::Outcome::no_match) {
      continue;
    }
    if (out.size() >= 4) return;
    if (auto builtin = builtin_allows(effective, trace.policy, action)) {
      out.push_back(std::move(*builtin));
      continue;
    }
    const auto copy = effective.copies.find(trace.policy);
    const bool in_trust = trust != nullptr && trace.policy == trust->policy;
    if (copy == effective.copies.end() && !in_trust) continue;
    const Location at = statement_location(in_trust ? *trust : copy->second, statement);
    out.push_back(
        RelatedLocation{at, in_trust ? fmt::format("admits `{}`", action) : fmt::format("allows `{}`", action)});
  }
}

bool reads_caller(const eval::CompiledStatement& statement) {
  const bool in_resources = std::ranges::any_of(
      statement.resources, [](const eval::CompiledResource& resource) { return resource.tail.has_variables(); });
  return in_resources || std::ranges::any_of(statement.conditions, [](const eval::CompiledCondition& condition) {
           return condition.key.starts_with("aws:principal") || condition.key == "aws:username" ||
                  condition.key == "aws:userid" ||
                  std::ranges::any_of(condition.values,
                                      [](const eval::Pattern& value) { return value.has_variables(); });
         });
}

std::string caller_class_key(const eval::Caller& caller) {
  return fmt::format("{}|{}|{}", static_cast<int>(caller.kind), caller.partition, caller.account);
}

bool is_policy_arn(std::string_view text) {
  const auto fields = match::split_arn(text);
  if (!fields || !is_partition((*fields)[0]) || (*fields)[1] != "iam" || !(*fields)[2].empty() ||
      !(*fields)[4].starts_with("policy/")) {
    return false;
  }
  if ((*fields)[3] != "aws" && !is_account_id((*fields)[3])) return false;
  const std::string_view resource = (*fields)[4];
  return !resource.ends_with('/') && std::ranges::all_of(resource, [](char c) { return c > ' ' && c < 0x7f; });
}

bool is_aws_managed(std::string_view arn) {
  const auto fields = match::split_arn(arn);
  return fields && (*fields)[3] == "aws" && is_policy_arn(arn);
}

bool aws_managed_for(std::string_view arn, std::string_view principal_arn) {
  if (!is_aws_managed(arn)) return false;
  const auto principal = match::split_arn(principal_arn);
  return !principal || !is_partition((*principal)[0]) || match::split_arn(arn)->at(0) == (*principal)[0];
}

PolicyIndex::PolicyIndex(const Export& model, const DocumentLookup& compiled, BuiltinPolicyLookup builtin)
    : compiled_(compiled), builtin_(std::move(builtin)) {
  for (const ManagedPolicy& policy : model.policies) {
    if (policy.arn.empty()) continue;  // no policy's ARN (ACC001): no attachment names it
    const auto [it, fresh] = managed_.try_emplace(policy.arn);
    if (!fresh) continue;  // principals get the first listing (scan.cpp reports the others)
    const PolicyVersion* version = policy.default_version();
    if (version != nullptr && version->document.present) it->second.copy = compiled_(version->document);
    it->second.aws_managed = is_aws_managed(policy.arn);
  }
  for (const Principal& principal : model.principals) {
    if (principal.kind == PrincipalKind::group) groups_.emplace(principal.name, &principal);
  }
}

const PolicyIndex::Resolved* PolicyIndex::managed(std::string_view arn) const {
  const auto it = managed_.find(arn);
  return it == managed_.end() || it->second.copy.policy == nullptr ? nullptr : &it->second;
}

void PolicyIndex::add(const CompiledDocument& copy, std::vector<const eval::CompiledPolicy*>& into,
                      EffectivePolicies& effective) {
  // A policy attached twice (directly and through a group, or listed again) decides as once.
  // The identity policies are added before the boundary, so `copies` holds only them while
  // they are added: it answers for them without a search of the list (a user in thousands of
  // groups).
  const bool added = &into == &effective.set.identity ? effective.copies.contains(copy.policy)
                                                      : std::ranges::find(into, copy.policy) != into.end();
  if (added) return;
  into.push_back(copy.policy);
  effective.copies.emplace(copy.policy, copy);
}

void PolicyIndex::add_own(const Principal& owner, std::vector<const eval::CompiledPolicy*>& into,
                          EffectivePolicies& effective) const {
  for (const InlinePolicy& policy : owner.inline_policies) {
    if (!policy.document.present) continue;
    const CompiledDocument copy = compiled_(policy.document);
    if (copy.policy != nullptr) {
      add(copy, into, effective);
    } else {
      effective.unreadable.push_back(&policy);
    }
  }
  for (const Reference& attached : owner.attached) {
    const Resolved* resolved = managed(attached.target);
    if (resolved == nullptr) {
      if (const eval::CompiledPolicy* known = builtin(attached.target, owner.arn)) {
        if (std::ranges::find(into, known) == into.end()) into.push_back(known);
        effective.aws_managed.insert(known);
        effective.builtin.emplace(known, &attached);
        continue;
      }
      effective.unknown.push_back(&attached);  // reported as ACC003 in scans
      continue;
    }
    add(resolved->copy, into, effective);
    if (resolved->aws_managed) effective.aws_managed.insert(resolved->copy.policy);
  }
}

const eval::CompiledPolicy* PolicyIndex::builtin(std::string_view arn, std::string_view principal_arn) const {
  // An ARN the export does not list, or lists without a document that reads (no default
  // version, a damaged one): an AWS managed policy is the same in every account, so the copy
  // stands in for it (scan.cpp notes which). One the export lists and reads is its own.
  if (!builtin_ || !aws_managed_for(arn, principal_arn)) return nullptr;
  if (const auto it = managed_.find(arn); it != managed_.end() && it->second.copy.policy != nullptr) return nullptr;
  return builtin_(arn);
}

std::string missing_policy_caveat(const EffectivePolicies& effective, const Principal& principal) {
  if (effective.unknown_boundary != nullptr) {
    return fmt::format(", unless its permissions boundary `{}`, {}, refuses it", effective.unknown_boundary->target,
                       effective.boundary_unreadable ? "which the export holds but whose document could not be read"
                                                     : "which the export does not hold");
  }
  // An AWS managed policy of the principal's partition without grantlint's copy holds no Deny
  // (x59 L6: `ReadOnlyAccess` made an administrator a note).
  std::vector<const Reference*> could_deny;
  for (const Reference* attached : effective.unknown) {
    if (!aws_managed_for(attached->target, principal.arn)) could_deny.push_back(attached);
  }
  if (could_deny.empty()) {
    if (effective.unreadable.empty()) return {};
    // x59 L4: an inline policy that did not parse could deny as well as a managed one.
    const std::size_t others = effective.unreadable.size() - 1;
    return fmt::format(", unless its inline policy `{}`{}, whose document could not be read, denies it",
                       effective.unreadable.front()->name,
                       others == 0 ? std::string() : fmt::format(" (or {} more such)", others));
  }
  const std::size_t others = could_deny.size() - 1;
  return fmt::format(
      ", unless the managed policy `{}` attached to {}{}, which the export does not hold or could "
      "not read, denies it",
      could_deny.front()->target, principal.kind == PrincipalKind::user ? "it or its groups" : "it",
      others == 0 ? std::string() : fmt::format(" (or {} more such)", others));
}

EffectivePolicies PolicyIndex::effective(const Principal& principal) const {
  EffectivePolicies effective;
  add_own(principal, effective.set.identity, effective);
  // A group named again in the list adds nothing (AWS lists each once).
  std::unordered_set<std::string_view> groups_added;
  for (const Reference& group : principal.groups) {
    const auto it = groups_.find(group.target);
    if (it != groups_.end() && groups_added.insert(group.target).second) {
      add_own(*it->second, effective.set.identity, effective);
    }
  }
  if (principal.boundary) {
    const Resolved* resolved = managed(principal.boundary->target);
    const eval::CompiledPolicy* known =
        resolved == nullptr ? builtin(principal.boundary->target, principal.arn) : nullptr;
    if (known != nullptr) {
      effective.set.boundary.push_back(known);
      effective.builtin.emplace(known, &*principal.boundary);
    } else if (resolved == nullptr) {
      effective.unknown_boundary = &*principal.boundary;
      effective.boundary_unreadable = managed_.contains(principal.boundary->target);
    } else {
      add(resolved->copy, effective.set.boundary, effective);
    }
  }
  return effective;
}

}  // namespace grantlint::account
