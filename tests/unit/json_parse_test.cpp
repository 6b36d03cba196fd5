#include <simdjson.h>

#include <catch2/catch.hpp>

#include "json/offset_map.h"
#include "json/parse.h"
#include "json/pointer.h"
#include "json/syntax_check.h"
#include "support/helpers.h"

using namespace grantlint;
using grantlint::testing::span_of;

namespace {

struct Parsed {
  std::optional<json::Node> root;
  std::vector<Diagnostic> diagnostics;
};

Parsed parse(std::string_view text) {
  const simdjson::padded_string padded(text);
  DiagnosticSink sink;
  Emitter emit(sink, 0);
  json::Parser parser;
  Parsed out;
  out.root = parser.parse(std::string_view(padded.data(), padded.size()), json::OffsetMap::shifted(0), emit);
  out.diagnostics = sink.unsorted();
  return out;
}

}  // namespace

TEST_CASE("json: every key and value keeps its span", "[json]") {
  const std::string text = R"({ "Ver\u0073ion" : "2012-10-17", "Statement": [ {"Effect":"Allow"} , 12.5e3, true, null ] })";
  const Parsed p = parse(text);
  REQUIRE(p.root);
  REQUIRE(p.diagnostics.empty());
  const json::Node& root = *p.root;
  CHECK(root.span == Span{0, static_cast<std::uint32_t>(text.size())});
  REQUIRE(root.members.size() == 2);
  CHECK(root.members[0].key == "Version");  // escapes in keys are decoded
  CHECK(root.members[0].key_span == span_of(text, R"("Ver\u0073ion")"));
  CHECK(root.members[0].value.span == span_of(text, R"("2012-10-17")"));
  const json::Node& statements = root.members[1].value;
  CHECK(statements.span == span_of(text, R"([ {"Effect":"Allow"} , 12.5e3, true, null ])"));
  REQUIRE(statements.items.size() == 4);
  CHECK(statements.items[0].span == span_of(text, R"({"Effect":"Allow"})"));
  CHECK(statements.items[0].members[0].value.text == "Allow");
  CHECK(statements.items[1].type == json::Type::number);
  CHECK(statements.items[1].text == "12.5e3");
  CHECK(statements.items[1].span == span_of(text, "12.5e3"));
  CHECK(statements.items[2].text == "true");
  CHECK(statements.items[3].type == json::Type::null);
}

TEST_CASE("json: scalar roots and empty containers", "[json]") {
  CHECK(parse(R"("just a string")").root->text == "just a string");
  CHECK(parse("  42 ").root->span == Span{2, 4});
  // simdjson 3.0 alone rejects these (root literal followed by white space).
  for (const char* literal : {"true        ", "false\n\n\n\n\n\n\n\n", "null   \t\n"}) {
    INFO(literal);
    const Parsed p = parse(literal);
    REQUIRE(p.root);
    CHECK(p.diagnostics.empty());
  }
  const Parsed empty = parse("{ }");
  REQUIRE(empty.root);
  CHECK(empty.root->span == Span{0, 3});
}

TEST_CASE("json: duplicate keys are findings at every level", "[json]") {
  const std::string text = R"({"a": {"k": 1, "k": 2}, "a": 3})";
  const Parsed p = parse(text);
  REQUIRE(p.root);
  REQUIRE(p.diagnostics.size() == 2);
  for (const Diagnostic& d : p.diagnostics) CHECK(d.rule->id == "JSON004");
  CHECK(p.diagnostics[0].location.span == span_of(text, R"("a")", 1));
  CHECK(p.diagnostics[0].related.at(0).location.span == span_of(text, R"("a")", 0));
  CHECK(p.diagnostics[1].location.span == span_of(text, R"("k")", 1));
  CHECK(p.diagnostics[1].pointer == "/a/k");
}

TEST_CASE("json: duplicate keys in a large object", "[json]") {
  std::string text = "{";
  for (int i = 0; i < 100; ++i) text += "\"k" + std::to_string(i) + "\": 1, ";
  text += "\"k7\": 2}";
  const Parsed p = parse(text);
  REQUIRE(p.diagnostics.size() == 1);
  CHECK(p.diagnostics[0].message.find("`k7`") != std::string::npos);
}

TEST_CASE("json: past 1,000 duplicate keys, one finding counts the rest", "[json]") {
  // Spread over two objects: the count runs across the whole text.
  std::string text = "{\"a\": {";
  for (int i = 0; i < 800; ++i) text += "\"k\": 1, ";
  text += "\"k\": 1}, \"b\": {";
  for (int i = 0; i < 700; ++i) text += "\"k\": 1, ";
  text += "\"k\": 1}}";
  const Parsed p = parse(text);
  REQUIRE(p.root);
  REQUIRE(p.diagnostics.size() == 1001);
  const Diagnostic& last = p.diagnostics.back();
  CHECK(last.rule->id == "JSON004");
  CHECK(last.message ==
        "500 more duplicate keys in this file are not listed (1000 are); this is the first of them in the order "
        "objects are read");
  // It points at the first duplicate not listed: the 201st of `b`'s.
  CHECK(last.location.span == span_of(text, R"("k")", 801 + 201));
}

TEST_CASE("json: syntax errors say where and what was expected", "[json]") {
  struct Case {
    std::string text;
    std::string rule;
    std::uint32_t offset;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {R"({"a": 1 "b": 2})", "JSON001", 8, "expected `,` or `}` after an object member"},
      {R"({"a": [1, 2,]})", "JSON001", 12, "trailing commas"},
      {R"({"a": 1,})", "JSON001", 8, "expected a string key after `,`"},
      {"{'a': 1}", "JSON001", 1, "expected a string key or `}`"},
      {R"({"a" 1})", "JSON001", 5, "expected `:`"},
      {R"({"a": "x\q"})", "JSON001", 8, "invalid escape `\\q`"},
      {"{\"a\": \"x\ny\"}", "JSON001", 8, "control character U+000A"},
      {R"({"a": 01})", "JSON001", 6, "leading zero"},
      {R"({"a": tru})", "JSON001", 6, "invalid literal `tru`"},
      {R"({"a": 1)", "JSON001", 7, "unexpected end of input"},
      {R"({"a": "open)", "JSON001", 6, "unterminated string"},
      {"", "JSON001", 0, "the file is empty"},
      {"   \n", "JSON001", 4, "the file is empty"},
      {R"({"a": 1} {"b": 2})", "JSON003", 9, "content after the end"},
      {R"({"a": 1}])", "JSON003", 8, "content after the end"},
      {"12 x", "JSON003", 3, "content after the end"},
      {R"({"a": -})", "JSON001", 7, "expected a digit after `-`"},
      {R"({"a": 1.})", "JSON001", 8, "expected a digit after `.`"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const Parsed p = parse(c.text);
    CHECK_FALSE(p.root);
    REQUIRE(p.diagnostics.size() == 1);
    CHECK(p.diagnostics[0].rule->id == c.rule);
    CHECK(p.diagnostics[0].location.span.begin == c.offset);
    CHECK_THAT(p.diagnostics[0].message, Catch::Contains(c.message_part));
  }
}

TEST_CASE("json: half a surrogate pair is an error, and the rest is read", "[json]") {
  // A lone high or low half, a high half before something else, each in place (spans unchanged).
  const Parsed p = parse(R"({"a": "\ud800", "b": "x\uDC00y", "c": "\ud83d\n", "d": "\ud83d\ude00", "e": 1})");
  REQUIRE(p.root);
  REQUIRE(p.diagnostics.size() == 3);
  CHECK(p.diagnostics[0].rule->id == "JSON001");
  CHECK(p.diagnostics[0].location.span == Span{7, 13});
  CHECK_THAT(p.diagnostics[0].message, Catch::StartsWith("unpaired UTF-16 surrogate `\\ud800`"));
  CHECK(p.diagnostics[1].location.span.begin == 23);
  CHECK(p.diagnostics[2].location.span.begin == 39);
  CHECK(p.root->find("a")->text == "\xEF\xBF\xBD");
  CHECK(p.root->find("b")->text == "x\xEF\xBF\xBDy");
  CHECK(p.root->find("c")->text == "\xEF\xBF\xBD\n");
  CHECK(p.root->find("d")->text == "\xF0\x9F\x98\x80");  // a pair is one character
  CHECK(p.root->find("e")->span == Span{76, 77});
  // Still broken elsewhere: that error is the one reported, after the surrogate's.
  const Parsed broken = parse(R"({"a": "\ud800", "b": tru})");
  CHECK_FALSE(broken.root);
  REQUIRE(broken.diagnostics.size() == 2);
  CHECK_THAT(broken.diagnostics[1].message, Catch::Contains("invalid literal `tru`"));
}

TEST_CASE("json: a byte no string may hold is an error, and the rest is read with `_` for it", "[json]") {
  // Not UTF-8 (a Latin-1 `é`, a lone continuation byte, an overlong `/`), and control characters
  // other than line breaks: each one byte, so every span stays where it is written.
  const Parsed p = parse("{\"a\": \"caf\xE9\", \"b\": \"\x80\xC0\xAF\", \"c\": \"t\tu\x01\", \"d\": \"\xC3\xA9\"}");
  REQUIRE(p.root);
  REQUIRE(p.diagnostics.size() == 6);
  CHECK(p.diagnostics[0].rule->id == "JSON001");
  CHECK(p.diagnostics[0].location.span == Span{10, 11});
  CHECK(p.diagnostics[0].message ==
        "invalid UTF-8 byte 0xE9 inside a string, and AWS refuses it; the file is read with `_` in its place");
  CHECK(p.diagnostics[1].location.span.begin == 20);
  CHECK(p.diagnostics[3].location.span.begin == 22);
  CHECK_THAT(p.diagnostics[4].message, Catch::StartsWith("control character U+0009 must be escaped inside a string"));
  CHECK(p.diagnostics[4].location.span.begin == 33);
  CHECK(p.diagnostics[5].location.span.begin == 35);
  CHECK(p.root->find("a")->text == "caf_");
  CHECK(p.root->find("b")->text == "___");
  CHECK(p.root->find("c")->text == "t_u_");
  CHECK(p.root->find("d")->text == "\xC3\xA9");  // valid UTF-8 is kept
  CHECK(p.root->find("d")->span == Span{44, 48});
  // A line break in a string is most often a string never closed: its error stays the first one.
  const Parsed open = parse("{\"a\": \"x\xE9\n, \"b\": 1}");
  CHECK_FALSE(open.root);
  REQUIRE(open.diagnostics.size() == 1);
  CHECK_THAT(open.diagnostics[0].message, Catch::Contains("invalid UTF-8 byte 0xE9"));
  // More than 65,536 of them is binary or another encoding, not a few stray bytes: not read.
  const Parsed binary = parse("{\"a\": \"" + std::string(70000, '\xFF') + "\"}");
  CHECK_FALSE(binary.root);
  REQUIRE(binary.diagnostics.size() == 1);
  CHECK(binary.diagnostics[0].message == "invalid UTF-8 byte 0xFF inside a string");
  const Parsed many = parse("{\"a\": \"" + std::string(65536, '\xFF') + "\"}");
  REQUIRE(many.root);
  CHECK(many.diagnostics.size() == 101);  // 100 listed, then one that counts the rest
  // Still broken elsewhere: only the first error of the text as written is reported.
  const Parsed broken = parse("{\"a\": \"\xE9\", \"b\": tru}");
  CHECK_FALSE(broken.root);
  REQUIRE(broken.diagnostics.size() == 1);
  CHECK_THAT(broken.diagnostics[0].message, Catch::Contains("invalid UTF-8 byte 0xE9 inside a string"));
}

TEST_CASE("json: a byte order mark is reported and skipped", "[json]") {
  const Parsed p = parse("\xEF\xBB\xBF{\"a\": 1}");
  REQUIRE(p.root);
  REQUIRE(p.diagnostics.size() == 1);
  CHECK(p.diagnostics[0].rule->id == "JSON002");
  CHECK(p.root->members[0].key_span == Span{4, 7});  // offsets stay those of the file
}

TEST_CASE("json: nesting beyond the limit is one finding, without recursion limits", "[json]") {
  for (const std::size_t depth : {300u, 100000u}) {
    const std::string text = std::string(depth, '[') + std::string(depth, ']');
    const Parsed p = parse(text);
    CHECK_FALSE(p.root);
    REQUIRE(p.diagnostics.size() == 1);
    CHECK(p.diagnostics[0].rule->id == "JSON005");
    CHECK(p.diagnostics[0].location.span.begin == json::kMaxDepth);
  }
  const std::string ok = std::string(json::kMaxDepth, '[') + std::string(json::kMaxDepth, ']');
  CHECK(parse(ok).root);
  // Broken and deep: the strict checker walks it iteratively.
  CHECK(json::find_syntax_error(std::string(200000, '[')).has_value());
}

TEST_CASE("json: the strict checker accepts what the fast parser accepts", "[json]") {
  for (const std::string text : {R"({"a":[1,-2.5e-3,true,false,null,"\u00e9\n"],"b":{}})", R"([])", R"("x")", "0",
                                 "{\"\xF0\x9D\x84\x9E\": 1}"}) {
    INFO(text);
    CHECK_FALSE(json::find_syntax_error(text).has_value());
    CHECK(parse(text).root);
  }
}

TEST_CASE("json: numbers", "[json]") {
  for (const char* good : {"0", "-0", "12", "1.5", "1e5", "1E+5", "-1.25e-10"}) CHECK(json::is_json_number(good));
  for (const char* bad : {"", "-", "01", "1.", ".5", "1e", "+1", "1x", "0x10"}) CHECK_FALSE(json::is_json_number(bad));
}

TEST_CASE("offset map: a decoded JSON string maps back onto its escapes", "[json]") {
  // The file holds "a\"b\u00e9c" starting at offset 10.
  const std::string token = R"("a\"b\u00e9c")";
  const json::DecodedText decoded = json::decode_json_string(token, 10);
  CHECK(decoded.text == "a\"b\xC3\xA9" "c");
  REQUIRE(decoded.origin.size() == decoded.text.size() + 1);
  const auto map = json::OffsetMap::table(decoded.origin);
  CHECK(map.map(0) == 11);                    // a
  CHECK(map.map(1) == 12);                    // \" starts at 12
  CHECK(map.map(2) == 14);                    // b
  CHECK(map.map(3) == 15);                    // é (first byte) ← \u00e9
  CHECK(map.map(4) == 15);                    // é (second byte)
  CHECK(map.map(5) == 21);                    // c
  CHECK(map.map(6) == 22);                    // the closing quote
  CHECK(map.map(Span{3, 5}) == Span{15, 21});  // é covers the whole escape
}

TEST_CASE("offset map: percent-decoding composes with JSON unescaping", "[json]") {
  const std::string token = R"("%7B%22a%22%3A1%7D")";
  const json::DecodedText once = json::decode_json_string(token, 0);
  json::DecodedText twice;
  std::uint32_t bad = 0;
  REQUIRE(json::percent_decode(once, twice, bad));
  CHECK(twice.text == R"({"a":1})");
  const auto map = json::OffsetMap::table(twice.origin);
  CHECK(map.map(0) == 1);   // { ← %7B
  CHECK(map.map(1) == 4);   // " ← %22
  CHECK(map.map(2) == 7);   // a
  CHECK(map.map(7) == 18);  // end ← closing quote

  json::DecodedText broken;
  CHECK_FALSE(json::percent_decode(json::decode_json_string(R"("ab%2")", 0), broken, bad));
  CHECK(bad == 3);
}

TEST_CASE("json: a resolved value is placed where it is written", "[json]") {
  const Parsed written =
      parse(R"({"Statement": [{"Fn::If": ["c", {"Action": "s3:*"}, {"Action": ["s3:Get*", "s3:List*"]}]}],
                                   "Version": "2012-10-17", "Version": "2008-10-17"})");
  REQUIRE(written.root);
  // What resolving `Fn::If` to its second branch gives: the branch's values, spans kept.
  json::Node resolved = *written.root;
  json::Node& statements = resolved.members.front().value;
  json::Node branch = statements.items.front().members.front().value.items[2];  // copied: assigned over its holder
  statements.items.front() = std::move(branch);
  json::WrittenPlaces places(resolved, *written.root);
  CHECK(places.place("/Statement/0/Action/1") == "/Statement/0/Fn::If/2/Action/1");
  CHECK(places.place("/Statement/0") == "/Statement/0/Fn::If/2");
  CHECK(places.place("/Version") == "/Version");  // the first of a duplicated key
  CHECK(places.place("/Statement/1") == std::nullopt);
}
