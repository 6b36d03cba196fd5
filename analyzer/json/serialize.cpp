#include "json/serialize.h"

#include <fmt/format.h>

#include "base/placeholder.h"

namespace grantlint::json {

namespace {

class Writer {
 public:
  DecodedText out;

  void value(const Node& node) {
    const std::uint32_t at = node.span.begin;
    switch (node.type) {
      // A template's placeholder as written, `${Name}`: its value is not known before deployment.
      case Type::string: string(has_placeholder(node.text) ? show_placeholders(node.text) : node.text, at); break;
      case Type::array:
        put("[", at);
        for (std::size_t i = 0; i < node.items.size(); ++i) {
          if (i > 0) put(",", at);
          value(node.items[i]);
        }
        put("]", at);
        break;
      case Type::object:
        put("{", at);
        for (std::size_t i = 0; i < node.members.size(); ++i) {
          if (i > 0) put(",", at);
          string(node.members[i].key, node.members[i].key_span.begin);
          put(":", at);
          value(node.members[i].value);
        }
        put("}", at);
        break;
      default: put(node.text, at);  // numbers, booleans and null as written
    }
  }

 private:
  void put(std::string_view text, std::uint32_t at) {
    out.text += text;
    out.origin.insert(out.origin.end(), text.size(), at);
  }

  void string(std::string_view text, std::uint32_t at) {
    put("\"", at);
    for (const char c : text) {
      if (c == '"' || c == '\\') {
        put(std::string{'\\', c}, at);
      } else if (static_cast<unsigned char>(c) < 0x20) {
        put(fmt::format("\\u{:04x}", static_cast<unsigned char>(c)), at);
      } else {
        put(std::string_view(&c, 1), at);
      }
    }
    put("\"", at);
  }
};

}  // namespace

DecodedText minified(const Node& node) {
  Writer writer;
  writer.value(node);
  writer.out.origin.push_back(node.span.end);
  return std::move(writer.out);
}

}  // namespace grantlint::json
