// Resource ARNs against the catalog: malformed ARNs (prefix, fields, partition, service case,
// region or account where the service has none) and actions none of whose resource types
// the statement's resources can name (RES002, RES003).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "base/placeholder.h"
#include "base/strings.h"
#include "checks/checks.h"
#include "checks/statement_scope.h"
#include "match/arn.h"
#include "match/glob.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

bool has_wildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

// Resource values longer than this (far beyond any real ARN) are checked for form but not
// matched against resource types: matching is quadratic in the lengths.
constexpr std::size_t kMaxMatchedLength = 2048;

// ARNs AWS documents for policies that the Service Authorization Reference has no type for:
// CloudFormation's transforms (`cloudformation:CreateChangeSet` on
// `arn:aws:cloudformation:REGION:aws:transform/Serverless-2016-10-31`).
bool documented_outside_catalog(const match::ArnFields& fields) {
  return fields.service == "cloudformation" && match::glob_matches(fields.account, "aws", false) &&
         fields.resource.starts_with("transform/");
}

class ResourceChecker {
 public:
  ResourceChecker(const policy::Document& doc, const catalog::Catalog& catalog, Emitter& emit)
      : doc_(doc), catalog_(catalog), emit_(emit) {}

  void statement(const policy::Statement& st) {
    if (!st.resource.present) return;
    bool any_bad = false;
    for (const policy::Text& item : st.resource.items) any_bad = !well_formed(item) || any_bad;
    if (any_bad || st.resource.negated || st.action.negated) return;
    bool star = false;
    std::vector<match::ArnFields> patterns;
    for (const policy::Text& item : st.resource.items) {
      if (item.value == "*") star = true;
      if (item.value.size() > kMaxMatchedLength) return;                 // not compared: see kMaxMatchedLength
      if (item.value != "*" && !item.value.starts_with("arn:")) return;  // a variable or a service's shorthand
      // A template's placeholder may be any value: a wildcard for matching resource types.
      const std::string pattern = has_placeholder(item.value) ? placeholders_as_wildcards(item.value) : item.value;
      if (auto fields = match::split_arn_pattern(pattern, doc_.variables_enabled())) {
        if (documented_outside_catalog(*fields)) return;  // no type to compare with
        patterns.push_back(*fields);
      }
    }
    if (star) return;  // `*` names every resource, and satisfies wildcard-only actions
    // The actions of a statement share few resource types: each type is compared with the
    // statement's resources once.
    NamedTypes named;
    for (const policy::Text& action : st.action.items) match_types(action, patterns, named);
  }

 private:
  bool well_formed(const policy::Text& item) {
    const std::string& v = item.value;
    if (v == "*") return true;
    auto bad = [&](std::string message) {
      emit_.emit(rules::kMalformedResourceArn, item.span, item.pointer, std::move(message));
      return false;
    };
    if (!v.starts_with("arn:")) {
      if (v.starts_with("${") || has_wildcard(v.substr(0, 4))) return true;    // a variable or `ar*`: not judged
      if (v.starts_with(kPlaceholderOpen) && has_placeholder(v)) return true;  // `!GetAtt Bucket.Arn`: at deployment
      if (v.starts_with("execute-api:/")) return true;  // API Gateway resource policies' documented shorthand
      return bad(fmt::format("`{}` is not an ARN: expected `arn:partition:service:region:account:resource` or `*`", v));
    }
    // IAM replaces policy variables only in the resource part, after the fifth colon: one in
    // the account or Region (`arn:aws:iam::${aws:PrincipalAccount}:user/x`) stays as written.
    if (doc_.variables_enabled()) {
      constexpr std::array<std::string_view, 4> kFields = {"partition", "service", "Region", "account"};
      std::size_t colons = 0;
      for (std::size_t i = 0; i < v.size() && colons < 5; ++i) {
        if (v[i] == ':') {
          ++colons;
        } else if (v.compare(i, 2, "${") == 0 && colons >= 1) {
          const std::size_t close = v.find('}', i);
          const std::string_view variable(v.data() + i, (close == std::string::npos ? v.size() : close + 1) - i);
          // A warning: IAM documents this, but one AWS managed policy
          // (AmazonTimestreamInfluxDBServiceRolePolicy) writes `${aws:PrincipalAccount}` there.
          emit_.emit(rules::kMalformedResourceArn, item.span, item.pointer,
                     fmt::format("`{}`: IAM documents that it replaces policy variables only after the fifth colon, "
                                 "so `{}` in the {} field is matched as written and the pattern matches no resource",
                                 v, variable, kFields[std::min<std::size_t>(colons - 1, 3)]),
                     Level::warning);
          return false;
        }
      }
    }
    const auto fields = match::split_arn_pattern(v, doc_.variables_enabled());
    if (!fields) {
      return bad(
          fmt::format("`{}` has fewer than the six ARN fields `arn:partition:service:region:account:resource`", v));
    }
    if (!has_wildcard(fields->partition) && !has_placeholder(fields->partition) && !is_partition(fields->partition)) {
      return bad(fmt::format("`{}` names the unknown partition `{}`", v, fields->partition));
    }
    if (has_wildcard(fields->service) || has_placeholder(fields->service)) return true;
    for (char c : fields->service) {
      if (std::isupper(static_cast<unsigned char>(c))) {
        return bad(fmt::format("`{}`: the service `{}` must be lower case", v, fields->service));
      }
    }
    const catalog::Service* service = catalog_.find_service(fields->service);
    // Some resource types carry another service's name in their ARNs (`iam::...:root` for sts,
    // `catalog:` for Service Catalog). Asked only once the service's own types failed, since
    // the index parses the whole catalog.
    auto defined_elsewhere = [&] {
      for (const catalog::ResourceType* type : catalog_.resource_types_for_arn_service(fields->service)) {
        if (type->pattern && match::arn_patterns_intersect(*fields, *type->pattern)) return true;
      }
      return false;
    };
    if (service == nullptr) {
      if (defined_elsewhere()) return true;
      return bad(fmt::format("`{}` names `{}`, which is not a service prefix", v, fields->service));
    }
    if (service->resource_types.empty()) return true;
    if (documented_outside_catalog(*fields)) return true;
    bool any_region = false;
    bool any_account = false;
    for (const catalog::ResourceType& type : service->resource_types) {
      if (!type.pattern) continue;
      any_region = any_region || !type.pattern->region.empty();
      any_account = any_account || !type.pattern->account.empty();
    }
    if (((!fields->region.empty() && !any_region) || (!fields->account.empty() && !any_account)) &&
        defined_elsewhere()) {
      return true;
    }
    if (!fields->region.empty() && !any_region) {
      return bad(fmt::format("`{}`: `{}` resource ARNs have no region; write `arn:{}:{}::...`", v, service->prefix,
                             fields->partition, fields->service));
    }
    if (!fields->account.empty() && !any_account) {
      return bad(
          fmt::format("`{}`: `{}` resource ARNs have no account; leave the account field empty", v, service->prefix));
    }
    if (!fields->region.empty() && !has_wildcard(fields->region) && !has_placeholder(fields->region) &&
        !match::is_region(fields->region)) {
      return bad(fmt::format("`{}`: `{}` is not a region", v, fields->region));
    }
    const std::string& account = fields->account;
    if (!account.empty() && !has_wildcard(account) && !has_placeholder(account) && !is_account_id(account) &&
        account != "aws") {
      return bad(fmt::format("`{}`: the account `{}` is not a 12-digit account id", v, account));
    }
    // A placeholder may be any value: the resource types are matched with wildcards for it.
    if (has_placeholder(v)) {
      const auto any = match::split_arn_pattern(placeholders_as_wildcards(v), doc_.variables_enabled());
      if (!any) return true;
      for (const catalog::ResourceType& type : service->resource_types) {
        if (type.pattern && match::arn_patterns_intersect(*any, *type.pattern)) return true;
      }
    }
    for (const catalog::ResourceType& type : service->resource_types) {
      if (type.pattern && match::arn_patterns_intersect(*fields, *type.pattern)) return true;
    }
    // Of no type: suggest the one the pattern is nearest to, whose resource part could match,
    // whose region and account fields are present or absent alike, which starts alike.
    const catalog::ResourceType* nearest = &service->resource_types.front();
    std::size_t best = 0;
    for (const catalog::ResourceType& type : service->resource_types) {
      if (!type.pattern) continue;
      const auto& t = type.pattern;
      std::size_t score = match::globs_intersect(fields->resource, t->resource) ? 1000 : 0;
      score += (fields->region.empty() == t->region.empty() ? 100u : 0u) +
               (fields->account.empty() == t->account.empty() ? 100u : 0u);
      for (std::size_t i = 0; i < t->resource.size() && i < fields->resource.size() && t->resource[i] != '*' &&
                              t->resource[i] == fields->resource[i];
           ++i) {
        ++score;
      }
      if (score > best) {
        best = score;
        nearest = &type;
      }
    }
    if (defined_elsewhere()) return true;
    return bad(fmt::format("`{}` has the form of no `{}` resource type; did you mean the form of `{}`: `{}`?", v,
                           service->prefix, nearest->name, nearest->arn));
  }

  // Resource types (by service and name) already compared with a statement's resources, and
  // whether one of them names a resource of the type.
  struct NamedType {
    const catalog::Service* service;
    std::string_view name;
    bool named;
  };
  using NamedTypes = std::vector<NamedType>;

  // Reports an action pattern none of whose actions takes any resource of the statement.
  void match_types(const policy::Text& action_item, const std::vector<match::ArnFields>& patterns,
                   NamedTypes& named) {
    const auto colon = action_item.value.find(':');
    if (colon == std::string::npos) return;  // `*`
    const catalog::Service* service = catalog_.find_service(std::string_view(action_item.value).substr(0, colon));
    if (service == nullptr) return;  // ACT001
    const catalog::Action* example = nullptr;
    bool matched = false;
    for_each_matching_action(catalog_, action_item.value, [&](const catalog::Service&, const catalog::Action& action) {
      if (matched) return;
      if (example == nullptr) example = &action;
      for (const catalog::ActionResource& resource : action.resources) {
        const auto known = std::ranges::find_if(
            named, [&](const NamedType& t) { return t.service == service && t.name == resource.name; });
        if (known != named.end()) {
          matched = matched || known->named || budget_ == 0;  // out of budget: nothing more is reported
          continue;
        }
        bool names_it = false;
        for (const catalog::ResourceType& type : service->resource_types) {
          if (type.name != resource.name) continue;
          for (const match::ArnFields& pattern : patterns) {
            if (budget_ == 0) {
              matched = true;  // out of budget: nothing more is reported for this document
              return;
            }
            --budget_;
            if (type.pattern && match::arn_patterns_intersect(pattern, *type.pattern)) names_it = true;
          }
        }
        named.push_back(NamedType{service, resource.name, names_it});
        matched = matched || names_it;
      }
    });
    if (matched) return;
    if (example == nullptr) return;  // matches no action: ACT002/ACT003
    if (example->resources.empty()) {
      // AWS's documentation disagrees with itself here (IAM semantics §2.3.8, §7.1): IAM's
      // simulator matches such actions only with `*`, many AWS policies name ARNs anyway.
      if (!has_wildcard(action_item.value)) {
        emit_.emit(rules::kWildcardOnlyActionWithArn, action_item.span, action_item.pointer,
                   fmt::format("`{}` supports no resource-level permissions; write `\"Resource\": \"*\"` for it, "
                               "since an ARN may not match it",
                               action_item.value));
      }
      return;
    }
    std::string types;
    for (const catalog::ActionResource& resource : example->resources) {
      types += fmt::format("{}`{}`", types.empty() ? "" : ", ", resource.name);
    }
    emit_.emit(rules::kResourceTypeMismatch, action_item.span, action_item.pointer,
               fmt::format("no resource of this statement is of a type `{}` acts on{}", action_item.value,
                           types.empty() ? std::string() : fmt::format(" ({})", types)));
  }

  const policy::Document& doc_;
  const catalog::Catalog& catalog_;
  Emitter& emit_;
  // Pattern comparisons left for this document, so that generated or hostile policies
  // (thousands of actions × thousands of ARNs) stay fast; normal policies use a fraction.
  std::size_t budget_ = 200'000;
};

}  // namespace

void check_resources(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  // Key policies take only `*` (POL022); trust policies take no Resource (POL021).
  if (document.kind == policy::Kind::kms_key || document.kind == policy::Kind::trust) return;
  ResourceChecker checker(document, catalog, emit);
  for (const policy::Statement& statement : document.statements) checker.statement(statement);
}

}  // namespace grantlint::checks
