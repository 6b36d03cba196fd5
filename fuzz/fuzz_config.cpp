// bytes → a `.grantlint.json` beside a few policy files → `check` with the Glue pack's
// policy-file mode, then the configuration applied (rules, suppressions, a baseline
// written). Properties: no crash; findings and related locations inside their files; the
// report is deterministic; JSON and SARIF parse.
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
using grantlint::fuzz::require_parses;

constexpr std::string_view kRolePolicy =
    R"({"Version": "2012-10-17", "Statement": [{"Sid": "Catalog", "Effect": "Allow", "Action": ["kms:Decrypt",)"
    R"( "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*"}, {"Effect": "Allow", "Action": "glue:*",)"
    R"( "Resource": "*"}]})";
constexpr std::string_view kKeyPolicy =
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},)"
    R"( "Action": "kms:*", "Resource": "*"}, {"Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"},)"
    R"( "Action": "kms:*", "Resource": "*"}]})";
constexpr std::string_view kTrust =
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"},)"
    R"( "Action": "sts:AssumeRole"}]})";

const fs::path& directory() {
  static const fs::path dir = [] {
    const fs::path d = grantlint::fuzz::make_scratch_directory("config");
    std::ofstream(d / "role.json") << kRolePolicy;
    std::ofstream(d / "key.json") << kKeyPolicy;
    std::ofstream(d / "trust.json") << kTrust;
    return d;
  }();
  return dir;
}

std::string run(const fs::path& config) {
  grantlint::Checker checker({});
  checker.check_file((directory() / "role.json").string(), "role.json");
  checker.check_config(config.string(), config.string());
  grantlint::CheckReport report = std::move(checker).finish();
  const auto applied = grantlint::config::apply_config(report, config.string(),
                                                       {"2026-06-01", "", (directory() / "baseline.json").string()});
  require(applied.has_value());
  grantlint::fuzz::require_locations_inside(report);
  grantlint::report::SarifOptions options;
  options.base_dir = "/";
  require_parses(grantlint::report::format_sarif(report, options));
  const std::string json = grantlint::report::format_json(report);
  require_parses(json);
  return json;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 16) return 0;
  const fs::path config = directory() / ".grantlint.json";
  std::ofstream(config, std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  require(run(config) == run(config));
  return 0;
}
