#include "json/skim.h"

#include <catch2/catch.hpp>
#include <expected>
#include <random>
#include <string>
#include <vector>

#include "json/syntax_check.h"

using namespace grantlint;

namespace {

constexpr auto npos = std::string_view::npos;

// Where the strict checker says the first value of `text` ends (before any whitespace after
// it), or nullopt when that value is not valid JSON.
std::optional<std::size_t> checked_end(std::string_view text) {
  const auto problem = json::find_syntax_error(text);
  std::size_t end = text.size();
  if (problem) {
    if (!problem->trailing) return std::nullopt;
    end = problem->offset;
  }
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\n')) --end;
  return end;
}

// skim_value agrees with the checker on every text whose first value is valid JSON, and
// stays inside the text on every other.
void agrees(std::string_view text) {
  INFO("text: " << text);
  const std::size_t start = json::skip_space(text, 0);
  const auto skimmed = json::skim_value(text, start);
  const auto end = checked_end(text);
  // A number or literal runs to the next delimiter: `1a` is one (broken) token to skimming.
  const bool scalar_runs_on = end && *end < text.size() && std::string_view("\"{[").find(text[start]) == npos &&
                              std::string_view(",]}:\"{[ \n").find(text[*end]) == npos;
  if (end && !scalar_runs_on) {
    REQUIRE(skimmed.has_value());
    REQUIRE(*skimmed == *end);
  } else if (skimmed) {
    REQUIRE(*skimmed <= text.size());
  } else {
    REQUIRE(skimmed.error() <= text.size());
  }
}

// skim_value as it was before it read 64-byte blocks: a byte at a time between strings, each
// string to its closing quote. The block reader must give the same answer on every text,
// broken ones included (the export reader's recovery depends on where a broken value stops).
std::expected<std::size_t, std::size_t> skim_one_byte_at_a_time(std::string_view text, std::size_t at) {
  const auto skim_string = [&](std::size_t quote_at) -> std::expected<std::size_t, std::size_t> {
    for (std::size_t i = quote_at + 1; i < text.size(); ++i) {
      if (text[i] != '"') continue;
      std::size_t backslashes = 0;
      while (i - backslashes > quote_at + 1 && text[i - backslashes - 1] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return i + 1;
    }
    return std::unexpected(text.size());
  };
  if (text[at] != '{' && text[at] != '[') return json::skim_value(text, at);  // unchanged
  std::vector<char> closers;
  for (std::size_t i = at; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      const auto end = skim_string(i);
      if (!end) return end;
      i = *end - 1;
    } else if (c == '{' || c == '[') {
      closers.push_back(c == '{' ? '}' : ']');
    } else if (c == '}' || c == ']') {
      if (closers.empty() || closers.back() != c) return std::unexpected(i);
      closers.pop_back();
      if (closers.empty()) return i + 1;
    }
  }
  return std::unexpected(text.size());
}

}  // namespace

TEST_CASE("skim_value: the same answer as a byte at a time, across 64-byte blocks", "[skim]") {
  std::mt19937 random(20261204);
  // Runs of each kind, so that strings, backslash runs and nesting cross block boundaries.
  const std::vector<std::string> pieces = {
      "\"",      "\\", "\\\\", "\\\\\\", "{", "}", "[", "]", "a", "  ", std::string(61, ' '), std::string(63, 'x'),
      "\"k\": ", ",",  "\\\""};
  std::size_t compared = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string text(1, random() % 2 ? '{' : '[');
    const auto count = 1 + random() % 24;
    for (unsigned i = 0; i < count; ++i) text += pieces[random() % pieces.size()];
    // A value made well formed now and then, so that ends are found as well as errors.
    if (random() % 4 == 0) text += std::string(random() % 3, '"') + "]}]}]}";
    INFO("text: " << text);
    const auto block = json::skim_value(text, 0);
    const auto reference = skim_one_byte_at_a_time(text, 0);
    REQUIRE(block.has_value() == reference.has_value());
    REQUIRE((block ? *block : block.error()) == (reference ? *reference : reference.error()));
    if (block) ++compared;
  }
  // Both kinds of answer were compared, not only errors.
  CHECK(compared > 10000);
}

TEST_CASE("skim_value: exhaustive over a small alphabet, against the strict checker", "[skim]") {
  constexpr std::string_view kAlphabet = "\"\\[]{}a1,: ";
  std::string text;
  std::size_t checked = 0;
  for (std::size_t length = 1; length <= 6; ++length) {
    std::vector<std::size_t> digits(length, 0);
    for (;;) {
      text.clear();
      for (std::size_t d : digits) text.push_back(kAlphabet[d]);
      agrees(text);
      ++checked;
      std::size_t i = 0;
      while (i < length && ++digits[i] == kAlphabet.size()) digits[i++] = 0;
      if (i == length) break;
    }
  }
  CHECK(checked == 11 + 121 + 1331 + 14641 + 161051 + 1771561);
}

TEST_CASE("skim_value: generated values with tricky strings and nesting", "[skim]") {
  std::mt19937 random(20261129);
  const std::vector<std::string> scalars = {"1",      "-2.5e3",        "true",        "null",
                                            "\"\"",   "\"a\\\"b\"",    "\"\\\\\"",    "\"{[\"",
                                            "\"]}\"", "\"\\\\\\\"]\"", "\"\\u005d\"", "false"};
  std::function<std::string(int)> value = [&](int depth) -> std::string {
    const auto pick = random() % (depth > 6 ? 1 : 3);
    if (pick == 0) return scalars[random() % scalars.size()];
    const bool object = pick == 1;
    std::string out(1, object ? '{' : '[');
    const auto members = random() % 4;
    for (unsigned i = 0; i < members; ++i) {
      if (i > 0) out += random() % 2 ? ", " : ",";
      if (object) out += scalars[5 + random() % 5] + (random() % 2 ? ": " : ":");
      out += value(depth + 1);
    }
    out += object ? '}' : ']';
    return out;
  };
  for (int round = 0; round < 3000; ++round) {
    const std::string v = value(0);
    for (std::string_view after : {"", " ", ",{\"x\": 1}", "]", " } ]"}) {
      const std::string text = " " + v + std::string(after);
      agrees(text);
      const auto skimmed = json::skim_value(text, 1);
      REQUIRE(skimmed.has_value());
      REQUIRE(*skimmed == 1 + v.size());
    }
    // The same value damaged at one byte: never out of bounds, and right whenever still valid.
    std::string damaged = v;
    damaged.erase(random() % damaged.size(), 1);
    agrees(damaged);
    // Pretty-printed, as exports are: long runs between tokens, read 16 bytes at a time.
    std::string indented;
    for (const char c : v) {
      indented += c;
      if (c == ',' || c == '{' || c == '[') indented += "\n" + std::string(random() % 40, ' ');
    }
    for (std::string_view after : {"", ",\n    {\"x\": 1}"}) {
      const std::string text = indented + std::string(after);
      agrees(text);
    }
  }
}

TEST_CASE("skim_value: errors say where the brackets stop making sense", "[skim]") {
  CHECK(json::skim_value("[1, 2}", 0).error() == 5);
  CHECK(json::skim_value("{\"a\": [1}", 0).error() == 8);
  CHECK(json::skim_value("[[1]", 0).error() == 4);
  CHECK(json::skim_value("\"abc", 0).error() == 4);
  CHECK(json::skim_value(",", 0).error() == 0);
  CHECK(json::skim_value("]", 0).error() == 0);
  CHECK(*json::skim_value("tru, 1", 0) == 3);  // not validated: the element's parser says what is wrong
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK(*json::skim_value(deep, 0) == deep.size());
}
