// What "every resource" of an action or of a service stands for, as ARNs to match Resource
// patterns against: three unlike resources (names `a`, `Zz-9_q` and `m.7`, or ids of AWS's
// shape such as `i-0123456789abcdef0`, `i-1a2b3c4d`, `i-5e6f7089`; Regions eu-west-3,
// ap-south-1 and me-central-1, with no letter in common but `t`) of each resource type it takes, in one partition and account,
// the third of each type last. A pattern that matches them all takes every resource: `*`,
// `arn:*`, `arn:aws:iam::111122223333:*` do, `role/app-*`, a single Region or `us-*` and
// `eu-*` together do not.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"

namespace grantlint::catalog {

// The resources of the types `action` requires, else of every type it may take but those that
// reach another listed type through an S3 access point (s3:GetObject on every object named
// directly is every object). Empty for an action without resource types (`*` only).
std::vector<std::string> every_resource_of_action(const Service& service, const Action& action,
                                                  std::string_view partition, std::string_view account);

// every_resource_of_action()'s resources type by type, a list of each type's: a statement
// takes every resource of the action when its patterns take each list whole, whichever pattern
// takes which (`instance/*`, `volume/*`, `image/*`... together take ec2:RunInstances's every
// resource, as `*` does). Empty as every_resource_of_action() is.
std::vector<std::vector<std::string>> every_resource_of_action_by_type(const Service& service, const Action& action,
                                                                      std::string_view partition,
                                                                      std::string_view account);

// The resources of `type`, one resource type of `service`, as the functions here give them.
std::vector<std::string> every_resource_of_type(const Service& service, const ResourceType& type,
                                                std::string_view partition, std::string_view account);

// The resources of every resource type of `service` (what `iam:*` takes) but those AWS owns
// (`arn:aws:iam::aws:role-template/...`), which no account's patterns name.
std::vector<std::string> every_resource_of_service(const Service& service, std::string_view partition,
                                                   std::string_view account);

// every_resource_of_service()'s resources type by type, as every_resource_of_action_by_type()
// gives an action's.
std::vector<std::vector<std::string>> every_resource_of_service_by_type(const Service& service,
                                                                       std::string_view partition,
                                                                       std::string_view account);

}  // namespace grantlint::catalog
