// Network rules for the VPCs Glue connections and development endpoints run in: DNS
// attributes (GLUE-NET-01), an S3 endpoint (-02), a self-referencing inbound rule (-03),
// open egress (-04), notebook ports open to the world (-05), a KMS endpoint (-06).
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "base/strings.h"
#include "glue/pack.h"
#include "rules/registry.h"

namespace grantlint::glue {

namespace {

bool world(const std::string& cidr) { return cidr == "0.0.0.0/0" || cidr == "::/0"; }

bool all_tcp(const Rule& rule) {
  return rule.protocol == "-1" ||
         (rule.protocol == "tcp" && rule.from_port.value_or(-1) <= 0 && rule.to_port.value_or(-1) >= 65535);
}

bool covers_port(const Rule& rule, std::int64_t port) {
  if (rule.protocol == "-1") return true;
  if (rule.protocol != "tcp" && rule.protocol != "6") return false;
  return rule.from_port.value_or(0) <= port && port <= rule.to_port.value_or(65535);
}

std::string port_text(const Rule& rule) {
  if (rule.protocol == "-1") return "all traffic";
  return fmt::format("{} {}-{}", rule.protocol, rule.from_port.value_or(0), rule.to_port.value_or(65535));
}

// What runs in a VPC: a connection or a development endpoint.
struct Workload {
  LogicalLocation logical;
  Place at;
  std::string description;  // "connection `x`"
  std::string vpc;
  std::vector<Text> groups;
  bool encrypted_jdbc = false;  // a JDBC workload with a security configuration (GLUE-NET-06)
  bool notebook = false;        // dev endpoints: the notebook server uses the same groups
};

class NetworkChecker {
 public:
  explicit NetworkChecker(Pack& pack) : pack_(pack), snapshot_(pack.snapshot) {}

  void run() {
    for (Workload& workload : workloads()) check(workload);
  }

 private:
  const SecurityGroup* group(std::string_view id) const {
    const auto it = std::ranges::find_if(snapshot_.security_groups,
                                         [&](const SecurityGroup& group) { return group.id.value == id; });
    return it == snapshot_.security_groups.end() ? nullptr : &*it;
  }

  std::vector<Workload> workloads() const {
    std::vector<Workload> out;
    for (const Connection& connection : snapshot_.connections) {
      if (connection.security_groups.empty() && connection.subnet_id.empty()) continue;
      Workload workload;
      workload.logical = pack_.of(connection);
      workload.at = connection.name.at;
      workload.description = fmt::format("connection `{}`", connection.name.value);
      if (const auto it = snapshot_.subnet_vpcs.find(connection.subnet_id); it != snapshot_.subnet_vpcs.end()) {
        workload.vpc = it->second;
      }
      workload.groups = connection.security_groups;
      for (const Text& id : workload.groups) {
        if (const SecurityGroup* found = group(id.value); found != nullptr && workload.vpc.empty()) {
          workload.vpc = found->vpc_id;
        }
      }
      workload.encrypted_jdbc =
          connection.type == "JDBC" && std::ranges::any_of(snapshot_.components, [&](const Component& component) {
            return pack_.security_configuration(component) != nullptr &&
                   std::ranges::any_of(component.connections,
                                       [&](const Text& name) { return name.value == connection.name.value; });
          });
      out.push_back(std::move(workload));
    }
    for (const Component& component : snapshot_.components) {
      if (component.kind != ComponentKind::dev_endpoint || component.security_groups.empty()) continue;
      Workload workload;
      workload.logical = pack_.of(component);
      workload.at = component.name.at;
      workload.description = fmt::format("dev endpoint `{}`", component.name.value);
      workload.vpc = component.vpc_id;
      if (const auto it = snapshot_.subnet_vpcs.find(component.subnet_id);
          workload.vpc.empty() && it != snapshot_.subnet_vpcs.end()) {
        workload.vpc = it->second;
      }
      workload.groups = component.security_groups;
      workload.notebook = true;
      out.push_back(std::move(workload));
    }
    return out;
  }

  void report(const RuleMeta& rule, Severity severity, const Workload& workload, std::string message,
              std::vector<LogicalLocation> extra = {}) {
    std::vector<LogicalLocation> logical = {workload.logical};
    for (LogicalLocation& more : extra) logical.push_back(std::move(more));
    if (!workload.vpc.empty()) logical.push_back(LogicalLocation{workload.vpc, workload.vpc, "vpc"});
    pack_.report(rule, severity, workload.at, std::move(message), std::move(logical));
  }

  static LogicalLocation of(const SecurityGroup& group) {
    return LogicalLocation{group.id.value, group.id.value, "securityGroup"};
  }

  void check(const Workload& workload) {
    if (!workload.vpc.empty()) check_vpc(workload);
    if (!pack_.has(Input::security_groups, "GLUE-NET-03 GLUE-NET-04 GLUE-NET-05")) return;
    std::vector<const SecurityGroup*> groups;
    std::vector<std::string> ids;
    for (const Text& id : workload.groups) {
      ids.push_back(id.value);
      if (const SecurityGroup* found = group(id.value)) groups.push_back(found);
    }
    if (groups.size() != workload.groups.size()) {
      pack_.not_evaluated(std::string(input_path(Input::security_groups)) + " (a group the workload names)",
                          "GLUE-NET-03 GLUE-NET-04");
      return;
    }
    const bool self_reference = std::ranges::any_of(groups, [](const SecurityGroup* group) {
      return std::ranges::any_of(group->ingress, [&](const Rule& rule) {
        return all_tcp(rule) && std::ranges::find(rule.groups, group->id.value) != rule.groups.end();
      });
    });
    if (!self_reference) {
      report(rules::kGlueNoSelfReference, Severity::high, workload,
             fmt::format("{}: none of its security groups {} has an inbound rule from itself for all TCP ports, which "
                         "Glue needs for its workers to talk to each other",
                         workload.description, backticked(ids)));
    }
    const bool egress = std::ranges::any_of(groups, [](const SecurityGroup* group) {
      return std::ranges::any_of(group->egress, [&](const Rule& rule) {
        return all_tcp(rule) && (std::ranges::any_of(rule.cidrs, world) ||
                                 std::ranges::find(rule.groups, group->id.value) != rule.groups.end());
      });
    });
    if (!egress) {
      report(rules::kGlueEgressClosed, Severity::medium, workload,
             fmt::format("{}: none of its security groups {} allows outbound traffic on all ports, to everywhere or "
                         "to itself",
                         workload.description, backticked(ids)));
    }
    if (!workload.notebook) return;
    for (const SecurityGroup* group : groups) {
      for (const Rule& rule : group->ingress) {
        std::vector<std::string> open;
        for (const std::string& cidr : rule.cidrs) {
          if (world(cidr)) open.push_back(cidr);
        }
        if (open.empty() || !(covers_port(rule, 22) || covers_port(rule, 443))) continue;
        pack_.report(rules::kGlueSecurityGroupOpen, Severity::medium, rule.at,
                     fmt::format("{}: security group `{}` allows {} from {}: limit SSH and HTTPS to the addresses "
                                 "that connect to the notebook",
                                 workload.description, group->id.value, port_text(rule), backticked(open)),
                     {workload.logical, of(*group)});
      }
    }
  }

  void check_vpc(const Workload& workload) {
    const auto attributes = snapshot_.vpcs.find(workload.vpc);
    if (attributes == snapshot_.vpcs.end() || !attributes->second.dns_support || !attributes->second.dns_hostnames) {
      pack_.not_evaluated(fmt::format("ec2/vpc-attributes/{}/", workload.vpc), "GLUE-NET-01");
    } else {
      std::vector<std::string> off;
      if (!*attributes->second.dns_support) off.emplace_back("enableDnsSupport");
      if (!*attributes->second.dns_hostnames) off.emplace_back("enableDnsHostnames");
      if (!off.empty()) {
        report(
            rules::kGlueVpcDns, Severity::high, workload,
            fmt::format("{} runs in VPC `{}`, where {} {} `false`: Glue needs both DNS attributes",
                        workload.description, workload.vpc, backticked(off, " and "), off.size() == 1 ? "is" : "are"));
      }
    }
    if (!pack_.has(Input::vpc_endpoints, "GLUE-NET-02 GLUE-NET-06")) return;
    const auto endpoint = [&](std::string_view service, bool private_dns) {
      const std::string name = fmt::format("com.amazonaws.{}.{}", snapshot_.region, service);
      return std::ranges::any_of(snapshot_.vpc_endpoints, [&](const VpcEndpoint& e) {
        return e.vpc_id == workload.vpc && e.service == name && (e.state.empty() || iequals(e.state, "available")) &&
               (!private_dns || e.private_dns);
      });
    };
    if (!endpoint("s3", false)) {
      report(rules::kGlueNoS3Endpoint, Severity::medium, workload,
             fmt::format("{} runs in VPC `{}`, which has no available S3 endpoint (`com.amazonaws.{}.s3`): Glue "
                         "reaches S3 only through a NAT gateway, if there is one",
                         workload.description, workload.vpc, snapshot_.region));
    }
    if (workload.encrypted_jdbc && !endpoint("kms", true)) {
      report(rules::kGlueNoKmsEndpoint, Severity::info, workload,
             fmt::format("{} is used with a security configuration in VPC `{}`, which has no KMS interface endpoint "
                         "with private DNS: without a NAT gateway, jobs time out calling KMS",
                         workload.description, workload.vpc));
    }
  }

  Pack& pack_;
  const Snapshot& snapshot_;
};

}  // namespace

void check_network(Pack& pack) {
  if (!pack.snapshot.has(Input::connections) && !pack.snapshot.has(Input::dev_endpoints)) return;
  NetworkChecker(pack).run();
}

}  // namespace grantlint::glue
