#include "source/gzip.h"

#include <fmt/format.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "base/utf8.h"
#include "source/source_file.h"

using namespace grantlint;

namespace {

// `text` as one gzip member, as the gzip tool writes it.
std::string gzip(std::string_view text) {
  z_stream stream{};
  REQUIRE(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&stream, Z_FINISH) == Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string write_temp(std::string_view name, std::string_view bytes) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::FILE* file = std::fopen(path.c_str(), "wb");
  REQUIRE(file != nullptr);
  std::fwrite(bytes.data(), 1, bytes.size(), file);
  std::fclose(file);
  return path.string();
}

}  // namespace

TEST_CASE("gzip: members, and every way a stream can be broken", "[gzip]") {
  const std::string page1 = R"({"UserDetailList": [], "IsTruncated": true, "Marker": "a"})";
  const std::string page2 = R"({"RoleDetailList": [], "IsTruncated": false})";
  CHECK(is_gzip(gzip(page1)));
  CHECK_FALSE(is_gzip(page1));
  CHECK(gunzip(gzip(page1), "`x`", 1 << 20).value() == page1);
  // `cat a.gz b.gz`: one stream of both pages.
  CHECK(gunzip(gzip(page1) + gzip(page2), "`x`", 1 << 20).value() == page1 + page2);
  const std::string whole = gzip(page1);
  const auto truncated = gunzip(whole.substr(0, whole.size() / 2), "`x.gz`", 1 << 20);
  REQUIRE_FALSE(truncated);
  // Where the data ends is said, and how much of it decompressed (hostile40 L2).
  CHECK(truncated.error().message.starts_with(fmt::format(
      "cannot decompress `x.gz`: the gzip data is truncated: its {} bytes end inside the compressed stream, after ",
      whole.size() / 2)));
  CHECK(truncated.error().message.ends_with(" bytes of it were decompressed; copy or download it again"));
  const auto trailing = gunzip(whole + "junk", "`x.gz`", 1 << 20);
  REQUIRE_FALSE(trailing);
  CHECK(trailing.error().message ==
        fmt::format("cannot decompress `x.gz`: 4 bytes after the gzip data (from byte {}) are not gzip", whole.size()));
  // Asked to, what precedes them is given, as gzip(1) gives it, and what was not read is said.
  std::string left_unread;
  CHECK(gunzip(whole + "junk", "`x.gz`", 1 << 20, &left_unread).value() == page1);
  CHECK(left_unread ==
        fmt::format("the 4 bytes after the gzip data of `x.gz` (from byte {}) are not gzip and are not read",
                    whole.size()));
  CHECK(gunzip(whole + "\n" + page2, "`x.gz`", 1 << 20, &left_unread).value() == page1);
  CHECK(
      left_unread.ends_with(": they look like JSON written after it uncompressed (decompress the file and join them)"));
  // Zero bytes padding a file to a block hold nothing: read as gzip(1) reads them.
  CHECK(gunzip(whole + std::string(512, '\0'), "`x.gz`", 1 << 20).value() == page1);
  CHECK(gunzip(gzip(page1) + gzip(page2) + std::string(8, '\0'), "`x`", 1 << 20).value() == page1 + page2);
  std::string corrupt = whole;
  corrupt[12] = static_cast<char>(corrupt[12] ^ 0x55);
  const auto damaged = gunzip(corrupt, "`x.gz`", 1 << 20);
  REQUIRE_FALSE(damaged);
  CHECK(damaged.error().message.ends_with(fmt::format(" of {})", whole.size())));  // where zlib stopped
  // gzip data behind a byte order mark is said to be so, not decompressed past it nor taken for text.
  const std::string marked = std::string(kByteOrderMark) + whole;
  CHECK(is_gzip_behind_byte_order_mark(marked));
  CHECK(reads_as_gzip(marked));
  CHECK_FALSE(is_gzip(marked));
  CHECK_FALSE(reads_as_gzip(std::string(kByteOrderMark) + page1));
  CHECK_FALSE(reads_as_gzip(kByteOrderMark));
  const auto behind_mark = gunzip(marked, "`x.gz`", 1 << 20);
  REQUIRE_FALSE(behind_mark);
  CHECK(behind_mark.error().message.starts_with(
      "cannot decompress `x.gz`: its gzip data starts after a UTF-8 byte order mark (bytes EF BB BF)"));
  // A small file that decompresses past the limit (a zip bomb) stops at the limit.
  const auto bomb = gunzip(gzip(std::string(1 << 20, 'a')), "`bomb.gz`", 1000);
  REQUIRE_FALSE(bomb);
  CHECK(bomb.error().message == "cannot read `bomb.gz`: larger than 1000 bytes once decompressed");
  // Within the limit, a stream that grows past 64 MB to 200 times its size is refused all the same.
  const std::string spaces = gzip(std::string(kExpansionFloor + (1 << 20), ' '));
  const auto expanded = gunzip(spaces, "`spaces.gz`", std::size_t{1} << 32);
  REQUIRE_FALSE(expanded);
  CHECK(expanded.error().message.starts_with(fmt::format("cannot read `spaces.gz`: its {} bytes grow past 200 times",
                                                         spaces.size())));
  CHECK(expanded.error().message.ends_with("a decompression bomb"));
}

TEST_CASE("gzip: files are read decompressed by both readers", "[gzip]") {
  const std::string policy = R"({"Version": "2012-10-17", "Statement": []})";
  const std::string path = write_temp("grantlint-gzip-test.json.gz", gzip(policy));
  CHECK(read_file_bytes(path).value() == policy);
  const auto padded = read_file_padded(path);
  REQUIRE(padded);
  CHECK(std::string_view(padded->data(), padded->size()) == policy);
  const std::string broken = write_temp("grantlint-gzip-broken.json.gz", gzip(policy).substr(0, 20));
  REQUIRE_FALSE(read_file_padded(broken));
  CHECK(read_file_padded(broken).error().message.starts_with("cannot decompress `"));
  std::filesystem::remove(path);
  std::filesystem::remove(broken);
}
