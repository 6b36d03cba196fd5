#include <re2/re2.h>

#include <catch2/catch.hpp>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "match/glob.h"

using grantlint::match::Glob;
using grantlint::match::glob_matches;

namespace {

// The simplest correct matcher: plain recursion over the definition (exponential, so
// only for short strings).
bool reference(std::string_view p, std::string_view t, bool fold) {
  if (p.empty()) return t.empty();
  if (p[0] == '*') return reference(p.substr(1), t, fold) || (!t.empty() && reference(p, t.substr(1), fold));
  if (t.empty()) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  const bool same = p[0] == '?' || p[0] == t[0] || (fold && lower(p[0]) == lower(t[0]));
  return same && reference(p.substr(1), t.substr(1), fold);
}

// The same language as an anchored RE2 regular expression: a second, independent oracle.
std::string to_regex(std::string_view p) {
  std::string out;
  for (char c : p) {
    if (c == '*') {
      out += "(?s:.*)";
    } else if (c == '?') {
      out += "(?s:.)";
    } else {
      out += RE2::QuoteMeta(std::string(1, c));
    }
  }
  return out;
}

// Every string of length 0..n over `alphabet`.
std::vector<std::string> all_strings(std::string_view alphabet, std::size_t n) {
  std::vector<std::string> out{""};
  std::vector<std::string> frontier{""};
  for (std::size_t len = 1; len <= n; ++len) {
    std::vector<std::string> next;
    for (const std::string& s : frontier) {
      for (char c : alphabet) next.push_back(s + c);
    }
    out.insert(out.end(), next.begin(), next.end());
    frontier = std::move(next);
  }
  return out;
}

}  // namespace

TEST_CASE("glob: exhaustive against the reference matcher and RE2", "[match]") {
  // Patterns of up to 5 symbols over {a, B, *, ?}; texts of up to 5 characters over {a, b, A, :}.
  const auto patterns = all_strings("aB*?", 5);
  const auto texts = all_strings("abA:", 5);
  std::size_t compared = 0;
  for (const std::string& p : patterns) {
    const Glob sensitive(p, false);
    const Glob folded(p, true);
    RE2::Options options;
    options.set_log_errors(false);
    const RE2 re(to_regex(p), options);
    options.set_case_sensitive(false);
    const RE2 re_folded(to_regex(p), options);
    REQUIRE(re.ok());
    for (const std::string& t : texts) {
      INFO("pattern `" << p << "` text `" << t << "`");
      const bool expected = reference(p, t, false);
      REQUIRE(sensitive.matches(t) == expected);
      REQUIRE(RE2::FullMatch(t, re) == expected);
      const bool expected_folded = reference(p, t, true);
      REQUIRE(folded.matches(t) == expected_folded);
      REQUIRE(RE2::FullMatch(t, re_folded) == expected_folded);
      ++compared;
    }
  }
  CHECK(compared > 1'000'000);
}

TEST_CASE("glob: table of IAM cases", "[match]") {
  struct Case {
    const char* pattern;
    const char* text;
    bool fold;
    bool expected;
  };
  const Case cases[] = {
      {"Get*", "GetObject", true, true},
      {"get*", "GetObject", true, true},
      {"get*", "GetObject", false, false},
      {"*Object", "GetObject", true, true},
      {"Get?bject", "GetObject", true, true},
      {"Get?bject", "GetObbject", true, false},
      {"*", "", true, true},
      {"", "", true, true},
      {"", "x", true, false},
      {"B/*/test/*", "B/1/2/test/3/object.jpg", false, true},  // `*` crosses `/`
      {"B/*/test/*", "B/test/object.jpg", false, false},
      {"B/*/test/*", "B//test/object.jpg", false, true},
      {"a*:*b", "a:x:b", false, true},  // and `:`
      {"**a**", "bab", false, true},
      {"*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, false},  // no blow-up
  };
  for (const Case& c : cases) {
    INFO(c.pattern << " ~ " << c.text);
    CHECK(glob_matches(c.pattern, c.text, c.fold) == c.expected);
  }
  CHECK(Glob("s3:Get*", true).has_wildcard());
  CHECK_FALSE(Glob("GetObject", true).has_wildcard());
}

#include "match/arn.h"

TEST_CASE("glob intersection: exhaustive against a brute-force witness search", "[match]") {
  const auto patterns = all_strings("ab*?", 3);
  const auto witnesses = all_strings("ab", 6);  // long enough for any two 3-symbol patterns
  for (const std::string& a : patterns) {
    for (const std::string& b : patterns) {
      bool expected = false;
      for (const std::string& w : witnesses) {
        if (reference(a, w, false) && reference(b, w, false)) {
          expected = true;
          break;
        }
      }
      INFO("`" << a << "` and `" << b << "`");
      REQUIRE(grantlint::match::globs_intersect(a, b) == expected);
    }
  }
}

// `reference` with kNameStar: any run of characters without `/`.
bool reference_with_names(std::string_view p, std::string_view t) {
  if (!p.empty() && p[0] == grantlint::match::kNameStar) {
    return reference_with_names(p.substr(1), t) || (!t.empty() && t[0] != '/' && reference_with_names(p, t.substr(1)));
  }
  if (p.empty() || p[0] == '*') {
    if (p.empty()) return t.empty();
    return reference_with_names(p.substr(1), t) || (!t.empty() && reference_with_names(p, t.substr(1)));
  }
  if (t.empty()) return false;
  return (p[0] == '?' || p[0] == t[0]) && reference_with_names(p.substr(1), t.substr(1));
}

TEST_CASE("glob intersection with name stars: exhaustive against a brute-force witness search", "[match]") {
  // Name stars are the catalog's (b); a policy's (a) U+0001 is a character like any other.
  const auto policies = all_strings("a/*?", 3);
  const auto types = all_strings(std::string("a/*?") + grantlint::match::kNameStar, 3);
  const auto witnesses = all_strings("a/", 6);
  for (const std::string& a : policies) {
    for (const std::string& b : types) {
      bool expected = false;
      for (const std::string& w : witnesses) {
        if (reference_with_names(a, w) && reference_with_names(b, w)) {
          expected = true;
          break;
        }
      }
      INFO("`" << a << "` and `" << b << "`");
      REQUIRE(grantlint::match::globs_intersect(a, b) == expected);
    }
  }
  // A bucket's type names no object; an object pattern names no bucket.
  const std::string bucket = std::string(1, grantlint::match::kNameStar);
  CHECK_FALSE(grantlint::match::globs_intersect("reports/*", bucket));
  CHECK(grantlint::match::globs_intersect("reports*", bucket));
  CHECK(grantlint::match::globs_intersect("*", bucket));
  CHECK_FALSE(grantlint::match::globs_intersect(bucket + "x", "ax"));  // a policy's U+0001 is literal
  CHECK(grantlint::match::globs_intersect(bucket, bucket));
}

TEST_CASE("glob intersection: patterns of any length agree with the short ones' word table", "[match]") {
  // `b` up to 62 characters is matched a word per row, a longer one a byte per cell. A literal
  // tail both share changes nothing (a witness of both ends with it): past 62 characters, each
  // pair must give what it gives without the tail.
  std::mt19937 random(20261201);
  const std::string alphabet = std::string("ab/*?") + grantlint::match::kNameStar;
  const auto draw = [&](bool names) {
    std::string out(random() % 12, 'a');
    for (char& c : out) c = alphabet[random() % (names ? alphabet.size() : alphabet.size() - 1)];
    return out;
  };
  const std::string tail(60, 'b');
  for (int k = 0; k < 20000; ++k) {
    const std::string a = draw(false);
    const std::string b = draw(true);
    INFO("`" << a << "` and `" << b << "`");
    REQUIRE(grantlint::match::globs_intersect(a, b) == grantlint::match::globs_intersect(a + tail, b + tail));
  }
}

TEST_CASE("arn patterns: fields, padding and templates", "[match]") {
  using grantlint::match::arn_pattern_can_match_template;
  using grantlint::match::split_arn_pattern;
  const auto object = split_arn_pattern("arn:aws:s3:::bucket/key:with:colons", false);
  REQUIRE(object);
  CHECK(object->service == "s3");
  CHECK(object->resource == "bucket/key:with:colons");
  const auto short_pattern = split_arn_pattern("arn:aws:s3*", false);
  REQUIRE(short_pattern);
  CHECK(short_pattern->service == "s3*");
  CHECK(short_pattern->resource == "*");
  CHECK_FALSE(split_arn_pattern("arn:aws:s3", false));
  CHECK_FALSE(split_arn_pattern("bucket/*", false));
  const auto variable = split_arn_pattern("arn:aws:s3:::home/${aws:username}/*", true);
  CHECK(variable->resource == "home/*/*");

  const std::string object_type = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
  const std::string bucket_type = "arn:${Partition}:s3:::${BucketName}";
  CHECK(arn_pattern_can_match_template(*object, object_type));
  CHECK(arn_pattern_can_match_template(*split_arn_pattern("arn:aws:s3:::b", false), bucket_type));
  CHECK_FALSE(arn_pattern_can_match_template(*split_arn_pattern("arn:aws:s3:::b", false), object_type));
  CHECK(arn_pattern_can_match_template(*split_arn_pattern("arn:aws:s3:::b*", false), object_type));
  // Wildcards in the first fields stay inside them.
  CHECK_FALSE(arn_pattern_can_match_template(*split_arn_pattern("arn:aws:s3:eu-west-1:*:b/k", false), object_type));
  CHECK(arn_pattern_can_match_template(*split_arn_pattern("arn:*:*:*:*:*", false), object_type));
}
