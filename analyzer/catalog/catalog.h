// The AWS action catalog: services, actions (access levels, resource types, condition
// keys), resource types (ARN patterns) and condition keys (types). The data is
// rules/data/aws_catalog.tsv (written by scripts/gen_catalog.mjs), compiled into the
// binary; `--catalog FILE` loads another file of the same format.
//
// The built-in catalog is indexed at first use by finding its service lines only; a
// service's actions are parsed the first time it is looked up, so that a pre-commit run
// over one policy pays for the few services it names, not for all of them.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "match/arn.h"

namespace grantlint::catalog {

enum class AccessLevel : std::uint8_t {
  list = 1,
  read = 2,
  write = 4,
  permissions_management = 8,
  tagging = 16,
};

struct ConditionKey {
  std::string_view name;  // as AWS spells it, e.g. `kms:ViaService`, `aws:ResourceTag/${TagKey}`
  std::string_view type;  // String, ARN, Bool, Numeric, Date, IPAddress, ArrayOfString, ...
};

struct ResourceType {
  std::string_view name;
  std::string_view arn;  // with ${Partition}, ${Region}, ${Account} and resource placeholders
  std::vector<std::string_view> condition_keys;
  std::optional<match::ArnFields> pattern;  // `arn` split, placeholders as `*` (parsed once)
};

struct ActionResource {
  std::string_view name;  // a ResourceType of the same service
  bool required = false;
  std::vector<std::string_view> condition_keys;
};

struct Action {
  std::string_view name;    // as AWS spells it: `CreateGrant`
  std::uint8_t access = 0;  // AccessLevel bits
  std::vector<ActionResource> resources;
  std::vector<std::string_view> condition_keys;

  [[nodiscard]] bool has(AccessLevel level) const { return (access & static_cast<std::uint8_t>(level)) != 0; }
};

struct Service {
  std::string_view prefix;
  std::string_view name;
  std::vector<ResourceType> resource_types;
  std::vector<ConditionKey> condition_keys;
  std::vector<Action> actions;  // sorted by lower-case name

  // Case-insensitive lookup by action name; nullptr when the service has no such action.
  [[nodiscard]] const Action* find_action(std::string_view action_name) const;
  // The actions whose names start with `head`, ignoring case: a contiguous run of the
  // sorted list.
  [[nodiscard]] std::span<const Action> actions_starting_with(std::string_view head) const;
};

struct Counts {
  std::size_t services = 0;
  std::size_t actions = 0;
  std::size_t resource_types = 0;
  std::size_t condition_keys = 0;  // service keys plus global keys
};

// Whether a condition key written in a policy is an instance of a catalog key, whose name
// may hold a placeholder: `aws:ResourceTag/${TagKey}`, `aws:ResourceTag/tag-key` or
// `s3:ExistingObjectTag/<key>` matches `aws:ResourceTag/Team`. Keys compare without
// regard to case.
bool key_matches(std::string_view key, std::string_view catalog_key);

// Whether the request context of `action` can carry `key`: the action's own keys, those of
// its resource types for it, and those of the resource types' definitions.
bool action_supports_key(const Service& service, const Action& action, std::string_view key);

class Catalog {
 public:
  // The catalog compiled into the binary (indexed on first use; never fails: a unit test
  // parses all of it).
  static const Catalog& builtin();
  // Parses a catalog file completely, so that a malformed line is an error now.
  static Result<std::unique_ptr<Catalog>> load(std::string text, std::string origin);

  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;
  ~Catalog();

  [[nodiscard]] std::string_view source_package() const { return source_package_; }
  [[nodiscard]] std::string_view source_version() const { return source_version_; }
  [[nodiscard]] std::string_view source_date() const { return source_date_; }
  // The file of corrections applied over the source and how many (an `O` line; both empty without one).
  [[nodiscard]] std::string_view overlay() const { return overlay_; }
  [[nodiscard]] std::string_view overlay_corrections() const { return overlay_corrections_; }
  [[nodiscard]] const std::string& origin() const { return origin_; }

  // Case-insensitive lookup by service prefix (`kms`, `S3`); nullptr when unknown.
  [[nodiscard]] const Service* find_service(std::string_view prefix) const;
  [[nodiscard]] std::vector<std::string_view> service_prefixes() const;
  [[nodiscard]] std::span<const ConditionKey> global_condition_keys() const { return global_keys_; }
  // The definition of a condition key, global (`aws:SourceIp`) or of its service
  // (`kms:ViaService`); nullptr when the catalog has no such key.
  [[nodiscard]] const ConditionKey* find_condition_key(std::string_view key) const;
  [[nodiscard]] Counts counts() const;  // parses every service

  // Resource types whose ARN names `arn_service` in its service field, whatever service
  // defines them (some types live under another service: `iam::...:root` for `sts`).
  // Built on first use; parses every service.
  [[nodiscard]] const std::vector<const ResourceType*>& resource_types_for_arn_service(
      std::string_view arn_service) const;

  // Every `prefix:Action` an action pattern (`s3:Get*`, `*`) matches, sorted.
  [[nodiscard]] std::vector<std::string> expand(std::string_view pattern) const;

 private:
  struct ServiceSlot;
  Catalog() = default;
  static Result<std::unique_ptr<Catalog>> index(std::string_view text, std::string owned, std::string origin);
  [[nodiscard]] const Service& parsed(const ServiceSlot& slot) const;

  std::string owned_;  // the text of a loaded file; empty for the built-in catalog
  std::string origin_;
  std::string_view source_package_;
  std::string_view source_version_;
  std::string_view source_date_;
  std::string_view overlay_;
  std::string_view overlay_corrections_;
  std::vector<ConditionKey> global_keys_;
  // Condition-key prefixes that are not service prefixes (`catalog:`, identity providers'
  // `accounts.google.com:`) and the service that defines their keys.
  std::vector<std::pair<std::string_view, std::string_view>> key_prefix_services_;
  std::vector<std::unique_ptr<ServiceSlot>> services_;  // sorted by prefix
  mutable std::once_flag arn_index_once_;
  mutable std::vector<std::pair<std::string, std::vector<const ResourceType*>>> arn_index_;  // sorted
};

}  // namespace grantlint::catalog
