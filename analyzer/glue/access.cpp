// Permission rules, every one answered by the evaluator: the requirements table
// (GLUE-IAM-01..06, GLUE-KMS-04) with the key policy, the identity policies, the boundary
// and every Deny; IAM grants the key policy ignores (GLUE-KMS-05); KMS grants on aliases
// (GLUE-IAM-07); Glue role trust and naming (GLUE-IAM-08..10); PassRole (GLUE-IAM-11).
#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "base/placeholder.h"
#include "base/strings.h"
#include "eval/decide.h"
#include "glue/pack.h"
#include "match/arn.h"
#include "match/glob.h"
#include "rules/registry.h"

namespace grantlint::glue {

namespace {

using account::Principal;
using account::PrincipalKind;

// Who asks, and what the pack knows about the request.
struct Subject {
  const Principal* principal = nullptr;  // nullptr: the CloudWatch Logs service
  const Component* component = nullptr;  // nullptr: an operator or the catalog's service role
  std::string log_group;
  const Place* named_at = nullptr;  // where the settings name the principal (the catalog's service role)
};

class AccessChecker {
 public:
  explicit AccessChecker(Pack& pack) : pack_(pack), snapshot_(pack.snapshot) {}

  void run() {
    constexpr std::string_view kIamRules =
        "GLUE-IAM-01 GLUE-IAM-02 GLUE-IAM-03 GLUE-IAM-04 GLUE-IAM-05 GLUE-IAM-06 GLUE-IAM-07 GLUE-IAM-08 "
        "GLUE-IAM-09 GLUE-IAM-10 GLUE-IAM-11 GLUE-KMS-05 ACC101 ACC102 ACC103 ACC104 ACC105 ACC106";
    if (!pack_.has(Input::authorization_details, kIamRules)) {
      check_logs_service_only();
      return;
    }
    // An export file that is not an export (UTF-16 text, another command's output) holds no page:
    // nothing it lacks is missing from the account (its ACC001 says why it was not read).
    if (pack_.iam.page_ends.empty() && snapshot_.authorization_details && pack_.options().reads_an_export()) {
      pack_.not_evaluated_because(fmt::format("`{}` of snapshot `{}` could not be read as an export (reported as an "
                                              "error)",
                                              input_path(Input::authorization_details), snapshot_.directory),
                                  kIamRules, Place{*snapshot_.authorization_details, Span{0, 0}, ""});
      check_logs_service_only();
      return;
    }
    for (const Requirement& requirement : builtin_requirements()) check(requirement);
    report_ineffective_grants();
    check_alias_grants();
    check_roles();
    check_pass_role();
  }

 private:
  std::vector<std::pair<std::string_view, std::string_view>> values(const Subject& subject) const {
    return {{"partition", snapshot_.partition},
            {"region", snapshot_.region},
            {"account", snapshot_.account},
            {"log_group", subject.log_group}};
  }

  // The security configuration part a component's requirement reads, if it holds.
  const EncryptionPart* part_for(const Requirement& requirement, const Component& component) const {
    const SecurityConfiguration* configuration = pack_.security_configuration(component);
    if (configuration == nullptr) return nullptr;
    switch (requirement.when) {
      case When::s3_sse_kms: return configuration->s3.mode == "SSE-KMS" ? &configuration->s3 : nullptr;
      case When::cloudwatch_sse_kms:
        return configuration->cloudwatch.mode == "SSE-KMS" ? &configuration->cloudwatch : nullptr;
      case When::bookmarks_cse_kms:
        return component.bookmarks && configuration->bookmarks.mode == "CSE-KMS" ? &configuration->bookmarks : nullptr;
      default: return nullptr;
    }
  }

  bool catalog_mode(std::string_view mode) const { return snapshot_.catalog && snapshot_.catalog->mode == mode; }
  bool catalog_mode_unaccepted() const { return snapshot_.catalog && unaccepted_catalog_mode(snapshot_.catalog->mode); }

  bool uses_jdbc(const Component& component) const {
    if (!snapshot_.catalog || !snapshot_.catalog->passwords_encrypted) return false;
    return std::ranges::any_of(component.connections, [&](const Text& name) {
      const Connection* connection = pack_.connection(name.value);
      return connection != nullptr && connection->type == "JDBC";
    });
  }

  // The key a requirement asks about for this component: a reference as written, or the
  // AWS managed default.
  std::optional<Text> key_reference(const Requirement& requirement, const Component* component) const {
    switch (requirement.key) {
      case KeyPurpose::none: return std::nullopt;
      case KeyPurpose::catalog:
        if (!snapshot_.catalog) return std::nullopt;
        return snapshot_.catalog->key ? *snapshot_.catalog->key : Text{"alias/aws/glue", snapshot_.catalog->mode_at};
      case KeyPurpose::password:
        if (!snapshot_.catalog) return std::nullopt;
        return snapshot_.catalog->password_key ? *snapshot_.catalog->password_key
                                               : Text{"alias/aws/glue", snapshot_.catalog->passwords_at};
      default: {
        if (component == nullptr) return std::nullopt;
        const EncryptionPart* part = part_for(requirement, *component);
        if (part == nullptr || !part->key) return std::nullopt;
        return *part->key;
      }
    }
  }

  static std::string log_group(const Component& component, const Principal* role) {
    const std::string sc = component.security_configuration ? component.security_configuration->value : "";
    const std::string role_name = role != nullptr ? role->name : "";
    if (component.kind == ComponentKind::crawler) {
      // The role as written (a path may come with it), as Glue names the group; a reference
      // that resolved to a role (a template's `!GetAtt Role.Arn`) as that role's ARN says.
      std::string written = role != nullptr && component.role && has_placeholder(component.role->value)
                                ? role->arn
                                : component.role ? component.role->value : role_name;
      if (written.starts_with("arn:")) written = written.substr(written.find(":role/") + 6);
      return fmt::format("/aws-glue/crawlers-role/{}-{}", written, sc);
    }
    return fmt::format("/aws-glue/jobs/{}-role/{}/output", sc, role_name);
  }

  bool holds(const Requirement& requirement, const Component* component, const Principal* principal) {
    switch (requirement.when) {
      case When::always: return true;
      case When::catalog_encrypted:
      case When::catalog_service_role: {
        const char* wanted = requirement.when == When::catalog_encrypted ? "SSE-KMS" : "SSE-KMS-WITH-SERVICE-ROLE";
        if (catalog_mode_unaccepted()) {
          // GLUE-ENC-01 says the mode is not known: so is whether this requirement holds.
          pack_.not_evaluated_because(
              fmt::format("`CatalogEncryptionMode` is `{}`, which Glue does not accept, so whether the Data Catalog "
                          "is encrypted with a KMS key, and how, is not known",
                          clip_long_text(snapshot_.catalog->mode)),
              requirement.rule->id, snapshot_.catalog->mode_at);
          return false;
        }
        return catalog_mode(wanted);
      }
      case When::uses_jdbc_connection: return component != nullptr && uses_jdbc(*component);
      case When::manages_connections: {
        if (!snapshot_.catalog || !snapshot_.catalog->passwords_encrypted || principal == nullptr) return false;
        const account::EffectivePolicies& policies = pack_.effective(*principal);
        const std::string catalog_arn = pack_.glue_arn("catalog");
        return granted(Pack::ask(principal->arn, "glue:CreateConnection", catalog_arn, policies.set, {}).decision) ||
               granted(Pack::ask(principal->arn, "glue:UpdateConnection", catalog_arn, policies.set, {}).decision);
      }
      default: return component != nullptr && part_for(requirement, *component) != nullptr;
    }
  }

  void check(const Requirement& requirement) {
    for (const Who who : requirement.who) {
      switch (who) {
        case Who::job:
        case Who::crawler:
        case Who::dev_endpoint:
          for (const Component& component : snapshot_.components) {
            const ComponentKind kind = who == Who::job       ? ComponentKind::job
                                       : who == Who::crawler ? ComponentKind::crawler
                                                             : ComponentKind::dev_endpoint;
            if (component.kind != kind || !component.role) continue;
            const Principal* role = pack_.role(component.role->value);
            if (role == nullptr || !holds(requirement, &component, role)) continue;
            check_subject(requirement, Subject{role, &component, log_group(component, role)});
          }
          break;
        case Who::operator_principal:
          for (const Principal* principal : pack_.operators()) {
            if (holds(requirement, nullptr, principal)) check_subject(requirement, Subject{principal, nullptr, ""});
          }
          break;
        case Who::catalog_service_role:
          if (holds(requirement, nullptr, nullptr) && snapshot_.catalog && snapshot_.catalog->service_role) {
            if (const Principal* role = pack_.role(snapshot_.catalog->service_role->value)) {
              check_subject(requirement, Subject{role, nullptr, "", &snapshot_.catalog->service_role->at});
            }
          }
          break;
        case Who::logs_service: check_logs_service(requirement); break;
      }
    }
  }

  // CloudWatch Logs asks for the key itself, for each log group of a security configuration
  // (the key policy's encryption-context condition may admit jobs' groups and not crawlers'),
  // until one is refused: one finding per security configuration.
  void check_logs_service(const Requirement& requirement) {
    std::set<std::pair<std::string, std::string>> asked;
    std::set<std::string> reported;
    for (const Component& component : snapshot_.components) {
      if (component.kind == ComponentKind::dev_endpoint || !holds(requirement, &component, nullptr)) continue;
      const std::string& configuration = component.security_configuration->value;
      const Principal* role = component.role ? pack_.role(component.role->value) : nullptr;
      std::string group = log_group(component, role);
      if (reported.contains(configuration) || !asked.emplace(configuration, group).second) continue;
      if (check_subject(requirement, Subject{nullptr, &component, std::move(group)})) reported.insert(configuration);
    }
  }

  void check_logs_service_only() {
    for (const Requirement& requirement : builtin_requirements()) {
      if (std::ranges::find(requirement.who, Who::logs_service) != requirement.who.end()) {
        check_logs_service(requirement);
      }
    }
  }

  // Whether a finding was reported.
  bool check_subject(const Requirement& requirement, const Subject& subject) {
    const auto vars = values(subject);
    RequestContext context;
    for (const auto& [key, value] : requirement.context) context.emplace_back(key, expand(value, vars));
    std::string resource = expand(requirement.resource, vars);
    const Key* key = nullptr;
    eval::PolicySet set;
    if (subject.principal != nullptr) set = pack_.effective(*subject.principal).set;
    if (requirement.key != KeyPurpose::none) {
      const std::optional<Text> reference = key_reference(requirement, subject.component);
      if (!reference || reference->value == kNotRead) return false;  // not read: ACC005 names the rule
      const KeyResolution resolution = pack_.resolve(reference->value);
      key = resolution.key;
      if (subject.principal != nullptr) {
        // What the role needs, whether or not the rest can be evaluated: GLUE-IAM-12's advice.
        for (const std::string& action : requirement.actions) {
          if (key != nullptr) {
            pack_.note_need(*subject.principal, *key, action);
          } else {
            pack_.note_unresolved_need(*subject.principal, reference->value);
          }
        }
      }
      // What a principal is refused on a key may be the key policy's doing (GLUE-KMS-05): not
      // known either when the key or its policy is not.
      const std::string rules = subject.principal != nullptr ? fmt::format("{} GLUE-KMS-05", requirement.rule->id)
                                                             : std::string(requirement.rule->id);
      if (key == nullptr) {
        // A key the snapshot lacks or could not read: this rule is not evaluated, and ACC005 says so.
        if (!resolution.unread.empty()) {
          pack_.not_evaluated(resolution.unread, rules);
          return false;
        }
        // A snapshot's unresolved key is GLUE-KMS-03's; a template may name one defined elsewhere.
        if (!pack_.options().declared_only) return false;
        if (subject.principal != nullptr && denied_whatever_the_key(requirement, subject, reference->value, set,
                                                                    context)) {
          return true;
        }
        pack_.not_evaluated_because(
            fmt::format("key `{}` is not defined in `{}`", reference->value, snapshot_.directory),
            requirement.rule->id, reference->at);
        return false;
      }
      set.resource = pack_.key_policy(*key);
      if (set.resource == nullptr) {
        if (pack_.options().declared_only || key->policy_unknown) {
          pack_.not_evaluated_because(key->policy_path, rules, key->metadata_at);
        } else {
          pack_.not_evaluated(key->policy_path, rules);
        }
        return false;
      }
      resource = key->arn;
    }
    const std::string caller =
        subject.principal != nullptr ? subject.principal->arn : fmt::format("logs.{}.amazonaws.com", snapshot_.region);
    std::map<std::string, std::vector<std::string>> missing;  // reason → actions
    std::vector<std::string> conditional, undecided;
    bool allowed_somewhat = false;  // a grant an unknown boundary may yet refuse
    const std::vector<const account::Reference*> no_unknown;
    const std::vector<const account::Reference*>& unknown =
        subject.principal != nullptr ? pack_.effective(*subject.principal).unknown : no_unknown;
    std::set<std::string> keys;
    Statements because;
    const bool policies_unknown =
        !unknown.empty() || (subject.principal != nullptr && subject.principal->defined_elsewhere);
    // A policy of the account's own (not AWS managed) that the input does not hold may Deny what
    // the others allow: a grant is not certain either (hostile h51 M1: a missing file beside a
    // readable one passed every rule on the readable one).
    const bool may_deny = (subject.principal != nullptr && subject.principal->defined_elsewhere) ||
                          std::ranges::any_of(unknown, [](const account::Reference* reference) {
                            return !account::is_aws_managed(reference->target);
                          });
    for (const std::string& action : requirement.actions) {
      const std::string asked_on = pack_.resource_for(action, resource);
      const Outcome outcome = Pack::ask(caller, action, asked_on, set, context);
      if (granted(outcome.decision)) allowed_somewhat = true;
      if (granted(outcome.decision) && may_deny) {
        undecided.push_back(action);
        continue;
      }
      if (outcome.decision == eval::Decision::allowed) continue;
      // A policy the input does not hold might allow it: only what no identity policy could
      // supply (a Deny, a key policy that refuses) is certain.
      if (policies_unknown && could_allow(caller, action, asked_on, set, context)) {
        undecided.push_back(action);
        continue;
      }
      note_statements(outcome, action, key, subject, because);
      if (outcome.decision == eval::Decision::conditional) {
        conditional.push_back(action);
        keys.insert(outcome.keys.begin(), outcome.keys.end());
        continue;
      }
      std::string reason = outcome.reason;
      // CloudWatch Logs named by a statement whose condition does not admit this log group.
      if (subject.principal == nullptr && outcome.decision == eval::Decision::implicit_deny &&
          std::ranges::any_of(because, [](const auto& entry) { return entry.second.names_service; })) {
        reason = "the statements that name the service do not apply to this log group";
      }
      if (outcome.decision == eval::Decision::implicit_deny && key != nullptr && subject.principal != nullptr) {
        KeyRefusal refusal = why_not_on_key(caller, action, *key, set, context, *subject.principal);
        reason = std::move(refusal.reason);
        // The file's account is not known, and the key policy names accounts: one of them may
        // be the stack's.
        if (refusal.by_key_policy && !snapshot_.account_shown.empty()) {
          if (const std::string named = accounts_named(*set.resource, snapshot_.account); !named.empty()) {
            pack_.not_evaluated_because(
                fmt::format("the key policy of `{}` names {}, and the account `{}` deploys to is not known (`--account` "
                            "tells it)",
                            key->arn, named, snapshot_.directory),
                requirement.rule->id, key->metadata_at);
            continue;
          }
        }
      }
      missing[reason].push_back(action);
    }
    if (!undecided.empty()) report_unknown_policies(*subject.principal, unknown, requirement, subject);
    if (allowed_somewhat && subject.principal != nullptr) {
      const account::EffectivePolicies& effective = pack_.effective(*subject.principal);
      const bool unreadable = effective.boundary_unreadable;
      if (const account::Reference* boundary = effective.unknown_boundary) {
        const std::string why = pack_.options().permissions_only ? std::string("whose file cannot be used (CFG001)")
                                : unreadable
                                    ? fmt::format("which {} holds but whose document could not be read", holder())
                                    : fmt::format("which {} does not hold", holder());
        pack_.not_evaluated_because(
            fmt::format("{} `{}` has the permissions boundary `{}`, {}, so whether it lets its grants through is "
                        "not known",
                        kind_name(*subject.principal), subject.principal->name, boundary->target, why),
            requirement.rule->id, Place{boundary->source, boundary->span, boundary->pointer});
      }
    }
    if (missing.empty() && conditional.empty()) return false;
    report_subject(requirement, subject, key, resource, missing, conditional, keys, because);
    return true;
  }

  // A key the file names but does not define: a Deny of the principal's own policies still
  // refuses it, whatever the key's policy says.
  bool denied_whatever_the_key(const Requirement& requirement, const Subject& subject, const std::string& reference,
                               eval::PolicySet set, const RequestContext& context) {
    // An alias or a parameter stands for some key of the account: a Deny that matches any
    // key of it (`*`, `key/*`) matches that one.
    const std::string key_arn =
        match::is_kms_key_arn(reference) ? reference : snapshot_.kms_key_arn(make_name_placeholder("some key"));
    set.resource = nullptr;
    std::map<std::string, std::vector<std::string>> missing;
    Statements because;
    for (const std::string& action : requirement.actions) {
      const Outcome outcome = Pack::ask(subject.principal->arn, action, key_arn, set, context);
      if (outcome.decision != eval::Decision::explicit_deny) continue;
      // A Deny with NotResource may exempt the very key an alias or parameter stands for.
      const bool for_any_key = key_arn == reference || std::ranges::any_of(outcome.statements, [](const auto& trace) {
        const eval::CompiledStatement& compiled = trace.policy->statements()[trace.statement];
        return compiled.deny && trace.outcome == eval::StatementTrace::Outcome::applies &&
               !compiled.source->resource.negated;
      });
      if (!for_any_key) continue;
      note_statements(outcome, action, nullptr, subject, because);
      missing["denied by the principal's own policies"].push_back(action);
    }
    if (missing.empty()) return false;
    report_subject(requirement, subject, nullptr, reference, missing, {}, {}, because);
    return true;
  }

  // What holds the account's IAM, in messages: the file, or the export.
  std::string holder() const {
    return pack_.options().declared_only ? fmt::format("`{}`", snapshot_.directory) : std::string("the export");
  }

  bool could_allow(const std::string& caller, const std::string& action, const std::string& resource,
                   eval::PolicySet set, const RequestContext& context) const {
    set.identity.push_back(pack_.allow_all());
    return granted(Pack::ask(caller, action, resource, set, context).decision);
  }

  void report_unknown_policies(const Principal& principal, const std::vector<const account::Reference*>& unknown,
                               const Requirement& requirement, const Subject& subject) {
    if (principal.defined_elsewhere) {
      const Place at = subject.component != nullptr && subject.component->role
                           ? subject.component->role->at
                           : Place{principal.source, principal.arn_span, principal.pointer};
      pack_.not_evaluated_because(fmt::format("role `{}` is not defined in `{}`, so what its policies allow is not "
                                              "known",
                                              principal.arn, snapshot_.directory),
                                  requirement.rule->id, at);
      return;
    }
    std::vector<std::string> arns;
    for (const account::Reference* reference : unknown) {
      // A file listed twice is named once, however it is spelled (h52 L4, h53 L1).
      const std::string target = pack_.options().permissions_only
                                     ? std::filesystem::path(reference->target).lexically_normal().generic_string()
                                     : reference->target;
      if (std::ranges::find(arns, target) == arns.end()) arns.push_back(target);
    }
    const account::Reference& first = *unknown.front();
    pack_.not_evaluated_because(
        pack_.options().permissions_only
            ? fmt::format("{} `{}` has the policy {} {}, which cannot be used (CFG001), so what it is allowed is "
                          "not known",
                          kind_name(principal), principal.name, arns.size() == 1 ? "file" : "files", backticked(arns))
            : fmt::format("{} `{}` attaches {}, which {} does not hold, so what it is allowed is not known",
                          kind_name(principal), principal.name, backticked(arns), holder()),
        requirement.rule->id, Place{first.source, first.span, first.pointer});
  }

  // The statements behind a refusal or a conditional answer, by where they are: what each
  // does, and to which of the requirement's actions.
  struct StatementNote {
    Location at;
    std::string what;  // `@` stands for the actions
    std::vector<std::string> actions;
    bool names_service = false;  // names CloudWatch Logs, but its condition does not admit the log group
  };
  using Statements = std::map<std::pair<SourceId, std::uint32_t>, StatementNote>;

  std::optional<Location> locate(const eval::CompiledPolicy* policy, const policy::Statement& statement, const Key* key,
                                 const Subject& subject) {
    if (key != nullptr && key->policy && policy == pack_.key_policy(*key)) {
      return Location{key->policy->source, statement.span};
    }
    if (subject.principal == nullptr) return std::nullopt;
    const auto& copies = pack_.effective(*subject.principal).copies;
    const auto it = copies.find(policy);
    if (it == copies.end()) return std::nullopt;
    return account::statement_location(it->second, statement);
  }

  // Each Deny that applies or may apply, each Allow that holds only under unknown context,
  // and, for CloudWatch Logs, each key-policy statement naming the service that does not
  // apply (its condition does not admit the log group).
  void note_statements(const Outcome& outcome, const std::string& action, const Key* key, const Subject& subject,
                       Statements& because) {
    using Trace = eval::StatementTrace::Outcome;
    for (const eval::StatementTrace& trace : outcome.statements) {
      const eval::CompiledStatement& compiled = trace.policy->statements()[trace.statement];
      const policy::Statement& statement = *compiled.source;
      std::string what;
      bool names = false;
      if (compiled.deny && trace.outcome == Trace::applies) {
        what = "denies @";
      } else if (compiled.deny && trace.outcome == Trace::conditional) {
        what = fmt::format("may deny @, depending on context {} cannot tell", pack_.input_name());
      } else if (!compiled.deny && trace.outcome == Trace::conditional) {
        what = fmt::format("allows @ only under conditions {} cannot tell", pack_.input_name());
      } else if (!compiled.deny && trace.outcome == Trace::no_match && subject.principal == nullptr &&
                 names_service(statement, [logs = fmt::format("logs.{}.amazonaws.com", snapshot_.region)](
                                              std::string_view service) { return service == logs; })) {
        what = "names the service but does not apply to @: " + trace.reason;
        names = true;
      } else {
        continue;
      }
      const std::optional<Location> at = locate(trace.policy, statement, key, subject);
      if (!at) continue;
      StatementNote& note = because[{at->source, at->span.begin}];
      note.at = *at;
      note.what = what;
      note.names_service = names;
      if (std::ranges::find(note.actions, action) == note.actions.end()) note.actions.push_back(action);
    }
  }

  // Why a principal cannot use a key: the key policy names neither it nor its account, or
  // IAM does not allow it on the key's ARN.
  // The accounts other than `own` a policy's AWS principals name, backticked, or "".
  static std::string accounts_named(const eval::CompiledPolicy& policy, std::string_view own) {
    std::set<std::string> accounts;
    for (const policy::Statement& statement : policy.document().statements) {
      for (const policy::PrincipalEntry& entry : statement.principal.entries) {
        if (entry.type != "AWS") continue;
        for (const policy::Text& value : entry.values) {
          const auto fields = match::split_arn(value.value);
          const std::string_view account = fields ? (*fields)[3] : std::string_view(value.value);
          if (account != own && account.size() == 12 &&
              account.find_first_not_of("0123456789") == std::string_view::npos) {
            accounts.emplace(account);
          }
        }
      }
    }
    if (accounts.empty()) return "";
    return fmt::format("{} {}", accounts.size() == 1 ? "account" : "accounts",
                       backticked(std::vector<std::string>(accounts.begin(), accounts.end())));
  }

  // Why a key refuses a principal, and whether it is the key policy (it names neither the
  // principal nor the account).
  struct KeyRefusal {
    std::string reason;
    bool by_key_policy = false;
  };

  KeyRefusal why_not_on_key(const std::string& caller, const std::string& action, const Key& key,
                            const eval::PolicySet& set, const RequestContext& context, const Principal& principal) {
    eval::PolicySet key_only;
    key_only.resource = set.resource;
    const std::string root = fmt::format("arn:{}:iam::{}:root", snapshot_.partition, snapshot_.account);
    const bool delegates = granted(Pack::ask(root, action, key.arn, key_only, context).decision);
    const bool names_caller = granted(Pack::ask(caller, action, key.arn, key_only, context).decision);
    eval::PolicySet iam_only = set;
    iam_only.resource = pack_.iam_delegation();
    const bool iam_allows =
        pack_.iam_delegation() != nullptr && granted(Pack::ask(caller, action, key.arn, iam_only, context).decision);
    // A role's permissions boundary limits what the key policy grants the role too.
    const auto boundary_refuses = [&] {
      if (set.boundary.empty() || pack_.iam_delegation() == nullptr) return false;
      eval::PolicySet within;
      within.identity = {pack_.allow_all()};
      within.boundary = set.boundary;
      within.resource = pack_.iam_delegation();
      return !granted(Pack::ask(caller, action, key.arn, within, context).decision);
    };
    if (!delegates && !names_caller) {
      // Unless an account the policy names may be the file's own (not known).
      if (iam_allows && (snapshot_.account_shown.empty() || accounts_named(*set.resource, snapshot_.account).empty())) {
        ineffective_[&key].insert(principal.name);
      }
      return {"the key policy allows neither the principal nor the account, so IAM policies cannot grant it", true};
    }
    eval::PolicySet identity_only = iam_only;
    identity_only.boundary.clear();
    if (!names_caller && !granted(Pack::ask(caller, action, key.arn, identity_only, context).decision)) {
      return {"no identity policy allows it on the key's ARN"};
    }
    if (boundary_refuses()) return {"the permissions boundary does not allow it"};
    return {"a permissions boundary or the key policy's conditions refuse it"};
  }

  void report_subject(const Requirement& requirement, const Subject& subject, const Key* key,
                      const std::string& resource, const std::map<std::string, std::vector<std::string>>& missing,
                      const std::vector<std::string>& conditional, const std::set<std::string>& keys,
                      const Statements& because) {
    std::vector<LogicalLocation> logical;
    Place at;
    std::string who;
    std::vector<RelatedLocation> related;
    if (subject.component != nullptr) logical.push_back(pack_.of(*subject.component));
    if (subject.principal != nullptr) {
      logical.push_back(Pack::of(*subject.principal));
      related.push_back(RelatedLocation{pack_.where(*subject.principal), "the principal"});
    }
    if (key != nullptr) logical.push_back(Pack::of(*key));
    if (subject.component != nullptr && subject.principal != nullptr) {
      at = subject.component->role->at;
      who = fmt::format("{} `{}` runs as role `{}`, which", to_string(subject.component->kind),
                        subject.component->name.value, subject.principal->name);
    } else if (subject.principal != nullptr) {
      at = subject.named_at != nullptr
               ? *subject.named_at
               : Place{subject.principal->source, subject.principal->arn_span, subject.principal->pointer + "/Arn"};
      who = fmt::format("{} `{}`", kind_name(*subject.principal),
                        subject.principal->name);
    } else {
      const SecurityConfiguration* configuration = pack_.security_configuration(*subject.component);
      at = configuration->cloudwatch.key ? configuration->cloudwatch.key->at : configuration->cloudwatch.at;
      // The security configuration, not one component using it, is what the finding is about.
      logical.front() = Pack::of_security_configuration(configuration->name.value + "/CloudWatch");
      who = fmt::format("the key policy does not let `logs.{}.amazonaws.com`", snapshot_.region);
    }
    if (key != nullptr && key->policy) {
      related.push_back(RelatedLocation{Location{key->policy->source, key->policy->span}, "the key policy"});
    }
    for (const auto& [where, note] : because) {
      // `what` holds `@` where the actions go (a reason may hold braces, so no format string).
      const std::size_t mark = note.what.find('@');
      related.push_back(
          RelatedLocation{note.at, note.what.substr(0, mark) + backticked(note.actions) + note.what.substr(mark + 1)});
    }
    const std::string target = key != nullptr ? fmt::format("the {} key `{}`", to_string(requirement.key), key->arn)
                                              : fmt::format("`{}`", resource);
    std::vector<std::string> parts;
    for (const auto& [reason, actions] : missing) parts.push_back(fmt::format("{}: {}", backticked(actions), reason));
    const bool logs = subject.principal == nullptr;
    if (!missing.empty()) {
      const std::string list = fmt::format("{}", fmt::join(parts, "; "));
      const std::string message = logs ? fmt::format("{} use {} for {} (log group `{}`): {}; see {}", who, target,
                                                     requirement.purpose, subject.log_group, list, requirement.doc)
                                       : fmt::format("{} is not allowed what {} needs on {}: {}; see {}", who,
                                                     requirement.purpose, target, list, requirement.doc);
      pack_.report(*requirement.rule, requirement.severity, at, message, logical, related);
      return;
    }
    pack_.report(*requirement.rule, Severity::info, at,
                 fmt::format("{} {} {} on {} for {} only under conditions on {}, which {} cannot tell",
                             logs ? fmt::format("`logs.{}.amazonaws.com`", snapshot_.region) : who,
                             logs ? "may use" : "is allowed", backticked(conditional), target, requirement.purpose,
                             backticked(keys), pack_.input_name()),
                 logical, related);
  }

  void report_ineffective_grants() {
    for (const auto& [key, names] : ineffective_) {
      const Place at = key->policy ? Place{key->policy->source, key->policy->span, "/Policy"} : key->metadata_at;
      pack_.report(
          rules::kGlueKeyPolicyNoIamDelegation, Severity::high, at,
          fmt::format("the key policy of `{}` does not enable IAM policies (no statement allows account `{}`), "
                      "so the identity-policy grants of {} on this key have no effect",
                      key->arn, snapshot_.account, backticked(names)),
          {Pack::of(*key)});
    }
  }

  // IAM statements that grant KMS cryptographic actions on an alias or a key id: IAM
  // matches a key's ARN only, so they grant nothing on any key.
  void check_alias_grants() {
    for (const Component& component : snapshot_.components) {
      const Principal* role = component.role ? pack_.role(component.role->value) : nullptr;
      if (role != nullptr) check_alias_grants(*role, &component);
    }
    for (const Principal* principal : pack_.operators()) check_alias_grants(*principal, nullptr);
  }

  void check_alias_grants(const Principal& principal, const Component* component) {
    static constexpr std::string_view kCrypto[] = {"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey",
                                                   "kms:ReEncryptFrom", "kms:ReEncryptTo"};
    const account::EffectivePolicies& policies = pack_.effective(principal);
    for (const eval::CompiledPolicy* policy : policies.set.identity) {
      // An AWS managed policy the pack knows but the input does not hold has no place here.
      if (!policies.copies.contains(policy)) continue;
      for (const policy::Statement& statement : policy->document().statements) {
        if (statement.effect != policy::Effect::allow || statement.action.negated || statement.resource.negated)
          continue;
        const bool crypto = std::ranges::any_of(statement.action.items, [](const policy::Text& item) {
          return item.value != "*" && std::ranges::any_of(kCrypto, [&](std::string_view action) {
                   return match::glob_matches(item.value, action, true);
                 });
        });
        if (!crypto) continue;
        for (const policy::Text& item : statement.resource.items) {
          const auto fields = match::split_arn(item.value);
          // A template's parameter (`!Ref KeyArn`) may be any ARN: not judged.
          const bool alias = fields ? (*fields)[1] == "kms" && (*fields)[4].starts_with("alias/")
                                    : item.value != "*" && !is_placeholder(item.value) &&
                                          (item.value.starts_with("alias/") || item.value.find(':') == std::string::npos);
          if (!alias) continue;
          const account::CompiledDocument& copy = policies.copies.at(policy);
          const Location at = account::statement_location(copy, statement);
          std::vector<LogicalLocation> logical;
          if (component != nullptr) logical.push_back(pack_.of(*component));
          logical.push_back(Pack::of(principal));
          pack_.report(rules::kGlueKmsAliasResource, Severity::medium,
                       Place{at.source, at.span, account::statement_pointer(copy, statement)},
                       fmt::format("{} `{}` is granted KMS cryptographic actions on `{}`, which is not a key ARN: IAM "
                                   "policies match keys by key ARN only, so this grants nothing on any key; name the "
                                   "key ARN, or use a `kms:RequestAlias` or `kms:ResourceAliases` condition",
                                   kind_name(principal), principal.name, item.value),
                       std::move(logical));
          break;
        }
      }
    }
  }

  // Trust and naming of the roles Glue runs as (GLUE-IAM-08, -10) and of notebook roles (-09).
  void check_roles() {
    for (const Component& component : snapshot_.components) {
      const std::string_view kind = to_string(component.kind);
      if (!component.role) {
        // Glue requires a role of every job, crawler and endpoint: none read here (missing, empty,
        // or given by a function or variable that cannot be resolved) leaves its rules unasked.
        pack_.not_evaluated_because(fmt::format("{} `{}` names no role that can be read here, so what it may do is "
                                                "not known",
                                                kind, component.name.value),
                                    component_role_rules(component.kind), component.name.at);
        continue;
      }
      const Principal* role = pack_.role(component.role->value);
      if (role == nullptr && pack_.options().declared_only) {
        pack_.not_evaluated_because(fmt::format("{} `{}` runs as role `{}`, which `{}` does not define", kind,
                                                component.name.value, component.role->value, snapshot_.directory),
                                    component_role_rules(component.kind), component.role->at);
        continue;
      }
      if (role == nullptr && pack_.options().reads_an_export()) {
        if (const std::string why = pack_.iam_may_hold(component.role->value); !why.empty()) {
          pack_.not_evaluated_because(fmt::format("{} `{}` runs as role `{}`, which {}", kind, component.name.value,
                                                  component.role->value, why),
                                      component_role_rules(component.kind), component.role->at);
          continue;
        }
      }
      if (role == nullptr) {
        pack_.report(rules::kGlueRoleTrust, Severity::high, component.role->at,
                     fmt::format("{} `{}` runs as role `{}`, which the IAM export does not hold", kind,
                                 component.name.value, component.role->value),
                     {pack_.of(component)});
        continue;
      }
      // Without a trust policy (policy-file mode may not name one) there is nothing to judge.
      if (!role->trust.present) {
        trust_not_known(*role, rules::kGlueRoleTrust.id);
      } else if (!trusts(*role, "glue.amazonaws.com")) {
        pack_.report(rules::kGlueRoleTrust, Severity::high, component.role->at,
                     fmt::format("{} `{}` runs as role `{}`, whose trust policy does not let `glue.amazonaws.com` "
                                 "assume it (it trusts {}): runs fail",
                                 kind, component.name.value, role->name, trusted_services(*role)),
                     {pack_.of(component), Pack::of(*role)}, {RelatedLocation{pack_.where(*role), "the role"}});
      }
      check_role_name(component, *role);
    }
    for (const Principal& role : pack_.iam.principals) {
      if (role.kind != PrincipalKind::role) continue;
      std::string_view service;
      if (role.name.starts_with("AWSGlueServiceSageMakerNotebookRole")) {
        service = "sagemaker.amazonaws.com";
      } else if (role.name.starts_with("AWSGlueServiceNotebookRole")) {
        service = "ec2.amazonaws.com";
      } else {
        continue;
      }
      if (!role.trust.present) trust_not_known(role, rules::kGlueNotebookRoleTrust.id);
      if (!role.trust.present || trusts(role, service)) continue;
      pack_.report(rules::kGlueNotebookRoleTrust, Severity::low,
                   Place{role.source, role.arn_span, role.pointer + "/Arn"},
                   fmt::format("notebook role `{}` does not trust `{}` (it trusts {}): notebook servers cannot use it",
                               role.name, service, trusted_services(role)),
                   {Pack::of(role)});
    }
  }

  // A role whose trust policy file cannot be used: the rule that reads it is not evaluated.
  void trust_not_known(const Principal& role, std::string_view rule) {
    const auto it = pack_.options().unusable_trust.find(role.arn);
    if (it == pack_.options().unusable_trust.end()) return;
    pack_.not_evaluated_because(fmt::format("role `{}` has a trust policy file that cannot be used (CFG001), so whom "
                                            "it trusts is not known",
                                            role.name),
                                rule, it->second);
  }

  bool trusts(const Principal& role, std::string_view service) const {
    const account::CompiledDocument trust = pack_.index.compiled(role.trust);
    if (trust.policy == nullptr) return false;
    eval::PolicySet set;
    set.resource = trust.policy;
    return granted(Pack::ask(service, "sts:AssumeRole", role.arn, set, {}).decision);
  }

  std::string trusted_services(const Principal& role) const {
    std::vector<std::string> services;
    const account::CompiledDocument trust = pack_.index.compiled(role.trust);
    if (trust.policy != nullptr) {
      for (const policy::Statement& statement : trust.policy->document().statements) {
        for (const policy::PrincipalEntry& entry : statement.principal.entries) {
          if (entry.type != "Service") continue;
          for (const policy::Text& value : entry.values) services.push_back(value.value);
        }
      }
    }
    return services.empty() ? std::string("no service") : backticked(services);
  }

  // The console's managed policies pass only roles named AWSGlueServiceRole*.
  void check_role_name(const Component& component, const Principal& role) {
    const auto fields = match::split_arn(role.arn);
    if (!fields) return;
    // A template's role is named by RoleName, its ARN by a placeholder of its logical id.
    const std::string part = has_placeholder((*fields)[4]) ? "role/" + role.name : std::string((*fields)[4]);
    if (part.starts_with("role/AWSGlueServiceRole") || part.starts_with("role/service-role/AWSGlueServiceRole")) return;
    if (pack_.options().declared_only) {
      // The operators who pass it are not in the template: how far they may pass is not known.
      pack_.report(rules::kGlueRoleNaming, Severity::info, component.role->at,
                   fmt::format("{} `{}` runs as role `{}`, outside the `AWSGlueServiceRole*` names the Glue console "
                               "policies may pass",
                               to_string(component.kind), component.name.value, role.name),
                   {pack_.of(component), Pack::of(role)});
      return;
    }
    // Asked once per role, however many components run as it, and within a budget of questions:
    // every operator about every role is a product without end (h48 H3: 3,000 of each took 11 s).
    const auto [known, fresh] = passable_by_role_.try_emplace(role.arn, Passable::unknown);
    if (fresh) {
      bool passable = false;
      bool asked_all = true;
      const Principal* unknown_policies = nullptr;  // an operator who may pass it through a policy not held
      for (const Principal* principal : pack_.operators()) {
        if (pass_role_questions_ >= kMaxPassRoleQuestions) {
          asked_all = false;
          break;
        }
        const account::EffectivePolicies& policies = pack_.effective(*principal);
        const std::uint64_t left = kMaxPassRoleQuestions - pass_role_questions_;
        const RequestContext context{{"iam:PassedToService", "glue.amazonaws.com"}};
        const Outcome outcome =
            Pack::ask(principal->arn, "iam:PassRole", role.arn, policies.set, context, left * kUnitsPerQuestion);
        pass_role_questions_ += weight(policies.set, outcome.comparisons);
        if (outcome.budget_spent) {
          asked_all = false;
          break;
        }
        if (granted(outcome.decision)) {
          passable = true;
          break;
        }
        // A policy file that cannot be used may be the one that allows it (h52 M1: "no operator
        // may pass it" was said over the readable files alone).
        if (unknown_policies == nullptr && (!policies.unknown.empty() || principal->defined_elsewhere)) {
          pass_role_questions_ += weight(policies.set, 0);  // could_allow asks once more
          if (could_allow(principal->arn, "iam:PassRole", role.arn, policies.set, context))
            unknown_policies = principal;
        }
      }
      known->second = passable                      ? Passable::yes
                      : !asked_all                  ? Passable::unknown
                      : unknown_policies != nullptr ? Passable::not_known
                                                    : Passable::no;
      if (known->second == Passable::not_known) operator_not_known_.emplace(role.arn, unknown_policies);
    }
    const Passable passable = known->second;
    std::string why;
    if (passable == Passable::no) {
      why = "; no Glue operator may pass it to `glue.amazonaws.com`";
    } else if (passable == Passable::unknown) {
      why =
          "; whether a Glue operator may pass it was not asked: the pack asks at most 1,000,000 such questions a "
          "run, one weighing more the more statements and actions it reads";
    } else if (passable == Passable::not_known) {
      const Principal& unknown = *operator_not_known_.at(role.arn);
      why = fmt::format("; whether a Glue operator may pass it is not known: {} `{}` {}", kind_name(unknown),
                        unknown.name,
                        unknown.defined_elsewhere ? "is not defined here, so its policies are not known"
                                                  : "has a policy that cannot be used (ACC005)");
    }
    pack_.report(rules::kGlueRoleNaming, passable == Passable::no ? Severity::medium : Severity::info,
                 component.role->at,
                 fmt::format("{} `{}` runs as role `{}`, outside the `AWSGlueServiceRole*` names the Glue console "
                             "policies may pass{}",
                             to_string(component.kind), component.name.value, role.name, why),
                 {pack_.of(component), Pack::of(role)});
  }

  // An explicit iam:PassRole on every resource without iam:PassedToService (full `*`
  // statements are administrators, reported elsewhere).
  void check_pass_role() {
    static const match::Glob kNotPassedToService("iam:passedtoservice", true);
    for (const Principal& principal : pack_.iam.principals) {
      if (principal.kind == PrincipalKind::group || principal.arn.empty()) continue;
      const account::EffectivePolicies& policies = pack_.effective(principal);
      for (const eval::CompiledPolicy* policy : policies.set.identity) {
        if (!policies.copies.contains(policy)) continue;  // a known AWS managed policy, not in the input
        for (const policy::Statement& statement : policy->document().statements) {
          if (!passes_any_role(statement)) continue;
          const Outcome outcome = Pack::ask(principal.arn, "iam:PassRole", "*", policies.set, {});
          if (!granted(outcome.decision)) continue;
          pack_.report(rules::kGluePassRoleUnscoped, Severity::medium,
                       Place{principal.source, principal.arn_span, principal.pointer + "/Arn"},
                       fmt::format("{} `{}` may pass any role to any service: a statement allows `iam:PassRole` on "
                                   "`*` without an `iam:PassedToService` condition; scope it to the Glue roles and "
                                   "`\"iam:PassedToService\": \"glue.amazonaws.com\"`",
                                   kind_name(principal), principal.name),
                       {Pack::of(principal)},
                       {RelatedLocation{account::statement_location(policies.copies.at(policy), statement),
                                        "allows `iam:PassRole` on `*`"}});
          goto next_principal;
        }
      }
    next_principal:;
    }
  }

  static bool passes_any_role(const policy::Statement& statement) {
    if (statement.effect != policy::Effect::allow || statement.action.negated || statement.resource.negated) {
      return false;
    }
    const bool action = std::ranges::any_of(statement.action.items, [](const policy::Text& item) {
      return item.value != "*" && match::glob_matches(item.value, "iam:PassRole", true);
    });
    const bool everywhere =
        std::ranges::any_of(statement.resource.items, [](const policy::Text& item) { return item.value == "*"; });
    const bool scoped = std::ranges::any_of(statement.conditions, [](const policy::ConditionEntry& entry) {
      return iequals(entry.key, "iam:PassedToService");
    });
    return action && everywhere && !scoped;
  }

  // A question weighs more the more it reads: one per kStatementsPerQuestion statements that may
  // name an `iam` action, and one per kUnitsPerQuestion units of matching the evaluator charged
  // (eval/context.h), as the reach pass weighs its own (hostile h51 H3: 90,000 questions over an
  // operator policy of 2,000 `iam:PassRole` statements took 31 s).
  static std::uint64_t weight(const eval::PolicySet& set, std::uint64_t comparisons) {
    std::uint64_t statements = 0;
    const auto read = [&](const eval::CompiledPolicy* policy) {
      if (policy != nullptr) statements += policy->candidates("iam").size();
    };
    read(set.resource);
    for (const eval::CompiledPolicy* policy : set.identity) read(policy);
    for (const eval::CompiledPolicy* policy : set.boundary) read(policy);
    return 1 + statements / kStatementsPerQuestion + comparisons / kUnitsPerQuestion;
  }

  // unknown: not asked (the budget); not_known: an operator's policies are not all held.
  enum class Passable : std::uint8_t { yes, no, unknown, not_known };
  static constexpr std::uint64_t kMaxPassRoleQuestions = 1'000'000;  // README, Limits
  static constexpr std::uint64_t kStatementsPerQuestion = 8;
  static constexpr std::uint64_t kUnitsPerQuestion = 8;
  std::unordered_map<std::string, Passable> passable_by_role_;     // GLUE-IAM-10, by role ARN
  std::unordered_map<std::string, const Principal*> operator_not_known_;  // Passable::not_known: whose
  std::uint64_t pass_role_questions_ = 0;                          // weighed
  Pack& pack_;
  const Snapshot& snapshot_;
  std::map<const Key*, std::set<std::string>> ineffective_;
};

}  // namespace

void check_access(Pack& pack) { AccessChecker(pack).run(); }

}  // namespace grantlint::glue
