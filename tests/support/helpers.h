// Test helpers: locate spans by snippet (so tests never hard-code offsets) and run the
// check pipeline on an in-memory policy.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/check.h"
#include "policy/kind.h"

namespace grantlint::testing {

// The span of the n-th occurrence (0-based) of `snippet` in `text`.
inline Span span_of(std::string_view text, std::string_view snippet, std::size_t occurrence = 0) {
  std::size_t pos = text.find(snippet);
  for (std::size_t i = 0; i < occurrence && pos != std::string_view::npos; ++i) pos = text.find(snippet, pos + 1);
  if (pos == std::string_view::npos) throw std::logic_error("snippet not in text: " + std::string(snippet));
  return Span{static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(pos + snippet.size())};
}

inline CheckReport check(std::string_view text, std::optional<policy::Kind> kind = std::nullopt,
                         std::string path = "test.json") {
  CheckOptions options;
  options.forced_kind = kind;
  Checker checker(options);
  checker.check_bytes(std::move(path), text);
  return std::move(checker).finish();
}

// A CloudFormation template in YAML, checked as a named file.
inline CheckReport check_yaml(std::string_view text) { return check(text, std::nullopt, "template.yaml"); }

// The ids of the findings, in report order.
inline std::vector<std::string> rule_ids(const CheckReport& report) {
  std::vector<std::string> ids;
  for (const Diagnostic& d : report.diagnostics) ids.emplace_back(d.rule->id);
  return ids;
}

inline std::size_t count_rule(const CheckReport& report, std::string_view id) {
  std::size_t n = 0;
  for (const Diagnostic& d : report.diagnostics) n += d.rule->id == id ? 1u : 0u;
  return n;
}

// The only finding of rule `id` (a copy: reports are often temporaries); throws when
// there is not exactly one.
inline Diagnostic only(const CheckReport& report, std::string_view id) {
  const Diagnostic* found = nullptr;
  for (const Diagnostic& d : report.diagnostics) {
    if (d.rule->id != id) continue;
    if (found != nullptr) throw std::logic_error("more than one finding of " + std::string(id));
    found = &d;
  }
  if (found == nullptr) throw std::logic_error("no finding of " + std::string(id));
  return *found;
}

}  // namespace grantlint::testing
