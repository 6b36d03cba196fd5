#include "diag/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace grantlint {

std::optional<Level> parse_level(std::string_view text) {
  if (text == "error") return Level::error;
  if (text == "warning") return Level::warning;
  if (text == "note") return Level::note;
  return std::nullopt;
}

std::vector<Diagnostic> DiagnosticSink::sorted(const std::vector<std::string>& source_paths) && {
  auto path_of = [&](const Diagnostic& d) -> const std::string& {
    return source_paths.at(d.location.source);
  };
  auto key = [&](const Diagnostic& d) {
    return std::tie(path_of(d), d.location.source, d.location.span.begin, d.rule->id,
                    d.location.span.end, d.message, d.document, d.pointer);
  };
  // The key orders every field that tells findings apart, so equal keys are duplicates.
  std::sort(diagnostics_.begin(), diagnostics_.end(),
            [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  auto same = [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); };
  diagnostics_.erase(std::unique(diagnostics_.begin(), diagnostics_.end(), same), diagnostics_.end());
  return std::move(diagnostics_);
}

}  // namespace grantlint
