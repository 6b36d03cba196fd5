// What an authorization-details export (`aws iam get-account-authorization-details`) says
// about an account: principals, their policies and attachments, and the managed policies
// with their versions. Every element keeps its span in the export; policy documents are
// recorded by span only and parsed when analysed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "source/span.h"

namespace grantlint::account {

// A policy document in the export: a JSON object, or a string (URL-encoded, as the API
// returns it) that holds one.
struct DocumentRef {
  SourceId source = 0;  // the file (pages of one account may come in several)
  Span span;
  std::string pointer;  // JSON pointer of the document in the export
  bool present = false;
};

struct PolicyVersion {
  std::string id;  // `VersionId`: `v1`
  bool is_default = false;
  // Marked the default too, or named by `DefaultVersionId`, where another version is taken for
  // the default (ACC001 says which): its document is checked in full as well, since it may be
  // the one AWS applies.
  bool contested_default = false;
  DocumentRef document;
  Span default_flag;  // its `IsDefaultVersion`
};

struct ManagedPolicy {
  std::string arn;
  std::vector<PolicyVersion> versions;
  // Where the entry is written, for findings about the entry itself.
  SourceId source = 0;
  Span span;            // its `Arn`, or the entry when it has none
  std::string pointer;  // of the entry in the export

  // A policy a template, a plan or a snapshot declares: its one document is the default.
  static ManagedPolicy declared(std::string arn, DocumentRef document) {
    ManagedPolicy policy;
    policy.arn = std::move(arn);
    PolicyVersion version;
    version.is_default = true;
    version.document = std::move(document);
    policy.versions.push_back(std::move(version));
    return policy;
  }

  // The default version's document, if the export holds it.
  [[nodiscard]] const PolicyVersion* default_version() const {
    for (const PolicyVersion& version : versions) {
      if (version.is_default) return &version;
    }
    return nullptr;
  }
};

struct InlinePolicy {
  std::string name;
  DocumentRef document;
};

// A reference by name or ARN to something else in the export, where it is written.
struct Reference {
  SourceId source = 0;
  std::string target;
  Span span;
  std::string pointer;
};

enum class PrincipalKind : std::uint8_t { user, group, role };

// "user", "group" or "role", in messages.
constexpr std::string_view kind_name(PrincipalKind kind) {
  switch (kind) {
    case PrincipalKind::user:
      return "user";
    case PrincipalKind::group:
      return "group";
    case PrincipalKind::role:
      return "role";
  }
  return "";
}

struct Principal {
  SourceId source = 0;
  PrincipalKind kind = PrincipalKind::user;
  std::string name;
  std::string arn;
  Span arn_span;  // where findings about the principal point
  std::string pointer;
  std::vector<InlinePolicy> inline_policies;
  std::vector<Reference> attached;    // managed policy ARNs
  std::vector<Reference> groups;      // users: group names
  std::optional<Reference> boundary;  // permissions boundary policy ARN
  DocumentRef trust;                  // roles: AssumeRolePolicyDocument
  // Roles: whether the export lists an instance profile for it (EC2 launches a role only in one);
  // unknown for a role a template or plan declares.
  std::optional<bool> in_instance_profile;
  // A role a template or plan names but does not define: its policies are unknown.
  bool defined_elsewhere = false;
};

// One account's export, from one file or from its pages in several.
struct Export {
  std::vector<Principal> principals;  // users, groups and roles, in file order
  std::vector<ManagedPolicy> policies;
  // The last page of each file: `IsTruncated: true` and a leftover `Marker`, if any.
  struct PageEnd {
    SourceId source = 0;
    std::optional<Span> truncated;
    std::optional<Span> marker;
    std::optional<Span> unread_from;  // where reading the file stopped at broken JSON, if it did
    std::vector<Span> skipped = {};   // broken stretches skipped, reading going on after each
    std::uint32_t page_begin = 0;     // where its page starts in the file (one PageEnd a page)
    // The export's lists this page names (bit i: kListKeys[i], account/export_keys.h), even
    // empty: an export of one list alone holds nothing of the others, rather than none.
    std::uint8_t lists_named = 0;
  };
  std::vector<PageEnd> page_ends;

};

}  // namespace grantlint::account
