// Resource policies whose resource is known (a template's bucket policy, `check
// --resource-type`): actions of other services (RES010), resources the attached resource does
// not hold (RES011), and condition keys whose value that resource fixes (CON017).
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "base/placeholder.h"
#include "base/strings.h"
#include "checks/checks.h"
#include "match/arn.h"
#include "match/glob.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

std::string quoted_list(std::span<const std::string_view> names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " and " : ", ";
    text += fmt::format("`{}`", names[i]);
  }
  return text;
}

class AttachedChecker {
 public:
  AttachedChecker(const policy::ResourceType& type, std::string_view name, const catalog::Catalog& catalog,
                  Emitter& emit)
      : type_(type), name_(name), catalog_(catalog), emit_(emit) {}

  void statement(const policy::Statement& st) {
    if (st.action.present && !st.action.negated) {
      for (const policy::Text& item : st.action.items) action(item);
    }
    if (st.resource.present && !st.resource.negated) {
      for (const policy::Text& item : st.resource.items) resource(item);
    }
    for (const policy::ConditionEntry& entry : st.conditions) condition(entry);
  }

 private:
  // An action pattern whose service part can name none of the resource's services.
  void action(const policy::Text& item) {
    if (item.value == "*" || has_placeholder(item.value)) return;
    const std::size_t colon = item.value.find(':');
    if (colon == std::string::npos) return;  // malformed: POL020's and ACT001's business
    const std::string_view service = std::string_view(item.value).substr(0, colon);
    const bool ours = std::ranges::any_of(
        type_.services, [&](std::string_view prefix) { return match::glob_matches(service, prefix, true); });
    if (ours) return;
    emit_.emit(rules::kActionOfAnotherService, item.span, item.pointer,
               fmt::format("`{}` is not an action of the {} this policy is attached to: its policy governs only "
                           "{} actions",
                           item.value, type_.display, quoted_list(type_.services)));
  }

  void resource(const policy::Text& item) {
    const std::string& value = item.value;
    if (value == "*") {
      // DynamoDB's documentation does not say whether `*` stands for the table: not judged.
      if (type_.services.front() == "dynamodb") return;
      emit_.emit(rules::kResourceOutsideAttachedResource, item.span, item.pointer,
                 fmt::format("`*` is not accepted in this {} policy: name its {} ARNs{}", type_.display,
                             quoted_list(type_.arn_types), example()));
      return;
    }
    if (!value.starts_with("arn:")) return;  // a variable or a placeholder: not judged
    const std::string pattern = has_placeholder(value) ? placeholders_as_wildcards(value) : value;
    const auto fields = match::split_arn_pattern(pattern, true);
    if (!fields) return;  // malformed: RES002
    const catalog::Service* service = catalog_.find_service(type_.services.front());
    if (service == nullptr) return;
    for (const catalog::ResourceType& candidate : service->resource_types) {
      if (std::ranges::find(type_.arn_types, candidate.name) == type_.arn_types.end()) continue;
      if (candidate.pattern && match::arn_patterns_intersect(*fields, *candidate.pattern)) {
        other_bucket(item, *fields);
        return;
      }
    }
    emit_.emit(rules::kResourceOutsideAttachedResource, item.span, item.pointer,
               fmt::format("`{}` is not a resource of the {} this policy is attached to: its policy names only {} "
                           "ARNs{}",
                           value, type_.display, quoted_list(type_.arn_types), example()));
  }

  // A bucket policy covers its own bucket only: S3 rejects one that names another's.
  void other_bucket(const policy::Text& item, const match::ArnFields& fields) {
    if (name_.empty() || type_.name != "AWS::S3::Bucket" || fields.service != "s3") return;
    const std::string_view bucket = std::string_view(fields.resource).substr(0, fields.resource.find('/'));
    // A policy variable in the name (`${aws:username}`) is known only per request: not judged.
    if (has_placeholder(item.value) || bucket.find("${") != std::string_view::npos ||
        match::glob_matches(bucket, name_, false)) {
      return;
    }
    emit_.emit(rules::kResourceOutsideAttachedResource, item.span, item.pointer,
               fmt::format("`{}` names another bucket than `{}`, the one this policy is attached to: a bucket "
                           "policy covers only its own bucket and objects",
                           item.value, name_));
  }

  void condition(const policy::ConditionEntry& entry) {
    const bool fixed =
        std::ranges::any_of(type_.fixed_keys, [&](std::string_view key) { return iequals(key, entry.key); });
    if (!fixed || entry.op.base == "Null") return;
    const bool organization = ascii_lower(entry.key).find("org") != std::string::npos;
    emit_.emit(rules::kFixedConditionKey, entry.key_span, entry.pointer,
               fmt::format("`{}` is always the {} of the {} in its own policy: the condition decides nothing "
                           "here; use it in identity policies, SCPs or RCPs",
                           entry.key, organization ? "organization of the owner" : "owner", type_.display));
  }

  // The first resource type's ARN form, as the catalog writes it.
  std::string example() const {
    const catalog::Service* service = catalog_.find_service(type_.services.front());
    if (service == nullptr) return "";
    for (const catalog::ResourceType& candidate : service->resource_types) {
      if (candidate.name == type_.arn_types.front()) return fmt::format(" (`{}`)", candidate.arn);
    }
    return "";
  }

  const policy::ResourceType& type_;
  std::string_view name_;  // the bucket's, when known
  const catalog::Catalog& catalog_;
  Emitter& emit_;
};

}  // namespace

void check_attached_resource(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  if (document.kind != policy::Kind::resource || document.resource_type == nullptr) return;
  AttachedChecker checker(*document.resource_type, document.resource_name, catalog, emit);
  for (const policy::Statement& st : document.statements) checker.statement(st);
}

}  // namespace grantlint::checks
