// bytes → a CloudFormation template in YAML (or JSON) → the whole `check` pipeline and every
// reporter. Properties: no crash; findings and related locations lie inside the file and
// are sorted; no message shows a placeholder's private-use markers (they read `${Name}`);
// the run is deterministic; JSON and SARIF reports always parse.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/placeholder.h"
#include "engine/check.h"
#include "fuzz/properties.h"

namespace {

using grantlint::fuzz::require;

grantlint::CheckReport run(std::string_view input) {
  grantlint::Checker checker(grantlint::CheckOptions{});
  checker.check_bytes("fuzz.template", input);  // YAML unless it starts as JSON does
  return std::move(checker).finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 18) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const grantlint::CheckReport first = run(input);
  grantlint::fuzz::require_locations_inside(first);
  std::uint64_t previous = 0;
  for (const auto& d : first.diagnostics) {
    require(d.location.span.begin >= previous);
    previous = d.location.span.begin;
    require(!grantlint::has_placeholder(d.message));
    for (const auto& related : d.related) require(!grantlint::has_placeholder(related.message));
  }
  grantlint::fuzz::require_stable_reports(first, run(input));
  return 0;
}
