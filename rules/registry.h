// Every rule grantlint knows, in one explicit list. Rule code refers to a rule through
// these constants; all_rules() gives them in their documented order.
#pragma once

#include <span>
#include <string_view>

#include "diag/rule_meta.h"

namespace grantlint::rules {

// JSON syntax (bytes → JSON tree).
extern const RuleMeta kInvalidJson;          // JSON001
extern const RuleMeta kUtf8Bom;              // JSON002
extern const RuleMeta kTrailingContent;      // JSON003
extern const RuleMeta kDuplicateKey;         // JSON004
extern const RuleMeta kNestingTooDeep;       // JSON005

// CloudFormation templates (YAML → JSON tree, intrinsic functions → placeholders).
extern const RuleMeta kInvalidYaml;          // TPL001
extern const RuleMeta kMalformedIntrinsic;   // TPL002
extern const RuleMeta kPolicyNotAnalysed;    // TPL003

// Policy grammar (JSON tree → policy model).
extern const RuleMeta kNotAnObject;          // POL001
extern const RuleMeta kEmbeddedPolicy;       // POL002
extern const RuleMeta kMissingVersion;       // POL003
extern const RuleMeta kInvalidVersion;       // POL004
extern const RuleMeta kLegacyVersion;        // POL005
extern const RuleMeta kMissingStatement;     // POL006
extern const RuleMeta kUnknownElement;       // POL007
extern const RuleMeta kWrongType;            // POL008
extern const RuleMeta kEmptyValue;           // POL009
extern const RuleMeta kPolicyTooLarge;       // POL010
extern const RuleMeta kInvalidCharacter;     // POL011
extern const RuleMeta kIdInIdentityPolicy;   // POL012
extern const RuleMeta kInvalidSid;           // POL013
extern const RuleMeta kDuplicateSid;         // POL014
extern const RuleMeta kMissingEffect;        // POL015
extern const RuleMeta kInvalidEffect;        // POL016
extern const RuleMeta kMissingAction;        // POL017
extern const RuleMeta kConflictingElements;  // POL018
extern const RuleMeta kInvalidAction;        // POL019
extern const RuleMeta kMissingResource;      // POL020
extern const RuleMeta kResourceNotAllowed;   // POL021
extern const RuleMeta kKeyPolicyResource;    // POL022
extern const RuleMeta kMissingPrincipal;     // POL023
extern const RuleMeta kPrincipalNotAllowed;  // POL024
extern const RuleMeta kAllowWithNotPrincipal; // POL025
extern const RuleMeta kInvalidPrincipal;     // POL026
extern const RuleMeta kWildcardInPrincipal;  // POL027
extern const RuleMeta kInvalidCondition;     // POL028
extern const RuleMeta kUnknownOperator;      // POL029
extern const RuleMeta kInvalidSetOperator;   // POL030
extern const RuleMeta kNullWithIfExists;     // POL031

// Actions against the AWS catalog.
extern const RuleMeta kUnknownService;         // ACT001
extern const RuleMeta kUnknownAction;          // ACT002
extern const RuleMeta kPatternMatchesNothing;  // ACT003

// Conditions against the catalog and the operators' semantics.
extern const RuleMeta kUnknownConditionKey;          // CON001
extern const RuleMeta kConditionKeyNotSupported;     // CON002
extern const RuleMeta kInvalidConditionValue;        // CON003
extern const RuleMeta kOperatorTypeMismatch;         // CON004
extern const RuleMeta kSetOperatorOnSingleValue;     // CON005
extern const RuleMeta kMissingSetOperator;           // CON006
extern const RuleMeta kForAllValuesWithAllow;        // CON007
extern const RuleMeta kForAnyValueWithDeny;          // CON008
extern const RuleMeta kVariableInNonStringOperator;  // CON009
extern const RuleMeta kPrivateSourceIp;              // CON010
extern const RuleMeta kMalformedVpcId;               // CON011
extern const RuleMeta kWildcardWithoutLike;          // CON012
extern const RuleMeta kDeprecatedConditionKey;       // CON013
extern const RuleMeta kNullWithSetOperator;          // CON014
extern const RuleMeta kTagKeyNotSupportedByService;  // CON015
extern const RuleMeta kWeakMfaCondition;             // CON016
extern const RuleMeta kFixedConditionKey;            // CON017
extern const RuleMeta kKeyAbsentForServicePrincipal; // CON018
extern const RuleMeta kMissingPairedConditionKey;    // CON019
extern const RuleMeta kSetOperatorOnAudience;        // CON020
extern const RuleMeta kMalformedPolicyVariable;      // POL032
extern const RuleMeta kVariableInUnsupportedElement; // POL033
extern const RuleMeta kMismatchedFederatedAction;    // POL034
extern const RuleMeta kRolesAnywhereMissingActions;  // POL035
extern const RuleMeta kUnknownPolicyVariable;        // POL036

// Redundancy.
extern const RuleMeta kRedundantAction;    // RED001
extern const RuleMeta kRedundantResource;  // RED002
extern const RuleMeta kDuplicateStatement; // RED003
extern const RuleMeta kRedundantSessionPrincipal;  // RED004
extern const RuleMeta kRedundantNumericValue;      // RED005

// Overbroad grants in identity policies.
extern const RuleMeta kFullAdministrator;              // GRT001
extern const RuleMeta kServiceWildcard;                // GRT002
extern const RuleMeta kAllowWithNotAction;             // GRT003
extern const RuleMeta kAllowWithNotResource;           // GRT004
extern const RuleMeta kPassRoleOnAnyRole;              // GRT005
extern const RuleMeta kCreateServiceLinkedRoleAnyService;  // GRT007
extern const RuleMeta kSensitiveActionOnAllResources;  // GRT006

// Resource, trust and key policies; resource ARNs.
extern const RuleMeta kPublicPrincipal;           // RES001
extern const RuleMeta kMalformedResourceArn;      // RES002
extern const RuleMeta kResourceTypeMismatch;      // RES003
extern const RuleMeta kWildcardOnlyActionWithArn; // RES004
extern const RuleMeta kUnscopedFederation;        // RES005
extern const RuleMeta kGitHubSubjectWildcard;     // RES006
extern const RuleMeta kServicePrincipalWithoutSource;  // RES007
extern const RuleMeta kPrincipalByUniqueId;            // RES008
extern const RuleMeta kPrincipalFromOtherAccount;      // RES009
extern const RuleMeta kActionOfAnotherService;         // RES010
extern const RuleMeta kResourceOutsideAttachedResource;  // RES011
extern const RuleMeta kKeyPolicyLockout;          // KMS001
extern const RuleMeta kKeyAdministrationTooWide;  // KMS002

// Account exports (`grantlint scan`).
extern const RuleMeta kMalformedExport;        // ACC001
extern const RuleMeta kTruncatedExport;        // ACC002
extern const RuleMeta kMissingManagedPolicy;   // ACC003
extern const RuleMeta kMissingGroup;           // ACC004
extern const RuleMeta kEffectiveAdministrator; // ACC101
extern const RuleMeta kPrivilegeEscalation;    // ACC102
extern const RuleMeta kOpenRoleTrust;          // ACC103
extern const RuleMeta kUnconstrainedPassRole;  // ACC104
extern const RuleMeta kSensitiveAccess;        // ACC105
extern const RuleMeta kPermissionsManagementAccess;  // ACC106
extern const RuleMeta kSnapshotInputMissing;   // ACC005

// The Glue encryption pack (`grantlint scan SNAPSHOT_DIR`); ids from glue-rules.md §4.
extern const RuleMeta kInvalidConfig;                 // CFG001: .grantlint.json
extern const RuleMeta kExpiredSuppression;            // CFG002
extern const RuleMeta kUnusedSuppression;             // CFG003
extern const RuleMeta kGlueCatalogUnencrypted;        // GLUE-ENC-01
extern const RuleMeta kGluePasswordsUnencrypted;      // GLUE-ENC-02
extern const RuleMeta kGlueNoSecurityConfiguration;   // GLUE-ENC-03
extern const RuleMeta kGlueMissingSecurityConfiguration; // GLUE-ENC-04
extern const RuleMeta kGlueWeakSecurityConfiguration; // GLUE-ENC-05
extern const RuleMeta kGlueJdbcSslNotEnforced;        // GLUE-ENC-06
extern const RuleMeta kGlueKeyNotSymmetric;           // GLUE-KMS-01
extern const RuleMeta kGlueKeyNotEnabled;             // GLUE-KMS-02
extern const RuleMeta kGlueKeyUnresolved;             // GLUE-KMS-03
extern const RuleMeta kGlueLogsKeyPolicy;             // GLUE-KMS-04
extern const RuleMeta kGlueKeyPolicyNoIamDelegation;  // GLUE-KMS-05
extern const RuleMeta kGlueLogsKeyGrantOverbroad;     // GLUE-KMS-06
extern const RuleMeta kGlueOperatorActions;           // GLUE-IAM-01
extern const RuleMeta kGlueCatalogKeyAccess;          // GLUE-IAM-02
extern const RuleMeta kGluePasswordKeyAccess;         // GLUE-IAM-03
extern const RuleMeta kGlueS3KeyAccess;               // GLUE-IAM-04
extern const RuleMeta kGlueBookmarkKeyAccess;         // GLUE-IAM-05
extern const RuleMeta kGlueLogsAssociateKey;          // GLUE-IAM-06
extern const RuleMeta kGlueKmsAliasResource;          // GLUE-IAM-07
extern const RuleMeta kGlueRoleTrust;                 // GLUE-IAM-08
extern const RuleMeta kGlueNotebookRoleTrust;         // GLUE-IAM-09
extern const RuleMeta kGlueRoleNaming;                // GLUE-IAM-10
extern const RuleMeta kGluePassRoleUnscoped;          // GLUE-IAM-11
extern const RuleMeta kGlueRoleKmsOverbroad;          // GLUE-IAM-12
extern const RuleMeta kGlueOperatorWildcard;          // GLUE-IAM-13
extern const RuleMeta kGlueVpcDns;                    // GLUE-NET-01
extern const RuleMeta kGlueNoS3Endpoint;              // GLUE-NET-02
extern const RuleMeta kGlueNoSelfReference;           // GLUE-NET-03
extern const RuleMeta kGlueEgressClosed;              // GLUE-NET-04
extern const RuleMeta kGlueSecurityGroupOpen;         // GLUE-NET-05
extern const RuleMeta kGlueNoKmsEndpoint;             // GLUE-NET-06
extern const RuleMeta kGlueDevEndpoint;               // GLUE-INFO-01

// The configuration's rules (rules/registry_config.cpp).
std::span<const RuleMeta* const> config_rules();
// The Glue pack's rules (rules/registry_glue.cpp), ACC005 first.
std::span<const RuleMeta* const> glue_rules();

// Every rule: the core rules, the configuration's, then the Glue pack's.
std::span<const RuleMeta* const> all_rules();

// nullptr when no rule has that id (ids compare case-insensitively).
const RuleMeta* find_rule(std::string_view id);

}  // namespace grantlint::rules
