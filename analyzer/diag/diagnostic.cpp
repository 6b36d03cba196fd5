#include "diag/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <compare>
#include <tuple>

namespace grantlint {

namespace {
constexpr std::size_t kKept = 120;  // of a text cut: its first bytes, to a character's start

std::size_t cut_at(std::string_view text, std::size_t begin, std::size_t kept = kKept) {
  std::size_t cut = begin + kept;
  while (cut > begin && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

// `text` whole up to `longest` bytes, else its first `kept` (to a character's start) and its length.
std::string clip(std::string_view text, std::size_t longest, std::size_t kept) {
  if (text.size() <= longest) return std::string(text);
  return fmt::format("{}… ({} bytes)", text.substr(0, cut_at(text, 0, kept)), text.size());
}
}  // namespace

std::string clip_long_text(std::string_view text) { return clip(text, kLongestQuote, kKept); }

std::string clip_long_name(std::string_view name) { return clip(name, kLongestName, kLongestName / 2); }

std::string clip_long_quotes(std::string message) {
  if (message.size() <= kLongestQuote) return message;
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
      const std::size_t cut = cut_at(message, open + 1);
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

namespace {

// The order findings are reported in: file (path, then source), offset, rule, end, message,
// document, pointer, level, then related locations. Every field takes part, so the output never
// depends on the order in which stages reported. Three-way, so each field is compared once, and
// a file's path only against another file's.
std::weak_ordering compare_findings(const Diagnostic& a, const Diagnostic& b,
                                    const std::vector<std::string>& source_paths) {
  if (a.location.source != b.location.source) {
    if (auto c = source_paths.at(a.location.source) <=> source_paths.at(b.location.source); c != 0) return c;
    return a.location.source <=> b.location.source;
  }
  if (auto c = a.location.span.begin <=> b.location.span.begin; c != 0) return c;
  if (a.rule != b.rule) {
    if (auto c = a.rule->id <=> b.rule->id; c != 0) return c;
  }
  if (auto c = a.location.span.end <=> b.location.span.end; c != 0) return c;
  if (auto c = a.message <=> b.message; c != 0) return c;
  if (auto c = a.document <=> b.document; c != 0) return c;
  if (auto c = a.pointer <=> b.pointer; c != 0) return c;
  return a.level <=> b.level;
}

std::weak_ordering compare_related(const Diagnostic& a, const Diagnostic& b) {
  const auto key = [](const RelatedLocation& r) {
    return std::tie(r.location.source, r.location.span.begin, r.location.span.end, r.message);
  };
  return std::lexicographical_compare_three_way(
      a.related.begin(), a.related.end(), b.related.begin(), b.related.end(),
      [&](const RelatedLocation& x, const RelatedLocation& y) -> std::weak_ordering { return key(x) <=> key(y); });
}

}  // namespace

void DiagnosticSink::note_pages(SourceId source, std::vector<std::uint32_t> starts) {
  if (starts.size() > 1) page_starts_.insert_or_assign(source, std::move(starts));
}

std::uint32_t DiagnosticSink::page_at(SourceId source, std::uint32_t offset) const {
  const auto it = page_starts_.find(source);
  if (it == page_starts_.end()) return 0;
  const auto after = std::ranges::upper_bound(it->second, offset);
  // An offset before the first page (a finding at the file's start) is on the first.
  return static_cast<std::uint32_t>(std::max<std::ptrdiff_t>(after - it->second.begin(), 1));
}

std::vector<Diagnostic> DiagnosticSink::sorted(const std::vector<std::string>& source_paths) && {
  // Pointers are sorted, and each finding moved once into its place: a finding is a few
  // strings and vectors, and tens of thousands of them come from an account's export.
  std::vector<Diagnostic*> order;
  order.reserve(diagnostics_.size());
  for (Diagnostic& d : diagnostics_) order.push_back(&d);
  std::ranges::sort(order, [&](const Diagnostic* a, const Diagnostic* b) {
    const auto c = compare_findings(*a, *b, source_paths);
    return c != 0 ? c < 0 : compare_related(*a, *b) < 0;
  });
  // Findings that differ only in related locations are one finding: the first in that order is kept.
  std::vector<Diagnostic> out;
  out.reserve(order.size());
  for (Diagnostic* d : order) {
    if (!out.empty() && compare_findings(out.back(), *d, source_paths) == 0) continue;
    if (!page_starts_.empty()) d->page = page_at(d->location.source, d->location.span.begin);
    out.push_back(std::move(*d));
  }
  diagnostics_.clear();
  return out;
}

}  // namespace grantlint
