// The files of a run: their display paths and bytes, padded as simdjson needs.
#pragma once

#include <simdjson.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "source/line_index.h"
#include "source/mapped_file.h"
#include "source/span.h"

namespace grantlint {

// A file's bytes followed by simdjson's padding: read into memory, or mapped when large.
class FileBytes {
 public:
  FileBytes(simdjson::padded_string bytes) : storage_(std::move(bytes)) {}  // NOLINT: implicit on purpose
  FileBytes(MappedFile mapped) : storage_(std::move(mapped)) {}             // NOLINT: implicit on purpose

  [[nodiscard]] std::string_view text() const;
  [[nodiscard]] const char* data() const { return text().data(); }
  [[nodiscard]] std::size_t size() const { return text().size(); }
  [[nodiscard]] bool mapped() const { return std::holds_alternative<MappedFile>(storage_); }
  // Bytes gunzip gave from the file's gzip data: what is said of them ("empty") is of that data.
  [[nodiscard]] static FileBytes decompressed(simdjson::padded_string bytes, std::string left_unread = {}) {
    FileBytes out(std::move(bytes));
    out.decompressed_ = true;
    out.left_unread_ = std::move(left_unread);
    return out;
  }
  [[nodiscard]] bool was_decompressed() const { return decompressed_; }
  // What of the file was not read, for a notification (bytes after its gzip data); empty when
  // it was read whole.
  [[nodiscard]] const std::string& left_unread() const { return left_unread_; }
  // See MappedFile; for bytes in memory, nothing happens and nothing changes.
  void release(std::size_t begin, std::size_t end) const;
  [[nodiscard]] bool changed_on_disk() const;

 private:
  std::variant<simdjson::padded_string, MappedFile> storage_;
  bool decompressed_ = false;
  std::string left_unread_;
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string_view bytes);
  SourceFile(std::string path, FileBytes bytes);

  // `path` as the user named it (or a display name such as `<stdin>`).
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string_view text() const {
    return text_;
  }
  // Gives the memory holding the bytes in [begin, end) back, when the file is mapped: a stage
  // that has read a stretch of a large export calls this so that the next one starts lean.
  void release(std::size_t begin, std::size_t end) const { bytes_.release(begin, end); }
  void release() const { bytes_.release(0, text_.size()); }
  // For a pass that reads the text from start to end and says how far it got (LineIndex, the
  // SARIF line hashes): gives back what the pass has left behind.
  [[nodiscard]] std::function<void(std::size_t)> releaser() const;
  // Notes a read of a few bytes somewhere in the text: a mapped file gives its pages back every
  // few dozen such reads, so that readers scattered over a large export (one per finding) do
  // not end up holding all of it (each read maps the pages around it too).
  void note_read() const;
  // Whether a mapped file changed on disk while it was read (its findings may not fit it).
  [[nodiscard]] bool changed_on_disk() const { return bytes_.changed_on_disk(); }
  // Whether the text is what gunzip gave from the file (read from a path; standard input's is
  // not told).
  [[nodiscard]] bool was_decompressed() const { return bytes_.was_decompressed(); }
  // Built on first use; only reporters need it, on one thread. Locating offsets reads no text
  // on ASCII lines; a reader of the text itself (a snippet) calls note_read().
  [[nodiscard]] const LineIndex& lines() const;

 private:
  std::string path_;
  FileBytes bytes_;
  std::string_view text_;
  mutable std::unique_ptr<LineIndex> lines_;
  static constexpr std::size_t kReadsPerRelease = 128;
  mutable std::atomic<std::size_t> reads_{0};
};

// Files larger than this cannot be addressed by 32-bit spans.
inline constexpr std::size_t kMaxFileBytes = 0xFFFF'FFF0u;

// What a path that is no regular file is, for "cannot read `p`: …" ("a socket, not a file").
std::string_view not_a_regular_file(std::filesystem::file_type type);

// Reads a whole file ("-" reads standard input). With `left_unread`, bytes after gzip data that
// are not gzip are not an error: what precedes them is given, and `*left_unread` says what was
// not read (as read_file_padded does for a named file).
Result<std::string> read_file_bytes(const std::string& path, std::string* left_unread = nullptr);

// Files at least this large are mapped rather than read (when the system lets them be).
inline constexpr std::size_t kMapFromBytes = std::size_t{1} << 20;

// Reads a whole regular file into simdjson's padded storage, sized from the file so that it
// is held once, not copied; maps it instead from kMapFromBytes on (not a gzip file, which is
// decompressed into memory).
Result<FileBytes> read_file_padded(const std::string& path);

// Opens `path` to write a report or a baseline ("wb"). A named pipe on disk that nothing reads
// is waited for within what is left of the run's named-pipe wait (5 s in all), not forever.
// Null with errno set (ENXIO: no reader came).
std::FILE* open_for_writing(const std::string& path);
// After writing `path` failed part way (a full disk, a file-size limit): removes it when it is a
// regular file, so that no cut report or baseline is taken for a whole one later; a message
// tail that says so (or that it could not), empty for what is no regular file (/dev/full).
std::string remove_partial_output(const std::string& path);
// Why writing `path` failed with `error` (an errno), as a message ends: a named pipe no reader
// came to, a socket (which open() refuses with the same ENXIO), or the system's words.
std::string write_failure(const std::string& path, int error);

class SourceSet {
 public:
  SourceId add(std::string path, std::string_view bytes);
  SourceId add_padded(std::string path, FileBytes bytes);
  [[nodiscard]] const SourceFile& get(SourceId id) const { return *files_.at(id); }
  [[nodiscard]] std::size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace grantlint
