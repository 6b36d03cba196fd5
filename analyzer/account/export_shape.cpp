#include "account/export_shape.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

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

// Where the `"` of the text's first key is (npos when it does not open an object with one).
std::size_t first_key_quote(std::string_view text) {
  std::size_t at = 0;
  // A mark per editor that saved it (the reader skips each, as between pages).
  while (text.substr(at).starts_with(kByteOrderMark)) at += kByteOrderMark.size();
  const auto brace = text.find_first_not_of(kJsonSpace, at);
  if (brace == std::string_view::npos || text[brace] != '{') return std::string_view::npos;
  const auto quote = text.find_first_not_of(kJsonSpace, brace + 1);
  return quote != std::string_view::npos && text[quote] == '"' ? quote : std::string_view::npos;
}

// Whether `"UserDetailList": [` (or the groups' or roles' list) is near either end of the text:
// an export whose first key is another (boto3's `ResponseMetadata`, a wrapper's `AccountId`),
// which a line of a shell's output, an empty `{}` or `jq -s`'s `[` comes before, or whose first
// key has a stray byte. These keys name nothing else, so a policy file never holds one; the
// ends are looked at, not the whole text, so a large file of another kind costs little.
bool names_an_export_list(std::string_view text) {
  constexpr std::size_t kLookedAt = std::size_t{1} << 20;
  const auto names_one = [](std::string_view part) {
    for (const std::string_view name : kListKeys) {
      if (name == "Policies") continue;  // a CloudFormation role's member too
      const std::string quoted = fmt::format("\"{}\"", name);
      for (std::size_t at = part.find(quoted); at != std::string_view::npos; at = part.find(quoted, at + 1)) {
        std::size_t colon = json::skip_space(part, at + quoted.size());
        if (colon >= part.size() || part[colon] != ':') continue;
        const std::size_t value = json::skip_space(part, colon + 1);
        if (value < part.size() && part[value] == '[') return true;
      }
    }
    return false;
  };
  if (text.size() <= 2 * kLookedAt) return names_one(text);
  return names_one(text.substr(0, kLookedAt)) || names_one(text.substr(text.size() - kLookedAt));
}

}  // namespace

// The list whose elements a text holds when it is an array of them (`aws iam
// get-account-authorization-details --query UserDetailList`) or those elements one after
// the other (`jq -c '.UserDetailList[]'`): its first object's first key is an element's, and
// the id member that comes first says which list (no other kind of element holds it).
std::optional<std::string_view> bare_list_key(std::string_view text) {
  std::size_t at = 0;
  while (text.substr(at).starts_with(kByteOrderMark)) at += kByteOrderMark.size();
  std::size_t brace = json::skip_space(text, at);
  if (brace < text.size() && text[brace] == '[') brace = json::skip_space(text, brace + 1);
  if (brace >= text.size() || text[brace] != '{') return std::nullopt;
  const std::size_t quote = json::skip_space(text, brace + 1);
  if (quote >= text.size() || text[quote] != '"') return std::nullopt;
  const std::size_t close = text.find('"', quote + 1);
  if (close == std::string_view::npos ||
      std::ranges::find(kElementMemberKeys, text.substr(quote + 1, close - quote - 1)) == kElementMemberKeys.end()) {
    return std::nullopt;
  }
  constexpr std::pair<std::string_view, std::string_view> kIdKeys[] = {{"\"UserId\"", "UserDetailList"},
                                                                       {"\"GroupId\"", "GroupDetailList"},
                                                                       {"\"RoleId\"", "RoleDetailList"},
                                                                       {"\"DefaultVersionId\"", "Policies"}};
  const std::string_view head = text.substr(brace, kFirstElementWindow);
  std::optional<std::string_view> earliest;
  std::size_t earliest_at = std::string_view::npos;
  for (const auto& [quoted, list] : kIdKeys) {
    for (std::size_t found = head.find(quoted); found < earliest_at; found = head.find(quoted, found + 1)) {
      const std::size_t colon = json::skip_space(head, found + quoted.size());
      if (colon < head.size() && head[colon] == ':') {
        earliest = list;
        earliest_at = found;
        break;
      }
    }
  }
  return earliest;
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

bool looks_like_authorization_details(std::string_view text) {
  const std::size_t quote = first_key_quote(text);
  if (quote == std::string_view::npos) return names_an_export_list(text) || bare_list_key(text).has_value();
  // The key as JSON reads it: `"\u0055serDetailList"` is `UserDetailList` too.
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
         key_spelt_past_quotes(text, quote, colon).has_value() || names_an_export_list(text) ||
         bare_list_key(text).has_value();
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
