#include <catch2/catch.hpp>
#include <string>

#include "engine/check.h"
#include "input/terraform.h"
#include "json/parse.h"
#include "support/helpers.h"

using namespace grantlint;
using grantlint::policy::Kind;
using grantlint::testing::check;
using grantlint::testing::count_rule;
using grantlint::testing::only;

namespace {

// A policy as Terraform writes it into a plan: JSON text inside a JSON string.
std::string as_plan_string(std::string_view policy) {
  std::string out = "\"";
  for (const char c : policy) {
    if (c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string resource(std::string_view address, std::string_view mode, std::string_view type, std::string_view values) {
  const std::size_t dot = address.rfind('.', address.find('['));
  const std::string name(address.substr(dot + 1, address.find('[', dot) - dot - 1));
  return "{\"address\": \"" + std::string(address) + "\", \"mode\": \"" + std::string(mode) + "\", \"type\": \"" +
         std::string(type) + "\", \"name\": \"" + name + "\", \"values\": {" + std::string(values) + "}}";
}

const DocumentInfo* document_of(const CheckReport& report, std::string_view resource) {
  for (const DocumentInfo& document : report.documents) {
    if (document.resource == resource) return &document;
  }
  return nullptr;
}

constexpr std::string_view kStarOnStar =
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})";
constexpr std::string_view kRead =
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]})";

}  // namespace

TEST_CASE("terraform: each resource's policy attribute, as its kind, named by its address", "[terraform]") {
  const std::string scp =
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]})";
  const std::string ecr =
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "ecr:BatchGetImage"}]})";
  const std::string bucket =
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]})";
  const std::string plan =
      R"({"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [)" +
      resource("aws_organizations_policy.deny_iam", "managed", "aws_organizations_policy",
               "\"type\": \"SERVICE_CONTROL_POLICY\", \"content\": " + as_plan_string(scp)) +
      ", " +
      resource("aws_organizations_policy.tags", "managed", "aws_organizations_policy",
               R"("type": "TAG_POLICY", "content": "{\"tags\": {}}")") +
      ", " +
      resource("aws_ecr_repository_policy.pull", "managed", "aws_ecr_repository_policy", "\"policy\": " + as_plan_string(ecr)) +
      ", " + resource("aws_s3_bucket.legacy", "managed", "aws_s3_bucket", "\"policy\": " + as_plan_string(bucket)) + ", " +
      resource("aws_iam_role_policy.each[0]", "managed", "aws_iam_role_policy", "\"policy\": " + as_plan_string(kRead)) +
      R"(], "child_modules": [{"address": "module.m[\"a.b\"]", "resources": [)" +
      resource(R"(module.m[\"a.b\"].aws_iam_policy.admin)", "managed", "aws_iam_policy",
               "\"policy\": " + as_plan_string(kStarOnStar)) +
      "]}]}}}";
  const CheckReport report = check(plan);
  REQUIRE(report.documents.size() == 5);
  const DocumentInfo* deny_iam = document_of(report, "aws_organizations_policy.deny_iam");
  REQUIRE(deny_iam != nullptr);
  CHECK(deny_iam->kind == Kind::scp);
  CHECK(deny_iam->pointer == "/planned_values/root_module/resources/0/values/content");
  CHECK(document_of(report, "aws_organizations_policy.tags") == nullptr);  // not IAM's grammar
  CHECK(document_of(report, "aws_ecr_repository_policy.pull")->kind == Kind::resource);
  CHECK(document_of(report, "aws_s3_bucket.legacy")->kind == Kind::resource);
  CHECK(document_of(report, "aws_iam_role_policy.each[0]")->kind == Kind::inline_role);
  CHECK(count_rule(report, "POL020") == 0);  // an ECR repository policy names no Resource
  CHECK(count_rule(report, "RES001") == 1);  // the bucket is public
  const Diagnostic admin = only(report, "GRT001");
  REQUIRE(admin.logical.size() == 1);
  CHECK(admin.logical.front().name == "aws_iam_policy.admin");
  CHECK(admin.logical.front().fully_qualified_name == R"(module.m["a.b"].aws_iam_policy.admin)");
  CHECK(admin.document == "/planned_values/root_module/child_modules/0/resources/0/values/policy");
}

TEST_CASE("terraform: a data source's document is checked once, where a resource holds it", "[terraform]") {
  const std::string plan =
      R"({"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [)" +
      resource("aws_iam_policy.read", "managed", "aws_iam_policy", "\"policy\": " + as_plan_string(kRead)) +
      R"(]}}, "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": [)" +
      resource("data.aws_iam_policy_document.read", "data", "aws_iam_policy_document", "\"json\": " + as_plan_string(kRead)) +
      ", " +
      resource("data.aws_iam_policy_document.spare", "data", "aws_iam_policy_document",
               "\"json\": " + as_plan_string(kStarOnStar)) +
      "]}}}}";
  const CheckReport report = check(plan);
  REQUIRE(report.documents.size() == 2);
  CHECK(document_of(report, "aws_iam_policy.read")->kind_detected == false);
  CHECK(document_of(report, "data.aws_iam_policy_document.read") == nullptr);
  const DocumentInfo* spare = document_of(report, "data.aws_iam_policy_document.spare");
  REQUIRE(spare != nullptr);
  CHECK(spare->kind_detected);
  CHECK(spare->pointer == "/prior_state/values/root_module/resources/1/values/json");
  CHECK(only(report, "GRT001").logical.front().name == "data.aws_iam_policy_document.spare");
}

TEST_CASE("terraform: a policy known only after apply is reported, not skipped", "[terraform]") {
  const std::string plan = R"({"format_version": "1.2", "terraform_version": "1.9.0",
  "planned_values": {"root_module": {"resources": []}},
  "resource_changes": [
    {"address": "aws_iam_policy.later", "mode": "managed", "type": "aws_iam_policy", "name": "later",
     "change": {"actions": ["create"], "after_unknown": {"arn": true, "policy": true}}},
    {"address": "aws_sns_topic.t", "mode": "managed", "type": "aws_sns_topic", "name": "t",
     "change": {"actions": ["create"], "after_unknown": {"policy": true}}},
    {"address": "module.keys[0].aws_kms_key.k", "module_address": "module.keys[0]", "mode": "managed",
     "type": "aws_kms_key", "name": "k", "index": 0,
     "change": {"actions": ["create"], "after_unknown": {"policy": true}}},
    {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
     "change": {"actions": ["update"], "after_unknown": {"assume_role_policy": false, "inline_policy": [{"policy": true}]}}}
  ],
  "configuration": {"root_module": {
    "resources": [{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
                   "expressions": {"inline_policy": [{"policy": {"references": ["aws_s3_bucket.b.arn"]}}]}},
                  {"address": "aws_sns_topic.t", "mode": "managed", "type": "aws_sns_topic", "name": "t",
                   "expressions": {"name": {"constant_value": "t"}}}],
    "module_calls": {"keys": {"module": {"resources": [
      {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
       "expressions": {"policy": {"references": ["data.aws_iam_policy_document.key"]}}}]}}}}}})";
  const CheckReport report = check(plan);
  REQUIRE(count_rule(report, "TPL003") == 3);  // not the topic's default policy, which AWS computes
  std::vector<std::string> messages;
  for (const Diagnostic& d : report.diagnostics) messages.push_back(d.message);
  CHECK(messages[0].starts_with("the `policy` of `aws_iam_policy.later` is known only when the plan is applied"));
  CHECK(messages[1].starts_with("the `policy` of `module.keys[0].aws_kms_key.k`"));
  CHECK(messages[2].starts_with("the `inline_policy[0].policy` of `aws_iam_role.r` is known only"));
  CHECK(report.diagnostics[0].location.span == testing::span_of(plan, "true", 1));
}

TEST_CASE("terraform: a policy marked unknown that the plan gives all the same is analysed and said so",
          "[terraform]") {
  const std::string admin = as_plan_string(kStarOnStar);
  const std::string plan = R"({"format_version": "1.2", "terraform_version": "1.9.0",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
     "values": {"name": "r", "inline_policy": [{"name": "keep", "policy": )" + admin + R"(},
                                               {"name": "i", "policy": )" + admin + R"(}]}},
    {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
     "values": {"policy": )" + admin + R"(}},
    {"address": "aws_iam_role_policy.same", "mode": "managed", "type": "aws_iam_role_policy", "name": "same",
     "values": {"name": "i", "role": "r", "policy": )" + admin + R"(}}]}},
  "resource_changes": [
    {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
     "change": {"actions": ["create"], "after_unknown": {"inline_policy": [{"policy": false}, {"policy": true}]}}},
    {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
     "change": {"actions": ["create"], "after_unknown": {"policy": true}}}
  ]})";
  const CheckReport report = check(plan);
  std::vector<std::string> notes;
  for (const Diagnostic& d : report.diagnostics) {
    if (d.rule->id == "TPL003") notes.push_back(d.message);
  }
  // The key's too, though AWS computes an unset key policy; the block's though an
  // aws_iam_role_policy of the role holds the same text (one policy, analysed once).
  REQUIRE(notes.size() == 2);
  CHECK(notes[0].starts_with("the `inline_policy[1].policy` of `aws_iam_role.r` is marked as known only when the "
                             "plan is applied, yet the plan gives it"));
  CHECK(notes[1].starts_with("the `policy` of `aws_kms_key.k` is marked as known only"));
}

TEST_CASE("terraform: addresses split at their modules, quoted keys whole", "[terraform]") {
  const auto plain = input::split_terraform_address("aws_iam_policy.p[1]");
  CHECK(plain.modules.empty());
  CHECK(plain.resource == "aws_iam_policy.p[1]");
  const auto nested = input::split_terraform_address(R"(module.a["x.y"].module.b[0].aws_iam_policy.p)");
  CHECK(nested.modules == std::vector<std::string>{"a", "b"});
  CHECK(nested.resource == "aws_iam_policy.p");
  // Keys may hold `].`, brackets and escaped quotes.
  const auto odd = input::split_terraform_address(R"(module.svc["a].b\"]["].aws_sqs_queue.q)");
  CHECK(odd.modules == std::vector<std::string>{"svc"});
  CHECK(odd.resource == "aws_sqs_queue.q");
  // A broken address keeps what it cannot split as the resource.
  CHECK(input::split_terraform_address(R"(module.m["open)").resource == R"(module.m["open)");
  CHECK(input::split_terraform_address("module.m").resource == "module.m");
}

TEST_CASE("terraform: the resource a value comes from, as the configuration names it", "[terraform]") {
  const std::string text = R"({"configuration": {"root_module": {
    "resources": [
      {"address": "aws_glue_job.nightly", "mode": "managed", "type": "aws_glue_job", "name": "nightly",
       "expressions": {"role_arn": {"references": ["aws_iam_role.glue.arn", "aws_iam_role.glue"]},
                       "name": {"references": ["var.prefix"]}}},
      {"address": "aws_glue_job.each", "mode": "managed", "type": "aws_glue_job", "name": "each",
       "expressions": {"role_arn": {"references": ["aws_iam_role.r", "each.key"]}}},
      {"address": "aws_glue_security_configuration.etl", "mode": "managed",
       "type": "aws_glue_security_configuration", "name": "etl",
       "expressions": {"encryption_configuration": [{"s3_encryption": [{"kms_key_arn":
         {"references": ["aws_kms_key.data[0].arn", "aws_kms_key.data[0]", "aws_kms_key.data"]}}]}]}}],
    "module_calls": {"etl": {"module": {"resources": [
      {"address": "aws_glue_crawler.raw", "mode": "managed", "type": "aws_glue_crawler", "name": "raw",
       "expressions": {"role": {"references": ["var.role", "aws_iam_role.crawler.name", "aws_iam_role.crawler"]}}}
    ]}}}}}})";
  DiagnosticSink sink;
  Emitter emit(sink, 0);
  json::Parser parser;
  const auto root = parser.parse(text, json::OffsetMap::shifted(0), emit);
  REQUIRE(root);
  const input::TerraformPlan plan(*root);
  CHECK(input::terraform_reference(plan, "aws_glue_job.nightly", {"role_arn"}) == "aws_iam_role.glue");
  CHECK(input::terraform_reference(plan, "aws_glue_job.nightly", {"name"}).empty());  // a variable
  CHECK(input::terraform_reference(plan, "aws_glue_job.nightly", {"security_configuration"}).empty());
  // A literal instance key is kept; `[each.key]` says the instance's own key is meant.
  CHECK(input::terraform_reference(plan, "aws_glue_security_configuration.etl",
                                   {"encryption_configuration", "s3_encryption", "kms_key_arn"}) ==
        "aws_kms_key.data[0]");
  bool per_instance = false;
  CHECK(input::terraform_reference(plan, "aws_glue_job.each[\"a\"]", {"role_arn"}, &per_instance) == "aws_iam_role.r");
  CHECK(per_instance);
  // In a module's instance: the module's prefix, instance key and all, is kept.
  CHECK(input::terraform_reference(plan, "module.etl[\"a.b\"].aws_glue_crawler.raw", {"role"}) ==
        "module.etl[\"a.b\"].aws_iam_role.crawler");
  CHECK(input::terraform_reference(plan, "aws_glue_job.other", {"role_arn"}).empty());
  CHECK(input::without_instance_key("aws_iam_role.r[\"x[1]\"]") == "aws_iam_role.r");
  CHECK(input::without_instance_key("aws_iam_role.r[3]") == "aws_iam_role.r");
  CHECK(input::without_instance_key("aws_iam_role.r") == "aws_iam_role.r");
}

TEST_CASE("terraform: a plan without `terraform_version` is still a plan, by its root module", "[terraform]") {
  const std::string plan = R"({"format_version": "1.2", "planned_values": {"root_module": {"resources": [)" +
                           resource("aws_iam_policy.admin", "managed", "aws_iam_policy",
                                    "\"policy\": " + as_plan_string(kStarOnStar)) +
                           "]}}}";
  const CheckReport report = check(plan);
  CHECK(only(report, "GRT001").logical.front().name == "aws_iam_policy.admin");
  CHECK(count_rule(report, "POL006") == 0);  // not read as a policy of unknown keys
  // Policy-like JSON with a `values` object but no root module is not taken for a plan.
  const CheckReport other = check(R"({"format_version": "1", "values": {"Statement": []}})");
  CHECK(other.documents.size() == 1);
  CHECK(other.documents.front().resource.empty());
}
