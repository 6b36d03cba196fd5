#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <deque>
#include <string>
#include <vector>

#include "base/placeholder.h"
#include "diag/diagnostic.h"
#include "input/cloudformation.h"
#include "input/template_conditions.h"
#include "input/template_parameters.h"
#include "input/yaml.h"
#include "json/offset_map.h"
#include "support/helpers.h"

using namespace grantlint;
using grantlint::json::Node;
using grantlint::json::Type;
using grantlint::policy::Kind;
using grantlint::testing::check;
using grantlint::testing::check_yaml;
using grantlint::testing::count_rule;
using grantlint::testing::only;
using grantlint::testing::span_of;

namespace {

std::optional<Node> yaml(std::string_view text, DiagnosticSink& sink) {
  Emitter emit(sink, 0);
  return input::parse_yaml(text, emit);
}

// A managed policy of `count` statements, each left out when its own condition (of a parameter
// of its own) is false: as many forms as conditions; `padding` lengthens each bucket name.
std::string policy_of_conditions(int count, std::size_t padding = 0) {
  std::string text = "Conditions:\n";
  for (int i = 0; i < count; ++i) text += fmt::format("  C{}: !Equals [!Ref P{}, yes]\n", i, i);
  text += R"(Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
)";
  const std::string name(padding, 'b');
  for (int i = 0; i < count; ++i) {
    text += fmt::format("          - !If [C{}, {{Effect: Allow, Action: s3:GetObject, "
                        "Resource: \"arn:aws:s3:::b{}{}/*\"}}, !Ref AWS::NoValue]\n",
                        i, name, i);
  }
  return text;
}

// Where the findings of rule `id` point: document and pointer.
std::vector<std::string> pointers_of(const CheckReport& report, std::string_view id) {
  std::vector<std::string> out;
  for (const Diagnostic& d : report.diagnostics) {
    if (d.rule->id == id) out.push_back(d.document + d.pointer);
  }
  return out;
}

}  // namespace

TEST_CASE("placeholders: shown as ${Name}, matched as wildcards, recognised whole", "[template]") {
  const std::string account = make_placeholder("AWS::AccountId");
  CHECK(account.find(':') == std::string::npos);  // ARN fields still split at `:`
  const std::string arn = "arn:aws:iam::" + account + ":role/" + make_placeholder("Name");
  CHECK(show_placeholders(arn) == "arn:aws:iam::${AWS::AccountId}:role/${Name}");
  CHECK(placeholders_as_wildcards(arn) == "arn:aws:iam::x:role/*");  // only the last may hold a `/`
  // A name's `:`, `*`, `?` and `$` are stand-ins inside: no wildcard or variable hides in it.
  const std::string odd = make_placeholder("Fn::Select([0, [a*b?${x}]])");
  CHECK(odd.find_first_of(":*?$") == std::string::npos);
  CHECK(show_placeholders(odd) == "${Fn::Select([0, [a*b?${x}]])}");
  CHECK(placeholders_as_wildcards("a" + odd + "b") == "axb");
  CHECK(placeholders_as_wildcards("a" + odd) == "a*");
  // A resource's physical name is one name, even at the end: a bucket ARN is no object's.
  const std::string bucket = "arn:aws:s3:::" + make_name_placeholder("Bucket");
  CHECK(placeholders_as_wildcards(bucket) == "arn:aws:s3:::x");
  CHECK(show_placeholders(bucket) == "arn:aws:s3:::${Bucket}");
  CHECK(is_placeholder(account));
  CHECK_FALSE(is_placeholder(arn));
  CHECK_FALSE(is_placeholder(account + account));
  CHECK(has_placeholder(arn));
  CHECK_FALSE(has_placeholder("arn:aws:s3:::b"));
  // A lone marker is text: a policy may hold any character.
  CHECK(show_placeholders(std::string(kPlaceholderOpen) + "x") == std::string(kPlaceholderOpen) + "x");
  CHECK_FALSE(has_placeholder(std::string(kPlaceholderOpen) + "x"));
  CHECK_FALSE(has_placeholder(std::string(kPlaceholderClose) + "x" + std::string(kPlaceholderOpen)));
}

TEST_CASE("placeholders: a pseudo parameter is filled in, other placeholders stay", "[template]") {
  const std::string partition = make_placeholder("AWS::Partition");
  const std::string arn = "arn:" + partition + ":iam::" + make_placeholder("AWS::AccountId") + ":role/" + partition;
  CHECK(show_placeholders(fill_placeholder(arn, "AWS::Partition", "aws")) == "arn:aws:iam::${AWS::AccountId}:role/aws");
  CHECK(fill_placeholder(arn, "AWS::Region", "us-east-1") == arn);
  const std::string unclosed = "arn:" + std::string(kPlaceholderOpen) + "AWS";
  CHECK(fill_placeholder(unclosed, "AWS", "aws") == unclosed);
}

TEST_CASE("yaml: values, types, spans in bytes and short forms", "[template]") {
  const std::string text =
      "# caf\xC3\xA9\n"
      "a: \"\xC3\xA9t\xC3\xA9\"\n"
      "b: [true, 12, 012345678901, 2012-10-17, ~, 1.5e3, '7']\n"
      "c: !Ref Bucket\n"
      "d: !Join [\"\", [x, !GetAtt R.Arn]]\n";
  DiagnosticSink sink;
  const auto root = yaml(text, sink);
  REQUIRE(root);
  CHECK(sink.unsorted().empty());
  const Node* a = root->find("a");
  REQUIRE(a);
  CHECK(a->text == "\xC3\xA9t\xC3\xA9");
  CHECK(a->span == span_of(text, "\"\xC3\xA9t\xC3\xA9\""));  // bytes, though libyaml counts characters
  const Node* b = root->find("b");
  REQUIRE(b);
  REQUIRE(b->items.size() == 7);
  CHECK(b->items[0].type == Type::boolean);
  CHECK(b->items[1].type == Type::number);
  CHECK(b->items[2].type == Type::string);  // an account id keeps its leading zero
  CHECK(b->items[3].type == Type::string);  // YAML 1.1 dates stay text, as CloudFormation reads them
  CHECK(b->items[4].type == Type::null);
  CHECK(b->items[5].type == Type::number);
  CHECK(b->items[6].type == Type::string);
  CHECK(b->items[6].text == "7");
  const Node* c = root->find("c");
  REQUIRE(c);
  REQUIRE(c->is(Type::object));
  REQUIRE(c->find("Ref"));
  CHECK(c->find("Ref")->text == "Bucket");
  CHECK(c->span == span_of(text, "!Ref Bucket"));
  const Node* d = root->find("d");
  REQUIRE(d);
  REQUIRE(d->find("Fn::Join"));
  CHECK(d->find("Fn::Join")->items[1].items[1].find("Fn::GetAtt") != nullptr);
}

TEST_CASE("yaml: merge keys add what the mapping does not set, the first mapping of a list first", "[template]") {
  const std::string text =
      "a: &a {x: 1, y: 1}\n"
      "b: &b {y: 2, z: 2}\n"
      "one: {<<: *a, x: 3}\n"
      "list: {<<: [*a, *b]}\n"
      "quoted: {\"<<\": *a}\n";
  DiagnosticSink sink;
  const auto root = yaml(text, sink);
  REQUIRE(root);
  const Node* one = root->find("one");
  REQUIRE(one);
  REQUIRE(one->members.size() == 2);
  CHECK(one->find("x")->text == "3");  // its own key wins, though written after the merge
  CHECK(one->find("y")->text == "1");
  CHECK(one->find("y")->span.begin == text.find("1}"));  // where the anchor wrote it
  const Node* list = root->find("list");
  REQUIRE(list);
  REQUIRE(list->members.size() == 3);
  CHECK(list->find("y")->text == "1");  // from the first mapping of the list
  CHECK(list->find("z")->text == "2");
  const Node* quoted = root->find("quoted");
  REQUIRE(quoted);
  REQUIRE(quoted->find("<<"));  // a quoted `<<` is an ordinary key: left for the checks to report
  CHECK(quoted->find("x") == nullptr);
}

TEST_CASE("yaml: a merge key with anything but mappings is refused, located at its value", "[template]") {
  for (const std::string value : {"5", "null", "[*a, 5]", "\"x\""}) {
    const std::string text = "a: &a {x: 1}\nodd: {<<: " + value + "}\n";
    DiagnosticSink sink;
    CHECK_FALSE(yaml(text, sink));
    REQUIRE(sink.unsorted().size() == 1);
    CHECK(sink.unsorted()[0].rule->id == std::string_view("TPL001"));
    CHECK(sink.unsorted()[0].location.span.begin == text.find(value, text.find("<<")));
  }
}

TEST_CASE("yaml: errors are located and nothing is returned", "[template]") {
  DiagnosticSink sink;
  CHECK_FALSE(yaml("a: [b\nc: d\n", sink));
  REQUIRE(sink.unsorted().size() == 1);
  CHECK(sink.unsorted()[0].rule->id == std::string_view("TPL001"));
  DiagnosticSink empty;
  CHECK_FALSE(yaml("# nothing\n", empty));
  CHECK(empty.unsorted().size() == 1);
  DiagnosticSink alias;
  CHECK_FALSE(yaml("a: *nowhere\n", alias));
  REQUIRE(alias.unsorted().size() == 1);
  CHECK(alias.unsorted()[0].message == "invalid YAML: the alias `*nowhere` names no anchor");
  DiagnosticSink itself;
  CHECK_FALSE(yaml("a: &x [b, *x]\n", itself));
  REQUIRE(itself.unsorted().size() == 1);
  CHECK(itself.unsorted()[0].message == "invalid YAML: the alias `*x` is inside the node `&x` names, which would hold "
                                        "itself");
  DiagnosticSink duplicate;
  CHECK(yaml("a: 1\na: 2\n", duplicate));
  REQUIRE(duplicate.unsorted().size() == 1);
  CHECK(duplicate.unsorted()[0].rule->id == std::string_view("JSON004"));
  DiagnosticSink deep;
  CHECK_FALSE(yaml(std::string(300, '[') + std::string(300, ']'), deep));
  REQUIRE(deep.unsorted().size() == 1);
  CHECK(deep.unsorted()[0].rule->id == std::string_view("JSON005"));
  DiagnosticSink binary;
  CHECK_FALSE(yaml(std::string("a: \0\x01\x02", 6), binary));
  CHECK(binary.unsorted().size() == 1);
}

TEST_CASE("yaml: which files are YAML", "[template]") {
  CHECK(input::looks_like_yaml("AWSTemplateFormatVersion: x"));
  CHECK(input::looks_like_yaml("# comment\n---\nResources: {}"));
  CHECK_FALSE(input::looks_like_yaml("\xEF\xBB\xBF  {\"Resources\": {}}"));
  CHECK_FALSE(input::looks_like_yaml("# c\n[1]"));
}

TEST_CASE("templates: intrinsic functions resolve to placeholders at the function's span", "[template]") {
  const std::string text = R"(AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String}
  B: {Type: String}
Conditions:
  On: !Equals [!Ref Env, a]
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource:
              - !Sub ["arn:${AWS::Partition}:s3:::${B}/${K}/*", {K: keys}]
              - !Join [":", [arn, aws, s3, "", "", !Ref B]]
              - !If [On, arn:aws:s3:::one/*, arn:aws:s3:::two/*]
              - !Ref AWS::NoValue
            Condition: !If [On, !Ref AWS::NoValue, {Bool: {aws:SecureTransport: "true"}}]
)";
  DiagnosticSink sink;
  auto root = yaml(text, sink);
  REQUIRE(root);
  REQUIRE(input::is_cloudformation(*root));
  Emitter emit(sink, 0);
  std::deque<Node> variants;
  const auto slots = input::cloudformation_policies(*root, true, emit, variants);
  CHECK(sink.unsorted().empty());
  // One document for each way condition `On` goes.
  REQUIRE(slots.size() == 2);
  CHECK(slots[0].pointer == "/Resources/P/Properties/PolicyDocument");
  CHECK(slots[0].kind == Kind::identity);
  CHECK_FALSE(slots[0].repeats_document);
  CHECK(slots[1].repeats_document);
  for (std::size_t form = 0; form < 2; ++form) {
    const Node* statement = &slots[form].node->find("Statement")->items[0];
    const Node* resources = statement->find("Resource");
    REQUIRE(resources->items.size() == 3);  // AWS::NoValue is gone
    CHECK(show_placeholders(resources->items[0].text) == "arn:${AWS::Partition}:s3:::${B}/keys/*");
    CHECK(resources->items[0].span == span_of(text, R"(!Sub ["arn:${AWS::Partition}:s3:::${B}/${K}/*", {K: keys}])"));
    CHECK(show_placeholders(resources->items[1].text) == "arn:aws:s3:::${B}");
    CHECK(resources->items[2].text == (form == 0 ? "arn:aws:s3:::one/*" : "arn:aws:s3:::two/*"));
    // AWS::NoValue in the branch taken removes the member.
    CHECK((statement->find("Condition") == nullptr) == (form == 0));
  }
}

TEST_CASE("templates: each form of a policy with Fn::If is checked on its own", "[template]") {
  const std::string text = R"(Conditions:
  IsProd: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: !If [IsProd, "s3:GetObject", "*"]
            Resource: "*"
          - !If [IsProd, {Sid: Reports, Effect: Allow, Action: s3:ListBucket, Resource: "*"},
                         {Sid: Reports, Effect: Allow, Action: s3:ListAllMyBuckets, Resource: "*"}]
          - Effect: Allow
            Action: [!Join ["", ["s3:", !If [IsProd, "GetObject", "PutObject"]]]]
            Resource: arn:aws:s3:::reports/*
)";
  const auto report = check_yaml(text);
  CHECK(report.documents.size() == 1);
  CHECK(count_rule(report, "GRT001") == 1);  // the other branch grants everything
  CHECK(count_rule(report, "RED001") == 0);  // the branches are not one list
  CHECK(count_rule(report, "POL014") == 0);  // nor two statements
  CHECK(count_rule(report, "ACT002") == 0);  // nor one action name
}

TEST_CASE("templates: an Fn::If naming a condition the template does not define is TPL002", "[template]") {
  const std::string text = R"(Conditions:
  IsProd: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - !If [IsProdd, {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}, !Ref AWS::NoValue]
)";
  const auto report = check_yaml(text);
  const Diagnostic undefined = only(report, "TPL002");
  CHECK(undefined.message.find("`IsProdd` is not defined") != std::string::npos);
  CHECK(undefined.message.find("did you mean `IsProd`?") != std::string::npos);
  CHECK(undefined.location.span == span_of(text, "IsProdd"));
  CHECK(count_rule(report, "POL006") == 0);  // no form drops the statement: the template is never deployed
}

TEST_CASE("templates: a finding inside an Fn::If or after an AWS::NoValue has a pointer the file holds",
          "[template]") {
  const std::string text = R"(Conditions:
  Prod: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  N:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - !If [Prod, {Effect: Allow, Action: "iam:*", Resource: "*"}, !Ref AWS::NoValue]
          - !Ref AWS::NoValue
          - {Effect: Allow, Action: ["s3:GetObject", !If [Prod, "kms:Decryp", !Ref AWS::NoValue]], Resource: "*"}
  M:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: !If
        - Prod
        - {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "ec2:*", Resource: "*"}]}
        - {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*"}]}
)";
  const auto report = check_yaml(text);
  const auto pointer_of = [&](std::string_view rule) {
    const Diagnostic d = only(report, rule);
    return d.document + d.pointer;
  };
  CHECK(pointers_of(report, "GRT002") ==
        std::vector<std::string>{"/Resources/N/Properties/PolicyDocument/Statement/0/Fn::If/1/Action",
                                 "/Resources/M/Properties/PolicyDocument/Fn::If/1/Statement/0/Action"});
  // The third statement keeps its index; the misspelt action is the Fn::If's true branch.
  CHECK(pointer_of("ACT002") == "/Resources/N/Properties/PolicyDocument/Statement/2/Action/1/Fn::If/1");
}

TEST_CASE("templates: a finding about a whole policy points at the branch that holds it", "[template]") {
  const std::string text = R"(Conditions:
  C: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  K:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: !If
        - C
        - Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}, Action: "kms:*", Resource: "*"}
        - Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}, Action: kms:Decrypt, Resource: "*"}
)";
  const auto report = check_yaml(text);
  const Diagnostic lockout = only(report, "KMS001");
  CHECK(lockout.document + lockout.pointer == "/Resources/K/Properties/KeyPolicy/Fn::If/2");
}

TEST_CASE("templates: a policy with more forms than analysed says so", "[template]") {
  // 300 branches, each a form of its own: more than 256, and a 37 KB policy (past IAM's quotas)
  // whose forms weigh past 16 MB before 256 of them.
  const std::string text = policy_of_conditions(300);
  const auto report = check_yaml(text);
  CHECK_THAT(only(report, "TPL003").message,
             Catch::Contains("takes more than 256 forms by its `Fn::If`s; only 209 are analysed"));
}

TEST_CASE("template conditions: free ones vary, the others follow", "[template]") {
  DiagnosticSink sink;
  std::string text = R"(IsProd: !Equals [!Ref Env, prod]
IsEu: !Equals [!Ref Region, eu-west-1]
IsNotProd: !Not [!Condition IsProd]
ProdInEu: !And [!Condition IsProd, !Condition IsEu]
Mixed: !And [!Condition IsProd, !Equals [!Ref Env, x]]
Loop: !Not [!Condition Loop]
Fan: !And [!Condition Fan, !Condition Fan, !Condition Fan, !Condition Fan]
)";
  for (int i = 0; i < 14; ++i) text += fmt::format("F{}: !Equals [!Ref P, v{}]\n", i, i);
  text += "AnyF: !Or [";
  for (int i = 0; i < 14; ++i) text += fmt::format("{}!Condition F{}", i == 0 ? "" : ", ", i);
  text += "]\n";
  // A chain of 3,000 (each fanning out three times): each is evaluated once per way.
  for (int i = 0; i < 3000; ++i) {
    text += fmt::format("L{}: !And [!Condition L{}, !Condition L{}, !Condition L{}]\n", i, i + 1, i + 1, i + 1);
  }
  text += "L3000: !Equals [!Ref P, last]\n";
  const auto conditions = yaml(text, sink);
  REQUIRE(conditions);
  const input::TemplateConditions relations(&*conditions);
  using Names = std::vector<std::string>;
  using Way = input::TemplateConditions::Way;
  // Each comparison is free, named by what it compares; a name the template does not define
  // is free too. `Mixed` compares a parameter itself.
  const auto free_of = [&](std::string_view name) { return relations.closure_of({std::string(name)}).free; };
  const std::string prod = free_of("IsProd").at(0);
  const std::string eu = free_of("IsEu").at(0);
  REQUIRE(free_of("Mixed").size() == 2);
  const std::string env_x = free_of("Mixed").at(1);
  CHECK(free_of("IsNotProd") == Names{prod});
  const auto closure = relations.closure_of({"IsNotProd", "ProdInEu", "Mixed", "Nowhere"});
  CHECK(closure.free == Names{prod, eu, env_x, "Nowhere"});
  CHECK(closure.derived == Names{"IsProd", "IsNotProd", "IsEu", "ProdInEu", "Mixed"});
  const auto choice = relations.choice(closure, Way{{prod}, {}});
  CHECK(choice.at("IsProd") == false);
  CHECK(choice.at("IsNotProd") == true);
  CHECK(choice.at("ProdInEu") == false);
  // The comparisons a way to a branch leaves true are marked to hold.
  CHECK(relations.leading_to({{"IsNotProd", false}, {"ProdInEu", false}}) == Way{{eu}, {{prod, true}}});
  CHECK(relations.leading_to({{"IsProd", true}, {"IsNotProd", true}}) == std::nullopt);
  CHECK(relations.leading_to({{"ProdInEu", true}, {"IsEu", false}}) == std::nullopt);
  // A cycle, which CloudFormation refuses, is ended by taking the condition on it as free.
  CHECK(relations.closure_of({"Loop"}).free == Names{"Loop"});
  CHECK(relations.closure_of({"Fan"}).free == Names{"Fan"});
  const auto chain = relations.closure_of({"L0"});
  CHECK(chain.free == free_of("L3000"));
  CHECK(chain.derived.size() == 3001);
  CHECK(relations.choice(chain, Way{{chain.free.at(0)}, {}}).at("L0") == false);
  CHECK(relations.choice(chain, Way{}).at("L0") == true);
  // Past 10 free conditions no way is searched: the path's own conditions are forced.
  CHECK(relations.leading_to({{"AnyF", false}}) == Way{{}, {{"AnyF", false}}});
  const auto forced = relations.choice(relations.closure_of({"AnyF"}), Way{{}, {{"AnyF", false}}});
  CHECK(forced.at("AnyF") == false);
}

TEST_CASE("template conditions: a parameter takes one value", "[template]") {
  DiagnosticSink sink;
  const auto conditions = yaml(R"(IsProd: !Equals [!Ref Env, prod]
IsDev: !Equals [dev, !Ref Env]
ProdAndDev: !And [!Condition IsProd, !Condition IsDev]
NotProd: !Not [!Condition IsProd]
IsOne: !Equals [!Ref Count, 1]
IsOneText: !Equals [!Ref Count, "1"]
IsOn: !Equals [!Ref Flag, true]
IsOnText: !Equals [!Ref Flag, "true"]
SameStage: !Equals [!Ref Env, !Ref Stage]
)",
                               sink);
  REQUIRE(conditions);
  const input::TemplateConditions relations(&*conditions);
  using Way = input::TemplateConditions::Way;
  const auto free_of = [&](std::string_view name) { return relations.closure_of({std::string(name)}).free; };
  const std::string prod = free_of("IsProd").at(0);
  const std::string dev = free_of("IsDev").at(0);
  const auto closure = relations.closure_of({"IsProd", "IsDev"});
  // Env is prod or dev or neither, never both: the first left true holds, unless one is forced.
  CHECK(relations.settled(closure.free, Way{}) == Way{{dev}, {}});
  CHECK(relations.settled(closure.free, Way{{prod}, {}}) == Way{{prod}, {}});
  CHECK(relations.settled(closure.free, Way{{prod, dev}, {}}) == Way{{prod, dev}, {}});
  CHECK(relations.settled(closure.free, Way{{}, {{dev, true}}}) == Way{{prod}, {}});
  CHECK(relations.settled(closure.free, Way{{dev}, {{dev, true}}}) == Way{{prod}, {}});
  CHECK(relations.leading_to({{"ProdAndDev", true}}) == std::nullopt);
  CHECK(relations.leading_to({{"IsProd", true}, {"IsDev", true}}) == std::nullopt);
  CHECK(relations.leading_to({{"NotProd", true}, {"IsDev", true}}) == Way{{prod}, {{dev, true}}});
  // IsProd is no part of it; in a closure with it, IsDev still holds.
  const auto to_dev = relations.leading_to({{"IsDev", true}});
  CHECK(to_dev == Way{{}, {{dev, true}}});
  CHECK(relations.settled(closure.free, *to_dev) == Way{{prod}, {}});
  // `Fn::Equals` compares strings: 1 is "1", true is "true".
  CHECK(free_of("IsOne") == free_of("IsOneText"));
  CHECK(free_of("IsOn") == free_of("IsOnText"));
  // Two values compared with each other are no parameter's one value.
  const auto stage = relations.closure_of({"IsProd", "SameStage"});
  CHECK(relations.settled(stage.free, Way{}) == Way{});
}

TEST_CASE("template conditions: a parameter takes one of its AllowedValues", "[template]") {
  DiagnosticSink sink;
  const auto conditions = yaml(R"(IsProd: !Equals [!Ref Env, prod]
IsDev: !Equals [dev, !Ref Env]
IsTest: !Equals [!Ref Env, test]
NeitherProdNorDev: !And [!Not [!Condition IsProd], !Not [!Condition IsDev]]
IsSmall: !Equals [!Ref Size, 1]
IsLarge: !Equals [!Ref Size, 2]
IsBlue: !Equals [!Ref Colour, blue]
IsRed: !Equals [!Ref Colour, red]
IsListed: !Equals [!Ref Names, a]
)",
                               sink);
  const auto parameters = yaml(R"(Env: {Type: String, AllowedValues: [prod, dev]}
Size: {Type: Number, AllowedValues: [1, 2, 3]}
Colour: {Type: String}
Names: {Type: CommaDelimitedList, AllowedValues: [a]}
)",
                               sink);
  REQUIRE(conditions);
  REQUIRE(parameters);
  const input::TemplateConditions relations(&*conditions, &*parameters);
  using Way = input::TemplateConditions::Way;
  const auto free_of = [&](std::string_view name) { return relations.closure_of({std::string(name)}).free.at(0); };
  const std::string prod = free_of("IsProd"), dev = free_of("IsDev"), test = free_of("IsTest");
  const auto env = relations.closure_of({"IsProd", "IsDev", "IsTest"});
  // `test` is no value Env takes; prod and dev are all it takes, so one of them holds.
  CHECK(relations.settled(env.free, Way{}) == Way{{dev, test}, {}});
  CHECK(relations.settled(env.free, Way{{prod, dev, test}, {}}) == Way{{dev, test}, {}});
  CHECK(relations.settled(env.free, Way{{prod, test}, {}}) == Way{{prod, test}, {}});
  CHECK(relations.settled(env.free, Way{{prod, dev}, {{prod, false}}}) == Way{{prod, test}, {{prod, false}}});
  CHECK(relations.leading_to({{"IsTest", true}}) == std::nullopt);
  CHECK(relations.leading_to({{"NeitherProdNorDev", true}}) == std::nullopt);
  // With one of them alone in the closure, it may be false (Env is the other).
  CHECK(relations.settled(relations.closure_of({"IsProd"}).free, Way{{prod}, {}}) == Way{{prod}, {}});
  // Size may be 3, which no comparison names: both may be false. Colour lists no values.
  const auto size = relations.closure_of({"IsSmall", "IsLarge"});
  CHECK(relations.settled(size.free, Way{{size.free.begin(), size.free.end()}, {}}).taken_false.size() == 2);
  const auto colour = relations.closure_of({"IsBlue", "IsRed"});
  CHECK(relations.settled(colour.free, Way{{colour.free.begin(), colour.free.end()}, {}}).taken_false.size() == 2);
  // A list parameter is not bounded by its AllowedValues' text.
  CHECK(relations.leading_to({{"IsListed", false}}).has_value());
}

TEST_CASE("templates: a branch no allowed value of a parameter reaches is not analysed", "[template]") {
  const auto text = [](std::string_view allowed) {
    return fmt::format(R"(Parameters:
  Env: {{Type: String, AllowedValues: [{}]}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Equals [!Ref Env, dev]
  IsTest: !Equals [!Ref Env, test]
Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: !If [IsProd, s3:GetObject, !If [IsDev, s3:ListBucket, "s3:*"]]
            Resource: "*"
          - Effect: Allow
            Action: !If [IsTest, "sqs:*", sqs:SendMessage]
            Resource: "*"
)",
                       allowed);
  };
  // Env is prod or dev: neither `s3:*` nor the test branch's `sqs:*` is ever deployed.
  CHECK(count_rule(check_yaml(text("prod, dev")), "GRT002") == 0);
  // Env may be staging (`s3:*` is deployed then) or test.
  CHECK(pointers_of(check_yaml(text("prod, dev, staging, test")), "GRT002") ==
        std::vector<std::string>{"/Resources/Policy/Properties/PolicyDocument/Statement/0/Action/Fn::If/2/Fn::If/2",
                                 "/Resources/Policy/Properties/PolicyDocument/Statement/1/Action/Fn::If/1"});
}

TEST_CASE("templates: comparisons of one parameter with different values are never both true", "[template]") {
  // Each statement is left out when Env is its value: some form has one of them whatever
  // Env is, and none has the Statement empty (POL006).
  const std::string text = R"(Parameters:
  Env: {Type: String}
Conditions:
  NotA: !Not [!Equals [!Ref Env, a]]
  NotB: !Not [!Equals [b, !Ref Env]]
  IsA: !Equals [!Ref Env, a]
  IsB: !Equals [!Ref Env, b]
Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - !If [NotA, {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}, !Ref AWS::NoValue]
          - !If [NotB, {Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::b/*"}, !Ref AWS::NoValue]
  Split:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: !If [IsA, "*", "s3:GetObject"]
            Resource: !If [IsB, "*", "arn:aws:s3:::b/*"]
          - Effect: Allow
            Action: !If [IsB, "*", "s3:GetObject"]
            Resource: "*"
)";
  const auto report = check_yaml(text);
  CHECK(count_rule(report, "POL006") == 0);
  // Split's first `*` on `*` needs Env to be a and b at once; its second is Env = b's.
  CHECK(pointers_of(report, "GRT001") ==
        std::vector<std::string>{"/Resources/Split/Properties/PolicyDocument/Statement/1/Action/Fn::If/1"});
}

TEST_CASE("template conditions: the searches for ways to branches have a budget", "[template]") {
  // Ten free conditions behind a chain of 100: each search tries up to 1,024 ways, each
  // evaluating the chain. Branches no way reaches (D100 and its negation both true) are searched
  // until the budget is spent, then forced as asked.
  DiagnosticSink sink;
  std::string text;
  for (int k = 0; k < 10; ++k) text += fmt::format("A{}: !Equals [!Ref P{}, on]\n", k, k);
  text += "D0: !Condition A0\n";
  for (int i = 1; i <= 100; ++i) text += fmt::format("D{}: !Or [!Condition D{}, !Condition A{}]\n", i, i - 1, i % 10);
  text += "Never: !Not [!Condition D100]\n";
  const auto conditions = yaml(text, sink);
  REQUIRE(conditions);
  const input::TemplateConditions relations(&*conditions);
  using Way = input::TemplateConditions::Way;
  const auto unreachable = [](int i) {
    return std::map<std::string, bool>{{"D100", true}, {"Never", true}, {fmt::format("D{}", i), true}};
  };
  CHECK(relations.leading_to(unreachable(1)) == std::nullopt);
  CHECK_FALSE(relations.searches_cut_short());
  // A path asked again is not searched again.
  for (int k = 0; k < 50; ++k) CHECK(relations.leading_to(unreachable(1)) == std::nullopt);
  CHECK_FALSE(relations.searches_cut_short());
  int searches = 1;
  std::optional<Way> found;
  do {
    ++searches;
    found = relations.leading_to(unreachable(searches));
  } while (found == std::nullopt && searches < 99);
  CHECK(relations.searches_cut_short());
  CHECK(searches > 3);
  CHECK(found == Way{{}, unreachable(searches)});
  CHECK(relations.leading_to({{"A1", true}}) == Way{{}, {{"A1", true}}});
  CHECK(relations.leading_to(unreachable(1)) == std::nullopt);  // as the first time
}

TEST_CASE("templates: searches pass over ways with two values of one parameter", "[template]") {
  // Ten Region comparisons behind `Supported`: of a search's 1,024 masks, 11 give Region one
  // value. The rest cost one evaluation each, so 90 policies' unreachable branches are all
  // searched within the budget, and none is analysed.
  const char* regions[] = {"us-east-1", "us-east-2",    "us-west-1",      "us-west-2",      "eu-west-1",
                           "eu-west-2", "eu-central-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1"};
  std::string text = "Conditions:\n";
  for (int i = 0; i < 10; ++i) text += fmt::format("  R{}: !Equals [!Ref AWS::Region, {}]\n", i, regions[i]);
  text += "  Supported: !Or [!Condition R0";
  for (int i = 1; i < 10; ++i) text += fmt::format(", !Condition R{}", i);
  text += "]\n  Unsupported: !Not [!Condition Supported]\nResources:\n";
  for (int i = 0; i < 10; ++i) {
    for (int j = 0; j < 10; ++j) {
      if (i == j) continue;
      text += fmt::format(R"(  P{0}x{1}:
    Type: AWS::IAM::ManagedPolicy
    Condition: R{0}
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: !If [R{1}, !If [Supported, "arn:aws:s3:::replica-{1}/*", "*"], "arn:aws:s3:::primary-{0}/*"]
          - Effect: Allow
            Action: !If [Unsupported, "s3:*", s3:ListBucket]
            Resource: !If [Unsupported, "*", "arn:aws:s3:::primary-{0}"]
)",
                          i, j);
    }
  }
  const auto report = check_yaml(text);
  CHECK(count_rule(report, "TPL003") == 0);
  CHECK(count_rule(report, "GRT002") == 0);
  CHECK(count_rule(report, "GRT006") == 0);
}

TEST_CASE("template conditions: values follow a chain thousands long, kept per way", "[template]") {
  DiagnosticSink sink;
  std::string text = "A0: !Equals [!Ref P0, on]\nA1: !Equals [!Ref P1, on]\nD0: !Condition A0\n";
  for (int i = 1; i < 5000; ++i) text += fmt::format("D{}: !Or [!Condition D{}, !Condition A{}]\n", i, i - 1, i % 2);
  text += "Last: !Not [!Condition D4999]\n";
  const auto conditions = yaml(text, sink);
  REQUIRE(conditions);
  const input::TemplateConditions relations(&*conditions);
  using Way = input::TemplateConditions::Way;
  const std::vector<std::string> free = relations.free_of({"Last", "D17"});
  REQUIRE(free.size() == 2);
  CHECK(free == relations.closure_of({"Last", "D17"}).free);
  const Way both_false{{free.begin(), free.end()}, {}};
  CHECK(relations.values({"D4999", "Last", "D17"}, both_false) ==
        std::map<std::string, bool>{{"D17", false}, {"D4999", false}, {"Last", true}});
  CHECK(relations.values({"D4999", "Last"}, Way{}) == std::map<std::string, bool>{{"D4999", true}, {"Last", false}});
  CHECK(relations.values({"D2"}, Way{{}, {{"D2", false}}}) == std::map<std::string, bool>{{"D2", false}});
  // As choice() has it.
  const auto closure = relations.closure_of({"Last"});
  CHECK(relations.choice(closure, both_false).at("Last") == true);
  CHECK(relations.leading_to({{"Last", true}, {"D4999", true}}) == std::nullopt);
  CHECK(relations.leading_to({{"Last", true}}).has_value());
  CHECK_FALSE(relations.searches_cut_short());
}

TEST_CASE("templates: each value of a parameter a policy compares is a form of its own", "[template]") {
  // Env = e is the fifth comparison of Env: its branch, and a policy only deployed with it, are
  // analysed with Env = e, not with the first comparison holding.
  std::string text = "Parameters:\n  Env: {Type: String}\nConditions:\n";
  for (const char* value : {"a", "b", "c", "d", "e"}) text += fmt::format("  Is_{0}: !Equals [!Ref Env, {0}]\n", value);
  text += R"(Resources:
  Branch:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
)";
  std::string ifs;
  for (const char* value : {"a", "b", "c", "d"}) {
    ifs += fmt::format("          - !If [Is_{0}, {{Effect: Allow, Action: sqs:SendMessage, "
                       "Resource: \"arn:aws:sqs:us-east-1:111122223333:{0}\"}}, !Ref AWS::NoValue]\n",
                       value);
  }
  text += ifs + "          - !If [Is_e, {Effect: Allow, Action: \"s3:*\", Resource: \"*\"}, !Ref AWS::NoValue]\n";
  text += R"(  Created:
    Type: AWS::IAM::ManagedPolicy
    Condition: Is_e
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "ec2:*", Resource: "*"}
)" + ifs;
  const auto report = check_yaml(text);
  CHECK(pointers_of(report, "GRT002") ==
        std::vector<std::string>{"/Resources/Branch/Properties/PolicyDocument/Statement/4/Fn::If/1/Action",
                                 "/Resources/Created/Properties/PolicyDocument/Statement/0/Action"});
  CHECK(count_rule(report, "TPL003") == 0);
}

TEST_CASE("templates: conditions that follow from others go with them", "[template]") {
  const std::string text = R"(Parameters:
  Env: {Type: String}
  Region: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsEu: !Equals [!Ref Region, eu-west-1]
  IsNotProd: !Not [!Condition IsProd]
  Never: !And [!Condition IsProd, !Condition IsNotProd]
  ProdInEu: !And [!Condition IsProd, {Condition: IsEu}]
  Anywhere: !Or [!Condition IsProd, !Condition IsNotProd]
Resources:
  Split:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: !If [IsProd, "*", "s3:GetObject"]
            Resource: !If [IsNotProd, "*", "arn:aws:s3:::b/*"]
  Unreachable:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: !If [Never, "*", "s3:GetObject"]
            Resource: "arn:aws:s3:::b/*"
          - Effect: Allow
            Action: !If [Anywhere, "s3:PutObject", "*"]
            Resource: "*"
  Nested:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: !If [ProdInEu, "*", "s3:GetObject"]
            Resource: !If [IsNotProd, "arn:aws:s3:::b/*", "*"]
)";
  const auto report = check_yaml(text);
  // Split's `*` needs IsProd and IsNotProd both true; Unreachable's needs Never true or
  // Anywhere false; Nested's is reached with IsProd and IsEu true.
  CHECK(pointers_of(report, "GRT001") ==
        std::vector<std::string>{"/Resources/Nested/Properties/PolicyDocument/Statement/0/Action/Fn::If/1"});
}

TEST_CASE("templates: a policy's forms hold where it is deployed", "[template]") {
  // Dev exists only when Env is not prod: its two Fn::Ifs may both go false there (`s3:*` on
  // `*`). In the IsProd branches of a role's Policies and of a resource's Properties, IsNotProd's
  // `*` is never deployed, IsProd's is.
  const std::string text = R"(Parameters:
  Env: {Type: String}
  Wide: {Type: String}
  Open: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsNotProd: !Not [!Condition IsProd]
  Narrow: !Equals [!Ref Wide, "no"]
  Closed: !Equals [!Ref Open, "no"]
Resources:
  Dev:
    Type: AWS::IAM::ManagedPolicy
    Condition: IsNotProd
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: !If [Narrow, "s3:ListBucket", "s3:*"]
            Resource: !If [Closed, "arn:aws:s3:::dev-bucket", "*"]
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - !If
          - IsProd
          - PolicyName: prod
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - {Effect: Allow, Action: !If [IsNotProd, "*", "s3:ListAllMyBuckets"], Resource: "*"}
                - {Effect: Allow, Action: !If [IsProd, "*", "s3:ListAllMyBuckets"], Resource: "*"}
          - !Ref AWS::NoValue
  Chosen:
    Type: AWS::IAM::ManagedPolicy
    Properties: !If
      - IsProd
      - PolicyDocument:
          Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Action: !If [IsProd, "s3:ListAllMyBuckets", "*"], Resource: "*"}
      - PolicyDocument:
          Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Action: "s3:ListBucket", Resource: "arn:aws:s3:::example-reports"}
)";
  const auto report = check_yaml(text);
  CHECK(pointers_of(report, "GRT002") ==
        std::vector<std::string>{"/Resources/Dev/Properties/PolicyDocument/Statement/0/Action/Fn::If/2"});
  CHECK(pointers_of(report, "GRT001") ==
        std::vector<std::string>{
            "/Resources/Role/Properties/Policies/0/Fn::If/1/PolicyDocument/Statement/1/Action/Fn::If/1"});
}

TEST_CASE("templates: an Effect given by a function is taken as Allow", "[template]") {
  const std::string text = R"(Parameters:
  EffectParam: {Type: String, AllowedValues: [Allow, Deny]}
Resources:
  R:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: !Ref EffectParam, Action: "*", Resource: "*"}
)";
  const auto report = check_yaml(text);
  CHECK(count_rule(report, "POL016") == 0);
  CHECK(pointers_of(report, "GRT001") ==
        std::vector<std::string>{"/Resources/R/Properties/PolicyDocument/Statement/0/Action"});
}

TEST_CASE("templates: a resource's condition the template does not define is TPL002", "[template]") {
  const std::string text = R"(Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Condition: IsProdd
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*"}]
)";
  const auto report = check_yaml(text);
  const Diagnostic& d = only(report, "TPL002");
  CHECK(d.pointer == "/Resources/Policy/Condition");
  CHECK(d.message.find("`IsProdd`") != std::string::npos);
  CHECK(d.message.find("did you mean `IsProd`") != std::string::npos);
}

TEST_CASE("templates: condition definitions CloudFormation refuses are TPL002", "[template]") {
  const std::string text = R"(Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Equals [!Ref Env, dev]
  Bare: !Ref Env
  OneSided: !Equals [!Ref Env]
  TwoNots: !Not [!Condition IsProd, !Condition IsDev]
  LoneAnd: !And [!Condition IsProd]
  Nested: !Or [!Condition IsProd, !If [IsDev, a, b]]
  Fine: !And [!Condition IsProd, !Not [!Condition IsDev], !Or [!Condition IsDev, !Equals [a, b]]]
Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Condition: [IsProd]
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}
)";
  const auto report = check_yaml(text);
  CHECK(pointers_of(report, "TPL002") ==
        std::vector<std::string>{"/Conditions/Bare", "/Conditions/OneSided", "/Conditions/TwoNots",
                                 "/Conditions/LoneAnd", "/Conditions/Nested/Fn::Or/1", "/Resources/Policy/Condition"});
}

TEST_CASE("templates: a policy past IAM's quotas is analysed in as many forms as its size allows", "[template]") {
  // 300 conditions over about 1.1 MB: each form copies and checks the whole policy, so only
  // 16 MB of forms (text and a weight per value) are analysed, not 256 (minutes for thousands
  // of conditions).
  const std::string text = policy_of_conditions(300, 3600);
  const auto report = check_yaml(text);
  // Over its size quota in every form, by a few characters more or less each: said once.
  CHECK_THAT(only(report, "POL010").message, Catch::Contains("over the character quota"));
  const std::string message = only(report, "TPL003").message;
  CHECK_THAT(message, Catch::Contains("takes more than 256 forms by its `Fn::If`s; only 14 are analysed, as a policy's "
                                      "forms are analysed up to 16 MB of policy text and a template's up to 64 MB"));
}

TEST_CASE("templates: a policy written by a YAML alias is measured as what it stands for", "[template]") {
  // The alias's own text is two bytes; the policy it stands for is about 200 KB.
  std::string text = policy_of_conditions(300, 600);
  const std::string written = "      PolicyDocument:\n";
  const std::size_t at = text.find(written);
  REQUIRE(at != std::string::npos);
  text.replace(at, written.size(), "      PolicyDocument: &policy\n");
  text += "  Alias:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: *policy\n";
  const auto report = check_yaml(text);
  std::vector<std::string> notes;
  for (const Diagnostic& d : report.diagnostics) {
    if (d.rule->id == "TPL003") notes.push_back(d.message);
  }
  REQUIRE(notes.size() == 2);
  for (const std::string& note : notes) {
    CHECK_THAT(note, Catch::Contains("as a policy's forms are analysed up to 16 MB of policy text"));
  }
}

TEST_CASE("templates: a policy over its size quota in some forms is reported at the most severe", "[template]") {
  // The trust policy is over the default quota (a warning) in its first form and over the
  // hard one (an error) in its second.
  std::string statements[2];
  for (int form = 0; form < 2; ++form) {
    for (int i = 0; i < (form == 0 ? 20 : 40); ++i) {
      statements[form] += fmt::format("              - {{Effect: Allow, Principal: {{AWS: \"arn:aws:iam::{:012}:root\"}}, "
                                      "Action: \"sts:AssumeRole\", Condition: {{StringEquals: {{\"sts:ExternalId\": "
                                      "\"{}\"}}}}}}\n",
                                      111122223333 + i, std::string(60, 'x'));
    }
  }
  const std::string text = fmt::format(R"(Conditions:
  Small: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement: !If
          - Small
          -
{}          -
{})",
                                       statements[0], statements[1]);
  const auto report = check_yaml(text);
  const Diagnostic size = only(report, "POL010");
  CHECK(size.level == Level::error);
}

TEST_CASE("templates: findings point at the template's lines, placeholders shown as written", "[template]") {
  const std::string text = R"(Parameters:
  Partner: {Type: String}
  Bucket: {Type: String}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Ref Partner}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObjekt
                Resource: !Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"
)";
  const auto report = check_yaml(text);
  REQUIRE(report.documents.size() == 2);
  CHECK(report.documents[0].kind == Kind::trust);
  CHECK(report.documents[1].kind == Kind::inline_role);
  CHECK(report.documents[1].pointer == "/Resources/Role/Properties/Policies/0/PolicyDocument");
  const auto action = only(report, "ACT002");
  CHECK(action.location.span == span_of(text, "s3:GetObjekt"));
  CHECK(action.document == "/Resources/Role/Properties/Policies/0/PolicyDocument");
  CHECK(report.diagnostics.size() == 1);  // neither the Ref principal nor the Sub ARN is malformed

  // A placeholder in a message is written as in the template.
  const auto wildcard = check_yaml(R"(Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: !Sub "${Service}:*"
            Resource: "*"
)");
  const auto service = only(wildcard, "GRT002");
  CHECK(service.message.find("`${Service}:*`") != std::string::npos);
  CHECK(service.message.find(kPlaceholderOpen) == std::string::npos);
}

TEST_CASE("templates: JSON templates, string policies and the kinds of resources", "[template]") {
  const std::string text = R"({"Resources": {
  "Q": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"PolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}"}},
  "K": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": []}}},
  "U": {"Type": "AWS::IAM::Policy", "Properties": {"Users": ["u"], "PolicyDocument": {"Version": "2012-10-17", "Statement": []}}},
  "B": {"Type": "AWS::S3::Bucket"}
}})";
  const auto report = check(text);
  REQUIRE(report.documents.size() == 3);
  CHECK(report.documents[0].kind == Kind::resource);
  CHECK(report.documents[1].kind == Kind::kms_key);
  CHECK(report.documents[2].kind == Kind::inline_user);
  const auto open = only(report, "RES001");
  CHECK(open.document == "/Resources/Q/Properties/PolicyDocument");
  const Span principal = span_of(text, R"(\"Principal\":\"*\")");
  const auto key = static_cast<std::uint32_t>(std::string_view(R"(\"Principal\":)").size());
  CHECK(open.location.span == Span{principal.begin + key, principal.end});  // on the escapes in the file
}

TEST_CASE("a double-quoted YAML value is placed on its file bytes through escapes and folds", "[template]") {
  // The file: a quoted scalar with \u0069 (one `i`), \" (one quote), an escaped line break and
  // a fold. The value: what YAML reads.
  const std::string file = "k: \"a\\u0069\\\"b\\\n    c\n    d\\x41\"";
  const std::string value = "ai\"bc dA";
  const Span span{3, static_cast<std::uint32_t>(file.size())};
  const json::DecodedText placed = json::align_with_file(value, file, span);
  REQUIRE(placed.origin.size() == value.size() + 1);
  const auto at = [&](std::size_t i) { return file.substr(placed.origin[i], 2); };
  CHECK(at(0) == "a\\");   // `a`
  CHECK(at(1) == "\\u");   // `i`, from \u0069
  CHECK(at(2) == "\\\"");  // `"`, from \"
  CHECK(at(3) == "b\\");   // `b`
  CHECK(at(4) == "c\n");   // `c`, after the escaped line break and its indentation
  CHECK(at(6) == "d\\");   // `d`, after the fold
  CHECK(at(7) == "\\x");   // `A`, from \x41
}

TEST_CASE("templates: a Ref of a parameter that lists its values is a form per value", "[template]") {
  DiagnosticSink sink;
  const auto parameters = yaml(R"(Who: {Type: String, AllowedValues: ["*", "111122223333", "*"]}
One: {Type: Number, AllowedValues: [7]}
Open: {Type: String}
Names: {Type: CommaDelimitedList, AllowedValues: [a, b]}
)",
                               sink);
  const auto policy = yaml(R"(Statement:
  - Principal: {AWS: [!Ref Who, !Ref One, !Ref Open, !Ref Names]}
)",
                           sink);
  REQUIRE(parameters);
  REQUIRE(policy);
  const input::ParameterChoices choices(&*parameters, nullptr);
  // One condition for each value of Who but the last (the duplicate `*` counted once); none for One.
  REQUIRE(choices.added() == std::vector<std::string>{"Who=0"});
  REQUIRE(choices.conditions() != nullptr);
  CHECK(choices.conditions()->find("Who=0") != nullptr);
  const auto rewritten = choices.rewritten(*policy);
  REQUIRE(rewritten);
  const Node& principals = rewritten->find("Statement")->items[0].find("Principal")->find("AWS")->items.at(0);
  const Node& written = policy->find("Statement")->items[0].find("Principal")->find("AWS")->items.at(0);
  // `Fn::If [Who=0, "*", "111122223333"]`, placed where `!Ref Who` is written.
  const Node* chain = principals.find("Fn::If");
  REQUIRE(chain != nullptr);
  REQUIRE(chain->items.size() == 3);
  CHECK(chain->items[0].text == "Who=0");
  CHECK(chain->items[1].text == "*");
  CHECK(chain->items[2].text == "111122223333");
  CHECK(chain->items[2].span == written.span);
  const Node& aws = *rewritten->find("Statement")->items[0].find("Principal")->find("AWS");
  CHECK(aws.items[1].is(Type::string));  // a parameter of one value is that value
  CHECK(aws.items[1].text == "7");
  CHECK(aws.items[2].find("Ref") != nullptr);  // no AllowedValues: a placeholder, as before
  CHECK(aws.items[3].find("Ref") != nullptr);  // a list is not bounded by its AllowedValues
  // Nothing to rewrite: no copy.
  const auto plain = yaml("Statement: [{Principal: {AWS: '*'}}]\n", sink);
  REQUIRE(plain);
  CHECK_FALSE(choices.rewritten(*plain));
  // A `Conditions` that is not a mapping: the template is refused, nothing is added.
  const auto broken = yaml("[a]\n", sink);
  REQUIRE(broken);
  CHECK(input::ParameterChoices(&*parameters, &*broken).added().empty());
}

TEST_CASE("templates: one policy text met again in the same role is analysed once", "[template]") {
  // SAM's Globals trust policy for each function, and a YAML alias listed again.
  std::string text = R"(Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "sts:AssumeRole", Condition: {Bool: {aws:SecureTransport: yes}}}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: "sts:AssumeRole"}]}
      Policies:
        - &listed {PolicyName: p, PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}}
        - *listed
        - *listed
)";
  for (int i = 0; i < 50; ++i)
    text += fmt::format("  F{}: {{Type: AWS::Serverless::Function, Properties: {{Handler: x}}}}\n", i);
  const auto report = check_yaml(text);
  CHECK(count_rule(report, "CON003") == 1);  // `yes` is no boolean, said once for all functions
  CHECK(count_rule(report, "GRT001") == 1);
}

TEST_CASE("templates: what Fn::Sub and Fn::Join build is bounded", "[template]") {
  // Each level names the one below eight times: 8^7 copies of the innermost text.
  std::string value = "\"arn:aws:s3:::bucket-with-a-long-name/*\"";
  for (int level = 0; level < 7; ++level) {
    value = fmt::format("!Sub [\"${{V}}${{V}}${{V}}${{V}}${{V}}${{V}}${{V}}${{V}}\", {{V: {}}}]", value);
  }
  const std::string text = fmt::format(R"(Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Action: s3:GetObject, Resource: {}}}
)",
                                       value);
  const auto report = check_yaml(text);
  CHECK(count_rule(report, "TPL003") >= 1);  // longer than 1 MB: a value known at deployment
  CHECK(report.documents.size() == 1);
}

TEST_CASE("templates: a Fn::Split into more parts than analysed is said, not lost", "[template]") {
  // A public bucket policy whose principal is the first part of a long split: up to the limit it
  // is analysed, past it a TPL003 note says the value is left to deployment (it once was silent).
  const auto bucket_policy = [](std::size_t parts) {
    std::string text = "*";
    for (std::size_t i = 1; i < parts; ++i) text += ",*";
    return fmt::format(R"({{"Resources": {{"P": {{"Type": "AWS::S3::BucketPolicy", "Properties": {{"Bucket": "b",
      "PolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
      "Principal": {{"AWS": {{"Fn::Select": [0, {{"Fn::Split": [",", "{}"]}}]}}}}, "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::b/*"}}]}}}}}}}}}})",
                       text);
  };
  const auto within = check_yaml(bucket_policy(4096));
  CHECK(count_rule(within, "RES001") == 1);
  CHECK(count_rule(within, "TPL003") == 0);
  const auto past = check_yaml(bucket_policy(4097));
  CHECK(count_rule(past, "RES001") == 0);
  CHECK(count_rule(past, "TPL003") == 1);
}

TEST_CASE("templates: a placeholder's name is bounded, and calls with different arguments stay different",
          "[template]") {
  // 100 nested Fn::Base64 around a 3,000-byte value: each level's name would copy the one inside.
  const auto nested = [](char fill) {
    std::string value = fmt::format(R"("{}")", std::string(3000, fill));
    for (int i = 0; i < 100; ++i) value = fmt::format(R"({{"Fn::Base64": {}}})", value);
    return value;
  };
  const std::string text = fmt::format(R"({{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {{"P": {{
      "Type": "AWS::IAM::ManagedPolicy", "Properties": {{"PolicyDocument": {{"Version": "2012-10-17",
      "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [{}, {}]}}]}}}}}}}}}})",
                                       nested('a'), nested('b'));
  DiagnosticSink sink;
  auto root = yaml(text, sink);
  REQUIRE(root);
  Emitter emit(sink, 0);
  std::deque<Node> variants;
  const auto slots = input::cloudformation_policies(*root, false, emit, variants);
  REQUIRE(slots.size() == 1);
  const Node* resources = slots[0].node->find("Statement")->items[0].find("Resource");
  REQUIRE(resources->items.size() == 2);
  CHECK(is_placeholder(resources->items[0].text));
  CHECK(resources->items[0].text.size() < 400);
  CHECK(resources->items[0].text != resources->items[1].text);
}
