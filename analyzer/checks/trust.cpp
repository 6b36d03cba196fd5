// Role trust policies: the assume action each federated provider uses (POL034), and the
// three actions IAM Roles Anywhere needs together (POL035).
#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "base/placeholder.h"
#include "base/strings.h"
#include "checks/checks.h"
#include "checks/statement_scope.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

enum class Provider : std::uint8_t { saml, oidc, unknown };

// The kind of identity provider a Federated principal names.
Provider provider_of(std::string_view federated) {
  // A template's ARN with placeholders for partition and account still says its kind.
  if (federated.find(":saml-provider/") != std::string_view::npos) return Provider::saml;
  if (federated.find(":oidc-provider/") != std::string_view::npos) return Provider::oidc;
  if (has_placeholder(federated)) return Provider::unknown;
  static constexpr std::string_view kWebIdentity[] = {"accounts.google.com", "cognito-identity.amazonaws.com",
                                                      "graph.facebook.com", "www.amazon.com"};
  if (std::ranges::find(kWebIdentity, federated) != std::end(kWebIdentity)) return Provider::oidc;
  return Provider::unknown;
}

constexpr std::string_view kAssumeActions[] = {"sts:AssumeRole", "sts:AssumeRoleWithSAML",
                                               "sts:AssumeRoleWithWebIdentity"};

void check_federated_actions(const policy::Statement& st, Emitter& emit) {
  if (st.effect != policy::Effect::allow || !st.principal.present || st.principal.negated || st.action.negated) return;
  bool saml = false;
  bool oidc = false;
  for (const policy::PrincipalEntry& entry : st.principal.entries) {
    if (entry.type != "Federated") return;  // other principals may use the other actions
    for (const policy::Text& value : entry.values) {
      const Provider provider = provider_of(value.value);
      if (provider == Provider::unknown) return;
      saml = saml || provider == Provider::saml;
      oidc = oidc || provider == Provider::oidc;
    }
  }
  if (!saml && !oidc) return;
  for (const policy::Text& item : st.action.items) {
    const auto action =
        std::ranges::find_if(kAssumeActions, [&](std::string_view a) { return iequals(a, item.value); });
    if (action == std::end(kAssumeActions)) continue;  // wildcards, TagSession, SetSourceIdentity
    const bool fits = (saml && iequals(*action, "sts:AssumeRoleWithSAML")) ||
                      (oidc && iequals(*action, "sts:AssumeRoleWithWebIdentity"));
    if (fits) continue;
    emit.emit(rules::kMismatchedFederatedAction, item.span, item.pointer,
              fmt::format("`{}` cannot be used by the statement's {}: {} a role with {}", item.value,
                          saml && oidc ? "identity providers"
                          : saml       ? "SAML provider"
                                       : "OIDC provider",
                          saml && oidc ? "they assume" : "it assumes",
                          saml && oidc ? "`sts:AssumeRoleWithSAML` and `sts:AssumeRoleWithWebIdentity`"
                          : saml       ? "`sts:AssumeRoleWithSAML`"
                                       : "`sts:AssumeRoleWithWebIdentity`"));
  }
}

void check_roles_anywhere(const policy::Statement& st, Emitter& emit) {
  if (st.effect != policy::Effect::allow || !st.principal.present || !st.action.present) return;
  const bool for_roles_anywhere = std::ranges::any_of(st.principal.entries, [](const policy::PrincipalEntry& entry) {
    return entry.type == "Service" && std::ranges::any_of(entry.values, [](const policy::Text& value) {
             return value.value == "rolesanywhere.amazonaws.com";
           });
  });
  if (!for_roles_anywhere) return;
  std::vector<std::string_view> missing;
  for (const std::string_view action : {"sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"}) {
    if (!covers_action(st, action)) missing.push_back(action);
  }
  if (missing.empty()) return;
  emit.emit(rules::kRolesAnywhereMissingActions, st.action.key_span, st.action.pointer,
            fmt::format("IAM Roles Anywhere needs `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession` "
                        "together; add {}",
                        backticked(missing, " and ")));
}

}  // namespace

void check_trust(const policy::Document& document, Emitter& emit) {
  if (document.kind != policy::Kind::trust) return;
  for (const policy::Statement& statement : document.statements) {
    check_federated_actions(statement, emit);
    check_roles_anywhere(statement, emit);
  }
}

}  // namespace grantlint::checks
