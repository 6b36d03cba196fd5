#include "glue/declared.h"

#include <fmt/format.h>

#include <map>
#include <string_view>

#include "base/placeholder.h"
#include "input/cloudformation.h"
#include "input/terraform.h"
#include "json/pointer.h"
#include "match/arn.h"

namespace grantlint::glue {

namespace {

using json::Node;
using json::Type;

// Glue's modes are upper case (`SSE-KMS`); `Disabled` means what it says.
std::string upper(std::string text) {
  for (char& c : text) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return text;
}

// The snapshot of everything the file declares, with its first catalog settings; each other
// catalog settings (another account's or Region's) in a snapshot of its own. What the file
// declares is all there is to read: no input is missing.
std::vector<Snapshot> with_catalogs(Snapshot declared, std::vector<CatalogSettings> catalogs) {
  for (const Input input :
       {Input::security_configurations, Input::jobs, Input::crawlers, Input::dev_endpoints, Input::connections}) {
    declared.present[static_cast<int>(input)] = true;
  }
  std::vector<Snapshot> out;
  for (std::size_t i = 1; i < catalogs.size(); ++i) {
    Snapshot alone;
    alone.directory = declared.directory;
    alone.first_file = declared.first_file;
    alone.account = declared.account;
    alone.region = declared.region;
    alone.partition = declared.partition;
    alone.catalog = std::move(catalogs[i]);
    alone.present[static_cast<int>(Input::catalog_settings)] = true;
    out.push_back(std::move(alone));
  }
  if (!catalogs.empty()) {
    declared.catalog = std::move(catalogs.front());
    declared.present[static_cast<int>(Input::catalog_settings)] = true;
  }
  out.insert(out.begin(), std::move(declared));
  return out;
}

// A value of the plan and its JSON pointer; lookups through absent values stay absent.
struct Value {
  const Node* node = nullptr;
  std::string pointer;
  // In a template, `!Ref AWS::NoValue` removes the property it is given to, as deploying does.
  bool in_template = false;

  [[nodiscard]] Value operator[](std::string_view key) const {
    if (node == nullptr || !node->is(Type::object)) return {};
    const Node* found = node->find(key);
    if (found == nullptr || found->is(Type::null) || (in_template && input::is_no_value(*found))) return {};
    return {found, json::pointer_append(pointer, key), in_template};
  }
  // A nested block: Terraform writes each as a list of one object.
  [[nodiscard]] Value block(std::string_view key) const {
    const Value list = (*this)[key];
    if (list.node == nullptr || !list.node->is(Type::array) || list.node->items.empty()) return {};
    return {&list.node->items.front(), json::pointer_append(list.pointer, 0), in_template};
  }
  [[nodiscard]] std::optional<Text> text(SourceId source) const {
    if (node == nullptr || !node->is(Type::string) || node->text.empty()) return std::nullopt;
    return Text{node->text, place(source)};
  }
  [[nodiscard]] Place place(SourceId source) const {
    return Place{source, node != nullptr ? node->span : Span{}, pointer};
  }
  explicit operator bool() const { return node != nullptr; }
};

class TerraformReader {
 public:
  TerraformReader(const Node& root, SourceId source) : root_(root), plan_(root), source_(source) {}

  std::vector<Snapshot> read(const std::string& path) {
    snapshot_.directory = path;
    snapshot_.first_file = source_;
    const Value top = Value{&root_, ""}[root_.find("planned_values") != nullptr ? "planned_values" : "values"];
    read_module(top["root_module"]);
    if (!found_) return {};
    // For the components' ARNs in logical locations: the provider's Region when the
    // configuration gives it literally, the account of the roles the components run as.
    const Value region = Value{&root_, ""}["configuration"]["provider_config"]["aws"]["expressions"]["region"];
    if (const auto literal = region["constant_value"].text(source_)) snapshot_.region = literal->value;
    for (const Component& component : snapshot_.components) {
      const auto fields = component.role ? match::split_arn(component.role->value) : std::nullopt;
      if (!fields || (*fields)[3].empty()) continue;
      snapshot_.partition = std::string((*fields)[0]);
      snapshot_.account = std::string((*fields)[3]);
      break;
    }
    return with_catalogs(std::move(snapshot_), std::move(catalogs_));
  }

 private:
  void read_module(const Value& module) {
    const Value resources = module["resources"];
    if (resources && resources.node->is(Type::array)) {
      for (std::size_t i = 0; i < resources.node->items.size(); ++i) {
        read_resource(Value{&resources.node->items[i], json::pointer_append(resources.pointer, i)});
      }
    }
    const Value children = module["child_modules"];
    if (children && children.node->is(Type::array)) {
      for (std::size_t i = 0; i < children.node->items.size(); ++i) {
        read_module(Value{&children.node->items[i], json::pointer_append(children.pointer, i)});
      }
    }
  }

  void read_resource(const Value& resource) {
    const Value type = resource["type"];
    const Value values = resource["values"];
    const Value mode = resource["mode"];
    // A resource of another shape is reported by the plan's policy reader (input/terraform.cpp).
    if (!type || !type.node->is(Type::string) || !values || !values.node->is(Type::object) ||
        (mode && mode.node->text != "managed")) {
      return;
    }
    const std::string_view kind = type.node->text;
    if (kind == "aws_glue_data_catalog_encryption_settings") {
      read_catalog(resource, values);
    } else if (kind == "aws_glue_security_configuration") {
      read_security_configuration(resource, values);
    } else if (kind == "aws_glue_job" || kind == "aws_glue_crawler" || kind == "aws_glue_dev_endpoint") {
      read_component(kind, resource, values);
    } else if (kind == "aws_glue_connection") {
      read_connection(resource, values);
    } else {
      return;
    }
    found_ = true;
  }

  // The resource's name, or its address when the plan does not know the name yet.
  Text name_of(const Value& resource, const Value& values) const {
    if (auto name = values["name"].text(source_)) return *name;
    const Value address = resource["address"];
    return Text{address ? address.node->text : std::string("?"), (address ? address : resource).place(source_)};
  }

  // A value the plan knows only after apply, as the configuration gives it: a placeholder of the
  // resource it comes from (`aws_iam_role.glue`), which glue/declared_account.h links to that
  // resource, placed at `at`.
  std::optional<Text> referenced(const Value& resource, std::initializer_list<std::string_view> attribute,
                                 const Place& at) const {
    const Value address = resource["address"];
    if (!address || !address.node->is(Type::string)) return std::nullopt;
    bool per_instance = false;
    std::string target = input::terraform_reference(plan_, address.node->text, attribute, &per_instance);
    if (target.empty()) return std::nullopt;
    // `aws_iam_role.r[each.key]`: the role of this instance's key.
    const std::string_view own = address.node->text;
    if (per_instance && target == input::without_instance_key(target)) {
      target += own.substr(input::without_instance_key(own).size());
    }
    return Text{make_placeholder(target), at};
  }

  // The value as the plan gives it, or as the configuration names it.
  std::optional<Text> text_or_reference(const Value& value, const Value& resource,
                                        std::initializer_list<std::string_view> attribute, const Place& at) const {
    if (auto given = value.text(source_)) return given;
    return referenced(resource, attribute, at);
  }

  void read_catalog(const Value& resource, const Value& values) {
    const Value settings = values.block("data_catalog_encryption_settings");
    CatalogSettings catalog;
    catalog.at = values.place(source_);
    const Value at_rest = settings.block("encryption_at_rest");
    const Value mode = at_rest["catalog_encryption_mode"];
    catalog.mode = mode && mode.node->is(Type::string) ? upper(mode.node->text) : "";
    catalog.mode_at = (mode ? mode : at_rest ? at_rest : values).place(source_);
    catalog.key = text_or_reference(at_rest["sse_aws_kms_key_id"], resource,
                                    {"data_catalog_encryption_settings", "encryption_at_rest", "sse_aws_kms_key_id"},
                                    catalog.mode_at);
    catalog.service_role = text_or_reference(
        at_rest["catalog_encryption_service_role"], resource,
        {"data_catalog_encryption_settings", "encryption_at_rest", "catalog_encryption_service_role"}, catalog.mode_at);
    const Value passwords = settings.block("connection_password_encryption");
    const Value returned = passwords["return_connection_password_encrypted"];
    catalog.passwords_encrypted = returned && returned.node->is(Type::boolean) && returned.node->text == "true";
    catalog.passwords_at = (returned ? returned : passwords ? passwords : values).place(source_);
    catalog.password_key = text_or_reference(
        passwords["aws_kms_key_id"], resource,
        {"data_catalog_encryption_settings", "connection_password_encryption", "aws_kms_key_id"}, catalog.passwords_at);
    catalogs_.push_back(std::move(catalog));
  }

  void read_security_configuration(const Value& resource, const Value& values) {
    SecurityConfiguration configuration;
    configuration.name = name_of(resource, values);
    const Value encryption = values.block("encryption_configuration");
    const auto part = [&](std::string_view block, std::string_view mode_field) {
      EncryptionPart out;
      const Value settings = encryption.block(block);
      const Value mode = settings[mode_field];
      if (mode && mode.node->is(Type::string)) out.mode = upper(mode.node->text);
      out.at = (mode ? mode : settings ? settings : values).place(source_);
      out.key = text_or_reference(settings["kms_key_arn"], resource, {"encryption_configuration", block, "kms_key_arn"},
                                  out.at);
      return out;
    };
    configuration.s3 = part("s3_encryption", "s3_encryption_mode");
    configuration.cloudwatch = part("cloudwatch_encryption", "cloudwatch_encryption_mode");
    configuration.bookmarks = part("job_bookmarks_encryption", "job_bookmarks_encryption_mode");
    snapshot_.security_configurations.push_back(std::move(configuration));
  }

  void read_component(std::string_view kind, const Value& resource, const Value& values) {
    Component component;
    component.kind = kind == "aws_glue_job"       ? ComponentKind::job
                     : kind == "aws_glue_crawler" ? ComponentKind::crawler
                                                  : ComponentKind::dev_endpoint;
    component.name = name_of(resource, values);
    const std::string_view role = kind == "aws_glue_crawler" ? "role" : "role_arn";
    component.role = text_or_reference(values[role], resource, {role}, component.name.at);
    component.security_configuration = values["security_configuration"].text(source_);
    if (!component.security_configuration && unknown_after_apply(resource, "security_configuration")) {
      // Named by a value the plan does not know yet: there is one, not evaluated.
      component.security_configuration = Text{"(known after apply)", component.name.at};
    }
    const Value bookmarks = values["default_arguments"]["--job-bookmark-option"];
    component.bookmarks = bookmarks && bookmarks.node->text == "job-bookmark-enable";
    if (const Value connections = values["connections"]; connections && connections.node->is(Type::array)) {
      for (std::size_t i = 0; i < connections.node->items.size(); ++i) {
        const Value item{&connections.node->items[i], json::pointer_append(connections.pointer, i)};
        if (auto name = item.text(source_)) component.connections.push_back(std::move(*name));
      }
    }
    // A crawler's target blocks (`jdbc_target`, ...) name the connection each one uses.
    if (component.kind == ComponentKind::crawler) {
      for (const json::Member& block : values.node->members) {
        if (!block.value.is(Type::array) || !block.key.ends_with("_target")) continue;
        for (std::size_t i = 0; i < block.value.items.size(); ++i) {
          const Value target{&block.value.items[i],
                             json::pointer_append(json::pointer_append(values.pointer, block.key), i)};
          if (auto name = target["connection_name"].text(source_)) component.connections.push_back(std::move(*name));
        }
      }
    }
    if (const Value version = values["glue_version"]; version && version.node->is(Type::string)) {
      component.glue_version = version.node->text;
    } else if (component.kind == ComponentKind::dev_endpoint) {
      component.glue_version = "0.9";  // Glue's default for development endpoints
    }
    snapshot_.components.push_back(std::move(component));
  }

  void read_connection(const Value& resource, const Value& values) {
    Connection connection;
    connection.name = name_of(resource, values);
    const Value type = values["connection_type"];
    connection.type = type && type.node->is(Type::string) ? type.node->text : "JDBC";  // the provider's default
    const Value properties = values["connection_properties"];
    connection.properties_at = (properties ? properties : values).place(source_);
    const Value ssl = properties["JDBC_ENFORCE_SSL"];
    if (ssl && ssl.node->is(Type::string)) {
      connection.enforce_ssl = Text{ssl.node->text, ssl.place(source_)};
    } else if (!properties && unknown_after_apply(resource, "connection_properties")) {
      connection.enforce_ssl = Text{"true", connection.properties_at};  // known after apply: not judged
    }
    snapshot_.connections.push_back(std::move(connection));
  }

  // Whether the plan knows `attribute` of `resource` only after apply.
  bool unknown_after_apply(const Value& resource, std::string_view attribute) const {
    const Value address = resource["address"];
    return address && input::terraform_unknown_after_apply(plan_, address.node->text, attribute);
  }

  const Node& root_;
  input::TerraformPlan plan_;  // indexes root_
  SourceId source_;
  Snapshot snapshot_;
  std::vector<CatalogSettings> catalogs_;
  bool found_ = false;
};

// What a template's value is at deployment, when the template says it: a literal (YAML's
// `true` as well as JSON's "true"), or nullopt for an intrinsic function.
std::optional<std::string> literal(const Value& value) {
  if (!value) return std::nullopt;
  if (value.node->is(Type::string) || value.node->is(Type::boolean) || value.node->is(Type::number)) {
    return value.node->text;
  }
  return std::nullopt;
}

// An intrinsic function (`Ref`, `Fn::If`, ...) in place of a value or a block: what it gives is
// decided at deployment.
bool is_function(const Value& value) {
  if (!value || !value.node->is(Type::object) || value.node->members.size() != 1) return false;
  const std::string_view key = value.node->members.front().key;
  return key == "Ref" || key.starts_with("Fn::");
}

class TemplateReader {
 public:
  TemplateReader(const Node& root, SourceId source) : root_(root), source_(source) {}

  std::vector<Snapshot> read(const std::string& path) {
    snapshot_.directory = path;
    snapshot_.first_file = source_;
    snapshot_.region = "${AWS::Region}";
    snapshot_.account = "${AWS::AccountId}";
    const Value resources = Value{&root_, "", true}["Resources"];
    if (!resources || !resources.node->is(Type::object)) return {};
    resources_ = input::template_resources(root_);
    // Security configurations and connections first: components name them by `Ref`.
    for (const bool named_first : {true, false}) {
      for (const json::Member& member : resources.node->members) {
        const Value resource{&member.value, json::pointer_append("/Resources", member.key), true};
        const auto type = literal(resource["Type"]);
        if (!type || !type->starts_with("AWS::Glue::")) continue;
        if ((*type == "AWS::Glue::SecurityConfiguration" || *type == "AWS::Glue::Connection") != named_first) continue;
        read_resource(*type, member, resource["Properties"]);
      }
    }
    if (!found_) return {};
    return with_catalogs(std::move(snapshot_), std::move(catalogs_));
  }

 private:
  // The rules a Glue resource's settings decide, for a note when a function gives them.
  static std::string_view rules_decided_by(std::string_view type) {
    if (type == "AWS::Glue::DataCatalogEncryptionSettings") return "GLUE-ENC-01 GLUE-ENC-02 GLUE-IAM-02 GLUE-IAM-03";
    if (type == "AWS::Glue::SecurityConfiguration")
      return "GLUE-ENC-05 GLUE-IAM-04 GLUE-IAM-05 GLUE-IAM-06 GLUE-KMS-04";
    if (type == "AWS::Glue::Job") return component_rules(ComponentKind::job);
    if (type == "AWS::Glue::Crawler") return component_rules(ComponentKind::crawler);
    if (type == "AWS::Glue::DevEndpoint") return component_rules(ComponentKind::dev_endpoint);
    if (type == "AWS::Glue::Connection") return "GLUE-ENC-06 GLUE-NET-01 GLUE-NET-02 GLUE-NET-03 GLUE-NET-04";
    return "";
  }

  // A block an intrinsic function gives: nothing to judge before deployment, which the pack says.
  void undecided(std::string_view type, const json::Member& member, const Value& block, std::string_view field) {
    const std::string_view rules = rules_decided_by(type);
    if (rules.empty()) return;
    snapshot_.undecided.push_back(
        Snapshot::Undecided{block.place(source_),
                            fmt::format("`{}` of `{}` `{}` is given by `{}`, known only at deployment", field, type,
                                        member.key, block.node->members.front().key),
                            std::string(rules)});
    found_ = true;
  }

  void read_resource(std::string_view type, const json::Member& member, const Value& properties) {
    if (is_function(properties)) {
      undecided(type, member, properties, "Properties");
      return;
    }
    if (type == "AWS::Glue::DataCatalogEncryptionSettings") {
      const Value settings = properties["DataCatalogEncryptionSettings"];
      if (is_function(settings)) {
        undecided(type, member, settings, "DataCatalogEncryptionSettings");
        return;
      }
      read_catalog(settings, properties ? properties
                                        : Value{&member.value, json::pointer_append("/Resources", member.key), true});
    } else if (type == "AWS::Glue::SecurityConfiguration") {
      read_security_configuration(member, properties);
    } else if (type == "AWS::Glue::Job") {
      read_component(ComponentKind::job, member, properties, "Name", "Role", "SecurityConfiguration");
    } else if (type == "AWS::Glue::Crawler") {
      read_component(ComponentKind::crawler, member, properties, "Name", "Role", "CrawlerSecurityConfiguration");
    } else if (type == "AWS::Glue::DevEndpoint") {
      read_component(ComponentKind::dev_endpoint, member, properties, "EndpointName", "RoleArn",
                     "SecurityConfiguration");
    } else if (type == "AWS::Glue::Connection") {
      const Value input = properties["ConnectionInput"];
      if (is_function(input)) {
        undecided(type, member, input, "ConnectionInput");
        return;
      }
      read_connection(member, input);
    } else {
      return;
    }
    found_ = true;
  }

  // A name the template gives literally, or the resource's logical id (CloudFormation then
  // makes one up from it).
  Text name_of(const json::Member& member, const Value& name) const {
    if (const auto given = literal(name)) return Text{*given, name.place(source_)};
    return Text{member.key, Place{source_, member.key_span, json::pointer_append("/Resources", member.key)}};
  }

  std::optional<Text> text(const Value& value) const {
    const auto given = literal(value);
    if (!given || given->empty()) return std::nullopt;
    return Text{*given, value.place(source_)};
  }

  // A role or key as the template names it: literally, or by a function (`!GetAtt Role.Arn`,
  // `!Ref Key`, `!Sub ...`) resolved to placeholders, which the pack resolves against the
  // template's own resources.
  std::optional<Text> reference(const Value& value) const {
    if (!is_function(value)) return text(value);
    auto resolved = input::cloudformation_value(*value.node, resources_);
    if (!resolved || resolved->empty()) return std::nullopt;
    return Text{std::move(*resolved), value.place(source_)};
  }

  // `outer`: the resource's properties, or the resource itself, where findings about absent
  // settings point.
  void read_catalog(const Value& settings, const Value& outer) {
    CatalogSettings catalog;
    const Value anchor = settings ? settings : outer;
    catalog.at = anchor.place(source_);
    const Value at_rest = settings["EncryptionAtRest"];
    const Value mode = at_rest["CatalogEncryptionMode"];
    // An intrinsic function decides the mode (or the whole block) at deployment: not judged.
    catalog.mode = is_function(at_rest) ? std::string(kKnownAtDeployment)
                   : mode               ? upper(literal(mode).value_or(std::string(kKnownAtDeployment)))
                                        : "";
    catalog.mode_at = (mode ? mode : at_rest ? at_rest : anchor).place(source_);
    catalog.key = reference(at_rest["SseAwsKmsKeyId"]);
    catalog.service_role = reference(at_rest["CatalogEncryptionServiceRole"]);
    const Value passwords = settings["ConnectionPasswordEncryption"];
    const Value returned = passwords["ReturnConnectionPasswordEncrypted"];
    catalog.passwords_encrypted = is_function(passwords) || (returned && literal(returned).value_or("true") == "true");
    catalog.passwords_at = (returned ? returned : passwords ? passwords : anchor).place(source_);
    catalog.password_key = reference(passwords["KmsKeyId"]);
    catalogs_.push_back(std::move(catalog));
  }

  void read_security_configuration(const json::Member& member, const Value& properties) {
    SecurityConfiguration configuration;
    configuration.name = name_of(member, properties["Name"]);
    const Value encryption = properties["EncryptionConfiguration"];
    const auto part = [&](const Value& settings, std::string_view mode_field) {
      EncryptionPart out;
      const Value mode = settings[mode_field];
      if (is_function(encryption) || is_function(settings)) {
        out.mode = kKnownAtDeployment;
      } else if (mode) {
        out.mode = upper(literal(mode).value_or(std::string(kKnownAtDeployment)));
      }
      out.key = reference(settings["KmsKeyArn"]);
      out.at = (mode       ? mode
                : settings ? settings
                           : Value{&member.value, configuration.name.at.pointer, true})
                   .place(source_);
      return out;
    };
    // `S3Encryptions` is a list; Glue takes one entry.
    const Value s3 = encryption["S3Encryptions"];
    configuration.s3 = part(s3 && s3.node->is(Type::array) && !s3.node->items.empty()
                                ? Value{&s3.node->items.front(), json::pointer_append(s3.pointer, 0), true}
                                : s3,
                            "S3EncryptionMode");
    configuration.cloudwatch = part(encryption["CloudWatchEncryption"], "CloudWatchEncryptionMode");
    configuration.bookmarks = part(encryption["JobBookmarksEncryption"], "JobBookmarksEncryptionMode");
    by_logical_id_.emplace(member.key, configuration.name.value);
    snapshot_.security_configurations.push_back(std::move(configuration));
  }

  void read_component(ComponentKind kind, const json::Member& member, const Value& properties,
                      std::string_view name_field, std::string_view role_field, std::string_view configuration_field) {
    Component component;
    component.kind = kind;
    component.name = name_of(member, properties[name_field]);
    component.role = reference(properties[role_field]);
    if (const Value named = properties[configuration_field]) {
      component.security_configuration = security_configuration(named);
    }
    component.bookmarks = literal(properties["DefaultArguments"]["--job-bookmark-option"]) == "job-bookmark-enable";
    if (const Value names = properties["Connections"]["Connections"]; names && names.node->is(Type::array)) {
      for (std::size_t i = 0; i < names.node->items.size(); ++i) {
        if (auto name = connection(Value{&names.node->items[i], json::pointer_append(names.pointer, i), true})) {
          component.connections.push_back(std::move(*name));
        }
      }
    }
    // A crawler's targets (`JdbcTargets`, ...) name the connection each one uses.
    if (const Value targets = properties["Targets"]; kind == ComponentKind::crawler && targets &&
                                                     targets.node->is(Type::object)) {
      for (const json::Member& list : targets.node->members) {
        if (!list.value.is(Type::array)) continue;
        const std::string list_at = json::pointer_append(targets.pointer, list.key);
        for (std::size_t i = 0; i < list.value.items.size(); ++i) {
          const Value target{&list.value.items[i], json::pointer_append(list_at, i), true};
          if (auto name = connection(target["ConnectionName"])) component.connections.push_back(std::move(*name));
        }
      }
    }
    component.glue_version =
        literal(properties["GlueVersion"]).value_or(kind == ComponentKind::dev_endpoint ? "0.9" : "");
    snapshot_.components.push_back(std::move(component));
  }

  // A connection by its literal name, or by `Ref` to one of the template's.
  std::optional<Text> connection(const Value& named) const {
    if (const auto target = literal(named["Ref"])) {
      if (const auto it = connections_by_logical_id_.find(*target); it != connections_by_logical_id_.end()) {
        return Text{it->second, named.place(source_)};
      }
    }
    return text(named);
  }

  // A literal name; `Ref` to the template's own security configuration is that one; any
  // other function names one the template does not show (not evaluated).
  std::optional<Text> security_configuration(const Value& named) const {
    if (const auto given = literal(named)) {
      if (given->empty()) return std::nullopt;  // none, as CloudFormation reads it
      return Text{*given, named.place(source_)};
    }
    if (const auto target = literal(named["Ref"])) {
      if (const auto it = by_logical_id_.find(*target); it != by_logical_id_.end()) {
        return Text{it->second, named.place(source_)};
      }
    }
    return Text{std::string(kKnownAtDeployment), named.place(source_)};
  }

  void read_connection(const json::Member& member, const Value& input) {
    Connection connection;
    connection.name = name_of(member, input["Name"]);
    connections_by_logical_id_.emplace(member.key, connection.name.value);
    connection.type = literal(input["ConnectionType"]).value_or(std::string(kKnownAtDeployment));
    const Value properties = input["ConnectionProperties"];
    connection.properties_at = (properties ? properties
                                : input    ? input
                                           : Value{&member.value, json::pointer_append("/Resources", member.key), true})
                                   .place(source_);
    // A function decides the setting (or all the properties) at deployment: not judged.
    if (is_function(properties)) {
      connection.enforce_ssl = Text{"true", properties.place(source_)};
    } else if (const Value ssl = properties["JDBC_ENFORCE_SSL"]) {
      connection.enforce_ssl = Text{literal(ssl).value_or("true"), ssl.place(source_)};
    }
    snapshot_.connections.push_back(std::move(connection));
  }

  const Node& root_;
  SourceId source_;
  Snapshot snapshot_;
  std::map<std::string, std::string> by_logical_id_;  // security configurations' names
  std::map<std::string, std::string> connections_by_logical_id_;
  input::TemplateResources resources_;               // the template's resources' types and names
  std::vector<CatalogSettings> catalogs_;
  bool found_ = false;
};

}  // namespace

std::vector<Snapshot> declared_in_cloudformation(const Node& root, SourceId source, const std::string& path) {
  if (!root.is(Type::object)) return {};
  return TemplateReader(root, source).read(path);
}

std::vector<Snapshot> declared_in_terraform(const Node& root, SourceId source, const std::string& path) {
  if (!root.is(Type::object)) return {};
  return TerraformReader(root, source).read(path);
}

}  // namespace grantlint::glue
