// RFC 6901 JSON Pointers, for naming the element a finding is about.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "json/node.h"

namespace grantlint::json {

// `base` + "/" + the escaped token (`~` → `~0`, `/` → `~1`).
std::string pointer_append(std::string_view base, std::string_view token);
std::string pointer_append(std::string_view base, std::size_t index);

// The child of `node` that one pointer token names, escaped as written (`a~1b` is the key
// `a/b`; `3` the fourth item of an array), or nullptr.
const Node* pointer_child(const Node& node, std::string_view token);

// The node `pointer` names under `root` (the first member of a duplicated key), or nullptr.
const Node* find_pointer(const Node& root, std::string_view pointer);

// The pointer under `root` of the deepest node of this span, or nullopt: where a value of a
// tree built from `root` (a template's policy with its functions resolved, whose values keep
// their spans, a function's value the function's) is written.
std::optional<std::string> pointer_of_span(const Node& root, Span span);

}  // namespace grantlint::json
