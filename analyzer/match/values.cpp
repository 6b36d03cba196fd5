#include "match/values.h"

#include <charconv>
#include <cmath>
#include <string>

#include "base/strings.h"

namespace grantlint::match {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<long> read_int(std::string_view s) {
  if (!all_digits(s) || s.size() > 12) return std::nullopt;
  long value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

// Days from 1970-01-01 to a civil date (proleptic Gregorian).
long days_from_civil(long y, long m, long d) {
  y -= m <= 2 ? 1 : 0;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

long days_in_month(long y, long m) {
  static constexpr long kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  std::string_view s = text;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  const auto dot = s.find('.');
  if (!all_digits(s.substr(0, dot))) return std::nullopt;
  if (dot != std::string_view::npos && !all_digits(s.substr(dot + 1))) return std::nullopt;
  double value = 0;
  const std::string copy(text.front() == '+' ? text.substr(1) : text);
  const auto [end, ec] = std::from_chars(copy.data(), copy.data() + copy.size(), value);
  if (ec != std::errc() || end != copy.data() + copy.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_date(std::string_view text) {
  if (all_digits(text) && text.size() != 4 && text.size() <= 12) {  // epoch seconds (a bare year is a date)
    return static_cast<double>(*read_int(text));
  }
  // YYYY[-MM[-DD[Thh:mm[:ss[.s+]]TZD]]]
  if (text.size() < 4) return std::nullopt;
  const auto year = read_int(text.substr(0, 4));
  if (!year) return std::nullopt;
  long month = 1;
  long day = 1;
  double seconds = 0;
  std::string_view rest = text.substr(4);
  if (!rest.empty()) {
    if (rest.size() < 3 || rest[0] != '-') return std::nullopt;
    const auto m = read_int(rest.substr(1, 2));
    if (!m || *m < 1 || *m > 12) return std::nullopt;
    month = *m;
    rest.remove_prefix(3);
  }
  if (!rest.empty()) {
    if (rest.size() < 3 || rest[0] != '-') return std::nullopt;
    const auto d = read_int(rest.substr(1, 2));
    if (!d || *d < 1 || *d > days_in_month(*year, month)) return std::nullopt;
    day = *d;
    rest.remove_prefix(3);
  }
  if (!rest.empty()) {
    if (rest.size() < 6 || rest[0] != 'T' || rest[3] != ':') return std::nullopt;
    const auto hh = read_int(rest.substr(1, 2));
    const auto mm = read_int(rest.substr(4, 2));
    if (!hh || !mm || *hh > 23 || *mm > 59) return std::nullopt;
    seconds = static_cast<double>(*hh * 3600 + *mm * 60);
    rest.remove_prefix(6);
    if (!rest.empty() && rest[0] == ':') {
      const auto ss = read_int(rest.substr(1, 2));
      if (rest.size() < 3 || !ss || *ss > 60) return std::nullopt;
      seconds += static_cast<double>(*ss);
      rest.remove_prefix(3);
      if (!rest.empty() && rest[0] == '.') {
        std::size_t n = 1;
        while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
        if (n == 1) return std::nullopt;
        seconds += std::stod(std::string("0") + std::string(rest.substr(0, n)));
        rest.remove_prefix(n);
      }
    }
    // A time needs a zone: Z or +hh:mm / -hh:mm.
    if (rest == "Z") {
      rest = {};
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
      const auto zh = read_int(rest.substr(1, 2));
      const auto zm = read_int(rest.substr(4, 2));
      if (!zh || !zm || *zh > 23 || *zm > 59) return std::nullopt;
      const double offset = static_cast<double>(*zh * 3600 + *zm * 60);
      seconds += rest[0] == '+' ? -offset : offset;
      rest = {};
    } else {
      return std::nullopt;
    }
  }
  if (!rest.empty()) return std::nullopt;
  return static_cast<double>(days_from_civil(*year, month, day)) * 86400.0 + seconds;
}

std::optional<IpRange> parse_ip_range(std::string_view text) {
  IpRange range;
  std::string_view address = text;
  std::optional<long> prefix;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    prefix = read_int(text.substr(slash + 1));
    if (!prefix) return std::nullopt;
    address = text.substr(0, slash);
  }
  if (address.find(':') == std::string_view::npos) {
    // IPv4: four decimal octets.
    std::size_t octet = 0;
    bool ended = false;  // the last octet was the end of the address
    while (octet < 4 && !ended) {
      const auto dot = address.find('.');
      const std::string_view part = address.substr(0, dot);
      const auto value = read_int(part);
      if (!value || *value > 255 || part.size() > 3) return std::nullopt;
      range.address[octet++] = static_cast<std::uint8_t>(*value);
      ended = dot == std::string_view::npos;
      if (!ended) address.remove_prefix(dot + 1);
    }
    if (octet != 4 || !ended) return std::nullopt;
    range.prefix = static_cast<unsigned>(prefix.value_or(32));
    if (range.prefix > 32) return std::nullopt;
  } else {
    // IPv6: eight groups of up to four hex digits, `::` once for a run of zero groups.
    range.v6 = true;
    std::array<std::uint16_t, 8> groups{};
    std::size_t count = 0;
    std::size_t gap = 0;  // index where `::` stands
    bool has_gap = false;
    std::string_view rest = address;
    if (rest.starts_with("::")) {
      has_gap = true;
      rest.remove_prefix(2);
    }
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      const std::string_view part = rest.substr(0, colon);
      if (part.empty() || part.size() > 4 || count == 8) return std::nullopt;
      unsigned value = 0;
      for (char c : part) {
        const int digit = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
        if (digit < 0) return std::nullopt;
        value = value * 16 + static_cast<unsigned>(digit);
      }
      groups[count++] = static_cast<std::uint16_t>(value);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
      if (rest.starts_with(":")) {
        if (has_gap) return std::nullopt;
        has_gap = true;
        gap = count;
        rest.remove_prefix(1);
      } else if (rest.empty()) {
        return std::nullopt;  // a trailing single colon
      }
    }
    if (!has_gap && count != 8) return std::nullopt;
    if (has_gap && count > 7) return std::nullopt;
    if (!has_gap) gap = 8;
    std::array<std::uint16_t, 8> full{};
    const std::size_t tail = count - gap;
    for (std::size_t i = 0; i < gap; ++i) full[i] = groups[i];
    for (std::size_t i = 0; i < tail; ++i) full[8 - tail + i] = groups[gap + i];
    for (std::size_t i = 0; i < 8; ++i) {
      range.address[2 * i] = static_cast<std::uint8_t>(full[i] >> 8);
      range.address[2 * i + 1] = static_cast<std::uint8_t>(full[i] & 0xFF);
    }
    range.prefix = static_cast<unsigned>(prefix.value_or(128));
    if (range.prefix > 128) return std::nullopt;
  }
  const unsigned bits = range.v6 ? 128 : 32;
  for (unsigned bit = range.prefix; bit < bits; ++bit) {
    if ((range.address[bit / 8] >> (7 - bit % 8)) & 1) range.host_bits_set = true;
  }
  return range;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (iequals(text, "true")) return true;
  if (iequals(text, "false")) return false;
  return std::nullopt;
}

}  // namespace grantlint::match
