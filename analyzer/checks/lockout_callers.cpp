#include "checks/lockout_callers.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/placeholder.h"
#include "base/strings.h"
#include "checks/statement_scope.h"
#include "eval/context.h"
#include "match/arn.h"
#include "match/glob.h"

namespace grantlint::checks {

namespace {

constexpr std::string_view kProbe = "grantlint-probe";

// Of `partitions`, those a partition field admits: itself, or each a pattern or variable matches.
std::vector<std::string_view> partitions_admitted(std::string_view field, const std::vector<std::string>& partitions) {
  std::vector<std::string_view> out;
  const bool open = field.find_first_of("*?$") != std::string_view::npos;
  for (const std::string& partition : partitions) {
    if (field == partition ||
        (open && (field.find('$') != std::string_view::npos || match::glob_matches(field, partition, false)))) {
      out.push_back(partition);
    }
  }
  if (!open && out.empty()) out.push_back(field);
  return out;
}

// The ways a key policy tells identities apart: the texts of its principals that name a role,
// a user or a session, and its `aws:PrincipalArn` values; `names_otherwise` when a condition tests
// `aws:username`, `aws:userid` or `aws:SourceIdentity`.
struct IdentityTests {
  std::set<std::string_view> texts;
  bool names_otherwise = false;
};

IdentityTests identity_tests(const policy::Document& doc) {
  IdentityTests out;
  for (const policy::Statement& st : doc.statements) {
    for (const policy::PrincipalEntry& entry : st.principal.entries) {
      for (const policy::Text& value : entry.values) {
        const auto fields = match::split_arn(value.value);
        if (fields && (*fields)[4].find('/') != std::string_view::npos) out.texts.insert(value.value);
      }
    }
    for (const policy::ConditionEntry& condition : st.conditions) {
      if (iequals(condition.key, "aws:PrincipalArn")) {
        for (const policy::Text& value : condition.values) out.texts.insert(value.value);
      } else if (iequals(condition.key, "aws:username") || iequals(condition.key, "aws:userid") ||
                 iequals(condition.key, "aws:SourceIdentity")) {
        out.names_otherwise = true;
      }
    }
  }
  return out;
}

// Whether a template value names an identity of a known account whose name only is decided at
// deploy, and the callers asked can stand for it: a specific name, as matchers take a
// placeholder. So is one CloudFormation makes (`Fn::GetAtt BreakGlass.Arn` of a role without a
// `RoleName`: `arn:aws:iam::<stack>:role/${BreakGlass}`); a parameter's (`role/${AdminRoleName}`,
// `RoleName: !Ref Param`) only when it is the policy's only way of telling identities apart, else
// it may be the one another names (`alice`, `role/KeyAdmin`: reviews of f11545b, c5c2ac7, 508d103).
bool only_name_unknown(std::string_view value, const IdentityTests& tests) {
  const auto fields = match::split_arn(value);
  if (!fields ||
      std::ranges::any_of(std::span(*fields).first(4), [](std::string_view f) { return has_placeholder(f); })) {
    return false;
  }
  // A name CloudFormation makes is no other's; a parameter's may be any.
  if (only_name_placeholders((*fields)[4])) return true;
  return !tests.names_otherwise && tests.texts.size() == 1 && tests.texts.contains(value);
}

// An account field matched against an account id: what eval::matching_units charges.
std::uint64_t account_matching_units(std::string_view pattern) { return eval::matching_units(12, pattern.size()); }

}  // namespace

std::vector<std::string> partitions_named(const policy::Document& doc) {
  std::set<std::string> found;
  const auto look = [&](const policy::Text& text) {
    const auto fields = match::split_arn(text.value);
    if (fields && is_partition((*fields)[0])) found.emplace((*fields)[0]);
  };
  for_each_account_text(doc, look);
  if (found.empty()) return {"aws"};
  return {found.begin(), found.end()};
}

std::optional<std::vector<Probe>> callers_to_ask(const policy::Document& doc, std::string_view owner,
                                                 std::size_t budget, std::size_t limit, Unlisted* unlisted) {
  const auto past_limit = [&] {
    unlisted->past_limit = true;
    return std::nullopt;
  };
  const auto past_patterns = [&] {
    unlisted->past_patterns = true;
    return std::nullopt;
  };
  const auto unknown = [&](const policy::Text& value) {
    unlisted->template_value = value.value;
    unlisted->template_span = value.span;
    return std::nullopt;
  };
  using Account = std::pair<std::string, std::string>;  // partition, account
  const std::vector<std::string> partitions = partitions_named(doc);
  const IdentityTests tests = identity_tests(doc);
  std::vector<std::pair<Probe, Account>> named_callers;
  std::set<Account> accounts;  // those asked
  std::set<Account> others;    // named only outside statements about kms:PutKeyPolicy
  // The key's own account's callers, named or not (review of f11545b: a key whose account only
  // `--account` or its ARN told was asked of no caller, and its lockout went unsaid).
  if (!owner.empty()) {
    for (const std::string& partition : partitions) accounts.emplace(partition, owner);
  }
  // Roles and users by partition, account, kind and lower-case name: the ARN named (a name is
  // unique in its account only, whatever the path: h53 H1, a partner's `role/service-role/Admin`
  // hid the key account's `Admin`; a named `user/admins/alice` is the `user/alice` a pattern fills in).
  std::map<std::string, std::string> identities;
  const auto identity_key = [](std::string_view partition, std::string_view account, std::string_view resource) {
    return fmt::format("{}:{}:{}:{}", partition, account, resource.substr(0, resource.find('/')),
                       ascii_lower(resource.substr(resource.rfind('/') + 1)));
  };
  const auto session_of = [](std::string_view partition, std::string_view account, std::string_view resource) {
    return fmt::format("arn:{}:sts::{}:assumed-role/{}/{}", partition, account,
                       resource.substr(resource.rfind('/') + 1), kProbe);
  };
  for (const policy::Statement& st : doc.statements) {
    const bool administers = covers_action(st, "kms:PutKeyPolicy");
    for (const policy::PrincipalEntry& entry : st.principal.entries) {
      if (entry.type != "AWS") continue;
      for (const policy::Text& value : entry.values) {
        if (has_placeholder(value.value) && !only_name_unknown(value.value, tests)) {
          // Who a statement that cannot change the key policy names does not decide the question
          // (review of f11545b: a `kms:Decrypt` grant to `${ConsumerAccount}` made a lockout a note).
          if (!administers) continue;
          return unknown(value);
        }
        const std::string_view account = account_of_principal(value.value);
        if (account.empty()) continue;
        const auto fields = match::split_arn(value.value);
        if (!fields) {
          for (const std::string& partition : partitions) (administers ? accounts : others).emplace(partition, account);
          continue;
        }
        Account named{std::string((*fields)[0]), std::string(account)};
        (administers ? accounts : others).insert(named);
        if (value.value.find_first_of("*?") != std::string::npos) continue;
        const std::string_view resource = (*fields)[4];
        if ((*fields)[1] == "iam" && resource.starts_with("role/")) {
          named_callers.push_back({{session_of((*fields)[0], account, resource), value.value}, named});
          identities.emplace(identity_key((*fields)[0], account, resource), value.value);
        } else if (resource.starts_with("user/") || resource.starts_with("assumed-role/") ||
                   resource.starts_with("federated-user/")) {
          named_callers.push_back({{value.value, ""}, named});
          if (resource.starts_with("user/"))
            identities.emplace(identity_key((*fields)[0], account, resource), value.value);
        }
      }
    }
  }
  struct Named {
    std::string_view pattern;
    bool wildcards;
  };
  std::vector<Named> named;
  // The patterns that may tell accounts apart: an account field or value with a wildcard.
  std::vector<std::string_view> account_patterns;
  bool alike = true;  // false when a condition may tell accounts apart in a way not worked out here
  for (const policy::Statement& st : doc.statements) {
    if (!covers_action(st, "kms:PutKeyPolicy")) continue;
    for (const policy::ConditionEntry& condition : st.conditions) {
      const bool arn = iequals(condition.key, "aws:PrincipalArn");
      if (!arn && !iequals(condition.key, "aws:PrincipalAccount") && !iequals(condition.key, "kms:CallerAccount")) {
        continue;
      }
      const bool wildcards = condition.op.base.starts_with("Arn") || condition.op.base.ends_with("Like");
      for (const policy::Text& value : condition.values) {
        if (has_placeholder(value.value) && (!arn || !only_name_unknown(value.value, tests))) {
          return unknown(value);
        }
        if (!arn) {
          if (is_account_id(value.value)) {
            for (const std::string& partition : partitions) accounts.emplace(partition, value.value);
          }
          if (wildcards && value.value.find_first_of("*?") != std::string::npos)
            account_patterns.push_back(value.value);
          continue;
        }
        named.push_back({value.value, wildcards});
        const auto fields = match::split_arn(value.value);
        if (!fields) {
          alike = alike && !wildcards;  // `*:222222222222:*` may name an account anywhere
          continue;
        }
        if (is_account_id((*fields)[3])) {
          for (const std::string_view partition : partitions_admitted((*fields)[0], partitions)) {
            accounts.emplace(partition, (*fields)[3]);
          }
        } else if (wildcards && (*fields)[3].find_first_of("*?") != std::string_view::npos &&
                   (*fields)[3].find("${") == std::string_view::npos) {
          account_patterns.push_back((*fields)[3]);
        }
      }
    }
  }
  // Of the others (not asked already), the owner's and the first of each partition that the
  // same account patterns admit: the rest are alike to it (h53 M1: `arn:aws:iam::*:role/x` kept
  // every account).
  // Each pattern weighed by its length, as matching reads it (review of f11545b: 4,000 accounts and
  // one 2 MB pattern, counted 4,000, took 4 s).
  std::uint64_t pattern_units = 0;
  for (const std::string_view pattern : account_patterns) pattern_units += account_matching_units(pattern);
  if (others.size() * pattern_units > budget) return past_patterns();
  // An account with roles or users named is not like the others: its names change what a pattern
  // fills in there (the review of 716fc36: a role named under a path in the one account asked).
  std::set<Account> with_names;
  for (const auto& [probe, account] : named_callers) with_names.insert(account);
  std::set<std::string> classes_seen;
  for (const Account& other : others) {
    if (accounts.contains(other)) continue;
    if (with_names.contains(other)) {
      accounts.insert(other);
      continue;
    }
    std::string signature = other.first + ':';
    for (const std::string_view pattern : account_patterns) {
      signature += match::glob_matches(pattern, other.second, false) ? '1' : '0';
    }
    if (!alike || other.second == owner || classes_seen.insert(std::move(signature)).second) accounts.insert(other);
  }
  std::uint64_t named_units = 0;
  for (const Named& one : named) named_units += account_matching_units(one.pattern);
  if (accounts.size() * named_units > budget) return past_patterns();
  std::vector<Probe> out;
  for (auto& [probe, account] : named_callers) {
    if (accounts.contains(account)) out.push_back(std::move(probe));
  }
  for (const auto& [partition, account] : accounts) {
    out.push_back({fmt::format("arn:{}:iam::{}:root", partition, account), ""});
    out.push_back({fmt::format("arn:{}:iam::{}:user/{}", partition, account, kProbe), ""});
    out.push_back({session_of(partition, account, kProbe), ""});
  }
  for (const Named& one : named) {
    if (!one.wildcards && one.pattern.find_first_of("*?") != std::string_view::npos) continue;
    // A policy variable (`${aws:PrincipalAccount}`) holds a `:` that is no field's end.
    std::string pattern(one.pattern);
    for (auto at = pattern.find("${"); at != std::string::npos; at = pattern.find("${", at + 2)) {
      const auto close = pattern.find('}', at);
      if (close == std::string::npos) break;
      pattern.replace(at, close - at + 1, "${}");
    }
    const auto fields = match::split_arn(pattern);
    if (!fields || (*fields)[1] != "iam" || (*fields)[4].find("${") != std::string_view::npos) continue;
    const std::vector<std::string_view> admitted_partitions = partitions_admitted((*fields)[0], partitions);
    std::string resource((*fields)[4]);
    std::ranges::replace(resource, '*', 'x');
    std::ranges::replace(resource, '?', 'x');
    const std::string_view account_field = (*fields)[3];
    for (const auto& [partition, account] : accounts) {
      const bool admitted = account_field == account || account_field.find("${") != std::string_view::npos ||
                            (one.wildcards && match::glob_matches(account_field, account, false));
      if (!admitted || std::ranges::find(admitted_partitions, partition) == admitted_partitions.end()) continue;
      if (out.size() > limit) return past_limit();
      std::string arn = fmt::format("arn:{}:iam::{}:{}", partition, account, resource);
      if (resource.starts_with("role/") || resource.starts_with("user/")) {
        const auto same_name = identities.find(identity_key(partition, account, resource));
        if (same_name != identities.end() && same_name->second != arn) continue;
      }
      if (resource.starts_with("role/")) {
        out.push_back({session_of(partition, account, resource), std::move(arn)});
      } else if (resource.starts_with("user/") || resource == "root") {
        out.push_back({std::move(arn), ""});
      }
    }
  }
  if (out.size() > limit) return past_limit();
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<KeyToAsk> keys_to_ask(const policy::Document& doc, const std::vector<Probe>& probes) {
  for (const policy::Statement& st : doc.statements) {
    if (st.resource.negated) continue;
    for (const policy::Text& item : st.resource.items) {
      const auto fields = match::split_arn(item.value);
      if (match::is_kms_key_arn(item.value) && item.value.find_first_of("*?$") == std::string::npos && fields) {
        return {{item.value, std::string((*fields)[0]), std::string((*fields)[3])}};
      }
    }
  }
  const auto key_in = [](std::string_view partition, std::string_view account) {
    return KeyToAsk{fmt::format("arn:{}:kms:us-east-1:{}:key/1234abcd-12ab-34cd-56ef-1234567890ab", partition, account),
                    std::string(partition), std::string(account)};
  };
  const std::vector<std::string> partitions = partitions_named(doc);
  if (const std::string_view owner = owner_of(doc).account; !owner.empty()) {
    std::vector<KeyToAsk> keys;
    for (const std::string& partition : partitions) keys.push_back(key_in(partition, owner));
    return keys;
  }
  std::set<std::pair<std::string, std::string>> accounts;
  const auto add_arn = [&](std::string_view arn) {
    const auto named = match::split_arn(arn);
    if (!named || !is_account_id((*named)[3])) return;
    for (const std::string_view partition : partitions_admitted((*named)[0], partitions)) {
      accounts.emplace(partition, (*named)[3]);
    }
  };
  const auto add_account = [&](std::string_view account) {
    for (const std::string& partition : partitions) accounts.emplace(partition, account);
  };
  bool open = false;  // an Allow of everyone (under conditions): any account may be the key's
  for (const policy::Statement& st : doc.statements) {
    if (st.effect != policy::Effect::allow || st.principal.negated || !covers_action(st, "kms:PutKeyPolicy")) continue;
    open = open || is_public(st.principal);
    for (const policy::PrincipalEntry& entry : st.principal.entries) {
      if (entry.type != "AWS") continue;
      for (const policy::Text& value : entry.values) {
        const std::string_view account = account_of_principal(value.value);
        if (!is_account_id(account)) continue;
        if (match::split_arn(value.value)) {
          add_arn(value.value);
        } else {
          add_account(account);
        }
      }
    }
    for (const policy::ConditionEntry& condition : st.conditions) {
      if (condition.op.negated()) continue;
      for (const policy::Text& value : condition.values) {
        if (iequals(condition.key, "aws:PrincipalArn")) {
          add_arn(value.value);
        } else if ((iequals(condition.key, "aws:PrincipalAccount") || iequals(condition.key, "kms:CallerAccount")) &&
                   is_account_id(value.value)) {
          add_account(value.value);
        }
      }
    }
  }
  // None names one, or one lets everyone in (`"Principal": "*"` under a pattern): any account a
  // caller asked is of (h53 k03: `kms:CallerAccount` `3333*` made the key's account unknown).
  if (accounts.empty() || open) {
    for (const Probe& probe : probes) add_arn(probe.caller);
  }
  std::vector<KeyToAsk> keys;
  for (const auto& [partition, account] : accounts) keys.push_back(key_in(partition, account));
  return keys;
}

}  // namespace grantlint::checks
