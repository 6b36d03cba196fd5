#include "checks/sensitive.h"

#include <string_view>

#include "base/string_map.h"

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

}  // namespace grantlint::checks
