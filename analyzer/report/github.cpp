// GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding,
// which the runner turns into annotations on the pull request's files
// (https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
#include <fmt/format.h>

#include <filesystem>

#include "report/report.h"

namespace grantlint::report {

namespace {

// The runner decodes `%25`, `%0D` and `%0A` in a message; properties also `%3A` and `%2C`.
// Other control characters (ESC, BEL, NUL from a policy's text) would reach the log as they
// are, where a terminal acts on them: they are shown as `\u001b`, as the text report does.
std::string escape(std::string_view text, bool property) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
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

void write_github(const CheckReport& report, const Output& output) {
  std::string out;
  for (const Diagnostic& d : report.diagnostics) {
    const SourceFile& file = report.sources.get(d.location.source);
    const LineColumn start = file.lines().locate(d.location.span.begin);
    const LineColumn end = file.lines().locate(d.location.span.end);
    // `./iam/x.json` as `iam/x.json`: the runner matches paths relative to the workspace.
    const std::string path = std::filesystem::path(file.path()).lexically_normal().string();
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

std::string format_github(const CheckReport& report) {
  std::string all;
  write_github(report, [&all](std::string_view piece) { all += piece; });
  return all;
}

}  // namespace grantlint::report
