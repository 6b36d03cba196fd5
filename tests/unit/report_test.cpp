#include "report/report.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <set>

#include "base/strings.h"
#include "diag/diagnostic.h"
#include "input/walk.h"
#include "report/array_values.h"
#include "report/fingerprint.h"
#include "report/json_writer.h"
#include "report/text_safe.h"
#include "report/uri.h"
#include "rules/registry.h"
#include "support/helpers.h"

using namespace grantlint;

TEST_CASE("fingerprints: github/codeql-action's test vectors", "[report]") {
  CHECK(report::line_hashes("") == std::vector<std::string>{"c129715d7a2bc9a3:1"});
  const std::vector<std::string> expected = {"271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1",
                                             "a23a3dc5e078b07b:1"};
  CHECK(report::line_hashes(" a\nb\n  \t\tc\n d") == expected);
  CHECK(report::line_hashes(" a\r\nb\r\n  \t\tc\r\n d") == expected);
  CHECK(report::line_hashes(" a\rb\r  \t\tc\r d") == expected);
}

TEST_CASE("fingerprints: invalid UTF-8 decodes as Node's decoder does", "[report]") {
  // One U+FFFD per maximal invalid subpart (checked against Buffer.toString in Node 20).
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(report::line_hashes("a\xE2\x82"
                            "b") == report::line_hashes("a" + fffd + "b"));
  CHECK(report::line_hashes("\xF0\x80") == report::line_hashes(fffd + fffd));
  CHECK(report::line_hashes("\xED\xA0\x80") == report::line_hashes(fffd + fffd + fffd));
  CHECK(report::line_hashes("\xF4\x8F\xBF") == report::line_hashes(fffd));
}

TEST_CASE("fingerprints: identical lines are numbered", "[report]") {
  const auto hashes = report::line_hashes("x\nx\nx\n");
  REQUIRE(hashes.size() == 4);
  CHECK(hashes[0] != hashes[1]);  // the hash covers 100 characters onward, not the line alone
  CHECK(hashes[3].ends_with(":1"));
}

TEST_CASE("fingerprints: chosen lines get the whole list's hashes", "[report]") {
  const std::string text = "x\n\xE2\x82y\nx\n\nx\n \t\n{\n  \"a\": 1\n}\nx\n";
  const auto all = report::line_hashes(text);
  const std::vector<std::uint32_t> wanted = {9, 1, 5, 3, 3, 0, 99};
  const auto some = report::line_hashes(text, wanted);
  CHECK(some.size() == 4);  // 0 and 99 are not lines; 3 is asked twice
  for (const std::uint32_t line : {1u, 3u, 5u, 9u}) {
    REQUIRE(some.contains(line));
    CHECK(some.at(line) == all[line - 1]);
  }
  CHECK(report::line_hashes(text, std::vector<std::uint32_t>{}).empty());
}

TEST_CASE("json writer: escapes everything and replaces invalid UTF-8", "[report]") {
  std::string out;
  report::append_json_string(out, "a\"b\\c\n\x01\x7F\xC3\xA9\xFF");
  CHECK(out == "\"a\\\"b\\\\c\\n\\u0001\\u007f\xC3\xA9\xEF\xBF\xBD\"");
  std::string doc;
  report::JsonWriter w(doc);
  w.begin_object().field("a", std::uint64_t{1}).key("b").begin_array().value("x").value(true).end_array();
  w.key("c").begin_object().end_object().end_object();
  CHECK(doc == "{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    true\n  ],\n  \"c\": {}\n}\n");
}

TEST_CASE("uris: repository-relative, percent-encoded", "[report]") {
  CHECK(report::artifact_uri("/repo/policies/a b.json", "/repo") == "policies/a%20b.json");
  CHECK(report::artifact_uri("/repo/x/../c:d.json", "/repo") == "c%3Ad.json");
  CHECK(report::artifact_uri("/elsewhere/a.json", "/repo") == "file:///elsewhere/a.json");
  CHECK(report::artifact_uri("-", "/repo") == "stdin");
  CHECK(report::artifact_uri("/repo/..x.json", "/repo") == "..x.json");  // a name, not the parent
  CHECK(report::artifact_uri("/repo/../other/x.json", "/repo") == "file:///other/x.json");
}

TEST_CASE("globs", "[input]") {
  using input::glob_match;
  CHECK(glob_match("*.json", "a/b/c.json"));
  CHECK_FALSE(glob_match("*.json", "a/b/c.yaml"));
  CHECK(glob_match("policies/*.json", "policies/x.json"));
  CHECK_FALSE(glob_match("policies/*.json", "policies/sub/x.json"));
  CHECK(glob_match("policies/**.json", "policies/sub/x.json"));
  CHECK(glob_match("**/test/**", "a/test/b.json"));
  CHECK(glob_match("?.json", "a.json"));
  CHECK_FALSE(glob_match("?.json", "ab.json"));
  CHECK(glob_match("a/**/b/*.json", "a/x/y/b/c.json"));
  CHECK_FALSE(glob_match("a/**/b/*.json", "a/x/y/b/c/d.json"));
  CHECK(glob_match("***", "a/b"));
  // A pattern far longer than the path: rows of the table, not all of it (a 3 MB pattern wanted
  // 9 GB against a 3,000-byte path).
  CHECK(glob_match(std::string(1 << 20, '*') + "x", "a/b/x"));
  CHECK_FALSE(glob_match(std::string(1 << 20, '?'), std::string(3000, 'a')));
  // Readied once for many paths: runs of stars are `**`, and a path shorter than the glob's
  // other characters is refused before the table (a 3,984-character suppression glob against
  // 2,000 paths, a thousand times over, had taken minutes).
  const input::PreparedGlob runs = input::prepare_glob("a/***/b*****c");
  CHECK(runs.pattern == "a/**/b**c");
  CHECK(runs.min_length == 4);  // `a/bc`: the `/` after a whole-segment `**` may match no directory
  CHECK(glob_match(runs, "a/bc"));
  CHECK(glob_match(runs, "a/x/y/bzzc"));
  CHECK(glob_match(runs, "a//b/z/c"));
  CHECK_FALSE(glob_match(runs, "a/x/y/bzz"));
  std::string long_glob = "p/";
  for (int i = 0; i < 1990; ++i) long_glob += "*x";
  const input::PreparedGlob prepared = input::prepare_glob(long_glob);
  CHECK(prepared.min_length == 1992);
  CHECK_FALSE(glob_match(prepared, "p/f0001.json"));
  CHECK(glob_match(prepared, "p/" + std::string(1990, 'x')));
  CHECK(glob_match(input::prepare_glob("*.json"), "a/b/c.json"));
  CHECK_FALSE(glob_match(input::prepare_glob("*.json"), "a/b/c.yaml"));
  // Its longest run without a wildcard must be in the path: searched for before the table (20
  // globs of 1.6 KB over 200 files under a 3,000-byte path took 30 s).
  CHECK(input::prepare_glob("**/f12.js?n").required == "f12.js");  // `**/` may match no directory
  CHECK(input::prepare_glob("a/f12.js?n").required == "a/f12.js");
  CHECK(input::prepare_glob("*a*bcd?e").required == "bcd");
  CHECK(input::prepare_glob("**").required.empty());
}

TEST_CASE("glob sets: paths without a wildcard are looked up, and match as the globs do", "[input]") {
  const std::vector<std::string> patterns = {"p/a.json", "b.json", "**/c*.json", "q/?.json", "d/e/**"};
  const input::GlobSet set(patterns);
  const std::vector<std::string> paths = {"p/a.json", "x/p/a.json", "b.json",  "x/y/b.json", "x/c1.json", "c.json",
                                          "q/z.json", "q/zz.json",  "d/e/f/g", "d/x",        "a.json"};
  for (const std::string& path : paths) {
    INFO(path);
    const bool any = std::ranges::any_of(patterns, [&](const std::string& p) { return input::glob_match(p, path); });
    CHECK(set.matches(path) == any);
  }
  CHECK_FALSE(input::GlobSet({}).matches("a.json"));
}

TEST_CASE("sarif: parses, carries the rules and columns in UTF-16 units", "[report]") {
  const std::string text =
      "{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"\xF0\x9D\x84\x9E\", "
      "\"Effect\": \"Alow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}";
  const CheckReport result = testing::check(text, policy::Kind::kms_key);
  report::SarifOptions options;
  options.base_dir = "/";
  const std::string sarif = report::format_sarif(result, options);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  REQUIRE(parser.parse(sarif).get(root) == simdjson::SUCCESS);
  simdjson::dom::element run = root["runs"].at(0);
  CHECK(std::string_view(run["columnKind"]) == "utf16CodeUnits");
  CHECK(simdjson::dom::array(run["tool"]["driver"]["rules"]).size() == rules::all_rules().size());
  simdjson::dom::array results = run["results"];
  REQUIRE(results.size() == 2);  // the bad Effect and the missing Principal (lockout is not judged then)
  simdjson::dom::element effect = results.at(0);
  for (simdjson::dom::element candidate : results) {
    if (std::string_view(candidate["ruleId"]) == "POL016") effect = candidate;
  }
  CHECK(std::string_view(effect["ruleId"]) == "POL016");
  const auto expected_column = text.find("\"Alow\"") - 2 + 1;  // the 4-byte character is 2 units, not 4
  CHECK(uint64_t(effect["locations"].at(0)["physicalLocation"]["region"]["startColumn"]) == expected_column);
  CHECK(std::string_view(effect["partialFingerprints"]["primaryLocationLineHash"]).ends_with(":1"));
  const uint64_t index = effect["ruleIndex"];
  CHECK(std::string_view(run["tool"]["driver"]["rules"].at(index)["id"]) == "POL016");
}

TEST_CASE("json: each rule the findings name is described once, in `grantlint rules` order", "[report]") {
  const std::string text = R"({"Version": "2012-10-17", "Statement": [)"
                           R"({"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"},)"
                           R"({"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"},)"
                           R"({"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b/*"}]})";
  const CheckReport result = testing::check(text);
  const std::string json = report::format_json(result);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  REQUIRE(parser.parse(json).get(root) == simdjson::SUCCESS);
  CHECK(uint64_t(root["schemaVersion"]) == 2);
  std::set<std::string_view> named;
  std::size_t findings = 0;
  for (simdjson::dom::element finding : simdjson::dom::array(root["findings"])) {
    ++findings;
    named.insert(std::string_view(finding["ruleId"]));
    CHECK(finding["help"].error() == simdjson::NO_SUCH_FIELD);
  }
  CHECK(findings > named.size());  // the misspelt action twice: its rule once
  std::vector<std::string_view> described;
  for (simdjson::dom::element rule : simdjson::dom::array(root["rules"])) {
    described.emplace_back(std::string_view(rule["id"]));
    const RuleMeta* meta = rules::find_rule(described.back());
    REQUIRE(meta != nullptr);
    CHECK(std::string_view(rule["help"]) == meta->help);
    CHECK(std::string_view(rule["helpUri"]) == help_uri(*meta));
  }
  std::vector<std::string_view> in_order;
  for (const RuleMeta* rule : rules::all_rules()) {
    if (named.contains(rule->id)) in_order.push_back(rule->id);
  }
  CHECK(described == in_order);
  CHECK(described.size() == named.size());
}

TEST_CASE("sink: sorted by file, offset and rule; exact duplicates dropped", "[diag]") {
  DiagnosticSink sink;
  auto add = [&](SourceId source, std::uint32_t begin, const RuleMeta& rule, std::string message) {
    sink.report(
        Diagnostic{&rule, rule.level(), std::move(message), Location{source, Span{begin, begin + 1}}, "", "", {}, {}});
  };
  add(1, 5, rules::kInvalidEffect, "b");  // file "a.json"
  add(0, 1, rules::kInvalidEffect, "x");  // file "b.json"
  add(1, 5, rules::kDuplicateKey, "a");
  add(1, 2, rules::kInvalidEffect, "c");
  add(1, 5, rules::kInvalidEffect, "b");  // a duplicate
  const auto sorted = std::move(sink).sorted({"b.json", "a.json"});
  REQUIRE(sorted.size() == 4);
  CHECK(sorted[0].message == "c");
  CHECK(sorted[1].rule == &rules::kDuplicateKey);  // JSON004 before POL016 at the same offset
  CHECK(sorted[2].message == "b");
  CHECK(sorted[3].message == "x");
}

TEST_CASE("rules: every rule describes itself", "[rules]") {
  std::set<std::string_view> ids;
  for (const RuleMeta* rule : rules::all_rules()) {
    INFO(rule->id);
    CHECK(ids.insert(rule->id).second);
    CHECK(rules::find_rule(rule->id) == rule);
    CHECK_FALSE(rule->name.empty());
    CHECK_FALSE(rule->summary.empty());
    CHECK(rule->summary.size() <= 1024);
    CHECK(rule->help.size() <= 1024);
    const bool lowercase_start = std::islower(static_cast<unsigned char>(rule->summary.front())) != 0;
    CHECK((lowercase_start || rule->summary.front() == '`'));
    CHECK(rule->summary.back() != '.');
    CHECK(std::isupper(static_cast<unsigned char>(rule->name.front())) != 0);
    CHECK((rule->type == FindingType::security_warning) == !rule->security_severity.empty());
    const auto tags = split_words(rule->tags);
    CHECK(std::set<std::string_view>(tags.begin(), tags.end()).size() == tags.size());
  }
  CHECK(rules::find_rule("pol016") == &rules::kInvalidEffect);
  CHECK(rules::find_rule("NOPE") == nullptr);
}

TEST_CASE("reporters hand a large report over in pieces, the same bytes as a whole", "[report]") {
  // 12,000 users with an unknown action each in an inline policy: well over a chunk in every
  // format (one policy with 12,000 would be listed only up to the per-document cap).
  std::string text = R"({"UserDetailList": [)";
  for (int i = 0; i < 12000; ++i) {
    text += fmt::format(
        R"({}{{"UserName": "u{}", "Arn": "arn:aws:iam::111122223333:user/u{}", "UserPolicyList": [{{"PolicyName": )"
        R"("p", "PolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": )"
        R"("s3:GetObjekt", "Resource": "arn:aws:s3:::b{}/*"}}]}}}}]}})",
        i == 0 ? "" : ",", i, i, i);
  }
  text += R"(], "GroupDetailList": [], "RoleDetailList": [], "Policies": []})";
  const CheckReport result = testing::check(text);
  REQUIRE(result.diagnostics.size() >= 12000);
  report::SarifOptions options;
  options.base_dir = "/";
  const auto pieces_of = [](const auto& write) {
    std::vector<std::string> pieces;
    write([&pieces](std::string_view piece) { pieces.emplace_back(piece); });
    return pieces;
  };
  const auto joined = [](const std::vector<std::string>& pieces) {
    std::string all;
    for (const std::string& piece : pieces) all += piece;
    return all;
  };
  const std::vector<std::pair<std::vector<std::string>, std::string>> formats = {
      {pieces_of([&](const report::Output& out) { report::write_json(result, out); }), report::format_json(result)},
      {pieces_of([&](const report::Output& out) { report::write_sarif(result, options, out); }),
       report::format_sarif(result, options)},
      {pieces_of([&](const report::Output& out) { report::write_text(result, {}, out); }),
       report::format_text(result, {})},
      {pieces_of([&](const report::Output& out) { report::write_github(result, {}, out); }),
       report::format_github(result, {})},
  };
  for (const auto& [pieces, whole] : formats) {
    CHECK(pieces.size() >= 2);
    for (const std::string& piece : pieces) CHECK(piece.size() < report::kOutputChunk + 64 * 1024);
    CHECK(joined(pieces) == whole);
  }
  // The findings rendered on several threads: the same bytes, in pieces as small.
  for (const unsigned threads : {2u, 3u, 0u}) {
    const auto pieces = pieces_of([&](const report::Output& out) { report::write_json(result, out, threads); });
    for (const std::string& piece : pieces) CHECK(piece.size() < report::kOutputChunk + 64 * 1024);
    CHECK(joined(pieces) == report::format_json(result));
  }
}

TEST_CASE("json writer: an array's values rendered on several threads, in order", "[report]") {
  const auto render = [](std::size_t count, unsigned threads) {
    std::string out;
    std::string whole;
    report::JsonWriter w(out);
    w.begin_object().key("before").value("x").key("values").begin_array();
    report::write_array_values(
        w, out, [&whole](std::string_view piece) { whole += piece; }, count, threads,
        [](report::JsonWriter& writer, std::size_t i) {
          writer.begin_object().field("i", std::uint64_t{i}).end_object();
        });
    w.end_array().key("after").value("y").end_object();
    return whole + out;
  };
  for (const std::size_t count :
       {std::size_t{0}, std::size_t{1}, std::size_t{256}, std::size_t{257}, std::size_t{1000}, std::size_t{5000}}) {
    const std::string one = render(count, 1);
    for (const unsigned threads : {2u, 3u, 8u}) CHECK(render(count, threads) == one);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    REQUIRE(parser.parse(one).get(root) == simdjson::SUCCESS);
    simdjson::dom::array values;
    REQUIRE(root["values"].get(values) == simdjson::SUCCESS);
    CHECK(values.size() == count);
  }
}

TEST_CASE("terminal text: controls and bidirectional overrides are shown, not obeyed", "[report]") {
  CHECK(report::terminal_safe("a\x1b[31mb") == "a\\u001b[31mb");
  CHECK(report::terminal_safe("user/\xE2\x80\xAEnimda") == "user/\\u202enimda");   // U+202E RIGHT-TO-LEFT OVERRIDE
  CHECK(report::terminal_safe("x\xE2\x81\xA6y\xE2\x81\xA9") == "x\\u2066y\\u2069");  // isolates
  CHECK(report::terminal_safe("r\xE2\x80\xAEs", report::Shown::snippet) == "r?s");   // in a snippet
  CHECK(report::terminal_safe("caf\xC3\xA9 \xE2\x82\xAC") == "caf\xC3\xA9 \xE2\x82\xAC");  // other text is kept
}

TEST_CASE("terminal text: invisible characters are shown; a path's backslashes are doubled", "[report]") {
  CHECK(report::terminal_safe("c\xE2\x80\x8B.json") == "c\\u200b.json");  // U+200B ZERO WIDTH SPACE
  CHECK(report::terminal_safe("a\xE2\x80\xA8"
                              "b") == "a\\u2028b");             // U+2028 LINE SEPARATOR
  CHECK(report::terminal_safe("\xEF\xBB\xBFx") == "\\ufeffx");  // U+FEFF
  // A name in a CI annotation keeps them, to match the file (emoji names hold U+200D).
  CHECK(report::terminal_safe("a\xE2\x80\x8D"
                              "b",
                              report::Shown::name) ==
        "a\xE2\x80\x8D"
        "b");
  // A name with an escape byte and one spelt with the six characters `\u001b` print apart.
  CHECK(report::path_safe("d/a\x1b.json") == "d/a\\u001b.json");
  CHECK(report::path_safe("d/a\\u001b.json") == "d/a\\\\u001b.json");
  CHECK(report::path_safe("d/b\xFF.json") == "d/b\\xff.json");
}

TEST_CASE("json writer: a path's invalid bytes stay apart, as lone surrogates", "[report]") {
  std::string out;
  report::JsonWriter w(out, 0);
  w.begin_object().path_field("a", "b\xFF.json").path_field("b", "b\xFE.json").field("c", "b\xFF").end_object();
  CHECK(out == R"({"a":"b\udcff.json","b":"b\udcfe.json","c":"b)"
               "\xEF\xBF\xBD"
               R"("})");
}

TEST_CASE("free text is cut alike: its start, to a character's start, and its length", "[report]") {
  CHECK(clip_long_text("reviewed with the team") == "reviewed with the team");
  CHECK(clip_long_text(std::string(kLongestQuote, 'r')) == std::string(kLongestQuote, 'r'));
  CHECK(clip_long_text(std::string(500, 'r')) == std::string(120, 'r') + "… (500 bytes)");
  std::string euros = "x";
  for (int i = 0; i < 100; ++i) euros += "€";
  const std::string clipped = clip_long_text(euros);
  CHECK(clipped == "x" + euros.substr(1, 117) + "… (301 bytes)");
}

TEST_CASE("names no AWS resource can have are cut where findings repeat them", "[report]") {
  const std::string arn = "arn:aws:iam::111122223333:user/" + std::string(64, 'u');
  CHECK(clip_long_name(arn) == arn);
  CHECK(clip_long_name(std::string(kLongestName, 'n')) == std::string(kLongestName, 'n'));
  CHECK(clip_long_name(std::string(10'000'000, 'n')) == std::string(kLongestName / 2, 'n') + "… (10000000 bytes)");
}

TEST_CASE("messages cut a long quoted text to its start and length", "[report]") {
  CHECK(clip_long_quotes("short `text` stays") == "short `text` stays");
  const std::string digits(5000, '9');
  CHECK(clip_long_quotes("`" + digits + "` is not a number `NumericLessThan` can compare") ==
        "`" + std::string(120, '9') + "…` (5000 bytes) is not a number `NumericLessThan` can compare");
  // A quote of exactly the limit stays whole; an unpaired backtick is left alone.
  const std::string limit(kLongestQuote, 'a');
  CHECK(clip_long_quotes("`" + limit + "` and `" + digits) == "`" + limit + "` and `" + digits);
  // Cut at a character's start, never inside one.
  std::string euros;
  for (int i = 0; i < 100; ++i) euros += "x€";
  const std::string clipped = clip_long_quotes("`" + euros + "`");
  CHECK(clipped.starts_with("`x€x€"));
  CHECK(clipped.ends_with("…` (400 bytes)"));
  CHECK(clipped.size() < 140);
}
