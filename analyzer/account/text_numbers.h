// Numbers texts by their content, in the order each is first seen: most of an export's policy
// documents are copies (40,589 documents and 5,039 texts in bench/gen_export.mjs's), analysed
// once per text. The texts are hashed on all cores, each is compared with the first text of its
// hash on all cores, and the numbers are given in order on the calling thread; a text whose hash
// an earlier, different text has (a collision, or a crafted one) is numbered by its content.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/parallel.h"

namespace grantlint::account {

// The number of each of `count` texts (`text(i)`, called from any thread), from 0; `distinct`
// is set to how many there are.
template <class Text, class Hash = std::hash<std::string_view>>
std::vector<std::size_t> number_by_text(std::size_t count, const Text& text, unsigned threads, std::size_t& distinct,
                                        const Hash& hash = {}) {
  constexpr std::size_t kTextsPerPart = 256;
  std::vector<std::size_t> hashes(count);
  run_in_parts(count, threads, kTextsPerPart, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) hashes[i] = hash(text(i));
  });
  std::vector<std::size_t> first_of_hash(count);
  {
    std::unordered_map<std::size_t, std::size_t> first;
    for (std::size_t i = 0; i < count; ++i) first_of_hash[i] = first.try_emplace(hashes[i], i).first->second;
  }
  std::vector<std::uint8_t> same_text(count, 1);  // as the first text of its hash
  run_in_parts(count, threads, kTextsPerPart, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (first_of_hash[i] != i) same_text[i] = text(i) == text(first_of_hash[i]) ? 1 : 0;
    }
  });
  std::vector<std::size_t> number(count);
  std::unordered_map<std::string_view, std::size_t> collided;
  distinct = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (same_text[i] != 0) {
      number[i] = first_of_hash[i] == i ? distinct++ : number[first_of_hash[i]];
    } else {
      number[i] = collided.try_emplace(text(i), distinct).first->second;
      if (number[i] == distinct) ++distinct;
    }
  }
  return number;
}

}  // namespace grantlint::account
