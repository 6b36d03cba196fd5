// SARIF 2.1.0 with what GitHub code scanning reads (reference: sarif-github.md §0–1).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
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

// Which results a run holds when there are more than `limit` (0: all): the most severe, by
// level and then security severity, reported before suppressed; in report order otherwise.
// Index i < diagnostics.size() is a reported finding, the rest the suppressed ones.
std::vector<bool> results_kept(const CheckReport& report, std::size_t limit) {
  const std::size_t total = report.diagnostics.size() + report.suppressed.size();
  std::vector<bool> kept(total, true);
  if (limit == 0 || total <= limit) return kept;
  const auto finding = [&](std::size_t i) -> const Diagnostic& {
    return i < report.diagnostics.size() ? report.diagnostics[i] : report.suppressed[i - report.diagnostics.size()].finding;
  };
  const auto severity = [](const Diagnostic& d) {
    const std::string_view score = d.rule->security_severity;
    double value = 0;
    std::from_chars(score.data(), score.data() + score.size(), value);
    return value;
  };
  std::vector<std::size_t> order(total);
  for (std::size_t i = 0; i < total; ++i) order[i] = i;
  // Ties keep report order (std::stable_sort is not used: clang warns on libstdc++ 12's).
  std::ranges::sort(order, [&](std::size_t a, std::size_t b) {
    const bool a_reported = a < report.diagnostics.size();
    const bool b_reported = b < report.diagnostics.size();
    if (a_reported != b_reported) return a_reported;
    const Diagnostic& x = finding(a);
    const Diagnostic& y = finding(b);
    if (x.level != y.level) return x.level > y.level;
    if (const double sx = severity(x), sy = severity(y); sx != sy) return sx > sy;
    return a < b;
  });
  for (std::size_t k = limit; k < total; ++k) kept[order[k]] = false;
  return kept;
}

}  // namespace

std::size_t sarif_results_left_out(const CheckReport& report, const SarifOptions& options) {
  const std::size_t total = report.diagnostics.size() + report.suppressed.size();
  return options.max_results == 0 || total <= options.max_results ? 0 : total - options.max_results;
}

std::string sarif_left_out_message(std::size_t left_out, std::size_t total, std::size_t limit) {
  return fmt::format("{} of the {} results are left out of this SARIF run, which keeps the {} most severe "
                     "(`--sarif-max-results`; GitHub code scanning rejects a run of more than {}); `--format json` "
                     "lists them all",
                     left_out, total, limit, SarifOptions::kGitHubMaxResults);
}

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
    if (d.page != 0) w.field("page", std::uint64_t{d.page});
    if (d.severity != Severity::none) w.field("severity", to_string(d.severity));
    w.end_object();
    w.end_object();
  };
  const std::vector<bool> kept = results_kept(report, options.max_results);
  w.key("results").begin_array();
  for (std::size_t i = 0; i < report.diagnostics.size(); ++i) {
    if (!kept[i]) continue;
    write_result(report.diagnostics[i], nullptr);
    flush_chunk(out, output);
  }
  for (std::size_t i = 0; i < report.suppressed.size(); ++i) {
    if (!kept[report.diagnostics.size() + i]) continue;
    write_result(report.suppressed[i].finding, &report.suppressed[i]);
    flush_chunk(out, output);
  }
  w.end_array();

  // Last: whether the inputs held still while their lines were quoted above.
  const std::vector<ToolNotification> notifications = final_notifications(report);
  w.key("invocations").begin_array().begin_object();
  w.field("executionSuccessful", notifications.empty());
  w.key("toolExecutionNotifications").begin_array();
  if (const std::size_t left_out = sarif_results_left_out(report, options)) {
    w.begin_object();
    w.field("level", "warning");
    w.key("message")
        .begin_object()
        .field("text", sarif_left_out_message(left_out, report.diagnostics.size() + report.suppressed.size(),
                                              options.max_results))
        .end_object();
    w.end_object();
  }
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
