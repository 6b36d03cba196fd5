// The single finding type every stage reports, and the sink that collects them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/level.h"
#include "diag/rule_meta.h"
#include "source/span.h"

namespace grantlint {

struct RelatedLocation {
  Location location;
  std::string message;
};

// What a finding is about when that is not a place in a file alone: the principal of a
// per-principal finding (SARIF `logicalLocations`).
struct LogicalLocation {
  std::string name;                  // `alice`
  std::string fully_qualified_name;  // `arn:aws:iam::111122223333:user/alice`
  std::string kind;                  // SARIF's suggested kinds: "resource"
};

// How bad a rule pack says a finding is (the Glue pack: glue-rules.md §4), beside its level.
enum class Severity : std::uint8_t { none, info, low, medium, high };
std::string_view to_string(Severity severity);  // "high", ...; "" for none
// The level a severity is reported at: high → error, medium → warning, low and info → note.
Level level_of(Severity severity);

struct Diagnostic {
  const RuleMeta* rule = nullptr;
  Level level = Level::error;
  std::string message;        // lowercase, user text in backticks, no final period
  Location location;          // the primary span, in the file the user opened
  std::string pointer;        // JSON pointer of the element inside its policy document
  std::string document;       // JSON pointer of that policy document inside the file ("" = whole file)
  std::vector<RelatedLocation> related;
  // What the finding is about, most specific first: the principal, or the Glue component,
  // its role, its key (SARIF `locations[0].logicalLocations`).
  std::vector<LogicalLocation> logical;
  Severity severity = Severity::none;
};

// Collects findings from every stage. sorted() orders them by file, offset, rule and
// message and drops exact duplicates, so that every reporter prints the same order.
class DiagnosticSink {
 public:
  void report(Diagnostic diagnostic) { diagnostics_.push_back(std::move(diagnostic)); }
  [[nodiscard]] std::vector<Diagnostic> sorted(const std::vector<std::string>& source_paths) &&;
  [[nodiscard]] const std::vector<Diagnostic>& unsorted() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace grantlint
