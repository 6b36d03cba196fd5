#include "input/cloudformation.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "base/placeholder.h"
#include "base/strings.h"
#include "base/suggest.h"
#include "base/utf8.h"
#include "diag/diagnostic.h"
#include "input/template_conditions.h"
#include "input/template_parameters.h"
#include "json/pointer.h"
#include "rules/registry.h"

namespace grantlint::input {

namespace {

using json::Member;
using json::Node;
using json::Type;
using policy::Kind;

// The properties of resource types that hold a policy document, and its kind. `Policies`
// is a list of `{PolicyName, PolicyDocument}`.
struct PolicyProperty {
  std::string_view type;
  std::string_view property;
  Kind kind;
  std::string_view resource_type = {};  // policy/resource_type.h, for resource policies
};
constexpr PolicyProperty kPolicyProperties[] = {
    {"AWS::IAM::ManagedPolicy", "PolicyDocument", Kind::identity},
    {"AWS::IAM::RolePolicy", "PolicyDocument", Kind::inline_role},
    {"AWS::IAM::UserPolicy", "PolicyDocument", Kind::inline_user},
    {"AWS::IAM::GroupPolicy", "PolicyDocument", Kind::inline_group},
    {"AWS::IAM::Role", "AssumeRolePolicyDocument", Kind::trust},
    {"AWS::IAM::Role", "Policies", Kind::inline_role},
    {"AWS::IAM::User", "Policies", Kind::inline_user},
    {"AWS::IAM::Group", "Policies", Kind::inline_group},
    {"AWS::KMS::Key", "KeyPolicy", Kind::kms_key},
    {"AWS::KMS::ReplicaKey", "KeyPolicy", Kind::kms_key},
    {"AWS::S3::BucketPolicy", "PolicyDocument", Kind::resource, "AWS::S3::Bucket"},
    {"AWS::S3::AccessPoint", "Policy", Kind::resource, "AWS::S3::AccessPoint"},
    {"AWS::S3::MultiRegionAccessPointPolicy", "Policy", Kind::resource, "AWS::S3::MultiRegionAccessPoint"},
    {"AWS::S3ObjectLambda::AccessPointPolicy", "PolicyDocument", Kind::resource, "AWS::S3ObjectLambda::AccessPoint"},
    {"AWS::SQS::QueuePolicy", "PolicyDocument", Kind::resource},
    {"AWS::SNS::TopicPolicy", "PolicyDocument", Kind::resource},
    {"AWS::SecretsManager::ResourcePolicy", "ResourcePolicy", Kind::resource},
    {"AWS::ECR::Repository", "RepositoryPolicyText", Kind::resource},
    {"AWS::ECR::RegistryPolicy", "PolicyText", Kind::resource},
    {"AWS::SQS::QueueInlinePolicy", "PolicyDocument", Kind::resource},
    {"AWS::SNS::TopicInlinePolicy", "PolicyDocument", Kind::resource},
    {"AWS::S3Express::BucketPolicy", "PolicyDocument", Kind::resource},
    {"AWS::OpenSearchService::Domain", "AccessPolicies", Kind::resource},
    {"AWS::Elasticsearch::Domain", "AccessPolicies", Kind::resource},
    {"AWS::EFS::FileSystem", "FileSystemPolicy", Kind::resource},
    {"AWS::Events::EventBus", "Policy", Kind::resource},
    {"AWS::ApiGateway::RestApi", "Policy", Kind::resource},
    {"AWS::Backup::BackupVault", "AccessPolicy", Kind::resource},
    {"AWS::Kinesis::ResourcePolicy", "ResourcePolicy", Kind::resource},
    {"AWS::Logs::ResourcePolicy", "PolicyDocument", Kind::resource},
    {"AWS::CodeArtifact::Domain", "PermissionsPolicyDocument", Kind::resource},
    {"AWS::CodeArtifact::Repository", "PermissionsPolicyDocument", Kind::resource},
    {"AWS::CloudTrail::ResourcePolicy", "ResourcePolicy", Kind::resource},
    {"AWS::SSM::ResourcePolicy", "Policy", Kind::resource},
};
// Resources that grant access without a policy document (a Lambda permission's `Principal`
// and `Action`): not analysed, and said, so that a public grant does not pass unseen.
constexpr std::string_view kGrantsWithoutDocument[] = {
    "AWS::Lambda::Permission",
    "AWS::Lambda::LayerVersionPermission",
    "AWS::Events::EventBusPolicy",
};

// AWS::IAM::Policy is inline in each principal it names: its size quota is the smallest of
// theirs (users 2,048, groups 5,120, roles 10,240 characters).
Kind iam_policy_kind(const Node& properties) {
  if (properties.find("Users") != nullptr) return Kind::inline_user;
  if (properties.find("Groups") != nullptr) return Kind::inline_group;
  return Kind::inline_role;
}

// The first `Fn::ForEach::Name` member anywhere in `node`, or null.
const Member* loop_in(const Node& node) {
  for (const Member& member : node.members) {
    if (member.key.starts_with("Fn::ForEach::")) return &member;
    if (const Member* inner = loop_in(member.value)) return inner;
  }
  for (const Node& item : node.items) {
    if (const Member* inner = loop_in(item)) return inner;
  }
  return nullptr;
}

// A bucket policy's `Bucket` when written as a plain name, for checking the policy's
// resources against it; empty when a function gives it (`!Ref SiteBucket`) or for other types.
std::string_view literal_bucket(const Node& properties, const Node& type) {
  if (type.text != "AWS::S3::BucketPolicy") return {};
  const Node* bucket = properties.find("Bucket");
  if (bucket == nullptr || !bucket->is(Type::string) || has_placeholder(bucket->text)) return {};
  const std::string_view name = bucket->text;
  if (name.empty() || name.find_first_of("${}:/*") != std::string_view::npos) return {};
  return name;
}

// Whether `node` is an intrinsic function: an object with one member, `Ref` or `Fn::...`.
const Member* intrinsic(const Node& node) {
  if (!node.is(Type::object) || node.members.size() != 1) return nullptr;
  const Member& only = node.members.front();
  return only.key == "Ref" || only.key.starts_with("Fn::") ? &only : nullptr;
}
Member* intrinsic(Node& node) { return const_cast<Member*>(intrinsic(static_cast<const Node&>(node))); }

// `Fn::ToJsonString` of an object standing for a policy's document (AWS::LanguageExtensions), or
// for a branch of an `Fn::If` that does: CloudFormation passes that object's JSON text, so the
// object is the policy (h48 L5, h49 M2: it went unanalysed). The first such, or null.
const Member* to_json_string_in(const Node& document) {
  const Member* function = intrinsic(document);
  if (function == nullptr) return nullptr;
  if (function->key == "Fn::ToJsonString") return function->value.is(Type::object) ? function : nullptr;
  if (function->key != "Fn::If" || !function->value.is(Type::array) || function->value.items.size() != 3) {
    return nullptr;
  }
  const Member* first = to_json_string_in(function->value.items[1]);
  return first != nullptr ? first : to_json_string_in(function->value.items[2]);
}

// `document` with each such `Fn::ToJsonString` replaced by its object.
void unwrap_to_json_string(Node& document) {
  Member* function = intrinsic(document);
  if (function == nullptr) return;
  if (function->key == "Fn::ToJsonString" && function->value.is(Type::object)) {
    Node object = std::move(function->value);
    document = std::move(object);
  } else if (function->key == "Fn::If" && function->value.is(Type::array) && function->value.items.size() == 3) {
    unwrap_to_json_string(function->value.items[1]);
    unwrap_to_json_string(function->value.items[2]);
  }
}

// An `Fn::Transform` (an `AWS::Include` snippet, a macro) standing for a policy's document, its
// `Statement` or one statement: what it gives is known only at deployment. Null when none does.
const Member* transformed_statements(const Node& document) {
  const auto transform = [](const Node& node) {
    const Member* function = intrinsic(node);
    return function != nullptr && function->key == "Fn::Transform" ? function : nullptr;
  };
  if (const Member* whole = transform(document)) return whole;
  const Node* statements = document.find("Statement");
  if (statements == nullptr) return nullptr;
  if (const Member* all = transform(*statements)) return all;
  for (const Node& statement : statements->items) {
    if (const Member* one = transform(statement)) return one;
  }
  return nullptr;
}

// The name of the transform an `Fn::Transform` or a `Transform` entry calls: `AWS::Include`,
// a macro's; empty when not written plainly.
std::string transform_name(const Node& transform) {
  if (transform.is(Type::string)) return transform.text;
  const Node* name = transform.is(Type::object) ? transform.find("Name") : nullptr;
  return name != nullptr && name->is(Type::string) ? name->text : std::string();
}

// What `Ref` and `Fn::GetAtt` of a resource of the template give, for the resource types
// whose ARNs policies name most: a value with the shape AWS gives it, its parts
// placeholders (`{P}` partition, `{R}` region, `{A}` account, `{N}` the resource's name),
// so that the checks see an ARN (`!GetAtt Bucket.Arn` for `s3:GetObject` is a bucket, not
// objects). `attribute` is empty for `Ref`.
struct ResourceValue {
  std::string_view type;
  std::string_view attribute;
  std::string_view shape;
};
constexpr ResourceValue kResourceValues[] = {
    {"AWS::S3::Bucket", "", "{N}"},
    {"AWS::S3::Bucket", "Arn", "arn:{P}:s3:::{N}"},
    {"AWS::KMS::Key", "", "{N}"},
    {"AWS::KMS::Key", "KeyId", "{N}"},
    {"AWS::KMS::Key", "Arn", "arn:{P}:kms:{R}:{A}:key/{N}"},
    {"AWS::SQS::Queue", "Arn", "arn:{P}:sqs:{R}:{A}:{N}"},
    {"AWS::SNS::Topic", "", "arn:{P}:sns:{R}:{A}:{N}"},
    {"AWS::SNS::Topic", "TopicArn", "arn:{P}:sns:{R}:{A}:{N}"},
    {"AWS::IAM::Role", "", "{N}"},
    {"AWS::IAM::Role", "Arn", "arn:{P}:iam::{A}:role/{N}"},
    {"AWS::IAM::User", "", "{N}"},  // h58 M1, M2: `Ref` of a user is its name, as of a role
    {"AWS::IAM::User", "Arn", "arn:{P}:iam::{A}:user/{N}"},
    {"AWS::IAM::ManagedPolicy", "", "arn:{P}:iam::{A}:policy/{N}"},
    {"AWS::DynamoDB::Table", "Arn", "arn:{P}:dynamodb:{R}:{A}:table/{N}"},
    {"AWS::Lambda::Function", "Arn", "arn:{P}:lambda:{R}:{A}:function:{N}"},
    {"AWS::Logs::LogGroup", "Arn", "arn:{P}:logs:{R}:{A}:log-group:{N}:*"},
    {"AWS::SecretsManager::Secret", "", "arn:{P}:secretsmanager:{R}:{A}:secret:{N}"},
    {"AWS::Kinesis::Stream", "Arn", "arn:{P}:kinesis:{R}:{A}:stream/{N}"},
    {"AWS::ECR::Repository", "Arn", "arn:{P}:ecr:{R}:{A}:repository/{N}"},
    {"AWS::StepFunctions::StateMachine", "", "arn:{P}:states:{R}:{A}:stateMachine:{N}"},
};

// The value `shape` gives the resource `name`, whose physical name is `physical` when the
// template gives it literally; `by_value` when a function gives it (a value, not a name of the
// stack's own making: reviews of f11545b and 508d103).
std::string resource_value(std::string_view shape, std::string_view name, const std::string* physical = nullptr,
                           bool by_value = false) {
  std::string out;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] != '{' || i + 2 >= shape.size() || shape[i + 2] != '}') {
      out += shape[i];
      continue;
    }
    switch (shape[i + 1]) {
      case 'P': out += make_placeholder("AWS::Partition"); break;
      case 'R': out += make_placeholder("AWS::Region"); break;
      case 'A': out += make_placeholder("AWS::AccountId"); break;
      default:
        out += physical != nullptr ? *physical : by_value ? make_placeholder(name) : make_name_placeholder(name);
    }
    i += 2;
  }
  return out;
}

// About how many bytes of policy text `node` stands for, its values and keys added up, and
// `per_value` more for each value: the span of a YAML alias (`*policy`) is the alias alone,
// whatever it stands for.
std::size_t text_size(const Node& node, std::size_t per_value = 0) {
  std::size_t size = node.text.size() + 2 + per_value;
  for (const Node& item : node.items) size += text_size(item, per_value) + 1;
  for (const Member& member : node.members) size += member.key.size() + 4 + text_size(member.value, per_value);
  return size;
}

// What checking a form of `node` costs, in bytes of text: its text and, for each value, 16
// bytes more (a statement `{}` is 2 bytes and three findings).
std::size_t form_weight(const Node& node) { return text_size(node, 16); }

// What resolving functions may add to one template's policies, in bytes: a policy's forms
// together are checked up to 16 MB of text too. Past an allowance, the function's value is one
// known only at deployment, and a TPL003 note says so once.
struct Allowance {
  static constexpr std::size_t kText = std::size_t{16} << 20;
  std::size_t left = kText;
  bool noted = false;  // the TPL003 note that it is spent is given
};
struct ExpansionBudget {
  // What `Fn::FindInMap` copies from `Mappings`, by form_weight.
  Allowance mapped;
  // What `Fn::Sub` and `Fn::Join` build beyond the text they are given: each is kept to 1 MB
  // (kMaxBuiltText), but a thousand statements of 300 KB nested `Fn::Sub`s took 2.7 GB.
  Allowance built;
};

class Resolver {
 public:
  // `choice`: the branch each `Fn::If` takes, by condition name (true when not named);
  // `types`: the template's resources' types, by logical name; `budget` (may be null: the
  // resolver keeps its own): what lookups may still copy from `Mappings`, and functions build,
  // into the template's policies.
  Resolver(Emitter& emit, const std::map<std::string, bool>& choice, const TemplateResources& resources,
           ExpansionBudget* budget = nullptr)
      : emit_(emit), choice_(choice), resources_(resources), budget_(budget != nullptr ? budget : &own_budget_) {}
  Resolver(const Resolver&) = delete;  // budget_ may point at its own member
  Resolver& operator=(const Resolver&) = delete;

  // Resolves the functions in `node`; false when the node is to be removed (AWS::NoValue).
  bool resolve(Node& node, const std::string& pointer) {
    if (Member* function = intrinsic(node)) return call(node, *function, pointer);
    if (node.is(Type::string)) {
      node.text = with_dynamic_references(std::move(node.text));
    } else if (node.is(Type::object)) {
      std::vector<Member> kept;
      kept.reserve(node.members.size());
      for (Member& member : node.members) {
        if (resolve(member.value, json::pointer_append(pointer, member.key))) kept.push_back(std::move(member));
      }
      node.members = std::move(kept);
    } else if (node.is(Type::array)) {
      std::vector<Node> kept;
      kept.reserve(node.items.size());
      for (std::size_t i = 0; i < node.items.size(); ++i) {
        Node& item = node.items[i];
        const std::string at = json::pointer_append(pointer, i);
        if (resolve(item, at)) kept.push_back(std::move(item));
      }
      node.items = std::move(kept);
    }
    return true;
  }

 private:
  void misuse(const Node& node, const std::string& pointer, std::string message) {
    emit_.emit(rules::kMalformedIntrinsic, node.span, pointer, std::move(message));
  }

  // A name `Ref`, `Fn::GetAtt` or `${…}` takes that the template defines neither as a resource nor
  // as a parameter: CloudFormation refuses the template ("Unresolved resource dependencies"), and
  // the policy would be analysed with a value that never exists (h44 M6). Pseudo parameters
  // (`AWS::Region`) are CloudFormation's own.
  void check_defined(std::string_view function, std::string_view written, const Node& node,
                     const std::string& pointer) {
    if (!resources_.defined_names) return;
    const std::string_view name = written.substr(0, written.find('.'));
    if (name.starts_with("AWS::") || std::ranges::binary_search(*resources_.defined_names, name)) return;
    if (!suggestions_) {
      suggestions_.emplace(
          std::vector<std::string_view>(resources_.defined_names->begin(), resources_.defined_names->end()));
    }
    misuse(node, pointer,
           fmt::format("`{}` names `{}`, which the template defines neither as a resource nor as a parameter, so "
                       "CloudFormation refuses the template{}",
                       function, clip_long_text(name), suggestions_->did_you_mean_for(name)));
  }

  // `{{resolve:ssm:Name}}` (and `secretsmanager`, `ssm-secure`): a dynamic reference,
  // resolved at deployment, is a placeholder.
  static std::string with_dynamic_references(std::string text) {
    for (std::size_t at = text.find("{{resolve:"); at != std::string::npos; at = text.find("{{resolve:", at)) {
      const std::size_t end = text.find("}}", at);
      if (end == std::string::npos) break;
      // A name built by `Fn::Sub` holds placeholders: one placeholder, named as they are shown.
      const std::string placeholder = make_placeholder(show_placeholders(text.substr(at + 2, end - at - 2)));
      text.replace(at, end + 2 - at, placeholder);
      at += placeholder.size();
    }
    return text;
  }

  // Replaces the function call `node` with a string.
  static void become(Node& node, std::string text) {
    Node replacement;
    replacement.type = Type::string;
    replacement.span = node.span;
    replacement.text = with_dynamic_references(std::move(text));
    node = std::move(replacement);
  }

  // The two branches of `Fn::If: [condition, then, else]`, or nullopt after reporting.
  std::optional<std::array<Node*, 2>> if_branches(Member& function, const std::string& pointer) {
    Node& arguments = function.value;
    if (!arguments.is(Type::array) || arguments.items.size() != 3 || !arguments.items[0].is(Type::string)) {
      misuse(arguments, pointer + "/Fn::If",
             "`Fn::If` takes a list of a condition name and two values: `[Condition, IfTrue, IfFalse]`");
      return std::nullopt;
    }
    return std::array<Node*, 2>{&arguments.items[1], &arguments.items[2]};
  }

  // The arguments are resolved where they are, not copied: `node` is replaced, and a copy at
  // each level of nested calls (`Fn::Select` of `Fn::Select` of a long list) kept them all alive.
  bool call(Node& node, Member& function, const std::string& pointer) {
    const std::string at = json::pointer_append(pointer, function.key);
    Node& argument = function.value;
    if (function.key == "Ref") {
      if (!argument.is(Type::string) || argument.text.empty()) {
        misuse(argument, at, "`Ref` takes the name of a parameter or a resource (a string)");
        become(node, make_placeholder("Ref"));
        return true;
      }
      if (argument.text == "AWS::NoValue") return false;
      check_defined("Ref", argument.text, argument, at);
      become(node, reference(argument.text));
      return true;
    }
    if (function.key == "Fn::If") {
      const auto branches = if_branches(function, pointer);
      if (!branches) {
        become(node, make_placeholder("Fn::If"));
        return true;
      }
      // A condition the template does not define is reported with its resource
      // (UndefinedConditions); its first branch is taken.
      const auto chosen_branch = choice_.find(function.value.items[0].text);
      Node chosen = std::move(*(*branches)[chosen_branch == choice_.end() || chosen_branch->second ? 0 : 1]);
      if (!resolve(chosen, at)) return false;  // AWS::NoValue
      node = std::move(chosen);
      return true;
    }
    if (function.key == "Fn::GetAtt") {
      const std::optional<std::string> written = get_att(argument, at);
      if (!written) {
        become(node, make_placeholder("Fn::GetAtt"));
        return true;
      }
      check_defined("Fn::GetAtt", *written, argument, at);
      become(node, reference(*written));
      return true;
    }
    if (function.key == "Fn::Sub") {
      become(node, sub(argument, at));
      return true;
    }
    if (function.key == "Fn::Join") {
      become(node, join(argument, at));
      return true;
    }
    if (function.key == "Fn::FindInMap") {
      if (std::optional<Node> value = find_in_map(argument, at)) {
        at_call(*value, node.span);
        if (!resolve(*value, at)) return false;
        node = std::move(*value);
        return true;
      }
    }
    if (function.key == "Fn::Select") {
      if (std::optional<Node> chosen = select(argument, at)) {
        if (!resolve(*chosen, at)) return false;
        node = std::move(*chosen);
        return true;
      }
    }
    if (function.key == "Fn::Split") {
      if (std::optional<Node> parts = split(argument, at, node.span)) {
        node = std::move(*parts);
        return true;
      }
    }
    if (function.key == "Fn::ImportValue") {
      // The export's name tells imports apart: `${Stack}-BuildArn` and `${Stack}-DeployArn` are
      // two resources, not one listed twice.
      resolve(argument, at);
      become(node, make_placeholder(
                       bounded(argument.is(Type::string) ? show_placeholders(argument.text) : rendered(argument))));
      return true;
    }
    static constexpr std::string_view kKnown[] = {"Fn::Base64",       "Fn::Cidr",      "Fn::FindInMap", "Fn::GetAZs",
                                                  "Fn::ImportValue",  "Fn::Length",    "Fn::Select",    "Fn::Split",
                                                  "Fn::ToJsonString", "Fn::Transform", "Fn::ForEach"};
    if (std::ranges::find(kKnown, function.key) == std::end(kKnown)) {
      misuse(node, at, fmt::format("`{}` is not an intrinsic function CloudFormation knows", function.key));
    }
    // Any other function's value depends on its arguments: two calls with different ones are
    // different values.
    resolve(argument, at);
    become(node, make_placeholder(bounded(fmt::format("{}({})", function.key, rendered(argument)))));
    return true;
  }

  // `Fn::FindInMap: [Map, TopKey, SecondKey]` whose keys the template writes out: the value
  // its `Mappings` holds (nullopt when a key depends on the deployment: a placeholder then).
  // A lookup that finds nothing fails the stack, unless a fourth argument gives a
  // `DefaultValue` (the AWS::LanguageExtensions transform).
  std::optional<Node> find_in_map(Node& argument, const std::string& at) {
    if (!argument.is(Type::array) || argument.items.size() < 3 || argument.items.size() > 4) {
      misuse(argument, at, "`Fn::FindInMap` takes a list of a map name and two keys: `[Map, TopKey, SecondKey]`");
      return std::nullopt;
    }
    std::array<std::string, 3> keys;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Node& key = argument.items[i];
      resolve(key, json::pointer_append(at, i));
      // A key written as a number or a boolean (an account id unquoted in YAML) is its text:
      // CloudFormation's keys are strings, as `1` is `"1"` for a parameter.
      const bool scalar = key.is(Type::string) || key.is(Type::number) || key.is(Type::boolean);
      if (!scalar || has_placeholder(key.text)) return std::nullopt;
      keys[i] = key.text;
    }
    const Node* value = &resources_.mappings;
    std::size_t level = 0;
    const Node* holder = value;
    for (; level < keys.size(); ++level) {
      holder = value;
      value = value->is(Type::object) ? value->find(keys[level]) : nullptr;
      if (value == nullptr) break;
    }
    if (value != nullptr) return mapped(*value, keys, argument, at);
    if (argument.items.size() == 4 && argument.items[3].is(Type::object)) {
      if (Node* fallback = argument.items[3].find("DefaultValue")) return std::move(*fallback);
    }
    static constexpr std::string_view kLevels[] = {"map", "top-level key", "second-level key"};
    const std::string where =
        level == 0 ? std::string("`Mappings`") : fmt::format("`{}`", fmt::join(std::span(keys).first(level), "` / `"));
    misuse(argument.items[level], json::pointer_append(at, level),
           fmt::format("{} has no {} `{}`: CloudFormation fails the stack{}", where, kLevels[level], keys[level],
                       suggest_key(*holder, keys[level])));
    return std::nullopt;
  }

  // A copy of a `Mappings` value, for a lookup's call. CloudFormation allows no function in
  // `Mappings` (a value that looked itself up recursed without end), and the values copied into
  // one template's policies weigh at most Allowance::kText (150 lookups of a 20,000-ARN list took
  // 1.4 GB): past it a lookup is a value known at deployment, and a TPL003 note says so.
  std::optional<Node> mapped(const Node& value, const std::array<std::string, 3>& keys, const Node& argument,
                             const std::string& at) {
    if (holds_function(value)) {
      misuse(argument, at,
             fmt::format("`{}` holds a function: CloudFormation allows only strings and lists of strings in "
                         "`Mappings`, and rejects the template",
                         fmt::join(keys, "` / `")));
      return std::nullopt;
    }
    const std::size_t weight = form_weight(value);
    if (weight > budget_->mapped.left) {
      if (!budget_->mapped.noted) {
        emit_.emit(rules::kPolicyNotAnalysed, argument.span, at,
                   fmt::format("`Fn::FindInMap` lookups copied {} MB of `Mappings` values into the template's "
                               "policies; this and later lookups are left as values known at deployment",
                               Allowance::kText >> 20));
        budget_->mapped.noted = true;
      }
      return std::nullopt;
    }
    budget_->mapped.left -= weight;
    return value;
  }

  static bool holds_function(const Node& node) {
    if (node.is(Type::object)) return true;
    return std::ranges::any_of(node.items, [](const Node& item) { return holds_function(item); });
  }

  // "Did you mean" among a mapping level's keys, for the first kSuggestionsPerList misses of
  // a template (each reads every key of its level).
  std::string suggest_key(const Node& level, std::string_view key) {
    if (!level.is(Type::object) || suggestions_given_ >= Suggestions::kSuggestionsPerList ||
        level.members.size() > Suggestions::kSuggestionsPerList) {
      return "";
    }
    ++suggestions_given_;
    std::vector<std::string_view> names;
    for (const Member& member : level.members) names.push_back(member.key);
    return did_you_mean(closest_match(key, names));
  }

  // `Fn::Select: [index, list]` whose index is written out and whose list is one (written, or
  // made by `Fn::Split` or `Fn::FindInMap`): the item. Nullopt leaves a placeholder (a list
  // known at deployment: `!GetAZs`, `!Ref` of a list parameter).
  std::optional<Node> select(Node& argument, const std::string& at) {
    if (!two_arguments(argument, at, "`Fn::Select` takes a list of an index and a list: `[0, [a, b]]`")) {
      return std::nullopt;
    }
    const Node& index = argument.items[0];
    Node& list = argument.items[1];
    if (!list.is(Type::array) || (!index.is(Type::string) && !index.is(Type::number)) || has_placeholder(index.text)) {
      return std::nullopt;
    }
    std::size_t chosen = 0;
    const auto [end, error] = std::from_chars(index.text.data(), index.text.data() + index.text.size(), chosen);
    if (error != std::errc() || end != index.text.data() + index.text.size()) {
      misuse(argument.items[0], json::pointer_append(at, 0),
             fmt::format("the index of `Fn::Select` is a whole number, not `{}`", index.text));
      return std::nullopt;
    }
    if (chosen >= list.items.size()) {
      misuse(argument.items[0], json::pointer_append(at, 0),
             fmt::format("`Fn::Select` index {} is past the list's {} items: CloudFormation fails the stack", chosen,
                         list.items.size()));
      return std::nullopt;
    }
    return std::move(list.items[chosen]);
  }

  // `Fn::Split: [delimiter, text]` of a text the template writes out: the list of its parts,
  // each spanning the call. A text with a value known only at deployment stays a placeholder.
  std::optional<Node> split(Node& argument, const std::string& at, Span span) {
    if (!two_arguments(argument, at, "`Fn::Split` takes a list of a delimiter and a string: `[\",\", \"a,b\"]`")) {
      return std::nullopt;
    }
    const Node& delimiter = argument.items[0];
    const Node& text = argument.items[1];
    if (!delimiter.is(Type::string) || delimiter.text.empty() || !text.is(Type::string) ||
        has_placeholder(delimiter.text) || has_placeholder(text.text)) {
      return std::nullopt;
    }
    // A policy holds a few hundred values within IAM's quotas; a split into more stays a value
    // known at deployment rather than a million nodes in each form, and a TPL003 note says so
    // (a `Principal` selected from it would otherwise go unanalysed in silence).
    constexpr std::size_t kMaxParts = 4096;
    Node list;
    list.type = Type::array;
    list.span = span;
    for (std::size_t begin = 0;;) {
      if (list.items.size() == kMaxParts) {
        emit_.emit(rules::kPolicyNotAnalysed, span, at,
                   fmt::format("`Fn::Split` makes more than {} parts here; its list is taken as a value known only at "
                               "deployment",
                               kMaxParts));
        return std::nullopt;
      }
      const std::size_t found = text.text.find(delimiter.text, begin);
      Node part;
      part.type = Type::string;
      part.span = span;
      part.text = text.text.substr(begin, found == std::string::npos ? std::string::npos : found - begin);
      list.items.push_back(std::move(part));
      if (found == std::string::npos) break;
      begin = found + delimiter.text.size();
    }
    return list;
  }

  // Resolves, where they are, the two arguments of a function that takes a list of two
  // (`Fn::Select`, `Fn::Split`); false after reporting `usage` when it is not given two.
  bool two_arguments(Node& argument, const std::string& at, std::string_view usage) {
    if (!argument.is(Type::array) || argument.items.size() != 2) {
      misuse(argument, at, std::string(usage));
      return false;
    }
    resolve(argument.items[0], json::pointer_append(at, 0));
    resolve(argument.items[1], json::pointer_append(at, 1));
    return true;
  }

  // A value taken from elsewhere in the template (`Mappings`) shown where the call is.
  static void at_call(Node& node, Span span) {
    node.span = span;
    for (Member& member : node.members) {
      member.key_span = span;
      at_call(member.value, span);
    }
    for (Node& item : node.items) at_call(item, span);
  }

  // A placeholder's name: its text, or past kMaxPlaceholderName bytes its start and a hash of
  // the rest, so that calls with different arguments stay different values while 200 nested
  // `Fn::Base64`s around a 1 MB `Fn::Sub` do not copy the megabyte at each level.
  static constexpr std::size_t kMaxPlaceholderName = 256;
  static std::string bounded(std::string name) {
    if (name.size() <= kMaxPlaceholderName) return name;
    const std::size_t hash = std::hash<std::string>{}(name);
    std::size_t cut = kMaxPlaceholderName / 2;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;  // a whole UTF-8 character
    name.resize(cut);
    return fmt::format("{}...#{:016x}", name, hash);
  }

  // A resolved value written compactly, placeholders as `${Name}`, to name a placeholder.
  static std::string rendered(const Node& node) {
    switch (node.type) {
      case Type::string: return show_placeholders(node.text);
      case Type::array: {
        std::string out = "[";
        for (std::size_t i = 0; i < node.items.size(); ++i) out += (i > 0 ? ", " : "") + rendered(node.items[i]);
        return out + "]";
      }
      case Type::object: {
        std::string out = "{";
        for (std::size_t i = 0; i < node.members.size(); ++i) {
          out += (i > 0 ? ", " : "") + node.members[i].key + ": " + rendered(node.members[i].value);
        }
        return out + "}";
      }
      default: return node.text;
    }
  }

  // The value of `Ref name` or `Fn::GetAtt name.Attribute`: its shape for a resource of the
  // template whose type kResourceValues knows, else a placeholder.
  std::string reference(std::string_view written) const {
    const auto dot = written.find('.');
    const std::string_view name = written.substr(0, dot);
    const std::string_view attribute = dot == std::string_view::npos ? "" : written.substr(dot + 1);
    if (const auto type = resources_.types.find(std::string(name)); type != resources_.types.end()) {
      // A role's ARN holds its path, and its name when the template gives one (`RoleName`);
      // an alias's name is what `Ref` gives.
      const auto physical = resources_.names.find(std::string(name));
      const std::string* literal = physical != resources_.names.end() ? &physical->second : nullptr;
      const bool by_value = resources_.names_by_value.contains(std::string(name));
      if ((type->second == "AWS::IAM::Role" || type->second == "AWS::IAM::User") && attribute == "Arn") {
        const auto path = resources_.paths.find(std::string(name));
        return resource_value(
            fmt::format("arn:{{P}}:iam::{{A}}:{}{}{{N}}", type->second == "AWS::IAM::Role" ? "role" : "user",
                        path != resources_.paths.end() ? path->second : "/"),
            name, literal, by_value);
      }
      if (type->second == "AWS::KMS::Alias" && attribute.empty() && literal != nullptr) return *literal;
      for (const ResourceValue& value : kResourceValues) {
        if (value.type == type->second && value.attribute == attribute) {
          const bool iam = value.type == "AWS::IAM::Role" || value.type == "AWS::IAM::User";
          return resource_value(value.shape, name, iam ? literal : nullptr, iam && by_value);
        }
      }
    }
    return make_placeholder(written);
  }

  // `Name.Attribute`, or nothing when the argument has neither form (reported).
  std::optional<std::string> get_att(const Node& argument, const std::string& at) {
    if (argument.is(Type::string) && argument.text.find('.') != std::string::npos) return argument.text;
    if (argument.is(Type::array) && argument.items.size() == 2 && argument.items[0].is(Type::string)) {
      const Node& attribute = argument.items[1];
      return argument.items[0].text + "." + (attribute.is(Type::string) ? attribute.text : std::string("attribute"));
    }
    misuse(argument, at, "`Fn::GetAtt` takes `[LogicalName, Attribute]` or `LogicalName.Attribute`");
    return std::nullopt;
  }

  // `Fn::Sub: "text"` or `[text, {Name: value}]`: `${Name}` becomes a placeholder (or the
  // value given, when it is a plain string); `${!Name}` is the literal `${Name}`.
  std::string sub(const Node& argument, const std::string& at) {
    const Node* text = &argument;
    const Node* values = nullptr;
    if (argument.is(Type::array)) {
      if (argument.items.size() == 2 && argument.items[0].is(Type::string) && argument.items[1].is(Type::object)) {
        text = &argument.items[0];
        values = &argument.items[1];
      } else {
        text = nullptr;
      }
    }
    if (text == nullptr || !text->is(Type::string)) {
      misuse(argument, at, "`Fn::Sub` takes a string, or a list of a string and a map of values");
      return make_placeholder("Fn::Sub");
    }
    // Each value of the map is looked up by name once and resolved once, however often the text
    // names it; what a `Fn::Sub` builds is kept to kMaxBuiltText (nested ones multiply it).
    std::unordered_map<std::string_view, const Node*> given_values;
    if (values != nullptr) {
      for (const Member& member : values->members) given_values.try_emplace(member.key, &member.value);
    }
    std::unordered_map<std::string_view, std::string> resolved_values;
    const std::size_t written = text->text.size();
    std::size_t built = written;
    // The allowance is read as it is now: the values of the map (nested `Fn::Sub`s) spend it too.
    const auto over = [&] { return built > kMaxBuiltText || built - written > budget_->built.left; };
    std::string out = replace_braced(text->text, [&](std::string_view name) -> std::string {
      if (over()) return {};
      std::string value = value_in_sub(name, *text, given_values, resolved_values, at);
      built += value.size();
      return value;
    });
    return spend(built - written, over(), built > kMaxBuiltText, "Fn::Sub", argument, at) ? out
                                                                                          : make_placeholder("Fn::Sub");
  }

  // Takes what a function built, `added` bytes, from the template's allowance; false when the
  // value is not to be used (`over`): past kMaxBuiltText (`past_limit`), or past the allowance,
  // each said.
  bool spend(std::size_t added, bool over, bool past_limit, std::string_view function, const Node& node,
             const std::string& at) {
    Allowance& built = budget_->built;
    built.left -= std::min(built.left, added);  // a value cut short was still built that far
    if (!over) return true;
    if (past_limit) {
      too_long(function, node, at);
      return false;
    }
    if (!built.noted) {
      emit_.emit(rules::kPolicyNotAnalysed, node.span, at,
                 fmt::format("`Fn::Sub` and `Fn::Join` built {} MB of text into the template's policies; this "
                             "value and later ones are taken as values known only at deployment",
                             Allowance::kText >> 20));
      built.noted = true;
    }
    return false;
  }

  static constexpr std::size_t kMaxBuiltText = std::size_t{1} << 20;

  // A value a function builds past kMaxBuiltText (nested `Fn::Sub`s, `Fn::Join`s of thousands
  // of parts): known only at deployment, and said.
  std::string too_long(std::string_view function, const Node& node, const std::string& at) {
    emit_.emit(rules::kPolicyNotAnalysed, node.span, at,
               fmt::format("the value `{}` builds here is longer than {} MB; it is taken as a value known only at "
                           "deployment",
                           function, kMaxBuiltText >> 20));
    return make_placeholder(function);
  }

  // What `${name}` is in an `Fn::Sub` of `text` with the map `given`.
  std::string value_in_sub(std::string_view name, const Node& text,
                           const std::unordered_map<std::string_view, const Node*>& given,
                           std::unordered_map<std::string_view, std::string>& resolved, const std::string& at) {
    if (name.starts_with('!')) return fmt::format("${{{}}}", name.substr(1));
    if (const auto colon = name.find(':');
        colon != std::string_view::npos && name.find("::") == std::string_view::npos) {
      // `${aws:username}`: an IAM policy variable that CloudFormation reads as its own.
      misuse(text, at,
             fmt::format("`${{{}}}` in `Fn::Sub` names a template value, which CloudFormation cannot find; write "
                         "`${{!{}}}` for the IAM policy variable",
                         name, name));
      return fmt::format("${{{}}}", name);
    }
    if (const auto it = given.find(name); it != given.end()) {
      // `[text, {Name: value}]`: the value, itself resolved (`{KeyId: !Ref Key}`).
      const auto [known, fresh] = resolved.try_emplace(it->first);
      if (fresh) {
        Node value = *it->second;
        known->second = resolve(value, at) && value.is(Type::string) ? value.text : make_placeholder(name);
      }
      return known->second;
    }
    check_defined("Fn::Sub", name, text, at);
    return reference(name);  // `${X}` is `Ref X`, `${X.Attr}` is `Fn::GetAtt`
  }

  // `Fn::Join: [delimiter, [values]]`, each value resolved.
  std::string join(const Node& argument, const std::string& at) {
    if (!argument.is(Type::array) || argument.items.size() != 2 || !argument.items[0].is(Type::string)) {
      misuse(argument, at, "`Fn::Join` takes a list of a delimiter and a list of values: `[\"\", [a, b]]`");
      return make_placeholder("Fn::Join");
    }
    Node list = argument.items[1];
    if (!list.is(Type::array)) {
      if (intrinsic(list) == nullptr) {
        misuse(list, at + "/1", "the second argument of `Fn::Join` is a list of values");
      }
      return make_placeholder("Fn::Join");
    }
    // What the template writes of it: its delimiter once and its parts that are strings.
    std::size_t written = argument.items[0].text.size();
    for (const Node& part : list.items) written += part.is(Type::string) ? part.text.size() : 0;
    resolve(list, at + "/1");
    std::string out;
    const auto added = [&] { return out.size() - std::min(out.size(), written); };
    const auto over = [&] { return out.size() > kMaxBuiltText || added() > budget_->built.left; };
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      if (over()) {
        spend(added(), true, out.size() > kMaxBuiltText, "Fn::Join", argument, at);
        return make_placeholder("Fn::Join");
      }
      if (i > 0) out += argument.items[0].text;
      const Node& part = list.items[i];
      if (part.is(Type::object) || part.is(Type::array)) {
        misuse(part, json::pointer_append(at + "/1", i), "a value joined by `Fn::Join` is a string");
        out += make_placeholder("Fn::Join");
      } else {
        out += part.text;
      }
    }
    return spend(added(), over(), out.size() > kMaxBuiltText, "Fn::Join", argument, at) ? out
                                                                                        : make_placeholder("Fn::Join");
  }

  Emitter& emit_;
  const std::map<std::string, bool>& choice_;
  const TemplateResources& resources_;
  ExpansionBudget own_budget_;
  ExpansionBudget* budget_;
  std::optional<Suggestions> suggestions_;  // among the names defined, made when first wanted
  std::size_t suggestions_given_ = 0;
};

// Each `Fn::If` that names a condition the template does not define: CloudFormation refuses the
// whole template, whichever property holds it.
class UndefinedConditions {
 public:
  UndefinedConditions(const DefinedConditions& defined, Emitter& emit)
      : defined_(defined),
        suggestions_(std::vector<std::string_view>(defined.in_order.begin(), defined.in_order.end())),
        emit_(emit) {}

  // Those under `node`, at `pointer`.
  void report(const Node& node, const std::string& pointer) {
    if (const Member* function = intrinsic(node); function != nullptr && function->key == "Fn::If") {
      const Node& arguments = function->value;
      // A call of another shape is reported as such when resolved.
      if (arguments.is(Type::array) && arguments.items.size() == 3 && arguments.items[0].is(Type::string) &&
          !defined_.contains(arguments.items[0].text)) {
        const std::string& name = arguments.items[0].text;
        emit_.emit(rules::kMalformedIntrinsic, arguments.items[0].span,
                   json::pointer_append(json::pointer_append(pointer, "Fn::If"), 0),
                   fmt::format("the condition `{}` is not defined in the template's `Conditions`; CloudFormation "
                               "refuses the template{}",
                               name, suggestions_.did_you_mean_for(name)));
      }
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) report(node.items[i], json::pointer_append(pointer, i));
    for (const Member& member : node.members) report(member.value, json::pointer_append(pointer, member.key));
  }

  // A resource's own `Condition: name` (`resource`, at `pointer`) when it names no condition.
  void report_resource_condition(const Node& resource, const std::string& pointer) {
    const Node* name = resource.is(Type::object) ? resource.find("Condition") : nullptr;
    if (name != nullptr && !name->is(Type::string)) {
      emit_.emit(rules::kMalformedIntrinsic, name->span, json::pointer_append(pointer, "Condition"),
                 fmt::format("the resource's `Condition` is the name of a condition, not {}; CloudFormation refuses "
                             "the template (the resource is analysed as created in every deployment)",
                             json::type_name(name->type)));
      return;
    }
    if (name == nullptr || defined_.contains(name->text)) return;
    emit_.emit(rules::kMalformedIntrinsic, name->span, json::pointer_append(pointer, "Condition"),
               fmt::format("the resource's condition `{}` is not defined in the template's `Conditions`; "
                           "CloudFormation refuses the template{}",
                           name->text, suggestions_.did_you_mean_for(name->text)));
  }

  // Each definition among the template's `Conditions` (at `pointer`) that CloudFormation
  // refuses: anything but `Fn::And`, `Fn::Or` (2 to 10 conditions), `Fn::Not` (one),
  // `Fn::Equals` (two values) and `Condition` (a name), at any depth. It is taken as a condition
  // that may go either way.
  void report_definitions(const Node& conditions, const std::string& pointer) {
    if (!conditions.is(Type::object)) return;
    for (const Member& condition : conditions.members) {
      check_definition(condition.key, condition.value, json::pointer_append(pointer, condition.key), 0);
    }
  }

  // Each `Condition: name` among the template's `Conditions` (`!Not [!Condition IsProd]`),
  // at `pointer`, that names no condition.
  void report_references(const Node& node, const std::string& pointer) {
    if (node.is(Type::object) && node.members.size() == 1 && node.members.front().key == "Condition") {
      const Node& name = node.members.front().value;
      if (name.is(Type::string) && !defined_.contains(name.text)) {
        emit_.emit(rules::kMalformedIntrinsic, name.span, json::pointer_append(pointer, "Condition"),
                   fmt::format("the condition `{}` is not defined in the template's `Conditions`; CloudFormation "
                               "refuses the template{}",
                               name.text, suggestions_.did_you_mean_for(name.text)));
      }
      return;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      report_references(node.items[i], json::pointer_append(pointer, i));
    }
    for (const Member& member : node.members) report_references(member.value, json::pointer_append(pointer, member.key));
  }

 private:
  void check_definition(const std::string& name, const Node& node, const std::string& pointer, int depth) {
    constexpr int kMaxDepth = 64;  // as TemplateConditions reads them
    if (depth > kMaxDepth) return;
    const auto refuse = [&](Span span, std::string what) {
      emit_.emit(rules::kMalformedIntrinsic, span, pointer,
                 fmt::format("the condition `{}` {}; CloudFormation refuses the template (it is analysed as a "
                             "condition that may go either way)",
                             name, what));
    };
    if (!node.is(Type::object) || node.members.size() != 1) {
      refuse(node.span,
             "is not one condition function (`Fn::And`, `Fn::Or`, `Fn::Not`, `Fn::Equals` or "
             "`Condition`)");
      return;
    }
    const Member& function = node.members.front();
    const Node& arguments = function.value;
    const std::size_t count = arguments.is(Type::array) ? arguments.items.size() : 0;
    if (function.key == "Condition") {
      if (!arguments.is(Type::string)) refuse(arguments.span, "uses `Condition` with something other than a name");
      return;
    }
    if (function.key == "Fn::Equals") {
      if (count != 2) refuse(arguments.span, "uses `Fn::Equals` with other than two values");
      return;
    }
    const bool negation = function.key == "Fn::Not";
    if (!negation && function.key != "Fn::And" && function.key != "Fn::Or") {
      refuse(function.key_span, fmt::format("uses `{}`, which is no condition function", function.key));
      return;
    }
    if (negation ? count != 1 : count < 2 || count > 10) {
      refuse(arguments.span, negation
                                 ? "uses `Fn::Not` with other than one condition"
                                 : fmt::format("uses `{}` with {} conditions (it takes 2 to 10)", function.key, count));
      return;
    }
    for (std::size_t i = 0; i < count; ++i) {
      check_definition(name, arguments.items[i], json::pointer_append(json::pointer_append(pointer, function.key), i),
                       depth + 1);
    }
  }

  const DefinedConditions& defined_;
  Suggestions suggestions_;
  Emitter& emit_;
};

// For each branch of each `Fn::If` under `node`, the conditions that lead to it: its own, and
// those of the `Fn::If`s it is nested in (`path`), in the order they appear. A branch whose way
// needs a condition both true and false is never deployed. A condition the template does not
// define (`defined`, when known) takes its first branch only (TPL002).
void branch_paths(const Node& node, const DefinedConditions* defined, std::map<std::string, bool>& path,
                  std::vector<std::map<std::string, bool>>& out, std::size_t limit) {
  if (out.size() >= limit) return;
  if (const Member* function = intrinsic(node); function != nullptr && function->key == "Fn::If") {
    const Node& arguments = function->value;
    if (arguments.is(Type::array) && arguments.items.size() == 3 && arguments.items[0].is(Type::string)) {
      const std::string& name = arguments.items[0].text;
      if (defined != nullptr && !defined->contains(name)) {
        branch_paths(arguments.items[1], defined, path, out, limit);
        return;
      }
      for (const bool way : {true, false}) {
        const auto [at, fresh] = path.try_emplace(name, way);
        if (!fresh && at->second != way) continue;  // unreachable: the condition was taken the other way
        out.push_back(path);
        branch_paths(arguments.items[way ? 1 : 2], defined, path, out, limit);
        if (fresh) path.erase(at);
      }
      return;
    }
  }
  for (const Node& item : node.items) branch_paths(item, defined, path, out, limit);
  for (const Member& member : node.members) branch_paths(member.value, defined, path, out, limit);
}

// The conditions the `Fn::If`s under `node` name, in the order they appear.
void conditions_named(const Node& node, std::vector<std::string>& out, std::set<std::string>& seen) {
  if (const Member* function = intrinsic(node); function != nullptr && function->key == "Fn::If") {
    const Node& arguments = function->value;
    if (arguments.is(Type::array) && !arguments.items.empty() && arguments.items[0].is(Type::string) &&
        seen.insert(arguments.items[0].text).second) {
      out.push_back(arguments.items[0].text);
    }
  }
  for (const Node& item : node.items) conditions_named(item, out, seen);
  for (const Member& member : node.members) conditions_named(member.value, out, seen);
}

// One value an `Fn::If` may give, and the way to it from the value written: `/Fn::If/1` (the
// true branch), `/Fn::If/2/Fn::If/1` through nested ones, "" without a function. Findings
// point through it, so that their JSON pointers resolve in the file. `path`: how the
// conditions go where it is deployed (those of the `Fn::If`s around it, the resource's own).
struct Alternative {
  Node* node;
  std::string via;
  std::map<std::string, bool> path;
};

// The values a list may hold: each `Fn::If` in it gives both its branches (each a value of
// its own, such as a role's inline policy), `AWS::NoValue` none.
std::vector<Alternative> alternatives(Node& node, const TemplateConditions& relations,
                                      const std::map<std::string, bool>& path) {
  Member* function = intrinsic(node);
  if (function != nullptr && function->key == "Ref" && is_no_value(node)) return {};
  if (function == nullptr || function->key != "Fn::If") return {{&node, "", path}};
  Node& arguments = function->value;
  if (!arguments.is(Type::array) || arguments.items.size() != 3) return {{&node, "", path}};
  std::vector<Alternative> out;
  for (const std::size_t branch : {std::size_t{1}, std::size_t{2}}) {
    // A branch no way of the conditions leads to (`IsNotProd` inside `IsProd`'s) is never
    // deployed.
    std::map<std::string, bool> leading = path;
    if (arguments.items[0].is(Type::string)) {
      const auto [at, fresh] = leading.try_emplace(arguments.items[0].text, branch == 1);
      if ((!fresh && at->second != (branch == 1)) || !relations.leading_to(leading)) continue;
    }
    for (Alternative& inner : alternatives(arguments.items[branch], relations, leading)) {
      out.push_back({inner.node, fmt::format("/Fn::If/{}{}", branch, inner.via), std::move(inner.path)});
    }
  }
  return out;
}

// Whether a property may be left out when deployed: absent, null, `AWS::NoValue`, or an
// `Fn::If` one of whose branches may be.
bool may_be_absent(const Node* node) {
  if (node == nullptr || node->is(Type::null) || is_no_value(*node)) return true;
  const Member* function = intrinsic(*node);
  if (function == nullptr || function->key != "Fn::If") return false;
  const Node& arguments = function->value;
  return arguments.is(Type::array) && arguments.items.size() == 3 &&
         (may_be_absent(&arguments.items[1]) || may_be_absent(&arguments.items[2]));
}

// A template-level macro other than AWS's own transforms may rewrite any resource before it
// is deployed (a policy generator turns shorthand into policies): the template as written is
// not what is deployed.
// Whether a code point is white space, as Unicode counts it (NBSP, U+3000, a zero-width space and
// a byte order mark too): a name copied from a web page may carry them.
bool is_space(std::uint32_t c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 ||
         c == 0xFEFF ||
         // Unicode's Default_Ignorable_Code_Point (a soft hyphen, joiners, fillers), which show as
         // nothing, and the blank Braille pattern (h48 M1).
         c == 0xAD || c == 0x34F || c == 0x61C || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 ||
         (c >= 0x180B && c <= 0x180F) || (c >= 0x200C && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x206F) || c == 0x2800 || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFFA0 ||
         (c >= 0xFFF0 && c <= 0xFFFB) || (c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0x1D173 && c <= 0x1D17A) ||
         (c >= 0xE0000 && c <= 0xE0FFF) ||
         // Control characters and the interlinear annotation marks (U+FFF9-FFFB), which show as
         // nothing either (h49 M1: a `Transform` of `\u0000` hid the template's policies).
         c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

// `name` without the white space around it: `" "`, NBSP or `AWS::Serverless-2016-10-31 ` name no
// macro (h47 M2: a template went unanalysed behind them).
std::string_view trimmed_name(std::string_view name) {
  while (!name.empty()) {
    const CodePoint first = decode_utf8(name, 0);
    if (!first.valid || !is_space(first.value)) break;
    name.remove_prefix(first.length);
  }
  while (!name.empty()) {
    std::size_t start = name.size() - 1;  // the last character's first byte
    while (start > 0 && (static_cast<unsigned char>(name[start]) & 0xC0) == 0x80) --start;
    const CodePoint last = decode_utf8(name, start);
    if (!last.valid || !is_space(last.value)) break;
    name.remove_suffix(name.size() - start);
  }
  return name;
}

// An entry of a template's `Transform` that names no transform (`""`, `" "`, `null`, `{}`, a
// number, `{"Name": ""}`): CloudFormation rejects the template (TPL002), and the entry rewrites
// nothing.
bool names_no_transform(const Node& entry) { return trimmed_name(transform_name(entry)).empty(); }

// The entries of a template's `Transform` (its list's items, or the value itself).
std::vector<const Node*> transform_entries(const Node& root) {
  const Node* transform = root.find("Transform");
  if (transform == nullptr) return {};
  if (!transform->is(Type::array)) return {transform};
  std::vector<const Node*> out;
  for (const Node& item : transform->items) out.push_back(&item);
  return out;
}

// Whether a template names a transform: AWS's (SAM adds resources whose names its policies may
// give) or a macro.
bool names_transform(const Node& root) {
  return std::ranges::any_of(transform_entries(root), [](const Node* entry) { return !names_no_transform(*entry); });
}

// `type` as compared with the types CloudFormation knows: lower case, without white space,
// zero-width or other bytes outside ASCII (a copy from a web page, a stray space).
std::string normalized_type(std::string_view type) {
  std::string out;
  for (const char c : type) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80 && !is_json_space(c) && c != '\f' && c != '\v') out += static_cast<char>(std::tolower(byte));
  }
  return out;
}

// Whether `a` becomes `b` by one byte inserted, removed or replaced (a typo).
bool one_edit_apart(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t front = 0;
  while (front < a.size() && a[front] == b[front]) ++front;
  const std::size_t skip_b = front + 1;
  const std::size_t skip_a = a.size() == b.size() ? front + 1 : front;
  return skip_a > a.size() ? true : a.substr(skip_a) == b.substr(std::min(skip_b, b.size()));
}

// AWS's transforms (the CloudFormation transform reference): the two whose templates grantlint
// reads, and the others, which add or rewrite resources the template does not show.
constexpr std::string_view kAwsTransforms[] = {"AWS::Serverless-2016-10-31", "AWS::LanguageExtensions"};
constexpr std::string_view kRewritingAwsTransforms[] = {"AWS::CodeDeployBlueGreen", "AWS::Include",
                                                        "AWS::SecretsManager-2020-07-23", "AWS::ServiceCatalog"};

bool is_aws_transform(std::string_view name) {
  return std::ranges::find(kAwsTransforms, name) != std::end(kAwsTransforms) ||
         std::ranges::find(kRewritingAwsTransforms, name) != std::end(kRewritingAwsTransforms);
}

// `name` as compared with AWS's transforms: each letter of another script that looks like an ASCII
// one (`А`, fullwidth `Ａ`, `：`) as that letter, then normalized_type().
std::string folded_name(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    const CodePoint cp = decode_utf8(name, i);
    const std::size_t length = std::max<std::size_t>(cp.length, 1);
    if (const auto ascii = ascii_look_alike(name.substr(i, length))) out += *ascii;
    i += length;
  }
  return normalized_type(out);
}

// A `Transform` entry in AWS's namespace (`AWS::` in any case, with look-alike letters or
// invisible characters) that is none of AWS's transforms as written: CloudFormation rejects the
// template. A macro cannot take such a name, so it hides no policy (h48 M1, h49 M1).
struct MisnamedTransform {
  std::optional<std::string_view> meant;  // the transform within a few edits of it, or that it begins
};
std::optional<MisnamedTransform> misnamed_aws_transform(std::string_view name) {
  if (is_aws_transform(name)) return std::nullopt;
  const std::string written = folded_name(trimmed_name(name));
  if (!written.starts_with("aws::")) return std::nullopt;
  std::vector<std::string_view> known(std::begin(kAwsTransforms), std::end(kAwsTransforms));
  known.insert(known.end(), std::begin(kRewritingAwsTransforms), std::end(kRewritingAwsTransforms));
  std::vector<std::string> normal;
  for (const std::string_view transform : known) normal.push_back(normalized_type(transform));
  for (std::size_t i = 0; i < normal.size(); ++i) {
    // Written whole but with an invisible character or another case, or cut short
    // (`AWS::Serverless`).
    if (normal[i] == written || (written.size() >= 8 && normal[i].starts_with(written))) return {{known[i]}};
  }
  const std::vector<std::string_view> candidates(normal.begin(), normal.end());
  if (const auto near = closest_match(written, candidates)) {
    return {{known[static_cast<std::size_t>(std::ranges::find(candidates, *near) - candidates.begin())]}};
  }
  return MisnamedTransform{};
}

const Node* foreign_macro(const Node& root) {
  const auto foreign = [](const Node* entry) {
    const std::string name = transform_name(*entry);
    return !names_no_transform(*entry) && !misnamed_aws_transform(name) &&
           std::ranges::find(kAwsTransforms, name) == std::end(kAwsTransforms);
  };
  const std::vector<const Node*> entries = transform_entries(root);
  const auto it = std::ranges::find_if(entries, foreign);
  return it == entries.end() ? nullptr : *it;
}

// Whether the template declares the transform `name` (`Transform: name` or in its list).
bool declares_transform(const Node& root, std::string_view name) {
  return std::ranges::any_of(transform_entries(root),
                             [&](const Node* entry) { return trimmed_name(transform_name(*entry)) == name; });
}

// The resource type holding a policy that `type` was meant to be, if any: the same in other
// case (`aws::iam::managedpolicy`), with white space or an invisible character in it, or a
// typo away (`AWS::IAM::ManagedPolcy`). CloudFormation refuses such a template, and its policy
// would otherwise pass unread.
std::optional<std::string_view> policy_type_meant(std::string_view type) {
  const std::string written = normalized_type(type);
  if (!written.starts_with("aws::")) return std::nullopt;
  const auto meant = [&](std::string_view known) {
    if (known == type) return false;
    const std::string normal = normalized_type(known);
    return normal == written || one_edit_apart(normal, written);
  };
  for (const PolicyProperty& holder : kPolicyProperties) {
    if (meant(holder.type)) return holder.type;
  }
  for (const std::string_view known :
       {"AWS::IAM::Policy", "AWS::Serverless::Function", "AWS::Serverless::StateMachine"}) {
    if (meant(known)) return known;
  }
  return std::nullopt;
}

// What makes a resource unreadable (empty when it is not): a value that is not an object, a
// `Type` that is not a string, `Properties` that are not an object. A resource without
// `Properties` (an SNS topic with defaults) is well formed.
std::string malformed_resource(const Node& resource, const Node* type, const Node* properties) {
  if (!resource.is(Type::object)) return fmt::format("is {}, not an object", json::type_name(resource.type));
  if (type == nullptr) return "has no `Type`";
  if (!type->is(Type::string)) return fmt::format("has a `Type` that is {}, not a string", json::type_name(type->type));
  if (const auto meant = policy_type_meant(type->text)) {
    return fmt::format(
        "has `Type` `{}`, which CloudFormation does not know (its types are spelt exactly, case "
        "included; did you mean `{}`?)",
        clip_long_text(type->text), *meant);
  }
  if (properties != nullptr && !properties->is(Type::object) && !properties->is(Type::null)) {
    return fmt::format("has `Properties` that are {}, not an object", json::type_name(properties->type));
  }
  return {};
}

// The policy a resource type cannot be deployed without (CloudFormation's resource
// reference marks these properties required), or empty.
std::string_view required_policy(std::string_view type) {
  static constexpr std::pair<std::string_view, std::string_view> kRequired[] = {
      {"AWS::IAM::ManagedPolicy", "PolicyDocument"}, {"AWS::IAM::Policy", "PolicyDocument"},
      {"AWS::IAM::Role", "AssumeRolePolicyDocument"}, {"AWS::S3::BucketPolicy", "PolicyDocument"},
      {"AWS::SQS::QueuePolicy", "PolicyDocument"},   {"AWS::SNS::TopicPolicy", "PolicyDocument"},
      {"AWS::SecretsManager::ResourcePolicy", "ResourcePolicy"},
      {"AWS::KMS::ReplicaKey", "KeyPolicy"},
      {"AWS::S3::MultiRegionAccessPointPolicy", "Policy"},
      {"AWS::S3ObjectLambda::AccessPointPolicy", "PolicyDocument"},
  };
  const auto it = std::ranges::find(kRequired, type, &std::pair<std::string_view, std::string_view>::first);
  return it == std::end(kRequired) ? std::string_view() : it->second;
}

}  // namespace

bool is_no_value(const Node& node) {
  const Member* function = intrinsic(node);
  return function != nullptr && function->key == "Ref" && function->value.is(Type::string) &&
         function->value.text == "AWS::NoValue";
}

bool is_cloudformation(const Node& root) {
  if (!root.is(Type::object)) return false;
  if (root.find("AWSTemplateFormatVersion") != nullptr) return true;
  const Node* resources = root.find("Resources");
  if (resources == nullptr || !resources->is(Type::object) || resources->members.empty()) return false;
  return std::ranges::any_of(resources->members, [](const Member& member) {
    const Node* type = member.value.find("Type");
    // A type in other case or misspelt (TPL003 says so) still makes the file a template.
    return type != nullptr && type->is(Type::string) &&
           (type->text.starts_with("AWS::") || type->text.starts_with("Custom::") ||
            policy_type_meant(type->text).has_value());
  });
}

bool uses_foreign_macro(const Node& root) { return foreign_macro(root) != nullptr; }

TemplateResources template_resources(const Node& root) {
  TemplateResources out;
  // `Conditions` that is not a mapping defines none (TPL002 says CloudFormation refuses it).
  {
    const Node* conditions = root.find("Conditions");
    DefinedConditions& defined = out.conditions.emplace();
    if (conditions != nullptr && conditions->is(Type::object)) {
      for (const Member& condition : conditions->members) {
        if (defined.names.insert(condition.key).second) defined.in_order.push_back(condition.key);
      }
    }
  }
  if (const Node* mappings = root.find("Mappings"); mappings != nullptr && mappings->is(Type::object)) {
    out.mappings = *mappings;
  }
  const Node* resources = root.find("Resources");
  if (resources == nullptr || !resources->is(Type::object)) return out;
  if (!names_transform(root)) {
    std::vector<std::string>& names = out.defined_names.emplace();
    for (const Member& resource : resources->members) names.push_back(resource.key);
    if (const Node* parameters = root.find("Parameters"); parameters != nullptr && parameters->is(Type::object)) {
      for (const Member& parameter : parameters->members) names.push_back(parameter.key);
    }
    std::ranges::sort(names);
  }
  for (const Member& resource : resources->members) {
    const Node* type = resource.value.find("Type");
    if (type == nullptr || !type->is(Type::string)) continue;
    out.types.emplace(resource.key, type->text);
    const Node* properties = resource.value.find("Properties");
    if (properties == nullptr || !properties->is(Type::object)) continue;
    const auto literal = [&](std::string_view property) -> const Node* {
      const Node* node = properties->find(property);
      return node != nullptr && node->is(Type::string) && !node->text.empty() ? node : nullptr;
    };
    // A role's or a user's name: written out, given by a function, or none (CloudFormation makes one).
    const auto name_of = [&](std::string_view property) {
      if (const Node* name = literal(property)) {
        out.names.emplace(resource.key, name->text);
      } else if (properties->find(property) != nullptr) {
        out.names_by_value.insert(resource.key);
      }
    };
    if (type->text == "AWS::IAM::Role") {
      name_of("RoleName");
      if (const Node* path = literal("Path")) out.paths.emplace(resource.key, path->text);
    } else if (type->text == "AWS::IAM::User") {
      name_of("UserName");
      if (const Node* path = literal("Path")) out.paths.emplace(resource.key, path->text);
    } else if (type->text == "AWS::KMS::Alias") {
      if (const Node* name = literal("AliasName")) out.names.emplace(resource.key, name->text);
    }
  }
  return out;
}

std::optional<std::string> cloudformation_value(const Node& value, const TemplateResources& types) {
  // Misused functions here are not reported: this reads values for the Glue pack, and a
  // template's own problems are what its policies' analysis reports.
  DiagnosticSink ignored;
  Emitter quiet(ignored, 0);
  const std::map<std::string, bool> first_branches;
  Node resolved = value;
  Resolver resolver(quiet, first_branches, types);
  if (!resolver.resolve(resolved, "") || !resolved.is(Type::string)) return std::nullopt;
  return std::move(resolved.text);
}

std::vector<Node> cloudformation_forms(const Node& value, const TemplateResources& resources) {
  DiagnosticSink ignored;
  Emitter quiet(ignored, 0);
  // The conditions of the value's `Fn::If`s, each false: the other branches.
  std::map<std::string, bool> second_branches;
  std::vector<const Node*> pending{&value};
  while (!pending.empty()) {
    const Node* node = pending.back();
    pending.pop_back();
    if (const Node* branches = node->is(Type::object) && node->members.size() == 1 ? node->find("Fn::If") : nullptr;
        branches != nullptr && branches->is(Type::array) && !branches->items.empty() &&
        branches->items[0].is(Type::string)) {
      second_branches.emplace(branches->items[0].text, false);
    }
    for (const Node& item : node->items) pending.push_back(&item);
    for (const Member& member : node->members) pending.push_back(&member.value);
  }
  std::vector<Node> out;
  const std::map<std::string, bool> first_branches;
  const std::map<std::string, bool>& second = second_branches;
  for (const std::map<std::string, bool>* choice : {&first_branches, &second}) {
    Node resolved = value;
    if (Resolver(quiet, *choice, resources).resolve(resolved, "")) out.push_back(std::move(resolved));
    if (second_branches.empty()) break;  // no `Fn::If`: one form
  }
  return out;
}

std::vector<PolicySlot> cloudformation_policies(Node& root, bool from_yaml, Emitter& emit,
                                                std::deque<json::Node>& variants) {
  std::vector<PolicySlot> out;
  const std::vector<const Node*> transforms = transform_entries(root);
  const bool listed = !transforms.empty() && root.find("Transform")->is(Type::array);
  for (std::size_t i = 0; i < transforms.size(); ++i) {
    const Node& entry = *transforms[i];
    const std::string at = listed ? fmt::format("/Transform/{}", i) : "/Transform";
    if (const auto misnamed = misnamed_aws_transform(transform_name(entry))) {
      emit.emit(rules::kMalformedIntrinsic, entry.span, at,
                fmt::format("`{}` is no transform CloudFormation knows (names that start `AWS::` are AWS's{} "
                            "CloudFormation rejects the template; its policies are analysed as written",
                            transform_name(entry),
                            misnamed->meant ? fmt::format("): did you mean `{}`?", *misnamed->meant)
                                            : std::string(", and none of theirs is near it):")));
      continue;
    }
    if (!names_no_transform(entry)) continue;
    emit.emit(rules::kMalformedIntrinsic, entry.span, at,
              "`Transform` takes the name of a transform or macro, or a list of them, and this names none: "
              "CloudFormation rejects the template; its policies are analysed as written");
  }
  if (const Node* macro = foreign_macro(root)) {
    const std::string name = transform_name(*macro);
    emit.emit(rules::kPolicyNotAnalysed, macro->span, "/Transform",
              fmt::format("the template uses {}, which may rewrite its resources before they are deployed; its "
                          "policies are not analysed: check the processed template (`aws cloudformation get-template "
                          "--template-stage Processed`)",
                          name.empty()                ? std::string("a transform")
                          : name.starts_with("AWS::") ? fmt::format("the transform `{}`", name)
                                                      : fmt::format("the macro `{}`", name)));
    return out;
  }
  Node* resources = root.find("Resources");
  if (resources == nullptr) {
    // `resources`, `RESOURCES`: CloudFormation's keys are case-sensitive, so it refuses the
    // template, and what the key holds would pass unread.
    for (const Member& member : root.members) {
      if (member.key != "Resources" && iequals(member.key, "Resources")) {
        emit.emit(rules::kPolicyNotAnalysed, member.value.span, "",
                  fmt::format("`{}` is not a key of a template (its keys are case-sensitive; did you mean "
                              "`Resources`?), so no policy in it is analysed; CloudFormation refuses the template",
                              member.key),
                  Level::error);
      }
    }
    return out;
  }
  if (!resources->is(Type::object)) {
    emit.emit(rules::kPolicyNotAnalysed, resources->span, "/Resources",
              fmt::format("`Resources` is {}, not a map of logical ids to resources, so no policy in the template is "
                          "analysed; CloudFormation refuses such a template",
                          json::type_name(resources->type)),
              Level::error);
    return out;
  }
  const TemplateResources types = template_resources(root);
  // SAM's `Globals: Function:` properties, which each function without its own takes.
  const Node* globals = root.find("Globals");
  const Node* global_function = globals != nullptr && globals->is(Type::object) ? globals->find("Function") : nullptr;
  const bool has_global_function = global_function != nullptr && global_function->is(Type::object);
  const Node* global_trust = has_global_function ? global_function->find("AssumeRolePolicyDocument") : nullptr;
  const Node* global_role = has_global_function ? global_function->find("Role") : nullptr;
  // `Fn::ForEach` exists only under AWS::LanguageExtensions; without it the loop is refused.
  const bool loops_expand = declares_transform(root, "AWS::LanguageExtensions");
  constexpr std::size_t kPolicyFormText = std::size_t{16} << 20, kTemplateFormText = std::size_t{64} << 20;
  constexpr std::size_t kPolicyFormFloor = std::size_t{64} << 10;  // what each policy may take, whatever is left
  std::size_t form_text_left = kTemplateFormText;
  ExpansionBudget expansion;
  // A parameter that lists its values gives a policy that names it a form per value.
  const ParameterChoices parameter_choices(root.find("Parameters"), root.find("Conditions"));
  const TemplateConditions relations(parameter_choices.conditions(), root.find("Parameters"));
  DefinedConditions defined_in_forms = *types.conditions;  // those of the template, and the choices'
  // A policy text met again in the same role (SAM's `Globals` trust for each function, a YAML
  // alias listed many times) is analysed once: by where it is written, what it is, and the
  // conditions it is deployed under; its findings are the same text's at the same place.
  using TakenKey =
      std::tuple<std::uint32_t, std::uint32_t, Kind, std::map<std::string, bool>, bool, std::string, std::string>;
  std::set<TakenKey> taken;
  defined_in_forms.names.insert(parameter_choices.added().begin(), parameter_choices.added().end());
  std::optional<UndefinedConditions> undefined_conditions;
  if (types.conditions) {
    undefined_conditions.emplace(*types.conditions, emit);
    const Node* conditions = root.find("Conditions");
    if (conditions != nullptr && !conditions->is(Type::object)) {
      emit.emit(rules::kMalformedIntrinsic, conditions->span, "/Conditions",
                "`Conditions` is not a mapping of names to conditions; CloudFormation refuses the template");
    } else if (conditions != nullptr) {
      undefined_conditions->report_references(*conditions, "/Conditions");
      undefined_conditions->report_definitions(*conditions, "/Conditions");
      for (const Member& condition : conditions->members) {
        if (!relations.on_cycle().contains(condition.key)) continue;
        emit.emit(rules::kMalformedIntrinsic, condition.key_span, json::pointer_append("/Conditions", condition.key),
                  fmt::format("the condition `{}` follows from itself, through the conditions it names; "
                              "CloudFormation refuses the template",
                              condition.key));
      }
    }
  }
  for (Member& resource : resources->members) {
    if (undefined_conditions) {
      const std::string at = json::pointer_append("/Resources", resource.key);
      undefined_conditions->report_resource_condition(resource.value, at);
      undefined_conditions->report(resource.value, at);
    }
    // AWS::LanguageExtensions writes a loop of resources as `Fn::ForEach::Name: [identifier,
    // collection, {templates}]`, expanded at deployment.
    if (resource.key.starts_with("Fn::ForEach::")) {
      if (!loops_expand) {
        emit.emit(rules::kPolicyNotAnalysed, resource.key_span, json::pointer_append("/Resources", resource.key),
                  fmt::format("the loop `{}` needs the `AWS::LanguageExtensions` transform, which the template does "
                              "not declare; CloudFormation refuses it",
                              resource.key),
                  Level::error);
        continue;
      }
      emit.emit(rules::kPolicyNotAnalysed, resource.key_span, json::pointer_append("/Resources", resource.key),
                fmt::format("the resources `{}` makes are expanded only at deployment and are not analysed; check "
                            "the processed template (`aws cloudformation get-template --template-stage Processed`)",
                            resource.key));
      continue;
    }
    // `Fn::Transform` among the resources (an `AWS::Include` of more of them) adds resources at deployment.
    if (resource.key == "Fn::Transform") {
      const std::string name = transform_name(resource.value);
      emit.emit(rules::kPolicyNotAnalysed, resource.key_span, json::pointer_append("/Resources", resource.key),
                fmt::format("the resources `Fn::Transform`{} adds are known only at deployment and are not analysed; "
                            "check the processed template (`aws cloudformation get-template --template-stage "
                            "Processed`)",
                            name.empty() ? std::string() : fmt::format(" (`{}`)", name)));
      continue;
    }
    const Node* type = resource.value.is(Type::object) ? resource.value.find("Type") : nullptr;
    Node* written_properties = resource.value.is(Type::object) ? resource.value.find("Properties") : nullptr;
    // The condition the resource is created under (`Condition: IsProd`), when the template defines it.
    const Node* created_when = resource.value.is(Type::object) ? resource.value.find("Condition") : nullptr;
    std::map<std::string, bool> created;  // the way its conditions go when the resource exists
    if (created_when != nullptr && created_when->is(Type::string) && types.conditions &&
        types.conditions->contains(created_when->text)) {
      created.emplace(created_when->text, true);
    }
    if (const std::string why = malformed_resource(resource.value, type, written_properties); !why.empty()) {
      emit.emit(rules::kPolicyNotAnalysed, resource.key_span, json::pointer_append("/Resources", resource.key),
                fmt::format("the resource `{}` {}, so its policies are not analysed; CloudFormation refuses it",
                            resource.key, why),
                Level::error);
      continue;
    }
    if (type == nullptr) continue;
    // `Properties: !If [c, {...}, {...}]` gives each form its own properties; another function
    // there (`Fn::Transform` of an AWS::Include snippet) is known only when deployed (README).
    std::vector<Alternative> forms;
    bool transformed = false;
    if (written_properties != nullptr && written_properties->is(Type::object)) {
      const Member* function = intrinsic(*written_properties);
      if (function == nullptr) {
        forms.push_back({written_properties, "", created});
      } else if (function->key == "Fn::If") {
        for (Alternative& form : alternatives(*written_properties, relations, created)) {
          if (form.node->is(Type::object) && intrinsic(*form.node) == nullptr) forms.push_back(std::move(form));
        }
      } else {
        transformed = true;
        const bool holds_policies =
            type->text == "AWS::IAM::Policy" || type->text.starts_with("AWS::Serverless::") ||
            std::ranges::any_of(kPolicyProperties, [&](const PolicyProperty& p) { return p.type == type->text; });
        if (holds_policies) {
          const std::string name = function->key == "Fn::Transform" ? transform_name(function->value) : std::string();
          emit.emit(
              rules::kPolicyNotAnalysed, function->key_span,
              json::pointer_append(json::pointer_append("/Resources", resource.key), "Properties"),
              fmt::format("the properties of `{}` come from `{}`{}, known only at deployment, and its policies "
                          "are not analysed; check the processed template (`aws cloudformation get-template "
                          "--template-stage Processed`)",
                          resource.key, function->key, name.empty() ? std::string() : fmt::format(" (`{}`)", name)));
        }
      }
    }
    if (std::ranges::find(kGrantsWithoutDocument, type->text) != std::end(kGrantsWithoutDocument)) {
      emit.emit(rules::kPolicyNotAnalysed, type->span,
                json::pointer_append(json::pointer_append("/Resources", resource.key), "Type"),
                fmt::format("`{}` (`{}`) grants access without a policy document, which is not analysed; check "
                            "who its `Principal` admits and under which conditions",
                            resource.key, type->text));
    }
    // Refused by CloudFormation, and said: a role without a trust policy, a policy without its
    // document (in any form the properties take).
    if (const std::string_view required = required_policy(type->text); !required.empty() && !transformed) {
      const bool missing = written_properties == nullptr || !written_properties->is(Type::object) ||
                           std::ranges::any_of(forms, [&](const Alternative& form) {
                             const Node* given = form.node->find(required);
                             return given == nullptr || is_no_value(*given);
                           });
      if (missing) {
        emit.emit(rules::kPolicyNotAnalysed, resource.key_span, json::pointer_append("/Resources", resource.key),
                  fmt::format("the resource `{}` ({}) has no `{}`; CloudFormation refuses it", resource.key,
                              type->text, required),
                  Level::error);
      }
    }
    // `form_path`: how the conditions go where these properties are deployed.
    const auto analyse = [&](Node* properties, const std::string& form_via,
                             const std::map<std::string, bool>& form_path) {
      const std::string at =
          json::pointer_append(json::pointer_append("/Resources", resource.key), "Properties") + form_via;
      // A policy with `Fn::If` is deployed in one of several forms: each is checked on its own
      // (every way of up to kMaxExhaustive conditions; past them the first kMaxVaried both ways
      // with any others true, then each other one false). A finding of several forms is reported
      // once.
      // `holding`: how the conditions go where the policy is deployed (its resource's, the
      // `Fn::If`s' around it). `versioned_by_sam`: SAM adds the Version of an inline policy,
      // so none is asked for.
      const auto take = [&](const Node& as_written, const std::string& pointer, Kind kind,
                            const std::map<std::string, bool>& holding, bool versioned_by_sam = false,
                            std::string_view resource_type = {}, std::string_view resource_name = {}) {
        if (as_written.span.size() > 0 &&
            !taken
                 .emplace(as_written.span.begin, as_written.span.end, kind, holding, versioned_by_sam,
                          std::string(resource_type), std::string(resource_name))
                 .second) {
          return;
        }
        const std::optional<Node> with_choices = parameter_choices.rewritten(as_written);
        const Node& written = with_choices ? *with_choices : as_written;
        // AWS::LanguageExtensions' loops inside a policy (`Fn::ForEach::Tags` among a condition's
        // keys) are expanded only at deployment: the policy is not what AWS receives.
        if (const Member* transform = transformed_statements(written)) {
          const std::string name = transform_name(transform->value);
          emit.emit(rules::kPolicyNotAnalysed, transform->key_span, pointer,
                    fmt::format("statements of the policy of `{}` come from `Fn::Transform`{}, known only at "
                                "deployment, and the policy is not analysed; check the processed template (`aws "
                                "cloudformation get-template --template-stage Processed`)",
                                resource.key, name.empty() ? std::string() : fmt::format(" (`{}`)", name)));
          return;
        }
        if (const Member* loop = loop_in(written)) {
          if (!loops_expand) {
            emit.emit(rules::kPolicyNotAnalysed, loop->key_span, pointer,
                      fmt::format("the loop `{}` in the policy of `{}` needs the `AWS::LanguageExtensions` "
                                  "transform, which the template does not declare; CloudFormation refuses it",
                                  loop->key, resource.key),
                      Level::error);
            return;
          }
          emit.emit(rules::kPolicyNotAnalysed, loop->key_span, pointer,
                    fmt::format("the policy of `{}` holds the loop `{}`, expanded only at deployment, and is not "
                                "analysed; check the processed template (`aws cloudformation get-template "
                                "--template-stage Processed`)",
                                resource.key, loop->key));
          return;
        }
        constexpr std::size_t kMaxVaried = 3;
        constexpr std::size_t kMaxForms = 256;
        static_assert(4 * kMaxForms == 1024, "the TPL003 note on branches says 1,024");
        std::vector<std::string> conditions;
        std::set<std::string> seen;
        conditions_named(written, conditions, seen);
        // A condition the template does not define is reported (TPL002), and its `Fn::If`
        // analysed in its first form only: no template with it is deployed.
        std::erase_if(conditions, [&](const std::string& name) { return !defined_in_forms.contains(name); });
        // Those that follow from others (`!Not [!Condition IsProd]`) are not varied: the free
        // conditions they follow from are. Where the policy is deployed, `holding` holds (its
        // resource's `Condition`, the `Fn::If`s around it): no form where it does not is.
        std::vector<std::string> named = conditions;
        std::vector<std::string> holding_names;
        for (const auto& [name, way] : holding) holding_names.push_back(name);
        named.insert(named.end(), holding_names.begin(), holding_names.end());
        const std::vector<std::string> free = relations.free_of(named);
        conditions = relations.free_of(conditions);
        // A form is a way the conditions go: the free conditions it takes false (the others
        // true, as when unnamed) and those that follow from them. Every way of up to
        // kMaxExhaustive; past them the first kMaxVaried both ways and each later one false
        // once; and each branch of each `Fn::If` reached once with the conditions of the
        // `Fn::If`s around it set to lead there, so that a grant nested under the 13th's and
        // 14th's false branches is found. At most kMaxForms, which is said.
        using Way = TemplateConditions::Way;
        std::vector<Way> ways;
        std::set<Way> known;
        bool more = false;
        const auto deployed = [&](const Way& way) {
          if (holding.empty()) return true;
          const std::map<std::string, bool> values = relations.values(holding_names, way);
          return std::ranges::all_of(holding, [&](const auto& held) {
            const auto it = values.find(held.first);
            return (it == values.end() || it->second) == held.second;
          });
        };
        const auto add = [&](Way way) {
          if (relations.vary_budget_spent()) return;
          way = relations.settled(free, std::move(way));  // `Env = prod` and `Env = dev` never both
          if (known.contains(way) || !deployed(way)) return;
          if (ways.size() == kMaxForms) {
            more = true;
            return;
          }
          known.insert(way);
          ways.push_back(std::move(way));
        };
        // A way where the policy is deployed, which each varied way is also tried with: a
        // resource under `IsNotProd` takes the free conditions' false ways from its own (both
        // branches of two `Fn::If`s false, with Env not prod).
        const std::optional<Way> where = holding.empty() ? std::optional<Way>(Way{}) : relations.leading_to(holding);
        const auto add_varied = [&](const Way& way) {
          add(way);
          if (!where) return;
          Way within = *where;
          within.taken_false.insert(way.taken_false.begin(), way.taken_false.end());
          add(std::move(within));
        };
        // Every way up to kMaxExhaustive free conditions go is a form when they give at most
        // kMaxCombined distinct ones (five conditions; comparisons of one parameter give few: ten
        // Regions, eleven); else the first kMaxVaried both ways, and a note says so.
        constexpr std::size_t kMaxExhaustive = 12;
        constexpr std::size_t kMaxCombined = 32;
        const auto way_of_mask = [&](std::size_t mask, std::size_t bits) {
          Way way;
          for (std::size_t k = 0; k < bits; ++k) {
            if ((mask & (std::size_t{1} << k)) != 0) way.taken_false.insert(conditions[k]);
          }
          return way;
        };
        bool exhaustive = conditions.size() <= kMaxExhaustive;
        if (exhaustive && conditions.size() > kMaxVaried) {
          std::set<Way> combined;
          for (std::size_t mask = 0; mask < (std::size_t{1} << conditions.size()) && exhaustive; ++mask) {
            if (relations.vary_budget_spent()) {
              exhaustive = false;
              break;
            }
            Way way = relations.settled(free, way_of_mask(mask, conditions.size()));
            if (deployed(way)) combined.insert(std::move(way));
            exhaustive = combined.size() <= kMaxCombined;
          }
        }
        const std::size_t varied = exhaustive ? conditions.size() : kMaxVaried;
        for (std::size_t mask = 0; mask < (std::size_t{1} << varied) && !more; ++mask) {
          add_varied(way_of_mask(mask, varied));
        }
        for (std::size_t k = varied; k < conditions.size() && !more && !relations.vary_budget_spent(); ++k) {
          add_varied(Way{{conditions[k]}, {}});
        }
        std::vector<std::map<std::string, bool>> paths;
        std::map<std::string, bool> path;
        branch_paths(written, &defined_in_forms, path, paths, 4 * kMaxForms);
        const std::set<std::map<std::string, bool>> distinct_paths(paths.begin(), paths.end());
        for (std::map<std::string, bool> leading : distinct_paths) {
          if (relations.vary_budget_spent()) break;
          // A branch no way of the free conditions leads to is never deployed.
          const bool contradicts = std::ranges::any_of(holding, [&](const auto& held) {
            return leading.try_emplace(held.first, held.second).first->second != held.second;
          });
          if (contradicts) continue;
          if (auto way = relations.leading_to(leading)) add(std::move(*way));
        }
        if (where && ways.empty()) add(*where);
        // Past the template's budget for varying, a policy no way was found for yet is still
        // analysed, as deployed where it stands (or with every condition true).
        if (ways.empty() && relations.vary_budget_spent()) ways.push_back(where ? *where : Way{});
        // Each form is a copy of the policy, checked on its own: one policy's forms are kept to
        // kPolicyFormText bytes of policy text and a template's to kTemplateFormText, with at
        // least the first kMaxVaried conditions' forms and kPolicyFormFloor bytes each (a small
        // policy after large ones keeps its forms). 256 forms of AWS's largest policy (32 KB)
        // fit; a policy past IAM's quotas with thousands of `Fn::If`s would take minutes.
        const std::size_t text = std::max<std::size_t>(text_size(written), 1);
        const std::size_t weight = form_weight(written);
        // A policy past the floor (64 KB, twice AWS's largest) has no forms guaranteed beyond one.
        const std::size_t guaranteed = weight <= kPolicyFormFloor ? std::size_t{1} << kMaxVaried : 1;
        const std::size_t fits =
            std::max({guaranteed, kPolicyFormFloor / weight, std::min(form_text_left, kPolicyFormText) / weight});
        if (ways.size() > fits) {
          emit.emit(rules::kPolicyNotAnalysed, written.span, pointer,
                    fmt::format("the policy of `{}` ({} bytes) takes {}{} forms by its `Fn::If`s; only {} are "
                                "analysed, as a policy's forms are analysed up to {} MB of policy text and a "
                                "template's up to {} MB",
                                resource.key, text, more ? "more than " : "", ways.size(), fits,
                                kPolicyFormText >> 20, kTemplateFormText >> 20));
          ways.resize(fits);
        } else if (more) {
          emit.emit(rules::kPolicyNotAnalysed, written.span, pointer,
                    fmt::format("the policy of `{}` takes more than {} forms by its `Fn::If`s; only {} are analysed",
                                resource.key, kMaxForms, ways.size()));
        } else if (paths.size() >= 4 * kMaxForms) {
          emit.emit(rules::kPolicyNotAnalysed, written.span, pointer,
                    fmt::format("the policy of `{}` has more than 1,024 branches in its `Fn::If`s; those past them "
                                "are not sought out, and {} forms are analysed",
                                resource.key, ways.size()));
        } else if (!exhaustive) {
          emit.emit(rules::kPolicyNotAnalysed, written.span, pointer,
                    fmt::format("the policy of `{}` depends on {} conditions by its `Fn::If`s, more than {} ways; {} "
                                "forms are analysed (every way of the first {}, each other one false alone, each "
                                "branch), not every way they may go together",
                                resource.key, conditions.size(), kMaxCombined, ways.size(), kMaxVaried));
        }
        form_text_left -= std::min(form_text_left, ways.size() * weight);
        if (const Member* to_json = to_json_string_in(written); to_json != nullptr && !loops_expand) {
          emit.emit(rules::kMalformedIntrinsic, to_json->key_span, pointer,
                    fmt::format("`Fn::ToJsonString` in the policy of `{}` needs the `AWS::LanguageExtensions` "
                                "transform, which the template does not declare: CloudFormation rejects the "
                                "template; the policy is analysed as written",
                                resource.key));
        }
        std::vector<std::map<std::string, bool>> choices;
        choices.reserve(ways.size());
        for (const Way& way : ways) choices.push_back(relations.values(named, way));
        bool first = true;
        for (const std::map<std::string, bool>& choice : choices) {
          Node& document = variants.emplace_back(written);
          unwrap_to_json_string(document);
          const bool built = intrinsic(document) != nullptr;  // `Fn::Sub` of the policy's JSON text
          Resolver resolver(emit, choice, types, &expansion);
          if (!resolver.resolve(document, pointer)) continue;  // AWS::NoValue in this form
          if (document.is(Type::string) && has_placeholder(document.text)) {
            emit.emit(rules::kPolicyNotAnalysed, document.span, pointer,
                      fmt::format("the policy of `{}` is a string built by an intrinsic function; write it as an "
                                  "object (CloudFormation accepts one) to have it analysed",
                                  resource.key));
            continue;
          }
          out.push_back({pointer, &document, kind, "a CloudFormation template",
                         document.is(Type::string) && (from_yaml || built), type->text == "AWS::ECR::Repository", !first,
                         versioned_by_sam, resource.key, policy::find_resource_type(resource_type),
                         std::string(resource_name)});
          first = false;
        }
      };
      // A table's policy sits a level down (`ResourcePolicy: {PolicyDocument: ...}`), its
      // stream's two (`StreamSpecification: {ResourcePolicy: ...}`).
      if (type->text == "AWS::DynamoDB::Table") {
        const auto table_policy = [&](Node& holder, const std::string& pointer) {
          Node* written = holder.find("ResourcePolicy");
          if (written == nullptr) return;
          // An `Fn::If` may choose between policies.
          for (const auto& [policy, via, path] : alternatives(*written, relations, form_path)) {
            Node* document = policy->is(Type::object) ? policy->find("PolicyDocument") : nullptr;
            if (document == nullptr) continue;
            const std::string policy_at = json::pointer_append(pointer, "ResourcePolicy") + via;
            take(*document, json::pointer_append(policy_at, "PolicyDocument"), Kind::resource, path, false,
                 "AWS::DynamoDB::Table");
          }
        };
        table_policy(*properties, at);
        if (Node* stream = properties->find("StreamSpecification"); stream != nullptr && stream->is(Type::object)) {
          table_policy(*stream, json::pointer_append(at, "StreamSpecification"));
        }
        return;
      }
      if (type->text == "AWS::IAM::Policy") {
        if (Node* document = properties->find("PolicyDocument")) {
          take(*document, json::pointer_append(at, "PolicyDocument"), iam_policy_kind(*properties), form_path);
        }
        return;
      }
      // SAM functions and state machines: `Policies` is a managed policy's name, a policy
      // template (`S3ReadPolicy: {...}`), an inline document (`Statement: [...]`; SAM adds the
      // Version), or a list of them. The inline documents are the execution role's.
      if (type->text == "AWS::Serverless::Function" || type->text == "AWS::Serverless::StateMachine") {
        // A function may give the trust policy of the execution role SAM makes for it; with a
        // `Role` of its own, SAM makes none and the document is never deployed. A `Role` that
        // one condition leaves out (`!If [c, arn, !Ref AWS::NoValue]`) makes it one form's.
        // What the function leaves out, `Globals: Function:` gives (SAM merges them).
        const Node* trust = properties->find("AssumeRolePolicyDocument");
        std::string trust_at = json::pointer_append(at, "AssumeRolePolicyDocument");
        if (trust == nullptr && global_trust != nullptr) {
          trust = global_trust;
          trust_at = "/Globals/Function/AssumeRolePolicyDocument";
        }
        const Node* role = properties->find("Role");
        if (role == nullptr) role = global_role;
        if (trust != nullptr && type->text == "AWS::Serverless::Function" && may_be_absent(role)) {
          take(*trust, trust_at, Kind::trust, form_path);
        }
        Node* value = properties->find("Policies");
        if (value == nullptr) return;
        const std::string pointer = json::pointer_append(at, "Policies");
        for (const auto& [policies, via, path] : alternatives(*value, relations, form_path)) {
          if (policies->find("Statement") != nullptr) {
            take(*policies, pointer + via, Kind::inline_role, path, true);
            continue;
          }
          if (!policies->is(Type::array)) continue;
          for (std::size_t i = 0; i < policies->items.size(); ++i) {
            for (const auto& [policy, item_via, item_path] : alternatives(policies->items[i], relations, path)) {
              if (policy->find("Statement") != nullptr) {
                take(*policy, json::pointer_append(pointer + via, i) + item_via, Kind::inline_role, item_path, true);
              }
            }
          }
        }
        return;
      }
      for (const PolicyProperty& property : kPolicyProperties) {
        if (property.type != type->text) continue;
        Node* value = properties->find(property.property);
        if (value == nullptr) continue;
        const std::string pointer = json::pointer_append(at, property.property);
        if (property.property != "Policies") {
          take(*value, pointer, property.kind, form_path, false, property.resource_type,
               literal_bucket(*properties, *type));
          continue;
        }
        // Each policy of the list, and of each list an `Fn::If` may give, is a document of its own.
        // A list or policy of another shape is refused by CloudFormation, which is said; a policy
        // written without its list is analysed all the same.
        const auto refused = [&](const Node& node, const std::string& where, const std::string& what) {
          emit.emit(rules::kPolicyNotAnalysed, node.span, where,
                    fmt::format("{} of `{}` {}; CloudFormation refuses it", what, resource.key,
                                node.is(Type::object) ? std::string("has no `PolicyDocument`")
                                                      : fmt::format("is {}, not a policy", json::type_name(node.type))),
                    Level::error);
        };
        for (const auto& [list, via, path] : alternatives(*value, relations, form_path)) {
          if (intrinsic(*list) != nullptr) continue;  // a parameter's or a function's value: not known here
          const std::string list_at = pointer + via;
          if (!list->is(Type::array)) {
            if (Node* document = list->is(Type::object) ? list->find("PolicyDocument") : nullptr) {
              emit.emit(rules::kPolicyNotAnalysed, list->span, list_at,
                        fmt::format("`Policies` of `{}` is one policy, not a list of them; CloudFormation refuses it "
                                    "(its policy is analysed all the same)",
                                    resource.key),
                        Level::error);
              take(*document, json::pointer_append(list_at, "PolicyDocument"), property.kind, path);
            } else {
              emit.emit(rules::kPolicyNotAnalysed, list->span, list_at,
                        fmt::format("`Policies` of `{}` is {}, not a list of policies; CloudFormation refuses it",
                                    resource.key, json::type_name(list->type)),
                        Level::error);
            }
            continue;
          }
          for (std::size_t i = 0; i < list->items.size(); ++i) {
            for (const auto& [policy, item_via, item_path] : alternatives(list->items[i], relations, path)) {
              if (intrinsic(*policy) != nullptr) continue;
              const std::string policy_at = json::pointer_append(list_at, i) + item_via;
              Node* document = policy->is(Type::object) ? policy->find("PolicyDocument") : nullptr;
              if (document == nullptr) {
                refused(*policy, policy_at, fmt::format("policy {} of `Policies`", i));
                continue;
              }
              take(*document, json::pointer_append(policy_at, "PolicyDocument"), property.kind, item_path);
            }
          }
        }
      }
    };
    for (const Alternative& form : forms) analyse(form.node, form.via, form.path);
  }
  if (relations.vary_budget_spent()) {
    const auto conditions = std::ranges::find(root.members, std::string_view("Conditions"), &Member::key);
    emit.emit(rules::kPolicyNotAnalysed, conditions != root.members.end() ? conditions->key_span : root.span,
              "/Conditions",
              fmt::format("the template's policies depend on so many conditions that the ways they may go took "
                          "{} steps to vary; the policies met after that are analysed in the forms found by then "
                          "(one at least), not every way their `Fn::If`s may go",
                          TemplateConditions::kVaryBudget));
  }
  if (relations.searches_cut_short()) {
    const auto conditions = std::ranges::find(root.members, std::string_view("Conditions"), &Member::key);
    emit.emit(rules::kPolicyNotAnalysed, conditions != root.members.end() ? conditions->key_span : root.span,
              "/Conditions",
              fmt::format("the template's conditions take more than {} evaluations to search for the ways to its "
                          "branches; past them, each branch is analysed as if some deployment reached it",
                          TemplateConditions::kSearchBudget));
  }
  return out;
}

}  // namespace grantlint::input
