// grantlint's executable: argument vector in, report out, exit code back.
#include <execinfo.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "cli/cli.h"

namespace {

// The first error met writing standard output (an errno), kept from the moment it happened:
// later calls may change errno before the run ends and says why.
int stdout_error = 0;

void write_stdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() && stdout_error == 0) stdout_error = errno;
}

// The stack each thread of a run gets, whatever `ulimit -s` says. Reading and lowering a
// document recurse once per level of nesting (256 at most, README Limits): under a 96 KB limit
// a 250-deep policy was a segmentation fault (hostile h48 L12). A thread's stack is a mapping
// of its own, which RLIMIT_STACK does not bound; 8 MiB is Linux's usual main-thread stack.
constexpr std::size_t kThreadStackBytes = std::size_t{8} << 20;

// Makes every thread created from now on (the run's own and `scan`'s workers, which
// std::jthread starts with the default attributes) get kThreadStackBytes.
void give_threads_a_full_stack() {
  pthread_attr_t attributes;
  if (pthread_attr_init(&attributes) != 0) return;
  if (pthread_attr_setstacksize(&attributes, kThreadStackBytes) == 0) pthread_setattr_default_np(&attributes);
  pthread_attr_destroy(&attributes);
}

int run(int argc, char** argv) {
  // glibc loads its unwinder (libgcc_s, with dlopen) the first time a thread is unwound, and
  // aborts when that load fails: under an address-space limit (`ulimit -v`), a thread that
  // fails to start or to allocate would end the process instead of being reported. Loaded
  // now, while memory is there; backtrace() is what loads it and keeps it loaded.
  void* frame = nullptr;
  backtrace(&frame, 1);
  // A pipe whose reader has gone (`grantlint scan big.json | head`) is a write error said as
  // for a full disk (exit 2), not a silent death by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  // So is a file-size limit (`ulimit -f`, systemd's LimitFSIZE=): write() fails with EFBIG
  // instead of the process dying by SIGXFSZ with the report cut short (hostile h48 H6).
  std::signal(SIGXFSZ, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  grantlint::cli::Io io;
  io.stdout_is_terminal = isatty(STDOUT_FILENO) == 1;
  io.stderr_is_terminal = isatty(STDERR_FILENO) == 1;
  io.live_err = [](std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
  };
  io.live_out = write_stdout;
  int status = 2;
  try {
    status = grantlint::cli::run(args, io);
  } catch (const std::bad_alloc&) {
    // Not a bug: an input needed more memory than the process may have (`ulimit -v`).
    io.err += "grantlint: error: not enough memory; the run stopped and its report is not written\n";
    status = 2;
  } catch (const std::exception& e) {
    io.err += std::string("grantlint: internal error: ") + e.what() + "\n";
    status = 2;
  }
  write_stdout(io.out);
  if (std::fflush(stdout) != 0 && stdout_error == 0) stdout_error = errno;
  // A report lost to a full disk or a closed or broken redirect must not pass for one written
  // (`check --format sarif > report.sarif` in CI): it is an I/O error, as for `-o FILE`.
  if (stdout_error == 0 && std::ferror(stdout) != 0) stdout_error = EIO;
  if (stdout_error != 0) {
    io.err += std::string("grantlint: error: cannot write standard output: ") + std::strerror(stdout_error) + "\n";
    status = 2;
  }
  std::fwrite(io.err.data(), 1, io.err.size(), stderr);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  give_threads_a_full_stack();
  int status = 2;
  try {
    std::thread runner([&] { status = run(argc, argv); });
    runner.join();
  } catch (const std::system_error&) {
    // No thread to be had (`ulimit -u`, `-v`): the run goes on on the process's own stack.
    status = run(argc, argv);
  }
  return status;
}
