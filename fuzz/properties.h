// What the fuzz targets assert: a failed property aborts, which libFuzzer reports as a crash
// and the replay programs as a failed test.
#pragma once

#include <simdjson.h>

#include <cstdlib>
#include <string_view>

#include "engine/check.h"

namespace grantlint::fuzz {

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

}  // namespace grantlint::fuzz
