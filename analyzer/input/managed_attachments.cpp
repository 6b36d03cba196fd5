#include "input/managed_attachments.h"

#include <string_view>

#include "json/pointer.h"

namespace grantlint::input {

namespace {

using json::Node;
using json::Type;

const Node* member(const Node* node, std::string_view key) {
  return node != nullptr && node->is(Type::object) ? node->find(key) : nullptr;
}

// An ARN as a template writes it: a literal, or `Fn::Sub` of one with `${AWS::Partition}`
// (AWS managed policies are the same in every partition's `aws` account). Empty otherwise.
std::string written_arn(const Node& node) {
  const Node* text = &node;
  if (const Node* sub = member(&node, "Fn::Sub"); sub != nullptr && node.members.size() == 1) text = sub;
  if (!text->is(Type::string)) return {};
  std::string arn = text->text;
  if (text != &node) {
    constexpr std::string_view kPartition = "${AWS::Partition}";
    if (const auto at = arn.find(kPartition); at != std::string::npos) arn.replace(at, kPartition.size(), "aws");
    if (arn.find("${") != std::string::npos) return {};
  }
  return arn;
}

void attach_each(const Node* list, const std::string& pointer, const std::string& holder, bool names_too,
                 std::vector<ManagedAttachment>& out) {
  if (list == nullptr || !list->is(Type::array)) return;
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    const Node& item = list->items[i];
    std::string arn = written_arn(item);
    // SAM takes an AWS managed policy by its name.
    if (names_too && !arn.empty() && !arn.starts_with("arn:")) arn = "arn:aws:iam::aws:policy/" + arn;
    if (arn.empty()) continue;
    out.push_back(ManagedAttachment{std::move(arn), item.span, json::pointer_append(pointer, i), holder});
  }
}

void collect_plan(const Node* module, std::vector<ManagedAttachment>& out, const std::string& at) {
  if (const Node* resources = member(module, "resources"); resources != nullptr && resources->is(Type::array)) {
    for (std::size_t i = 0; i < resources->items.size(); ++i) {
      const Node& resource = resources->items[i];
      const Node* values = member(&resource, "values");
      const Node* type = member(&resource, "type");
      const Node* address = member(&resource, "address");
      if (values == nullptr || type == nullptr || !type->is(Type::string)) continue;
      const std::string holder = address != nullptr && address->is(Type::string) ? address->text : type->text;
      const std::string pointer = json::pointer_append(json::pointer_append(at + "/resources", i), "values");
      if (type->text == "aws_iam_role") {
        attach_each(member(values, "managed_policy_arns"), json::pointer_append(pointer, "managed_policy_arns"), holder,
                    false, out);
      } else if (type->text == "aws_iam_role_policy_attachment" || type->text == "aws_iam_user_policy_attachment" ||
                 type->text == "aws_iam_group_policy_attachment" || type->text == "aws_iam_policy_attachment") {
        if (const Node* arn = member(values, "policy_arn"); arn != nullptr && arn->is(Type::string)) {
          out.push_back(ManagedAttachment{arn->text, arn->span, json::pointer_append(pointer, "policy_arn"), holder});
        }
      }
    }
  }
  if (const Node* children = member(module, "child_modules"); children != nullptr && children->is(Type::array)) {
    for (std::size_t i = 0; i < children->items.size(); ++i) {
      collect_plan(&children->items[i], out, json::pointer_append(at + "/child_modules", i));
    }
  }
}

}  // namespace

std::vector<ManagedAttachment> cloudformation_managed_attachments(const Node& root) {
  std::vector<ManagedAttachment> out;
  const Node* resources = member(&root, "Resources");
  if (resources == nullptr || !resources->is(Type::object)) return out;
  for (const json::Member& resource : resources->members) {
    const Node* type = member(&resource.value, "Type");
    const Node* properties = member(&resource.value, "Properties");
    if (type == nullptr || !type->is(Type::string) || properties == nullptr) continue;
    const std::string pointer =
        json::pointer_append(json::pointer_append(json::pointer_append("", "Resources"), resource.key), "Properties");
    if (type->text == "AWS::IAM::Role" || type->text == "AWS::IAM::User" || type->text == "AWS::IAM::Group") {
      attach_each(member(properties, "ManagedPolicyArns"), json::pointer_append(pointer, "ManagedPolicyArns"),
                  resource.key, false, out);
    } else if (type->text == "AWS::Serverless::Function" || type->text == "AWS::Serverless::StateMachine") {
      // `Policies` is a name, an ARN, a policy document or a policy template, or a list of them.
      const Node* policies = member(properties, "Policies");
      const std::string at = json::pointer_append(pointer, "Policies");
      if (policies != nullptr && policies->is(Type::string)) {
        Node list;
        list.type = Type::array;
        list.items.push_back(*policies);
        std::vector<ManagedAttachment> one;
        attach_each(&list, at, resource.key, true, one);
        for (ManagedAttachment& attachment : one) {
          attachment.pointer = at;
          out.push_back(std::move(attachment));
        }
      } else {
        attach_each(policies, at, resource.key, true, out);
      }
    }
  }
  return out;
}

std::vector<ManagedAttachment> terraform_managed_attachments(const Node& root) {
  std::vector<ManagedAttachment> out;
  const bool plan = member(&root, "planned_values") != nullptr;
  const std::string top = plan ? "planned_values" : "values";
  collect_plan(member(member(&root, top), "root_module"), out, "/" + top + "/root_module");
  return out;
}

}  // namespace grantlint::input
