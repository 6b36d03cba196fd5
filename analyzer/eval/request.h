// One question for the evaluator: who, which action, on which resource, with which context.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eval/context.h"
#include "eval/principal.h"

namespace grantlint::eval {

// A resource by its ARN, split as a request's is.
struct ResourceView {
  std::string arn;
  std::array<std::string, 5> fields;  // partition, service, region, account, resource part
};

// The view of an ARN; none when it is not one.
std::optional<ResourceView> resource_view(std::string_view arn);

struct Request {
  Caller caller;
  std::string action;          // as given: `s3:GetObject`
  std::string action_service;  // lower case: `s3`
  std::string action_name;     // `GetObject`
  std::string resource;        // an ARN, or `*` for actions without resource types
  bool resource_is_arn = false;
  std::array<std::string, 5> resource_fields;  // partition, service, region, account, resource part
  std::string resource_account;                // the ARN's account, else the one given, else the caller's
  Context context;
  // For a request on `*` that asks about every resource (a scan's probe): resources it stands
  // for. A Resource pattern matches it only when it matches each of them, so that `arn:*` and
  // `arn:aws:iam::111122223333:*` answer as `*` does, and `role/app-*` does not. Empty: `*`
  // is matched as written. A view: the caller keeps them (the scan asks thousands of probes
  // of the same few).
  std::span<const ResourceView> stands_for;
  // Where each resource type's resources end in `stands_for`, when it holds several types
  // (ec2:RunInstances takes an instance, an image, a subnet...). AWS authorizes each resource
  // of a request on its own, against every statement: each type's are taken when some
  // statement takes them (they need not all be one statement's), and a Deny that takes one
  // type's stops the request. Empty: `stands_for` is one type's.
  std::span<const std::uint32_t> stands_for_type_ends;
  // The context given to make_request held `aws:ResourceAccount`: retarget() keeps it.
  bool resource_account_given = false;

  [[nodiscard]] bool cross_account() const {
    return caller.has_account() && !resource_account.empty() && caller.account != resource_account;
  }
};

// Which part of a request is wrong, for pointing at it.
struct RequestProblem {
  enum class Field : std::uint8_t { principal, action, resource, resource_account } field;
  std::string message;
};

// Builds a request and adds the context keys AWS always sets and the caller did not give
// (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username,
// aws:ResourceAccount, aws:PrincipalIsAWSService, aws:PrincipalServiceName,
// kms:CallerAccount), unless marked unknown.
std::expected<Request, RequestProblem> make_request(std::string_view principal, std::string_view action,
                                                    std::string_view resource, std::string_view resource_account,
                                                    Context context);

// Points a request make_request built (and the caller may have changed only by its context's
// other keys) at another resource: what make_request gives for the same caller, action and
// context, without reading the caller and action again (a scan asks one principal about
// thousands of roles). The problem, and the request as it was, when the resource is not one.
std::optional<RequestProblem> retarget(Request& request, std::string_view resource,
                                       std::string_view resource_account = {});

}  // namespace grantlint::eval
