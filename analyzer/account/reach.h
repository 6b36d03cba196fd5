// The reach pass (ACC102 through another principal), after the per-principal checks: a user
// or role that, in one call on a named target, gets the permissions of an administrator
// (ACC101) or of a principal that can raise its own (ACC102): it assumes a role whose trust
// policy admits it, rewrites such a role's trust policy, passes such a role to a service it
// can start, makes or changes such a user's credentials (an access key, a console password),
// or joins a group whose policies make it one. A role or user reached so is a target in turn
// (role chaining). Each step is decided by the evaluator over the principal's policies,
// boundary and Deny statements and the target's trust policy, within a budget of questions.
#pragma once

#include <span>

#include "account/effective.h"
#include "account/model.h"
#include "account/principals.h"
#include "diag/diagnostic.h"

namespace grantlint::account {

// `standings` is check_principals()'s answer for `model`. The principals are asked on up to
// `threads` threads; the findings are the same for any number.
void check_reach(const Export& model, const PolicyIndex& index, std::span<const Standing> standings,
                 DiagnosticSink& sink, unsigned threads);

}  // namespace grantlint::account
