// Finds where a JSON value ends from its brackets and strings alone, without validating
// it: large inputs (account exports) are cut into elements this way, and each element is
// then parsed, and validated, on its own. Memory stays that of the largest element, not
// of an index over the whole file.
#pragma once

#include <cstddef>
#include <expected>
#include <string_view>

namespace grantlint::json {

// The offset of the first byte at or after `at` that is not JSON whitespace.
std::size_t skip_space(std::string_view text, std::size_t at);

// The offset one past the value that starts at `at` (which is not whitespace): a string
// up to its closing quote, an object or array up to its matching bracket, anything else up
// to the next `,`, `}`, `]`, `:`, `"`, `{`, `[` or whitespace. The error is the offset where the value stops
// making sense: a bracket that closes nothing or the wrong thing, no value at all, or the
// end of the text.
std::expected<std::size_t, std::size_t> skim_value(std::string_view text, std::size_t at);

}  // namespace grantlint::json
