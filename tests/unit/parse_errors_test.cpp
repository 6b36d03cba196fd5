#include "cli/parse_errors.h"

#include <catch2/catch.hpp>

namespace {

using grantlint::cli::plain_parse_error;

}  // namespace

TEST_CASE("parse errors: CLI11's messages said grantlint's way", "[cli]") {
  CHECK(plain_parse_error("--threads: Value abc not in range 0 to 1024", "scan") ==
        "--threads: `abc` is not a number; give a whole number from 0 to 1024");
  CHECK(plain_parse_error("--threads: Value 5000 not in range 0 to 1024", "scan") ==
        "--threads: `5000` is out of range; give a whole number from 0 to 1024");
  CHECK(plain_parse_error("--format: jsno not in {text,json,sarif,github}", "check") ==
        "--format: `jsno` is not `text`, `json`, `sarif` or `github`; did you mean `json`?");
  CHECK(plain_parse_error("--format: 1 required TEXT:{text,json} missing", "rules") ==
        "--format needs a value: `text` or `json`");
  CHECK(plain_parse_error("--threads: 1 required UINT:UINT in [0 - 1024] missing", "scan") ==
        "--threads needs a value: a number from 0 to 1024");
  CHECK(plain_parse_error("--request: 1 required TEXT missing", "simulate") == "--request needs a value");
  CHECK(plain_parse_error("--format: At Most 1 required but received 2", "check") ==
        "--format is given 2 times; give it once");
  CHECK(plain_parse_error("--base-dir: Directory does not exist: /x y", "check") ==
        "--base-dir: `/x y` is not a directory (it does not exist)");
  CHECK(plain_parse_error("paths is required", "check") ==
        "`grantlint check` needs a path to read (a file, a directory, or `-` for standard input)");
  CHECK(plain_parse_error("pattern is required", "catalog expand") ==
        "`grantlint catalog expand` needs an action pattern such as `s3:Get*`");
  // A form not known here keeps its words, its first one lowercased; an acronym stays.
  CHECK(plain_parse_error("--x: Something new happened", "check") == "--x: something new happened");
  CHECK(plain_parse_error("ARN not accepted", "") == "ARN not accepted");
  CHECK(plain_parse_error("", "") == "");
}
