// The keys of `aws iam get-account-authorization-details` output: its top level's and those of
// its elements. Shared by the reader (authz_details.cpp) and what tells an export from other
// files (export_shape.cpp).
#pragma once

#include <array>
#include <string_view>

namespace grantlint::account {

// The export's four lists, each element of which the reader parses on its own.
inline constexpr std::array<std::string_view, 4> kListKeys = {"UserDetailList", "GroupDetailList", "RoleDetailList",
                                                              "Policies"};
inline constexpr std::array<std::string_view, 6> kTopLevelKeys = {"UserDetailList", "GroupDetailList", "RoleDetailList",
                                                                  "Policies",       "IsTruncated",     "Marker"};
// Member names inside the export's elements (of users, groups, roles, policies, their instance
// profiles, versions, tags and last use). A `]` followed by one of them closes a list nested in
// an element; followed by another key, it may close one of the export's lists (a key a newer CLI
// or another tool added at the top).
inline constexpr std::array<std::string_view, 42> kElementMemberKeys = {"Path",
                                                                        "UserName",
                                                                        "UserId",
                                                                        "Arn",
                                                                        "CreateDate",
                                                                        "UserPolicyList",
                                                                        "GroupList",
                                                                        "AttachedManagedPolicies",
                                                                        "PermissionsBoundary",
                                                                        "Tags",
                                                                        "GroupName",
                                                                        "GroupId",
                                                                        "GroupPolicyList",
                                                                        "RoleName",
                                                                        "RoleId",
                                                                        "AssumeRolePolicyDocument",
                                                                        "InstanceProfileList",
                                                                        "RolePolicyList",
                                                                        "RoleLastUsed",
                                                                        "InstanceProfileName",
                                                                        "InstanceProfileId",
                                                                        "Roles",
                                                                        "PolicyName",
                                                                        "PolicyId",
                                                                        "DefaultVersionId",
                                                                        "AttachmentCount",
                                                                        "PermissionsBoundaryUsageCount",
                                                                        "IsAttachable",
                                                                        "Description",
                                                                        "UpdateDate",
                                                                        "PolicyVersionList",
                                                                        "Document",
                                                                        "VersionId",
                                                                        "IsDefaultVersion",
                                                                        "PolicyDocument",
                                                                        "PolicyArn",
                                                                        "PermissionsBoundaryType",
                                                                        "PermissionsBoundaryArn",
                                                                        "Key",
                                                                        "Value",
                                                                        "LastUsedDate",
                                                                        "Region"};

}  // namespace grantlint::account
