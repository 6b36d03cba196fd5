// A prepared path glob as an automaton whose states are the positions between its tokens (a
// byte, `?` (one character), `*`, `**`), one bit each, so that matching a path moves all the states it may be in
// at once, a 64-bit word at a time: |path| × ⌈tokens / 64⌉ word operations, where filling the
// table of "glob from i matches path from j" cost |glob| × |path| cells (30 globs of 3.9 KB over
// 30 paths of 2 KB took 38 s).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace grantlint::input {

class GlobAutomaton {
 public:
  // `pattern` as prepare_glob leaves it: no run of more than two `*`, so that a star token is
  // never followed by another and passing the stars without a byte is one shift.
  explicit GlobAutomaton(std::string_view pattern = {});
  [[nodiscard]] bool matches(std::string_view path) const;

 private:
  [[nodiscard]] const std::uint64_t* advance_mask(unsigned char byte) const {
    return advance_.data() + static_cast<std::size_t>(class_of_[byte]) * words_;
  }

  std::size_t tokens_ = 0;
  std::size_t words_ = 0;  // a set of states: tokens_ + 1 bits
  // By byte: its class, 0 for the bytes no literal token names (those only `?` and the stars
  // take), 1 for `/` (which `?` and `*` refuse), then one a byte the glob names; not 256 masks.
  std::array<std::uint16_t, 256> class_of_{};
  std::vector<std::uint64_t> advance_;       // by class: the states a byte of it moves one token on
  std::vector<std::uint64_t> stars_;         // states before `*` or `**`: a byte other than `/` keeps them
  std::vector<std::uint64_t> double_stars_;  // states before `**`: `/` keeps them too
  // States before a `**/` that starts the glob or follows a `/`: where a segment starts (the path's
  // start, or right after a `/`) it matches no directory too, so the state two tokens on holds as well (`**/*.json`
  // takes `a.json`, `a/**/b` takes `a/b`).
  std::vector<std::uint64_t> any_directories_;
  // States before `?`, which takes one UTF-8 character: a byte other than `/` that starts one
  // moves them on (a mask of their own, not a bit in every class: 4,096 `?` over 256 classes
  // made preparing 12,000 suppression paths take 19 s, h47 M3).
  std::vector<std::uint64_t> any_characters_;
  // States just past `?`: the continuation bytes of its character keep them.
  std::vector<std::uint64_t> after_any_character_;
};

}  // namespace grantlint::input
