// Small string helpers shared across stages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace grantlint {

// ASCII lower case of one character: no locale, inlined (std::tolower is a library call per
// character, and policies are ASCII where case matters).
constexpr char ascii_fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// ASCII case-insensitive equality (policy element names, operators, action prefixes).
bool iequals(std::string_view a, std::string_view b);

// The same for a prefix or a suffix (`aws:PrincipalTag/`, `:aud`).
bool istarts_with(std::string_view text, std::string_view prefix);
bool iends_with(std::string_view text, std::string_view suffix);

// ASCII lower case (condition keys, which IAM compares without regard to case).
std::string ascii_lower(std::string_view text);

// A 12-digit AWS account id.
bool is_account_id(std::string_view text);

// An AWS partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`,
// `aws-iso-f`, `aws-eusc`, as the SDKs' partitions.json lists them (one list: h53 L2, `aws-isox`
// was taken).
bool is_partition(std::string_view text);

// An AWS Region's name: `eu-west-1`, `us-gov-east-1`, `ap-southeast-3` (dash-separated
// lower-case words, a final number).
bool is_region_name(std::string_view text);

// A non-empty text of NUL bytes alone: a file allocated and never written (a crash, a full disk).
constexpr bool zero_filled(std::string_view text) {
  return !text.empty() && text.find_first_not_of('\0') == std::string_view::npos;
}

// JSON's white space: space, tab, line feed, carriage return.
constexpr bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline constexpr std::string_view kJsonSpace = " \t\r\n";

// The value of four hex digits at text[pos], or -1 when they are not there.
long parse_hex4(std::string_view text, std::size_t pos);

// Names in backticks joined by `separator` (`a`, `b`, `c`); past `shown` of them, " and N
// more" stands for the rest. For messages.
template <class Range>
std::string backticked(const Range& items, std::string_view separator = ", ",
                       std::size_t shown = static_cast<std::size_t>(-1)) {
  std::string out;
  std::size_t count = 0;
  for (const auto& item : items) {
    if (count++ >= shown) continue;
    if (count > 1) out += separator;
    out += '`';
    out += std::string_view(item);
    out += '`';
  }
  if (count > shown) out += " and " + std::to_string(count - shown) + " more";
  return out;
}

// The space-separated words of `text` (rule tags, Access Analyzer codes).
std::vector<std::string_view> split_words(std::string_view text);

// `text` with each `${name}` replaced by what `replace(name)` gives; from an unclosed `${` on,
// the text is kept as written (CloudFormation's `Fn::Sub`, the catalog's ARN templates).
template <class Replace>
std::string replace_braced(std::string_view text, Replace&& replace) {
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t open = text.find("${", at);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out.append(text.substr(at));
      break;
    }
    out.append(text.substr(at, open - at));
    out += replace(text.substr(open + 2, close - open - 2));
    at = close + 1;
  }
  return out;
}

}  // namespace grantlint
