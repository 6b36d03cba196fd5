// IAM wildcards past the scan's sizes: the automaton, and the matchers that hand long patterns
// over long texts to it, against the whole table of "pattern from i matches text from j".
#include "match/wildcard_automaton.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "eval/pattern.h"
#include "match/glob.h"
#include "match/scan.h"

using namespace grantlint;

namespace {

// reach[i][j]: pattern[i:] matches text[j:]. `?` and each step of `*` take one UTF-8 character
// (an invalid byte is one); a literal byte matches that byte (fuzz/fuzz_match.cpp's reference).
bool reference(std::string_view p, std::string_view t, bool fold_case) {
  std::vector<std::vector<char>> reach(p.size() + 1, std::vector<char>(t.size() + 1, 0));
  reach[p.size()][t.size()] = 1;
  for (std::size_t i = p.size(); i-- > 0;) {
    for (std::size_t j = t.size() + 1; j-- > 0;) {
      const std::size_t next = j < t.size() ? j + match::character_length(t, j) : j;
      if (p[i] == '*') {
        reach[i][j] = static_cast<char>(reach[i + 1][j] || (j < t.size() && reach[i][next]));
      } else if (p[i] == '?') {
        reach[i][j] = static_cast<char>(j < t.size() && reach[i + 1][next]);
      } else if (j < t.size() && (fold_case ? ascii_fold(p[i]) == ascii_fold(t[j]) : p[i] == t[j])) {
        reach[i][j] = reach[i + 1][j + 1];
      }
    }
  }
  return reach[0][0] != 0;
}

std::vector<match::WildcardToken> tokens_of(std::string_view p) {
  std::vector<match::WildcardToken> out;
  for (const char c : p) {
    out.push_back(c == '*'   ? match::kWildcardStar
                  : c == '?' ? match::kWildcardOne
                             : static_cast<match::WildcardToken>(static_cast<unsigned char>(c)));
  }
  return out;
}

// Characters of one to four bytes, cases, and bytes that are not UTF-8 (a lead without its
// continuation, a lone continuation): where `?` and `*` take other than one byte.
const std::vector<std::string> kPieces = {"a",    "A",   "b", "*", "?", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                          "\xC3", "\xA9"};

std::string random_text(std::mt19937& random, std::size_t max_pieces, bool wildcards) {
  std::uniform_int_distribution<std::size_t> length(0, max_pieces);
  std::uniform_int_distribution<std::size_t> pick(0, kPieces.size() - 1);
  std::string out;
  for (std::size_t n = length(random); n > 0; --n) {
    const std::string& piece = kPieces[pick(random)];
    out += !wildcards && (piece == "*" || piece == "?") ? "a" : piece;
  }
  return out;
}

}  // namespace

TEST_CASE("wildcard automaton: the table's answers", "[match]") {
  std::mt19937 random(20261205);
  std::size_t matched = 0;
  for (int round = 0; round < 100000; ++round) {
    const bool fold_case = round % 2 == 0;
    const bool long_ones = round % 50 == 0;
    const std::string pattern = random_text(random, long_ones ? 120 : 8, true);
    const std::string text = random_text(random, long_ones ? 300 : 10, false);
    INFO(pattern << " against " << text << (fold_case ? " folding case" : ""));
    const bool expected = reference(pattern, text, fold_case);
    REQUIRE(match::automaton_match(tokens_of(pattern), text, fold_case) == expected);
    matched += expected ? 1 : 0;
  }
  CHECK(matched > 1000);  // both answers are asked often
}

TEST_CASE("wildcard automaton: the matchers hand long patterns over long texts to it", "[match]") {
  std::mt19937 random(64);
  for (int round = 0; round < 200; ++round) {
    const bool fold_case = round % 2 == 0;
    // Past both sizes, mostly stars and letters so that some match.
    std::string pattern = "*";
    while (pattern.size() <= match::kScanPatternLength) pattern += random_text(random, 4, true) + "*";
    std::string text;
    for (const char c : pattern)
      text += c == '*' ? random_text(random, 6, false) : c == '?' ? "\xC3\xA9" : std::string(1, c);
    while (text.size() <= match::kScanTextLength) text = random_text(random, 8, false) + text;
    if (round % 3 == 0) text[random() % text.size()] = 'b';
    INFO(pattern << " against " << text);
    const bool expected = reference(pattern, text, fold_case);
    REQUIRE(match::glob_matches(pattern, text, fold_case) == expected);
    const eval::Pattern compiled(pattern, /*wildcards=*/true, /*variables=*/false);
    REQUIRE(eval::tokens_match(compiled.tokens(), text, fold_case) == expected);
  }
}

TEST_CASE("wildcard automaton: long patterns against long texts take linear time", "[match]") {
  // The hostile round's shapes (h45 findings 2 and 3), and one the ends cannot refuse: a
  // thousand 500-byte patterns against a 1,000-byte key took 12 s by the scan.
  const std::string key = "aws:" + std::string(1000, 'a') + "j";
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) {
    const match::Glob unknown("*" + std::string(500, 'a') + "b" + std::to_string(i), /*fold_case=*/true);
    CHECK_FALSE(unknown.matches(key));
    const match::Glob inside("*" + std::string(500, 'a') + "b" + std::to_string(i) + "*", /*fold_case=*/true);
    CHECK_FALSE(inside.matches(key));
  }
  CHECK(match::glob_matches("*" + std::string(500, 'a') + "*", key, false));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 5);  // about 0.03 s; the scan took 0.5 s for the second thousand alone
}
