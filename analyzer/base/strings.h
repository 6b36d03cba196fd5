// Small string helpers shared across stages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace grantlint {

// ASCII case-insensitive equality (policy element names, operators, action prefixes).
bool iequals(std::string_view a, std::string_view b);

// ASCII lower case (condition keys, which IAM compares without regard to case).
std::string ascii_lower(std::string_view text);

// A 12-digit AWS account id.
bool is_account_id(std::string_view text);

// JSON's white space: space, tab, line feed, carriage return.
constexpr bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline constexpr std::string_view kJsonSpace = " \t\r\n";

// The value of four hex digits at text[pos], or -1 when they are not there.
long parse_hex4(std::string_view text, std::size_t pos);

// The space-separated words of `text` (rule tags, Access Analyzer codes).
std::vector<std::string_view> split_words(std::string_view text);

}  // namespace grantlint
