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

// 64 bytes of text as masks, a bit per byte (bit k: byte k): quotes, backslashes, and the
// brackets that open and close. An object or array is skimmed a block at a time: its strings
// are found from their quotes all at once, and only the brackets outside them are looked at
// one by one.
constexpr std::size_t kBlock = 64;

struct BlockMasks {
  std::uint64_t quote = 0, backslash = 0, open = 0, close = 0;
};

BlockMasks scan_block(const char* at) {
  BlockMasks out;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  // `{` and `}` are `[` and `]` with bit 0x20 set (and nothing else is): one comparison finds both.
  const __m128i bit_0x20 = _mm_set1_epi8(0x20);
  const __m128i open = _mm_set1_epi8('{');
  const __m128i close = _mm_set1_epi8('}');
  const auto mask = [](__m128i hits, int k) {
    return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(hits))) << (16 * k);
  };
  for (int k = 0; k < 4; ++k) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + 16 * k));
    const __m128i folded = _mm_or_si128(bytes, bit_0x20);
    out.quote |= mask(_mm_cmpeq_epi8(bytes, quote), k);
    out.backslash |= mask(_mm_cmpeq_epi8(bytes, backslash), k);
    out.open |= mask(_mm_cmpeq_epi8(folded, open), k);
    out.close |= mask(_mm_cmpeq_epi8(folded, close), k);
  }
#else
  for (std::size_t k = 0; k < kBlock; ++k) {
    const std::uint64_t bit = std::uint64_t{1} << k;
    const char c = at[k];
    if (c == '"') out.quote |= bit;
    if (c == '\\') out.backslash |= bit;
    if (c == '{' || c == '[') out.open |= bit;
    if (c == '}' || c == ']') out.close |= bit;
  }
#endif
  return out;
}

// Bit k set when an odd number of bits at or below k are: from the quotes that open and close
// strings, the bytes inside a string, its opening quote included and its closing one not.
std::uint64_t prefix_xor(std::uint64_t bits) {
  for (unsigned shift = 1; shift < 64; shift *= 2) bits ^= bits << shift;
  return bits;
}

// Where skimming a block stands when the next one starts.
struct Carry {
  bool in_string = false;
  bool escape_first = false;  // a backslash in a string ended the last block: this block's first byte is escaped
};

// The quotes of a block that open or close a string. A backslash escapes the next byte only
// inside a string (outside one it is no JSON at all, and skimming passes over it), so a block
// with backslashes is walked quote by quote and backslash by backslash; most blocks have none.
std::uint64_t string_quotes(const BlockMasks& block, Carry& carry) {
  if (block.backslash == 0 && !carry.escape_first) {
    if ((std::popcount(block.quote) & 1) != 0) carry.in_string = !carry.in_string;
    return block.quote;
  }
  std::uint64_t toggles = 0;
  std::size_t escaped = carry.escape_first ? 0 : kBlock;  // the byte a backslash escapes
  carry.escape_first = false;
  for (std::uint64_t bits = block.quote | block.backslash; bits != 0; bits &= bits - 1) {
    const auto k = static_cast<std::size_t>(std::countr_zero(bits));
    if (k == escaped) continue;
    const std::uint64_t bit = std::uint64_t{1} << k;
    if ((block.quote & bit) != 0) {
      toggles |= bit;
      carry.in_string = !carry.in_string;
    } else if (carry.in_string) {
      escaped = k + 1;
      carry.escape_first = escaped == kBlock;
    }
  }
  return toggles;
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
  Carry carry;
  for (std::size_t block_at = at; block_at < text.size(); block_at += kBlock) {
    // The last bytes of the text, padded to a block with spaces (which matter to nothing).
    std::array<char, kBlock> last;
    const char* bytes = text.data() + block_at;
    if (text.size() - block_at < kBlock) {
      last.fill(' ');
      std::memcpy(last.data(), bytes, text.size() - block_at);
      bytes = last.data();
    }
    const BlockMasks block = scan_block(bytes);
    const bool started_in_string = carry.in_string;
    const std::uint64_t in_string =
        prefix_xor(string_quotes(block, carry)) ^ (started_in_string ? ~std::uint64_t{0} : 0);
    for (std::uint64_t brackets = (block.open | block.close) & ~in_string; brackets != 0; brackets &= brackets - 1) {
      const std::size_t i = block_at + static_cast<std::size_t>(std::countr_zero(brackets));
      const char c = text[i];
      if (c == '{' || c == '[') {
        closers.push_back(c == '{' ? '}' : ']');
        continue;
      }
      if (closers.empty() || closers.back() != c) return std::unexpected(i);
      closers.pop_back();
      if (closers.empty()) return i + 1;
    }
  }
  return std::unexpected(text.size());
}

}  // namespace grantlint::json
