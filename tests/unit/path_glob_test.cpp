// Path globs (`--include`, `--exclude`, a configuration's globs and suppression paths): the
// automaton against the table it replaced, which stays here as the reference.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "input/walk.h"

using namespace grantlint;

namespace {

// Whether `p` matches all of `s`, by rows of the table "pattern from i matches text from j",
// filled from the end: `**` skips two characters, a `**/` that is a whole segment may match no
// directory (skipping three), `?` takes one UTF-8 character. The matcher before the automaton,
// with the semantics the automaton took since (h46 L3).
bool table_match(std::string_view p, std::string_view s) {
  const auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  const std::size_t width = s.size() + 1;
  std::vector<std::vector<char>> rows(4, std::vector<char>(width, 0));  // rows i to i + 3
  for (std::size_t i = p.size() + 1; i-- > 0;) {
    std::vector<char>& row = rows[i % 4];
    const std::vector<char>& next = rows[(i + 1) % 4];
    const std::vector<char>& after_next = rows[(i + 2) % 4];
    const std::vector<char>& third = rows[(i + 3) % 4];
    const bool any_directories = p.substr(i).starts_with("**/") && (i == 0 || p[i - 1] == '/');
    for (std::size_t j = width; j-- > 0;) {
      bool result = false;
      if (i == p.size()) {
        result = j == s.size();
      } else if (p[i] == '*') {
        const bool double_star = i + 1 < p.size() && p[i + 1] == '*';
        result = (double_star ? after_next[j] : next[j]) != 0 ||
                 (j < s.size() && (double_star || s[j] != '/') && row[j + 1] != 0) ||
                 (any_directories && (j == 0 || s[j - 1] == '/') && third[j] != 0);
      } else if (p[i] == '?') {
        // Its first byte, then continuation bytes (any number of them: on bytes that are not
        // UTF-8, a literal continuation byte in the glob may take one instead).
        for (std::size_t end = j + 1; !result && j < s.size() && s[j] != '/' && !continuation(s[j]); ++end) {
          result = next[end] != 0;
          if (end == s.size() || !continuation(s[end])) break;
        }
      } else if (j < s.size() && p[i] == s[j]) {
        result = next[j + 1] != 0;
      }
      row[j] = result ? 1 : 0;
    }
  }
  return rows[0][0] != 0;
}

// glob_match by the table: the last component for a glob without `/`.
bool reference(std::string_view pattern, std::string_view path) {
  const input::PreparedGlob glob = input::prepare_glob(pattern);
  return table_match(glob.pattern, glob.names_directories ? path : input::last_component(path));
}

std::string random_text(std::mt19937& random, std::string_view alphabet, std::size_t max_length) {
  std::uniform_int_distribution<std::size_t> length(0, max_length);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out(length(random), ' ');
  for (char& c : out) c = alphabet[pick(random)];
  return out;
}

}  // namespace

TEST_CASE("path globs: the automaton matches as the table did", "[input]") {
  std::mt19937 random(20261205);
  std::size_t matched = 0;
  for (int round = 0; round < 200000; ++round) {
    // Paths hold `*` and `?` too: a byte only a wildcard takes.
    const std::string pattern = random_text(random, "ab/*?", 10);
    const std::string path = random_text(random, "ab/*?", 12);
    INFO(pattern << " against " << path);
    const bool expected = reference(pattern, path);
    REQUIRE(input::glob_match(pattern, path) == expected);
    matched += expected ? 1 : 0;
  }
  CHECK(matched > 1000);  // both answers are asked often
}

// A random string of `pieces`, some of them several bytes long (`é`).
std::string random_pieces(std::mt19937& random, const std::vector<std::string>& pieces, std::size_t max_pieces) {
  std::uniform_int_distribution<std::size_t> length(0, max_pieces);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::string out;
  for (std::size_t n = length(random); n > 0; --n) out += pieces[pick(random)];
  return out;
}

TEST_CASE("path globs: `?` takes a character, `**/` no directory too, against the table", "[input]") {
  std::mt19937 random(20261206);
  const std::vector<std::string> pieces = {"a", "\xc3\xa9", "\xf0\x9f\x98\x80", "/", "*", "**/", "?", "./"};
  const std::vector<std::string> path_pieces = {"a", "\xc3\xa9", "\xf0\x9f\x98\x80", "/", "b"};
  std::size_t matched = 0;
  for (int round = 0; round < 100000; ++round) {
    const std::string pattern = random_pieces(random, pieces, 6);
    const std::string path = random_pieces(random, path_pieces, 8);
    INFO(pattern << " against " << path);
    const bool expected = reference(pattern, path);
    REQUIRE(input::glob_match(pattern, path) == expected);
    matched += expected ? 1 : 0;
  }
  CHECK(matched > 1000);
}

TEST_CASE("path globs: what users write", "[input]") {
  CHECK(input::glob_match("**/*.json", "a.json"));  // gitignore's `**/`: no directory too
  CHECK(input::glob_match("**/*.json", "sub/deep/a.json"));
  CHECK(input::glob_match("sub/**/b.json", "sub/b.json"));
  CHECK(input::glob_match("sub/**/b.json", "sub/x/y/b.json"));
  CHECK_FALSE(input::glob_match("sub/**/b.json", "subb.json"));
  CHECK_FALSE(input::glob_match("**/b.json", "ab.json"));  // `**/` matches whole directories (h47 H3)
  CHECK_FALSE(input::glob_match("**/b.json", "a/xb.json"));
  CHECK_FALSE(input::glob_match("a/**/b.json", "a/xb.json"));
  CHECK_FALSE(input::glob_match("**/?.json", "ab.json"));
  CHECK(input::glob_match("**/?.json", "a/b.json"));
  CHECK(input::glob_match("a/**/b.json", "a/x/b.json"));
  CHECK_FALSE(input::glob_match("x**/y", "xy"));  // not a whole segment: `**` is any run
  CHECK(input::glob_match("x**/y", "x/y"));
  CHECK(input::glob_match("**/**/c.json", "c.json"));
  CHECK(input::glob_match("?.json", "\xc3\xa9.json"));  // one character, two bytes
  CHECK_FALSE(input::glob_match("??.json", "\xc3\xa9.json"));
  // A stray continuation byte is a character of its own, not part of the one before (h48 L2).
  CHECK_FALSE(input::glob_match("?.json", "a\x80.json"));
  CHECK(input::glob_match("??.json", "a\x80.json"));
  CHECK(input::glob_match("*.json", "a\x80.json"));
  CHECK_FALSE(input::glob_match("?.json", "\xc3\xa9\x80.json"));  // é then a stray byte
  CHECK(input::glob_match("?.json", "\xf0\x9f\x98\x80.json"));    // four bytes, one character
  CHECK(input::glob_match("./sub/**", "sub/b.json"));
  CHECK(input::glob_match("./*.json", "a.json"));
  CHECK(input::glob_match("**/x.json", "x.json"));  // the longest literal run is not `/x.json`
  CHECK(input::prepare_glob("**/x.json").required == "x.json");
}

TEST_CASE("path globs: globs longer than a word of states, and than the inline ones", "[input]") {
  std::mt19937 random(4096);
  for (int round = 0; round < 300; ++round) {
    // Mostly stars and one letter, so that long globs still match some paths.
    const std::size_t max_length = round % 10 == 0 ? 5000 : 300;
    const std::string pattern = random_text(random, "a/**?*", max_length);
    const std::string path = random_text(random, "aab/", max_length / 2);
    INFO(pattern.size() << "-character glob against a " << path.size() << "-character path");
    REQUIRE(input::glob_match(pattern, path) == reference(pattern, path));
    // A path the glob matches: each wildcard replaced by what it takes.
    std::string matching;
    for (const char c : pattern) matching += c == '*' ? "" : c == '?' ? "a" : std::string(1, c);
    REQUIRE(input::glob_match(pattern, matching) == reference(pattern, matching));
  }
  const std::string states_65 = std::string(64, '?') + "/x";
  CHECK(input::glob_match(states_65, std::string(64, 'a') + "/x"));
  CHECK_FALSE(input::glob_match(states_65, std::string(64, 'a') + "/y"));
}

TEST_CASE("path globs: long globs over long paths take linear time", "[input]") {
  // The hostile round's shape (h45 finding 1): 3.9 KB globs whose longest literal run is `/`,
  // over 2 KB paths; the table took 20 ms a pair.
  std::string path = "tree";
  for (int i = 0; i < 10; ++i) path += "/" + std::string(200, 'a');
  path += "/" + std::string(200, 'a') + "0001.json";
  for (int g = 0; g < 30; ++g) {
    std::string glob = "**/";
    for (int i = 0; i < 1300; ++i) glob += i == g ? "**x" : "**a";
    const input::PreparedGlob prepared = input::prepare_glob(glob);
    CHECK_FALSE(input::glob_match(prepared, path));
    CHECK(input::glob_match(prepared, path + "x" + std::string(1300, 'a')));
  }
}
