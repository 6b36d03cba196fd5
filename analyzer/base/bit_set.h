// A set of the numbers below a size fixed when it is made, as bits 64 to a word: a union
// costs one OR per 64 members, where std::vector<bool> goes a bit at a time.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace grantlint {

class BitSet {
 public:
  BitSet() = default;
  explicit BitSet(std::size_t size) : words_(words_for(size), 0) {}

  // Empties the set and makes it hold numbers below `size`.
  void reset(std::size_t size) { words_.assign(words_for(size), 0); }
  void set(std::size_t number) { words_[number / 64] |= std::uint64_t{1} << (number % 64); }
  [[nodiscard]] bool test(std::size_t number) const { return ((words_[number / 64] >> (number % 64)) & 1u) != 0; }
  [[nodiscard]] bool operator[](std::size_t number) const { return test(number); }

  // The union with a set of the same size.
  BitSet& operator|=(const BitSet& other) {
    assert(words_.size() == other.words_.size());
    for (std::size_t i = 0; i < words_.size(); ++i) words_[i] |= other.words_[i];
    return *this;
  }

 private:
  static std::size_t words_for(std::size_t size) { return (size + 63) / 64; }
  std::vector<std::uint64_t> words_;
};

}  // namespace grantlint
