// Typed condition values as IAM reads them (IAM semantics §3.4, §3.6): numbers, dates,
// IP ranges, booleans. The checks use them to validate policy values; the evaluator will
// use the same parsers to compare request values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace grantlint::match {

// A decimal number: `-12`, `3.5` (no exponent, no hex).
std::optional<double> parse_number(std::string_view text);

// A W3C ISO 8601 date (`2020`, `2020-01`, `2020-01-31`, `2020-01-31T12:00Z`,
// `2020-01-31T12:00:00+02:00`, `2020-01-31T12:00:00.5Z`) or integer epoch seconds, as
// seconds since 1970-01-01T00:00:00Z.
std::optional<double> parse_date(std::string_view text);

struct IpRange {
  bool v6 = false;
  std::array<std::uint8_t, 16> address{};  // IPv4 in the first four bytes
  unsigned prefix = 0;                     // /32 or /128 when none is written
  bool host_bits_set = false;              // bits after the prefix are not zero
};
// `203.0.113.0/24`, `203.0.113.7`, `2001:db8::/32`, `::1`.
std::optional<IpRange> parse_ip_range(std::string_view text);

// `true` or `false`, without regard to case.
std::optional<bool> parse_bool(std::string_view text);

}  // namespace grantlint::match
