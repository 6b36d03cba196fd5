#include "source/line_index.h"

#include <algorithm>

#include "base/utf8.h"

namespace grantlint {

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (std::uint32_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      starts_.push_back(i + 1);
    } else if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      starts_.push_back(i + 1);
    }
  }
}

LineColumn LineIndex::locate(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - starts_.begin());  // 1-based
  const std::uint32_t start = starts_[line - 1];
  return {line, 1 + utf16_length(text_.substr(start, offset - start))};
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
    const CodePoint cp = decode_utf8(utf8, i);
    units += cp.valid ? utf16_units(cp.value) : 1;
    i += cp.length;
  }
  return units;
}

}  // namespace grantlint
