// Strict UTF-8 decoding (RFC 3629), shared by every stage that looks at characters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace grantlint {

// A UTF-8 byte order mark: no part of JSON or YAML text, though editors on Windows write one.
inline constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

struct CodePoint {
  std::uint32_t value = 0;   // the code point, or the lone byte when invalid
  std::uint32_t length = 1;  // bytes consumed: 1 for an invalid sequence
  bool valid = true;
};

// Decodes the character at text[offset] (offset < text.size()). Overlong forms, UTF-16
// surrogates, values past U+10FFFF and truncated sequences are invalid.
CodePoint decode_utf8(std::string_view text, std::size_t offset);

// Appends the UTF-8 encoding of a code point.
void append_utf8(std::string& out, std::uint32_t code_point);

// Moves `offset` back to the start of the character it falls in; a run of stray
// continuation bytes is not one character, so it moves back at most three bytes.
std::size_t utf8_floor(std::string_view text, std::size_t offset);

// Length of the run of plain ASCII bytes at the start of `text`: printable characters other
// than `"` and `\`, which need no decoding, no escaping and count one column each. Eight
// bytes at a time, so that the stages that walk whole files (line indexes, JSON reports)
// spend their time on the rare bytes that are not plain.
std::size_t plain_ascii_run(std::string_view text);
// The length of the run of ASCII bytes other than line breaks (CR, LF) at the start of `text`.
std::size_t ascii_line_run(std::string_view text);

// The same for ASCII text without control characters (bytes 0x20 to 0x7F): one column each
// in a line, whatever they are.
std::size_t ascii_text_run(std::string_view text);

// Text in a wide Unicode encoding, which a JSON reader of UTF-8 sees as NUL bytes and a
// stray 0xFF: how it was recognised, for a message that says what to do.
struct WideEncoding {
  std::string_view name;  // "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"
  std::size_t mark = 0;   // length of its byte order mark; 0 when told by NUL bytes alone
  std::size_t unit = 2;   // bytes per code unit
  // The name to give `iconv -f`. With a mark, plain `UTF-16` (or `UTF-32`) reads the byte
  // order from it and drops it; named with its byte order, iconv would keep the mark, and the
  // converted file would start with a UTF-8 one.
  [[nodiscard]] std::string_view iconv_name() const { return mark > 0 ? name.substr(0, 6) : name; }
  // "the file is UTF-16LE text, not UTF-8: `reads_as`; convert it, for example with `iconv ...`":
  // `subject` names what was read, `reads_as` who reads it as UTF-8.
  [[nodiscard]] std::string not_utf8_message(std::string_view subject, std::string_view reads_as) const;
};
// Recognises UTF-16 and UTF-32 by a byte order mark, or without one by ASCII text interleaved
// with NUL bytes (`{\0"\0`, as Windows PowerShell 5 writes files by default).
std::optional<WideEncoding> wide_encoding(std::string_view text);
// The ASCII characters of wide text (`text` recognised as `encoding`), others as `?`: enough to
// tell whether a file would be a policy once converted.
std::string narrow_ascii(std::string_view text, const WideEncoding& encoding);

// UTF-16 code units needed for a code point: 2 outside the Basic Multilingual Plane.
constexpr std::uint32_t utf16_units(std::uint32_t code_point) { return code_point >= 0x10000 ? 2 : 1; }

}  // namespace grantlint
