#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "rules/registry.h"

namespace fs = std::filesystem;

TEST_CASE("every rule has bad and good golden cases", "[rules]") {
  const fs::path policies = fs::path(GRANTLINT_SOURCE_DIR) / "policies";
  for (const grantlint::RuleMeta* rule : grantlint::rules::all_rules()) {
    INFO(rule->id);
    // The Glue pack's rules run on account snapshots: the sample and its variants test them.
    if (std::ranges::find(grantlint::rules::glue_rules(), rule) != grantlint::rules::glue_rules().end()) continue;
    // The configuration's rules are about `.grantlint.json`: tests/config and the policy-file cases test them.
    if (std::ranges::find(grantlint::rules::config_rules(), rule) != grantlint::rules::config_rules().end()) continue;
    const fs::path dir = policies / std::string(rule->id);
    REQUIRE(fs::is_directory(dir));
    int bad = 0;
    int good = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() != ".json" && entry.path().extension() != ".yaml") continue;
      bad += name.starts_with("bad_") ? 1 : 0;
      good += name.starts_with("good_") ? 1 : 0;
    }
    CHECK(bad >= 1);
    CHECK(good >= 1);
  }
}

namespace {
std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST_CASE("every Glue rule is expected by the sample, a variant of it or the policy-file cases", "[rules]") {
  const fs::path root(GRANTLINT_SOURCE_DIR);
  const std::string cases = read_text(root / "policies/glue/sample.expected.json") +
                            read_text(root / "tests/glue/variants_test.mjs") +
                            read_text(root / "tests/glue/files_test.mjs");
  for (const grantlint::RuleMeta* rule : grantlint::rules::glue_rules()) {
    INFO(rule->id);
    CHECK(cases.find(fmt::format("\"{}\"", rule->id)) != std::string::npos);
  }
}

TEST_CASE("every configuration rule is exercised by the configuration tests", "[rules]") {
  const fs::path root(GRANTLINT_SOURCE_DIR);
  const std::string cases =
      read_text(root / "tests/config/config_test.sh") + read_text(root / "tests/glue/files_test.mjs");
  for (const grantlint::RuleMeta* rule : grantlint::rules::config_rules()) {
    INFO(rule->id);
    CHECK(cases.find(rule->id) != std::string::npos);
  }
}
