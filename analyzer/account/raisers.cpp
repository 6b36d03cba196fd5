#include "account/raisers.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <numeric>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "account/own_resources.h"
#include "base/parallel.h"
#include "base/strings.h"
#include "eval/conditions.h"
#include "eval/pattern.h"
#include "match/arn.h"

namespace grantlint::account {
namespace {

// The part of an ARN after its account (`user/dev`), which a Resource pattern's tail matches.
std::string_view resource_part(std::string_view arn) {
  const auto fields = match::split_arn(arn);
  return fields ? (*fields)[4] : std::string_view();
}

constexpr std::size_t kLongestArn = 2048;

// The text every resource a pattern matches begins with, for this caller: up to its first
// wildcard, or to its first variable the caller does not fill in (`user/${aws:username}` is
// `user/dev` for dev).
std::string literal_prefix(const eval::CompiledResource& resource, const eval::Context& context) {
  std::vector<eval::Token> expanded;
  std::span<const eval::Token> tokens = resource.tail.tokens();
  if (resource.tail.has_variables()) {
    // No ARN IAM gives is longer than 2,048 bytes: a pattern that would expand past it (a variable
    // repeated over a long name, hostile h49 H2) is looked up by its text instead.
    if (resource.tail.expand(context, kLongestArn, expanded) != eval::Expansion::resolved) {
      const std::string& text = resource.tail.text();
      return text.substr(0, text.find_first_of("*?$"));
    }
    tokens = expanded;
  }
  std::string out;
  for (const eval::Token token : tokens) {
    if (token == eval::kStar || token == eval::kOne) break;
    out.push_back(static_cast<char>(token));
  }
  return out;
}

eval::Answer decide_only(const eval::PolicySet& set, std::string_view caller, std::string_view action,
                         std::string_view resource, bool explain = false) {
  auto request = eval::make_request(caller, action, resource, "", unknown_request_context());
  if (!request) return eval::Answer{};
  return eval::decide(set, *request, {.explain = explain});
}

// Whose permissions a path on this resource raises, the resource as the raiser names it, and
// as the raised principal's own.
std::array<std::string, 3> describe(OwnResource own, std::string_view arn) {
  switch (own) {
    case OwnResource::user:
    case OwnResource::bounded_user:
      return {fmt::format("user `{}`", arn), "the user", fmt::format("`{}`", arn)};
    case OwnResource::role:
    case OwnResource::bounded_role:
      return {fmt::format("role `{}`", arn), "the role", fmt::format("`{}`", arn)};
    case OwnResource::groups:
      return {fmt::format("the members of group `{}`", arn), "the group", fmt::format("its group `{}`", arn)};
    default:
      return {fmt::format("the principals `{}` is attached to or bounds", arn), "the policy",
              fmt::format("`{}`, a managed policy of its own", arn)};
  }
}

// The export's resources of one kind an own path works on (OwnResources), each with the
// principals whose own it is, sorted by resource part: a raiser's patterns are looked up by
// their literal prefixes.
struct OwnedResources {
  struct Entry {
    std::string_view arn;               // the model's text
    std::vector<std::uint32_t> owners;  // sorted
    [[nodiscard]] std::string_view part() const { return resource_part(arn); }
  };
  std::vector<Entry> entries;
};

class RaiseFinder {
 public:
  // `question_limit`: this finder's share of kMaxRaiseQuestions.
  RaiseFinder(const Export& model, const PolicyIndex& index, std::span<const Standing> standings,
              std::size_t question_limit)
      : model_(model),
        index_(index),
        standings_(standings),
        own_(model),
        probe_(model, index),
        limit_(question_limit) {}

  // Asks every `stride`-th principal from `first`.
  RaiseSearch run(std::uint32_t first, std::uint32_t stride) {
    for (std::uint32_t i = first; i < model_.principals.size() && !spent(); i += stride) {
      const Principal& principal = model_.principals[i];
      if (principal.kind == PrincipalKind::group || principal.arn.empty() || standings_[i] != Standing::none) continue;
      ask(i, principal);
    }
    out_.questions_spent = spent();
    return std::move(out_);
  }

 private:
  bool spent() const { return questions_ > limit_; }

  // The first raiser whose named resources ran past kMaxRaisedResources for `action`.
  void cut(std::uint32_t at, std::string_view action) {
    if (!out_.cut_at) out_.cut_at = RaiseSearch::Cut{at, action};
  }

  void ask(std::uint32_t i, const Principal& principal) {
    const EffectivePolicies effective = index_.effective(principal);
    std::uint32_t named = 0;
    for (const eval::CompiledPolicy* policy : effective.set.identity) named |= paths_named(policy);
    if (named == 0) return;
    auto request = eval::make_request(principal.arn, "iam:GetUser", principal.arn, "", unknown_request_context());
    if (!request) return;
    const eval::Context& context = request->context;
    for (std::size_t p = 0; p < own_paths().size() && p < kMaxPaths; ++p) {
      if ((named & (1U << p)) == 0) continue;
      const OwnPath& path = own_paths()[p];
      const std::vector<std::size_t> candidates = named_resources(effective, path.action, path.own, context, i);
      // The path's request, made once and pointed at each resource in turn.
      auto path_request = eval::make_request(principal.arn, path.action, "*", "", unknown_request_context());
      for (const std::size_t c : candidates) {
        if (spent()) return;
        const OwnedResources::Entry& entry = resources(path.own).entries[c];
        std::vector<std::uint32_t> raised = entry.owners;
        std::erase(raised, i);
        if (raised.empty()) continue;
        ++questions_;
        if (!path_request || eval::retarget(*path_request, entry.arn)) continue;
        const eval::Answer answer = eval::decide(effective.set, *path_request, {.explain = false});
        if (!admitted(answer.decision)) continue;
        out_.raises.push_back(make_raise(i, std::move(raised), p, entry.arn, answer));
      }
    }
    if (principal.kind == PrincipalKind::role && (named & kAddsToGroupBit) != 0) {
      add_to_groups(i, principal, effective, context);
    }
  }

  // Which paths (bit p: own_paths()[p]; kAddsToGroupBit) an Allow statement of the policy names
  // on an IAM resource by ARN, kept per policy: most principals' policies name none, and are
  // passed over without a question.
  static constexpr std::uint32_t kAddsToGroupBit = 1U << 31;
  static constexpr std::size_t kMaxPaths = 31;  // the data file's own paths (11) each take a bit below it
  std::uint32_t paths_named(const eval::CompiledPolicy* policy) {
    const auto [it, fresh] = paths_named_.try_emplace(policy, 0);
    if (!fresh) return it->second;
    const auto names = [&](std::string_view action) {
      const std::string_view name = action.substr(action.find(':') + 1);
      for (const std::uint32_t s : policy->candidates("iam")) {
        const eval::CompiledStatement& statement = policy->statements()[s];
        if (statement.deny || !statement.resource_present || statement.not_resource ||
            !eval::covers_action(statement, "iam", name)) {
          continue;
        }
        for (const eval::CompiledResource& resource : statement.resources) {
          if (resource.form == eval::CompiledResource::Form::arn) return true;
        }
      }
      return false;
    };
    for (std::size_t p = 0; p < own_paths().size() && p < kMaxPaths; ++p) {
      if (names(own_paths()[p].action)) it->second |= 1U << p;
    }
    if (names("iam:AddUserToGroup")) it->second |= kAddsToGroupBit;
    return it->second;
  }

  // A role allowed iam:AddUserToGroup on a group whose members are privileged: whoever acts as
  // it adds any user of theirs. (A user allowed it adds itself: the reach pass asks it so.)
  void add_to_groups(std::uint32_t i, const Principal& role, const EffectivePolicies& effective,
                     const eval::Context& context) {
    const std::vector<std::size_t> candidates = named_groups(effective, context, i);
    for (const std::size_t c : candidates) {
      if (spent()) return;
      const Principal& group = *groups_[c].second;
      const PrivilegeProbe::Privilege& member = member_privilege(c);
      if (member.standing != Standing::administrator && member.standing != Standing::escalates) continue;
      ++questions_;
      const eval::Answer answer = decide_only(effective.set, role.arn, "iam:AddUserToGroup", group.arn);
      if (!admitted(answer.decision)) continue;
      Raise raise = make_raise(i, {}, kAddsToGroup, group.arn, answer);
      raise.conditional = raise.conditional || member.conditional;
      raise.keys.insert(member.keys.begin(), member.keys.end());
      raise.member = member.standing;
      out_.raises.push_back(std::move(raise));
      return;  // one group says it
    }
  }

  static Raise make_raise(std::uint32_t i, std::vector<std::uint32_t> raised, std::size_t path,
                          std::string_view resource, const eval::Answer& answer) {
    Raise raise{i, std::move(raised), path, resource};
    if (answer.decision == eval::Decision::conditional) {
      raise.conditional = true;
      eval::collect_dependencies(answer.allowed_if, raise.keys);
    }
    return raise;
  }

  // A statement whose condition on who the caller is refuses this caller is passed over: the
  // caller is the one thing a scan's requests know (aws:PrincipalArn against another role's).
  // So is a pattern naming every resource of its kind up to its first wildcard (`role/*`,
  // `role/*admin*`): the per-principal checks asked that one on every resource.
  template <typename Visit>
  static void visit_named_patterns(const EffectivePolicies& effective, std::string_view action,
                                   const eval::Context& context, Visit visit) {
    const std::string_view name = action.substr(action.find(':') + 1);
    for (const eval::CompiledPolicy* policy : effective.set.identity) {
      for (const std::uint32_t s : policy->candidates("iam")) {
        const eval::CompiledStatement& statement = policy->statements()[s];
        if (statement.deny || !statement.resource_present || statement.not_resource ||
            !eval::covers_action(statement, "iam", name) || refuses_caller(statement, context)) {
          continue;
        }
        for (const eval::CompiledResource& resource : statement.resources) {
          if (resource.form != eval::CompiledResource::Form::arn) continue;
          if (!eval::tokens_match(resource.head[1], "iam", false)) continue;
          const std::string prefix = literal_prefix(resource, context);
          const std::size_t type_end = prefix.find('/');
          if (type_end == std::string::npos || type_end + 1 == prefix.size()) continue;
          visit(prefix);
        }
      }
    }
  }

  static bool refuses_caller(const eval::CompiledStatement& statement, const eval::Context& context) {
    return std::ranges::any_of(statement.conditions, [&](const eval::CompiledCondition& condition) {
      const std::string_view key = condition.key;
      const bool of_caller = key.starts_with("aws:principal") || key == "aws:username" || key == "aws:userid";
      return of_caller && eval::evaluate_condition(condition, context).is_false();
    });
  }

  // The resources of `own`'s kind the principal's patterns for `action` may name, by index in
  // resources(own), at most kMaxRaisedResources (more: the search is cut there).
  std::vector<std::size_t> named_resources(const EffectivePolicies& effective, std::string_view action, OwnResource own,
                                           const eval::Context& context, std::uint32_t i) {
    const auto part = [](const OwnedResources::Entry& entry) { return entry.part(); };
    // Built once a raiser needs it.
    return named_in(
        effective, action, context, i, [&]() -> const auto& { return resources(own).entries; }, part);
  }

  // The same for the groups holding policies, for iam:AddUserToGroup (by index in groups_).
  std::vector<std::size_t> named_groups(const EffectivePolicies& effective, const eval::Context& context,
                                        std::uint32_t i) {
    const auto part = [](const auto& entry) { return entry.first; };
    return named_in(
        effective, "iam:AddUserToGroup", context, i,
        [&]() -> const auto& {
          if (!groups_ready_) list_groups();
          return groups_;
        },
        part);
  }

  // The indexes in a list sorted by resource part (`list()` gives it, made when first needed)
  // of the entries whose part begins with a literal prefix of the patterns for `action`.
  template <typename List, typename Part>
  std::vector<std::size_t> named_in(const EffectivePolicies& effective, std::string_view action,
                                    const eval::Context& context, std::uint32_t i, List list, Part part) {
    std::vector<std::size_t> out;
    visit_named_patterns(effective, action, context, [&](const std::string& prefix) {
      const auto& entries = list();
      auto it = std::ranges::lower_bound(entries, std::string_view(prefix), {}, part);
      for (; it != entries.end() && part(*it).starts_with(prefix); ++it) {
        const auto c = static_cast<std::size_t>(it - entries.begin());
        if (std::ranges::find(out, c) != out.end()) continue;
        if (out.size() == kMaxRaisedResources) return cut(i, action);
        out.push_back(c);
      }
    });
    return out;
  }

  // Built the first time a raiser names one: most exports have none.
  const OwnedResources& resources(OwnResource own) {
    std::optional<OwnedResources>& list = resources_[static_cast<std::size_t>(own)];
    if (list) return *list;
    std::unordered_map<std::string_view, std::vector<std::uint32_t>> owners;
    for (std::uint32_t i = 0; i < model_.principals.size(); ++i) {
      const Principal& principal = model_.principals[i];
      if (principal.kind == PrincipalKind::group || standings_[i] != Standing::none) continue;
      for (const std::string_view arn : own_.of(principal, own)) owners[arn].push_back(i);
    }
    list.emplace();
    list->entries.reserve(owners.size());
    for (auto& [arn, principals] : owners) list->entries.push_back({arn, std::move(principals)});
    std::ranges::sort(list->entries, {}, &OwnedResources::Entry::part);
    return *list;
  }

  void list_groups() {
    groups_ready_ = true;
    for (const Principal& principal : model_.principals) {
      if (principal.kind != PrincipalKind::group || principal.arn.empty()) continue;
      if (principal.inline_policies.empty() && principal.attached.empty()) continue;
      groups_.emplace_back(resource_part(principal.arn), &principal);
    }
    std::ranges::sort(groups_, {}, [](const auto& entry) { return entry.first; });
    member_.assign(groups_.size(), std::nullopt);
  }

  // What a user in the group would be with no policies of its own (its name is one no statement
  // is likely to read: the group's members are whoever the raiser adds).
  const PrivilegeProbe::Privilege& member_privilege(std::size_t c) {
    std::optional<PrivilegeProbe::Privilege>& known = member_[c];
    if (known) return *known;
    const Principal& group = *groups_[c].second;
    const auto fields = match::split_arn(group.arn);
    Principal member;
    member.source = group.source;
    member.kind = PrincipalKind::user;
    member.name = "grantlint-any-member";
    member.arn = fields ? fmt::format("arn:{}:iam::{}:user/{}", (*fields)[0], (*fields)[3], member.name) : "";
    member.arn_span = group.arn_span;
    member.groups.push_back(Reference{group.source, group.name, group.arn_span, ""});
    questions_ += 40;  // every probe of ACC101 and ACC102
    known = probe_.privilege(member);
    return *known;
  }

  const Export& model_;
  const PolicyIndex& index_;
  std::span<const Standing> standings_;
  OwnResources own_;
  PrivilegeProbe probe_;
  std::array<std::optional<OwnedResources>, 7> resources_;             // by OwnResource
  std::vector<std::pair<std::string_view, const Principal*>> groups_;  // holding policies, by resource part
  bool groups_ready_ = false;
  std::vector<std::optional<PrivilegeProbe::Privilege>> member_;  // by groups_ index
  std::size_t limit_;
  std::size_t questions_ = 0;
  std::unordered_map<const eval::CompiledPolicy*, std::uint32_t> paths_named_;
  RaiseSearch out_;
};

}  // namespace

std::string raiser_is(const Raise& raise) {
  if (raise.path == kAddsToGroup) {
    return fmt::format(
        "can add any user to group `{}` (add-user-to-group), as whose member a user would be {}", raise.resource,
        raise.member == Standing::administrator ? "allowed everything" : "able to raise its own permissions");
  }
  const OwnPath& path = own_paths()[raise.path];
  const auto [whose, on, on_own] = describe(path.own, raise.resource);
  return fmt::format("can raise the permissions of {} ({}): it is allowed `{}` on {}", whose, path.name, path.action,
                     on);
}

std::string raised_is(const Raise& raise) {
  const OwnPath& path = own_paths()[raise.path];
  const auto [whose, on, on_own] = describe(path.own, raise.resource);
  return fmt::format("is one whose permissions it can raise ({}): it is allowed `{}` on {}", path.name, path.action,
                     on_own);
}

std::vector<RelatedLocation> raise_statements(const Raise& raise, const Export& model, const PolicyIndex& index) {
  std::vector<RelatedLocation> out;
  const Principal& raiser = model.principals[raise.raiser];
  const EffectivePolicies effective = index.effective(raiser);
  const std::string_view action = raise.path == kAddsToGroup ? "iam:AddUserToGroup" : own_paths()[raise.path].action;
  note_allowing_statements(decide_only(effective.set, raiser.arn, action, raise.resource, true), effective, nullptr,
                           out, action);
  for (RelatedLocation& related : out) {
    related.message = fmt::format("{} `{}`: {}", kind_name(raiser.kind), raiser.arn, related.message);
  }
  if (raise.path == kAddsToGroup) {
    for (const Principal& group : model.principals) {
      if (group.kind != PrincipalKind::group || group.arn != raise.resource) continue;
      out.push_back(RelatedLocation{Location{group.source, group.arn_span}, "the group"});
      break;
    }
  }
  return out;
}

RaiseSearch find_raises(const Export& model, const PolicyIndex& index, std::span<const Standing> standings,
                        unsigned threads) {
  if (standings.size() != model.principals.size()) return {};
  // The principals are shared among the threads, each finder keeping its own lists, and the
  // raises put back in the principals' order. Where a budget that runs out stops depends on the
  // sharing: a search that runs out on several threads is asked again on one, so that the
  // findings are the same for any number.
  const auto workers =
      static_cast<std::uint32_t>(std::clamp<std::size_t>(model.principals.size() / 256, 1, std::max(1u, threads)));
  if (workers > 1) {
    std::vector<RaiseSearch> parts(workers);
    run_in_parts(workers, workers, 1, [&](std::size_t begin, std::size_t end) {
      for (std::size_t w = begin; w < end; ++w) {
        parts[w] = RaiseFinder(model, index, standings, kMaxRaiseQuestions / workers)
                       .run(static_cast<std::uint32_t>(w), workers);
      }
    });
    if (std::ranges::none_of(parts, &RaiseSearch::questions_spent)) {
      RaiseSearch out;
      std::vector<Raise> all;
      for (RaiseSearch& part : parts) {
        std::ranges::move(part.raises, std::back_inserter(all));
        if (part.cut_at && (!out.cut_at || part.cut_at->raiser < out.cut_at->raiser)) out.cut_at = part.cut_at;
      }
      // By raiser, each raiser's in the order found (not std::stable_sort, which clang refuses
      // on libstdc++ 12's deprecated temporary buffer).
      std::vector<std::size_t> order(all.size());
      std::iota(order.begin(), order.end(), std::size_t{0});
      std::ranges::sort(order, [&](std::size_t a, std::size_t b) {
        return std::pair(all[a].raiser, a) < std::pair(all[b].raiser, b);
      });
      out.raises.reserve(all.size());
      for (const std::size_t k : order) out.raises.push_back(std::move(all[k]));
      return out;
    }
  }
  return RaiseFinder(model, index, standings, kMaxRaiseQuestions).run(0, 1);
}

}  // namespace grantlint::account
