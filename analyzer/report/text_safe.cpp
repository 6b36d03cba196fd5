#include "report/text_safe.h"

#include <fmt/format.h>

#include "base/utf8.h"

namespace grantlint::report {

namespace {

// Bidirectional controls reorder what a terminal shows (a policy's text could make a line read
// as something it is not: "Trojan Source"); they are shown escaped, never obeyed.
bool is_bidi(std::uint32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// Characters a terminal shows as nothing (zero-width spaces and joiners, the word joiner and
// invisible operators, the byte order mark, the soft hyphen, Hangul and Mongolian fillers) and
// the Unicode line and paragraph separators: a name with one would look like a name without.
bool is_invisible(std::uint32_t cp) {
  return cp == 0x00AD || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 || cp == 0x180E ||
         (cp >= 0x200B && cp <= 0x200D) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x2060 && cp <= 0x206F) ||
         cp == 0x3164 || cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

}  // namespace

std::string path_safe(std::string_view path) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = path.find_first_of("\\:"); at != std::string_view::npos;
       at = path.find_first_of("\\:", at + 1)) {
    // A `:` before a digit is escaped too: a name such as `x.json:9:9: error: …` would otherwise
    // spell a place of its own at the start of the line, where tools read the finding's.
    const bool colon = path[at] == ':';
    if (colon && (at + 1 >= path.size() || path[at + 1] < '0' || path[at + 1] > '9')) continue;
    out += terminal_safe(path.substr(from, at - from));
    out += colon ? "\\u003a" : "\\\\";
    from = at + 1;
  }
  out += terminal_safe(path.substr(from));
  return out;
}

std::string terminal_safe(std::string_view text, Shown shown) {
  const bool snippet = shown == Shown::snippet;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint cp = decode_utf8(text, i);
    const bool control = cp.valid && (cp.value < 0x20 || (cp.value >= 0x7F && cp.value <= 0x9F) || is_bidi(cp.value) ||
                                      (shown != Shown::name && is_invisible(cp.value)));
    if (snippet && cp.value == '\t') {
      out += '\t';
    } else if (!cp.valid || control) {
      if (snippet) {
        out += '?';
      } else if (cp.valid) {
        out += fmt::format("\\u{:04x}", cp.value);
      } else {
        out += fmt::format("\\x{:02x}", cp.value);
      }
    } else {
      out.append(text.substr(i, cp.length));
    }
    i += cp.length;
  }
  return out;
}

}  // namespace grantlint::report
