#include "input/yaml.h"

#include <fmt/format.h>
#include <yaml.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "json/parse.h"
#include "rules/registry.h"

namespace grantlint::input {

namespace {

using json::Member;
using json::Node;
using json::Type;

// Nodes an alias may copy in, all told: a few aliases of aliases must not build a tree of
// billions of nodes.
constexpr std::size_t kMaxNodes = 1'000'000;  // "a million" in messages

// libyaml counts characters; spans count bytes.
class Offsets {
 public:
  explicit Offsets(std::string_view text) {
    if (std::ranges::all_of(text, [](char c) { return static_cast<unsigned char>(c) < 0x80; })) return;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) byte_at_.push_back(static_cast<std::uint32_t>(i));
    }
    byte_at_.push_back(static_cast<std::uint32_t>(text.size()));
    size_ = static_cast<std::uint32_t>(text.size());
  }
  [[nodiscard]] std::uint32_t at(std::size_t character) const {
    if (byte_at_.empty()) return static_cast<std::uint32_t>(character);
    return character < byte_at_.size() ? byte_at_[character] : size_;
  }

 private:
  std::vector<std::uint32_t> byte_at_;  // empty for ASCII text, where they are the same
  std::uint32_t size_ = 0;
};

// A plain scalar as YAML's core schema reads it, the way CloudFormation turns YAML into JSON.
Type plain_type(std::string_view v) {
  if (v == "true" || v == "True" || v == "TRUE" || v == "false" || v == "False" || v == "FALSE") return Type::boolean;
  if (v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL") return Type::null;
  std::size_t i = (v.front() == '-' || v.front() == '+') ? 1 : 0;
  const std::size_t digits = i;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
  if (i == digits) return Type::string;
  // A leading zero (`012345678901`, an account id) stays a string: YAML 1.1 reads octal there.
  if (v[digits] == '0' && i - digits > 1) return Type::string;
  if (i < v.size() && v[i] == '.') {
    ++i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
  }
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    ++i;
    if (i < v.size() && (v[i] == '-' || v[i] == '+')) ++i;
    const std::size_t exponent = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    if (i == exponent) return Type::string;
  }
  return i == v.size() ? Type::number : Type::string;
}

// The long form of a CloudFormation short-form tag: `!Ref` → `Ref`, `!GetAtt` → `Fn::GetAtt`.
std::optional<std::string> long_form(std::string_view tag) {
  if (!tag.starts_with('!') || tag.starts_with("!!") || tag.size() < 2) return std::nullopt;
  const std::string_view name = tag.substr(1);
  if (name == "Ref" || name == "Condition") return std::string(name);
  return "Fn::" + std::string(name);
}

class Builder {
 public:
  Builder(std::string_view text, Emitter& emit) : text_(text), offsets_(text), emit_(emit) {}

  std::optional<Node> build() {
    yaml_parser_t parser;
    if (yaml_parser_initialize(&parser) == 0) return fail(0, "the YAML reader could not start (out of memory)");
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text_.data()), text_.size());
    std::optional<Node> result;
    bool done = false;
    while (!done) {
      yaml_event_t event;
      if (yaml_parser_parse(&parser, &event) == 0) {
        const std::string problem = parser.problem != nullptr ? parser.problem : "unreadable YAML";
        const std::string context = parser.context != nullptr ? fmt::format(" {}", parser.context) : "";
        if (parser.error == YAML_READER_ERROR) {  // bad bytes: libyaml gives a byte offset, not a mark
          syntax_error_at_byte(parser.problem_offset, fmt::format("invalid YAML: {}", problem));
        } else {
          syntax_error(parser.problem_mark.index, fmt::format("invalid YAML: {}{}", problem, context));
        }
        break;
      }
      done = !handle(event);
      if (event.type == YAML_STREAM_END_EVENT) done = true;
      yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    if (!failed_ && !root_) syntax_error(0, "the file holds no YAML document");
    if (!failed_ && root_) result = std::move(root_);
    return result;
  }

 private:
  struct Frame {
    Node node;
    bool flow = false;
    std::string anchor;
    std::optional<std::string> wrap;  // the long form of its short-form tag
    Span tag_span;
    bool has_key = false;
    Member pending;  // mappings: the key read, waiting for its value
  };

  std::nullopt_t fail(std::size_t character, std::string message) {
    syntax_error(character, std::move(message));
    return std::nullopt;
  }

  void syntax_error(std::size_t character, std::string message) {
    syntax_error_at_byte(offsets_.at(character), std::move(message));
  }

  void syntax_error_at_byte(std::size_t byte, std::string message) {
    if (failed_) return;
    failed_ = true;
    const auto at = static_cast<std::uint32_t>(std::min(byte, text_.size()));
    const std::uint32_t end = std::min<std::uint32_t>(at + 1, static_cast<std::uint32_t>(text_.size()));
    emit_.emit(rules::kInvalidYaml, Span{at, std::max(at, end)}, "", std::move(message));
  }

  Span span_of(const yaml_mark_t& begin, const yaml_mark_t& end) const {
    return Span{offsets_.at(begin.index), offsets_.at(end.index)};
  }

  // Returns false to stop reading.
  bool handle(const yaml_event_t& event) {
    switch (event.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (documents_++ == 1) {
          emit_.emit(rules::kInvalidYaml, span_of(event.start_mark, event.end_mark), "",
                     "the file holds a second YAML document; a template is one document, and only the first is "
                     "read");
          return false;
        }
        return true;
      case YAML_SCALAR_EVENT: return scalar(event);
      case YAML_ALIAS_EVENT: return alias(event);
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: return open(event);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: return close(event);
      default: return true;
    }
  }

  bool scalar(const yaml_event_t& event) {
    const auto& data = event.data.scalar;
    Node node;
    node.span = span_of(event.start_mark, event.end_mark);
    node.text.assign(reinterpret_cast<const char*>(data.value), data.length);
    const std::string_view tag = data.tag != nullptr ? reinterpret_cast<const char*>(data.tag) : "";
    const bool plain = data.style == YAML_PLAIN_SCALAR_STYLE && (tag.empty() || tag == "!");
    node.type = plain ? plain_type(node.text) : Type::string;
    if (node.type == Type::null) node.text = "null";
    if (node.type == Type::boolean) node.text = (node.text[0] == 't' || node.text[0] == 'T') ? "true" : "false";
    Frame wrapper;
    wrapper.wrap = long_form(tag);
    wrapper.tag_span = Span{node.span.begin, node.span.begin + static_cast<std::uint32_t>(tag.size())};
    return add(wrap(std::move(node), wrapper), anchor_of(data.anchor));
  }

  bool alias(const yaml_event_t& event) {
    const std::string name = reinterpret_cast<const char*>(event.data.alias.anchor);
    const auto it = anchors_.find(name);
    if (it == anchors_.end()) {
      syntax_error(event.start_mark.index, fmt::format("invalid YAML: the alias `*{}` names no anchor", name));
      return false;
    }
    const auto& [node, size, depth] = it->second;
    nodes_ += size;
    if (nodes_ > kMaxNodes || stack_.size() + depth > json::kMaxDepth) {
      syntax_error(
          event.start_mark.index,
          fmt::format("the alias `*{}` expands the document past a million values or {} levels; the file is not "
                      "analysed",
                      name, json::kMaxDepth));
      return false;
    }
    Node copy = node;
    copy.span = span_of(event.start_mark, event.end_mark);
    return add(std::move(copy), {});
  }

  bool open(const yaml_event_t& event) {
    const bool mapping = event.type == YAML_MAPPING_START_EVENT;
    if (stack_.size() >= json::kMaxDepth) {
      emit_.emit(rules::kNestingTooDeep, span_of(event.start_mark, event.end_mark), "",
                 fmt::format("YAML nested more than {} levels deep; the file is not analysed", json::kMaxDepth));
      failed_ = true;
      return false;
    }
    Frame frame;
    frame.node.type = mapping ? Type::object : Type::array;
    frame.node.span = span_of(event.start_mark, event.end_mark);
    const auto* tag_text = mapping ? event.data.mapping_start.tag : event.data.sequence_start.tag;
    const std::string_view tag = tag_text != nullptr ? reinterpret_cast<const char*>(tag_text) : "";
    frame.wrap = long_form(tag);
    frame.tag_span = Span{frame.node.span.begin, frame.node.span.begin + static_cast<std::uint32_t>(tag.size())};
    frame.flow = mapping ? event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                         : event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    frame.anchor = anchor_of(mapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor);
    // The span starts at the value, after its tag.
    if (!tag.empty()) {
      const std::size_t value = text_.find_first_not_of(" \t\r\n", frame.tag_span.end);
      if (value != std::string_view::npos) frame.node.span.begin = static_cast<std::uint32_t>(value);
    }
    stack_.push_back(std::move(frame));
    return true;
  }

  bool close(const yaml_event_t& event) {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    Node& node = frame.node;
    if (frame.flow) {
      node.span.end = offsets_.at(event.end_mark.index);
    } else {  // a block ends with its last value, not at the next line's indentation
      node.span.end = node.span.begin;
      if (!node.items.empty()) node.span.end = node.items.back().span.end;
      if (!node.members.empty()) node.span.end = node.members.back().value.span.end;
    }
    std::string anchor = std::move(frame.anchor);
    return add(wrap(std::move(node), frame), std::move(anchor));
  }

  static Node wrap(Node node, const Frame& frame) {
    if (!frame.wrap) return node;
    Node object;
    object.type = Type::object;
    object.span = Span{frame.tag_span.begin, std::max(frame.tag_span.end, node.span.end)};
    object.members.push_back(Member{*frame.wrap, frame.tag_span, std::move(node)});
    return object;
  }

  static std::string anchor_of(const yaml_char_t* anchor) {
    return anchor != nullptr ? reinterpret_cast<const char*>(anchor) : "";
  }

  static std::size_t depth_of(const Node& node) {
    std::size_t deepest = 0;
    for (const Node& item : node.items) deepest = std::max(deepest, depth_of(item));
    for (const Member& member : node.members) deepest = std::max(deepest, depth_of(member.value));
    return deepest + 1;
  }

  static std::size_t size_of(const Node& node) {
    std::size_t size = 1;
    for (const Node& item : node.items) size += size_of(item);
    for (const Member& member : node.members) size += size_of(member.value);
    return size;
  }

  bool add(Node node, std::string anchor) {
    if (++nodes_ > kMaxNodes) {
      syntax_error(node.span.begin, "the document holds more than a million values; it is not analysed");
      return false;
    }
    if (!anchor.empty()) anchors_[anchor] = Anchored{node, size_of(node), depth_of(node)};
    if (stack_.empty()) {
      root_ = std::move(node);
      return true;
    }
    Frame& top = stack_.back();
    if (top.node.is(Type::array)) {
      top.node.items.push_back(std::move(node));
      return true;
    }
    if (!top.has_key) {
      if (node.is(Type::object) || node.is(Type::array)) {
        syntax_error(node.span.begin, "a mapping key is a mapping or a sequence; templates use plain keys");
        return false;
      }
      top.has_key = true;
      top.pending.key = std::move(node.text);
      top.pending.key_span = node.span;
      return true;
    }
    top.has_key = false;
    top.pending.value = std::move(node);
    for (const Member& earlier : top.node.members) {
      if (earlier.key != top.pending.key) continue;
      emit_.emit(
          rules::kDuplicateKey, top.pending.key_span, "",
          fmt::format("duplicate key `{}`: YAML forbids it and CloudFormation rejects the template", top.pending.key),
          std::nullopt, {RelatedLocation{emit_.at(earlier.key_span), "first defined here"}});
      break;
    }
    top.node.members.push_back(std::move(top.pending));
    top.pending = Member{};
    return true;
  }

  struct Anchored {
    Node node;
    std::size_t size = 0;
    std::size_t depth = 0;
  };

  std::string_view text_;
  Offsets offsets_;
  Emitter& emit_;
  std::vector<Frame> stack_;
  std::optional<Node> root_;
  std::map<std::string, Anchored> anchors_;
  std::size_t nodes_ = 0;
  int documents_ = 0;
  bool failed_ = false;
};

}  // namespace

std::optional<json::Node> parse_yaml(std::string_view text, Emitter& emit) { return Builder(text, emit).build(); }

bool looks_like_yaml(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '#') {
      const std::size_t newline = text.find('\n', i);
      if (newline == std::string_view::npos) return true;
      i = newline + 1;
    } else {
      return c != '{' && c != '[';
    }
  }
  return false;
}

}  // namespace grantlint::input
