#include <catch2/catch.hpp>

#include "match/values.h"

using namespace grantlint::match;

TEST_CASE("values: numbers", "[values]") {
  CHECK(parse_number("10") == 10.0);
  CHECK(parse_number("-2.5") == -2.5);
  CHECK(parse_number("+3") == 3.0);
  for (const char* bad : {"", "1e3", "0x10", "one", "1.", ".5", "1 0", "--1"}) {
    INFO(bad);
    CHECK_FALSE(parse_number(bad));
  }
}

TEST_CASE("values: dates in the W3C profiles and epoch seconds", "[values]") {
  CHECK(parse_date("1970-01-01T00:00:00Z") == 0.0);
  CHECK(parse_date("1970-01-02") == 86400.0);
  CHECK(parse_date("2026") == parse_date("2026-01-01T00:00Z"));
  CHECK(parse_date("2026-03") == parse_date("2026-03-01"));
  CHECK(parse_date("2020-02-29T12:00:00+02:00") == parse_date("2020-02-29T10:00:00Z"));
  CHECK(parse_date("2020-01-01T00:00:00.5Z") == *parse_date("2020-01-01T00:00:00Z") + 0.5);
  CHECK(parse_date("1700000000") == 1700000000.0);
  CHECK(parse_date("20260101") == 20260101.0);  // digits other than a 4-digit year are epoch seconds
  for (const char* bad : {"", "31/12/2026", "2021-02-29", "2026-13-01", "2026-01-01T25:00Z", "2026-01-01T10:00",
                          "2026-01-01 10:00Z", "2026-1-1"}) {
    INFO(bad);
    CHECK_FALSE(parse_date(bad));
  }
}

TEST_CASE("values: IP ranges", "[values]") {
  const auto v4 = parse_ip_range("203.0.113.0/24");
  REQUIRE(v4);
  CHECK_FALSE(v4->v6);
  CHECK(v4->prefix == 24);
  CHECK_FALSE(v4->host_bits_set);
  CHECK(parse_ip_range("198.51.100.7")->prefix == 32);
  CHECK(parse_ip_range("198.51.100.7/24")->host_bits_set);
  const auto v6 = parse_ip_range("2001:db8::/32");
  REQUIRE(v6);
  CHECK(v6->v6);
  CHECK(v6->address[0] == 0x20);
  CHECK(v6->address[1] == 0x01);
  CHECK(v6->address[3] == 0xb8);
  CHECK(parse_ip_range("::1")->address[15] == 1);
  CHECK(parse_ip_range("::")->prefix == 128);
  CHECK(parse_ip_range("1:2:3:4:5:6:7:8"));
  for (const char* bad : {"", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.4/33", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::",
                          "::/129", "1.2.3.4/", "1:2:3:4:5:6:7:", "g::1"}) {
    INFO(bad);
    CHECK_FALSE(parse_ip_range(bad));
  }
}

TEST_CASE("values: booleans", "[values]") {
  CHECK(parse_bool("true") == true);
  CHECK(parse_bool("FALSE") == false);
  CHECK_FALSE(parse_bool("yes"));
}
