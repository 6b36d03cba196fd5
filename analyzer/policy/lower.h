// Stage 2: json::Node → policy::Document, checking the policy grammar of its kind.
// Problems are reported through the Emitter; nothing here throws or stops early.
#pragma once

#include <optional>
#include <string_view>

#include "diag/emitter.h"
#include "json/node.h"
#include "json/offset_map.h"
#include "policy/model.h"

namespace grantlint::policy {

// Lowers a parsed policy document of the given kind. Returns nullopt only when the root
// is not an object; otherwise a model holding every element that is well-formed.
std::optional<Document> lower(const json::Node& root, Kind kind, Emitter& emit);

// Checks the policy text itself: its size against the kind's quota (or the resource type's,
// when known) and, for IAM's own kinds, the characters IAM accepts. `map` maps text offsets
// into the file.
void check_policy_text(std::string_view text, const json::OffsetMap& map, Kind kind, Emitter& emit,
                       const ResourceType* resource_type = nullptr);

// Guesses the kind of a bare policy document from its statements: principals make it a
// resource policy, a trust policy (only sts:AssumeRole* and session actions) or a key
// policy (only kms: actions); no principal makes it an identity policy.
Kind detect_kind(const json::Node& root);

}  // namespace grantlint::policy
