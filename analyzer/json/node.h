// A small owned JSON tree in which every value and key keeps its byte span in the file
// the user opened. Objects keep their members in order, duplicates included.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "source/span.h"

namespace grantlint::json {

enum class Type : std::uint8_t { null, boolean, number, string, array, object };

std::string_view type_name(Type type);  // "a string", "an array", ...

struct Member;

struct Node {
  Type type = Type::null;
  Span span;         // the whole value, quotes and brackets included
  std::string text;  // string: unescaped; number: as written; boolean: "true"/"false"; null: "null"
  std::vector<Node> items;      // array elements
  std::vector<Member> members;  // object members, in order

  [[nodiscard]] bool is(Type t) const { return type == t; }
  // The first member with this exact key, or nullptr.
  [[nodiscard]] const Node* find(std::string_view key) const;
  // The members, each key once: a repeated key's first occurrence, as find() reads it.
  [[nodiscard]] std::vector<const Member*> first_members() const;
  [[nodiscard]] Node* find(std::string_view key) {
    return const_cast<Node*>(static_cast<const Node&>(*this).find(key));  // the one lookup, for both
  }
};

struct Member {
  std::string key;  // unescaped
  Span key_span;    // the key with its quotes
  Node value;
};

// Applies `change` to every string value under `node` (not to keys).
void rewrite_strings(Node& node, const std::function<std::string(std::string)>& change);

}  // namespace grantlint::json
