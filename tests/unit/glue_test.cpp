#include <catch2/catch.hpp>
#include <string>

#include "catalog/catalog.h"
#include "eval/decide.h"
#include "eval/request.h"
#include "glue/aws_managed_policies.h"
#include "glue/requirements.h"

using grantlint::glue::parse_requirements;

TEST_CASE("the Glue requirements table parses and names real actions", "[glue]") {
  const auto& table = grantlint::glue::builtin_requirements();
  REQUIRE(table.size() >= 10);
  const auto& catalog = grantlint::catalog::Catalog::builtin();
  for (const auto& requirement : table) {
    INFO("line " << requirement.line);
    for (const std::string& action : requirement.actions) {
      INFO(action);
      const auto colon = action.find(':');
      const auto* service = catalog.find_service(action.substr(0, colon));
      REQUIRE(service != nullptr);
      CHECK(service->find_action(action.substr(colon + 1)) != nullptr);
    }
  }
}

TEST_CASE("a broken requirements line is an error with its line number", "[glue]") {
  const std::string good =
      "GLUE-IAM-05\tjob\tbookmarks-cse-kms\tbookmarks\tkms:Decrypt\tkey\t-\thigh\tbookmarks\thttps://"
      "docs.aws.amazon.com/x";
  CHECK(parse_requirements("# comment\n" + good + "\n").has_value());
  const auto unknown_rule = parse_requirements("# comment\nGLUE-NOPE" + good.substr(11) + "\n");
  REQUIRE_FALSE(unknown_rule.has_value());
  CHECK(unknown_rule.error().line == 2);
  CHECK_FALSE(parse_requirements("GLUE-IAM-05\tjob\n").has_value());
  std::string bad_who = good;
  bad_who.replace(bad_who.find("\tjob\t"), 5, "\tjobs\t");
  CHECK_FALSE(parse_requirements(bad_who).has_value());
  std::string not_key = good;
  not_key.replace(not_key.find("\tkey\t"), 5, "\t*\t");
  CHECK_FALSE(parse_requirements(not_key).has_value());
}

TEST_CASE("templates expand the values given and keep the others", "[glue]") {
  CHECK(grantlint::glue::expand("arn:${partition}:glue:${region}:${x}",
                                {{"partition", "aws"}, {"region", "eu-west-1"}}) == "arn:aws:glue:eu-west-1:${x}");
}

TEST_CASE("an AWS managed policy's copy in another partition names that partition's resources", "[glue]") {
  using namespace grantlint::eval;
  const auto& catalog = grantlint::catalog::Catalog::builtin();
  const auto allowed = [&](std::string_view policy_arn, const std::string& principal, const std::string& object) {
    const CompiledPolicy* policy = grantlint::glue::known_aws_managed_policy(policy_arn, catalog);
    REQUIRE(policy != nullptr);
    PolicySet set;
    set.identity.push_back(policy);
    const auto request = make_request(principal, "s3:GetObject", object, "", Context());
    REQUIRE(request);
    return decide(set, *request).decision == Decision::allowed;
  };
  const std::string china_role = "arn:aws-cn:iam::111122223333:role/r";
  CHECK(allowed("arn:aws-cn:iam::aws:policy/service-role/AWSGlueServiceRole", china_role,
                "arn:aws-cn:s3:::aws-glue-scripts/job.py"));
  CHECK(allowed("arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole", "arn:aws:iam::111122223333:role/r",
                "arn:aws:s3:::aws-glue-scripts/job.py"));
  CHECK_FALSE(allowed("arn:aws-cn:iam::aws:policy/service-role/AWSGlueServiceRole", china_role,
                      "arn:aws-cn:s3:::other-bucket/job.py"));
}
