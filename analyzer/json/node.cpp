#include "json/node.h"

#include "json/pointer.h"

namespace grantlint::json {

std::string_view type_name(Type type) {
  switch (type) {
    case Type::null: return "null";
    case Type::boolean: return "a boolean";
    case Type::number: return "a number";
    case Type::string: return "a string";
    case Type::array: return "an array";
    case Type::object: return "an object";
  }
  return "a value";
}

const Node* Node::find(std::string_view key) const {
  for (const Member& member : members) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

std::string pointer_append(std::string_view base, std::string_view token) {
  std::string out(base);
  out.reserve(base.size() + token.size() + 1);
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_append(std::string_view base, std::size_t index) {
  return pointer_append(base, std::to_string(index));
}

void rewrite_strings(Node& node, const std::function<std::string(std::string)>& change) {
  if (node.is(Type::string)) node.text = change(std::move(node.text));
  for (Node& item : node.items) rewrite_strings(item, change);
  for (Member& member : node.members) rewrite_strings(member.value, change);
}

}  // namespace grantlint::json
