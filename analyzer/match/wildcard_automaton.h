// IAM wildcards over long patterns and long texts: the pattern as an automaton whose states are
// the positions between its tokens, one bit each, moved a 64-bit word at a time over the text,
// so that a match costs |text| × ⌈|pattern| / 64⌉ word operations where the two-pointer scan
// costs |pattern| × |text| (1,000 unknown-key patterns of 500 bytes against 1,000-byte keys took
// 12 s). Same answers as the scan: `?` and each step of `*` take one UTF-8 character (an
// invalid byte is one), a literal byte matches that byte.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace grantlint::match {

// A token: a byte (0 to 255), or one of these.
using WildcardToken = std::uint16_t;
inline constexpr WildcardToken kWildcardStar = 256;
inline constexpr WildcardToken kWildcardOne = 257;

// Below these sizes (either) the scan costs at most 64 or 256 steps a byte of the other, and
// it is faster than setting up the automaton: the checks' hot path stays on it.
inline constexpr std::size_t kScanPatternLength = 64;
inline constexpr std::size_t kScanTextLength = 256;

bool automaton_match(std::span<const WildcardToken> pattern, std::string_view text, bool fold_case);

}  // namespace grantlint::match
