// Rules describe themselves: `grantlint rules`, SARIF `tool.driver.rules` and
// docs/rules.md are all written from these records.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "diag/level.h"

namespace grantlint {

struct RuleMeta {
  std::string_view id;        // stable, never renumbered: "POL013"
  std::string_view name;      // PascalCase: "InvalidEffect"
  FindingType type;           // decides the default level
  std::string_view summary;   // one line, lowercase, no final period
  std::string_view help;      // what is wrong, why it matters, how to fix it (markdown)
  std::string_view security_severity = {};  // "0.1".."10.0" for security rules, else empty
  std::string_view precision = "very-high";
  std::string_view tags = "correctness";    // space-separated, besides "security"
  std::string_view access_analyzer = {};    // the Access Analyzer issue codes it covers, space-separated
  // It says text adds nothing and may be removed: in a template policy with several forms (its
  // `Fn::If`s), it is reported only when every form gives it.
  bool advises_removal = false;

  [[nodiscard]] Level level() const { return default_level(type); }
};

inline constexpr std::string_view kToolName = "grantlint";
inline constexpr std::string_view kToolVersion = "0.1.0";
inline constexpr std::string_view kInformationUri = "https://github.com/grantlint/grantlint";
inline constexpr std::string_view kRulesDocUri =
    "https://github.com/grantlint/grantlint/blob/main/docs/rules.md";

// The rule's documentation anchor in docs/rules.md.
std::string help_uri(const RuleMeta& rule);

}  // namespace grantlint
