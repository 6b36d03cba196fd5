#include "diag/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace grantlint {

std::string clip_long_quotes(std::string message) {
  if (message.size() <= kLongestQuote) return message;
  constexpr std::size_t kKept = 120;
  std::string out;
  std::size_t at = 0;
  while (at < message.size()) {
    const std::size_t open = message.find('`', at);
    const std::size_t close = open == std::string::npos ? open : message.find('`', open + 1);
    if (close == std::string::npos) break;
    const std::size_t length = close - open - 1;
    if (length <= kLongestQuote) {
      out.append(message, at, close + 1 - at);
    } else {
      std::size_t cut = open + 1 + kKept;
      while (cut > open + 1 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;  // a character's start
      out.append(message, at, cut - at);
      out += fmt::format("…` ({} bytes)", length);
    }
    at = close + 1;
  }
  out.append(message, at);
  return out;
}

std::optional<Level> parse_level(std::string_view text) {
  if (text == "error") return Level::error;
  if (text == "warning") return Level::warning;
  if (text == "note") return Level::note;
  return std::nullopt;
}

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::none: return "";
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
  }
  return "";
}

Level level_of(Severity severity) {
  switch (severity) {
    case Severity::high: return Level::error;
    case Severity::medium: return Level::warning;
    default: return Level::note;
  }
}

std::vector<Diagnostic> DiagnosticSink::sorted(const std::vector<std::string>& source_paths) && {
  auto path_of = [&](const Diagnostic& d) -> const std::string& {
    return source_paths.at(d.location.source);
  };
  auto key = [&](const Diagnostic& d) {
    return std::tie(path_of(d), d.location.source, d.location.span.begin, d.rule->id,
                    d.location.span.end, d.message, d.document, d.pointer, d.level);
  };
  auto related_key = [](const RelatedLocation& r) {
    return std::tie(r.location.source, r.location.span.begin, r.location.span.end, r.message);
  };
  auto related_less = [&](const Diagnostic& a, const Diagnostic& b) {
    return std::lexicographical_compare(
        a.related.begin(), a.related.end(), b.related.begin(), b.related.end(),
        [&](const RelatedLocation& x, const RelatedLocation& y) { return related_key(x) < related_key(y); });
  };
  // Every field takes part in the order, so the output never depends on the order in
  // which stages reported; findings that differ only in related locations are one
  // finding, and the first in that order is kept.
  std::sort(diagnostics_.begin(), diagnostics_.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    if (key(a) != key(b)) return key(a) < key(b);
    return related_less(a, b);
  });
  auto same = [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); };
  diagnostics_.erase(std::unique(diagnostics_.begin(), diagnostics_.end(), same), diagnostics_.end());
  return std::move(diagnostics_);
}

}  // namespace grantlint
