// Byte spans into a source file. Line and column are computed only when a report is
// written (see line_index.h), so spans stay two integers wherever they travel.
#pragma once

#include <cstdint>

namespace grantlint {

using SourceId = std::uint32_t;

struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;  // one past the last byte

  [[nodiscard]] std::uint32_t size() const { return end - begin; }
  friend bool operator==(const Span&, const Span&) = default;
};

// Where a finding points: a span in one of the files of the run.
struct Location {
  SourceId source = 0;
  Span span;
  friend bool operator==(const Location&, const Location&) = default;
};

}  // namespace grantlint
