#include "json/serialize.h"

#include <fmt/format.h>

#include "base/placeholder.h"
#include "json/offset_map.h"

namespace grantlint::json {

namespace {

class Writer {
 public:
  explicit Writer(std::string_view file_text) : file_text_(file_text) {}

  DecodedText out;

  void value(const Node& node) {
    const std::uint32_t at = node.span.begin;
    switch (node.type) {
      // A template's placeholder as written, `${Name}`: its value is not known before deployment.
      case Type::string:
        string(has_placeholder(node.text) ? show_placeholders(node.text) : node.text, node.span);
        break;
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
          string(node.members[i].key, node.members[i].key_span);
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

  // Each byte of the string is placed on the file's byte it was read from (a YAML scalar is
  // decoded text, not the file's), so that a finding about one character points at it; without
  // the file's text, on the string's start.
  void string(std::string_view text, Span span) {
    const DecodedText placed =
        file_text_.empty() ? DecodedText{} : align_with_file(text, file_text_, span);
    const auto origin = [&](std::size_t i) { return placed.origin.empty() ? span.begin : placed.origin[i]; };
    put("\"", span.begin);
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '"' || c == '\\') {
        put(std::string{'\\', c}, origin(i));
      } else if (static_cast<unsigned char>(c) < 0x20) {
        put(fmt::format("\\u{:04x}", static_cast<unsigned char>(c)), origin(i));
      } else {
        put(std::string_view(&c, 1), origin(i));
      }
    }
    put("\"", placed.origin.empty() ? span.begin : placed.origin.back());
  }

  std::string_view file_text_;
};

}  // namespace

DecodedText minified(const Node& node, std::string_view file_text) {
  Writer writer(file_text);
  writer.value(node);
  writer.out.origin.push_back(node.span.end);
  return std::move(writer.out);
}

}  // namespace grantlint::json
