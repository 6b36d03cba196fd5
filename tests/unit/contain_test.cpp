#include "diag/contain.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cli/cli.h"
#include "engine/check.h"
#include "report/report.h"
#include "support/helpers.h"

using namespace grantlint;

namespace {

// Injects a fault at one place for the life of the object.
class FaultAt {
 public:
  explicit FaultAt(std::string place) {
    set_fault_for_testing([place = std::move(place)](std::string_view at) { return at == place; });
  }
  ~FaultAt() { set_fault_for_testing({}); }
  FaultAt(const FaultAt&) = delete;
  FaultAt& operator=(const FaultAt&) = delete;
};

constexpr std::string_view kStarOnStar =
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})";

// Two users, each with an inline policy that lets it raise its own permissions.
constexpr std::string_view kExport = R"({"UserDetailList": [
  {"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "UserPolicyList": [{"PolicyName": "p",
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*"}]}}]},
  {"UserName": "b", "Arn": "arn:aws:iam::111122223333:user/b", "UserPolicyList": [{"PolicyName": "p",
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "*"}]}}]}
 ], "IsTruncated": false})";

CheckReport check_files(const std::vector<std::pair<std::string, std::string_view>>& files) {
  Checker checker(CheckOptions{});
  for (const auto& [path, text] : files) checker.check_bytes(path, text);
  return std::move(checker).finish();
}

bool mentions(const CheckReport& report, std::string_view rule, std::string_view text) {
  return std::ranges::any_of(report.diagnostics, [&](const Diagnostic& d) {
    return d.rule->id == rule && d.message.find(text) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("a failure on one file is a tool error, and the other files are reported", "[contain]") {
  const FaultAt fault("a.json");
  const CheckReport report = check_files({{"a.json", kStarOnStar}, {"b.json", kStarOnStar}});
  REQUIRE(report.notifications.size() == 1);
  CHECK(report.notifications[0].path == "a.json");
  CHECK_FALSE(report.notifications[0].unread);
  CHECK(report.notifications[0].message.starts_with("internal error while analysing `a.json`: fault injected"));
  REQUIRE(testing::count_rule(report, "GRT001") == 1);
  CHECK(report.sources.get(report.diagnostics[0].location.source).path() == "b.json");
  const std::string json = report::format_json(report);
  CHECK(json.find("\"files\": 2") != std::string::npos);
  CHECK(json.find("\"unreadableFiles\": 0") != std::string::npos);
}

TEST_CASE("a failure on one document of an export leaves the rest of the scan", "[contain]") {
  const FaultAt fault("/UserDetailList/0/UserPolicyList/0/PolicyDocument");
  const CheckReport report = check_files({{"export.json", kExport}});
  REQUIRE(report.notifications.size() == 1);
  CHECK(report.notifications[0].message.find("the policy at `/UserDetailList/0/UserPolicyList/0/PolicyDocument`") !=
        std::string::npos);
  // b's document and b's permissions are reported; a's document is missing, so a is not found escalating.
  CHECK(mentions(report, "ACC102", "user/b"));
  CHECK_FALSE(mentions(report, "ACC102", "user/a"));
  CHECK(mentions(report, "GRT006", "iam:AttachUserPolicy"));
}

TEST_CASE("a failure on one principal leaves the others and every document", "[contain]") {
  const FaultAt fault("arn:aws:iam::111122223333:user/a");
  const CheckReport report = check_files({{"export.json", kExport}});
  REQUIRE(report.notifications.size() == 1);
  CHECK(report.notifications[0].message.find("the permissions of `arn:aws:iam::111122223333:user/a`") !=
        std::string::npos);
  CHECK(mentions(report, "ACC102", "user/b"));
  CHECK_FALSE(mentions(report, "ACC102", "user/a"));
  CHECK(mentions(report, "GRT006", "iam:CreatePolicyVersion"));
  CHECK(mentions(report, "GRT006", "iam:AttachUserPolicy"));
}

TEST_CASE("the command line reports a contained failure and exits 2 with the other findings", "[contain]") {
  const auto made = std::filesystem::temp_directory_path() / ("grantlint-contain-" + std::to_string(::getpid()));
  std::filesystem::create_directories(made);
  const std::string directory = made.string();
  for (const char* name : {"a.json", "b.json"}) std::ofstream(directory + "/" + name) << kStarOnStar;
  const FaultAt fault(directory + "/a.json");
  cli::Io io;
  const int status = cli::run({"check", directory + "/a.json", directory + "/b.json", "--format", "sarif"}, io);
  CHECK(status == 2);
  CHECK(io.err.find("internal error while analysing") != std::string::npos);
  CHECK(io.out.find("\"executionSuccessful\": false") != std::string::npos);
  CHECK(io.out.find("\"ruleId\": \"GRT001\"") != std::string::npos);
  std::filesystem::remove_all(made);
}

TEST_CASE("a failure on a document names the documents with the same text it takes along", "[contain]") {
  constexpr std::string_view kTwins = R"({"UserDetailList": [
  {"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "UserPolicyList": [{"PolicyName": "p",
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*"}]}}]},
  {"UserName": "b", "Arn": "arn:aws:iam::111122223333:user/b", "UserPolicyList": [{"PolicyName": "p",
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*"}]}}]}
 ], "IsTruncated": false})";
  const FaultAt fault("/UserDetailList/0/UserPolicyList/0/PolicyDocument");
  const CheckReport report = check_files({{"export.json", kTwins}});
  REQUIRE(report.notifications.size() == 1);
  CHECK(report.notifications[0].message.find("and the 1 other documents with the same text") != std::string::npos);
  CHECK(testing::count_rule(report, "GRT006") == 0);
}

TEST_CASE("running out of memory is a tool error that says so, not a bug to report", "[contain]") {
  DiagnosticSink sink;
  contained(sink, 0, [] { return std::string("`big.json`"); }, [] { throw std::bad_alloc(); });
  REQUIRE(sink.failures().size() == 1);
  CHECK(sink.failures()[0].message ==
        "not enough memory to analyse `big.json`; findings about it are missing, the rest of the run is complete");
}
