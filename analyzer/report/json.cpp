// The JSON report (schema version 2, documented in docs/json-format.md).
#include <unordered_set>

#include "policy/kind.h"
#include "report/array_values.h"
#include "report/region.h"
#include "report/report.h"
#include "rules/registry.h"

namespace grantlint::report {

namespace {

void write_finding(JsonWriter& w, const CheckReport& report, const Diagnostic& d) {
  const SourceFile& file = report.sources.get(d.location.source);
  w.field("ruleId", d.rule->id).field("ruleName", d.rule->name);
  w.field("level", to_string(d.level));
  w.field("message", d.message);
  w.path_field("file", file.path());
  write_region(w, file, d.location.span);
  w.field("document", d.document).field("pointer", d.pointer);
  if (d.page != 0) w.field("page", std::uint64_t{d.page});
  if (d.severity != Severity::none) w.field("severity", to_string(d.severity));
  write_logical_locations(w, d.logical);
  w.key("related").begin_array();
  for (const RelatedLocation& related : d.related) {
    const SourceFile& related_file = report.sources.get(related.location.source);
    w.begin_object().field("message", related.message).path_field("file", related_file.path());
    write_region(w, related_file, related.location.span);
    w.end_object();
  }
  w.end_array();
}

// The rules the findings name, in `grantlint rules` order: each rule's help is written once,
// not with each of an export's tens of thousands of findings.
void write_rules(JsonWriter& w, const CheckReport& report) {
  std::unordered_set<const RuleMeta*> named;
  for (const Diagnostic& d : report.diagnostics) named.insert(d.rule);
  if (report.suppressions_listed) {
    for (const SuppressedFinding& s : report.suppressed) named.insert(s.finding.rule);
  }
  w.key("rules").begin_array();
  for (const RuleMeta* rule : rules::all_rules()) {
    if (named.contains(rule)) write_rule_json(w, *rule);
  }
  w.end_array();
}

}  // namespace

void write_json(const CheckReport& report, const Output& output, unsigned threads) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("schemaVersion", std::uint64_t{2});
  w.key("tool").begin_object().field("name", kToolName).field("version", kToolVersion).end_object();
  write_rules(w, report);

  w.key("documents").begin_array();
  for (const DocumentInfo& doc : report.documents) {
    w.begin_object();
    w.path_field("file", report.sources.get(doc.source).path());
    w.field("pointer", doc.pointer);
    if (doc.page != 0) w.field("page", std::uint64_t{doc.page});
    w.field("kind", policy::to_string(doc.kind));
    w.field("kindDetected", doc.kind_detected);
    if (!doc.resource.empty()) w.field("resource", doc.resource);
    w.end_object();
    flush_chunk(out, output);  // an export lists a document per policy: megabytes
  }
  w.end_array();

  std::uint64_t counts[3] = {0, 0, 0};
  for (const Diagnostic& d : report.diagnostics) {
    ++counts[static_cast<int>(d.level)];
    // Lines are indexed here, once, not by the threads that render the findings.
    static_cast<void>(report.sources.get(d.location.source).lines());
    for (const RelatedLocation& related : d.related) {
      static_cast<void>(report.sources.get(related.location.source).lines());
    }
  }
  w.key("findings").begin_array();
  write_array_values(w, out, output, report.diagnostics.size(), threads, [&report](JsonWriter& writer, std::size_t i) {
    writer.begin_object();
    write_finding(writer, report, report.diagnostics[i]);
    writer.end_object();
  });
  w.end_array();
  if (report.suppressions_listed) {
    w.key("suppressed").begin_array();
    for (const SuppressedFinding& s : report.suppressed) {
      w.begin_object();
      write_finding(w, report, s.finding);
      const SourceFile& config = report.sources.get(s.suppression.source);
      w.key("suppression").begin_object().field("justification", s.justification).path_field("file", config.path());
      write_region(w, config, s.suppression.span);
      w.end_object();
      w.end_object();
    }
    w.end_array();
  }

  // After the findings: whether the inputs held still while their lines were quoted.
  const std::vector<ToolNotification> notifications = final_notifications(report);
  w.key("notifications").begin_array();
  for (const ToolNotification& n : notifications) {
    w.begin_object().path_field("file", n.path).field("level", "error").field("message", n.message).end_object();
  }
  w.end_array();

  w.key("summary").begin_object();
  const std::size_t unread = count_unread(notifications);
  w.field("files", static_cast<std::uint64_t>(checked_files(report, notifications)));
  w.field("unreadableFiles", static_cast<std::uint64_t>(unread));
  w.field("documents", static_cast<std::uint64_t>(report.documents.size()));
  w.field("errors", counts[2]).field("warnings", counts[1]).field("notes", counts[0]);
  w.end_object();
  w.end_object();
  output(out);
}

std::string format_json(const CheckReport& report) {
  std::string all;
  write_json(report, [&all](std::string_view piece) { all += piece; });
  return all;
}

}  // namespace grantlint::report
