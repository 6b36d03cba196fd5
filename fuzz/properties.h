// What the fuzz targets assert: a failed property aborts, which libFuzzer reports as a crash
// and the replay programs as a failed test.
#pragma once

#include <simdjson.h>

#include <cstdlib>
#include <string_view>

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

}  // namespace grantlint::fuzz
