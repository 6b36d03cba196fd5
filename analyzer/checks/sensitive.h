// The sensitive actions by risk category (rules/data/sensitive_actions.tsv), shared by the
// per-document grant checks (GRT006) and the per-principal account checks (ACC105).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace grantlint::checks {

struct Category {
  std::string name;  // "privilege-escalation", "credentials-exposure", "data-exfiltration"
  std::vector<std::string> actions;
};

// In file order.
const std::vector<Category>& sensitive_categories();

// The categories (indexes into sensitive_categories()) that list `action`, written as the
// catalog spells it (`iam:PassRole`); empty for most actions.
std::span<const std::size_t> sensitive_categories_of(std::string_view action);

}  // namespace grantlint::checks
