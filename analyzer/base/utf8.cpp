#include "base/utf8.h"

#include <fmt/format.h>

#include <cstring>

namespace grantlint {

CodePoint decode_utf8(std::string_view text, std::size_t offset) {
  const auto b0 = static_cast<unsigned char>(text[offset]);
  if (b0 < 0x80) return {b0, 1, true};
  const CodePoint invalid{b0, 1, false};
  std::uint32_t length = 0;
  std::uint32_t value = 0;
  std::uint32_t minimum = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    value = b0 & 0x1Fu;
    minimum = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    value = b0 & 0x0Fu;
    minimum = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    value = b0 & 0x07u;
    minimum = 0x10000;
  } else {
    return invalid;
  }
  if (offset + length > text.size()) return invalid;
  for (std::uint32_t k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(text[offset + k]);
    if ((b & 0xC0) != 0x80) return invalid;
    value = (value << 6) | (b & 0x3Fu);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return invalid;
  return {value, length, true};
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101u;
constexpr std::uint64_t kHigh = 0x8080808080808080u;

// Each test is exact for "some byte of the word", though a borrow may mark the wrong byte.
constexpr std::uint64_t has_zero(std::uint64_t word) { return (word - kOnes) & ~word & kHigh; }
constexpr std::uint64_t has_below(std::uint64_t word, std::uint8_t limit) {
  return (word - kOnes * limit) & ~word & kHigh;
}

// The length of the run at the start of `text` of bytes `in_run` accepts, eight at a time while
// `word_leaves` says no byte of the word leaves it.
template <typename WordLeaves, typename InRun>
std::size_t run_of(std::string_view text, WordLeaves word_leaves, InRun in_run) {
  std::size_t i = 0;
  for (;;) {
    for (; i + 8 <= text.size(); i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + i, sizeof word);
      if (word_leaves(word)) break;
    }
    const std::size_t word_end = std::min(text.size(), i + 8);
    while (i < word_end && in_run(static_cast<unsigned char>(text[i]))) ++i;
    if (i < word_end || i == text.size()) return i;
  }
}

}  // namespace

std::size_t plain_ascii_run(std::string_view text) {
  return run_of(
      text,
      [](std::uint64_t word) {
        return ((word & kHigh) | has_below(word, 0x20) | has_zero(word ^ (kOnes * 0x7F)) |
                has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\'))) != 0;
      },
      [](unsigned char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; });
}

std::size_t ascii_line_run(std::string_view text) {
  return run_of(
      text,
      [](std::uint64_t word) {
        return ((word & kHigh) | has_zero(word ^ (kOnes * '\n')) | has_zero(word ^ (kOnes * '\r'))) != 0;
      },
      [](unsigned char c) { return c < 0x80 && c != '\n' && c != '\r'; });
}

std::size_t ascii_text_run(std::string_view text) {
  return run_of(
      text, [](std::uint64_t word) { return ((word & kHigh) | has_below(word, 0x20)) != 0; },
      [](unsigned char c) { return c >= 0x20 && c < 0x80; });
}

std::size_t utf8_floor(std::string_view text, std::size_t offset) {
  for (int step = 0; step < 3 && offset > 0 && offset < text.size() &&
                     (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80;
       ++step) {
    --offset;
  }
  return offset;
}

namespace {

// Whether the code unit after a byte order mark is an ASCII character, as the first one of
// JSON text is (white space or a bracket): two bytes that only look like a mark may precede
// UTF-8 text instead.
bool ascii_after_mark(std::string_view text, const WideEncoding& encoding) {
  if (text.size() < encoding.mark + encoding.unit) return text.size() == encoding.mark;
  const std::string_view unit = text.substr(encoding.mark, encoding.unit);
  const std::size_t low = encoding.name.ends_with("LE") ? 0 : encoding.unit - 1;
  bool ascii = unit[low] != 0 && static_cast<unsigned char>(unit[low]) < 0x80;
  for (std::size_t i = 0; i < unit.size(); ++i) ascii = ascii && (i == low || unit[i] == 0);
  return ascii;
}

}  // namespace

std::optional<WideEncoding> wide_encoding(std::string_view text) {
  using namespace std::string_view_literals;
  // UTF-32LE's mark starts as UTF-16LE's does: it is tested first.
  std::optional<WideEncoding> marked;
  if (text.starts_with("\xFF\xFE\0\0"sv)) {
    marked = WideEncoding{"UTF-32LE", 4, 4};
  } else if (text.starts_with("\0\0\xFE\xFF"sv)) {
    marked = WideEncoding{"UTF-32BE", 4, 4};
  } else if (text.starts_with("\xFF\xFE"sv)) {
    marked = WideEncoding{"UTF-16LE", 2, 2};
  } else if (text.starts_with("\xFE\xFF"sv)) {
    marked = WideEncoding{"UTF-16BE", 2, 2};
  }
  if (marked) return ascii_after_mark(text, *marked) ? marked : std::nullopt;
  if (text.size() < 4) return std::nullopt;
  const auto ascii = [](char c) { return c != 0 && static_cast<unsigned char>(c) < 0x80; };
  if (text.size() >= 8) {
    const auto zeros = [&](std::size_t from, std::size_t count) {
      return text.substr(from, count).find_first_not_of('\0') == std::string_view::npos;
    };
    if (ascii(text[0]) && zeros(1, 3) && ascii(text[4]) && zeros(5, 3)) return WideEncoding{"UTF-32LE", 0, 4};
    if (zeros(0, 3) && ascii(text[3]) && zeros(4, 3) && ascii(text[7])) return WideEncoding{"UTF-32BE", 0, 4};
  }
  if (ascii(text[0]) && text[1] == 0 && ascii(text[2]) && text[3] == 0) return WideEncoding{"UTF-16LE", 0, 2};
  if (text[0] == 0 && ascii(text[1]) && text[2] == 0 && ascii(text[3])) return WideEncoding{"UTF-16BE", 0, 2};
  return std::nullopt;
}

std::string narrow_ascii(std::string_view text, const WideEncoding& encoding) {
  const bool little_endian = encoding.name.ends_with("LE");
  std::string out;
  out.reserve((text.size() - encoding.mark) / encoding.unit);
  for (std::size_t at = encoding.mark; at + encoding.unit <= text.size(); at += encoding.unit) {
    const std::string_view unit = text.substr(at, encoding.unit);
    // The ASCII byte is the lowest one; every other byte of the unit is zero.
    const std::size_t low = little_endian ? 0 : encoding.unit - 1;
    bool is_ascii = static_cast<unsigned char>(unit[low]) < 0x80;
    for (std::size_t i = 0; i < unit.size(); ++i) is_ascii = is_ascii && (i == low || unit[i] == 0);
    out += is_ascii ? unit[low] : '?';
  }
  return out;
}

std::string WideEncoding::not_utf8_message(std::string_view subject, std::string_view reads_as) const {
  return fmt::format("the {} is {} text{}, not UTF-8: {}; convert it, for example with `iconv -f {} -t UTF-8`",
                     subject, name, mark > 0 ? " (it starts with that encoding's byte order mark)" : "", reads_as,
                     iconv_name());
}

}  // namespace grantlint
