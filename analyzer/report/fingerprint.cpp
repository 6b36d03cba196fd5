#include "report/fingerprint.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>

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
// invalid subpart), so that hashes match upload-sarif's on any file; calls `unit` for each.
template <class Unit>
void for_each_utf16_unit(std::string_view s, Unit unit) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // ASCII, nearly every byte of a policy
      unit(static_cast<std::uint32_t>(s[i++]));
      continue;
    }
    const CodePoint cp = decode_utf8(s, i);
    if (!cp.valid) {
      i += maximal_subpart(s, i);
      unit(std::uint32_t{0xFFFD});
      continue;
    }
    i += cp.length;
    if (cp.value >= 0x10000) {
      const std::uint32_t v = cp.value - 0x10000;
      unit(0xD800 + (v >> 10));
      unit(0xDC00 + (v & 0x3FF));
    } else {
      unit(cp.value);
    }
  }
}

// The rolling hash of each line (element 0 is line 1), without the `:n` counts.
std::vector<std::uint64_t> raw_line_hashes(std::string_view utf8_text, const ReadUpTo& read_up_to) {
  std::vector<std::uint64_t> result;
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

  auto output = [&] {
    const auto line = static_cast<std::size_t>(line_numbers[index]);
    if (result.size() < line) result.resize(line);
    result[line - 1] = hash;
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

  // In stretches that end after a line feed (never inside a character), telling `read_up_to`.
  constexpr std::size_t kStretch = std::size_t{16} << 20;
  for (std::size_t at = 0; at < utf8_text.size();) {
    std::size_t end = at + kStretch < utf8_text.size() ? utf8_text.find('\n', at + kStretch) : utf8_text.size();
    end = end == std::string_view::npos ? utf8_text.size() : std::min(utf8_text.size(), end + 1);
    for_each_utf16_unit(utf8_text.substr(at, end - at), process);
    if (read_up_to) read_up_to(end);
    at = end;
  }
  process(kEof);
  for (std::size_t i = 0; i < kBlockSize; ++i) {
    if (line_numbers[index] != -1) output();
    update(0);
  }
  return result;
}

}  // namespace

std::vector<std::string> line_hashes(std::string_view utf8_text) {
  const std::vector<std::uint64_t> hashes = raw_line_hashes(utf8_text, {});
  std::vector<std::string> result;
  result.reserve(hashes.size());
  std::unordered_map<std::uint64_t, int> counts;
  for (const std::uint64_t hash : hashes) result.push_back(fmt::format("{:x}:{}", hash, ++counts[hash]));
  return result;
}

std::unordered_map<std::uint32_t, std::string> line_hashes(std::string_view utf8_text,
                                                           std::span<const std::uint32_t> lines,
                                                           const ReadUpTo& read_up_to) {
  std::unordered_map<std::uint32_t, std::string> result;
  if (lines.empty()) return result;
  const std::vector<std::uint64_t> hashes = raw_line_hashes(utf8_text, read_up_to);
  // `:n` counts the lines up to each one with its hash: only the wanted lines' hashes are
  // counted, on one pass up to the last wanted line.
  std::unordered_map<std::uint64_t, int> counts;
  std::uint32_t last = 0;
  for (const std::uint32_t line : lines) {
    if (line < 1 || line > hashes.size()) continue;
    counts.emplace(hashes[line - 1], 0);
    last = std::max(last, line);
  }
  std::vector<int> seen(last + 1, 0);  // by line: the count of its hash there
  for (std::uint32_t line = 1; line <= last; ++line) {
    const auto it = counts.find(hashes[line - 1]);
    if (it != counts.end()) seen[line] = ++it->second;
  }
  for (const std::uint32_t line : lines) {
    if (line < 1 || line > last) continue;
    result.try_emplace(line, fmt::format("{:x}:{}", hashes[line - 1], seen[line]));
  }
  return result;
}

}  // namespace grantlint::report
