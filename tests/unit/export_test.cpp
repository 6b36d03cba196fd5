#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "account/authz_details.h"
#include "account/own_resources.h"

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
  CHECK(own.of(dev, OwnResource::user) == std::vector<std::string>{dev.arn});
  CHECK(own.of(dev, OwnResource::role).empty());
  CHECK(own.of(dev, OwnResource::bounded_user).empty());  // no boundary to remove
  CHECK(own.of(dev, OwnResource::groups) == std::vector<std::string>{group.arn});
  // AWS managed policies take no versions from the account; each policy once.
  CHECK(own.of(dev, OwnResource::attached_policies) ==
        std::vector<std::string>{"arn:aws:iam::111122223333:policy/own", "arn:aws:iam::111122223333:policy/build"});
  model.principals[1].boundary = reference("arn:aws:iam::111122223333:policy/limit");
  CHECK(own.of(model.principals[1], OwnResource::bounded_user) == std::vector<std::string>{dev.arn});
  CHECK(account::own_resource_named("policies") == OwnResource::attached_policies);
  CHECK_FALSE(account::own_resource_named("itself").has_value());
}
