#include "report/json_writer.h"

#include <fmt/format.h>

#include "base/utf8.h"

namespace grantlint::report {

void append_json_string(std::string& out, std::string_view text, InvalidBytes invalid) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t run = plain_ascii_run(text.substr(i));
    out.append(text.substr(i, run));
    i += run;
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\u{:04x}", c);
    } else if (c >= 0x80) {
      const CodePoint cp = decode_utf8(text, i);
      const std::size_t len = cp.valid ? cp.length : 0;
      if (len == 0) {
        if (invalid == InvalidBytes::as_surrogates) {
          out += fmt::format("\\udc{:02x}", c);
        } else {
          out += "\xEF\xBF\xBD";  // U+FFFD
        }
        ++i;
        continue;
      }
      out.append(text.substr(i, len));
      i += len;
      continue;
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
}

void JsonWriter::newline() {
  if (indent_ <= 0) return;
  out_ += '\n';
  out_.append(stack_.size() * static_cast<std::size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  Frame& frame = stack_.back();
  if (!frame.first) out_ += ',';
  frame.first = false;
  newline();
}

JsonWriter JsonWriter::fork(std::string& out, bool after_a_value) const {
  JsonWriter forked(out, indent_);
  forked.stack_ = stack_;
  forked.after_key_ = after_key_;
  if (after_a_value && !forked.stack_.empty()) forked.stack_.back().first = false;
  return forked;
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  stack_.push_back({true, true});
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  const bool empty = stack_.back().first;
  stack_.pop_back();
  if (!empty) newline();
  out_ += '}';
  if (stack_.empty() && indent_ > 0) out_ += '\n';
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  stack_.push_back({true, false});
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  const bool empty = stack_.back().first;
  stack_.pop_back();
  if (!empty) newline();
  out_ += ']';
  if (stack_.empty() && indent_ > 0) out_ += '\n';
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_json_string(out_, name);
  out_ += indent_ > 0 ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  append_json_string(out_, text);
  return *this;
}

JsonWriter& JsonWriter::path_field(std::string_view name, std::string_view path) {
  key(name);
  before_value();
  append_json_string(out_, path, InvalidBytes::as_surrogates);
  return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t number) {
  before_value();
  out_ += std::to_string(number);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  out_ += flag ? "true" : "false";
  return *this;
}

}  // namespace grantlint::report
