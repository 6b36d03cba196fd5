// A hostile document can make one rule fire a hundred thousand times (100,000 unknown keys):
// past a cap, a rule's findings in one policy document are counted, not listed.
#pragma once

#include <cstddef>
#include <vector>

#include "diag/diagnostic.h"

namespace grantlint {

// Findings listed per rule and policy document; more are one finding that counts them.
inline constexpr std::size_t kListedPerRule = 1000;

// Caps `sorted` (DiagnosticSink::sorted's order) in place, after baselines and suppressions
// (config::apply_config): of each rule's findings in one
// document (file, page and document pointer), the first kListedPerRule stay, and the next becomes
// a finding at its own place that says how many are left out. Findings about principals and
// Glue components (ACC, GLUE), whose number follows the account's size, and rules that cap
// themselves (JSON004) are all listed.
void cap_per_document(std::vector<Diagnostic>& sorted);

// Whether cap_per_document caps a rule's findings (not ACC, GLUE, JSON004).
bool capped(const RuleMeta& rule);

// Findings of a capped rule kept per policy document while it is checked (FindingBudget): ten
// times those listed, so that baselines and suppressions that hide some leave others to list.
inline constexpr std::size_t kKeptPerRule = 10 * kListedPerRule;

}  // namespace grantlint
