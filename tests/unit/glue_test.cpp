#include <catch2/catch.hpp>
#include <string>

#include "catalog/catalog.h"
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
