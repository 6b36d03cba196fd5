#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace grantlint {

// The level of a finding, as in SARIF. Ordered: note < warning < error.
enum class Level : std::uint8_t { note, warning, error };

constexpr std::string_view to_string(Level level) {
  switch (level) {
    case Level::note: return "note";
    case Level::warning: return "warning";
    case Level::error: return "error";
  }
  return "error";
}
inline std::string_view format_as(Level level) { return to_string(level); }

std::optional<Level> parse_level(std::string_view text);

// Access Analyzer's finding types; each rule has one, and it decides the default level:
// ERROR and SECURITY_WARNING and WARNING are reported as error, warning, warning;
// SUGGESTION as note. Only SECURITY_WARNING rules carry a security-severity.
enum class FindingType : std::uint8_t { error, security_warning, warning, suggestion };

constexpr std::string_view to_string(FindingType type) {
  switch (type) {
    case FindingType::error: return "ERROR";
    case FindingType::security_warning: return "SECURITY_WARNING";
    case FindingType::warning: return "WARNING";
    case FindingType::suggestion: return "SUGGESTION";
  }
  return "ERROR";
}

constexpr Level default_level(FindingType type) {
  switch (type) {
    case FindingType::error: return Level::error;
    case FindingType::security_warning:
    case FindingType::warning: return Level::warning;
    case FindingType::suggestion: return Level::note;
  }
  return Level::error;
}

}  // namespace grantlint
