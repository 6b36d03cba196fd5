// bytes → json::Node. Properties: the fast parser (simdjson) and the strict checker agree
// on whether the input is JSON; every span lies inside the input and nests in its parent;
// exactly one syntax finding when the input is rejected; skimming (json/skim.h, which cuts
// exports into elements) ends an object or array where the parser does, and stays inside
// the input on any other.
#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/properties.h"
#include "json/parse.h"
#include "json/skim.h"
#include "json/syntax_check.h"

namespace {

using grantlint::fuzz::require;

using grantlint::Span;
using grantlint::json::Node;

void check_spans(const Node& node, Span parent, std::uint32_t size) {
  require(node.span.begin <= node.span.end && node.span.end <= size);
  require(parent.begin <= node.span.begin && node.span.end <= parent.end);
  for (const Node& item : node.items) check_spans(item, node.span, size);
  for (const auto& member : node.members) {
    require(member.key_span.begin >= node.span.begin && member.key_span.end <= member.value.span.begin);
    check_spans(member.value, node.span, size);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 20) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const simdjson::padded_string padded(input);
  const std::string_view text(padded.data(), padded.size());
  grantlint::DiagnosticSink sink;
  grantlint::Emitter emit(sink, 0);
  grantlint::json::Parser parser;
  const auto root = parser.parse(text, grantlint::json::OffsetMap::shifted(0), emit);
  const bool bom = text.starts_with("\xEF\xBB\xBF");
  const auto problem = grantlint::json::find_syntax_error(bom ? text.substr(3) : text);
  const auto size32 = static_cast<std::uint32_t>(size);
  for (const auto& d : sink.unsorted()) {
    require(d.location.span.begin <= d.location.span.end && d.location.span.end <= size32);
  }
  const std::size_t first = grantlint::json::skip_space(input, bom ? 3 : 0);
  if (first < input.size()) {
    const auto skimmed = grantlint::json::skim_value(input, first);
    require((skimmed ? *skimmed : skimmed.error()) <= input.size());
    if (root && (root->is(grantlint::json::Type::object) || root->is(grantlint::json::Type::array))) {
      require(skimmed.has_value() && *skimmed == root->span.end);
    }
  }
  // Half a surrogate pair is an error the parser reads past, with U+FFFD in its place; so is a
  // byte no string may hold, with `_` in its place (reported only when the text then parses).
  std::size_t surrogates = 0;
  std::size_t bytes_replaced = 0;
  for (const auto& d : sink.unsorted()) {
    surrogates += d.message.find("unpaired UTF-16 surrogate") != std::string::npos ? 1u : 0u;
    bytes_replaced += d.message.find("read with `_` in its place") != std::string::npos ? 1u : 0u;
  }
  if (root) {
    require(!problem.has_value() || (problem->unpaired_surrogate && surrogates > 0) || bytes_replaced > 0);
    check_spans(*root, Span{0, size32}, size32);
  } else {
    bool too_deep = false;
    for (const auto& d : sink.unsorted()) too_deep = too_deep || d.rule->id == std::string_view("JSON005");
    require(problem.has_value() || too_deep);
    std::size_t syntax = 0;
    for (const auto& d : sink.unsorted()) {
      const std::string_view id = d.rule->id;
      syntax += (id == "JSON001" || id == "JSON003" || id == "JSON005") ? 1u : 0u;
    }
    require(syntax == surrogates + 1);
  }
  return 0;
}
