// A small streaming JSON writer for the reporters: commas and indentation are handled
// here, and every string is escaped (invalid UTF-8 becomes U+FFFD, in paths a lone surrogate) so output
// always parses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace grantlint::report {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out, int indent = 2) : out_(out), indent_(indent) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(std::uint64_t number);
  JsonWriter& value(std::uint32_t number) { return value(static_cast<std::uint64_t>(number)); }
  JsonWriter& value(bool flag);
  // A file's path: invalid UTF-8 bytes kept distinct (InvalidBytes::as_surrogates).
  JsonWriter& path_field(std::string_view name, std::string_view path);
  // key + value in one call.
  template <class T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  // A writer into `out` that stands where this one does (in the same objects and arrays), its
  // values to follow this one's output; `after_a_value`: a value of the innermost container
  // precedes them (written by another fork), so the first one takes a comma. Reporters render
  // a large array's values on several threads so, and then say so with after_values_elsewhere():
  // this writer goes on after them.
  [[nodiscard]] JsonWriter fork(std::string& out, bool after_a_value) const;
  void after_values_elsewhere() {
    if (!stack_.empty()) stack_.back().first = false;
  }

 private:
  void before_value();
  void newline();

  std::string& out_;
  int indent_;
  struct Frame {
    bool first = true;
    bool object = false;
  };
  std::vector<Frame> stack_;
  bool after_key_ = false;
};

// What a string's invalid UTF-8 bytes become: U+FFFD, or (for file paths, which must stay
// distinct and be found again) each byte B the lone surrogate U+DC00+B, as Python's
// `surrogateescape` spells it (`os.fsencode` gives the bytes back).
enum class InvalidBytes : std::uint8_t { replace, as_surrogates };

// Appends `text` as a JSON string literal.
void append_json_string(std::string& out, std::string_view text, InvalidBytes invalid = InvalidBytes::replace);

}  // namespace grantlint::report
