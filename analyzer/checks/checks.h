// Stage 3: checks over a lowered policy document and the AWS catalog. Each check reports
// through the Emitter; none of them changes the document.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "catalog/catalog.h"
#include "diag/emitter.h"
#include "policy/model.h"

namespace grantlint::checks {

// Every check, in a fixed order.
void run_all(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit);

// Action and NotAction patterns against the catalog: unknown service prefixes, unknown
// actions and wildcards that match no action (ACT001-ACT003).
void check_actions(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit);
// The same for one action or pattern (`s3:GetObjet`), wherever it is written. A "did you mean"
// reads every action name of the service (EC2 has 700); `suggestions_left`, when given, counts
// down those a document may still have, so that 100,000 unknown actions stay linear.
void check_action_pattern(const policy::Text& item, const catalog::Catalog& catalog, Emitter& emit,
                          std::size_t* suggestions_left = nullptr);

// Condition blocks: keys, values, operator and key types, set operators (CON001-CON009).
void check_conditions(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit);

// Tag condition keys on actions of services that do not support them (CON015).
void check_tag_keys(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit);

// Condition values that parse but cannot mean what they say (CON010-CON014, CON016).
void check_condition_meaning(const policy::Document& document, Emitter& emit);

// Federation and SAML keys (`accounts.google.com:aud`, `saml:sub`) belong to identity
// providers, not to services of the catalog.
bool is_identity_provider_key(std::string_view key);

// The nearest of `names` to a misspelt `word` ("did you mean"), for a document's first
// Suggestions::kSuggestionsPerList misspelt words only (`given` counts them): each reads every name.
std::optional<std::string_view> nearest_name(std::string_view word, std::span<const std::string_view> names,
                                             std::size_t& given);
// The same among condition keys.
std::optional<std::string_view> nearest_condition_key(std::string_view key, std::span<const catalog::ConditionKey> keys,
                                                      std::size_t& given);

// Policy variables: malformed, or where IAM never expands them (POL032, POL033).
void check_variables(const policy::Document& document, Emitter& emit);

// Policy variables naming a key no request carries (POL036).
void check_variable_keys(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit);

// Resource ARNs: malformed, or naming no resource type of the statement's actions
// (RES002, RES003).
void check_resources(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit);

// Redundant actions, resources and statements (RED001-RED003).
void check_redundancy(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit);

// A role session beside its role (RED004); numeric values another of the same key makes
// redundant (RED005).
void check_redundant_values(const policy::Document& document, Emitter& emit);

// Overbroad grants in identity policies (GRT001-GRT007).
void check_grants(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit);

// Public principals, principals of other accounts and key administration (RES001, RES009,
// KMS002); for a key policy, then check_key_lockout.
void check_resource_policies(const policy::Document& document, Emitter& emit);

// Key policies that no one can administer any more (KMS001), asked of the evaluator.
void check_key_lockout(const policy::Document& document, Emitter& emit);

// Resource policies whose resource is known: actions of other services, resources it does not
// hold, condition keys it fixes (RES010, RES011, CON017).
void check_attached_resource(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit);

// Keys a service principal's requests lack, keys that need a companion, set operators on an
// audience claim (CON018-CON020).
void check_condition_context(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit);

// Role trust policies: assume actions that fit their federated principals (POL034), IAM Roles
// Anywhere's three actions (POL035).
void check_trust(const policy::Document& document, Emitter& emit);

}  // namespace grantlint::checks
