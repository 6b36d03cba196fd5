#include "input/terraform.h"

#include <fmt/format.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "json/pointer.h"
#include "rules/registry.h"

namespace grantlint::input {

namespace {

using json::Node;
using json::Type;
using policy::Kind;

// The attributes of the AWS provider's resources that hold a policy document as JSON text.
struct PolicyAttribute {
  std::string_view type;       // resource type
  std::string_view attribute;  // `inline_policy` is a list of blocks, each with a `policy`
  std::optional<Kind> kind;    // nullopt: read from the document
  // Optional, and computed by AWS when not set (a topic's default policy): unknown in a plan
  // without meaning that the configuration gave one.
  bool computed_when_unset = false;
  bool takes_no_resource = false;  // ECR repository policies
};
constexpr PolicyAttribute kAttributes[] = {
    {"aws_iam_policy", "policy", Kind::identity},
    {"aws_iam_role", "assume_role_policy", Kind::trust},
    {"aws_iam_role", "inline_policy", Kind::inline_role, true},
    {"aws_iam_role_policy", "policy", Kind::inline_role},
    {"aws_iam_user_policy", "policy", Kind::inline_user},
    {"aws_iam_group_policy", "policy", Kind::inline_group},
    {"aws_kms_key", "policy", Kind::kms_key, true},
    {"aws_kms_replica_key", "policy", Kind::kms_key, true},
    {"aws_kms_key_policy", "policy", Kind::kms_key},
    {"aws_s3_bucket", "policy", Kind::resource, true},
    {"aws_s3_bucket_policy", "policy", Kind::resource},
    {"aws_sqs_queue", "policy", Kind::resource, true},
    {"aws_sqs_queue_policy", "policy", Kind::resource},
    {"aws_sns_topic", "policy", Kind::resource, true},
    {"aws_sns_topic_policy", "policy", Kind::resource},
    {"aws_secretsmanager_secret", "policy", Kind::resource, true},
    {"aws_secretsmanager_secret_policy", "policy", Kind::resource},
    {"aws_ecr_repository_policy", "policy", Kind::resource, false, true},
    {"aws_glue_resource_policy", "policy", Kind::resource},
    {"aws_cloudwatch_log_resource_policy", "policy_document", Kind::resource},
    {"aws_organizations_policy", "content", Kind::scp},
};

// The member `key` of `node`, if `node` is an object; nullptr otherwise (so lookups chain).
const Node* member(const Node* node, std::string_view key) {
  return node != nullptr && node->is(Type::object) ? node->find(key) : nullptr;
}

std::string_view string_of(const Node* node) {
  return node != nullptr && node->is(Type::string) ? std::string_view(node->text) : std::string_view();
}

// An Organizations policy is an SCP only when its type says so (the default); tag, backup
// and AI opt-out policies are not IAM's grammar.
bool holds_iam_grammar(const PolicyAttribute& attribute, const Node& values) {
  if (attribute.type != "aws_organizations_policy") return true;
  const Node* type = member(&values, "type");
  return type == nullptr || type->is(Type::null) || string_of(type) == "SERVICE_CONTROL_POLICY";
}

class Reader {
 public:
  Reader(const Node& root, Emitter& emit) : root_(root), emit_(emit) {}

  std::vector<PolicySlot> read() {
    // A plan's resources as they will be (`planned_values`), or the state's (`values`).
    const bool plan = member(&root_, "planned_values") != nullptr;
    const std::string top = plan ? "/planned_values" : "/values";
    if (const Node* module = member(member(&root_, top.substr(1)), "root_module")) {
      read_module(*module, top + "/root_module");
    }
    // Data sources read while planning are in the prior state; a data source's document is
    // checked once, and not at all when a resource holds the same text (it is checked there,
    // as the kind the resource gives it).
    const Node* prior = member(member(member(&root_, "prior_state"), "values"), "root_module");
    if (plan && prior != nullptr) read_module(*prior, "/prior_state/values/root_module", true);
    std::set<std::string_view> held;
    for (const PolicySlot& slot : slots_) held.insert(slot.node->text);
    for (PolicySlot& slot : data_slots_) {
      if (held.insert(slot.node->text).second) slots_.push_back(std::move(slot));
    }
    if (plan) report_unknown_policies();
    return std::move(slots_);
  }

 private:
  void read_module(const Node& module, const std::string& at, bool data_only = false) {
    if (const Node* resources = member(&module, "resources"); resources != nullptr && resources->is(Type::array)) {
      for (std::size_t i = 0; i < resources->items.size(); ++i) {
        read_resource(resources->items[i], json::pointer_append(at + "/resources", i), data_only);
      }
    }
    if (const Node* children = member(&module, "child_modules"); children != nullptr && children->is(Type::array)) {
      for (std::size_t i = 0; i < children->items.size(); ++i) {
        read_module(children->items[i], json::pointer_append(at + "/child_modules", i), data_only);
      }
    }
  }

  void read_resource(const Node& resource, const std::string& at, bool data_only) {
    const std::string_view type = string_of(member(&resource, "type"));
    const Node* values = member(&resource, "values");
    if (type.empty() || values == nullptr || !values->is(Type::object)) return;
    std::string address(string_of(member(&resource, "address")));
    if (address.empty()) address = fmt::format("{}.{}", type, string_of(member(&resource, "name")));
    const std::string values_at = at + "/values";
    if (string_of(member(&resource, "mode")) == "data") {
      const Node* json = values->find("json");
      if (type == "aws_iam_policy_document" && !string_of(json).empty()) {
        data_slots_.push_back(slot(values_at + "/json", *json, std::nullopt, address));
      }
      return;
    }
    if (data_only) return;
    for (const PolicyAttribute& attribute : kAttributes) {
      if (attribute.type != type || !holds_iam_grammar(attribute, *values)) continue;
      const Node* value = values->find(attribute.attribute);
      if (value == nullptr) continue;
      const std::string value_at = json::pointer_append(values_at, attribute.attribute);
      if (!string_of(value).empty()) {
        slots_.push_back(slot(value_at, *value, attribute.kind, address, attribute.takes_no_resource));
      } else if (value->is(Type::array)) {  // inline_policy blocks
        for (std::size_t k = 0; k < value->items.size(); ++k) {
          const Node* policy = member(&value->items[k], "policy");
          if (string_of(policy).empty()) continue;
          slots_.push_back(slot(json::pointer_append(json::pointer_append(value_at, k), "policy"), *policy,
                                attribute.kind, address));
        }
      }
    }
  }

  static PolicySlot slot(std::string pointer, const Node& node, std::optional<Kind> kind, const std::string& address,
                         bool takes_no_resource = false) {
    PolicySlot out{std::move(pointer), &node, kind, "a Terraform plan"};
    out.takes_no_resource = takes_no_resource;
    out.resource = address;
    return out;
  }

  // Every policy attribute the plan knows only after apply: each is a TPL003 note at its
  // `after_unknown` entry. Attributes AWS computes when unset count only when the
  // configuration sets them.
  void report_unknown_policies() {
    const Node* changes = member(&root_, "resource_changes");
    if (changes == nullptr || !changes->is(Type::array)) return;
    for (const Node& change : changes->items) {
      const std::string_view type = string_of(member(&change, "type"));
      const Node* unknown = member(member(&change, "change"), "after_unknown");
      if (type.empty() || unknown == nullptr || string_of(member(&change, "mode")) == "data") continue;
      for (const PolicyAttribute& attribute : kAttributes) {
        if (attribute.type != type) continue;
        const Node* flag = member(unknown, attribute.attribute);
        if (flag == nullptr || !is_unknown(*flag)) continue;
        if (attribute.computed_when_unset && !configured(change, attribute.attribute)) continue;
        emit_.emit(rules::kPolicyNotAnalysed, flag->span, "",
                   fmt::format("the `{}` of `{}` is known only when the plan is applied (it is built from values "
                               "of resources not yet created), so it is not analysed; check the state after apply "
                               "(`terraform show -json`)",
                               attribute.attribute, string_of(member(&change, "address"))));
      }
    }
  }

  // `true`, or blocks with an unknown `policy`.
  static bool is_unknown(const Node& flag) {
    if (flag.is(Type::boolean)) return flag.text == "true";
    if (!flag.is(Type::array)) return false;
    for (const Node& block : flag.items) {
      const Node* policy = member(&block, "policy");
      if (policy != nullptr && policy->is(Type::boolean) && policy->text == "true") return true;
    }
    return false;
  }

  // Whether the configuration of `change`'s resource writes `attribute`: its module is found
  // through `module_calls` by the names in `module_address` (`module.a[0].module.b`).
  bool configured(const Node& change, std::string_view attribute) const {
    const Node* module = member(member(&root_, "configuration"), "root_module");
    std::string_view path = string_of(member(&change, "module_address"));
    while (module != nullptr && path.starts_with("module.")) {
      path.remove_prefix(7);
      const std::size_t end = path.find_first_of(".[");
      const std::string_view name = path.substr(0, end);
      path = end == std::string_view::npos ? std::string_view() : path.substr(end);
      if (path.starts_with("[")) {  // an instance key, which may hold dots: `["a.b"]`
        const std::size_t close = path.find("].");
        path = close == std::string_view::npos ? std::string_view() : path.substr(close + 1);
      }
      if (path.starts_with(".")) path.remove_prefix(1);
      module = member(member(member(module, "module_calls"), name), "module");
    }
    const Node* resources = member(module, "resources");
    if (resources == nullptr || !resources->is(Type::array)) return false;
    for (const Node& resource : resources->items) {
      if (string_of(member(&resource, "type")) != string_of(member(&change, "type")) ||
          string_of(member(&resource, "name")) != string_of(member(&change, "name"))) {
        continue;
      }
      return member(member(&resource, "expressions"), attribute) != nullptr;
    }
    return false;
  }

  const Node& root_;
  Emitter& emit_;
  std::vector<PolicySlot> slots_;
  std::vector<PolicySlot> data_slots_;
};

}  // namespace

bool is_terraform(const Node& root) {
  if (member(&root, "format_version") == nullptr) return false;
  const Node* values = member(&root, "planned_values");
  if (values == nullptr) values = member(&root, "values");
  return values != nullptr && values->is(Type::object) && member(&root, "terraform_version") != nullptr;
}

std::vector<PolicySlot> terraform_policies(const Node& root, Emitter& emit) { return Reader(root, emit).read(); }

}  // namespace grantlint::input
