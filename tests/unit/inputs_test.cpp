#include <catch2/catch.hpp>

#include "support/helpers.h"

using namespace grantlint;
using grantlint::policy::Kind;
using grantlint::testing::check;
using grantlint::testing::count_rule;
using grantlint::testing::only;
using grantlint::testing::span_of;

TEST_CASE("inputs: kms get-key-policy locates findings through the string's escapes", "[inputs]") {
  const std::string text =
      R"({"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"\u00e9t\u00e9\",\"Effect\":\"allow\",)"
      R"(\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",)"
      R"( "PolicyName": "default"})";
  const auto report = check(text);
  REQUIRE(report.documents.size() == 1);
  CHECK(report.documents[0].kind == Kind::kms_key);
  CHECK(report.documents[0].pointer == "/Policy");
  const auto effect = only(report, "POL016");
  CHECK(effect.location.span == span_of(text, R"(\"allow\")"));
  CHECK(effect.document == "/Policy");
  CHECK(effect.pointer == "/Statement/0/Effect");
  CHECK(report.diagnostics.size() == 1);  // the Sid may hold any character in a key policy
}

TEST_CASE("inputs: a broken policy inside a string is located in the file", "[inputs]") {
  const std::string text = R"({"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[}", "PolicyName": "default"})";
  const auto syntax = only(check(text), "JSON001");
  CHECK(syntax.location.span.begin == span_of(text, "}\"").begin);
  CHECK(syntax.document == "/Policy");
  CHECK(count_rule(check(R"({"Policy": "", "PolicyName": "default"})"), "POL002") == 1);
}

TEST_CASE("inputs: URL-encoded get-policy-version documents", "[inputs]") {
  const std::string text = R"({"PolicyVersion": {"Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A)"
                           R"(%5B%7B%22Effect%22%3A%22Alow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D",)"
                           R"( "VersionId": "v2", "IsDefaultVersion": true}})";
  const auto report = check(text);
  CHECK(report.documents.at(0).kind == Kind::identity);
  const auto effect = only(report, "POL016");
  CHECK(effect.location.span == span_of(text, "%22Alow%22"));
  CHECK(count_rule(check(R"({"PolicyVersion": {"Document": "%7B%2"}})"), "POL002") == 1);
}

TEST_CASE("inputs: object-valued wrappers", "[inputs]") {
  const std::string role = R"({"Role": {"RoleName": "r", "AssumeRolePolicyDocument": {"Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole",
      "Resource": "*"}]}}})";
  const auto trust = check(role);
  CHECK(trust.documents.at(0).kind == Kind::trust);
  CHECK(only(trust, "POL021").document == "/Role/AssumeRolePolicyDocument");
  const std::string inline_policy = R"({"RoleName": "r", "PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}})";
  CHECK(check(inline_policy).documents.at(0).kind == Kind::inline_role);
  const std::string bucket = R"({"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",)"
                             R"(\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}"})";
  const auto bucket_report = check(bucket);
  CHECK(bucket_report.documents.at(0).kind == Kind::resource);
  REQUIRE(bucket_report.diagnostics.size() == 1);
  CHECK(only(bucket_report, "RES001").document == "/Policy");  // public, and located inside the string
}

TEST_CASE("inputs: --policy-type overrides wrappers and detection", "[inputs]") {
  const std::string role = R"({"Role": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}})";
  const auto report = check(role, Kind::identity);
  CHECK(report.documents.at(0).kind == Kind::identity);
  CHECK(count_rule(report, "POL024") == 1);
}
