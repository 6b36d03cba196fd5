// Key policies that no one can administer any more (KMS001): a Deny of `kms:PutKeyPolicy` to
// everyone, no statement that lets an identity change the policy, or Deny statements that,
// asked of the evaluator, refuse it to every caller the policy admits.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/placeholder.h"
#include "base/strings.h"
#include "checks/checks.h"
#include "checks/lockout_callers.h"
#include "checks/statement_scope.h"
#include "eval/context.h"
#include "eval/decide.h"
#include "match/arn.h"
#include "match/glob.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

// An unconditional Deny of kms:PutKeyPolicy on the key to everyone, which locks out every
// administrator.
const policy::Statement* denies_administration(const policy::Document& doc) {
  for (const policy::Statement& st : doc.statements) {
    if (st.effect == policy::Effect::deny && is_public(st.principal) && st.conditions.empty() &&
        covers_action(st, "kms:PutKeyPolicy") && names_the_key(st)) {
      return &st;
    }
  }
  return nullptr;
}

// The condition of `st` that no `kms:PutKeyPolicy` request meets, if any. Administrators call
// it directly: the request carries no `kms:ViaService` (only an integrated service calling KMS
// for them sets it; CloudFormation, which may update a key's policy for its caller, aside), no
// grant or cryptographic keys (`kms:GrantIsForAWSResource`, `kms:EncryptionContext:...`), and
// the caller's own account as `kms:CallerAccount`, which KMS requires to be the key's.
const policy::ConditionEntry* never_met_by_administrators(const policy::Statement& st, std::string_view owner) {
  static constexpr std::string_view kAbsent[] = {
      "kms:ViaService",         "kms:GrantIsForAWSResource", "kms:GrantOperations",       "kms:GranteePrincipal",
      "kms:RetiringPrincipal",  "kms:GrantConstraintType",   "kms:EncryptionContextKeys", "kms:EncryptionAlgorithm",
      "kms:SigningAlgorithm",   "kms:MessageType",           "kms:MacAlgorithm",          "kms:WrappingAlgorithm",
      "kms:ReEncryptOnSameKey", "kms:DataKeyPairSpec"};
  const auto absent = [](std::string_view key) {
    return std::ranges::any_of(kAbsent, [&](std::string_view k) { return iequals(key, k); }) ||
           istarts_with(key, "kms:EncryptionContext:");
  };
  for (const policy::ConditionEntry& c : st.conditions) {
    const policy::ConditionOperator& op = c.op;
    if (op.negated() || op.if_exists || op.set_prefix == "ForAllValues" || c.values.empty()) continue;
    if (op.base == "Null") {
      // `Null` false asks that the key be there.
      if (absent(c.key) &&
          std::ranges::all_of(c.values, [](const policy::Text& v) { return iequals(v.value, "false"); }))
        return &c;
      continue;
    }
    if (iequals(c.key, "kms:ViaService")) {
      // A `Like` pattern whose service part may be CloudFormation's admits it too, in any Region
      // and partition (`*.amazonaws.com`, `*.eu-west-1.amazonaws.com`: reviews of dcff0b7 and f11545b).
      const bool like = op.base.ends_with("Like");
      const bool fold = op.base.find("IgnoreCase") != std::string_view::npos;
      if (std::ranges::none_of(c.values, [&](const policy::Text& v) {
            const std::string_view service = std::string_view(v.value).substr(0, v.value.find('.'));
            if (fold ? iequals(service, "cloudformation") : service == "cloudformation") return true;
            if (!like) return false;
            // The endpoint the pattern's own tail names, and those of two Regions (review of
            // c5c2ac7: `*amazonaws.com` has no service part of its own).
            std::string tail = v.value.find('.') == std::string::npos ? "" : v.value.substr(v.value.find('.'));
            std::ranges::replace(tail, '*', 'x');
            std::ranges::replace(tail, '?', 'x');
            const std::string own = "cloudformation" + tail;
            // ... and the one whose Region part is the pattern's own text after its leading `*`
            // (`*eu-west-1.amazonaws.com`: review of 508d103).
            std::string after_stars = v.value.substr(std::min(v.value.find_first_not_of('*'), v.value.size()));
            std::ranges::replace(after_stars, '*', 'x');
            std::ranges::replace(after_stars, '?', 'x');
            const std::string region_named = "cloudformation." + after_stars;
            for (const std::string_view endpoint : {std::string_view("cloudformation.us-east-1.amazonaws.com"),
                                                    std::string_view("cloudformation.cn-north-1.amazonaws.com.cn"),
                                                    std::string_view(own), std::string_view(region_named)}) {
              if (match::glob_matches(v.value, endpoint, fold)) return true;
            }
            return match::glob_matches(service, "cloudformation", fold);
          }))
        return &c;
      continue;
    }
    if (absent(c.key)) return &c;
    if (!owner.empty() && (iequals(c.key, "kms:CallerAccount") || iequals(c.key, "aws:PrincipalAccount")) &&
        names_values(op) && std::ranges::none_of(c.values, [&](const policy::Text& v) {
          return v.value.find_first_of("*?") != std::string::npos || is_placeholder(v.value) || v.value == owner;
        })) {
      return &c;
    }
  }
  return nullptr;
}

// Whether a statement lets everyone, the account or a named IAM identity (a user, a role, a
// role's session, a federated user) change the key policy. With `owner`, only one of that
// account counts: KMS never lets another account call `kms:PutKeyPolicy`. A statement under a
// condition no administrator's request meets is put in `unmet`.
bool administrable(const policy::Document& doc, std::string_view owner = {},
                   const policy::ConditionEntry** unmet = nullptr) {
  const std::string_view key_account = owner_of(doc).account;
  for (const policy::Statement& st : doc.statements) {
    if (st.effect != policy::Effect::allow || !st.principal.present || st.principal.negated) continue;
    if (!covers_action(st, "kms:PutKeyPolicy") || !names_the_key(st)) continue;
    if (const policy::ConditionEntry* never = never_met_by_administrators(st, key_account)) {
      if (unmet != nullptr && *unmet == nullptr) *unmet = never;
      continue;
    }
    // Everyone may change it (RES001 and KMS002 say how bad that is): not locked out.
    if (is_public(st.principal)) return true;
    for (const policy::PrincipalEntry& entry : st.principal.entries) {
      if (entry.type != "AWS") continue;
      for (const policy::Text& value : entry.values) {
        const std::string_view account = account_of_principal(value.value);
        if (!owner.empty() && !account.empty() && account != owner) continue;
        if (is_iam_identity(value.value) || !account.empty()) return true;
      }
    }
  }
  return false;
}

// What a template's key policy names of accounts: whether the stack's (`${AWS::AccountId}`), and
// the accounts it writes literally, placeholders (`${AWS::Partition}`) beside them or not (h55 H4:
// `Fn::Sub arn:${AWS::Partition}:iam::444455556666:role/KeyAdmin` was not counted).
struct StackAccounts {
  bool stack = false;      // `${AWS::AccountId}`
  bool partition = false;  // `${AWS::Partition}`
  std::set<std::string> literal;
};

StackAccounts accounts_beside_stack(const policy::Document& doc) {
  static const std::string stack_account = make_placeholder("AWS::AccountId");
  static const std::string stack_partition = make_placeholder("AWS::Partition");
  StackAccounts out;
  const auto look = [&](const policy::Text& text) {
    out.partition = out.partition || text.value.find(stack_partition) != std::string::npos;
    const std::string partition_filled = in_aws_partition(text.value);
    if (partition_filled.find(stack_account) != std::string::npos) {
      out.stack = true;
    } else if (const std::string_view account = account_of_principal(partition_filled); !account.empty()) {
      out.literal.emplace(account);
    }
  };
  for_each_account_text(doc, look);
  return out;
}

// A template's key policy with the pseudo parameters `${AWS::Partition}` and `${AWS::AccountId}`
// written as `partition` and `account`, so that the callers they name can be asked about. Other
// placeholders stay, and a principal that holds one names no caller.
policy::Document with_stack_account(const policy::Document& doc, std::string_view partition, std::string_view account) {
  policy::Document out = doc;
  const auto fill = [&](policy::Text& text) {
    if (!has_placeholder(text.value)) return;
    text.value = fill_placeholder(fill_placeholder(text.value, "AWS::AccountId", account), "AWS::Partition", partition);
  };
  for_each_account_text(out, fill);
  return out;
}

// The callers asked times the work of one caller's pass over the key policy, at most: the
// statements, principals, actions, resources and condition values it reads, each weighed by the
// words it may take against the caller's ARN (a `NotPrincipal` of 20,000 names is read whole for
// each of the 20,000 callers it names; 500 `aws:PrincipalArn` patterns of 2 KB against ARNs of
// 1 KB took 20 s: h51 H2, h52 H1). Past it the question is not worked out, which is said.
constexpr std::size_t kMaxLockoutProbeWork = 4'000'000;

// A principal is compared whole with the caller, a condition value matched against what the
// caller's request carries (its ARN, the longest of it: `text`), actions and resources against
// `kms:PutKeyPolicy` and the key's ARN. 0 for `text` counts one unit a value.
std::uint64_t one_pass(const policy::Document& doc, std::size_t text) {
  constexpr std::size_t kKeyArn = 96;  // `arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/<uuid>`, about
  std::uint64_t units = 0;
  const auto add = [&](const std::vector<policy::Text>& items, std::size_t against) {
    for (const policy::Text& item : items) units += eval::matching_units(against, item.value.size());
  };
  for (const policy::Statement& st : doc.statements) {
    units += 1;
    add(st.action.items, text == 0 ? 0 : 16);
    add(st.resource.items, text == 0 ? 0 : kKeyArn);
    // A principal is compared whole with the caller: its length counts (review of f11545b).
    for (const policy::PrincipalEntry& entry : st.principal.entries) add(entry.values, text == 0 ? 0 : 64);
    for (const policy::ConditionEntry& condition : st.conditions) add(condition.values, text);
  }
  return units;
}

struct LockoutAnswer {
  const policy::Statement* denying = nullptr;  // the Deny that refuses every caller
  std::size_t past_budget = 0;                 // past the budget: at least this many callers to ask
  bool past_patterns = false;                  // past the budget sorting accounts by patterns
  std::string template_value = {};             // callers named by a template value not known
  Span template_span = {};                     // where it is
};

// The Deny statement of the key policy (a template's filled in as `filled`) that refuses every
// caller the policy names, or those its conditions spare, `kms:PutKeyPolicy`, asked of the
// evaluator as `simulate` asks, with what else the request carries unknown; none when one caller
// may change the key policy (or may under conditions), or when none is refused by a Deny. The
// caller's own policies allow whatever the key policy lets them: only the key policy decides.
// Past `budget` none, and past_budget says so.
// `partition`, when not empty, is the only partition the key may be in (a template's run).
LockoutAnswer denies_every_caller(const policy::Document& doc, policy::Document filled, std::string_view partition,
                                  std::size_t budget) {
  // Counted first as if each value took one unit, which bounds the callers worth listing; then
  // by the length of the longest caller's ARN.
  const std::uint64_t least = std::max<std::uint64_t>(1, one_pass(filled, 0));
  Unlisted unlisted;
  const std::optional<std::vector<Probe>> probes =
      callers_to_ask(filled, owner_of(filled).account, budget, budget / least, &unlisted);
  if (unlisted.past_limit) return {.past_budget = budget / least + 1};
  if (unlisted.past_patterns) return {.past_patterns = true};
  if (!unlisted.template_value.empty()) {
    return {.template_value = std::move(unlisted.template_value), .template_span = unlisted.template_span};
  }
  if (!probes) return {};
  if (probes->empty()) return {};
  std::size_t longest = 0;
  for (const Probe& probe : *probes) longest = std::max({longest, probe.caller.size(), probe.principal_arn.size()});
  const std::vector<KeyToAsk> keys = keys_to_ask(filled, *probes);
  // Each caller is asked about the key of its own account only: KMS never lets another account
  // change a key's policy (so the work stays callers × a pass, not keys × callers × a pass).
  if (probes->size() * one_pass(filled, longest) > budget) return {.past_budget = probes->size()};
  const auto identity_policy = eval::CompiledPolicy::allowing_everywhere("kms:*");
  const auto key_policy = eval::CompiledPolicy::compile(std::move(filled), SourceId{});
  eval::PolicySet policies;
  policies.identity.push_back(identity_policy.get());
  policies.resource = key_policy.get();
  // Locked out only if locked out whichever of them is the key's account: each of its callers
  // refused, by a Deny or for want of an Allow (review of dcff0b7: an account a Deny spares but no
  // Allow admits counted as not locked out); named at the first Deny met, and none without one.
  const policy::Statement* first_denying = nullptr;
  for (const KeyToAsk& key : keys) {
    // A template's key is in the partition its run fills in (h57 H1: the `aws` run asked the
    // `aws-cn` key too, whose spared administrator hid the `aws` lockout).
    if (!partition.empty() && key.partition != partition) continue;
    const policy::Statement* denying = nullptr;
    bool asked = false;
    for (const Probe& probe : *probes) {
      const auto caller = match::split_arn(probe.caller);
      if (!caller || (*caller)[3] != key.account || (*caller)[0] != key.partition) continue;
      asked = true;
      eval::Context context;
      if (!probe.principal_arn.empty()) context.set("aws:PrincipalArn", probe.principal_arn);
      context.mark_unknown("*");
      context.keep_derived_keys();
      const auto request = eval::make_request(probe.caller, "kms:PutKeyPolicy", key.arn, "", std::move(context));
      if (!request) continue;
      const eval::Answer answer = eval::decide(policies, *request, {.explain = denying == nullptr});
      if (answer.decision == eval::Decision::allowed || answer.decision == eval::Decision::conditional) return {};
      if (answer.decision != eval::Decision::explicit_deny || denying != nullptr) continue;
      for (const eval::StatementTrace& trace : answer.statements) {
        if (trace.policy == key_policy.get() && trace.outcome == eval::StatementTrace::Outcome::applies &&
            key_policy->statements()[trace.statement].deny) {
          denying = &doc.statements[trace.statement];
          break;
        }
      }
    }
    if (!asked) continue;  // none of its callers is known (another partition's key): it tells nothing
    if (first_denying == nullptr) first_denying = denying;
  }
  return {.denying = first_denying};
}

// Accounts a template's key policy names literally beside `${AWS::AccountId}` that are each asked
// as the stack's, at most (with one it does not name): past them the question is not worked out.
constexpr std::size_t kMaxStackAccountsAsked = 32;

// Where a template's stack may be deployed, as the lockout question is asked of it.
struct Deployment {
  std::string partition;
  std::string account;
  bool named = true;  // an account the policy names (else one it names nowhere)
};

// The lockout question for each place the stack may be deployed in.
struct StackAnswer {
  LockoutAnswer first;               // the first deployment's that is locked out
  std::vector<Deployment> locked;    // the deployments the key policy locks out
  std::vector<Deployment> unlocked;  // those it does not
  bool accounts_vary = false;        // asked as several accounts
  bool partitions_vary = false;      // asked in several partitions
  bool too_many_accounts = false;    // more than kMaxStackAccountsAsked: not asked
};

// A key policy that names no stack account, or a template's whose stack account is known
// (`--account`), is asked once in each partition `${AWS::Partition}` may be. A template's that
// names `${AWS::AccountId}` beside literal accounts is asked with the stack's account as each of
// them and as one it does not name (h55 M1: a note said "not worked out" where every choice locked
// the key out; L4: and where none did). `${AWS::Partition}` is each partition the policy names
// literally, `aws` when none (review of f11545b: a China template was asked in `aws` only).
StackAnswer denies_every_administrator(const policy::Document& doc) {
  StackAnswer out;
  if (std::ranges::none_of(doc.statements, [](const policy::Statement& st) {
        return st.effect == policy::Effect::deny && covers_action(st, "kms:PutKeyPolicy");
      })) {
    return out;
  }
  const StackAccounts named = accounts_beside_stack(doc);
  std::vector<std::pair<std::string, bool>> accounts;  // and whether the policy names it
  std::string other = "000000000000";                  // an account no literal ARN names
  for (int n = 1; named.literal.contains(other); ++n) other = fmt::format("{:012}", n);
  if (!doc.account.empty()) {
    accounts.emplace_back(doc.account, true);
  } else if (!named.stack || named.literal.empty()) {
    accounts.emplace_back(other, false);
  } else if (named.literal.size() > kMaxStackAccountsAsked) {
    out.too_many_accounts = true;
    return out;
  } else {
    accounts.emplace_back(other, false);
    for (const std::string& literal : named.literal) accounts.emplace_back(literal, true);
  }
  const std::vector<std::string> partitions = named.partition ? partitions_named(doc) : std::vector<std::string>{"aws"};
  out.accounts_vary = accounts.size() > 1;
  out.partitions_vary = partitions.size() > 1;
  // Each run copies, compiles and reads the whole policy: at least a pass's work each (review of
  // c5c2ac7: 264 runs over a 14 MB template took 17 s).
  const std::size_t runs = accounts.size() * partitions.size();
  if (runs > 1 && runs * one_pass(doc, 0) > kMaxLockoutProbeWork) {
    out.first.past_budget = runs;
    return out;
  }
  const std::size_t budget = kMaxLockoutProbeWork / runs;
  for (const std::string& partition : partitions) {
    for (const auto& [account, account_named] : accounts) {
      policy::Document filled = with_stack_account(doc, partition, account);
      // A template's key is its stack's account's (h54 c04: a partner's administrator allowed by
      // name made the partner's account a candidate key account).
      if (named.stack) filled.account = account;
      const LockoutAnswer answer =
          denies_every_caller(doc, std::move(filled), named.partition ? partition : std::string_view(), budget);
      if (answer.past_budget > 0 || answer.past_patterns || !answer.template_value.empty()) {
        out.first = answer;
        return out;
      }
      Deployment deployment{partition, account, account_named};
      if (answer.denying == nullptr) {
        out.unlocked.push_back(std::move(deployment));
        continue;
      }
      if (out.first.denying == nullptr) out.first = answer;
      out.locked.push_back(std::move(deployment));
    }
  }
  return out;
}

}  // namespace

void check_key_lockout(const policy::Document& doc, Emitter& emit) {
  // A statement whose Effect did not parse makes the question unanswerable (and AWS rejects
  // the policy anyway: POL015/POL016).
  const bool effects_known = std::all_of(doc.statements.begin(), doc.statements.end(),
                                         [](const policy::Statement& st) { return st.effect.has_value(); });
  if (doc.statements.empty() || !effects_known) return;
  if (const policy::Statement* deny = denies_administration(doc)) {
    emit.emit(rules::kKeyPolicyLockout, deny->span, deny->pointer,
              "this statement denies `kms:PutKeyPolicy` to everyone without a condition, so no one can change "
              "the key policy again; the key could become unmanageable");
    return;
  }
  const policy::ConditionEntry* unmet = nullptr;
  if (!administrable(doc, {}, &unmet)) {
    if (unmet != nullptr) {
      emit.emit(rules::kKeyPolicyLockout, unmet->key_span, unmet->pointer,
                fmt::format("no one can change this key policy: the statement that lets its principals change it "
                            "(`kms:PutKeyPolicy`) holds only under `{}` on `{}`, which no administrator's request "
                            "meets (they call KMS directly, from the key's account); the key could become "
                            "unmanageable",
                            unmet->op_text, unmet->key));
      return;
    }
    emit.emit(rules::kKeyPolicyLockout, Span{doc.span.begin, doc.span.begin + 1}, "",
              "no statement lets the account or a named IAM identity change this key policy "
              "(`kms:PutKeyPolicy`); the key could become unmanageable");
    return;
  }
  if (const std::string_view owner = owner_of(doc).account; !owner.empty() && !administrable(doc, owner)) {
    emit.emit(rules::kKeyPolicyLockout, Span{doc.span.begin, doc.span.begin + 1}, "",
              fmt::format("only principals of other accounts than {} may change this key policy "
                          "(`kms:PutKeyPolicy`), and KMS never lets another account call it; the key could become "
                          "unmanageable",
                          owner));
    return;
  }
  const StackAnswer answer = denies_every_administrator(doc);
  // Said, not passed over: the note says why the question was not worked out.
  const auto not_worked_out = [&](std::string_view why) {
    emit.emit(rules::kKeyPolicyLockout, Span{doc.span.begin, doc.span.begin + 1}, "",
              fmt::format("whether a Deny statement refuses `kms:PutKeyPolicy` to every caller this key policy lets "
                          "change it was not worked out: {}",
                          why),
              Level::note);
  };
  if (answer.first.past_budget > 0) {
    not_worked_out(
        fmt::format("asking {} callers or more over a policy this long is past the check's budget (README, Limits)",
                    answer.first.past_budget));
    return;
  }
  if (answer.first.past_patterns) {
    not_worked_out(
        "sorting the accounts it names by the wildcard patterns that admit them is past the check's budget (README, "
        "Limits)");
    return;
  }
  if (!answer.first.template_value.empty()) {
    // Said where the template writes it, as it writes it (the value asked was filled in).
    std::string_view written = answer.first.template_value;
    for_each_account_text(doc, [&](const policy::Text& text) {
      if (text.span == answer.first.template_span) written = text.value;
    });
    emit.emit(rules::kKeyPolicyLockout, answer.first.template_span, "",
              fmt::format("whether a Deny statement refuses `kms:PutKeyPolicy` to every caller this key policy lets "
                          "change it was not worked out: it names callers through a template value not known before "
                          "deploy (`{}`)",
                          written),
              Level::note);
    return;
  }
  if (answer.too_many_accounts) {
    not_worked_out(
        fmt::format("it names the stack's account (`${{AWS::AccountId}}`) beside more than {} literal "
                    "accounts, any of which may be the same one; `--account` tells the stack's",
                    kMaxStackAccountsAsked));
    return;
  }
  const policy::Statement* denying = answer.first.denying;
  if (denying == nullptr) return;
  std::string message =
      denying->principal.negated
          ? "this statement denies `kms:PutKeyPolicy` to every caller its `NotPrincipal` does not exempt, and it "
            "exempts no one the policy lets change the key policy (a role's sessions are exempt only when their "
            "session ARN and the account are listed with the role)"
          : "this statement denies `kms:PutKeyPolicy` to every caller the policy lets change the key policy, those "
            "its conditions name included";
  // A template whose stack's account or partition is not known was asked as each it may be.
  const bool varies = answer.accounts_vary || answer.partitions_vary;
  const std::string pseudo = answer.accounts_vary && answer.partitions_vary
                                 ? "`${AWS::AccountId}` and `${AWS::Partition}`"
                             : answer.accounts_vary ? "`${AWS::AccountId}`"
                                                    : "`${AWS::Partition}`";
  if (answer.unlocked.empty()) {
    if (varies) message += fmt::format(", whatever the stack's {}", pseudo);
    emit.emit(rules::kKeyPolicyLockout, denying->span, denying->pointer,
              message + "; the key could become unmanageable");
    return;
  }
  const auto places = [&](const std::vector<Deployment>& list) {
    std::string out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Deployment& d = list[i];
      std::string place = !answer.accounts_vary ? std::string()
                          : d.named             ? fmt::format("account `{}`", d.account)
                                                : std::string("an account the policy does not name");
      if (answer.partitions_vary) place += fmt::format("{}partition `{}`", place.empty() ? "" : " of ", d.partition);
      out += fmt::format("{}{}", i == 0 ? "" : i + 1 == list.size() ? " or " : ", ", place);
    }
    return out;
  };
  // Named by the places it holds in, unless one of them is an account the policy does not name.
  const bool unless = std::ranges::any_of(answer.locked, [](const Deployment& d) { return !d.named; }) &&
                      std::ranges::all_of(answer.unlocked, [](const Deployment& d) { return d.named; });
  message += unless ? fmt::format(", unless the stack is deployed in {}; elsewhere", places(answer.unlocked))
                    : fmt::format(", when the stack is deployed in {}; there", places(answer.locked));
  emit.emit(rules::kKeyPolicyLockout, denying->span, denying->pointer,
            fmt::format("{} the key could become unmanageable (it depends on {}{})", message, pseudo,
                        answer.accounts_vary ? "; `--account` tells the stack's account" : ""),
            Level::note);
}

}  // namespace grantlint::checks
