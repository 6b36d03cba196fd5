// gzip-compressed inputs (`export.json.gz`): read whole, as if the file held the decompressed
// bytes; findings then point at lines of the decompressed text.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace grantlint {

// Whether `bytes` start with gzip's magic number.
bool is_gzip(std::string_view bytes);

// The decompressed bytes of every gzip member in `compressed` (concatenated members, as `cat
// a.gz b.gz` makes, are one stream). A corrupt or truncated stream, trailing bytes that are
// not gzip, or more than `limit` decompressed bytes is an error naming `name`.
Result<std::string> gunzip(std::string_view compressed, std::string_view name, std::size_t limit);

}  // namespace grantlint
