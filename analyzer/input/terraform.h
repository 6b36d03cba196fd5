// Terraform's JSON (`terraform show -json` of a plan or of the state): the policies its AWS
// resources hold as JSON strings, in every module, each named by its resource address.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "diag/emitter.h"
#include "input/recognize.h"
#include "json/node.h"

namespace grantlint::input {

// A resource address split at its modules: `module.a["x.y"].module.b[0].aws_iam_policy.p[1]`
// is modules `a` and `b` and resource `aws_iam_policy.p[1]`. Quoted instance keys may hold
// `.`, `[`, `]` and escaped quotes.
struct TerraformAddress {
  std::vector<std::string> modules;
  std::string resource;
};
TerraformAddress split_terraform_address(std::string_view address);

// The modules of a module address (`module.a["x.y"].module.b`), outermost first.
std::vector<std::string> terraform_module_names(std::string_view module_address);

// Whether `root` is `terraform show -json` output: `format_version` with `planned_values`
// (a plan) or `values` (the state).
bool is_terraform(const json::Node& root);

// The policies of the resources in `planned_values` (a plan) or `values` (the state), every
// module included: IAM policies, roles' trust and inline policies, key policies, bucket,
// queue, topic, secret, repository, log and Glue resource policies, SCPs, and the documents
// of `aws_iam_policy_document` data sources that no resource holds as they are. A policy a
// plan knows only after apply (`after_unknown`) is reported (TPL003), not skipped silently.
std::vector<PolicySlot> terraform_policies(const json::Node& root, Emitter& emit);

// A plan's `resource_changes` by address and its configuration's resources by module, type
// and name, indexed once: the Glue pack asks about thousands of resources of one plan.
// Borrows from `root`, which must outlive it.
class TerraformPlan {
 public:
  explicit TerraformPlan(const json::Node& root);

  [[nodiscard]] const json::Node& root() const { return *root_; }
  // The change of the resource at `address`, or null.
  [[nodiscard]] const json::Node* change(std::string_view address) const;
  // The configuration's entry for the managed resource at `address`, or null.
  [[nodiscard]] const json::Node* configured(std::string_view address) const;

 private:
  const json::Node* root_;
  std::unordered_map<std::string_view, const json::Node*> changes_;
  // By module path (`a.b`), type and name.
  std::map<std::tuple<std::string, std::string_view, std::string_view>, const json::Node*, std::less<>> configured_;
};

// Whether the plan knows `attribute` of the resource at `address` (anything under it, for
// blocks) only after apply, and the configuration sets it: an attribute AWS computes when it
// is not set is not unknown for want of a value.
bool terraform_unknown_after_apply(const TerraformPlan& plan, std::string_view address, std::string_view attribute);

// `address` without its instance key: `aws_iam_role.r["a"]` is `aws_iam_role.r`.
std::string without_instance_key(std::string_view address);

// The resource of the same module that the configuration gives `attribute` of the resource at
// `address` from (`role_arn = aws_iam_role.glue.arn` is `aws_iam_role.glue`, module prefix
// kept, a literal instance key kept: `aws_iam_role.r["shared"]`), or "" when the
// configuration does not say. `attribute` is a path
// through nested blocks (`encryption_configuration`, `s3_encryption`, `kms_key_arn`). For the
// values a plan knows only after apply.
// `per_instance` is set when the value is indexed by the instance's own key (`[each.key]`,
// `[count.index]`): the resource then is the one of that key.
std::string terraform_reference(const TerraformPlan& plan, std::string_view address,
                                std::initializer_list<std::string_view> attribute, bool* per_instance = nullptr);

}  // namespace grantlint::input
