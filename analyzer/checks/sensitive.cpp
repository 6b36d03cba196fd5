#include "checks/sensitive.h"

#include <algorithm>
#include <string_view>

#include "base/string_map.h"
#include "catalog/catalog.h"

namespace grantlint::checks {

extern const char kSensitiveActions[];
extern const std::size_t kSensitiveActionsSize;

const std::vector<Category>& sensitive_categories() {
  static const std::vector<Category> categories = [] {
    std::vector<Category> out;
    std::string_view text(kSensitiveActions, kSensitiveActionsSize);
    while (!text.empty()) {
      const auto newline = text.find('\n');
      const std::string_view line = text.substr(0, newline);
      text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
      const auto tab = line.find('\t');
      if (line.empty() || line.front() == '#' || tab == std::string_view::npos) continue;
      const std::string_view name = line.substr(0, tab);
      if (out.empty() || out.back().name != name) out.push_back({std::string(name), {}});
      out.back().actions.emplace_back(line.substr(tab + 1));
    }
    return out;
  }();
  return categories;
}

std::span<const std::size_t> sensitive_categories_of(std::string_view action) {
  static const StringMap<std::vector<std::size_t>> by_action = [] {
    StringMap<std::vector<std::size_t>> out;
    const std::vector<Category>& categories = sensitive_categories();
    for (std::size_t i = 0; i < categories.size(); ++i) {
      for (const std::string& listed : categories[i].actions) {
        std::vector<std::size_t>& in = out[listed];
        if (in.empty() || in.back() != i) in.push_back(i);
      }
    }
    return out;
  }();
  const auto it = by_action.find(action);
  if (it == by_action.end()) return {};
  return it->second;
}

bool manages_permissions(const catalog::Action& action) {
  if (!action.has(catalog::AccessLevel::permissions_management)) return false;
  for (const std::string_view read : {"Describe", "Get", "List", "Search", "View"}) {
    // `Describe` then an upper-case letter: a name such as `Getaway` is not a read.
    if (action.name.size() > read.size() && action.name.starts_with(read) && action.name[read.size()] >= 'A' &&
        action.name[read.size()] <= 'Z') {
      return false;
    }
  }
  return true;
}

const std::vector<std::string>& permissions_management_actions() {
  static const std::vector<std::string> actions = [] {
    std::vector<std::string> out;
    const catalog::Catalog& catalog = catalog::Catalog::builtin();
    for (const std::string_view prefix : catalog.service_prefixes()) {
      const catalog::Service* service = catalog.find_service(prefix);
      if (service == nullptr) continue;
      for (const catalog::Action& action : service->actions) {
        if (!manages_permissions(action) || action.resources.empty()) continue;
        std::string full;
        full.append(service->prefix).append(1, ':').append(action.name);
        if (sensitive_categories_of(full).empty()) out.push_back(std::move(full));
      }
    }
    std::ranges::sort(out);
    return out;
  }();
  return actions;
}

}  // namespace grantlint::checks
