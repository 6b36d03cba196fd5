#include "report/array_values.h"

#include <algorithm>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace grantlint::report {

namespace {

// Values each thread renders at a time: a few hundred kilobytes of findings (well under the
// reporters' chunk), few enough rounds that starting threads costs nothing measurable.
constexpr std::size_t kValuesPerPiece = 256;

}  // namespace

void write_array_values(JsonWriter& w, std::string& out, const Output& output, std::size_t count, unsigned threads,
                        const std::function<void(JsonWriter&, std::size_t)>& write_one) {
  const unsigned cores = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  const auto workers =
      static_cast<unsigned>(std::clamp<std::size_t>((count + kValuesPerPiece - 1) / kValuesPerPiece, 1, cores));
  if (workers == 1) {
    for (std::size_t i = 0; i < count; ++i) {
      write_one(w, i);
      flush_chunk(out, output);
    }
    return;
  }
  output(out);
  out.clear();
  // Each round, piece k of the round on thread k; then the pieces in order. A piece's string is
  // written at each append: on a cache line of its own, or the threads take turns at it.
  struct alignas(64) Piece {
    std::string text;
  };
  std::vector<Piece> pieces(workers);
  std::vector<std::exception_ptr> failures(workers);
  const std::size_t round_size = kValuesPerPiece * workers;
  for (std::size_t round = 0; round < count; round += round_size) {
    const auto render = [&](unsigned k) {
      try {
        const std::size_t begin = std::min(count, round + k * kValuesPerPiece);
        const std::size_t end = std::min(count, begin + kValuesPerPiece);
        pieces[k].text.clear();
        // On the thread's own stack, as the piece: what one thread writes at every value shares
        // no cache line with another's.
        JsonWriter fork = w.fork(pieces[k].text, begin > 0);
        for (std::size_t i = begin; i < end; ++i) write_one(fork, i);
      } catch (...) {
        failures[k] = std::current_exception();
      }
    };
    {
      std::vector<std::jthread> running;
      for (unsigned k = 1; k < workers; ++k) {
        try {
          running.emplace_back(render, k);
        } catch (const std::system_error&) {
          render(k);  // a thread that cannot start (a limit on processes): its piece is rendered here
        }
      }
      render(0);
    }
    for (const std::exception_ptr& failure : failures) {
      if (failure) std::rethrow_exception(failure);
    }
    for (unsigned k = 0; k < workers; ++k) {
      if (round + k * kValuesPerPiece >= count) break;
      output(pieces[k].text);
    }
  }
  w.join(w.fork(out, true));  // where the last piece stopped: after a value of the array
}

}  // namespace grantlint::report
