#include "eval/pattern.h"

#include <algorithm>

#include "base/strings.h"
#include "match/scan.h"

namespace grantlint::eval {

namespace {

Token literal(char c) { return static_cast<Token>(static_cast<unsigned char>(c)); }

}  // namespace

bool tokens_match(std::span<const Token> p, std::string_view text, bool fold_case) {
  return match::wildcard_scan<Token>(
      p, text, fold_case, [](Token t) { return t == kStar; }, [](Token t) { return t == kOne; },
      [](Token t) { return static_cast<char>(t); });
}

Pattern::Pattern(std::string_view text, bool wildcards, bool variables) : text_(text) {
  for (std::size_t i = 0; i < text.size();) {
    if (variables && text.compare(i, 2, "${") == 0) {
      const auto close = text.find('}', i + 2);
      if (close != std::string_view::npos) {
        const std::string_view inside = text.substr(i + 2, close - i - 2);
        i = close + 1;
        if (inside == "*" || inside == "?" || inside == "$") {
          tokens_.push_back(literal(inside[0]));
          continue;
        }
        Variable variable;
        variable.at = tokens_.size();
        const auto comma = inside.find(',');
        std::string_view key = inside.substr(0, comma);
        if (comma != std::string_view::npos) {
          std::string_view rest = inside.substr(comma + 1);
          while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
          if (rest.size() >= 2 && rest.front() == '\'' && rest.back() == '\'') {
            variable.fallback = std::string(rest.substr(1, rest.size() - 2));
          }
        }
        while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
        variable.key = ascii_lower(key);
        variables_.push_back(std::move(variable));
        continue;
      }
    }
    const char c = text[i++];
    if (wildcards && c == '*') {
      tokens_.push_back(kStar);
    } else if (wildcards && c == '?') {
      tokens_.push_back(kOne);
    } else {
      tokens_.push_back(literal(c));
    }
  }
  takes_ = tokens_.size() - static_cast<std::size_t>(std::ranges::count(tokens_, kStar));
}

Expansion Pattern::expand(const Context& context, std::size_t text_size, std::vector<Token>& out) const {
  out.clear();
  // The value of a variable: null when it has none. A set cannot be substituted (IAM semantics
  // §2.5), even with a default.
  const auto value_of = [&](const Variable& variable) -> const std::string* {
    const ContextValue* value = context.find(variable.key);
    if (value == nullptr) return variable.fallback ? &*variable.fallback : nullptr;
    return value->multi || value->values.size() != 1 ? nullptr : &value->values.front();
  };
  // Measured first: a pattern too long for the text is not built.
  std::size_t takes = takes_;
  for (const Variable& variable : variables_) {
    if (context.is_unknown(variable.key)) return Expansion::unknown;
    const std::string* value = value_of(variable);
    if (value == nullptr) return Expansion::unresolved;
    takes += value->size();
  }
  if (takes > text_size) return Expansion::too_long;
  std::size_t next = 0;
  for (const Variable& variable : variables_) {
    out.insert(out.end(), tokens_.begin() + static_cast<std::ptrdiff_t>(next),
               tokens_.begin() + static_cast<std::ptrdiff_t>(variable.at));
    next = variable.at;
    for (const char c : *value_of(variable)) out.push_back(literal(c));
  }
  out.insert(out.end(), tokens_.begin() + static_cast<std::ptrdiff_t>(next), tokens_.end());
  return Expansion::resolved;
}

bool Pattern::reads_unknown(const Context& context) const {
  for (const Variable& variable : variables_) {
    if (context.is_unknown(variable.key)) return true;
  }
  return false;
}

}  // namespace grantlint::eval
