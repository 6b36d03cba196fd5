#include "input/terraform.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "base/strings.h"
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
  bool takes_no_resource = false;       // ECR repository policies
  std::string_view resource_type = {};  // policy/resource_type.h, for resource policies
  bool holds_blocks = false;            // a list of blocks, each with a `policy`
};
constexpr PolicyAttribute kAttributes[] = {
    {"aws_iam_policy", "policy", Kind::identity},
    {"aws_iam_role", "assume_role_policy", Kind::trust},
    {"aws_iam_role", "inline_policy", Kind::inline_role, true, false, {}, true},
    {"aws_iam_role_policy", "policy", Kind::inline_role},
    {"aws_iam_user_policy", "policy", Kind::inline_user},
    {"aws_iam_group_policy", "policy", Kind::inline_group},
    {"aws_kms_key", "policy", Kind::kms_key, true},
    {"aws_kms_replica_key", "policy", Kind::kms_key, true},
    {"aws_kms_key_policy", "policy", Kind::kms_key},
    {"aws_s3_bucket", "policy", Kind::resource, true, false, "AWS::S3::Bucket"},
    {"aws_s3_bucket_policy", "policy", Kind::resource, false, false, "AWS::S3::Bucket"},
    {"aws_s3_access_point", "policy", Kind::resource, true, false, "AWS::S3::AccessPoint"},
    {"aws_s3control_access_point_policy", "policy", Kind::resource, false, false, "AWS::S3::AccessPoint"},
    {"aws_s3control_object_lambda_access_point_policy", "policy", Kind::resource, false, false,
     "AWS::S3ObjectLambda::AccessPoint"},
    {"aws_dynamodb_resource_policy", "policy", Kind::resource, false, false, "AWS::DynamoDB::Table"},
    {"aws_s3control_multi_region_access_point_policy", "details", Kind::resource, false, false,
     "AWS::S3::MultiRegionAccessPoint", true},
    {"aws_sqs_queue", "policy", Kind::resource, true},
    {"aws_sqs_queue_policy", "policy", Kind::resource},
    {"aws_sns_topic", "policy", Kind::resource, true},
    {"aws_sns_topic_policy", "policy", Kind::resource},
    {"aws_secretsmanager_secret", "policy", Kind::resource, true},
    {"aws_secretsmanager_secret_policy", "policy", Kind::resource},
    {"aws_ecr_repository_policy", "policy", Kind::resource, false, true},
    {"aws_glue_resource_policy", "policy", Kind::resource},
    {"aws_cloudwatch_log_resource_policy", "policy_document", Kind::resource},
    {"aws_ecr_registry_policy", "policy", Kind::resource},
    {"aws_opensearch_domain", "access_policies", Kind::resource, true},
    {"aws_opensearch_domain_policy", "access_policies", Kind::resource},
    {"aws_elasticsearch_domain", "access_policies", Kind::resource, true},
    {"aws_elasticsearch_domain_policy", "access_policies", Kind::resource},
    {"aws_efs_file_system_policy", "policy", Kind::resource},
    {"aws_cloudwatch_event_bus_policy", "policy", Kind::resource},
    {"aws_api_gateway_rest_api", "policy", Kind::resource, true},
    {"aws_api_gateway_rest_api_policy", "policy", Kind::resource},
    {"aws_backup_vault_policy", "policy", Kind::resource},
    {"aws_kinesis_resource_policy", "policy", Kind::resource},
    {"aws_codeartifact_domain_permissions_policy", "policy_document", Kind::resource},
    {"aws_codeartifact_repository_permissions_policy", "policy_document", Kind::resource},
    {"aws_organizations_policy", "content", Kind::scp},
};

// Resources that grant access without a policy document (a Lambda permission's `principal`
// and `action`): not analysed, and said, so that a public grant does not pass unseen.
constexpr std::string_view kGrantsWithoutDocument[] = {
    "aws_lambda_permission",
    "aws_lambda_layer_version_permission",
    "aws_cloudwatch_event_permission",
};

// A resource that sets another's policy attribute (`aws_iam_role_policy` an inline policy of
// `aws_iam_role`): a state without configuration shows the policy on both, and the owner's
// copy is left out. `link` is the setter's attribute that names the owner by one of its
// identifiers (kOwnerIdentifiers).
struct PolicySetter {
  std::string_view owner_type;
  std::string_view setter_type;
  std::string_view link;
};
constexpr PolicySetter kSetters[] = {
    {"aws_iam_role", "aws_iam_role_policy", "role"},
    {"aws_sqs_queue", "aws_sqs_queue_policy", "queue_url"},
    {"aws_sns_topic", "aws_sns_topic_policy", "arn"},
    {"aws_s3_bucket", "aws_s3_bucket_policy", "bucket"},
    {"aws_s3_access_point", "aws_s3control_access_point_policy", "access_point_arn"},
    {"aws_secretsmanager_secret", "aws_secretsmanager_secret_policy", "secret_arn"},
    {"aws_kms_key", "aws_kms_key_policy", "key_id"},
    {"aws_kms_replica_key", "aws_kms_key_policy", "key_id"},
    {"aws_opensearch_domain", "aws_opensearch_domain_policy", "domain_name"},
    {"aws_elasticsearch_domain", "aws_elasticsearch_domain_policy", "domain_name"},
    {"aws_api_gateway_rest_api", "aws_api_gateway_rest_api_policy", "rest_api_id"},
};
constexpr std::string_view kOwnerIdentifiers[] = {"id", "arn", "name", "url", "bucket", "key_id", "domain_name"};

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
    // A plan trimmed to its prior state: what is deployed now is all it says.
    if (!plan && member(&root_, "values") == nullptr && prior != nullptr) {
      read_module(*prior, "/prior_state/values/root_module");
      values_read_ = "prior_state";
    }
    // A computed attribute is left out only when the resource that sets it holds the same text
    // (two roles with one inline policy are two grants).
    for (ComputedSlot& computed : computed_slots_) {
      const bool set_elsewhere = std::ranges::any_of(computed.owner_ids, [&](std::string_view id) {
        return set_by_.contains({computed.owner_type, id, computed.slot.node->text});
      });
      if (set_elsewhere) {
        merged_.push_back(std::move(computed.slot));  // given all the same (report_unknown_policies)
      } else {
        slots_.push_back(std::move(computed.slot));
      }
    }
    std::set<std::string_view> held;
    for (const PolicySlot& slot : slots_) held.insert(slot.node->text);
    for (PolicySlot& slot : data_slots_) {
      if (held.insert(slot.node->text).second) slots_.push_back(std::move(slot));
    }
    if (plan) report_unknown_policies();
    report_policies_only_in_changes();  // a plan trimmed to its prior state has them too
    return std::move(slots_);
  }

 private:
  void read_module(const Node& module, const std::string& at, bool data_only = false) {
    const std::string_view module_address = string_of(member(&module, "address"));
    if (const Node* resources = listed(module, "resources")) {
      for (std::size_t i = 0; i < resources->items.size(); ++i) {
        read_resource(resources->items[i], module_address, json::pointer_append(at + "/resources", i), data_only);
      }
    }
    if (const Node* children = listed(module, "child_modules")) {
      for (std::size_t i = 0; i < children->items.size(); ++i) {
        read_module(children->items[i], json::pointer_append(at + "/child_modules", i), data_only);
      }
    }
  }

  // Whether a resource is one Terraform writes: an object with a `type` string and `values`
  // an object. Another is said, since a policy in it would be lost; `values` null or absent
  // (nothing known of the resource yet) is not.
  bool well_formed(const Node& resource, std::string_view type, const Node* values) {
    std::string_view problem;
    const Node* at = &resource;
    if (!resource.is(Type::object)) {
      problem = "is not an object";
    } else if (type.empty()) {
      problem = "has no `type` string";
    } else if (values != nullptr && !values->is(Type::null) && !values->is(Type::object)) {
      problem = "has `values` that is not an object";
      at = values;
    }
    if (problem.empty()) return values != nullptr && values->is(Type::object);
    emit_.emit(rules::kPolicyNotAnalysed, at->span, "",
               fmt::format("a resource{} {}, so no policy or setting in it is analysed; Terraform writes an object "
                           "with `type` and `values` here, so the plan was edited or damaged",
                           type.empty() ? "" : fmt::format(" of type `{}`", clip_long_text(type)), problem),
               Level::error);
    return false;
  }

  // A module's list `key`; one of another type is said, since what it holds would be lost.
  const Node* listed(const Node& module, std::string_view key) {
    const Node* list = member(&module, key);
    if (list == nullptr || list->is(Type::null)) return nullptr;
    if (list->is(Type::array)) return list;
    emit_.emit(rules::kPolicyNotAnalysed, list->span, "",
               fmt::format("a module's `{}` is {}, not a list, so no policy in it is analysed; Terraform writes a "
                           "list here, so the plan was edited or damaged",
                           key, json::type_name(list->type)),
               Level::error);
    return nullptr;
  }

  void read_resource(const Node& resource, std::string_view module_address, const std::string& at, bool data_only) {
    const std::string_view type = string_of(member(&resource, "type"));
    const Node* values = member(&resource, "values");
    std::string address(string_of(member(&resource, "address")));
    if (address.empty()) address = fmt::format("{}.{}", type, string_of(member(&resource, "name")));
    if (!well_formed(resource, type, values)) {
      // Reported when it is not what Terraform writes; one not known yet (no values) is not.
      if (values != nullptr && !values->is(Type::null)) damaged_.insert(address);
      if (!resource.is(Type::object) || type.empty()) damaged_.insert(address);
      return;
    }
    const std::string values_at = at + "/values";
    if (string_of(member(&resource, "mode")) == "data") {
      const Node* json = values->find("json");
      if (type == "aws_iam_policy_document" && !string_of(json).empty()) {
        data_slots_.push_back(slot(values_at + "/json", *json, std::nullopt, address));
      }
      return;
    }
    if (data_only) return;
    if (std::ranges::find(kGrantsWithoutDocument, type) != std::end(kGrantsWithoutDocument)) {
      Emitter noted(emit_.sink(), emit_.source());
      noted.about(resource_logical(address));
      noted.emit(rules::kPolicyNotAnalysed, member(&resource, "type")->span, "",
                 fmt::format("`{}` grants access without a policy document, which is not analysed; check who its "
                             "`principal` admits and under which conditions",
                             address));
    }
    const std::string_view name = string_of(member(&resource, "name"));
    // Terraform writes resource types in lower case: one in other case holds policies no
    // provider would have read, so the plan was edited.
    if (const std::string lower = ascii_lower(type); lower != type) {
      const auto known = std::ranges::find(kAttributes, lower, &PolicyAttribute::type);
      if (known != std::end(kAttributes)) {
        emit_.emit(rules::kPolicyNotAnalysed, member(&resource, "type")->span, "",
                   fmt::format("resource type `{}` is not one Terraform writes (types are lower case), so no policy "
                               "in `{}` is analysed; did you mean `{}`?",
                               clip_long_text(type), address, known->type),
                   Level::error);
        damaged_.insert(address);
        return;
      }
    }
    for (const PolicyAttribute& attribute : kAttributes) {
      if (attribute.type != type || !holds_iam_grammar(attribute, *values)) continue;
      const Node* value = values->find(attribute.attribute);
      if (value == nullptr) continue;
      // An attribute AWS fills in (a topic's default policy, a queue's policy that a
      // `aws_sqs_queue_policy` sets) is the configuration's only when it sets it; a state
      // without configuration keeps it unless the resource that sets it (kSetters) holds the
      // same text, which is known only once every resource is read (read()).
      std::vector<PolicySlot> computed;
      auto* into = &slots_;
      if (attribute.computed_when_unset) {
        if (has_configuration() && !configured(module_address, type, name, attribute.attribute)) continue;
        if (!has_configuration()) into = &computed;
      }
      const std::size_t before = slots_.size();
      const std::string value_at = json::pointer_append(values_at, attribute.attribute);
      if (value->is(Type::string)) {
        // An empty policy AWS fills in is unset; a required one empty is reported where it is read.
        if (value->text.empty() && attribute.computed_when_unset) continue;
        into->push_back(slot(value_at, *value, attribute.kind, address, attribute.takes_no_resource));
        attach(into->back(), attribute, *values);
      } else if (value->is(Type::array) && !attribute.holds_blocks) {
        report_not_text(*value, attribute.attribute, address);
      } else if (value->is(Type::array)) {  // inline_policy blocks, a Multi-Region Access Point's details
        for (std::size_t k = 0; k < value->items.size(); ++k) {
          const Node* policy = member(&value->items[k], "policy");
          if (policy == nullptr || policy->is(Type::null) || (policy->is(Type::string) && policy->text.empty())) {
            continue;
          }
          if (!policy->is(Type::string)) {
            report_not_text(*policy, "policy", address);
            continue;
          }
          into->push_back(slot(json::pointer_append(json::pointer_append(value_at, k), "policy"), *policy,
                               attribute.kind, address));
          attach(into->back(), attribute, *values);
        }
      } else if (!value->is(Type::null) || !attribute.computed_when_unset) {
        report_not_text(*value, attribute.attribute, address);
      }
      for (PolicySlot& slot : computed) {
        ComputedSlot& waiting = computed_slots_.emplace_back(ComputedSlot{std::move(slot), type, {}});
        for (const std::string_view key : kOwnerIdentifiers) {
          if (const std::string_view id = string_of(values->find(key)); !id.empty()) waiting.owner_ids.push_back(id);
        }
      }
      for (const PolicySetter& setter : kSetters) {
        const std::string_view owner = string_of(values->find(setter.link));
        if (setter.setter_type != type || owner.empty()) continue;
        for (std::size_t i = before; i < slots_.size(); ++i) {
          set_by_.insert({setter.owner_type, owner, slots_[i].node->text});
        }
      }
    }
  }

  // A policy attribute whose value is not JSON text: a hand-made or damaged plan, since
  // Terraform writes every policy as a string (and leaves out one it does not know yet).
  void report_not_text(const Node& value, std::string_view attribute, const std::string& address) {
    damaged_.insert(address);
    Emitter noted(emit_.sink(), emit_.source());
    noted.about(resource_logical(address));
    noted.emit(rules::kEmbeddedPolicy, value.span, "",
               fmt::format("the `{}` of `{}` is {}, not a policy's JSON text; it is not analysed", attribute, address,
                           json::type_name(value.type)));
  }

  static LogicalLocation resource_logical(std::string_view address) {
    return LogicalLocation{split_terraform_address(address).resource, std::string(address), "resource"};
  }

  // What the plan says of the resource a resource policy is attached to: its type and, for a
  // bucket, its name.
  static void attach(PolicySlot& slot, const PolicyAttribute& attribute, const Node& values) {
    if (attribute.resource_type.empty() || other_kind_of_bucket(values)) return;
    slot.resource_type = policy::find_resource_type(attribute.resource_type);
    if (attribute.resource_type == "AWS::S3::Bucket") slot.resource_name = string_of(member(&values, "bucket"));
  }

  // The S3 resources also serve directory buckets (`NAME--usw2-az1--x-s3`, access points
  // `NAME--xa-s3`) and S3 on Outposts, whose policies name `s3express:` and `s3-outposts:`
  // actions and ARNs: their resource type is left unknown.
  static bool other_kind_of_bucket(const Node& values) {
    const std::string_view bucket = string_of(member(&values, "bucket"));
    const std::string_view name = string_of(member(&values, "name"));
    const std::string_view access_point = string_of(member(&values, "access_point_arn"));
    return bucket.ends_with("--x-s3") || name.ends_with("--xa-s3") ||
           bucket.find(":s3-outposts:") != std::string_view::npos ||
           access_point.find(":s3-outposts:") != std::string_view::npos ||
           access_point.find(":s3express:") != std::string_view::npos;
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
      const Node* after = member(member(&change, "change"), "after");
      if (type.empty() || unknown == nullptr || string_of(member(&change, "mode")) == "data") continue;
      for (const PolicyAttribute& attribute : kAttributes) {
        if (attribute.type != type || (after != nullptr && !holds_iam_grammar(attribute, *after))) continue;
        // `"after_unknown": true` marks the whole resource unknown, each attribute with it (h48 L6).
        const bool all_unknown = unknown->is(Type::boolean) && unknown->text == "true";
        const Node* flag = all_unknown ? unknown : member(unknown, attribute.attribute);
        if (flag == nullptr) continue;
        // Blocks with an unknown policy come from the configuration (also a `dynamic` block,
        // which its JSON leaves out); a whole unknown attribute AWS may be filling in.
        const std::string_view address = string_of(member(&change, "address"));
        Emitter noted(emit_.sink(), emit_.source());
        noted.about(resource_logical(address));
        if (unknown_in_blocks(*flag)) {
          for (std::size_t k = 0; k < flag->items.size(); ++k) {
            const Node* policy = member(&flag->items[k], "policy");
            if (policy == nullptr || !policy->is(Type::boolean) || policy->text != "true") continue;
            const Node* blocks = member(after, attribute.attribute);
            const Node* block = blocks != nullptr && blocks->is(Type::array) && k < blocks->items.size()
                                    ? &blocks->items[k]
                                    : nullptr;
            note_unknown(noted, *policy, fmt::format("{}[{}].policy", attribute.attribute, k), address,
                         has_text(member(block, "policy")) ||
                             given(address, fmt::format("/{}/{}/policy", attribute.attribute, k)));
          }
          continue;
        }
        if (!(flag->is(Type::boolean) && flag->text == "true")) continue;
        const bool is_given = has_text(member(after, attribute.attribute)) ||
                              given(address, fmt::format("/{}", attribute.attribute));
        // An attribute AWS computes when unset is the configuration's only if it sets it; a plan
        // without its configuration cannot say, and the note is given.
        if (!is_given && attribute.computed_when_unset && has_configuration() &&
            !configured(string_of(member(&change, "module_address")), type, string_of(member(&change, "name")),
                        attribute.attribute)) {
          continue;
        }
        note_unknown(noted, *flag, attribute.attribute, address, is_given);
      }
    }
  }

  // A policy that `resource_changes` gives (in `after`) and the planned values do not: Terraform
  // writes every resource in both, so a plan missing it from the planned values (no
  // `root_module`, no `resources`, a resource without `values` or without the attribute) was
  // edited or damaged. Said where `after` holds it, not analysed. Attributes AWS computes when
  // unset are left out: the planned values leave them out unless the configuration sets them.
  void report_policies_only_in_changes() {
    const Node* changes = member(&root_, "resource_changes");
    if (changes == nullptr || !changes->is(Type::array)) return;
    for (const Node& change : changes->items) {
      const std::string_view type = string_of(member(&change, "type"));
      const Node* after = member(member(&change, "change"), "after");
      if (type.empty() || after == nullptr || !after->is(Type::object) ||
          string_of(member(&change, "mode")) == "data") {
        continue;
      }
      const std::string_view address = string_of(member(&change, "address"));
      if (damaged_.contains(address)) continue;  // its planned values' slip is reported
      for (const PolicyAttribute& attribute : kAttributes) {
        if (attribute.type != type || attribute.computed_when_unset || !holds_iam_grammar(attribute, *after)) continue;
        const Node* value = member(after, attribute.attribute);
        if (value == nullptr) continue;
        if (has_text(value) && !given(address, fmt::format("/{}", attribute.attribute))) {
          report_only_in_changes(*value, attribute.attribute, address);
        } else if (value->is(Type::array) && attribute.holds_blocks) {
          for (std::size_t k = 0; k < value->items.size(); ++k) {
            const Node* policy = member(&value->items[k], "policy");
            if (has_text(policy) && !given(address, fmt::format("/{}/{}/policy", attribute.attribute, k))) {
              report_only_in_changes(*policy, fmt::format("{}[{}].policy", attribute.attribute, k), address);
            }
          }
        }
      }
    }
  }

  void report_only_in_changes(const Node& value, std::string_view attribute, std::string_view address) {
    Emitter noted(emit_.sink(), emit_.source());
    noted.about(resource_logical(address));
    noted.emit(rules::kPolicyNotAnalysed, value.span, "",
               fmt::format("the `{}` of `{}` is in the plan's `resource_changes` but not in its `{}`, "
                           "so it is not analysed; Terraform writes both, so the plan was edited or damaged",
                           attribute, address, values_read_),
               Level::error);
  }

  static bool has_text(const Node* value) { return value != nullptr && value->is(Type::string) && !value->text.empty(); }

  // Whether the plan gives the policy at `tail` of `address` all the same: Terraform leaves an
  // unknown value out of the planned values (and `after`), a plan written by hand or by another
  // tool may not. A slot of the planned values, or the value in `after`, says so; the slot may
  // have been merged into another resource's (an aws_iam_role_policy of the same role).
  // The slots are indexed by resource as they come: a plan of thousands of unknown policies
  // would otherwise search them all for each.
  bool given(std::string_view address, std::string_view tail) const {
    const std::vector<PolicySlot>* lists[] = {&slots_, &merged_};
    for (std::size_t list = 0; list < 2; ++list) {
      for (; indexed_[list] < lists[list]->size(); ++indexed_[list]) {
        const PolicySlot& slot = (*lists[list])[indexed_[list]];
        pointers_by_resource_[slot.resource].push_back(slot.pointer);
      }
    }
    const auto it = pointers_by_resource_.find(std::string(address));
    return it != pointers_by_resource_.end() &&
           std::ranges::any_of(it->second, [&](const std::string& pointer) { return pointer.ends_with(tail); });
  }

  // The TPL003 note of a policy known only after apply, at its `after_unknown` flag; one the
  // plan gives all the same is analysed, which is said instead.
  static void note_unknown(Emitter& noted, const Node& flag, std::string_view attribute, std::string_view address,
                           bool is_given) {
    if (is_given) {
      noted.emit(rules::kPolicyNotAnalysed, flag.span, "",
                 fmt::format("the `{}` of `{}` is marked as known only when the plan is applied, yet the plan "
                             "gives it: the value given is analysed, and may not be what is applied",
                             attribute, address));
      return;
    }
    noted.emit(rules::kPolicyNotAnalysed, flag.span, "",
               fmt::format("the `{}` of `{}` is known only when the plan is applied (it depends on values "
                           "not known when planning), so it is not analysed; check the state after apply "
                           "(`terraform show -json`)",
                           attribute, address));
  }

  // Blocks of which one has an unknown `policy`.
  static bool unknown_in_blocks(const Node& flag) {
    if (!flag.is(Type::array)) return false;
    for (const Node& block : flag.items) {
      const Node* policy = member(&block, "policy");
      if (policy != nullptr && policy->is(Type::boolean) && policy->text == "true") return true;
    }
    return false;
  }

  bool has_configuration() const { return member(member(&root_, "configuration"), "root_module") != nullptr; }

  // Whether the configuration of the managed resource `type.name` in `module_address`
  // (`module.a[0].module.b`; empty for the root) writes `attribute`: its module is found
  // through `module_calls`.
  bool configured(std::string_view module_address, std::string_view type, std::string_view name,
                  std::string_view attribute) const {
    const Node* module = member(member(&root_, "configuration"), "root_module");
    for (const std::string& call : terraform_module_names(module_address)) {
      module = member(member(member(module, "module_calls"), call), "module");
    }
    const Node* resources = member(module, "resources");
    if (resources == nullptr || !resources->is(Type::array)) return false;
    // Each module's managed resources are indexed by type and name once (a plan may configure
    // tens of thousands, each asked about).
    auto [index, fresh] = configured_index_.try_emplace(resources);
    if (fresh) {
      for (const Node& resource : resources->items) {
        if (string_of(member(&resource, "mode")) == "data") continue;
        index->second.try_emplace(
            fmt::format("{}\n{}", string_of(member(&resource, "type")), string_of(member(&resource, "name"))),
            &resource);
      }
    }
    const auto found = index->second.find(fmt::format("{}\n{}", type, name));
    return found != index->second.end() && member(member(found->second, "expressions"), attribute) != nullptr;
  }

  const Node& root_;
  Emitter& emit_;
  // Where the resources were read from, as a plan names it: `prior_state` for a plan trimmed to it.
  std::string_view values_read_ = "planned_values";
  std::vector<PolicySlot> slots_;
  // Resources whose planned values are reported as damaged: their changes are not reported again.
  std::set<std::string, std::less<>> damaged_;
  struct ComputedSlot {
    PolicySlot slot;
    std::string_view owner_type;
    std::vector<std::string_view> owner_ids;  // its values of kOwnerIdentifiers
  };
  std::vector<ComputedSlot> computed_slots_;  // a state's attributes AWS may have filled in
  std::vector<PolicySlot> merged_;             // of those, the ones another resource holds
  // given()'s index of slots_ and merged_ (both only grow): pointers by resource address.
  mutable std::unordered_map<std::string, std::vector<std::string>> pointers_by_resource_;
  mutable std::size_t indexed_[2] = {0, 0};
  // configured()'s: by a module's `resources`, its managed resources by `type\nname`.
  mutable std::unordered_map<const Node*, std::unordered_map<std::string, const Node*>> configured_index_;
  // (owner type, owner identifier, policy text) for each policy a setter resource holds.
  std::set<std::tuple<std::string_view, std::string_view, std::string_view>> set_by_;
  std::vector<PolicySlot> data_slots_;
};

}  // namespace

namespace {

// One `module.NAME` or `module.NAME[KEY]` segment of an address, from `at`: the name and where
// the segment ends (at a `.` or the end of the address); nullopt when there is none there. An
// instance key is a number or a quoted string with escapes, which may hold `.`, `[` and `]`.
struct ModuleSegment {
  std::string name;
  std::size_t end = 0;
};
std::optional<ModuleSegment> module_segment(std::string_view address, std::size_t at) {
  if (address.compare(at, 7, "module.") != 0) return std::nullopt;
  std::size_t end = std::min(address.find_first_of(".[", at + 7), address.size());
  ModuleSegment segment{std::string(address.substr(at + 7, end - at - 7)), end};
  if (end < address.size() && address[end] == '[') {
    std::size_t i = end + 1;
    if (i < address.size() && address[i] == '"') {
      for (++i; i < address.size() && address[i] != '"'; ++i) {
        if (address[i] == '\\') ++i;
      }
      ++i;
    } else {
      i = address.find(']', i);
    }
    if (i >= address.size() || address[i] != ']') return std::nullopt;
    segment.end = i + 1;
  }
  if (segment.end < address.size() && address[segment.end] != '.') return std::nullopt;
  return segment;
}

}  // namespace

TerraformAddress split_terraform_address(std::string_view address) {
  TerraformAddress out;
  std::size_t at = 0;
  // A resource follows the last module: a segment that ends the address is not one.
  for (auto segment = module_segment(address, at); segment && segment->end < address.size();
       segment = module_segment(address, at)) {
    out.modules.push_back(std::move(segment->name));
    at = segment->end + 1;
  }
  out.resource = std::string(address.substr(at));
  return out;
}

std::vector<std::string> terraform_module_names(std::string_view module_address) {
  std::vector<std::string> names;
  std::size_t at = 0;
  for (auto segment = module_segment(module_address, at); segment; segment = module_segment(module_address, at)) {
    names.push_back(std::move(segment->name));
    if (segment->end == module_address.size()) break;
    at = segment->end + 1;
  }
  return names;
}

bool is_terraform(const Node& root) {
  const Node* planned = member(&root, "planned_values");
  // A plan whose `format_version` was cut: its planned values' `root_module` says what it is.
  if (member(&root, "format_version") == nullptr) {
    return planned != nullptr && planned->is(Type::object) && member(planned, "root_module") != nullptr;
  }
  // A plan trimmed to its prior state, which then is what it plans. Not one that also changes
  // resources: what they will be is in the `planned_values` it lacks, and judging the state
  // before the change passed an update to `"Action": "*"` in silence (h52 H5). That one is a
  // plan trimmed to its changes (engine/check.cpp).
  // Changes only of `no-op` and `read` (or none, or null) leave the prior state as it is (h53 M2).
  const Node* changes = member(&root, "resource_changes");
  const auto changes_resource = [](const Node& change) {
    const Node* actions = member(member(&change, "change"), "actions");
    if (actions == nullptr || !actions->is(Type::array)) return true;  // not what Terraform writes: not trusted
    return std::ranges::any_of(actions->items, [](const Node& action) {
      return string_of(&action) != "no-op" && string_of(&action) != "read";
    });
  };
  const bool changes_something = changes != nullptr && !changes->is(Type::null) &&
                                 (!changes->is(Type::array) || std::ranges::any_of(changes->items, changes_resource));
  if (planned == nullptr && member(&root, "values") == nullptr && !changes_something &&
      member(member(member(&root, "prior_state"), "values"), "root_module") != nullptr) {
    return true;
  }
  const Node* values = planned;
  if (values == nullptr) values = member(&root, "values");
  // A trimmed or hand-made plan may lack `terraform_version`; its `root_module` still says what it is.
  return values != nullptr && values->is(Type::object) &&
         (member(&root, "terraform_version") != nullptr || member(values, "root_module") != nullptr);
}

std::vector<PolicySlot> terraform_policies(const Node& root, Emitter& emit) { return Reader(root, emit).read(); }

std::string without_instance_key(std::string_view address) {
  if (address.ends_with(']')) {
    // The key's `[` is the last one outside quotes; a quoted key may hold `[`.
    const std::size_t open = address.ends_with("\"]") ? address.rfind("[\"") : address.rfind('[');
    if (open != std::string_view::npos) address = address.substr(0, open);
  }
  return std::string(address);
}

namespace {

std::string module_path(const std::vector<std::string>& modules) {
  std::string out;
  for (const std::string& module : modules) out += (out.empty() ? "" : ".") + module;
  return out;
}

void index_configured(
    const Node* module, const std::string& path,
    std::map<std::tuple<std::string, std::string_view, std::string_view>, const Node*, std::less<>>& out) {
  if (const Node* resources = member(module, "resources"); resources != nullptr && resources->is(Type::array)) {
    for (const Node& configured : resources->items) {
      if (string_of(member(&configured, "mode")) == "data") continue;
      out.try_emplace({path, string_of(member(&configured, "type")), string_of(member(&configured, "name"))},
                      &configured);
    }
  }
  if (const Node* calls = member(module, "module_calls"); calls != nullptr && calls->is(Type::object)) {
    for (const json::Member& call : calls->members) {
      index_configured(member(&call.value, "module"), path.empty() ? call.key : path + "." + call.key, out);
    }
  }
}

bool any_true(const Node& node) {
  if (node.is(Type::boolean)) return node.text == "true";
  return std::ranges::any_of(node.items, any_true) ||
         std::ranges::any_of(node.members, [](const json::Member& m) { return any_true(m.value); });
}

}  // namespace

TerraformPlan::TerraformPlan(const Node& root) : root_(&root) {
  if (const Node* changes = member(&root, "resource_changes"); changes != nullptr && changes->is(Type::array)) {
    for (const Node& change : changes->items) changes_.try_emplace(string_of(member(&change, "address")), &change);
  }
  index_configured(member(member(&root, "configuration"), "root_module"), "", configured_);
}

const Node* TerraformPlan::change(std::string_view address) const {
  const auto it = changes_.find(address);
  return it == changes_.end() ? nullptr : it->second;
}

const Node* TerraformPlan::configured(std::string_view address) const {
  const TerraformAddress split = split_terraform_address(address);
  const std::string resource = without_instance_key(split.resource);
  const std::size_t dot = resource.find('.');
  if (dot == std::string::npos) return nullptr;
  const auto it =
      configured_.find(std::make_tuple(module_path(split.modules), std::string_view(resource).substr(0, dot),
                                       std::string_view(resource).substr(dot + 1)));
  return it == configured_.end() ? nullptr : it->second;
}

bool terraform_unknown_after_apply(const TerraformPlan& plan, std::string_view address, std::string_view attribute) {
  const Node* change = plan.change(address);
  if (change == nullptr) return false;
  const Node* flag = member(member(member(change, "change"), "after_unknown"), attribute);
  if (flag == nullptr || !any_true(*flag)) return false;
  // A plan marks what AWS computes (a new role's managed_policy_arns, a key's policy) as
  // unknown whether or not the configuration sets it: only a configured value counts.
  if (member(&plan.root(), "configuration") == nullptr) return true;
  const Node* configured = plan.configured(address);
  return configured != nullptr && member(member(configured, "expressions"), attribute) != nullptr;
}

std::string terraform_reference(const TerraformPlan& plan, std::string_view address,
                                std::initializer_list<std::string_view> attribute, bool* per_instance) {
  const Node* configured = plan.configured(address);
  // A nested block's expressions are a list of one object per block: the first is read.
  const Node* expression = member(configured, "expressions");
  for (const std::string_view key : attribute) {
    expression = member(expression, key);
    if (expression != nullptr && expression->is(Type::array)) {
      expression = expression->items.empty() ? nullptr : &expression->items.front();
    }
  }
  const Node* references = member(expression, "references");
  if (references == nullptr || !references->is(Type::array)) return "";
  // `["aws_iam_role.glue.arn", "aws_iam_role.glue"]`: the resource in the same module
  // (`var.`, `local.`, `module.` and `data.` references name no resource of it).
  const TerraformAddress split = split_terraform_address(address);
  std::string found;
  for (const Node& reference : references->items) {
    const std::string_view text = string_of(&reference);
    if (text.starts_with("each.") || text.starts_with("count.")) {
      if (per_instance != nullptr) *per_instance = true;  // `aws_iam_role.r[each.key]`
      continue;
    }
    const std::size_t first = text.find('.');
    if (!found.empty() || first == std::string_view::npos || text.starts_with("var.") ||
        text.starts_with("local.") || text.starts_with("module.") || text.starts_with("data.")) {
      continue;
    }
    // `aws_iam_role.r["shared"].arn`: the resource, with the instance key written literally.
    std::size_t end = text.find_first_of(".[", first + 1);
    if (end != std::string_view::npos && text[end] == '[') {
      const std::size_t close = text.find(']', text[end + 1] == '"' ? text.find('"', end + 2) : end);
      end = close == std::string_view::npos ? std::string_view::npos : close + 1;
    }
    found = std::string(address.substr(0, address.size() - split.resource.size())) + std::string(text.substr(0, end));
  }
  return found;
}

}  // namespace grantlint::input
