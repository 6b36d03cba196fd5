#include "eval/request.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "base/suggest.h"
#include "base/utf8.h"
#include "match/arn.h"

namespace grantlint::eval {

namespace {

std::unexpected<RequestProblem> problem(RequestProblem::Field field, std::string message) {
  return std::unexpected(RequestProblem{field, std::move(message)});
}

// Why `action` is not one action AWS may be asked for, or "". Service prefixes and action
// names are letters, digits and `-` (`execute-api:Invoke`); a wildcard, a policy variable, a
// space or a letter of another script (named with its code point, and the Latin letter it
// looks like) is none.
std::string why_not_one_action(std::string_view action) {
  const auto colon = action.find(':');
  if (colon == std::string_view::npos) return "it has no `:` between the service and the name";
  if (colon == 0) return "the service before `:` is empty";
  if (colon + 1 == action.size()) return "the name after `:` is empty";
  if (action.find(':', colon + 1) != std::string_view::npos) return "it has more than one `:`";
  for (std::size_t i = 0; i < action.size();) {
    const CodePoint cp = decode_utf8(action, i);
    const char c = action[i];
    if (cp.length == 1 && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == ':')) {
      ++i;
      continue;
    }
    if (c == '*' || c == '?') return fmt::format("`{}` is a wildcard; ask about one action, without wildcards", c);
    if (cp.length == 1 && cp.valid && static_cast<unsigned char>(c) < 0x80) {
      const std::string what = c == ' ' ? std::string("a space") : fmt::format("`{}`", c);
      return fmt::format("{} is in no action's name (letters, digits and `-`)", what);
    }
    const std::string code = cp.valid ? fmt::format(" (U+{:04X})", cp.value) : " (not UTF-8)";
    const auto meant = ascii_look_alike(action);
    return fmt::format("`{}`{} is in no action's name (letters, digits and `-`){}",
                       cp.valid ? action.substr(i, cp.length) : std::string_view("?"), code,
                       meant ? did_you_mean(std::optional<std::string_view>(*meant)) : std::string());
  }
  return {};
}

// Sets the request's resource and the account it is in (what make_request does with them), or
// says what is wrong with them, leaving the request as it was.
std::optional<RequestProblem> set_resource(Request& request, std::string_view resource,
                                           std::string_view resource_account) {
  using Field = RequestProblem::Field;
  if (resource.empty()) {
    return RequestProblem{Field::resource, "the resource is empty; use `*` for actions without resource types"};
  }
  std::array<std::string, 5> fields;
  bool is_arn = false;
  if (resource.starts_with("arn:")) {
    auto view = resource_view(resource);
    if (!view) {
      return RequestProblem{Field::resource,
                            fmt::format("resource `{}` is not an ARN: it has fewer than six fields", resource)};
    }
    fields = std::move(view->fields);
    is_arn = true;
  }
  // KMS authorizes a request made through an alias against the key the alias names; only
  // the alias operations act on the alias itself.
  if (request.action_service == "kms" && is_arn && fields[1] == "kms" && fields[4].starts_with("alias/") &&
      !iequals(request.action_name, "CreateAlias") && !iequals(request.action_name, "DeleteAlias") &&
      !iequals(request.action_name, "UpdateAlias")) {
    return RequestProblem{Field::resource,
                          fmt::format("KMS decides `{}` on the key that alias `{}` names: give the key ARN "
                                      "`arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`",
                                      request.action, resource)};
  }
  if (!resource_account.empty() && !is_account_id(resource_account)) {
    return RequestProblem{Field::resource_account,
                          fmt::format("resource account `{}` is not a 12-digit account id", resource_account)};
  }
  request.resource = std::string(resource);
  request.resource_is_arn = is_arn;
  request.resource_fields = std::move(fields);
  if (is_arn && !request.resource_fields[3].empty()) {
    request.resource_account = request.resource_fields[3];
  } else if (!resource_account.empty()) {
    request.resource_account = std::string(resource_account);
  } else {
    request.resource_account = request.caller.account;  // unstated: the caller's own account
  }
  request.stands_for = {};
  request.stands_for_type_ends = {};
  return std::nullopt;
}

}  // namespace

std::optional<ResourceView> resource_view(std::string_view arn) {
  const auto fields = match::split_arn(arn);
  if (!fields) return std::nullopt;
  ResourceView view{std::string(arn), {}};
  for (std::size_t i = 0; i < 5; ++i) view.fields[i] = std::string((*fields)[i]);
  return view;
}

std::expected<Request, RequestProblem> make_request(std::string_view principal, std::string_view action,
                                                    std::string_view resource, std::string_view resource_account,
                                                    Context context) {
  using Field = RequestProblem::Field;
  auto caller = parse_caller(principal);
  if (!caller) return problem(Field::principal, caller.error().message);
  Request request;
  request.caller = std::move(*caller);
  const auto colon = action.find(':');
  if (const std::string why = why_not_one_action(action); !why.empty()) {
    return problem(Field::action, fmt::format("action `{}` is not one action `service:Name`: {}", action, why));
  }
  request.action = std::string(action);
  request.action_service = ascii_lower(action.substr(0, colon));
  request.action_name = std::string(action.substr(colon + 1));
  if (auto wrong = set_resource(request, resource, resource_account)) return std::unexpected(std::move(*wrong));

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
  request.resource_account_given = context.find("aws:resourceaccount") != nullptr;
  if (!request.resource_account.empty()) context.set_default("aws:ResourceAccount", request.resource_account);
  request.context = std::move(context);
  return request;
}

std::optional<RequestProblem> retarget(Request& request, std::string_view resource, std::string_view resource_account) {
  if (auto wrong = set_resource(request, resource, resource_account)) return wrong;
  if (!request.resource_account_given) {
    request.context.forget("aws:ResourceAccount");
    if (!request.resource_account.empty()) {
      request.context.set_default("aws:ResourceAccount", request.resource_account);
    }
  }
  return std::nullopt;
}

}  // namespace grantlint::eval
