#include "checks/statement_scope.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <utility>

#include "base/placeholder.h"
#include "base/strings.h"
#include "match/arn.h"
#include "match/glob.h"

namespace grantlint::checks {

bool pattern_matches_action(std::string_view pattern, std::string_view action) {
  if (pattern == "*") return true;
  const auto colon = pattern.find(':');
  const auto action_colon = action.find(':');
  if (colon == std::string_view::npos || action_colon == std::string_view::npos) return false;
  return iequals(pattern.substr(0, colon), action.substr(0, action_colon)) &&
         match::glob_matches(pattern.substr(colon + 1), action.substr(action_colon + 1), /*fold_case=*/true);
}

bool covers_action(const policy::Statement& statement, std::string_view action) {
  if (!statement.action.present) return false;
  bool listed = false;
  for (const policy::Text& item : statement.action.items) listed = listed || pattern_matches_action(item.value, action);
  return statement.action.negated ? !listed : listed;
}

bool takes_every_arn(std::string_view pattern) {
  if (pattern == "*") return true;
  // Resources of unlike services, Regions and accounts, in the pattern's partition when it
  // names one (a policy acts in its own partition only). A pattern that is no ARN's
  // (`**`, `a*`, `*:*`) may still match them all.
  std::string partition = "aws";
  if (const auto fields = match::split_arn_pattern(pattern, /*variables=*/false)) {
    if (fields->partition.find_first_of("*?") == std::string::npos) partition = fields->partition;
  } else if (pattern.find_first_of("*?") == std::string_view::npos) {
    return false;
  }
  constexpr std::string_view kUnlikeResources[] = {
      "s3:::a", "iam::111122223333:role/a", "ec2:us-east-1:444455556666:instance/Zz-9_q",
      "kms:eu-west-3:111122223333:key/b/c", "lambda:ap-south-1:555566667777:function:m.7"};
  return std::ranges::all_of(kUnlikeResources, [&](std::string_view resource) {
    return match::glob_matches(pattern, fmt::format("arn:{}:{}", partition, resource), false);
  });
}

bool covers_all_resources(const policy::Statement& statement) {
  if (!statement.resource.present) return false;
  const auto every = [](const policy::Text& item) { return takes_every_arn(item.value); };
  // `NotResource` leaves out what it lists: everything, unless it lists everything (`arn:*`).
  if (statement.resource.negated) return std::ranges::none_of(statement.resource.items, every);
  return std::ranges::any_of(statement.resource.items, every);
}

const policy::Text* any_role_pattern(const policy::Statement& statement) {
  if (!statement.resource.present || statement.resource.negated) return nullptr;
  for (const policy::Text& item : statement.resource.items) {
    if (takes_every_arn(item.value)) return &item;
    const auto fields = match::split_arn_pattern(item.value, /*variables=*/false);
    if (!fields) continue;
    // The roles probed are of the pattern's own partition and account when it names them.
    const bool literal_partition = fields->partition.find_first_of("*?") == std::string::npos;
    const bool literal_account = fields->account.find_first_of("*?") == std::string::npos;
    // A malformed account matches nothing (RES002); a template's `${AWS::AccountId}` is one.
    if (literal_account && !is_account_id(fields->account) && !has_placeholder(fields->account)) continue;
    const std::string partition = literal_partition ? fields->partition : "aws";
    const std::string account = literal_account ? fields->account : "111122223333";
    const bool every_role = std::ranges::all_of(kAnyRoleProbes, [&](std::string_view role) {
      return match::glob_matches(item.value, fmt::format("arn:{}:iam::{}:{}", partition, account, role), false);
    });
    if (every_role) return &item;
  }
  return nullptr;
}

std::string condition_keys_text(const policy::Statement& statement, std::string_view besides) {
  std::set<std::string> keys;
  for (const policy::ConditionEntry& entry : statement.conditions) {
    if (besides.empty() || !iequals(entry.key, besides)) keys.insert(entry.key);
  }
  return backticked(keys);
}

namespace {

// `value` of a condition on `key` with its policy variables as what they may be (iam-semantics
// §2.5: the request's own values). The resource owner's account or organization is one value.
// When `key` says who the caller is (`aws:PrincipalOrgID`), any other variable is the caller's
// to choose, as its own tags are: `*`. Otherwise the caller's identity or `key` itself is `*`,
// and what an administrator sets on the principal (a tag) one value. `${*}`, `${?}` and `${$}`
// are those characters, taken literally.
std::string with_variables_resolved(std::string_view key, std::string_view value) {
  static constexpr std::string_view kCallersOwn[] = {
      "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalArn", "aws:userid",
      "aws:username",         "aws:SourceAccount",  "aws:SourceArn",         "aws:SourceOrgID",  "aws:SourceOrgPaths",
      "aws:SourceIp",         "aws:SourceVpc",      "aws:SourceVpce",        "kms:CallerAccount"};
  const auto callers_own = [](std::string_view name) {
    return std::ranges::any_of(kCallersOwn, [&](std::string_view own) { return iequals(name, own); });
  };
  const bool names_the_caller = callers_own(key);
  return replace_braced(value, [&](std::string_view name) -> std::string {
    std::string_view variable = name.substr(0, name.find(','));  // `${aws:username, 'default'}`
    while (!variable.empty() && variable.back() == ' ') variable.remove_suffix(1);
    if (variable == "*" || variable == "?" || variable == "$") return "x";
    if (iequals(variable, "aws:ResourceAccount")) return "111122223333";
    if (iequals(variable, "aws:ResourceOrgID")) return "o-a1b2c3d4e5";
    if (names_the_caller || iequals(variable, key) || callers_own(variable)) return "*";
    return "v";
  });
}

// Whether an `aws:userid` value admits one principal: the text before its first wildcard holds
// a whole unique id (`AROAEXAMPLEID12345678:*`, a role's sessions; `AIDA...`, a user) or an
// account id (the root user's userid, and `111122223333:name` a federated user's). A prefix
// (`AROA*`) is every role session of every account, and `anonymous` every unsigned caller.
bool pins_user_id(std::string_view value) {
  const std::string_view head = value.substr(0, value.find_first_of("*?"));
  const auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  const auto is_id_char = [&](char c) { return is_upper(c) || (c >= '0' && c <= '9'); };
  // Unique ids are four letters that name their kind and 16 or more letters and digits.
  constexpr std::size_t kPrefix = 4;
  constexpr std::size_t kMinimumId = kPrefix + 16;
  const std::string_view id = head.substr(0, head.find(':'));
  if (id.size() >= kMinimumId && std::ranges::all_of(id.substr(0, kPrefix), is_upper) &&
      std::ranges::all_of(id, is_id_char)) {
    return true;
  }
  constexpr std::size_t kAccountDigits = 12;
  return head.size() >= kAccountDigits && is_account_id(head.substr(0, kAccountDigits)) &&
         (head.size() == kAccountDigits || head[kAccountDigits] == ':');
}

// narrows() of a value without policy variables.
bool narrows_resolved(std::string_view key, std::string_view value) {
  if (value.empty() || value.find_first_not_of("*?") == std::string_view::npos) return false;
  // A whole value from a template's function (`!Ref DistributionArn`, `!ImportValue`) is one
  // specific value, known at deployment.
  if (is_placeholder(value)) return true;
  const bool wildcard = value.find_first_of("*?") != std::string_view::npos;
  if (iequals(key, "aws:SourceIp") || iequals(key, "aws:VpcSourceIp")) return !value.ends_with("/0");
  // An encryption context narrows only when it holds the resource's ARN (CloudWatch Logs'
  // `aws:logs:arn`), like aws:SourceArn; other contexts (`department`) name no source.
  constexpr std::string_view kContext = "kms:EncryptionContext:";
  const bool context = istarts_with(key, kContext);
  if (context && !value.starts_with("arn:")) return false;
  if (iequals(key, "aws:PrincipalArn") || iequals(key, "aws:SourceArn") || iequals(key, "aws:SourceVpcArn") ||
      context) {
    // The account field (the fifth) must be written out.
    std::size_t pos = 0;
    for (int field = 0; field < 4 && pos != std::string_view::npos; ++field) pos = value.find(':', pos + (field ? 1 : 0));
    if (pos == std::string_view::npos) return false;
    const auto end = value.find(':', pos + 1);
    const std::string_view account = value.substr(pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1);
    // S3's ARNs have no account (`arn:aws:s3:::bucket`, or `arn:aws:s3:*:*:bucket` as AWS's
    // notification examples write it): a bucket name is unique, so the name written out narrows.
    const bool no_account = account.find_first_not_of("*?") == std::string_view::npos;
    if (no_account && end != std::string_view::npos && value.substr(0, pos).find(":s3:") != std::string_view::npos) {
      const std::string_view name = value.substr(end + 1);
      return !name.empty() && name.find_first_of("*?") == std::string_view::npos;
    }
    return !account.empty() && account.find_first_of("*?") == std::string_view::npos;
  }
  if (iequals(key, "sts:ExternalId")) return true;
  if (iequals(key, "aws:userid")) return pins_user_id(value);
  // An organization path narrows when it names its organization: `o-a1b2c3d4e5/*` is one
  // organization (or `.../ou-.../*` one subtree of it), as AWS writes it; `o-*/*` is any.
  if (iequals(key, "aws:PrincipalOrgPaths") || iequals(key, "aws:SourceOrgPaths") ||
      iequals(key, "aws:ResourceOrgPaths")) {
    const std::string_view organization = value.substr(0, value.find('/'));
    return organization.size() > 2 && organization.starts_with("o-") &&
           organization.find_first_of("*?") == std::string_view::npos && value.find('/') != std::string_view::npos;
  }
  return !wildcard;  // accounts, organizations, VPCs: a wildcard does not narrow
}

}  // namespace

bool narrows(std::string_view key, std::string_view value) {
  if (value.find("${") != std::string_view::npos) return narrows_resolved(key, with_variables_resolved(key, value));
  return narrows_resolved(key, value);
}

bool names_values(const policy::ConditionOperator& op) {
  static constexpr std::string_view kNaming[] = {
      "StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "IpAddress"};
  return std::ranges::find(kNaming, op.base) != std::end(kNaming);
}

bool has_scoping_condition(const policy::Statement& statement, std::string_view key, bool always_present) {
  for (const policy::ConditionEntry& entry : statement.conditions) {
    if (!iequals(entry.key, key)) continue;
    const policy::ConditionOperator& op = entry.op;
    if (!names_values(op) || (op.if_exists && !always_present) || op.set_prefix == "ForAllValues") {
      continue;
    }
    // StringEquals compares `*` and `?` as the characters they are: `o-*` is one literal value.
    const bool literal = istarts_with(op.base, "StringEquals");
    bool scoped = !entry.values.empty();
    for (const policy::Text& value : entry.values) {
      std::string as_compared = value.value;
      if (literal) std::ranges::replace_if(as_compared, [](char c) { return c == '*' || c == '?'; }, 'x');
      scoped = scoped && narrows(key, as_compared);
    }
    if (scoped) return true;
  }
  return false;
}

bool ties_caller_to_owner(const policy::Statement& statement) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kMirrors = {{
      {"aws:ResourceAccount", "${aws:PrincipalAccount}"},
      {"s3:ResourceAccount", "${aws:PrincipalAccount}"},
      {"aws:ResourceOrgID", "${aws:PrincipalOrgID}"},
  }};
  return std::ranges::any_of(statement.conditions, [](const policy::ConditionEntry& entry) {
    const policy::ConditionOperator& op = entry.op;
    // StringLike of a value without wildcards compares as StringEquals does.
    if ((op.base != "StringEquals" && op.base != "StringLike") || op.set_prefix == "ForAllValues" || op.if_exists ||
        entry.values.empty()) {
      return false;
    }
    return std::ranges::any_of(kMirrors, [&](const auto& mirror) {
      const auto is_mirror = [&](const policy::Text& value) { return iequals(value.value, mirror.second); };
      return iequals(entry.key, mirror.first) && std::ranges::all_of(entry.values, is_mirror);
    });
  });
}

bool true_when_absent(const policy::ConditionEntry& entry) {
  const policy::ConditionOperator& op = entry.op;
  if (op.if_exists || op.set_prefix == "ForAllValues") return true;
  if (op.set_prefix == "ForAnyValue") return false;
  return op.negated();
}

namespace {

// Whether pattern `wide` matches everything pattern `narrow` does, when it matches `narrow`'s
// text taken literally: each `*` of `narrow` meets a `*` of `wide`. A `?` of `wide` could meet
// a `*` of `narrow` and take one character of what it stands for: such a pattern is not judged.
bool pattern_covers(std::string_view wide_text, std::string_view narrow_text) {
  const std::string wide = in_aws_partition(wide_text);
  const std::string narrow = in_aws_partition(narrow_text);
  if (wide == narrow || wide == "*") return true;
  if (wide.find('?') != std::string::npos) return false;
  return match::glob_matches(wide, narrow, false);
}

}  // namespace

bool is_public(const policy::Principal& principal) {
  if (!principal.present || principal.negated) return false;
  if (principal.wildcard) return true;
  for (const policy::PrincipalEntry& entry : principal.entries) {
    if (entry.type != "AWS") continue;
    for (const policy::Text& value : entry.values) {
      if (value.value == "*") return true;
    }
  }
  return false;
}

std::vector<const policy::Statement*> conditional_denies(const policy::Document& document) {
  std::vector<const policy::Statement*> out;
  for (const policy::Statement& statement : document.statements) {
    if (out.size() == kMaxDeniesWeighed) break;
    if (statement.effect == policy::Effect::deny && !statement.conditions.empty()) out.push_back(&statement);
  }
  return out;
}

bool denies_all_but_named(const policy::Statement& deny, const policy::Statement& allow,
                          std::span<const std::string_view> keys, std::string_view action) {
  if (deny.effect != policy::Effect::deny || deny.conditions.empty()) return false;
  if (deny.principal.present != allow.principal.present || deny.principal.negated) return false;
  if (deny.principal.present && !is_public(deny.principal)) return false;
  // Every pattern `allow` lists is inside one of `deny`'s (NotAction and NotResource are not judged).
  const auto inside = [](const policy::PatternList& wide, const policy::PatternList& narrow) {
    if (!wide.present || wide.negated || !narrow.present || narrow.negated) return false;
    return std::ranges::all_of(narrow.items, [&](const policy::Text& item) {
      return std::ranges::any_of(wide.items,
                                 [&](const policy::Text& w) { return pattern_covers(w.value, item.value); });
    });
  };
  const auto action_inside = [&] {
    if (!action.empty()) return covers_action(deny, action);
    if (!deny.action.present || deny.action.negated || !allow.action.present || allow.action.negated) return false;
    return std::ranges::all_of(allow.action.items, [&](const policy::Text& item) {
      return std::ranges::any_of(deny.action.items, [&](const policy::Text& w) {
        return iequals(w.value, item.value) || w.value == "*" ||
               (w.value.find('?') == std::string::npos && pattern_matches_action(w.value, item.value));
      });
    });
  };
  const bool resources_inside =
      !allow.resource.present ? !deny.resource.present : inside(deny.resource, allow.resource);
  if (!action_inside() || !resources_inside) return false;
  // Each condition refuses the unnamed: a negated operator (true without the key, so the Deny
  // applies to callers that do not carry it) on one of `keys`, every value narrowing it.
  return std::ranges::all_of(deny.conditions, [&](const policy::ConditionEntry& entry) {
    const bool negated = entry.op.negated();
    const bool known_key = std::ranges::any_of(keys, [&](std::string_view key) { return iequals(entry.key, key); });
    return negated && entry.op.set_prefix.empty() && known_key && !entry.values.empty() &&
           std::ranges::all_of(entry.values,
                               [&](const policy::Text& value) { return narrows(entry.key, value.value); });
  });
}

bool is_iam_identity(std::string_view value) {
  if (is_account_id(value) || is_placeholder(value)) return true;
  return value.starts_with("arn:") && value.find(":iam::") != std::string_view::npos &&
         (value.ends_with(":root") || value.find(":role/") != std::string_view::npos ||
          value.find(":user/") != std::string_view::npos);
}

std::string_view account_of_principal(std::string_view value) {
  if (is_account_id(value)) return value;
  const auto fields = match::split_arn(value);
  if (!fields || ((*fields)[1] != "iam" && (*fields)[1] != "sts") || !is_account_id((*fields)[3])) return {};
  return (*fields)[3];
}

Owner owner_of(const policy::Document& doc) {
  if (!doc.account.empty()) return {doc.account, true};
  std::string_view found;
  for (const policy::Statement& st : doc.statements) {
    if (!st.resource.present || st.resource.negated) continue;
    for (const policy::Text& item : st.resource.items) {
      const auto fields = match::split_arn(item.value);
      if (!fields || (*fields)[3].empty()) continue;
      if (!is_account_id((*fields)[3]) || (!found.empty() && found != (*fields)[3])) return {};
      found = (*fields)[3];
    }
  }
  return {found, false};
}

bool names_the_key(const policy::Statement& st) {
  if (!st.resource.present) return false;
  constexpr std::string_view kKeyArn = "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}";
  const auto fields_of = [](std::string_view item) { return match::split_arn_pattern(item, /*variables=*/true); };
  if (st.resource.negated) {
    return std::ranges::none_of(st.resource.items, [&](const policy::Text& item) {
      if (item.value == "*") return true;
      const auto fields = fields_of(item.value);
      return fields && (fields->service == "kms" || fields->service == "*") &&
             (fields->resource == "*" || fields->resource == "key/*");
    });
  }
  return std::ranges::any_of(st.resource.items, [&](const policy::Text& item) {
    if (item.value == "*" || has_placeholder(item.value)) return true;
    const auto fields = fields_of(item.value);
    return fields && match::arn_pattern_can_match_template(*fields, kKeyArn);
  });
}

}  // namespace grantlint::checks
