// bytes → an account snapshot directory → `scan` with the Glue pack and the reporters.
// The input is a bundle of files, each introduced by a line `@@ PATH` (PATH one of the
// snapshot's own paths, checked against the layout so nothing is written elsewhere);
// scripts/snapshot_bundle.sh makes seeds from snapshot directories. Properties: no crash;
// findings and related locations lie inside their files; the report is deterministic; JSON
// and SARIF parse.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <string_view>

#include "account/scan.h"
#include "fuzz/properties.h"
#include "report/report.h"

namespace {

namespace fs = std::filesystem;
using grantlint::fuzz::require;
using grantlint::fuzz::require_parses;

// The snapshot layout of glue-rules.md §6 and nothing else: no `..`, no absolute paths.
bool allowed(const std::string& path) {
  static const std::regex kLayout(
      R"(manifest\.json|(sts|iam|glue|kms|ec2)/[a-z-]+\.(json|err)|kms/keys/[0-9a-f-]{1,64}/[a-z-]+\.(json|err)|)"
      R"(ec2/vpc-attributes/vpc-[0-9a-f]{1,32}/[A-Za-z]+\.(json|err))");
  return path.size() < 200 && std::regex_match(path, kLayout);
}

// Writes the bundle into a fresh directory; false when it holds no allowed file.
bool unpack(std::string_view input, const fs::path& directory) {
  fs::remove_all(directory);
  fs::create_directories(directory);
  bool any = false;
  std::size_t at = input.starts_with("@@ ") ? 0 : input.find("\n@@ ");
  while (at != std::string_view::npos) {
    const std::size_t start = input[at] == '\n' ? at + 1 : at;
    const std::size_t line_end = input.find('\n', start);
    if (line_end == std::string_view::npos) break;
    const std::string path(input.substr(start + 3, line_end - start - 3));
    const std::size_t next = input.find("\n@@ ", line_end);
    const std::string_view content =
        input.substr(line_end + 1, (next == std::string_view::npos ? input.size() : next) - line_end - 1);
    if (allowed(path)) {
      const fs::path file = directory / path;
      fs::create_directories(file.parent_path());
      std::ofstream(file, std::ios::binary).write(content.data(), static_cast<std::streamsize>(content.size()));
      any = true;
    }
    at = next;
  }
  return any;
}

grantlint::CheckReport run(const fs::path& directory) {
  grantlint::account::Scanner scanner(grantlint::account::ScanOptions{nullptr, 1});
  scanner.scan_snapshot(directory.string());
  return std::move(scanner).finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 19) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // Inside the process's scratch directory, which goes at exit (a run stopped mid-input left it).
  static const fs::path directory = grantlint::fuzz::make_scratch_directory("snapshot") / "snapshot";
  if (!unpack(input, directory)) return 0;
  const grantlint::CheckReport first = run(directory);
  grantlint::fuzz::require_locations_inside(first);
  const std::string json = grantlint::report::format_json(first);
  grantlint::report::SarifOptions options;
  options.base_dir = "/";
  require_parses(json);
  require_parses(grantlint::report::format_sarif(first, options));
  require(grantlint::report::format_json(run(directory)) == json);
  fs::remove_all(directory);
  return 0;
}
