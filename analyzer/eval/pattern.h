// Patterns whose text may hold policy variables (IAM semantics §2.1, §2.5). A pattern is
// compiled once into tokens; a token is a literal byte, `*` or `?`. Substituted values
// and `${*}`, `${?}`, `${$}` always become literal bytes, so a value holding `*` never
// turns into a wildcard.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eval/context.h"

namespace grantlint::eval {

using Token = std::uint16_t;
inline constexpr Token kStar = 256;
inline constexpr Token kOne = 257;

// Whether `text` matches the token pattern; `fold_case` compares ASCII letters without
// regard to case. Two-pointer scan with one backtrack point, or for a long pattern over a long
// text the automaton (match/scan.h): O(|t|·⌈|p|/64⌉) at worst.
bool tokens_match(std::span<const Token> pattern, std::string_view text, bool fold_case);

// What substituting a pattern's variables gave.
enum class Expansion : std::uint8_t {
  resolved,    // every variable had a value (or its default)
  unresolved,  // a variable names an absent or multivalued key without a default: matches nothing
  unknown,     // a variable names a key the caller marked unknown
  too_long,    // resolved, but longer than the text it is for: matches nothing, and not substituted
};

class Pattern {
 public:
  Pattern() = default;
  // `wildcards`: whether `*` and `?` written in the text are wildcards (StringLike: yes;
  // StringEquals: no). `variables`: whether `${...}` is live (Version 2012-10-17).
  Pattern(std::string_view text, bool wildcards, bool variables);

  [[nodiscard]] bool has_variables() const { return !variables_.empty(); }
  [[nodiscard]] const std::string& text() const { return text_; }
  // The tokens of a pattern without variables.
  [[nodiscard]] std::span<const Token> tokens() const { return tokens_; }
  // The tokens with every variable replaced by its value from `context`; too_long, without
  // substituting, when they would take more than `text_size` bytes to match (each token but
  // `*` takes one). A hostile policy repeating `${aws:username}` 1,400 times for a principal
  // of a 14 KB name made every probe of a scan build 20 MB (hostile h49 H2).
  Expansion expand(const Context& context, std::size_t text_size, std::vector<Token>& out) const;
  // Whether a variable reads a key the caller marked unknown.
  [[nodiscard]] bool reads_unknown(const Context& context) const;

 private:
  struct Variable {
    std::size_t at = 0;  // token index where the value goes
    std::string key;     // lower case
    std::optional<std::string> fallback;
  };
  std::string text_;
  std::vector<Token> tokens_;  // without the variables' values
  std::size_t takes_ = 0;      // bytes of text its tokens take at least: all but the `*`s
  std::vector<Variable> variables_;
};

}  // namespace grantlint::eval
