// bytes → a request file → decisions. Properties: no crash; every request gets exactly
// one of a decision or an error; explanations point at statements and spans that exist;
// every JSON line parses; the run is deterministic.
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/simulate.h"
#include "fuzz/properties.h"
#include "report/decision.h"

namespace {

using grantlint::fuzz::require;
using grantlint::fuzz::require_parses;

std::string run(std::string_view input) {
  grantlint::Simulator simulator(grantlint::SimulatorOptions{.read_policy_files = false});
  simulator.simulate_bytes("fuzz.json", input);
  std::string out;
  for (const grantlint::SimulationOutcome& outcome : simulator.outcomes()) {
    require(outcome.error.has_value() != outcome.answer.has_value());
    if (outcome.answer) {
      for (const auto& trace : outcome.answer->statements) {
        require(trace.statement < trace.policy->document().statements.size());
        const auto span = trace.policy->document().statements[trace.statement].span;
        require(span.begin <= span.end && span.end <= simulator.sources().get(trace.policy->source()).text().size());
      }
    }
    const std::string line = grantlint::report::format_decision_json(outcome, simulator.sources(), 0);
    require_parses(line);
    out += line;
    out += grantlint::report::format_decision_text(outcome, simulator.sources());
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 18) return 0;  // the largest evaluator case file (tests/eval/cases) is 190 KB
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  require(run(input) == run(input));
  return 0;
}
