// Small string helpers shared across stages.
#pragma once

#include <string_view>
#include <vector>

namespace grantlint {

// ASCII case-insensitive equality (policy element names, operators, action prefixes).
bool iequals(std::string_view a, std::string_view b);

// The space-separated words of `text` (rule tags, Access Analyzer codes).
std::vector<std::string_view> split_words(std::string_view text);

}  // namespace grantlint
