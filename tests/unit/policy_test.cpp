#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "base/suggest.h"
#include "policy/lower.h"
#include "policy/operators.h"
#include "support/helpers.h"

using namespace grantlint;
using grantlint::policy::Kind;
using grantlint::testing::check;
using grantlint::testing::count_rule;
using grantlint::testing::only;
using grantlint::testing::rule_ids;
using grantlint::testing::span_of;

namespace {

std::string identity(std::string_view statement) {
  return std::string(R"({"Version": "2012-10-17", "Statement": [)") + std::string(statement) + "]}";
}

}  // namespace

TEST_CASE("suggestions: an adjacent transposition is one edit", "[policy]") {
  const std::vector<std::string_view> conditions{"Prod", "Staging"};
  CHECK(closest_match("Prdo", conditions) == std::optional<std::string_view>("Prod"));
  CHECK(closest_match("Pord", conditions) == std::optional<std::string_view>("Prod"));
  CHECK(closest_match("Stagnig", conditions) == std::optional<std::string_view>("Staging"));
  CHECK(closest_match("Dorp", conditions) == std::nullopt);  // two transpositions apart: too far for four letters
  const std::vector<std::string_view> effects{"Allow", "Deny"};
  CHECK(closest_match("Alolw", effects) == std::optional<std::string_view>("Allow"));
  CHECK(closest_match("dENY", effects) == std::optional<std::string_view>("Deny"));  // case is ignored
}

TEST_CASE("suggestions: one word reads at most a million cells of distance tables", "[policy]") {
  // A thousand-byte word among thousand-byte names sharing its prefix (hostile31b: seconds a
  // word): the first names are compared, the ones past the cells are not.
  const std::string prefix(990, 'k');
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) names.push_back(prefix + fmt::format("{:010}", i));
  const std::vector<std::string_view> views(names.begin(), names.end());
  const std::string near_first = prefix + "0000000000x";
  const std::string near_last = prefix + "0000000019x";
  CHECK(closest_match(near_first, views) == std::optional<std::string_view>(views.front()));
  // The nearest name is the last, past the cells: the first, three edits away, is suggested.
  CHECK(closest_match(near_last, views) == std::optional<std::string_view>(views.front()));
  CHECK(closest_match(near_last, std::span(views).last(1)) == std::optional<std::string_view>(views.back()));
}

TEST_CASE("policy: a clean identity policy has no findings", "[policy]") {
  const auto report = check(identity(R"({"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:List*"],
      "Resource": "arn:aws:s3:::bucket/*", "Condition": {"Bool": {"aws:SecureTransport": true}}})"));
  CHECK(report.diagnostics.empty());
  REQUIRE(report.documents.size() == 1);
  CHECK(report.documents[0].kind == Kind::identity);
  CHECK(report.documents[0].kind_detected);
}

TEST_CASE("policy: document-level grammar", "[policy]") {
  CHECK(rule_ids(check("[]")) == std::vector<std::string>{"POL001"});
  CHECK(count_rule(check(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})"), "POL003") == 1);
  const std::string bad_version = R"({"Version": "2012-10-18", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})";
  const auto version = only(check(bad_version), "POL004");
  CHECK(version.location.span == span_of(bad_version, R"("2012-10-18")"));
  CHECK(version.pointer == "/Version");
  // Without policy variables a legacy or missing Version changes nothing: a note. With one, a warning
  // that points at the variable.
  CHECK(only(check(R"({"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}})"),
             "POL005").level == Level::note);
  const std::string legacy_variable = R"({"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::b/${aws:username}/*"}})";
  const auto legacy = only(check(legacy_variable), "POL005");
  CHECK(legacy.level == Level::warning);
  CHECK_THAT(legacy.message, Catch::Contains("`${aws:username}`"));
  CHECK(legacy.related.at(0).location.span == span_of(legacy_variable, R"("arn:aws:s3:::b/${aws:username}/*")"));
  CHECK(only(check(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})"), "POL003").level == Level::note);
  CHECK(only(check(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::${aws:userid}"}})"), "POL003")
            .level == Level::warning);
  CHECK(count_rule(check(R"({"Version": "2012-10-17"})"), "POL006") == 1);
  CHECK(count_rule(check(R"({"Version": "2012-10-17", "Statement": []})"), "POL006") == 1);
  CHECK(count_rule(check(R"({"Version": "2012-10-17", "Statement": "x"})"), "POL008") == 1);
  const auto unknown = check(R"({"Version": "2012-10-17", "Statements": []})");
  CHECK_THAT(only(unknown, "POL007").message, Catch::Contains("did you mean `Statement`?"));
  CHECK(count_rule(check(R"({"Version": 2012, "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})"),
                   "POL008") == 1);
}

TEST_CASE("policy: Id is noted in identity policies only", "[policy]") {
  const std::string with_id = R"({"Version": "2012-10-17", "Id": "x", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]})";
  CHECK(count_rule(check(with_id), "POL012") == 0);
  CHECK(count_rule(check(with_id, Kind::identity), "POL012") == 1);
}

TEST_CASE("policy: statement elements", "[policy]") {
  CHECK(count_rule(check(identity(R"({"Action": "s3:GetObject", "Resource": "*"})")), "POL015") == 1);
  const std::string effect = identity(R"({"Effect": "deny", "Action": "s3:GetObject", "Resource": "*"})");
  const auto invalid = only(check(effect), "POL016");
  CHECK(invalid.location.span == span_of(effect, R"("deny")"));
  CHECK_THAT(invalid.message, Catch::Contains("did you mean `Deny`?"));
  CHECK(count_rule(check(identity(R"({"Effect": "Allow", "Resource": "*"})")), "POL017") == 1);
  CHECK(count_rule(check(identity(R"({"Effect": "Allow", "Action": "s3:GetObject"})")), "POL020") == 1);
  const std::string both = identity(R"({"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject",
      "Resource": "*", "NotResource": "arn:aws:s3:::b"})");
  const auto report = check(both);
  REQUIRE(count_rule(report, "POL018") == 2);
  const auto first = std::find_if(report.diagnostics.begin(), report.diagnostics.end(),
                                  [](const Diagnostic& d) { return d.rule->id == std::string_view("POL018"); });
  CHECK(first->location.span == span_of(both, R"("NotAction")"));
  CHECK(first->related.at(0).location.span == span_of(both, R"("Action")"));
  const auto unknown = check(identity(R"({"Effect": "Allow", "Actions": "s3:GetObject", "Resource": "*"})"));
  CHECK_THAT(only(unknown, "POL007").message, Catch::Contains("did you mean `Action`?"));
  CHECK(count_rule(check(identity(R"({"Effect": "Allow", "Action": [], "Resource": "*"})")), "POL009") == 1);
  CHECK(count_rule(check(identity(R"({"Effect": "Allow", "Action": ["s3:GetObject", 5], "Resource": "*"})")), "POL008") == 1);
}

TEST_CASE("policy: action format", "[policy]") {
  for (const char* bad : {"s3GetObject", "s3:Get:Object", "s*:GetObject", ":GetObject", "s3:", "s3:Get Object",
                          "s3:GetObject,s3:PutObject", "s 3:GetObject"}) {
    INFO(bad);
    CHECK(count_rule(check(identity(std::string(R"({"Effect": "Allow", "Resource": "*", "Action": ")") + bad + "\"}")),
                     "POL019") == 1);
  }
  for (const char* good : {"*", "s3:*", "s3:Get*", "ec2:Describe?nstances", "execute-api:Invoke", "S3:GETOBJECT"}) {
    INFO(good);
    const auto report = check(identity(std::string(R"({"Effect": "Allow", "Resource": "arn:aws:s3:::b", "Action": ")") + good + "\"}"));
    CHECK(count_rule(report, "POL019") + count_rule(report, "ACT001") + count_rule(report, "ACT002") == 0);
  }
}

TEST_CASE("policy: Sid rules depend on the kind", "[policy]") {
  const std::string spaced = identity(R"({"Sid": "Allow reads", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})");
  CHECK(count_rule(check(spaced), "POL013") == 1);
  CHECK(count_rule(check(spaced, Kind::kms_key), "POL013") == 0);
  const std::string twice = identity(R"({"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
      {"Sid": "A", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"})");
  const auto duplicate = only(check(twice), "POL014");
  CHECK(duplicate.location.span == span_of(twice, R"("A")", 1));
  CHECK(only(check(twice, Kind::resource), "POL014").level == Level::warning);
  CHECK(count_rule(check(identity(R"({"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})")),
                   "POL009") == 1);
}

TEST_CASE("policy: resource rules per kind", "[policy]") {
  const std::string trust = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}]})";
  const auto report = check(trust, Kind::trust);
  CHECK(count_rule(report, "POL021") == 1);
  CHECK(count_rule(report, "POL020") == 0);
  const std::string no_resource = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*"}]})";
  const auto kms = only(check(no_resource), "POL020");
  CHECK(kms.level == Level::warning);  // accepted by KMS, but the statement does nothing
  CHECK(only(check(no_resource, Kind::resource), "POL020").level == Level::warning);  // ECR policies omit it
  CHECK(only(check(no_resource, Kind::identity), "POL020").level == Level::error);
  const std::string key_arn = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*",
      "Resource": ["*", "arn:aws:kms:us-east-1:111122223333:key/1234"]}]})";
  const auto star = only(check(key_arn), "POL022");
  CHECK(star.location.span == span_of(key_arn, R"("arn:aws:kms:us-east-1:111122223333:key/1234")"));
  CHECK(star.pointer == "/Statement/0/Resource/1");
  CHECK(star.level == Level::note);  // the key's own ARN works; `*` is the documented form
  const std::string bucket_arn = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "arn:aws:s3:::b"}]})";
  CHECK(only(check(bucket_arn), "POL022").level == Level::warning);
}

TEST_CASE("policy: principal rules per kind", "[policy]") {
  const std::string with_principal = identity(R"({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"})");
  CHECK(count_rule(check(with_principal, Kind::identity), "POL024") == 1);
  CHECK(count_rule(check(with_principal, Kind::scp), "POL024") == 1);
  CHECK(count_rule(check(with_principal, Kind::resource), "POL024") == 0);
  CHECK(count_rule(check(identity(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})"), Kind::resource),
                   "POL023") == 1);
  const std::string not_principal = identity(R"({"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"},
      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})");
  CHECK(only(check(not_principal), "POL025").level == Level::warning);
  CHECK(count_rule(check(not_principal, Kind::trust), "POL024") == 1);  // a syntax error there, not a grant
  CHECK(count_rule(check(not_principal, Kind::trust), "POL025") == 0);
  CHECK(count_rule(check(identity(R"({"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"},
      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})")), "POL025") == 0);
}

TEST_CASE("policy: principal values", "[policy]") {
  auto findings = [](std::string_view principal, Kind kind = Kind::resource) {
    return check(identity(std::string(R"({"Effect": "Allow", "Principal": )") + std::string(principal) +
                          R"(, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})"),
                 kind);
  };
  for (const char* good : {R"("*")", R"({"AWS": "*"})", R"({"AWS": "111122223333"})",
                           R"({"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/path/r"]})",
                           R"({"AWS": "arn:aws:sts::111122223333:assumed-role/r/session"})",
                           R"({"AWS": "arn:aws-cn:iam::111122223333:user/u"})", R"({"AWS": "AROAEXAMPLEID123456"})",
                           R"({"Service": ["glue.amazonaws.com", "logs.us-east-1.amazonaws.com"]})",
                           R"({"Federated": "arn:aws:iam::111122223333:saml-provider/idp"})",
                           R"({"Federated": "accounts.google.com"})",
                           R"({"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL"})",
                           R"({"Service": "s3.c2s.ic.gov"})",
                           R"({"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"})"}) {
    INFO(good);
    const auto report = findings(good);
    // `*` is a valid principal; that it is public is RES001's business, not the grammar's. A
    // federated principal is valid too; that only trust policies take one is POL024's, and that
    // a service here acts for any source RES007's, and that a unique ID names a deleted role RES008's.
    const bool federated = std::string_view(good).find("Federated") != std::string_view::npos;
    const bool service = std::string_view(good).find("Service") != std::string_view::npos;
    const bool unique_id = std::string_view(good).find("\"AROA") != std::string_view::npos;
    CHECK(report.diagnostics.size() == count_rule(report, "RES001") + (federated ? 1 : 0) +
                                           count_rule(report, "RES007") + (unique_id ? 1 : 0));
    CHECK(count_rule(report, "RES008") == (unique_id ? 1 : 0));
    CHECK((count_rule(report, "RES007") > 0) == service);
    CHECK(count_rule(report, "POL024") == (federated ? 1 : 0));
  }
  for (const char* bad : {R"("111122223333")", R"({"AWS": "11112222333"})", R"({"AWS": "arn:aws:iam::111122223333:group/g"})",
                          R"({"AWS": "arn:aws:sts::111122223333:assumed-role/r"})", R"({"AWS": "arn:aws:s3:::b"})",
                          R"({"Service": "Glue.amazonaws.com"})", R"({"Service": "glue"})",
                          R"({"Federated": "arn:aws:iam::111122223333:role/r"})", R"({"CanonicalUser": "abc"})"}) {
    INFO(bad);
    CHECK(count_rule(findings(bad), "POL026") == 1);
  }
  for (const char* wild : {R"({"AWS": "arn:aws:iam::111122223333:role/*"})", R"({"Service": "*.amazonaws.com"})"}) {
    INFO(wild);
    CHECK(count_rule(findings(wild), "POL027") == 1);
  }
  CHECK(count_rule(findings(R"({"aws": "*"})"), "POL007") == 1);
  CHECK(count_rule(findings(R"({})"), "POL009") == 1);
  CHECK(count_rule(findings(R"({"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"})",
                            Kind::kms_key),
                   "POL026") == 1);
}

TEST_CASE("policy: condition blocks", "[policy]") {
  auto cond = [](std::string_view condition) {
    return check(identity(std::string(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": )") +
                          std::string(condition) + "}"));
  };
  CHECK(cond(R"({"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}, "NumericLessThan": {"aws:MultiFactorAuthAge": 10},
      "ForAnyValue:StringLike": {"aws:CalledVia": "x*"}, "BoolIfExists": {"aws:MultiFactorAuthPresent": false}})")
            .diagnostics.empty());
  CHECK(count_rule(cond("[]"), "POL028") == 1);
  CHECK(count_rule(cond(R"({"StringEquals": "x"})"), "POL028") == 1);
  CHECK(count_rule(cond(R"({"StringEquals": {"aws:SourceVpc": {"a": 1}}})"), "POL028") == 1);
  CHECK(count_rule(cond(R"({"StringEquals": {"aws:SourceVpc": [null]}})"), "POL028") == 1);
  CHECK(count_rule(cond(R"({"StringEquals": {"aws:SourceVpc": "a", "aws:sourcevpc": "b"}})"), "POL028") == 1);
  CHECK(count_rule(cond("{}"), "POL009") == 1);
  CHECK(count_rule(cond(R"({"StringEquals": {}})"), "POL009") == 1);
  CHECK_THAT(only(cond(R"({"ForAllValues:StringEquals": {"aws:TagKeys": []}})"), "POL009").message,
             Catch::Contains("only when the key is absent"));
  CHECK_THAT(only(cond(R"({"StringNotEquals": {"aws:SourceVpc": []}})"), "POL009").message,
             Catch::Contains("matches every request"));
  CHECK_THAT(only(cond(R"({"StringEquals": {"aws:SourceVpc": []}})"), "POL009").message, Catch::Contains("never matches"));
  CHECK_THAT(only(cond(R"({"ForAnyValue:StringNotLike": {"aws:TagKeys": []}})"), "POL009").message,
             Catch::Contains("whenever the key has any value"));
  CHECK(count_rule(cond(R"({"Bool": {"SecureTransport": "true"}})"), "POL028") == 1);
  CHECK(count_rule(cond(R"({"StringEquals": {"aws:ResourceTag/Cost Center": "x"}})"), "POL028") == 0);
  CHECK(count_rule(cond(R"({"StringEquals": {"aws :ResourceTag/x": "x"}})"), "POL028") == 1);
  CHECK(count_rule(cond(R"({"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:o/r:ref:refs/heads/main"}})"),
                   "POL028") == 0);
  CHECK_THAT(only(cond(R"({"StringEqual": {"k": "v"}})"), "POL029").message, Catch::Contains("did you mean `StringEquals`?"));
  CHECK(only(cond(R"({"stringequals": {"k": "v"}})"), "POL029").level == Level::warning);
  CHECK(count_rule(cond(R"({"ForAllValue:StringEquals": {"k": "v"}})"), "POL030") == 1);
  CHECK(count_rule(cond(R"({"StringEquals:ForAnyValue": {"k": "v"}})"), "POL030") == 1);
  CHECK(count_rule(cond(R"({"ForAnyValueStringEquals": {"k": "v"}})"), "POL030") == 1);
  CHECK(count_rule(cond(R"({"NullIfExists": {"k": "true"}})"), "POL031") == 1);
}

TEST_CASE("operators: parsing into parts", "[policy]") {
  using Status = policy::OperatorParse::Status;
  const auto full = policy::parse_operator("ForAnyValue:StringNotLikeIfExists");
  CHECK(full.status == Status::ok);
  CHECK(full.op.set_prefix == "ForAnyValue");
  CHECK(full.op.base == "StringNotLike");
  CHECK(full.op.if_exists);
  CHECK(policy::parse_operator("Null").status == Status::ok);
  CHECK(policy::parse_operator("forallvalues:stringequals").status == Status::case_mismatch);
  CHECK(policy::parse_operator("forallvalues:stringequals").canonical == "ForAllValues:StringEquals");
  CHECK(policy::parse_operator("IpAddres").status == Status::unknown_base);
  CHECK(policy::parse_operator("IpAddres").canonical == "IpAddress");
  CHECK(policy::parse_operator("Whatever").canonical.empty());
  CHECK(policy::parse_operator("IfExists").status == Status::unknown_base);
  CHECK(policy::parse_operator("NullIfExists").status == Status::null_if_exists);
  CHECK(policy::parse_operator("ForEachValue:StringEquals").status == Status::bad_set_prefix);
  CHECK(policy::parse_operator("A:B:C").status == Status::too_many_colons);
  CHECK(policy::parse_operator("ForAllValues:Bool:").status == Status::too_many_colons);
  CHECK(policy::parse_operator("ForAnyValueStringEquals").status == Status::missing_colon);
  CHECK(policy::parse_operator("ForAnyValueStringEquals").canonical == "ForAnyValue:StringEquals");
  CHECK(policy::parse_operator("StringEquals:ForAnyValue").status == Status::misplaced_set);
  CHECK(policy::parse_operator("StringEquals:ForAnyValue").canonical == "ForAnyValue:StringEquals");
}

TEST_CASE("policy: resource types stop being compared when the document's budget is spent", "[policy]") {
  // 20,000 queues against the s3 actions: the budget of comparisons runs out inside `s3:Get*`;
  // RES003 reports nothing more, even for an action whose types an earlier one compared.
  std::string text = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Action": ["s3:GetObject", "s3:Get*", "s3:GetObjectAcl"], "Resource": [)";
  for (int i = 0; i < 20000; ++i) text += fmt::format("{}\"arn:aws:sqs:us-east-1:111122223333:q{}\"", i ? "," : "", i);
  text += "]}]}";
  const auto report = check(text);
  REQUIRE(count_rule(report, "RES003") == 1);
  CHECK(only(report, "RES003").message.find("`s3:GetObject`") != std::string::npos);
}

TEST_CASE("policy: a key policy's lockout is asked of its callers within the budget", "[policy]") {
  // The account's root is denied kms:PutKeyPolicy: asked of each role's session too, a lockout.
  const auto key_policy = [](int roles) {
    std::string text = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"})";
    for (int i = 0; i < roles; ++i) {
      text += fmt::format(R"(,{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:role/r{}"}},
        "Action": "kms:Decrypt", "Resource": "*"}})",
                          i);
    }
    return text + R"(,{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:PutKeyPolicy", "Resource": "*"}]})";
  };
  CHECK(count_rule(check(key_policy(100), policy::Kind::kms_key), "KMS001") == 1);
  // 5,000 statements times 5,000 callers is past it (and over KMS's 32 KB quota: POL010): said
  // in a note, not passed over (h52 H2).
  const auto past = check(key_policy(5000), policy::Kind::kms_key);
  REQUIRE(count_rule(past, "KMS001") == 1);
  CHECK(only(past, "KMS001").level == Level::note);
  CHECK(only(past, "KMS001").message.find("was not worked out") != std::string::npos);
  CHECK(count_rule(past, "POL010") == 1);
}

TEST_CASE("policy: accounts a key policy names only outside kms:PutKeyPolicy are asked as one", "[policy]") {
  // 1,500 accounts allowed kms:Decrypt (22 KB, within KMS's quota) and a Deny that exempts a
  // user of another account: a lockout, which three callers an account put past the budget.
  std::string accounts;
  for (int i = 0; i < 1500; ++i) accounts += fmt::format("{}\"{:012}\"", i == 0 ? "" : ",", 200000000000 + i);
  const std::string text = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
      {"Effect": "Allow", "Principal": {"AWS": [)" +
                           accounts + R"(]}, "Action": "kms:Decrypt", "Resource": "*"},
      {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::999988887777:user/x"},
      "Action": "kms:PutKeyPolicy", "Resource": "*"}]})";
  const auto report = check(text, policy::Kind::kms_key);
  REQUIRE(count_rule(report, "KMS001") == 1);
  CHECK(only(report, "KMS001").level == Level::error);
}

TEST_CASE("policy: a key policy's lockout weighs condition values by their length", "[policy]") {
  // 200 users of 1 KB paths and a Deny sparing 300 `aws:PrincipalArn` patterns of 2 KB that match
  // none of them: 6 s before (h52 H1); now past the budget, said.
  const std::string path(1000, 'p');
  std::string users;
  for (int i = 0; i < 200; ++i) {
    users += fmt::format("{}\"arn:aws:iam::111122223333:user/{}/u{}\"", i == 0 ? "" : ",", path, i);
  }
  std::string pattern = "arn:aws:iam::111122223333:user/";
  for (int i = 0; i < 1000; ++i) pattern += "*x";
  std::string patterns;
  for (int i = 0; i < 300; ++i) patterns += fmt::format("{}\"{}{}\"", i == 0 ? "" : ",", pattern, i);
  const std::string text = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
      {"Effect": "Allow", "Principal": {"AWS": [)" +
                           users + R"(]}, "Action": "kms:*", "Resource": "*"},
      {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*",
       "Condition": {"StringNotLike": {"aws:PrincipalArn": [)" +
                           patterns + R"(]}}}]})";
  const auto report = check(text, policy::Kind::kms_key);
  REQUIRE(count_rule(report, "KMS001") == 1);
  CHECK(only(report, "KMS001").level == Level::note);
}

TEST_CASE("policy: size quotas and characters", "[policy]") {
  std::string actions;
  for (int i = 0; i < 700; ++i) actions += (i ? ", " : "") + std::string("\"s3:GetObjectVersionTagging\"");
  const std::string big = identity(std::string(R"({"Effect": "Allow", "Resource": "*", "Action": [)") + actions + "]}");
  CHECK(count_rule(check(big), "POL010") == 1);
  CHECK(count_rule(check(big, Kind::inline_role), "POL010") == 1);
  CHECK(count_rule(check(big, Kind::resource), "POL010") == 0);  // service-specific quotas are not modelled
  // White space does not count: the same policy indented heavily stays under the quota.
  std::string small_actions;
  for (int i = 0; i < 100; ++i) small_actions += (i ? ",\n                    " : "") + std::string("\"s3:GetObject\"");
  CHECK(count_rule(check(identity(std::string(R"({"Effect": "Allow", "Resource": "*", "Action": [)") + small_actions + "]}")),
                   "POL010") == 0);
  const std::string quote = identity("{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/\xE2\x80\x9Cx\xE2\x80\x9D\"}");
  const auto chars = only(check(quote), "POL011");
  CHECK(chars.location.span == span_of(quote, "\xE2\x80\x9C"));
  CHECK_THAT(chars.message, Catch::Contains("U+201C") && Catch::Contains("2 such characters"));
  CHECK(count_rule(check(quote, Kind::kms_key), "POL011") == 0);
}

TEST_CASE("policy: kind detection", "[policy]") {
  const auto detect = [](std::string_view text) {
    return check(text).documents.at(0).kind;
  };
  CHECK(detect(identity(R"({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})")) == Kind::identity);
  CHECK(detect(identity(R"({"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"})")) ==
        Kind::trust);
  // A Resource does not make a trust policy something else: it is reported as POL021.
  const std::string trust_with_resource = identity(R"({"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"},
      "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"], "Resource": "*"})");
  CHECK(detect(trust_with_resource) == Kind::trust);
  CHECK(count_rule(check(trust_with_resource), "POL021") == 1);
  CHECK(detect(identity(R"({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"})")) ==
        Kind::kms_key);
  CHECK(detect(identity(R"({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})")) ==
        Kind::resource);
}
