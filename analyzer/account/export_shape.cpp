#include "account/export_shape.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "account/export_keys.h"
#include "base/strings.h"
#include "base/utf8.h"
#include "json/offset_map.h"
#include "json/skim.h"

namespace grantlint::account {

namespace {

// A first key written with escapes is decoded to be recognised; one longer than this is none of them.
constexpr std::size_t kLongestKeyToken = 256;
// How far into an array of elements its first element's id member is looked for.
constexpr std::size_t kFirstElementWindow = std::size_t{64} << 10;

// Where the text's first JSON value starts, past byte order marks and white space.
std::size_t first_value(std::string_view text) {
  std::size_t at = 0;
  // A mark per editor that saved it (the reader skips each, as between pages).
  while (text.substr(at).starts_with(kByteOrderMark)) at += kByteOrderMark.size();
  return json::skip_space(text, at);
}

// A member of an object: its key as written, and where its value starts.
struct Member {
  std::string_view key;
  std::size_t value = 0;
};

// The members of the object whose `{` is at `brace`, as far as their values end within `window`
// bytes of the text (a member whose value runs past is the last listed).
std::vector<Member> members(std::string_view text, std::size_t brace, std::size_t window) {
  const std::string_view head = text.substr(0, std::min(text.size(), brace + window));
  std::vector<Member> out;
  for (std::size_t pos = json::skip_space(head, brace + 1); pos < head.size() && head[pos] == '"';) {
    const auto key_end = json::skim_value(head, pos);
    if (!key_end) break;
    const std::string_view key = head.substr(pos + 1, *key_end - pos - 2);
    const std::size_t colon = json::skip_space(head, *key_end);
    if (colon >= head.size() || head[colon] != ':') {
      out.push_back({key, std::string_view::npos});
      break;
    }
    const std::size_t value = json::skip_space(head, colon + 1);
    out.push_back({key, value});
    const auto value_end = json::skim_value(head, value);
    if (!value_end) break;
    pos = json::skip_space(head, *value_end);
    if (pos >= head.size() || head[pos] != ',') break;
    pos = json::skip_space(head, pos + 1);
  }
  return out;
}

// Keys at the top level of a policy, a CloudFormation template or a Terraform plan, which an
// export never holds there: such a file is never taken for an export because one of its values
// (a template's `Metadata`, a plan's variable, a policy's extra key) holds an export's list.
constexpr std::string_view kOtherFilesKeys[] = {"Statement",       "AWSTemplateFormatVersion", "Resources",
                                                "format_version",  "terraform_version",        "planned_values",
                                                "resource_changes"};

bool is_other_files_key(std::string_view key) {
  return std::ranges::find(kOtherFilesKeys, key) != std::end(kOtherFilesKeys);
}

// Whether a text that is not JSON from its first byte is a YAML CloudFormation template (a
// comment in it may quote an export).
bool is_yaml_template(std::string_view text) {
  const std::string_view head = text.substr(0, std::size_t{1} << 20);
  for (const std::string_view key : {"AWSTemplateFormatVersion:", "Resources:"}) {
    for (std::size_t at = head.find(key); at != std::string_view::npos; at = head.find(key, at + 1)) {
      if (at == 0 || head[at - 1] == '\n') return true;
    }
  }
  return false;
}

// Where the `"` of the text's first key is (npos when it does not open an object with one).
std::size_t first_key_quote(std::string_view text) {
  const std::size_t brace = first_value(text);
  if (brace >= text.size() || text[brace] != '{') return std::string_view::npos;
  const std::size_t quote = json::skip_space(text, brace + 1);
  return quote < text.size() && text[quote] == '"' ? quote : std::string_view::npos;
}

// Whether the first key is one of the export's as JSON reads it (`"\u0055serDetailList"`), or
// spells one past stray quotes.
bool first_key_is_export_key(std::string_view text) {
  const std::size_t quote = first_key_quote(text);
  if (quote == std::string_view::npos) return false;
  const std::size_t close = text.find('"', quote + 1);
  if (close == std::string_view::npos) return false;
  std::string_view key = text.substr(quote + 1, close - quote - 1);
  std::string decoded;
  if (key.find('\\') != std::string_view::npos) {
    const auto end = json::skim_value(text.substr(0, std::min(text.size(), quote + kLongestKeyToken)), quote);
    if (!end) return false;
    decoded = json::decode_json_string(text.substr(quote, *end - quote), 0).text;
    key = decoded;
  }
  std::size_t colon = 0;
  return std::ranges::find(kTopLevelKeys, key) != std::end(kTopLevelKeys) ||
         key_spelt_past_quotes(text, quote, colon).has_value();
}

}  // namespace

// Where `"UserDetailList": [` (or the groups' or roles' list) is named in the text (npos when it
// is not): an export whose first key is another (boto3's `ResponseMetadata`, a wrapper's
// `AccountId`), which a line of a shell's output, an empty `{}` or `jq -s`'s `[` comes before,
// or whose first key has a stray byte. These keys name nothing else, so a policy file never
// holds one. The ends are looked at first (where the name is when a file holds it); the rest
// only when neither names it.
std::size_t export_list_named(std::string_view text) {
  constexpr std::size_t kLookedAt = std::size_t{1} << 20;
  const auto named_in = [](std::string_view part) {
    std::size_t earliest = std::string_view::npos;
    for (const std::string_view name : kListKeys) {
      if (name == "Policies") continue;  // a CloudFormation role's member too
      const std::string quoted = fmt::format("\"{}\"", name);
      for (std::size_t at = part.find(quoted); at < earliest; at = part.find(quoted, at + 1)) {
        std::size_t colon = json::skip_space(part, at + quoted.size());
        if (colon >= part.size() || part[colon] != ':') continue;
        const std::size_t value = json::skip_space(part, colon + 1);
        if (value < part.size() && part[value] == '[') {
          earliest = at;
          break;
        }
      }
    }
    return earliest;
  };
  if (text.size() <= 2 * kLookedAt) return named_in(text);
  if (const std::size_t head = named_in(text.substr(0, kLookedAt)); head != std::string_view::npos) return head;
  const std::size_t tail_begin = text.size() - kLookedAt;
  if (const std::size_t tail = named_in(text.substr(tail_begin)); tail != std::string_view::npos) {
    return tail_begin + tail;
  }
  // Between the ends (a shell's output or a wrapper's first value over a MB before the export),
  // overlapping each by a key's length so that none is missed where they meet.
  constexpr std::size_t kOverlap = 64;
  const std::size_t middle_begin = kLookedAt - kOverlap;
  const std::size_t middle = named_in(text.substr(middle_begin, tail_begin + kOverlap - middle_begin));
  return middle == std::string_view::npos ? middle : middle_begin + middle;
}

std::optional<std::string_view> element_list_key(std::string_view text, std::size_t brace) {
  // What an element of each list always holds beside its id: `aws iam list-users`, `get-user`,
  // `list-roles` and `list-policies` write the same first members, and none of these.
  constexpr std::string_view kExportOnlyMembers[] = {
      "UserPolicyList",          "GroupList",        "GroupPolicyList", "RolePolicyList", "InstanceProfileList",
      "AttachedManagedPolicies", "PolicyVersionList"};
  constexpr std::pair<std::string_view, std::string_view> kIdKeys[] = {{"UserId", "UserDetailList"},
                                                                       {"GroupId", "GroupDetailList"},
                                                                       {"RoleId", "RoleDetailList"},
                                                                       {"DefaultVersionId", "Policies"}};
  const std::vector<Member> keys = members(text, brace, kFirstElementWindow);
  if (keys.empty() || std::ranges::find(kElementMemberKeys, keys.front().key) == kElementMemberKeys.end()) {
    return std::nullopt;
  }
  std::optional<std::string_view> list;
  bool holds_export_member = false;
  for (const auto& [key, value] : keys) {
    if (is_other_files_key(key)) return std::nullopt;
    holds_export_member =
        holds_export_member || std::ranges::find(kExportOnlyMembers, key) != std::end(kExportOnlyMembers);
    for (const auto& [id, name] : kIdKeys) {
      if (key == id && !list) list = name;
    }
  }
  return holds_export_member ? list : std::nullopt;
}

bool holds_export_list(std::string_view text, std::size_t brace, std::size_t window) {
  return std::ranges::any_of(members(text, brace, window), [&](const Member& member) {
    return std::ranges::find(kListKeys, member.key) != std::end(kListKeys) && member.value < text.size() &&
           text[member.value] == '[';
  });
}

namespace {

// The list whose elements the value at `at` is or holds: an element, or one inside up to
// `arrays` arrays (`--query '[UserDetailList, RoleDetailList]'`, and `jq -s` of such outputs,
// nest the lists in arrays).
std::optional<std::string_view> elements_at(std::string_view text, std::size_t at, int arrays) {
  for (int depth = 0; depth < arrays && at < text.size() && text[at] == '['; ++depth)
    at = json::skip_space(text, at + 1);
  return at < text.size() && text[at] == '{' ? element_list_key(text, at) : std::nullopt;
}

constexpr int kArraysLookedThrough = 4;

}  // namespace

std::optional<std::string_view> bare_list_key(std::string_view text) {
  return elements_at(text, first_value(text), kArraysLookedThrough);
}

// The export key spelt by the bytes from the `"` at `at` to the next `:` once the quotes among
// them are left out (`"User"DetailList"`, `"UserDetailList""`), and where that `:` is: a few
// stray quotes at most, and nothing else between.
std::optional<std::string_view> key_spelt_past_quotes(std::string_view text, std::size_t at, std::size_t& colon) {
  constexpr std::size_t kLongestKey = 16;
  constexpr std::size_t kStrayQuotes = 4;
  // Looked for within the longest key and its stray quotes only: the reader asks at every key.
  const std::size_t found = text.substr(0, std::min(text.size(), at + kLongestKey + kStrayQuotes + 1)).find(':', at);
  if (found == std::string_view::npos) return std::nullopt;
  colon = found;
  std::string spelt;
  for (const char c : text.substr(at, colon - at)) {
    if (c != '"' && !is_json_space(c)) spelt += c;
  }
  const auto known = std::ranges::find(kTopLevelKeys, spelt);
  return known == kTopLevelKeys.end() ? std::nullopt : std::optional(*known);
}

std::optional<std::string_view> listed_elements(std::string_view text, std::size_t at) {
  return at < text.size() && text[at] == '[' ? elements_at(text, at, 1) : std::nullopt;
}

std::optional<std::size_t> bare_list_after(std::string_view text, std::size_t from) {
  constexpr std::size_t kLooked = std::size_t{1} << 20;
  constexpr int kCandidates = 64;  // lines that open a value, each skimmed up to kFirstElementWindow
  const std::size_t end = std::min(text.size(), from + kLooked);
  int candidates = 0;
  for (std::size_t line = from; line < end && candidates < kCandidates;) {
    std::size_t at = line;
    while (at < end && (text[at] == ' ' || text[at] == '\t')) ++at;
    if (at < end && (text[at] == '[' || text[at] == '{')) {
      ++candidates;
      if (elements_at(text, at, kArraysLookedThrough)) return at;
    }
    const std::size_t newline = text.find('\n', at);
    if (newline == std::string_view::npos) break;
    line = newline + 1;
  }
  return std::nullopt;
}

bool looks_like_authorization_details(std::string_view text) {
  const std::size_t start = first_value(text);
  if (start >= text.size()) return false;
  if (text[start] == '{') {
    // The top level's keys, as far as the first MB goes (an export's first list runs past it).
    const std::vector<Member> keys = members(text, start, std::size_t{1} << 20);
    if (std::ranges::any_of(keys, [](const Member& member) { return is_other_files_key(member.key); })) return false;
    for (const auto& [key, value] : keys) {
      const bool names_a_list = std::ranges::find(kListKeys, key) != std::end(kListKeys);
      if (names_a_list && value < text.size() && text[value] == '[') return true;
      // Elements of the export under a key of a query's own (`--query '{Users: UserDetailList}'`):
      // the reader says they are not read.
      if (listed_elements(text, value)) return true;
    }
    if (first_key_is_export_key(text)) return true;
  } else if (text[start] != '[' && is_yaml_template(text)) {
    return false;
  }
  return export_list_named(text) != std::string_view::npos || bare_list_key(text).has_value() ||
         bare_list_after(text, 0).has_value();
}

std::optional<std::size_t> export_cut_in_first_key(std::string_view text) {
  const std::size_t quote = first_key_quote(text);
  if (quote == std::string_view::npos || text.find('"', quote + 1) != std::string_view::npos) return std::nullopt;
  const std::string_view held = text.substr(quote + 1);
  const bool begins_a_key =
      std::ranges::any_of(kTopLevelKeys, [&](std::string_view key) { return key.starts_with(held); });
  return begins_a_key ? std::optional(quote) : std::nullopt;
}

}  // namespace grantlint::account
