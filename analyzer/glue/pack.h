// What the Glue pack's checks share: the snapshot with its references resolved (roles,
// security configurations, keys through aliases), the compiled key policies, and one way
// to report a finding with its severity and logical locations.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "account/effective.h"
#include "glue/analyse.h"
#include "glue/requirements.h"

namespace grantlint::glue {

// A key reference resolved through list-aliases and the snapshot's keys.
struct KeyResolution {
  const Key* key = nullptr;
  std::string problem;  // why it cannot be resolved, when key is nullptr
  // The snapshot's input that is missing or could not be read, when that is why (key is
  // nullptr): the rules that need the key are not evaluated (ACC005), rather than a finding.
  std::string unread;
};

// One use of a key by the account's Glue settings: a security configuration's part or a
// Data Catalog setting.
// A decision with the condition keys it depends on and the statements that matched.
struct Outcome {
  eval::Decision decision = eval::Decision::implicit_deny;
  std::string reason;
  std::set<std::string> keys;
  std::vector<eval::StatementTrace> statements;
  std::uint64_t comparisons = 0;  // units the evaluator charged, under a budget (eval/context.h)
  bool budget_spent = false;      // the budget ran out: the decision is not to be trusted
};

inline bool granted(eval::Decision decision) {
  return decision == eval::Decision::allowed || decision == eval::Decision::conditional;
}

// Key and value; a key marked absent (kAbsentMark, value empty) is one the request does not carry.
using RequestContext = std::vector<std::pair<std::string, std::string>>;

// Whether a statement names a service principal that `match(service)` accepts.
template <class Match>
bool names_service(const policy::Statement& statement, Match match) {
  return std::ranges::any_of(statement.principal.entries, [&](const policy::PrincipalEntry& entry) {
    return entry.type == "Service" &&
           std::ranges::any_of(entry.values, [&](const policy::Text& value) { return match(value.value); });
  });
}

struct KeyUse {
  std::string label;                // `sc-sales/S3`, `catalog/EncryptionAtRest`
  const Text* reference = nullptr;  // nullptr: the AWS managed default key
  std::string default_alias;        // `alias/aws/glue` when reference is nullptr
  KeyPurpose purpose = KeyPurpose::none;
  bool exercised = false;  // glue-rules.md §4: some component uses it on this path
  Place at;
};

// "user" or "role", in messages.
inline std::string_view kind_name(const account::Principal& principal) {
  return principal.kind == account::PrincipalKind::user ? "user" : "role";
}

class Pack {
 public:
  Pack(const Snapshot& snapshot, const account::Export& iam, const account::DocumentLookup& compiled,
       const FileLookup& files, const catalog::Catalog& catalog, DiagnosticSink& sink, PackOptions options = {});
  ~Pack();

  void run();

  // Shared by the checks.
  const Snapshot& snapshot;
  const account::Export& iam;
  const account::PolicyIndex index;
  const FileLookup& files;
  const catalog::Catalog& catalog;

  void report(const RuleMeta& rule, Severity severity, const Place& at, std::string message,
              std::vector<LogicalLocation> logical, std::vector<RelatedLocation> related = {});

  [[nodiscard]] const account::Principal* role(std::string_view reference) const;
  [[nodiscard]] const SecurityConfiguration* security_configuration(const Component& component) const;
  [[nodiscard]] KeyResolution resolve(std::string_view reference) const;
  [[nodiscard]] const eval::CompiledPolicy* key_policy(const Key& key) const;
  [[nodiscard]] const std::vector<KeyUse>& key_uses() const { return key_uses_; }
  [[nodiscard]] const Connection* connection(std::string_view name) const;

  // `arn:<partition>:glue:<region>:<account>:<resource>`: `catalog`, `connection/NAME`, ...
  [[nodiscard]] std::string glue_arn(std::string_view resource) const;

  // Questions to the evaluator. The request context holds the path's keys; every other key
  // is unknown, so a grant that depends on one is conditional. A `comparison_budget` (0: none)
  // bounds the matching the evaluator may do (eval/context.h).
  [[nodiscard]] static Outcome ask(std::string_view caller, std::string_view action, const std::string& resource,
                                   const eval::PolicySet& set, const RequestContext& context,
                                   std::uint64_t comparison_budget = 0);
  // The attachment of a known AWS managed policy the input does not hold (aws_managed_policies.h)
  // to a principal, or nullptr.
  [[nodiscard]] const account::Reference* attached_at(const account::Principal& principal,
                                                      const eval::CompiledPolicy* policy) const {
    const auto it = known_attached_.find({&principal, policy});
    return it == known_attached_.end() ? nullptr : it->second;
  }
  // A principal's effective policies, gathered once: every rule asks about the same principals.
  [[nodiscard]] const account::EffectivePolicies& effective(const account::Principal& principal);
  // The resource an action is asked on: `*` for actions without resource types.
  [[nodiscard]] std::string resource_for(std::string_view action, const std::string& resource) const;
  // A key policy that only enables IAM policies for the account: what IAM alone would allow.
  [[nodiscard]] const eval::CompiledPolicy* iam_delegation() const { return delegation_.get(); }
  // An identity policy that allows everything: what a policy the input does not hold may do.
  [[nodiscard]] const eval::CompiledPolicy* allow_all() const { return allow_all_.get(); }
  // Users, and roles people assume, allowed to read or manage the Glue catalog's settings.
  [[nodiscard]] const std::vector<const account::Principal*>& operators();
  // Roles people assume: their trust policy admits an AWS or federated principal.
  [[nodiscard]] bool trusts_people(const account::Principal& role) const;
  // What the requirements asked of a principal on each key: the least it needs.
  void note_need(const account::Principal& principal, const Key& key, std::string_view action);
  [[nodiscard]] const std::map<const Key*, std::set<std::string>>& needs(const account::Principal& principal) const;
  // A key the requirements named for a principal that does not resolve to one of the input's.
  void note_unresolved_need(const account::Principal& principal, const std::string& reference) {
    unresolved_needs_[&principal].insert(reference);
  }
  [[nodiscard]] std::set<std::string> unresolved_needs(const account::Principal& principal) const {
    const auto it = unresolved_needs_.find(&principal);
    return it == unresolved_needs_.end() ? std::set<std::string>{} : it->second;
  }

  // Logical locations.
  [[nodiscard]] LogicalLocation of(const Component& component) const;
  [[nodiscard]] LogicalLocation of(const Connection& connection) const;
  [[nodiscard]] static LogicalLocation of(const account::Principal& principal);
  [[nodiscard]] static LogicalLocation of(const Key& key);
  [[nodiscard]] static LogicalLocation of_security_configuration(std::string_view label);
  [[nodiscard]] Location where(const account::Principal& principal) const;

  [[nodiscard]] const PackOptions& options() const { return options_; }
  // What the pack reads, in messages: "the snapshot", or "the file" (a template or plan).
  [[nodiscard]] std::string_view input_name() const { return options_.declared_only ? "the file" : "the snapshot"; }

  // An input the rules need is missing: reported once (ACC005) naming the rules.
  void not_evaluated(std::string path, std::string_view rules);
  // Rules not evaluated for a reason of their own (a role or key a template does not define,
  // a policy a role attaches that the input does not hold): reported once per reason, at `at`.
  void not_evaluated_because(std::string reason, std::string_view rules, const Place& at);
  // Why the IAM export may hold a principal it was not found in: reading stopped at broken JSON,
  // or a broken stretch that reading skipped names it; empty when it was read whole.
  [[nodiscard]] std::string iam_may_hold(std::string_view name) const;
  // Whether the snapshot holds `input`; when not, the rules are noted as not evaluated.
  bool has(Input input, std::string_view rules);

 private:
  void compile_key_policies(DiagnosticSink& sink);
  void compile_delegation();
  void collect_key_uses();

  DiagnosticSink& sink_;
  PackOptions options_;
  std::unordered_map<std::string, const account::Principal*> roles_by_arn_, roles_by_name_;
  std::unordered_map<std::string, const SecurityConfiguration*> configurations_;
  // By name and id, the first of each (a snapshot may hold tens of thousands; each is looked up per use).
  std::unordered_map<std::string_view, const Alias*> aliases_;
  std::unordered_map<std::string_view, const Key*> keys_;
  std::unordered_map<std::string_view, const Connection*> connections_;
  std::unordered_map<const Key*, std::unique_ptr<const eval::CompiledPolicy>> key_policies_;
  // get-key-policy.json files whose `Policy` string is there but does not read (reported).
  std::map<std::string, SourceId> unreadable_key_policies_;  // path -> the file, for ACC005's place
  std::vector<KeyUse> key_uses_;
  std::map<std::string, std::vector<std::string>> missing_;  // path → rules
  struct Undecided {
    std::vector<std::string> rules;
    Place at;
  };
  std::map<std::string, Undecided> undecided_;  // reason → rules
  std::unique_ptr<const eval::CompiledPolicy> delegation_, allow_all_;
  std::unordered_map<const account::Principal*, account::EffectivePolicies> effective_;
  std::optional<std::vector<const account::Principal*>> operators_;
  std::unordered_map<const account::Principal*, std::map<const Key*, std::set<std::string>>> needs_;
  std::unordered_map<const account::Principal*, std::set<std::string>> unresolved_needs_;
  std::map<std::pair<const account::Principal*, const eval::CompiledPolicy*>, const account::Reference*>
      known_attached_;
};

// Whether a `CatalogEncryptionMode` is one Glue refuses (settings.cpp's list of the modes it
// accepts; absent or known only at deployment is not).
bool unaccepted_catalog_mode(std::string_view mode);

void check_settings(Pack& pack);
void check_access(Pack& pack);
void check_network(Pack& pack);
void check_overbroad(Pack& pack);  // after check_access, which notes what each role needs

}  // namespace grantlint::glue
