// Runs one golden case: `grantlint check` (or `scan`, see below) on policies/<dir>/<case>.json
// (plus the arguments in <case>.args) from the repository root, compared byte for byte with
// <case>.expected.txt and, when present, <case>.expected.sarif. UPDATE_GOLDEN=1 rewrites
// the expectations. A bad_ case must report its directory's rule; a good_ case must not.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "rules/registry.h"

namespace fs = std::filesystem;

namespace {

bool read(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = std::move(buffer).str();
  return true;
}

std::vector<std::string> case_args(const fs::path& args_file) {
  std::vector<std::string> args;
  std::string text;
  if (!read(args_file, text)) return args;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) args.push_back(line);
  }
  return args;
}

// Compares (or rewrites) one expectation; returns false on a mismatch.
bool expect(const fs::path& expected_file, const std::string& actual, bool update) {
  if (update) {
    std::ofstream(expected_file, std::ios::binary) << actual;
    return true;
  }
  std::string expected;
  if (!read(expected_file, expected)) {
    std::cerr << "missing " << expected_file.string() << " (run with UPDATE_GOLDEN=1 to create it)\n";
    return false;
  }
  if (expected == actual) return true;
  std::cerr << "output differs from " << expected_file.string() << "\n--- expected\n"
            << expected << "\n--- actual\n"
            << actual << "\n";
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: golden_runner REPO_ROOT policies/DIR/CASE.json\n";
    return 2;
  }
  fs::current_path(argv[1]);
  const fs::path input = argv[2];
  const fs::path stem = input.parent_path() / input.stem();
  const bool update = std::getenv("UPDATE_GOLDEN") != nullptr && std::string(std::getenv("UPDATE_GOLDEN")) == "1";
  // An .args file whose first line is `scan` runs `grantlint scan` (account exports).
  std::vector<std::string> extra = case_args(stem.string() + ".args");
  std::string command = "check";
  if (!extra.empty() && extra.front() == "scan") {
    command = "scan";
    extra.erase(extra.begin());
  }
  std::vector<std::string> args = {command, "--color", "never"};
  for (std::string& arg : extra) args.push_back(std::move(arg));
  args.push_back(input.generic_string());

  grantlint::cli::Io io;
  grantlint::cli::run(args, io);
  bool ok = expect(stem.string() + ".expected.txt", io.out + io.err, update);

  const fs::path sarif_file = stem.string() + ".expected.sarif";
  if (fs::exists(sarif_file)) {
    std::vector<std::string> sarif_args = args;
    sarif_args.insert(sarif_args.end() - 1, {"--format", "sarif", "--base-dir", fs::current_path().string()});
    grantlint::cli::Io sarif_io;
    grantlint::cli::run(sarif_args, sarif_io);
    ok = expect(sarif_file, sarif_io.out, update) && ok;
  }

  const std::string dir = input.parent_path().filename().string();
  const std::string name = input.filename().string();
  if (grantlint::rules::find_rule(dir) != nullptr) {
    // `[RULE]`, or `[RULE severity]` for a rule pack's findings.
    const bool fired =
        io.out.find("[" + dir + "]") != std::string::npos || io.out.find("[" + dir + " ") != std::string::npos;
    if (name.starts_with("bad_") && !fired) {
      std::cerr << name << " must report " << dir << " but does not\n";
      ok = false;
    }
    if (name.starts_with("good_") && fired) {
      std::cerr << name << " must not report " << dir << " but does\n";
      ok = false;
    }
  }
  return ok ? 0 : 1;
}
