#include "source/gzip.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>

#include "base/utf8.h"

namespace grantlint {

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

bool is_gzip_behind_byte_order_mark(std::string_view bytes) {
  return bytes.starts_with(kByteOrderMark) && is_gzip(bytes.substr(kByteOrderMark.size()));
}

namespace {

// zlib's stream, ended however the function returns.
class Inflater {
 public:
  Inflater() { ok_ = inflateInit2(&stream_, 16 + MAX_WBITS) == Z_OK; }  // 16: gzip header and trailer
  ~Inflater() {
    if (ok_) inflateEnd(&stream_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  [[nodiscard]] bool ok() const { return ok_; }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

}  // namespace

Result<std::string> gunzip(std::string_view compressed, std::string_view name, std::size_t limit,
                           std::string* left_unread) {
  if (is_gzip_behind_byte_order_mark(compressed)) {
    // Decompressing past the mark would hide that something rewrote the file as text, which
    // may have changed more than its first bytes; gzip(1) refuses it too.
    return make_error(
        fmt::format("cannot decompress {}: its gzip data starts after a UTF-8 byte order mark (bytes "
                    "EF BB BF), which a tool wrote taking the file for text; no gzip reader accepts it",
                    name));
  }
  Inflater inflater;
  if (!inflater.ok()) return make_error(fmt::format("cannot decompress {}: zlib could not start", name));
  z_stream& stream = inflater.stream();
  // zlib takes a non-const pointer but does not write through next_in.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  std::size_t left = compressed.size();
  std::string out;
  // The last member's trailer holds its size modulo 2^32: a hint for one member.
  if (compressed.size() >= 4) {
    const auto* tail = reinterpret_cast<const unsigned char*>(compressed.data() + compressed.size() - 4);
    const std::uint32_t hint = std::uint32_t{tail[0]} | (std::uint32_t{tail[1]} << 8) | (std::uint32_t{tail[2]} << 16) |
                               (std::uint32_t{tail[3]} << 24);
    // A corrupt trailer may claim anything: deflate expands at most 1032 to 1.
    out.reserve(std::min({std::size_t{hint}, limit, compressed.size() * 1032 + (1u << 16)}));
  }
  char chunk[1 << 16];
  while (true) {
    const auto feed = static_cast<uInt>(std::min<std::size_t>(left, 1u << 30));
    stream.avail_in = feed;
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    const int status = inflate(&stream, Z_NO_FLUSH);
    left -= feed - stream.avail_in;
    out.append(chunk, sizeof chunk - stream.avail_out);
    if (out.size() > limit) {
      return make_error(fmt::format("cannot read {}: larger than {} bytes once decompressed", name, limit));
    }
    if (out.size() > kExpansionFloor && out.size() / kMaxExpansion > compressed.size()) {
      return make_error(fmt::format("cannot read {}: its {} bytes grow past {} times their size once decompressed "
                                    "(more than {} bytes), as no export does: a decompression bomb",
                                    name, compressed.size(), kMaxExpansion, out.size()));
    }
    if (status == Z_STREAM_END) {
      // Another member may follow; zero bytes padding the file to a block (a tape's or dd's)
      // hold nothing, as gzip(1) ignores them; anything else after the stream is not gzip.
      const std::string_view rest(reinterpret_cast<const char*>(stream.next_in), left);
      if (rest.find_first_not_of('\0') == std::string_view::npos) return out;
      if (!is_gzip(rest)) {
        if (left_unread == nullptr) {
          return make_error(
              fmt::format("cannot decompress {}: {} bytes after the gzip data (from byte {}) are not gzip", name, left,
                          compressed.size() - left));
        }
        const std::size_t first = rest.find_first_not_of(" \t\r\n");
        const bool json = first != std::string_view::npos && (rest[first] == '{' || rest[first] == '[');
        *left_unread = fmt::format(
            "the {} bytes after the gzip data of {} (from byte {}) are not gzip and are not read{}", left, name,
            compressed.size() - left,
            json ? ": they look like JSON written after it uncompressed (decompress the file and join them)" : "");
        return out;
      }
      inflateReset(&stream);
      continue;
    }
    if (status == Z_OK) continue;
    // No progress with all the input given: the stream stops before its end.
    if (status == Z_BUF_ERROR && left == 0) {
      // What was decompressed is said too: a download cut short is told from a copy that is.
      return make_error(
          fmt::format("cannot decompress {}: the gzip data is truncated: its {} bytes end inside the "
                      "compressed stream, after {} bytes of it were decompressed; copy or download it "
                      "again",
                      name, compressed.size(), out.size()));
    }
    // Where zlib stopped reading, in the compressed file: the damage is at or before it.
    return make_error(fmt::format("cannot decompress {}: {} (by byte {} of {})", name,
                                  stream.msg != nullptr ? stream.msg : "the gzip data is corrupt",
                                  compressed.size() - left, compressed.size()));
  }
}

}  // namespace grantlint
