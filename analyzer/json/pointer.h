// RFC 6901 JSON Pointers, for naming the element a finding is about.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

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

// Where the values of a tree built from another (a template's policy with its functions
// resolved, whose values keep their spans, a function's value the function's) are written:
// the pointer under `written` of the deepest node with the span of the node `pointer` names
// under `resolved`. Each tree is walked once, on the first question (a policy of 80,000
// condition keys has as many findings; a search of the whole policy for each was quadratic).
// Both trees must outlive it.
class WrittenPlaces {
 public:
  WrittenPlaces(const Node& resolved, const Node& written) : resolved_(resolved), written_(written) {}
  [[nodiscard]] std::optional<std::string> place(const std::string& pointer);

 private:
  const Node& resolved_;
  const Node& written_;
  bool indexed_ = false;
  std::unordered_map<std::string, Span> span_of_;      // resolved: the first of a duplicated key
  std::unordered_map<std::uint64_t, std::string> at_;  // written, by span: the deepest node's pointer
};

}  // namespace grantlint::json
