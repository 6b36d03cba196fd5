// Splits a loop over `count` items into contiguous parts, one per thread (`threads`, 0: one
// per core; fewer for a small loop), the calling thread taking the first. What a part throws
// is thrown here once every part has ended; a thread that cannot start (a limit on processes)
// has its part run on the calling thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace grantlint {

// `part(begin, end)` for each part; `smallest`: fewer items than this a part are not split off.
template <class Part>
void run_in_parts(std::size_t count, unsigned threads, std::size_t smallest, const Part& part) {
  const unsigned cores = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  const auto parts =
      static_cast<unsigned>(std::clamp<std::size_t>(count / std::max<std::size_t>(smallest, 1), 1, cores));
  if (parts == 1) {
    part(std::size_t{0}, count);
    return;
  }
  std::vector<std::exception_ptr> failures(parts);
  const auto run = [&](unsigned k) {
    try {
      part(count * k / parts, count * (k + 1) / parts);
    } catch (...) {
      failures[k] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> running;
    for (unsigned k = 1; k < parts; ++k) {
      try {
        running.emplace_back(run, k);
      } catch (const std::system_error&) {
        run(k);
      }
    }
    run(0);
  }
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

}  // namespace grantlint
