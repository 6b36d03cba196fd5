#include "account/not_an_export.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>

#include "base/utf8.h"
#include "json/skim.h"
#include "source/gzip.h"

namespace grantlint::account {

namespace {

// A zlib stream (RFC 1950), as Python's `zlib.compress`, `pigz -z` and `openssl zlib` write it:
// a 32 KB window's header, `x` and one of the four bytes its compression levels give, then
// bytes that are not text (`x^` may begin a text file) and that zlib inflates without error.
bool is_zlib(std::string_view bytes) {
  if (bytes.size() < 3 || bytes[0] != 'x') return false;
  const auto level = static_cast<unsigned char>(bytes[1]);
  if (level != 0x01 && level != 0x5E && level != 0x9C && level != 0xDA) return false;
  const std::string_view head = bytes.substr(2, 64);
  const bool binary = std::ranges::any_of(head, [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x80 || (byte < 0x20 && byte != '\n' && byte != '\r' && byte != '\t');
  });
  if (!binary) return false;
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) return false;
  const std::string_view start = bytes.substr(0, 4096);
  std::array<unsigned char, 16384> out{};
  // zlib takes a non-const pointer but does not write through next_in.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(start.data()));
  stream.avail_in = static_cast<uInt>(start.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&stream, Z_NO_FLUSH);
  inflateEnd(&stream);
  return status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR;
}

}  // namespace

std::optional<std::string> not_an_export_because(std::string_view text, bool decompressed) {
  const bool marked = text.starts_with(kByteOrderMark);
  if (marked) text.remove_prefix(kByteOrderMark.size());
  if (json::skip_space(text, 0) == text.size()) {
    return fmt::format("{} {}: it holds no `aws iam get-account-authorization-details` output; export it again",
                       decompressed ? "this file's gzip data is" : "this file is",
                       marked         ? "only a UTF-8 byte order mark"
                       : text.empty() ? "empty"
                                      : "only white space");
  }
  if (reads_as_gzip(text)) {
    return std::string(
        "this file is gzip data inside gzip data (compressed twice): decompress it once (`gunzip -c FILE > "
        "export.json.gz`) and scan the result");
  }
  if (is_zlib(text)) {
    return std::string(
        "this file is zlib data, which is not gzip and which grantlint does not read: decompress it (for "
        "example `pigz -dz < FILE > export.json`) and scan the JSON, or compress the JSON with gzip");
  }
  return std::nullopt;
}

}  // namespace grantlint::account
