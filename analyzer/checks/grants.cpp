// Overbroad grants in identity policies (Allow only: a Deny is never a grant): everything on
// everything, whole services, NotAction and NotResource, iam:PassRole on any role, and
// sensitive actions on every resource, iam:CreateServiceLinkedRole for any service (GRT001-GRT007).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/placeholder.h"
#include "base/strings.h"
#include "catalog/every_resource.h"
#include "checks/checks.h"
#include "checks/sensitive.h"
#include "checks/statement_scope.h"
#include "match/arn.h"
#include "match/glob.h"
#include "rules/registry.h"

namespace grantlint::checks {

namespace {

// The statement's conditions, as what a finding holds only under; those on `besides` are left
// to the message, which speaks of them.
std::string mitigation(const policy::Statement& statement, std::string_view besides = {}) {
  const std::string keys = condition_keys_text(statement, besides);
  return keys.empty() ? std::string() : fmt::format(" (only when its conditions on {} hold)", keys);
}

// What the statement says of iam:PassedToService, for GRT005: a condition on it that does not
// name the services (`StringLike: "*"`) is no limit, and is said to be there.
std::string passed_to_service_text(const policy::Statement& statement) {
  const bool conditioned = std::ranges::any_of(statement.conditions, [](const policy::ConditionEntry& entry) {
    return iequals(entry.key, "iam:PassedToService");
  });
  return conditioned ? "under conditions on `iam:PassedToService` that admit services they do not name"
                     : "without `iam:PassedToService`";
}

// A condition no PassRole request meets: `StringNotLike: {"iam:PassedToService": "*"}` (the key
// is always there when a role is passed).
bool admits_no_service(const policy::Statement& statement) {
  return std::ranges::any_of(statement.conditions, [](const policy::ConditionEntry& entry) {
    return iequals(entry.key, "iam:PassedToService") && entry.op.negated() && entry.op.base.ends_with("Like") &&
           std::ranges::any_of(entry.values, [](const policy::Text& value) { return value.value == "*"; });
  });
}

// The service whose every action `pattern` names (`s3` for `s3:*`, and for `s3:**`, `s3:?*`,
// `s3:*?`, which IAM matches alike since no action name is empty); empty when it names fewer.
std::string_view whole_service_of(std::string_view pattern) {
  const std::size_t colon = pattern.find(':');
  if (colon == std::string_view::npos) return {};
  const std::string_view name = pattern.substr(colon + 1);
  const bool every_name = name.find('*') != std::string_view::npos &&
                          name.find_first_not_of("*?") == std::string_view::npos && std::ranges::count(name, '?') <= 1;
  return every_name ? pattern.substr(0, colon) : std::string_view();
}

std::string list_actions(const std::vector<std::string>& actions) { return backticked(actions, ", ", 4); }

class GrantChecker {
 public:
  GrantChecker(const catalog::Catalog& catalog, const policy::Document& document, Emitter& emit)
      : catalog_(catalog), denies_(conditional_denies(document)), emit_(emit) {}

  void statement(const policy::Statement& st) {
    if (st.effect != policy::Effect::allow || !st.action.present || !st.resource.present) return;
    const bool everywhere = covers_all_resources(st);
    if (st.resource.negated && !everywhere) return;  // `NotResource: "arn:*"` leaves out everything: no grant
    const Span where = st.action.present ? st.action.key_span : st.span;
    if (st.action.negated) {
      emit_.emit(rules::kAllowWithNotAction, st.action.key_span, st.action.pointer,
                 fmt::format("`Allow` with `NotAction` grants every action of every service except those listed{}{}",
                             everywhere ? ", on every resource" : "", mitigation(st)));
    }
    if (st.resource.negated) {
      emit_.emit(rules::kAllowWithNotResource, st.resource.key_span, st.resource.pointer,
                 fmt::format("`Allow` with `NotResource` grants its actions on every resource except those listed, "
                             "including resources created later{}",
                             mitigation(st)));
    }
    // Services whose every action an item grants (`*` stands for all): reported as the broader
    // grants they are, not again action by action.
    std::vector<std::string> whole_services;
    bool everything = st.action.negated;
    for (const policy::Text& item : st.action.items) {
      if (st.action.negated) break;
      if (item.value == "*") {
        if (!everywhere) continue;
        everything = true;
        emit_.emit(
            rules::kFullAdministrator, item.span, item.pointer,
            fmt::format("`\"Action\": \"*\"` on every resource grants full administrator access{}", mitigation(st)));
      } else if (const std::string_view prefix = whole_service_of(item.value); !prefix.empty()) {
        const catalog::Service* service = catalog_.find_service(prefix);
        const auto of_service = [&](std::string_view partition, std::string_view account) {
          return catalog::every_resource_of_service_by_type(*service, partition, account);
        };
        const bool every_resource = service == nullptr ? everywhere : takes_every_resource(st, everywhere, of_service);
        if (!every_resource) continue;
        whole_services.push_back(ascii_lower(prefix));
        emit_.emit(rules::kServiceWildcard, item.span, item.pointer,
                   fmt::format("`{}` on every resource grants every action of `{}`, present and future{}", item.value,
                               prefix, mitigation(st)));
      }
    }
    const auto whole = [&](std::string_view service) {
      return everything || std::ranges::find(whole_services, ascii_lower(service)) != whole_services.end();
    };
    // `*` and `iam:*` are reported above as the broader grants they are (a NotAction is not).
    const bool iam_whole = whole("iam") && !st.action.negated;
    create_service_linked_role(st, where, everywhere || iam_whole);
    if (!everywhere && !iam_whole) pass_role_on_every_role(st, where);
    if (everywhere && !iam_whole && covers_action(st, "iam:PassRole") && passes_every_role(st) &&
        !has_scoping_condition(st, "iam:PassedToService") && !admits_no_service(st) && !passing_denied_but_named(st)) {
      emit_.emit(rules::kPassRoleOnAnyRole, where, st.action.pointer,
                 fmt::format("the statement lets the principal pass any role to any service (`iam:PassRole` on every "
                             "resource, {}){}",
                             passed_to_service_text(st), mitigation(st, "iam:PassedToService")));
    }
    if (!st.action.negated) sensitive(st, whole, everywhere);
  }

 private:
  // Whether the statement grants on every resource `of(partition, account)` gives, type by
  // type (catalog/every_resource.h): the Resource patterns take each type's whole, in the
  // patterns' own partition and account when they name them (`iam:*` on `arn:aws:iam::*:*`,
  // `s3:GetObject` on `arn:aws:s3:::*/*`, ec2:RunInstances on `instance/*`, `volume/*`,
  // `image/*`... one pattern a type); or, where `everywhere` (`*`, a NotResource), the
  // NotResource patterns do not (`ec2:TerminateInstances` with NotResource
  // `arn:aws:ec2:*:*:instance/*` is granted on nothing).
  template <class Of>
  static bool takes_every_resource(const policy::Statement& st, bool everywhere, const Of& of) {
    if (st.resource.negated) return everywhere && !patterns_take_every_type(st, of);
    return everywhere || patterns_take_every_type(st, of);
  }

  // Whether a NotResource leaves some role to iam:PassRole (`*` does).
  bool passes_every_role(const policy::Statement& st) const {
    const catalog::Service* iam = catalog_.find_service("iam");
    const catalog::Action* pass_role = iam != nullptr ? iam->find_action("PassRole") : nullptr;
    if (pass_role == nullptr) return true;
    return takes_every_resource(st, true, [&](std::string_view partition, std::string_view account) {
      return catalog::every_resource_of_action_by_type(*iam, *pass_role, partition, account);
    });
  }

  // Whether, in one partition and account, each type `of(partition, account)` gives has its
  // every resource taken by a pattern: one of that partition and account, or of any (`*`).
  template <class Of>
  static bool patterns_take_every_type(const policy::Statement& st, const Of& of) {
    // The types the patterns of each partition and account take whole; an empty field is `*`.
    std::map<std::pair<std::string, std::string>, std::vector<bool>> taken;
    for (const policy::Text& item : st.resource.items) {
      if (item.value.find_first_of("*?") == std::string::npos) continue;  // one resource
      const std::string text = in_aws_partition(item.value);
      const auto fields = match::split_arn_pattern(text, /*variables=*/false);
      if (!fields) continue;
      // A malformed account (RES002) matches nothing; AWS's own (`arn:aws:iam::aws:policy/*`, the
      // managed policies) holds no account's resources.
      const bool odd_account = !fields->account.empty() && fields->account.find_first_of("*?") == std::string::npos &&
                               !is_account_id(fields->account) && !has_placeholder(fields->account);
      if (odd_account) continue;
      const auto literal = [](const std::string& field) {
        return !field.empty() && field.find_first_of("*?") == std::string::npos;
      };
      const std::string partition = literal(fields->partition) ? fields->partition : "";
      const std::string account = literal(fields->account) ? fields->account : "";
      const std::vector<std::vector<std::string>> types =
          of(partition.empty() ? "aws" : partition, account.empty() ? "111122223333" : account);
      if (types.empty()) return false;  // an action without resource types, or one the catalog lacks
      std::vector<bool>* took = nullptr;
      for (std::size_t type = 0; type < types.size(); ++type) {
        const bool whole = !types[type].empty() && std::ranges::all_of(types[type], [&](const std::string& arn) {
          return match::glob_matches(text, arn, false);
        });
        if (!whole) continue;
        if (took == nullptr) {
          took = &taken[{partition, account}];
          took->resize(types.size());
        }
        (*took)[type] = true;
      }
    }
    // Asked in the partition and account of each pattern that took a type, with the patterns
    // of any partition or account: `instance/*` of one account and `volume/*` of another are
    // not every resource of either.
    for (const auto& [where, types] : taken) {
      const auto& [partition, account] = where;
      const auto took = [&](std::string_view in_partition, std::string_view in_account, std::size_t type) {
        const auto it = taken.find({std::string(in_partition), std::string(in_account)});
        return it != taken.end() && it->second[type];
      };
      bool every_type = true;
      for (std::size_t type = 0; type < types.size() && every_type; ++type) {
        every_type = took(partition, account, type) || took(partition, "", type) || took("", account, type) ||
                     took("", "", type);
      }
      if (every_type) return true;
    }
    return false;
  }

  // An Allow with NotResource grants an action nothing when it leaves out every resource of a
  // type the action requires (`ec2:RunInstances` with NotResource `instance/*`: IAM asks of
  // each resource a request names, and every launch names an instance).
  static bool leaves_out_a_required_type(const policy::Statement& st, const catalog::Service& service,
                                         const catalog::Action& action) {
    return std::ranges::any_of(action.resources, [&](const catalog::ActionResource& taken) {
      const auto type = std::ranges::find(service.resource_types, taken.name, &catalog::ResourceType::name);
      return taken.required && type != service.resource_types.end() &&
             patterns_take_every_type(st, [&](std::string_view partition, std::string_view account) {
               return std::vector<std::vector<std::string>>{
                   catalog::every_resource_of_type(service, *type, partition, account)};
             });
    });
  }

  // A Deny of the policy refuses iam:PassRole, where `st` allows it, to every service it does
  // not name (`StringNotEquals iam:PassedToService ec2.amazonaws.com`), as a condition on `st` would.
  bool passing_denied_but_named(const policy::Statement& st) const {
    static constexpr std::string_view kKeys[] = {"iam:PassedToService"};
    return std::ranges::any_of(
        denies_, [&](const policy::Statement* deny) { return denies_all_but_named(*deny, st, kKeys, "iam:PassRole"); });
  }

  // iam:PassRole on a pattern that takes every role (`arn:aws:iam::*:role/*`) is as open as on
  // `*`: whatever the Action, the roles it may pass are all of them.
  void pass_role_on_every_role(const policy::Statement& st, Span where) {
    if (!covers_action(st, "iam:PassRole") || has_scoping_condition(st, "iam:PassedToService") ||
        admits_no_service(st) || passing_denied_but_named(st)) {
      return;
    }
    const policy::Text* pattern = any_role_pattern(st);
    if (pattern == nullptr) return;
    emit_.emit(rules::kPassRoleOnAnyRole, where, st.action.pointer,
               fmt::format("the statement lets the principal pass any role to any service (`iam:PassRole` on `{}`, "
                           "which takes every role, {}){}",
                           pattern->value, passed_to_service_text(st), mitigation(st, "iam:PassedToService")));
  }

  // iam:CreateServiceLinkedRole for the service-linked roles of any service: NotResource, or a
  // resource pattern that matches the roles of two different services. `*` on `*` and
  // `iam:*` on `*` are reported as the broader grants they are.
  void create_service_linked_role(const policy::Statement& st, Span where, bool iam_everywhere) {
    if (!covers_action(st, "iam:CreateServiceLinkedRole") || has_scoping_condition(st, "iam:AWSServiceName")) return;
    const bool broad = !st.action.negated && std::ranges::any_of(st.action.items, [](const policy::Text& item) {
      return item.value == "*" || iequals(whole_service_of(item.value), "iam");
    });
    if (broad && iam_everywhere) return;
    const auto any_service = [](const policy::Text& item) {
      for (const std::string_view partition : {"aws", "aws-cn", "aws-us-gov"}) {
        const auto role = [&](std::string_view service) {
          return fmt::format("arn:{}:iam::111122223333:role/aws-service-role/{}.amazonaws.com/AWSServiceRoleFor{}",
                             partition, service, service);
        };
        if (match::glob_matches(item.value, role("one"), false) &&
            match::glob_matches(item.value, role("two"), false)) {
          return true;
        }
      }
      return false;
    };
    if (!st.resource.negated && std::ranges::none_of(st.resource.items, any_service)) return;
    emit_.emit(rules::kCreateServiceLinkedRoleAnyService, where, st.action.pointer,
               fmt::format("the statement allows `iam:CreateServiceLinkedRole` for the service-linked roles of any "
                           "service ({}); name the role ARN of the one service, or add an `iam:AWSServiceName` "
                           "condition{}",
                           st.resource.negated ? "`NotResource`" : "a wildcard resource", mitigation(st)));
  }

  // Sensitive actions on `*`, by category. Actions with no resource types can only be
  // granted on `*`, so they are left out.
  // Sensitive actions on `*`, by category, each finding at the first item that grants one of
  // its actions; services granted whole (`whole`) are left to GRT001 and GRT002.
  template <class Whole>
  void sensitive(const policy::Statement& st, const Whole& whole, bool everywhere) {
    std::map<std::string, std::vector<std::string>> found;
    std::map<std::string, const policy::Text*> first_item;
    for (const policy::Text& item : st.action.items) {
      for_each_matching_action(
          catalog_, item.value, [&](const catalog::Service& service, const catalog::Action& action) {
            if (action.resources.empty() || whole(service.prefix)) return;
            const auto note = [&](const std::string& category) { first_item.try_emplace(category, &item); };
            std::string full;
            full.reserve(service.prefix.size() + 1 + action.name.size());
            full.append(service.prefix).append(1, ':').append(action.name);
            const auto listed_in = sensitive_categories_of(full);
            const bool wanted = !listed_in.empty() || manages_permissions(action);
            const auto of_action = [&](std::string_view partition, std::string_view account) {
              return catalog::every_resource_of_action_by_type(service, action, partition, account);
            };
            if (!wanted || !takes_every_resource(st, everywhere, of_action)) return;
            if (st.resource.negated && leaves_out_a_required_type(st, service, action)) return;
            for (const std::size_t category : listed_in) {
              const std::string name(sensitive_categories()[category].name);
              found[name].push_back(full);
              note(name);
            }
            const bool listed = !listed_in.empty();
            // Permissions management from the catalog, unless a sharper category named it.
            if (!listed && manages_permissions(action)) {
              found["permissions-management"].push_back(full);
              note("permissions-management");
            }
          });
    }
    for (auto& [category, actions] : found) {
      std::sort(actions.begin(), actions.end());
      actions.erase(std::unique(actions.begin(), actions.end()), actions.end());
      const policy::Text& at = *first_item.at(category);
      emit_.emit(rules::kSensitiveActionOnAllResources, at.span, at.pointer,
                 fmt::format("{} actions on every resource: {}; name the resources they need{}", category,
                             list_actions(actions), mitigation(st)));
    }
  }

  const catalog::Catalog& catalog_;
  const std::vector<const policy::Statement*> denies_;  // conditional_denies() of the document
  Emitter& emit_;
};

}  // namespace

void check_grants(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  // Only identity policies grant to the principal they are attached to; boundaries and SCPs
  // are ceilings, and in resource policies `*` means the resource itself.
  switch (document.kind) {
    case policy::Kind::identity:
    case policy::Kind::inline_user:
    case policy::Kind::inline_group:
    case policy::Kind::inline_role: break;
    default: return;
  }
  GrantChecker checker(catalog, document, emit);
  for (const policy::Statement& statement : document.statements) checker.statement(statement);
}

}  // namespace grantlint::checks
