// bytes → a baseline file applied to the findings of a fixed policy, and the same bytes as a
// policy file whose own findings are written to a baseline and read back. Properties: no
// crash; a baseline is read whole or refused with a message (never half-applied: every
// finding is either reported or hidden by it); what a baseline hides never grows past the
// findings; a baseline written from a report hides all of that report; runs are deterministic.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "config/project.h"
#include "engine/check.h"
#include "fuzz/properties.h"
#include "report/report.h"

namespace {

namespace fs = std::filesystem;
using grantlint::fuzz::require;

// Findings for the fuzzed baseline to hide: an administrator grant, a wildcard, a typo.
constexpr std::string_view kPolicy =
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},)"
    R"( {"Effect": "Allow", "Action": ["s3:GetObjct", "iam:PassRole"], "Resource": "*"},)"
    R"( {"Effect": "Allow", "Action": ["s3:GetObjct", "iam:PassRole"], "Resource": "*"}]})";

const fs::path& directory() {
  static const fs::path dir = [] {
    const fs::path d = grantlint::fuzz::make_scratch_directory("baseline");
    std::ofstream(d / "policy.json") << kPolicy;
    return d;
  }();
  return dir;
}

grantlint::CheckReport check(const fs::path& policy) {
  grantlint::Checker checker({});
  checker.check_file(policy.string(), policy.filename().string());
  return std::move(checker).finish();
}

// The fixed policy's findings with `baseline` applied: the JSON report, or the refusal.
std::string apply(const fs::path& baseline) {
  grantlint::CheckReport report = check(directory() / "policy.json");
  const std::size_t found = report.diagnostics.size();
  require(found > 0);
  grantlint::config::ApplyOptions options;
  options.today = "2026-06-01";
  options.baseline = baseline.string();
  const auto applied = grantlint::config::apply_config(report, std::nullopt, options);
  if (!applied) {
    require(!applied.error().message.empty());
    return "refused: " + applied.error().message;
  }
  require(applied->in_baseline + report.diagnostics.size() == found);
  const std::string json = grantlint::report::format_json(report);
  grantlint::fuzz::require_parses(json);
  return json;
}

// The fuzzed bytes as a policy: a baseline written from its findings hides every one of them.
void round_trip(const fs::path& policy) {
  const fs::path written = directory() / "written.json";
  grantlint::CheckReport first = check(policy);
  grantlint::config::ApplyOptions write;
  write.today = "2026-06-01";
  write.write_baseline = written.string();
  const auto wrote = grantlint::config::apply_config(first, std::nullopt, write);
  require(wrote.has_value());

  grantlint::CheckReport second = check(policy);
  const std::size_t found = second.diagnostics.size();
  require(found == first.diagnostics.size());
  grantlint::config::ApplyOptions read;
  read.today = "2026-06-01";
  read.baseline = written.string();
  const auto applied = grantlint::config::apply_config(second, std::nullopt, read);
  require(applied.has_value());
  require(applied->in_baseline == found);
  require(second.diagnostics.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 16) return 0;
  const fs::path input = directory() / "input.json";
  std::ofstream(input, std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  require(apply(input) == apply(input));
  round_trip(input);
  return 0;
}
