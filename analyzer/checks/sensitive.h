// The sensitive actions by risk category (rules/data/sensitive_actions.tsv), shared by the
// per-document grant checks (GRT006) and the per-principal account checks (ACC105, ACC106).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"

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

// Whether `action` is one that changes who may use a resource: the catalog's permissions-management
// access level, less the dozen reads the Service Authorization Reference also labels so
// (`glue:DescribeConnectionType`, `fsx:GetResourcePolicy`): by their names (Describe, Get,
// List, Search, View) they change nothing.
bool manages_permissions(const catalog::Action& action);

// The permissions-management actions of the built-in catalog (its access level) that take
// resources and that no category above lists (`s3:PutBucketPolicy`, `kms:PutKeyPolicy`): who
// holds them on every resource can open any resource to anyone (Cloudsplaining's "resource
// exposure"). Sorted, spelt as the catalog spells them; built once, from every service.
const std::vector<std::string>& permissions_management_actions();

}  // namespace grantlint::checks
