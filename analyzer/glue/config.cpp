#include "glue/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "base/suggest.h"
#include "diag/emitter.h"
#include "json/pointer.h"
#include "match/arn.h"
#include "rules/registry.h"

namespace grantlint::glue {

namespace {

using json::Node;
using json::Type;

// A user's or role's name as IAM allows it: 1 to 64 of letters, digits and `+=,.@_-`.
bool is_iam_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("+=,.@_-").find(c) != std::string_view::npos;
  });
}

class ConfigReader {
 public:
  ConfigReader(SourceId source, DiagnosticSink& sink) : source_(source), emit_(sink, source) {}

  std::optional<GlueConfig> read(const Node& root, std::string directory) {
    if (!root.is(Type::object)) return std::nullopt;  // config/project.cpp reports it
    const Node* glue = root.find("glue");
    if (glue == nullptr) return std::nullopt;
    if (!object(
            *glue, "/glue",
            {"account", "region", "partition", "keys", "roles", "jobs", "crawlers", "dev_endpoints", "operators"})) {
      return std::nullopt;
    }
    GlueConfig config;
    config.source = source_;
    config.directory = std::move(directory);
    // The evaluator's principals and keys are ARNs of this account and Region.
    if (auto account = required_string(*glue, "account", "/glue")) {
      if (account->value.size() != 12 || account->value.find_first_not_of("0123456789") != std::string::npos) {
        problem(account->at, fmt::format("account `{}` is not a 12-digit AWS account id", account->value));
      }
      config.account = account->value;
    }
    if (auto region = required_string(*glue, "region", "/glue")) {
      if (!is_region_name(region->value)) {
        problem(region->at, fmt::format("region `{}` is not an AWS Region name such as `eu-west-1`", region->value));
      }
      config.region = region->value;
    }
    if (auto partition = string(*glue, "partition", "/glue")) {
      const std::string& p = partition->value;
      if (!is_partition(p)) {
        problem(partition->at, fmt::format("partition `{}` is not an AWS partition (`aws`, `aws-cn`, `aws-us-gov`, "
                                           "`aws-iso`...)",
                                           p));
      }
      config.partition = p;
    }
    members(*glue, "keys", "/glue", [&](const std::string& purpose, const Node& node, const std::string& at) {
      read_key(config, purpose, node, at);
    });
    members(*glue, "roles", "/glue", [&](const std::string& name, const Node& node, const std::string& at) {
      if (auto role = read_principal(config, name_of(name, node, at), node, at, false)) {
        config.roles.push_back(std::move(*role));
      }
    });
    members(*glue, "operators", "/glue", [&](const std::string& name, const Node& node, const std::string& at) {
      if (auto principal = read_principal(config, name_of(name, node, at), node, at, true)) {
        config.operators.push_back(std::move(*principal));
      }
    });
    members(*glue, "jobs", "/glue", [&](const std::string& name, const Node& node, const std::string& at) {
      read_component(config, ComponentKind::job, name_of(name, node, at), node, at);
    });
    members(*glue, "crawlers", "/glue", [&](const std::string& name, const Node& node, const std::string& at) {
      read_component(config, ComponentKind::crawler, name_of(name, node, at), node, at);
    });
    members(*glue, "dev_endpoints", "/glue", [&](const std::string& name, const Node& node, const std::string& at) {
      read_component(config, ComponentKind::dev_endpoint, name_of(name, node, at), node, at);
    });
    check_references(config);
    if (failed_) return std::nullopt;
    return config;
  }

 private:
  void problem(const Node& node, const std::string& pointer, std::string message) {
    emit_.emit(rules::kInvalidConfig, node.span, pointer, std::move(message));
    failed_ = true;
  }
  void problem(const Place& at, std::string message) {
    emit_.emit(rules::kInvalidConfig, at.span, at.pointer, std::move(message));
    failed_ = true;
  }

  // An object whose members are all among `known`.
  bool object(const Node& node, const std::string& pointer, std::initializer_list<std::string_view> known) {
    if (!node.is(Type::object)) {
      problem(node, pointer, fmt::format("`{}` is {}, expected an object", pointer, json::type_name(node.type)));
      return false;
    }
    const std::vector<std::string_view> names(known);
    for (const json::Member& member : node.members) {
      if (std::ranges::find(names, member.key) != names.end()) continue;
      emit_.emit(rules::kInvalidConfig, member.key_span, json::pointer_append(pointer, member.key),
                 fmt::format("unknown member `{}` in `{}`{}", member.key, pointer.empty() ? "/" : pointer,
                             did_you_mean(closest_match(member.key, names))));
      failed_ = true;
    }
    return true;
  }

  std::optional<Text> string(const Node& object, std::string_view key, const std::string& pointer) {
    const Node* node = object.find(key);
    if (node == nullptr) return std::nullopt;
    const std::string at = json::pointer_append(pointer, key);
    if (!node->is(Type::string) || node->text.empty()) {
      problem(*node, at, fmt::format("`{}` must be a non-empty string", at));
      return std::nullopt;
    }
    return Text{node->text, Place{source_, node->span, at}};
  }

  std::optional<Text> required_string(const Node& object, std::string_view key, const std::string& pointer) {
    if (object.find(key) == nullptr) {
      problem(object, pointer, fmt::format("`{}` needs `{}`", pointer, key));
      return std::nullopt;
    }
    return string(object, key, pointer);
  }

  std::vector<Text> strings(const Node& object, std::string_view key, const std::string& pointer) {
    std::vector<Text> out;
    const Node* node = object.find(key);
    if (node == nullptr) return out;
    const std::string at = json::pointer_append(pointer, key);
    if (!node->is(Type::array)) {
      problem(*node, at, fmt::format("`{}` must be an array of strings", at));
      return out;
    }
    for (std::size_t i = 0; i < node->items.size(); ++i) {
      const Node& item = node->items[i];
      const std::string item_at = json::pointer_append(at, i);
      if (!item.is(Type::string) || item.text.empty()) {
        problem(item, item_at, fmt::format("`{}` must be a non-empty string", item_at));
        continue;
      }
      out.push_back(Text{item.text, Place{source_, item.span, item_at}});
    }
    return out;
  }

  // Calls `each` with every member of the object `key`, by name.
  void members(const Node& object, std::string_view key, const std::string& pointer,
               const std::function<void(const std::string&, const Node&, const std::string&)>& each) {
    const Node* node = object.find(key);
    if (node == nullptr) return;
    const std::string at = json::pointer_append(pointer, key);
    if (!node->is(Type::object)) {
      problem(*node, at, fmt::format("`{}` must be an object, by name", at));
      return;
    }
    for (const json::Member& member : node->members)
      each(member.key, member.value, json::pointer_append(at, member.key));
  }

  // An entry's name, placed at its object: what findings about the entry point at.
  Text name_of(const std::string& name, const Node& node, const std::string& pointer) const {
    return Text{name, Place{source_, node.span, pointer}};
  }

  void read_key(GlueConfig& config, const std::string& purpose, const Node& node, const std::string& at) {
    const std::span<const std::string_view> purposes(kKeyPurposes);
    if (std::ranges::find(purposes, purpose) == purposes.end()) {
      problem(node, at,
              fmt::format("unknown key purpose `{}`; the purposes are `catalog`, `passwords`, `s3`, `cloudwatch` "
                          "and `bookmarks`{}",
                          purpose, did_you_mean(closest_match(purpose, purposes))));
      return;
    }
    if (!object(node, at, {"arn", "policy"})) return;
    auto arn = required_string(node, "arn", at);
    if (!arn) return;
    if (!match::is_kms_key_arn(arn->value)) {
      problem(arn->at,
              fmt::format("`{}` is not a KMS key ARN (`arn:aws:kms:<region>:<account>:key/<id>`)", arn->value));
      return;
    }
    config.keys.emplace(purpose, ConfigKey{std::move(*arn), string(node, "policy", at)});
  }

  std::optional<ConfigPrincipal> read_principal(const GlueConfig& config, Text name, const Node& node,
                                                const std::string& at, bool is_operator) {
    if (!object(node, at, {"arn", "path", "policies", "trust", "boundary"})) return std::nullopt;
    ConfigPrincipal principal;
    principal.name = std::move(name);
    const auto arn = string(node, "arn", at);
    const auto path = string(node, "path", at);
    const std::string prefix = path ? path->value : "/";
    if (!prefix.starts_with('/') || !prefix.ends_with('/')) {
      problem(path->at, fmt::format("path `{}` must begin and end with `/`", prefix));
    }
    // A role is a role's ARN, an operator a user's or a role's (h51 L1: a user's was taken for a
    // role), with a name IAM allows (h52 L1: `role/`, `role/*`, `role/a b` were taken).
    bool role = !is_operator;
    if (arn) {
      const auto fields = match::split_arn(arn->value);
      // Of a partition and an account (review of dcff0b7: `arn:bogus:iam::abc:role/x` was taken).
      const bool iam = fields && (*fields)[1] == "iam" && is_partition((*fields)[0]) && is_account_id((*fields)[3]) &&
                       (*fields)[2].empty();
      const std::string_view resource = iam ? (*fields)[4] : std::string_view();
      role = resource.starts_with("role/");
      const bool user = resource.starts_with("user/");
      if ((!role && !(is_operator && user)) || !is_iam_name(resource.substr(resource.rfind('/') + 1))) {
        problem(arn->at, fmt::format("`{}` is not an IAM {} ARN (`arn:aws:iam::<account>:{}/<name>`)", arn->value,
                                     is_operator ? "user's or role's" : "role's", is_operator ? "user|role" : "role"));
        if (!is_operator) refused_.insert(principal.name.value);
        return std::nullopt;
      }
    }
    principal.user = !role;
    principal.arn = arn ? arn->value
                        : fmt::format("arn:{}:iam::{}:{}{}{}", config.partition, config.account,
                                      principal.user ? "user" : "role", prefix, principal.name.value);
    principal.policies = strings(node, "policies", at);
    principal.trust = string(node, "trust", at);
    principal.boundary = string(node, "boundary", at);
    return principal;
  }

  void read_component(GlueConfig& config, ComponentKind kind, Text name, const Node& node, const std::string& at) {
    if (!object(node, at, {"role", "encrypts", "jdbc"})) return;
    auto role = required_string(node, "role", at);
    if (!role) return;
    ConfigComponent component{kind, std::move(name), std::move(*role), strings(node, "encrypts", at), false};
    for (const Text& part : component.encrypts) {
      constexpr std::string_view kParts[] = {"s3", "cloudwatch", "bookmarks"};
      if (std::ranges::find(kParts, part.value) == std::end(kParts)) {
        problem(part.at, fmt::format("`{}` is not something a {} encrypts; use `s3`, `cloudwatch` or `bookmarks`{}",
                                     part.value, to_string(kind), did_you_mean(closest_match(part.value, kParts))));
      }
    }
    if (const Node* jdbc = node.find("jdbc")) {
      if (!jdbc->is(Type::boolean)) {
        problem(*jdbc, json::pointer_append(at, "jdbc"), "`jdbc` must be true or false");
      } else {
        component.jdbc = jdbc->text == "true";
      }
    }
    config.components.push_back(std::move(component));
  }

  // Every role a component names is declared, and every part it encrypts has a key.
  void check_references(const GlueConfig& config) {
    std::vector<std::string_view> roles;
    for (const ConfigPrincipal& role : config.roles) roles.push_back(role.name.value);
    const std::set<std::string_view> declared(roles.begin(), roles.end());
    Suggestions suggestions(std::move(roles));
    for (const ConfigComponent& component : config.components) {
      // One whose `arn` was refused is declared: its own CFG001 says what is wrong (h52 L2).
      if (!declared.contains(component.role.value) && !refused_.contains(component.role.value)) {
        problem(component.role.at, fmt::format("{} `{}` runs as role `{}`, which `/glue/roles` does not declare{}",
                                               to_string(component.kind), component.name.value, component.role.value,
                                               suggestions.did_you_mean_for(component.role.value)));
      }
      for (const Text& part : component.encrypts) {
        if (!config.keys.contains(part.value)) {
          problem(part.at, fmt::format("{} `{}` encrypts `{}`, but `/glue/keys` has no `{}` key",
                                       to_string(component.kind), component.name.value, part.value, part.value));
        }
      }
    }
  }

  SourceId source_;
  Emitter emit_;
  bool failed_ = false;
  std::set<std::string> refused_;  // roles whose `arn` is no role's
};

}  // namespace

std::optional<GlueConfig> read_glue_config(const json::Node& root, SourceId source, std::string directory,
                                           DiagnosticSink& sink) {
  return ConfigReader(source, sink).read(root, std::move(directory));
}

}  // namespace grantlint::glue
