// Why a file given to `scan` holds no export at all, when its bytes tell: read as it was, its
// first key could be nothing, so saying which key is missing would not help.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace grantlint::account {

// The message for a file whose text (what gunzip gave, when `decompressed`) is empty or only
// white space, gzip data once more (compressed twice), or zlib data (which gunzip does not
// read); nullopt for any other file.
std::optional<std::string> not_an_export_because(std::string_view text, bool decompressed);

}  // namespace grantlint::account
