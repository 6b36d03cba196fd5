// "Did you mean": the closest candidate by edit distance, ignoring case.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/strings.h"

namespace grantlint {

// The candidate nearest to `word` if it is within a distance that scales with the
// word's length (a third of it, at least one edit); ties go to the earlier candidate.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

// "; did you mean `NEAR`?" for a message's end, or "" without a suggestion.
std::string did_you_mean(std::optional<std::string_view> near);

}  // namespace grantlint
