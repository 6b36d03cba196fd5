#include "base/strings.h"

#include <algorithm>

namespace grantlint {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_fold(x) == ascii_fold(y); });
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && iequals(text.substr(text.size() - suffix.size()), suffix);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_fold(c);
  return out;
}

bool is_account_id(std::string_view text) {
  return text.size() == 12 && text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool is_partition(std::string_view text) {
  static constexpr std::string_view kPartitions[] = {"aws",       "aws-cn",    "aws-us-gov", "aws-iso",
                                                     "aws-iso-b", "aws-iso-e", "aws-iso-f",  "aws-eusc"};
  return std::ranges::find(kPartitions, text) != std::end(kPartitions);
}

// Written out rather than as a regex, whose backtracking recursion a hostile input could drive
// into a stack overflow.
bool is_region_name(std::string_view text) {
  if (text.size() < 6 || text.size() > 32) return false;
  const std::size_t last = text.rfind('-');
  if (last == std::string_view::npos || last + 1 >= text.size()) return false;
  for (const char c : text.substr(last + 1)) {
    if (c < '0' || c > '9') return false;
  }
  std::size_t words = 0;
  std::size_t start = 0;
  while (start < last) {
    const std::size_t dash = text.find('-', start);
    const std::string_view word = text.substr(start, dash - start);
    if (word.empty() || std::ranges::any_of(word, [](char c) { return c < 'a' || c > 'z'; })) return false;
    ++words;
    start = dash + 1;
  }
  return words >= 2;
}

long parse_hex4(std::string_view text, std::size_t pos) {
  if (pos + 4 > text.size()) return -1;
  long value = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const char c = text[pos + k];
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const auto space = text.find(' ');
    if (space != 0) words.push_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return words;
}

}  // namespace grantlint
