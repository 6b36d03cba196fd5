// What tells `aws iam get-account-authorization-details` output from other JSON, from its bytes
// alone: before the reader (authz_details.h) reads it, and before `check` takes a file for a
// policy or a template.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace grantlint::account {

// Whether a file is an export: its first key is one of the export's, or one of the export's
// lists is named near either end (the first page starts with another key, or after other bytes),
// or it holds one list's elements alone (bare_list_key).
bool looks_like_authorization_details(std::string_view text);

// Where the first key's `"` is when the text ends inside that key and what it holds begins one
// of the export's keys (`{"UserDeta`): an export cut short, not some other file.
std::optional<std::size_t> export_cut_in_first_key(std::string_view text);

// The list whose elements a text holds when it is an array of them (`aws iam
// get-account-authorization-details --query UserDetailList`) or those elements one after the
// other (`jq -c '.UserDetailList[]'`), if it is either; arrays around the list (`--query
// '[UserDetailList, RoleDetailList]'`) are looked through. Its first element says which.
std::optional<std::string_view> bare_list_key(std::string_view text);

// The list an element whose `{` is at `brace` is of, from its own members: its id (`UserId`,
// `GroupId`, `RoleId` or `DefaultVersionId`) and one of the lists an element of the export
// always holds (`UserPolicyList`, `PolicyVersionList`, ...), which the outputs of `aws iam
// list-users`, `get-user`, `list-roles` and `list-policies` lack; nullopt for any other object.
std::optional<std::string_view> element_list_key(std::string_view text, std::size_t brace);

// The list whose elements the array at `at` holds, as its first element says (element_list_key).
std::optional<std::string_view> listed_elements(std::string_view text, std::size_t at);

// Where a list of the export's elements, or its elements one per line, starts on a line from
// `from` on, after what a shell or jq may write before it (lines that are no JSON, `[]`, `{}`):
// looked for in the first MB, at the first few lines that open a value.
std::optional<std::size_t> bare_list_after(std::string_view text, std::size_t from);

// Whether the object whose `{` is at `brace` has one of the export's lists among its own
// members (`{"ResponseMetadata": {…}, "UserDetailList": [`), as far as `window` bytes go.
bool holds_export_list(std::string_view text, std::size_t brace, std::size_t window);

// Where `"UserDetailList": [` (or the groups' or roles' list) is named in the text, its ends
// looked at first; npos when it is not.
std::size_t export_list_named(std::string_view text);

// The export key spelt by the bytes from the `"` at `at` to the next `:` once the quotes among
// them are left out (`"User"DetailList"`, `"UserDetailList""`), and where that `:` is.
std::optional<std::string_view> key_spelt_past_quotes(std::string_view text, std::size_t at, std::size_t& colon);

}  // namespace grantlint::account
