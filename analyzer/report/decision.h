// Reporters for `grantlint simulate`: one decision as JSON (one line in batches) or text.
#pragma once

#include <string>

#include "engine/simulate.h"

namespace grantlint::report {

// `indent` 0 writes one line (JSON Lines for batches).
std::string format_decision_json(const SimulationOutcome& outcome, const SourceSet& sources, int indent);
std::string format_decision_text(const SimulationOutcome& outcome, const SourceSet& sources);

}  // namespace grantlint::report
