#include "input/yaml.h"

#include <fmt/format.h>
#include <yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/placeholder.h"
#include "base/strings.h"
#include "base/utf8.h"
#include "json/parse.h"
#include "rules/registry.h"

namespace grantlint::input {

namespace {

using json::Member;
using json::Node;
using json::Type;

// Values and bytes of text the tree may hold, anchors' copies and aliases' expansions
// included: a few aliases of aliases, or of one large value, must not build a tree of
// billions of nodes or gigabytes of text. Templates are at most 1 MB.
constexpr std::size_t kMaxNodes = 1'000'000;  // "a million" in messages
constexpr std::size_t kMaxBytes = 64 << 20;   // beyond the file's own size; "64 MB" in messages
constexpr std::size_t kNodeBytes = 64;        // what a value costs besides its text

// libyaml counts characters; spans count bytes.
// libyaml reads the text after a byte order mark, which it does not count.
// The text is counted only as far as a mark asks, so that reading the first of many documents
// costs that document, not the file (each later document is read on its own, h46 M3).
class Offsets {
 public:
  Offsets(std::string_view text, std::uint32_t base) : text_(text), base_(base) {}
  [[nodiscard]] std::uint32_t at(std::size_t character) {
    if (character < ascii_) return base_ + static_cast<std::uint32_t>(character);
    if (byte_at_.empty()) {  // plain ASCII so far: characters are bytes
      while (scanned_ < text_.size() && ascii_ <= character && static_cast<unsigned char>(text_[scanned_]) < 0x80) {
        ++scanned_;
        ++ascii_;
      }
      if (character < ascii_) return base_ + static_cast<std::uint32_t>(character);
    }
    // Past the first byte outside ASCII: the byte of each character from there, as far as asked.
    const std::size_t index = character - ascii_;
    while (byte_at_.size() <= index && scanned_ < text_.size()) {
      if ((static_cast<unsigned char>(text_[scanned_]) & 0xC0) != 0x80) {
        byte_at_.push_back(static_cast<std::uint32_t>(scanned_));
      }
      ++scanned_;
    }
    return base_ + (index < byte_at_.size() ? byte_at_[index] : static_cast<std::uint32_t>(text_.size()));
  }

 private:
  std::string_view text_;
  std::uint32_t base_;
  std::size_t ascii_ = 0;               // the characters known to be ASCII bytes, from the start
  std::size_t scanned_ = 0;             // the bytes looked at
  std::vector<std::uint32_t> byte_at_;  // the byte of each character from ascii_ on
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
  Builder(std::string_view text, Emitter& emit, YamlSpent spent)
      : nodes_(spent.values),
        bytes_(spent.bytes),
        text_(text),
        body_(text.starts_with(kByteOrderMark) ? text.substr(kByteOrderMark.size()) : text),
        offsets_(body_, static_cast<std::uint32_t>(text.size() - body_.size())),
        emit_(emit) {}

  [[nodiscard]] YamlSpent spent() const { return YamlSpent{nodes_, bytes_}; }
  // Where a second document starts, when the file holds one (it is not read).
  [[nodiscard]] std::optional<Span> second_document() const { return second_document_; }

  std::optional<Node> build() {
    yaml_parser_t parser;
    if (yaml_parser_initialize(&parser) == 0) return fail(0, "the YAML reader could not start (out of memory)");
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(body_.data()), body_.size());
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);  // UTF-16 is not a template's encoding
    std::optional<Node> result;
    bool done = false;
    while (!done) {
      yaml_event_t event;
      if (yaml_parser_parse(&parser, &event) == 0) {
        const std::string problem = parser.problem != nullptr ? parser.problem : "unreadable YAML";
        const std::string context = parser.context != nullptr ? fmt::format(" {}", parser.context) : "";
        if (parser.error == YAML_READER_ERROR) {  // bad bytes: libyaml gives a byte offset, not a mark
          syntax_error_at_byte(offsets_.at(0) + parser.problem_offset, fmt::format("invalid YAML: {}", problem));
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
    Member pending;                                     // mappings: the key read, waiting for its value
    std::unordered_map<std::string, std::size_t> keys;  // mappings: each key's first member
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

  // The tag written at `at` (`!Ref`), as the source spells it: a `%TAG` directive may make the
  // resolved tag longer than the text.
  Span tag_at(std::uint32_t at) const {
    if (at >= text_.size() || text_[at] != '!') return Span{at, at};
    const std::size_t end = std::min(text_.size(), text_.find_first_of(" \t\r\n,[]{}", at));
    return Span{at, static_cast<std::uint32_t>(end)};
  }

  Span span_of(const yaml_mark_t& begin, const yaml_mark_t& end) const {
    return Span{offsets_.at(begin.index), offsets_.at(end.index)};
  }

  // Returns false to stop reading.
  bool handle(const yaml_event_t& event) {
    switch (event.type) {
      case YAML_DOCUMENT_START_EVENT:
        // An empty document before the template (`---`, a comment, `---`) holds nothing to read:
        // the next one is the file's.
        if (documents_ == 1 && root_ && root_->is(Type::null) && root_->span.size() == 0) {
          root_.reset();
          anchors_.clear();  // an alias names an anchor of its own document
          return true;
        }
        if (documents_++ == 1) {
          second_document_ = span_of(event.start_mark, event.end_mark);
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
    neutralize_placeholder_markers(node.text);
    const std::string_view tag = data.tag != nullptr ? reinterpret_cast<const char*>(data.tag) : "";
    const bool plain = data.style == YAML_PLAIN_SCALAR_STYLE && (tag.empty() || tag == "!");
    if (node.text == "<<" && (data.style != YAML_PLAIN_SCALAR_STYLE || !tag.empty())) {
      ordinary_merge_keys_.insert(node.span.begin);
    }
    node.type = plain ? plain_type(node.text) : Type::string;
    if (node.type == Type::null) node.text = "null";
    if (node.type == Type::boolean) node.text = (node.text[0] == 't' || node.text[0] == 'T') ? "true" : "false";
    const Span tag_span = tag_at(node.span.begin);
    return add(wrap(std::move(node), long_form(tag), tag_span), anchor_of(data.anchor));
  }

  bool alias(const yaml_event_t& event) {
    const std::string name = reinterpret_cast<const char*>(event.data.alias.anchor);
    const auto it = anchors_.find(name);
    if (it == anchors_.end()) {
      // `a: &x [*x]`: the anchor's node is still open, so the alias would hold itself.
      const bool inside = std::ranges::any_of(stack_, [&](const Frame& frame) { return frame.anchor == name; });
      syntax_error(event.start_mark.index,
                   inside ? fmt::format("invalid YAML: the alias `*{0}` is inside the node `&{0}` names, which "
                                        "would hold itself",
                                        name)
                          : fmt::format("invalid YAML: the alias `*{}` names no anchor", name));
      return false;
    }
    const auto& [node, size, depth] = it->second;
    // add() counts the copy's own node: the alias counts what lies below it.
    const Size below{size.nodes - 1, size.bytes - (kNodeBytes + node.text.size())};
    if (!spend(below) || stack_.size() + depth > json::kMaxDepth) {
      syntax_error(
          event.start_mark.index,
          fmt::format(
              "the alias `*{}` expands the document past a million values, 64 MB more than the file or {} levels; "
              "the file is not analysed",
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
    frame.tag_span = tag.empty() ? Span{frame.node.span.begin, frame.node.span.begin} : tag_at(frame.node.span.begin);
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
    if (node.is(Type::object) && !merge_keys(node)) return false;
    std::string anchor = std::move(frame.anchor);
    return add(wrap(std::move(node), frame.wrap, frame.tag_span), std::move(anchor));
  }

  // YAML 1.1's merge key, which `aws cloudformation package` and cfn-lint read: `<<: *base`
  // (or a list of them) adds the members of the mappings it names that the mapping does not
  // set itself; of a list, the first mapping that sets a key gives it. Merged members keep
  // their places in the file, at the anchor. Only a plain, untagged `<<` is the merge key
  // (`"<<"` is an ordinary key), and like PyYAML a merge of anything but mappings is refused.
  // Returns false to stop reading.
  bool merge_keys(Node& mapping) {
    const auto is_merge = [this](const Member& member) {
      return member.key == "<<" && !ordinary_merge_keys_.contains(member.key_span.begin);
    };
    if (std::ranges::none_of(mapping.members, is_merge)) return true;
    std::vector<Member> own;
    std::vector<Node> merged;
    for (Member& member : mapping.members) {
      if (!is_merge(member)) {
        own.push_back(std::move(member));
      } else if (member.value.is(Type::object)) {
        merged.push_back(std::move(member.value));
      } else if (member.value.is(Type::array) &&
                 std::ranges::all_of(member.value.items, [](const Node& item) { return item.is(Type::object); })) {
        for (Node& item : member.value.items) merged.push_back(std::move(item));
      } else {
        syntax_error_at_byte(member.value.span.begin,
                             fmt::format("invalid YAML: the merge key `<<` takes a mapping or a list of mappings "
                                         "(`<<: *base`), not {}",
                                         describe(member.value)));
        return false;
      }
    }
    std::unordered_set<std::string> set;
    for (const Member& member : own) set.insert(member.key);
    for (Node& source : merged) {
      for (Member& member : source.members) {
        if (set.insert(member.key).second) own.push_back(std::move(member));
      }
    }
    mapping.members = std::move(own);
    return true;
  }

  static std::string describe(const Node& value) {
    switch (value.type) {
      case Type::array: return "a list that holds something else";
      case Type::null: return "null";
      case Type::string: return fmt::format("the string `{}`", value.text);
      default: return fmt::format("`{}`", value.text);
    }
  }

  // `node` inside the long form of its short-form tag (`{"Fn::Sub": node}`), if it has one.
  static Node wrap(Node node, const std::optional<std::string>& long_name, Span tag_span) {
    if (!long_name) return node;
    Node object;
    object.type = Type::object;
    object.span = Span{tag_span.begin, std::max(tag_span.end, node.span.end)};
    object.members.push_back(Member{*long_name, tag_span, std::move(node)});
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

  struct Size {
    std::size_t nodes = 0;
    std::size_t bytes = 0;
  };

  static Size size_of(const Node& node) {
    Size size{1, kNodeBytes + node.text.size()};
    const auto add_size = [&](const Node& child, std::size_t key) {
      const Size inner = size_of(child);
      size.nodes += inner.nodes;
      size.bytes += inner.bytes + key;
    };
    for (const Node& item : node.items) add_size(item, 0);
    for (const Member& member : node.members) add_size(member.value, member.key.size());
    return size;
  }

  // Counts a copy of `size` against the budgets; false when they are spent.
  bool spend(const Size& size) {
    nodes_ += size.nodes;
    bytes_ += size.bytes;
    return nodes_ <= kMaxNodes && bytes_ <= text_.size() + kMaxBytes;
  }

  bool add(Node node, std::string anchor) {
    if (!spend(Size{1, kNodeBytes + node.text.size()})) {
      syntax_error_at_byte(
          node.span.begin,
          "the document holds more than a million values, or 64 MB more than the file; it is not analysed");
      return false;
    }
    if (!anchor.empty()) {
      // An anchor keeps a copy for its aliases, which counts as much as they will.
      const Size size = size_of(node);
      if (!spend(size)) {
        syntax_error_at_byte(
            node.span.begin,
            fmt::format("the anchor `&{}` copies the document past a million values, or 64 MB more than the file; it "
                        "is not analysed",
                        anchor));
        return false;
      }
      anchors_[anchor] = Anchored{node, size, depth_of(node)};
    }
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
    // The keys seen so far, by the index of their first member (a hash once the mapping is
    // large, so that a mapping of 100,000 keys is not quadratic).
    const auto [first, fresh] = top.keys.try_emplace(top.pending.key, top.node.members.size());
    if (!fresh) {
      emit_.emit(
          rules::kDuplicateKey, top.pending.key_span, "",
          fmt::format("duplicate key `{}`: YAML forbids it and CloudFormation rejects the template", top.pending.key),
          std::nullopt, {RelatedLocation{emit_.at(top.node.members[first->second].key_span), "first defined here"}});
    }
    top.node.members.push_back(std::move(top.pending));
    top.pending = Member{};
    return true;
  }

  struct Anchored {
    Node node;
    Size size;
    std::size_t depth = 0;
  };

  std::size_t nodes_ = 0;  // values built, copies included (kMaxNodes)
  std::size_t bytes_ = 0;  // and their bytes (kMaxBytes beyond the text)
  std::string_view text_;
  std::string_view body_;  // the text after a byte order mark
  mutable Offsets offsets_;  // counts the text lazily, as marks ask
  Emitter& emit_;
  std::vector<Frame> stack_;
  std::optional<Node> root_;
  std::map<std::string, Anchored> anchors_;
  std::unordered_set<std::uint32_t> ordinary_merge_keys_;  // where a quoted or tagged `<<` starts
  std::optional<Span> second_document_;
  int documents_ = 0;
  bool failed_ = false;
};

}  // namespace

std::optional<json::Node> parse_yaml(std::string_view text, Emitter& emit, std::optional<Span>* second_document,
                                     YamlSpent* spent) {
  // A template saved as UTF-16 (Windows PowerShell 5's default) is said to be one, as a policy is.
  if (const auto wide = wide_encoding(text)) {
    emit.emit(rules::kInvalidYaml, Span{0, static_cast<std::uint32_t>(std::max(wide->mark, wide->unit))}, "",
              wide->not_utf8_message("file", "CloudFormation reads YAML templates as UTF-8"));
    return std::nullopt;
  }
  Builder builder(text, emit, spent != nullptr ? *spent : YamlSpent{});
  auto root = builder.build();
  if (second_document != nullptr) *second_document = builder.second_document();
  if (spent != nullptr) *spent = builder.spent();
  return root;
}

bool looks_like_yaml(std::string_view text) {
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
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

namespace {

// Whether `text` has a `Resources` key: the word, quoted or not, then spaces and a `:`.
bool names_resources_key(std::string_view text) {
  constexpr std::string_view kWord = "Resources";
  for (std::size_t at = text.find(kWord); at != std::string_view::npos; at = text.find(kWord, at + 1)) {
    std::size_t next = at + kWord.size();
    if (next < text.size() && (text[next] == '"' || text[next] == '\'')) ++next;
    while (next < text.size() && (text[next] == ' ' || text[next] == '\t')) ++next;
    if (next < text.size() && text[next] == ':') return true;
  }
  return false;
}

}  // namespace

bool is_yaml_file(std::string_view path, std::string_view text) {
  std::filesystem::path name(path);
  if (iequals(name.extension().string(), ".gz")) name = name.stem();
  const std::string extension = ascii_lower(name.extension().string());
  if (extension == ".yaml" || extension == ".yml") return true;
  // Standard input without a name (`<stdin>`, as cli.cpp names it) is a YAML template when it
  // reads like one; a JSON policy starts with `{`.
  if (path == "<stdin>") {
    return looks_like_yaml(text) && (text.find("AWSTemplateFormatVersion") != std::string_view::npos ||
                                     names_resources_key(text));
  }
  return extension == ".template" && looks_like_yaml(text);
}

}  // namespace grantlint::input
