#include "source/source_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <system_error>

#include "source/gzip.h"

namespace grantlint {

std::string_view FileBytes::text() const {
  if (const auto* mapping = std::get_if<MappedFile>(&storage_)) return mapping->text();
  const auto& bytes = std::get<simdjson::padded_string>(storage_);
  return {bytes.data(), bytes.size()};
}

void FileBytes::release(std::size_t begin, std::size_t end) const {
  if (const auto* mapping = std::get_if<MappedFile>(&storage_)) mapping->release(begin, end);
}

bool FileBytes::changed_on_disk() const {
  const auto* mapping = std::get_if<MappedFile>(&storage_);
  return mapping != nullptr && mapping->changed_on_disk();
}

SourceFile::SourceFile(std::string path, std::string_view bytes)
    : path_(std::move(path)), bytes_(simdjson::padded_string(bytes)), text_(bytes_.text()) {}

SourceFile::SourceFile(std::string path, FileBytes bytes)
    : path_(std::move(path)), bytes_(std::move(bytes)), text_(bytes_.text()) {}

const LineIndex& SourceFile::lines() const {
  if (!lines_) {
    lines_ = std::make_unique<LineIndex>(text(), releaser());
    release();
  }
  return *lines_;
}

std::function<void(std::size_t)> SourceFile::releaser() const {
  return [this, released = std::size_t{0}](std::size_t read) mutable {
    release(released, read);
    released = read;
  };
}

void SourceFile::note_read() const {
  if (bytes_.mapped() && reads_.fetch_add(1, std::memory_order_relaxed) % kReadsPerRelease == kReadsPerRelease - 1) {
    release();
  }
}

namespace {

// How long a named pipe made on disk (mkfifo) is given for something to be written to it, in
// all for a run: a simulate request file naming 700 silent pipes must not take an hour.
constexpr int kNamedPipeWaitMs = 5'000;
std::atomic<int> g_named_pipe_wait_left_ms{kNamedPipeWaitMs};

// Whether `path` is a named pipe made on disk, not the pipe of a process substitution or of
// standard input (`/dev/fd/63`, `/dev/stdin`: links to `pipe:[...]`, whose writer exists).
bool named_pipe_on_disk(const std::string& path) {
  std::error_code error;
  const std::filesystem::path target = std::filesystem::canonical(path, error);
  if (error) return false;
  struct stat info {};
  return lstat(target.c_str(), &info) == 0 && S_ISFIFO(info.st_mode);
}

// A stream over `fd`, opened without waiting, that waits from now on (reads and writes are
// whole); null with errno set, `fd` closed, when it cannot be made.
std::FILE* blocking_stream(int fd, const char* mode) {
  const int flags = fcntl(fd, F_GETFL);
  std::FILE* file = flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ? nullptr : fdopen(fd, mode);
  if (file == nullptr) {
    const int saved_errno = errno;
    close(fd);
    errno = saved_errno;
  }
  return file;
}

// Opened without waiting: opening a named pipe for reading waits for a writer, forever if none
// comes (a `.grantlint.json` FIFO found upwards, a pipe named in a simulate request). A named
// pipe on disk is then given kNamedPipeWaitMs for something to be written (a late writer is
// read); the pipe of a process substitution is read as it comes. Null with errno set, or
// with errno 0 when nothing came.
std::FILE* open_for_reading(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat info {};
  if (fstat(fd, &info) == 0 && S_ISFIFO(info.st_mode) && named_pipe_on_disk(path)) {
    pollfd wait{fd, POLLIN, 0};
    const auto start = std::chrono::steady_clock::now();
    const int ready = poll(&wait, 1, std::max(g_named_pipe_wait_left_ms.load(), 0));
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    g_named_pipe_wait_left_ms -= static_cast<int>(std::min<std::int64_t>(waited.count(), kNamedPipeWaitMs));
    if (ready <= 0) {
      close(fd);
      errno = 0;
      return nullptr;
    }
  }
  return blocking_stream(fd, "rb");
}

}  // namespace

std::string remove_partial_output(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return {};
  if (std::remove(path.c_str()) != 0) {
    return fmt::format("; the part written could not be removed ({}): it is not whole", std::strerror(errno));
  }
  return "; the part written was removed";
}

std::FILE* open_for_writing(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0 || !S_ISFIFO(info.st_mode) || !named_pipe_on_disk(path)) {
    return std::fopen(path.c_str(), "wb");
  }
  // Opening a FIFO to write waits for a reader; without waiting it fails (ENXIO) until one comes.
  constexpr int kStepMs = 20;
  for (;;) {
    const int fd = open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) return blocking_stream(fd, "wb");
    if (errno != ENXIO || g_named_pipe_wait_left_ms.load() <= 0) return nullptr;
    poll(nullptr, 0, kStepMs);
    g_named_pipe_wait_left_ms -= kStepMs;
  }
}

std::string write_failure(const std::string& path, int error) {
  struct stat info {};
  if (stat(path.c_str(), &info) == 0 && S_ISSOCK(info.st_mode)) return "a socket, not a file";
  if (error == ENXIO) return "a named pipe that nothing read from within 5 s (in all, for the named pipes of a run)";
  return std::generic_category().message(error);
}

namespace {

// A pipe gives its bytes once, and a configuration is read at several stages of a run
// (`--config <(...)`): what a pipe gave is kept by its path for the rest of the run.
std::mutex g_pipes_mutex;
std::map<std::string, std::string> g_pipe_bytes;

// A name with a NUL byte (a JSON escape, `\u0000`, in a simulate request) would be cut there
// by the system, and another file read: no file has such a name.
std::optional<Error> nul_in_name(const std::string& path) {
  const std::size_t nul = path.find('\0');
  if (nul == std::string::npos) return std::nullopt;
  // Named up to the NUL, which is no character to print.
  return Error{fmt::format("cannot open `{}\\0…`: a file name cannot hold a NUL byte", path.substr(0, nul))};
}

// Reads a whole file, pipe or standard input; std::bad_alloc escapes (read_file_bytes says it).
Result<std::string> read_bytes(const std::string& path, std::string* left_unread) {
  if (auto nul = nul_in_name(path)) return std::unexpected(std::move(*nul));
  std::string bytes;
  {
    const bool from_stdin = path == "-";
    // A device (`/dev/zero`, `/dev/urandom`) is no policy and would be read to the size limit,
    // gigabytes of memory for nothing; a pipe (`<(...)`) is read, as standard input is.
    std::error_code status_error;
    const auto type = from_stdin ? std::filesystem::file_type::unknown : std::filesystem::status(path, status_error).type();
    if (type == std::filesystem::file_type::character || type == std::filesystem::file_type::block) {
      return make_error(fmt::format("cannot read `{}`: a device, not a file", path));
    }
    // Opening one fails with ENXIO, "No such device or address", which names nothing the user
    // made (h45 low 11).
    if (type == std::filesystem::file_type::socket) {
      return make_error(fmt::format("cannot read `{}`: a socket, not a file", path));
    }
    const bool pipe = type == std::filesystem::file_type::fifo;
    if (pipe) {
      const std::lock_guard lock(g_pipes_mutex);
      if (const auto it = g_pipe_bytes.find(path); it != g_pipe_bytes.end()) return it->second;
    }
    std::FILE* file = from_stdin ? stdin : open_for_reading(path);
    // Closed however the reading ends, memory running out included; standard input stays open.
    const auto close_file = [from_stdin](std::FILE* f) {
      if (f != nullptr && !from_stdin) std::fclose(f);
    };
    const std::unique_ptr<std::FILE, decltype(close_file)> closer(file, close_file);
    if (file == nullptr && errno == 0) {
      return make_error(
          fmt::format("cannot read `{}`: a named pipe that nothing wrote to within {} s (in all, for "
                      "the named pipes of a run)",
                      path, kNamedPipeWaitMs / 1000));
    }
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
        return make_error(fmt::format("cannot read {}: larger than {} bytes", name, kMaxFileBytes));
      }
    }
    const bool failed = std::ferror(file) != 0;
    const int saved_errno = errno;
    if (failed) return make_error(fmt::format("cannot read {}: {}", name, std::strerror(saved_errno)));
    if (bytes.empty() && pipe) {
      // A process substitution or `/dev/stdin` is a pipe without a name on disk: its writer
      // came and went without a byte (`<(cat missing.json)`).
      return make_error(named_pipe_on_disk(path)
                            ? fmt::format("cannot read {}: a named pipe that nothing writes to", name)
                            : fmt::format("cannot read {}: the pipe was closed without giving a byte", name));
    }
    Result<std::string> out =
        reads_as_gzip(bytes) ? gunzip(bytes, name, kMaxFileBytes, left_unread) : Result<std::string>(std::move(bytes));
    if (out && pipe) {
      const std::lock_guard lock(g_pipes_mutex);
      g_pipe_bytes.emplace(path, *out);
    }
    return out;
  }
}

}  // namespace

Result<std::string> read_file_bytes(const std::string& path, std::string* left_unread) {
  try {
    return read_bytes(path, left_unread);
  } catch (const std::bad_alloc&) {
    // What was read is freed by now, so the message can be made.
    return make_error(fmt::format("cannot read {}: not enough memory for its contents",
                                  path == "-" ? std::string("standard input") : fmt::format("`{}`", path)));
  }
}

namespace {

// simdjson's padded_string holds a null buffer when its allocation fails (some constructors
// keep the size): a file larger than the memory left is an error, never a read through null.
std::unexpected<Error> out_of_memory(const std::string& path, std::size_t size) {
  return make_error(fmt::format("cannot read `{}`: not enough memory for its {} bytes", path, size));
}

}  // namespace

std::string_view not_a_regular_file(std::filesystem::file_type type) {
  using std::filesystem::file_type;
  switch (type) {
    case file_type::socket:
      return "a socket, not a file";
    case file_type::fifo:
      return "a named pipe, not a file";
    case file_type::character:
    case file_type::block:
      return "a device, not a file";
    case file_type::directory:
      return "a directory, not a file";
    default:
      return "not a regular file";
  }
}

Result<FileBytes> read_file_padded(const std::string& path) {
  if (auto nul = nul_in_name(path)) return std::unexpected(std::move(*nul));
  // Checked before opening too: opening a FIFO that no one writes to would wait forever.
  std::error_code status_error;
  const std::filesystem::file_type type = std::filesystem::status(path, status_error).type();
  if (!status_error && type != std::filesystem::file_type::regular) {
    return make_error(fmt::format("cannot read `{}`: {}", path, not_a_regular_file(type)));
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return make_error(fmt::format("cannot open `{}`: {}", path, std::strerror(errno)));
  struct stat info {};
  if (fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode)) {
    std::fclose(file);
    return make_error(fmt::format("cannot read `{}`: not a regular file", path));
  }
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size > kMaxFileBytes) {
    std::fclose(file);
    return make_error(fmt::format("cannot read `{}`: larger than {} bytes", path, kMaxFileBytes));
  }
  if (size >= kMapFromBytes) {
    // Mapped unless it is gzip (decompressed into memory below) or the system refuses (too
    // many files open or mapped): then it is read like a small file.
    std::array<char, 5> magic{};  // room for a byte order mark before gzip's two
    const ssize_t head = pread(fileno(file), magic.data(), magic.size(), 0);
    const bool gzip = head > 0 && reads_as_gzip({magic.data(), static_cast<std::size_t>(head)});
    if (!gzip) {
      auto mapped = MappedFile::map(path, fileno(file), size, simdjson::SIMDJSON_PADDING);
      if (mapped) {
        std::fclose(file);
        return FileBytes(std::move(*mapped));
      }
    }
  }
  simdjson::padded_string bytes(size);
  if (size != 0 && bytes.data() == nullptr) {
    std::fclose(file);
    return out_of_memory(path, size);
  }
  std::size_t got = std::fread(bytes.data(), 1, size, file);
  if (size == 0) {
    // A file that says it is empty may not be (a pseudo-file such as /proc/self/status), or may
    // fail to read (/proc/self/mem): read to its end, within the same limit.
    std::string content;
    std::array<char, 65536> chunk{};
    while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), file)) {
      content.append(chunk.data(), n);
      if (content.size() > kMaxFileBytes) {
        std::fclose(file);
        return make_error(fmt::format("cannot read `{}`: larger than {} bytes", path, kMaxFileBytes));
      }
    }
    if (!content.empty()) {
      bytes = simdjson::padded_string(std::string_view(content));
      got = content.size();
    }
  }
  const int saved_errno = errno;
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  // A file that shrank while being read is read as far as it goes; one that grew, up to
  // the size it had when opened.
  if (failed) return make_error(fmt::format("cannot read `{}`: {}", path, std::strerror(saved_errno)));
  if (reads_as_gzip(std::string_view(bytes.data(), got))) {
    Result<std::string> decompressed = make_error("");
    std::string left_unread;
    try {
      decompressed =
          gunzip(std::string_view(bytes.data(), got), fmt::format("`{}`", path), kMaxFileBytes, &left_unread);
    } catch (const std::bad_alloc&) {
      return make_error(fmt::format("cannot read `{}`: not enough memory to decompress it", path));
    }
    if (!decompressed) return std::unexpected(std::move(decompressed.error()));
    simdjson::padded_string padded{std::string_view(*decompressed)};
    if (!decompressed->empty() && padded.data() == nullptr) return out_of_memory(path, decompressed->size());
    return FileBytes::decompressed(std::move(padded), std::move(left_unread));
  }
  if (got < size) {
    simdjson::padded_string shorter(bytes.data(), got);
    if (got != 0 && shorter.data() == nullptr) return out_of_memory(path, got);
    return FileBytes(std::move(shorter));
  }
  return FileBytes(std::move(bytes));
}

SourceId SourceSet::add_padded(std::string path, FileBytes bytes) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), std::move(bytes)));
  return static_cast<SourceId>(files_.size() - 1);
}

SourceId SourceSet::add(std::string path, std::string_view bytes) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), bytes));
  return static_cast<SourceId>(files_.size() - 1);
}

}  // namespace grantlint
