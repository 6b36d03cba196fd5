#include "eval/principal.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/strings.h"
#include "match/arn.h"

namespace grantlint::eval {

namespace {

struct ArnParts {
  std::string_view partition, service, region, account, resource;
};

std::optional<ArnParts> split(std::string_view arn) {
  const auto fields = match::split_arn(arn);
  if (!fields) return std::nullopt;
  return ArnParts{(*fields)[0], (*fields)[1], (*fields)[2], (*fields)[3], (*fields)[4]};
}

std::string_view last_component(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_hex64(std::string_view text) {
  return text.size() == 64 && std::ranges::all_of(text, [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

// The web-identity providers AWS documents; other domains are service principals.
bool is_web_identity_provider(std::string_view text) {
  static constexpr std::array<std::string_view, 4> kProviders = {"cognito-identity.amazonaws.com", "www.amazon.com",
                                                                 "graph.facebook.com", "accounts.google.com"};
  return std::ranges::find(kProviders, text) != kProviders.end();
}

// The account an `AWS` principal value names as a whole (`123456789012`, `...:root`), if any.
std::optional<std::string_view> named_account(std::string_view value) {
  if (is_account_id(value)) return value;
  const auto arn = split(value);
  if (arn && arn->service == "iam" && arn->resource == "root") return arn->account;
  return std::nullopt;
}

// Whether an account named by `value` (a bare id, or a root ARN of a partition) is the
// caller's: a root ARN names the account of its own partition only (h54 H1: `arn:aws-cn:iam::A:root`
// admitted A's callers in `aws`).
bool names_callers_account(std::string_view value, std::string_view account, const Caller& caller) {
  if (account != caller.account) return false;
  const auto arn = split(value);
  return !arn || arn->partition == caller.partition;
}

}  // namespace

std::string_view Caller::type_name() const {
  switch (kind) {
    case CallerKind::anonymous: return "Anonymous";
    case CallerKind::root: return "Account";
    case CallerKind::user: return "User";
    case CallerKind::role_session: return "AssumedRole";
    case CallerKind::federated_user: return "FederatedUser";
    case CallerKind::service: return "AWSService";
    case CallerKind::federated: return "WebIdentityUser";
    case CallerKind::canonical_user: return "CanonicalUser";
  }
  return "";
}

Result<Caller> parse_caller(std::string_view text) {
  Caller caller;
  caller.text = std::string(text);
  if (text == "anonymous") return caller;
  if (is_account_id(text)) {
    caller.kind = CallerKind::root;
    caller.partition = "aws";
    caller.account = caller.text;
    caller.arn = fmt::format("arn:aws:iam::{}:root", text);
    return caller;
  }
  if (const auto arn = split(text)) {
    caller.partition = std::string(arn->partition);
    caller.account = std::string(arn->account);
    const std::string_view res = arn->resource;
    if (!is_account_id(arn->account) || !arn->region.empty()) {
      return make_error(fmt::format("principal `{}` is not an IAM or STS principal ARN of a 12-digit account", text));
    }
    if (arn->service == "iam" && res == "root") {
      caller.kind = CallerKind::root;
      caller.arn = caller.text;
      return caller;
    }
    if (arn->service == "iam" && res.starts_with("user/") && res.size() > 5) {
      caller.kind = CallerKind::user;
      caller.arn = caller.text;
      caller.user_name = std::string(last_component(res));
      return caller;
    }
    if (arn->service == "iam" && res.starts_with("role/") && res.size() > 5) {
      caller.kind = CallerKind::role_session;
      caller.arn = caller.text;
      caller.role_name = std::string(last_component(res));
      return caller;
    }
    if (arn->service == "sts" && res.starts_with("assumed-role/")) {
      const std::string_view rest = res.substr(13);
      const auto slash = rest.find('/');
      if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) {
        return make_error(fmt::format("assumed-role principal `{}` needs a role name and a session name", text));
      }
      caller.kind = CallerKind::role_session;
      caller.role_name = std::string(rest.substr(0, slash));
      caller.session_arn = caller.text;
      caller.arn = fmt::format("arn:{}:iam::{}:role/{}", arn->partition, arn->account, caller.role_name);
      return caller;
    }
    if (arn->service == "sts" && res.starts_with("federated-user/") && res.size() > 15) {
      caller.kind = CallerKind::federated_user;
      caller.arn = caller.text;
      return caller;
    }
    if (arn->service == "iam" && (res.starts_with("saml-provider/") || res.starts_with("oidc-provider/"))) {
      caller.kind = CallerKind::federated;
      caller.account.clear();  // a provider acts for no account of its own
      return caller;
    }
    return make_error(
        fmt::format("principal `{}` is not a user, role, assumed-role, federated-user or root ARN", text));
  }
  if (is_hex64(text)) {
    caller.kind = CallerKind::canonical_user;
    return caller;
  }
  if (text.find('.') != std::string_view::npos && text.find_first_of(" /:*") == std::string_view::npos) {
    caller.kind = is_web_identity_provider(text) ? CallerKind::federated : CallerKind::service;
    return caller;
  }
  return make_error(fmt::format(
      "principal `{}` is not `anonymous`, an IAM or STS ARN, an account id, a service principal or a provider", text));
}

namespace {

bool is_account_caller(const Caller& caller) {
  return caller.kind == CallerKind::root || caller.kind == CallerKind::user ||
         caller.kind == CallerKind::role_session || caller.kind == CallerKind::federated_user;
}

Naming aws_value_names(std::string_view value, const Caller& caller) {
  if (value == "*") return Naming::direct;
  if (!is_account_caller(caller)) return Naming::none;
  if (const auto account = named_account(value)) {
    return names_callers_account(value, *account, caller) ? Naming::account : Naming::none;
  }
  const auto arn = split(value);
  if (!arn || arn->account != caller.account || arn->partition != caller.partition) return Naming::none;
  switch (caller.kind) {
    case CallerKind::user: return value == caller.arn ? Naming::direct : Naming::none;
    case CallerKind::role_session:
      if (!caller.session_arn.empty() && value == caller.session_arn) return Naming::direct;
      if (arn->service == "iam" && arn->resource.starts_with("role/")) {
        // A session ARN carries no role path, so sessions match by the role's name; a role
        // ARN given as the caller matches exactly.
        const bool same =
            caller.session_arn.empty() ? value == caller.arn : last_component(arn->resource) == caller.role_name;
        return same ? Naming::role : Naming::none;
      }
      return Naming::none;
    case CallerKind::federated_user: return value == caller.arn ? Naming::direct : Naming::none;
    default: return Naming::none;
  }
}

Naming entry_names(const policy::PrincipalEntry& entry, const Caller& caller) {
  Naming best = Naming::none;
  for (const policy::Text& value : entry.values) {
    Naming naming = Naming::none;
    if (entry.type == "AWS") {
      naming = aws_value_names(value.value, caller);
    } else if (entry.type == "Service") {
      naming = (caller.kind == CallerKind::service || caller.kind == CallerKind::federated) &&
                       iequals(value.value, caller.text)
                   ? Naming::direct
                   : Naming::none;
    } else if (entry.type == "Federated") {
      naming = caller.kind == CallerKind::federated && value.value == caller.text ? Naming::direct : Naming::none;
    } else if (entry.type == "CanonicalUser") {
      naming = caller.kind == CallerKind::canonical_user && value.value == caller.text ? Naming::direct : Naming::none;
    }
    best = std::max(best, naming);
  }
  return best;
}

}  // namespace

Naming principal_names(const policy::Principal& principal, const Caller& caller) {
  if (principal.wildcard) return Naming::direct;
  Naming best = Naming::none;
  for (const policy::PrincipalEntry& entry : principal.entries) best = std::max(best, entry_names(entry, caller));
  return best;
}

bool not_principal_exempts(const policy::Principal& principal, const Caller& caller) {
  if (principal.wildcard) return true;
  bool account = false;
  bool identity = false;  // the user, role or federated-user ARN
  bool session = false;
  bool self = false;  // a service, provider or canonical user listed by name
  for (const policy::PrincipalEntry& entry : principal.entries) {
    for (const policy::Text& value : entry.values) {
      if (entry.type == "AWS") {
        if (value.value == "*") return true;
        if (!is_account_caller(caller)) continue;
        const auto named = named_account(value.value);
        if (named) {
          account = account || names_callers_account(value.value, *named, caller);
        } else if (caller.kind == CallerKind::role_session && !caller.session_arn.empty() &&
                   value.value == caller.session_arn) {
          session = true;
        } else if (aws_value_names(value.value, caller) != Naming::none) {
          identity = true;
        }
      } else if (entry_names(entry, caller) == Naming::direct) {
        self = true;
      }
    }
  }
  switch (caller.kind) {
    case CallerKind::root: return account;
    case CallerKind::user:
    case CallerKind::federated_user: return account && identity;
    case CallerKind::role_session: return account && identity && session;
    case CallerKind::anonymous: return false;
    default: return self;
  }
}

}  // namespace grantlint::eval
