#include "eval/request.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace grantlint::eval {

Result<Request> make_request(std::string_view principal, std::string_view action, std::string_view resource,
                             std::string_view resource_account, Context context) {
  auto caller = parse_caller(principal);
  if (!caller) return std::unexpected(caller.error());
  Request request;
  request.caller = std::move(*caller);
  const auto colon = action.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == action.size() ||
      action.find(':', colon + 1) != std::string_view::npos || action.find_first_of("*? ") != std::string_view::npos) {
    return make_error(fmt::format("action `{}` is not one action `service:Name` without wildcards", action));
  }
  request.action = std::string(action);
  request.action_service = ascii_lower(action.substr(0, colon));
  request.action_name = std::string(action.substr(colon + 1));
  if (resource.empty()) return make_error("the resource is empty; use `*` for actions without resource types");
  request.resource = std::string(resource);
  if (resource.starts_with("arn:")) {
    std::size_t start = 4;
    std::size_t count = 0;
    for (; count < 4; ++count) {
      const auto next = resource.find(':', start);
      if (next == std::string_view::npos) break;
      request.resource_fields[count] = std::string(resource.substr(start, next - start));
      start = next + 1;
    }
    if (count < 4) return make_error(fmt::format("resource `{}` is not an ARN: it has fewer than six fields", resource));
    request.resource_fields[4] = std::string(resource.substr(start));
    request.resource_is_arn = true;
  }
  if (!resource_account.empty() && !is_account_id(resource_account)) {
    return make_error(fmt::format("resource account `{}` is not a 12-digit account id", resource_account));
  }
  if (request.resource_is_arn && !request.resource_fields[3].empty()) {
    request.resource_account = request.resource_fields[3];
  } else if (!resource_account.empty()) {
    request.resource_account = std::string(resource_account);
  } else {
    request.resource_account = request.caller.account;  // unstated: the caller's own account
  }

  const Caller& who = request.caller;
  const bool has_account = who.has_account() && who.kind != CallerKind::federated;
  if (has_account) {
    context.set_default("aws:PrincipalArn", who.arn);
    context.set_default("aws:PrincipalAccount", who.account);
    if (request.action_service == "kms") context.set_default("kms:CallerAccount", who.account);
  }
  if (who.kind != CallerKind::federated && who.kind != CallerKind::canonical_user) {
    context.set_default("aws:PrincipalType", std::string(who.type_name()));
  }
  if (who.kind == CallerKind::user) context.set_default("aws:username", who.user_name);
  if (who.kind == CallerKind::service) context.set_default("aws:PrincipalServiceName", who.text);
  if (who.kind != CallerKind::anonymous) {
    context.set_default("aws:PrincipalIsAWSService", who.kind == CallerKind::service ? "true" : "false");
  }
  if (!request.resource_account.empty()) context.set_default("aws:ResourceAccount", request.resource_account);
  request.context = std::move(context);
  return request;
}

}  // namespace grantlint::eval
