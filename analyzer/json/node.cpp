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

std::uint64_t span_key(Span span) { return (std::uint64_t{span.begin} << 32) | span.end; }

// Calls `visit(node, its pointer)` for every node under `node`, before its children (pre-order)
// or after them.
enum class Order : std::uint8_t { pre, post };
template <class Visit>
void visit_pointers(const Node& node, std::string& path, Order order, const Visit& visit) {
  if (order == Order::pre) visit(node, path);
  const std::size_t length = path.size();
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    path = pointer_append(path, i);
    visit_pointers(node.items[i], path, order, visit);
    path.resize(length);
  }
  for (const Member& member : node.members) {
    path = pointer_append(path, member.key);
    visit_pointers(member.value, path, order, visit);
    path.resize(length);
  }
  if (order == Order::post) visit(node, path);
}

}  // namespace

std::optional<std::string> WrittenPlaces::place(const std::string& pointer) {
  if (!indexed_) {
    std::string path;
    // Pre-order, so that the first of a duplicated key is kept (as find_pointer finds it).
    visit_pointers(resolved_, path, Order::pre,
                   [&](const Node& node, const std::string& at) { span_of_.try_emplace(at, node.span); });
    // Post-order, so that the deepest of nested values sharing a span is kept.
    visit_pointers(written_, path, Order::post,
                   [&](const Node& node, const std::string& at) { at_.try_emplace(span_key(node.span), at); });
    indexed_ = true;
  }
  const auto span = span_of_.find(pointer);
  if (span == span_of_.end()) return std::nullopt;
  const auto at = at_.find(span_key(span->second));
  if (at == at_.end()) return std::nullopt;
  return at->second;
}

void rewrite_strings(Node& node, const std::function<std::string(std::string)>& change) {
  if (node.is(Type::string)) node.text = change(std::move(node.text));
  for (Node& item : node.items) rewrite_strings(item, change);
  for (Member& member : node.members) rewrite_strings(member.value, change);
}

}  // namespace grantlint::json
