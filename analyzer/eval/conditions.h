// Condition entries against a request context (IAM semantics §3): values OR'd (NOR for
// negated operators), set operators over multivalued keys, the missing-key rules, and
// policy variables in values. A key the caller marked unknown makes the entry an atom.
#pragma once

#include "eval/compiled.h"
#include "eval/context.h"
#include "eval/tri.h"

namespace grantlint::eval {

Tri evaluate_condition(const CompiledCondition& condition, const Context& context);

}  // namespace grantlint::eval
