#include "eval/pattern.h"

#include "base/strings.h"

namespace grantlint::eval {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

Token literal(char c) { return static_cast<Token>(static_cast<unsigned char>(c)); }

}  // namespace

bool tokens_match(std::span<const Token> p, std::string_view text, bool fold_case) {
  std::size_t pi = 0;
  std::size_t ti = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_text = 0;
  const auto same = [fold_case](Token token, char c) {
    if (token == kOne) return true;
    const char pc = static_cast<char>(token);
    return fold_case ? lower(pc) == lower(c) : pc == c;
  };
  while (ti < text.size()) {
    if (pi < p.size() && p[pi] == kStar) {
      star = pi++;
      star_text = ti;
    } else if (pi < p.size() && same(p[pi], text[ti])) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++star_text;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == kStar) ++pi;
  return pi == p.size();
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
}

Expansion Pattern::expand(const Context& context, std::vector<Token>& out) const {
  out.clear();
  std::size_t next = 0;
  for (const Variable& variable : variables_) {
    out.insert(out.end(), tokens_.begin() + static_cast<std::ptrdiff_t>(next),
               tokens_.begin() + static_cast<std::ptrdiff_t>(variable.at));
    next = variable.at;
    if (context.is_unknown(variable.key)) return Expansion::unknown;
    const ContextValue* value = context.find(variable.key);
    const std::string* text = nullptr;
    if (value == nullptr) {
      if (!variable.fallback) return Expansion::unresolved;
      text = &*variable.fallback;
    } else {
      // A set cannot be substituted (IAM semantics §2.5), even with a default.
      if (value->multi || value->values.size() != 1) return Expansion::unresolved;
      text = &value->values.front();
    }
    for (const char c : *text) out.push_back(literal(c));
  }
  out.insert(out.end(), tokens_.begin() + static_cast<std::ptrdiff_t>(next), tokens_.end());
  return Expansion::resolved;
}

std::vector<std::string> Pattern::variable_keys() const {
  std::vector<std::string> keys;
  for (const Variable& variable : variables_) keys.push_back(variable.key);
  return keys;
}

}  // namespace grantlint::eval
