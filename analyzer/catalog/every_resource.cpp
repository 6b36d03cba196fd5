#include "catalog/every_resource.h"

#include <algorithm>
#include <array>

#include "base/strings.h"

namespace grantlint::catalog {

namespace {

// Resource types that name another type's resources through an access point: an object read
// through one is still an object of its bucket.
constexpr std::array<std::string_view, 2> kAccessPointPaths = {"accesspoint", "accesspointobject"};

bool is_access_path(const Service& service, std::string_view type) {
  return service.prefix == "s3" && std::ranges::find(kAccessPointPaths, type) != kAccessPointPaths.end();
}

// Ids that AWS shapes (`i-` and 8 or 17 hex digits, a secret's name and `-` with six
// characters): two unlike ones of each, so that `instance/i-*` or `secret:*-??????` is every
// resource, as it is, and `instance/i-0*` is not. Other names are `a` and `Zz-9_q`.
struct ShapedId {
  std::string_view service;
  std::string_view placeholder;
  std::array<std::string_view, 2> ids;
};
constexpr ShapedId kShapedIds[] = {
    {"ec2", "InstanceId", {"i-0123456789abcdef0", "i-1a2b3c4d"}},
    {"ec2", "VolumeId", {"vol-0123456789abcdef0", "vol-1a2b3c4d"}},
    {"ec2", "SnapshotId", {"snap-0123456789abcdef0", "snap-1a2b3c4d"}},
    {"ec2", "ImageId", {"ami-0123456789abcdef0", "ami-1a2b3c4d"}},
    {"ec2", "SecurityGroupId", {"sg-0123456789abcdef0", "sg-1a2b3c4d"}},
    {"ec2", "SubnetId", {"subnet-0123456789abcdef0", "subnet-1a2b3c4d"}},
    {"ec2", "VpcId", {"vpc-0123456789abcdef0", "vpc-1a2b3c4d"}},
    {"ec2", "NetworkInterfaceId", {"eni-0123456789abcdef0", "eni-1a2b3c4d"}},
    {"kms", "KeyId", {"1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab"}},
    {"secretsmanager", "SecretId", {"a-AbCdEf", "Zz-9_q/b-x1Y2z3"}},
};

void add_resources_of(const Service& service, const ResourceType& type, std::string_view partition,
                      std::string_view account, std::vector<std::string>& out) {
  constexpr std::array<std::string_view, 2> kRegions = {"us-east-1", "eu-west-3"};
  constexpr std::array<std::string_view, 2> kNames = {"a", "Zz-9_q"};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    out.push_back(replace_braced(type.arn, [&](std::string_view placeholder) {
      if (placeholder == "Partition") return partition;
      if (placeholder == "Account") return account;
      if (placeholder == "Region") return kRegions[i];
      for (const ShapedId& shaped : kShapedIds) {
        if (shaped.service == service.prefix && shaped.placeholder == placeholder) return shaped.ids[i];
      }
      return kNames[i];
    }));
  }
}

}  // namespace

std::vector<std::string> every_resource_of_action(const Service& service, const Action& action,
                                                  std::string_view partition, std::string_view account) {
  const bool some_required = std::ranges::any_of(action.resources, &ActionResource::required);
  const bool some_direct = std::ranges::any_of(
      action.resources, [&](const ActionResource& taken) { return !is_access_path(service, taken.name); });
  std::vector<std::string> out;
  for (const ActionResource& taken : action.resources) {
    if (some_required ? !taken.required : some_direct && is_access_path(service, taken.name)) continue;
    const auto type = std::ranges::find(service.resource_types, taken.name, &ResourceType::name);
    if (type == service.resource_types.end()) return {};  // the catalog's tests keep this from happening
    add_resources_of(service, *type, partition, account, out);
  }
  return out;
}

// Whether the type's resources belong to AWS rather than an account: their ARN names an
// account of its own (`arn:${Partition}:iam::aws:role-template/...`).
static bool owned_by_aws(const ResourceType& type) {
  std::size_t at = 0;
  for (int field = 0; field < 4 && at != std::string_view::npos; ++field) {
    at = type.arn.find(':', at);
    if (at != std::string_view::npos) ++at;
  }
  if (at == std::string_view::npos) return false;
  const std::string_view account = type.arn.substr(at, type.arn.find(':', at) - at);
  return !account.empty() && account != "${Account}";
}

std::vector<std::string> every_resource_of_service(const Service& service, std::string_view partition,
                                                   std::string_view account) {
  std::vector<std::string> out;
  for (const ResourceType& type : service.resource_types) {
    if (!owned_by_aws(type)) add_resources_of(service, type, partition, account, out);
  }
  return out;
}

}  // namespace grantlint::catalog
