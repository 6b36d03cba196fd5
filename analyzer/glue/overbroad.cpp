// Overbroad grants, each decided by the evaluator and located at the statement that makes
// it: Glue service roles that may use or administer keys beyond their own (GLUE-IAM-12),
// operators whose own policies allow `glue:*` (GLUE-IAM-13), key policies that give
// CloudWatch Logs more than it needs (GLUE-KMS-06). Each message gives the narrowed
// statement.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"
#include "glue/pack.h"
#include "match/glob.h"
#include "report/json_writer.h"
#include "rules/registry.h"

namespace grantlint::glue {

namespace {

using account::Principal;
using account::PrincipalKind;

constexpr std::string_view kCryptoActions[] = {"kms:Decrypt",         "kms:Encrypt",
                                               "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
                                               "kms:ReEncryptFrom",   "kms:ReEncryptTo"};
constexpr std::string_view kAdministration[] = {"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"};
// What CloudWatch Logs needs (glue-rules.md item 5).
constexpr std::string_view kLogsFamilies[] = {"encrypt", "decrypt", "reencrypt", "generatedatakey", "describe"};
constexpr std::string_view kEncryptionManagement[] = {
    "glue:GetDataCatalogEncryptionSettings", "glue:PutDataCatalogEncryptionSettings",
    "glue:CreateSecurityConfiguration",      "glue:GetSecurityConfiguration",
    "glue:GetSecurityConfigurations",        "glue:DeleteSecurityConfiguration"};

// `["a", "b"]`, each item escaped as JSON (key ARNs come from the snapshot).
std::string json_list(const std::set<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ", ";
    report::append_json_string(out, item);
  }
  return out + "]";
}

// A statement of a principal's identity policies, where it is.
struct StatementAt {
  const eval::CompiledPolicy* policy = nullptr;
  const policy::Statement* statement = nullptr;
  Location at;
  std::string pointer;   // in the file, the document's pointer included
  bool applies = false;  // without depending on unknown context
  std::string attached;  // an AWS managed policy the input does not hold: its ARN (`at` is where it is attached)
};

// What a statement was found to grant, to whom.
struct Grant {
  StatementAt where;
  std::vector<const Principal*> principals;
  std::set<std::string> crypto, administration;
  bool unconditional = false;
  std::set<std::string> condition_keys;
};

class OverbroadChecker {
 public:
  explicit OverbroadChecker(Pack& pack) : pack_(pack), snapshot_(pack.snapshot) {}

  void run() {
    if (pack_.has(Input::authorization_details, "GLUE-IAM-12 GLUE-IAM-13")) {
      check_glue_roles();
      check_operators();
    }
    check_logs_grants();
  }

 private:
  // The identity-policy Allow statements the evaluator found to grant a request.
  std::vector<StatementAt> granting(const Outcome& outcome, const account::EffectivePolicies& policies,
                                    const Principal& principal) const {
    std::vector<StatementAt> out;
    for (const eval::StatementTrace& trace : outcome.statements) {
      if (trace.outcome == eval::StatementTrace::Outcome::no_match) continue;
      if (std::ranges::find(policies.set.identity, trace.policy) == policies.set.identity.end()) continue;
      const eval::CompiledStatement& compiled = trace.policy->statements()[trace.statement];
      if (compiled.deny) continue;
      const policy::Statement& statement = *compiled.source;
      // `*` on `*` is an administrator, which the account rules report.
      const auto star = [](const policy::PatternList& list) {
        return !list.negated &&
               std::ranges::any_of(list.items, [](const policy::Text& item) { return item.value == "*"; });
      };
      if (star(statement.action) && star(statement.resource)) continue;
      const auto copy = policies.copies.find(trace.policy);
      if (copy == policies.copies.end()) {
        // A known AWS managed policy the input does not hold: the grant is where it is attached.
        if (const account::Reference* reference = pack_.attached_at(principal, trace.policy)) {
          out.push_back(StatementAt{trace.policy, &statement, Location{reference->source, reference->span},
                                    reference->pointer, trace.outcome == eval::StatementTrace::Outcome::applies,
                                    reference->target});
        }
        continue;
      }
      out.push_back(StatementAt{trace.policy, &statement, account::statement_location(copy->second, statement),
                                account::statement_pointer(copy->second, statement),
                                trace.outcome == eval::StatementTrace::Outcome::applies, ""});
    }
    return out;
  }

  // The roles Glue runs as, with the components that use each.
  std::map<const Principal*, std::vector<const Component*>> glue_roles() const {
    std::map<const Principal*, std::vector<const Component*>> roles;
    for (const Component& component : snapshot_.components) {
      if (!component.role) continue;
      if (const Principal* role = pack_.role(component.role->value)) roles[role].push_back(&component);
    }
    if (snapshot_.catalog && snapshot_.catalog->mode == "SSE-KMS-WITH-SERVICE-ROLE" &&
        snapshot_.catalog->service_role) {
      if (const Principal* role = pack_.role(snapshot_.catalog->service_role->value)) roles[role];
    }
    return roles;
  }

  // A key of the account that no Glue path uses: what `*` and `key/*` grant beyond the
  // role's own keys.
  std::string probe_key() const { return snapshot_.kms_key_arn("00000000-0000-4000-8000-000000000000"); }

  void check_glue_roles() {
    if (pack_.iam_delegation() == nullptr) return;
    std::map<std::pair<SourceId, std::uint32_t>, Grant> grants;  // by where the statement is
    const auto roles = glue_roles();
    for (const auto& [role, components] : roles) {
      const account::EffectivePolicies& policies = pack_.effective(*role);
      eval::PolicySet iam_only = policies.set;
      iam_only.resource = pack_.iam_delegation();
      const auto note = [&](std::string_view action, const std::string& key_arn, bool administration) {
        const Outcome outcome = Pack::ask(role->arn, action, key_arn, iam_only, {});
        if (!granted(outcome.decision)) return;
        for (const StatementAt& at : granting(outcome, policies, *role)) {
          Grant& grant = grants[{at.at.source, at.at.span.begin}];
          grant.where = at;
          if (std::ranges::find(grant.principals, role) == grant.principals.end()) grant.principals.push_back(role);
          (administration ? grant.administration : grant.crypto).emplace(action);
          grant.unconditional = grant.unconditional || at.applies;
          // What this statement's own answer depends on: its condition keys.
          for (const policy::ConditionEntry& entry : at.statement->conditions) grant.condition_keys.insert(entry.key);
        }
      };
      const std::string probe = probe_key();
      for (const std::string_view action : kCryptoActions) note(action, probe, false);
      for (const std::string_view action : kAdministration) {
        note(action, probe, true);
        for (const auto& [key, actions] : pack_.needs(*role)) note(action, key->arn, true);
      }
    }
    for (const auto& [where, grant] : grants) report_role_grant(grant, roles);
  }

  // What grants it: a statement, or an AWS managed policy attached here that the input does not hold.
  static std::string granter(const Grant& grant) {
    return grant.where.attached.empty() ? std::string("this statement")
                                        : fmt::format("the AWS managed policy `{}` attached here", grant.where.attached);
  }

  void report_role_grant(const Grant& grant,
                         const std::map<const Principal*, std::vector<const Component*>>& roles) const {
    std::vector<std::string> names, users;
    std::vector<LogicalLocation> logical;
    std::vector<RelatedLocation> related;
    std::map<std::set<std::string>, std::set<std::string>> narrowed;  // actions → key ARNs
    std::set<std::string> unresolved;                                  // keys the input does not hold
    for (const Principal* role : grant.principals) {
      unresolved.merge(pack_.unresolved_needs(*role));
      names.push_back(role->name);
      logical.push_back(Pack::of(*role));
      related.push_back(RelatedLocation{pack_.where(*role), fmt::format("role `{}`", role->name)});
      for (const Component* component : roles.at(role)) {
        users.push_back(fmt::format("{} `{}`", to_string(component->kind), component->name.value));
        logical.push_back(pack_.of(*component));
      }
      for (const auto& [key, actions] : pack_.needs(*role)) narrowed[actions].insert(key->arn);
    }
    std::vector<std::string> what;
    if (!grant.crypto.empty()) what.push_back(fmt::format("use any key of the account ({})", backticked(grant.crypto)));
    if (!grant.administration.empty()) {
      what.push_back(fmt::format("administer keys ({})", backticked(grant.administration)));
    }
    std::vector<std::string> statements;
    for (const auto& [actions, keys] : narrowed) {
      statements.push_back(
          fmt::format(R"(`{{"Effect": "Allow", "Action": {}, "Resource": {}}}`)", json_list(actions), json_list(keys)));
    }
    const std::string_view their = grant.principals.size() == 1 ? "its" : "their";
    // Keys the input does not resolve are named as written: their ARNs are not known here.
    const std::string elsewhere =
        unresolved.empty() ? "" : fmt::format("keys {}, which the input does not resolve", backticked(unresolved));
    const std::string advice =
        statements.empty() && unresolved.empty()
            ? fmt::format("{} Glue work uses no key through IAM: remove the KMS actions", their)
        : statements.empty() ? fmt::format("{} Glue work uses only {}", their, elsewhere)
                             : fmt::format("{} Glue work needs only {}{}", their, fmt::join(statements, " and "),
                                           unresolved.empty() ? "" : ", and " + elsewhere);
    const std::string who = fmt::format("{} {}", names.size() == 1 ? "role" : "roles", backticked(names));
    const std::string used = users.empty() ? std::string("the Data Catalog's encryption service role")
                                           : fmt::format("used by {}", fmt::join(users, ", "));
    if (grant.unconditional) {
      pack_.report(rules::kGlueRoleKmsOverbroad, Severity::medium,
                   Place{grant.where.at.source, grant.where.at.span, grant.where.pointer},
                   fmt::format("{} lets {} ({}) {}; {}", granter(grant), who, used, fmt::join(what, " and "), advice),
                   std::move(logical), std::move(related));
    } else {
      pack_.report(rules::kGlueRoleKmsOverbroad, Severity::info,
                   Place{grant.where.at.source, grant.where.at.span, grant.where.pointer},
                   fmt::format("{} may let {} ({}) {}, under conditions on {} {} cannot tell; {}", granter(grant), who, used,
                               fmt::join(what, " and "), backticked(grant.condition_keys), pack_.input_name(), advice),
                   std::move(logical), std::move(related));
    }
  }

  // Whether a pattern of Action names every Glue action (`glue:*`, `gl*:*`).
  static bool every_glue_action(std::string_view pattern) {
    const std::size_t colon = pattern.find(':');
    if (colon == std::string_view::npos) return false;
    const std::string_view name = pattern.substr(colon + 1);
    return match::glob_matches(pattern.substr(0, colon), "glue", true) && !name.empty() &&
           name.find_first_not_of('*') == std::string_view::npos;
  }

  void check_operators() {
    // An action no encryption work needs: the evaluator shows which statements grant it.
    const std::string database = pack_.glue_arn("database/grantlint-probe");
    for (const Principal* principal : pack_.operators()) {
      const account::EffectivePolicies& policies = pack_.effective(*principal);
      const Outcome outcome = Pack::ask(principal->arn, "glue:DeleteDatabase", database, policies.set, {});
      if (!granted(outcome.decision)) continue;
      for (const StatementAt& at : granting(outcome, policies, *principal)) {
        if (policies.aws_managed.contains(at.policy) || at.statement->action.negated) continue;
        const auto wildcard = std::ranges::find_if(
            at.statement->action.items, [](const policy::Text& item) { return every_glue_action(item.value); });
        if (wildcard == at.statement->action.items.end()) continue;
        pack_.report(
            rules::kGlueOperatorWildcard, Severity::info, Place{at.at.source, at.at.span, at.pointer},
            fmt::format(
                "{} `{}` is allowed `{}` by a policy of the account; if they only manage Glue's encryption, "
                "`{{\"Effect\": \"Allow\", \"Action\": {}, \"Resource\": \"*\"}}` is what that needs",
                kind_name(*principal), principal->name, wildcard->value,
                json_list(std::set<std::string>(std::begin(kEncryptionManagement), std::end(kEncryptionManagement)))),
            {Pack::of(*principal)}, {RelatedLocation{pack_.where(*principal), "the principal"}});
      }
    }
  }

  // Key-policy statements naming CloudWatch Logs that the evaluator found to grant a request.
  static std::vector<const policy::Statement*> logs_statements(const Outcome& outcome) {
    std::vector<const policy::Statement*> out;
    for (const eval::StatementTrace& trace : outcome.statements) {
      if (trace.outcome != eval::StatementTrace::Outcome::applies) continue;
      const eval::CompiledStatement& compiled = trace.policy->statements()[trace.statement];
      const auto logs = [](std::string_view service) { return service.starts_with("logs."); };
      if (!compiled.deny && names_service(*compiled.source, logs)) out.push_back(compiled.source);
    }
    return out;
  }

  void check_logs_grants() {
    const catalog::Service* kms = pack_.catalog.find_service("kms");
    std::set<const Key*> done;
    for (const KeyUse& use : pack_.key_uses()) {
      if (use.purpose != KeyPurpose::cloudwatch || use.reference == nullptr) continue;
      const Key* key = pack_.resolve(use.reference->value).key;
      if (key == nullptr || !done.insert(key).second) continue;
      const eval::CompiledPolicy* policy = pack_.key_policy(*key);
      if (policy == nullptr) continue;  // the requirement check reports it not evaluated
      eval::PolicySet set;
      set.resource = policy;
      const std::string service = fmt::format("logs.{}.amazonaws.com", snapshot_.region);
      // A request of CloudWatch Logs for a log group of `account`: the encryption context and the
      // confused-deputy keys AWS recommends scoping it with.
      const auto context = [&](std::string_view account, std::string_view group) {
        const std::string arn =
            fmt::format("arn:{}:logs:{}:{}:log-group:{}", snapshot_.partition, snapshot_.region, account, group);
        return RequestContext{{"kms:EncryptionContext:aws:logs:arn", arn},
                              {"aws:SourceArn", arn},
                              {"aws:SourceAccount", std::string(account)}};
      };
      std::map<const policy::Statement*, std::set<std::string>> extra;
      if (kms != nullptr) {
        const RequestContext glue = context(snapshot_.account, "/aws-glue/jobs/output");
        for (const catalog::Action& action : kms->actions) {
          // Key policies govern the actions on a key; the others (`kms:CreateKey`) are IAM's.
          const bool on_key = std::ranges::any_of(
              action.resources, [](const catalog::ActionResource& resource) { return resource.name == "key"; });
          if (!on_key) continue;
          const std::string lower = ascii_lower(action.name);
          if (std::ranges::any_of(kLogsFamilies, [&](std::string_view family) { return lower.starts_with(family); }))
            continue;
          const std::string name = fmt::format("kms:{}", action.name);
          const Outcome outcome = Pack::ask(service, name, key->arn, set, glue);
          for (const policy::Statement* statement : logs_statements(outcome)) extra[statement].insert(name);
        }
      }
      // A log group of another account: a statement that admits it does not scope the key
      // to this account's log groups, let alone Glue's.
      const std::string other_account = snapshot_.account == "999999999999" ? "888888888888" : "999999999999";
      std::set<const policy::Statement*> unscoped;
      const Outcome foreign =
          Pack::ask(service, "kms:Decrypt", key->arn, set, context(other_account, "/grantlint/probe"));
      for (const policy::Statement* statement : logs_statements(foreign)) unscoped.insert(statement);
      std::set<const policy::Statement*> statements(unscoped);
      for (const auto& [statement, actions] : extra) statements.insert(statement);
      for (const policy::Statement* statement : statements) {
        report_logs_grant(*key, use, *statement, extra[statement], unscoped.contains(statement));
      }
    }
  }

  void report_logs_grant(const Key& key, const KeyUse& use, const policy::Statement& statement,
                         const std::set<std::string>& extra, bool unscoped) {
    std::vector<std::string> problems;
    if (!extra.empty()) {
      std::vector<std::string> examples(extra.begin(), extra.end());
      const std::size_t shown = std::min<std::size_t>(examples.size(), 4);
      problems.push_back(fmt::format(
          "grants the service {} action{} beyond the five families it needs ({}{})", extra.size(),
          extra.size() == 1 ? "" : "s",
          backticked(std::vector<std::string>(examples.begin(), examples.begin() + static_cast<long>(shown))),
          shown < examples.size() ? ", ..." : ""));
    }
    if (unscoped) {
      problems.push_back(
          "admits the log groups of other accounts (no `kms:EncryptionContext:aws:logs:arn` condition scopes it)");
    }
    const std::string narrowed = fmt::format(
        R"(`{{"Effect": "Allow", "Principal": {{"Service": "logs.{}.amazonaws.com"}}, "Action": ["kms:Encrypt*", )"
        R"("kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], "Resource": "*", "Condition": )"
        R"({{"ArnLike": {{"kms:EncryptionContext:aws:logs:arn": "arn:{}:logs:{}:{}:log-group:/aws-glue/*"}}}}}}`)",
        snapshot_.region, snapshot_.partition, snapshot_.region, snapshot_.account);
    const std::string sid = statement.sid ? fmt::format(" `{}`", statement.sid->value) : std::string();
    pack_.report(rules::kGlueLogsKeyGrantOverbroad, extra.empty() ? Severity::low : Severity::medium,
                 Place{key.policy->source, statement.span, key.policy->pointer + statement.pointer},
                 fmt::format("statement{} of the key policy of `{}` (CloudWatch Logs key of `{}`) {}; narrow it to {}",
                             sid, key.arn, use.label, fmt::join(problems, " and "), narrowed),
                 {Pack::of_security_configuration(use.label), Pack::of(key)},
                 {RelatedLocation{Location{key.policy->source, key.policy->span}, "the key policy"}});
  }

  Pack& pack_;
  const Snapshot& snapshot_;
};

}  // namespace

void check_overbroad(Pack& pack) { OverbroadChecker(pack).run(); }

}  // namespace grantlint::glue
