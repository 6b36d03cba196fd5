// A tree written back as minified JSON, each byte placed on the value or key it came from:
// what AWS receives for a policy read from YAML, for the checks that read a policy's text
// (its characters and its size without white space).
#pragma once

#include <string_view>

#include "json/node.h"
#include "json/offset_map.h"

namespace grantlint::json {

// `file_text` is the file the tree was read from: each byte of a string is then placed on its
// own byte there, not on the string's start.
DecodedText minified(const Node& node, std::string_view file_text = {});

}  // namespace grantlint::json
