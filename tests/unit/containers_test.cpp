#include <catch2/catch.hpp>
#include <string>

#include "base/bit_set.h"
#include "base/flat_map.h"

using namespace grantlint;

TEST_CASE("flat map keeps the first value of a key and its order, below and past its index", "[flat_map]") {
  for (const int count : {3, static_cast<int>(kIndexedFrom) - 1, static_cast<int>(kIndexedFrom), 500}) {
    FlatMap<int, std::string> map;
    for (int i = 0; i < count; ++i) CHECK(map.emplace(i * 7, std::to_string(i)));
    for (int i = 0; i < count; ++i) CHECK_FALSE(map.emplace(i * 7, "again"));
    CHECK(map.size() == static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      REQUIRE(map.contains(i * 7));
      CHECK(map.at(i * 7) == std::to_string(i));
      CHECK(map.find(i * 7)->second == std::to_string(i));
    }
    CHECK_FALSE(map.contains(1));
    CHECK(map.find(-7) == map.end());
    CHECK_THROWS_AS(map.at(1), std::out_of_range);
    int expected = 0;
    for (const auto& [key, value] : map) CHECK(key == 7 * expected++);
  }
}

TEST_CASE("flat set answers alike below and past its index", "[flat_map]") {
  FlatSet<int> set;
  for (int i = 0; i < 100; ++i) {
    CHECK(set.insert(i));
    CHECK_FALSE(set.insert(i));
    for (int j = 0; j <= i; ++j) CHECK(set.contains(j));
    CHECK_FALSE(set.contains(i + 1));
  }
  CHECK(set.size() == 100);
}

TEST_CASE("bit set holds the numbers set, across word boundaries, and unions word by word", "[bit_set]") {
  for (const std::size_t size : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{200}}) {
    BitSet evens(size);
    BitSet odds(size);
    for (std::size_t i = 0; i < size; ++i) (i % 2 == 0 ? evens : odds).set(i);
    for (std::size_t i = 0; i < size; ++i) {
      CHECK(evens.test(i) == (i % 2 == 0));
      CHECK(odds[i] == (i % 2 == 1));
    }
    evens |= odds;
    for (std::size_t i = 0; i < size; ++i) CHECK(evens.test(i));
    evens.reset(size);
    for (std::size_t i = 0; i < size; ++i) CHECK_FALSE(evens.test(i));
  }
}
