// gzip-compressed inputs (`export.json.gz`): read whole, as if the file held the decompressed
// bytes; findings then point at lines of the decompressed text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace grantlint {

// Whether `bytes` start with gzip's magic number.
bool is_gzip(std::string_view bytes);

// Whether `bytes` are gzip data behind a UTF-8 byte order mark, as a text tool (PowerShell's
// `Out-File`, an editor) writes a compressed file it took for text. No gzip reader accepts
// them, so they are read as gzip only to say so: as JSON they are binary noise.
bool is_gzip_behind_byte_order_mark(std::string_view bytes);

// Whether `bytes` are read through gunzip: gzip data, or gzip data behind a byte order mark.
inline bool reads_as_gzip(std::string_view bytes) { return is_gzip(bytes) || is_gzip_behind_byte_order_mark(bytes); }

// A stream that grows past kExpansionFloor bytes to more than kMaxExpansion times its size is
// a decompression bomb: exports compress about 15-fold, a megabyte of gzip holding a gigabyte
// of spaces a thousandfold, and the analysis takes several times the decompressed size.
inline constexpr std::size_t kExpansionFloor = std::size_t{64} << 20;
inline constexpr std::size_t kMaxExpansion = 200;

// The decompressed bytes of every gzip member in `compressed` (concatenated members, as `cat
// a.gz b.gz` makes, are one stream). A corrupt or truncated stream, trailing bytes that are
// not gzip, more than `limit` decompressed bytes, a decompression bomb, or gzip data behind a
// byte order mark is an error naming `name`. With `left_unread`, trailing bytes that are not
// gzip (a page appended uncompressed, junk) are not an error, as gzip(1) decompresses what
// precedes them: what was decompressed is given, and `*left_unread` says what was not read.
Result<std::string> gunzip(std::string_view compressed, std::string_view name, std::size_t limit,
                           std::string* left_unread = nullptr);

}  // namespace grantlint
