// SARIF 2.1.0 with what GitHub code scanning reads (reference: sarif-github.md §0–1).
#include <map>
#include <unordered_map>

#include "base/strings.h"
#include "base/utf8.h"
#include "report/fingerprint.h"
#include "report/region.h"
#include "report/report.h"
#include "report/uri.h"
#include "rules/registry.h"

namespace grantlint::report {

namespace {

constexpr std::string_view kSchema = "https://json.schemastore.org/sarif-2.1.0.json";

std::string_view clip(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  return text.substr(0, utf8_floor(text, limit));  // whole characters
}

std::string_view problem_severity(Level level) {
  switch (level) {
    case Level::error: return "error";
    case Level::warning: return "warning";
    case Level::note: return "recommendation";
  }
  return "warning";
}

void write_rule(JsonWriter& w, const RuleMeta& rule) {
  w.begin_object();
  w.field("id", rule.id).field("name", rule.name);
  w.key("shortDescription").begin_object().field("text", clip(rule.summary, 1024)).end_object();
  w.key("fullDescription").begin_object().field("text", clip(rule.help, 1024)).end_object();
  const std::string uri = help_uri(rule);
  w.key("help").begin_object();
  w.field("text", rule.help);
  w.field("markdown", std::string("**") + std::string(rule.summary) + "**\n\n" + std::string(rule.help) +
                          "\n\n[Documentation](" + uri + ")");
  w.end_object();
  w.field("helpUri", uri);
  w.key("defaultConfiguration").begin_object().field("level", to_string(rule.level())).end_object();
  w.key("properties").begin_object();
  w.key("tags").begin_array().value("security");
  for (std::string_view tag : split_words(rule.tags)) {
    if (tag != "security") w.value(tag);  // always first; SARIF tags are a set
  }
  w.end_array();
  w.field("precision", rule.precision);
  if (rule.security_severity.empty()) {
    w.field("problem.severity", problem_severity(rule.level()));
  } else {
    w.field("security-severity", rule.security_severity);
  }
  w.field("accessAnalyzerType", to_string(rule.type));
  w.end_object();
  w.end_object();
}

void write_physical(JsonWriter& w, const std::string& uri, const SourceFile& file, Span span) {
  w.key("physicalLocation").begin_object();
  w.key("artifactLocation").begin_object().field("uri", uri).end_object();
  write_region(w, file, span);
  w.end_object();
}

}  // namespace

void write_sarif(const CheckReport& report, const SarifOptions& options, const Output& output) {
  const auto rules = rules::all_rules();
  std::map<std::string_view, std::uint64_t> rule_index;
  for (std::size_t i = 0; i < rules.size(); ++i) rule_index[rules[i]->id] = i;
  // Line hashes of the lines with findings, computed once per file.
  std::map<SourceId, std::unordered_map<std::uint32_t, std::string>> hashes;
  {
    std::map<SourceId, std::vector<std::uint32_t>> lines;
    const auto note_line = [&](const Diagnostic& d) {
      const SourceFile& file = report.sources.get(d.location.source);
      lines[d.location.source].push_back(file.lines().locate(d.location.span.begin).line);
    };
    for (const Diagnostic& d : report.diagnostics) note_line(d);
    for (const SuppressedFinding& s : report.suppressed) note_line(s.finding);
    for (const auto& [source, wanted] : lines) {
      const SourceFile& file = report.sources.get(source);
      hashes[source] = line_hashes(file.text(), wanted, file.releaser());
    }
  }
  auto uri_of = [&](const SourceFile& file) { return artifact_uri(file.path(), options.base_dir); };

  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("$schema", kSchema).field("version", "2.1.0");
  w.key("runs").begin_array().begin_object();

  w.key("tool").begin_object().key("driver").begin_object();
  w.field("name", kToolName).field("semanticVersion", kToolVersion).field("version", kToolVersion);
  w.field("informationUri", kInformationUri);
  w.key("rules").begin_array();
  for (const RuleMeta* rule : rules) write_rule(w, *rule);
  w.end_array();
  w.end_object().end_object();

  w.key("automationDetails").begin_object().field("id", options.automation_id).end_object();
  w.field("columnKind", "utf16CodeUnits");

  // A result; with `suppressed`, the configuration's suppression that covers it.
  const auto write_result = [&](const Diagnostic& d, const SuppressedFinding* suppressed) {
    const SourceFile& file = report.sources.get(d.location.source);
    const std::string uri = uri_of(file);
    w.begin_object();
    w.field("ruleId", d.rule->id).field("ruleIndex", rule_index.at(d.rule->id));
    w.field("level", to_string(d.level));
    w.key("message").begin_object().field("text", d.message).end_object();
    w.key("locations").begin_array().begin_object();
    write_physical(w, uri, file, d.location.span);
    write_logical_locations(w, d.logical);
    w.end_object().end_array();
    const auto& file_hashes = hashes[d.location.source];
    if (const auto hash = file_hashes.find(file.lines().locate(d.location.span.begin).line);
        hash != file_hashes.end()) {
      w.key("partialFingerprints").begin_object();
      w.field("primaryLocationLineHash", hash->second);
      w.end_object();
    }
    if (!d.related.empty()) {
      w.key("relatedLocations").begin_array();
      std::uint64_t id = 1;
      for (const RelatedLocation& related : d.related) {
        const SourceFile& related_file = report.sources.get(related.location.source);
        w.begin_object().field("id", id++);
        write_physical(w, uri_of(related_file), related_file, related.location.span);
        w.key("message").begin_object().field("text", related.message).end_object();
        w.end_object();
      }
      w.end_array();
    }
    if (report.suppressions_listed) {
      w.key("suppressions").begin_array();
      if (suppressed != nullptr) {
        const SourceFile& config = report.sources.get(suppressed->suppression.source);
        w.begin_object().field("kind", "external").field("status", "accepted");
        w.field("justification", suppressed->justification);
        w.key("location").begin_object();
        write_physical(w, uri_of(config), config, suppressed->suppression.span);
        w.end_object();
        w.end_object();
      }
      w.end_array();
    }
    w.key("properties").begin_object().field("document", d.document).field("pointer", d.pointer);
    if (d.severity != Severity::none) w.field("severity", to_string(d.severity));
    w.end_object();
    w.end_object();
  };
  w.key("results").begin_array();
  for (const Diagnostic& d : report.diagnostics) {
    write_result(d, nullptr);
    flush_chunk(out, output);
  }
  for (const SuppressedFinding& s : report.suppressed) {
    write_result(s.finding, &s);
    flush_chunk(out, output);
  }
  w.end_array();

  // Last: whether the inputs held still while their lines were quoted above.
  const std::vector<ToolNotification> notifications = final_notifications(report);
  w.key("invocations").begin_array().begin_object();
  w.field("executionSuccessful", notifications.empty());
  w.key("toolExecutionNotifications").begin_array();
  for (const ToolNotification& n : notifications) {
    w.begin_object();
    w.field("level", "error");
    w.key("message").begin_object().field("text", n.message).end_object();
    w.key("locations").begin_array().begin_object().key("physicalLocation").begin_object();
    w.key("artifactLocation").begin_object().field("uri", artifact_uri(n.path, options.base_dir)).end_object();
    w.end_object().end_object().end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object().end_array();

  w.end_object().end_array();
  w.end_object();
  output(out);
}

std::string format_sarif(const CheckReport& report, const SarifOptions& options) {
  std::string all;
  write_sarif(report, options, [&all](std::string_view piece) { all += piece; });
  return all;
}

}  // namespace grantlint::report
