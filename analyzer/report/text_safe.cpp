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

}  // namespace

std::string terminal_safe(std::string_view text, bool snippet) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint cp = decode_utf8(text, i);
    const bool control = cp.valid && (cp.value < 0x20 || (cp.value >= 0x7F && cp.value <= 0x9F) || is_bidi(cp.value));
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
