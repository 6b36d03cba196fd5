// The wildcard scan shared by match::Glob (patterns of characters) and eval::Pattern
// (patterns of tokens, where substituted text stays literal): the classic two-pointer scan
// with one backtrack point, O(|p|·|t|) at worst and never exponential (IAM semantics §2.1),
// for a short pattern or a short text; a long pattern over a long text goes to the automaton,
// O(|t|·⌈|p|/64⌉).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "match/wildcard_automaton.h"

namespace grantlint::match {

using grantlint::ascii_fold;

// `Unit` is char or a token type; `is_star(u)` and `is_one(u)` say which units are the
// wildcards, `literal(u)` gives the character any other unit stands for.
// The length of the UTF-8 sequence that starts at text[i] (1 for an invalid byte): `?`
// matches one character, and `*` gives up characters, never parts of one.
inline std::size_t character_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 1;
  if (i + length > text.size()) return 1;
  for (std::size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 1;
  }
  return length;
}

template <class Unit, class IsStar, class IsOne, class Literal>
bool wildcard_scan(std::span<const Unit> p, std::string_view text, bool fold_case, IsStar is_star, IsOne is_one,
                   Literal literal) {
  if (p.size() > kScanPatternLength && text.size() > kScanTextLength) {
    std::vector<WildcardToken> tokens;
    tokens.reserve(p.size());
    for (const Unit unit : p) {
      tokens.push_back(is_star(unit)  ? kWildcardStar
                       : is_one(unit) ? kWildcardOne
                                      : static_cast<WildcardToken>(static_cast<unsigned char>(literal(unit))));
    }
    return automaton_match(tokens, text, fold_case);
  }
  std::size_t pi = 0;
  std::size_t ti = 0;
  std::size_t star = std::string_view::npos;  // position of the last `*` seen in the pattern
  std::size_t star_text = 0;                  // text position that `*` was last tried at
  while (ti < text.size()) {
    if (pi < p.size() && is_star(p[pi])) {
      star = pi++;
      star_text = ti;
    } else if (pi < p.size() && is_one(p[pi])) {
      ++pi;
      ti += character_length(text, ti);
    } else if (pi < p.size() && (fold_case ? ascii_fold(literal(p[pi])) == ascii_fold(text[ti])
                                           : literal(p[pi]) == text[ti])) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;  // let the last `*` take one more character
      star_text += character_length(text, star_text);
      ti = star_text;
    } else {
      return false;
    }
  }
  while (pi < p.size() && is_star(p[pi])) ++pi;
  return pi == p.size();
}

}  // namespace grantlint::match
