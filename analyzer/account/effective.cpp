#include "account/effective.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <new>
#include <span>
#include <string_view>

#include "base/parallel.h"
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
    : model_(model), compiled_(compiled), builtin_(std::move(builtin)) {
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

void PolicyIndex::add_own(const Principal& owner, std::size_t at, std::vector<const eval::CompiledPolicy*>& into,
                          EffectivePolicies& effective) const {
  const bool resolved = at != kNotResolved;
  for (std::size_t k = 0; k < owner.inline_policies.size(); ++k) {
    const InlinePolicy& policy = owner.inline_policies[k];
    if (!policy.document.present) continue;
    const CompiledDocument copy =
        resolved ? resolved_.inline_copies[resolved_.inline_at[at] + k] : compiled_(policy.document);
    if (copy.policy != nullptr) {
      add(copy, into, effective);
    } else {
      effective.unreadable.push_back(&policy);
    }
  }
  for (std::size_t k = 0; k < owner.attached.size(); ++k) {
    const Reference& attached = owner.attached[k];
    const Resolved* held = resolved ? resolved_.attached[resolved_.attached_at[at] + k] : managed(attached.target);
    if (held == nullptr) {
      if (const eval::CompiledPolicy* known = builtin(attached.target, owner.arn)) {
        if (std::ranges::find(into, known) == into.end()) into.push_back(known);
        effective.aws_managed.insert(known);
        effective.builtin.emplace(known, &attached);
        continue;
      }
      effective.unknown.push_back(&attached);  // reported as ACC003 in scans
      continue;
    }
    add(held->copy, into, effective);
    if (held->aws_managed) effective.aws_managed.insert(held->copy.policy);
  }
}

std::size_t PolicyIndex::resolved_at(const Principal& principal) const {
  // A principal the model does not hold (a user with a group added, reach.cpp) is resolved
  // each time.
  const std::span<const Principal> principals = model_.principals;
  const std::less<const Principal*> before;
  if (resolved_.boundary.size() != principals.size() || before(&principal, principals.data()) ||
      !before(&principal, principals.data() + principals.size())) {
    return kNotResolved;
  }
  return static_cast<std::size_t>(&principal - principals.data());
}

const Principal* PolicyIndex::group_of(std::size_t at, std::size_t k, const Reference& group) const {
  return at != kNotResolved ? resolved_.groups[resolved_.groups_at[at] + k] : this->group(group.target);
}

void PolicyIndex::resolve_all(unsigned threads) {
  try {
    resolved_ = resolve(threads);
  } catch (const std::bad_alloc&) {
    resolved_ = {};  // only slower: effective() looks each name up
  }
}

PolicyIndex::Resolutions PolicyIndex::resolve(unsigned threads) const {
  const std::vector<Principal>& principals = model_.principals;
  Resolutions out;
  const auto offsets = [&](std::vector<std::uint32_t>& at, auto count) {
    at.reserve(principals.size() + 1);
    std::size_t total = 0;
    for (const Principal& principal : principals) {
      at.push_back(static_cast<std::uint32_t>(total));
      total += count(principal).size();
    }
    at.push_back(static_cast<std::uint32_t>(total));
    return total;
  };
  const std::size_t inline_count = offsets(
      out.inline_at, [](const Principal& p) -> auto& { return p.inline_policies; });
  const std::size_t attached_count = offsets(
      out.attached_at, [](const Principal& p) -> auto& { return p.attached; });
  const std::size_t groups_count = offsets(
      out.groups_at, [](const Principal& p) -> auto& { return p.groups; });
  // The flat lists are indexed by 32 bits: an export past them is resolved each time.
  if (std::max({inline_count, attached_count, groups_count}) > std::numeric_limits<std::uint32_t>::max()) return {};
  out.inline_copies.resize(inline_count);
  out.attached.resize(attached_count);
  out.groups.resize(groups_count);
  out.boundary.resize(principals.size());
  run_in_parts(principals.size(), threads, 1024, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const Principal& principal = principals[i];
      for (std::size_t k = 0; k < principal.inline_policies.size(); ++k) {
        const DocumentRef& document = principal.inline_policies[k].document;
        if (document.present) out.inline_copies[out.inline_at[i] + k] = compiled_(document);
      }
      for (std::size_t k = 0; k < principal.attached.size(); ++k) {
        out.attached[out.attached_at[i] + k] = managed(principal.attached[k].target);
      }
      for (std::size_t k = 0; k < principal.groups.size(); ++k) {
        out.groups[out.groups_at[i] + k] = group_of(kNotResolved, k, principal.groups[k]);
      }
      if (principal.boundary) out.boundary[i] = managed(principal.boundary->target);
    }
  });
  return out;
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
  const std::size_t at = resolved_at(principal);
  add_own(principal, at, effective.set.identity, effective);
  // A group named again in the list adds nothing (AWS lists each once).
  FlatSet<const Principal*> groups_added;
  for (std::size_t k = 0; k < principal.groups.size(); ++k) {
    const Principal* group = group_of(at, k, principal.groups[k]);
    if (group != nullptr && groups_added.insert(group))
      add_own(*group, resolved_at(*group), effective.set.identity, effective);
  }
  if (principal.boundary) {
    const Resolved* resolved = at != kNotResolved ? resolved_.boundary[at] : managed(principal.boundary->target);
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
