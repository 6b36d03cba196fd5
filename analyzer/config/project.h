// The project configuration, `.grantlint.json`: which rules run and at what level, which
// files a directory walk takes, which findings are suppressed (each with a reason and an
// optional expiry), and the Glue pack's policy-file section (glue/config.h). It is applied
// to a finished report, so `check` and `scan` share it; so is a baseline of known findings.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "engine/check.h"

namespace grantlint::config {

struct Suppression {
  std::string rule;
  std::string path;  // a glob over the reported file path; empty: every file
  enum class Key : std::uint8_t { sid, principal, pointer } key = Key::pointer;
  std::string value;
  std::uint32_t page = 1;  // for a pointer: the page of a file of concatenated pages it is in
  std::string reason;
  std::string expires;  // YYYY-MM-DD, or empty
  Span at;              // the suppression's object in the configuration
  std::string pointer;
};

struct ProjectConfig {
  std::map<std::string, std::optional<Level>> rules;  // nullopt: off
  std::vector<std::string> include, exclude;          // walk globs
  std::vector<Suppression> suppressions;
};

// The walk globs alone, read before the walk (problems are reported by apply_config).
struct WalkGlobs {
  std::vector<std::string> include, exclude;
};
WalkGlobs config_globs(const std::string& path);

struct ApplyOptions {
  std::string today;           // YYYY-MM-DD: suppressions expire after their date
  std::string baseline;        // a baseline file: its findings are not reported
  std::string write_baseline;  // write the findings (after suppressions) here
  bool keep_suppressed = false;  // keep suppressed findings in report.suppressed
  // Whether the run read the configuration's whole directory (`check .`), not some files of it
  // (a pre-commit hook) nor other inputs (a scan's exports): only then is a suppression with
  // neither `path` nor `principal` judged unused when it matches nothing.
  bool whole_tree = true;
};

// Reads the configuration (adding it to the report's sources unless it is there), reports its
// problems (CFG001) and applies it: rules off or re-levelled, suppressions (CFG002 for an
// expired one, CFG003 for one that matches nothing), then the baseline. Returns the number of
// findings suppressed and the number the baseline hid; an error when a baseline file cannot
// be read or written. `report` is make_report()'s: its findings sorted and without duplicates.
struct Applied {
  std::size_t suppressed = 0;
  std::size_t in_baseline = 0;
};
Result<Applied> apply_config(CheckReport& report, const std::optional<std::string>& config_path,
                             const ApplyOptions& options);

// Today's date (UTC), or GRANTLINT_TODAY when set, for reproducible runs; an error when that is not a date.
std::expected<std::string, std::string> today();

}  // namespace grantlint::config
