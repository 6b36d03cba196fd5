#include "source/source_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

namespace grantlint {

SourceFile::SourceFile(std::string path, std::string_view bytes)
    : path_(std::move(path)), bytes_(bytes) {}

const LineIndex& SourceFile::lines() const {
  if (!lines_) lines_ = std::make_unique<LineIndex>(text());
  return *lines_;
}

Result<std::string> read_file_bytes(const std::string& path) {
  std::string bytes;
  {
    const bool from_stdin = path == "-";
    std::FILE* file = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
      return make_error(fmt::format("cannot open `{}`: {}", path, std::strerror(errno)));
    }
    const std::string name = from_stdin ? "standard input" : fmt::format("`{}`", path);
    // Read in chunks, stopping at the size limit, so that an endless stream cannot
    // exhaust memory.
    char chunk[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
      bytes.append(chunk, n);
      if (bytes.size() > kMaxFileBytes) {
        if (!from_stdin) std::fclose(file);
        return make_error(fmt::format("cannot read {}: larger than {} bytes", name, kMaxFileBytes));
      }
    }
    const bool failed = std::ferror(file) != 0;
    const int saved_errno = errno;
    if (!from_stdin) std::fclose(file);
    if (failed) return make_error(fmt::format("cannot read {}: {}", name, std::strerror(saved_errno)));
  }
  return bytes;
}

SourceId SourceSet::add(std::string path, std::string_view bytes) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), bytes));
  return static_cast<SourceId>(files_.size() - 1);
}

}  // namespace grantlint
