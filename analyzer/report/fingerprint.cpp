#include "report/fingerprint.h"

#include <array>
#include <cstdint>
#include <unordered_map>

#include <fmt/format.h>

#include "base/utf8.h"

namespace grantlint::report {

namespace {

constexpr std::size_t kBlockSize = 100;
constexpr std::uint64_t kMod = 37;
constexpr std::uint32_t kEof = 65535;

// Bytes of an invalid sequence that Node's (the WHATWG) decoder replaces with one U+FFFD:
// the lead byte and the continuation bytes that were still acceptable after it.
std::size_t maximal_subpart(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t need = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 1;
  }
  std::size_t k = 1;
  while (k < need && i + k < s.size()) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < low || b > high) break;
    low = 0x80;
    high = 0xBF;
    ++k;
  }
  return k;
}

// Decodes UTF-8 to UTF-16 code units as Node's decoder does (one U+FFFD per maximal
// invalid subpart), so that hashes match upload-sarif's on any file.
std::vector<std::uint16_t> to_utf16(std::string_view s) {
  std::vector<std::uint16_t> units;
  units.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint cp = decode_utf8(s, i);
    if (!cp.valid) {
      i += maximal_subpart(s, i);
      units.push_back(0xFFFD);
      continue;
    }
    i += cp.length;
    if (cp.value >= 0x10000) {
      const std::uint32_t v = cp.value - 0x10000;
      units.push_back(static_cast<std::uint16_t>(0xD800 + (v >> 10)));
      units.push_back(static_cast<std::uint16_t>(0xDC00 + (v & 0x3FF)));
    } else {
      units.push_back(static_cast<std::uint16_t>(cp.value));
    }
  }
  return units;
}

}  // namespace

std::vector<std::string> line_hashes(std::string_view utf8_text) {
  std::vector<std::string> result;
  std::array<std::uint32_t, kBlockSize> window{};
  std::array<long, kBlockSize> line_numbers;
  line_numbers.fill(-1);
  std::uint64_t hash = 0;
  std::uint64_t first_mod = 1;
  for (std::size_t i = 0; i < kBlockSize; ++i) first_mod *= kMod;
  std::size_t index = 0;
  long line_number = 0;
  bool line_start = true;
  bool prev_cr = false;
  std::unordered_map<std::uint64_t, int> counts;

  auto output = [&] {
    const int n = ++counts[hash];
    const auto line = static_cast<std::size_t>(line_numbers[index]);
    if (result.size() < line) result.resize(line);
    result[line - 1] = fmt::format("{:x}:{}", hash, n);
    line_numbers[index] = -1;
  };
  auto update = [&](std::uint32_t current) {
    const std::uint32_t begin = window[index];
    window[index] = current;
    hash = kMod * hash + current - first_mod * begin;  // wraps as the 64-bit Long does
    index = (index + 1) % kBlockSize;
  };
  auto process = [&](std::uint32_t current) {
    if (current == ' ' || current == '\t' || (prev_cr && current == '\n')) {
      prev_cr = false;
      return;
    }
    if (current == '\r') {
      current = '\n';
      prev_cr = true;
    } else {
      prev_cr = false;
    }
    if (line_numbers[index] != -1) output();
    if (line_start) {
      line_start = false;
      line_numbers[index] = ++line_number;
    }
    if (current == '\n') line_start = true;
    update(current);
  };

  for (std::uint16_t unit : to_utf16(utf8_text)) process(unit);
  process(kEof);
  for (std::size_t i = 0; i < kBlockSize; ++i) {
    if (line_numbers[index] != -1) output();
    update(0);
  }
  return result;
}

}  // namespace grantlint::report
