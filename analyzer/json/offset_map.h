// Maps byte offsets of a decoded text back to the file the user opened. A policy held
// in a JSON string (a key policy) or URL-encoded (an IAM API response) is parsed from its
// decoded bytes, and this map puts every span back on the escapes it came from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "source/span.h"

namespace grantlint::json {

class OffsetMap {
 public:
  // Offset i of the text is offset base + i of the file.
  static OffsetMap shifted(std::uint32_t base) { return OffsetMap(base, {}); }
  // origin[i] is the file offset of the encoded form of byte i; origin[size] is the file
  // offset just past the encoded text. An empty table maps everything to offset 0.
  static OffsetMap table(std::vector<std::uint32_t> origin) {
    if (origin.empty()) origin.push_back(0);
    return OffsetMap(0, std::move(origin));
  }

  [[nodiscard]] std::uint32_t map(std::uint32_t offset) const;
  [[nodiscard]] Span map(Span span) const { return {map(span.begin), map(span.end)}; }

 private:
  OffsetMap(std::uint32_t base, std::vector<std::uint32_t> origin)
      : base_(base), origin_(std::move(origin)) {}
  std::uint32_t base_;
  std::vector<std::uint32_t> origin_;
};

// A decoded text and where each of its bytes came from.
struct DecodedText {
  std::string text;
  std::vector<std::uint32_t> origin;  // text.size() + 1 entries
};

// Decodes a JSON string token (with its quotes) that starts at file offset `base`.
// The token has already been validated by the parser; malformed escapes decode as-is.
DecodedText decode_json_string(std::string_view token, std::uint32_t base);

// `text`, a value read from the file's bytes in `span` by another decoder (a YAML block or
// quoted scalar), placed back on them: each byte at the next equal byte of the span within
// a short distance, else where the last one was.
DecodedText align_with_file(std::string_view text, std::string_view file_text, Span span);

// Percent-decodes (RFC 3986) `in`; `+` stays a plus sign, as IAM encodes policies.
// Returns false, and the offset of the bad escape in `bad_offset`, on a `%` that is not
// followed by two hex digits.
bool percent_decode(const DecodedText& in, DecodedText& out, std::uint32_t& bad_offset);

}  // namespace grantlint::json
