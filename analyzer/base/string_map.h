// A hash map keyed by strings that is searched with a string_view, without building a
// string for every lookup.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace grantlint {

struct StringViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
};

template <class Value>
using StringMap = std::unordered_map<std::string, Value, StringViewHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringViewHash, std::equal_to<>>;

}  // namespace grantlint
