#include "match/glob.h"

#include <array>

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

bool globs_intersect(std::string_view a, std::string_view b) {
  // Literal heads and tails must agree: a cheap answer for most pairs.
  for (std::size_t i = 0; i < a.size() && i < b.size() && a[i] != '*' && b[i] != '*'; ++i) {
    if (a[i] != b[i] && a[i] != '?' && b[i] != '?') return false;
  }
  for (std::size_t i = 1; i <= a.size() && i <= b.size() && a[a.size() - i] != '*' && b[b.size() - i] != '*'; ++i) {
    const char x = a[a.size() - i];
    const char y = b[b.size() - i];
    if (x != y && x != '?' && y != '?') return false;
  }
  // reach[i][j]: a[i:] and b[j:] have a common match. When a star meets anything, one of
  // the two may be taken as matching nothing more: a common prefix both stars would
  // consume can always be dropped from the witness string.
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::array<unsigned char, 4096> small{};
  std::vector<unsigned char> large;
  unsigned char* reach = small.data();
  if ((n + 1) * (m + 1) > small.size()) {
    large.assign((n + 1) * (m + 1), 0);
    reach = large.data();
  }
  auto at = [&](std::size_t i, std::size_t j) -> unsigned char& { return reach[i * (m + 1) + j]; };
  for (std::size_t i = n + 1; i-- > 0;) {
    for (std::size_t j = m + 1; j-- > 0;) {
      bool result = false;
      if (i == n && j == m) {
        result = true;
      } else if (i < n && a[i] == '*') {
        result = at(i + 1, j) == 1 || (j < m && at(i, j + 1) == 1);
      } else if (j < m && b[j] == '*') {
        result = at(i, j + 1) == 1 || (i < n && at(i + 1, j) == 1);
      } else if (i < n && j < m && (a[i] == '?' || b[j] == '?' || a[i] == b[j])) {
        result = at(i + 1, j + 1) == 1;
      }
      at(i, j) = result ? 1 : 0;
    }
  }
  return at(0, 0) == 1;
}

}  // namespace grantlint::match
