#pragma once

#include <vector>

#include "diag/diagnostic.h"
#include "report/json_writer.h"
#include "source/source_file.h"

namespace grantlint::report {

// Writes `"region": {...}` for a span: 1-based lines, UTF-16 columns (end exclusive) and
// the byte offset and length, in the shape SARIF and the JSON report share.
void write_region(JsonWriter& w, const SourceFile& file, Span span);

// `"logicalLocations": [...]` as SARIF spells them, when there are any (JSON and SARIF share it).
void write_logical_locations(JsonWriter& w, const std::vector<LogicalLocation>& locations);

// One rule's entry, as `grantlint rules --format json` and the JSON report's `rules[]` write it.
void write_rule_json(JsonWriter& w, const RuleMeta& rule);

}  // namespace grantlint::report
