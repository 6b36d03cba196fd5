// IAM's wildcard patterns: `*` matches any run of characters (including none, `/` and
// `:`), `?` exactly one; every other character matches itself, optionally without
// regard to ASCII case (action names). There is no escape character (IAM semantics §2.1).
// Matching is the classic two-pointer scan with one backtrack point, or for a long pattern
// over a long text the automaton (match/scan.h): O(|t|·⌈|p|/64⌉) at worst, never exponential.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace grantlint::match {

class Glob {
 public:
  Glob(std::string_view pattern, bool fold_case);

  [[nodiscard]] bool matches(std::string_view text) const;
  [[nodiscard]] bool has_wildcard() const { return has_wildcard_; }
  [[nodiscard]] const std::string& pattern() const { return pattern_; }

 private:
  std::string pattern_;  // lower-cased when folding case
  bool fold_case_;
  bool has_wildcard_;
};

// One-shot form of Glob::matches.
bool glob_matches(std::string_view pattern, std::string_view text, bool fold_case);

}  // namespace grantlint::match

namespace grantlint::match {

// In the catalog's resource-type patterns: a name that cannot hold a `/` (an S3 bucket's),
// any run of other characters. Policies' own `*` crosses `/`, as IAM's does.
inline constexpr char kNameStar = '\x01';

// Whether some string matches both patterns (`*` and `?` in either; kNameStar in `b` only,
// where it is the catalog's; in `a`, a policy's, it is the character U+0001), case-sensitively:
// used to ask whether a policy's resource pattern `a` can name a resource of type `b`.
bool globs_intersect(std::string_view a, std::string_view b);

}  // namespace grantlint::match
