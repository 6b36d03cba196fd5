// Differential: the evaluator's token matcher and the checks' glob matcher against a plain
// reference matcher (dynamic programming over the whole table), on valid UTF-8; the path globs'
// automaton against their own table, on any bytes; and the intersection of two globs against
// the matcher and itself. Input: pattern, a newline, text; the first byte's low bit chooses
// case folding.
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "eval/pattern.h"
#include "fuzz/properties.h"
#include "input/walk.h"
#include "match/glob.h"
#include "match/scan.h"

namespace {

using grantlint::fuzz::require;

char fold(char c, bool on) { return on && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// reach[i][j]: pattern[i:] matches text[j:]. `?` and each step of `*` take one UTF-8
// character (an invalid byte is one); a literal byte matches that byte.
bool reference(std::string_view p, std::string_view t, bool fold_case) {
  std::vector<std::vector<char>> reach(p.size() + 1, std::vector<char>(t.size() + 1, 0));
  reach[p.size()][t.size()] = 1;
  for (std::size_t i = p.size(); i-- > 0;) {
    for (std::size_t j = t.size() + 1; j-- > 0;) {
      const std::size_t next = j < t.size() ? j + grantlint::match::character_length(t, j) : j;
      if (p[i] == '*') {
        reach[i][j] = static_cast<char>(reach[i + 1][j] || (j < t.size() && reach[i][next]));
      } else if (p[i] == '?') {
        reach[i][j] = static_cast<char>(j < t.size() && reach[i + 1][next]);
      } else if (j < t.size() && fold(p[i], fold_case) == fold(t[j], fold_case)) {
        reach[i][j] = reach[i + 1][j + 1];
      }
    }
  }
  return reach[0][0] != 0;
}

// Where each character of a path starts: every byte but a continuation byte its lead byte
// announced (0xC0.. one, 0xE0.. two, 0xF0.. three); a stray continuation byte is a character of
// its own (h48 L2).
std::vector<char> character_starts(std::string_view s) {
  std::vector<char> starts(s.size() + 1, 1);
  int announced = 0;
  for (std::size_t j = 0; j < s.size(); ++j) {
    const auto byte = static_cast<unsigned char>(s[j]);
    const bool continues = (byte & 0xC0) == 0x80 && announced > 0;
    starts[j] = static_cast<char>(!continues);
    announced = continues ? announced - 1 : byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0;
  }
  return starts;
}

// Path globs (`*` without `/`, `**` across it, a `**/` that is a whole segment also no
// directory where a segment starts, `?` one character other than `/`: its first byte and any
// number of the continuation bytes that character has): pattern[i:] matches path[j:], by rows
// from the end; `**` skips two characters. A table, applied as glob_match applies the automaton.
bool path_reference(std::string_view pattern, std::string_view path) {
  const grantlint::input::PreparedGlob glob = grantlint::input::prepare_glob(pattern);
  const std::string_view p = glob.pattern;
  const std::string_view s = glob.names_directories ? path : grantlint::input::last_component(path);
  const std::vector<char> starts = character_starts(s);
  std::vector<std::vector<char>> reach(p.size() + 1, std::vector<char>(s.size() + 1, 0));
  reach[p.size()][s.size()] = 1;
  for (std::size_t i = p.size(); i-- > 0;) {
    const bool any_directories = p.substr(i).starts_with("**/") && (i == 0 || p[i - 1] == '/');
    for (std::size_t j = s.size() + 1; j-- > 0;) {
      if (p[i] == '*') {
        const bool double_star = i + 1 < p.size() && p[i + 1] == '*';
        reach[i][j] = static_cast<char>(reach[double_star ? i + 2 : i + 1][j] ||
                                        (j < s.size() && (double_star || s[j] != '/') && reach[i][j + 1]) ||
                                        (any_directories && (j == 0 || s[j - 1] == '/') && reach[i + 3][j]));
      } else if (p[i] == '?') {
        for (std::size_t end = j + 1; j < s.size() && s[j] != '/' && starts[j] != 0; ++end) {
          if (reach[i + 1][end] != 0) reach[i][j] = 1;
          if (starts[end] != 0) break;
        }
      } else if (j < s.size() && p[i] == s[j]) {
        reach[i][j] = reach[i + 1][j + 1];
      }
    }
  }
  return reach[0][0] != 0;
}

bool ascii(std::string_view s) {
  return std::ranges::all_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// globs_intersect (bytes; `b` may hold name stars, U+0001) on ASCII: against the matcher when
// `b` is literal, symmetric without name stars, and alike on its two tables (a `b` past 62
// characters takes the byte table; a literal tail both share changes nothing).
void check_intersection(std::string_view a, std::string_view b) {
  using grantlint::match::globs_intersect;
  if (!ascii(a) || !ascii(b)) return;
  const bool both = globs_intersect(a, b);
  if (b.find_first_of("*?\x01") == std::string_view::npos) {
    require(both == grantlint::match::glob_matches(a, b, false));
  }
  if (a.find('\x01') == std::string_view::npos && b.find('\x01') == std::string_view::npos) {
    require(both == globs_intersect(b, a));
  }
  const std::string tail(64, 'z');
  require(both == globs_intersect(std::string(a) + tail, std::string(b) + tail));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 512) return 0;
  const bool fold_case = (data[0] & 1) != 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  const std::string_view pattern = input.substr(0, newline);
  const std::string_view text = input.substr(newline + 1);
  require(grantlint::input::glob_match(pattern, text) == path_reference(pattern, text));
  // Patterns and values reach the matchers through the JSON parser, which accepts only valid
  // UTF-8; on other bytes "one character" has no single meaning.
  if (!simdjson::validate_utf8(pattern.data(), pattern.size()) || !simdjson::validate_utf8(text.data(), text.size())) {
    return 0;
  }
  const grantlint::eval::Pattern compiled(pattern, /*wildcards=*/true, /*variables=*/false);
  const bool expected = reference(pattern, text, fold_case);
  require(grantlint::eval::tokens_match(compiled.tokens(), text, fold_case) == expected);
  require(grantlint::match::glob_matches(pattern, text, fold_case) == expected);
  check_intersection(pattern, text);
  return 0;
}
