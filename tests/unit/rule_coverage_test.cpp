#include <catch2/catch.hpp>

#include <filesystem>

#include "rules/registry.h"

namespace fs = std::filesystem;

TEST_CASE("every rule has bad and good golden cases", "[rules]") {
  const fs::path policies = fs::path(GRANTLINT_SOURCE_DIR) / "policies";
  for (const grantlint::RuleMeta* rule : grantlint::rules::all_rules()) {
    INFO(rule->id);
    const fs::path dir = policies / std::string(rule->id);
    REQUIRE(fs::is_directory(dir));
    int bad = 0;
    int good = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() != ".json") continue;
      bad += name.starts_with("bad_") ? 1 : 0;
      good += name.starts_with("good_") ? 1 : 0;
    }
    CHECK(bad >= 1);
    CHECK(good >= 1);
  }
}
