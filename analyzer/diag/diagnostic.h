// The single finding type every stage reports, and the sink that collects them.
#pragma once

#include <cstdint>
#include <map>
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

// A message with each text between backticks longer than kLongestQuote bytes cut to its start
// and its length (`99999…` (5000 bytes)): the location shows the whole text; a message that
// quotes all of a 100 MB string helps no one.
inline constexpr std::size_t kLongestQuote = 200;
std::string clip_long_quotes(std::string message);
// Free text (a suppression's reason) cut alike when longer than kLongestQuote: `because…
// (5000 bytes)`.
std::string clip_long_text(std::string_view text);
// A name no AWS resource can have (IAM's names and ARNs end well below 2,048 bytes) cut to
// its first 1,024 bytes and its length, where each finding about it repeats it (SARIF's
// logical locations).
inline constexpr std::size_t kLongestName = 2048;
std::string clip_long_name(std::string_view name);

struct Diagnostic {
  const RuleMeta* rule = nullptr;
  Level level = Level::error;
  std::string message;   // lowercase, user text in backticks, no final period
  Location location;     // the primary span, in the file the user opened
  std::string pointer;   // JSON pointer of the element inside its policy document
  std::string document;  // JSON pointer of that policy document inside the file ("" = whole file)
  std::vector<RelatedLocation> related;
  // What the finding is about, most specific first: the principal, or the Glue component,
  // its role, its key (SARIF `locations[0].logicalLocations`).
  std::vector<LogicalLocation> logical;
  Severity severity = Severity::none;
  // Which of the file's concatenated JSON values (pages of an export) the finding is in, from
  // 1, where a file holds several: each value's pointers start at its own root. 0 otherwise.
  // Set by DiagnosticSink::sorted.
  std::uint32_t page = 0;
  // How many findings it stands for: more than one for the finding that holds the place of
  // those a FindingBudget did not keep (emitter.h), which cap_per_document counts.
  std::size_t stands_for = 1;
};

// Collects findings from every stage. sorted() orders them by file, offset, rule and
// message and drops exact duplicates, so that every reporter prints the same order.
class DiagnosticSink {
 public:
  void report(Diagnostic diagnostic) { diagnostics_.push_back(std::move(diagnostic)); }
  [[nodiscard]] std::vector<Diagnostic> sorted(const std::vector<std::string>& source_paths) &&;
  [[nodiscard]] const std::vector<Diagnostic>& unsorted() const { return diagnostics_; }
  [[nodiscard]] std::vector<Diagnostic> take_unsorted() && { return std::move(diagnostics_); }

  // Part of a file the analysis failed on (an exception: a bug in grantlint). The run goes
  // on; the report names what is missing as a tool error (diag/contain.h).
  struct Failure {
    SourceId source = 0;
    std::string message;
  };
  void fail(SourceId source, std::string message) { failures_.push_back(Failure{source, std::move(message)}); }
  [[nodiscard]] const std::vector<Failure>& failures() const { return failures_; }

  // Where a file of several concatenated JSON values (pages) starts each of them, in order, so
  // that sorted() numbers each finding's page. A file of one value needs no call.
  void note_pages(SourceId source, std::vector<std::uint32_t> starts);
  // The page (from 1) that holds `offset` of `source`, or 0 when the file has no pages noted.
  [[nodiscard]] std::uint32_t page_at(SourceId source, std::uint32_t offset) const;

  // Moves another sink's findings, failures and pages into this one.
  void take(DiagnosticSink&& other) {
    for (Diagnostic& diagnostic : other.diagnostics_) diagnostics_.push_back(std::move(diagnostic));
    for (Failure& failure : other.failures_) failures_.push_back(std::move(failure));
    for (auto& [source, starts] : other.page_starts_) page_starts_.insert_or_assign(source, std::move(starts));
    other.diagnostics_.clear();
    other.failures_.clear();
    other.page_starts_.clear();
  }

 private:
  std::vector<Diagnostic> diagnostics_;
  std::vector<Failure> failures_;
  std::map<SourceId, std::vector<std::uint32_t>> page_starts_;
};

}  // namespace grantlint
