// Terminal-safe rendering of user text, shared by the text reporters.
#pragma once

#include <string>
#include <string_view>

namespace grantlint::report {

// Makes user text safe for a terminal: control characters (C0, DEL and C1, which include
// the escape and CSI that drive terminals, and the line breaks that could forge a CI
// annotation), bidirectional controls, invisible characters and invalid UTF-8 bytes are shown
// escaped. In snippets they become `?` so
// that the underline stays aligned; tabs are kept there.
std::string terminal_safe(std::string_view text, bool snippet = false);

// A file's path made terminal-safe, its backslashes doubled: a name with an escape byte and one
// spelt with the six characters `\u001b` then print differently.
std::string path_safe(std::string_view path);

}  // namespace grantlint::report
