// Stage 1: bytes → json::Node with spans. Uses simdjson On-Demand; when simdjson rejects
// the input, the strict checker (syntax_check.h) says where and why. Syntax problems,
// a byte order mark, duplicate keys and excessive nesting are findings, never exceptions.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "diag/emitter.h"
#include "json/node.h"
#include "json/offset_map.h"

namespace grantlint::json {

inline constexpr std::uint32_t kMaxDepth = 256;

// What a parsed text is: a whole file, a part of an account export parsed on its own, or
// grantlint's own configuration file or baseline. Messages name it, and only a file has an
// encoding of its own; what AWS accepts does not apply to the configuration. A baseline is
// read as a policy is (its reader checks the encoding), and named as what it is.
enum class ParseUnit { file, element, policy, configuration, baseline };

// A member whose value a reader parses itself (see Parser::parse).
struct OpaqueMember {
  std::string_view key;
  std::uint32_t depth = 0;
};

class Parser {
 public:
  Parser();
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Parses a copy of `text` (so the bytes cannot change under simdjson, nor need padding).
  // Spans are mapped through `map` into the file `emit` reports against. Returns the
  // tree, or nullopt after reporting why there is none.
  // The object and array values of the members `opaque` names (by key and by the depth of
  // the value, the root being 1) are left unbuilt: their nodes have a type and a span only,
  // and what they hold is neither validated nor checked for duplicate keys. For readers that
  // parse those values on their own later (the policy documents of an account export). An
  // object that holds such a member twice is built whole, so that both values are checked.
  std::optional<Node> parse(std::string_view text, const OffsetMap& map, Emitter& emit,
                            std::span<const OpaqueMember> opaque = {}, ParseUnit unit = ParseUnit::file);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace grantlint::json
