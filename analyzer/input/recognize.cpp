#include "input/recognize.h"

#include <optional>
#include <string>

namespace grantlint::input {

namespace {

using json::Node;
using json::Type;
using policy::Kind;

bool holds_policy(const Node* node) { return node != nullptr && (node->is(Type::object) || node->is(Type::string)); }

// The policy attributes of Terraform's AWS resources, and the kind of policy each holds.
struct TerraformAttribute {
  std::string_view type;       // resource type
  std::string_view attribute;  // `inline_policy` is a list of blocks with `policy`
  std::optional<Kind> kind;
};
constexpr TerraformAttribute kTerraform[] = {
    {"aws_iam_policy", "policy", Kind::identity},
    {"aws_iam_role", "assume_role_policy", Kind::trust},
    {"aws_iam_role", "inline_policy", Kind::inline_role},
    {"aws_iam_role_policy", "policy", Kind::inline_role},
    {"aws_iam_user_policy", "policy", Kind::inline_user},
    {"aws_iam_group_policy", "policy", Kind::inline_group},
    {"aws_kms_key", "policy", Kind::kms_key},
    {"aws_kms_key_policy", "policy", Kind::kms_key},
    {"aws_s3_bucket_policy", "policy", Kind::resource},
    {"aws_sqs_queue_policy", "policy", Kind::resource},
    {"aws_sns_topic_policy", "policy", Kind::resource},
    {"aws_iam_policy_document", "json", std::nullopt},  // a data source: its kind is read from it
};

// The resources of a module of `terraform show -json` output, its child modules' after it.
void terraform_module(const Node& module, const std::string& pointer, std::vector<PolicySlot>& out) {
  if (const Node* resources = module.find("resources"); resources != nullptr && resources->is(Type::array)) {
    for (std::size_t i = 0; i < resources->items.size(); ++i) {
      const Node& resource = resources->items[i];
      const Node* type = resource.find("type");
      const Node* values = resource.find("values");
      if (type == nullptr || !type->is(Type::string) || values == nullptr || !values->is(Type::object)) continue;
      const std::string at = pointer + "/resources/" + std::to_string(i) + "/values";
      for (const TerraformAttribute& attribute : kTerraform) {
        if (attribute.type != type->text) continue;
        const Node* value = values->find(attribute.attribute);
        if (value == nullptr) continue;
        const std::string attribute_at = at + "/" + std::string(attribute.attribute);
        if (value->is(Type::string) && !value->text.empty()) {
          out.push_back({attribute_at, value, attribute.kind, "a Terraform plan"});
        } else if (value->is(Type::array)) {  // inline_policy blocks
          for (std::size_t k = 0; k < value->items.size(); ++k) {
            const Node* policy = value->items[k].find("policy");
            if (policy == nullptr || !policy->is(Type::string) || policy->text.empty()) continue;
            out.push_back({attribute_at + "/" + std::to_string(k) + "/policy", policy, attribute.kind,
                           "a Terraform plan"});
          }
        }
      }
    }
  }
  if (const Node* children = module.find("child_modules"); children != nullptr && children->is(Type::array)) {
    for (std::size_t i = 0; i < children->items.size(); ++i) {
      terraform_module(children->items[i], pointer + "/child_modules/" + std::to_string(i), out);
    }
  }
}

// `terraform show -json` of a plan (`planned_values`) or of the state (`values`).
std::optional<std::vector<PolicySlot>> terraform(const Node& root) {
  if (root.find("format_version") == nullptr || root.find("terraform_version") == nullptr) return std::nullopt;
  std::vector<PolicySlot> out;
  for (const std::string_view top : {"planned_values", "values"}) {
    const Node* values = root.find(top);
    if (values == nullptr || !values->is(Type::object)) continue;
    if (const Node* module = values->find("root_module"); module != nullptr && module->is(Type::object)) {
      terraform_module(*module, "/" + std::string(top) + "/root_module", out);
    }
    break;
  }
  return out;
}

}  // namespace

std::vector<PolicySlot> find_policies(const Node& root) {
  if (!root.is(Type::object) || root.find("Statement") != nullptr) return {{"", &root, std::nullopt, {}}};
  if (auto slots = terraform(root)) return std::move(*slots);

  if (const Node* version = root.find("PolicyVersion"); version != nullptr && version->is(Type::object)) {
    if (const Node* doc = version->find("Document"); holds_policy(doc)) {
      return {{"/PolicyVersion/Document", doc, Kind::identity, "aws iam get-policy-version"}};
    }
  }
  if (const Node* role = root.find("Role"); role != nullptr && role->is(Type::object)) {
    if (const Node* doc = role->find("AssumeRolePolicyDocument"); holds_policy(doc)) {
      return {{"/Role/AssumeRolePolicyDocument", doc, Kind::trust, "aws iam get-role"}};
    }
  }
  if (const Node* doc = root.find("PolicyDocument"); holds_policy(doc)) {
    std::optional<Kind> kind;
    std::string_view command = "an inline policy";
    if (root.find("RoleName") != nullptr) {
      kind = Kind::inline_role;
      command = "aws iam get-role-policy";
    } else if (root.find("UserName") != nullptr) {
      kind = Kind::inline_user;
      command = "aws iam get-user-policy";
    } else if (root.find("GroupName") != nullptr) {
      kind = Kind::inline_group;
      command = "aws iam get-group-policy";
    }
    return {{"/PolicyDocument", doc, kind, command}};
  }
  if (const Node* doc = root.find("Policy"); holds_policy(doc)) {
    // kms get-key-policy names the policy ("default"); s3api get-bucket-policy does not.
    if (root.find("PolicyName") != nullptr) return {{"/Policy", doc, Kind::kms_key, "aws kms get-key-policy"}};
    return {{"/Policy", doc, std::nullopt, "a policy response"}};
  }
  return {{"", &root, std::nullopt, {}}};
}

}  // namespace grantlint::input
