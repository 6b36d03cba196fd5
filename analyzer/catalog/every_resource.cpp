#include "catalog/every_resource.h"

#include <algorithm>
#include <array>

#include "base/strings.h"
#include "match/arn.h"

namespace grantlint::catalog {

namespace {

// Resource types that name another type's resources through an access point: an object read
// through one is still an object of its bucket.
constexpr std::array<std::string_view, 2> kAccessPointPaths = {"accesspoint", "accesspointobject"};

bool is_access_path(const Service& service, std::string_view type) {
  return service.prefix == "s3" && std::ranges::find(kAccessPointPaths, type) != kAccessPointPaths.end();
}

// Three unlike resources of each type stand for all of them: Regions with no letter in
// common but the `t` every Region has (`us-*` and `eu-*` together are not every Region, nor
// `*e*` or `*s*`), names with no character in common. The third is listed after every type's
// first two, so that it is asked only of patterns that take those.
constexpr std::size_t kProbes = 3;
constexpr std::array<std::string_view, kProbes> kRegions = {"eu-west-3", "ap-south-1", "me-central-1"};
constexpr std::array<std::string_view, kProbes> kNames = {"a", "Zz-9_q", "m.7"};

// Ids that AWS shapes (`i-` and 8 or 17 hex digits, a secret's name and `-` with six
// characters, a hosted zone's `Z` and capitals): unlike ones of each, so that `instance/i-*`
// or `secret:*-??????` is every resource, as it is, and `instance/i-0*` is not. `type`
// narrows a placeholder that several types share (Route 53's `Id`).
struct ShapedId {
  std::string_view service;
  std::string_view type;  // empty: every type of the service
  std::string_view placeholder;
  std::array<std::string_view, kProbes> ids;
};
constexpr ShapedId kShapedIds[] = {
    {"ec2", "", "InstanceId", {"i-0123456789abcdef0", "i-1a2b3c4d", "i-5e6f7089"}},
    {"ec2", "", "VolumeId", {"vol-0123456789abcdef0", "vol-1a2b3c4d", "vol-5e6f7089"}},
    {"ec2", "", "SnapshotId", {"snap-0123456789abcdef0", "snap-1a2b3c4d", "snap-5e6f7089"}},
    {"ec2", "", "ImageId", {"ami-0123456789abcdef0", "ami-1a2b3c4d", "ami-5e6f7089"}},
    {"ec2", "", "SecurityGroupId", {"sg-0123456789abcdef0", "sg-1a2b3c4d", "sg-5e6f7089"}},
    {"ec2", "", "SecurityGroupRuleId", {"sgr-0123456789abcdef0", "sgr-1a2b3c4d", "sgr-5e6f7089"}},
    {"ec2", "", "SubnetId", {"subnet-0123456789abcdef0", "subnet-1a2b3c4d", "subnet-5e6f7089"}},
    {"ec2", "", "VpcId", {"vpc-0123456789abcdef0", "vpc-1a2b3c4d", "vpc-5e6f7089"}},
    {"ec2", "", "NetworkInterfaceId", {"eni-0123456789abcdef0", "eni-1a2b3c4d", "eni-5e6f7089"}},
    {"ec2", "", "RouteTableId", {"rtb-0123456789abcdef0", "rtb-1a2b3c4d", "rtb-5e6f7089"}},
    {"ec2", "", "InternetGatewayId", {"igw-0123456789abcdef0", "igw-1a2b3c4d", "igw-5e6f7089"}},
    {"ec2", "", "EgressOnlyInternetGatewayId", {"eigw-0123456789abcdef0", "eigw-1a2b3c4d", "eigw-5e6f7089"}},
    {"ec2", "", "NatGatewayId", {"nat-0123456789abcdef0", "nat-1a2b3c4d", "nat-5e6f7089"}},
    {"ec2", "", "NaclId", {"acl-0123456789abcdef0", "acl-1a2b3c4d", "acl-5e6f7089"}},
    {"ec2", "", "DhcpOptionsId", {"dopt-0123456789abcdef0", "dopt-1a2b3c4d", "dopt-5e6f7089"}},
    {"ec2", "", "VpcEndpointId", {"vpce-0123456789abcdef0", "vpce-1a2b3c4d", "vpce-5e6f7089"}},
    {"ec2", "", "VpcPeeringConnectionId", {"pcx-0123456789abcdef0", "pcx-1a2b3c4d", "pcx-5e6f7089"}},
    {"ec2", "", "VpcFlowLogId", {"fl-0123456789abcdef0", "fl-1a2b3c4d", "fl-5e6f7089"}},
    {"ec2", "", "VpnGatewayId", {"vgw-0123456789abcdef0", "vgw-1a2b3c4d", "vgw-5e6f7089"}},
    {"ec2", "", "VpnConnectionId", {"vpn-0123456789abcdef0", "vpn-1a2b3c4d", "vpn-5e6f7089"}},
    {"ec2", "", "CustomerGatewayId", {"cgw-0123456789abcdef0", "cgw-1a2b3c4d", "cgw-5e6f7089"}},
    {"ec2", "", "TransitGatewayId", {"tgw-0123456789abcdef0", "tgw-1a2b3c4d", "tgw-5e6f7089"}},
    {"ec2", "", "LaunchTemplateId", {"lt-0123456789abcdef0", "lt-1a2b3c4d", "lt-5e6f7089"}},
    {"ec2", "", "AllocationId", {"eipalloc-0123456789abcdef0", "eipalloc-1a2b3c4d", "eipalloc-5e6f7089"}},
    {"ec2", "", "PrefixListId", {"pl-0123456789abcdef0", "pl-1a2b3c4d", "pl-5e6f7089"}},
    {"kms",
     "",
     "KeyId",
     {"1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab",
      "mrk-f9e8d7c65b0a6938a706e5d0c3b2f0e9"}},
    {"secretsmanager", "", "SecretId", {"a-AbCdEf", "Zz-9_q/b-x1Y2z3", "m.7-QrStUv"}},
    {"route53", "hostedzone", "Id", {"Z0123456789ABCDEFGHIJ", "Z1D633PJN98FT9", "ZKLMQRSUVWXY"}},
};

void add_resource_of(const Service& service, const ResourceType& type, std::string_view partition,
                     std::string_view account, std::size_t probe, std::vector<std::string>& out) {
  // The service the ARN names (`ec2`): an action of one service may take another's resources
  // (ec2-instance-connect:SendSSHPublicKey an instance).
  const auto fields = match::split_arn(type.arn);
  const std::string_view owner = fields ? (*fields)[1] : std::string_view(service.prefix);
  out.push_back(replace_braced(type.arn, [&](std::string_view placeholder) {
    if (placeholder == "Partition") return partition;
    if (placeholder == "Account") return account;
    if (placeholder == "Region") return kRegions[probe];
    for (const ShapedId& shaped : kShapedIds) {
      if (shaped.service == owner && (shaped.type.empty() || shaped.type == type.name) &&
          shaped.placeholder == placeholder) {
        return shaped.ids[probe];
      }
    }
    return kNames[probe];
  }));
}

// The probes of `types`: the first two of each, then the third of each.
void add_resources_of(const Service& service, const std::vector<const ResourceType*>& types,
                      std::string_view partition, std::string_view account, std::vector<std::string>& out) {
  for (const std::size_t probe : {std::size_t{0}, std::size_t{1}}) {
    for (const ResourceType* type : types) add_resource_of(service, *type, partition, account, probe, out);
  }
  for (const ResourceType* type : types) add_resource_of(service, *type, partition, account, 2, out);
}

// The types whose every resource is every resource of `action` (every_resource_of_action());
// none when the catalog lacks one of them.
std::vector<const ResourceType*> every_type_of_action(const Service& service, const Action& action) {
  const bool some_required = std::ranges::any_of(action.resources, &ActionResource::required);
  const bool some_direct = std::ranges::any_of(
      action.resources, [&](const ActionResource& taken) { return !is_access_path(service, taken.name); });
  std::vector<const ResourceType*> types;
  for (const ActionResource& taken : action.resources) {
    if (some_required ? !taken.required : some_direct && is_access_path(service, taken.name)) continue;
    const auto type = std::ranges::find(service.resource_types, taken.name, &ResourceType::name);
    if (type == service.resource_types.end()) return {};  // the catalog's tests keep this from happening
    types.push_back(&*type);
  }
  return types;
}

// Whether the type's resources belong to AWS rather than an account: their ARN names an
// account of its own (`arn:${Partition}:iam::aws:role-template/...`).
bool owned_by_aws(const ResourceType& type) {
  const auto fields = match::split_arn(type.arn);
  return fields && !(*fields)[3].empty() && (*fields)[3] != "${Account}";
}

std::vector<const ResourceType*> every_type_of_service(const Service& service) {
  std::vector<const ResourceType*> types;
  for (const ResourceType& type : service.resource_types) {
    if (!owned_by_aws(type)) types.push_back(&type);
  }
  return types;
}

std::vector<std::vector<std::string>> resources_by_type(const Service& service,
                                                        const std::vector<const ResourceType*>& types,
                                                        std::string_view partition, std::string_view account) {
  std::vector<std::vector<std::string>> out;
  out.reserve(types.size());
  for (const ResourceType* type : types) {
    add_resources_of(service, {type}, partition, account, out.emplace_back());
  }
  return out;
}

}  // namespace

std::vector<std::string> every_resource_of_action(const Service& service, const Action& action,
                                                  std::string_view partition, std::string_view account) {
  std::vector<std::string> out;
  add_resources_of(service, every_type_of_action(service, action), partition, account, out);
  return out;
}

std::vector<std::vector<std::string>> every_resource_of_action_by_type(const Service& service, const Action& action,
                                                                      std::string_view partition,
                                                                      std::string_view account) {
  return resources_by_type(service, every_type_of_action(service, action), partition, account);
}

std::vector<std::string> every_resource_of_type(const Service& service, const ResourceType& type,
                                                std::string_view partition, std::string_view account) {
  std::vector<std::string> out;
  add_resources_of(service, {&type}, partition, account, out);
  return out;
}

std::vector<std::string> every_resource_of_service(const Service& service, std::string_view partition,
                                                   std::string_view account) {
  std::vector<std::string> out;
  add_resources_of(service, every_type_of_service(service), partition, account, out);
  return out;
}

std::vector<std::vector<std::string>> every_resource_of_service_by_type(const Service& service,
                                                                       std::string_view partition,
                                                                       std::string_view account) {
  return resources_by_type(service, every_type_of_service(service), partition, account);
}

}  // namespace grantlint::catalog
