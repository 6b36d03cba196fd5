#include "input/glob_automaton.h"

#include <algorithm>
#include <span>

#include "input/walk.h"

namespace grantlint::input {

namespace {

constexpr std::size_t kWordBits = 64;
constexpr unsigned char kSlashClass = 1;

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }
// The states of the longest glob taken fit on the stack: matching allocates nothing.
constexpr std::size_t kInlineWords = (kMaxGlobLength + 1 + kWordBits - 1) / kWordBits;

void set_bit(std::vector<std::uint64_t>& bits, std::size_t offset, std::size_t bit) {
  bits[offset + bit / kWordBits] |= std::uint64_t{1} << (bit % kWordBits);
}

enum class Token : unsigned char { literal, any_character, star, double_star };

// Each token's kind, and the byte a literal one names.
struct Tokens {
  std::vector<Token> kinds;
  std::vector<unsigned char> bytes;
};

Tokens tokenize(std::string_view pattern) {
  Tokens out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '*') {
      // A longer run matches as `**` does (prepare_glob leaves none).
      const std::size_t run_end = std::min(pattern.find_first_not_of('*', i), pattern.size());
      out.kinds.push_back(run_end - i >= 2 ? Token::double_star : Token::star);
      out.bytes.push_back(0);
      i = run_end - 1;
      continue;
    }
    out.kinds.push_back(c == '?' ? Token::any_character : Token::literal);
    out.bytes.push_back(static_cast<unsigned char>(c));
  }
  return out;
}

}  // namespace

GlobAutomaton::GlobAutomaton(std::string_view pattern) {
  const Tokens tokens = tokenize(pattern);
  tokens_ = tokens.kinds.size();
  words_ = (tokens_ + 1 + kWordBits - 1) / kWordBits;
  class_of_[static_cast<unsigned char>('/')] = kSlashClass;
  std::size_t classes = 2;
  for (std::size_t k = 0; k < tokens_; ++k) {
    if (tokens.kinds[k] == Token::literal && class_of_[tokens.bytes[k]] == 0 && tokens.bytes[k] != '/') {
      class_of_[tokens.bytes[k]] = static_cast<std::uint16_t>(classes++);
    }
  }
  advance_.assign(classes * words_, 0);
  stars_.assign(words_, 0);
  double_stars_.assign(words_, 0);
  any_directories_.assign(words_, 0);
  any_characters_.assign(words_, 0);
  after_any_character_.assign(words_, 0);
  for (std::size_t k = 0; k < tokens_; ++k) {
    switch (tokens.kinds[k]) {
      case Token::literal:
        set_bit(advance_, class_of_[tokens.bytes[k]] * words_, k);
        break;
      case Token::any_character:  // on its first byte; the others keep the state past it
        set_bit(any_characters_, 0, k);
        set_bit(after_any_character_, 0, k + 1);
        break;
      case Token::double_star:
        set_bit(double_stars_, 0, k);
        set_bit(stars_, 0, k);
        if (k + 1 < tokens_ && tokens.kinds[k + 1] == Token::literal && tokens.bytes[k + 1] == '/' &&
            (k == 0 || (tokens.kinds[k - 1] == Token::literal && tokens.bytes[k - 1] == '/'))) {
          set_bit(any_directories_, 0, k);
        }
        break;
      case Token::star:
        set_bit(stars_, 0, k);
        break;
    }
  }
}

bool GlobAutomaton::matches(std::string_view path) const {
  std::array<std::uint64_t, kInlineWords> inline_states{};
  std::vector<std::uint64_t> heap_states;
  if (words_ > kInlineWords) heap_states.resize(words_);
  const std::span<std::uint64_t> states =
      words_ > kInlineWords ? std::span<std::uint64_t>(heap_states) : std::span(inline_states).first(words_);
  // Before the first token, past a `**/` that matches no directory, and past a star without a
  // byte (a `**/` is never before another, nor a star before a star: prepare_glob merges them).
  std::uint64_t first = 1 | ((any_directories_[0] & 1) << 2);
  first |= (first & stars_[0]) << 1;
  states[0] = first;
  // Continuation bytes the current character's first byte announces: `?` takes them with it,
  // and no stray one after an ASCII byte (`?.json` and `a\x80.json` are two characters: h48 L2).
  int announced = 0;
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const std::uint64_t* advance = advance_mask(byte);
    const std::uint64_t* kept = byte == '/' ? double_stars_.data() : stars_.data();
    const bool continuation = is_continuation(byte) && announced > 0;
    announced = continuation ? announced - 1 : byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0;
    const bool first_byte = byte != '/' && !continuation;  // of a character `?` takes (a stray byte is one)
    // From the lowest word up, so that the bits crossing into a word come from the one below,
    // before (the byte's step) and after (the directories and stars passed without a byte) it
    // moved on.
    std::uint64_t moved_carry = 0;
    std::uint64_t skipped_carry = 0;
    std::uint64_t passed_carry = 0;
    std::uint64_t any = 0;
    for (std::size_t w = 0; w < words_; ++w) {
      const std::uint64_t moved = states[w] & (advance[w] | (first_byte ? any_characters_[w] : 0));
      std::uint64_t next = (moved << 1) | moved_carry | (states[w] & kept[w]);
      if (continuation) next |= states[w] & after_any_character_[w];
      moved_carry = moved >> (kWordBits - 1);
      // Only where a segment starts: right after a `/` (`**/b.json` takes `a/b.json`, never `ab.json`).
      const std::uint64_t at_directories = byte == '/' ? next & any_directories_[w] : 0;
      next |= (at_directories << 2) | skipped_carry;
      skipped_carry = at_directories >> (kWordBits - 2);
      const std::uint64_t at_stars = next & stars_[w];
      next |= (at_stars << 1) | passed_carry;
      passed_carry = at_stars >> (kWordBits - 1);
      states[w] = next;
      any |= next;
    }
    if (any == 0) return false;
  }
  return ((states[tokens_ / kWordBits] >> (tokens_ % kWordBits)) & 1) != 0;
}

}  // namespace grantlint::input
