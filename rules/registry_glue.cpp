// The metadata of the AWS Glue encryption pack (`grantlint scan SNAPSHOT_DIR`) and of the snapshot-completeness
// rule it relies on. Messages themselves are written where the rules are checked; the facts behind each rule, its
// inputs and its severities are in glue-rules.md (§2 requirements, §3 evaluation model, §4 rule list).
#include <array>
#include <span>

#include "rules/registry.h"

namespace grantlint::rules {

const RuleMeta kSnapshotInputMissing{
    .id = "ACC005",
    .name = "SnapshotInputMissing",
    .type = FindingType::warning,
    .summary = "an input the rules need is missing (a snapshot file; a role, key or attached policy a template does "
               "not define), so they were not evaluated",
    .help =
        "A snapshot is one Region's AWS CLI output at the fixed paths docs/glue.md lists "
        "(`iam/get-account-authorization-details.json`, `glue/get-jobs.json`, `kms/keys/<KeyId>/get-key-policy.json`, "
        "...). A file that is absent, or left as `*.err` after an AccessDenied, is reported once, naming the rules "
        "that need it; those rules are not evaluated, never passed. A file that is there but cannot be read or "
        "parsed (or a directory that cannot be listed) is an error of its own, and the rules that need it are "
        "reported the same way, as unread rather than missing. Any file may be gzip-compressed in place "
        "(`get-jobs.json.gz`). Collect the snapshot with `scripts/collect-glue-snapshot.sh` (SecurityAudit-level "
        "read plus `kms:GetKeyPolicy` on each key), or add the missing file. On a template or plan, a role, key or "
        "attached policy it does not define is a note at the reference (docs/glue.md); so are a Glue resource's "
        "`Properties` (or its settings block) that an intrinsic function gives, known only at deployment.",
    .tags = "account completeness glue"};




const RuleMeta kGlueCatalogUnencrypted{
    .id = "GLUE-ENC-01",
    .name = "GlueCatalogNotEncrypted",
    .type = FindingType::security_warning,
    .summary = "the Data Catalog is not encrypted at rest",
    .help =
        "`EncryptionAtRest.CatalogEncryptionMode` is `DISABLED`: databases, tables, partitions, table versions, "
        "connections and user-defined functions are not encrypted with a KMS key (MEDIUM). Set it to `SSE-KMS` "
        "with a symmetric customer managed key in `SseAwsKmsKeyId` (without one Glue uses the AWS managed "
        "`alias/aws/glue`), then give every catalog client `kms:GenerateDataKey`, `kms:Decrypt` and "
        "`kms:Encrypt` on that key (GLUE-IAM-02). A mode Glue does not accept (`SSE_KMS`) is MEDIUM too: Glue "
        "refuses the setting, so whether the catalog is encrypted is not known. See "
        "https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html.",
    .security_severity = "5.0",
    .tags = "security glue encryption"};

const RuleMeta kGluePasswordsUnencrypted{
    .id = "GLUE-ENC-02",
    .name = "GlueConnectionPasswordsNotEncrypted",
    .type = FindingType::security_warning,
    .summary = "connection passwords are not encrypted with a KMS key",
    .help =
        "`ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted` is false or absent, so the passwords of "
        "connections are not encrypted with a key of yours and `GetConnection` and `GetConnections` do not keep "
        "them encrypted in their responses (MEDIUM). Set it to `true` with a symmetric customer managed key in "
        "`AwsKmsKeyId`; the roles that read passwords then need `kms:Decrypt` on that key, and the callers of "
        "`CreateConnection` and `UpdateConnection` `kms:Encrypt` (GLUE-IAM-03). See "
        "https://docs.aws.amazon.com/glue/latest/dg/encrypt-connection-passwords.html.",
    .security_severity = "5.0",
    .tags = "security glue encryption"};

const RuleMeta kGlueNoSecurityConfiguration{
    .id = "GLUE-ENC-03",
    .name = "GlueSecurityConfigurationNotAttached",
    .type = FindingType::security_warning,
    .summary = "a job, crawler or development endpoint has no security configuration",
    .help =
        "Without a security configuration (`SecurityConfiguration` on jobs and development endpoints, "
        "`CrawlerSecurityConfiguration` on crawlers) nothing makes Glue encrypt with KMS what the resource "
        "writes to Amazon S3, CloudWatch Logs and job bookmarks. Jobs and development endpoints are MEDIUM; "
        "crawlers, which only write logs, LOW. Create a security configuration (S3 `SSE-KMS`, CloudWatch "
        "`SSE-KMS`, bookmarks `CSE-KMS`) and choose it in the definition. See "
        "https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html.",
    .security_severity = "5.0",
    .tags = "security glue encryption"};

const RuleMeta kGlueMissingSecurityConfiguration{
    .id = "GLUE-ENC-04",
    .name = "GlueSecurityConfigurationNotFound",
    .type = FindingType::security_warning,
    .summary = "a job, crawler or development endpoint names a security configuration that does not exist",
    .help =
        "The resource's `SecurityConfiguration` (`CrawlerSecurityConfiguration` for a crawler) names no "
        "configuration in `glue/get-security-configurations.json`: it was deleted or renamed, or the name is "
        "misspelt. The encryption its author chose is not in force (HIGH). Create the configuration, or choose "
        "an existing one in the definition. See "
        "https://docs.aws.amazon.com/glue/latest/dg/console-security-configurations.html.",
    .security_severity = "8.0",
    .tags = "security glue encryption"};

const RuleMeta kGlueWeakSecurityConfiguration{
    .id = "GLUE-ENC-05",
    .name = "GlueSecurityConfigurationWeak",
    .type = FindingType::security_warning,
    .summary = "an attached security configuration leaves part of what it covers without KMS encryption",
    .help =
        "Each part is judged by what the configuration is attached to: S3 encryption `DISABLED` on a job or "
        "development endpoint is MEDIUM; S3 `SSE-S3` there is INFO (encrypted, but not with a key whose policy "
        "you control); CloudWatch encryption `DISABLED` on a job or crawler is LOW; job-bookmark encryption "
        "`DISABLED` on a job run with `--job-bookmark-option job-bookmark-enable` is LOW. A part that no attached "
        "resource uses is not reported. A mode Glue does not accept (`SSEKMS`) is MEDIUM: Glue refuses the "
        "configuration. Set S3 and CloudWatch to `SSE-KMS` and bookmarks to `CSE-KMS`, with "
        "symmetric customer managed keys. See "
        "https://docs.aws.amazon.com/glue/latest/dg/console-security-configurations.html.",
    .security_severity = "5.0",
    .tags = "security glue encryption"};

const RuleMeta kGlueJdbcSslNotEnforced{
    .id = "GLUE-ENC-06",
    .name = "GlueJdbcSslNotEnforced",
    .type = FindingType::security_warning,
    .summary = "a JDBC connection does not require SSL",
    .help =
        "`ConnectionProperties.JDBC_ENFORCE_SSL` is not the string `\"true\"` (absent means `false`, the API's "
        "default), so Glue does not insist on SSL with hostname matching when it connects: credentials and data "
        "can cross the network in clear text (MEDIUM). Set `JDBC_ENFORCE_SSL` to `\"true\"` (Require SSL "
        "connection in the console); for a database certificate from a private CA give `CUSTOM_JDBC_CERT`. See "
        "https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-catalog-connections.html.",
    .security_severity = "5.0",
    .tags = "security glue encryption"};

const RuleMeta kGlueKeyNotSymmetric{
    .id = "GLUE-KMS-01",
    .name = "GlueKeyNotSymmetric",
    .type = FindingType::security_warning,
    .summary = "a KMS key that Glue is set to use is not a symmetric encryption key",
    .help =
        "Glue supports only symmetric encryption keys (`KeySpec`, or the older `CustomerMasterKeySpec`, "
        "`SYMMETRIC_DEFAULT` with `KeyUsage` `ENCRYPT_DECRYPT`), yet the console accepts the ARN of any key, so an "
        "RSA, ECC or HMAC key can end up in the catalog settings or a security configuration, and Glue cannot "
        "encrypt with it. HIGH when the key is on an exercised path, else LOW. The catalog and password keys are "
        "always exercised; a security configuration's S3 key when it is attached to a job or development "
        "endpoint, its CloudWatch key when attached to a job or crawler, its bookmark key when attached to a job "
        "run with `--job-bookmark-option job-bookmark-enable`. Create a symmetric key and point the setting at "
        "it. See https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html.",
    .security_severity = "8.0",
    .tags = "security glue kms"};

const RuleMeta kGlueKeyNotEnabled{
    .id = "GLUE-KMS-02",
    .name = "GlueKeyNotEnabled",
    .type = FindingType::security_warning,
    .summary = "a KMS key that Glue is set to use is disabled, pending deletion or otherwise unusable",
    .help =
        "The key's `KeyState` is not `Enabled` (`Disabled`, `PendingDeletion`, `PendingImport`, `Unavailable`): "
        "it can neither encrypt nor decrypt, so Glue cannot write with it, and what it wrote with it, catalog "
        "objects included, cannot be read. HIGH when the key is on an exercised path, else LOW. The catalog and "
        "password keys are always exercised; a security configuration's S3 key when it is attached to a job or "
        "development endpoint, its CloudWatch key when attached to a job or crawler, its bookmark key when "
        "attached to a job run with `--job-bookmark-option job-bookmark-enable`. Enable the key or cancel its "
        "deletion; data written with it needs it as long as it is kept. See "
        "https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html.",
    .security_severity = "8.0",
    .tags = "security glue kms"};

const RuleMeta kGlueKeyUnresolved{
    .id = "GLUE-KMS-03",
    .name = "GlueKeyReferenceUnresolved",
    .type = FindingType::security_warning,
    .summary = "a KMS key reference in the Glue settings does not lead to a key in the snapshot",
    .help =
        "A key may be given as a key ARN, key id, alias name or alias ARN; aliases are resolved through "
        "`kms/list-aliases.json`. Reported: an alias that is not listed or has no `TargetKeyId`, a key the "
        "snapshot does not hold, a key of another Region or account. The key's type, state and policy go "
        "unchecked. MEDIUM when the key is on an exercised path, else LOW. The catalog and password keys are "
        "always exercised; a security configuration's S3 key when it is attached to a job or development "
        "endpoint, its CloudWatch key when attached to a job or crawler, its bookmark key when attached to a job "
        "run with `--job-bookmark-option job-bookmark-enable`. Point the setting at an existing key ARN, or add "
        "the key to the snapshot. See https://docs.aws.amazon.com/glue/latest/dg/console-security-configurations.html.",
    .security_severity = "5.0",
    .precision = "high",
    .tags = "security glue kms"};

const RuleMeta kGlueLogsKeyPolicy{
    .id = "GLUE-KMS-04",
    .name = "GlueLogsKeyPolicyMissingLogsService",
    .type = FindingType::security_warning,
    .summary = "the key policy of a CloudWatch Logs encryption key does not let CloudWatch Logs use it for Glue's logs",
    .help =
        "CloudWatch Logs uses the key as `logs.<region>.amazonaws.com` (the key's Region), which only the key "
        "policy can allow. The evaluator decides `kms:Encrypt*`, `kms:Decrypt*`, `kms:ReEncrypt*`, "
        "`kms:GenerateDataKey*` and `kms:Describe*` for it over the key policy and every Deny in it, with "
        "`kms:EncryptionContext:aws:logs:arn` a Glue log group (`/aws-glue/...`); a grant that depends on "
        "context grantlint cannot know is reported as conditional. AWS managed keys always fail (their policy cannot "
        "be changed). "
        "Without it jobs and crawlers "
        "cannot write encrypted logs (HIGH). Add `{\"Effect\": \"Allow\", \"Principal\": {\"Service\": "
        "\"logs.<region>.amazonaws.com\"}, \"Action\": [\"kms:Encrypt*\", \"kms:Decrypt*\", \"kms:ReEncrypt*\", "
        "\"kms:GenerateDataKey*\", \"kms:Describe*\"], \"Resource\": \"*\", \"Condition\": {\"ArnLike\": "
        "{\"kms:EncryptionContext:aws:logs:arn\": \"arn:aws:logs:<region>:<account>:log-group:/aws-glue/*\"}}}`. "
        "See https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html.",
    .security_severity = "8.0",
    .precision = "high",
    .tags = "security glue kms"};

const RuleMeta kGlueKeyPolicyNoIamDelegation{
    .id = "GLUE-KMS-05",
    .name = "GlueKeyPolicyWithoutIamDelegation",
    .type = FindingType::security_warning,
    .summary = "a principal relies on IAM policies for a Glue key whose key policy does not enable them",
    .help =
        "Unless the key policy allows the account (`arn:aws:iam::<account>:root`), IAM policies that allow a KMS "
        "action have no effect. Reported for each principal of a Glue path whose identity policies grant the "
        "path's actions on the key but whom the key policy does not allow itself: the evaluator, over the key "
        "policy, the identity policies, the permissions boundary and every Deny with the path's request context, "
        "denies them, so the path fails (HIGH); a grant that depends on context grantlint cannot know is "
        "reported as conditional. Add the default statement `{\"Sid\": \"Enable IAM User Permissions\", "
        "\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::<account>:root\"}, \"Action\": "
        "\"kms:*\", \"Resource\": \"*\"}`, or name the principal in the key policy. See "
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html.",
    .security_severity = "8.0",
    .precision = "high",
    .tags = "security glue kms"};

const RuleMeta kGlueLogsKeyGrantOverbroad{
    .id = "GLUE-KMS-06",
    .name = "GlueLogsKeyGrantOverbroad",
    .type = FindingType::security_warning,
    .summary = "a key policy grants CloudWatch Logs more than the five action families, or for any log group",
    .help =
        "CloudWatch Logs needs `kms:Encrypt*`, `kms:Decrypt*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*` and "
        "`kms:Describe*` on the key of a security configuration's CloudWatch part, and only for the Glue log "
        "groups. A key-policy statement that grants `logs.<region>.amazonaws.com` any other action (`kms:*` "
        "includes `kms:PutKeyPolicy`, `kms:ScheduleKeyDeletion` and `kms:CreateGrant`) is MEDIUM; one without a "
        "`kms:EncryptionContext:aws:logs:arn` condition lets every log group of every account that can reach the "
        "service use the key (LOW). The message gives the narrowed statement: "
        "`{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"logs.<region>.amazonaws.com\"}, \"Action\": "
        "[\"kms:Encrypt*\", \"kms:Decrypt*\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:Describe*\"], "
        "\"Resource\": \"*\", \"Condition\": {\"ArnLike\": {\"kms:EncryptionContext:aws:logs:arn\": "
        "\"arn:aws:logs:<region>:<account>:log-group:/aws-glue/*\"}}}`. See "
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html.",
    .security_severity = "5.0",
    .precision = "high",
    .tags = "security glue kms"};

const RuleMeta kGlueOperatorActions{
    .id = "GLUE-IAM-01",
    .name = "GlueOperatorMissingEncryptionActions",
    .type = FindingType::security_warning,
    .summary = "a Glue operator cannot manage the catalog encryption settings and security configurations",
    .help =
        "Operators (IAM users, and roles whose trust admits `AWS` or `Federated` principals, that are allowed "
        "Glue catalog reads, one of the six actions below, or `glue:CreateJob`, `glue:UpdateJob` or "
        "`glue:CreateCrawler`) need `glue:GetDataCatalogEncryptionSettings` and "
        "`glue:PutDataCatalogEncryptionSettings` on the `catalog` resource and "
        "`glue:CreateSecurityConfiguration`, `glue:GetSecurityConfiguration`, `glue:GetSecurityConfigurations` "
        "and `glue:DeleteSecurityConfiguration`, which take only `*`; `glue:*` covers them. The evaluator "
        "decides each after the boundary and every Deny; the finding names those missing (MEDIUM). Grant the "
        "first two on `arn:aws:glue:<region>:<account>:catalog` and the other four on `*`. See "
        "https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html.",
    .security_severity = "5.0",
    .precision = "medium",
    .tags = "security glue iam"};

const RuleMeta kGlueCatalogKeyAccess{
    .id = "GLUE-IAM-02",
    .name = "GlueCatalogKeyAccessMissing",
    .type = FindingType::security_warning,
    .summary = "a Data Catalog client cannot use the catalog's KMS key",
    .help =
        "With `SSE-KMS`, each catalog client needs `kms:GenerateDataKey`, `kms:Decrypt` and `kms:Encrypt` on the "
        "catalog key: job, crawler and development endpoint roles (HIGH), operators (MEDIUM). With "
        "`SSE-KMS-WITH-SERVICE-ROLE` only the `CatalogEncryptionServiceRole` does (HIGH), and it must trust "
        "`glue.amazonaws.com`. The evaluator decides each action over the key policy, the identity policies, the "
        "permissions boundary and every Deny, with `kms:ViaService` `glue.<region>.amazonaws.com` and "
        "`kms:CallerAccount`; a grant that depends on context grantlint cannot know is reported as conditional. "
        "Grant `{\"Effect\": \"Allow\", \"Action\": [\"kms:GenerateDataKey\", \"kms:Decrypt\", "
        "\"kms:Encrypt\"], \"Resource\": \"<catalog key ARN>\"}`. See "
        "https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html.",
    .security_severity = "8.0",
    .precision = "high",
    .tags = "security glue iam"};

const RuleMeta kGluePasswordKeyAccess{
    .id = "GLUE-IAM-03",
    .name = "GluePasswordKeyAccessMissing",
    .type = FindingType::security_warning,
    .summary = "a principal that reads or writes encrypted connection passwords cannot use the password key",
    .help =
        "With connection password encryption on, the role of a job or crawler that uses a JDBC connection needs "
        "`kms:Decrypt` on the password key (HIGH), and operators allowed `glue:CreateConnection` or "
        "`glue:UpdateConnection` need `kms:Encrypt` on it (MEDIUM). The evaluator decides over the key policy, the "
        "identity policies, the permissions boundary and every Deny, with `kms:CallerAccount`; how Glue calls KMS "
        "here is not documented, so a grant that depends on `kms:ViaService` or other context grantlint cannot "
        "know is reported as conditional. Grant `{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", "
        "\"Resource\": \"<password key ARN>\"}`, with `kms:Encrypt` for operators. See "
        "https://docs.aws.amazon.com/glue/latest/dg/encrypt-connection-passwords.html.",
    .security_severity = "8.0",
    .precision = "high",
    .tags = "security glue iam"};

const RuleMeta kGlueS3KeyAccess{
    .id = "GLUE-IAM-04",
    .name = "GlueS3KeyAccessMissing",
    .type = FindingType::security_warning,
    .summary = "a job or development endpoint role cannot use the KMS key that encrypts its S3 output",
    .help =
        "A security configuration with S3 `SSE-KMS` makes the jobs and development endpoints it is attached to "
        "write with that key: their roles need `kms:Decrypt`, `kms:Encrypt` and `kms:GenerateDataKey` on it, or "
        "the writes fail (HIGH). The evaluator decides each action over the key policy, the role's identity "
        "policies, its permissions boundary and every Deny, with `kms:ViaService` `s3.<region>.amazonaws.com` and "
        "`kms:CallerAccount`; a grant that depends on context grantlint cannot know is reported as conditional. "
        "Grant `{\"Effect\": \"Allow\", \"Action\": [\"kms:Decrypt\", \"kms:Encrypt\", "
        "\"kms:GenerateDataKey\"], \"Resource\": \"<S3 key ARN>\"}` (the key ARN, not an alias: GLUE-IAM-07). See "
        "https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html.",
    .security_severity = "8.0",
    .precision = "high",
    .tags = "security glue iam"};

const RuleMeta kGlueBookmarkKeyAccess{
    .id = "GLUE-IAM-05",
    .name = "GlueBookmarkKeyAccessMissing",
    .type = FindingType::security_warning,
    .summary = "a job with encrypted bookmarks cannot use the bookmark key",
    .help =
        "A job run with `--job-bookmark-option job-bookmark-enable` whose security configuration sets bookmarks "
        "to `CSE-KMS` encrypts them itself: its role needs `kms:Decrypt` and `kms:Encrypt` on the bookmark key "
        "(HIGH). The evaluator decides both over the key policy, the role's identity policies, its permissions "
        "boundary and every Deny, as a direct call (no `kms:ViaService`) with `kms:CallerAccount`; a grant that "
        "depends on context grantlint cannot know is reported as conditional. Grant `{\"Effect\": \"Allow\", "
        "\"Action\": [\"kms:Decrypt\", \"kms:Encrypt\"], \"Resource\": \"<bookmark key ARN>\"}`. See "
        "https://docs.aws.amazon.com/glue/latest/dg/set-up-encryption.html.",
    .security_severity = "8.0",
    .precision = "high",
    .tags = "security glue iam"};

const RuleMeta kGlueLogsAssociateKey{
    .id = "GLUE-IAM-06",
    .name = "GlueLogsAssociateKmsKeyMissing",
    .type = FindingType::security_warning,
    .summary = "a job or crawler role that writes encrypted logs cannot associate the key with its log groups",
    .help =
        "With CloudWatch `SSE-KMS` in its security configuration, the role of a job or crawler needs "
        "`logs:AssociateKmsKey` on the Glue log groups, or continuous logging is disabled (MEDIUM). The AWS "
        "managed `AWSGlueServiceRole` does not grant it. The evaluator decides it on "
        "`arn:aws:logs:<region>:<account>:log-group:/aws-glue/*` over the role's identity policies, its "
        "permissions boundary and every Deny (a CloudWatch Logs action: no key policy takes part); a grant that "
        "depends on context grantlint cannot know is reported as conditional. Grant `{\"Effect\": \"Allow\", "
        "\"Action\": \"logs:AssociateKmsKey\", \"Resource\": "
        "\"arn:aws:logs:<region>:<account>:log-group:/aws-glue/*\"}`. See "
        "https://docs.aws.amazon.com/glue/latest/dg/monitor-continuous-logging-enable.html.",
    .security_severity = "5.0",
    .precision = "high",
    .tags = "security glue iam"};

const RuleMeta kGlueKmsAliasResource{
    .id = "GLUE-IAM-07",
    .name = "GlueKmsGrantOnAliasOrKeyId",
    .type = FindingType::security_warning,
    .summary = "an IAM statement grants KMS cryptographic actions on an alias or key id, which matches no key",
    .help =
        "An IAM policy can name a KMS key only by its key ARN. A `Resource` that is an alias ARN "
        "(`arn:aws:kms:<region>:<account>:alias/...`) applies to the alias, not to the key behind it, and an "
        "alias name or key id matches nothing, so the grant gives no use of the key (MEDIUM). Use the key ARN, "
        "or, to follow the alias, grant on `arn:aws:kms:<region>:<account>:key/*` with `\"Condition\": "
        "{\"ForAnyValue:StringEquals\": {\"kms:ResourceAliases\": \"alias/<name>\"}}`. See "
        "https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html.",
    .security_severity = "5.0",
    .tags = "security glue iam kms"};

const RuleMeta kGlueRoleTrust{
    .id = "GLUE-IAM-08",
    .name = "GlueRoleNotTrustingGlue",
    .type = FindingType::security_warning,
    .summary = "a role that Glue uses does not trust `glue.amazonaws.com`",
    .help =
        "Glue assumes the role of a job, crawler or development endpoint, and the `CatalogEncryptionServiceRole`, "
        "as the service principal `glue.amazonaws.com` (Glue has no service-linked role). The trust policy has no "
        "Allow of `sts:AssumeRole` for it, so Glue cannot assume the role and the work fails (HIGH). Add "
        "`{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"glue.amazonaws.com\"}, \"Action\": "
        "\"sts:AssumeRole\"}` to the trust policy. See "
        "https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html.",
    .security_severity = "8.0",
    .tags = "security glue iam"};

const RuleMeta kGlueNotebookRoleTrust{
    .id = "GLUE-IAM-09",
    .name = "GlueNotebookRoleWrongTrust",
    .type = FindingType::security_warning,
    .summary = "a Glue notebook role does not trust the service its name says it is for",
    .help =
        "By Glue's naming convention a role named `AWSGlueServiceNotebookRole*` is for notebook servers on EC2 "
        "and must trust `ec2.amazonaws.com`, and one named `AWSGlueServiceSageMakerNotebookRole*` is a SageMaker "
        "notebook execution role and must trust `sagemaker.amazonaws.com`. This role's trust policy does not "
        "allow that service `sts:AssumeRole` (LOW). Fix the trust policy, or rename the role if it is meant for "
        "something else. See https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role-notebook.html and "
        "https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role-sagemaker-notebook.html.",
    .security_severity = "3.0",
    .precision = "high",
    .tags = "security glue iam"};

const RuleMeta kGlueRoleNaming{
    .id = "GLUE-IAM-10",
    .name = "GlueServiceRoleUnconventionalName",
    .type = FindingType::suggestion,
    .summary = "a Glue service role is not named `AWSGlueServiceRole*`, so the managed console policies cannot pass it",
    .help =
        "`AWSGlueConsoleFullAccess` allows `iam:PassRole` to Glue only on `role/AWSGlueServiceRole*` and "
        "`role/service-role/AWSGlueServiceRole*`. A job, crawler or development endpoint role named otherwise "
        "needs a PassRole grant of its own (INFO). When no operator can pass it to Glue (the evaluator decides "
        "`iam:PassRole` with `iam:PassedToService` `glue.amazonaws.com`, after boundaries and every Deny), no one "
        "can attach it to a new or changed job or crawler (MEDIUM). Rename the role with the prefix, or grant "
        "`{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"<role ARN>\", \"Condition\": "
        "{\"StringEquals\": {\"iam:PassedToService\": \"glue.amazonaws.com\"}}}`. See "
        "https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html.",
    .precision = "medium",
    .tags = "glue iam maintainability"};

const RuleMeta kGluePassRoleUnscoped{
    .id = "GLUE-IAM-11",
    .name = "GluePassRoleToAnyService",
    .type = FindingType::security_warning,
    .summary = "`iam:PassRole` allowed on every role without an `iam:PassedToService` condition",
    .help =
        "Glue users need `iam:PassRole` to hand a role to Glue, but an explicit Allow of `iam:PassRole` (or "
        "`iam:Pass*`) on `*` without `iam:PassedToService` lets them pass any role of the account to any service "
        "(MEDIUM). Statements that allow `*` on `*` are left out. Name the roles and the service: `{\"Effect\": "
        "\"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": [\"arn:aws:iam::<account>:role/AWSGlueServiceRole*\", "
        "\"arn:aws:iam::<account>:role/service-role/AWSGlueServiceRole*\"], \"Condition\": {\"StringEquals\": "
        "{\"iam:PassedToService\": \"glue.amazonaws.com\"}}}`. See "
        "https://docs.aws.amazon.com/glue/latest/dg/attach-policy-iam-user.html.",
    .security_severity = "5.0",
    .tags = "security glue iam"};

const RuleMeta kGlueRoleKmsOverbroad{
    .id = "GLUE-IAM-12",
    .name = "GlueRoleKmsOverbroad",
    .type = FindingType::security_warning,
    .summary = "a Glue service role may use, or administer, keys beyond the ones its Glue work needs",
    .help =
        "A job, crawler or development endpoint role, or the catalog's encryption service role, needs KMS "
        "cryptographic actions only on the keys of its own paths (catalog, connection passwords, S3, job "
        "bookmarks). The evaluator asks whether its identity policies, after boundaries and every Deny, would "
        "allow `kms:Decrypt`, `kms:Encrypt`, `kms:GenerateDataKey*` or `kms:ReEncrypt*` on a key of the account it "
        "does not use, or key administration (`kms:PutKeyPolicy`, `kms:ScheduleKeyDeletion`, `kms:DisableKey`) "
        "on any key, given a key policy that enables IAM policies; each statement that grants it is reported "
        "(MEDIUM; INFO when the grant depends on conditions the snapshot cannot tell, such as "
        "`aws:ResourceTag`). Statements that allow `*` on `*` are administrators and left to the account rules. "
        "The message gives the narrowed statement: the actions the role's paths need, on the key ARNs they use. "
        "See https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html.",
    .security_severity = "5.0",
    .precision = "high",
    .tags = "security glue iam kms least-privilege"};

const RuleMeta kGlueOperatorWildcard{
    .id = "GLUE-IAM-13",
    .name = "GlueOperatorWildcard",
    .type = FindingType::suggestion,
    .summary = "a Glue operator's own policy grants `glue:*`",
    .help =
        "Operators who manage Glue's encryption need `glue:GetDataCatalogEncryptionSettings`, "
        "`glue:PutDataCatalogEncryptionSettings`, `glue:CreateSecurityConfiguration`, "
        "`glue:GetSecurityConfiguration`, `glue:GetSecurityConfigurations` and `glue:DeleteSecurityConfiguration` "
        "(glue-rules.md item 1). A statement of a policy you wrote (inline or customer managed) that allows "
        "`glue:*`, or every Glue action by another pattern, to a user or to a role people assume is a suggestion "
        "to list what they need (INFO). `AWSGlueConsoleFullAccess` is the documented console policy and is not "
        "reported. See https://docs.aws.amazon.com/glue/latest/dg/attach-policy-iam-user.html.",
    .precision = "medium",
    .tags = "glue iam least-privilege"};

const RuleMeta kGlueVpcDns{
    .id = "GLUE-NET-01",
    .name = "GlueVpcDnsDisabled",
    .type = FindingType::security_warning,
    .summary = "the VPC of a Glue connection or development endpoint does not have both DNS attributes enabled",
    .help =
        "Glue requires `enableDnsSupport` and `enableDnsHostnames` to be `true` in the VPC where it places the "
        "network interfaces of a connection or development endpoint; without them its work in the VPC fails "
        "(HIGH). The VPC is the endpoint's `VpcId`, or that of the connection's subnet "
        "(`ec2/describe-subnets.json`, else of its security groups). Enable both, one attribute per call: `aws "
        "ec2 modify-vpc-attribute --vpc-id <vpc> --enable-dns-support '{\"Value\": true}'`, then the same with "
        "`--enable-dns-hostnames`. See https://docs.aws.amazon.com/glue/latest/dg/set-up-vpc-dns.html.",
    .security_severity = "8.0",
    .precision = "high",
    .tags = "security glue network"};

const RuleMeta kGlueNoS3Endpoint{
    .id = "GLUE-NET-02",
    .name = "GlueVpcWithoutS3Endpoint",
    .type = FindingType::security_warning,
    .summary = "the VPC of a Glue connection or development endpoint has no Amazon S3 endpoint",
    .help =
        "Glue's network interfaces get no public IP address, so work in the VPC reaches Amazon S3 (scripts, "
        "temporary files, targets) through a VPC endpoint or a NAT gateway. The VPC has no `available` endpoint "
        "for `com.amazonaws.<region>.s3` (MEDIUM; a NAT route cannot be seen in the snapshot). Create a "
        "Gateway endpoint for S3 and associate it with the route tables of the subnets Glue uses. See "
        "https://docs.aws.amazon.com/glue/latest/dg/vpc-endpoints-s3.html.",
    .security_severity = "5.0",
    .precision = "high",
    .tags = "security glue network"};

const RuleMeta kGlueNoSelfReference{
    .id = "GLUE-NET-03",
    .name = "GlueSecurityGroupWithoutSelfReference",
    .type = FindingType::security_warning,
    .summary = "no security group of a Glue connection or development endpoint admits itself on all TCP ports",
    .help =
        "Glue's components talk to each other, so at least one security group of a connection or development "
        "endpoint must have an inbound rule from the group itself for all TCP ports: `IpProtocol` `tcp` from 0 "
        "to 65535, or `-1` (all traffic), with the group's own id in `UserIdGroupPairs`. None has, so the "
        "connection or endpoint fails (HIGH). Add the rule: `aws ec2 authorize-security-group-ingress --group-id "
        "<sg> --protocol tcp --port 0-65535 --source-group <sg>` (a VPC's default group often has one for all "
        "traffic). See https://docs.aws.amazon.com/glue/latest/dg/setup-vpc-for-glue-access.html.",
    .security_severity = "8.0",
    .tags = "security glue network"};

const RuleMeta kGlueEgressClosed{
    .id = "GLUE-NET-04",
    .name = "GlueSecurityGroupEgressClosed",
    .type = FindingType::security_warning,
    .summary = "no security group of a Glue connection or development endpoint allows the outbound traffic Glue needs",
    .help =
        "Glue needs outbound traffic either open to all ports or allowed to the group itself on all TCP ports (a "
        "self-referencing egress rule, `tcp` 0-65535 or `-1`). None of the security groups of the connection or "
        "development endpoint has either rule (MEDIUM). Add a self-referencing egress rule for all TCP, or open "
        "egress; with an S3 VPC endpoint also allow HTTPS to the S3 prefix list (`pl-...`). See "
        "https://docs.aws.amazon.com/glue/latest/dg/setup-vpc-for-glue-access.html.",
    .security_severity = "5.0",
    .precision = "high",
    .tags = "security glue network"};

const RuleMeta kGlueSecurityGroupOpen{
    .id = "GLUE-NET-05",
    .name = "GlueDevEndpointOpenToInternet",
    .type = FindingType::security_warning,
    .summary = "a development endpoint's security group allows SSH or HTTPS from anywhere",
    .help =
        "The security group of a development endpoint also guards its notebook server. An inbound rule for port "
        "22, 443 or all traffic from `0.0.0.0/0` or `::/0` opens them to the whole internet (MEDIUM). The Glue "
        "documentation accepts `0.0.0.0/0`, so this is hardening advice: limit the source to the addresses of "
        "the machines that connect. See "
        "https://docs.aws.amazon.com/glue/latest/dg/start-development-endpoint.html.",
    .security_severity = "5.0",
    .tags = "security glue network"};

const RuleMeta kGlueNoKmsEndpoint{
    .id = "GLUE-NET-06",
    .name = "GlueVpcWithoutKmsEndpoint",
    .type = FindingType::suggestion,
    .summary = "a VPC where Glue encrypts JDBC work has no private KMS endpoint",
    .help =
        "When a job or crawler that uses a JDBC connection has a security configuration, Glue calls AWS KMS from "
        "the VPC and needs a route to it: a NAT gateway, or an interface endpoint for "
        "`com.amazonaws.<region>.kms` with private DNS. Without one, jobs time out on KMS and crawlers fail with "
        "an internal service exception. The VPC has no such endpoint with `PrivateDnsEnabled` (INFO: a NAT route "
        "cannot be seen in the snapshot). Create the interface endpoint with Enable Private DNS name, or check "
        "the subnets' route to a NAT gateway. See "
        "https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html.",
    .precision = "medium",
    .tags = "glue network"};

const RuleMeta kGlueDevEndpoint{
    .id = "GLUE-INFO-01",
    .name = "GlueDevEndpointInUse",
    .type = FindingType::suggestion,
    .summary = "a development endpoint, a legacy feature, is still defined",
    .help =
        "Development endpoints run only Glue 0.9 and 1.0, are not offered in newer Regions and have had no "
        "console since 31 March 2023 (API and CLI only); AWS strongly recommends moving to interactive sessions "
        "(INFO). Move the endpoint's notebooks to interactive sessions, then delete it with `aws glue "
        "delete-dev-endpoint --endpoint-name <name>`. See https://docs.aws.amazon.com/glue/latest/dg/development.html.",
    .tags = "glue maintainability"};

namespace {

constexpr std::array kGlue = {
    &kSnapshotInputMissing,
    &kGlueCatalogUnencrypted,
    &kGluePasswordsUnencrypted,
    &kGlueNoSecurityConfiguration,
    &kGlueMissingSecurityConfiguration,
    &kGlueWeakSecurityConfiguration,
    &kGlueJdbcSslNotEnforced,
    &kGlueKeyNotSymmetric,
    &kGlueKeyNotEnabled,
    &kGlueKeyUnresolved,
    &kGlueLogsKeyPolicy,
    &kGlueKeyPolicyNoIamDelegation,
    &kGlueLogsKeyGrantOverbroad,
    &kGlueOperatorActions,
    &kGlueCatalogKeyAccess,
    &kGluePasswordKeyAccess,
    &kGlueS3KeyAccess,
    &kGlueBookmarkKeyAccess,
    &kGlueLogsAssociateKey,
    &kGlueKmsAliasResource,
    &kGlueRoleTrust,
    &kGlueNotebookRoleTrust,
    &kGlueRoleNaming,
    &kGluePassRoleUnscoped,
    &kGlueRoleKmsOverbroad,
    &kGlueOperatorWildcard,
    &kGlueVpcDns,
    &kGlueNoS3Endpoint,
    &kGlueNoSelfReference,
    &kGlueEgressClosed,
    &kGlueSecurityGroupOpen,
    &kGlueNoKmsEndpoint,
    &kGlueDevEndpoint,
};

}  // namespace

// The Glue pack's rules in their documented order (ACC005 first).
std::span<const RuleMeta* const> glue_rules() { return kGlue; }

}  // namespace grantlint::rules
