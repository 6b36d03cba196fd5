// bytes → an account export → the whole `scan` analysis and the reporters. Properties: no
// crash; findings and their related locations lie inside the file; the run is
// deterministic (one thread and two threads give the same report); JSON and SARIF parse;
// reading with elements parsed ahead on another thread (large files) reads as reading alone.
#include <cstdint>
#include <string>
#include <string_view>

#include "account/scan.h"
#include "catalog/catalog.h"
#include "fuzz/properties.h"
#include "tests/support/export_reading.h"

namespace {

using grantlint::fuzz::require;

grantlint::CheckReport run(std::string_view input, unsigned threads) {
  grantlint::CheckReport report;
  const grantlint::SourceId id = report.sources.add("export.json", input);
  grantlint::DiagnosticSink sink;
  grantlint::account::analyse_export(report.sources.get(id), id, grantlint::catalog::Catalog::builtin(), threads, sink,
                                     report.documents);
  report.diagnostics = std::move(sink).sorted({"export.json"});
  return report;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 18) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const grantlint::CheckReport first = run(input, 1);
  for (const auto& d : first.diagnostics) {
    require(d.location.span.begin <= d.location.span.end && d.location.span.end <= size);
    for (const auto& related : d.related) require(related.location.span.end <= size);
    require(!d.message.empty());
  }
  grantlint::fuzz::require_stable_reports(first, run(input, 2));  // one thread and two agree
  require(grantlint::testing::read_export_as_text(input, 0) ==
          grantlint::testing::read_export_as_text(input, std::string_view::npos));
  return 0;
}
