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

bool capped(const RuleMeta& rule) {
  const std::string_view id = rule.id;
  return &rule != &rules::kDuplicateKey && !id.starts_with("ACC") && !id.starts_with("GLUE");
}

// The document is copied: findings move while the key is still in use. Pages of one file share
// pointers, so the page is part of the document's name.
using DocumentRule = std::tuple<SourceId, std::uint32_t, std::string, std::string_view>;

}  // namespace

void cap_per_document(std::vector<Diagnostic>& sorted) {
  std::map<DocumentRule, std::size_t> total;
  for (const Diagnostic& d : sorted) {
    if (capped(*d.rule)) ++total[{d.location.source, d.page, d.document, d.rule->id}];
  }
  if (std::ranges::none_of(total, [](const auto& entry) { return entry.second > kListedPerRule; })) return;
  std::map<DocumentRule, std::size_t> seen;
  std::vector<Diagnostic> kept;
  kept.reserve(sorted.size());
  for (Diagnostic& d : sorted) {
    if (!capped(*d.rule)) {
      kept.push_back(std::move(d));
      continue;
    }
    const DocumentRule key{d.location.source, d.page, d.document, d.rule->id};
    const std::size_t index = ++seen[key];
    if (index <= kListedPerRule) {
      kept.push_back(std::move(d));
    } else if (index == kListedPerRule + 1) {
      d.message = fmt::format("{} more `{}` findings in this {} are not listed ({} are); this is the first of them",
                              total.at(key) - kListedPerRule, d.rule->id, d.document.empty() ? "file" : "policy",
                              kListedPerRule);
      d.related.clear();
      kept.push_back(std::move(d));
    }
  }
  sorted = std::move(kept);
}

}  // namespace grantlint
