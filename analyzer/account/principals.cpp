#include "account/principals.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "account/export_keys.h"
#include "account/own_resources.h"
#include "base/bit_set.h"
#include "base/string_map.h"
#include "base/strings.h"
#include "catalog/catalog.h"
#include "catalog/every_resource.h"
#include "checks/sensitive.h"
#include "checks/statement_scope.h"
#include "diag/contain.h"
#include "eval/decide.h"
#include "eval/principal.h"
#include "match/arn.h"
#include "match/glob.h"
#include "rules/registry.h"

namespace grantlint::account {

extern const char kPrivilegeEscalation[];
extern const std::size_t kPrivilegeEscalationSize;

eval::Context unknown_request_context() {
  eval::Context context;
  context.mark_unknown("*");
  context.keep_derived_keys();
  return context;
}

namespace {

// One action of each of these services on every resource stands for "everything".
constexpr std::string_view kAdministratorProbes[] = {
    "iam:CreateUser",         "iam:PutRolePolicy",       "ec2:RunInstances",
    "s3:DeleteBucket",        "kms:ScheduleKeyDeletion", "organizations:LeaveOrganization",
    "sts:AssumeRole",         "lambda:CreateFunction",   "dynamodb:DeleteTable",
    "cloudtrail:StopLogging",
};

constexpr std::string_view kPassRole = "iam:PassRole";

// A probed action and its number among all of them. iam:PassRole may be probed for passing
// to one service (`iam:PassedToService`): a probe of its own, numbered under `PassRole>service`.
struct Probe {
  std::string_view action;
  std::size_t number = 0;
  std::string_view passed_to = {};
};

constexpr char kPassedToSeparator = '>';

std::string probe_key(std::string_view action, std::string_view passed_to) {
  return passed_to.empty() ? std::string(action) : fmt::format("{}{}{}", action, kPassedToSeparator, passed_to);
}

std::string_view action_of_probe_key(std::string_view key) { return key.substr(0, key.find(kPassedToSeparator)); }

struct EscalationPath {
  std::string_view name;
  std::vector<std::string_view> actions;
  std::string_view how;
  OwnResource own = OwnResource::none;  // a one-action path's: the principal's own resources it raises it on
  std::string_view passed_to = {};      // the service its iam:PassRole passes the role to, if any
  // The one kind of principal whose permissions it raises (a user's group, a role's policy);
  // none when it raises any principal's, the one allowed it among them.
  std::optional<PrincipalKind> raises = std::nullopt;

  // Whether a principal allowed the path on `*` raises its own permissions with it, not only
  // those of principals of another kind (a role allowed iam:AddUserToGroup joins no group).
  [[nodiscard]] bool raises_own(PrincipalKind kind) const { return !raises || *raises == kind; }
  // The same for one principal: a path on groups raises a user's own only when it is in one
  // (a user in no group allowed iam:PutGroupPolicy on `*` raises its members', x59 L3).
  [[nodiscard]] bool raises_own(const Principal& principal) const {
    return raises_own(principal.kind) && (own != OwnResource::groups || !principal.groups.empty());
  }

  // What a probe of `action` on this path carries as `iam:PassedToService`: nothing but for PassRole.
  [[nodiscard]] std::string_view passed_to_by(std::string_view action) const {
    return action == kPassRole ? passed_to : std::string_view();
  }
};

// iam:SetDefaultPolicyVersion alone: it gains only what another version of a policy holds.
bool switches_versions(const EscalationPath& path) {
  return path.actions.size() == 1 && path.actions.front() == "iam:SetDefaultPolicyVersion";
}

const std::vector<EscalationPath>& escalation_paths() {
  static const std::vector<EscalationPath> paths = [] {
    std::vector<EscalationPath> out;
    const std::string_view text(kPrivilegeEscalation, kPrivilegeEscalationSize);
    for (std::size_t start = 0; start < text.size();) {
      auto end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = text.substr(start, end - start);
      start = end + 1;
      if (line.empty() || line.front() == '#') continue;
      const auto tab1 = line.find('\t');
      const auto tab2 = line.find('\t', tab1 + 1);
      const auto tab3 = line.find('\t', tab2 + 1);
      const auto tab4 = line.find('\t', tab3 + 1);
      const auto tab5 = line.find('\t', tab4 + 1);
      if (tab1 == std::string_view::npos || tab2 == std::string_view::npos || tab3 == std::string_view::npos ||
          tab4 == std::string_view::npos || tab5 == std::string_view::npos) {
        continue;  // the data file is tested
      }
      EscalationPath path{line.substr(0, tab1), split_words(line.substr(tab1 + 1, tab2 - tab1 - 1)),
                          line.substr(tab2 + 1, tab3 - tab2 - 1)};
      path.own = own_resource_named(line.substr(tab3 + 1, tab4 - tab3 - 1)).value_or(OwnResource::none);
      if (const std::string_view passed = line.substr(tab4 + 1, tab5 - tab4 - 1); passed != "-") {
        path.passed_to = passed;
      }
      if (const std::string_view raises = line.substr(tab5 + 1); raises == "users") {
        path.raises = PrincipalKind::user;
      } else if (raises == "roles") {
        path.raises = PrincipalKind::role;
      }
      if (path.actions.size() != 1) path.own = OwnResource::none;
      out.push_back(std::move(path));
    }
    return out;
  }();
  return paths;
}

// Whether the export lists the managed policies on every page and no customer managed policy
// of it has a version besides its default (AWS's own cannot be switched by a customer).
bool holds_no_other_version(const Export& model) {
  constexpr std::uint8_t kPolicies = 1U << 3;  // kListKeys[3]
  static_assert(kListKeys[3] == "Policies");
  if (model.page_ends.empty()) return false;
  for (const Export::PageEnd& page : model.page_ends) {
    if ((page.lists_named & kPolicies) == 0 || page.truncated || page.unread_from || !page.skipped.empty()) {
      return false;
    }
  }
  if (std::ranges::any_of(model.policies, [](const ManagedPolicy& policy) {
        return !is_aws_managed(policy.arn) && policy.versions.size() > 1;
      })) {
    return false;
  }
  // A customer managed policy a principal attaches that the export lacks (ACC003) may have
  // other versions (x59 M1).
  std::unordered_set<std::string_view> listed;
  for (const ManagedPolicy& policy : model.policies) listed.insert(policy.arn);
  const auto unlisted = [&](const Reference& policy) {
    return !is_aws_managed(policy.target) && !listed.contains(policy.target);
  };
  return std::ranges::none_of(model.principals, [&](const Principal& principal) {
    return std::ranges::any_of(principal.attached, unlisted) || (principal.boundary && unlisted(*principal.boundary));
  });
}

// One account a `Like` pattern of `aws:PrincipalAccount` admits (`4444555566*`: 444455556600):
// each `?` a digit, the first `*` as many as the 12 need, the others none; empty when no
// account fits.
std::string account_matching(std::string_view pattern) {
  const auto fixed = static_cast<std::size_t>(std::ranges::count_if(pattern, [](char c) { return c != '*'; }));
  if (fixed > 12) return {};
  std::string out;
  bool padded = false;
  for (const char c : pattern) {
    if (c == '?') {
      out += '0';
    } else if (c != '*') {
      out += c;
    } else if (!padded) {
      out.append(12 - fixed, '0');
      padded = true;
    }
  }
  return is_account_id(out) ? out : std::string{};
}

// What "allowed on every resource" stands for (catalog/every_resource.h), in the caller's
// partition and account. The probe is a request on `*` (so that the gates of key and trust
// policies stay out of an identity-policy question) that a Resource pattern matches only when
// it takes them all. None for an action without resource types (`*` is the only resource it
// takes), or for a caller whose ARN does not parse.
// Each resource type's resources in turn, where each ends (Request::stands_for_type_ends).
struct ProbeResources {
  std::vector<eval::ResourceView> views;
  std::vector<std::uint32_t> type_ends;
};
ProbeResources probe_resources(std::string_view action, std::string_view partition, std::string_view account) {
  const auto colon = action.find(':');
  if (colon == std::string_view::npos || account.empty()) return {};
  const catalog::Service* service = catalog::Catalog::builtin().find_service(action.substr(0, colon));
  const catalog::Action* found = service != nullptr ? service->find_action(action.substr(colon + 1)) : nullptr;
  if (found == nullptr) return {};
  ProbeResources out;
  for (const std::vector<std::string>& type :
       catalog::every_resource_of_action_by_type(*service, *found, partition, account)) {
    for (const std::string& arn : type) {
      auto view = eval::resource_view(arn);
      if (!view) return {};
      out.views.push_back(std::move(*view));
    }
    out.type_ends.push_back(static_cast<std::uint32_t>(out.views.size()));
  }
  return out;
}

class PrincipalChecker {
 public:
  PrincipalChecker(const Export& model, const PolicyIndex& index, DiagnosticSink& sink, Progress* progress)
      : model_(model),
        sink_(sink),
        index_(index),
        own_resources_(model),
        progress_(progress),
        no_other_version_(holds_no_other_version(model)) {}

  // Checks the principals with indexes begin, begin + step, ...; what each is found to be goes
  // to its element of `standings` (sized for them all).
  void run(std::size_t begin, std::size_t step, std::span<Standing> standings) {
    for (std::size_t i = begin; i < model_.principals.size(); i += step) {
      const Principal& principal = model_.principals[i];
      if (progress_ != nullptr) progress_->advance();
      if (principal.kind == PrincipalKind::group || principal.arn.empty()) continue;
      standing_ = &standings[i];
      contained(sink_, principal.source, [&] { return fmt::format("the permissions of `{}`", principal.arn); }, [&] {
        fault_point(principal.arn);
        check(principal);
      });
      standing_ = nullptr;
    }
  }

  // What a principal, one the export holds or not, is allowed: everything, or a path of
  // escalation on every resource (PrivilegeProbe).
  PrivilegeProbe::Privilege privilege(const Principal& principal, const EffectivePolicies* given = nullptr) {
    PrivilegeProbe::Privilege out;
    const auto effective = begin(principal, given);
    if (!effective) return out;
    const auto take = [&](Standing standing, Verdict& verdict) {
      out.standing = standing;
      out.conditional = verdict.conditional || !missing_policy_caveat(*effective, principal).empty();
      out.keys = std::move(verdict.keys);
    };
    if (Verdict admin = all_allowed(principal, probe_lists().administrator, *effective); admin.holds) {
      take(Standing::administrator, admin);
      return out;
    }
    // A path of its own kind outright is the answer; one that raises others' permissions only is
    // kept while none of its own kind holds.
    for (std::size_t i = 0; i < escalation_paths().size(); ++i) {
      if (no_other_version_ && switches_versions(escalation_paths()[i])) continue;
      const bool own = escalation_paths()[i].raises_own(principal);
      // A user in no group and a path on groups: it raises nobody it can pass them on to.
      if (!own && escalation_paths()[i].raises_own(principal.kind)) continue;
      if (!own && out.standing == Standing::escalates) continue;
      Verdict escalation = all_allowed(principal, probe_lists().escalation[i], *effective);
      if (!escalation.holds) continue;
      if (out.standing == Standing::escalates && escalation.conditional) continue;
      if (out.standing == Standing::raises_others && !own && escalation.conditional) continue;
      take(own ? Standing::escalates : Standing::raises_others, escalation);
      if (own && !out.conditional) break;
    }
    return out;
  }

  // Whether a principal is allowed each action on every resource it takes.
  std::vector<eval::Decision> everywhere(const Principal& principal, std::span<const std::string_view> actions) {
    std::vector<eval::Decision> out(actions.size(), eval::Decision::implicit_deny);
    const auto effective = begin(principal);
    if (!effective) return out;
    for (std::size_t i = 0; i < actions.size(); ++i) {
      const auto it = probe_numbers().find(std::string(actions[i]));
      out[i] = it == probe_numbers().end() ? ask(principal, Probe{actions[i]}, effective->set, false).decision
                                           : decision(principal, Probe{actions[i], it->second}, effective->set);
    }
    return out;
  }

 private:
  // Whether the principal is allowed `action`. Principals with the same policies get the
  // same decisions, unless a statement that names the probe reads who the caller is (a
  // principal key or a policy variable): then each is asked itself. Decisions are kept a byte per probed action for
  // each set of policies, and not without bound.
  eval::Decision decision(const Principal& principal, const Probe& probe, const eval::PolicySet& set) {
    const auto decide = [&] {
      return composable_ ? combined(principal, probe, set) : ask(principal, probe, set, false).decision;
    };
    if (composable_ && !named_[probe.number]) return eval::Decision::implicit_deny;
    if (memo_ == nullptr || reads_named_[probe.number]) return decide();
    std::uint8_t& known = memo_->decisions[probe.number];
    if (known == 0) known = static_cast<std::uint8_t>(decide()) + 1;
    return static_cast<eval::Decision>(known - 1);
  }

  // Without a Deny statement that names the probe, the principal's decision follows from what
  // each of its policies decides alone (alone(): most policies are asked once per class of
  // caller, not once per principal): allowed when an identity policy allows and so does a
  // boundary (any of them, read as one set, as decide() does); denied when no identity policy
  // or no boundary allows; otherwise conditional. That last step holds because formulas
  // simplify constants only (a disjunction of conditions is never `true`; eval_test checks it).
  eval::Decision combined(const Principal& principal, const Probe& probe, const eval::PolicySet& set) {
    const std::size_t number = probe.number;
    const auto everything = [&] { return ask(principal, probe, set, false).decision; };
    if (deny_named_[number]) return everything();
    // Over one list of policies: allowed if one allows, denied if none may, else conditional.
    const auto any_allows = [&](const std::vector<const eval::CompiledPolicy*>& policies) {
      eval::Decision out = eval::Decision::implicit_deny;
      for (const eval::CompiledPolicy* policy : policies) {
        // Without an Allow that names the probe (nor a Deny: deny_named_), a policy alone denies it.
        if (!probes(policy).allow_named[number]) continue;
        const eval::Decision decision = alone(principal, probe, policy);
        if (decision == eval::Decision::allowed) return decision;
        if (decision == eval::Decision::conditional) out = decision;
      }
      return out;
    };
    const eval::Decision identity = any_allows(set.identity);
    if (identity == eval::Decision::implicit_deny || set.boundary.empty()) return identity;
    const eval::Decision boundary = any_allows(set.boundary);
    if (boundary == eval::Decision::implicit_deny) return boundary;
    return identity == eval::Decision::allowed && boundary == eval::Decision::allowed ? eval::Decision::allowed
                                                                                      : eval::Decision::conditional;
  }

  // What one policy alone decides for a probe: kept per class of caller (its kind and account),
  // or asked for this principal when a statement of it that names the probe reads who the caller is.
  eval::Decision alone(const Principal& principal, const Probe& probe, const eval::CompiledPolicy* policy) {
    const std::size_t number = probe.number;
    eval::PolicySet single;
    single.identity.push_back(policy);
    PolicyProbes& of_policy = probes(policy);
    if (of_policy.reads_caller_named[number]) return ask(principal, probe, single, false).decision;
    std::vector<std::vector<std::uint8_t>>& by_class = of_policy.alone;
    if (by_class.size() <= caller_class_) by_class.resize(caller_class_ + 1);
    std::vector<std::uint8_t>& known = by_class[caller_class_];
    if (known.empty()) known.assign(probe_numbers().size(), 0);
    if (known[number] == 0)
      known[number] = static_cast<std::uint8_t>(ask(principal, probe, single, false).decision) + 1;
    return static_cast<eval::Decision>(known[number] - 1);
  }

  // What decision() answers, with its explanation (the statements that decided), kept alike:
  // only for the probes a principal passes, which its findings explain.
  const eval::Answer& explained(const Principal& principal, const Probe& probe, const eval::PolicySet& set) {
    if (memo_ == nullptr || reads_named_[probe.number]) {
      own_answer_ = ask(principal, probe, set, true);
      return own_answer_;
    }
    if (const auto it = memo_->answers.find(probe.number); it != memo_->answers.end()) return it->second;
    // Asked before it is kept: an answer that throws leaves nothing behind.
    eval::Answer answer = ask(principal, probe, set, true);
    return memo_->answers.emplace(probe.number, std::move(answer)).first->second;
  }

  // Every action the checks probe, numbered.
  static const StringMap<std::size_t>& probe_numbers() {
    static const StringMap<std::size_t> numbers = [] {
      StringMap<std::size_t> out;
      const auto add = [&](std::string_view action) { out.try_emplace(std::string(action), out.size()); };
      for (const std::string_view action : kAdministratorProbes) add(action);
      for (const EscalationPath& path : escalation_paths()) {
        for (const std::string_view action : path.actions) add(probe_key(action, path.passed_to_by(action)));
      }
      add(kPassRole);
      for (const checks::Category& category : checks::sensitive_categories()) {
        for (const std::string& action : category.actions) add(action);
      }
      for (const std::string& action : checks::permissions_management_actions()) add(action);
      return out;
    }();
    return numbers;
  }

  // The probes of each check, numbered once rather than looked up per principal.
  struct ProbeLists {
    std::vector<Probe> administrator;
    std::vector<std::vector<Probe>> escalation;  // parallel to escalation_paths()
    std::vector<Probe> pass_role;
    std::vector<std::vector<Probe>> sensitive;  // parallel to checks::sensitive_categories()
    std::vector<Probe> permissions_management;  // checks::permissions_management_actions()
  };

  static const ProbeLists& probe_lists() {
    static const ProbeLists lists = [] {
      const auto numbered = [](const auto& actions, const EscalationPath* path = nullptr) {
        std::vector<Probe> out;
        for (const auto& action : actions) {
          const std::string_view passed = path != nullptr ? path->passed_to_by(action) : std::string_view();
          out.push_back(Probe{action, probe_numbers().find(probe_key(action, passed))->second, passed});
        }
        return out;
      };
      ProbeLists out;
      out.administrator = numbered(kAdministratorProbes);
      for (const EscalationPath& path : escalation_paths()) out.escalation.push_back(numbered(path.actions, &path));
      out.pass_role = numbered(std::array{kPassRole});
      for (const checks::Category& category : checks::sensitive_categories()) {
        out.sensitive.push_back(numbered(category.actions));
      }
      out.permissions_management = numbered(checks::permissions_management_actions());
      return out;
    }();
    return lists;
  }

  // What a compiled policy does with each probe, by probe number: whether an Allow statement
  // names it in its Action (or leaves it out of its NotAction), whether a Deny statement does,
  // and what the policy alone decides, by class of caller (0: not asked yet, else the
  // decision + 1). A probe that none of a principal's identity policies allows by name is
  // denied whatever their resources, conditions and boundary say, so it is not asked: most
  // probes of most principals end here.
  struct PolicyProbes {
    BitSet allow_named;
    BitSet deny_named;
    BitSet reads_caller_named;                     // a statement that names the probe reads who the caller is
    std::vector<std::vector<std::uint8_t>> alone;  // by caller class
  };

  PolicyProbes& probes(const eval::CompiledPolicy* policy) {
    const auto [it, fresh] = probes_.try_emplace(policy);
    if (!fresh) return it->second;
    it->second.allow_named.reset(probe_numbers().size());
    it->second.deny_named.reset(probe_numbers().size());
    it->second.reads_caller_named.reset(probe_numbers().size());
    for (const auto& [service, named] : probes_by_service()) {
      for (const std::uint32_t i : policy->candidates(service)) {
        const eval::CompiledStatement& statement = policy->statements()[i];
        const bool reads = reads_caller(statement);
        for (const auto& [name, number] : named) {
          if (!eval::covers_action(statement, service, name)) continue;
          (statement.deny ? it->second.deny_named : it->second.allow_named).set(number);
          if (reads) it->second.reads_caller_named.set(number);
        }
      }
    }
    return it->second;
  }

  // The probe numbers by service (lower case) and action name: a policy's candidate
  // statements are looked up once per service, not once per probe (there are hundreds).
  static const std::map<std::string, std::vector<std::pair<std::string_view, std::size_t>>>& probes_by_service() {
    static const auto by_service = [] {
      std::map<std::string, std::vector<std::pair<std::string_view, std::size_t>>> out;
      for (const auto& [key, number] : probe_numbers()) {
        const std::string_view action = action_of_probe_key(key);
        const auto colon = action.find(':');
        if (colon == std::string::npos) continue;  // never asked (see ask)
        out[ascii_lower(action.substr(0, colon))].emplace_back(action.substr(colon + 1), number);
      }
      return out;
    }();
    return by_service;
  }

  // Whether `action` is allowed on every resource it takes (probe_resources()). A request for
  // each service the probes name is built once per principal; the probes of one service
  // differ only in the action name and the resources it stands for.
  eval::Answer ask(const Principal& principal, const Probe& probe, const eval::PolicySet& set, bool explain) {
    const std::string_view action = probe.action;
    const auto colon = action.find(':');
    if (colon == std::string_view::npos) return eval::Answer{};  // the data files are tested; never a crash
    const std::string_view service = action.substr(0, colon);
    auto it = requests_.find(service);
    if (it == requests_.end()) {
      auto request = eval::make_request(principal.arn, action, "*", "", unknown_request_context());
      if (!request) return eval::Answer{};
      it = requests_.emplace(std::string(service), std::move(*request)).first;
    }
    auto [resources, fresh] = probe_resources_.try_emplace(action);
    if (fresh) resources->second = probe_resources(action, caller_partition_, caller_account_);
    eval::Request& request = it->second;
    request.action = std::string(action);
    request.action_name = std::string(action.substr(service.size() + 1));
    request.stands_for = resources->second.views;
    request.stands_for_type_ends = resources->second.type_ends;
    if (probe.passed_to.empty()) return eval::decide(set, request, {.explain = explain});
    // The request is kept for the service's other probes, which pass to no service known.
    request.context.set("iam:PassedToService", std::string(probe.passed_to));
    struct Forget {
      eval::Context& context;
      ~Forget() { context.forget("iam:PassedToService"); }
    } forget{request.context};
    return eval::decide(set, request, {.explain = explain});
  }

  // iam:PassRole on every role, passing to a service that no policy names.
  eval::Answer ask_passing_to_unnamed_service(const Principal& principal, const eval::PolicySet& set) {
    static constexpr std::string_view kUnnamedService = "grantlint-unnamed-probe.amazonaws.com";
    ask(principal, Probe{kPassRole}, set, false);  // builds the request of `iam`, standing for every role
    const auto it = requests_.find(kPassRole.substr(0, kPassRole.find(':')));
    if (it == requests_.end()) return eval::Answer{};
    eval::Request request = it->second;
    request.context.set("iam:PassedToService", std::string(kUnnamedService));
    return eval::decide(set, request);
  }

  // Every probe allowed: yes; some only under conditions: the keys; any denied: nullopt.
  struct Verdict {
    bool holds = false;
    bool conditional = false;
    std::set<std::string> keys;
    std::vector<RelatedLocation> because;
  };

  Verdict all_allowed(const Principal& principal, std::span<const Probe> probes, const EffectivePolicies& effective) {
    // Decisions only first: most principals fail a probe, and explanations cost. One that no
    // Allow statement of its identity policies names is refused, whatever else they hold (as
    // decision() says too, for the callers whose decisions are composed: users and roles).
    for (const Probe& probe : probes) {
      if (composable_ && !named_[probe.number]) return Verdict{};
      const eval::Decision decision = this->decision(principal, probe, effective.set);
      if (decision != eval::Decision::allowed && decision != eval::Decision::conditional) return Verdict{};
    }
    Verdict verdict;
    for (const Probe& probe : probes) {
      const eval::Answer& answer = explained(principal, probe, effective.set);
      // The whole set, asked: it has the last word over a composed decision.
      if (answer.decision != eval::Decision::allowed && answer.decision != eval::Decision::conditional) return Verdict{};
      if (answer.decision == eval::Decision::conditional) {
        verdict.conditional = true;
        eval::collect_dependencies(answer.allowed_if, verdict.keys);
      }
      note_statements(answer, effective, verdict.because, probe.action);
    }
    verdict.holds = true;
    return verdict;
  }

  // The Allow statements that granted, as related locations (a few of them).
  void note_statements(const eval::Answer& answer, const EffectivePolicies& effective,
                       std::vector<RelatedLocation>& out, std::string_view action) const {
    for (const eval::StatementTrace& trace : answer.statements) {
      const policy::Statement& statement = trace.policy->document().statements[trace.statement];
      if (statement.effect != policy::Effect::allow || trace.outcome == eval::StatementTrace::Outcome::no_match)
        continue;
      if (out.size() >= 5) return;
      if (auto builtin = builtin_allows(effective, trace.policy, action)) {
        // grantlint's copy of an AWS managed policy the export lacks: said at its attachment.
        const bool known =
            std::ranges::any_of(out, [&](const RelatedLocation& r) { return r.location == builtin->location; });
        if (!known) out.push_back(std::move(*builtin));
        continue;
      }
      const Location at = statement_location(effective.copies.at(trace.policy), statement);
      const bool known = std::ranges::any_of(out, [&](const RelatedLocation& r) { return r.location == at; });
      if (!known) out.push_back(RelatedLocation{at, fmt::format("allows `{}`", action)});
    }
  }

  // `raises`: what an ACC102 warning makes the principal; raises_others for a path that raises
  // the permissions of principals of another kind only, none for one that raises nobody it
  // can pass them on to (a user in no group allowed iam:PutGroupPolicy on `*`).
  void report(const Principal& principal, const RuleMeta& rule, Level level, std::string message,
              std::vector<RelatedLocation> related, Standing raises = Standing::escalates) {
    // A boundary or an attached policy the export does not hold (ACC003), or holds with a
    // document that could not be read, may refuse what the principal's other policies allow, so
    // its findings are notes that say so.
    const bool of_permissions = &rule == &rules::kEffectiveAdministrator || &rule == &rules::kPrivilegeEscalation ||
                                &rule == &rules::kUnconstrainedPassRole || &rule == &rules::kSensitiveAccess ||
                                &rule == &rules::kPermissionsManagementAccess;
    if (of_permissions && !caveat_.empty()) {
      const bool privileged = &rule == &rules::kEffectiveAdministrator || &rule == &rules::kPrivilegeEscalation;
      if (standing_ != nullptr && privileged && level == Level::warning && *standing_ == Standing::none) {
        *standing_ = Standing::noted;
      }
      level = Level::note;
      message += caveat_;
    }
    if (standing_ != nullptr && level == Level::warning) {
      if (&rule == &rules::kEffectiveAdministrator) *standing_ = Standing::administrator;
      if (&rule == &rules::kPrivilegeEscalation && *standing_ != Standing::administrator) {
        if (raises == Standing::escalates) {
          *standing_ = Standing::escalates;
        } else if (*standing_ == Standing::none) {
          *standing_ = raises;
        }
      }
    }
    // The principal's name and ARN are the user's text, cut as the emitter cuts it.
    for (RelatedLocation& r : related) r.message = clip_long_quotes(std::move(r.message));
    Diagnostic diagnostic{&rule,
                          level,
                          clip_long_quotes(std::move(message)),
                          Location{principal.source, principal.arn_span},
                          principal.pointer + "/Arn",
                          "",
                          std::move(related),
                          {}};
    diagnostic.logical.push_back(
        LogicalLocation{clip_long_name(principal.name), clip_long_name(principal.arn), "resource"});
    sink_.report(std::move(diagnostic));
  }

  static std::string condition_note(const std::set<std::string>& keys) {
    return fmt::format(" only under conditions on {}", backticked(keys));
  }

  // The keys a trust condition must test for the role not to be open to an account, with a
  // value somewhere in the policy that narrows them (not `*`, nor the caller's own value:
  // `${aws:PrincipalOrgID}` holds for every caller). A resource key compared with the caller's
  // own (`aws:ResourceOrgID` = `${aws:PrincipalOrgID}`) admits the role's own organization only,
  // as RES001 takes it.
  static constexpr std::string_view kIdentifying[] = {"sts:externalid",   "aws:principalorgid", "aws:principalorgpaths",
                                                      "aws:principalarn", "aws:sourceaccount",  "aws:sourcearn",
                                                      "aws:sourceorgid",  "aws:userid",         "aws:principalaccount"};
  static bool is_identifying(std::string_view key) {
    return std::ranges::any_of(kIdentifying, [&](std::string_view known) { return iequals(known, key); });
  }
  static bool ties_to_owner(const policy::Document& trust) {
    return std::ranges::any_of(trust.statements, [](const policy::Statement& statement) {
      return statement.effect == policy::Effect::allow && checks::covers_action(statement, "sts:AssumeRole") &&
             checks::ties_caller_to_owner(statement);
    });
  }
  static bool identifies_caller(const std::set<std::string>& keys, const policy::Document& trust) {
    if (ties_to_owner(trust)) return true;
    // An Allow of sts:AssumeRole that asks for a narrowing value, or a Deny that refuses any
    // other (`StringNotEquals aws:PrincipalOrgID o-...`, the key present or not).
    const auto narrowed = [&](const std::string& key) {
      return std::ranges::any_of(trust.statements, [&](const policy::Statement& statement) {
        if (!checks::covers_action(statement, "sts:AssumeRole")) return false;
        // An AWS principal's `sts:AssumeRole` always carries its ARN and account.
        const bool always_present = iequals(key, "aws:PrincipalArn") || iequals(key, "aws:PrincipalAccount");
        if (statement.effect == policy::Effect::allow) {
          return checks::has_scoping_condition(statement, key, always_present);
        }
        return std::ranges::any_of(statement.conditions, [&](const policy::ConditionEntry& entry) {
          // `IfExists` refuses those without the key too.
          const bool refuses_others = entry.op.negated() && entry.op.set_prefix != "ForAllValues";
          return refuses_others && iequals(entry.key, key) &&
                 std::ranges::any_of(entry.values,
                                     [&](const policy::Text& value) { return checks::narrows(key, value.value); });
        });
      });
    };
    return std::ranges::any_of(keys, [&](const std::string& key) { return is_identifying(key) && narrowed(key); });
  }

  // Whether an operator compares the caller's value with values written (`StringEquals`,
  // `ArnNotLike`, ...), as a test of who calls must: `NumericGreaterThan` names no value.
  static bool compares_values(const policy::ConditionOperator& op) {
    return checks::names_values(op) || (op.negated() && (op.base.starts_with("String") || op.base.starts_with("Arn")));
  }

  // What a trust policy's conditional answer is for a caller that holds none of the narrowing
  // values of the identifying keys (the attacker of a confused deputy): a condition on such a
  // key whose values all narrow is false under a positive operator and true under a `Not` one
  // (with `IfExists` too, the key absent); a positive `IfExists` is read as the plain operator
  // only for keys every `sts:AssumeRole` carries (a caller may leave out `sts:ExternalId`);
  // `Null` and `ForAllValues` stay unknown.
  static bool admits_unidentified(const eval::Tri& allowed_if) {
    const eval::Tri settled = eval::settle(allowed_if, [](const eval::Atom& atom) -> std::optional<bool> {
      if (atom.kind != eval::Atom::Kind::condition) return std::nullopt;
      const policy::ConditionEntry& entry = atom.policy->document().statements[atom.statement].conditions[atom.index];
      if (!is_identifying(entry.key) || entry.op.set_prefix == "ForAllValues") return std::nullopt;
      // `NumericGreaterThan` and the like name no value: `Not` ones included, they are unknown.
      if (!compares_values(entry.op)) return std::nullopt;
      const bool always_present = iequals(entry.key, "aws:PrincipalArn") || iequals(entry.key, "aws:userid");
      const bool negated = entry.op.negated();
      if (entry.op.if_exists && !always_present && !negated) return std::nullopt;
      const bool narrowing = !entry.values.empty() && std::ranges::all_of(entry.values, [&](const policy::Text& v) {
        return checks::narrows(entry.key, v.value);
      });
      if (!narrowing) return std::nullopt;
      return negated;
    });
    return !settled.is_false();
  }

  // Accounts a trust policy names other than the role's own, and one it does not name; of
  // them, the first kMaxAccountsProbed are probed (`named` counts them all). IAM's quota on a
  // trust policy's size (4,096 characters) leaves room for about 200.
  // An account named by a pattern (`aws:PrincipalAccount` like `4444555566*`) is shown with it.
  static constexpr std::size_t kMaxAccountsProbed = 256;
  // Open accounts a role's ACC103 findings list one by one, and how many the finding after them names.
  static constexpr std::size_t kAccountsListed = 16;
  static constexpr std::size_t kAccountsNamedAfterList = 50;
  struct ForeignAccount {
    std::string id;
    std::string pattern;
    // The users and roles of it the policy names by their ARNs, each once: each is a note of its
    // own when only naming lets it in (x59 L2: of two in one `aws:PrincipalArn` list, the first was).
    std::vector<std::string> principals = {};
  };
  static std::vector<ForeignAccount> foreign_accounts(const policy::Document& trust, std::string_view own,
                                                      std::size_t& named) {
    std::vector<ForeignAccount> accounts{{"000000000000", "", {}}};  // unrelated to everyone: `*` lets it in
    std::unordered_map<std::string, std::size_t> seen{{accounts.front().id, 0}};
    const auto add = [&](const std::string& account, std::string_view pattern = {}, std::string_view principal = {}) {
      if (!is_account_id(account) || account == own) return;
      const auto [at, fresh] = seen.try_emplace(account, accounts.size());
      if (fresh) {
        ++named;
        if (accounts.size() > kMaxAccountsProbed) return;
        accounts.push_back({account, pattern == account ? std::string() : std::string(pattern), {}});
      }
      if (at->second < accounts.size() && !principal.empty()) {
        std::vector<std::string>& principals = accounts[at->second].principals;
        if (std::ranges::find(principals, principal) == principals.end()) principals.emplace_back(principal);
      }
    };
    // A user or role named by its ARN (`arn:aws:iam::444455556666:role/deployer`), not a root or a pattern.
    const auto named_principal = [](std::string_view arn, const std::array<std::string_view, 5>& fields) {
      const std::string_view resource = fields[4];
      // An STS session of a role (`assumed-role/deployer/session1`) trusts that role as much:
      // the caller picks the session name (x59 M2).
      const bool one = (resource.starts_with("user/") || resource.starts_with("role/") ||
                        (fields[1] == "sts" && resource.starts_with("assumed-role/"))) &&
                       resource.find_first_of("*?") == std::string_view::npos;
      return one ? arn : std::string_view();
    };
    for (const policy::Statement& statement : trust.statements) {
      for (const policy::PrincipalEntry& entry : statement.principal.entries) {
        if (entry.type != "AWS") continue;
        for (const policy::Text& value : entry.values) {
          if (is_account_id(value.value)) {
            add(value.value);
          } else if (const auto fields = match::split_arn(value.value)) {
            add(std::string((*fields)[3]), {}, named_principal(value.value, *fields));
          }
        }
      }
      // `Principal: {"AWS": "*"}` with `aws:PrincipalAccount` equal to an account names it as
      // `Principal` would, and so does a Deny of every other account (`StringNotEquals`).
      const bool spares = statement.effect == policy::Effect::deny;
      // An `aws:PrincipalArn` value names its account field's (h57 H2: `arn:aws:iam::B:*` under
      // `Principal: "*"` was not asked, and B's open trust went unreported).
      for (const policy::ConditionEntry& entry : statement.conditions) {
        const bool arn = iequals(entry.key, "aws:PrincipalArn");
        if (!arn && !iequals(entry.key, "aws:PrincipalAccount")) continue;
        if (entry.op.negated() != spares) continue;
        const bool like = entry.op.base.ends_with("Like") || (arn && entry.op.base.starts_with("Arn"));
        for (const policy::Text& value : entry.values) {
          std::string_view account = value.value;
          std::string_view principal;
          if (arn) {
            const auto fields = match::split_arn(value.value);
            if (!fields) continue;
            account = (*fields)[3];
            if (!like || value.value.find_first_of("*?") == std::string_view::npos) {
              principal = named_principal(value.value, *fields);
            }
          }
          add(like ? account_matching(account) : std::string(account), account, principal);
        }
      }
    }
    return accounts;
  }

  // Whether a trust policy admits a user or a role of `account` that it names nowhere: one on
  // the root path and one under a path, and, for each `aws:PrincipalArn` pattern with a
  // wildcard (`role/ci-*`, `role/*/*`), a principal of `account` that only the wildcard admits.
  bool admits_unnamed_principal(const eval::PolicySet& set, const eval::Request& request, std::string_view account) {
    const auto fields = match::split_arn(request.resource);
    const std::string partition(fields ? (*fields)[0] : std::string_view("aws"));
    std::vector<std::string> unnamed;
    for (const std::string_view kind : {"user", "role"}) {
      unnamed.push_back(fmt::format("arn:{}:iam::{}:{}/grantlint-unnamed-probe", partition, account, kind));
      unnamed.push_back(
          fmt::format("arn:{}:iam::{}:{}/grantlint-path/grantlint-unnamed-probe", partition, account, kind));
    }
    for (const policy::Statement& statement : set.resource->document().statements) {
      for (const policy::ConditionEntry& entry : statement.conditions) {
        if (!iequals(entry.key, "aws:PrincipalArn")) continue;
        for (const policy::Text& value : entry.values) {
          const auto pattern = match::split_arn(value.value);
          if (!pattern || (*pattern)[4].find_first_of("*?") == std::string_view::npos) continue;
          // A pattern of another account admits none of this one's principals: not asked (a
          // policy naming 200 accounts, each with its own pattern, would ask 200 x 200).
          if (!match::glob_matches((*pattern)[3], account, false)) continue;
          const std::string_view resource = (*pattern)[4];
          std::string filled;
          for (const char c : resource)
            filled += c == '*' ? std::string("grantlint-unnamed") : std::string(1, c == '?' ? 'x' : c);
          std::string arn = fmt::format("arn:{}:iam::{}:{}", partition, account, filled);
          if (std::ranges::find(unnamed, arn) == unnamed.end()) unnamed.push_back(std::move(arn));
        }
      }
    }
    for (const std::string& arn : unnamed) {
      eval::Request probe = request;
      probe.context.set("aws:PrincipalArn", arn);
      if (admits(eval::decide(set, probe), set.resource->document())) return true;
    }
    return false;
  }

  // Whether a trust policy's answer lets the caller in: outright, or under conditions on keys
  // none of which identifies the caller (the keys tested are put in `tested`).
  static bool admits(const eval::Answer& answer, const policy::Document& trust,
                     std::set<std::string>* tested = nullptr) {
    std::set<std::string> keys;
    if (answer.decision == eval::Decision::conditional) eval::collect_dependencies(answer.allowed_if, keys);
    bool in = answer.decision == eval::Decision::allowed ||
              (answer.decision == eval::Decision::conditional && !identifies_caller(keys, trust));
    // Identified on one path: another may admit a caller without the identifying values
    // (`sts:ExternalId` in one statement, `aws:MultiFactorAuthPresent` alone in the next).
    if (!in && answer.decision == eval::Decision::conditional && !ties_to_owner(trust)) {
      in = admits_unidentified(answer.allowed_if);
      // What that path tests is the rest.
      if (in) std::erase_if(keys, [](const std::string& key) { return is_identifying(key); });
    }
    if (tested != nullptr) *tested = std::move(keys);
    return in;
  }

  static bool compares_account_without_naming(const policy::Document& trust) {
    return std::ranges::any_of(trust.statements, [](const policy::Statement& statement) {
      return std::ranges::any_of(statement.conditions, [](const policy::ConditionEntry& entry) {
        return iequals(entry.key, "aws:PrincipalAccount") && !compares_values(entry.op);
      });
    });
  }

  void check_trust(const Principal& role) {
    const CompiledDocument trust = index_.compiled(role.trust);
    if (trust.policy == nullptr) return;
    const auto fields = match::split_arn(role.arn);
    const std::string_view own = fields ? (*fields)[3] : std::string_view();
    eval::PolicySet set;
    set.resource = trust.policy;
    EffectivePolicies effective;
    effective.copies.emplace(trust.policy, trust);
    std::size_t named = 0;
    const std::vector<ForeignAccount> accounts = foreign_accounts(trust.policy->document(), own, named);
    if (named > kMaxAccountsProbed) {
      report(role, rules::kOpenRoleTrust, Level::note,
             fmt::format("role `{}`'s trust policy names {} other accounts; only the first {} are asked whether they "
                         "can assume it (IAM's quota on a trust policy's size leaves room for about 200)",
                         role.arn, named, kMaxAccountsProbed),
             {});
    }
    // Past kAccountsListed open accounts, the rest are named in one finding: 256 findings a role,
    // each with the rule's help in a report, would make a 4 MB export a 500 MB report.
    std::vector<std::string> more;
    std::size_t listed = 0;
    for (const auto& [account, pattern, principals] : accounts) {
      // The account's root in the role's partition stands for its principals: one of another
      // partition cannot assume the role (h56 H1: a bare account id was an `aws` caller, so an
      // `aws-cn` role open to another account went unreported, and one naming `aws` was reported).
      const std::string caller = fields && is_partition((*fields)[0])
                                     ? fmt::format("arn:{}:iam::{}:root", (*fields)[0], account)
                                     : std::string(account);
      auto request = eval::make_request(caller, "sts:AssumeRole", role.arn, "", unknown_request_context());
      if (!request) continue;
      // The account stands for every principal in it, not its root user alone: which one calls
      // is not known (`aws:PrincipalArn` like `arn:aws:iam::*:role/ci-*` admits a role of any account).
      for (const std::string_view key : {"aws:PrincipalArn", "aws:PrincipalType", "aws:username"}) {
        request->context.forget(key);
      }
      // The probe for any account is no account in particular where an operator that names no
      // value tests the account: `NumericGreaterThan aws:PrincipalAccount 1` would refuse
      // 000000000000 and admit every real one.
      if (account == "000000000000" && compares_account_without_naming(trust.policy->document())) {
        request->context.forget("aws:PrincipalAccount");
      }
      const eval::Answer answer = eval::decide(set, *request);
      std::set<std::string> keys;
      const bool admitted = admits(answer, trust.policy->document(), &keys);
      // A named account is trusted by name: a test of `aws:PrincipalArn` that admits only some of
      // its principals (`arn:aws:iam::*:role/deployer`, `arn:aws:iam::444455556666:role/deployer`)
      // picks the caller as naming that role in `Principal` would. It is open when an unnamed user
      // or role of the account is admitted (`arn:aws:iam::444455556666:*` admits them all), with
      // the `aws:PrincipalArn` tests settled and the others as they are.
      const bool tests_arn =
          std::ranges::any_of(keys, [](const std::string& key) { return iequals(key, "aws:PrincipalArn"); });
      const bool open =
          account != "000000000000" && tests_arn ? admits_unnamed_principal(set, *request, account) : admitted;
      if (!open) {
        for (const std::string& principal : principals) {
          if (listed < kAccountsListed && check_named_caller(role, set, effective, principal)) ++listed;
        }
        continue;
      }
      const std::string who = account == "000000000000" ? std::string("any AWS account")
                              : pattern.empty()         ? fmt::format("account {}", account)
                                                : fmt::format("account {} (one that `{}` admits)", account, pattern);
      if (listed >= kAccountsListed && account != "000000000000") {
        more.push_back(who);
        continue;
      }
      ++listed;
      std::vector<RelatedLocation> because;
      note_statements(answer, effective, because, "sts:AssumeRole");
      const std::string tested = backticked(keys);
      report(role, rules::kOpenRoleTrust, Level::warning,
             keys.empty() ? fmt::format("role `{}` can be assumed by {} without a condition that identifies the caller "
                                        "(`sts:ExternalId`, `aws:PrincipalOrgID`, ...)",
                                        role.arn, who)
                          : fmt::format("role `{}` can be assumed by {}: its conditions test only {}, with no value "
                                        "that identifies the caller (an `sts:ExternalId`, the `aws:PrincipalOrgID` "
                                        "of your organization, ...)",
                                        role.arn, who, tested),
             std::move(because));
      if (account == "000000000000") return;  // open to everyone: the named accounts add nothing
    }
    if (!more.empty()) {
      const std::size_t shown = std::min(more.size(), kAccountsNamedAfterList);
      report(role, rules::kOpenRoleTrust, Level::warning,
             fmt::format("role `{}` can be assumed by {} more accounts than its other {} ACC103 findings name, each in "
                         "the same way: {}{}",
                         role.arn, more.size(), kAccountsListed, fmt::join(std::span(more).first(shown), ", "),
                         shown < more.size() ? fmt::format(" and {} others", more.size() - shown) : ""),
             {});
    }
  }

  // An identity policy allowing sts:AssumeRole on every role: a caller of another account
  // whose own policies allow it.
  static const eval::CompiledPolicy& assume_anything() {
    static const std::unique_ptr<const eval::CompiledPolicy> policy =
        eval::CompiledPolicy::allowing_everywhere("sts:AssumeRole");
    return *policy;
  }

  // A user or role of another account the trust policy names (in `Principal`, or by an
  // `aws:PrincipalArn` value) is trusted by name, not open: a note, since that account decides
  // who acts as it, and a third party's should be asked for an `sts:ExternalId` (RES009 says as
  // much of the policy alone). Returns whether it reported.
  bool check_named_caller(const Principal& role, const eval::PolicySet& set, const EffectivePolicies& effective,
                          const std::string& caller) {
    // A principal of another partition cannot assume the role (x59 L1).
    const auto caller_fields = match::split_arn(caller);
    const auto role_fields = match::split_arn(role.arn);
    if (!caller_fields || !role_fields || (*caller_fields)[0] != (*role_fields)[0]) return false;
    auto request = eval::make_request(caller, "sts:AssumeRole", role.arn, "", unknown_request_context());
    if (!request) return false;
    // Its own account's policies let it call sts:AssumeRole, as that account chooses.
    eval::PolicySet with_caller = set;
    with_caller.identity.push_back(&assume_anything());
    eval::Answer answer = eval::decide(with_caller, *request);
    std::erase_if(answer.statements, [&](const eval::StatementTrace& trace) { return trace.policy != set.resource; });
    std::set<std::string> keys;
    if (!admits(answer, set.resource->document(), &keys)) return false;
    // Naming the caller is what the policy does: a test of its ARN adds nothing to that.
    std::erase_if(keys, [](const std::string& key) { return iequals(key, "aws:PrincipalArn"); });
    const std::string_view account = (*caller_fields)[3];
    std::vector<RelatedLocation> because;
    note_statements(answer, effective, because, "sts:AssumeRole");
    report(role, rules::kOpenRoleTrust, Level::note,
           fmt::format("role `{}` can be assumed by `{}`, which account {} controls, {}: that account decides who "
                       "acts as it; if it is a third party's, require an `sts:ExternalId`",
                       role.arn, caller, account,
                       keys.empty() ? std::string("without a condition that identifies the caller")
                                    : fmt::format("under conditions that test only {}", backticked(keys))),
           std::move(because));
    return true;
  }

  // What makes two principals' decisions the same: their kind and their compiled policies.
  // Copies of one text share a compiled policy and decide alike wherever they are, except for
  // the probes that a statement reading the caller names (reads_named_), which each principal
  // is asked itself.
  std::string signature_of(const Principal& principal, const EffectivePolicies& effective) const {
    std::string out = fmt::format("{}|{}", static_cast<int>(principal.kind), caller_key_);
    for (const eval::CompiledPolicy* policy : effective.set.identity) out += fmt::format("|{}", fmt::ptr(policy));
    out += '#';
    for (const eval::CompiledPolicy* policy : effective.set.boundary) out += fmt::format("|{}", fmt::ptr(policy));
    return out;
  }

  // What the evaluator knows of a caller that can change a decision without a policy reading
  // the caller: its kind (a root user needs no policy; a federated user's session has none)
  // and its account (`aws:ResourceAccount` and `kms:CallerAccount` are derived from it).
  // Decisions are composed from single policies (combined()) only for users and roles; any
  // other caller, or an ARN that does not parse, is asked about its whole set.
  void classify_caller(const Principal& principal) {
    const auto caller = eval::parse_caller(principal.arn);
    const auto fields = match::split_arn(principal.arn);
    const std::string partition = caller && fields ? std::string((*fields)[0]) : std::string();
    const std::string account = caller && fields ? caller->account : std::string();
    // The probes' resources are the caller's partition's and account's.
    if (partition != caller_partition_ || account != caller_account_) probe_resources_.clear();
    caller_partition_ = partition;
    caller_account_ = account;
    const std::string key = caller ? caller_class_key(*caller) : "?";
    composable_ = caller && (caller->kind == eval::CallerKind::user || caller->kind == eval::CallerKind::role_session);
    caller_class_ = caller_classes_.try_emplace(key, caller_classes_.size()).first->second;
    caller_key_ = key;
  }

  // Readies the checker for a principal: its effective policies, which probes they name, and
  // the decisions kept for principals with the same; none when no identity policy allows it anything.
  // The policies are `given`, or the checker's own, valid until the next begin().
  const EffectivePolicies* begin(const Principal& principal, const EffectivePolicies* given = nullptr) {
    requests_.clear();
    memo_ = nullptr;
    classify_caller(principal);
    if (given == nullptr) computed_ = index_.effective(principal);
    const EffectivePolicies& effective = given != nullptr ? *given : computed_;
    if (effective.set.identity.empty()) return nullptr;
    named_.reset(probe_numbers().size());
    deny_named_.reset(probe_numbers().size());
    reads_named_.reset(probe_numbers().size());
    for (const eval::CompiledPolicy* policy : effective.set.identity) {
      const PolicyProbes& of_policy = probes(policy);
      named_ |= of_policy.allow_named;
      deny_named_ |= of_policy.deny_named;
      reads_named_ |= of_policy.reads_caller_named;
    }
    for (const eval::CompiledPolicy* policy : effective.set.boundary) {
      const PolicyProbes& of_policy = probes(policy);
      deny_named_ |= of_policy.deny_named;
      reads_named_ |= of_policy.reads_caller_named;
    }
    if (memo_by_signature_.size() >= kMaxSignatures) memo_by_signature_.clear();
    auto [memo, fresh] = memo_by_signature_.try_emplace(signature_of(principal, effective));
    if (fresh) memo->second.decisions.assign(probe_numbers().size(), 0);
    memo_ = &memo->second;
    return &effective;
  }

  void check(const Principal& principal) {
    caveat_.clear();
    if (principal.kind == PrincipalKind::role) {
      classify_caller(principal);
      check_trust(principal);
    }
    const auto begun = begin(principal);
    if (!begun) return;
    const EffectivePolicies& effective = *begun;
    caveat_ = missing_policy_caveat(effective, principal);
    const std::string_view what = principal.kind == PrincipalKind::user ? "user" : "role";
    const Verdict admin = all_allowed(principal, probe_lists().administrator, effective);
    if (admin.holds) {
      report(principal, rules::kEffectiveAdministrator, admin.conditional ? Level::note : Level::warning,
             fmt::format("{} `{}` is allowed everything{}: its policies together grant every probed action of "
                         "IAM, EC2, S3, KMS, Organizations and STS on every resource",
                         what, principal.arn, admin.conditional ? condition_note(admin.keys) : ""),
             admin.because);
      return;  // an administrator escalates by definition
    }
    for (std::size_t i = 0; i < escalation_paths().size(); ++i) {
      const EscalationPath& path = escalation_paths()[i];
      const Verdict escalation = all_allowed(principal, probe_lists().escalation[i], effective);
      if (!escalation.holds) {
        check_own_escalation(principal, effective, path, probe_lists().escalation[i], what);
        continue;
      }
      const std::string actions = backticked(path.actions, " and ");
      const bool nothing_to_switch = no_other_version_ && switches_versions(path);
      const Level level = escalation.conditional || nothing_to_switch ? Level::note : Level::warning;
      const std::string condition = escalation.conditional ? condition_note(escalation.keys) : "";
      if (path.raises_own(principal)) {
        report(principal, rules::kPrivilegeEscalation, level,
               fmt::format("{} `{}` can raise its own permissions ({}): it is allowed {} on every resource{}, so it "
                           "can {}{}",
                           what, principal.arn, path.name, actions, condition, path.how,
                           nothing_to_switch ? "; no customer managed policy of the export has a version besides "
                                               "its default, so it has none to switch to until one is written"
                                             : ""),
               escalation.because);
        continue;
      }
      // A role allowed iam:AddUserToGroup on `*` raises any user's permissions, to an
      // administrator's: one whose credentials its callers hold, or that it gets by another path.
      const bool of_users = path.raises == PrincipalKind::user;
      const bool in_no_group = path.raises_own(principal.kind);
      report(principal, rules::kPrivilegeEscalation, level,
             fmt::format("{} `{}` can raise the permissions of any {} ({}): it is allowed {} on every resource{}, so "
                         "it can {}; {}, but whoever acts as it can grant them to a {} they control",
                         what, principal.arn, of_users ? "user" : "role", path.name, actions, condition, path.how,
                         in_no_group ? "it is in no group, so it does not gain them itself"
                                     : fmt::format("a {} does not gain them itself", what),
                         of_users ? "user" : "role"),
             escalation.because, in_no_group ? Standing::none : Standing::raises_others);
    }
    check_pass_role(principal, effective, what);
    check_sensitive(principal, effective, what);
  }

  // A one-action path allowed on the principal's own user, role, groups or attached policies
  // (`iam:PutUserPolicy` on `user/${aws:username}`): reported for the first of them it is.
  void check_own_escalation(const Principal& principal, const EffectivePolicies& effective, const EscalationPath& path,
                            std::span<const Probe> probes, std::string_view what) {
    if (path.own == OwnResource::none || probes.size() != 1 || !named_[probes[0].number]) return;
    const std::string_view action = probes[0].action;
    bool cut = false;
    for (const std::string_view resource : own_resources_.of(principal, path.own, &cut)) {
      auto request = eval::make_request(principal.arn, action, resource, "", unknown_request_context());
      if (!request) continue;
      const eval::Answer answer = eval::decide(effective.set, *request, {.explain = true});
      if (answer.decision != eval::Decision::allowed && answer.decision != eval::Decision::conditional) continue;
      const bool conditional = answer.decision == eval::Decision::conditional;
      std::set<std::string> keys;
      if (conditional) eval::collect_dependencies(answer.allowed_if, keys);
      std::vector<RelatedLocation> because;
      note_statements(answer, effective, because, action);
      report(principal, rules::kPrivilegeEscalation, conditional ? Level::note : Level::warning,
             fmt::format("{} `{}` can raise its own permissions ({}): it is allowed `{}` on {}{}, so it {}", what,
                         principal.arn, path.name, action, own_resource_text(principal, path.own, resource),
                         conditional ? condition_note(keys) : "", own_escalation_text(principal, path.own, resource)),
             std::move(because));
      return;
    }
    if (cut) {
      report(principal, rules::kPrivilegeEscalation, Level::note,
             fmt::format("{} `{}` holds more than {} resources of its own that `{}` works on ({}); only the first {} "
                         "were asked whether it is allowed `{}` on them",
                         what, principal.arn, OwnResources::kMaxListed, action, path.name, OwnResources::kMaxListed,
                         action),
             {});
    }
  }

  static bool is_its_boundary(const Principal& principal, std::string_view resource) {
    return principal.boundary && principal.boundary->target == resource;
  }

  static std::string own_resource_text(const Principal& principal, OwnResource own, std::string_view resource) {
    switch (own) {
      case OwnResource::groups:
        return fmt::format("its group `{}`", resource);
      case OwnResource::attached_policies:
        return is_its_boundary(principal, resource) ? fmt::format("`{}`, its permissions boundary", resource)
                                                    : fmt::format("`{}`, a managed policy attached to it", resource);
      default:
        return "itself";
    }
  }

  static std::string_view own_escalation_text(const Principal& principal, OwnResource own, std::string_view resource) {
    switch (own) {
      case OwnResource::groups:
        return "can give that group, and so itself, any permission";
      case OwnResource::attached_policies:
        return is_its_boundary(principal, resource)
                   ? "can write a new default version of its boundary that allows anything, lifting the boundary"
                   : "can write a new default version of that policy that allows anything";
      case OwnResource::bounded_user:
      case OwnResource::bounded_role:
        return "can remove or widen the permissions boundary that limits it";
      default:
        return "can give itself any permission";
    }
  }

  // iam:PassRole on every role, unless a condition on iam:PassedToService limits it.
  void check_pass_role(const Principal& principal, const EffectivePolicies& effective, std::string_view what) {
    Verdict pass = all_allowed(principal, probe_lists().pass_role, effective);
    if (!pass.holds) return;
    const auto has_key = [&](std::string_view name) {
      return std::ranges::any_of(pass.keys, [&](const std::string& key) { return iequals(key, name); });
    };
    if (has_key("iam:AssociatedResourceArn")) return;
    // A condition on iam:PassedToService limits nothing when it admits a service no policy
    // names (`StringLike: "*"`, `StringNotEquals: ec2.amazonaws.com`): asked again with one.
    const bool admits_unnamed = has_key("iam:PassedToService");
    if (admits_unnamed) {
      const eval::Answer unnamed = ask_passing_to_unnamed_service(principal, effective.set);
      if (unnamed.decision != eval::Decision::allowed && unnamed.decision != eval::Decision::conditional) return;
      pass.conditional = unnamed.decision == eval::Decision::conditional;
      pass.keys.clear();
      if (pass.conditional) eval::collect_dependencies(unnamed.allowed_if, pass.keys);
    }
    // Asked again, the answer may hang on iam:PassedToService itself (a value from a tag):
    // then the conditions "may" admit another service, and are named once.
    const bool hangs_on_service = std::erase_if(pass.keys, [&](const std::string& key) {
      return admits_unnamed && iequals(key, "iam:PassedToService");
    }) > 0;
    const std::string limit =
        !admits_unnamed   ? "without a condition on `iam:PassedToService`"
        : hangs_on_service ? "under conditions on `iam:PassedToService` that may admit services they do not name"
                           : "under conditions on `iam:PassedToService` that admit services they do not name";
    report(principal, rules::kUnconstrainedPassRole, pass.conditional ? Level::note : Level::warning,
           fmt::format("{} `{}` can pass any role to any service: it is allowed `iam:PassRole` on every role of "
                       "its account{} {}",
                       what, principal.arn, pass.conditional && !pass.keys.empty() ? condition_note(pass.keys) : "",
                       limit),
           pass.because);
  }

  // Per risk category (not privilege escalation, which ACC102 covers; ACC105), then permissions
  // management (ACC106): the actions allowed on every resource.
  void check_sensitive(const Principal& principal, const EffectivePolicies& effective, std::string_view what) {
    for (std::size_t c = 0; c < checks::sensitive_categories().size(); ++c) {
      const checks::Category& category = checks::sensitive_categories()[c];
      if (category.name == "privilege-escalation") continue;
      check_category(principal, effective, what, rules::kSensitiveAccess, category.name, probe_lists().sensitive[c]);
    }
    check_category(principal, effective, what, rules::kPermissionsManagementAccess, "permissions-management",
                   probe_lists().permissions_management);
  }

  void check_category(const Principal& principal, const EffectivePolicies& effective, std::string_view what,
                      const RuleMeta& rule, std::string_view category, std::span<const Probe> probes) {
    std::vector<std::string_view> allowed;
    std::vector<RelatedLocation> because;
    bool conditional = false;
    std::set<std::string> keys;
    for (const Probe& probe : probes) {
      // Refused (all_allowed): most of a category's probes, for most principals.
      if (composable_ && !named_[probe.number]) continue;
      Verdict verdict = all_allowed(principal, std::span(&probe, 1), effective);
      if (!verdict.holds) continue;
      allowed.push_back(probe.action);
      conditional = conditional || verdict.conditional;
      keys.merge(verdict.keys);
      for (RelatedLocation& related : verdict.because) {
        const bool known = std::ranges::any_of(
            because, [&](const RelatedLocation& other) { return other.location == related.location; });
        if (!known && because.size() < 5) because.push_back(std::move(related));
      }
    }
    if (allowed.empty()) return;
    // The catalog's permissions-management actions are alphabetical (`acm-pca:CreatePermission`
    // ... and 307 more): the services a reader knows first, alphabetical among equals. Only the
    // first kShown are named, so only they are put in order, each action ranked once (sorting
    // all of them, ranked at each comparison, took 2.5% of a scan).
    constexpr std::size_t kShown = 4;
    if (&rule == &rules::kPermissionsManagementAccess) {
      std::vector<std::pair<std::pair<std::size_t, int>, std::string_view>> ranked;
      ranked.reserve(allowed.size());
      for (const std::string_view action : allowed) ranked.emplace_back(well_known_first(action), action);
      const auto shown = ranked.begin() + static_cast<std::ptrdiff_t>(std::min(kShown, ranked.size()));
      std::ranges::partial_sort(ranked, shown);
      for (std::size_t i = 0; i < ranked.size(); ++i) allowed[i] = ranked[i].second;
    }
    const std::string list = backticked(allowed, ", ", kShown);
    report(principal, rule, conditional ? Level::note : Level::warning,
           fmt::format("{} `{}` is allowed {} actions on every resource: {}{}", what, principal.arn, category, list,
                       conditional ? condition_note(keys) : ""),
           std::move(because));
  }

  // Where an action comes in a list a reader scans: IAM, S3, KMS and the other services that hold
  // most accounts' data and access first, the rest after them; in each, those that grant access
  // (`s3:PutBucketPolicy`, `kms:CreateGrant`) before the others that name a policy, then the rest.
  static std::pair<std::size_t, int> well_known_first(std::string_view action) {
    static constexpr std::string_view kWellKnown[] = {
        "iam",  "s3",  "kms", "organizations", "sts",      "ec2", "lambda", "secretsmanager",
        "glue", "sns", "sqs", "ecr",           "dynamodb", "logs"};
    const std::string_view service = action.substr(0, action.find(':'));
    const std::string_view name = action.substr(action.find(':') + 1);
    static constexpr std::string_view kGrantingVerbs[] = {"Put", "Attach", "Create", "Update", "Set", "Add"};
    static constexpr std::string_view kGrants[] = {"Policy", "Acl", "Grant", "Permission"};
    const auto holds = [&](std::span<const std::string_view> words) {
      return std::ranges::any_of(words, [&](std::string_view word) { return name.find(word) != name.npos; });
    };
    const bool grants =
        std::ranges::any_of(kGrantingVerbs, [&](std::string_view verb) { return name.starts_with(verb); }) &&
        holds(kGrants);
    return {static_cast<std::size_t>(std::ranges::find(kWellKnown, service) - std::begin(kWellKnown)),
            grants                             ? 0
            : name.find("Policy") != name.npos ? 1
                                               : 2};
  }

  const Export& model_;
  DiagnosticSink& sink_;
  const PolicyIndex& index_;
  OwnResources own_resources_;
  Progress* progress_;
  // Every page lists the account's managed policies and none of them has a version besides
  // its default: iam:SetDefaultPolicyVersion has nothing to switch to (x58 M1).
  bool no_other_version_;
  StringMap<eval::Request> requests_;  // the current principal's, by service
  std::string caveat_;                 // the current principal's missing_policy_caveat
  // The resources each probed action stands for, for the current caller's partition and account.
  std::unordered_map<std::string_view, ProbeResources> probe_resources_;
  std::string caller_partition_;
  std::string caller_account_;
  // What the principals of one signature were answered, by probe number.
  struct Memo {
    std::vector<std::uint8_t> decisions;  // 0 for not asked yet, else the decision + 1
    std::unordered_map<std::size_t, eval::Answer> answers;  // explained
  };
  StringMap<Memo> memo_by_signature_;
  Memo* memo_ = nullptr;  // the current principal's, null when its own
  eval::Answer own_answer_;
  static constexpr std::size_t kMaxSignatures = 4096;
  std::unordered_map<const eval::CompiledPolicy*, PolicyProbes> probes_;
  // The current principal's, by probe number: whether an Allow, or a Deny, of its policies names it.
  BitSet named_;
  BitSet deny_named_;
  BitSet reads_named_;                     // ... or a statement of them that reads who the caller is
  StringMap<std::size_t> caller_classes_;  // "kind|account" -> number
  std::size_t caller_class_ = 0;           // the current principal's
  std::string caller_key_;
  bool composable_ = false;
  Standing* standing_ = nullptr;  // the current principal's, while run() checks it
  EffectivePolicies computed_;    // the current principal's, unless begin() was given them
};

}  // namespace

struct PrivilegeProbe::Impl {
  DiagnosticSink unused;  // the probe reports nothing; trust policies are not checked
  PrincipalChecker checker;
  Impl(const Export& model, const PolicyIndex& index) : checker(model, index, unused, nullptr) {}
};

PrivilegeProbe::PrivilegeProbe(const Export& model, const PolicyIndex& index)
    : impl_(std::make_unique<Impl>(model, index)) {}
PrivilegeProbe::~PrivilegeProbe() = default;

PrivilegeProbe::Privilege PrivilegeProbe::privilege(const Principal& principal) {
  return impl_->checker.privilege(principal);
}

PrivilegeProbe::Privilege PrivilegeProbe::privilege(const Principal& principal, const EffectivePolicies& effective) {
  return impl_->checker.privilege(principal, &effective);
}

std::vector<eval::Decision> PrivilegeProbe::everywhere(const Principal& principal,
                                                       std::span<const std::string_view> actions) {
  return impl_->checker.everywhere(principal, actions);
}

const std::vector<PassRoleRoute>& pass_role_routes() {
  static const std::vector<PassRoleRoute> routes = [] {
    std::vector<PassRoleRoute> out;
    for (const EscalationPath& path : escalation_paths()) {
      if (path.passed_to.empty()) continue;
      PassRoleRoute route{path.name, path.passed_to, {}};
      for (const std::string_view action : path.actions) {
        if (action != kPassRole) route.other_actions.push_back(action);
      }
      out.push_back(std::move(route));
    }
    return out;
  }();
  return routes;
}

const std::vector<OwnPath>& own_paths() {
  static const std::vector<OwnPath> paths = [] {
    std::vector<OwnPath> out;
    for (const EscalationPath& path : escalation_paths()) {
      if (path.own != OwnResource::none) out.push_back(OwnPath{path.name, path.actions.front(), path.own});
    }
    return out;
  }();
  return paths;
}

std::vector<Standing> check_principals(const Export& model, const PolicyIndex& index, unsigned threads,
                                       DiagnosticSink& sink, Progress* progress) {
  std::vector<Standing> standings(model.principals.size(), Standing::none);
  if (progress != nullptr) progress->begin("principals", model.principals.size());
  const unsigned workers =
      static_cast<unsigned>(std::clamp<std::size_t>(model.principals.size() / 256, 1, std::max(1u, threads)));
  std::vector<DiagnosticSink> sinks(workers);
  if (!model.principals.empty()) {
    std::vector<std::jthread> running;
    for (unsigned w = 0; w < workers; ++w) {
      // Each principal's check is contained; this catches what escapes between them, which
      // would otherwise end the process from inside the thread.
      const auto share = [&, w] {
        const auto what = [] { return "the principals a worker thread had not checked"; };
        contained(sinks[w], model.principals.front().source, what,
                  [&] { PrincipalChecker(model, index, sinks[w], progress).run(w, workers, standings); });
      };
      if (workers == 1) {
        share();
        continue;
      }
      try {
        running.emplace_back(share);
      } catch (const std::system_error&) {
        share();  // a thread that cannot start (a limit on processes): its share is checked here
      }
    }
  }
  if (progress != nullptr) progress->end();
  for (DiagnosticSink& worker : sinks) sink.take(std::move(worker));
  return standings;
}

}  // namespace grantlint::account
