#include <fmt/format.h>
#include <fmt/ranges.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "engine/simulate.h"
#include "eval/compiled.h"
#include "eval/decide.h"
#include "eval/pattern.h"
#include "eval/principal.h"
#include "eval/request.h"
#include "eval/tri.h"
#include "match/glob.h"

using namespace grantlint;
using namespace grantlint::eval;

namespace {

// Every string over `alphabet` up to `length` characters.
std::vector<std::string> strings_over(std::string_view alphabet, std::size_t length) {
  std::vector<std::string> out{""};
  for (std::size_t begin = 0, n = 0; n < length; ++n) {
    const std::size_t end = out.size();
    for (std::size_t i = begin; i < end; ++i) {
      for (const char c : alphabet) out.push_back(out[i] + c);
    }
    begin = end;
  }
  return out;
}

// The decision for one request given as JSON, or the error message.
std::string decide_json(const std::string& request) {
  Simulator simulator;
  simulator.simulate_bytes("request.json", request);
  const SimulationOutcome& outcome = simulator.outcomes().at(0);
  if (outcome.error) return "error: " + outcome.error->message;
  return std::string(to_string(outcome.answer->decision));
}

std::string one_policy(std::string_view type, std::string_view statements) {
  return std::string(R"(, "policies": {")") + std::string(type) + R"(": [{"Version": "2012-10-17", "Statement": [)" +
         std::string(statements) + "]}]}";
}

}  // namespace

TEST_CASE("eval: token patterns agree with the glob matcher on a small alphabet", "[eval]") {
  // Exhaustive over patterns of `a`, `b`, `*`, `?` and texts of `a`, `b` up to four characters.
  for (const std::string& pattern : strings_over("ab*?", 4)) {
    const Pattern compiled(pattern, /*wildcards=*/true, /*variables=*/false);
    for (const std::string& text : strings_over("ab", 4)) {
      INFO(pattern << " ~ " << text);
      REQUIRE(tokens_match(compiled.tokens(), text, false) == match::glob_matches(pattern, text, false));
    }
  }
}

TEST_CASE("eval: substituted values and ${*} stay literal", "[eval]") {
  Context context;
  context.set("aws:username", std::string("a*b"));
  std::vector<Token> tokens;
  const Pattern pattern("home/${aws:username}/${*}", true, true);
  REQUIRE(pattern.expand(context, 64, tokens) == Expansion::resolved);
  CHECK(tokens_match(tokens, "home/a*b/*", false));
  CHECK_FALSE(tokens_match(tokens, "home/axxb/x", false));
  // Key names are case-insensitive; a default applies only to an absent key; a set is unresolved.
  CHECK(Pattern("${AWS:UserName}", true, true).expand(context, 64, tokens) == Expansion::resolved);
  CHECK(Pattern("${aws:PrincipalTag/team, 'none'}", true, true).expand(context, 64, tokens) == Expansion::resolved);
  CHECK(tokens_match(tokens, "none", false));
  context.set("aws:TagKeys", ContextValue{{"a"}, true});
  CHECK(Pattern("${aws:TagKeys}", true, true).expand(context, 64, tokens) == Expansion::unresolved);
  CHECK(Pattern("${aws:SourceIp}", true, true).expand(context, 64, tokens) == Expansion::unresolved);
  context.mark_unknown("aws:Source*");
  CHECK(Pattern("${aws:SourceIp}", true, true).expand(context, 64, tokens) == Expansion::unknown);
  // A pattern that takes more bytes than the text it is for (`*` takes none) is not built: it
  // cannot match. An unknown or unresolved variable says so first.
  context.set("aws:username", std::string(1000, 'u'));
  const Pattern repeated("${aws:username}${aws:username}*", true, true);
  CHECK(repeated.expand(context, 1999, tokens) == Expansion::too_long);
  CHECK(tokens.empty());
  REQUIRE(repeated.expand(context, 2000, tokens) == Expansion::resolved);
  CHECK(tokens.size() == 2001);
  CHECK(Pattern("${aws:SourceIp}${aws:username}", true, true).expand(context, 0, tokens) == Expansion::unknown);
  CHECK(Pattern("${aws:username}${aws:TagKeys}", true, true).expand(context, 0, tokens) == Expansion::unresolved);
  // Without variables (Version 2008-10-17) the text is literal; an unterminated `${` too.
  CHECK(tokens_match(Pattern("${aws:username}", true, false).tokens(), "${aws:username}", false));
  CHECK(tokens_match(Pattern("a${b", true, true).tokens(), "a${b", false));
}

TEST_CASE("eval: three-valued connectives simplify", "[eval]") {
  const Atom a_atom;
  const Atom b_atom;
  const Tri a = Tri::atom(&a_atom);
  const Tri b = Tri::atom(&b_atom);
  CHECK((a && Tri::no()).is_false());
  CHECK((a || Tri::yes()).is_true());
  CHECK((a && Tri::yes()).atom_ref() == &a_atom);
  CHECK((!!a).atom_ref() == &a_atom);
  const Tri both = (a && b) && a;
  CHECK(both.op() == Tri::Op::all);
  CHECK(both.operands().size() == 3);
  CHECK((a || b).op() == Tri::Op::any);
}

// The account scan's per-policy shortcut (PrincipalChecker::combined in account/principals.cpp)
// relies on this: formulas over conditions never fold to a constant, so what several policies
// allow only under conditions stays conditional together. A simplifier that learned
// `a || !a` would have to change that shortcut too.
TEST_CASE("eval: only constants fold; conditions together stay conditions", "[eval]") {
  const Atom a_atom;
  const Atom b_atom;
  const Tri a = Tri::atom(&a_atom);
  const Tri b = Tri::atom(&b_atom);
  for (const Tri& formula : {a || !a, a && !a, (a || b) && (!a || b), a || Tri::no(), a && Tri::yes(), !(a && b)}) {
    CHECK_FALSE(formula.known());
  }
}

TEST_CASE("eval: callers", "[eval]") {
  const auto session = parse_caller("arn:aws:sts::111122223333:assumed-role/Admin/alice");
  REQUIRE(session);
  CHECK(session->kind == CallerKind::role_session);
  CHECK(session->arn == "arn:aws:iam::111122223333:role/Admin");
  CHECK(session->type_name() == "AssumedRole");
  CHECK(parse_caller("glue.amazonaws.com")->kind == CallerKind::service);
  CHECK(parse_caller("cognito-identity.amazonaws.com")->kind == CallerKind::federated);
  CHECK(parse_caller("anonymous")->kind == CallerKind::anonymous);
  CHECK(parse_caller("111122223333")->kind == CallerKind::root);
  CHECK_FALSE(parse_caller("arn:aws:iam::1234:user/x"));
  CHECK_FALSE(parse_caller("arn:aws:sts::111122223333:assumed-role/Admin"));
  CHECK_FALSE(parse_caller("alice"));
}

TEST_CASE("eval: decisions through the simulate pipeline", "[eval]") {
  const std::string alice = R"({"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
      "resource": "arn:aws:s3:::b/k")";
  CHECK(decide_json(alice + one_policy("identity", R"({"Effect": "Allow", "Action": "S3:get*", "Resource": "*"})") +
                    "}") == "allowed");
  CHECK(decide_json(alice + one_policy("identity", R"({"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
      {"Effect": "Deny", "NotAction": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"})") +
                    "}") == "explicit_deny");
  CHECK(decide_json(alice + "}") == "implicit_deny");
  // An unknown key in a Deny makes an unconditional Allow conditional.
  CHECK(decide_json(alice + R"(, "unknownContext": "aws:SourceIp")" + one_policy("identity", R"(
      {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
      {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}})") +
                    "}") == "conditional");
  // Malformed policies and requests are errors with a location, never decisions.
  CHECK_THAT(
      decide_json(alice + one_policy("identity", R"({"Effect": "allow", "Action": "s3:*", "Resource": "*"})") + "}"),
      Catch::StartsWith("error: the request or its policies are malformed"));
  CHECK_THAT(decide_json(R"({"principal": "anonymous", "action": "s3:*", "resource": "*"})"),
             Catch::Contains("without wildcards"));
  CHECK_THAT(decide_json(R"({"principal": "anonymous", "action": "s3:GetObject", "resource": "*", "contxt": {}})"),
             Catch::Contains("did you mean `context`?"));
}

TEST_CASE("eval: a batch goes on past a bad request", "[eval]") {
  Simulator simulator;
  simulator.simulate_bytes("batch.json", R"([
    {"principal": "nobody", "action": "s3:GetObject", "resource": "*"},
    {"principal": "anonymous", "action": "s3:GetObject", "resource": "*", "policies": {"identity": "missing.json"}},
    {"principal": "anonymous", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
     "policies": {"resource": {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                             "Resource": "arn:aws:s3:::b/*"}}}}])");
  REQUIRE(simulator.batch());
  REQUIRE(simulator.outcomes().size() == 3);
  CHECK(simulator.outcomes()[0].error);
  REQUIRE(simulator.outcomes()[1].error);
  CHECK_THAT(simulator.outcomes()[1].error->message, Catch::Contains("missing.json"));
  REQUIRE(simulator.outcomes()[2].answer);
  CHECK(simulator.outcomes()[2].answer->decision == Decision::allowed);
}

TEST_CASE("eval: action names with a comma or white space match nothing", "[eval]") {
  // The grammar rejects them (POL019), so this builds the model directly: in NotAction they
  // exclude nothing (IAM semantics §2.2).
  for (const bool negated : {false, true}) {
    policy::Document document;
    document.version = policy::Text{"2012-10-17", {}, ""};
    policy::Statement& statement = document.statements.emplace_back();
    statement.effect = policy::Effect::allow;
    statement.action.present = true;
    statement.action.negated = negated;
    statement.action.items = {policy::Text{"s3:GetObject,PutObject", {}, ""}, policy::Text{"s3:Get Object", {}, ""}};
    statement.resource.present = true;
    statement.resource.items = {policy::Text{"*", {}, ""}};
    const auto compiled = CompiledPolicy::compile(std::move(document), 0);
    PolicySet set;
    set.identity.push_back(compiled.get());
    const auto request = make_request("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*", "", Context());
    REQUIRE(request);
    CHECK(decide(set, *request).decision == (negated ? Decision::allowed : Decision::implicit_deny));
  }
}

TEST_CASE("eval: corners found in review", "[eval]") {
  const std::string alice = R"({"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
      "resource": "arn:aws:s3:::b/k")";
  const std::string allow_all = R"({"Effect": "Allow", "Action": "*", "Resource": "*"})";
  // ForAnyValue:...IfExists on an absent key is true (§3.3): this Deny applies.
  CHECK(decide_json(alice + one_policy("identity", allow_all + R"(, {"Effect": "Deny", "Action": "*", "Resource": "*",
      "Condition": {"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "secret"}}})") +
                    "}") == "explicit_deny");
  // A Resource variable on an unknown key is a condition, not a "no".
  CHECK(decide_json(alice + R"(, "unknownContext": "aws:PrincipalTag/*")" +
                    one_policy("identity", R"({"Effect": "Allow", "Action": "s3:*",
                        "Resource": "arn:aws:s3:::b/${aws:PrincipalTag/team}"}, {"Effect": "Allow", "Action": "s3:*",
                        "Resource": "arn:aws:s3:::b/${aws:PrincipalTag/team}/*"})") +
                    "}") == "conditional");
  // A single-valued key given as a one-element array is that value; a set key given as one
  // value is still a set, which a plain operator never matches.
  CHECK(decide_json(alice + R"(, "context": {"aws:SourceIp": ["10.0.0.1"]})" +
                    one_policy("identity", R"({"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                        "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}})") +
                    "}") == "allowed");
  CHECK(decide_json(alice + R"(, "context": {"aws:TagKeys": "a"})" +
                    one_policy("identity", R"({"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                        "Condition": {"StringEquals": {"aws:TagKeys": "a"}}})") +
                    "}") == "implicit_deny");
  // Duplicate keys in an inline policy make the request malformed.
  CHECK_THAT(decide_json(alice + one_policy("identity", R"({"Effect": "Deny", "Effect": "Allow", "Action": "*",
      "Resource": "*"})") +
                         "}"),
             Catch::Contains("malformed"));
  // SCPs are not read for anonymous callers, denies included.
  CHECK(decide_json(R"({"principal": "anonymous", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
      "policies": {"resource": {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::b/*"}}, "scp": [[{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}]]}})") ==
        "allowed");
  // A resource policy statement without Resource applies to its resource (an ECR repository policy).
  CHECK(decide_json(R"({"principal": "arn:aws:iam::111122223333:user/alice", "action": "ecr:BatchGetImage",
      "resource": "arn:aws:ecr:us-east-1:111122223333:repository/app", "policies": {"resource": {"Statement": {
      "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "ecr:BatchGetImage"}}}})") ==
        "allowed");
  // KMS decides on keys, not aliases.
  CHECK_THAT(decide_json(R"({"principal": "arn:aws:iam::111122223333:user/alice", "action": "kms:Decrypt",
      "resource": "arn:aws:kms:us-east-1:111122223333:alias/app"})"),
             Catch::Contains("give the key ARN"));
}

TEST_CASE("eval: a policy file named by many requests is compiled once", "[eval]") {
  const std::string dir = GRANTLINT_SOURCE_DIR "/policies/examples";
  std::string batch = "[";
  for (int i = 0; i < 50; ++i) {
    if (i > 0) batch += ",";
    batch += R"({"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*",
        "policies": {"identity": ")" +
             dir + R"(/s3_reports_read_only.json"}})";
  }
  Simulator simulator;
  simulator.simulate_bytes("batch.json", batch + "]");
  REQUIRE(simulator.outcomes().size() == 50);
  CHECK(simulator.sources().size() == 2);  // the batch and the policy, once
  for (const SimulationOutcome& outcome : simulator.outcomes()) CHECK(outcome.answer);
}

TEST_CASE("eval: reasons and where request errors point", "[eval]") {
  // The first SCP level with no Allow is the one named.
  Simulator simulator;
  simulator.simulate_bytes("scp.json", R"({"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject",
      "resource": "*", "policies": {"identity": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}},
      "scp": [[{"Statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}}],
              [{"Statement": {"Effect": "Allow", "Action": "iam:*", "Resource": "*"}}]]}})");
  REQUIRE(simulator.outcomes().at(0).answer);
  CHECK_THAT(simulator.outcomes()[0].answer->reason, Catch::Contains("at level 1"));
  // An error about the principal points at the principal's value, not at the request.
  const std::string bad_principal = R"({"action": "s3:GetObject", "resource": "*", "principal": "nobody"})";
  Simulator second;
  second.simulate_bytes("bad.json", bad_principal);
  const SimulationOutcome& outcome = second.outcomes().at(0);
  REQUIRE(outcome.error);
  REQUIRE(outcome.error->location);
  CHECK(outcome.error->location->span.begin == bad_principal.find(R"("nobody")"));
  // A policy cannot be read from standard input.
  CHECK_THAT(decide_json(R"({"principal": "anonymous", "action": "s3:GetObject", "resource": "*",
      "policies": {"identity": "-"}})"), Catch::Contains("standard input"));
}

TEST_CASE("eval: many-valued set conditions decide as value-by-value comparison does", "[eval]") {
  // Past 4,096 comparisons literal values are looked up in a set; a request of one value takes
  // the one-by-one path, so each answer is checked against that path with the same values.
  const std::string alice = R"({"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
      "resource": "arn:aws:s3:::b/k", "context": {"aws:TagKeys": [)";
  std::string policy_values;
  for (int i = 0; i < 200; ++i) policy_values += fmt::format("{}\"Key{}\"", i == 0 ? "" : ", ", i);
  policy_values += R"(, "wild*card", "o?e")";
  const auto decide_with = [&](std::string_view op, const std::vector<std::string>& request) {
    std::string keys;
    for (const std::string& key : request) keys += (keys.empty() ? "\"" : ", \"") + key + "\"";
    return decide_json(alice + keys + "]}" +
                       one_policy("identity", fmt::format(R"({{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                           "Condition": {{"{}": {{"aws:TagKeys": [{}]}}}}}})",
                                                          op, policy_values)) +
                       "}");
  };
  const std::vector<std::string> filler = [] {
    std::vector<std::string> out;
    for (int i = 0; i < 40; ++i) out.push_back(fmt::format("other{}", i));
    return out;
  }();
  const auto with = [&](std::string key) {
    std::vector<std::string> out = filler;
    out.push_back(std::move(key));
    return out;
  };
  for (const std::string op :
       {"ForAnyValue:StringEquals", "ForAnyValue:StringLike", "ForAnyValue:StringEqualsIgnoreCase",
        "ForAllValues:StringNotEquals", "ForAnyValue:StringNotLike"}) {
    for (const std::string key : {"Key7", "key7", "Key7x", "wild*card", "wildXcard", "one", "oe"}) {
      INFO(op << " with " << key);
      // The key alone (one comparison per value) and with 40 more that match no value (the set
      // lookup): the 40 change nothing, except that under ForAnyValue:StringNotLike they are
      // values that match no pattern.
      const std::string answer = decide_with(op, with(key));
      CHECK(answer == (op == "ForAnyValue:StringNotLike" ? "allowed" : decide_with(op, {key})));
    }
  }
  CHECK(decide_with("ForAnyValue:StringEquals", with("Key199")) == "allowed");
  CHECK(decide_with("ForAnyValue:StringEquals", with("key199")) == "implicit_deny");
  CHECK(decide_with("ForAnyValue:StringEqualsIgnoreCase", with("KEY199")) == "allowed");
  CHECK(decide_with("ForAnyValue:StringLike", with("wildcar")) == "implicit_deny");
  CHECK(decide_with("ForAnyValue:StringLike", with("wild--card")) == "allowed");
  CHECK(decide_with("ForAnyValue:StringEquals", with("wild--card")) == "implicit_deny");
  CHECK(decide_with("ForAnyValue:StringEquals", with("wild*card")) == "allowed");
  CHECK(decide_with("ForAllValues:StringNotEquals", with("Key3")) == "implicit_deny");
  CHECK(decide_with("ForAllValues:StringNotEquals", filler) == "allowed");
}

TEST_CASE("eval: many-valued ARN, number and date conditions decide as value-by-value comparison does", "[eval]") {
  // The set lookup of ARNs (as written) and of numbers and dates (as parsed), checked against
  // the one-by-one path as above.
  const auto decide_with = [](std::string_view op, const std::string& values, const std::vector<std::string>& request) {
    std::string given;
    for (const std::string& value : request) given += (given.empty() ? "\"" : ", \"") + value + "\"";
    return decide_json(R"({"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
        "resource": "arn:aws:s3:::b/k", "context": {"test:Values": [)" +
                       given + "]}" +
                       one_policy("identity", fmt::format(R"({{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                           "Condition": {{"{}": {{"test:Values": [{}]}}}}}})",
                                                          op, values)) +
                       "}");
  };
  std::string arns, numbers, dates;
  for (int i = 0; i < 200; ++i) {
    arns += fmt::format("\"arn:aws:s3:::b{}\", ", i);
    numbers += fmt::format("\"{}\", ", i);
    dates += fmt::format("\"2026-01-01T00:00:{:02}Z\", ", i % 60);
  }
  arns += R"("arn:aws:s3:::wild*", "short:arn")";
  numbers += R"("1.5e3", "x")";
  dates += R"("2026-02-01")";
  const auto with = [](std::string value, std::string_view filler_kind) {
    std::vector<std::string> out;
    for (int i = 0; i < 40; ++i) {
      out.push_back(filler_kind == "arn"      ? fmt::format("arn:aws:s3:::other{}", i)
                    : filler_kind == "number" ? fmt::format("{}", 1000 + i)
                                              : fmt::format("2025-03-01T00:00:{:02}Z", i));
    }
    out.push_back(std::move(value));
    return out;
  };
  struct Case {
    std::string_view op;
    const std::string& values;
    std::string_view kind;
    std::vector<std::string> keys;
  };
  const std::vector<Case> cases{
      {"ForAnyValue:ArnEquals",
       arns,
       "arn",
       {"arn:aws:s3:::b7", "arn:aws:s3:::B7", "arn:aws:s3:::wildcard", "short:arn"}},
      {"ForAnyValue:ArnLike", arns, "arn", {"arn:aws:s3:::b199", "arn:aws:s3:::b1999", "arn:aws:s3:::wild"}},
      {"ForAnyValue:NumericEquals", numbers, "number", {"7", "7.0", "007", "1500", "x", "201"}},
      {"ForAnyValue:DateEquals", dates, "date", {"2026-01-01T00:00:07Z", "2026-01-01T01:00:07+01:00", "2026-02-01"}},
  };
  for (const Case& c : cases) {
    for (const std::string& key : c.keys) {
      INFO(c.op << " with " << key);
      CHECK(decide_with(c.op, c.values, with(key, c.kind)) == decide_with(c.op, c.values, {key}));
    }
  }
  CHECK(decide_with("ForAnyValue:ArnEquals", arns, with("arn:aws:s3:::b7", "arn")) == "allowed");
  CHECK(decide_with("ForAnyValue:ArnEquals", arns, with("short:arn", "arn")) == "implicit_deny");
  CHECK(decide_with("ForAnyValue:NumericEquals", numbers, with("7.0", "number")) == "allowed");
  CHECK(decide_with("ForAnyValue:DateEquals", dates, with("2026-01-01T01:00:07+01:00", "date")) == "allowed");
}

namespace {

// A request as text: its fields and the context keys make_request sets.
std::string request_text(const std::expected<Request, RequestProblem>& request) {
  if (!request) return fmt::format("problem {} {}", static_cast<int>(request.error().field), request.error().message);
  std::string out = fmt::format(
      "{} {} {} | {} {} {} | {} | {} {} {}", request->caller.arn, request->action, request->action_service,
      request->resource, request->resource_is_arn, request->resource_account, fmt::join(request->resource_fields, ","),
      request->stands_for.size(), request->stands_for_type_ends.size(), request->resource_account_given);
  for (const char* key : {"aws:resourceaccount", "aws:principalarn", "aws:principalaccount", "kms:calleraccount",
                          "aws:principaltype", "aws:username", "iam:passedtoservice"}) {
    const ContextValue* value = request->context.find(key);
    out += fmt::format(" | {}={}{}", key, value == nullptr ? "-" : fmt::format("{}", fmt::join(value->values, ",")),
                       request->context.is_unknown(key) ? "?" : "");
  }
  return out;
}

}  // namespace

TEST_CASE("eval: a request pointed at another resource is the one make_request builds for it", "[eval]") {
  const std::vector<std::string> resources = {"*",
                                              "arn:aws:iam::111122223333:role/app",
                                              "arn:aws:s3:::bucket/key",
                                              "arn:aws:iam::444455556666:user/bob",
                                              "arn:aws:kms:us-east-1:111122223333:key/1234",
                                              "arn:aws:kms:us-east-1:111122223333:alias/app",
                                              "not-an-arn",
                                              "arn:aws:s3",
                                              ""};
  const std::vector<std::string> accounts = {"", "444455556666", "12"};
  std::vector<Context> contexts(3);
  contexts[1].mark_unknown("*");
  contexts[1].keep_derived_keys();
  contexts[2].set("aws:ResourceAccount", "999999999999");
  contexts[2].set("iam:PassedToService", "ec2.amazonaws.com");
  for (const char* caller : {"arn:aws:iam::111122223333:user/alice", "arn:aws:sts::111122223333:assumed-role/r/s"}) {
    for (const char* action : {"iam:PassRole", "kms:Decrypt", "kms:CreateAlias"}) {
      for (const Context& context : contexts) {
        for (const std::string& from : resources) {
          auto request = make_request(caller, action, from, "", context);
          if (!request) continue;
          for (const std::string& to : resources) {
            for (const std::string& account : accounts) {
              INFO(caller << " " << action << " " << from << " -> " << to << " " << account);
              // A probe's resources of the last one are not the next one's (make_request sets none).
              static const std::vector<ResourceView> kStandsFor = {*resource_view("arn:aws:s3:::b")};
              static const std::vector<std::uint32_t> kTypeEnds = {1};
              request->stands_for = kStandsFor;
              request->stands_for_type_ends = kTypeEnds;
              const std::string before = request_text(request);
              const auto problem = retarget(*request, to, account);
              const auto made = make_request(caller, action, to, account, context);
              if (made) {
                REQUIRE_FALSE(problem);
                CHECK(request_text(request) == request_text(made));
              } else {
                // The problem make_request finds, and the request left as it was.
                REQUIRE(problem);
                CHECK(problem->message == made.error().message);
                CHECK(request_text(request) == before);
              }
            }
          }
        }
      }
    }
  }
}
