#include "match/glob.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

#include "match/scan.h"

namespace grantlint::match {

Glob::Glob(std::string_view pattern, bool fold_case)
    : pattern_(pattern), fold_case_(fold_case), has_wildcard_(pattern.find_first_of("*?") != std::string_view::npos) {
  if (fold_case_) {
    for (char& c : pattern_) c = ascii_fold(c);
  }
}

namespace {

// `p` is lower-cased already when folding case.
bool scan(std::string_view p, std::string_view text, bool fold_case) {
  return wildcard_scan<char>(
      std::span<const char>(p.data(), p.size()), text, fold_case, [](char c) { return c == '*'; },
      [](char c) { return c == '?'; }, [](char c) { return c; });
}

}  // namespace

bool Glob::matches(std::string_view text) const { return scan(pattern_, text, fold_case_); }

bool glob_matches(std::string_view pattern, std::string_view text, bool fold_case) {
  return scan(pattern, text, fold_case);
}

}  // namespace grantlint::match

namespace grantlint::match {

namespace {

bool is_star(char c) { return c == '*' || c == kNameStar; }
bool is_policy_star(char c) { return c == '*'; }

// Whether a name star may stand for `c`: one character of a name, not `/`.
bool name_can_hold(char c) { return c != '/'; }

// The table of globs_intersect for a `b` of at most kMaxWordPattern characters, each row one
// word: bit j of row i is reach(i, j). A literal row is shifts and masks; a star of `b` passes
// reach on from its right neighbour, run by run (runs of stars are short).
constexpr std::size_t kMaxWordPattern = 62;

bool globs_intersect_by_words(std::string_view a, std::string_view b) {
  const std::size_t m = b.size();
  const auto bit = [](std::size_t j) { return std::uint64_t{1} << j; };
  std::uint64_t stars = 0;
  std::uint64_t name_stars = 0;
  std::uint64_t questions = 0;
  // By character: the literal positions of `b` holding it. Kept zero between calls (only the
  // characters of `b` are set, and reset before returning), so that no call clears 2 KB.
  thread_local std::array<std::uint64_t, 256> equal{};
  struct Reset {
    std::string_view b;
    ~Reset() {
      for (char c : b) equal[static_cast<unsigned char>(c)] = 0;
    }
  } reset{b};
  for (std::size_t j = 0; j < m; ++j) {
    if (b[j] == '*') {
      stars |= bit(j);
    } else if (b[j] == kNameStar) {
      name_stars |= bit(j);
    } else if (b[j] == '?') {
      questions |= bit(j);
    } else {
      equal[static_cast<unsigned char>(b[j])] |= bit(j);
    }
  }
  const std::uint64_t any_stars = stars | name_stars;
  const std::uint64_t literals = (bit(m) - 1) & ~any_stars;
  // Row n: the end of `a` meets the end of `b`, or stars that all match nothing.
  std::uint64_t below = bit(m);
  for (std::size_t j = m; j-- > 0 && (any_stars & bit(j)) != 0;) below |= bit(j);
  for (std::size_t i = a.size(); i-- > 0;) {
    const char c = a[i];
    std::uint64_t row = 0;
    if (c == '*') {
      // reach(i, j) = reach(i + 1, j) or reach(i, j + 1): every j up to the last of row i + 1.
      if (below != 0) row = (std::uint64_t{2} << (63 - std::countl_zero(below))) - 1;
    } else {
      const std::uint64_t matched = c == '?' ? literals : (equal[static_cast<unsigned char>(c)] | questions);
      row = (matched & (below >> 1)) | (below & (stars | (name_can_hold(c) ? name_stars : 0)));
      for (std::uint64_t before = 0; before != row;) {
        before = row;
        row |= any_stars & (row >> 1);
      }
    }
    if (row == 0) return false;  // every row above is empty too
    below = row;
  }
  return (below & 1) != 0;
}

}  // namespace

bool globs_intersect(std::string_view a, std::string_view b) {
  // Every pattern matches some string, and a star all of them: the Region and account fields.
  if (a == "*" || b == "*" || a == b) return true;
  // Literal heads and tails must agree: a cheap answer for most pairs.
  for (std::size_t i = 0; i < a.size() && i < b.size() && !is_policy_star(a[i]) && !is_star(b[i]); ++i) {
    if (a[i] != b[i] && a[i] != '?' && b[i] != '?') return false;
  }
  for (std::size_t i = 1;
       i <= a.size() && i <= b.size() && !is_policy_star(a[a.size() - i]) && !is_star(b[b.size() - i]); ++i) {
    const char x = a[a.size() - i];
    const char y = b[b.size() - i];
    if (x != y && x != '?' && y != '?') return false;
  }
  // Without a star the heads compared every position both have.
  if (std::ranges::none_of(a, is_policy_star) && std::ranges::none_of(b, is_star)) return a.size() == b.size();
  if (b.size() <= kMaxWordPattern) return globs_intersect_by_words(a, b);
  // reach(i, j): a[i:] and b[j:] have a common match. When a star meets anything, one of
  // the two may be taken as matching nothing more: a common prefix both stars would
  // consume can always be dropped from the witness string. Row i needs only row i + 1,
  // so two rows of b's length are kept.
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::array<unsigned char, 2 * 1024> small;
  std::vector<unsigned char> large;
  unsigned char* rows = small.data();
  if (2 * (m + 1) > small.size()) {
    large.resize(2 * (m + 1));
    rows = large.data();
  } else {
    std::fill_n(rows, 2 * (m + 1), 0);  // only the cells used, not the whole buffer
  }
  unsigned char* below = rows;            // row i + 1
  unsigned char* current = rows + m + 1;  // row i
  for (std::size_t i = n + 1; i-- > 0;) {
    for (std::size_t j = m + 1; j-- > 0;) {
      bool result = false;
      if (i == n && j == m) {
        result = true;
      } else if (i < n && a[i] == '*') {
        result = below[j] == 1 || (j < m && current[j + 1] == 1);
      } else if (j < m && b[j] == '*') {
        result = current[j + 1] == 1 || (i < n && below[j] == 1);
      } else if (j < m && b[j] == kNameStar) {
        result = current[j + 1] == 1 || (i < n && (a[i] == '?' || name_can_hold(a[i])) && below[j] == 1);
      } else if (i < n && j < m && (a[i] == '?' || b[j] == '?' || a[i] == b[j])) {
        result = below[j + 1] == 1;
      }
      current[j] = result ? 1 : 0;
    }
    std::swap(below, current);
  }
  return below[0] == 1;
}

}  // namespace grantlint::match
