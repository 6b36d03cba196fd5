// A large input file mapped into memory rather than read into it, so that an export's bytes
// live in the page cache: the scan touches them stage by stage and gives each stage's pages
// back (release), and the process's own memory holds only what it builds from them.
//
// A mapping reads the file as it is on disk, so a file changed during the scan is noticed:
// pages that a truncation took away read as zeros instead of raising SIGBUS (a handler maps
// zeros over them), and changed_on_disk() tells the caller to report the file's findings as
// unreliable.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace grantlint {

class MappedFile {
 public:
  // Maps the open regular file `fd` of `size` bytes (`path` names it in errors), followed by
  // at least `padding` zero bytes. Does not take ownership of `fd`.
  static Result<MappedFile> map(const std::string& path, int fd, std::size_t size, std::size_t padding);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  [[nodiscard]] std::string_view text() const { return {base_, size_}; }

  // Gives the pages holding [begin, end) back to the kernel; reading them again reads the file.
  void release(std::size_t begin, std::size_t end) const;

  // Whether the file was truncated under the mapping, or its path now names another file or
  // none, or its size, modification or change time differ from when it was mapped. The path is
  // asked, not a descriptor kept open: a scan of thousands of files must not hold thousands of
  // descriptors (the process's limit may be a few hundred).
  [[nodiscard]] bool changed_on_disk() const;

 private:
  MappedFile(const std::string& path, char* base, std::size_t size, std::size_t mapped, struct stat identity, int slot);
  void unmap();

  std::string path_;
  char* base_ = nullptr;
  std::size_t size_ = 0;    // the file's bytes
  std::size_t mapped_ = 0;  // the whole reservation, padding included
  struct stat identity_ {};
  int slot_ = -1;  // in the SIGBUS handler's table
};

}  // namespace grantlint
