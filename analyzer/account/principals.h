// Per-principal checks (ACC101, ACC102): each user and role with its effective policies
// (inline, attached, its groups', its boundary) asked through the evaluator whether it can
// do everything, or raise its own permissions. Context is unknown, not guessed: what holds
// only under conditions is a note naming them.
#pragma once

#include <cstdint>
#include <functional>

#include "account/model.h"
#include "diag/diagnostic.h"
#include "eval/compiled.h"

namespace grantlint::account {

// A compiled document of the export, and how far its spans are from where this copy of it
// sits (documents with the same text are compiled once).
struct CompiledDocument {
  const eval::CompiledPolicy* policy = nullptr;
  std::int64_t shift = 0;
  SourceId source = 0;  // the file of this copy
};

using DocumentLookup = std::function<CompiledDocument(const DocumentRef&)>;

// `compiled` must be safe to call from several threads at once; `threads` workers share
// the principals.
void check_principals(const Export& model, const DocumentLookup& compiled, unsigned threads, DiagnosticSink& sink);

}  // namespace grantlint::account
