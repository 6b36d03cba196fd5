#include "report/text_safe.h"

#include <fmt/format.h>

#include "base/utf8.h"

namespace grantlint::report {

std::string terminal_safe(std::string_view text, bool snippet) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint cp = decode_utf8(text, i);
    const bool control = cp.valid && (cp.value < 0x20 || (cp.value >= 0x7F && cp.value <= 0x9F));
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
