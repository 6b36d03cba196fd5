#include "account/authz_details.h"

#include <catch2/catch.hpp>
#include <string>

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
