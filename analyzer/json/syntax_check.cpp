#include "json/syntax_check.h"

#include <vector>

#include <fmt/format.h>

#include "base/strings.h"
#include "base/utf8.h"

namespace grantlint::json {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the valid UTF-8 sequence at text[i], or 0.
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const CodePoint cp = decode_utf8(text, i);
  return cp.valid ? cp.length : 0;
}

class Checker {
 public:
  explicit Checker(std::string_view text) : text_(text) {}

  std::optional<SyntaxProblem> run() {
    skip_ws();
    if (pos_ == text_.size()) return fail("the file is empty: expected a JSON value");
    if (auto problem = value()) return problem;
    while (true) {
      skip_ws();
      if (stack_.empty()) {
        if (pos_ < text_.size()) {
          SyntaxProblem problem = fail_here("content after the end of the JSON value");
          problem.trailing = true;
          return problem;
        }
        return std::nullopt;
      }
      const bool in_object = stack_.back() == '{';
      const char close = in_object ? '}' : ']';
      if (pos_ == text_.size()) {
        return fail(fmt::format("unexpected end of input: expected `,` or `{}`", close));
      }
      const char c = text_[pos_];
      if (c == close) {
        ++pos_;
        stack_.pop_back();
        continue;
      }
      if (c != ',') {
        return fail_here(fmt::format("expected `,` or `{}` after {}, found {}", close,
                                     in_object ? "an object member" : "an array element",
                                     describe_byte(text_, pos_)));
      }
      ++pos_;
      skip_ws();
      if (in_object) {
        if (auto problem = member_start(false)) return problem;
      }
      if (auto problem = value()) return problem;
    }
  }

 private:
  void skip_ws() {
    while (pos_ < text_.size() && is_json_space(text_[pos_])) ++pos_;
  }

  SyntaxProblem fail(std::string message) const {
    return {static_cast<std::uint32_t>(pos_), pos_ < text_.size() ? 1u : 0u, std::move(message), false};
  }
  SyntaxProblem fail_here(std::string message) const {
    const std::size_t len = pos_ < text_.size() ? std::max<std::size_t>(utf8_sequence(text_, pos_), 1) : 0;
    return {static_cast<std::uint32_t>(pos_), static_cast<std::uint32_t>(len), std::move(message), false};
  }

  // At a key (after `{` or `,`): the key string and its colon. `allow_close` when the
  // object may end here.
  std::optional<SyntaxProblem> member_start(bool allow_close) {
    if (pos_ == text_.size()) {
      return fail(allow_close ? "unexpected end of input: expected a string key or `}`"
                              : "unexpected end of input: expected a string key");
    }
    if (text_[pos_] != '"') {
      if (text_[pos_] == '}' && !allow_close) {
        return fail_here("expected a string key after `,`, found `}` (trailing commas are not JSON)");
      }
      return fail_here(fmt::format("expected a string key{}, found {}", allow_close ? " or `}`" : "",
                                   describe_byte(text_, pos_)));
    }
    if (auto problem = string()) return problem;
    skip_ws();
    if (pos_ == text_.size()) return fail("unexpected end of input: expected `:` after the key");
    if (text_[pos_] != ':') {
      return fail_here(fmt::format("expected `:` after the key, found {}", describe_byte(text_, pos_)));
    }
    ++pos_;
    skip_ws();
    return std::nullopt;
  }

  // Parses one value; containers are opened and left on the stack for run() to continue.
  std::optional<SyntaxProblem> value() {
    while (true) {
      if (pos_ == text_.size()) return fail("unexpected end of input: expected a value");
      const char c = text_[pos_];
      if (c == '{' || c == '[') {
        stack_.push_back(c);
        ++pos_;
        skip_ws();
        const char close = c == '{' ? '}' : ']';
        if (pos_ < text_.size() && text_[pos_] == close) {
          ++pos_;
          stack_.pop_back();
          return std::nullopt;
        }
        if (c == '{') {
          if (auto problem = member_start(true)) return problem;
        } else if (pos_ == text_.size()) {
          return fail("unexpected end of input: expected a value or `]`");
        } else if (text_[pos_] == ',') {
          return fail_here("expected a value, found `,`");
        }
        continue;  // the first value of the new container
      }
      if (c == '"') return string();
      if (c == '-' || is_digit(c)) return number();
      if (c == 't') return literal("true");
      if (c == 'f') return literal("false");
      if (c == 'n') return literal("null");
      if (c == ']' && !stack_.empty() && stack_.back() == '[') {
        return fail_here("expected a value after `,`, found `]` (trailing commas are not JSON)");
      }
      return fail_here(fmt::format("expected a value, found {}", describe_byte(text_, pos_)));
    }
  }

  std::optional<SyntaxProblem> literal(std::string_view word) {
    const std::size_t start = pos_;
    std::size_t k = 0;
    while (k < word.size() && pos_ + k < text_.size() && text_[pos_ + k] == word[k]) ++k;
    if (k == word.size()) {
      pos_ += k;
      return std::nullopt;
    }
    // Underline the bad word: printable ASCII up to a delimiter, 20 bytes at most.
    std::size_t end = start;
    while (end < text_.size() && end - start < 20) {
      const auto c = static_cast<unsigned char>(text_[end]);
      if (c <= 0x20 || c >= 0x7F || c == ',' || c == '}' || c == ']' || c == '`') break;
      ++end;
    }
    if (end == start) end = start + 1;
    const std::string_view shown = text_.substr(start, end - start);
    return SyntaxProblem{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end - start),
                         fmt::format("invalid literal `{}`: expected `{}`", shown, word), false};
  }

  std::optional<SyntaxProblem> number() {
    const std::size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    if (pos_ == text_.size() || !is_digit(text_[pos_])) {
      return fail_here("invalid number: expected a digit after `-`");
    }
    if (text_[pos_] == '0' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1])) {
      return SyntaxProblem{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(pos_ + 2 - start),
                           "invalid number: a leading zero must not be followed by a digit", false};
    }
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (pos_ == text_.size() || !is_digit(text_[pos_])) {
        return fail_here("invalid number: expected a digit after `.`");
      }
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (pos_ == text_.size() || !is_digit(text_[pos_])) {
        return fail_here("invalid number: expected a digit in the exponent");
      }
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    return std::nullopt;
  }

  std::optional<SyntaxProblem> string() {
    const std::size_t start = pos_;
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= text_.size()) {
        return SyntaxProblem{static_cast<std::uint32_t>(start), 1,
                             "unterminated string: expected a closing `\"`", false};
      }
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return std::nullopt;
      }
      if (c < 0x20) {
        return fail_here(fmt::format("control character U+{:04X} must be escaped inside a string", c));
      }
      if (c == '\\') {
        if (auto problem = escape()) return problem;
        continue;
      }
      if (c >= 0x80) {
        const std::size_t len = utf8_sequence(text_, pos_);
        if (len == 0) {
          return fail_here(fmt::format("invalid UTF-8 byte 0x{:02X} inside a string", c));
        }
        pos_ += len;
        continue;
      }
      ++pos_;
    }
  }

  std::optional<SyntaxProblem> escape() {
    const std::size_t start = pos_;
    if (pos_ + 1 >= text_.size()) return fail("unterminated string: expected a closing `\"`");
    const char e = text_[pos_ + 1];
    if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
      pos_ += 2;
      return std::nullopt;
    }
    if (e != 'u') {
      return SyntaxProblem{static_cast<std::uint32_t>(start), 2,
                           fmt::format("invalid escape {} in a string", describe_escape(start, 2)), false};
    }
    const long cp = parse_hex4(text_, pos_ + 2);
    if (cp < 0) {
      return SyntaxProblem{static_cast<std::uint32_t>(start), 2,
                           "invalid `\\u` escape: expected four hex digits", false};
    }
    pos_ += 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return SyntaxProblem{static_cast<std::uint32_t>(start), 6,
                           fmt::format("unpaired UTF-16 surrogate {}", describe_escape(start, 6)), false, true};
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      const long low = pos_ + 1 < text_.size() && text_[pos_] == '\\' && text_[pos_ + 1] == 'u'
                           ? parse_hex4(text_, pos_ + 2)
                           : -1;
      if (low < 0xDC00 || low > 0xDFFF) {
        return SyntaxProblem{static_cast<std::uint32_t>(start), 6,
                             fmt::format("unpaired UTF-16 surrogate {}", describe_escape(start, 6)), false, true};
      }
      pos_ += 6;
    }
    return std::nullopt;
  }

  std::string describe_escape(std::size_t at, std::size_t len) const {
    std::string shown;
    for (std::size_t k = at; k < at + len && k < text_.size(); ++k) {
      const auto c = static_cast<unsigned char>(text_[k]);
      if (c < 0x20 || c >= 0x7F || c == '`') return "sequence";
      shown += static_cast<char>(c);
    }
    return fmt::format("`{}`", shown);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::vector<char> stack_;
};

}  // namespace

std::optional<SyntaxProblem> find_syntax_error(std::string_view text) { return Checker(text).run(); }

bool is_json_number(std::string_view t) {
  std::size_t i = 0;
  if (i < t.size() && t[i] == '-') ++i;
  if (i == t.size() || !is_digit(t[i])) return false;
  if (t[i] == '0') {
    ++i;
  } else {
    while (i < t.size() && is_digit(t[i])) ++i;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (i == t.size() || !is_digit(t[i])) return false;
    while (i < t.size() && is_digit(t[i])) ++i;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (i == t.size() || !is_digit(t[i])) return false;
    while (i < t.size() && is_digit(t[i])) ++i;
  }
  return i == t.size();
}

std::string describe_byte(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return "the end of input";
  const auto c = static_cast<unsigned char>(text[offset]);
  if (c > 0x20 && c < 0x7F && c != '`') return fmt::format("`{}`", static_cast<char>(c));
  if (c == '`') return "a backquote";
  if (c >= 0x80) {
    const std::size_t len = utf8_sequence(text, offset);
    if (len > 1) {
      const CodePoint cp = decode_utf8(text, offset);
      // Spaces, joiners, marks and direction controls do not show between backquotes.
      const std::uint32_t v = cp.value;
      const bool invisible = v == 0x00A0 || v == 0x00AD || v == 0x061C || v == 0x1680 || (v >= 0x2000 && v <= 0x200F) ||
                             (v >= 0x2028 && v <= 0x202F) || (v >= 0x205F && v <= 0x206F) || v == 0x3000 ||
                             v == 0xFEFF;
      if (invisible) return fmt::format("U+{:04X}", v);
      return fmt::format("`{}` (U+{:04X})", text.substr(offset, len), v);
    }
  }
  return fmt::format("byte 0x{:02X}", c);
}

}  // namespace grantlint::json
