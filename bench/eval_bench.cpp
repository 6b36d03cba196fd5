// Decisions per second of the evaluator on a role with 100 statements and 10,000 requests,
// side by side with the same requests when each one builds its request and when each one
// recompiles the policy (what compiling once saves). Usage: eval_bench [REQUESTS] [ROUNDS]
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "diag/emitter.h"
#include "eval/decide.h"
#include "json/parse.h"
#include "policy/lower.h"
#include "source/source_file.h"

using namespace grantlint;

namespace {

// A role policy in the shape of real ones: service grants on named resources, tag and
// network conditions, a few denies, wildcard read-only actions.
std::string make_policy(std::size_t statements) {
  static const char* const kTemplates[] = {
      R"({{"Sid": "S{0}", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:List*"], "Resource": ["arn:aws:s3:::data-{0}", "arn:aws:s3:::data-{0}/${{aws:PrincipalTag/team}}/*"]}})",
      R"({{"Sid": "S{0}", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/t{0}*", "Condition": {{"StringEquals": {{"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}}}})",
      R"({{"Sid": "S{0}", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "arn:aws:kms:*:111122223333:key/*", "Condition": {{"StringLike": {{"kms:ViaService": "s3.*.amazonaws.com"}}}}}})",
      R"({{"Sid": "S{0}", "Effect": "Allow", "Action": ["ec2:Describe*", "cloudwatch:Get*", "logs:Describe*"], "Resource": "*"}})",
      R"({{"Sid": "S{0}", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::data-{0}", "Condition": {{"Bool": {{"aws:MultiFactorAuthPresent": "false"}}}}}})",
      R"({{"Sid": "S{0}", "Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:111122223333:queue-{0}", "Condition": {{"IpAddress": {{"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}}}}})",
      R"({{"Sid": "S{0}", "Effect": "Deny", "NotAction": ["iam:Get*", "iam:List*"], "Resource": "arn:aws:iam::111122223333:role/admin-{0}"}})",
      R"({{"Sid": "S{0}", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:fn-{0}:*", "Condition": {{"ForAllValues:StringEquals": {{"aws:TagKeys": ["team", "env"]}}}}}})",
  };
  std::string out = R"({"Version": "2012-10-17", "Statement": [)";
  for (std::size_t i = 0; i < statements; ++i) {
    if (i > 0) out += ",\n";
    out += fmt::format(fmt::runtime(kTemplates[i % std::size(kTemplates)]), i);
  }
  return out + "]}";
}

struct RequestSpec {
  std::string action;
  std::string resource;
};

std::vector<RequestSpec> make_requests(std::size_t count, std::size_t statements) {
  std::mt19937 random(42);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  std::vector<RequestSpec> out;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t n = pick(statements + 20);  // some name no statement covers
    switch (pick(6)) {
      case 0: out.push_back({"s3:GetObject", fmt::format("arn:aws:s3:::data-{}/analytics/part-{}", n, i)}); break;
      case 1:
        out.push_back({"dynamodb:Query", fmt::format("arn:aws:dynamodb:us-east-1:111122223333:table/t{}x", n)});
        break;
      case 2: out.push_back({"kms:Decrypt", fmt::format("arn:aws:kms:us-east-1:111122223333:key/k-{}", n)}); break;
      case 3: out.push_back({"ec2:DescribeInstances", "*"}); break;
      case 4: out.push_back({"sqs:SendMessage", fmt::format("arn:aws:sqs:us-east-1:111122223333:queue-{}", n)}); break;
      default: out.push_back({"s3:DeleteBucket", fmt::format("arn:aws:s3:::data-{}", n)}); break;
    }
  }
  return out;
}

eval::Context make_context(std::size_t i) {
  eval::Context context;
  context.set("aws:PrincipalTag/team", std::string("analytics"));
  context.set("aws:RequestedRegion", std::string(i % 2 == 0 ? "us-east-1" : "ap-south-1"));
  context.set("kms:ViaService", std::string("s3.us-east-1.amazonaws.com"));
  context.set("aws:SourceIp", std::string(i % 3 == 0 ? "10.1.2.3" : "203.0.113.9"));
  context.set("aws:MultiFactorAuthPresent", std::string(i % 5 == 0 ? "false" : "true"));
  return context;
}

std::unique_ptr<const eval::CompiledPolicy> compile(const SourceFile& file, json::Parser& parser) {
  DiagnosticSink sink;
  Emitter emit(sink, 0);
  const auto root = parser.parse(file.text(), json::OffsetMap::shifted(0), emit);
  auto document = policy::lower(*root, policy::Kind::inline_role, emit);
  return eval::CompiledPolicy::compile(std::move(*document), 0);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t count = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  constexpr std::size_t kStatements = 100;
  const std::string policy_text = make_policy(kStatements);
  const SourceFile file("role.json", std::string_view(policy_text));
  json::Parser parser;
  const auto specs = make_requests(count, kStatements);
  const std::string principal = "arn:aws:sts::111122223333:assumed-role/analytics/job";

  std::vector<eval::Request> requests;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    requests.push_back(*eval::make_request(principal, specs[i].action, specs[i].resource, "", make_context(i)));
  }
  auto start = std::chrono::steady_clock::now();
  const auto policy = compile(file, parser);
  const double compile_seconds = seconds_since(start);
  eval::PolicySet set;
  set.identity.push_back(policy.get());

  fmt::print("policy: {} statements, {} bytes; requests: {}; rounds: {}\n", kStatements, file.text().size(), count,
             rounds);
  fmt::print("compile once: {:.1f} us\n", compile_seconds * 1e6);
  std::size_t allowed = 0;
  for (int round = 0; round < rounds; ++round) {
    start = std::chrono::steady_clock::now();
    allowed = 0;
    for (const eval::Request& request : requests)
      allowed += eval::decide(set, request).decision == eval::Decision::allowed;
    const double decide_seconds = seconds_since(start);

    start = std::chrono::steady_clock::now();
    for (const eval::Request& request : requests) (void)eval::decide(set, request, {.explain = false});
    const double quiet_seconds = seconds_since(start);

    start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const auto request = eval::make_request(principal, specs[i].action, specs[i].resource, "", make_context(i));
      (void)eval::decide(set, *request);
    }
    const double with_request_seconds = seconds_since(start);

    const std::size_t recompiled = std::max<std::size_t>(1, count / 20);
    start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < recompiled; ++i) {
      const auto fresh = compile(file, parser);
      eval::PolicySet fresh_set;
      fresh_set.identity.push_back(fresh.get());
      (void)eval::decide(fresh_set, requests[i]);
    }
    const double recompile_seconds =
        seconds_since(start) * static_cast<double>(count) / static_cast<double>(recompiled);

    fmt::print(
        "round {}: decide, explained {:>8.0f}/s ({:.2f} us) | decision only {:>8.0f}/s ({:.2f} us) | "
        "with request building {:>8.0f}/s | recompiling per request {:>6.0f}/s | compiled once is {:.0f}x "
        "faster\n",
        round + 1, static_cast<double>(count) / decide_seconds, decide_seconds * 1e6 / static_cast<double>(count),
        static_cast<double>(count) / quiet_seconds, quiet_seconds * 1e6 / static_cast<double>(count),
        static_cast<double>(count) / with_request_seconds, static_cast<double>(count) / recompile_seconds,
        recompile_seconds / decide_seconds);
  }
  fmt::print("allowed: {} of {}\n", allowed, count);
  return 0;
}
