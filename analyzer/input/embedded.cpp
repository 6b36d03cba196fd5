#include "input/embedded.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "base/utf8.h"
#include "rules/registry.h"

namespace grantlint::input {

namespace {

bool looks_url_encoded(std::string_view text) {
  const auto first = text.find_first_not_of(kJsonSpace);
  return first != std::string_view::npos && text[first] == '%';
}

// Bytes no JSON string may hold that the policy's text has as the file has them (raw, not
// from an escape): the file's parse reported each and read it as `_`, and so does this one,
// without reporting it again (h45 low 13: two JSON001 for one byte of a key policy).
void replace_bytes_the_file_reported(std::string_view file_text, json::DecodedText& decoded) {
  std::string& text = decoded.text;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    bool bad = c < 0x20 && c != '\n' && c != '\r';
    if (c >= 0x80) {
      const CodePoint point = decode_utf8(text, i);
      bad = !point.valid;
      length = point.length;
    }
    const std::uint32_t origin = decoded.origin[i];
    if (bad && origin < file_text.size() && file_text[origin] == text[i]) text[i] = '_';
    i += length - 1;
  }
}

}  // namespace

bool url_decode_policy(json::DecodedText& text, std::uint32_t& bad) {
  if (!looks_url_encoded(text.text)) return true;
  json::DecodedText url_decoded;
  if (!json::percent_decode(text, url_decoded, bad)) return false;
  text = std::move(url_decoded);
  return true;
}

std::optional<EmbeddedPolicy> parse_embedded(std::string_view file_text, const PolicySlot& slot, json::Parser& parser,
                                             Emitter& emit) {
  const Span span = slot.node->span;
  json::DecodedText decoded = slot.string_not_token
                                  ? json::align_with_file(slot.node->text, file_text, span)
                                  : json::decode_json_string(file_text.substr(span.begin, span.size()), span.begin);
  if (std::uint32_t bad = 0; !url_decode_policy(decoded, bad)) {
    emit.emit(rules::kEmbeddedPolicy, Span{bad, std::min(bad + 3, span.end)}, "",
              fmt::format("the URL-encoded policy in `{}` has a `%` not followed by two hex digits",
                          slot.pointer.substr(1)));
    return std::nullopt;
  }
  if (decoded.text.find_first_not_of(kJsonSpace) == std::string::npos) {
    emit.emit(rules::kEmbeddedPolicy, span, "",
              fmt::format("`{}` holds an empty string, not a policy", slot.pointer.substr(1)));
    return std::nullopt;
  }
  replace_bytes_the_file_reported(file_text, decoded);
  simdjson::padded_string padded(decoded.text);
  auto map = json::OffsetMap::table(std::move(decoded.origin));
  auto root = parser.parse(std::string_view(padded.data(), padded.size()), map, emit, {}, json::ParseUnit::policy);
  if (!root) return std::nullopt;
  return EmbeddedPolicy{std::move(padded), std::move(map), std::move(*root)};
}

}  // namespace grantlint::input
