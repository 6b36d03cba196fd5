// Terminal-safe rendering of user text, shared by the text reporters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace grantlint::report {

// Makes user text safe for a terminal: control characters (C0, DEL and C1, which include
// the escape and CSI that drive terminals, and the line breaks that could forge a CI
// annotation), bidirectional controls, invisible characters and invalid UTF-8 bytes are shown
// escaped.
enum class Shown : std::uint8_t {
  text,     // controls, bidi marks, invisible characters and invalid bytes escaped (`\u200b`)
  snippet,  // the same as `?` (the underline stays aligned); tabs kept
  name,     // as text, but invisible characters kept: a file's name in a CI annotation must
            // match the file (emoji names hold zero-width joiners)
};
std::string terminal_safe(std::string_view text, Shown shown = Shown::text);

// A file's path made terminal-safe, its backslashes doubled: a name with an escape byte and one
// spelt with the six characters `\u001b` then print differently.
std::string path_safe(std::string_view path);

}  // namespace grantlint::report
