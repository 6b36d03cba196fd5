// What the options that take a count (`--threads`, `--sarif-max-results`) accept.
#pragma once

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <string>

namespace grantlint::cli {

// A whole number from `low` to `high` in decimal digits: CLI11 alone reads `0x10` as 16, `0b11`
// as 3 and ` 5` as 5, where it refuses `-1` and `1e3` (hostile h50 L4).
inline CLI::Validator decimal_in(std::uint64_t low, std::uint64_t high) {
  return CLI::Validator(
      [low, high](const std::string& value) -> std::string {
        const std::string range = " from " + std::to_string(low) + " to " + std::to_string(high);
        std::uint64_t number = 0;
        const bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
        if (!digits) return "`" + value + "` is not a number; give a whole number" + range;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (error != std::errc() || number < low || number > high) {
          return "`" + value + "` is out of range; give a whole number" + range;
        }
        return {};
      },
      // As CLI11's Range says it: a missing value is then told "a number from LOW to HIGH".
      "in [" + std::to_string(low) + " - " + std::to_string(high) + "]");
}

}  // namespace grantlint::cli
