#include "json/skim.h"

#include <array>
#include <bit>
#include <cstring>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/strings.h"

namespace grantlint::json {

namespace {

// Bytes that matter to skimming inside an object or array; everything else is skipped in
// one table lookup.
constexpr std::array<bool, 256> kStructural = [] {
  std::array<bool, 256> table{};
  for (char c : std::string_view("\"{}[]")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

// The first byte at or after `i` that matters to skimming, or text.size(). Between tokens an
// export is mostly indentation: it is passed 16 bytes at a time.
std::size_t next_structural(std::string_view text, std::size_t i) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i open_brace = _mm_set1_epi8('{');
  const __m128i close_brace = _mm_set1_epi8('}');
  const __m128i open_bracket = _mm_set1_epi8('[');
  const __m128i close_bracket = _mm_set1_epi8(']');
  while (i + 16 <= text.size()) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    const __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, open_brace)),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, close_brace), _mm_cmpeq_epi8(bytes, open_bracket)),
                     _mm_cmpeq_epi8(bytes, close_bracket)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) return i + static_cast<std::size_t>(std::countr_zero(mask));
    i += 16;
  }
#endif
  while (i < text.size() && !kStructural[static_cast<unsigned char>(text[i])]) ++i;
  return i;
}

// A number or literal ends where JSON could go on after a value, or where another value
// starts (`false"Marker"` is `false` and then a missing comma).
bool ends_scalar(char c) {
  return c == ',' || c == '}' || c == ']' || c == ':' || c == '"' || c == '{' || c == '[' || is_json_space(c);
}

// The offset one past the string whose opening quote is at `at`.
std::expected<std::size_t, std::size_t> skim_string(std::string_view text, std::size_t at) {
  std::size_t from = at + 1;
  for (;;) {
    const void* found = std::memchr(text.data() + from, '"', text.size() - from);
    if (found == nullptr) return std::unexpected(text.size());
    const auto quote = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
    std::size_t backslashes = 0;
    while (quote - backslashes > at + 1 && text[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
    from = quote + 1;
  }
}

}  // namespace

std::size_t skip_space(std::string_view text, std::size_t at) {
  while (at < text.size() && is_json_space(text[at])) ++at;
  return at;
}

std::expected<std::size_t, std::size_t> skim_value(std::string_view text, std::size_t at) {
  if (at >= text.size()) return std::unexpected(text.size());
  const char first = text[at];
  if (first == '"') return skim_string(text, at);
  if (first != '{' && first != '[') {
    std::size_t end = at;
    while (end < text.size() && !ends_scalar(text[end])) ++end;
    if (end == at) return std::unexpected(at);  // `,`, `}` or `]` where a value should be
    return end;
  }
  std::vector<char> closers;  // what each open bracket expects; nesting depth is unbounded here
  std::size_t i = at;
  while ((i = next_structural(text, i)) < text.size()) {
    const char c = text[i];
    if (c == '"') {
      const auto end = skim_string(text, i);
      if (!end) return end;
      i = *end;
      continue;
    }
    if (c == '{' || c == '[') {
      closers.push_back(c == '{' ? '}' : ']');
    } else {
      if (closers.empty() || closers.back() != c) return std::unexpected(i);
      closers.pop_back();
      if (closers.empty()) return i + 1;
    }
    ++i;
  }
  return std::unexpected(text.size());
}

}  // namespace grantlint::json
