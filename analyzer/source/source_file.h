// The files of a run: their display paths and bytes, padded as simdjson needs.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "base/result.h"
#include "source/line_index.h"
#include "source/span.h"

namespace grantlint {

class SourceFile {
 public:
  SourceFile(std::string path, std::string_view bytes);
  SourceFile(std::string path, simdjson::padded_string bytes);

  // `path` as the user named it (or a display name such as `<stdin>`).
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string_view text() const {
    return {bytes_.data(), bytes_.size()};
  }
  // Built on first use; only reporters need it.
  [[nodiscard]] const LineIndex& lines() const;

 private:
  std::string path_;
  simdjson::padded_string bytes_;
  mutable std::unique_ptr<LineIndex> lines_;
};

// Files larger than this cannot be addressed by 32-bit spans.
inline constexpr std::size_t kMaxFileBytes = 0xFFFF'FFF0u;

// Reads a whole file ("-" reads standard input).
Result<std::string> read_file_bytes(const std::string& path);

// Reads a whole regular file straight into simdjson's padded storage, sized from the file
// so that a large export is held once, not copied.
Result<simdjson::padded_string> read_file_padded(const std::string& path);

class SourceSet {
 public:
  SourceId add(std::string path, std::string_view bytes);
  SourceId add_padded(std::string path, simdjson::padded_string bytes);
  [[nodiscard]] const SourceFile& get(SourceId id) const { return *files_.at(id); }
  [[nodiscard]] std::size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace grantlint
