// The account a Terraform plan or state (`terraform show -json`) declares: aws_iam_role,
// aws_iam_role_policy, aws_iam_policy with aws_iam_role_policy_attachment, aws_kms_key,
// aws_kms_key_policy and aws_kms_alias, in every module.
#include <fmt/format.h>

#include "base/placeholder.h"
#include "glue/declared_account.h"
#include "input/terraform.h"
#include "json/pointer.h"

namespace grantlint::glue {

namespace {

using account::Principal;
using json::Node;
using json::Type;

const Node* member(const Node* node, std::string_view key) {
  return node != nullptr && node->is(Type::object) ? node->find(key) : nullptr;
}

std::string_view string_of(const Node* node) {
  return node != nullptr && node->is(Type::string) ? std::string_view(node->text) : std::string_view();
}

// A managed resource of the plan with its values and where they are.
struct PlanResource {
  std::string address;  // as the plan writes it, instance key included
  std::string type;
  const Node* values = nullptr;
  std::string pointer;  // of `values`
};

void collect(const Node* module, const std::string& at, std::vector<PlanResource>& out) {
  if (const Node* resources = member(module, "resources"); resources != nullptr && resources->is(Type::array)) {
    for (std::size_t i = 0; i < resources->items.size(); ++i) {
      const Node& resource = resources->items[i];
      const Node* values = member(&resource, "values");
      if (string_of(member(&resource, "mode")) == "data" || values == nullptr || !values->is(Type::object)) continue;
      out.push_back(PlanResource{std::string(string_of(member(&resource, "address"))),
                                 std::string(string_of(member(&resource, "type"))), values,
                                 json::pointer_append(json::pointer_append(at + "/resources", i), "values")});
    }
  }
  if (const Node* children = member(module, "child_modules"); children != nullptr && children->is(Type::array)) {
    for (std::size_t i = 0; i < children->items.size(); ++i) {
      collect(&children->items[i], json::pointer_append(at + "/child_modules", i), out);
    }
  }
}

}  // namespace

void DeclaredAccount::read_terraform(const Node& root, const std::vector<input::PolicySlot>& slots,
                                     const Deployment& deployment) {
  const input::TerraformPlan plan(root);
  const std::string top = member(&root, "planned_values") != nullptr ? "planned_values" : "values";
  const Node* values_root = member(&root, top);
  if (values_root == nullptr) return;
  choose_pseudo_values(*values_root, deployment, "data.aws_region.current.name",
                       "${data.aws_caller_identity.current.account_id}");
  const std::string_view region =
      string_of(member(member(member(member(member(member(&root, "configuration"), "provider_config"), "aws"),
                                     "expressions"),
                              "region"),
                       "constant_value"));
  if (!region.empty() && deployment.region.empty()) pseudo_.region = std::string(region);
  std::vector<PlanResource> resources;
  collect(member(values_root, "root_module"), "/" + top + "/root_module", resources);
  // The configuration names a resource without its instance key (`aws_iam_role.r`): that
  // names one resource only when the plan has one instance of it.
  std::map<std::string, int> instances;
  for (const PlanResource& resource : resources) ++instances[input::without_instance_key(resource.address)];
  const auto placeholders = [&](const std::string& address) {
    std::vector<std::string> out{make_placeholder(address)};
    const std::string unkeyed = input::without_instance_key(address);
    if (unkeyed != address && instances[unkeyed] == 1) out.push_back(make_placeholder(unkeyed));
    return out;
  };

  // Which resource a value comes from: the literal value, else the configuration's reference.
  const auto source_of = [&](const PlanResource& resource, std::string_view attribute) -> std::string {
    if (const std::string_view given = string_of(member(resource.values, attribute)); !given.empty()) {
      return std::string(given);
    }
    const std::string target = input::terraform_reference(plan, resource.address, {attribute});
    return target.empty() ? std::string() : make_placeholder(target);
  };
  std::map<std::string_view, std::vector<const input::PolicySlot*>> slots_by_resource;
  for (const input::PolicySlot& slot : slots) {
    if (!slot.repeats_document) slots_by_resource[slot.resource].push_back(&slot);
  }
  const auto policies_of = [&](const PlanResource& resource) {
    const auto it = slots_by_resource.find(resource.address);
    return it == slots_by_resource.end() ? std::vector<const input::PolicySlot*>{} : it->second;
  };
  const auto remember = [&](const PlanResource& resource, const std::string& value) {
    for (const std::string& placeholder : placeholders(resource.address)) known_values_.emplace(placeholder, value);
  };
  // A role's policy the plan knows only after apply: unknown, as an unheld managed policy is.
  const auto unknown_policy = [&](Principal& role, const PlanResource& resource, std::string_view attribute) {
    role.attached.push_back(account::Reference{source_, fmt::format("{} ({}, known after apply)", resource.address,
                                                                    attribute),
                                               resource.values->span, resource.pointer});
  };

  for (const PlanResource& resource : resources) {
    if (resource.type != "aws_iam_role") continue;
    Principal role;
    role.source = source_;
    role.kind = account::PrincipalKind::role;
    const std::string_view name = string_of(member(resource.values, "name"));
    role.name = name.empty() ? make_name_placeholder(resource.address) : std::string(name);
    const std::string_view arn = string_of(member(resource.values, "arn"));
    const std::string_view path = string_of(member(resource.values, "path"));
    role.arn = !arn.empty() ? std::string(arn) : this->arn("iam", "", fmt::format("role{}{}", path.empty() ? "/" : path, role.name));
    const Node* name_node = member(resource.values, "name");
    role.arn_span = name_node != nullptr ? name_node->span : resource.values->span;
    role.pointer = resource.pointer;
    if (const Node* arns = member(resource.values, "managed_policy_arns"); arns != nullptr && arns->is(Type::array)) {
      for (std::size_t i = 0; i < arns->items.size(); ++i) {
        role.attached.push_back(account::Reference{
            source_, std::string(string_of(&arns->items[i])), arns->items[i].span,
            json::pointer_append(json::pointer_append(resource.pointer, "managed_policy_arns"), i)});
      }
    } else if (input::terraform_unknown_after_apply(plan, resource.address, "managed_policy_arns")) {
      unknown_policy(role, resource, "managed_policy_arns");
    }
    if (const std::string_view boundary = string_of(member(resource.values, "permissions_boundary"));
        !boundary.empty()) {
      const Node* node = member(resource.values, "permissions_boundary");
      role.boundary = account::Reference{source_, std::string(boundary), node->span,
                                         json::pointer_append(resource.pointer, "permissions_boundary")};
    }
    for (const input::PolicySlot* slot : policies_of(resource)) {
      const bool trust = slot->pointer.ends_with("/assume_role_policy");
      const auto document = compile(*slot, trust ? policy::Kind::trust : policy::Kind::inline_role);
      if (!document) continue;
      if (trust) {
        role.trust = *document;
      } else {
        role.inline_policies.push_back(account::InlinePolicy{slot->pointer, *document});
      }
    }
    if (input::terraform_unknown_after_apply(plan, resource.address, "inline_policy"))
      unknown_policy(role, resource, "inline_policy");
    const std::size_t index = iam_.principals.size();
    for (const std::string& reference : placeholders(resource.address)) role_by_reference_.emplace(reference, index);
    role_by_reference_.emplace(role.arn, index);
    role_by_reference_.emplace(role.name, index);
    iam_.principals.push_back(std::move(role));
  }
  for (const PlanResource& resource : resources) {
    const std::string_view field = resource.type == "aws_glue_job" || resource.type == "aws_glue_dev_endpoint" ? "role_arn"
                                   : resource.type == "aws_glue_crawler"                                       ? "role"
                                                                                                                : "";
    const Node* role = field.empty() ? nullptr : member(resource.values, field);
    if (role != nullptr && role->is(Type::string)) {
      add_role_named_elsewhere(role->text, *role, json::pointer_append(resource.pointer, field), *values_root);
    }
  }
  const auto role_named = [&](const PlanResource& resource) -> Principal* {
    std::string reference = source_of(resource, "role");
    const auto it = role_by_reference_.find(reference);
    return it == role_by_reference_.end() ? nullptr : &iam_.principals[it->second];
  };

  std::map<std::string, std::string> policy_arns;  // placeholder of an aws_iam_policy → its ARN
  for (const PlanResource& resource : resources) {
    if (resource.type == "aws_iam_role_policy") {
      Principal* role = role_named(resource);
      if (role == nullptr) continue;
      const auto slots_here = policies_of(resource);
      for (const input::PolicySlot* slot : slots_here) {
        if (const auto document = compile(*slot, policy::Kind::inline_role)) {
          role->inline_policies.push_back(account::InlinePolicy{resource.address, *document});
        }
      }
      if (slots_here.empty() && input::terraform_unknown_after_apply(plan, resource.address, "policy")) {
        unknown_policy(*role, resource, "policy");
      }
    } else if (resource.type == "aws_iam_policy") {
      const std::string_view arn = string_of(member(resource.values, "arn"));
      const std::string_view name = string_of(member(resource.values, "name"));
      const std::string_view path = string_of(member(resource.values, "path"));
      const std::string policy_arn =
          !arn.empty() ? std::string(arn)
                       : this->arn("iam", "",
                                   fmt::format("policy{}{}", path.empty() ? "/" : path,
                                               name.empty() ? make_name_placeholder(resource.address) : std::string(name)));
      for (const std::string& placeholder : placeholders(resource.address)) policy_arns.emplace(placeholder, policy_arn);
      for (const input::PolicySlot* slot : policies_of(resource)) {
        if (const auto document = compile(*slot, policy::Kind::identity)) {
          iam_.policies.push_back(account::ManagedPolicy::declared(policy_arn, *document));
        }
      }
    }
  }
  for (const PlanResource& resource : resources) {
    if (resource.type != "aws_iam_role_policy_attachment") continue;
    Principal* role = role_named(resource);
    if (role == nullptr) continue;
    std::string arn = source_of(resource, "policy_arn");
    if (const auto it = policy_arns.find(arn); it != policy_arns.end()) arn = it->second;
    if (arn.empty()) arn = fmt::format("{} (policy_arn, known after apply)", resource.address);
    const Node* node = member(resource.values, "policy_arn");
    role->attached.push_back(account::Reference{source_, arn, node != nullptr ? node->span : resource.values->span,
                                                json::pointer_append(resource.pointer, "policy_arn")});
  }

  for (const PlanResource& resource : resources) {
    if (resource.type != "aws_kms_key") continue;
    Key key;
    const std::string_view id = string_of(member(resource.values, "key_id"));
    key.id = id.empty() ? make_name_placeholder(resource.address) : std::string(id);
    const std::string_view arn = string_of(member(resource.values, "arn"));
    key.arn = !arn.empty() ? std::string(arn) : this->arn("kms", pseudo_.region, "key/" + key.id);
    const std::string_view spec = string_of(member(resource.values, "customer_master_key_spec"));
    key.key_spec = spec.empty() ? "SYMMETRIC_DEFAULT" : std::string(spec);
    key.key_usage = "ENCRYPT_DECRYPT";
    key.key_state = "Enabled";
    key.metadata_at = Place{source_, resource.values->span, resource.pointer};
    for (const input::PolicySlot* slot : policies_of(resource)) {
      if (const auto document = compile(*slot, policy::Kind::kms_key)) {
        key.policy = Place{source_, document->span, document->pointer};
        key.compiled_policy = compiled_.at({source_, document->span.begin}).get();
      }
    }
    if (!key.policy && input::terraform_unknown_after_apply(plan, resource.address, "policy")) {
      key.policy_unknown = true;
      key.policy_path = fmt::format("the policy of key `{}` is known only after apply", resource.address);
    }
    remember(resource, key.arn);
    keys_.push_back(std::move(key));
  }
  for (const PlanResource& resource : resources) {
    if (resource.type == "aws_kms_key_policy") {
      std::string reference = source_of(resource, "key_id");
      if (const auto it = known_values_.find(reference); it != known_values_.end()) reference = it->second;
      for (Key& key : keys_) {
        if (key.id != reference && key.arn != reference) continue;
        for (const input::PolicySlot* slot : policies_of(resource)) {
          if (const auto document = compile(*slot, policy::Kind::kms_key)) {
            key.policy = Place{source_, document->span, document->pointer};
            key.compiled_policy = compiled_.at({source_, document->span.begin}).get();
            key.policy_unknown = false;
          }
        }
      }
    } else if (resource.type == "aws_kms_alias") {
      const std::string name(string_of(member(resource.values, "name")));
      if (name.empty()) continue;
      std::string target = source_of(resource, "target_key_id");
      if (const auto it = known_values_.find(target); it != known_values_.end()) target = it->second;
      if (const std::size_t key = target.rfind(":key/"); key != std::string::npos) target = target.substr(key + 5);
      aliases_.push_back(Alias{name, arn("kms", pseudo_.region, name), target});
      remember(resource, name);
    }
  }
}

}  // namespace grantlint::glue
