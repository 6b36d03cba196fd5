// What a stage holds to report findings about one policy document: the sink, the file
// and where the document sits inside that file.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/placeholder.h"
#include "diag/diagnostic.h"

namespace grantlint {

class Emitter {
 public:
  Emitter(DiagnosticSink& sink, SourceId source, std::string document = {})
      : sink_(&sink), source_(source), document_(std::move(document)) {}

  void emit(const RuleMeta& rule, Span span, std::string pointer, std::string message,
            std::optional<Level> level = std::nullopt, std::vector<RelatedLocation> related = {}) {
    if (has_placeholder(message)) message = show_placeholders(message);
    message = clip_long_quotes(std::move(message));
    for (RelatedLocation& r : related) {
      if (has_placeholder(r.message)) r.message = show_placeholders(r.message);
    }
    sink_->report(Diagnostic{&rule, level.value_or(rule.level()), std::move(message), Location{source_, span},
                             std::move(pointer), document_, std::move(related), logical_});
  }

  // What every finding is about beside its place: the resource of a template or a plan that
  // holds the document.
  void about(LogicalLocation logical) { logical_.push_back(std::move(logical)); }

  [[nodiscard]] SourceId source() const { return source_; }
  [[nodiscard]] DiagnosticSink& sink() const { return *sink_; }
  [[nodiscard]] const std::string& document() const { return document_; }
  [[nodiscard]] Location at(Span span) const { return {source_, span}; }

 private:
  DiagnosticSink* sink_;
  SourceId source_;
  std::string document_;
  std::vector<LogicalLocation> logical_;
};

}  // namespace grantlint
