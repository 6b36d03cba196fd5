// bytes → the whole `check` pipeline and every reporter. Properties: no crash; findings
// lie inside the file and are sorted; the run is deterministic; JSON and SARIF reports
// always parse.
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/check.h"
#include "fuzz/properties.h"

namespace {

using grantlint::fuzz::require;

grantlint::CheckReport run(std::string_view input) {
  grantlint::Checker checker(grantlint::CheckOptions{});
  checker.check_bytes("fuzz.json", input);
  return std::move(checker).finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 18) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const grantlint::CheckReport first = run(input);
  std::uint64_t previous = 0;
  for (const auto& d : first.diagnostics) {
    require(d.location.span.begin <= d.location.span.end && d.location.span.end <= size);
    for (const auto& related : d.related) require(related.location.span.end <= size);
    require(d.location.span.begin >= previous);
    previous = d.location.span.begin;
    require(!d.message.empty());
  }
  grantlint::fuzz::require_stable_reports(first, run(input));
  return 0;
}
