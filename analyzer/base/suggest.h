// "Did you mean": the closest candidate by edit distance, ignoring case.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.h"

namespace grantlint {

// The candidate nearest to `word` if it is within a distance that scales with the
// word's length (a third of it, at least one edit); ties go to the earlier candidate. Candidates
// are compared in order until 1M cells of distance tables (a thousand 30-byte names, or one of
// a thousand bytes); later ones are not suggested.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

// `text` with each letter or digit of another script that looks like an ASCII one (Cyrillic
// `о`, Greek `Ο`, fullwidth `Ｏ`) written as that ASCII character: what a name pasted from a
// document or spoofed was meant to be. None when `text` holds a character with no look-alike.
std::optional<std::string> ascii_look_alike(std::string_view text);

// "; did you mean `NEAR`?" for a message's end, or "" without a suggestion.
std::string did_you_mean(std::optional<std::string_view> near);

// "Did you mean" among names an input gives, which may be thousands (a template's conditions,
// a Glue config's roles): each suggestion reads every name, so only the first
// kSuggestionsPerList are looked for, as many as a rule's findings listed per document, and
// later words get none (20,000 misspelt among 20,000 names took minutes).
class Suggestions {
 public:
  static constexpr std::size_t kSuggestionsPerList = 1000;

  explicit Suggestions(std::vector<std::string_view> candidates) : candidates_(std::move(candidates)) {}

  // did_you_mean(closest_match(word, candidates)) while the budget lasts, then "".
  std::string did_you_mean_for(std::string_view word);

 private:
  std::vector<std::string_view> candidates_;
  std::size_t given_ = 0;
};

}  // namespace grantlint
