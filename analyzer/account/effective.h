// A principal's effective policies in an export: its inline and attached managed policies
// (default versions), its groups' (users), and its permissions boundary, compiled.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "account/model.h"
#include "base/flat_map.h"
#include "diag/diagnostic.h"
#include "eval/decide.h"
#include "eval/principal.h"
#include "source/span.h"

namespace grantlint::account {

// A compiled document of the export, and how far its spans are from where this copy of it
// sits (documents with the same text are compiled once).
struct CompiledDocument {
  const eval::CompiledPolicy* policy = nullptr;
  std::int64_t shift = 0;
  SourceId source = 0;       // the file of this copy
  std::string_view pointer;  // the JSON pointer of this copy in its file: its DocumentRef's, in the model
};

using DocumentLookup = std::function<CompiledDocument(const DocumentRef&)>;

// grantlint's own copy of an AWS managed policy, by ARN (glue/aws_managed_policies.h), for one
// the export does not hold (exported with `--filter LocalManagedPolicy`); null when it has none.
using BuiltinPolicyLookup = std::function<const eval::CompiledPolicy*(std::string_view arn)>;

struct EffectivePolicies;
// Where a finding says that grantlint's copy of an AWS managed policy the export lacks allows
// `action`: at the policy's attachment; nullopt when `policy` is not such a copy.
std::optional<RelatedLocation> builtin_allows(const EffectivePolicies& effective, const eval::CompiledPolicy* policy,
                                              std::string_view action);

// Where a statement of a compiled document is, in the file of this copy, and its JSON
// pointer there.
Location statement_location(const CompiledDocument& copy, const policy::Statement& statement);
std::string statement_pointer(const CompiledDocument& copy, const policy::Statement& statement);

// Whether a decision lets the request through: outright, or under conditions.
inline bool admitted(eval::Decision decision) {
  return decision == eval::Decision::allowed || decision == eval::Decision::conditional;
}

// Appends where the Allow statements that admitted `action` in an answer explained are (in the
// principal's policies, or in `trust` when given), four at most: a finding's related locations.
void note_allowing_statements(const eval::Answer& answer, const EffectivePolicies& effective,
                              const CompiledDocument* trust, std::vector<RelatedLocation>& out,
                              std::string_view action);

// A principal holds a handful of policies: flat tables (base/flat_map.h), built for each one.
struct EffectivePolicies {
  eval::PolicySet set;                                              // identity and boundary
  FlatMap<const eval::CompiledPolicy*, CompiledDocument> copies;  // where each one is
  // Identity policies attached as AWS managed policies (`arn:aws:iam::aws:policy/...`):
  // the account cannot change them.
  FlatSet<const eval::CompiledPolicy*> aws_managed;
  // AWS managed policies the export does not hold, taken from grantlint's copy
  // (BuiltinPolicyLookup), each with its attachment (or boundary): where findings point for them.
  FlatMap<const eval::CompiledPolicy*, const Reference*> builtin;
  // Attached managed policies the export does not hold: what they allow is unknown.
  std::vector<const Reference*> unknown;
  // Inline policies (its own or its groups') whose document did not parse: what they refuse is unknown.
  std::vector<const InlinePolicy*> unreadable;
  // A permissions boundary the export does not hold: what it refuses is unknown.
  const Reference* unknown_boundary = nullptr;
  // The export lists the unknown boundary, but its default version could not be read.
  bool boundary_unreadable = false;
};

// What a principal's findings of its permissions add when the export lacks a policy that could
// refuse them: ", unless its permissions boundary `X`, which the export does not hold, refuses it",
// or the same of an attached customer managed policy (one could hold a Deny; grantlint carries
// every AWS managed policy that denies); empty when none is missing.
std::string missing_policy_caveat(const EffectivePolicies& effective, const Principal& principal);

// Whether a statement's answers can differ between callers of one kind and account: it reads
// a principal key or has a policy variable.
bool reads_caller(const eval::CompiledStatement& statement);

// What the evaluator knows of a caller that can change a decision without a statement reading
// the caller: its kind, partition and account. Callers of one class are answered alike.
std::string caller_class_key(const eval::Caller& caller);

// Whether `text` is a managed policy's ARN, `arn:PARTITION:iam::ACCOUNT|aws:policy/[PATH/]NAME`,
// as a boundary or an export's `Policies[]` names one: an empty or garbled one was taken for a
// policy the export does not hold (h50 L1). The partition is one of AWS's (h52 M2: `arn::iam::…`,
// `arn:bogus:iam::…`); a policy's name and path are printable ASCII without spaces (h51 L4).
bool is_policy_arn(std::string_view text);

// Whether an ARN is an AWS managed policy's, `arn:PARTITION:iam::aws:policy/[PATH/]NAME`: AWS's
// own, which the account cannot change (nor choose its default version). A role's ARN in the
// `aws` account, or one with a Region, is not one (hostile h51 M2).
bool is_aws_managed(std::string_view arn);

// Whether `arn`, attached to the principal `principal_arn`, is an AWS managed policy of the
// principal's own partition (IAM attaches no other; one without a partition that reads: any), so
// that grantlint's copy may stand in for it (h54 L2: `arn:aws-cn:iam::aws:policy/AWSDenyAll` on
// an `aws` user was taken for the `aws` one).
bool aws_managed_for(std::string_view arn, std::string_view principal_arn);

// The export's managed policies are resolved once (their default version, compiled), not once
// for each principal that attaches them.
class PolicyIndex {
 public:
  // `compiled` and `model` must outlive the index.
  PolicyIndex(const Export& model, const DocumentLookup& compiled, BuiltinPolicyLookup builtin = {});
  // What resolve_all() keeps points into the index's own tables.
  PolicyIndex(const PolicyIndex&) = delete;
  PolicyIndex& operator=(const PolicyIndex&) = delete;

  [[nodiscard]] EffectivePolicies effective(const Principal& principal) const;
  // Resolves what each principal of the model names (its inline policies' compiled copies, its
  // attached policies, groups and boundary) once, on up to `threads` threads (0: one per core),
  // for effective() to look up none of them again. The per-principal checks, the raisers and the
  // reach pass each ask for a principal's policies, and hashing the names, spread over the
  // export's text, took nearly a tenth of a scan's time. Not safe beside effective(). Memory
  // that runs out leaves them unresolved: effective() looks them up as before.
  void resolve_all(unsigned threads);
  // The group the export lists by that name (its first listing), or null.
  [[nodiscard]] const Principal* group(std::string_view name) const {
    const auto it = groups_.find(name);
    return it == groups_.end() ? nullptr : it->second;
  }
  // The compiled trust policy of a role, or a null policy.
  [[nodiscard]] CompiledDocument compiled(const DocumentRef& document) const { return compiled_(document); }

 private:
  // A managed policy's default version, compiled; a null policy when the export does not hold
  // it (no such policy, no default version, or a document that does not compile).
  struct Resolved {
    CompiledDocument copy;
    bool aws_managed = false;  // its ARN is in the `aws` account
  };

  // What resolve_all() found, in flat lists: principal i's entries of a list start at its
  // `*_at[i]` and end at `*_at[i + 1]`, one for each of its inline policies, attachments or groups.
  struct Resolutions {
    std::vector<std::uint32_t> inline_at, attached_at, groups_at;
    std::vector<CompiledDocument> inline_copies;
    std::vector<const Resolved*> attached;  // null: not one the export holds and reads
    std::vector<const Principal*> groups;   // null: no such group
    std::vector<const Resolved*> boundary;  // by principal index
  };

  static void add(const CompiledDocument& copy, std::vector<const eval::CompiledPolicy*>& into,
                  EffectivePolicies& effective);
  // `owner` at `at` in the model, when its names are resolved (kNotResolved otherwise).
  void add_own(const Principal& owner, std::size_t at, std::vector<const eval::CompiledPolicy*>& into,
               EffectivePolicies& effective) const;
  // What resolve_all() keeps; empty past the lists' 32-bit offsets.
  [[nodiscard]] Resolutions resolve(unsigned threads) const;
  [[nodiscard]] std::size_t resolved_at(const Principal& principal) const;
  [[nodiscard]] const Principal* group_of(std::size_t at, std::size_t k, const Reference& group) const;
  static constexpr std::size_t kNotResolved = static_cast<std::size_t>(-1);
  [[nodiscard]] const Resolved* managed(std::string_view arn) const;
  [[nodiscard]] const eval::CompiledPolicy* builtin(std::string_view arn, std::string_view principal_arn) const;

  const Export& model_;
  const DocumentLookup& compiled_;
  BuiltinPolicyLookup builtin_;
  Resolutions resolved_;                                    // empty until resolve_all()
  std::unordered_map<std::string_view, Resolved> managed_;  // by ARN; the first listing of one
  std::unordered_map<std::string_view, const Principal*> groups_;
};

}  // namespace grantlint::account
