#include "base/suggest.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "base/utf8.h"

namespace grantlint {

namespace {

char fold(char c) { return ascii_fold(c); }

// Edits between `a` and `b` ignoring case, an adjacent transposition counting as one
// (`Prdo` is one edit from `Prod`, the commonest slip); above `cap`, cap + 1.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap) {
  if (a.size() > b.size() + cap || b.size() > a.size() + cap) return cap + 1;
  std::vector<std::size_t> before(b.size() + 1);  // the row of a[i - 2], for transpositions
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    std::size_t best = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = fold(a[i - 1]) == fold(b[j - 1]);
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1])) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
      best = std::min(best, row[j]);
    }
    // A whole row past `cap`: no later row comes back under it (a transposition reaches back
    // two rows, but through a cell of this row no cheaper than it).
    if (best > cap) return cap + 1;
    std::swap(before, previous);
    std::swap(previous, row);
  }
  return previous[b.size()];
}

// Cyrillic and Greek capitals and small letters drawn like Latin ones (Unicode's confusables,
// the letters of a plain font only), sorted by code point.
constexpr std::array<std::pair<std::uint32_t, char>, 46> kLookAlikes{{
    {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'}, {0x0396, 'Z'}, {0x0397, 'H'}, {0x0399, 'I'}, {0x039A, 'K'},
    {0x039C, 'M'}, {0x039D, 'N'}, {0x039F, 'O'}, {0x03A1, 'P'}, {0x03A4, 'T'}, {0x03A5, 'Y'}, {0x03A7, 'X'},
    {0x03BD, 'v'}, {0x03BF, 'o'}, {0x0405, 'S'}, {0x0406, 'I'}, {0x0408, 'J'}, {0x0410, 'A'}, {0x0412, 'B'},
    {0x0415, 'E'}, {0x041A, 'K'}, {0x041C, 'M'}, {0x041D, 'H'}, {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'},
    {0x0422, 'T'}, {0x0425, 'X'}, {0x0430, 'a'}, {0x0435, 'e'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'},
    {0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x04BB, 'h'}, {0x0501, 'd'},
    {0x051B, 'q'}, {0x051D, 'w'}, {0x2010, '-'}, {0x2011, '-'},
}};

std::optional<char> look_alike(std::uint32_t code_point) {
  constexpr std::uint32_t kFullwidthFirst = 0xFF01, kFullwidthLast = 0xFF5E;  // U+0021 to U+007E, shifted
  if (code_point >= kFullwidthFirst && code_point <= kFullwidthLast) {
    return static_cast<char>(code_point - kFullwidthFirst + '!');
  }
  const auto it = std::ranges::lower_bound(kLookAlikes, code_point, {}, &std::pair<std::uint32_t, char>::first);
  if (it == kLookAlikes.end() || it->first != code_point) return std::nullopt;
  return it->second;
}

}  // namespace

std::optional<std::string> ascii_look_alike(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint cp = decode_utf8(text, i);
    if (cp.length == 1 && cp.valid && cp.value < 0x80) {
      out += text[i];
    } else if (const auto ascii = cp.valid ? look_alike(cp.value) : std::nullopt) {
      out += *ascii;
    } else {
      return std::nullopt;
    }
    i += cp.length;
  }
  return out;
}

// The cells of the distance tables one suggestion computes at most: a thousand words of a
// thousand bytes each, against each other, took seconds a word (hostile31b).
constexpr std::size_t kMaxCellsPerSuggestion = std::size_t{1} << 20;

std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates) {
  if (word.empty()) return std::nullopt;
  const std::size_t cap = std::max<std::size_t>(1, word.size() / 3);
  std::optional<std::string_view> best;
  std::size_t best_distance = cap + 1;
  std::size_t cells = 0;
  for (std::string_view candidate : candidates) {
    const std::size_t longer = std::max(word.size(), candidate.size());
    if (longer - std::min(word.size(), candidate.size()) >= best_distance) continue;  // too far by length alone
    cells += (word.size() + 1) * (candidate.size() + 1);
    if (cells > kMaxCellsPerSuggestion) break;
    // Only a strictly nearer candidate replaces the best, so the search narrows as it goes.
    const std::size_t d = edit_distance(word, candidate, best_distance - 1);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
      if (d == 0) break;
    }
  }
  return best;
}

std::string did_you_mean(std::optional<std::string_view> near) {
  if (!near) return {};
  std::string out = "; did you mean `";
  out.append(*near);
  out += "`?";
  return out;
}

std::string Suggestions::did_you_mean_for(std::string_view word) {
  if (given_ >= kSuggestionsPerList) return {};
  ++given_;
  return did_you_mean(closest_match(word, candidates_));
}

}  // namespace grantlint
