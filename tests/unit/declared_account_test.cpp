// The Glue pack's permission rules on the account a CloudFormation template declares
// (glue/declared_account.h): references resolved, pseudo parameters given values, and what the
// template does not hold never guessed.
#include <catch2/catch.hpp>
#include <string>

#include "support/helpers.h"

using namespace grantlint;
using grantlint::testing::count_rule;
using grantlint::testing::only;
using grantlint::testing::span_of;

namespace {

// A job writing SSE-KMS output with `key` (a reference to the template's `DataKey`), running as
// `GlueRole`, whose policies are `role_extra` (YAML under the role's Properties) plus a policy
// granting `actions` on the key; the key policy's statements are `key_statements`.
std::string glue_template(std::string_view key_statements, std::string_view actions, std::string_view key,
                          std::string_view job_role, std::string_view role_extra = "") {
  std::string out = R"(AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
)";
  out += key_statements;
  out += R"(  KeyAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/etl
      TargetKeyId: !Ref DataKey
  EtlConfig:
    Type: AWS::Glue::SecurityConfiguration
    Properties:
      Name: etl-config
      EncryptionConfiguration:
        S3Encryptions:
          - S3EncryptionMode: SSE-KMS
            KmsKeyArn: )";
  out += key;
  out += R"(
  GlueRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: AWSGlueServiceRole-etl
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: glue.amazonaws.com}
            Action: sts:AssumeRole
)";
  out += role_extra;
  out += R"(  DataPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: data
      Roles: [!Ref GlueRole]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: )";
  out += actions;
  out += R"(
            Resource: !GetAtt DataKey.Arn
  Nightly:
    Type: AWS::Glue::Job
    Properties:
      Name: nightly
      Role: )";
  out += job_role;
  out += R"(
      SecurityConfiguration: !Ref EtlConfig
      Command: {Name: glueetl, ScriptLocation: "s3://scripts/nightly.py"}
)";
  return out;
}

constexpr std::string_view kEnableIam = R"(          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
            Action: kms:*
            Resource: "*"
)";
constexpr std::string_view kAllActions = "[kms:Decrypt, kms:Encrypt, kms:GenerateDataKey]";

}  // namespace

TEST_CASE("template permissions: a role named any way reaches the key however it is named", "[template][glue]") {
  for (const std::string_view role : {"!GetAtt GlueRole.Arn", "!Ref GlueRole", "AWSGlueServiceRole-etl"}) {
    for (const std::string_view key : {"!GetAtt DataKey.Arn", "!Ref KeyAlias", "alias/etl",
                                       "!Sub \"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${DataKey}\""}) {
      INFO(role << " " << key);
      const auto granted = testing::check_yaml(glue_template(kEnableIam, kAllActions, key, role));
      CHECK(count_rule(granted, "GLUE-IAM-04") == 0);
      CHECK(count_rule(granted, "ACC005") == 0);
      const auto short_of = testing::check_yaml(glue_template(kEnableIam, "kms:Decrypt", key, role));
      const Diagnostic d = only(short_of, "GLUE-IAM-04");
      CHECK(d.message.find("`kms:Encrypt`, `kms:GenerateDataKey`: no identity policy allows it") != std::string::npos);
      CHECK(d.message.find("arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/${DataKey}") != std::string::npos);
    }
  }
}

TEST_CASE("template permissions: the account is --account, else the one the template's resources name",
          "[template][glue]") {
  // A key policy that names an account literally: whether it is the stack's own is not known
  // without --account, so nothing is claimed either way.
  const std::string literal_root = R"(          - Effect: Allow
            Principal: {AWS: "arn:aws:iam::111122223333:root"}
            Action: kms:*
            Resource: "*"
)";
  const std::string text = glue_template(literal_root, kAllActions, "!GetAtt DataKey.Arn", "!GetAtt GlueRole.Arn");
  const auto unknown = testing::check_yaml(text);
  CHECK(count_rule(unknown, "GLUE-IAM-04") == 0);
  CHECK(only(unknown, "ACC005").message.find("names account `111122223333`, and the account `template.yaml` deploys "
                                             "to is not known (`--account` tells it)") != std::string::npos);

  const auto with_account = [&](std::string account, const std::string& input) {
    CheckOptions options;
    options.account = std::move(account);
    Checker checker(options);
    checker.check_bytes("template.yaml", input);
    return std::move(checker).finish();
  };
  const CheckReport own = with_account("111122223333", text);
  CHECK(count_rule(own, "GLUE-IAM-04") == 0);
  CHECK(count_rule(own, "ACC005") == 0);
  const CheckReport other = with_account("444455556666", text);
  const Diagnostic d = only(other, "GLUE-IAM-04");
  CHECK(d.message.find("the key policy allows neither the principal nor the account") != std::string::npos);
  CHECK(d.message.find(":444455556666:key/") != std::string::npos);

  // A resource's ARN names the account (a principal may be a partner's): a log group here.
  const std::string_view logs_policy = R"(      Policies:
        - PolicyName: logs
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: logs:AssociateKmsKey
                Resource: "arn:aws:logs:us-east-1:111122223333:log-group:/aws-glue/*"
)";
  const auto by_resource = testing::check_yaml(
      glue_template(literal_root, kAllActions, "!GetAtt DataKey.Arn", "!GetAtt GlueRole.Arn", logs_policy));
  CHECK(count_rule(by_resource, "GLUE-IAM-04") == 0);
  CHECK(count_rule(by_resource, "ACC005") == 0);
}

TEST_CASE("template permissions: a policy the template does not hold is not guessed", "[template][glue]") {
  const std::string_view attaches = R"(      ManagedPolicyArns:
        - !ImportValue shared-glue-data-policy
)";
  // What another stack's policy might grant is not reported missing: a note says so, at the ARN.
  const std::string text = glue_template(kEnableIam, "kms:Decrypt", "!GetAtt DataKey.Arn", "!Ref GlueRole", attaches);
  const auto undecided = testing::check_yaml(text);
  CHECK(count_rule(undecided, "GLUE-IAM-04") == 0);
  const Diagnostic note = only(undecided, "ACC005");
  CHECK(note.level == Level::note);
  CHECK(note.message ==
        "role `AWSGlueServiceRole-etl` attaches `${shared-glue-data-policy}`, which `template.yaml` does not hold, so "
        "what it is allowed is not known: `GLUE-IAM-04` not evaluated");
  CHECK(note.location.span == span_of(text, "!ImportValue shared-glue-data-policy"));

  // An AWS managed policy the pack knows is what AWS says: AWSGlueServiceRole grants no KMS action.
  const std::string_view glue_service_role = R"(      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSGlueServiceRole
)";
  const auto known = testing::check_yaml(
      glue_template(kEnableIam, "kms:Decrypt", "!GetAtt DataKey.Arn", "!Ref GlueRole", glue_service_role));
  CHECK(only(known, "GLUE-IAM-04").message.find("`kms:Encrypt`, `kms:GenerateDataKey`: no identity policy") !=
        std::string::npos);
  CHECK(count_rule(known, "ACC005") == 0);
  const std::string_view administrator = R"(      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
)";
  const auto everything = testing::check_yaml(
      glue_template(kEnableIam, "kms:Decrypt", "!GetAtt DataKey.Arn", "!Ref GlueRole", administrator));
  CHECK(count_rule(everything, "GLUE-IAM-04") == 0);
  CHECK(count_rule(everything, "ACC005") == 0);

  // A key policy that names neither the role nor the account refuses it whatever that policy says.
  const std::string_view admin_only = R"(          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/KeyAdmin"}
            Action: kms:*
            Resource: "*"
)";
  const auto refused =
      testing::check_yaml(glue_template(admin_only, "kms:Decrypt", "!GetAtt DataKey.Arn", "!Ref GlueRole", attaches));
  CHECK(only(refused, "GLUE-IAM-04").message.find("`kms:Decrypt`, `kms:Encrypt`, `kms:GenerateDataKey`: the key "
                                                  "policy allows neither") != std::string::npos);
  CHECK(count_rule(refused, "ACC005") == 0);
  CHECK(count_rule(refused, "GLUE-KMS-05") == 1);  // the template's own grant of kms:Decrypt has no effect
}

TEST_CASE("template permissions: roles and keys defined elsewhere are notes, unless refused whatever they are",
          "[template][glue]") {
  // A role outside the template: its policies are unknown, the template's key policy is not.
  const std::string role_elsewhere = "arn:aws:iam::111122223333:role/elsewhere";
  const auto report =
      testing::check_yaml(glue_template(kEnableIam, kAllActions, "!GetAtt DataKey.Arn", role_elsewhere));
  CHECK(count_rule(report, "GLUE-IAM-08") == 0);  // not "the export does not hold it"
  CHECK(count_rule(report, "GLUE-IAM-04") == 0);
  CHECK(only(report, "ACC005").message ==
        "role `arn:aws:iam::111122223333:role/elsewhere` is not defined in `template.yaml`, so what its policies allow "
        "is not known: `GLUE-IAM-04` not evaluated");
  const std::string_view admin_only = R"(          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/KeyAdmin"}
            Action: kms:*
            Resource: "*"
)";
  const auto refused = testing::check_yaml(glue_template(admin_only, kAllActions, "!GetAtt DataKey.Arn", role_elsewhere));
  CHECK(only(refused, "GLUE-IAM-04").message.find("the key policy allows neither") != std::string::npos);

  // A key outside the template: its policy is unknown, the role's own Deny is not.
  const std::string key_elsewhere = "arn:aws:kms:us-east-1:111122223333:key/abc";
  const auto unknown_key = testing::check_yaml(glue_template(kEnableIam, kAllActions, key_elsewhere, "!Ref GlueRole"));
  CHECK(only(unknown_key, "ACC005").message.find("key `arn:aws:kms:us-east-1:111122223333:key/abc` is not defined") !=
        std::string::npos);
  CHECK(count_rule(unknown_key, "GLUE-IAM-04") == 0);
  const std::string_view deny = R"(      Policies:
        - PolicyName: guard
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Deny
                Action: kms:*
                Resource: "*"
)";
  const auto denied = testing::check_yaml(glue_template(kEnableIam, kAllActions, key_elsewhere, "!Ref GlueRole", deny));
  CHECK(only(denied, "GLUE-IAM-04").message.find("denied by the principal's own policies") != std::string::npos);
}
