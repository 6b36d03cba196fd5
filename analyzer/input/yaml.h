// YAML (CloudFormation templates) read into the same tree as JSON, every value and key with
// its byte span in the file. CloudFormation's short forms become their long forms
// (`!Ref X` is `{"Ref": "X"}`, `!Sub s` is `{"Fn::Sub": s}`), so that one resolver reads
// both. Plain scalars that YAML reads as booleans, numbers or null become those JSON types.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "diag/emitter.h"
#include "json/node.h"

namespace grantlint::input {

// Problems (syntax, aliases that expand too far, nesting deeper than json::kMaxDepth,
// duplicate keys) are reported through `emit`; nullopt when there is no tree. Only the
// first document is read; where a second one starts goes to `second_document` (a template
// is one document, but a Kubernetes file of several is no error of its own).
// With `spent`, the values and bytes a read may build count on from what it holds, and are
// added to it: documents read one by one share the budget one read has (README, Limits), so
// that many small alias bombs cost what one would (h47 H1).
struct YamlSpent {
  std::size_t values = 0;
  std::size_t bytes = 0;
};
std::optional<json::Node> parse_yaml(std::string_view text, Emitter& emit,
                                     std::optional<Span>* second_document = nullptr, YamlSpent* spent = nullptr);

// Whether a file's text is YAML rather than JSON: its first character other than white
// space, a byte order mark or a comment is not `{` or `[`.
bool looks_like_yaml(std::string_view text);

// Whether the file at `path` is read as YAML: by its name, `.yaml`, `.yml`, or a `.template`
// whose text looks_like_yaml, or unnamed standard input (`<stdin>`) that also names
// `Resources:`; a gzip-compressed file (read decompressed) by its name without `.gz`.
bool is_yaml_file(std::string_view path, std::string_view text);

}  // namespace grantlint::input
