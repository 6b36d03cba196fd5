#include "base/progress.h"

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli.h"

using namespace grantlint;

TEST_CASE("progress: counted from many threads, shown at most once per interval, ended complete", "[progress]") {
  std::vector<std::pair<std::size_t, std::size_t>> shown;
  Progress quiet;
  quiet.begin("documents", 10);
  for (int i = 0; i < 10; ++i) quiet.advance();
  quiet.end();  // nothing to show to: nothing happens

  Progress every_time(
      [&](std::string_view phase, std::size_t done, std::size_t total) {
        CHECK(phase == "principals");
        shown.emplace_back(done, total);
      },
      std::chrono::milliseconds(0));
  every_time.begin("principals", 4 * 1600);
  {
    std::vector<std::jthread> workers;
    for (int w = 0; w < 4; ++w) {
      workers.emplace_back([&] {
        for (int i = 0; i < 1600; ++i) every_time.advance();
      });
    }
  }
  every_time.end();
  REQUIRE(!shown.empty());
  CHECK(shown.back() == std::pair<std::size_t, std::size_t>{6400, 6400});
  for (const auto& [done, total] : shown) CHECK(done <= total);

  std::size_t calls = 0;
  Progress slow([&](std::string_view, std::size_t, std::size_t) { ++calls; }, std::chrono::hours(1));
  slow.begin("documents", 1000);
  for (int i = 0; i < 1000; ++i) slow.advance();
  CHECK(calls == 0);  // within the interval
  slow.end();
  CHECK(calls == 1);
}

TEST_CASE("progress: scan shows it when asked, not on a pipe by default", "[progress]") {
  const std::string export_file = std::string(GRANTLINT_SOURCE_DIR) + "/corpus/exports/good_complete_export.json";
  cli::Io asked;
  CHECK(cli::run({"scan", export_file, "--progress", "always"}, asked) == 0);
  CHECK(asked.err.find("grantlint: analysing documents") != std::string::npos);
  CHECK(asked.err.find("grantlint: analysing principals") != std::string::npos);
  CHECK(asked.err.find("(100%)\n") != std::string::npos);
  cli::Io piped;  // stderr not a terminal
  CHECK(cli::run({"scan", export_file}, piped) == 0);
  CHECK(piped.err.empty());
  cli::Io terminal;
  terminal.stderr_is_terminal = true;  // a small input: no progress either
  CHECK(cli::run({"scan", export_file}, terminal) == 0);
  CHECK(terminal.err.empty());
}

TEST_CASE("progress: scan --timings says how long each stage took", "[progress]") {
  const std::string export_file = std::string(GRANTLINT_SOURCE_DIR) + "/corpus/exports/good_complete_export.json";
  cli::Io io;
  CHECK(cli::run({"scan", export_file, "--timings"}, io) == 0);
  // Figures vary from run to run: only the stages, in order, are checked.
  const auto at = [&](std::string_view text) { return io.err.find(text); };
  REQUIRE(at("grantlint: timings: reading ") != std::string::npos);
  CHECK(at("; documents ") > at("reading "));
  CHECK(at("; principals ") > at("; documents "));
  CHECK(at("; report ") > at("; principals "));
  CHECK(at("; total ") != std::string::npos);
  CHECK(io.err.ends_with(" MB\n"));
  cli::Io quiet;
  CHECK(cli::run({"scan", export_file}, quiet) == 0);
  CHECK(quiet.err.empty());
}
