// The metadata of every rule. Messages themselves are written where the rule is checked;
// this file holds what `grantlint rules`, SARIF and docs/rules.md say about each rule.
#include "rules/registry.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "base/strings.h"

namespace grantlint {

std::string help_uri(const RuleMeta& rule) {
  std::string anchor(rule.id);
  for (char& c : anchor) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return fmt::format("{}#{}", kRulesDocUri, anchor);
}

}  // namespace grantlint

namespace grantlint::rules {

const RuleMeta kInvalidJson{
    .id = "JSON001", .name = "InvalidJson", .type = FindingType::error,
    .summary = "the file is not valid JSON",
    .help = "The file could not be parsed as JSON (RFC 8259). The finding points at the first byte "
            "that breaks the grammar and says what was expected there. AWS rejects such a policy "
            "with `MalformedPolicyDocument`; nothing else in the file can be checked until it parses.",
    .tags = "correctness syntax", .access_analyzer = "JSON_SYNTAX_ERROR"};

const RuleMeta kUtf8Bom{
    .id = "JSON002", .name = "Utf8ByteOrderMark", .type = FindingType::error,
    .summary = "the file starts with a UTF-8 byte order mark",
    .help = "A UTF-8 byte order mark (EF BB BF) is not JSON. The AWS CLI sends `file://` contents "
            "as they are, and IAM rejects the document as malformed. Save the file as UTF-8 without "
            "a BOM. grantlint skips the mark and checks the rest of the file.",
    .tags = "correctness syntax", .access_analyzer = "JSON_SYNTAX_ERROR"};

const RuleMeta kTrailingContent{
    .id = "JSON003",
    .name = "TrailingContent",
    .type = FindingType::error,
    .summary = "content follows the JSON value",
    .help =
        "A JSON text holds exactly one value. Anything after it other than white space (a second "
        "object, a stray bracket, a comment) makes the document malformed for AWS, and grantlint does not analyse "
        "what the file holds until it is removed.",
    .tags = "correctness syntax",
    .access_analyzer = "JSON_SYNTAX_ERROR"};

const RuleMeta kDuplicateKey{
    .id = "JSON004", .name = "DuplicateKey", .type = FindingType::error,
    .summary = "an object has the same key twice",
    .help = "IAM's grammar forbids a key twice in one object, yet most JSON parsers keep only the last "
            "one, so reviewers and tools can read a different policy than AWS evaluates. Merge the two "
            "members or remove one. A second condition under the same operator needs its own statement.",
    .tags = "correctness syntax", .access_analyzer = "JSON_SYNTAX_ERROR"};

const RuleMeta kNestingTooDeep{
    .id = "JSON005", .name = "NestingTooDeep", .type = FindingType::error,
    .summary = "the JSON nests deeper than grantlint reads",
    .help = "No policy needs more than a handful of nested levels; grantlint stops at 256 so that hostile "
            "input cannot exhaust the stack. The file is reported and not analysed further.",
    .tags = "correctness syntax"};

const RuleMeta kInvalidYaml{
    .id = "TPL001", .name = "InvalidYaml", .type = FindingType::error,
    .summary = "a template file is not valid YAML",
    .help = "The file (`.yaml`, `.yml`, or a `.template` that does not start with `{`) could not be read as YAML; "
            "the finding points at where the reader stopped and says why. Also reported: a second document in one "
            "template (a template is one document; only the first is read), an alias that names no anchor, a merge "
            "key `<<` whose value is not a mapping or a list of mappings, and "
            "anchors and aliases that would expand the document past a million values or 64 MB beyond the file's "
            "size. CloudFormation rejects such a template; apart from a second document, nothing in it is "
            "analysed.",
    .tags = "correctness syntax template"};

const RuleMeta kMalformedIntrinsic{
    .id = "TPL002", .name = "MalformedIntrinsic", .type = FindingType::error,
    .summary = "an intrinsic function in a template's policy is misused",
    .help = "Inside a policy of a CloudFormation template, a function that CloudFormation rejects: `Ref` of "
            "something other than a name, `Fn::GetAtt`, `Fn::Join`, `Fn::If` or `Fn::Sub` with the wrong "
            "arguments, an `Fn::If` naming a condition that `Conditions` does not define (anywhere in a "
            "resource; in a policy only its first branch is analysed) or a condition defined from one it does not "
            "define (`!Not [!Condition IsPord]`) or from itself, a `Fn::` name CloudFormation does not know, "
            "or `${aws:username}` written in `Fn::Sub`, where CloudFormation looks for a template value of that name: the IAM policy variable is written "
            "`${!aws:username}` there. The rest of the policy is analysed with the function's value unknown.",
    .tags = "correctness template"};

const RuleMeta kPolicyNotAnalysed{
    .id = "TPL003", .name = "PolicyNotAnalysed", .type = FindingType::suggestion,
    .summary = "a template's or a plan's policy, or a YAML file, that grantlint cannot analyse",
    .help = "A policy written as a string that an intrinsic function builds (`Fn::Sub` or `Fn::Join` of JSON "
            "text) is known only at deploy time; written as an object, it is analysed. Also: a `Transform` "
            "naming a macro other than AWS's own, `Fn::Transform` (`AWS::Include`) where statements, properties "
            "or resources go, and resources an `Fn::ForEach` loop makes (check the processed "
            "template: `get-template --template-stage Processed`); a YAML file named on the "
            "command line that is not a template; a grant without a policy document (Lambda permissions); in a plan, "
            "a policy known only after apply (`after_unknown`). Errors, which "
            "CloudFormation refuses: `Resources` not a map; a resource without a string `Type` or with "
            "non-object `Properties`; a role without `AssumeRolePolicyDocument`, a policy resource without "
            "`PolicyDocument`; `Policies` that is not a list of policies (one policy alone is still analysed). "
            "Also errors: in a plan, `resources` not a list, or a resource not an object with a `type` and object "
            "`values`.",
    .tags = "template"};

const RuleMeta kNotAnObject{
    .id = "POL001", .name = "PolicyNotAnObject", .type = FindingType::error,
    .summary = "a policy document must be a JSON object",
    .help = "A policy is a JSON object with `Version` and `Statement`. An array, string or number at the "
            "top of the document is not a policy.",
    .access_analyzer = "DATA_TYPE_MISMATCH"};

const RuleMeta kEmbeddedPolicy{
    .id = "POL002", .name = "InvalidEmbeddedPolicy", .type = FindingType::error,
    .summary = "a policy held in a string cannot be decoded",
    .help = "Key policies (`aws kms get-key-policy`) and some IAM API responses hold the policy as a JSON "
            "string, sometimes URL-encoded. The string here is not a policy: it is empty or its "
            "URL-encoding is broken (a `%` not followed by two hex digits). Also reported: a Terraform plan's "
            "policy attribute that is not a string at all (`42`, `{}`, or `null` where the policy is required).",
    .tags = "correctness syntax"};

const RuleMeta kMissingVersion{
    .id = "POL003", .name = "MissingVersion", .type = FindingType::warning,
    .summary = "the policy has no `Version`",
    .help = "Without `\"Version\": \"2012-10-17\"` IAM evaluates the policy with the 2008-10-17 language: "
            "policy variables such as `${aws:username}` are matched as literal text. That is a warning when the "
            "policy uses a variable, a note otherwise. Add `\"Version\": \"2012-10-17\"`.",
    .tags = "correctness",
    .access_analyzer = "MISSING_VERSION"};

const RuleMeta kInvalidVersion{
    .id = "POL004", .name = "InvalidVersion", .type = FindingType::error,
    .summary = "`Version` is not one of the two policy language versions",
    .help = "`Version` must be the string `2012-10-17` (current) or `2008-10-17` (legacy). It is a "
            "language version, not a date of your own: any other value is rejected.",
    .access_analyzer = "INVALID_VERSION"};

const RuleMeta kLegacyVersion{
    .id = "POL005", .name = "LegacyVersion", .type = FindingType::warning,
    .summary = "`Version` 2008-10-17 makes policy variables literal text",
    .help = "Under the 2008-10-17 language `${aws:username}`, `${*}` and every other policy variable is "
            "matched as literal text, which is rarely what the author meant: a warning when the policy uses a "
            "variable, a note otherwise. Use `2012-10-17`.",
    .access_analyzer = "VARIABLE_UNSUPPORTED_IN_VERSION"};

const RuleMeta kMissingStatement{
    .id = "POL006", .name = "MissingStatement", .type = FindingType::error,
    .summary = "the policy has no statement",
    .help = "`Statement` is required and must hold at least one statement object (a single object or "
            "an array of objects).",
    .access_analyzer = "MISSING_STATEMENT"};

const RuleMeta kUnknownElement{
    .id = "POL007", .name = "UnknownElement", .type = FindingType::error,
    .summary = "an element that the policy grammar does not have",
    .help = "Policies accept `Version`, `Id` and `Statement` at the top; statements accept `Sid`, "
            "`Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`, `NotResource` and "
            "`Condition`; principal maps accept `AWS`, `Service`, `Federated` and `CanonicalUser`. Names "
            "are case-sensitive. AWS rejects any other key.",
    .access_analyzer = "INVALID_POLICY_ELEMENT INVALID_PRINCIPAL_KEY"};

const RuleMeta kWrongType{
    .id = "POL008", .name = "WrongJsonType", .type = FindingType::error,
    .summary = "an element has the wrong JSON type",
    .help = "Every element has a fixed JSON type: `Version`, `Id`, `Sid` and `Effect` are strings; "
            "`Statement` is an object or an array of objects; `Action`, `Resource` and principal values "
            "are a string or an array of strings; `Condition` is an object of objects. Only condition "
            "values may also be numbers or booleans (AWS reads them as their JSON text).",
    .access_analyzer = "DATA_TYPE_MISMATCH"};

const RuleMeta kEmptyValue{
    .id = "POL009", .name = "EmptyValue", .type = FindingType::suggestion,
    .summary = "an empty array or object makes its statement or condition do nothing",
    .help = "A statement with no actions, resources or principals matches no request, and a condition "
            "key with no values never matches (or, with `ForAllValues` or `IfExists`, matches only when "
            "the key is absent). Fill it in or remove it.",
    .tags = "correctness maintainability",
    .access_analyzer = "EMPTY_ARRAY_CONDITION_FORALLVALUES EMPTY_ARRAY_CONDITION_FORANYVALUE EMPTY_ARRAY_CONDITION_IFEXISTS EMPTY_ARRAY_ACTION EMPTY_ARRAY_RESOURCE EMPTY_ARRAY_PRINCIPAL EMPTY_OBJECT_PRINCIPAL "
                       "EMPTY_ARRAY_CONDITION EMPTY_OBJECT_CONDITION EMPTY_SID_VALUE"};

const RuleMeta kPolicyTooLarge{
    .id = "POL010",
    .name = "PolicyTooLarge",
    .type = FindingType::error,
    .summary = "the policy is over its size quota",
    .help =
        "AWS limits policy size by kind, counting characters other than white space: customer "
        "managed policies 6,144; inline policies 2,048 (user), 5,120 (group), 10,240 (role); role "
        "trust policies 2,048 by default (4,096 at most); SCPs 5,120. KMS key policies are limited "
        "to 32,768 bytes; DynamoDB resource policies to 20,480 bytes, S3 bucket and access point policies to "
        "20 KB (counted here as 20,480 characters without white space: S3 does not say), when the resource "
        "is known (see RES010). AWS managed policies in an account export are not measured: AWS writes "
        "them past its customers' quota, and no account can change them. Split the policy or narrow it with "
        "wildcards.",
    .access_analyzer =
        "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA "
        "POLICY_SIZE_EXCEEDS_SCP_QUOTA "
        "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA"};

const RuleMeta kInvalidCharacter{
    .id = "POL011", .name = "InvalidCharacter", .type = FindingType::error,
    .summary = "a character that IAM policies do not accept",
    .help = "IAM rejects identity, trust and organization policies containing characters outside "
            "tab, line feed, carriage return and U+0020 to U+00FF. Typographic quotes and non-breaking "
            "characters pasted from documents are the usual cause."};

const RuleMeta kIdInIdentityPolicy{
    .id = "POL012", .name = "IdInIdentityPolicy", .type = FindingType::suggestion,
    .summary = "`Id` has no meaning in an identity policy",
    .help = "The grammar allows `Id` only in resource-based policies; IAM ignores it elsewhere. Remove it, "
            "or use `Sid` to name a statement.",
    .tags = "maintainability"};

const RuleMeta kInvalidSid{
    .id = "POL013", .name = "InvalidSid", .type = FindingType::error,
    .summary = "a `Sid` with characters IAM does not accept",
    .help = "In identity policies, permissions boundaries, role trust policies and SCPs, a `Sid` may "
            "contain only ASCII letters and digits. Key policies and other resource policies accept "
            "spaces and punctuation.",
    .access_analyzer = "UNSUPPORTED_SID"};

const RuleMeta kDuplicateSid{
    .id = "POL014", .name = "DuplicateSid", .type = FindingType::error,
    .summary = "two statements have the same `Sid`",
    .help = "IAM requires statement ids to be unique within identity policies, role trust policies and "
            "SCPs (an error). Key policies and other resource policies accept duplicates, but they make "
            "statements hard to tell apart (a warning). Rename one of the statements.",
    .access_analyzer = "UNIQUE_SIDS_REQUIRED UNIQUE_SIDS_RECOMMENDED"};

const RuleMeta kMissingEffect{
    .id = "POL015", .name = "MissingEffect", .type = FindingType::error,
    .summary = "a statement has no `Effect`",
    .help = "Every statement needs `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`.",
    .access_analyzer = "MISSING_EFFECT"};

const RuleMeta kInvalidEffect{
    .id = "POL016", .name = "InvalidEffect", .type = FindingType::error,
    .summary = "`Effect` is neither `Allow` nor `Deny`",
    .help = "`Effect` is case-sensitive and takes exactly `Allow` or `Deny`; `allow` or `DENY` are "
            "rejected.",
    .access_analyzer = "INVALID_EFFECT"};

const RuleMeta kMissingAction{
    .id = "POL017", .name = "MissingAction", .type = FindingType::error,
    .summary = "a statement has neither `Action` nor `NotAction`",
    .help = "Every statement needs exactly one of `Action` and `NotAction`.",
    .access_analyzer = "MISSING_ACTION"};

const RuleMeta kConflictingElements{
    .id = "POL018", .name = "ConflictingElements", .type = FindingType::error,
    .summary = "a statement has both an element and its `Not` form",
    .help = "`Action` and `NotAction`, `Resource` and `NotResource`, `Principal` and `NotPrincipal` "
            "exclude each other: a statement takes one of each pair.",
    .access_analyzer = "UNSUPPORTED_ELEMENT_COMBINATION"};

const RuleMeta kInvalidAction{
    .id = "POL019", .name = "InvalidActionFormat", .type = FindingType::error,
    .summary = "an action is not `*` or `service:action`",
    .help = "An action is `*` or a service prefix and an action name separated by one colon, such as "
            "`s3:GetObject`. The name may use `*` and `?`; the service prefix may not (IAM: \"Action "
            "vendors must not contain wildcards\"). Commas and spaces are not separators: list each "
            "action as its own string.",
    .access_analyzer = "WILDCARD_IN_SERVICE_NAME"};

const RuleMeta kMissingResource{
    .id = "POL020", .name = "MissingResource", .type = FindingType::error,
    .summary = "a statement has neither `Resource` nor `NotResource`",
    .help = "Every statement needs `Resource` or `NotResource`, except in role trust policies. KMS accepts "
            "a key-policy statement without `Resource`, but that statement has no effect (reported as a "
            "warning there).",
    .access_analyzer = "MISSING_RESOURCE"};

const RuleMeta kResourceNotAllowed{
    .id = "POL021", .name = "ResourceInTrustPolicy", .type = FindingType::error,
    .summary = "a role trust policy names a resource",
    .help = "A role trust policy applies to the role it is attached to; IAM rejects `Resource` and "
            "`NotResource` in it (\"Has prohibited field Resource\"). Remove the element.",
    .access_analyzer = "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"};

const RuleMeta kKeyPolicyResource{
    .id = "POL022", .name = "KeyPolicyResourceNotStar", .type = FindingType::warning,
    .summary = "a key policy statement's `Resource` is not `*`",
    .help = "In a KMS key policy `\"Resource\": \"*\"` means \"this key\", and it is the only value the KMS "
            "documentation allows. Another ARN matches nothing unless it is this key's own ARN, so the "
            "statement may silently do nothing. Use `\"*\"`. A KMS key ARN (or pattern) is reported as a note, "
            "since it works when it is this key's own; any other resource, and `NotResource`, as a warning."};

const RuleMeta kMissingPrincipal{
    .id = "POL023", .name = "MissingPrincipal", .type = FindingType::error,
    .summary = "a resource-based policy statement has no `Principal`",
    .help = "Statements of resource-based policies (bucket, key and trust policies and others) must say "
            "whom they apply to with `Principal` (or, for Deny only, `NotPrincipal`).",
    .access_analyzer = "MISSING_PRINCIPAL"};

const RuleMeta kPrincipalNotAllowed{
    .id = "POL024", .name = "PrincipalNotAllowed", .type = FindingType::error,
    .summary = "`Principal` or `NotPrincipal` where the policy kind does not take it",
    .help = "Identity policies, permissions boundaries, session policies and SCPs apply to the principal "
            "they are attached to; AWS rejects `Principal` and `NotPrincipal` in them. Role trust policies "
            "reject `NotPrincipal`. `Federated` principals (identity providers) belong in role trust policies "
            "only. If the file is a resource policy, pass `--policy-type resource`.",
    .access_analyzer = "UNSUPPORTED_PRINCIPAL SCP_SYNTAX_ERROR_PRINCIPAL ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL "
                       "FEDERATED_PRINCIPAL_NOT_SUPPORTED"};

const RuleMeta kAllowWithNotPrincipal{
    .id = "POL025", .name = "AllowWithNotPrincipal", .type = FindingType::security_warning,
    .summary = "`NotPrincipal` with `Allow` grants access to everyone not listed",
    .help = "With `Allow`, `NotPrincipal` grants access to everyone not listed, including anonymous callers, "
            "and most services reject it. With `Deny` it is legal but fragile: it must list the account, the "
            "role and the session ARNs to work. Prefer `Principal` with a condition on `aws:PrincipalArn`.",
    .security_severity = "7.5", .precision = "high", .tags = "correctness",
    .access_analyzer = "ALLOW_WITH_NOT_PRINCIPAL"};

const RuleMeta kInvalidPrincipal{
    .id = "POL026", .name = "InvalidPrincipal", .type = FindingType::error,
    .summary = "a principal value is not a valid account, ARN or service name",
    .help = "`AWS` takes `*`, a 12-digit account id or an IAM or STS principal ARN; `Service` a service "
            "principal such as `glue.amazonaws.com`; `Federated` an identity provider domain or a SAML or "
            "OIDC provider ARN; `CanonicalUser` a 64-digit hex id (S3 only). `Principal` itself is `\"*\"` "
            "or an object of those keys.",
    .access_analyzer = "INVALID_PRINCIPAL_FORMAT INVALID_SERVICE_PRINCIPAL_FORMAT "
                       "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY"};

const RuleMeta kWildcardInPrincipal{
    .id = "POL027", .name = "PartialWildcardInPrincipal", .type = FindingType::error,
    .summary = "a principal with a wildcard that AWS does not expand",
    .help = "Principals take `*` only on its own. `arn:aws:iam::123456789012:role/*` or "
            "`*.amazonaws.com` are rejected or match nothing. To match many principals use "
            "`\"AWS\": \"*\"` with a condition on `aws:PrincipalArn` (`ArnLike`). Role trust policies reject "
            "the bare `\"Principal\": \"*\"` too; they take `{\"AWS\": \"*\"}`.",
    .access_analyzer = "UNSUPPORTED_WILDCARD_IN_PRINCIPAL ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"};

const RuleMeta kInvalidCondition{
    .id = "POL028", .name = "InvalidConditionBlock", .type = FindingType::error,
    .summary = "a `Condition` block that is not `{operator: {key: value}}`",
    .help = "`Condition` is an object whose members are operators; each operator holds an object whose "
            "members are condition keys; each key holds a string, number, boolean or an array of those, all of "
            "one type. Keys that differ only in case are the same key to IAM.",
    .access_analyzer = "DATA_TYPE_MISMATCH DUPLICATE_KEYS_WITH_DIFFERENT_CASE INVALID_CONDITION_KEY_FORMAT "
                       "INVALID_CONDITION_DATA_TYPE"};

const RuleMeta kUnknownOperator{
    .id = "POL029", .name = "UnknownConditionOperator", .type = FindingType::error,
    .summary = "a condition operator that IAM does not have",
    .help = "The operators are the String, Numeric, Date, Bool, Binary, IpAddress, Arn and Null families, "
            "optionally with an `IfExists` suffix and a `ForAllValues:` or `ForAnyValue:` prefix. "
            "Operator names are matched without regard to case by AWS, but only the documented spelling "
            "is portable (reported as a warning).",
    .access_analyzer = "INVALID_CONDITION_OPERATOR"};

const RuleMeta kInvalidSetOperator{
    .id = "POL030", .name = "InvalidSetOperator", .type = FindingType::error,
    .summary = "a set-operator prefix that is misspelt or misplaced",
    .help = "The only set operators are `ForAllValues:` and `ForAnyValue:`, written before the operator "
            "(`ForAnyValue:StringLike`). `ForAllValue:`, `ForEachValue:` or a suffix form are rejected.",
    .access_analyzer = "INVALID_CONDITION_OPERATOR"};

const RuleMeta kNullWithIfExists{
    .id = "POL031", .name = "NullWithIfExists", .type = FindingType::error,
    .summary = "`Null` takes no `IfExists` suffix",
    .help = "`Null` already tests whether the key exists; `NullIfExists` is rejected. Use `Null`.",
    .access_analyzer = "NULL_WITH_IF_EXISTS"};

const RuleMeta kMismatchedFederatedAction{
    .id = "POL034", .name = "MismatchedFederatedAction", .type = FindingType::error,
    .summary = "a trust statement's assume action does not fit its federated principal",
    .help = "A SAML provider (`arn:aws:iam::ACCOUNT:saml-provider/NAME`) assumes a role with "
            "`sts:AssumeRoleWithSAML`, an OIDC provider (`oidc-provider/...`, `accounts.google.com`, "
            "`cognito-identity.amazonaws.com`, `graph.facebook.com`, `www.amazon.com`) with "
            "`sts:AssumeRoleWithWebIdentity`. Another assume action (`sts:AssumeRole`, or the other provider "
            "kind's) in a statement whose only principals are such providers can never be used: the role cannot "
            "be assumed as intended.",
    .tags = "correctness federation", .access_analyzer = "MISMATCHED_ACTION_FOR_PRINCIPAL"};

const RuleMeta kRolesAnywhereMissingActions{
    .id = "POL035", .name = "RolesAnywhereMissingActions", .type = FindingType::error,
    .summary = "a trust for IAM Roles Anywhere without the three actions it needs",
    .help = "`rolesanywhere.amazonaws.com` assumes a role with `sts:AssumeRole`, `sts:SetSourceIdentity` and "
            "`sts:TagSession` together; a trust statement for it that allows fewer makes every session fail.",
    .tags = "correctness", .access_analyzer = "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY"};

const RuleMeta kUnknownPolicyVariable{
    .id = "POL036",
    .name = "UnknownPolicyVariable",
    .type = FindingType::warning,
    .summary = "a policy variable naming a key that no request carries",
    .help =
        "IAM replaces `${key}` with the request's value of that condition key. A variable whose key is "
        "neither a global key nor one of a service's (a typo such as `${aws:usrname}`, a CloudFormation "
        "pseudo parameter such as `${AWS::AccountId}` left outside `Fn::Sub`) or whose key holds several "
        "values (`${aws:TagKeys}`) is never filled in (the variables AWS Transfer Family and AWS IoT Core fill "
        "in, `${transfer:HomeFolder}`, `${iot:ClientId}`, are known): a resource or a condition value holding it "
        "matches no request. An entry of a negated operator (`StringNotEquals`, `ArnNotLike`) then tests its "
        "other values only, and with none holds for every request (under `ForAnyValue:`, every request that "
        "carries the key); `ForAllValues:StringEquals` holds only for requests that carry no value of the key. "
        "Write the key as the catalog names it; in a CloudFormation template, wrap the string in `Fn::Sub` "
        "(`!Sub`) so that CloudFormation fills in its pseudo parameters (`${AWS::AccountId}`, two colons).",
    .tags = "correctness"};

const RuleMeta kUnknownService{
    .id = "ACT001", .name = "UnknownServicePrefix", .type = FindingType::error,
    .summary = "an action names a service prefix that AWS does not have",
    .help = "The part of an action before the colon is a service prefix, such as `s3` or `kms`. This one is "
            "in no service of the AWS Service Authorization Reference (grantlint's catalog; `grantlint "
            "catalog` shows its date), so the action matches nothing. Check the spelling; prefixes are not "
            "always the service's name (`es` for OpenSearch, `elasticloadbalancing` for ELB).",
    .access_analyzer = "INVALID_SERVICE_IN_ACTION"};

const RuleMeta kUnknownAction{
    .id = "ACT002", .name = "UnknownAction", .type = FindingType::error,
    .summary = "an action that its service does not have",
    .help = "The service exists, but has no action of this name in the AWS Service Authorization Reference "
            "(grantlint's catalog), so the statement does not grant or deny it. Action names are not case "
            "sensitive; use `grantlint catalog expand 'service:*'` to list a service's actions.",
    .access_analyzer = "INVALID_ACTION"};

const RuleMeta kPatternMatchesNothing{
    .id = "ACT003", .name = "ActionPatternMatchesNothing", .type = FindingType::warning,
    .summary = "an action wildcard that matches no action of its service",
    .help = "A pattern such as `s3:Gett*` that matches no action grants nothing in an Allow and, worse, "
            "denies nothing in a Deny. Fix the pattern; `grantlint catalog expand PATTERN` lists what a "
            "pattern matches."};

const RuleMeta kUnknownConditionKey{
    .id = "CON001", .name = "UnknownConditionKey", .type = FindingType::error,
    .summary = "a condition key that is neither global nor defined by its service",
    .help = "IAM does not reject unknown condition keys; they are simply never present in a request, so the "
            "condition silently never matches (or, with a negated operator or `IfExists`, always does). The "
            "key is checked against the global `aws:` keys and the service's keys in the catalog; keys of "
            "identity providers (`accounts.google.com:aud`, `saml:sub`) are not checked. Tag keys need the "
            "tag's key: `aws:ResourceTag/team`, not `aws:ResourceTag`.",
    .access_analyzer = "INVALID_SERVICE INVALID_GLOBAL_CONDITION_KEY INVALID_SERVICE_CONDITION_KEY "
                       "MISSING_TAG_KEY_IN_CONDITION"};

const RuleMeta kConditionKeyNotSupported{
    .id = "CON002", .name = "ConditionKeyNotSupportedByActions", .type = FindingType::warning,
    .summary = "a service condition key that no action of the statement supports",
    .help = "A service's condition key is in the request context only for the actions (and resource types) "
            "that the Service Authorization Reference lists it for. When no action of the statement supports "
            "it, the condition never sees a value. Move the actions that support it into their own statement.",
    .precision = "high",
    .access_analyzer = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY"};

const RuleMeta kInvalidConditionValue{
    .id = "CON003", .name = "InvalidConditionValue", .type = FindingType::error,
    .summary = "a condition value its operator cannot read",
    .help = "Numeric operators need decimal numbers, Date operators ISO 8601 dates or epoch seconds, `Bool` "
            "and `Null` need `true` or `false`, IpAddress operators IPv4 or IPv6 addresses or CIDR ranges, "
            "`BinaryEquals` base64. A value the operator cannot read never matches. A CIDR range with bits set "
            "after its prefix is reported as a note: IAM ignores those bits. A value of `aws:RequestedRegion` "
            "that is not a region name (a zone such as `us-east-1a`, `useast1`, upper case under a "
            "case-sensitive operator) is never the requested region.",
    .access_analyzer = "TYPE_MISMATCH TYPE_MISMATCH_BOOLEAN TYPE_MISMATCH_DATE TYPE_MISMATCH_IP_RANGE TYPE_MISMATCH_NUMBER INVALID_DATE_VALUE DATA_TYPE_MISMATCH INVALID_CONDITION_MULTIPLE_BOOLEAN IMPROVE_IP_RANGE "
                       "TYPE_MISMATCH_STRING INVALID_REGION"};

const RuleMeta kOperatorTypeMismatch{
    .id = "CON004", .name = "OperatorKeyTypeMismatch", .type = FindingType::warning,
    .summary = "an operator that compares a different type than the key holds",
    .help = "Each condition key has a type (String, ARN, Numeric, Date, Bool, IPAddress, or an array of one). "
            "Numeric, Date, Bool, IpAddress and Arn operators read the request value as their own type; used "
            "on a key of another type they do not compare what the author meant. String operators may be used "
            "on ARN keys.",
    .precision = "high",
    .access_analyzer = "DATA_TYPE_MISMATCH"};

const RuleMeta kSetOperatorOnSingleValue{
    .id = "CON005", .name = "SetOperatorOnSingleValuedKey", .type = FindingType::warning,
    .summary = "`ForAllValues` or `ForAnyValue` on a key that holds one value",
    .help = "Set operators are for multivalued keys such as `aws:TagKeys`. On a single-valued key "
            "`ForAllValues` is true when the key is absent (an over-permissive trap: a warning), and "
            "`ForAnyValue` is the plain operator written the long way (a note). Use the plain operator.",
    .tags = "correctness security",
    .access_analyzer = "FORALLVALUES_WITH_SINGLE_VALUED_KEY"};

const RuleMeta kMissingSetOperator{
    .id = "CON006", .name = "MissingSetOperator", .type = FindingType::error,
    .summary = "a multivalued key tested without `ForAnyValue:` or `ForAllValues:`",
    .help = "A key such as `aws:TagKeys` or `aws:PrincipalOrgPaths` can carry several values. A plain operator "
            "on it does not say whether any or all of them must match, and IAM does not match it as the "
            "author likely meant. Prefix the operator with `ForAnyValue:` or `ForAllValues:`.",
    .access_analyzer = "MISSING_QUALIFIER"};

const RuleMeta kForAllValuesWithAllow{
    .id = "CON007", .name = "ForAllValuesWithAllow", .type = FindingType::suggestion,
    .summary = "`ForAllValues` in an Allow is true when the key is missing",
    .help = "`ForAllValues:` is true for an empty or absent set, so an Allow conditioned on it also allows "
            "requests that carry no value for the key at all. That is often intended (AWS's tag examples use "
            "it next to `aws:RequestTag` conditions); if it is not, add `\"Null\": {\"KEY\": \"false\"}` to "
            "the same statement to require the key.",
    .precision = "medium", .tags = "correctness security"};

const RuleMeta kForAnyValueWithDeny{
    .id = "CON008", .name = "ForAnyValueWithDeny", .type = FindingType::suggestion,
    .summary = "`ForAnyValue` in a Deny is false when the key is missing",
    .help = "`ForAnyValue:` is false for an empty or absent set, so a Deny conditioned on it does not deny "
            "requests that carry no value for the key. If those must be denied too, add a statement with "
            "`\"Null\": {\"KEY\": \"true\"}`.",
    .precision = "medium", .tags = "correctness security"};

const RuleMeta kVariableInNonStringOperator{
    .id = "CON009", .name = "VariableInNonStringOperator", .type = FindingType::error,
    .summary = "a policy variable under an operator that does not expand it",
    .help = "Policy variables (`${aws:username}`) are expanded only in `Resource` and in the values of String "
            "and Arn operators. Under Numeric, Date, Bool, IpAddress, Binary or Null operators the text is "
            "compared as written and never matches as meant.",
    .access_analyzer = "INVALID_VARIABLE_FOR_OPERATOR"};

const RuleMeta kPrivateSourceIp{
    .id = "CON010", .name = "PrivateSourceIp", .type = FindingType::error,
    .summary = "`aws:SourceIp` compared with private IP addresses, which it never holds",
    .help = "`aws:SourceIp` is the public address a request comes from; requests from a VPC through an endpoint "
            "carry `aws:VpcSourceIp` instead. With `IpAddress` only private ranges (10/8, 172.16/12, 192.168/16, "
            "127/8, 169.254/16, 100.64/10, fc00::/7, fe80::/10, ::1) never match, and with `NotIpAddress` they "
            "always do: the condition does not do what it says (error). Private ranges mixed with public ones "
            "are a note: the private ones have no effect. Use `aws:VpcSourceIp` or `aws:SourceVpc`/"
            "`aws:SourceVpce` for private networks.",
    .access_analyzer = "PRIVATE_IP_ADDRESS PRIVATE_NOT_IP_ADDRESS PRIVATE_IP_ADDRESS_SUBSET "
                       "PRIVATE_NOT_IP_ADDRESS_SUBSET"};

const RuleMeta kMalformedVpcId{
    .id = "CON011", .name = "MalformedVpcId", .type = FindingType::error,
    .summary = "an `aws:SourceVpc` or `aws:SourceVpce` value that is no VPC or VPC endpoint id",
    .help = "VPC ids are `vpc-` and VPC endpoint ids `vpce-`, each followed by 8 or 17 letters and digits "
            "(`vpc-1a2b3c4d`, `vpce-0123456789abcdef0`). Any other value never matches a request. Wildcards "
            "under a `Like` operator are left alone.",
    .access_analyzer = "INVALID_VPC_FORMAT INVALID_VPCE_FORMAT"};

const RuleMeta kWildcardWithoutLike{
    .id = "CON012", .name = "WildcardWithoutLike", .type = FindingType::warning,
    .summary = "`*` or `?` in a value of a String operator that compares literally",
    .help = "`StringEquals`, `StringNotEquals` and their `IgnoreCase` forms compare text exactly: `*` and `?` "
            "are ordinary characters there. If a wildcard was meant, use `StringLike` or `StringNotLike`; to "
            "compare a literal `*`, write the policy variable `${*}` under a Like operator.",
    .access_analyzer = "WILDCARD_WITHOUT_LIKE_OPERATOR"};

const RuleMeta kDeprecatedConditionKey{
    .id = "CON013", .name = "DeprecatedConditionKey", .type = FindingType::warning,
    .summary = "a deprecated global condition key",
    .help = "`aws:ARN` is the old name of the caller's ARN; AWS recommends `aws:PrincipalArn`, which also holds "
            "the role's ARN (not the session's) for assumed roles.",
    .access_analyzer = "DEPRECATED_GLOBAL_CONDITION_KEY UNSUPPORTED_GLOBAL_CONDITION_KEY"};

const RuleMeta kNullWithSetOperator{
    .id = "CON014", .name = "NullWithSetOperator", .type = FindingType::suggestion,
    .summary = "`Null` with `ForAllValues` or `ForAnyValue`",
    .help = "`Null` asks whether a key is absent. Under `ForAllValues:` it is true for a request without the key "
            "(an empty set satisfies every value), under `ForAnyValue:` false, whatever the value says. Write "
            "`Null` alone.",
    .access_analyzer = "NULL_WITH_QUALIFIER"};

const RuleMeta kTagKeyNotSupportedByService{
    .id = "CON015", .name = "TagKeyNotSupportedByService", .type = FindingType::security_warning,
    .summary = "a tag condition key on actions of services that do not support it",
    .help = "`aws:ResourceTag/...`, `aws:RequestTag/...` and `aws:TagKeys` are in a request's context only for "
            "the actions (and resource types) that support tag-based access control. For the others the key is "
            "absent, so the condition decides without any tag: `StringEquals` and the other positive operators "
            "are false, the `Not` operators, `IfExists` and `ForAllValues` true. A Deny meant for resources with "
            "a tag then does not deny those actions at all (a security warning); an Allow either allows them "
            "nothing (a note) or allows them whatever their tags (a warning). Give those actions their own "
            "statement with conditions they support, or leave them out. A statement with `NotAction` or "
            "`\"Action\": \"*\"` covers every service, and many support no tag key.",
    .security_severity = "5.0",
    .access_analyzer = "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE "
                       "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE "
                       "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE "
                       "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"};

const RuleMeta kWeakMfaCondition{
    .id = "CON016", .name = "WeakMfaCondition", .type = FindingType::security_warning,
    .summary = "an MFA condition that does not require MFA",
    .help = "A request signed with long-term access keys carries no `aws:MultiFactorAuthPresent` at all. "
            "`\"Bool\": {\"aws:MultiFactorAuthPresent\": \"false\"}` is therefore false for it: a Deny written "
            "so does not deny access keys, and an Allow so matches only temporary credentials obtained without "
            "MFA. `Null` false says only that the credentials are temporary, and an Allow under `BoolIfExists` "
            "true also matches access keys, without MFA. `StringEquals` compares the same text as `Bool`. "
            "`aws:MultiFactorAuthAge` is likewise absent without MFA: a Deny under `NumericGreaterThan` spares "
            "such requests, and an Allow under `NumericLessThanIfExists` admits them. To require MFA, deny with "
            "`\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}`, or allow with `Bool` true.",
    .security_severity = "5.0", .tags = "mfa"};

const RuleMeta kFixedConditionKey{
    .id = "CON017", .name = "FixedConditionKey", .type = FindingType::suggestion,
    .summary = "a condition on the account or organization of the policy's own resource",
    .help = "In a bucket's (or an access point's or a table's) own policy, `s3:ResourceAccount`, "
            "`aws:ResourceAccount`, `aws:ResourceOrgID` and `aws:ResourceOrgPaths` hold the same value in every "
            "request: the owner of that resource. The condition decides nothing there. These keys govern which "
            "resources a principal may reach: use them in identity policies, SCPs or RCPs. Checked when the "
            "resource is known (see RES010).",
    .access_analyzer = "IRRELEVANT_CONDITION_KEY_IN_POLICY"};

const RuleMeta kKeyAbsentForServicePrincipal{
    .id = "CON018", .name = "KeyAbsentForServicePrincipal", .type = FindingType::error,
    .summary = "a condition on a key that requests of a service principal do not carry",
    .help = "When an AWS service acts as its service principal (`cloudfront.amazonaws.com`, "
            "`logs.amazonaws.com`), the request has no IAM identity behind it: `aws:PrincipalOrgID`, "
            "`aws:PrincipalOrgPaths` and `aws:PrincipalTag/...` are absent. In a statement whose only principals "
            "are services, a condition on them is false for every request (true under `Not` operators and "
            "`IfExists`), whatever its values. Name the source the service acts for with `aws:SourceArn`, "
            "`aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths`.",
    .tags = "correctness", .access_analyzer = "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"};

const RuleMeta kMissingPairedConditionKey{
    .id = "CON019", .name = "MissingPairedConditionKey", .type = FindingType::security_warning,
    .summary = "a condition key that needs a companion key to mean what it seems to",
    .help = "Some keys name something only together with another. `aws:VpcSourceIp` is a private address, the "
            "same in many VPCs: pair it with `aws:SourceVpc` or `aws:SourceVpce` in the same statement. An "
            "`aws:SourceArn` of a resource whose ARN has no account (an S3 bucket, `arn:aws:s3:::NAME`) names "
            "whoever owns that bucket name, which another account can take over once the bucket is deleted: add "
            "`aws:SourceAccount`.",
    .security_severity = "5.0", .tags = "condition",
    .access_analyzer = "MISSING_PAIRED_CONDITION_KEYS"};

const RuleMeta kSetOperatorOnAudience{
    .id = "CON020", .name = "SetOperatorOnAudience", .type = FindingType::security_warning,
    .summary = "`ForAnyValue` or `ForAllValues` on a web identity's audience claim",
    .help = "The `aud` claim of an OpenID Connect token (`token.actions.githubusercontent.com:aud`) is "
            "single-valued. A set operator on it tests a set that has one member at most: `ForAllValues:` is true "
            "for a token without the claim, and either leaves the reader guessing which was meant. Write "
            "`StringEquals` without a qualifier. The claims the catalog knows (Cognito's, Google's) are judged "
            "by CON005.",
    .security_severity = "5.0", .tags = "federation",
    .access_analyzer = "FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE CONFIRM_AUDIENCE_CLAIM_TYPE"};

const RuleMeta kMalformedPolicyVariable{
    .id = "POL032", .name = "MalformedPolicyVariable", .type = FindingType::error,
    .summary = "a policy variable IAM cannot read",
    .help = "A policy variable is `${key}`, optionally with a default value in single quotes after a comma: "
            "`${aws:PrincipalTag/team, 'none'}`. A `${` without its `}`, an empty `${}`, a space inside the "
            "variable text, or a default not in single quotes leaves the text unexpanded or the policy "
            "rejected. `${*}`, `${?}` and `${$}` stand for the literal characters.",
    .access_analyzer = "MISSING_BRACE_IN_VARIABLE MISSING_QUOTE_IN_VARIABLE UNSUPPORTED_SPACE_IN_VARIABLE "
                       "EMPTY_VARIABLE"};

const RuleMeta kVariableInUnsupportedElement{
    .id = "POL033", .name = "VariableInUnsupportedElement", .type = FindingType::error,
    .summary = "a policy variable outside `Resource` and `Condition`",
    .help = "IAM expands policy variables only in `Resource`/`NotResource` and in condition values. In "
            "`Action`, `NotAction`, `Principal` or `NotPrincipal` the text `${...}` is compared as written, so "
            "it matches nothing meant. Name the actions and principals, and move the variable part into a "
            "resource or a condition.",
    .access_analyzer = "VARIABLE_UNSUPPORTED_IN_ELEMENT"};

const RuleMeta kRedundantAction{
    .id = "RED001", .name = "RedundantAction", .type = FindingType::suggestion,
    .summary = "an action listed twice or covered by a broader pattern in the same statement",
    .help = "`s3:GetObject` next to `s3:Get*`, or an action written twice, adds nothing. A wildcard is covered "
            "when every catalog action it matches is matched by the broader pattern. Remove the narrower "
            "entry, or narrow the broad one if it grants more than meant.",
    .tags = "maintainability", .access_analyzer = "REDUNDANT_ACTION",
    .advises_removal = true};

const RuleMeta kRedundantResource{
    .id = "RED002", .name = "RedundantResource", .type = FindingType::suggestion,
    .summary = "a resource listed twice or covered by a broader pattern in the same statement",
    .help = "An ARN that another resource pattern of the same statement already matches adds nothing. Remove "
            "it, or narrow the pattern if it covers more than meant.",
    .tags = "maintainability", .access_analyzer = "REDUNDANT_RESOURCE",
    .advises_removal = true};

const RuleMeta kDuplicateStatement{
    .id = "RED003", .name = "DuplicateStatement", .type = FindingType::suggestion,
    .summary = "a statement that repeats another",
    .help = "Two statements with the same effect, actions, resources, principals and conditions (in any "
            "order, whatever their Sid) grant or deny the same thing twice. Remove one.",
    .tags = "maintainability", .access_analyzer = "REDUNDANT_STATEMENT",
    .advises_removal = true};

const RuleMeta kRedundantSessionPrincipal{
    .id = "RED004", .name = "RedundantSessionPrincipal", .type = FindingType::suggestion,
    .summary = "a role session listed beside its role in the same statement",
    .help = "A role's ARN as a principal matches every session of the role, so "
            "`arn:aws:sts::123456789012:assumed-role/Builder/ci` next to `arn:aws:iam::123456789012:role/Builder` "
            "adds nothing. Remove the session, or the role if only that session is meant.",
    .tags = "maintainability", .access_analyzer = "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
    .advises_removal = true};

const RuleMeta kRedundantNumericValue{
    .id = "RED005", .name = "RedundantNumericValue", .type = FindingType::suggestion,
    .summary = "several values under a numeric less-than or greater-than operator",
    .help = "A condition key's values are alternatives: `NumericLessThan` with `10` and `20` holds whenever the "
            "request's value is below 20, so 10 adds nothing. Keep the greatest value for `NumericLessThan` and "
            "`NumericLessThanEquals`, the least for `NumericGreaterThan` and `NumericGreaterThanEquals`.",
    .tags = "maintainability", .access_analyzer = "REDUNDANT_CONDITION_VALUE_NUM",
    .advises_removal = true};

const RuleMeta kFullAdministrator{
    .id = "GRT001", .name = "FullAdministratorAccess", .type = FindingType::security_warning,
    .summary = "`Allow` of every action on every resource",
    .help = "`\"Action\": \"*\"` with `\"Resource\": \"*\"` (or a pattern every ARN matches, `arn:*`) is "
            "administrator access: every action of every service, including changing its own permissions. Grant the actions and resources the principal "
            "needs, or use the AWS managed `AdministratorAccess` policy deliberately where it is meant. A template "
            "or a plan that attaches `AdministratorAccess` is reported at the attachment.",
    .security_severity = "9.8", .precision = "very-high", .tags = "overbroad"};

const RuleMeta kServiceWildcard{
    .id = "GRT002",
    .name = "ServiceWildcardOnAllResources",
    .type = FindingType::security_warning,
    .summary = "every action of a service on every resource",
    .help =
        "`service:*` on `*` grants every action of the service, present and future, on every resource of "
        "it: administration, deletion and data access alike. So do `service:**`, `service:?*` and "
        "`service:*?`, which IAM matches alike. A pattern that takes every resource of the "
        "service counts as `*` (`iam:*` on `arn:aws:iam::*:*` or `arn:aws:iam::111122223333:*`: three unlike "
        "resources of each of its resource types, in three Regions, all match). List the actions needed and "
        "name the resources.",
    .security_severity = "6.5",
    .precision = "high",
    .tags = "overbroad"};

const RuleMeta kAllowWithNotAction{
    .id = "GRT003", .name = "AllowWithNotAction", .type = FindingType::security_warning,
    .summary = "`Allow` with `NotAction` grants everything not listed",
    .help = "`Allow` with `NotAction` grants every action of every service except those listed, including "
            "actions AWS adds later. Use `Action` with the actions needed; keep `NotAction` for `Deny`.",
    .security_severity = "7.5", .precision = "high", .tags = "overbroad"};

const RuleMeta kAllowWithNotResource{
    .id = "GRT004", .name = "AllowWithNotResource", .type = FindingType::security_warning,
    .summary = "`Allow` with `NotResource` grants on everything not listed",
    .help = "`Allow` with `NotResource` grants the actions on every resource except those listed, including "
            "resources in other accounts and resources created later. Name the resources with `Resource`.",
    .security_severity = "6.0", .precision = "high", .tags = "overbroad"};

const RuleMeta kPassRoleOnAnyRole{
    .id = "GRT005", .name = "PassRoleOnAnyRole", .type = FindingType::security_warning,
    .summary = "`iam:PassRole` on every role without `iam:PassedToService`",
    .help = "A principal that can pass any role to any service can run code (an EC2 instance, a Lambda "
            "function, a Glue job) with that role's permissions: a classic privilege escalation. Reported for "
            "`iam:PassRole` on every resource, and on a pattern that takes every role of an account "
            "(`arn:aws:iam::*:role/*`, `arn:aws:iam::111122223333:*`), unless a condition on "
            "`iam:PassedToService` names the services (`StringLike: \"*\"` does not), or a Deny of the policy "
            "refuses `iam:PassRole` to the services it does not name. Name the roles in "
            "`Resource` and add `\"StringEquals\": {\"iam:PassedToService\": \"glue.amazonaws.com\"}`.",
    .security_severity = "8.0", .precision = "high", .tags = "overbroad privilege-escalation",
    .access_analyzer = "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE PASS_ROLE_WITH_STAR_IN_RESOURCE PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE "
                       "PASS_ROLE_WITH_NOT_RESOURCE PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION"};

const RuleMeta kCreateServiceLinkedRoleAnyService{
    .id = "GRT007", .name = "CreateServiceLinkedRoleAnyService", .type = FindingType::warning,
    .summary = "`iam:CreateServiceLinkedRole` for the service-linked roles of any service",
    .help = "With `NotResource`, or a resource pattern that matches the service-linked roles of more than one "
            "service (`*`, `arn:aws:iam::*:role/aws-service-role/*`), the principal can create service-linked "
            "roles for services it was not meant to enable. Name the role ARN of the one service "
            "(`arn:aws:iam::*:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS*`) or add "
            "`\"StringEquals\": {\"iam:AWSServiceName\": \"ecs.amazonaws.com\"}`. `*` on `*` and `iam:*` on `*` "
            "are reported as the broader grants they are.",
    .tags = "overbroad",
    .access_analyzer = "CREATE_SLR_WITH_NOT_RESOURCE CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE "
                       "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE CREATE_SLR_WITH_STAR_IN_RESOURCE "
                       "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION"};

const RuleMeta kSensitiveActionOnAllResources{
    .id = "GRT006", .name = "SensitiveActionOnAllResources", .type = FindingType::security_warning,
    .summary = "sensitive actions granted on every resource",
    .help = "Permissions-management actions (the catalog's access level), privilege-escalation, "
            "credentials-exposure, data-exfiltration and infrastructure-modification actions "
            "(rules/data/sensitive_actions.tsv; the last are destructive writes such as `ec2:TerminateInstances`, "
            "`cloudtrail:StopLogging`, `s3:DeleteBucket`) granted on `*` reach every resource of their kind in the "
            "account, and often beyond; so do a statement's patterns that together take every resource the "
            "action takes, one pattern for all or one for each resource type (`s3:GetObject` on "
            "`arn:aws:s3:::*/*`, `ec2:TerminateInstances` on `arn:aws:ec2:*:*:instance/*`, `ec2:RunInstances` on "
            "`instance/*`, `image/*`, `subnet/*`, `network-interface/*` and `security-group/*`). "
            "Name the resources. Actions that support no resource-level permissions are "
            "left out: they can only be granted on `*`.",
    .security_severity = "7.0", .precision = "medium", .tags = "overbroad"};

const RuleMeta kPublicPrincipal{
    .id = "RES001", .name = "PublicPrincipalWithoutScope", .type = FindingType::security_warning,
    .summary = "a resource, trust or key policy allows everyone without a scoping condition",
    .help = "`\"Principal\": \"*\"` (or `{\"AWS\": \"*\"}`) means every principal of every account, and "
            "anonymous callers. Unless a condition ties the request to your account, organization or source "
            "(`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceAccount`, `aws:SourceArn`, "
            "`aws:SourceVpce`, `kms:CallerAccount`, `sts:ExternalId`, ...), the statement is public. Negated, "
            "`IfExists` and `ForAllValues` conditions do not count: they are true when the key is missing. Nor do "
            "the resource's own keys (`aws:ResourceOrgID` holds its owner's organization in every request), or a "
            "key compared with the caller's own value of it (`aws:PrincipalOrgID` equal to "
            "`${aws:PrincipalOrgID}`). `aws:ResourceAccount` equal to `${aws:PrincipalAccount}` does count: only "
            "callers of the owner's account match. So does a Deny for everyone of all the "
            "statement allows whose conditions each refuse callers without such a value (`StringNotEquals "
            "aws:PrincipalOrgID`, the data-perimeter pattern).",
    .security_severity = "9.1", .precision = "high", .tags = "public"};

const RuleMeta kMalformedResourceArn{
    .id = "RES002", .name = "MalformedResourceArn", .type = FindingType::error,
    .summary = "a resource that is not a well-formed ARN for its service",
    .help = "A resource is `*` or `arn:partition:service:region:account:resource`: six fields, a known "
            "partition, a lower-case service prefix, a region only where the service's ARNs have one (S3 "
            "and IAM have none), and a 12-digit account only where they have one; its resource part has the "
            "form of one of the service's resource types (`instance/ID` for EC2, not `fake_instance/ID`). A "
            "malformed ARN matches nothing. A policy variable before the fifth colon "
            "(`arn:aws:iam::${aws:PrincipalAccount}:...`) is a warning: IAM documents that it replaces variables "
            "only in the resource part.",
    .access_analyzer = "MISSING_ARN_REGION INVALID_ARN_PREFIX MISSING_ARN_FIELD INVALID_PARTITION INVALID_ARN_SERVICE_CASE "
                       "ARN_REGION_NOT_ALLOWED ARN_ACCOUNT_NOT_ALLOWED INVALID_ARN_REGION INVALID_ARN_ACCOUNT "
                       "INVALID_ARN_RESOURCE"};

const RuleMeta kResourceTypeMismatch{
    .id = "RES003", .name = "ResourceTypeMismatch", .type = FindingType::warning,
    .summary = "an action none of whose resource types the statement's resources can name",
    .help = "Each action acts on resource types listed in the Service Authorization Reference (`s3:GetObject` "
            "on objects, `s3:ListBucket` on buckets); one matching type is enough. When no resource of the "
            "statement can be of such a type, the action is granted or denied on nothing. Actions that support "
            "no resource-level permissions need `\"Resource\": \"*\"`. A `*` in a policy crosses `/`, but a "
            "bucket's name holds none: `arn:aws:s3:::reports/*` names objects only, never the bucket "
            "`s3:ListBucket` needs.",
    .precision = "high"};

const RuleMeta kWildcardOnlyActionWithArn{
    .id = "RES004", .name = "WildcardOnlyActionWithArn", .type = FindingType::suggestion,
    .summary = "an action without resource-level permissions listed with ARNs only",
    .help = "Actions such as `s3:ListAllMyBuckets` or most `ec2:Describe*` support no resource-level "
            "permissions: their request resource is `*`. IAM's policy simulator matches them only with "
            "`\"Resource\": \"*\"`, while some AWS documentation relies on broad ARNs such as "
            "`arn:aws:s3:::*` working. Put them in a statement with `\"Resource\": \"*\"` to be sure.",
    .precision = "medium", .tags = "correctness"};

const RuleMeta kUnscopedFederation{
    .id = "RES005", .name = "UnscopedWebIdentityFederation", .type = FindingType::security_warning,
    .summary = "a web-identity trust that does not say which identities may assume the role",
    .help = "`sts:AssumeRoleWithWebIdentity` for an OIDC provider trusts every identity the provider issues "
            "tokens for. For GitHub Actions that is every repository on GitHub: require "
            "`token.actions.githubusercontent.com:sub` to name your repository (`repo:ORG/REPO:...`). For a Cognito "
            "identity pool require `cognito-identity.amazonaws.com:aud` to name the pool (`amr` does not say "
            "which). GitLab.com and Terraform Cloud let each pipeline choose its `aud`: require `sub`. An EKS "
            "cluster's tokens all have `aud` `sts.amazonaws.com`: require `sub` to name the service account "
            "(`system:serviceaccount:NAMESPACE:NAME`; a whole namespace is a note). For other providers (Google) add a condition on the provider's `aud` or `sub` key with "
            "values that narrow: a value of only `*`, a `Null` test or an `IfExists` operator admits every token.",
    .security_severity = "8.8", .precision = "high", .tags = "federation",
    .access_analyzer = "MISSING_GITHUB_REPO_CONDITION_KEY MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"};

const RuleMeta kServicePrincipalWithoutSource{
    .id = "RES007", .name = "ServicePrincipalWithoutSource", .type = FindingType::security_warning,
    .summary = "a resource or key policy allows an AWS service without saying for which source",
    .help = "A service principal (`sns.amazonaws.com`, `logs.us-east-1.amazonaws.com`) acts for every customer "
            "of the service. Without a condition naming the resource or account it acts for, another account's "
            "topic, trail or log group can make the service use this resource on its behalf (the confused "
            "deputy). Add `aws:SourceArn` or `aws:SourceAccount` (in key policies, an encryption context such as "
            "`kms:EncryptionContext:aws:logs:arn` does the same). Role trust policies are not judged: services "
            "assume roles for the account that owns them.",
    .security_severity = "5.3", .precision = "medium", .tags = "confused-deputy",
    .access_analyzer = "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"};

const RuleMeta kPrincipalByUniqueId{
    .id = "RES008", .name = "PrincipalByUniqueId", .type = FindingType::warning,
    .summary = "a principal named by an IAM unique ID",
    .help = "IAM shows a user or role principal as its unique ID (`AIDA...` for users, `AROA...` for roles) once "
            "the user or role it named was deleted. The ID belongs to the deleted identity only: a new user or role "
            "with the same name has another ID, so the statement matches no one. Name the principal by its ARN "
            "(`arn:aws:iam::111122223333:role/NAME`), or remove the statement.",
    .tags = "correctness",
    .access_analyzer = "INVALID_ROLE_REFERENCE INVALID_USER_REFERENCE"};

const RuleMeta kPrincipalFromOtherAccount{
    .id = "RES009", .name = "PrincipalFromOtherAccount", .type = FindingType::security_warning,
    .summary = "a resource, trust or key policy allows a principal of another account",
    .help = "A principal from another account (its root, or one of its users or roles) gets what the statement "
            "allows, as far as that account's own policies let its identities; the other account decides who "
            "they are. `Principal: *` with a condition naming another account (`aws:PrincipalAccount`, "
            "`kms:CallerAccount`, `aws:PrincipalArn`) does the same. The policy's own account is the one given with `check --account`, or else the one account "
            "the policy's resource ARNs name (without either, principals are not judged: a key or trust policy "
            "names no resource). Check that the other account is meant to have this access; for a third party "
            "assuming a role, require `sts:ExternalId`.",
    .security_severity = "5.0", .precision = "high", .tags = "account"};

const RuleMeta kActionOfAnotherService{
    .id = "RES010", .name = "ActionOfAnotherService", .type = FindingType::error,
    .summary = "a resource policy names an action its resource's service does not have",
    .help = "A resource policy governs requests to its own resource: a bucket policy S3 requests, a table's "
            "policy DynamoDB requests. An action of another service (`kms:Decrypt` in a bucket policy) is never "
            "asked of the resource, and the service rejects the policy. Checked when the resource is known: a "
            "template's `AWS::S3::BucketPolicy`, access point and Terraform equivalents, or `check "
            "--resource-type`. Grant the other service's actions in its own policies (the key policy, an "
            "identity policy).",
    .tags = "correctness", .access_analyzer = "UNSUPPORTED_ACTION_IN_POLICY"};

const RuleMeta kResourceOutsideAttachedResource{
    .id = "RES011", .name = "ResourceOutsideAttachedResource", .type = FindingType::error,
    .summary = "a resource policy names resources its resource does not hold",
    .help = "The Resource element of a bucket policy names the bucket and its objects (`arn:aws:s3:::NAME`, "
            "`arn:aws:s3:::NAME/*`); an access point's its ARN and its objects "
            "(`arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/object/*`); a table's the table, its indexes and "
            "streams. S3 rejects `*`, ARNs of other resource types or services, and other buckets' ARNs in a bucket "
            "policy (the bucket's name is compared when a plan gives it). Checked when the resource is known (see "
            "RES010).",
    .tags = "correctness", .access_analyzer = "UNSUPPORTED_RESOURCE_ARN_IN_POLICY"};

const RuleMeta kGitHubSubjectWildcard{
    .id = "RES006", .name = "GitHubSubjectWildcard", .type = FindingType::warning,
    .summary = "a GitHub Actions trust whose subject has a wildcard",
    .help = "`token.actions.githubusercontent.com:sub` names the workflow runs that may assume the role: "
            "`repo:ORG/REPO:ref:refs/heads/BRANCH`, `repo:ORG/REPO:environment:NAME`, "
            "`repo:ORG/REPO:pull_request`. A `*` or `?` in it lets more runs in: every repository of the "
            "organization (`repo:ORG/*`), or every branch, tag, pull request and environment of a repository "
            "(`repo:ORG/REPO:*`), where anyone who can push a branch can assume the role. Name the repository "
            "and the branch or environment that deploys.",
    .precision = "high", .tags = "federation",
    .access_analyzer = "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED"};

const RuleMeta kKeyPolicyLockout{
    .id = "KMS001", .name = "KeyPolicyLockout", .type = FindingType::error,
    .summary = "no one can change the key policy",
    .help = "A key policy must keep the account (`arn:aws:iam::ACCOUNT:root`) or a named administrator able to "
            "call `kms:PutKeyPolicy`; otherwise the key becomes unmanageable and only AWS Support can recover "
            "it. KMS refuses such a policy unless `BypassPolicyLockoutSafetyCheck` is set. Add the default "
            "statement that allows the account `kms:*`. A Deny of `kms:PutKeyPolicy` counts too: the evaluator "
            "asks it of the account's root, its users and role sessions, and the users and roles a `NotPrincipal` "
            "or an `aws:PrincipalArn` condition names; if it refuses them all, the key is locked. A Deny that "
            "spares a role by `aws:PrincipalArn` spares its sessions. KMS never lets another account call "
            "`kms:PutKeyPolicy`: with `--account`, administrators of other accounts do not count. Nor does a "
            "statement under a condition that administrators' direct calls never meet: `kms:ViaService`, "
            "`kms:GrantIsForAWSResource`, an encryption context, another account's `kms:CallerAccount`."};

const RuleMeta kKeyAdministrationTooWide{
    .id = "KMS002", .name = "KeyAdministrationTooWide", .type = FindingType::security_warning,
    .summary = "key administration or grants allowed to everyone, to a service, or `kms:*` to a key user",
    .help = "Whoever holds `kms:PutKeyPolicy`, `kms:ScheduleKeyDeletion` or `kms:DisableKey` controls the key. "
            "Grant them to named administrators only, never to `*` (a `kms:CallerAccount` or "
            "`aws:PrincipalAccount` condition still grants them to every principal of that account, whatever "
            "its IAM policies say) or to service principals. `kms:*` granted "
            "to an IAM user or role (rather than the account root, which delegates to IAM policies) mixes "
            "administration with use (a note): grant administrators the administration actions and users the "
            "cryptographic ones. `kms:CreateGrant` for `*` under an account or organization condition lets each "
            "of them hand the key to any grantee: limit it with `kms:GrantIsForAWSResource` (as AWS's default "
            "statement does), `kms:GranteePrincipal` or `kms:GrantOperations`.",
    .security_severity = "7.0", .precision = "high", .tags = "kms"};

const RuleMeta kMalformedExport{
    .id = "ACC001",
    .name = "MalformedExport",
    .type = FindingType::error,
    .summary = "an account export is not in the shape the AWS CLI writes",
    .help =
        "`grantlint scan` reads `aws iam get-account-authorization-details` output: an object with "
        "`UserDetailList`, `GroupDetailList`, `RoleDetailList` and `Policies` arrays of objects, whose policy "
        "documents are JSON objects or URL-encoded strings. An element of the wrong type is reported and "
        "skipped, so the principals or policies it held are not analysed; the rest of the export is. So is a "
        "misspelt member of an element (`UserPolicyLst`: what it holds is not read) and a user or role whose "
        "`Arn` names no user or role of an account (its permissions cannot be asked about; its policies are "
        "still checked).",
    .tags = "correctness account"};

const RuleMeta kTruncatedExport{
    .id = "ACC002", .name = "TruncatedExport", .type = FindingType::warning,
    .summary = "the export is one page of several: principals and policies are missing",
    .help = "`IsTruncated: true` or a leftover `Marker` means the API had more to return. The AWS CLI "
            "fetches every page unless `--max-items` or `--no-paginate` stopped it. Principals and policies on the "
            "missing pages are not analysed, and attachments to policies on them are reported as missing (ACC003). "
            "Export again without those options, or give every page to `grantlint scan`.",
    .tags = "account completeness"};

const RuleMeta kMissingManagedPolicy{
    .id = "ACC003",
    .name = "MissingManagedPolicy",
    .type = FindingType::warning,
    .summary = "a principal attaches a managed policy the export does not hold",
    .help =
        "The principal's attached policy (or permissions boundary) is not in the export's `Policies` list, "
        "so its permissions cannot be known: the export was filtered (`--filter` without "
        "`LocalManagedPolicy`/`AWSManagedPolicy`) or truncated. Export with every filter, or add the policy. "
        "Also reported: a policy the export lists without a usable default version (none is marked default, "
        "or its document is missing or does not parse, each an error where it is), and one the export may hold "
        "where broken JSON was skipped or stopped the reading (a related location points there): what "
        "it grants is as unknown. "
        "What the principal's other policies allow is still reported (ACC101, ACC102, ACC104, ACC105, ACC106), "
        "as notes that say the missing boundary may refuse it, or the missing customer managed policy (or an "
        "inline policy that did not parse) deny it; grantlint carries every AWS managed policy that denies.",
    .tags = "account completeness"};

const RuleMeta kMissingGroup{
    .id = "ACC004", .name = "MissingGroup", .type = FindingType::warning,
    .summary = "a user belongs to a group the export does not hold",
    .help = "The user's `GroupList` names a group that is not in `GroupDetailList`, so the group's policies, which "
            "the user has, cannot be analysed. Export with the `Group` filter, or give every page. A group the "
            "export may hold where broken JSON was skipped or stopped the reading is reported too, pointing there.",
    .tags = "account completeness"};

const RuleMeta kEffectiveAdministrator{
    .id = "ACC101",
    .name = "EffectiveAdministrator",
    .type = FindingType::security_warning,
    .summary = "a principal's policies, taken together, allow everything",
    .help =
        "The evaluator decided a request for each of a set of actions across services (IAM, EC2, S3, KMS, "
        "Organizations, STS) on every resource, from the principal's inline and attached policies, its groups' "
        "policies, its permissions boundary and every Deny among them; all were allowed. The finding names "
        "the principal, not one policy: several narrower policies can add up to administrator access. "
        "\"Every resource\" is asked of three unlike resources of each action's resource type, in the principal's "
        "account and three Regions: `*`, `arn:*` and `arn:aws:iam::111122223333:*` (for IAM actions) take them "
        "all, `role/app-*` does not; an action without resource types is asked on `*`. The same holds for "
        "ACC102, ACC104, ACC105 and ACC106. "
        "Conditions on request context are not guessed: an administrator only under a condition is a note "
        "that names the condition.",
    .security_severity = "8.0",
    .precision = "high",
    .tags = "account privilege"};

const RuleMeta kPrivilegeEscalation{
    .id = "ACC102",
    .name = "PrivilegeEscalation",
    .type = FindingType::security_warning,
    .summary = "a principal can raise its own permissions, or those of principals of another kind",
    .help =
        "After its boundary and every Deny, it is allowed every action of an escalation path on `*`; "
        "or a one-action path on its own user, role, group, attached policy or boundary; or one call on a named "
        "principal (`sts:AssumeRole` its trust admits, `iam:UpdateAssumeRolePolicy`, PassRole, an access key or "
        "login profile, `iam:AddUserToGroup`, chains too) gets it the permissions of one that is ACC101 or "
        "ACC102, that can raise its permissions by name (`iam:PutUserPolicy` on it), or whose permissions it can "
        "raise; or `iam:SetDefaultPolicyVersion` makes a broader version of its own policy the default (on `*`: a "
        "note when no customer managed policy has another version). A path on one kind of principal only (a "
        "user's or group's policies, a role's) is reported for the other kind as raising theirs: whoever acts as "
        "a role allowed `iam:AddUserToGroup` on `*` can make a user they control an administrator. Paths are data "
        "(`rules/data/privilege_escalation.tsv`). Scope the actions to what it manages; name the roles it may "
        "pass.",
    .security_severity = "8.0",
    .precision = "medium",
    .tags = "account privilege"};

const RuleMeta kOpenRoleTrust{
    .id = "ACC103",
    .name = "OpenRoleTrust",
    .type = FindingType::security_warning,
    .summary = "anyone, or another account, can assume a role without a condition that says who",
    .help =
        "The evaluator decided `sts:AssumeRole` on the role for a principal of an unrelated account and of "
        "each other account its trust policy names (its ARN, type and name unknown). When that is allowed outright, or "
        "only under "
        "conditions on keys that do not identify the caller (none of `sts:ExternalId`, `aws:PrincipalOrgID`, "
        "`aws:PrincipalOrgPaths`, `aws:PrincipalArn`, `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, "
        "`aws:userid`) on every path the policy allows, the role is open to that account: any of its principals "
        "allowed by their own policies can assume it. An `aws:PrincipalArn` test that admits no unnamed user or "
        "role of a named account picks the caller. A user, role or session of another account named by its ARN (in "
        "`Principal` or an `aws:PrincipalArn` value) is trusted by name, not open: a note when nothing else "
        "identifies the caller, as that account decides who acts as it. Require `sts:ExternalId` for third "
        "parties (the confused-deputy protection) or `aws:PrincipalOrgID` for your organization.",
    .security_severity = "8.1",
    .precision = "high",
    .tags = "account trust"};

const RuleMeta kUnconstrainedPassRole{
    .id = "ACC104", .name = "UnconstrainedPassRole", .type = FindingType::security_warning,
    .summary = "a principal can pass any role to any service",
    .help = "The evaluator allowed the principal `iam:PassRole` on every resource, or on every role of its account "
            "(asked of three unlike role ARNs, so `role/*` counts), after its boundary and every Deny, with no "
            "condition on `iam:PassedToService` or one that admits a service it does not name (`StringLike: "
            "\"*\"`, `StringNotEquals` one service; asked again passing to such a service): it can hand any role in the account, however privileged, to "
            "any service that runs code or jobs as that role. Name the roles it may pass and require "
            "`iam:PassedToService`. Principals already reported as administrators (ACC101) are not reported again.",
    .security_severity = "7.5", .precision = "high", .tags = "account privilege"};

const RuleMeta kSensitiveAccess{
    .id = "ACC105",
    .name = "SensitiveAccessOnAllResources",
    .type = FindingType::security_warning,
    .summary = "a principal can exfiltrate data, read credentials or modify infrastructure on every resource",
    .help =
        "The evaluator allowed the principal actions of a risk category (`rules/data/sensitive_actions.tsv`: "
        "data exfiltration such as `s3:GetObject`, credentials exposure such as "
        "`secretsmanager:GetSecretValue`, infrastructure modification such as `ec2:TerminateInstances`) on "
        "every resource, after its boundary and every Deny. One finding per "
        "category names the actions. Scope them to the resources the principal needs. Administrators (ACC101) "
        "are not reported again; privilege escalation is ACC102, permissions management ACC106.",
    .security_severity = "6.5",
    .precision = "medium",
    .tags = "account data"};

const RuleMeta kPermissionsManagementAccess{
    .id = "ACC106",
    .name = "PermissionsManagementOnAllResources",
    .type = FindingType::security_warning,
    .summary = "a principal can change who may use any resource of a kind (permissions management on every resource)",
    .help =
        "The evaluator allowed the principal permissions-management actions (the catalog's access level: "
        "resource policies, grants, ACLs and sharing, such as `s3:PutBucketPolicy`, `kms:CreateGrant` or "
        "`ec2:ModifySnapshotAttribute`) on every resource, after its boundary and every Deny: it can open any "
        "such resource to another account or to anyone (Cloudsplaining's \"resource exposure\"). Actions that "
        "`rules/data/sensitive_actions.tsv` lists are left to ACC102 and ACC105. One finding names the "
        "actions. Scope them to the resources the principal manages, or turn the rule down in the "
        "configuration where such grants are expected. Administrators (ACC101) are not reported again.",
    .security_severity = "6.5",
    .precision = "medium",
    .tags = "account exposure"};

namespace {

constexpr std::array kAll = {
    &kInvalidJson,
    &kUtf8Bom,
    &kTrailingContent,
    &kDuplicateKey,
    &kNestingTooDeep,
    &kInvalidYaml,
    &kMalformedIntrinsic,
    &kPolicyNotAnalysed,
    &kNotAnObject,
    &kEmbeddedPolicy,
    &kMissingVersion,
    &kInvalidVersion,
    &kLegacyVersion,
    &kMissingStatement,
    &kUnknownElement,
    &kWrongType,
    &kEmptyValue,
    &kPolicyTooLarge,
    &kInvalidCharacter,
    &kIdInIdentityPolicy,
    &kInvalidSid,
    &kDuplicateSid,
    &kMissingEffect,
    &kInvalidEffect,
    &kMissingAction,
    &kConflictingElements,
    &kInvalidAction,
    &kMissingResource,
    &kResourceNotAllowed,
    &kKeyPolicyResource,
    &kMissingPrincipal,
    &kPrincipalNotAllowed,
    &kAllowWithNotPrincipal,
    &kInvalidPrincipal,
    &kWildcardInPrincipal,
    &kInvalidCondition,
    &kUnknownOperator,
    &kInvalidSetOperator,
    &kNullWithIfExists,
    &kUnknownService,
    &kUnknownAction,
    &kPatternMatchesNothing,
    &kUnknownConditionKey,
    &kConditionKeyNotSupported,
    &kInvalidConditionValue,
    &kOperatorTypeMismatch,
    &kSetOperatorOnSingleValue,
    &kMissingSetOperator,
    &kForAllValuesWithAllow,
    &kForAnyValueWithDeny,
    &kVariableInNonStringOperator,
    &kPrivateSourceIp,
    &kMalformedVpcId,
    &kWildcardWithoutLike,
    &kDeprecatedConditionKey,
    &kNullWithSetOperator,
    &kTagKeyNotSupportedByService,
    &kWeakMfaCondition,
    &kFixedConditionKey,
    &kKeyAbsentForServicePrincipal,
    &kMissingPairedConditionKey,
    &kSetOperatorOnAudience,
    &kMalformedPolicyVariable,
    &kVariableInUnsupportedElement,
    &kMismatchedFederatedAction,
    &kRolesAnywhereMissingActions,
    &kUnknownPolicyVariable,
    &kRedundantAction,
    &kRedundantResource,
    &kDuplicateStatement,
    &kRedundantSessionPrincipal,
    &kRedundantNumericValue,
    &kFullAdministrator,
    &kServiceWildcard,
    &kAllowWithNotAction,
    &kAllowWithNotResource,
    &kPassRoleOnAnyRole,
    &kCreateServiceLinkedRoleAnyService,
    &kSensitiveActionOnAllResources,
    &kPublicPrincipal,
    &kMalformedResourceArn,
    &kResourceTypeMismatch,
    &kWildcardOnlyActionWithArn,
    &kUnscopedFederation,
    &kGitHubSubjectWildcard,
    &kServicePrincipalWithoutSource,
    &kPrincipalByUniqueId,
    &kPrincipalFromOtherAccount,
    &kActionOfAnotherService,
    &kResourceOutsideAttachedResource,
    &kKeyPolicyLockout,
    &kKeyAdministrationTooWide,
    &kMalformedExport,
    &kTruncatedExport,
    &kMissingManagedPolicy,
    &kMissingGroup,
    &kEffectiveAdministrator,
    &kPrivilegeEscalation,
    &kOpenRoleTrust,
    &kUnconstrainedPassRole,
    &kSensitiveAccess,
    &kPermissionsManagementAccess,
};

}  // namespace

std::span<const RuleMeta* const> all_rules() {
  static const std::vector<const RuleMeta*> every = [] {
    std::vector<const RuleMeta*> out(kAll.begin(), kAll.end());
    const auto config = config_rules();
    out.insert(out.end(), config.begin(), config.end());
    const auto glue = glue_rules();
    out.insert(out.end(), glue.begin(), glue.end());
    return out;
  }();
  return every;
}

const RuleMeta* find_rule(std::string_view id) {
  const auto every = all_rules();
  const auto it = std::find_if(every.begin(), every.end(), [&](const RuleMeta* rule) { return iequals(rule->id, id); });
  return it == every.end() ? nullptr : *it;
}

}  // namespace grantlint::rules
