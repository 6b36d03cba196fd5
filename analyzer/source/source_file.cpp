#include "source/source_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

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
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    if (std::cin.bad()) return make_error("cannot read standard input");
    bytes = std::move(buffer).str();
  } else {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
      return make_error(fmt::format("cannot open `{}`: {}", path, std::strerror(errno)));
    }
    char chunk[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
      bytes.append(chunk, n);
      if (bytes.size() > kMaxFileBytes) {
        std::fclose(file);
        return make_error(fmt::format("cannot read `{}`: larger than {} bytes", path, kMaxFileBytes));
      }
    }
    const bool failed = std::ferror(file) != 0;
    const int saved_errno = errno;
    std::fclose(file);
    if (failed) {
      return make_error(fmt::format("cannot read `{}`: {}", path, std::strerror(saved_errno)));
    }
  }
  if (bytes.size() > kMaxFileBytes) {
    return make_error(fmt::format("cannot read `{}`: larger than {} bytes", path, kMaxFileBytes));
  }
  return bytes;
}

SourceId SourceSet::add(std::string path, std::string_view bytes) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), bytes));
  return static_cast<SourceId>(files_.size() - 1);
}

}  // namespace grantlint
