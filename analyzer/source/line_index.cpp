#include "source/line_index.h"

#include <algorithm>
#include <bit>
#include <iterator>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/utf8.h"

namespace grantlint {

LineIndex::LineIndex(std::string_view text, const std::function<void(std::size_t)>& read_up_to) : text_(text) {
  constexpr std::size_t kReportEvery = 16u << 20;
  while (!complete()) {
    extend(indexed_ + kReportEvery);
    if (read_up_to) read_up_to(indexed_);
  }
}

namespace {

#if defined(__SSE2__)
// 64 bytes of text as three masks, a bit per byte: line feeds, carriage returns, bytes past
// ASCII. An export is mostly short ASCII lines: their breaks are found a block at a time
// instead of a line at a time.
constexpr std::size_t kBlock = 64;

struct BlockMasks {
  std::uint64_t lf = 0, cr = 0, high = 0;
};

BlockMasks scan_block(const char* at) {
  BlockMasks out;
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  for (int k = 0; k < 4; ++k) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + 16 * k));
    const auto shift = static_cast<unsigned>(16 * k);
    out.lf |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, lf))))
              << shift;
    out.cr |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, cr))))
              << shift;
    out.high |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(bytes))) << shift;
  }
  return out;
}
#endif

}  // namespace

void LineIndex::checkpoints_before(std::size_t stop) {
  for (; next_checkpoint_ < stop; next_checkpoint_ += kCheckpointBytes) {
    checkpoints_.push_back({next_checkpoint_, anchor_column_ + (next_checkpoint_ - anchor_)});
  }
}

void LineIndex::extend(std::size_t end) {
  end = std::min(end, text_.size());
  std::size_t i = indexed_;
  while (i < end) {
#if defined(__SSE2__)
    if (i + kBlock <= end) {
      const BlockMasks block = scan_block(text_.data() + i);
      if ((block.cr | block.high) == 0) {
        for (std::uint64_t breaks = block.lf; breaks != 0; breaks &= breaks - 1) {
          const std::size_t feed = i + static_cast<std::size_t>(std::countr_zero(breaks));
          checkpoints_before(feed);
          start_line(static_cast<std::uint32_t>(feed + 1));
        }
        i += kBlock;
        checkpoints_before(i);
        continue;
      }
    }
#endif
    // Up to the next line break or byte past ASCII, columns are byte distances: checkpoints
    // in that stretch cost no decoding.
    const std::size_t stop = i + ascii_line_run(text_.substr(i, end - i));
    checkpoints_before(stop);
    i = stop;
    if (i == end) break;
    const char c = text_[i];
    if (c == '\n' || c == '\r') {
      // A CR LF split by `end` is finished here: the index never stands between them.
      i += (c == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n') ? 2u : 1u;
      start_line(static_cast<std::uint32_t>(i));
    } else {
      ascii_.back() = false;
      const CodePoint cp = decode_utf8(text_, i);
      anchor_column_ += static_cast<std::uint32_t>(i - anchor_) + (cp.valid ? utf16_units(cp.value) : 1);
      i += cp.length;
      anchor_ = static_cast<std::uint32_t>(i);
    }
    // A checkpoint that fell inside the character or line break just read moves to its end.
    if (next_checkpoint_ < i) next_checkpoint_ = static_cast<std::uint32_t>(i);
  }
  indexed_ = std::max(indexed_, i);
}

void LineIndex::start_line(std::uint32_t start) {
  starts_.push_back(start);
  ascii_.push_back(true);
  anchor_ = start;
  anchor_column_ = 0;
  // A checkpoint that fell on the line break moves past it.
  if (next_checkpoint_ < start) next_checkpoint_ = start;
}

LineColumn LineIndex::locate(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - starts_.begin());  // 1-based
  std::uint32_t from = starts_[line - 1];
  if (ascii_[line - 1]) return {line, 1 + offset - from};
  std::uint32_t column = 0;
  const auto checkpoint = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), offset,
                                           [](std::uint32_t o, const Checkpoint& c) { return o < c.offset; });
  if (checkpoint != checkpoints_.begin() && std::prev(checkpoint)->offset >= from) {
    from = std::prev(checkpoint)->offset;
    column = std::prev(checkpoint)->column;
  }
  return {line, 1 + column + utf16_length(text_.substr(from, offset - from))};
}

std::uint32_t LineIndex::line_start(std::uint32_t line) const {
  if (line == 0) return 0;
  if (line > starts_.size()) return static_cast<std::uint32_t>(text_.size());
  return starts_[line - 1];
}

std::string_view LineIndex::line_text(std::uint32_t line) const {
  const std::uint32_t begin = line_start(line);
  std::uint32_t end = line < starts_.size() ? starts_[line] : static_cast<std::uint32_t>(text_.size());
  while (end > begin && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
  return text_.substr(begin, end - begin);
}

std::uint32_t utf16_length(std::string_view utf8) {
  std::uint32_t units = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t run = ascii_text_run(utf8.substr(i));  // nearly all of a policy: a unit each
    units += static_cast<std::uint32_t>(run);
    i += run;
    if (i == utf8.size()) break;
    if (static_cast<unsigned char>(utf8[i]) < 0x80) {  // a control character
      ++units;
      ++i;
      continue;
    }
    const CodePoint cp = decode_utf8(utf8, i);
    units += cp.valid ? utf16_units(cp.value) : 1;
    i += cp.length;
  }
  return units;
}

}  // namespace grantlint
