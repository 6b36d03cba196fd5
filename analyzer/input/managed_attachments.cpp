#include "input/managed_attachments.h"

#include <set>
#include <string_view>
#include <utility>

#include "base/placeholder.h"
#include "input/cloudformation.h"
#include "json/pointer.h"

namespace grantlint::input {

namespace {

using json::Node;
using json::Type;

const Node* member(const Node* node, std::string_view key) {
  return node != nullptr && node->is(Type::object) ? node->find(key) : nullptr;
}

// An AWS managed policy's ARN in the `aws` partition, however the input writes the partition
// (`${AWS::Partition}`, `aws-cn`, `aws-us-gov`: AWS's managed policies are the same in each), or
// a SAM policy's bare name; empty for a value known only at deployment.
std::string in_aws_partition_arn(std::string_view written, bool names_too) {
  std::string text = in_aws_partition(written);
  if (text.empty() || has_placeholder(text)) return {};
  if (!text.starts_with("arn:")) return names_too ? "arn:aws:iam::aws:policy/" + text : std::string();
  const std::size_t colon = text.find(':', 4);
  if (colon == std::string::npos) return {};
  return "arn:aws" + text.substr(colon);
}

// Each string of a list (or the one string) a property holds, in every form its functions take.
void attach_each(const Node* value, const TemplateResources* resources, const std::string& pointer,
                 const std::string& holder, bool names_too, std::vector<ManagedAttachment>& out) {
  if (value == nullptr) return;
  std::set<std::pair<std::string, std::string>> seen;  // pointer, ARN: once, whichever forms name it
  const auto add = [&](const Node& item, std::string item_pointer) {
    if (!item.is(Type::string)) return;
    std::string arn = in_aws_partition_arn(item.text, names_too);
    if (arn.empty() || !seen.emplace(item_pointer, arn).second) return;
    out.push_back(ManagedAttachment{std::move(arn), item.span, std::move(item_pointer), holder});
  };
  const std::vector<Node> forms = resources != nullptr ? cloudformation_forms(*value, *resources) : std::vector{*value};
  for (const Node& form : forms) {
    if (form.is(Type::string)) add(form, pointer);
    for (std::size_t i = 0; i < form.items.size(); ++i) add(form.items[i], json::pointer_append(pointer, i));
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
        attach_each(member(values, "managed_policy_arns"), nullptr,
                    json::pointer_append(pointer, "managed_policy_arns"), holder, false, out);
      } else if (type->text == "aws_iam_role_policy_attachment" || type->text == "aws_iam_user_policy_attachment" ||
                 type->text == "aws_iam_group_policy_attachment" || type->text == "aws_iam_policy_attachment") {
        attach_each(member(values, "policy_arn"), nullptr, json::pointer_append(pointer, "policy_arn"), holder, false,
                    out);
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
  const TemplateResources declared = template_resources(root);
  for (const json::Member& resource : resources->members) {
    const Node* type = member(&resource.value, "Type");
    const Node* properties = member(&resource.value, "Properties");
    if (type == nullptr || !type->is(Type::string) || properties == nullptr) continue;
    const std::string pointer =
        json::pointer_append(json::pointer_append(json::pointer_append("", "Resources"), resource.key), "Properties");
    if (type->text == "AWS::IAM::Role" || type->text == "AWS::IAM::User" || type->text == "AWS::IAM::Group") {
      attach_each(member(properties, "ManagedPolicyArns"), &declared,
                  json::pointer_append(pointer, "ManagedPolicyArns"), resource.key, false, out);
    } else if (type->text == "AWS::Serverless::Function" || type->text == "AWS::Serverless::StateMachine") {
      // `Policies` is a name, an ARN, a policy document or a policy template, or a list of them.
      attach_each(member(properties, "Policies"), &declared, json::pointer_append(pointer, "Policies"), resource.key,
                  true, out);
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
