// The sensitive actions by risk category (rules/data/sensitive_actions.tsv), shared by the
// per-document grant checks (GRT006) and the per-principal account checks (ACC105).
#pragma once

#include <string>
#include <vector>

namespace grantlint::checks {

struct Category {
  std::string name;  // "privilege-escalation", "credentials-exposure", "data-exfiltration"
  std::vector<std::string> actions;
};

// In file order.
const std::vector<Category>& sensitive_categories();

}  // namespace grantlint::checks
