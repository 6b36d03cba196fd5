#include <fmt/format.h>

#include "base/utf8.h"
#include "report/report.h"
#include "report/text_safe.h"

namespace grantlint::report {

namespace {

struct Style {
  bool on = false;
  [[nodiscard]] std::string wrap(std::string_view code, std::string_view text) const {
    if (!on) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
};

std::string_view level_color(Level level) {
  switch (level) {
    case Level::error: return "1;31";
    case Level::warning: return "1;35";
    case Level::note: return "1;36";
  }
  return "1";
}

// Terminal cells taken by a UTF-8 string: two for East Asian wide characters and emoji,
// none for continuation bytes, one otherwise (a small table, not full wcwidth).
std::size_t display_width(std::string_view s) {
  std::size_t cells = 0;
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint decoded = decode_utf8(s, i);
    const std::uint32_t cp = decoded.value;
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
                      (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
    cells += decoded.valid && wide ? 2 : 1;
    i += decoded.length;
  }
  return cells;
}

// Prints the line of `span` with the span underlined. Long lines (minified policies, key
// policies held in one JSON string) are cut to a window around the span.
void snippet(std::string& out, const SourceFile& file, Span span, const Style& style) {
  constexpr std::size_t kContext = 40;
  constexpr std::size_t kMaxLine = 120;
  const LineIndex& lines = file.lines();
  file.note_read();
  const LineColumn start = lines.locate(span.begin);
  const std::uint32_t line_begin = lines.line_start(start.line);
  std::string_view text = lines.line_text(start.line);
  std::size_t column = std::min<std::size_t>(span.begin - line_begin, text.size());
  std::size_t underline_end = std::min<std::size_t>(span.end - line_begin, text.size());
  std::string prefix;
  std::string suffix;
  if (text.size() > kMaxLine) {
    const std::size_t from = column > kContext ? utf8_floor(text, column - kContext) : 0;
    const std::size_t span_end = std::min(underline_end, column + kMaxLine - kContext);
    const std::size_t to =
        std::max(column, std::min(text.size(), utf8_floor(text, std::min(text.size(), span_end + kContext))));
    if (from > 0) prefix = "...";
    if (to < text.size()) suffix = "...";
    text = text.substr(from, to - from);
    column -= from;
    underline_end = std::min(underline_end - from, text.size());
  }
  const std::string number = std::to_string(start.line);
  const std::string gutter(number.size(), ' ');
  out += fmt::format(" {} | {}{}{}\n", style.wrap("1;34", number), prefix, terminal_safe(text, Shown::snippet), suffix);
  std::string marker(prefix.size(), ' ');
  std::size_t run = 0;  // start of the current run without tabs
  for (std::size_t i = 0; i <= column; ++i) {
    if (i == column || text[i] == '\t') {
      marker.append(display_width(text.substr(run, i - run)), ' ');
      if (i < column) marker += '\t';
      run = i + 1;
    }
  }
  const std::size_t width = underline_end > column ? display_width(text.substr(column, underline_end - column)) : 0;
  std::string underline = "^";
  if (width > 1) underline.append(width - 1, '~');
  out += fmt::format(" {} | {}{}\n", gutter, marker, style.wrap("1;32", underline));
}

std::string location(const SourceFile& file, Span span) {
  const LineColumn lc = file.lines().locate(span.begin);
  return fmt::format("{}:{}:{}", path_safe(file.path()), lc.line, lc.column);
}

std::string plural(std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

}  // namespace

void write_text(const CheckReport& report, const TextOptions& options, const Output& output) {
  const Style style{options.color};
  std::string out;
  std::size_t counts[3] = {0, 0, 0};
  for (const Diagnostic& d : report.diagnostics) {
    ++counts[static_cast<int>(d.level)];
    const SourceFile& file = report.sources.get(d.location.source);
    const std::string severity = d.severity == Severity::none ? "" : fmt::format(" {}", to_string(d.severity));
    out += fmt::format("{}: {} {} [{}{}]\n", style.wrap("1", location(file, d.location.span)),
                       style.wrap(level_color(d.level), fmt::format("{}:", to_string(d.level))),
                       style.wrap("1", terminal_safe(d.message)), d.rule->id, severity);
    snippet(out, file, d.location.span, style);
    // The template's or plan's resource that holds the document, which a plan's one long
    // line does not show (a scan's principals are named in their messages instead).
    if (!d.logical.empty() && d.logical.front().kind == "resource" && (!d.document.empty() || d.pointer.empty())) {
      out += fmt::format(" = in {}\n", terminal_safe(d.logical.front().fully_qualified_name));
    }
    for (const RelatedLocation& related : d.related) {
      const SourceFile& related_file = report.sources.get(related.location.source);
      out += fmt::format("{}: {} {}\n", style.wrap("1", location(related_file, related.location.span)),
                         style.wrap(level_color(Level::note), "note:"), terminal_safe(related.message));
      snippet(out, related_file, related.location.span, style);
    }
    flush_chunk(out, output);
  }
  if (options.notifications) {
    for (const ToolNotification& n : report.notifications) {
      out +=
          fmt::format("grantlint: {} {}\n", style.wrap(level_color(Level::error), "error:"), terminal_safe(n.message));
    }
  }
  const std::size_t files = checked_files(report, report.notifications);
  // A file that could not be read is no clean file: said on the summary line, as JSON's
  // `unreadableFiles` says it (why is on standard error).
  const std::size_t unread = count_unread(report.notifications);
  const std::string unread_text = unread == 0 ? std::string()
                                  : files == 1 && unread == 1
                                      ? std::string(" (it could not be read)")
                                      : fmt::format(" ({} could not be read)", plural(unread, "file"));
  if (report.diagnostics.empty() && unread > 0 && unread == files) {
    out += files == 1 ? std::string("no findings: the file could not be read\n")
                      : fmt::format("no findings: none of the {} files could be read\n", files);
  } else if (report.diagnostics.empty()) {
    out += fmt::format("no findings in {}{}\n", plural(files, "file"), unread_text);
  } else {
    out += fmt::format("{}, {} and {} in {}{}\n", plural(counts[2], "error"), plural(counts[1], "warning"),
                       plural(counts[0], "note"), plural(files, "file"), unread_text);
  }
  output(out);
}

std::string format_text(const CheckReport& report, const TextOptions& options) {
  std::string all;
  write_text(report, options, [&all](std::string_view piece) { all += piece; });
  return all;
}

}  // namespace grantlint::report
