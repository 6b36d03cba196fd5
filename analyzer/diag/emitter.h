// What a stage holds to report findings about one policy document: the sink, the file
// and where the document sits inside that file.
#pragma once

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/placeholder.h"
#include "diag/diagnostic.h"

namespace grantlint {

// Findings of one rule kept for one policy document: past `keep`, the first left out is held
// and the others only counted, so that a hostile document (a million empty statements, three
// findings each) costs memory for what can be reported, not for each finding. Rules `counted`
// says no to (those whose findings are all listed) are kept whatever their number.
class FindingBudget {
 public:
  // `unit`: what the findings are counted in ("file"), when not each finding's own document.
  FindingBudget(std::size_t keep, bool (*counted)(const RuleMeta&), std::string_view unit = {})
      : keep_(keep), counted_(counted), unit_(unit) {}

  // Whether to report `d`; if not, it is held (the first of its rule) or counted.
  bool admit(Diagnostic& d) {
    if (!counted_(*d.rule)) return true;
    Count& count = counts_[d.rule];
    if (count.kept < keep_) {
      ++count.kept;
      return true;
    }
    if (count.left_out++ == 0) count.first_left_out = std::move(d);
    return false;
  }

  // Into `sink`: for each rule past its budget, the first finding left out, standing for all of them.
  void settle(DiagnosticSink& sink) {
    for (auto& [rule, count] : counts_) {
      if (count.left_out == 0) continue;
      Diagnostic& d = count.first_left_out;
      d.message = fmt::format(
          "{} more `{}` findings in this {} are not kept (the first {} are); this is the first of "
          "them",
          count.left_out, rule->id,
          !unit_.empty()       ? unit_
          : d.document.empty() ? "file"
                               : "policy",
          keep_);
      d.related.clear();
      d.stands_for = count.left_out;
      sink.report(std::move(d));
      count.left_out = 0;
    }
  }

 private:
  struct Count {
    std::size_t kept = 0;
    std::size_t left_out = 0;
    Diagnostic first_left_out;
  };
  std::size_t keep_;
  bool (*counted_)(const RuleMeta&);
  std::string_view unit_;
  std::map<const RuleMeta*, Count> counts_;
};

class Emitter {
 public:
  Emitter(DiagnosticSink& sink, SourceId source, std::string document = {})
      : sink_(&sink), source_(source), document_(std::move(document)) {}
  // Reports into `sink` what `like` would report (its file, document and logical locations),
  // without its budget: for findings made on another thread and replayed through `like`.
  Emitter(DiagnosticSink& sink, const Emitter& like)
      : sink_(&sink), source_(like.source_), document_(like.document_), logical_(like.logical_) {}

  void emit(const RuleMeta& rule, Span span, std::string pointer, std::string message,
            std::optional<Level> level = std::nullopt, std::vector<RelatedLocation> related = {}) {
    if (has_placeholder(message)) message = show_placeholders(message);
    message = clip_long_quotes(std::move(message));
    for (RelatedLocation& r : related) {
      if (has_placeholder(r.message)) r.message = show_placeholders(r.message);
    }
    Diagnostic d{&rule,
                 level.value_or(rule.level()),
                 std::move(message),
                 Location{source_, span},
                 std::move(pointer),
                 document_,
                 std::move(related),
                 logical_};
    if (budget_ != nullptr && !budget_->admit(d)) return;
    sink_->report(std::move(d));
  }

  // A finding made by an emitter constructed like this one (above), reported as if made here.
  void replay(Diagnostic d) {
    if (budget_ != nullptr && !budget_->admit(d)) return;
    sink_->report(std::move(d));
  }

  // Findings past `budget` are held or counted there; the caller settles it into the sink.
  void limit(FindingBudget* budget) { budget_ = budget; }

  // What every finding is about beside its place: the resource of a template or a plan that
  // holds the document. A name no resource can have (a plan's address of a megabyte) is cut,
  // as each finding repeats it.
  void about(LogicalLocation logical) {
    logical.name = clip_long_name(logical.name);
    logical.fully_qualified_name = clip_long_name(logical.fully_qualified_name);
    logical_.push_back(std::move(logical));
  }

  [[nodiscard]] SourceId source() const { return source_; }
  [[nodiscard]] DiagnosticSink& sink() const { return *sink_; }
  [[nodiscard]] const std::string& document() const { return document_; }
  [[nodiscard]] Location at(Span span) const { return {source_, span}; }

 private:
  DiagnosticSink* sink_;
  SourceId source_;
  std::string document_;
  std::vector<LogicalLocation> logical_;
  FindingBudget* budget_ = nullptr;
};

}  // namespace grantlint
