// A policy held in a JSON string of a wrapper (a key policy in get-key-policy output, a
// URL-encoded document in get-policy-version output): decoded keeping every byte's
// origin, parsed, and reported against the escapes in the file.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string_view>

#include "diag/emitter.h"
#include "input/recognize.h"
#include "json/node.h"
#include "json/offset_map.h"
#include "json/parse.h"

namespace grantlint::input {

struct EmbeddedPolicy {
  simdjson::padded_string text;  // the decoded policy text
  json::OffsetMap map;           // decoded offsets → file offsets
  json::Node root;               // spans already in the file
};

// A policy string's text as IAM reads it: percent-decoded when it looks URL-encoded (its first
// byte past white space is `%`, as the API returns documents). False, with the file offset of
// the bad escape in `bad`, on a `%` not followed by two hex digits.
bool url_decode_policy(json::DecodedText& text, std::uint32_t& bad);

// `slot.node` must be a string. Problems (a bad `%` escape, an empty string, JSON syntax)
// are reported through `emit`; nullopt then.
std::optional<EmbeddedPolicy> parse_embedded(std::string_view file_text, const PolicySlot& slot, json::Parser& parser,
                                             Emitter& emit);

}  // namespace grantlint::input
