// What the fuzz targets assert: a failed property aborts, which libFuzzer reports as a crash
// and the replay programs as a failed test.
#pragma once

#include <simdjson.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/check.h"
#include "report/report.h"

namespace grantlint::fuzz {

// A directory of the fuzz process's own (`grantlint-fuzz-NAME-PID` under the temporary
// directory), removed when the process exits. Call it once: a target keeps the path.
inline std::filesystem::path make_scratch_directory(const std::string& name) {
  // Set before the atexit handler that removes it is registered, so it outlives that handler.
  static std::string made;  // NOLINT: one per process
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("grantlint-fuzz-" + name + "-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  made = dir.string();
  std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(made, ignored);
  });
  return dir;
}

inline void require(bool condition) {
  if (!condition) std::abort();
}

// Reports and decisions must always be JSON.
inline void require_parses(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  require(parser.parse(json.data(), json.size()).get(root) == simdjson::SUCCESS);
}

// Every finding of a report that reads several files lies inside its own file, and so do its
// related locations; none has an empty message.
inline void require_locations_inside(const CheckReport& report) {
  const auto size_of = [&](SourceId id) { return report.sources.get(id).text().size(); };
  for (const Diagnostic& d : report.diagnostics) {
    require(d.location.span.begin <= d.location.span.end && d.location.span.end <= size_of(d.location.source));
    for (const RelatedLocation& related : d.related) {
      require(related.location.span.end <= size_of(related.location.source));
    }
    require(!d.message.empty());
  }
}

// The reports of a run always parse (JSON, SARIF), and a second run of the same input (done
// the same way or another: more threads) writes the same reports.
inline void require_stable_reports(const CheckReport& first, const CheckReport& second) {
  report::SarifOptions options;
  options.base_dir = "/";
  const std::string json = report::format_json(first);
  const std::string sarif = report::format_sarif(first, options);
  require_parses(json);
  require_parses(sarif);
  require(report::format_json(second) == json);
  require(report::format_sarif(second, options) == sarif);
  require(report::format_text(second, {}) == report::format_text(first, {}));
}

}  // namespace grantlint::fuzz
