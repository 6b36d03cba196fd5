#include "input/recognize.h"

#include <fmt/format.h>

#include <optional>
#include <string>

namespace grantlint::input {

namespace {

using json::Node;
using json::Type;
using policy::Kind;

bool holds_policy(const Node* node) { return node != nullptr && (node->is(Type::object) || node->is(Type::string)); }

}  // namespace

std::vector<PolicySlot> find_policies(const Node& root) {
  if (!root.is(Type::object) || root.find("Statement") != nullptr) return {{"", &root, std::nullopt, {}}};

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
  // `aws iam list-roles`: each role's trust policy (the output holds no permissions policy).
  if (const Node* roles = root.find("Roles"); roles != nullptr && roles->is(Type::array) && !roles->items.empty()) {
    std::vector<PolicySlot> slots;
    for (std::size_t index = 0; index < roles->items.size(); ++index) {
      const Node& role = roles->items[index];
      const Node* doc = role.is(Type::object) ? role.find("AssumeRolePolicyDocument") : nullptr;
      if (!holds_policy(doc)) continue;
      slots.push_back(
          {fmt::format("/Roles/{}/AssumeRolePolicyDocument", index), doc, Kind::trust, "aws iam list-roles"});
    }
    if (!slots.empty()) return slots;
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
