#include "match/glob.h"

namespace grantlint::match {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

Glob::Glob(std::string_view pattern, bool fold_case)
    : pattern_(pattern), fold_case_(fold_case), has_wildcard_(pattern.find_first_of("*?") != std::string_view::npos) {
  if (fold_case_) {
    for (char& c : pattern_) c = lower(c);
  }
}

bool Glob::matches(std::string_view text) const {
  const std::string_view p = pattern_;
  std::size_t pi = 0;
  std::size_t ti = 0;
  std::size_t star = std::string_view::npos;  // position of the last `*` seen in the pattern
  std::size_t star_text = 0;                  // text position that `*` was last tried at
  while (ti < text.size()) {
    const char t = fold_case_ ? lower(text[ti]) : text[ti];
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      star_text = ti;
    } else if (pi < p.size() && (p[pi] == '?' || p[pi] == t)) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;  // let the last `*` take one more character
      ti = ++star_text;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool glob_matches(std::string_view pattern, std::string_view text, bool fold_case) {
  return Glob(pattern, fold_case).matches(text);
}

}  // namespace grantlint::match
