// Reporters: each turns a finished CheckReport into one output format. They compute
// lines and columns (never stored before this stage) and hand the report over in pieces,
// so a large report (a scan of a whole account) is never held whole in memory.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "engine/check.h"

namespace grantlint::report {

struct TextOptions {
  bool color = false;
  // The run's errors (standard error says them too) are also written before the summary, for a
  // report going to a file: read alone, it would look like a complete run (h47 L3).
  bool notifications = false;
};

// Receives a report's pieces, in order.
using Output = std::function<void(std::string_view)>;

// Reporters pass their buffer on once it holds about this much.
inline constexpr std::size_t kOutputChunk = std::size_t{1} << 20;
inline void flush_chunk(std::string& buffer, const Output& output) {
  if (buffer.size() < kOutputChunk) return;
  output(buffer);
  buffer.clear();
}

void write_text(const CheckReport& report, const TextOptions& options, const Output& output);
// `threads` render the findings (0: one per core); the report is the same for any number.
void write_json(const CheckReport& report, const Output& output, unsigned threads = 1);

struct SarifOptions {
  std::string base_dir;  // artifact URIs are relative to it (absolute, normalised)
  std::string automation_id = "grantlint/";
  // GitHub code scanning rejects a run of more results (sarif-github.md §1.2): past it, the
  // most severe are kept and a notification counts the rest. 0: no limit.
  std::size_t max_results = kGitHubMaxResults;
  static constexpr std::size_t kGitHubMaxResults = 25000;
};
// How many results a SARIF report written with `options` leaves out, and what the report
// (a notification) and the command line (standard error) say of them.
std::size_t sarif_results_left_out(const CheckReport& report, const SarifOptions& options);
std::string sarif_left_out_message(std::size_t left_out, std::size_t total, std::size_t limit);
void write_sarif(const CheckReport& report, const SarifOptions& options, const Output& output);

struct GithubOptions {
  // Annotation paths are relative to it (absolute, normalised), as the runner resolves them
  // against the repository it checked out; empty: the paths as they were named.
  std::string base_dir;
};
// GitHub Actions workflow commands (`::error file=...,line=...::message`), one per finding.
void write_github(const CheckReport& report, const GithubOptions& options, const Output& output);

// The same, collected into one string.
std::string format_text(const CheckReport& report, const TextOptions& options);
std::string format_json(const CheckReport& report);
std::string format_sarif(const CheckReport& report, const SarifOptions& options);
std::string format_github(const CheckReport& report, const GithubOptions& options);

// `grantlint rules` in its three formats.
std::string format_rules_text();
std::string format_rules_json();
std::string format_rules_markdown();

}  // namespace grantlint::report
