#include "policy/principals.h"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <string_view>

#include "base/placeholder.h"
#include "base/strings.h"
#include "base/suggest.h"
#include "json/pointer.h"
#include "match/arn.h"
#include "policy/elements.h"
#include "rules/registry.h"

namespace grantlint::policy {

namespace {

using json::Node;
using json::Type;
namespace r = rules;

constexpr std::array<std::string_view, 4> kPrincipalKeys = {"AWS", "Service", "Federated", "CanonicalUser"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || is_digit(c); }

// A principal ARN split into its six fields (wildcard principals are rejected before this).
std::optional<match::ArnFields> split_arn(std::string_view s) {
  if (s.ends_with('*')) return std::nullopt;  // no padding of short patterns for principals
  return match::split_arn_pattern(s, /*variables=*/false);
}

// A service principal: lowercase DNS labels ending in an AWS service domain.
bool is_service_principal(std::string_view s) {
  // Commercial, China and the ISO partitions' service domains.
  static constexpr std::array<std::string_view, 5> kSuffixes = {".amazonaws.com", ".amazonaws.com.cn", ".amazon.com",
                                                                ".c2s.ic.gov", ".sc2s.sgov.gov"};
  bool suffix_ok = false;
  for (std::string_view suffix : kSuffixes) {
    if (s.size() > suffix.size() && s.ends_with(suffix)) suffix_ok = true;
  }
  if (!suffix_ok) return false;
  for (char c : s) {
    if (!is_lower_alnum(c) && c != '.' && c != '-') return false;
  }
  return s.front() != '.' && s.find("..") == std::string_view::npos;
}

bool is_domain(std::string_view s) {
  if (s.empty() || s.find('.') == std::string_view::npos || s.front() == '.' || s.back() == '.') return false;
  for (char c : s) {
    if (!is_lower_alnum(c) && c != '.' && c != '-' && !(c >= 'A' && c <= 'Z')) return false;
  }
  return true;
}

// Why an `AWS` principal value is malformed, or empty when it is fine.
std::string aws_principal_problem(std::string_view v) {
  if (v == "*" || is_account_id(v)) return {};
  // The unique id IAM shows once a named user or role was deleted: valid, matches nothing new.
  if ((v.starts_with("AIDA") || v.starts_with("AROA")) && v.size() >= 16) return {};
  const auto arn = split_arn(v);
  if (!arn) return "expected `*`, a 12-digit account id or an IAM or STS principal ARN";
  // A template's placeholder (`${AWS::Partition}`, `${AWS::AccountId}`) is taken as valid.
  if (!is_partition(arn->partition) && !has_placeholder(arn->partition)) {
    return fmt::format("unknown partition `{}`", arn->partition);
  }
  if (has_placeholder(arn->service)) return {};
  if (arn->service != "iam" && arn->service != "sts") {
    return fmt::format("service `{}` does not name principals; use an `iam` or `sts` ARN", arn->service);
  }
  if (!arn->region.empty()) return "principal ARNs have no region";
  // The legacy CloudFront origin access identity, as S3 bucket policies name it.
  if (arn->account == "cloudfront" && arn->resource.starts_with("user/CloudFront Origin Access Identity ")) return {};
  if (!is_account_id(arn->account) && !has_placeholder(arn->account)) {
    return fmt::format("`{}` is not a 12-digit account id", arn->account);
  }
  const std::string_view res = arn->resource;
  if (is_placeholder(res)) return {};
  if (arn->service == "iam") {
    if (res == "root" || res.starts_with("user/") || res.starts_with("role/")) {
      if (res != "root" && res.size() <= res.find('/') + 1) return "the principal ARN has no name";
      return {};
    }
    if (res.starts_with("group/")) return "IAM groups cannot be principals; name the users or a role";
    return fmt::format("`{}` is not an IAM principal (expected `root`, `user/...` or `role/...`)", res);
  }
  if (arn->service == "sts") {
    if (res.starts_with("assumed-role/")) {
      const auto rest = res.substr(13);
      const auto slash = rest.find('/');
      if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) {
        return "an assumed-role principal must name the role and one session: `assumed-role/ROLE/SESSION`";
      }
      return {};
    }
    if (res.starts_with("federated-user/") && res.size() > 15) return {};
  }
  return fmt::format("`{}` is not an STS principal (expected `assumed-role/...` or `federated-user/...`)", res);
}

std::string federated_problem(std::string_view v) {
  if (const auto arn = split_arn(v)) {
    if (arn->service == "iam" && is_account_id(arn->account) &&
        (arn->resource.starts_with("saml-provider/") || arn->resource.starts_with("oidc-provider/"))) {
      return {};
    }
    return "expected a SAML or OIDC provider ARN (`arn:aws:iam::ACCOUNT:saml-provider/NAME`)";
  }
  if (is_domain(v)) return {};
  return "expected an identity provider domain or a SAML or OIDC provider ARN";
}

bool is_canonical_user(std::string_view v) {
  if (v.size() != 64) return false;
  for (char c : v) {
    if (!is_digit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

class PrincipalLowerer {
 public:
  PrincipalLowerer(Kind kind, Emitter& emit) : kind_(kind), emit_(emit) {}

  Principal run(const json::Member& member, std::string pointer) {
    Principal p;
    p.present = true;
    p.negated = member.key == "NotPrincipal";
    p.key_span = member.key_span;
    p.span = member.value.span;
    p.pointer = std::move(pointer);
    const Node& value = member.value;
    if (value.is(Type::string)) {
      if (value.text == "*") {
        p.wildcard = true;
      } else {
        p.malformed = true;
        emit_.emit(r::kInvalidPrincipal, value.span, p.pointer,
                   fmt::format("`{}` must be `\"*\"` or an object such as `{{\"AWS\": \"{}\"}}`, not a bare string",
                               member.key, value.text));
      }
      return p;
    }
    if (!value.is(Type::object)) {
      p.malformed = true;
      emit_.emit(r::kWrongType, value.span, p.pointer,
                 fmt::format("`{}` must be `\"*\"` or an object, found {}", member.key, json::type_name(value.type)));
      return p;
    }
    if (value.members.empty()) {
      emit_.emit(r::kEmptyValue, value.span, p.pointer,
                 fmt::format("`{}` is an empty object, so the statement applies to no one", member.key));
    }
    for (const json::Member& entry_member : value.members) {
      const std::string entry_pointer = json::pointer_append(p.pointer, entry_member.key);
      bool known = false;
      for (std::string_view key : kPrincipalKeys) known = known || key == entry_member.key;
      if (!known) {
        p.malformed = true;
        const auto near = closest_match(entry_member.key, kPrincipalKeys);
        emit_.emit(r::kUnknownElement, entry_member.key_span, entry_pointer,
                   fmt::format("unknown principal type `{}`: use `AWS`, `Service`, `Federated` or "
                               "`CanonicalUser`{}",
                               entry_member.key, did_you_mean(near)));
        continue;
      }
      PrincipalEntry entry;
      entry.type = entry_member.key;
      entry.key_span = entry_member.key_span;
      entry.values = string_list(entry_member.value, entry_pointer, fmt::format("`{}` principals", entry_member.key),
                                 fmt::format("`{}` is an empty array and names no principal", entry_member.key), emit_);
      if (entry.type == "CanonicalUser" && kind_ != Kind::resource) {
        emit_.emit(r::kInvalidPrincipal, entry_member.key_span, entry_pointer,
                   fmt::format("`CanonicalUser` principals exist only in S3 bucket policies, not in {} policies",
                               family_name(kind_)));
      }
      // An item that is no string was dropped.
      const std::size_t written = entry_member.value.is(Type::array) ? entry_member.value.items.size() : 1;
      if (entry.values.size() != written) p.malformed = true;
      for (const Text& v : entry.values) check_value(entry.type, v);
      p.entries.push_back(std::move(entry));
    }
    return p;
  }

 private:
  void check_value(std::string_view type, const Text& v) {
    const bool has_wildcard = v.value.find_first_of("*?") != std::string::npos;
    if (has_wildcard && !(type == "AWS" && v.value == "*")) {
      std::string_view advice = "list each principal by its full name";
      if (type == "AWS") advice = "use `\"AWS\": \"*\"` with an `ArnLike` condition on `aws:PrincipalArn`";
      if (type == "Service") advice = "list each service principal, such as `glue.amazonaws.com`";
      emit_.emit(
          r::kWildcardInPrincipal, v.span, v.pointer,
          fmt::format("`{}` principal `{}` has a wildcard, which principals do not expand; {}", type, v.value, advice));
      return;
    }
    std::string problem;
    if (is_placeholder(v.value) || (type != "AWS" && has_placeholder(v.value))) {
      return;  // decided when the template is deployed: `!Ref Account`, `!Sub ec2.${AWS::URLSuffix}`
    }
    if (type == "AWS") {
      problem = aws_principal_problem(v.value);
    } else if (type == "Service") {
      if (!is_service_principal(v.value)) {
        problem = "expected a service principal such as `glue.amazonaws.com` (lowercase)";
      }
    } else if (type == "Federated") {
      problem = federated_problem(v.value);
    } else if (type == "CanonicalUser" && !is_canonical_user(v.value)) {
      problem = "expected a 64-digit lowercase hex canonical user id";
    }
    if (!problem.empty()) {
      emit_.emit(r::kInvalidPrincipal, v.span, v.pointer,
                 fmt::format("invalid `{}` principal `{}`: {}", type, v.value, problem));
    }
  }

  Kind kind_;
  Emitter& emit_;
};

}  // namespace

Principal lower_principal(const json::Member& member, std::string pointer, Kind kind, Emitter& emit) {
  return PrincipalLowerer(kind, emit).run(member, std::move(pointer));
}

}  // namespace grantlint::policy
