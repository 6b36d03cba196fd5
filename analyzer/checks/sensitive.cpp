#include "checks/sensitive.h"

#include <string_view>

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

}  // namespace grantlint::checks
