// The decision procedure (IAM semantics §2.6–2.8): explicit deny wins; SCP levels each
// need an Allow; same-account and cross-account rules with the strength of the resource
// policy's naming; KMS keys and role trust policies must name the caller or its account.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eval/compiled.h"
#include "eval/request.h"
#include "eval/tri.h"

namespace grantlint::eval {

// The policies that bear on one request. Pointers are borrowed.
struct PolicySet {
  std::vector<const CompiledPolicy*> identity;
  const CompiledPolicy* resource = nullptr;  // resource policy; for a KMS key, its key policy
  std::vector<const CompiledPolicy*> boundary;
  std::vector<std::vector<const CompiledPolicy*>> scp;  // one list per organization level
  const CompiledPolicy* session = nullptr;
};

enum class Decision : std::uint8_t { allowed, explicit_deny, implicit_deny, conditional };
std::string_view to_string(Decision decision);  // "allowed", "explicit_deny", ...

// What one statement did for the request.
struct StatementTrace {
  const CompiledPolicy* policy = nullptr;
  std::size_t statement = 0;
  enum class Outcome : std::uint8_t { applies, conditional, no_match } outcome = Outcome::no_match;
  std::string reason;  // why it did not match, or what it depends on
};

struct Answer {
  Decision decision = Decision::implicit_deny;
  std::string reason;
  Tri allowed_if = Tri::no();              // for `conditional`: the formula over unknown conditions
  std::vector<StatementTrace> statements;  // every statement whose Action matched
};

struct DecideOptions {
  // Record a trace per statement and the reason for an implicit deny. Bulk callers that
  // need only the decision turn it off and allocate nothing for explanations.
  bool explain = true;
};

Answer decide(const PolicySet& policies, const Request& request, DecideOptions options = {});

}  // namespace grantlint::eval
