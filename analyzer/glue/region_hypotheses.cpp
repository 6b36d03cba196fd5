#include "glue/region_hypotheses.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "base/strings.h"
#include "rules/registry.h"

namespace grantlint::glue {

namespace {

// A finding's identity across runs: its rule and where it is.
using Key = std::tuple<std::string_view, SourceId, std::uint32_t, std::uint32_t>;

Key key(const Diagnostic& d) { return Key{d.rule->id, d.location.source, d.location.span.begin, d.location.span.end}; }

}  // namespace

void merge_region_runs(const DiagnosticSink& unknown_region, const std::vector<RegionRun>& named,
                       std::string_view path, DiagnosticSink& into) {
  // Each named Region's findings, their messages with the Region written as unknown.
  std::vector<std::map<Key, std::pair<const Diagnostic*, std::string>>> found;
  for (const RegionRun& run : named) {
    auto& by_key = found.emplace_back();
    for (const Diagnostic& d : run.found.unsorted()) {
      std::string message = d.message;
      for (std::size_t at = message.find(run.region); at != std::string::npos; at = message.find(run.region, at)) {
        message.replace(at, run.region.size(), "${AWS::Region}");
      }
      by_key.emplace(key(d), std::pair(&d, std::move(message)));
    }
  }
  std::set<Key> in_base, reported;
  std::map<Key, const Diagnostic*> region_dependent;
  const auto pass_through = [&](const Diagnostic& d) {
    if (d.rule != &rules::kSnapshotInputMissing) return false;
    if (reported.insert(key(d)).second) into.report(d);
    return true;
  };
  for (const Diagnostic& d : unknown_region.unsorted()) {
    in_base.insert(key(d));
    if (pass_through(d)) continue;
    const auto first = found.front().find(key(d));
    const bool everywhere = std::ranges::all_of(found, [&](const auto& by_key) {
      const auto it = by_key.find(key(d));
      return first != found.front().end() && it != by_key.end() && it->second.second == first->second.second &&
             it->second.first->level == first->second.first->level;
    });
    if (everywhere) {
      Diagnostic alike = *first->second.first;
      alike.message = first->second.second;
      into.report(std::move(alike));
    } else {
      region_dependent.emplace(key(d), &d);
    }
  }
  for (const RegionRun& run : named) {
    for (const Diagnostic& d : run.found.unsorted()) {
      if (!pass_through(d) && !in_base.contains(key(d))) region_dependent.emplace(key(d), &d);
    }
  }
  std::vector<std::string> regions;
  for (const RegionRun& run : named) regions.push_back(run.region);
  for (const auto& [where, d] : region_dependent) {
    Diagnostic note{&rules::kSnapshotInputMissing,
                    Level::note,
                    fmt::format("whether `{}` holds here depends on the Region `{}` deploys to, which it does not "
                                "say (it names {}): not evaluated",
                                d->rule->id, path, backticked(regions)),
                    d->location,
                    d->pointer,
                    "",
                    {},
                    d->logical};
    note.severity = Severity::info;
    into.report(std::move(note));
  }
}

}  // namespace grantlint::glue
