#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unordered_map>
#include <vector>

#include "account/authz_details.h"
#include "account/export_shape.h"
#include "account/own_resources.h"
#include "account/text_numbers.h"
#include "tests/support/export_reading.h"

using namespace grantlint;

TEST_CASE("an export is recognised by its first key as JSON reads it", "[export]") {
  using account::looks_like_authorization_details;
  CHECK(looks_like_authorization_details(R"({"UserDetailList": []})"));
  CHECK(looks_like_authorization_details("\xEF\xBB\xBF {\n \"IsTruncated\": false}"));
  CHECK(looks_like_authorization_details(R"({"\u0055serDetailList": []})"));
  CHECK(looks_like_authorization_details(R"({"Polic\u0069es": []})"));
  CHECK_FALSE(looks_like_authorization_details(R"({"UserDetailListX": []})"));
  CHECK_FALSE(looks_like_authorization_details(R"({"\u0055serDetail": []})"));
  CHECK_FALSE(looks_like_authorization_details(R"({"Version": "2012-10-17"})"));
  CHECK_FALSE(looks_like_authorization_details(R"({"\u0055serDetailList)"));  // never closes
  CHECK_FALSE(looks_like_authorization_details("{\"" + std::string(5000, '\\') + "\"}"));
}

TEST_CASE("an export whose first page starts with another key, or after other bytes", "[export]") {
  using account::looks_like_authorization_details;
  CHECK(looks_like_authorization_details(R"({"ResponseMetadata": {}, "UserDetailList": [ ]})"));
  CHECK(looks_like_authorization_details("Note: profile default\n{\"RoleDetailList\" : []}"));
  CHECK(looks_like_authorization_details(R"([{"GroupDetailList": []}])"));
  CHECK(looks_like_authorization_details(R"({"User"DetailList": []})"));  // a stray quote in the key
  // Named only far from both ends (a preamble or a wrapper's first value over a MB): found too.
  const std::string padding(3u << 20, ' ');
  CHECK(looks_like_authorization_details("{\"A\": 1," + padding + "\"UserDetailList\": []" + padding + "}"));
  CHECK_FALSE(looks_like_authorization_details("{\"A\": 1," + padding + "\"UserDetail\": []" + padding + "}"));
  // A list key that holds no list, and `Policies` (a CloudFormation role's too), say nothing.
  CHECK_FALSE(looks_like_authorization_details(R"({"Type": "AWS::IAM::Role", "UserDetailList": "x"})"));
  CHECK_FALSE(looks_like_authorization_details(R"({"Resources": {"R": {"Policies": []}}})"));
}

TEST_CASE("one list of an export alone, or its elements one per line", "[export]") {
  using account::bare_list_key;
  CHECK(bare_list_key(R"([{"Path": "/", "UserName": "u", "UserId": "AIDA", "UserPolicyList": []}])") ==
        "UserDetailList");
  CHECK(bare_list_key(R"({"RoleName": "r", "RoleId": "AROA", "RolePolicyList": []})") == "RoleDetailList");
  CHECK(bare_list_key(R"([{"Arn": "a", "AttachedManagedPolicies": [], "GroupId": "AGPA"}])") == "GroupDetailList");
  CHECK(bare_list_key(R"([{"PolicyName": "p", "DefaultVersionId": "v1", "PolicyVersionList": []}])") == "Policies");
  // `--query '[UserDetailList, RoleDetailList]'`: the lists in an array, looked through.
  CHECK(bare_list_key(R"([[{"Path": "/", "UserName": "u", "UserId": "AIDA", "GroupList": []}], []])") ==
        "UserDetailList");
  // A role's instance profiles list the role: only the element's own members count.
  CHECK(
      bare_list_key(R"([{"RoleName": "r", "InstanceProfileList": [{"Roles": [{"UserId": 1}]}], "RoleId": "AROA"}])") ==
      "RoleDetailList");
  CHECK_FALSE(bare_list_key(R"([{"UserDetailList": [{"UserId": "x"}]}])"));        // pages in an array
  CHECK_FALSE(bare_list_key(R"({"User": {"UserName": "u", "UserId": "AIDA"}})"));  // aws iam get-user
  CHECK_FALSE(bare_list_key(R"({"Version": "2012-10-17", "Statement": []})"));
  // `aws iam list-users --query Users`, `list-roles` and `list-policies` elements hold no list of the export's.
  CHECK_FALSE(bare_list_key(R"([{"Path": "/", "UserName": "u", "UserId": "AIDA", "Arn": "a"}])"));
  CHECK_FALSE(bare_list_key(R"({"Roles": [{"Path": "/", "RoleName": "r", "RoleId": "AROA"}]})"));
  CHECK_FALSE(bare_list_key(R"([{"PolicyName": "p", "DefaultVersionId": "v1", "AttachmentCount": 1}])"));
  // A template whose first key an element holds too, with an id nested deeper.
  CHECK_FALSE(bare_list_key(
      R"({"Description": "d", "Resources": {"G": {"Properties": {"GroupId": "x", "GroupPolicyList": []}}}})"));
}

TEST_CASE("a policy, template or plan is never an export, whatever it holds", "[export]") {
  using account::looks_like_authorization_details;
  // A policy with a stray key of the export's, first or last.
  CHECK_FALSE(looks_like_authorization_details(R"({"UserDetailList": [], "Version": "2012-10-17", "Statement": []})"));
  CHECK_FALSE(looks_like_authorization_details(R"({"Version": "2012-10-17", "Statement": [], "UserDetailList": []})"));
  // A template's metadata and a plan's variable holding one of the export's lists.
  CHECK_FALSE(looks_like_authorization_details(
      R"({"AWSTemplateFormatVersion": "2010-09-09", "Metadata": {"UserDetailList": []}, "Resources": {}})"));
  CHECK_FALSE(looks_like_authorization_details(
      R"({"format_version": "1.2", "variables": {"v": {"value": {"UserDetailList": []}}}, "planned_values": {}})"));
  // A YAML template whose comment quotes an export.
  CHECK_FALSE(
      looks_like_authorization_details("# from {\"UserDetailList\": [ ... ]}\nResources:\n  P:\n    Type: x\n"));
  // An export nested in a wrapper is taken for one (the reader says its lists are not read).
  CHECK(looks_like_authorization_details(R"({"AccountId": "1", "Export": {"UserDetailList": []}})"));
  // Elements of the export under a `--query`'s own key.
  CHECK(looks_like_authorization_details(R"({"Users": [{"UserName": "u", "UserId": "AIDA", "GroupList": []}]})"));
}

TEST_CASE("an export key spelt past stray quotes", "[export]") {
  std::size_t colon = 0;
  const std::string_view text = R"({"User"DetailList": [])";
  CHECK(account::key_spelt_past_quotes(text, 1, colon) == "UserDetailList");
  CHECK(text[colon] == ':');
  CHECK(account::key_spelt_past_quotes(R"({"UserDetailList"": [])", 1, colon) == "UserDetailList");
  CHECK_FALSE(account::key_spelt_past_quotes(R"({"User"Detail": [])", 1, colon));
  CHECK_FALSE(account::key_spelt_past_quotes(R"({"UserDetailList" [])", 1, colon));  // no `:`
}

TEST_CASE("a principal's own resources: itself, its groups, its customer managed policies", "[export]") {
  using account::OwnResource;
  account::Export model;
  const auto reference = [](std::string target) { return account::Reference{0, std::move(target), {}, ""}; };
  account::Principal group;
  group.kind = account::PrincipalKind::group;
  group.name = "builders";
  group.arn = "arn:aws:iam::111122223333:group/builders";
  group.attached.push_back(reference("arn:aws:iam::111122223333:policy/build"));
  account::Principal user;
  user.name = "dev";
  user.arn = "arn:aws:iam::111122223333:user/dev";
  user.groups = {reference("builders"), reference("not-in-the-export")};
  user.attached = {reference("arn:aws:iam::aws:policy/ReadOnlyAccess"),
                   reference("arn:aws:iam::111122223333:policy/own"),
                   reference("arn:aws:iam::111122223333:policy/build")};
  model.principals = {group, user};
  const account::OwnResources own(model);
  const account::Principal& dev = model.principals[1];
  CHECK(own.of(dev, OwnResource::user) == std::vector<std::string_view>{dev.arn});
  CHECK(own.of(dev, OwnResource::role).empty());
  CHECK(own.of(dev, OwnResource::bounded_user).empty());  // no boundary to remove
  CHECK(own.of(dev, OwnResource::groups) == std::vector<std::string_view>{group.arn});
  // AWS managed policies take no versions from the account; each policy once.
  CHECK(
      own.of(dev, OwnResource::attached_policies) ==
      std::vector<std::string_view>{"arn:aws:iam::111122223333:policy/own", "arn:aws:iam::111122223333:policy/build"});
  model.principals[1].boundary = reference("arn:aws:iam::111122223333:policy/limit");
  CHECK(own.of(model.principals[1], OwnResource::bounded_user) == std::vector<std::string_view>{dev.arn});
  CHECK(account::own_resource_named("policies") == OwnResource::attached_policies);
  CHECK_FALSE(account::own_resource_named("itself").has_value());
}

namespace {

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("elements parsed ahead on another thread read and report as reading alone does", "[export]") {
  // The bundled exports and every account golden (broken exports among them: stray bytes,
  // unclosed brackets, cut pages), each read with and without the thread.
  std::vector<std::filesystem::path> inputs;
  for (const char* dir : {"/corpus/exports", "/policies"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(GRANTLINT_SOURCE_DIR) + dir)) {
      const std::string name = entry.path().parent_path().filename().string();
      if (entry.path().extension() == ".json" && (name == "exports" || name.starts_with("ACC"))) {
        inputs.push_back(entry.path());
      }
    }
  }
  REQUIRE(inputs.size() > 50);
  for (const auto& path : inputs) {
    INFO(path.string());
    const std::string text = file_text(path);
    CHECK(testing::read_export_as_text(text, 0) == testing::read_export_as_text(text, std::string::npos));
  }
  // Thousands of users, every few of them broken in another way, one larger than what the
  // thread parses, and elements after the page's `]` and in a second page.
  std::string text = R"({"UserDetailList": [)";
  for (int i = 0; i < 3000; ++i) {
    const std::string policy =
        i == 1500 ? std::string(70'000, 'x') : fmt::format("s3:Get{}", i % 3 == 0 ? "\\u004f" : "O");
    std::string user =
        fmt::format(R"({{"UserName": "u{}", "Arn": "arn:aws:iam::111122223333:user/u{}", "GroupList": ["g"], )"
                    R"("UserPolicyList": [{{"PolicyName": "p", "PolicyDocument": {{"Statement": [{{"Effect": "Allow", )"
                    R"("Action": "{}bject", "Resource": "*"}}]}}}}], "AttachedManagedPolicies": []}})",
                    i, i, policy);
    if (i % 97 == 5) user.pop_back();                                                       // never closes
    if (i % 89 == 7) user.insert(10, "\"");                                                 // a stray quote
    if (i % 83 == 9) user = "xx" + user;                                                    // stray bytes before it
    if (i % 79 == 11) user.replace(user.find("[]"), 2, "[tru]");                            // a bad literal
    if (i % 73 == 13) user += ",";                                                          // a trailing comma, or two
    if (i % 71 == 15) user.insert(user.find("\"GroupList\""), R"("UserName": "again", )");  // a duplicate key
    text += (i == 0 ? "" : ", ") + user;
  }
  text += R"(], "IsTruncated": true, "Marker": "m"} {"UserDetailList": [{"UserName": "late", "Arn": )"
          R"("arn:aws:iam::111122223333:user/late"}, {"UserName": "later"}], "Policies": []})";
  const std::string alone = testing::read_export_as_text(text, std::string::npos);
  CHECK(alone.find("ACC001") != std::string::npos);
  CHECK(alone.find("user/u2999") != std::string::npos);
  for (int run = 0; run < 3; ++run) CHECK(testing::read_export_as_text(text, 0) == alone);
}

TEST_CASE("texts are numbered by their content in the order first seen, whatever their hashes", "[export]") {
  std::vector<std::string> texts;
  for (int i = 0; i < 3000; ++i) texts.push_back(fmt::format("text {}", (i * 7919) % 401));
  texts.push_back("");
  texts.push_back("");
  // What the numbers must be: a map from text to the number of texts seen before it.
  std::vector<std::size_t> expected;
  std::unordered_map<std::string, std::size_t> seen;
  for (const std::string& text : texts) expected.push_back(seen.try_emplace(text, seen.size()).first->second);
  const auto text = [&](std::size_t i) { return std::string_view(texts[i]); };
  // A good hash, one that collides for every text, and one that collides for about half.
  const auto every = [](std::string_view) { return std::size_t{42}; };
  const auto half = [](std::string_view t) { return std::hash<std::string_view>{}(t)&1; };
  for (const unsigned threads : {1u, 2u, 3u}) {
    std::size_t distinct = 0;
    CHECK(account::number_by_text(texts.size(), text, threads, distinct) == expected);
    CHECK(distinct == seen.size());
    CHECK(account::number_by_text(texts.size(), text, threads, distinct, every) == expected);
    CHECK(distinct == seen.size());
    CHECK(account::number_by_text(texts.size(), text, threads, distinct, half) == expected);
    CHECK(distinct == seen.size());
  }
}
