// Maps byte offsets to 1-based lines and columns. Lines end at LF, CR LF or a lone CR
// (SARIF's definition). Columns are counted in UTF-16 code units, as SARIF's
// `columnKind: utf16CodeUnits` says; an invalid UTF-8 byte counts as one unit.
// Checkpoints every kilobyte keep locate() cheap on very long lines (a key policy held in
// one JSON string, minified files): it never counts more than a kilobyte of text. On a line
// of ASCII alone (nearly every line of a policy or an export) a column is the byte distance
// from the line's start, so locate() reads no text at all: reporting on a large mapped
// export does not bring its pages back.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace grantlint {

struct LineColumn {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, UTF-16 code units
};

class LineIndex {
 public:
  // Indexes all of `text`. `read_up_to`, when given, is told every few megabytes how far the
  // text has been read (a mapped file gives those pages back as the index is built).
  explicit LineIndex(std::string_view text, const std::function<void(std::size_t)>& read_up_to = {});
  // Indexes nothing yet: extend() indexes the text in order (the constructor above does it a
  // few megabytes at a time). The queries below need the whole text indexed.
  struct Deferred {};
  LineIndex(std::string_view text, Deferred) : text_(text) {}

  // Indexes the text up to `end` (at least; never backwards).
  void extend(std::size_t end);
  [[nodiscard]] std::size_t indexed() const { return indexed_; }
  [[nodiscard]] bool complete() const { return indexed_ >= text_.size(); }

  [[nodiscard]] LineColumn locate(std::uint32_t offset) const;
  // Byte offset of the start of a 1-based line.
  [[nodiscard]] std::uint32_t line_start(std::uint32_t line) const;
  // The line's text without its terminator.
  [[nodiscard]] std::string_view line_text(std::uint32_t line) const;
  [[nodiscard]] std::uint32_t line_count() const {
    return static_cast<std::uint32_t>(starts_.size());
  }

 private:
  struct Checkpoint {
    std::uint32_t offset;  // a character start
    std::uint32_t column;  // UTF-16 units from the start of its line to `offset`
  };
  static constexpr std::uint32_t kCheckpointBytes = 1024;

  // Checkpoints on the current line's ASCII stretch up to (not at) `stop`.
  void checkpoints_before(std::size_t stop);
  // A line starts at `start`, after a line break.
  void start_line(std::uint32_t start);

  std::string_view text_;
  std::vector<std::uint32_t> starts_{0};
  std::vector<bool> ascii_{true};  // by line - 1: whether the line holds ASCII bytes only
  std::vector<Checkpoint> checkpoints_;
  // Where extend() stands: the next byte to read, and the column at `anchor_` (a character
  // start on the current line after which every byte up to indexed_ is ASCII, one unit each).
  std::size_t indexed_ = 0;
  std::uint32_t anchor_ = 0;
  std::uint32_t anchor_column_ = 0;
  std::uint32_t next_checkpoint_ = kCheckpointBytes;
};

// Number of UTF-16 code units in a UTF-8 byte range (invalid bytes count as one each).
std::uint32_t utf16_length(std::string_view utf8);

}  // namespace grantlint
