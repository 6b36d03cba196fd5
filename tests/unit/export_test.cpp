#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "account/authz_details.h"
#include "account/effective.h"
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

namespace {

// What a principal's effective policies hold, as text: policies by the order they were made.
std::string describe(const account::EffectivePolicies& effective,
                     const std::map<const eval::CompiledPolicy*, int>& numbers) {
  const auto number = [&](const eval::CompiledPolicy* policy) {
    const auto it = numbers.find(policy);
    return it == numbers.end() ? -1 : it->second;
  };
  std::string out;
  for (const eval::CompiledPolicy* policy : effective.set.identity) {
    out += fmt::format(" identity {} aws {}", number(policy), effective.aws_managed.contains(policy));
  }
  for (const eval::CompiledPolicy* policy : effective.set.boundary) out += fmt::format(" boundary {}", number(policy));
  for (const auto& [policy, copy] : effective.copies) {
    out += fmt::format(" copy {} {} {} {}", number(policy), copy.shift, copy.source, copy.pointer);
  }
  for (const auto& [policy, attached] : effective.builtin)
    out += fmt::format(" builtin {} {}", number(policy), attached->target);
  for (const account::Reference* attached : effective.unknown) out += " unknown " + attached->target;
  for (const account::InlinePolicy* policy : effective.unreadable) out += " unreadable " + policy->name;
  if (effective.unknown_boundary != nullptr) {
    out += fmt::format(" unknown boundary {} {}", effective.unknown_boundary->target, effective.boundary_unreadable);
  }
  return out;
}

}  // namespace

TEST_CASE("a principal's effective policies are the same once the index resolves every name", "[export]") {
  // The account goldens, the bundled exports and a model written here: groups named twice or
  // missing, policies the export lacks or cannot read, AWS managed ones taken from grantlint's
  // copy, boundaries held, missing and unreadable.
  const auto reference = [](std::string target) { return account::Reference{0, std::move(target), {}, ""}; };
  const auto document = [](std::uint32_t at) { return account::DocumentRef{0, Span{at, at + 10}, "/d", true}; };
  account::Export written;
  account::Principal group;
  group.kind = account::PrincipalKind::group;
  group.name = "builders";
  group.arn = "arn:aws:iam::111122223333:group/builders";
  group.attached = {reference("arn:aws:iam::111122223333:policy/build"),
                    reference("arn:aws:iam::aws:policy/ReadOnlyAccess")};
  group.inline_policies = {{"g1", document(100)}, {"g2", document(200)}};
  account::Principal user;
  user.name = "dev";
  user.arn = "arn:aws:iam::111122223333:user/dev";
  user.groups = {reference("builders"), reference("not-in-the-export"), reference("builders"), reference("other")};
  user.attached = {
      reference("arn:aws:iam::aws:policy/ReadOnlyAccess"), reference("arn:aws:iam::111122223333:policy/own"),
      reference("arn:aws:iam::111122223333:policy/build"), reference("arn:aws:iam::111122223333:policy/gone")};
  user.inline_policies = {{"u1", document(300)}, {"u2", document(400)}, {"absent", {}}};
  user.boundary = reference("arn:aws:iam::111122223333:policy/limit");
  account::Principal other = group;
  other.name = "other";
  other.inline_policies = {{"o1", document(500)}};
  account::Principal second = user;
  second.boundary = reference("arn:aws:iam::111122223333:policy/unreadable");
  account::Principal third = user;
  third.boundary = reference("arn:aws:iam::aws:policy/ReadOnlyAccess");
  account::Principal fourth = user;
  fourth.boundary = reference("arn:aws:iam::111122223333:policy/nowhere");
  written.principals = {group, user, other, second, third, fourth, group};
  for (const auto& [arn, at] : {std::pair{"arn:aws:iam::111122223333:policy/build", 600u},
                                {"arn:aws:iam::111122223333:policy/own", 700u},
                                {"arn:aws:iam::111122223333:policy/limit", 800u},
                                {"arn:aws:iam::111122223333:policy/unreadable", 900u},
                                {"arn:aws:iam::111122223333:policy/own", 1000u}}) {
    written.policies.push_back(account::ManagedPolicy::declared(arn, document(at)));
  }
  std::vector<account::Export> models;
  // Past 2,048 principals resolve_all() shares them between its two threads: 3,000 users of
  // the written model's groups, with policies of their own.
  account::Export many = written;
  for (std::uint32_t i = 0; i < 3000; ++i) {
    account::Principal& one = many.principals.emplace_back(user);
    one.arn = fmt::format("arn:aws:iam::111122223333:user/u{}", i);
    one.inline_policies = {{"own", document(2000 + 10 * i)}};
    if (i % 3 == 0) one.groups = {reference("other")};
    if (i % 5 == 0) one.boundary.reset();
  }
  models.push_back(std::move(written));
  models.push_back(std::move(many));
  for (const char* dir : {"/corpus/exports", "/policies"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(GRANTLINT_SOURCE_DIR) + dir)) {
      const std::string name = entry.path().parent_path().filename().string();
      if (entry.path().extension() != ".json" || !(name == "exports" || name.starts_with("ACC"))) continue;
      const std::string text = file_text(entry.path());
      const SourceFile file("export.json", text);
      DiagnosticSink sink;
      Emitter emit(sink, 0);
      json::Parser parser;
      account::Export model;
      if (account::read_authorization_details(file, parser, emit, model)) models.push_back(std::move(model));
    }
  }
  REQUIRE(models.size() > 50);
  // Every document compiles to a policy of its own, but about one in five does not read (the
  // written model's `u2` and `policy/unreadable`); grantlint's copy holds one AWS managed policy.
  std::vector<std::unique_ptr<const eval::CompiledPolicy>> made;
  std::map<const eval::CompiledPolicy*, int> numbers;
  std::map<std::pair<SourceId, std::uint32_t>, const eval::CompiledPolicy*> by_place;
  const auto make = [&] {
    made.push_back(eval::CompiledPolicy::compile(policy::Document{}, 0));
    numbers.emplace(made.back().get(), static_cast<int>(numbers.size()));
    return made.back().get();
  };
  const eval::CompiledPolicy* read_only = make();
  std::mutex lookups_mutex;  // resolve_all() looks documents up on two threads
  std::size_t lookups = 0;
  for (account::Export& model : models) {
    by_place.clear();
    const account::DocumentLookup lookup = [&](const account::DocumentRef& ref) {
      const std::lock_guard lock(lookups_mutex);
      ++lookups;
      auto [it, fresh] = by_place.try_emplace({ref.source, ref.span.begin});
      if (fresh) it->second = ref.span.begin / 100 % 5 == 4 ? nullptr : make();
      return account::CompiledDocument{it->second, 7, ref.source, ref.pointer};
    };
    const account::BuiltinPolicyLookup builtin = [&](std::string_view arn) {
      return arn.ends_with("/ReadOnlyAccess") ? read_only : nullptr;
    };
    account::PolicyIndex index(model, lookup, builtin);
    std::vector<std::string> before;
    for (const account::Principal& principal : model.principals)
      before.push_back(describe(index.effective(principal), numbers));
    if (&model == &models.front()) {
      // The user: the group's policies once (named twice), the missing group and policy said,
      // grantlint's copy of ReadOnlyAccess once (attached to both); then each boundary.
      // Numbers: grantlint's copy 0; the managed policies 1-3 (`unreadable` does not read); the
      // group's inline policies 4, 5; the user's 6 (u2 does not read); the other group's 7.
      CHECK(before[1] ==
            " identity 6 aws false identity 0 aws true identity 2 aws false identity 1 aws false identity 4 aws false"
            " identity 5 aws false identity 7 aws false boundary 3 copy 6 7 0 /d copy 2 7 0 /d copy 1 7 0 /d"
            " copy 4 7 0 /d copy 5 7 0 /d copy 7 7 0 /d copy 3 7 0 /d builtin 0 arn:aws:iam::aws:policy/ReadOnlyAccess"
            " unknown arn:aws:iam::111122223333:policy/gone unreadable u2");
      CHECK(before[3].ends_with("unknown boundary arn:aws:iam::111122223333:policy/unreadable true"));
      CHECK(before[4].find("boundary 0 ") != std::string::npos);
      CHECK(before[5].ends_with("unknown boundary arn:aws:iam::111122223333:policy/nowhere false"));
    }
    index.resolve_all(2);
    for (std::size_t i = 0; i < model.principals.size(); ++i) {
      INFO(model.principals[i].arn);
      lookups = 0;
      CHECK(describe(index.effective(model.principals[i]), numbers) == before[i]);
      CHECK(lookups == 0);  // resolved: no document is looked up again
      // One the model does not hold (a user with a group added) is resolved as it goes.
      account::Principal copy = model.principals[i];
      CHECK(describe(index.effective(copy), numbers) == before[i]);
    }
  }
}
