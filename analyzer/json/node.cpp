#include "json/node.h"

#include "json/pointer.h"

#include <algorithm>
#include <unordered_set>

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

std::vector<const Member*> Node::first_members() const {
  std::vector<const Member*> out;
  std::unordered_set<std::string_view> seen;
  for (const Member& member : members) {
    if (seen.insert(member.key).second) out.push_back(&member);
  }
  return out;
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

const Node* pointer_child(const Node& node, std::string_view token) {
  if (node.is(Type::object)) {
    std::string key;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
        key += token[++i] == '0' ? '~' : '/';
      } else {
        key += token[i];
      }
    }
    return node.find(key);
  }
  if (!node.is(Type::array) || token.empty() || token.size() >= 10 ||
      token.find_first_not_of("0123456789") != std::string_view::npos) {
    return nullptr;
  }
  std::size_t index = 0;
  for (const char c : token) index = index * 10 + static_cast<std::size_t>(c - '0');
  return index < node.items.size() ? &node.items[index] : nullptr;
}

const Node* find_pointer(const Node& root, std::string_view pointer) {
  const Node* at = &root;
  while (!pointer.empty() && at != nullptr) {
    if (pointer.front() != '/') return nullptr;
    const std::size_t end = std::min(pointer.find('/', 1), pointer.size());
    at = pointer_child(*at, pointer.substr(1, end - 1));
    pointer.remove_prefix(end);
  }
  return at;
}

namespace {

// Depth first, so that the deepest of nested values sharing a span wins.
bool find_span(const Node& node, Span span, std::string& path) {
  const std::size_t length = path.size();
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    if (!(node.items[i].span.begin <= span.begin && span.end <= node.items[i].span.end)) continue;
    path = pointer_append(path, i);
    if (find_span(node.items[i], span, path)) return true;
    path.resize(length);
  }
  for (const Member& member : node.members) {
    if (!(member.value.span.begin <= span.begin && span.end <= member.value.span.end)) continue;
    path = pointer_append(path, member.key);
    if (find_span(member.value, span, path)) return true;
    path.resize(length);
  }
  return node.span == span;
}

}  // namespace

std::optional<std::string> pointer_of_span(const Node& root, Span span) {
  std::string path;
  if (!find_span(root, span, path)) return std::nullopt;
  return path;
}

void rewrite_strings(Node& node, const std::function<std::string(std::string)>& change) {
  if (node.is(Type::string)) node.text = change(std::move(node.text));
  for (Node& item : node.items) rewrite_strings(item, change);
  for (Member& member : node.members) rewrite_strings(member.value, change);
}

}  // namespace grantlint::json
