// A strict RFC 8259 checker that finds the first syntax error and says what was expected.
// The fast path (simdjson) only reports that a document is broken; this runs only then,
// to tell the user where and why. It is iterative, so no nesting depth can exhaust the stack.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace grantlint::json {

struct SyntaxProblem {
  std::uint32_t offset = 0;  // relative to the text checked
  std::uint32_t length = 1;  // bytes to underline (at least one, unless at the end)
  std::string message;
  bool trailing = false;  // a complete value followed by more content
  // Half a surrogate pair (`\ud800`): the grammar's, but no character; json::Parser reads past it.
  bool unpaired_surrogate = false;
};

std::optional<SyntaxProblem> find_syntax_error(std::string_view text);

// True if `token` is exactly one JSON number.
bool is_json_number(std::string_view token);

// How a byte reads in a message: "`x`" for printable ASCII, "`€` (U+20AC)" for other characters,
// "U+FEFF" for ones that do not show (spaces, format and direction controls), else "byte 0xNN".
std::string describe_byte(std::string_view text, std::size_t offset);

}  // namespace grantlint::json
