// grantlint's executable: argument vector in, report out, exit code back.
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  grantlint::cli::Io io;
  io.stdout_is_terminal = isatty(STDOUT_FILENO) == 1;
  io.stderr_is_terminal = isatty(STDERR_FILENO) == 1;
  io.live_err = [](std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
  };
  io.live_out = [](std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); };
  int status = 2;
  try {
    status = grantlint::cli::run(args, io);
  } catch (const std::exception& e) {
    io.err += std::string("grantlint: internal error: ") + e.what() + "\n";
    status = 2;
  }
  std::fwrite(io.out.data(), 1, io.out.size(), stdout);
  std::fflush(stdout);
  std::fwrite(io.err.data(), 1, io.err.size(), stderr);
  return status;
}
