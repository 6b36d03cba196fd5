// A tree written back as minified JSON, each byte placed on the value or key it came from:
// what AWS receives for a policy read from YAML, for the checks that read a policy's text
// (its characters and its size without white space).
#pragma once

#include "json/node.h"
#include "json/offset_map.h"

namespace grantlint::json {

DecodedText minified(const Node& node);

}  // namespace grantlint::json
