#include "account/authz_details.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "account/effective.h"
#include "account/element_prefetch.h"
#include "account/export_keys.h"
#include "account/export_shape.h"
#include "base/strings.h"
#include "base/suggest.h"
#include "base/utf8.h"
#include "eval/principal.h"
#include "json/offset_map.h"
#include "json/pointer.h"
#include "json/skim.h"
#include "json/syntax_check.h"
#include "match/arn.h"
#include "rules/registry.h"

namespace grantlint::account {

namespace {

using json::Node;
using json::Type;

// Export elements are small (IAM's quotas keep a role with its inline policies well under
// 200 KB): one whose brackets do not close within this stretch is broken, unless no next
// element is found within it either (then it is skimmed to its end).
constexpr std::size_t kElementWindow = std::size_t{1} << 20;
// Most elements close within this: one that does not is first checked for a next element
// inside it (a broken one), before the whole window is skimmed.
constexpr std::size_t kNearWindow = std::size_t{64} << 10;

// The members that hold the policy documents the reader takes (their values' depth in an
// element): a role's trust policy, an inline policy's document (in `UserPolicyList` and the
// like), a managed policy version's. Documents elsewhere (a role's instance profiles list
// their roles, trust policies included) are parsed with the element.
constexpr json::OpaqueMember kDocumentKeys[] = {
    {"AssumeRolePolicyDocument", 2}, {"PolicyDocument", 4}, {"Document", 4}};

// The members of each kind of element that carry grants or name what is granted: one of them
// misspelt loses them (ElementReader::misspelt_keys).
constexpr std::string_view kUserKeys[] = {
    "UserName", "Arn", "UserPolicyList", "GroupList", "AttachedManagedPolicies", "PermissionsBoundary"};
constexpr std::string_view kGroupKeys[] = {"GroupName", "Arn", "GroupPolicyList", "AttachedManagedPolicies"};
constexpr std::string_view kRoleKeys[] = {
    "RoleName", "Arn", "RolePolicyList", "AttachedManagedPolicies", "PermissionsBoundary", "AssumeRolePolicyDocument"};
constexpr std::string_view kPolicyKeys[] = {"Arn", "DefaultVersionId", "PolicyVersionList"};

std::string child(const std::string& pointer, std::string_view key) { return json::pointer_append(pointer, key); }
std::string child(const std::string& pointer, std::size_t index) { return element_pointer(pointer, index); }

// Reads one element of a list, already parsed into a Node whose spans are in the file.
class ElementReader {
 public:
  ElementReader(Emitter& emit, Export& out) : emit_(emit), out_(out), source_(emit.source()) {}

  void principal(const Node& node, std::string pointer, PrincipalKind kind, std::string_view list) {
    if (!object(node, pointer, fmt::format("an entry of `{}`", list))) return;
    Principal principal;
    principal.source = source_;
    principal.kind = kind;
    principal.pointer = pointer;
    const std::string_view name_key = kind == PrincipalKind::user    ? "UserName"
                                      : kind == PrincipalKind::group ? "GroupName"
                                                                     : "RoleName";
    principal.name = text(node, name_key, pointer);
    principal.arn = text(node, "Arn", pointer);
    // How messages name it; one without a name (a role's element in `UserDetailList`) says so.
    const std::string named = principal.name.empty() ? fmt::format("the {} without `{}`", kind_name(kind), name_key)
                                                     : fmt::format("{} `{}`", kind_name(kind), principal.name);
    const Node* own_arn = node.find("Arn");
    principal.arn_span = own_arn != nullptr ? own_arn->span : node.span;
    // A user or role is a caller by its ARN: without one, only its policies are checked.
    if (kind != PrincipalKind::group && (own_arn == nullptr || own_arn->is(Type::string))) {
      const std::string_view what = kind == PrincipalKind::user ? "user" : "role";
      const auto not_analysed = [&](std::string problem) {
        shape(principal.arn_span, own_arn != nullptr ? child(pointer, "Arn") : pointer,
              fmt::format("{}: the permissions of {}{} are not analysed (its policies are still checked)", problem,
                          named, kind == PrincipalKind::role ? ", and who can assume it," : ""));
        principal.arn.clear();
      };
      if (own_arn == nullptr) {
        not_analysed("`Arn` is missing");
      } else if (!match::split_arn(principal.arn)) {
        not_analysed(fmt::format("`Arn` `{}` is not an ARN", principal.arn));
      } else if (!names_a(kind, principal.arn)) {
        // The evaluator asks as this caller, in its account: an ARN that names no user or role
        // of an account (`arn:aws:iam::11112222333:user/x`, `...:group/x`) cannot be asked about.
        not_analysed(fmt::format("`Arn` `{}` is not the ARN of a {} (`arn:<partition>:iam::<account>:{}/<name>`)",
                                 principal.arn, what, what));
      }
    }
    misspelt_keys(node, pointer, named,
                  kind == PrincipalKind::user    ? std::span<const std::string_view>(kUserKeys)
                  : kind == PrincipalKind::group ? std::span<const std::string_view>(kGroupKeys)
                                                 : std::span<const std::string_view>(kRoleKeys));
    const std::string_view inline_key = kind == PrincipalKind::user    ? "UserPolicyList"
                                        : kind == PrincipalKind::group ? "GroupPolicyList"
                                                                       : "RolePolicyList";
    for_each(node, inline_key, pointer, [&](const Node& item, const std::string& at) {
      if (!object(item, at, "an inline policy")) return;
      principal.inline_policies.push_back(
          InlinePolicy{text(item, "PolicyName", at), document(item, "PolicyDocument", at)});
    });
    for_each(node, "AttachedManagedPolicies", pointer, [&](const Node& item, const std::string& at) {
      if (!object(item, at, "an attached policy")) return;
      if (const Node* arn = item.find("PolicyArn"); arn != nullptr && arn->is(Type::string)) {
        // IAM attaches a policy to a principal once: a repeat is an edited or joined export,
        // said once and read once (its related "attached by" notes were listed twice).
        const auto first = std::ranges::find(principal.attached, arn->text, &Reference::target);
        if (first != principal.attached.end()) {
          shape(arn->span, child(at, "PolicyArn"),
                fmt::format("`{}` is attached to {} twice (first at `{}`); IAM attaches a policy once, so the export "
                            "was edited or joined: the repeat is ignored",
                            clip_long_text(arn->text), named, first->pointer));
          return;
        }
        principal.attached.push_back(Reference{source_, arn->text, arn->span, child(at, "PolicyArn")});
      } else {
        shape(item.span, at, "an attached policy has no `PolicyArn` string");
      }
    });
    if (kind == PrincipalKind::user) {
      for_each(node, "GroupList", pointer, [&](const Node& item, const std::string& at) {
        if (item.is(Type::string)) {
          // IAM lists a user's group once: a repeat is an edited or joined export (x59 L7).
          const auto first = std::ranges::find(principal.groups, item.text, &Reference::target);
          if (first != principal.groups.end()) {
            shape(item.span, at,
                  fmt::format("`{}` is named twice in the `GroupList` of {} (first at `{}`); IAM lists a group once, "
                              "so the export was edited or joined: the repeat is ignored",
                              clip_long_text(item.text), named, first->pointer));
            return;
          }
          principal.groups.push_back(Reference{source_, item.text, item.span, at});
        } else {
          shape(item.span, at, fmt::format("a group name is a string, not {}", json::type_name(item.type)));
        }
      });
    }
    // A boundary the reader cannot follow would leave the principal analysed without it, as
    // if it could do all its policies allow: said, never passed over.
    if (const Node* boundary = node.find("PermissionsBoundary"); boundary != nullptr) {
      const std::string at = child(pointer, "PermissionsBoundary");
      const Node* arn = boundary->is(Type::object) ? boundary->find("PermissionsBoundaryArn") : nullptr;
      if (arn != nullptr && arn->is(Type::string) && !is_policy_arn(arn->text)) {
        shape(arn->span, child(at, "PermissionsBoundaryArn"),
              fmt::format("`PermissionsBoundaryArn` is {}, not a managed policy's ARN "
                          "(`arn:aws:iam::ACCOUNT:policy/NAME`); the principal is analysed without its boundary",
                          arn->text.empty() ? std::string("empty") : "`" + clip_long_text(arn->text) + "`"));
      } else if (arn != nullptr && arn->is(Type::string)) {
        principal.boundary = Reference{source_, arn->text, arn->span, child(at, "PermissionsBoundaryArn")};
      } else if (!boundary->is(Type::object)) {
        shape(boundary->span, at,
              fmt::format("`PermissionsBoundary` is {}, where the export writes an object with a "
                          "`PermissionsBoundaryArn`; the principal is analysed without its boundary",
                          json::type_name(boundary->type)));
      } else {  // an empty object too: AWS leaves the member out when there is no boundary
        shape(arn != nullptr ? arn->span : boundary->span, at,
              fmt::format("the permissions boundary has no `PermissionsBoundaryArn` string{}; the principal is "
                          "analysed without its boundary",
                          arn != nullptr ? fmt::format(" (it is {})", json::type_name(arn->type)) : ""));
      }
    }
    if (kind == PrincipalKind::role) {
      principal.trust = document(node, "AssumeRolePolicyDocument", pointer);
      const Node* profiles = node.find("InstanceProfileList");
      if (profiles != nullptr && profiles->is(Type::array)) principal.in_instance_profile = !profiles->items.empty();
    }
    out_.principals.push_back(std::move(principal));
  }

  void policy(const Node& node, std::string pointer) {
    if (!object(node, pointer, "an entry of `Policies`")) return;
    ManagedPolicy policy;
    expect_string(node, "PolicyName", pointer);
    policy.arn = text(node, "Arn", pointer);
    policy.source = source_;
    const Node* own_arn = node.find("Arn");
    policy.span = own_arn != nullptr ? own_arn->span : node.span;
    policy.pointer = pointer;
    misspelt_keys(node, pointer, fmt::format("policy `{}`", policy.arn), kPolicyKeys);
    // An `Arn` that is no managed policy's would take the attachments that name it (and, in
    // the `aws` account, pass for AWS's own): said, and the policy named by none (h51 M2).
    if (own_arn != nullptr && own_arn->is(Type::string) && !is_policy_arn(policy.arn)) {
      shape(own_arn->span, child(pointer, "Arn"),
            fmt::format("`Arn` is {}, not a managed policy's ARN (`arn:aws:iam::ACCOUNT:policy/NAME`); no attachment "
                        "is taken to name this policy (its documents are still checked)",
                        policy.arn.empty() ? std::string("empty") : "`" + clip_long_text(policy.arn) + "`"));
      policy.arn.clear();
    }
    const Node* default_id = node.find("DefaultVersionId");
    const std::string default_name = text(node, "DefaultVersionId", pointer);
    std::vector<std::string> version_ids;
    std::vector<std::string> version_at;  // each version's pointer (items that are no object are skipped)
    for_each(node, "PolicyVersionList", pointer, [&](const Node& item, const std::string& at) {
      if (!object(item, at, "a policy version")) return;
      version_ids.push_back(text(item, "VersionId", at));
      version_at.push_back(at);
      PolicyVersion version;
      version.id = version_ids.back();
      const Node* is_default = item.find("IsDefaultVersion");
      if (is_default != nullptr && !is_default->is(Type::boolean)) {
        shape(is_default->span, child(at, "IsDefaultVersion"),
              fmt::format("`IsDefaultVersion` is a boolean, not {}", json::type_name(is_default->type)));
      }
      version.is_default = is_default != nullptr && is_default->is(Type::boolean) && is_default->text == "true";
      if (is_default != nullptr) version.default_flag = is_default->span;
      version.document = document(item, "Document", at);
      policy.versions.push_back(std::move(version));
    });
    mark_default_version(policy, node, pointer, default_id, default_name, version_ids, version_at);
    out_.policies.push_back(std::move(policy));
  }

 private:
  // A member the analysis does not use, checked for its shape all the same.
  void expect_string(const Node& node, std::string_view key, const std::string& pointer) {
    (void)text(node, key, pointer);
  }

  // The version that grants: the one `IsDefaultVersion` marks or, when none is marked (the
  // flag left out or mistyped), the one `DefaultVersionId` names. Of several marked, the one
  // `DefaultVersionId` names, else the first. A policy whose versions are listed and none of
  // them is the default grants nothing here, which is said.
  void mark_default_version(ManagedPolicy& policy, const Node& node, const std::string& pointer,
                            const Node* default_id, const std::string& default_name,
                            const std::vector<std::string>& version_ids, const std::vector<std::string>& version_at) {
    if (policy.versions.empty()) {
      shape(node.span, pointer,
            "the policy lists no versions (`PolicyVersionList`), so its permissions are not analysed; AWS lists "
            "every version, the default among them");
      return;
    }
    const auto named_by_id = [&](std::size_t i) { return !default_name.empty() && version_ids[i] == default_name; };
    std::optional<std::size_t> chosen;
    for (std::size_t i = 0; i < policy.versions.size(); ++i) {
      if (policy.versions[i].is_default && (!chosen || (named_by_id(i) && !named_by_id(*chosen)))) chosen = i;
    }
    if (chosen) {
      for (std::size_t i = 0; i < policy.versions.size(); ++i) {
        PolicyVersion& version = policy.versions[i];
        if (i == *chosen || !version.is_default) continue;
        version.is_default = false;
        version.contested_default = true;
        shape(version.default_flag, child(version_at[i], "IsDefaultVersion"),
              fmt::format("versions `{}` and `{}` are both marked `\"IsDefaultVersion\": true`; `{}` is analysed as "
                          "the default{}, and what `{}` grants is reported too, but not given to its principals",
                          version_ids[*chosen], version_ids[i], version_ids[*chosen],
                          named_by_id(*chosen) ? " (`DefaultVersionId` names it)" : "", version_ids[i]));
      }
      // The flag and the id name different versions (or the id one that is not listed): AWS
      // keeps them one. The flag is followed, and the version the id names may be the one
      // that grants.
      if (!default_name.empty() && !named_by_id(*chosen)) {
        const bool listed = std::ranges::any_of(version_ids, [&](const std::string& id) { return id == default_name; });
        for (std::size_t i = 0; i < policy.versions.size(); ++i) {
          if (named_by_id(i)) policy.versions[i].contested_default = true;
        }
        shape(default_id->span, child(pointer, "DefaultVersionId"),
              listed ? fmt::format("`DefaultVersionId` names `{}`, but `{}` is the version marked "
                                   "`\"IsDefaultVersion\": true`; `{}` is analysed as the default, and what `{}` "
                                   "grants is reported too, but not given to its principals",
                                   default_name, version_ids[*chosen], version_ids[*chosen], default_name)
                     : fmt::format("`DefaultVersionId` names `{}`, which is not listed; `{}`, the version marked "
                                   "`\"IsDefaultVersion\": true`, is analysed as the default",
                                   default_name, version_ids[*chosen]));
      }
      return;
    }
    for (std::size_t i = 0; i < policy.versions.size(); ++i) {
      if (named_by_id(i)) {
        policy.versions[i].is_default = true;
        return;
      }
    }
    const bool typed = default_id != nullptr && default_id->is(Type::string);
    const std::string named = default_id == nullptr ? std::string("there is no `DefaultVersionId`")
                              : !typed              ? std::string("`DefaultVersionId` is not a string")
                              : default_name.empty()
                                  ? std::string("`DefaultVersionId` is empty")
                                  : fmt::format("`DefaultVersionId` names `{}`, which is not listed", default_name);
    shape(default_id != nullptr ? default_id->span : node.span,
          default_id != nullptr ? child(pointer, "DefaultVersionId") : pointer,
          fmt::format("no version of the policy is marked `\"IsDefaultVersion\": true` and {}; the policy's "
                      "permissions are not analysed",
                      named));
  }

  bool object(const Node& node, const std::string& pointer, std::string_view what) {
    if (node.is(Type::object)) return true;
    shape(node.span, pointer, fmt::format("{} must be an object, not {}", what, json::type_name(node.type)));
    return false;
  }

  void shape(Span span, const std::string& pointer, std::string message) {
    emit_.emit(rules::kMalformedExport, span, pointer, std::move(message));
  }

  // A member a typo away from one that carries grants (`UserPolicyLst`, `userPolicyList`)
  // would drop them without a word: said, as a misspelt list of the export is (PageReader).
  // Keys of the AWS CLI's elements are not; a tool's own keys rarely come near. Each check reads
  // a handful of short names; a file's checks are budgeted all the same (a million elements of
  // a hundred odd keys each).
  void misspelt_keys(const Node& node, const std::string& pointer, std::string_view owner,
                     std::span<const std::string_view> keys) {
    for (const json::Member& member : node.members) {
      if (std::ranges::find(kElementMemberKeys, member.key) != kElementMemberKeys.end()) continue;
      if (key_checks_left_ == 0) return;
      --key_checks_left_;
      if (const auto near = closest_match(member.key, keys)) {
        shape(member.key_span, child(pointer, member.key),
              fmt::format("unknown key `{}` in {}: what it holds is not read, so what it grants is not "
                          "analysed{}",
                          clip_long_text(member.key), owner, did_you_mean(near)));
      }
    }
  }

  // Whether `arn` is the ARN of a user (or role) of an account, which the evaluator can ask as.
  static bool names_a(PrincipalKind kind, std::string_view arn) {
    const auto caller = eval::parse_caller(arn);
    if (!caller) return false;
    if (kind == PrincipalKind::user) return caller->kind == eval::CallerKind::user && !caller->user_name.empty();
    // A role's own ARN, not an assumed-role session's.
    return caller->kind == eval::CallerKind::role_session && caller->session_arn.empty() && !caller->role_name.empty();
  }

  std::string text(const Node& node, std::string_view key, const std::string& pointer) {
    const Node* value = node.find(key);
    if (value == nullptr) return {};
    if (!value->is(Type::string)) {
      shape(value->span, child(pointer, key),
            fmt::format("`{}` is a string, not {}", key, json::type_name(value->type)));
      return {};
    }
    return value->text;
  }

  // Every place a document is read from always holds one in what AWS writes: one left out
  // is said, since what it grants would be missing from the analysis.
  DocumentRef document(const Node& node, std::string_view key, const std::string& pointer) {
    const Node* value = node.find(key);
    if (value == nullptr) {
      shape(node.span, pointer, fmt::format("`{}` is missing; what it grants or allows is not analysed", key));
      return {};
    }
    if (!value->is(Type::object) && !value->is(Type::string)) {
      shape(value->span, child(pointer, key),
            fmt::format("`{}` is a policy object or a URL-encoded policy string, not {}", key,
                        json::type_name(value->type)));
      return {};
    }
    return DocumentRef{source_, value->span, child(pointer, key), true};
  }

  template <class Visit>
  void for_each(const Node& node, std::string_view key, const std::string& pointer, Visit visit) {
    const Node* list = node.find(key);
    if (list == nullptr) return;  // empty lists may be left out
    const std::string at = child(pointer, key);
    if (!list->is(Type::array)) {
      shape(list->span, at, fmt::format("`{}` is an array, not {}", key, json::type_name(list->type)));
      return;
    }
    for (std::size_t i = 0; i < list->items.size(); ++i) visit(list->items[i], child(at, i));
  }

  Emitter& emit_;
  Export& out_;
  SourceId source_;
  std::size_t key_checks_left_ = 100'000;  // misspelt_keys, for the file
};

// Reads one parsed element of the list `key` (ElementPrefetch's ReadElement).
void read_element(const Node& node, std::string_view key, const std::string& pointer, Emitter& emit, Export& out) {
  ElementReader elements(emit, out);
  if (key == "Policies") {
    elements.policy(node, pointer);
  } else {
    elements.principal(node, pointer,
                       key == "UserDetailList"    ? PrincipalKind::user
                       : key == "GroupDetailList" ? PrincipalKind::group
                                                  : PrincipalKind::role,
                       key);
  }
}

// Walks the pages of an export by their brackets and strings (json/skim.h), never indexing
// the whole file, and parses each element of the four lists on its own: a broken element is
// reported and the next one is read. A broken element's end, when a stray quote or bracket
// makes the brackets misjudge it, is found from the next element that reads (next_element).
// A hand edit's slips are read past: up to 16 stray bytes before an element or between it and
// its separator, a trailing comma, a stray `]` inside a list. Reading stops, after saying where,
// where the file's own structure (pages, members, list separators) otherwise stops being JSON,
// or where no next element is found after a broken one.
class PageReader {
 public:
  PageReader(const SourceFile& file, json::Parser& parser, Emitter& emit, Export& out, std::size_t parse_ahead_from)
      : file_(file), text_(file.text()), parser_(parser), emit_(emit), out_(out) {
    if (text_.size() >= parse_ahead_from) {
      ahead_ = std::make_unique<ElementPrefetch>(text_, emit_, kDocumentKeys, read_element, kElementWindow);
    }
  }

  // False when the file, read to its end, holds none of the export's keys at its top level
  // (reported): nothing in it is an export's. A file whose reading stopped early is reported
  // where it stopped, and true.
  bool read() {
    if (read_pages() && !saw_export_key_) {
      report_no_export_keys();
      return false;
    }
    report_nested_lists();
    return true;
  }

 private:
  using Step = std::optional<std::size_t>;  // where reading goes on; nullopt once it cannot

  // False when reading stopped before the end of the file (reported).
  bool read_pages() {
    // A byte order mark (an editor's, on Windows) is no part of the export: skipped.
    std::size_t at = json::skip_space(text_, text_.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0);
    if (at == text_.size()) {
      const auto problem = json::find_syntax_error(text_);  // says the file is empty
      if (problem) syntax_error(problem->offset, problem->length, problem->message);
      return false;
    }
    if (const auto key = bare_list_key(text_)) {
      // One of the lists alone (`--query UserDetailList`), or its elements one after the
      // other: read as that list of a page.
      saw_export_key_ = true;
      bare_ = true;
      page_end().page_begin = to_offset(at);
      const Step end = text_[at] == '{' ? read_bare_elements(at, *key) : bare_lists(at, *key, "");
      if (!end) return false;
      at = json::skip_space(text_, *end);
      end_bare_stretch();
    }
    while (at < text_.size()) {
      // Pages saved one by one on Windows and concatenated each start with one.
      if (text_.substr(at).starts_with(kByteOrderMark)) {
        at = json::skip_space(text_, at + kByteOrderMark.size());
        continue;
      }
      if (arrays_of_pages_open_ > 0 && (text_[at] == ',' || text_[at] == ']')) {
        if (text_[at] == ']') --arrays_of_pages_open_;
        at = json::skip_space(text_, at + 1);
        continue;
      }
      if (text_[at] == '[') {
        std::size_t inner = at;
        std::size_t opened = 0;
        while (inner < text_.size() && text_[inner] == '[') {
          inner = json::skip_space(text_, inner + 1);
          ++opened;
        }
        if (const auto key = inner < text_.size() ? element_list_key(text_, inner) : std::nullopt) {
          // A list alone after the pages or another list (`--query` outputs concatenated).
          saw_export_key_ = bare_ = true;
          const Step end = bare_lists(at, *key, "");
          if (!end) return false;
          at = json::skip_space(text_, *end);
          end_bare_stretch();
          continue;
        }
        if (inner < text_.size() &&
            (text_[inner] == ']' || (text_[inner] == '{' && (starts_page(inner) || first_page_)))) {
          arrays_of_pages_open_ += opened;  // pages in arrays (`jq -s`): each is read
          at = inner;
          continue;
        }
      }
      if (text_[at] != '{') {
        const Step next = not_a_page(at);
        if (!next) return false;
        at = json::skip_space(text_, *next);
        continue;
      }
      if (const auto key = element_list_key(text_, at)) {
        // An element after the pages (`jq -c` lines appended to a page): read as one of its list.
        const Step end = read_bare_elements(at, *key);
        if (!end) return false;
        at = *end;
        continue;
      }
      const auto end = page(at);
      if (!end) return false;
      at = json::skip_space(text_, *end);
    }
    if (arrays_of_pages_open_ > 0) {
      // Every page was read; the array around them (`jq -s`) never closes.
      syntax_error(text_.size(), 0,
                   "unexpected end of input: the array of pages is not closed with `]` (the file is cut short?); "
                   "its pages are read");
    }
    return true;
  }

  // A page after a bare list or elements gets a PageEnd of its own, and its lists' elements
  // are of the list that holds them.
  void end_bare_stretch() {
    first_page_ = false;
    page_cut_ = false;
    bare_ = false;
  }

  // An array of the export's lists (`--query '[UserDetailList, RoleDetailList]'`, or `jq -s` of
  // `--query` outputs) at `at`, or one such list: each list is read as its first element says.
  // `depth`: arrays around this one; deeper than bare_list_key looks (a few) is no query's output.
  Step bare_lists(std::size_t at, std::string_view key, const std::string& pointer, int depth = 0) {
    constexpr int kDeepest = 8;
    const std::size_t first = json::skip_space(text_, at + 1);
    if (first >= text_.size() || text_[first] != '[') {
      return list(at, first < text_.size() ? element_list_key(text_, first).value_or(key) : key, pointer);
    }
    if (depth == kDeepest) return expected(first, "an element of the export, not arrays nested this deep");
    std::size_t pos = first;
    for (std::size_t index = 0;; ++index) {
      if (pos >= text_.size() || text_[pos] != '[') return expected(pos, "an array of the export's elements");
      const Step end = bare_lists(pos, key, child(pointer, index), depth + 1);
      if (!end) return end;
      pos = *end;
      const auto more = separator(pos, ']');
      if (!more) return expected(pos, "`,` or `]` after an array element");
      if (!*more) return pos;
    }
  }

  // Elements one after the other, from `at` (a line each, as `jq -c` writes them; a `,` between
  // them is let pass), each of the list its members say (`key` when they do not), up to the end
  // of the file or a page. One that does not read is reported and skipped.
  Step read_bare_elements(std::size_t at, std::string_view key) {
    saw_export_key_ = true;
    for (std::size_t index = 0; at < text_.size(); ++index) {
      if (index > 0 && (text_[at] == '[' || (starts_page(at) && !element_list_key(text_, at)))) return at;
      if (text_[at] != '{') return expected(at, fmt::format("an element of `{}`", key));
      const auto end = json::skim_value(text_, at);
      if (!end) return value_error(at, end.error());
      key = element_list_key(text_, at).value_or(key);
      note_list_named(key);
      // Each is a JSON value of its own: its pointers start at its root, as a page's do.
      if (!element(text_.substr(at, *end - at), key, "", kNoIndex)) {
        page_end().skipped.push_back(Span{to_offset(at), to_offset(*end)});
        broken_.reset();  // each element is its own value: the next is read whatever this one held
      }
      at = json::skip_space(text_, *end);
      if (at < text_.size() && text_[at] == ',') at = json::skip_space(text_, at + 1);
      release_behind(at);
    }
    return at;
  }

  // A member of a page the reader does not know that holds one of the export's lists (a
  // wrapper's copy of an earlier export, say): what it holds is not read, which is said.
  void report_nested_lists() {
    for (const auto& [key, value] : unknown_members_) {
      const std::string_view held = text_.substr(value.begin, value.end - value.begin);
      const std::size_t named = export_list_named(held);
      if (named == std::string_view::npos) continue;
      const std::size_t at = value.begin + named;
      const std::size_t close = text_.find('"', at + 1);
      emit_.emit(rules::kMalformedExport, Span{to_offset(at), to_offset(close + 1)}, child("", key),
                 fmt::format("`{}` inside `{}` is not read: an export's lists are read only at the top level of a "
                             "page, so what it holds is not analysed",
                             text_.substr(at + 1, close - at - 1), key));
    }
  }

  // The file's pages hold only keys of their own (`{"AccountId": …, "Export": {…}}`): the
  // export's lists, if it holds them, are nested where they are not looked for.
  void report_no_export_keys() {
    for (const auto& [key, value] : unknown_members_) {
      if (const auto list = listed_elements(text_, value.begin)) {
        emit_.emit(rules::kMalformedExport, Span{value.begin, value.begin + 1}, child("", key),
                   fmt::format("`{}` holds elements of `{}`, but only the export's own keys are read (a `--query` "
                               "that renames them?), so nothing in this file is analysed; give grantlint the whole "
                               "export, or one list alone (`--query {}`)",
                               key, *list, *list));
        return;
      }
    }
    const std::size_t named = export_list_named(text_);
    if (named == std::string_view::npos) {
      emit_.emit(rules::kMalformedExport, Span{0, 0}, "",
                 "this file holds none of the keys of `aws iam get-account-authorization-details` output "
                 "(`UserDetailList`, `GroupDetailList`, `RoleDetailList`, `Policies`) at its top level, and nothing "
                 "in it is analysed");
      return;
    }
    const std::size_t close = text_.find('"', named + 1);
    const std::string_view list = text_.substr(named + 1, close - named - 1);
    const auto outer = std::ranges::find_if(unknown_members_, [&](const auto& member) {
      return member.second.begin <= named && named < member.second.end;
    });
    emit_.emit(
        rules::kMalformedExport, Span{to_offset(named), to_offset(close + 1)}, "",
        fmt::format("`{}` is not at the top level of the file{}: an export's lists are read only there, so "
                    "nothing in this file is analysed; give grantlint the export itself (with jq, for example)",
                    list,
                    outer == unknown_members_.end() ? std::string() : fmt::format(" but inside `{}`", outer->first)));
  }

  // The page whose `{` is at `at`. Pages concatenated in one file share the pointer space;
  // spans tell them apart.
  static constexpr std::size_t kMaxDuplicatesListed = 1000;

  Step page(std::size_t at) {
    // Each page says whether it ends the export; a file's pages of one account are joined by
    // split_pages_by_account (account/scan.cpp), where the last one has the word.
    if (!out_.page_ends.empty() && out_.page_ends.back().source == emit_.source() && !first_page_) {
      out_.page_ends.push_back(Export::PageEnd{emit_.source(), std::nullopt, std::nullopt, std::nullopt});
    }
    first_page_ = false;
    page_end().page_begin = to_offset(at);
    std::size_t pos = json::skip_space(text_, at + 1);
    if (pos < text_.size() && text_[pos] == '}') return pos + 1;
    std::unordered_map<std::string, Span> keys;  // this page's, for duplicates
    std::size_t duplicates = 0;
    for (bool after_comma = false;; after_comma = true) {
      if (after_comma && pos < text_.size() && text_[pos] == '}') {
        // The page is read whole; the pages after it are read too.
        if (!broken_ && page_ends(pos)) {
          syntax_error(pos, 1, "expected a string key after `,`, found `}` (trailing commas are not JSON)");
          return pos + 1;
        }
        return expected(pos, "a string key after `,`", " (trailing commas are not JSON)");
      }
      if (pos >= text_.size() || text_[pos] != '"') {
        const auto resume = resume_page(pos, "a string key");
        if (!resume) return expected(pos, "a string key");
        if (resume->page_start) return resume->at;
        pos = resume->at;
      }
      auto key_end = json::skim_value(text_, pos);
      if (!key_end) return value_error(pos, key_end.error());
      std::string key = key_text(pos, *key_end);
      if (const std::size_t colon = json::skip_space(text_, *key_end); colon >= text_.size() || text_[colon] != ':') {
        // A stray `"` inside one of the export's keys (`"User"DetailList"`): the key is read
        // as the one it spells, and its value with it.
        if (const auto mended = key_with_stray_quotes(pos)) {
          syntax_error(colon, decode_utf8(text_, colon).length,
                       fmt::format("expected `:` after the key, found {}: a stray `\"` inside the key `{}`, which "
                                   "is read as that key",
                                   json::describe_byte(text_, colon), mended->name));
          key = std::string(mended->name);
          key_end = mended->colon;
        }
      }
      const Span key_span{to_offset(pos), to_offset(*key_end)};
      // Listed up to the number json::Parser lists in a document; the first past it says so.
      if (const auto [first, fresh] = keys.try_emplace(key, key_span); !fresh && ++duplicates <= kMaxDuplicatesListed) {
        emit_.emit(rules::kDuplicateKey, key_span, "",
                   fmt::format("duplicate key `{}` in this page of the export: both are read here, but most JSON "
                               "parsers keep only the last one",
                               key),
                   std::nullopt, {RelatedLocation{emit_.at(first->second), "first defined here"}});
      } else if (!fresh && duplicates == kMaxDuplicatesListed + 1) {
        emit_.emit(rules::kDuplicateKey, key_span, "",
                   fmt::format("more duplicate keys in this page of the export are not listed ({} are); this is the "
                               "first of them",
                               kMaxDuplicatesListed));
      }
      pos = json::skip_space(text_, *key_end);
      if (pos >= text_.size() || text_[pos] != ':') {
        const bool list_follows =
            pos < text_.size() && text_[pos] == '[' && std::ranges::find(kListKeys, key) != kListKeys.end();
        if (list_follows && !broken_) {
          syntax_error(pos, 1,
                       fmt::format("expected `:` after the key, found `[`: `{}` is read as if it were there", key));
        } else if (const auto next = broken_ ? std::nullopt : next_page_start(key_span.begin + 1)) {
          // The page cut off inside a key (`"GroupDe` and then the next page): reading goes on there.
          page_end().skipped.push_back(Span{key_span.begin, to_offset(*next)});
          syntax_error(pos, decode_utf8(text_, pos).length,
                       fmt::format("expected `:` after the key, found {}: reading goes on at {}, at the next page",
                                   json::describe_byte(text_, pos), resume_point(*next)));
          return next;
        } else {
          return expected(pos, "`:` after the key");
        }
      } else {
        pos = json::skip_space(text_, pos + 1);
      }
      const std::string pointer = child("", key);
      const bool export_key = std::ranges::find(kTopLevelKeys, key) != kTopLevelKeys.end();
      saw_export_key_ = saw_export_key_ || export_key;
      // Other keys are skipped (a tool may add its own, as boto3 adds `ResponseMetadata`); one
      // a typo away from the export's own would drop a whole list without a word.
      bool misspelt = false;
      if (std::ranges::find(kTopLevelKeys, key) == kTopLevelKeys.end()) {
        if (const auto near = closest_match(key, kTopLevelKeys)) {
          misspelt = true;
          saw_export_key_ = true;
          emit_.emit(
              rules::kMalformedExport, key_span, pointer,
              fmt::format("unknown key `{}`: what it holds is not read{}", clip_long_text(key), did_you_mean(near)));
        }
      }
      // The page cut off after a key's `:` (`"GroupDetailList":` and then the next page).
      if (!broken_ && pos < text_.size() && text_[pos] == '{' &&
          std::ranges::find(kTopLevelKeys, key) != kTopLevelKeys.end() && starts_page(pos)) {
        syntax_error(pos, 1,
                     fmt::format("expected the value of `{}`, found the `{{` of the next page: this page is cut off "
                                 "here, and reading goes on there",
                                 key));
        return pos;
      }
      if (std::ranges::find(kListKeys, key) != kListKeys.end()) note_list_named(key);
      const Step end =
          std::ranges::find(kListKeys, key) != kListKeys.end() ? list(pos, key, pointer) : member(pos, key);
      if (!end) return std::nullopt;
      if (!export_key && unknown_members_.size() < kUnknownMembersKept) {
        unknown_members_.emplace_back(key, Span{to_offset(pos), to_offset(*end)});
      }
      // What a misspelt list holds is not read, so what it names is not judged missing.
      if (misspelt) page_end().skipped.push_back(Span{to_offset(pos), to_offset(*end)});
      pos = *end;
      if (std::exchange(page_cut_, false)) return pos;
      const auto more = separator(pos, '}');
      if (!more) {
        const auto resume = resume_page(pos, "`,` or `}` after an object member");
        if (!resume) return expected(pos, "`,` or `}` after an object member");
        if (resume->page_start) return resume->at;
        pos = resume->at;
        continue;
      }
      if (!*more) return pos;
    }
  }

  // Where a page goes on after bytes that fit none of its members (`"UserDetailList": [ ] ]`, a
  // list opened twice): at the next of the export's keys that follows a `,`, or at the next
  // page's `{` when that comes first.
  struct PageResume {
    std::size_t at = 0;
    bool page_start = false;
  };

  // Reports the bytes at `at` where `what` should be, and finds where the page goes on: the
  // stretch up to there is skipped. Nullopt when nothing is found within kMaxSkippedMember
  // bytes (the caller stops reading there, and says so). Each search starts past the last one's
  // end, so a file of such slips is read in linear time.
  std::optional<PageResume> resume_page(std::size_t at, std::string_view what) {
    if (broken_ || at >= text_.size()) return std::nullopt;
    const std::size_t limit = std::min(text_.size(), at + kMaxSkippedMember);
    for (std::size_t quote = text_.find('"', at); quote < limit; quote = text_.find('"', quote + 1)) {
      const auto top = export_key_at(quote);
      if (!top) continue;
      std::size_t before = quote;
      while (before > at && is_json_space(text_[before - 1])) --before;
      if (before <= at) continue;
      PageResume resume;
      if (text_[before - 1] == ',') {
        resume.at = quote;
      } else if (text_[before - 1] == '{' && starts_page(before - 1)) {
        resume = PageResume{before - 1, true};
      } else {
        continue;
      }
      page_end().skipped.push_back(Span{to_offset(at), to_offset(resume.at)});
      syntax_error(
          at, decode_utf8(text_, at).length,
          fmt::format("expected {}, found {}: reading goes on at {}, {}", what, json::describe_byte(text_, at),
                      resume_point(resume.at),
                      resume.page_start ? std::string("at the next page") : fmt::format("at `{}`", top->name)));
      return resume;
    }
    return std::nullopt;
  }

  // What follows a member or an element at `pos`: `,` (true, `pos` moved to what comes next)
  // or the closing bracket (false, `pos` moved past it); nullopt, `pos` at the offending byte,
  // when neither does.
  std::optional<bool> separator(std::size_t& pos, char close) const {
    pos = json::skip_space(text_, pos);
    if (pos < text_.size() && text_[pos] == ',') {
      pos = json::skip_space(text_, pos + 1);
      return true;
    }
    if (pos < text_.size() && text_[pos] == close) {
      ++pos;
      return false;
    }
    return std::nullopt;
  }

  Step list(std::size_t at, std::string_view key, const std::string& pointer) {
    // Up to 16 stray bytes before the list's `[` (`"UserDetailList": " [`): reported, and the
    // list read from its `[` when an element of it follows.
    if (const auto bracket = list_after_stray_bytes(at, key)) {
      syntax_error(at, static_cast<std::uint32_t>(*bracket - at),
                   fmt::format("{} before the `[` of `{}` is not JSON; the list is read from its `[`",
                               json::describe_byte(text_, at), key));
      at = *bracket;
    }
    if (at >= text_.size() || text_[at] != '[') {
      const auto end = member(at, key);
      if (end) {
        // An object or array is pointed at by its opening bracket, a scalar as a whole.
        const bool container = text_[at] == '{';
        emit_.emit(rules::kMalformedExport, Span{to_offset(at), to_offset(container ? at + 1 : *end)}, pointer,
                   fmt::format("`{}` must be an array, not {}", key, json::type_name(type_at(at))));
      }
      return end;
    }
    std::size_t pos = json::skip_space(text_, at + 1);
    if (pos < text_.size() && text_[pos] == ']') {
      // `[ ]` and then the list's elements (`[ ] {…} ]`, `[ ], {…} ]`): a stray `]`, as further on.
      const auto next = broken_ ? std::nullopt : element_after_stray_list_end(pos, key);
      if (!next) return pos + 1;
      report_stray_list_end(pos, *next, key);
      pos = *next;
    }
    for (std::size_t index = 0;; ++index) {
      if (index > 0 && pos < text_.size() && text_[pos] == ']' && !broken_) {
        // A hand edit's slips: the list is read whole, and what follows it too.
        if (const auto next = element_after_stray_list_end(pos, key)) {
          report_stray_list_end(pos, *next, key);
          pos = *next;
          continue;
        }
        if (may_end_list(pos)) {
          syntax_error(pos, 1, "expected a value after `,`, found `]` (trailing commas are not JSON)");
          return pos + 1;
        }
      }
      // A `]` right before an element (`, ]{…}`) is a stray byte, as below.
      if (index > 0 && pos < text_.size() && text_[pos] == ']' && (broken_ || !element_after_stray_bytes(pos, key))) {
        return expected(pos, "a value after `,`", " (trailing commas are not JSON)");
      }
      if (pos < text_.size() && !starts_value(text_[pos]) && !broken_) {
        // Up to 16 stray bytes before an element (a byte order mark, a typo) are reported, and
        // the element read; before a broken one, reading goes on at the next that reads.
        if (const auto brace = element_after_stray_bytes(pos, key)) {
          syntax_error(pos, static_cast<std::uint32_t>(*brace - pos),
                       fmt::format("{} before this element is not JSON; the element is read from its `{{`",
                                   json::describe_byte(text_, pos)));
          pos = *brace;
        } else if (const auto resume = next_element(key, pos)) {
          report_stray(pos, *resume, key);
          if (resume->list_end || resume->page_start) return leave_list(*resume);
          pos = resume->at;
          continue;
        }
      }
      if (pos >= text_.size() || !starts_value(text_[pos])) {
        return expected(pos, index == 0 ? "a value or `]`" : "a value");
      }
      if (!broken_ && text_[pos] == '[') pos = into_nested_arrays(pos, key, pointer, index);
      // The next page where an element should start: this page was cut off (after `[` or `,`).
      if (!broken_ && starts_page(pos)) {
        syntax_error(pos, 1,
                     fmt::format("expected an element of `{}`, found the `{{` of the next page: this page is cut off "
                                 "here, and reading goes on there",
                                 key));
        return leave_list(Resume{pos, false, false, true});
      }
      // Elements are skimmed within a window: a broken one with an unclosed bracket would
      // otherwise be skimmed to the end of its list, once per broken element.
      // First within a shorter stretch: a broken element whose quotes pair up with the next
      // ones' (pages each cut inside a string) would otherwise cost the whole window each.
      const std::size_t near_end = std::min(text_.size(), pos + kNearWindow);
      // Skimmed already (within the element window) when the thread ahead took the element.
      const auto skimmed_ahead = ahead_ ? ahead_->end_of(pos) : std::nullopt;
      const auto near = skimmed_ahead && *skimmed_ahead < near_end
                            ? std::expected<std::size_t, std::size_t>(*skimmed_ahead)
                            : json::skim_value(text_.substr(0, near_end), pos);
      if (!near && near.error() == near_end && near_end < text_.size()) {
        if (const auto resume = next_element(key, pos, std::string::npos, near_end); resume) {
          report_broken(pos, *resume);
          if (resume->list_end || resume->page_start) return leave_list(*resume);
          pos = resume->at;
          continue;
        }
      }
      const std::size_t window_end = std::min(text_.size(), pos + kElementWindow);
      // What the shorter stretch decided before its end the window decides alike: skimmed once
      // (each element was skimmed twice), or skimmed already by the thread ahead.
      auto end = (near ? *near : near.error()) < near_end ? near
                 : skimmed_ahead                          ? std::expected<std::size_t, std::size_t>(*skimmed_ahead)
                                                          : skim_in_window(pos);
      if (!end && end.error() == window_end && window_end < text_.size()) {
        if (const auto resume = next_element(key, pos); resume && resume->at < window_end) {
          report_broken(pos, *resume);
          if (resume->list_end || resume->page_start) return leave_list(*resume);
          pos = resume->at;
          continue;
        }
        end = json::skim_value(text_, pos);  // larger than the window, or broken past it
      }
      if (!end) {
        // Brackets that never close: the element is broken, and the next one that reads
        // is where reading goes on, if there is one, however far (an element of 70 MB).
        if (const auto resume = next_element(key, pos, std::string::npos, std::string::npos, std::string::npos)) {
          report_broken(pos, *resume);
          if (resume->list_end || resume->page_start) return leave_list(*resume);
          pos = resume->at;
          continue;
        }
        return value_error(pos, end.error());
      }
      const bool was_broken = broken_.has_value();
      const std::size_t element_start = pos;
      // A bare list's elements each say which list they are of (`jq '[.GroupDetailList[], .UserDetailList[]]'`).
      const std::string_view element_key = bare_ ? element_list_key(text_, pos).value_or(key) : key;
      if (!element(text_.substr(pos, *end - pos), element_key, pointer, index)) {
        // A stray quote or bracket makes the brackets misjudge where a broken element ends:
        // the next element that reads says where it really does.
        const std::size_t after = json::skip_space(text_, *end);
        const std::size_t skimmed_next =
            after < text_.size() && text_[after] == ',' ? json::skip_space(text_, after + 1) : std::string::npos;
        // The skim is believed when another element of the list (with the list's own key) or
        // the list's end follows it: a broken element whose brackets pair up, such as one with
        // a bad literal. Then only an element that reads inside what was skimmed (a stray `{`
        // made the skim swallow it) says otherwise, and a run of such elements is read one by one.
        const bool believed = (skimmed_next != std::string::npos && is_list_element(skimmed_next, key)) ||
                              (after < text_.size() && text_[after] == ']' && may_end_list(after));
        auto resume = next_element(key, pos, believed ? *end : std::string::npos);
        // Two broken elements whose stray quotes pair up are skimmed as one: the second is
        // found by its start, and read (and reported) on its own.
        if (!resume && believed) resume = swallowed_element(key, pos, *end);
        if (resume && resume->at != skimmed_next) {
          const bool skimmed_to_list_end = resume->list_end && json::skip_space(text_, *end) == resume->at;
          if (!skimmed_to_list_end) {
            report_resumed(pos, *resume);
            if (resume->list_end || resume->page_start) return leave_list(*resume);
            pos = resume->at;
            continue;
          }
        }
        // Two in a row whose ends are doubtful: more likely one whose end was misjudged.
        if (was_broken && !believed) return lost_after_broken();
        // Not read, so what it names is not judged missing.
        page_end().skipped.push_back(Span{to_offset(pos), to_offset(*end)});
      }
      pos = *end;
      release_behind(pos);
      // The `]` of arrays of elements nested in the list (into_nested_arrays), innermost first.
      while (!nested_list_ends_.empty() && json::skip_space(text_, pos) == nested_list_ends_.back()) {
        pos = nested_list_ends_.back() + 1;
        nested_list_ends_.pop_back();
      }
      auto more = separator(pos, ']');
      if (!more && !broken_) {
        // Up to 16 stray bytes after an element (`}x,`, a doubled `}`): reported, and the
        // list read on, when its next element or its end follows them.
        if (const auto after = separator_after_stray_bytes(pos, key)) {
          syntax_error(
              pos, static_cast<std::uint32_t>(*after - pos),
              fmt::format("{} after this element is not JSON; the list is read on", json::describe_byte(text_, pos)));
          pos = *after;
          more = separator(pos, ']');
        }
      }
      if (!more && !broken_) {
        if (const auto resume = after_missing_separator(pos, key, element_start)) {
          if (resume->list_end || resume->page_start) return leave_list(*resume);
          pos = resume->at;
          continue;
        }
      }
      if (!more) return expected(pos, "`,` or `]` after an array element");
      if (!*more) {
        const std::size_t close = pos - 1;
        if (const auto next = broken_ ? std::nullopt : element_after_stray_list_end(close, key)) {
          report_stray_list_end(close, *next, key);
          pos = *next;
          continue;
        }
        return pos;
      }
    }
  }

  // Where the list goes on after a `]` at `at` that does not end it: another of its elements
  // follows, after a `,` or not, or in a list opened again (`{…}, ], {…}`, `{…} ] {…}`, `{…} ], [{…}`),
  // and no export key does.
  std::optional<std::size_t> element_after_stray_list_end(std::size_t at, std::string_view key) {
    if (may_end_list(at)) return std::nullopt;
    std::size_t next = json::skip_space(text_, at + 1);
    // `]}`: the list and its page closed, and the list's elements go on (`{…}]}\n{…}`).
    if (next < text_.size() && text_[next] == '}') next = json::skip_space(text_, next + 1);
    if (next < text_.size() && text_[next] == ',') next = json::skip_space(text_, next + 1);
    // The list closed and opened again (`[ ], [ {…} ]`): its elements go on in the second one.
    if (next < text_.size() && text_[next] == '[') next = json::skip_space(text_, next + 1);
    return !starts_page(next) && recovers_at_list_element(next, key) ? std::optional(next) : std::nullopt;
  }

  void report_stray_list_end(std::size_t at, std::size_t next, std::string_view key) {
    const std::size_t after = json::skip_space(text_, at + 1);
    const bool page_end_too = after < next && text_[after] == '}';
    syntax_error(at, static_cast<std::uint32_t>(page_end_too ? after + 1 - at : 1),
                 fmt::format("{} inside `{}`, whose elements go on after it: reading goes on at {}",
                             page_end_too ? "a `]` and a `}`" : "a `]`", key, resume_point(next)));
  }

  // Where reading goes on after the broken element at `broken`: at the next element of the
  // list (the first `{` after a `},` from which an element with the list's own key, such as
  // `UserName`, reads and is followed by `,` or `]`), or after the list's `]` when that comes
  // first (a `]` followed by the page's `}` or by `,` and another of the export's keys).
  // Looked for within a bounded stretch of the file.
  struct Resume {
    std::size_t at = 0;
    bool list_end = false;
    bool broken_too = false;  // an element that does not read either (swallowed_element)
    bool page_start = false;  // the next page's `{`: the broken element's page was cut off
  };

  // Where the list reader returns to its page after a resume at its list's end (past the `]`)
  // or at the next page (at its `{`: the page returns there, cut off).
  std::size_t leave_list(const Resume& resume) {
    if (!resume.page_start) return resume.at + 1;
    page_cut_ = true;
    return resume.at;
  }

  // Where the list goes on when an element is followed by neither `,` nor `]` (at `at`):
  // - a `,` left out between two elements (`} {`): the next one, when it reads as an element
  //   of the list followed by `,`, `]` or the `{` of another (a run of them);
  // - the next page's `{` (the page cut off after an element): there, the list and page ended;
  // - anything else (an element whose `{` was lost leaves `"UserName": …`): the next element
  //   that reads, or the list's end; the stretch from `at` to it is skipped.
  // Each is one error; the skims are charged to the file's candidate budget, so a file of such
  // slips before brackets that never close costs no more than broken elements do.
  // `element`: where the element before starts. One read as a string (`",{"UserName": …`: a
  // stray quote opened a string that took the element's `{`) is searched too, from its
  // second byte, so that the element it swallowed is read.
  std::optional<Resume> after_missing_separator(std::size_t at, std::string_view key, std::size_t element) {
    if (at >= text_.size()) return std::nullopt;
    const auto found = [&](std::string_view what) {
      return fmt::format("expected `,` or `]` after an element of `{}`, found {}", key, what);
    };
    if (starts_page(at)) {
      syntax_error(at, 1, found("the `{` of the next page: this page is cut off here, and reading goes on there"));
      return Resume{at, false, false, true};
    }
    // A `}` where the list's `]` goes, the page's next key after it: read as the list's end.
    if (text_[at] == '}' && ends_list(at)) {
      syntax_error(at, 1, found("`}`: it is read as the end of the list, and reading goes on after it"));
      return Resume{at, true};
    }
    if (text_[at] == '{') {
      const auto end = skim_candidate(at);
      if (end && holds_list_element(at, *end, key, true)) {
        syntax_error(at, 1, found("the next element's `{`: a `,` is missing, and the element is read"));
        return Resume{at, false};
      }
    }
    // Stray bytes and no `,` before the next element (`}x\n{…}`, a doubled `}`): the element
    // is read, in a run of such slips too.
    if (const auto brace = element_after_stray_bytes_in_run(at, key)) {
      syntax_error(at, static_cast<std::uint32_t>(*brace - at),
                   found(fmt::format("{}: it is not JSON, a `,` is missing after it, and the next element is read",
                                     json::describe_byte(text_, at))));
      return Resume{*brace, false};
    }
    const std::size_t from = text_[element] == '"' ? element : at;
    const auto resume = next_element(key, from);
    if (!resume) return std::nullopt;
    report_skipped(at, *resume,
                   found(text_[at] == '{' ? "`{`, which opens nothing that reads as an element of the list"
                                          : json::describe_byte(text_, at)));
    return resume;
  }

  // Whether a page starts at `at`: a `{` whose first key is one of the export's own, or a
  // tool's own followed by one of the export's lists (below). Where a
  // value goes (after `:`, `[` or `,`: a page cut off between tokens) only one of the export's
  // lists with its `[` will do, not an object nested in an element such as a condition on a key
  // named `Marker`.
  bool starts_page(std::size_t at) const {
    std::size_t before = at;
    while (before > 0 && is_json_space(text_[before - 1])) --before;
    const bool where_a_value_goes =
        before > 0 && std::string_view(":[,").find(text_[before - 1]) != std::string_view::npos;
    const std::size_t first = json::skip_space(text_, at + 1);
    const auto key = export_key_at(first);
    if (!key) {
      // A page whose first key is a tool's own (boto3's `ResponseMetadata`, a wrapper's
      // `AccountId`): a `{` that starts a line, or follows a `}` with nothing between, is a
      // value of the file's top level (never one nested in a pretty or minified element).
      // An element's first key (elements one per line) is none of those.
      const bool top_level = at == 0 || text_[at - 1] == '\n' || (before > 0 && text_[before - 1] == '}');
      if (!top_level || first >= text_.size() || text_[first] != '"' || candidate_bytes_left_ == 0) return false;
      const std::size_t close = text_.find('"', first + 1);
      const std::string_view first_key =
          text_.substr(first + 1, close == std::string_view::npos ? 0 : close - first - 1);
      if (std::ranges::find(kElementMemberKeys, first_key) != kElementMemberKeys.end()) return false;
      // A tool's members before the export's lists are small: looked for within a few KB, the
      // skim charged to the file's candidates (a `{` at the start of every line costs no more).
      constexpr std::size_t kToolMembers = std::size_t{4} << 10;
      candidate_bytes_left_ -= std::min(candidate_bytes_left_, std::min(kToolMembers, text_.size() - at));
      return holds_export_list(text_, at, kToolMembers);
    }
    if (!where_a_value_goes) return true;
    const std::size_t value = json::skip_space(text_, key->colon + 1);
    return key->name.ends_with("List") || key->name == "Policies" ? value < text_.size() && text_[value] == '[' : false;
  }

  // The first `{` from `from` on that starts a page (starts_page), if any.
  std::optional<std::size_t> next_page_start(std::size_t from) const {
    for (std::size_t brace = text_.find('{', from); brace != std::string_view::npos;
         brace = text_.find('{', brace + 1)) {
      if (starts_page(brace)) return brace;
    }
    return std::nullopt;
  }

  // One of the export's keys, written plainly, whose `"` is at `at` and which a `:` follows.
  struct ExportKey {
    std::string_view name;
    std::size_t colon = 0;
  };
  std::optional<ExportKey> export_key_at(std::size_t at) const {
    if (at >= text_.size() || text_[at] != '"') return std::nullopt;
    const std::string_view rest = text_.substr(at + 1);
    for (const std::string_view name : kTopLevelKeys) {
      if (!rest.starts_with(name) || !rest.substr(name.size()).starts_with("\"")) continue;
      const std::size_t colon = json::skip_space(text_, at + name.size() + 2);
      if (colon < text_.size() && text_[colon] == ':') return ExportKey{name, colon};
    }
    return std::nullopt;
  }

  // Where the `[` at `at` (one or more, before an element of the list) leaves reading: at the
  // element inside. Each `[` is an array of elements nested in the list when it closes before
  // the list does (ACC001: its elements are read as the list's, whatever the depth, and its `]`
  // is noted), and a stray byte otherwise (`, [{…}, {…}]`, or `[[{…}` opening the list twice:
  // were it read as an array, it would hold every element up to the list's `]`).
  std::size_t into_nested_arrays(std::size_t at, std::string_view key, const std::string& pointer, std::size_t index) {
    constexpr int kDeepest = 64;  // deeper is no export's slip: read as an element (and reported)
    std::vector<std::size_t> opens;
    std::size_t inner = at;
    while (inner < text_.size() && text_[inner] == '[' && opens.size() < kDeepest) {
      opens.push_back(inner);
      inner = json::skip_space(text_, inner + 1);
    }
    if (!recovers_at_list_element(inner, key)) return at;
    std::size_t nested = 0;
    for (const std::size_t open : opens) {
      if (const auto close = closes_inside_list(open)) {
        nested_list_ends_.push_back(*close);
        ++nested;
      } else if (index == 0 && open == at) {
        syntax_error(open, 1,
                     fmt::format("a second `[` opens `{}`: it is not JSON, and the list's elements are read", key));
      } else {
        syntax_error(open, 1,
                     fmt::format("a stray `[` before an element of `{}`: it is not JSON, and the elements after it "
                                 "are read as the list's",
                                 key));
      }
    }
    if (nested > 0) {
      emit_.emit(rules::kMalformedExport, Span{to_offset(at), to_offset(at + 1)}, child(pointer, index),
                 fmt::format("an entry of `{}` is an array of its elements{}, not an element: the elements in it are "
                             "read as the list's",
                             key, nested > 1 ? fmt::format(" nested {} deep", nested) : std::string()));
    }
    return inner;
  }

  // Where the `]` of the array at `at` is when it closes before its list does: `]` or `,` and
  // another element or array follow it (its `]` is its own), not the page's next member (it
  // took the list's `]`). The skim is charged to the file's candidates: a stray `[` before each
  // of many elements would otherwise skim the window once each.
  std::optional<std::size_t> closes_inside_list(std::size_t at) {
    const auto end = skim_candidate(at);
    if (!end) return std::nullopt;
    std::size_t after = json::skip_space(text_, *end);
    bool inside = after < text_.size() && text_[after] == ']';
    if (!inside && after < text_.size() && text_[after] == ',') {
      after = json::skip_space(text_, after + 1);
      inside = after < text_.size() && (text_[after] == '{' || text_[after] == '[');
    }
    return inside ? std::optional(*end - 1) : std::nullopt;
  }

  std::optional<ExportKey> key_with_stray_quotes(std::size_t at) const {
    std::size_t colon = 0;
    const auto name = key_spelt_past_quotes(text_, at, colon);
    return name ? std::optional(ExportKey{*name, colon}) : std::nullopt;
  }

  // Gives back the memory of what has been read, every few tens of megabytes, when the file
  // is mapped (the model holds what it needs; findings read their lines again when printed).
  void release_behind(std::size_t at) {
    constexpr std::size_t kReleaseEvery = 64u << 20;
    if (at - released_ < kReleaseEvery) return;
    file_.release(released_, at);
    released_ = at;
  }
  static std::string_view identity_key(std::string_view key) {
    return key == "UserDetailList"    ? "UserName"
           : key == "GroupDetailList" ? "GroupName"
           : key == "RoleDetailList"  ? "RoleName"
                                      : "PolicyVersionList";
  }

  // Where the value at `at` ends, by its brackets and quotes, looked for within an element's
  // window (json::skim_value's error when it does not end there).
  [[nodiscard]] std::expected<std::size_t, std::size_t> skim_in_window(std::size_t at) const {
    return json::skim_value(text_.substr(0, std::min(text_.size(), at + kElementWindow)), at);
  }

  // Whether an element of the list `key` starts at `at`: a `{` whose brackets close within
  // the element window, followed by `,` or `]`, holding the list's own key.
  bool is_list_element(std::size_t at, std::string_view key) const {
    if (at >= text_.size() || text_[at] != '{') return false;
    return holds_list_element(at, skim_in_window(at), key);
  }

  // is_list_element for a recovery from stray bytes: the skim is charged to what the file's
  // candidates may skim, so that thousands of slips each before brackets that never close cost
  // no more than broken elements do.
  bool recovers_at_list_element(std::size_t at, std::string_view key, bool in_run = false) {
    if (at >= text_.size() || text_[at] != '{') return false;
    const auto end = skim_candidate(at);
    return end && holds_list_element(at, *end, key, in_run);
  }

  // `in_run`: another element's `{` may follow too, or stray bytes and then a separator or
  // another element (a run of elements without commas, or with typos for them).
  bool holds_list_element(std::size_t at, std::expected<std::size_t, std::size_t> end, std::string_view key,
                          bool in_run = false) const {
    if (!end) return false;
    const std::size_t after = json::skip_space(text_, *end);
    if (after >= text_.size()) return false;
    if (text_[after] != ',' && text_[after] != ']' && !(in_run && separator_after_stray(after))) return false;
    const std::string quoted = fmt::format("\"{}\"", identity_key(key));
    return text_.substr(at, *end - at).find(quoted) != std::string_view::npos;
  }

  // `until`: look no further than this, inside an element whose brackets pair up (npos: as far
  // as the limits below allow); `within`: look no further than this for any resume; `distance`:
  // how far past `broken` to look at most (npos where reading would stop otherwise: then the
  // stretch searched is skipped or never read, so the file is searched once in all).
  static constexpr std::size_t kMaxDistance = std::size_t{64} << 20;
  std::optional<Resume> next_element(std::string_view key, std::size_t broken, std::size_t until = std::string::npos,
                                     std::size_t within = std::string::npos, std::size_t distance = kMaxDistance) {
    const std::string_view identity = identity_key(key);
    constexpr std::size_t kMaxCandidates = 4096;
    const std::size_t limit =
        std::min({text_.size(), distance >= text_.size() - broken ? text_.size() : broken + distance, until, within});
    const std::string_view window = text_.substr(0, limit);
    std::size_t tried = 0;
    // Past the candidates' budget only the list's end is looked for (a `]` costs no parse).
    for (std::size_t at = window.find_first_of("{]", broken + 1); at != std::string_view::npos;
         at = window.find_first_of(tried < kMaxCandidates ? "{]" : "]", at + 1)) {
      if (text_[at] == ']') {
        if (may_end_list(at)) return Resume{at, true};
        continue;
      }
      // A page cut off inside this element: the next one starts with its own `{` (not after a comma).
      // Not looked for inside an element whose brackets pair up (`until`), nor where a value
      // goes (an object nested in the element, such as a condition on a key named `Marker`).
      if (until == std::string::npos && starts_page(at)) return Resume{at, false, false, true};
      // A candidate follows a comma. What precedes the comma is the broken element's last
      // byte, which need not be its `}`: one cut off after `"X":[` ends in `[`.
      std::size_t back = at;
      while (back > broken && is_json_space(text_[back - 1])) --back;
      if (back == broken || text_[back - 1] != ',') continue;
      ++tried;
      // Runs of broken elements each try thousands of candidates: what they skim in all is
      // bounded per file, past which only the list's end is looked for.
      const auto end = skim_candidate(at);
      if (!end) {
        if (candidate_bytes_left_ == 0) tried = kMaxCandidates;
        continue;
      }
      // An element is followed by the next one or by the end of its list; an object nested in
      // the broken element (a role in an instance profile's `Roles`, one in `Tags`) is followed
      // by its own list's `]` or its parent's `}`.
      const std::size_t after = json::skip_space(text_, *end);
      if (after >= text_.size()) continue;
      if (text_[after] == ']' ? !may_end_list(after) : !another_element_follows(after, identity)) continue;
      DiagnosticSink quiet;
      Emitter trial(quiet, emit_.source());
      const auto node = parser_.parse(text_.substr(at, *end - at), json::OffsetMap::shifted(to_offset(at)), trial);
      if (node && node->is(Type::object) && node->find(identity) != nullptr) return Resume{at, false};
    }
    return std::nullopt;
  }

  // Where the candidate element at `at` ends, skimmed within the element window and charged
  // to what the file's candidates may skim; nullopt when it does not end there or nothing is
  // left to skim.
  std::optional<std::size_t> skim_candidate(std::size_t at) {
    if (candidate_bytes_left_ == 0) return std::nullopt;
    const auto end = skim_in_window(at);
    const std::size_t skimmed = (end ? *end : std::min(end.error(), text_.size())) - at;
    candidate_bytes_left_ -= std::min(candidate_bytes_left_, skimmed);
    if (!end) return std::nullopt;
    return *end;
  }

  // The first element inside the skim of the broken element at `broken` (which ends at
  // `until`) when the skim swallowed it: a `{` after `},` that holds the list's own key near
  // its start and is broken too, or whose brackets pair up and which another element or the
  // list's end follows (an object nested in the broken element is followed by its own list's
  // `]`). One that reads is next_element's.
  std::optional<Resume> swallowed_element(std::string_view key, std::size_t broken, std::size_t until) {
    const std::string quoted = fmt::format("\"{}\"", identity_key(key));
    constexpr std::size_t kNear = 4096;
    constexpr std::size_t kMaxCandidates = 4096;
    const auto skip_back = [&](std::size_t at) {
      while (at > broken && is_json_space(text_[at - 1])) --at;
      return at;
    };
    std::size_t tried = 0;
    for (std::size_t at = text_.find('{', broken + 1); at < until && tried < kMaxCandidates;
         at = text_.find('{', at + 1)) {
      const std::size_t comma = skip_back(at);
      if (comma == broken || text_[comma - 1] != ',') continue;
      const std::size_t close = skip_back(comma - 1);
      if (close == broken || text_[close - 1] != '}') continue;
      if (text_.substr(at, std::min(kNear, until - at)).find(quoted) == std::string_view::npos) continue;
      ++tried;
      if (candidate_bytes_left_ == 0) return std::nullopt;
      // One whose brackets pair up holds the key itself (not a later element near it), and is
      // followed as an element is.
      if (const auto end = skim_candidate(at)) {
        if (text_.substr(at, *end - at).find(quoted) == std::string_view::npos) continue;
        const std::size_t after = json::skip_space(text_, *end);
        if (after >= text_.size()) continue;
        if (text_[after] == ']' ? !may_end_list(after) : !another_element_follows(after, identity_key(key))) continue;
      }
      return Resume{at, false, true};
    }
    return std::nullopt;
  }

  // Whether a `,` at `at` is followed by another element of the list: an object that names
  // the list's key (`identity`, quoted), whether or not it is broken. An object nested in a list
  // of the broken element (a tag after a user in `Tags`) does not.
  bool another_element_follows(std::size_t at, std::string_view identity) const {
    if (text_[at] != ',') return false;
    std::size_t next = json::skip_space(text_, at + 1);
    // Up to kMaxStrayBytes stray bytes before it (`,\n",{…}`: a stray quote), with no `:` or
    // bracket among them (a member of an object nested in the broken element has its `:`).
    for (std::size_t i = next; i < text_.size() && i <= next + kMaxStrayBytes; ++i) {
      if (text_[i] == '{') {
        next = i;
        break;
      }
      if (std::string_view(":[]}").find(text_[i]) != std::string_view::npos) break;
    }
    if (next >= text_.size() || text_[next] != '{') return false;
    // Within the object when its brackets pair up; near its start when it is broken too.
    constexpr std::size_t kNear = 4096;
    const auto end = skim_in_window(next);
    const std::string_view object = text_.substr(next, end ? *end - next : kNear);
    return object.find(fmt::format("\"{}\"", identity)) != std::string_view::npos;
  }

  // Whether the `]` at `at` may close one of the export's lists: `ends_list`, or the members
  // after it lead to one of the export's keys or to the page's end before any key an element
  // holds (a tool may add keys at the top, as boto3 adds `ResponseMetadata`).
  bool may_end_list(std::size_t at) const {
    if (ends_list(at)) return true;
    constexpr int kMaxMembers = 8;
    std::size_t pos = json::skip_space(text_, at + 1);
    for (int member = 0; member < kMaxMembers; ++member) {
      if (pos >= text_.size() || text_[pos] != ',') return false;
      pos = json::skip_space(text_, pos + 1);
      if (pos >= text_.size() || text_[pos] != '"') return false;
      const std::size_t close = text_.find('"', pos + 1);
      if (close == std::string_view::npos) return false;
      const std::string_view key = text_.substr(pos + 1, close - pos - 1);
      if (std::ranges::find(kTopLevelKeys, key) != std::end(kTopLevelKeys)) return true;
      if (std::ranges::find(kElementMemberKeys, key) != std::end(kElementMemberKeys)) return false;
      pos = json::skip_space(text_, close + 1);
      if (pos >= text_.size() || text_[pos] != ':') return false;
      pos = json::skip_space(text_, pos + 1);
      const auto value_end = skim_in_window(pos);
      if (!value_end) return false;
      // A member a tool adds to a page holds no principal or policy: one that does is a
      // member of a broken element (`"Tags": [], "X": [, {"UserName": …`), whose `]` this is.
      if (holds_export_element(text_.substr(pos, *value_end - pos))) return false;
      pos = json::skip_space(text_, *value_end);
      if (pos < text_.size() && text_[pos] == '}') return page_ends(pos);
    }
    return false;
  }

  // Whether `text` names the identity (identity_key) of an element of one of the export's lists.
  static bool holds_export_element(std::string_view text) {
    static const std::array<std::string, kListKeys.size()> kQuoted = [] {
      std::array<std::string, kListKeys.size()> quoted;
      for (std::size_t i = 0; i < kListKeys.size(); ++i) quoted[i] = fmt::format("\"{}\"", identity_key(kListKeys[i]));
      return quoted;
    }();
    return std::ranges::any_of(kQuoted,
                               [&](const std::string& key) { return text.find(key) != std::string_view::npos; });
  }

  // Whether the `}` at `at` may end a page: the file ends after it, or another page starts
  // with a key that no element holds (a stray `{` after an element's `}` is followed by what
  // the element held, or by the `}` of a stray `{}`).
  bool page_ends(std::size_t at) const {
    std::size_t next = json::skip_space(text_, at + 1);
    // Pages saved one by one on Windows each start with a byte order mark (read() skips them).
    while (text_.substr(next).starts_with(kByteOrderMark)) next = json::skip_space(text_, next + kByteOrderMark.size());
    if (next == text_.size()) return true;
    if (text_[next] != '{') return false;
    const std::size_t first = json::skip_space(text_, next + 1);
    if (first >= text_.size() || text_[first] != '"') return false;
    const std::size_t close = text_.find('"', first + 1);
    if (close == std::string_view::npos) return false;
    const std::string_view key = text_.substr(first + 1, close - first - 1);
    const std::size_t colon = json::skip_space(text_, close + 1);
    return colon < text_.size() && text_[colon] == ':' &&
           std::ranges::find(kElementMemberKeys, key) == std::end(kElementMemberKeys);
  }

  // Whether the `]` at `at` closes one of the export's lists: `,` and another of its keys
  // follow, or the page's `}` and then the end of the file or the next page.
  bool ends_list(std::size_t at) const {
    std::size_t next = json::skip_space(text_, at + 1);
    if (next < text_.size() && text_[next] == '}') return page_ends(next);
    if (next >= text_.size() || text_[next] != ',') return false;
    next = json::skip_space(text_, next + 1);
    if (next >= text_.size() || text_[next] != '"') return false;
    const std::string_view rest = text_.substr(next + 1);
    return std::ranges::any_of(kTopLevelKeys, [&](std::string_view top) {
      return rest.starts_with(top) && rest.substr(top.size()).starts_with("\"");
    });
  }

  // Bytes that start no element where one should (a stray `,` or `}`, text): one error, and
  // reading goes on at the next element that reads or after the list's end.
  void report_stray(std::size_t at, const Resume& resume, std::string_view key) {
    report_skipped(at, resume,
                   fmt::format("expected an element of `{}`, found {}", key, json::describe_byte(text_, at)));
  }

  // The stretch from the byte at `at` to where reading goes on is skipped: one error, `what`
  // was wrong there, and where reading goes on.
  void report_skipped(std::size_t at, const Resume& resume, const std::string& what) {
    skip_to(at, resume);
    syntax_error(at, decode_utf8(text_, at).length,
                 fmt::format("{}: reading goes on at {}, {}", what, resume_point(resume.at),
                             resume.list_end     ? "after the list's end"
                             : resume.page_start ? "at the next page"
                                                 : "at the next element that reads"));
  }

  // An element whose brackets never close (its own error reported here) is skipped.
  void report_broken(std::size_t at, const Resume& resume) {
    const auto problem = json::find_syntax_error(text_.substr(at, resume.at - at));
    if (problem && !problem->trailing) {
      // Checked alone, the element "ends" where the next thing read starts; the file does not.
      constexpr std::string_view kEnd = "unexpected end of input";
      std::string message = problem->message;
      if (at + problem->offset >= resume.at && message.starts_with(kEnd)) {
        message =
            fmt::format("the element before is not closed where {} starts", resume.list_end     ? "its list's end"
                                                                            : resume.page_start ? "the next page"
                                                                                                : "the next element");
      }
      syntax_error(at + problem->offset, problem->length, std::move(message));
    }
    report_resumed(at, resume);
  }

  // The stretch from the broken element at `at` to where reading goes on is not read (it
  // counts as one element in the JSON pointers after it), and what it names is not judged
  // missing.
  void report_resumed(std::size_t at, const Resume& resume) {
    skip_to(at, resume);
    syntax_error(at, 1,
                 fmt::format("this broken element's quotes or brackets do not pair up, so where it ends is judged "
                             "from {}: reading goes on at {}",
                             resume.list_end     ? "the end of its list"
                             : resume.page_start ? "the start of the next page, its own cut off"
                             : resume.broken_too ? "the start of the next element, broken too"
                                                 : "the next element that reads",
                             resume_point(resume.at)));
  }

  void skip_to(std::size_t at, const Resume& resume) {
    // Reading may go on before `at`, inside a string element that swallowed the next one.
    page_end().skipped.push_back(Span{to_offset(std::min(at, resume.at)), to_offset(resume.at)});
    broken_.reset();
  }

  // A member the reader does not take apart: IsTruncated, Marker, or one it does not know.
  Step member(std::size_t at, std::string_view key) {
    const auto end = json::skim_value(text_, at);
    if (!end) return value_error(at, end.error());
    const std::string_view token = text_.substr(at, *end - at);
    if (const auto problem = json::find_syntax_error(token)) {
      // Its extent is known: reported, and reading goes on after it.
      syntax_error(at + problem->offset, problem->length, problem->message);
      return *end;
    }
    const Span span{to_offset(at), to_offset(*end)};
    if (key == "IsTruncated" && token != "true" && token != "false") {
      emit_.emit(
          rules::kMalformedExport, span, child("", key),
          fmt::format("`IsTruncated` is `true` or `false`, not {}, and is not read", json::type_name(type_at(at))));
    }
    if (key == "IsTruncated" && token == "true") page_end().truncated = span;
    if (key == "Marker") page_end().marker = span;
    return *end;
  }

  // Parses and reads element `index` of the list `key` at `list` (kNoIndex: an element of no
  // list, at `list`); false when it does not parse (reported).
  bool element(std::string_view raw, std::string_view key, const std::string& list, std::size_t index) {
    const auto begin = static_cast<std::size_t>(raw.data() - text_.data());
    bool parsed = false;
    if (auto read = ahead_ ? ahead_->take(begin, begin + raw.size(), key, list, index) : std::nullopt) {
      for (Diagnostic& found : read->found) emit_.replay(std::move(found));
      parsed = read->parsed;
      std::ranges::move(read->element.principals, std::back_inserter(out_.principals));
      std::ranges::move(read->element.policies, std::back_inserter(out_.policies));
    } else {
      // Policy documents are parsed on their own when analysed: here only where they are.
      const auto node = parser_.parse(raw, json::OffsetMap::shifted(to_offset(begin)), emit_, kDocumentKeys,
                                      json::ParseUnit::element);
      parsed = node.has_value();
      if (node) read_element(*node, key, element_pointer(list, index), emit_, out_);
    }
    if (!parsed) {
      if (!broken_) broken_ = begin;
      return false;
    }
    broken_.reset();
    if (bare_) note_list_named(key);
    return true;
  }

  void note_list_named(std::string_view key) {
    const auto index = std::ranges::find(kListKeys, key) - kListKeys.begin();
    page_end().lists_named = static_cast<std::uint8_t>(page_end().lists_named | (1u << index));
  }

  // A key as written, unescaped and checked when it holds escapes or bytes outside ASCII.
  std::string key_text(std::size_t begin, std::size_t end) {
    const std::string_view token = text_.substr(begin, end - begin);
    const bool plain = std::all_of(token.begin(), token.end(), [](char c) {
      const auto byte = static_cast<unsigned char>(c);
      return byte >= 0x20 && byte < 0x80 && c != '\\';
    });
    if (plain) return std::string(token.substr(1, token.size() - 2));
    const auto node = parser_.parse(token, json::OffsetMap::shifted(to_offset(begin)), emit_);
    return node ? node->text : std::string();
  }

  Export::PageEnd& page_end() {
    if (out_.page_ends.empty() || out_.page_ends.back().source != emit_.source()) {
      out_.page_ends.push_back(Export::PageEnd{emit_.source(), std::nullopt, std::nullopt, std::nullopt});
    }
    return out_.page_ends.back();
  }

  // The value at `at` did not end where its brackets said: the strict checker says where and why.
  std::nullopt_t value_error(std::size_t at, std::size_t stopped) {
    if (broken_) return lost_after_broken();
    if (at >= text_.size()) return expected(at, "a value");
    stopped_at(at);
    const auto problem = json::find_syntax_error(text_.substr(at));
    if (problem && !problem->trailing) {
      syntax_error(at + problem->offset, problem->length,
                   fmt::format("{}{}", problem->message, not_read_past(at + problem->offset)));
    } else {
      syntax_error(
          stopped, 1,
          fmt::format("{} closes nothing that is open{}", json::describe_byte(text_, stopped), not_read_past(stopped)));
    }
    return std::nullopt;
  }

  std::nullopt_t expected(std::size_t at, std::string_view what, std::string_view why = "") {
    if (broken_) return lost_after_broken();
    stopped_at(at);
    if (at >= text_.size()) {
      syntax_error(at, 0, fmt::format("unexpected end of input: expected {}", what));
    } else {
      syntax_error(
          at, decode_utf8(text_, at).length,
          fmt::format("expected {}, found {}{}{}", what, json::describe_byte(text_, at), why, not_read_past(at)));
    }
    return std::nullopt;
  }

  // Reading stops at the broken element that started a run of them: its end was likely
  // misjudged (a stray quote or bracket), so nothing after it can be trusted to be where the
  // brackets say.
  std::nullopt_t lost_after_broken() {
    stopped_at(*broken_);
    syntax_error(*broken_, 1,
                 "the export is not read past this broken element: its quotes or brackets may not pair up, so "
                 "where the next element starts is unknown, and what follows it in the file is not analysed");
    return std::nullopt;
  }

  // Where reading goes on, for a message: its line, and its column too unless it starts the
  // line (an export written on one line has a single line for every element).
  std::string resume_point(std::size_t at) const {
    const LineColumn where = file_.lines().locate(to_offset(at));
    std::size_t before = at;
    while (before > 0 && (text_[before - 1] == ' ' || text_[before - 1] == '\t')) --before;
    const bool starts_line = before == 0 || text_[before - 1] == '\n' || text_[before - 1] == '\r';
    if (starts_line) return fmt::format("line {}", where.line);
    return fmt::format("line {}, column {}", where.line, where.column);
  }

  // References to what lies past here are not judged missing (ACC003, ACC004).
  void stopped_at(std::size_t at) { page_end().unread_from = Span{to_offset(at), to_offset(at)}; }

  std::string_view not_read_past(std::size_t at) const {
    return at < text_.size() ? "; the export is not read past here" : "";
  }

  // Where the element after stray bytes at `at` starts: a `{` a few bytes on, with no `[`,
  // `,`, `"` or `:` between (a stray `]` or `}` is one of them), from which an element of
  // the list reads.
  std::optional<std::size_t> element_after_stray_bytes(std::size_t at, std::string_view key) {
    const auto brace = past_stray_bytes(at, at, '{', "[,\":");
    return brace && recovers_at_list_element(*brace, key) ? brace : std::nullopt;
  }

  // The first `target` from `from` on, at most kMaxStrayBytes past `at`, with none of `stops`
  // before it: where the JSON goes on after a few stray bytes at `at`.
  std::optional<std::size_t> past_stray_bytes(std::size_t at, std::size_t from, char target,
                                              std::string_view stops) const {
    for (std::size_t i = from; i < text_.size() && i <= at + kMaxStrayBytes; ++i) {
      if (text_[i] == target) return i;
      if (stops.find(text_[i]) != std::string_view::npos) return std::nullopt;
    }
    return std::nullopt;
  }

  // Where the separator after stray bytes at `at` (after an element) is: a `,` a few bytes on
  // followed by an element of the list (after stray bytes too: `}x,y{`, which the list reads
  // as it reads `},y{`), or a `]` that may end it, with no `{`, `[`, `"` or `:` between.
  std::optional<std::size_t> separator_after_stray_bytes(std::size_t at, std::string_view key) {
    for (std::size_t i = at; i < text_.size() && i <= at + kMaxStrayBytes; ++i) {
      if (text_[i] == ',') {
        return element_after_stray_bytes(json::skip_space(text_, i + 1), key) ? std::optional(i) : std::nullopt;
      }
      if (text_[i] == ']') {
        if (may_end_list(i)) return i;
        continue;  // a stray `]` among them
      }
      if (std::string_view("{[\":").find(text_[i]) != std::string_view::npos) return std::nullopt;
    }
    return std::nullopt;
  }
  // Where the `[` of the list `key` is after stray bytes at `at` (where its value starts): a `[`
  // a few bytes on, with no bracket, `,` or `:` between, that an element of the list follows.
  std::optional<std::size_t> list_after_stray_bytes(std::size_t at, std::string_view key) {
    if (broken_ || at >= text_.size() || (starts_value(text_[at]) && text_[at] != '"')) return std::nullopt;
    const auto bracket = past_stray_bytes(at, at + 1, '[', "{]},:");
    return bracket && recovers_at_list_element(json::skip_space(text_, *bracket + 1), key) ? bracket : std::nullopt;
  }

  // Where the element after stray bytes at `at` (after an element, with no `,`) starts: a `{`
  // a few bytes on, with no `,` or bracket but a `}` between, from which an element of the list
  // reads that a separator or another element follows.
  std::optional<std::size_t> element_after_stray_bytes_in_run(std::size_t at, std::string_view key) {
    const auto brace = past_stray_bytes(at, at + 1, '{', "[],");
    return brace && recovers_at_list_element(*brace, key, true) ? brace : std::nullopt;
  }

  // Whether what follows an element at `at` (not a `,` or `]`) is, a few bytes on, a `,`, a `]`
  // that may end the list, or the `{` of an element that is no page's.
  bool separator_after_stray(std::size_t at) const {
    for (std::size_t i = at; i < text_.size() && i <= at + kMaxStrayBytes; ++i) {
      if (text_[i] == ',') return i > at;
      if (text_[i] == '{') return !starts_page(i);
      if (text_[i] == ']') return i > at && may_end_list(i);
      if (text_[i] == '[') return false;
    }
    return false;
  }
  static constexpr std::size_t kMaxStrayBytes = 16;
  // How far past bytes that fit no member of a page its next member is looked for (resume_page).
  static constexpr std::size_t kMaxSkippedMember = std::size_t{1} << 20;

  // Whether a JSON value can start with `c`: a comment, a byte order mark or a stray byte
  // cannot.
  static bool starts_value(char c) {
    return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
  }

  // Something other than an object where a page should start: a syntax error, after which the
  // export is not read, or JSON of the wrong shape, which is reported and read past (where the
  // next page starts, if one does).
  Step not_a_page(std::size_t at) {
    if (broken_) {
      lost_after_broken();
      return std::nullopt;
    }
    const auto problem = json::find_syntax_error(text_.substr(at));
    if (problem && !problem->trailing) {
      const std::size_t error = at + problem->offset;
      // Bytes between concatenated pages (a `,` or a line of a shell's output) lose no page
      // after them: reading goes on at the next one, and the stretch names what it held.
      // The next page, or a list or elements alone (`--query` output after a line of a shell's).
      auto next = next_page_start(at + 1);
      std::string_view what = "the next page";
      // Charged to the file's candidates: a file of many such stretches looks this far for each.
      const std::size_t looked = std::min(text_.size() - at, std::size_t{1} << 20);
      const bool may_look = candidate_bytes_left_ > 0;
      candidate_bytes_left_ -= std::min(candidate_bytes_left_, looked);
      if (const auto bare = may_look ? bare_list_after(text_, at + 1) : std::nullopt;
          bare && (!next || *bare < *next)) {
        next = bare;
        what = "the export's elements";
      }
      if (next) {
        page_end().skipped.push_back(Span{to_offset(at), to_offset(*next)});
        syntax_error(error, problem->length,
                     fmt::format("{}: reading goes on at {}, at {}", problem->message, resume_point(*next), what));
        return next;
      }
      stopped_at(at);
      syntax_error(error, problem->length, fmt::format("{}{}", problem->message, not_read_past(error)));
      return std::nullopt;
    }
    std::size_t end = problem ? at + problem->offset : text_.size();
    while (end > at && is_json_space(text_[end - 1])) --end;
    emit_.emit(
        rules::kMalformedExport, Span{to_offset(at), to_offset(end)}, "",
        fmt::format("a page of the export must be an object, not {}; it is not read", json::type_name(type_at(at))));
    return end;
  }

  void syntax_error(std::size_t at, std::uint32_t length, std::string message) {
    emit_.emit(rules::kInvalidJson, Span{to_offset(at), to_offset(at) + length}, "", std::move(message));
  }

  // The type of the (valid) value at `at`, from its first byte.
  Type type_at(std::size_t at) const {
    switch (at < text_.size() ? text_[at] : '\0') {
      case '{': return Type::object;
      case '[': return Type::array;
      case '"': return Type::string;
      case 't':
      case 'f': return Type::boolean;
      case 'n': return Type::null;
      default: return Type::number;
    }
  }

  static std::uint32_t to_offset(std::size_t offset) { return static_cast<std::uint32_t>(offset); }
  static std::uint32_t to_offset(std::ptrdiff_t offset) { return static_cast<std::uint32_t>(offset); }

  const SourceFile& file_;
  std::string_view text_;
  std::unique_ptr<ElementPrefetch> ahead_;  // parses elements on another thread; null for a small file
  std::optional<std::size_t> broken_;  // where the latest run of broken elements starts
  // What next_element's candidates may skim in all: a few times the file, and never less than
  // a run of broken elements needs in an export of ordinary size.
  // Mutable: starts_page, a question, charges its skims too.
  mutable std::size_t candidate_bytes_left_ = (std::size_t{256} << 20) + 8 * text_.size();
  std::size_t released_ = 0;           // text before this was given back (release_behind)
  json::Parser& parser_;
  Emitter& emit_;
  Export& out_;
  bool saw_export_key_ = false;  // one of kTopLevelKeys (or a misspelling) at a page's top level, or a bare list
  bool bare_ = false;            // the file is one of the lists alone, or lists in an array: no pages
  // Members of the pages that are none of the export's (their key and value), for the message
  // of a file that holds no export key at its top level.
  static constexpr std::size_t kUnknownMembersKept = 16;
  std::vector<std::pair<std::string, Span>> unknown_members_;
  bool page_cut_ = false;   // a list ended at the next page's `{`: its page ends there
  bool first_page_ = true;  // the PageEnd made before the first page (for errors) is its own
  std::vector<std::size_t> nested_list_ends_;   // the `]` of arrays of elements inside a list, innermost last
  std::size_t arrays_of_pages_open_ = 0;        // the pages are an array's elements (`jq -s` joined them), this deep
};

}  // namespace

bool read_authorization_details(const SourceFile& file, json::Parser& parser, Emitter& emit, Export& out,
                                std::size_t parse_ahead_from) {
  const bool holds_export = PageReader(file, parser, emit, out, parse_ahead_from).read();
  file.release();  // read again, a document at a time, when analysed
  return holds_export;
}

}  // namespace grantlint::account
