#include "source/mapped_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "account/scan.h"
#include "report/report.h"
#include "source/source_file.h"

using namespace grantlint;

namespace {

std::string temp_path(std::string_view name) {
  return (std::filesystem::temp_directory_path() / (std::string(name) + "-" + std::to_string(::getpid()))).string();
}

void write_file(const std::string& path, std::string_view bytes) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  REQUIRE(file != nullptr);
  REQUIRE(std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size());
  std::fclose(file);
}

// Bytes that differ from one offset to the next, so a page read from the wrong place shows.
std::string numbered(std::size_t size) {
  std::string bytes;
  for (std::size_t i = 0; bytes.size() < size; ++i) bytes += std::to_string(i) + '\n';
  bytes.resize(size);
  return bytes;
}

bool padding_is_zero(std::string_view text) {
  for (std::size_t i = 0; i < simdjson::SIMDJSON_PADDING; ++i) {
    if (text.data()[text.size() + i] != '\0') return false;
  }
  return true;
}

}  // namespace

TEST_CASE("large files are mapped, padded with zeros, and read the same after a release", "[mapped]") {
  // One size ends inside a page, the other on a page boundary (the padding is then a page of its own).
  for (const std::size_t size : {kMapFromBytes + 1234, kMapFromBytes + 4096 * 3}) {
    const std::string path = temp_path("grantlint-mapped");
    const std::string bytes = numbered(size);
    write_file(path, bytes);
    auto read = read_file_padded(path);
    REQUIRE(read);
    CHECK(read->mapped());
    CHECK(read->text() == bytes);
    CHECK(padding_is_zero(read->text()));
    read->release(0, size);
    CHECK(read->text() == bytes);
    read->release(100, 9000);  // a stretch that starts and ends inside pages
    CHECK(read->text() == bytes);
    CHECK_FALSE(read->changed_on_disk());
    std::filesystem::remove(path);
  }
}

TEST_CASE("small files are read into memory", "[mapped]") {
  const std::string path = temp_path("grantlint-small");
  write_file(path, "{}");
  auto read = read_file_padded(path);
  REQUIRE(read);
  CHECK_FALSE(read->mapped());
  CHECK(read->text() == "{}");
  CHECK_FALSE(read->changed_on_disk());
  std::filesystem::remove(path);
}

TEST_CASE("a mapped file truncated under the reader reads zeros and says it changed", "[mapped]") {
  const std::string path = temp_path("grantlint-truncated");
  const std::size_t size = kMapFromBytes * 2;
  write_file(path, numbered(size));
  auto read = read_file_padded(path);
  REQUIRE(read);
  REQUIRE(read->mapped());
  REQUIRE(truncate(path.c_str(), 4096) == 0);
  // Past the new end the pages are gone: without the SIGBUS handler, this read ends the process.
  const std::string_view text = read->text();
  CHECK(text[size - 1] == '\0');
  CHECK(text[size / 2] == '\0');
  CHECK(text[0] == '0');
  CHECK(read->changed_on_disk());
  std::filesystem::remove(path);
}

TEST_CASE("a mapped file rewritten in place says it changed", "[mapped]") {
  const std::string path = temp_path("grantlint-rewritten");
  const std::string bytes = numbered(kMapFromBytes + 10);
  write_file(path, bytes);
  auto read = read_file_padded(path);
  REQUIRE(read);
  REQUIRE(read->mapped());
  // Same size, and the modification time set back afterwards (as `touch -r` or `cp -p` do): the
  // change time still moves.
  struct stat before {};
  REQUIRE(stat(path.c_str(), &before) == 0);
  // File times tick coarsely (a few milliseconds): the rewrite comes a tick later.
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  const int fd = open(path.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  REQUIRE(pwrite(fd, "X", 1, 0) == 1);
  const timespec times[2] = {{0, UTIME_OMIT}, before.st_mtim};
  REQUIRE(futimens(fd, times) == 0);
  close(fd);
  CHECK(read->changed_on_disk());
  std::filesystem::remove(path);
}

std::size_t open_descriptors() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

TEST_CASE("mapped files hold no descriptor, and a replaced or deleted one says it changed", "[mapped]") {
  const std::string path = temp_path("grantlint-descriptors");
  write_file(path, numbered(kMapFromBytes + 1));
  const std::size_t before = open_descriptors();
  std::vector<FileBytes> held;
  for (int i = 0; i < 40; ++i) {
    auto read = read_file_padded(path);
    REQUIRE(read);
    REQUIRE(read->mapped());
    held.push_back(std::move(*read));
  }
  // A scan of thousands of files under `ulimit -n 256` must not run out of descriptors.
  CHECK(open_descriptors() < before + 5);
  CHECK_FALSE(held.front().changed_on_disk());
  const std::string replacement = path + ".new";
  write_file(replacement, numbered(kMapFromBytes + 1));
  std::filesystem::rename(replacement, path);  // as an editor saves: another file under the name
  CHECK(held.front().changed_on_disk());
  CHECK(held.front().text()[0] == '0');  // the mapping still reads what was mapped
  std::filesystem::remove(path);
  CHECK(held.back().changed_on_disk());
}

// An export of users each with an inline policy, `size` bytes or a little more.
std::string export_of_users(std::size_t size) {
  std::string text = R"({"UserDetailList": [)";
  for (int i = 0; text.size() < size; ++i) {
    if (i > 0) text += ",";
    text += fmt::format(R"({{"UserName": "u{0}", "Arn": "arn:aws:iam::111122223333:user/u{0}", "GroupList": [], )"
                        R"("AttachedManagedPolicies": [], "UserPolicyList": [{{"PolicyName": "p", "PolicyDocument": )"
                        R"({{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:*", )"
                        R"("Resource": "*"}}]}}}}]}})",
                        i);
  }
  return text + R"(], "GroupDetailList": [], "RoleDetailList": [], "Policies": [], "IsTruncated": false})";
}

TEST_CASE("an export truncated while the report is written: the report's last part says so", "[mapped]") {
  const std::string text = export_of_users(kMapFromBytes * 2);
  const std::string path = temp_path("grantlint-export-truncated-late");
  write_file(path, text);
  account::Scanner scanner(account::ScanOptions{});
  scanner.scan_file(path, path);
  const CheckReport report = std::move(scanner).finish();
  REQUIRE(report.notifications.empty());
  REQUIRE_FALSE(report.diagnostics.empty());
  REQUIRE(truncate(path.c_str(), static_cast<off_t>(text.size() / 2)) == 0);
  // SARIF says whether the run succeeded after its results, JSON lists notifications after its findings.
  const std::string sarif = report::format_sarif(report, report::SarifOptions{});
  CHECK(sarif.find(R"("executionSuccessful": false)") != std::string::npos);
  CHECK(sarif.find("changed on disk while grantlint read it") > sarif.find(R"("results")"));
  const std::string json = report::format_json(report);
  CHECK(json.find("changed on disk while grantlint read it") > json.find(R"("findings")"));
  std::filesystem::remove(path);
}

TEST_CASE("an export truncated between reading and analysis is a tool error, not a crash", "[mapped]") {
  std::string text = R"({"UserDetailList": [)";
  for (int i = 0; text.size() < kMapFromBytes * 2; ++i) {
    if (i > 0) text += ",";
    text += fmt::format(R"({{"UserName": "u{0}", "Arn": "arn:aws:iam::111122223333:user/u{0}", "GroupList": [], )"
                        R"("AttachedManagedPolicies": [], "UserPolicyList": [{{"PolicyName": "p", "PolicyDocument": )"
                        R"({{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", )"
                        R"("Resource": "arn:aws:s3:::bucket-{0}/*"}}]}}}}]}})",
                        i);
  }
  text += R"(], "GroupDetailList": [], "RoleDetailList": [], "Policies": [], "IsTruncated": false})";
  const std::string path = temp_path("grantlint-export-truncated");
  write_file(path, text);
  account::Scanner scanner(account::ScanOptions{});
  scanner.scan_file(path, path);
  REQUIRE(truncate(path.c_str(), static_cast<off_t>(text.size() / 2)) == 0);
  const CheckReport report = std::move(scanner).finish();
  REQUIRE_FALSE(report.notifications.empty());
  CHECK(report.notifications.back().message.find("changed on disk while grantlint read it") != std::string::npos);
  std::filesystem::remove(path);
}
