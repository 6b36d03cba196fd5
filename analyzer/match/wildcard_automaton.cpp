#include "match/wildcard_automaton.h"

#include <array>
#include <vector>

#include "base/strings.h"
#include "match/scan.h"

namespace grantlint::match {

namespace {

constexpr std::size_t kWordBits = 64;
// A step takes a character, at most 4 bytes: the states at the next positions fit in a ring.
constexpr std::size_t kRingSlots = 8;

bool is_wildcard(WildcardToken token) { return token == kWildcardStar || token == kWildcardOne; }

unsigned char folded(unsigned char byte, bool fold_case) {
  return fold_case ? static_cast<unsigned char>(ascii_fold(static_cast<char>(byte))) : byte;
}

bool same_byte(WildcardToken token, char c, bool fold_case) {
  return folded(static_cast<unsigned char>(token), fold_case) == folded(static_cast<unsigned char>(c), fold_case);
}

// What any text the pattern matches must do: begin with the bytes before its first wildcard and
// end with those after its last. Most long patterns a text fails are refused here, in |pattern|.
bool ends_agree(std::span<const WildcardToken> pattern, std::string_view text, bool fold_case) {
  std::size_t head = 0;
  while (head < pattern.size() && !is_wildcard(pattern[head])) ++head;
  if (head == pattern.size()) {
    if (text.size() != head) return false;
  } else if (text.size() < head) {
    return false;
  }
  for (std::size_t i = 0; i < head; ++i) {
    if (!same_byte(pattern[i], text[i], fold_case)) return false;
  }
  std::size_t tail = 0;
  while (tail < pattern.size() - head && !is_wildcard(pattern[pattern.size() - 1 - tail])) ++tail;
  if (text.size() < head + tail) return false;
  for (std::size_t i = 1; i <= tail; ++i) {
    if (!same_byte(pattern[pattern.size() - i], text[text.size() - i], fold_case)) return false;
  }
  return true;
}

}  // namespace

bool automaton_match(std::span<const WildcardToken> pattern, std::string_view text, bool fold_case) {
  if (!ends_agree(pattern, text, fold_case)) return false;
  // Runs of `*` as one (they match as much): a state just past a star is never before another
  // one, so passing the stars without a character is one shift.
  std::vector<WildcardToken> tokens;
  tokens.reserve(pattern.size());
  for (const WildcardToken token : pattern) {
    if (token != kWildcardStar || tokens.empty() || tokens.back() != kWildcardStar) tokens.push_back(token);
  }
  const std::size_t count = tokens.size();
  const std::size_t words = (count + 1 + kWordBits - 1) / kWordBits;
  // By byte: its class, 0 for the bytes no literal token names (only the wildcards take them);
  // a class a byte the pattern names, folded when folding case.
  std::array<std::uint16_t, 256> class_of{};
  std::size_t classes = 1;
  for (const WildcardToken token : tokens) {
    if (is_wildcard(token)) continue;
    const unsigned char byte = folded(static_cast<unsigned char>(token), fold_case);
    if (class_of[byte] == 0) class_of[byte] = static_cast<std::uint16_t>(classes++);
  }
  if (fold_case) {
    for (std::size_t byte = 0; byte < class_of.size(); ++byte) {
      class_of[byte] = class_of[folded(static_cast<unsigned char>(byte), true)];
    }
  }
  // One allocation: the states a byte of each class moves one token on, those before `?`, those
  // before `*`, then the ring of states by position.
  std::vector<std::uint64_t> bits((classes + 2 + kRingSlots) * words, 0);
  std::uint64_t* const ones = bits.data() + classes * words;
  std::uint64_t* const stars = ones + words;
  std::uint64_t* const ring = stars + words;
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint64_t bit = std::uint64_t{1} << (k % kWordBits);
    const WildcardToken token = tokens[k];
    std::uint64_t* const mask = token == kWildcardStar ? stars
                                : token == kWildcardOne
                                    ? ones
                                    : bits.data() + class_of[static_cast<unsigned char>(token)] * words;
    mask[k / kWordBits] |= bit;
  }
  ring[0] = 1;
  std::size_t live_until = 0;  // the furthest position a state waits at
  for (std::size_t j = 0;; ++j) {
    std::uint64_t* const here = ring + (j % kRingSlots) * words;
    if (j == text.size()) {
      // Past the stars at the end too.
      std::uint64_t passed = 0;
      for (std::size_t w = 0; w <= count / kWordBits; ++w) {
        const std::uint64_t at_stars = here[w] & stars[w];
        const std::uint64_t states = here[w] | (at_stars << 1) | passed;
        passed = at_stars >> (kWordBits - 1);
        if (w == count / kWordBits) return ((states >> (count % kWordBits)) & 1) != 0;
      }
    }
    if (j > live_until) return false;
    const std::size_t step = character_length(text, j);
    std::uint64_t* const after_byte = ring + ((j + 1) % kRingSlots) * words;
    std::uint64_t* const after_character = ring + ((j + step) % kRingSlots) * words;
    const std::uint64_t* const advance = bits.data() + class_of[static_cast<unsigned char>(text[j])] * words;
    std::uint64_t passed = 0;
    std::uint64_t byte_carry = 0;
    std::uint64_t one_carry = 0;
    std::uint64_t to_byte = 0;
    std::uint64_t to_character = 0;
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t at_stars = here[w] & stars[w];
      const std::uint64_t states = here[w] | (at_stars << 1) | passed;
      passed = at_stars >> (kWordBits - 1);
      here[w] = 0;
      const std::uint64_t by_byte = states & advance[w];
      const std::uint64_t by_one = states & ones[w];
      const std::uint64_t moved_byte = (by_byte << 1) | byte_carry;
      const std::uint64_t moved_character = (by_one << 1) | one_carry | (states & stars[w]);
      byte_carry = by_byte >> (kWordBits - 1);
      one_carry = by_one >> (kWordBits - 1);
      after_byte[w] |= moved_byte;
      after_character[w] |= moved_character;
      to_byte |= moved_byte;
      to_character |= moved_character;
    }
    if (to_byte != 0 && live_until < j + 1) live_until = j + 1;
    if (to_character != 0 && live_until < j + step) live_until = j + step;
  }
}

}  // namespace grantlint::match
