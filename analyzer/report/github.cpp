// GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding,
// which the runner turns into annotations on the pull request's files
// (https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
#include <fmt/format.h>

#include <filesystem>

#include "report/report.h"
#include "report/text_safe.h"

namespace grantlint::report {

namespace {

// The runner decodes `%25`, `%0D` and `%0A` in a message; properties also `%3A` and `%2C`.
// Everything else reaches the log as it is, where a terminal or a log viewer acts on control
// characters (ESC, BEL, the 8-bit CSI U+009B, the line break U+0085) from a policy's text or a
// file's name, and bytes that are not UTF-8 garble what follows: between the runner's
// characters, text is shown as the text report shows it (`\u001b`, `\u009b`, `\xff`). The
// runner's characters are ASCII, never inside a UTF-8 sequence, so cutting there keeps each whole.
std::string escape(std::string_view text, bool property) {
  // A property (the file's name) must match the file; a message is shown to people.
  const Shown shown = property ? Shown::name : Shown::text;
  std::string out;
  std::size_t from = 0;  // where the text not yet written starts
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view encoded;
    switch (text[i]) {
      case '%': encoded = "%25"; break;
      // A file's name must reach the runner as it is; in a message a line break from a policy's
      // text is shown escaped, as the text report and the README say (`\u000a`, h48 L11).
      case '\r':
        encoded = property ? "%0D" : "";
        break;
      case '\n':
        encoded = property ? "%0A" : "";
        break;
      // The runner has no escape for a tab, harmless in a line: a name keeps it, or the
      // annotation names a file that is not there (h49 L4).
      case '\t':
        encoded = property ? "\t" : "";
        break;
      case ':': encoded = property ? "%3A" : ""; break;
      case ',': encoded = property ? "%2C" : ""; break;
      default: break;
    }
    if (encoded.empty()) continue;
    out += terminal_safe(text.substr(from, i - from), shown);
    out += encoded;
    from = i + 1;
  }
  out += terminal_safe(text.substr(from), shown);
  return out;
}

// A file as the runner finds it: relative to the base (`./iam/x.json` as `iam/x.json`). A file
// outside the base keeps its absolute path, which the runner makes relative when it lies in the
// workspace; standard input keeps its name.
std::string annotation_path(const std::string& path, const std::string& base_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  if (base_dir.empty() || path == "-" || path == "<stdin>" || ec) return fs::path(path).lexically_normal().string();
  const fs::path relative = absolute.lexically_relative(fs::path(base_dir).lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return absolute.generic_string();
  return relative.generic_string();
}

std::string_view command(Level level) {
  switch (level) {
    case Level::error: return "error";
    case Level::warning: return "warning";
    case Level::note: return "notice";
  }
  return "notice";
}

}  // namespace

void write_github(const CheckReport& report, const GithubOptions& options, const Output& output) {
  std::string out;
  for (const Diagnostic& d : report.diagnostics) {
    const SourceFile& file = report.sources.get(d.location.source);
    const LineColumn start = file.lines().locate(d.location.span.begin);
    const LineColumn end = file.lines().locate(d.location.span.end);
    const std::string path = annotation_path(file.path(), options.base_dir);
    std::string properties = fmt::format("file={},line={},col={}", escape(path, true), start.line, start.column);
    // An annotation spans columns only within one line.
    if (end.line == start.line) {
      properties += fmt::format(",endColumn={}", end.column);
    } else {
      properties += fmt::format(",endLine={}", end.line);
    }
    properties += fmt::format(",title={}", escape(fmt::format("{} {}", d.rule->id, d.rule->name), true));
    out += fmt::format("::{} {}::{}\n", command(d.level), properties, escape(d.message, false));
    flush_chunk(out, output);
  }
  for (const ToolNotification& n : final_notifications(report)) {
    out += fmt::format("::error title=grantlint::{}\n", escape(n.message, false));
  }
  output(out);
}

std::string format_github(const CheckReport& report, const GithubOptions& options) {
  std::string all;
  write_github(report, options, [&all](std::string_view piece) { all += piece; });
  return all;
}

}  // namespace grantlint::report
