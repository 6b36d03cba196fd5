#include "report/region.h"

namespace grantlint::report {

void write_region(JsonWriter& w, const SourceFile& file, Span span) {
  const LineIndex& lines = file.lines();
  const LineColumn start = lines.locate(span.begin);
  const LineColumn end = lines.locate(span.end);
  w.key("region").begin_object();
  w.field("startLine", start.line).field("startColumn", start.column);
  w.field("endLine", end.line).field("endColumn", end.column);
  w.field("byteOffset", span.begin).field("byteLength", span.size());
  w.end_object();
}

void write_logical_locations(JsonWriter& w, const std::vector<LogicalLocation>& locations) {
  if (locations.empty()) return;
  w.key("logicalLocations").begin_array();
  for (const LogicalLocation& logical : locations) {
    w.begin_object().field("name", logical.name).field("fullyQualifiedName", logical.fully_qualified_name);
    w.field("kind", logical.kind).end_object();
  }
  w.end_array();
}

}  // namespace grantlint::report
