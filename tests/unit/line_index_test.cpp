#include <catch2/catch.hpp>

#include "source/line_index.h"

using grantlint::LineColumn;
using grantlint::LineIndex;
using grantlint::utf16_length;

TEST_CASE("line index: LF, CRLF and lone CR all end lines", "[line_index]") {
  const LineIndex lf("ab\ncd\n");
  CHECK(lf.locate(0).line == 1);
  CHECK(lf.locate(3).line == 2);
  CHECK(lf.locate(3).column == 1);
  CHECK(lf.locate(4).column == 2);
  CHECK(lf.line_text(2) == "cd");

  const LineIndex crlf("ab\r\ncd\r\nef");
  CHECK(crlf.line_count() == 3);
  CHECK(crlf.locate(4).line == 2);
  CHECK(crlf.locate(4).column == 1);
  CHECK(crlf.locate(9).line == 3);
  CHECK(crlf.locate(9).column == 2);
  CHECK(crlf.line_text(1) == "ab");

  const LineIndex cr("ab\rcd");
  CHECK(cr.locate(3).line == 2);
}

TEST_CASE("line index: columns count UTF-16 code units", "[line_index]") {
  // "é" is 2 bytes and 1 unit; "€" 3 bytes and 1 unit; "𝄞" 4 bytes and 2 units.
  const std::string text = "\"\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E\" x";
  const LineIndex index(text);
  CHECK(index.locate(1).column == 2);
  CHECK(index.locate(3).column == 3);   // after é
  CHECK(index.locate(6).column == 4);   // after €
  CHECK(index.locate(10).column == 6);  // after 𝄞 (a surrogate pair)
  CHECK(utf16_length("\xF0\x9D\x84\x9E") == 2);
  CHECK(utf16_length("\xFF\xFE") == 2);  // invalid bytes count one each
}

TEST_CASE("line index: checkpoints give the same columns as counting from the line start", "[line_index]") {
  // A long line mixing 1-, 2-, 3- and 4-byte characters and stray bytes, then a short one.
  std::string text;
  const char* pieces[] = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E", "\xFF", "\t"};
  for (int i = 0; i < 5000; ++i) text += pieces[(i * 7) % 6];
  text += "\r\nshort line\n";
  const LineIndex index(text);
  const std::uint32_t line_two = index.line_start(2);
  for (std::uint32_t offset = 0; offset <= text.size(); offset += 97) {
    const auto expected_line = offset < line_two ? 1u : (offset < index.line_start(3) ? 2u : 3u);
    const std::uint32_t start = index.line_start(expected_line);
    INFO(offset);
    CHECK(index.locate(offset).line == expected_line);
    CHECK(index.locate(offset).column == 1 + utf16_length(std::string_view(text).substr(start, offset - start)));
  }
}

TEST_CASE("line index: built in pieces, it is the index built at once", "[line_index]") {
  // Pieces that end inside multi-byte characters, between CR and LF, and on checkpoints.
  std::string text;
  const char* pieces[] = {"ab", "\xC3\xA9", "\r\n", "\xF0\x9D\x84\x9E", "\r", "\xFF", "\n", "xyz\t"};
  for (int i = 0; i < 3000; ++i) text += pieces[(i * 5 + i / 7) % 8];
  text += std::string(2100, 'q');  // a long ASCII line across checkpoints
  const LineIndex whole(text);
  for (const std::size_t step : {1u, 3u, 1000u, 1024u, 4099u}) {
    LineIndex pieced(text, LineIndex::Deferred{});
    while (!pieced.complete()) pieced.extend(pieced.indexed() + step);
    INFO(step);
    REQUIRE(pieced.line_count() == whole.line_count());
    for (std::uint32_t offset = 0; offset <= text.size(); ++offset) {
      const auto a = whole.locate(offset);
      const auto b = pieced.locate(offset);
      if (a.line != b.line || a.column != b.column) {
        FAIL_CHECK("offset " << offset << ": " << a.line << ":" << a.column << " against " << b.line << ":" << b.column);
        break;
      }
    }
  }
}

TEST_CASE("line index: lines and columns are those counted from the start of the text", "[line_index]") {
  // Texts mostly of short ASCII lines (read a 64-byte block at a time) with, now and then, a
  // CR, a CR LF, a multi-byte character, a stray byte or a line longer than a checkpoint.
  const char* pieces[] = {"ab", "{\"k\": 1}", "\n", "\n", "\n", "\r\n", "\r", "\xC3\xA9", "\xF0\x9D\x84\x9E", "\xFF", " "};
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    std::string text;
    std::uint32_t state = seed;
    const auto next = [&] { return state = state * 1103515245u + 12345u, (state >> 16) & 0x7FFF; };
    for (int i = 0; i < 400; ++i) {
      const std::uint32_t pick = next() % 100;
      if (pick < 70) text += pieces[next() % 3];
      else if (pick < 94) text += pieces[2 + next() % 3];
      else if (pick < 98) text += pieces[5 + next() % 6];
      else text += std::string(1000 + next() % 1500, 'x');
    }
    const LineIndex index(text);
    std::uint32_t line = 1;
    std::uint32_t line_start = 0;
    bool failed = false;
    for (std::uint32_t offset = 0; offset <= text.size() && !failed; ++offset) {
      if (offset > 0) {
        const char before = text[offset - 1];
        const bool lone_cr = before == '\r' && (offset >= text.size() || text[offset] != '\n');
        if (before == '\n' || lone_cr) {
          ++line;
          line_start = offset;
        }
      }
      if (offset < text.size() && text[offset] == '\n' && offset > 0 && text[offset - 1] == '\r') continue;
      const LineColumn at = index.locate(offset);
      const std::uint32_t column = 1 + utf16_length(std::string_view(text).substr(line_start, offset - line_start));
      if (at.line != line || at.column != column) {
        FAIL_CHECK("seed " << seed << " offset " << offset << ": " << at.line << ":" << at.column << ", counted "
                           << line << ":" << column);
        failed = true;
      }
    }
    CHECK(index.line_count() == line);
  }
}

TEST_CASE("line index: offsets at and past the end", "[line_index]") {
  const LineIndex index("a\n");
  CHECK(index.locate(2).line == 2);
  CHECK(index.locate(2).column == 1);
  CHECK(index.locate(99).line == 2);
  const LineIndex empty("");
  CHECK(empty.locate(0).line == 1);
  CHECK(empty.locate(0).column == 1);
}

#include "base/utf8.h"

TEST_CASE("utf8: strict decoding", "[utf8]") {
  using grantlint::decode_utf8;
  CHECK(decode_utf8("A", 0).value == 'A');
  CHECK(decode_utf8("\xC3\xA9", 0).value == 0xE9);
  CHECK(decode_utf8("\xE2\x82\xAC", 0).length == 3);
  CHECK(decode_utf8("\xF0\x9D\x84\x9E", 0).value == 0x1D11E);
  for (const char* bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\x80",
                          "\xE2\x82", "\xC3"}) {
    INFO(bad);
    const auto cp = decode_utf8(bad, 0);
    CHECK_FALSE(cp.valid);
    CHECK(cp.length == 1);
  }
}

TEST_CASE("utf8: plain ASCII runs stop at the first byte that is not plain, wherever it sits", "[utf8]") {
  using grantlint::plain_ascii_run;
  const auto plain = [](unsigned char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; };
  // Every byte value at every position of runs across word boundaries, against a byte loop.
  for (std::size_t length : {0u, 1u, 7u, 8u, 9u, 16u, 23u}) {
    for (std::size_t at = 0; at < length; ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string text(length, 'a');
        text[at] = static_cast<char>(byte);
        const std::size_t expected = plain(static_cast<unsigned char>(byte)) ? length : at;
        INFO(length << " " << at << " " << byte);
        CHECK(plain_ascii_run(text) == expected);
      }
    }
  }
  // Bytes just below and above a stop (borrows between bytes of a word) change nothing.
  CHECK(plain_ascii_run(std::string("\x21\x1F\x21\x21\x21\x21\x21\x21", 8)) == 1);
  CHECK(plain_ascii_run(std::string("!!!!!!!!!!!!!!!!\x7F", 17)) == 16);
  CHECK(plain_ascii_run("~}|{[]#!") == 8);
}

TEST_CASE("utf8: ASCII text runs stop at control characters and bytes past 0x7F only", "[utf8]") {
  using grantlint::ascii_text_run;
  for (std::size_t length : {1u, 8u, 13u}) {
    for (std::size_t at = 0; at < length; ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string text(length, '"');
        text[at] = static_cast<char>(byte);
        const std::size_t expected = byte >= 0x20 && byte < 0x80 ? length : at;
        INFO(length << " " << at << " " << byte);
        CHECK(ascii_text_run(text) == expected);
      }
    }
  }
}

TEST_CASE("utf8: wide encodings are told by their byte order mark or by NUL-interleaved ASCII", "[utf8]") {
  using grantlint::wide_encoding;
  using namespace std::string_view_literals;
  const auto name = [](std::string_view text) {
    const auto wide = wide_encoding(text);
    return wide ? std::string(wide->name) : std::string("none");
  };
  CHECK(name("\xFF\xFE{\0"sv) == "UTF-16LE");
  CHECK(name("\xFE\xFF\0{"sv) == "UTF-16BE");
  CHECK(name("\xFF\xFE\0\0{\0\0\0"sv) == "UTF-32LE");
  CHECK(name("\0\0\xFE\xFF\0\0\0{"sv) == "UTF-32BE");
  CHECK(name("{\0\"\0"sv) == "UTF-16LE");
  CHECK(name("\0{\0\""sv) == "UTF-16BE");
  CHECK(name("{\0\0\0\"\0\0\0"sv) == "UTF-32LE");
  CHECK(name("\0\0\0{\0\0\0\""sv) == "UTF-32BE");
  CHECK(name("{\0\0\0"sv) == "none");  // too short to tell
  // UTF-8 text, with or without its own mark, and short or binary files are not wide.
  CHECK(name("{\"Version\": 1}") == "none");
  CHECK(name("\xEF\xBB\xBF{}") == "none");
  CHECK(name("{\0"sv) == "none");
  CHECK(name("\xC3\0\xA9\0"sv) == "none");
  CHECK(name("\0\0\0\0"sv) == "none");
  // A mark alone is wide text with nothing in it; one before UTF-8 (`{"`) is not a mark.
  CHECK(name("\xFF\xFE"sv) == "UTF-16LE");
  CHECK(name("\xFF\xFE{\"Statement\": []}"sv) == "none");
  CHECK(name("\xFE\xFF{}"sv) == "none");
}

TEST_CASE("utf8: the ASCII characters of wide text, others as `?`", "[utf8]") {
  using grantlint::narrow_ascii;
  using grantlint::wide_encoding;
  using namespace std::string_view_literals;
  const auto narrow = [](std::string_view text) { return narrow_ascii(text, *wide_encoding(text)); };
  CHECK(narrow("\xFF\xFE{\0\"\0\xE9\0\0\x4E}\0"sv) == "{\"??}");
  CHECK(narrow("\xFE\xFF\0{\0\"\x4E\0\0}"sv) == "{\"?}");
  CHECK(narrow("\xFF\xFE\0\0{\0\0\0\x00\xF6\x01\0}\0\0\0"sv) == "{?}");
  CHECK(narrow("{\0\"\0x"sv) == "{\"");  // a lone last byte is no code unit
}
