// Condition keys whose meaning depends on the rest of the request: keys a service principal's
// requests never carry (CON018), keys that name something only beside a companion key
// (CON019), and set operators on a web identity's single-valued audience claim (CON020).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>

#include "base/strings.h"
#include "checks/checks.h"
#include "checks/statement_scope.h"
#include "match/arn.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

bool has_key(const policy::Statement& st, std::string_view key) {
  return std::ranges::any_of(st.conditions, [&](const policy::ConditionEntry& e) { return iequals(e.key, key); });
}

// Whether every principal of the statement is an AWS service.
bool only_service_principals(const policy::Statement& st) {
  const policy::Principal& principal = st.principal;
  if (!principal.present || principal.negated || principal.wildcard || principal.entries.empty()) return false;
  return std::ranges::all_of(principal.entries, [](const policy::PrincipalEntry& e) { return e.type == "Service"; });
}

// Keys of an IAM identity behind the request (global condition keys reference): absent when a
// service principal asks.
bool describes_identity(std::string_view key) {
  return iequals(key, "aws:PrincipalOrgID") || iequals(key, "aws:PrincipalOrgPaths") ||
         istarts_with(key, "aws:PrincipalTag/");
}

void service_principal_keys(const policy::Statement& st, Emitter& emit) {
  if (!only_service_principals(st)) return;
  for (const policy::ConditionEntry& entry : st.conditions) {
    if (!describes_identity(entry.key) || entry.op.base == "Null") continue;
    emit.emit(rules::kKeyAbsentForServicePrincipal, entry.key_span, entry.pointer,
              fmt::format("requests of a service principal carry no `{}`: this condition {}; name the source the "
                          "service acts for with `aws:SourceArn` or `aws:SourceAccount`",
                          entry.key, true_when_absent(entry) ? "is always true here and filters nothing" : "never matches"));
  }
}

// An S3 ARN names its bucket by name alone, without the owner's account (`arn:aws:s3:::NAME`,
// or `arn:aws:s3:*:*:NAME` as AWS's notification examples write it).
bool names_no_account(std::string_view value) {
  const auto fields = match::split_arn(value);
  return fields && (*fields)[1] == "s3" && (*fields)[3].find_first_not_of("*?") == std::string_view::npos &&
         !(*fields)[4].empty();
}

void paired_keys(const policy::Statement& st, Emitter& emit) {
  for (const policy::ConditionEntry& entry : st.conditions) {
    if (entry.op.base == "Null") continue;
    if (iequals(entry.key, "aws:VpcSourceIp") && !has_key(st, "aws:SourceVpc") && !has_key(st, "aws:SourceVpce") &&
        !has_key(st, "aws:SourceVpcArn")) {
      emit.emit(rules::kMissingPairedConditionKey, entry.key_span, entry.pointer,
                fmt::format("`{}` is a private address, the same in many VPCs: pair it with `aws:SourceVpc` or "
                            "`aws:SourceVpce` in this statement",
                            entry.key));
    }
    // Only an Allow that positively names the source: a Deny or a `Not` operator narrows nothing.
    const bool positive = !entry.op.negated() && !entry.op.if_exists;
    // One such value suffices: the values of a key are alternatives.
    const auto bucket = std::ranges::find_if(entry.values, [](const policy::Text& v) { return names_no_account(v.value); });
    if (iequals(entry.key, "aws:SourceArn") && st.effect == policy::Effect::allow && positive &&
        bucket != entry.values.end() && !has_key(st, "aws:SourceAccount") && !has_key(st, "aws:SourceOrgID") &&
        !has_key(st, "aws:SourceOrgPaths") && !has_key(st, "aws:SourceOwner")) {
      emit.emit(rules::kMissingPairedConditionKey, bucket->span, bucket->pointer,
                fmt::format("`{}` names no account: once the bucket is deleted another account can create one "
                            "of the same name; add `aws:SourceAccount` to this statement",
                            bucket->value));
    }
  }
}

// `token.actions.githubusercontent.com:aud`, `cognito-identity.amazonaws.com:aud`: an OIDC
// provider's audience claim (not `saml:aud`, a SAML assertion's, nor a global key).
bool is_audience_claim(std::string_view key) {
  if (key.size() < 5 || !iends_with(key, ":aud")) return false;
  return !istarts_with(key, "aws:") && !istarts_with(key, "saml:");
}

// The catalog knows the claims of the providers AWS names (Cognito, Google, Amazon, Facebook),
// and CON005 judges those; a custom provider's (GitHub's) only this check knows.
void audience_set_operators(const policy::Statement& st, const catalog::Catalog& catalog, Emitter& emit) {
  for (const policy::ConditionEntry& entry : st.conditions) {
    if (entry.op.set_prefix.empty() || entry.op.base == "Null" || !is_audience_claim(entry.key)) continue;
    if (catalog.find_condition_key(entry.key) != nullptr) continue;
    // As CON005 says of the catalog's single-valued keys: ForAnyValue only says the plain
    // operator the long way (a note), ForAllValues is also true without the claim.
    const bool all = entry.op.set_prefix == "ForAllValues";
    emit.emit(rules::kSetOperatorOnAudience, entry.op_span, entry.pointer,
              fmt::format("`{}` is single-valued: `{}` tests a set of one claim at most{}; write `{}{}`", entry.key,
                          entry.op_text, all ? " and is true for a token without it" : "", entry.op.base,
                          entry.op.if_exists ? "IfExists" : ""),
              all ? Level::warning : Level::note);
  }
}

}  // namespace

void check_condition_context(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  for (const policy::Statement& st : document.statements) {
    service_principal_keys(st, emit);
    paired_keys(st, emit);
    audience_set_operators(st, catalog, emit);
  }
}

}  // namespace grantlint::checks
