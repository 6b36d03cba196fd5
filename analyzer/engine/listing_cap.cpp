#include "engine/listing_cap.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "rules/registry.h"

namespace grantlint {

namespace {

// The document is copied: findings move while the key is still in use. Pages of one file share
// pointers, so the page is part of the document's name.
using DocumentRule = std::tuple<SourceId, std::uint32_t, std::string, std::string_view>;

}  // namespace

bool capped(const RuleMeta& rule) {
  const std::string_view id = rule.id;
  return &rule != &rules::kDuplicateKey && !id.starts_with("ACC") && !id.starts_with("GLUE");
}

void cap_per_document(std::vector<Diagnostic>& sorted) {
  // Per rule and document: how many findings in all (a finding that stands for those a
  // FindingBudget did not keep counts them), and how many are findings of their own.
  struct Count {
    std::size_t total = 0;
    std::size_t own = 0;
    std::size_t listed = 0;
    bool summarized = false;
  };
  std::map<DocumentRule, Count> counts;
  for (const Diagnostic& d : sorted) {
    if (!capped(*d.rule)) continue;
    Count& count = counts[{d.location.source, d.page, d.document, d.rule->id}];
    count.total += d.stands_for;
    if (d.stands_for == 1) ++count.own;
  }
  if (std::ranges::none_of(counts, [](const auto& entry) { return entry.second.total > kListedPerRule; })) return;
  std::vector<Diagnostic> kept;
  kept.reserve(sorted.size());
  for (Diagnostic& d : sorted) {
    if (!capped(*d.rule)) {
      kept.push_back(std::move(d));
      continue;
    }
    Count& count = counts.at({d.location.source, d.page, d.document, d.rule->id});
    if (count.total <= kListedPerRule || (d.stands_for == 1 && count.listed < kListedPerRule)) {
      ++count.listed;
      kept.push_back(std::move(d));
    } else if (!count.summarized) {
      // The first finding past those listed, or the one standing for those not kept, counts the rest.
      count.summarized = true;
      d.message = fmt::format("{} more `{}` findings in this {} are not listed ({} are); this is the first of them",
                              count.total - std::min(count.own, kListedPerRule), d.rule->id,
                              d.document.empty() ? "file" : "policy", std::min(count.own, kListedPerRule));
      d.related.clear();
      kept.push_back(std::move(d));
    }
  }
  sorted = std::move(kept);
}

}  // namespace grantlint
