// Per-principal checks (ACC101, ACC102): each user and role with its effective policies
// (inline, attached, its groups', its boundary) asked through the evaluator whether it can
// do everything, or raise its own permissions. Context is unknown, not guessed: what holds
// only under conditions is a note naming them.
#pragma once

#include <cstdint>
#include <functional>

#include "account/effective.h"
#include "account/model.h"
#include "base/progress.h"
#include "diag/diagnostic.h"
#include "eval/compiled.h"

namespace grantlint::account {

// `compiled` must be safe to call from several threads at once; `threads` workers share
// the principals. `progress` (may be null) counts them.
void check_principals(const Export& model, const DocumentLookup& compiled, unsigned threads, DiagnosticSink& sink,
                      Progress* progress = nullptr);

}  // namespace grantlint::account
