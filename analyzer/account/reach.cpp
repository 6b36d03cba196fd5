#include "account/reach.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <exception>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "account/raisers.h"
#include "base/strings.h"
#include "eval/decide.h"
#include "eval/principal.h"
#include "match/arn.h"
#include "rules/registry.h"

namespace grantlint::account {
namespace {

// Evaluator questions one export's pass asks at most (a principal's privilege counts as
// kPrivilegeWeight: it asks every probe of ACC101 and ACC102). A hostile export of thousands
// of roles that trust the account, and principals allowed `sts:AssumeRole` on all of them,
// would otherwise ask principals × roles.
constexpr std::size_t kMaxQuestions = 1'000'000;
constexpr std::size_t kPrivilegeWeight = 40;
constexpr std::size_t kStatementsPerQuestion = 8;
// A question's other costs, by what one ordinary question takes (weight()).
constexpr std::size_t kWordsPerQuestion = 512;
constexpr std::size_t kPrincipalsPerQuestion = 8;
// Which actions of a step to a target a principal's Allow statements name, a bit each (0: none).
constexpr std::uint8_t kNamesAssume = 1, kNamesUpdate = 2, kNamesPass = 4, kNamesCredentials = 16;
constexpr std::uint8_t kNamesUnread = 8;  // the policies are not read yet
// Roles and users in a chain from a principal to the administrator it reaches, at most.
constexpr std::size_t kMaxChain = 8;
// The steps to a role, by index: sts:AssumeRole, iam:UpdateAssumeRolePolicy, then iam:PassRole
// to each of pass_role_routes()'s services in turn; after them, the steps to a user.
constexpr std::size_t kAssumeStep = 0, kUpdateStep = 1, kFirstPassStep = 2;

// A user's credentials another principal can make or change, and then use as the user: an
// access key (a user holds two at most, which the export does not list) or a console password
// (CreateLoginProfile when the user has none, UpdateLoginProfile when it has one; the export
// does not say which).
struct CredentialStep {
  std::string_view path;  // the escalation path's name (privilege_escalation.tsv)
  std::string_view action;
  std::string_view what;  // what the principal can then do
};
constexpr std::array<CredentialStep, 3> kCredentialSteps = {{
    {"create-access-key", "iam:CreateAccessKey", "create an access key for the user and call AWS as it"},
    {"create-login-profile", "iam:CreateLoginProfile",
     "give the user a console password (if it has none) and sign in as it"},
    {"update-login-profile", "iam:UpdateLoginProfile",
     "change the user's console password (if it has one) and sign in as it"},
}};

std::size_t first_credential_step() { return kFirstPassStep + pass_role_routes().size(); }

// Whether a statement's resources may name an IAM user: those of another service cannot.
bool may_name_a_user(const eval::CompiledStatement& statement) {
  if (!statement.resource_present || statement.not_resource) return true;
  return std::ranges::any_of(statement.resources, [](const eval::CompiledResource& resource) {
    return resource.form != eval::CompiledResource::Form::arn || eval::tokens_match(resource.head[1], "iam", true);
  });
}

// Whether an Allow statement of the policy names the action; without one in a principal's
// identity policies, it cannot take a step that needs the action.
bool allows_named(const eval::CompiledPolicy& policy, std::string_view service, std::string_view name) {
  for (const std::uint32_t i : policy.candidates(service)) {
    const eval::CompiledStatement& statement = policy.statements()[i];
    if (!statement.deny && eval::covers_action(statement, service, name)) return true;
  }
  return false;
}

// The actions of the steps a policy's Allow statements name, a bit each: kNamesAssume,
// kNamesUpdate, kNamesPass and kNamesCredentials as `names`, and those of the first round's own steps.
constexpr std::uint8_t kNamesJoinGroup = 32, kNamesSetDefault = 64;
std::uint8_t steps_named(const eval::CompiledPolicy& policy) {
  const bool credentials = std::ranges::any_of(
      kCredentialSteps, [&](const CredentialStep& step) { return allows_named(policy, "iam", step.action.substr(4)); });
  return static_cast<std::uint8_t>((allows_named(policy, "sts", "AssumeRole") ? kNamesAssume : 0) |
                                   (allows_named(policy, "iam", "UpdateAssumeRolePolicy") ? kNamesUpdate : 0) |
                                   (allows_named(policy, "iam", "PassRole") ? kNamesPass : 0) |
                                   (credentials ? kNamesCredentials : 0) |
                                   (allows_named(policy, "iam", "AddUserToGroup") ? kNamesJoinGroup : 0) |
                                   (allows_named(policy, "iam", "SetDefaultPolicyVersion") ? kNamesSetDefault : 0));
}

// What a principal with this standing would be, after a step ("as whose member it would be …").
std::string_view would_be(Standing standing) {
  switch (standing) {
    case Standing::administrator:
      return "allowed everything";
    case Standing::raises_others:
      return "able to raise other principals' permissions";
    default:
      return "able to raise its own permissions";
  }
}

// A role or user a principal may reach, and what it comes to.
struct Target {
  const Principal* principal = nullptr;
  std::string is;  // "is allowed everything (ACC101)", "can assume role `X`, which ..."
  CompiledDocument trust;  // roles
  // Who its trust policy lets in, for the principals worth asking: everyone (`*`,
  // `NotPrincipal`), its account's principals its account's policies allow, those it names.
  bool open_to_all = false;
  bool open_to_account = false;
  std::unordered_set<std::string_view> named;
  bool trust_reads_caller = false;  // a statement of its trust policy reads who the caller is
  // It raises the permissions of principals of the other kind only (a role any user's): a step
  // to it raises a caller of that kind, who can grant them to itself, and not one of its own.
  bool raises_others = false;
  bool conditional = false;         // reached only under conditions (on `keys`)
  std::set<std::string> keys = {};
  // Who raises whose permissions, when that makes it a target (raisers.h): the raiser's
  // statements are related locations of a step to it.
  const Raise* raise = nullptr;
};

// A target for whoever reaches `principal` (a role or user), which `is` what it comes to.
Target make_target(const Principal& principal, std::string is, const PolicyIndex& index) {
  Target out;
  out.principal = &principal;
  out.is = std::move(is);
  if (principal.kind != PrincipalKind::role) return out;
  out.trust = index.compiled(principal.trust);
  if (out.trust.policy == nullptr) return out;
  const auto fields = match::split_arn(principal.arn);
  const std::string_view own = fields ? (*fields)[3] : std::string_view();
  out.trust_reads_caller = std::ranges::any_of(out.trust.policy->statements(), reads_caller);
  for (const policy::Statement& statement : out.trust.policy->document().statements) {
    if (statement.effect != policy::Effect::allow) continue;
    if (statement.principal.wildcard || statement.principal.negated) out.open_to_all = true;
    for (const policy::PrincipalEntry& entry : statement.principal.entries) {
      if (entry.type != "AWS") continue;
      for (const policy::Text& value : entry.values) {
        const auto named = match::split_arn(value.value);
        if (value.value == "*") {
          out.open_to_all = true;
        } else if (value.value == own || (named && (*named)[3] == own && (*named)[4] == "root")) {
          out.open_to_account = true;
        } else {
          out.named.insert(value.value);
        }
      }
    }
  }
  return out;
}

// One step of a principal to a target: what it does and what it rests on.
struct Step {
  std::string_view path;  // the escalation path's name
  std::string text;       // "it is allowed `sts:AssumeRole` on role `X`, whose trust policy admits it"
  std::string reaches;    // "can assume role `X`", to say what a role or user reached so is
  bool conditional = false;
  std::set<std::string> keys = {};
  std::vector<RelatedLocation> because = {};
  // To a target that raises the permissions of the other kind only, by one of its own kind (a
  // role assuming a role allowed AddUserToGroup on `*`): it raises nothing of the caller's own,
  // but the caller passes it on, a target in turn for the other kind (x59 H1).
  bool relay = false;

  void take(const eval::Answer& answer) {
    if (answer.decision != eval::Decision::conditional) return;
    conditional = true;
    eval::collect_dependencies(answer.allowed_if, keys);
  }
};

// Which identity policy's answers to a step, for one class of caller.
struct AloneKey {
  const eval::CompiledPolicy* policy = nullptr;
  std::size_t step = 0;
  std::uint32_t caller_class = 0;
  bool operator==(const AloneKey&) const = default;
};
struct AloneKeyHash {
  std::size_t operator()(const AloneKey& key) const {
    return std::hash<const void*>()(key.policy) ^ (key.step * 0x9e3779b97f4a7c15ULL) ^
           (static_cast<std::size_t>(key.caller_class) << 20);
  }
};
// The routes of pass_role_routes() a principal can start (it is allowed their other actions on
// every resource), and whether only under conditions.
using Routes = std::vector<std::pair<std::size_t, bool>>;
// A policy whose Allow statements name a step's action, and its answers per target (null policy:
// the step cannot be sieved, ask the evaluator).
struct Table {
  const eval::CompiledPolicy* policy = nullptr;
  std::vector<std::uint8_t>* answers = nullptr;
};

// A principal's way to a target, and what that target is ("is allowed everything (ACC101)").
struct Reached {
  Step step;
  std::string via_is;  // empty for a step that needs no role or user (it joins a group, ...)
  PrincipalKind via_kind = PrincipalKind::role;
};

// What the askers of a pass share. A round's targets and who they admit are set before its
// principals are asked, and only read while they are; a principal's entries are written only
// by the asker that asks it.
struct Shared {
  Shared(const Export& export_model, const PolicyIndex& policy_index, std::size_t question_limit)
      : model(export_model), index(policy_index), limit(question_limit) {
    for (const ManagedPolicy& policy : model.policies) {
      if (!policy.arn.empty()) policies.try_emplace(policy.arn, &policy);  // empty: no policy's ARN (ACC001)
    }
    names.assign(model.principals.size(), kNamesUnread);
    routes.assign(model.principals.size(), {});
  }

  const Export& model;
  const PolicyIndex& index;
  std::unordered_map<std::string_view, const ManagedPolicy*> policies;  // by ARN: the first listing
  std::vector<std::uint8_t> names;  // by principal: which step actions its policies name
  std::vector<Routes> routes;       // by principal (kNamesPass): its usable routes
  // The round's targets: its roles and its users, those open to everyone, those each ARN is
  // named by (in order), and whether one admits its account's principals.
  std::vector<std::uint32_t> roles;
  std::vector<std::uint32_t> users;
  std::vector<std::uint32_t> open_to_all;
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> naming;
  bool any_open_to_account = false;
  // Who can raise whose permissions by name (raisers.h), asked in the first round: by the
  // principal raised (its raisers are targets for it) and by the raiser (those it raises are).
  const RaiseSearch* raises = nullptr;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> raises_of;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> raises_by;
  // The questions every asker has asked; stopped once more than `limit`.
  std::size_t limit;
  std::atomic<std::size_t> questions{0};
  std::atomic<bool> stopped{false};
};

// Asks principals, one at a time, which step to a round's targets they can take. Each thread
// has its own asker: what one keeps (what a policy alone answers, whether a service may assume
// a target) is the same whoever asks, so any number of them give the same answers.
class Asker {
 public:
  explicit Asker(Shared& shared)
      : shared_(shared), model_(shared.model), index_(shared.index), probe_(shared.model, shared.index) {}

  // Forgets what the last round's targets answered.
  void begin_round(std::size_t targets) {
    alone_.clear();
    targets_ = targets;
    admits_service_.assign(targets * pass_role_routes().size(), std::nullopt);
  }

  // The step the principal can take this round, one that holds outright first.
  std::optional<Reached> ask(std::size_t i, std::size_t round, const std::vector<Target>& frontier) {
    const Principal& principal = model_.principals[i];
    requests_.clear();
    std::uint8_t& names = shared_.names[i];
    if (round > 0 && names == 0 && shared_.open_to_all.empty() && !shared_.naming.contains(principal.arn))
      return std::nullopt;
    const EffectivePolicies effective = index_.effective(principal);
    // What a principal's policies name stays the same from round to round: kept, so that a
    // later round passes over a principal that can take no step without reading them again.
    std::uint8_t named = 0;
    if (names == kNamesUnread || round == 0) {
      for (const eval::CompiledPolicy* policy : effective.set.identity) named |= steps_named_by(*policy);
    }
    if (names == kNamesUnread) {
      names = static_cast<std::uint8_t>(named & (kNamesAssume | kNamesUpdate | kNamesPass | kNamesCredentials));
      if ((names & kNamesPass) != 0 && !find_usable_routes(principal, shared_.routes[i])) {
        names = static_cast<std::uint8_t>(names & ~kNamesPass);
      }
    }
    const Target* via = nullptr;
    std::optional<Step> step = reach_role(principal, effective, names, shared_.routes[i], frontier, round == 0, via);
    const auto take_better = [&](std::optional<Step> other) {
      if (other && (!step || step->relay || (step->conditional && !other->conditional))) {
        step = std::move(other);
        via = nullptr;
      }
    };
    if ((!step || step->conditional || step->relay) && round == 0 && principal.kind == PrincipalKind::user &&
        (named & kNamesJoinGroup) != 0) {
      take_better(join_group(principal, effective));
    }
    if ((!step || step->conditional || step->relay) && round == 0 && (named & kNamesSetDefault) != 0) {
      take_better(set_default_version(principal, effective));
    }
    if (!step) return std::nullopt;
    if (via == nullptr) return Reached{std::move(*step), std::string()};
    return Reached{std::move(*step), via->is, via->principal->kind};
  }

 private:
  bool stopped() const { return shared_.stopped.load(std::memory_order_relaxed); }

  bool spend(std::size_t questions) {
    if (stopped()) return false;
    if (shared_.questions.fetch_add(questions, std::memory_order_relaxed) + questions <= shared_.limit) return true;
    shared_.stopped.store(true, std::memory_order_relaxed);
    return false;
  }

  // A question weighs more the more it may read, of the statements that can name an action of
  // `service` (or any, when none is given): one per kStatementsPerQuestion statements, one per
  // kWordsPerQuestion words their resource patterns take to match a resource of `resource_size`
  // bytes (|t|·⌈|p|/64⌉ at worst, pattern.h) and their condition values a value as long as the
  // caller's ARN of `caller_size` (`aws:PrincipalArn` is known), one per kPrincipalsPerQuestion
  // principals a trust policy's statements list. An export of principals with thousands of
  // statements, of long patterns against long ARNs, or of trust policies naming thousands, is then
  // within the budget by its questions, not its time (hostile h50 H1, H2: 48 s for 100,000
  // questions; h51 H1: 1,000 `aws:PrincipalArn` patterns of 1 KB, 19 ms a question).
  std::size_t weight(const eval::PolicySet& set, std::string_view service = {}, std::size_t resource_size = 0,
                     std::size_t caller_size = 0) {
    std::size_t statements = 0, words = 0, principals = 0;
    const auto read = [&](const eval::CompiledPolicy* policy, bool names_principals) {
      const PolicyCost& cost = cost_of(policy, service);
      statements += cost.statements;
      words += resource_size * cost.resource_words + caller_size * cost.condition_words;
      if (names_principals) principals += cost.principals;
    };
    if (set.resource != nullptr) read(set.resource, true);
    for (const eval::CompiledPolicy* policy : set.identity) read(policy, false);
    for (const eval::CompiledPolicy* policy : set.boundary) read(policy, false);
    return 1 + statements / kStatementsPerQuestion + words / kWordsPerQuestion + principals / kPrincipalsPerQuestion;
  }

  // What a policy's statements that can name an action of `service` (or all) hold, for weight():
  // counted once per policy and service, as counting them each question took as long as the
  // pass's questions did (condition values of AWS managed policies).
  struct PolicyCost {
    std::size_t statements = 0;
    std::size_t resource_words = 0;   // ⌈|p|/64⌉ over their resource patterns
    std::size_t condition_words = 0;  // ⌈|p|/64⌉ over the values of their conditions on known keys
    std::size_t principals = 0;       // the principals they list
  };
  const PolicyCost& cost_of(const eval::CompiledPolicy* policy, std::string_view service) {
    const auto [it, fresh] = costs_.try_emplace(std::pair(policy, std::string(service)));
    if (!fresh) return it->second;
    PolicyCost& cost = it->second;
    const auto count = [&](const eval::CompiledStatement& statement) {
      ++cost.statements;
      for (const eval::CompiledResource& resource : statement.resources) {
        cost.resource_words += (resource.tail.tokens().size() + 63) / 64;
      }
      // Only the keys a question knows (who the caller is, the service a role is passed to) are
      // matched; the others are unknown, their values never read.
      for (const eval::CompiledCondition& condition : statement.conditions) {
        const std::string_view key = condition.key;
        if (!key.starts_with("aws:principal") && key != "aws:username" && key != "aws:userid" &&
            key != "iam:passedtoservice") {
          continue;
        }
        for (const eval::Pattern& value : condition.values) cost.condition_words += (value.tokens().size() + 63) / 64;
      }
      if (statement.source == nullptr) return;
      for (const policy::PrincipalEntry& entry : statement.source->principal.entries) {
        cost.principals += entry.values.size();
      }
    };
    if (service.empty()) {
      for (const eval::CompiledStatement& statement : policy->statements()) count(statement);
    } else {
      for (const std::uint32_t i : policy->candidates(service)) count(policy->statements()[i]);
    }
    return cost;
  }

  eval::Answer decide(const eval::PolicySet& set, std::string_view caller, std::string_view action,
                      std::string_view resource, std::string_view passed_to = {}) {
    if (!spend(weight(set, action.substr(0, action.find(':')), resource.size(), caller.size()))) return eval::Answer{};
    const eval::Request* request = request_at(caller, action, passed_to, resource);
    if (request == nullptr) return eval::Answer{};
    eval::Answer answer = eval::decide(set, *request, {.explain = false});
    // Explained only when it admits: the statements that did are the finding's related locations.
    if (admitted(answer.decision)) answer = eval::decide(set, *request);
    return answer;
  }

  // The caller's request for the action (passing a role to `passed_to`, when given) on
  // `resource`; null when it cannot be asked. Made once for each principal asked (ask()), and
  // pointed at each target in turn (eval::retarget): reading the caller and setting the
  // context's keys again for every target took more than the evaluator's answers.
  const eval::Request* request_at(std::string_view caller, std::string_view action, std::string_view passed_to,
                                  std::string_view resource) {
    auto it = std::ranges::find_if(requests_, [&](const KeptRequest& kept) {
      return kept.caller == caller && kept.action == action && kept.passed_to == passed_to;
    });
    if (it == requests_.end()) {
      KeptRequest kept{std::string(caller), std::string(action), std::string(passed_to), std::nullopt};
      if (auto request = eval::make_request(caller, action, "*", "", unknown_request_context())) {
        if (!passed_to.empty()) request->context.set("iam:PassedToService", std::string(passed_to));
        kept.request = std::move(*request);
      }
      it = requests_.insert(requests_.end(), std::move(kept));
    }
    if (!it->request || eval::retarget(*it->request, resource)) return nullptr;
    return &*it->request;
  }

  // The first target the principal reaches: a role by assuming it, rewriting its trust, or
  // passing it; a user by making or changing its credentials. `names`: which of their actions
  // the principal's policies name (kNamesAssume, ...).
  std::optional<Step> reach_role(const Principal& principal, const EffectivePolicies& effective, std::uint8_t names,
                                 const Routes& routes, const std::vector<Target>& frontier, bool first_round,
                                 const Target*& via) {
    const bool names_assume = (names & kNamesAssume) != 0;
    const bool names_update = (names & kNamesUpdate) != 0;
    const bool names_pass = (names & kNamesPass) != 0;
    const bool names_credentials = (names & kNamesCredentials) != 0;
    begin_sieve(principal);
    const auto naming = shared_.naming.find(principal.arn);
    const std::span<const std::uint32_t> named_me = naming == shared_.naming.end()
                                                        ? std::span<const std::uint32_t>()
                                                        : std::span<const std::uint32_t>(naming->second);
    const auto me = static_cast<std::uint32_t>(&principal - model_.principals.data());
    // A target of the round's frontier by its index; one of this principal's own without one.
    const auto try_one = [&](const Target& target, std::optional<std::uint32_t> index) -> std::optional<Step> {
      if (target.principal == &principal || target.principal->arn == principal.arn) return std::nullopt;
      std::optional<Step> step;
      const bool user = target.principal->kind == PrincipalKind::user;
      if (user && names_credentials) step = take_over(principal, effective, target, index);
      // A trust policy that admits only its account's principals its account allows (nor reads
      // who the caller is) needs an identity policy that allows.
      const bool needs_identity =
          target.open_to_account && !target.open_to_all && target.named.empty() && !target.trust_reads_caller;
      if (!user && target.trust.policy != nullptr &&
          (target.open_to_all ||
           (index ? std::ranges::binary_search(named_me, *index) : target.named.contains(principal.arn)) ||
           (target.open_to_account && names_assume &&
            (!needs_identity || may_admit(kAssumeStep, index, principal, effective, target))))) {
        step = assume(principal, effective, target);
      }
      if (!user && !step && names_update && may_admit(kUpdateStep, index, principal, effective, target)) {
        step = rewrite_trust(principal, effective, target);
      }
      if (!user && !step && names_pass) step = pass(principal, effective, routes, target, index);
      if (step) {
        step->relay = target.raises_others && target.principal->kind == principal.kind;
        if (target.conditional) {
          step->conditional = true;
          step->keys.insert(target.keys.begin(), target.keys.end());
        }
        step->because.push_back(
            RelatedLocation{Location{target.principal->source, target.principal->arn_span},
                            fmt::format("the {} it reaches, which {}", user ? "user" : "role", target.is)});
        if (target.raise != nullptr) {
          std::vector<RelatedLocation> raiser = raise_statements(*target.raise, model_, index_);
          step->because.insert(step->because.end(), raiser.begin(), raiser.end());
        }
      }
      return step;
    };
    const auto try_target = [&](std::uint32_t index) { return try_one(frontier[index], index); };
    // The first target reached outright, else the first reached under conditions; a relay only
    // when no other step is found.
    std::optional<Step> found;
    std::optional<Step> relay;
    const Target* relay_via = nullptr;
    const auto reached_outright = [&](std::uint32_t index) {
      std::optional<Step> step = try_target(index);
      if (step && step->relay) {
        if (!relay || (relay->conditional && !step->conditional)) {
          relay = std::move(step);
          relay_via = &frontier[index];
        }
        return false;
      }
      if (!step || (found && step->conditional)) return false;
      found = std::move(step);
      via = &frontier[index];
      return !found->conditional;
    };
    // The roles first, then the users (a principal without credentials actions skips them all):
    // without a step action of its own, a principal can reach only the roles whose trust
    // policies admit it by themselves, asked in the frontier's order, as all are otherwise.
    const auto reached_any = [&](std::span<const std::uint32_t> targets) {
      for (const std::uint32_t index : targets) {
        if (stopped() || reached_outright(index)) return true;
      }
      return false;
    };
    // The principals that can raise this one's permissions by name, and those whose permissions
    // it can raise, first: targets for it alone, made here (an export may hold many).
    if (first_round && shared_.raises != nullptr && reached_raisers(me, try_one, found, via)) return found;
    if (names_update || names_pass || (names_assume && shared_.any_open_to_account)) {
      if (reached_any(shared_.roles)) return found;
    } else {
      std::vector<std::uint32_t> admitting;
      std::ranges::set_union(shared_.open_to_all, named_me, std::back_inserter(admitting));
      if (reached_any(admitting)) return found;
    }
    if (names_credentials) {
      const bool alike = answers_users_alike(effective);
      for (const std::uint32_t index : shared_.users) {
        if (stopped()) break;
        const Principal& user = *frontier[index].principal;
        if (&user == &principal || user.arn == principal.arn) continue;
        // Alike, the first user reached outright stands for all; one reached only under conditions
        // may answer otherwise, and one that is a relay to this principal stands for none.
        const bool relay_only = frontier[index].raises_others && principal.kind == PrincipalKind::user;
        if (reached_outright(index) || (alike && !frontier[index].conditional && !relay_only)) break;
      }
    }
    if (!found && relay) {
      found = std::move(relay);
      via = relay_via;
    }
    return found;
  }

  // Tries the principal's own targets (Shared::raises): the principals that can raise its
  // permissions, then those whose permissions it can raise. True once one is reached outright;
  // `found` and `via` keep the first reached, one that holds outright over one under conditions.
  template <typename TryOne>
  bool reached_raisers(std::uint32_t me, const TryOne& try_one, std::optional<Step>& found, const Target*& via) {
    own_targets_.clear();
    const std::vector<Raise>& raises = shared_.raises->raises;
    const auto reached = [&](const Raise& raise, std::uint32_t whom, std::string is) {
      Target& target = own_targets_.emplace_back(make_target(model_.principals[whom], std::move(is), index_));
      target.conditional = raise.conditional;
      target.keys = raise.keys;
      target.raise = &raise;
      std::optional<Step> step = try_one(target, std::nullopt);
      if (!step || (found && step->conditional)) {
        own_targets_.pop_back();
        return false;
      }
      found = std::move(step);
      via = &target;
      return !found->conditional;
    };
    if (const auto it = shared_.raises_of.find(me); it != shared_.raises_of.end()) {
      for (const std::uint32_t r : it->second) {
        if (stopped() || reached(raises[r], raises[r].raiser, raiser_is(raises[r]))) return true;
      }
    }
    if (const auto it = shared_.raises_by.find(me); it != shared_.raises_by.end()) {
      for (const std::uint32_t r : it->second) {
        for (const std::uint32_t whom : raises[r].raised) {
          if (stopped() || reached(raises[r], whom, raised_is(raises[r]))) return true;
        }
      }
    }
    return false;
  }

  // Whether every statement of the principal's policies that names a credentials action names
  // every resource: then each user is answered alike (the conditions read the request, which is
  // unknown, not the user), and the first one asked stands for all. A principal whose Deny
  // holds under conditions would otherwise be asked about every user for one that holds outright.
  static bool answers_users_alike(const EffectivePolicies& effective) {
    for (const std::vector<const eval::CompiledPolicy*>* policies :
         {&effective.set.identity, &effective.set.boundary}) {
      for (const eval::CompiledPolicy* policy : *policies) {
        for (const std::uint32_t i : policy->candidates("iam")) {
          const eval::CompiledStatement& statement = policy->statements()[i];
          if (std::ranges::none_of(kCredentialSteps, [&](const CredentialStep& credential) {
                return eval::covers_action(statement, "iam", credential.action.substr(4));
              })) {
            continue;
          }
          if (!statement.resource_present || statement.not_resource ||
              !std::ranges::all_of(statement.resources, [](const eval::CompiledResource& resource) {
                return resource.form == eval::CompiledResource::Form::any;
              })) {
            return false;
          }
        }
      }
    }
    return true;
  }

  // Readies the sieve for a principal: its kind and account, whose answers it shares, and no
  // policy tables yet.
  void begin_sieve(const Principal& principal) {
    sieve_.ready.assign(first_credential_step() + kCredentialSteps.size(), false);
    sieve_.tables.resize(sieve_.ready.size());
    sieve_.caller_class.reset();
    const auto caller = eval::parse_caller(principal.arn);
    if (!caller) return;
    sieve_.caller_class = caller_classes_.try_emplace(caller_class_key(*caller), caller_classes_.size()).first->second;
  }

  // Whether the principal's identity policies may admit a step to the target: false when none
  // of them alone does (a Deny, another policy or a boundary only refuses more), which is kept
  // per policy, step and target for every principal of the same kind and account. True when a
  // statement that names the step's action reads who the caller is.
  // A target of no index (the principal's own, Shared::raises) is not sieved.
  bool may_admit(std::size_t step, std::optional<std::uint32_t> index, const Principal& principal,
                 const EffectivePolicies& effective, const Target& target) {
    if (!sieve_.caller_class || !index) return true;
    std::vector<Table>& tables = sieve_.tables[step];
    if (!sieve_.ready[step]) {
      sieve_.ready[step] = true;
      tables.clear();
      if (!table_policies(step, effective, tables)) tables.assign(1, Table{});  // a null policy: ask
    }
    for (const Table& table : tables) {
      if (table.policy == nullptr) return true;
      std::uint8_t& known = (*table.answers)[*index];
      if (known == 0) known = alone_admits(table.policy, step, principal, target) ? 1 : 2;
      if (known == 1) return true;
    }
    return false;
  }

  // What a step asks: its action, and the service a role is passed to.
  static std::pair<std::string_view, std::string_view> step_action(std::size_t step) {
    if (step == kAssumeStep) return {"sts:AssumeRole", {}};
    if (step == kUpdateStep) return {"iam:UpdateAssumeRolePolicy", {}};
    if (step >= first_credential_step()) return {kCredentialSteps[step - first_credential_step()].action, {}};
    return {"iam:PassRole", pass_role_routes()[step - kFirstPassStep].service};
  }

  // The tables of the principal's identity policies whose Allow statements name the step's
  // action; false when a statement that names it reads who the caller is.
  bool table_policies(std::size_t step, const EffectivePolicies& effective, std::vector<Table>& tables) {
    const std::string_view action = step_action(step).first;
    const std::string_view service = action.substr(0, action.find(':'));
    const std::string_view name = action.substr(action.find(':') + 1);
    const bool to_user = step >= first_credential_step();
    for (const eval::CompiledPolicy* policy : effective.set.identity) {
      bool allows = false;
      for (const std::uint32_t i : policy->candidates(service)) {
        const eval::CompiledStatement& statement = policy->statements()[i];
        if (!eval::covers_action(statement, service, name)) continue;
        if (to_user && !may_name_a_user(statement)) continue;
        if (reads_caller(statement)) return false;
        allows = allows || !statement.deny;
      }
      if (!allows) continue;
      std::vector<std::uint8_t>& answers = alone_[AloneKey{policy, step, *sieve_.caller_class}];
      answers.resize(targets_, 0);
      tables.push_back(Table{policy, &answers});
    }
    return true;
  }

  // What the policy alone (with the target's trust policy, for sts:AssumeRole) answers.
  bool alone_admits(const eval::CompiledPolicy* policy, std::size_t step, const Principal& principal,
                    const Target& target) {
    eval::PolicySet set;
    set.identity.push_back(policy);
    if (step == kAssumeStep) set.resource = target.trust.policy;
    const auto [action, passed_to] = step_action(step);
    if (!spend(weight(set, action.substr(0, action.find(':')), target.principal->arn.size(), principal.arn.size()))) {
      return true;
    }
    const eval::Request* request = request_at(principal.arn, action, passed_to, target.principal->arn);
    if (request == nullptr) return true;
    return admitted(eval::decide(set, *request, {.explain = false}).decision);
  }

  std::optional<Step> assume(const Principal& principal, const EffectivePolicies& effective, const Target& target) {
    eval::PolicySet set = effective.set;
    set.resource = target.trust.policy;
    const eval::Answer answer = decide(set, principal.arn, "sts:AssumeRole", target.principal->arn);
    if (!admitted(answer.decision)) return std::nullopt;
    Step step{
        "assume-role",
        fmt::format("it is allowed `sts:AssumeRole` on role `{}`, whose trust policy admits it", target.principal->arn),
        fmt::format("can assume role `{}`", target.principal->arn)};
    step.take(answer);
    note_allowing_statements(answer, effective, &target.trust, step.because, "sts:AssumeRole");
    return step;
  }

  std::optional<Step> rewrite_trust(const Principal& principal, const EffectivePolicies& effective,
                                    const Target& target) {
    const eval::Answer answer =
        decide(effective.set, principal.arn, "iam:UpdateAssumeRolePolicy", target.principal->arn);
    if (!admitted(answer.decision)) return std::nullopt;
    Step step{"update-assume-role-policy",
              fmt::format("it is allowed `iam:UpdateAssumeRolePolicy` on role `{}`, so it can name itself in the "
                          "role's trust policy and assume the role (a trust policy that names it needs no "
                          "`sts:AssumeRole` of its own)",
                          target.principal->arn),
              fmt::format("can rewrite the trust policy of role `{}`", target.principal->arn)};
    step.take(answer);
    // A role named by a trust policy still assumes it within its permissions boundary.
    if (principal.kind == PrincipalKind::role && !effective.set.boundary.empty()) {
      eval::PolicySet boundary;
      boundary.identity = effective.set.boundary;
      const eval::Answer within = decide(boundary, principal.arn, "sts:AssumeRole", target.principal->arn);
      if (!admitted(within.decision)) return std::nullopt;
      step.take(within);
    }
    note_allowing_statements(answer, effective, nullptr, step.because, "iam:UpdateAssumeRolePolicy");
    return step;
  }

  // The first of the user's credentials the principal may make or change, to act as the user.
  std::optional<Step> take_over(const Principal& principal, const EffectivePolicies& effective, const Target& target,
                                std::optional<std::uint32_t> index) {
    for (std::size_t c = 0; c < kCredentialSteps.size(); ++c) {
      const CredentialStep& credential = kCredentialSteps[c];
      if (!may_admit(first_credential_step() + c, index, principal, effective, target)) continue;
      const eval::Answer answer = decide(effective.set, principal.arn, credential.action, target.principal->arn);
      if (!admitted(answer.decision)) continue;
      Step step{credential.path,
                fmt::format("it is allowed `{}` on user `{}`, so it can {}", credential.action, target.principal->arn,
                            credential.what),
                fmt::format("can act as user `{}`", target.principal->arn)};
      step.take(answer);
      note_allowing_statements(answer, effective, nullptr, step.because, credential.action);
      return step;
    }
    return std::nullopt;
  }

  // The routes whose actions besides iam:PassRole the principal is allowed on every resource,
  // asked once for it (each target then needs only its PassRole and trust); false for none.
  bool find_usable_routes(const Principal& principal, Routes& usable) {
    usable.clear();
    std::vector<std::string_view> actions;
    for (const PassRoleRoute& route : pass_role_routes()) {
      for (const std::string_view action : route.other_actions) {
        if (std::ranges::find(actions, action) == actions.end()) actions.push_back(action);
      }
    }
    // The probe keeps decisions per set of policies and composes them from each policy's: most
    // of these are looked up, not decided, so each counts one question.
    if (!spend(actions.size())) return false;
    const std::vector<eval::Decision> decisions = probe_.everywhere(principal, actions);
    const std::vector<PassRoleRoute>& routes = pass_role_routes();
    for (std::size_t r = 0; r < routes.size(); ++r) {
      bool allowed = true, conditional = false;
      for (const std::string_view action : routes[r].other_actions) {
        const eval::Decision decision =
            decisions[static_cast<std::size_t>(std::ranges::find(actions, action) - actions.begin())];
        allowed = allowed && admitted(decision);
        conditional = conditional || decision == eval::Decision::conditional;
      }
      if (allowed) usable.emplace_back(r, conditional);
    }
    return !usable.empty();
  }

  // `routes`: the principal's usable ones (find_usable_routes).
  std::optional<Step> pass(const Principal& principal, const EffectivePolicies& effective, const Routes& routes,
                           const Target& target, std::optional<std::uint32_t> index) {
    for (const auto& [r, conditional] : routes) {
      const PassRoleRoute& route = pass_role_routes()[r];
      // EC2 starts a role only from an instance profile.
      if (route.service == "ec2.amazonaws.com" && target.principal->in_instance_profile == false) continue;
      if (!admits_service(target, index, r)) continue;
      if (!may_admit(kFirstPassStep + r, index, principal, effective, target)) continue;
      std::optional<Step> step;
      step.emplace(
          Step{route.name, "", fmt::format("can pass role `{}` to `{}`", target.principal->arn, route.service)});
      step->conditional = conditional;
      const eval::Answer answer =
          decide(effective.set, principal.arn, "iam:PassRole", target.principal->arn, route.service);
      if (!admitted(answer.decision)) continue;
      step->text = fmt::format(
          "it is allowed `iam:PassRole` on role `{}` to `{}`, which the role's trust policy "
          "admits, and {} on every resource",
          target.principal->arn, route.service, backticked(route.other_actions, " and "));
      step->take(answer);
      note_allowing_statements(answer, effective, nullptr, step->because, "iam:PassRole");
      return step;
    }
    return std::nullopt;
  }

  // Whether the route's service may assume the role, asked once a role and route of the frontier.
  bool admits_service(const Target& target, std::optional<std::uint32_t> index, std::size_t route) {
    std::optional<eval::Decision> unkept;
    std::optional<eval::Decision>& known = index ? admits_service_[*index * pass_role_routes().size() + route] : unkept;
    if (!known) {
      eval::PolicySet set;
      set.resource = target.trust.policy;
      known = target.trust.policy == nullptr
                  ? eval::Decision::implicit_deny
                  : decide(set, pass_role_routes()[route].service, "sts:AssumeRole", target.principal->arn).decision;
    }
    return admitted(*known);
  }

  // A user joins a group whose policies, with its own and within its boundary, make it an
  // administrator or let it raise its permissions. Asked of a user whose policies name
  // iam:AddUserToGroup.
  std::optional<Step> join_group(const Principal& user, const EffectivePolicies& effective) {
    for (const Principal& group : model_.principals) {
      if (group.kind != PrincipalKind::group || group.arn.empty()) continue;
      const bool member = std::ranges::any_of(user.groups, [&](const Reference& r) { return r.target == group.name; });
      if (member || !holds_policies(group)) continue;
      const eval::Answer answer = decide(effective.set, user.arn, "iam:AddUserToGroup", group.arn);
      if (stopped()) return std::nullopt;
      if (!admitted(answer.decision)) continue;
      Principal joined = user;
      joined.groups.push_back(Reference{group.source, group.name, group.arn_span, ""});
      const EffectivePolicies joined_effective = index_.effective(joined);
      if (!spend(kPrivilegeWeight * weight(joined_effective.set))) return std::nullopt;
      PrivilegeProbe::Privilege privilege = probe_.privilege(joined, joined_effective);
      if (privilege.standing == Standing::none) continue;
      Step step{"add-user-to-group",
                fmt::format("it is allowed `iam:AddUserToGroup` on group `{}`, as whose member it would be {}",
                            group.arn, would_be(privilege.standing)),
                fmt::format("can join group `{}`", group.arn)};
      step.take(answer);
      step.conditional = step.conditional || privilege.conditional;
      step.keys.merge(privilege.keys);
      note_allowing_statements(answer, effective, nullptr, step.because, "iam:AddUserToGroup");
      step.because.push_back(RelatedLocation{Location{group.source, group.arn_span}, "the group it joins"});
      return step;
    }
    return std::nullopt;
  }

  // A customer managed policy of the principal's own (attached to it or its groups, or its
  // boundary) with another version the export holds that, made the default, would make it
  // privileged: iam:SetDefaultPolicyVersion needs no new document. Asked of a principal whose
  // policies name it.
  std::optional<Step> set_default_version(const Principal& principal, const EffectivePolicies& effective) {
    std::vector<std::pair<const Reference*, std::string>> own;  // and what it is to the principal
    for (const Reference& r : principal.attached) own.emplace_back(&r, "a managed policy attached to it");
    for (const Reference& group : principal.groups) {
      const Principal* listed = index_.group(group.target);
      if (listed == nullptr) continue;
      for (const Reference& r : listed->attached) {
        own.emplace_back(&r, fmt::format("a managed policy attached to its group `{}`", group.target));
      }
    }
    if (principal.boundary) own.emplace_back(&*principal.boundary, "its permissions boundary");
    for (const auto& [reference, relation] : own) {
      const auto it = shared_.policies.find(reference->target);
      if (it == shared_.policies.end() || it->second->versions.size() < 2) continue;
      const ManagedPolicy& policy = *it->second;
      const PolicyVersion* current = policy.default_version();
      const eval::CompiledPolicy* replaced =
          current != nullptr && current->document.present ? index_.compiled(current->document).policy : nullptr;
      if (replaced == nullptr) continue;
      const eval::Answer answer = decide(effective.set, principal.arn, "iam:SetDefaultPolicyVersion", policy.arn);
      if (stopped()) return std::nullopt;
      if (!admitted(answer.decision)) continue;
      for (const PolicyVersion& version : policy.versions) {
        if (version.is_default || !version.document.present) continue;
        const CompiledDocument other = index_.compiled(version.document);
        if (other.policy == nullptr) continue;
        EffectivePolicies changed = effective;
        for (std::vector<const eval::CompiledPolicy*>* list : {&changed.set.identity, &changed.set.boundary}) {
          std::ranges::replace(*list, replaced, other.policy);
        }
        changed.copies.emplace(other.policy, other);
        if (!spend(kPrivilegeWeight * weight(changed.set))) return std::nullopt;
        PrivilegeProbe::Privilege privilege = probe_.privilege(principal, changed);
        if (privilege.standing == Standing::none) continue;
        Step step{"set-default-policy-version",
                  fmt::format("it is allowed `iam:SetDefaultPolicyVersion` on `{}`, {}, whose version `{}` would "
                              "make it {}",
                              policy.arn, relation, version.id, would_be(privilege.standing)),
                  fmt::format("can make version `{}` of `{}` the default", version.id, policy.arn)};
        step.take(answer);
        step.conditional = step.conditional || privilege.conditional;
        step.keys.merge(privilege.keys);
        note_allowing_statements(answer, effective, nullptr, step.because, "iam:SetDefaultPolicyVersion");
        step.because.push_back(RelatedLocation{document_location(other), fmt::format("version `{}`", version.id)});
        return step;
      }
    }
    return std::nullopt;
  }

  // Where a compiled document's copy is, as a whole.
  static Location document_location(const CompiledDocument& copy) {
    const policy::Document& document = copy.policy->document();
    return Location{copy.source, Span{static_cast<std::uint32_t>(document.span.begin + copy.shift),
                                      static_cast<std::uint32_t>(document.span.end + copy.shift)}};
  }

  // Whether the group has policies of its own, which a user who joins it gets beside its own:
  // the group alone need not be privileged (its iam:PassRole with the user's ec2:RunInstances).
  static bool holds_policies(const Principal& group) {
    return !group.inline_policies.empty() || !group.attached.empty();
  }

  // steps_named(), kept per policy: principals share most of theirs.
  std::uint8_t steps_named_by(const eval::CompiledPolicy& policy) {
    const auto [it, fresh] = steps_named_.try_emplace(&policy);
    if (fresh) it->second = steps_named(policy);
    return it->second;
  }

  Shared& shared_;
  const Export& model_;
  const PolicyIndex& index_;
  PrivilegeProbe probe_;
  std::size_t targets_ = 0;
  // The current principal's own targets (reached_raisers), kept while its answer is read.
  std::deque<Target> own_targets_;
  // By target and route (pass_role_routes()): whether the route's service may assume the target.
  std::vector<std::optional<eval::Decision>> admits_service_;
  // What one identity policy alone answers for a step to each of the round's targets, by caller
  // class (kind, partition, account): 0 not asked, 1 may admit, 2 refuses.
  std::unordered_map<AloneKey, std::vector<std::uint8_t>, AloneKeyHash> alone_;
  std::unordered_map<std::string, std::uint32_t> caller_classes_;
  std::unordered_map<const eval::CompiledPolicy*, std::uint8_t> steps_named_;
  // The current principal's requests (request_at()), by caller, action and service passed to.
  struct KeptRequest {
    std::string caller;
    std::string action;
    std::string passed_to;
    std::optional<eval::Request> request;  // none: the caller or action cannot be asked about
  };
  std::vector<KeptRequest> requests_;
  std::map<std::pair<const eval::CompiledPolicy*, std::string>, PolicyCost>
      costs_;  // weight()'s, by policy and service
  // The current principal's: its caller class, and per step its policies' tables once read.
  struct Sieve {
    std::optional<std::uint32_t> caller_class;
    std::vector<bool> ready;
    std::vector<std::vector<Table>> tables;
  } sieve_;
};

// The pass: rounds of questions to every principal, on all cores, until no new role is reached.
class Reach {
 public:
  Reach(const Export& model, const PolicyIndex& index, std::span<const Standing> standings, DiagnosticSink& sink,
        unsigned threads)
      : model_(model), standings_(standings), sink_(sink), index_(index), threads_(std::max(1u, threads)) {}

  void run() {
    // The answers are the same in any order, but where a budget that runs out stops is not: a
    // pass that runs out on several threads is asked again on one, in the principals' order.
    // The threads get half the budget, so that a pass that runs out costs at most a quarter of
    // the budget's time more than one thread would take (each asker keeps its own answers, so
    // the threads ask a few percent more questions than one thread does).
    raises_ = find_raises(model_, index_, standings_, threads_);
    if (threads_ > 1 && ask_rounds(threads_)) return report_all();
    ask_rounds(1);
    report_all();
  }

 private:
  // The rounds, with `workers` askers; false when the budget ran out on more than one.
  bool ask_rounds(unsigned workers) {
    shared_ = std::make_unique<Shared>(model_, index_, workers > 1 ? kMaxQuestions / 2 : kMaxQuestions);
    std::vector<std::unique_ptr<Asker>> askers;
    for (unsigned w = 0; w < workers; ++w) askers.push_back(std::make_unique<Asker>(*shared_));
    chain_cut_.clear();
    std::vector<Target> frontier;
    for (std::size_t i = 0; i < model_.principals.size(); ++i) {
      const Principal& privileged = model_.principals[i];
      if (privileged.kind == PrincipalKind::group || standings_[i] == Standing::none ||
          standings_[i] == Standing::noted) {
        continue;
      }
      frontier.push_back(
          target(privileged, standings_[i] == Standing::administrator ? "is allowed everything (ACC101)"
                             : standings_[i] == Standing::escalates   ? "can raise its own permissions (ACC102)"
                             : privileged.kind == PrincipalKind::role ? "can raise any user's permissions (ACC102)"
                                                                      : "can raise any role's permissions (ACC102)"));
      frontier.back().raises_others = standings_[i] == Standing::raises_others;
    }
    add_raise_targets(frontier);
    reached_.assign(model_.principals.size(), std::nullopt);
    relayed_.assign(model_.principals.size(), false);
    // Groups are asked in the first round only: whoever reaches a user who joins one reaches
    // the user, asked in the next round. A principal reached only under conditions is asked
    // again in later rounds, for a step that holds outright.
    for (std::size_t round = 0; round < kMaxChain && (round == 0 || !frontier.empty()); ++round) {
      begin_round(frontier);
      for (const auto& asker : askers) asker->begin_round(frontier.size());
      std::vector<std::size_t> asked;
      for (std::size_t i = 0; i < model_.principals.size(); ++i) {
        const Principal& principal = model_.principals[i];
        if (principal.kind == PrincipalKind::group || principal.arn.empty()) continue;
        // One that raises only the other kind's permissions is asked for a way to raise its own.
        const bool asked_too = standings_[i] == Standing::none || standings_[i] == Standing::raises_others;
        if (!asked_too || (reached_[i] && !reached_[i]->step.conditional)) continue;
        asked.push_back(i);
      }
      std::vector<std::optional<Reached>> answers = ask_all(askers, asked, round, frontier);
      if (shared_->stopped && workers > 1) return false;
      std::vector<Target> next;
      for (std::size_t k = 0; k < asked.size(); ++k) {
        const std::size_t i = asked[k];
        std::optional<Reached>& reached = answers[k];
        if (!reached || (reached_[i] && reached->step.conditional)) continue;
        // A role or user reached so is a target in turn: whoever reaches it reaches what it
        // does, under the same conditions.
        const Principal& principal = model_.principals[i];
        const Step& step = reached->step;
        const std::string_view only = step.conditional ? " (only under conditions)" : "";
        if (step.relay) {
          // Not reported: a target in turn for the other kind, once.
          if (relayed_[i]) continue;
          relayed_[i] = true;
          Target in_turn = target(principal, fmt::format("{}{}, which {}", step.reaches, only, reached->via_is));
          in_turn.conditional = step.conditional;
          in_turn.keys = step.keys;
          in_turn.raises_others = true;
          next.push_back(std::move(in_turn));
          continue;
        }
        Target in_turn = target(principal, !reached->via_is.empty()
                                               ? fmt::format("{}{}, which {}", step.reaches, only, reached->via_is)
                                               : fmt::format("{}{} (ACC102)", step.reaches, only));
        in_turn.conditional = step.conditional;
        in_turn.keys = step.keys;
        next.push_back(std::move(in_turn));
        reached_[i] = std::move(reached);
      }
      if (shared_->stopped) break;
      frontier = std::move(next);
    }
    if (!shared_->stopped && !frontier.empty()) chain_cut_ = std::move(frontier);
    return true;
  }

  // The round's answers, by `asked`'s order; none past the one that ran out of budget.
  std::vector<std::optional<Reached>> ask_all(std::vector<std::unique_ptr<Asker>>& askers,
                                              const std::vector<std::size_t>& asked, std::size_t round,
                                              const std::vector<Target>& frontier) {
    std::vector<std::optional<Reached>> answers(asked.size());
    std::atomic<std::size_t> next{0};
    std::mutex failure_mutex;
    std::exception_ptr failure;
    const auto work = [&](Asker& asker) {
      try {
        for (std::size_t k = next++; k < asked.size() && !shared_->stopped; k = next++) {
          answers[k] = asker.ask(asked[k], round, frontier);
        }
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        shared_->stopped = true;  // the others stop too; what failed is thrown below
      }
    };
    {
      std::vector<std::jthread> running;
      for (std::size_t w = 1; w < askers.size() && asked.size() > 1; ++w) {
        try {
          running.emplace_back([&, w] { work(*askers[w]); });
        } catch (const std::system_error&) {
          break;  // a thread that cannot start (a limit on processes): the others share its part
        }
      }
      work(*askers.front());
    }
    if (failure) std::rethrow_exception(failure);
    return answers;
  }

  // A role that adds any user to a privileged group is a target for every user (and a relay for
  // roles); the other raises are each principal's own targets, indexed here.
  void add_raise_targets(std::vector<Target>& frontier) const {
    shared_->raises = &raises_;
    for (std::uint32_t r = 0; r < raises_.raises.size(); ++r) {
      const Raise& raise = raises_.raises[r];
      if (!raise.raised.empty()) {
        shared_->raises_by[raise.raiser].push_back(r);
        for (const std::uint32_t raised : raise.raised) shared_->raises_of[raised].push_back(r);
        continue;
      }
      Target& raiser = frontier.emplace_back(target(model_.principals[raise.raiser], raiser_is(raise)));
      raiser.conditional = raise.conditional;
      raiser.keys = raise.keys;
      raiser.raise = &raise;
      raiser.raises_others = true;
    }
  }

  void report_all() {
    note_raises_cut();
    if (shared_->stopped) note_budget_spent();
    if (!chain_cut_.empty()) note_chain_cut(chain_cut_);
    // Reported once each, with the best step found: one that holds outright over one that
    // holds under conditions, else the first.
    for (std::size_t i = 0; i < model_.principals.size(); ++i) {
      if (reached_[i]) report(model_.principals[i], *reached_[i]);
    }
  }

  void note_budget_spent() {
    const Principal& first = model_.principals.front();
    Diagnostic note{&rules::kPrivilegeEscalation,
                    Level::note,
                    fmt::format("principals were asked whether they can reach an administrator through a role, "
                                "a user or a group until {} questions to the evaluator; the rest were not asked",
                                kMaxQuestions),
                    Location{first.source, Span{0, 0}},
                    "",
                    "",
                    {},
                    {}};
    sink_.report(std::move(note));
  }

  // Where the search for who can raise whose permissions by name (raisers.h) stopped.
  void note_raises_cut() {
    if (raises_.cut_at) {
      const Principal& raiser = model_.principals[raises_.cut_at->raiser];
      sink_.report(Diagnostic{
          &rules::kPrivilegeEscalation,
          Level::note,
          fmt::format("{} `{}` names more than {} resources of other principals for `{}`; whether it is allowed it "
                      "on them (so that they, or it, escalate through the other) was asked of the first {} only, "
                      "as it was for any other principal naming more",
                      kind_name(raiser.kind), raiser.arn, kMaxRaisedResources, raises_.cut_at->action,
                      kMaxRaisedResources),
          Location{raiser.source, raiser.arn_span},
          "",
          "",
          {},
          {}});
    }
    if (raises_.questions_spent) {
      const Principal& first = model_.principals.front();
      sink_.report(Diagnostic{&rules::kPrivilegeEscalation,
                              Level::note,
                              fmt::format("principals were asked whose permissions they can raise by name until {} "
                                          "questions to the evaluator; the rest were not asked",
                                          kMaxRaiseQuestions),
                              Location{first.source, Span{0, 0}},
                              "",
                              "",
                              {},
                              {}});
    }
  }

  Target target(const Principal& principal, std::string is) const {
    return make_target(principal, std::move(is), index_);
  }

  // Readies a round's targets: which admit everyone, which name whom.
  void begin_round(const std::vector<Target>& frontier) {
    shared_->roles.clear();
    shared_->users.clear();
    shared_->open_to_all.clear();
    shared_->naming.clear();
    shared_->any_open_to_account = false;
    for (std::uint32_t t = 0; t < frontier.size(); ++t) {
      if (frontier[t].open_to_all) shared_->open_to_all.push_back(t);
      (frontier[t].principal->kind == PrincipalKind::user ? shared_->users : shared_->roles).push_back(t);
      shared_->any_open_to_account = shared_->any_open_to_account || frontier[t].open_to_account;
      for (const std::string_view arn : frontier[t].named) shared_->naming[arn].push_back(t);
    }
  }

  // Chains longer than kMaxChain roles and users are not followed: said, at the first one
  // reached last.
  void note_chain_cut(const std::vector<Target>& frontier) {
    const Principal& first = *frontier.front().principal;
    Diagnostic note{
        &rules::kPrivilegeEscalation,
        Level::note,
        fmt::format(
            "chains of more than {} roles and users are not followed: whoever can reach {} `{}`{} was "
            "not asked",
            kMaxChain, first.kind == PrincipalKind::user ? "user" : "role", first.arn,
            frontier.size() > 1 ? fmt::format(" or {} others reached last", frontier.size() - 1) : std::string()),
        Location{frontier.front().principal->source, frontier.front().principal->arn_span},
        "",
        "",
        {},
        {}};
    sink_.report(std::move(note));
  }

  void report(const Principal& principal, Reached& reached) {
    Step& step = reached.step;
    const EffectivePolicies effective = index_.effective(principal);
    std::string message = fmt::format(
        "{} `{}` can raise its own permissions ({}): {}{}{}", principal.kind == PrincipalKind::user ? "user" : "role",
        principal.arn, step.path, step.text,
        !reached.via_is.empty()
            ? fmt::format(", and that {} {}", reached.via_kind == PrincipalKind::user ? "user" : "role", reached.via_is)
            : std::string(),
        !step.conditional   ? std::string()
        : step.keys.empty() ? std::string(", only under conditions")
                            : fmt::format(", only under conditions on {}", backticked(step.keys)));
    Level level = step.conditional ? Level::note : Level::warning;
    if (const std::string caveat = missing_policy_caveat(effective, principal); !caveat.empty()) {
      level = Level::note;
      message += caveat;
    }
    for (RelatedLocation& related : step.because) related.message = clip_long_quotes(std::move(related.message));
    Diagnostic diagnostic{&rules::kPrivilegeEscalation,
                          level,
                          clip_long_quotes(std::move(message)),
                          Location{principal.source, principal.arn_span},
                          principal.pointer + "/Arn",
                          "",
                          std::move(step.because),
                          {}};
    diagnostic.logical.push_back(
        LogicalLocation{clip_long_name(principal.name), clip_long_name(principal.arn), "resource"});
    sink_.report(std::move(diagnostic));
  }

  const Export& model_;
  std::span<const Standing> standings_;
  DiagnosticSink& sink_;
  const PolicyIndex& index_;
  unsigned threads_;
  std::unique_ptr<Shared> shared_;
  std::vector<std::optional<Reached>> reached_;  // by principal: its best step
  std::vector<bool> relayed_;                    // by principal: a relay target already (Step::relay)
  std::vector<Target> chain_cut_;                // those reached last, when chains go on past kMaxChain
  RaiseSearch raises_;                           // who can raise whose permissions by name (raisers.h)
};

}  // namespace

void check_reach(const Export& model, const PolicyIndex& index, std::span<const Standing> standings,
                 DiagnosticSink& sink, unsigned threads) {
  if (model.principals.empty() || standings.size() != model.principals.size()) return;
  Reach(model, index, standings, sink, threads).run();
}

}  // namespace grantlint::account
