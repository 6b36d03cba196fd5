#include "report/array_values.h"

#include <algorithm>
#include <thread>
#include <vector>

#include "base/parallel.h"

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
  const std::size_t round_size = kValuesPerPiece * workers;
  for (std::size_t round = 0; round < count; round += round_size) {
    const std::size_t pieces_in_round =
        std::min<std::size_t>(workers, (count - round + kValuesPerPiece - 1) / kValuesPerPiece);
    run_in_parts(pieces_in_round, workers, 1, [&](std::size_t first_piece, std::size_t end_piece) {
      for (std::size_t k = first_piece; k < end_piece; ++k) {
        const std::size_t begin = round + k * kValuesPerPiece;
        const std::size_t end = std::min(count, begin + kValuesPerPiece);
        pieces[k].text.clear();
        // On the thread's own stack, as the piece: what one thread writes at every value shares
        // no cache line with another's.
        JsonWriter fork = w.fork(pieces[k].text, begin > 0);
        for (std::size_t i = begin; i < end; ++i) write_one(fork, i);
      }
    });
    for (std::size_t k = 0; k < pieces_in_round; ++k) output(pieces[k].text);
  }
  w.after_values_elsewhere();
}

}  // namespace grantlint::report
