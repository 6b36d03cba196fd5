#include "json/parse.h"

#include <algorithm>
#include <new>
#include <optional>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "base/placeholder.h"
#include "base/strings.h"
#include "base/utf8.h"
#include "json/pointer.h"
#include "json/skim.h"
#include "json/syntax_check.h"
#include "rules/registry.h"

namespace grantlint::json {

namespace od = simdjson::ondemand;

namespace {

// "Nested deeper than kMaxDepth" reuses simdjson's DEPTH_ERROR; TreeBuilder::too_deep_span()
// being set is what tells our limit from simdjson's own.
constexpr auto kTooDeep = simdjson::DEPTH_ERROR;

class TreeBuilder {
 public:
  TreeBuilder(std::string_view body, std::uint32_t shift, const OffsetMap& map, std::span<const OpaqueMember> opaque)
      : body_(body), shift_(shift), map_(map), opaque_(opaque) {}

  simdjson::error_code build_root(od::document& doc, Node& out) {
    doc_ = &doc;
    od::json_type type;
    if (auto e = doc.type().get(type)) return e;
    if (type == od::json_type::object || type == od::json_type::array) {
      od::value root;
      if (auto e = doc.get_value().get(root)) return e;
      return build(root, out, 1);
    }
    std::string_view token;
    if (auto e = doc.raw_json_token().get(token)) return e;
    root_is_scalar_ = true;
    root_scalar_end_ = static_cast<std::size_t>(trim_right(token).end() - body_.begin());
    return build_scalar(type, token, out, doc);
  }

  [[nodiscard]] Span too_deep_span() const { return too_deep_; }
  [[nodiscard]] bool root_is_scalar() const { return root_is_scalar_; }
  // An object held a member twice that was to be left unbuilt.
  [[nodiscard]] bool opaque_twice() const { return opaque_twice_; }
  [[nodiscard]] std::size_t root_scalar_end() const { return root_scalar_end_; }

 private:
  Span file_span(const char* begin, const char* end) const {
    return map_.map(Span{static_cast<std::uint32_t>(begin - body_.data()) + shift_,
                         static_cast<std::uint32_t>(end - body_.data()) + shift_});
  }

  static std::string_view trim_right(std::string_view token) {
    while (!token.empty() && is_json_space(token.back())) token.remove_suffix(1);
    return token;
  }

  // The end of a string whose first content byte is at `p` (just past the quote).
  const char* string_end(const char* p) const {
    const char* end = body_.data() + body_.size();
    while (p < end && *p != '"') p += (*p == '\\') ? 2 : 1;
    return std::min(p + 1, end);
  }

  // After a container has been iterated, simdjson stands on the next token; the
  // container ended at the last non-space byte before it.
  const char* container_end() {
    const char* next = nullptr;
    if (doc_->current_location().get(next) != simdjson::SUCCESS || next == nullptr) {
      next = body_.data() + body_.size();
    }
    while (next > body_.data() && is_json_space(next[-1])) --next;
    return next;
  }

  // Strings are unescaped (and their escapes validated) by simdjson; `source` is the
  // document for a root string, a value otherwise.
  template <class Source>
  static simdjson::error_code read_string(Source& source, Node& out) {
    std::string_view s;
    if (auto e = source.get_string().get(s)) return e;
    out.text.assign(s);
    neutralize_placeholder_markers(out.text);
    return simdjson::SUCCESS;
  }

  template <class Source>
  simdjson::error_code build_scalar(od::json_type type, std::string_view token, Node& out, Source& source) {
    token = trim_right(token);
    out.span = file_span(token.data(), token.data() + token.size());
    switch (type) {
      case od::json_type::string:
        out.type = Type::string;
        return read_string(source, out);
      // Literals are checked on their token: simdjson 3.0's document-level get_bool() and
      // is_null() reject a root `true` or `null` followed by white space.
      case od::json_type::boolean:
        out.type = Type::boolean;
        out.text.assign(token);
        return token == "true" || token == "false" ? simdjson::SUCCESS : simdjson::T_ATOM_ERROR;
      case od::json_type::null:
        out.type = Type::null;
        out.text = "null";
        return token == "null" ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
      case od::json_type::number:
        out.type = Type::number;
        if (!is_json_number(token)) return simdjson::NUMBER_ERROR;
        out.text.assign(token);
        return simdjson::SUCCESS;
      default: return simdjson::INCORRECT_TYPE;
    }
  }

  simdjson::error_code build(od::value& v, Node& out, std::uint32_t depth) {
    od::json_type type;
    if (auto e = v.type().get(type)) return e;
    const std::string_view token = v.raw_json_token();
    if (type == od::json_type::object) {
      if (depth > kMaxDepth) return too_deep(token);
      out.type = Type::object;
      od::object object;
      if (auto e = v.get_object().get(object)) return e;
      for (auto field_result : object) {
        od::field field;
        if (auto e = std::move(field_result).get(field)) return e;
        const char* key_raw = field.key().raw();
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return e;
        Member member;
        member.key.assign(key);
        neutralize_placeholder_markers(member.key);
        member.key_span = file_span(key_raw - 1, string_end(key_raw));
        if (is_opaque(member.key, depth + 1)) {
          if (std::ranges::any_of(out.members, [&](const Member& m) { return m.key == member.key; })) {
            opaque_twice_ = true;  // parsed again, whole
            return simdjson::UNEXPECTED_ERROR;
          }
          bool unbuilt = false;
          if (auto e = leave_unbuilt(field.value(), member.value, unbuilt)) return e;
          if (unbuilt) {
            out.members.push_back(std::move(member));
            continue;
          }
        }
        if (auto e = build(field.value(), member.value, depth + 1)) return e;
        out.members.push_back(std::move(member));
      }
      out.span = file_span(token.data(), container_end());
      return simdjson::SUCCESS;
    }
    if (type == od::json_type::array) {
      if (depth > kMaxDepth) return too_deep(token);
      out.type = Type::array;
      od::array array;
      if (auto e = v.get_array().get(array)) return e;
      for (auto element_result : array) {
        od::value element;
        if (auto e = std::move(element_result).get(element)) return e;
        Node item;
        if (auto e = build(element, item, depth + 1)) return e;
        out.items.push_back(std::move(item));
      }
      out.span = file_span(token.data(), container_end());
      return simdjson::SUCCESS;
    }
    return build_scalar(type, token, out, v);
  }

  bool is_opaque(std::string_view key, std::uint32_t depth) const {
    return std::ranges::any_of(opaque_, [&](const OpaqueMember& m) { return m.depth == depth && m.key == key; });
  }

  // An object or array gets its type and its extent (from its brackets and quotes) and is left
  // for simdjson to skip; `unbuilt` says whether it was. Strings are built: simdjson checks
  // their escapes as it unescapes them.
  simdjson::error_code leave_unbuilt(od::value v, Node& out, bool& unbuilt) {
    od::json_type type;
    if (auto e = v.type().get(type)) return e;
    if (type != od::json_type::object && type != od::json_type::array) return simdjson::SUCCESS;
    const std::string_view token = v.raw_json_token();
    const auto begin = static_cast<std::size_t>(token.data() - body_.data());
    const auto end = skim_value(body_, begin);
    if (!end) return simdjson::TAPE_ERROR;  // the brackets do not pair up: the strict checker says where
    out.type = type == od::json_type::object ? Type::object : Type::array;
    out.span = file_span(token.data(), body_.data() + *end);
    unbuilt = true;
    return simdjson::SUCCESS;
  }

  simdjson::error_code too_deep(std::string_view token) {
    too_deep_ = file_span(token.data(), token.data() + 1);
    return kTooDeep;
  }

  std::string_view body_;
  std::uint32_t shift_;
  const OffsetMap& map_;
  std::span<const OpaqueMember> opaque_;
  od::document* doc_ = nullptr;
  Span too_deep_{};
  bool root_is_scalar_ = false;
  bool opaque_twice_ = false;
  std::size_t root_scalar_end_ = 0;
};

// The way from the root to a node: member keys, or array indexes where `key` is null. It
// becomes a JSON pointer only for a finding; most documents have none.
struct PathStep {
  const std::string* key = nullptr;
  std::size_t index = 0;
};

std::string pointer_of(const std::vector<PathStep>& path) {
  std::string out;
  for (const PathStep& step : path) {
    out = step.key != nullptr ? pointer_append(out, *step.key) : pointer_append(out, step.index);
  }
  return out;
}

bool is_container(const Node& node) { return node.type == Type::object || node.type == Type::array; }

// Duplicate keys found in one parse. Past kMaxListed they are counted, not listed: a hostile
// file of 100,000 repeated keys would otherwise make a report of tens of megabytes.
struct Duplicates {
  static constexpr std::size_t kMaxListed = 1000;
  Emitter& emit;
  std::size_t found = 0;
  Span first_unlisted;
  bool configuration = false;  // grantlint reads its own configuration, at the first occurrence
};

void report_duplicates(const Node& node, std::vector<PathStep>& path, Duplicates& duplicates) {
  Emitter& emit = duplicates.emit;
  if (node.type == Type::array) {
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      if (!is_container(node.items[i])) continue;
      path.push_back(PathStep{nullptr, i});
      report_duplicates(node.items[i], path, duplicates);
      path.pop_back();
    }
    return;
  }
  if (node.type != Type::object) return;
  const auto& members = node.members;
  auto report = [&](const Member& first, const Member& again) {
    if (++duplicates.found > Duplicates::kMaxListed) {
      if (duplicates.found == Duplicates::kMaxListed + 1) duplicates.first_unlisted = again.key_span;
      return;
    }
    emit.emit(rules::kDuplicateKey, again.key_span, pointer_append(pointer_of(path), again.key),
              duplicates.configuration
                  ? fmt::format("duplicate key `{}`: grantlint reads the first one, though most JSON parsers keep "
                                "only the last one",
                                again.key)
                  : fmt::format("duplicate key `{}`: most JSON parsers keep only the last one", again.key),
              std::nullopt, {RelatedLocation{emit.at(first.key_span), "first defined here"}});
  };
  if (members.size() <= 32) {
    for (std::size_t i = 1; i < members.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (members[j].key == members[i].key) {
          report(members[j], members[i]);
          break;
        }
      }
    }
  } else {
    std::unordered_map<std::string_view, std::size_t> first;
    first.reserve(members.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
      const auto [it, inserted] = first.emplace(members[i].key, i);
      if (!inserted) report(members[it->second], members[i]);
    }
  }
  for (const Member& member : members) {
    if (!is_container(member.value)) continue;
    path.push_back(PathStep{&member.key, 0});
    report_duplicates(member.value, path, duplicates);
    path.pop_back();
  }
}

// Where `body` writes a UTF-16 surrogate escape with no partner (`"\ud800"`): RFC 8259's grammar
// admits it, but it is no character, so strict readers (and this one) refuse it. Each is
// rewritten `\ufffd` in place (as long, so every span stays where it was) and its offset
// returned, so that one bad string does not lose the whole file. Linear: one walk of the strings.
std::vector<std::uint32_t> replace_unpaired_surrogates(std::string& copy, std::size_t body_size) {
  std::vector<std::uint32_t> replaced;
  const auto escape_at = [&](std::size_t at) {
    return at + 5 < body_size && copy[at] == '\\' && copy[at + 1] == 'u' ? parse_hex4(copy, at + 2) : -1;
  };
  bool in_string = false;
  for (std::size_t i = 0; i < body_size; ++i) {
    const char c = copy[i];
    if (c == '"') {
      in_string = !in_string;
      continue;
    }
    if (!in_string || c != '\\') continue;
    const long unit = escape_at(i);
    if (unit < 0) {
      ++i;  // another escape: its second byte is no quote
      continue;
    }
    const bool high = unit >= 0xD800 && unit <= 0xDBFF;
    const bool low = unit >= 0xDC00 && unit <= 0xDFFF;
    if (high) {
      const long next = escape_at(i + 6);
      if (next >= 0xDC00 && next <= 0xDFFF) {
        i += 11;  // a pair
        continue;
      }
    }
    if (high || low) {
      copy.replace(i, 6, "\\ufffd");
      replaced.push_back(static_cast<std::uint32_t>(i));
    }
    i += 5;
  }
  return replaced;
}

// A byte of a string that no JSON reader takes and that holds no structure: one that is not
// UTF-8, or a control character other than a line break (a line break in a string is most often
// a string never closed, whose error must stay where it is). Each is rewritten `_` in place (one
// byte for one, so every span stays where it was), so that a Latin-1 `é` in a tag does not lose
// the whole element (`_`, not `?`, which a policy's patterns take for any character); returned
// with the byte it was, to be put back if the text still does not parse. Linear: one walk of the strings.
// Past kMaxReplacedBytes the text is no text with a few stray bytes but binary, or in another
// encoding: nothing is replaced, and its first error is reported (its list would take 8 bytes a
// byte of a file up to 4 GiB).
struct ReplacedByte {
  std::uint32_t offset;
  unsigned char byte;
};
constexpr std::size_t kMaxReplacedBytes = 65536;
std::vector<ReplacedByte> replace_bad_string_bytes(std::string& copy, std::size_t body_size) {
  std::vector<ReplacedByte> replaced;
  const auto replace = [&](std::size_t i, unsigned char c) {
    replaced.push_back(ReplacedByte{static_cast<std::uint32_t>(i), c});
    copy[i] = '_';
    if (replaced.size() <= kMaxReplacedBytes) return true;
    for (const ReplacedByte& r : replaced) copy[r.offset] = static_cast<char>(r.byte);
    replaced.clear();
    return false;
  };
  const std::string_view body(copy.data(), body_size);
  bool in_string = false;
  for (std::size_t i = 0; i < body_size; ++i) {
    const auto c = static_cast<unsigned char>(copy[i]);
    if (c == '"') {
      in_string = !in_string;
      continue;
    }
    if (!in_string) continue;
    if (c == '\\') {
      ++i;  // an escape: its second byte is no quote
      continue;
    }
    if (c < 0x80) {
      if (c < 0x20 && c != '\n' && c != '\r' && !replace(i, c)) return replaced;
      continue;
    }
    const CodePoint point = decode_utf8(body, i);
    if (point.valid) {
      i += point.length - 1;
      continue;
    }
    if (!replace(i, c)) return replaced;
  }
  return replaced;
}

// Who refuses what a string may not hold: AWS a policy, JSON grantlint's own files (h45 low 14).
std::string_view refused_by(std::string_view unit) {
  return unit == "configuration" || unit == "baseline" ? ", which JSON does not allow" : ", and AWS refuses it";
}

// One error for each surrogate replace_unpaired_surrogates rewrote, up to 100, then one that counts the rest.
void report_replaced_surrogates(std::string_view text, std::uint32_t shift, const OffsetMap& map,
                                const std::vector<std::uint32_t>& replaced, std::string_view unit, Emitter& emit) {
  constexpr std::size_t kMaxListed = 100;
  for (std::size_t i = 0; i < std::min(replaced.size(), kMaxListed); ++i) {
    emit.emit(rules::kInvalidJson, map.map(Span{replaced[i] + shift, replaced[i] + shift + 6}), "",
              fmt::format("unpaired UTF-16 surrogate `{}`: it is no character{}; the {} is read with U+FFFD in its "
                          "place",
                          text.substr(replaced[i] + shift, 6), refused_by(unit), unit));
  }
  if (replaced.size() > kMaxListed) {
    emit.emit(rules::kInvalidJson, map.map(Span{replaced[kMaxListed] + shift, replaced[kMaxListed] + shift + 6}), "",
              fmt::format("{} more unpaired UTF-16 surrogates in this {} are not listed ({} are); this is the "
                          "first of them",
                          replaced.size() - kMaxListed, unit, kMaxListed));
  }
}

// One error for each byte replace_bad_string_bytes rewrote, up to 100, then one that counts the rest.
void report_replaced_bytes(std::uint32_t shift, const OffsetMap& map, const std::vector<ReplacedByte>& replaced,
                           std::string_view unit, Emitter& emit) {
  constexpr std::size_t kMaxListed = 100;
  for (std::size_t i = 0; i < std::min(replaced.size(), kMaxListed); ++i) {
    const ReplacedByte& r = replaced[i];
    const std::string what = r.byte < 0x80 ? fmt::format("control character U+{:04X} must be escaped", r.byte)
                                           : fmt::format("invalid UTF-8 byte 0x{:02X}", r.byte);
    emit.emit(rules::kInvalidJson, map.map(Span{r.offset + shift, r.offset + shift + 1}), "",
              fmt::format("{} inside a string{}; the {} is read with `_` in its place", what, refused_by(unit), unit));
  }
  if (replaced.size() > kMaxListed) {
    const std::uint32_t at = replaced[kMaxListed].offset + shift;
    emit.emit(rules::kInvalidJson, map.map(Span{at, at + 1}), "",
              fmt::format("{} more bytes no JSON string may hold in this {} are not listed ({} are); this is the first "
                          "of them",
                          replaced.size() - kMaxListed, unit, kMaxListed));
  }
}

}  // namespace

struct Parser::Impl {
  od::parser parser;
  // The text being parsed, copied: a mapped file can change under the parser (another process
  // rewriting it), and simdjson must see the same bytes in both of its passes.
  std::string copy;
};

Parser::Parser() : impl_(std::make_unique<Impl>()) {}
Parser::~Parser() = default;

std::optional<Node> Parser::parse(std::string_view text, const OffsetMap& map, Emitter& emit,
                                  std::span<const OpaqueMember> opaque, ParseUnit unit_kind) {
  const bool configuration = unit_kind == ParseUnit::configuration;
  const bool whole_file = unit_kind == ParseUnit::file || configuration;
  const std::string_view unit = unit_kind == ParseUnit::file       ? "file"
                                : unit_kind == ParseUnit::element  ? "element"
                                : configuration                    ? "configuration"
                                : unit_kind == ParseUnit::baseline ? "baseline"
                                                                   : "policy";
  std::uint32_t shift = 0;
  if (text.starts_with(kByteOrderMark)) {
    constexpr auto kMark = static_cast<std::uint32_t>(kByteOrderMark.size());
    if (configuration) {
      emit.emit(rules::kUtf8Bom, map.map(Span{0, kMark}), "",
                "the configuration starts with a UTF-8 byte order mark: grantlint reads past it, but other JSON "
                "tools may not; save it without one",
                Level::note);
    } else {
      emit.emit(rules::kUtf8Bom, map.map(Span{0, kMark}), "",
                fmt::format("the {} starts with a UTF-8 byte order mark, which AWS does not accept as JSON",
                            emit.document().empty() ? "file" : "policy string"));
    }
    shift = kMark;
  }
  std::string& copy = impl_->copy;
  copy.reserve(text.size() - shift + simdjson::SIMDJSON_PADDING);  // else the padding doubles a large copy
  copy.assign(text.substr(shift));
  copy.append(simdjson::SIMDJSON_PADDING, '\0');
  const std::string_view body(copy.data(), copy.size() - simdjson::SIMDJSON_PADDING);

  Node root;
  std::optional<TreeBuilder> built;
  simdjson::error_code error = simdjson::SUCCESS;
  od::document doc;
  // Read again, if it does not parse, with unpaired surrogates as U+FFFD (each reported at once),
  // then with bytes no string may hold as `_` (reported only if the text then parses).
  std::vector<ReplacedByte> bytes_replaced;
  bool surrogates_tried = false;
  bool bytes_tried = false;
  while (true) {
    for (std::span<const OpaqueMember> unbuilt = opaque;; unbuilt = {}) {
      root = Node{};
      built.emplace(body, shift, map, unbuilt);
      error = impl_->parser.iterate(body.data(), body.size(), body.size() + simdjson::SIMDJSON_PADDING).get(doc);
      if (!error) error = built->build_root(doc, root);
      if (!error || !built->opaque_twice() || unbuilt.empty()) break;
    }
    if (!error && built->root_is_scalar()) {
      // A scalar root is read from its token alone; only white space may follow it.
      const auto rest = body.find_first_not_of(kJsonSpace, built->root_scalar_end());
      if (rest != std::string_view::npos) error = simdjson::TRAILING_CONTENT;
    } else if (!error) {
      // simdjson 3.0 has no document::at_end(); a location after the root means more tokens.
      const char* next = nullptr;
      if (doc.current_location().get(next) == simdjson::SUCCESS) error = simdjson::TRAILING_CONTENT;
    }
    if (!error || error == kTooDeep) break;
    if (!surrogates_tried) {
      surrogates_tried = true;
      // A string holding half a surrogate pair loses nothing else: each is an error, and the
      // text is read again with U+FFFD in its place.
      const std::vector<std::uint32_t> replaced = replace_unpaired_surrogates(copy, body.size());
      if (!replaced.empty()) {
        report_replaced_surrogates(text, shift, map, replaced, unit, emit);
        continue;
      }
    }
    if (!bytes_tried) {
      bytes_tried = true;
      bytes_replaced = replace_bad_string_bytes(copy, body.size());
      if (!bytes_replaced.empty()) continue;
    }
    break;
  }
  if (!bytes_replaced.empty()) {
    if (error) {
      // Still no JSON: its first error is told on the text as written.
      for (const ReplacedByte& r : bytes_replaced) copy[r.offset] = static_cast<char>(r.byte);
    } else {
      report_replaced_bytes(shift, map, bytes_replaced, unit, emit);
    }
  }
  const TreeBuilder& builder = *built;
  if (!error) {
    std::vector<PathStep> path;
    Duplicates duplicates{emit, 0, {}, configuration};
    report_duplicates(root, path, duplicates);
    if (duplicates.found > Duplicates::kMaxListed) {
      emit.emit(rules::kDuplicateKey, duplicates.first_unlisted, "",
                fmt::format("{} more duplicate keys in this {} are not listed ({} are); this is the first of them "
                            "in the order objects are read",
                            duplicates.found - Duplicates::kMaxListed, unit, Duplicates::kMaxListed));
    }
    return root;
  }

  if (error == kTooDeep && builder.too_deep_span().size() > 0) {
    emit.emit(rules::kNestingTooDeep, builder.too_deep_span(), "",
              fmt::format("JSON nested more than {} levels deep; the {} is not analysed", kMaxDepth, unit));
    return std::nullopt;
  }
  // Only a whole file has an encoding: NUL bytes in an element of an export or in a decoded
  // policy string are a syntax error like any other.
  const auto wide = whole_file ? wide_encoding(text) : std::nullopt;
  if (wide) {
    emit.emit(rules::kInvalidJson, map.map(Span{0, static_cast<std::uint32_t>(std::max(wide->mark, wide->unit))}), "",
              wide->not_utf8_message(unit, configuration ? "grantlint reads its configuration as UTF-8 JSON"
                                                         // a policy, a template, an AWS CLI answer (h47)
                                                         : "AWS and grantlint read JSON as UTF-8"));
    return std::nullopt;
  }
  if (whole_file && zero_filled(text)) {
    emit.emit(rules::kInvalidJson, map.map(Span{0, 1}), "",
              fmt::format("the {} holds only NUL bytes ({}): it was allocated and never written, or wiped; "
                          "restore it from its source",
                          unit, text.size()));
    return std::nullopt;
  }
  if (auto problem = find_syntax_error(body)) {
    const Span span = map.map(Span{problem->offset + shift, problem->offset + shift + problem->length});
    // Trailing content is easily taken for a harmless leftover: say that nothing was read.
    emit.emit(problem->trailing ? rules::kTrailingContent : rules::kInvalidJson, span, "",
              problem->trailing ? fmt::format("{}: the {} is not {} until it is removed", problem->message, unit,
                                              configuration || unit_kind == ParseUnit::baseline ? "read" : "analysed")
                                : std::move(problem->message));
    return std::nullopt;
  }
  // Memory ran out for simdjson's index: the file may well be valid, so this is no finding
  // about it but a failure of the run, which the containment around each file reports.
  if (error == simdjson::MEMALLOC) throw std::bad_alloc();
  // simdjson refused something the strict checker accepts (a limit of its own).
  emit.emit(rules::kInvalidJson, map.map(Span{shift, shift}), "",
            fmt::format("the JSON parser rejected the file: {}", simdjson::error_message(error)));
  return std::nullopt;
}

}  // namespace grantlint::json
