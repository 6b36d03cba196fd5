// Reporters: each turns a finished CheckReport into one output format. They compute
// lines and columns (never stored before this stage) and write into a string.
#pragma once

#include <string>

#include "engine/check.h"

namespace grantlint::report {

struct TextOptions {
  bool color = false;
};

std::string format_text(const CheckReport& report, const TextOptions& options);
std::string format_json(const CheckReport& report);

struct SarifOptions {
  std::string base_dir;           // artifact URIs are relative to it (absolute, normalised)
  std::string automation_id = "grantlint/";
};
std::string format_sarif(const CheckReport& report, const SarifOptions& options);

// GitHub Actions workflow commands (`::error file=...,line=...::message`), one per finding.
std::string format_github(const CheckReport& report);

// `grantlint rules` in its three formats.
std::string format_rules_text();
std::string format_rules_json();
std::string format_rules_markdown();

}  // namespace grantlint::report
