// Who makes a request, and how strongly a resource policy's Principal entry names them
// (IAM semantics §2.4, §2.7).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "policy/model.h"

namespace grantlint::eval {

enum class CallerKind : std::uint8_t {
  anonymous,       // "anonymous": unauthenticated
  service,         // a service principal: `glue.amazonaws.com`
  federated,       // a web-identity or SAML provider (trust policies): `cognito-identity.amazonaws.com`
  canonical_user,  // an S3 canonical user id
  root,            // arn:aws:iam::A:root
  user,            // arn:aws:iam::A:user/path/name
  role_session,    // arn:aws:sts::A:assumed-role/R/S, or a role ARN (a session of that role)
  federated_user,  // arn:aws:sts::A:federated-user/N
};

struct Caller {
  CallerKind kind = CallerKind::anonymous;
  std::string text;       // as given
  std::string partition;  // of an ARN
  std::string account;
  std::string arn;          // aws:PrincipalArn: the role ARN for a role session
  std::string session_arn;  // the assumed-role ARN, empty when the session name is unknown
  std::string role_name;    // role sessions: the role's name (role ARNs may carry a path)
  std::string user_name;    // users: the name without its path

  [[nodiscard]] bool has_account() const { return !account.empty(); }
  // aws:PrincipalType
  [[nodiscard]] std::string_view type_name() const;
};

Result<Caller> parse_caller(std::string_view text);

// How a policy principal names the caller: the strength decides which implicit denies
// still limit a grant (IAM semantics §2.7 table).
enum class Naming : std::uint8_t {
  none,
  account,  // the caller's account: the caller's own identity policies must allow too
  role,     // a session of the named role (or the named user's federated session): boundary and session policy limit
  direct,   // the caller itself, `*`, a service or provider: nothing else needed
};

// The strongest naming of the caller by any entry of a Principal element (not NotPrincipal).
Naming principal_names(const policy::Principal& principal, const Caller& caller);

// NotPrincipal: whether the caller is exempt, which needs every level of the caller
// (account, role or user, session) to be listed (IAM semantics §2.4).
bool not_principal_exempts(const policy::Principal& principal, const Caller& caller);

}  // namespace grantlint::eval
