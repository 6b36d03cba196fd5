#include "json/offset_map.h"

#include <algorithm>

#include "base/strings.h"
#include "base/utf8.h"

namespace grantlint::json {

std::uint32_t OffsetMap::map(std::uint32_t offset) const {
  if (origin_.empty()) return base_ + offset;
  return origin_[std::min<std::size_t>(offset, origin_.size() - 1)];
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A YAML double-quoted scalar's escape at `at` (a backslash): the bytes it stands for and how
// many bytes of the file it takes. An escaped line break stands for nothing and takes the
// next line's indentation too. Something else after the backslash stands for itself.
struct YamlEscape {
  std::string bytes;
  std::size_t length = 1;
};
YamlEscape yaml_escape(std::string_view file, std::size_t at, std::size_t end) {
  if (at + 1 >= end) return {"\\", 1};
  const char c = file[at + 1];
  const auto hex = [&](std::size_t digits) -> YamlEscape {
    std::uint32_t code = 0;
    for (std::size_t k = 0; k < digits; ++k) {
      const int value = at + 2 + k < end ? hex_value(file[at + 2 + k]) : -1;
      if (value < 0) return {std::string(1, c), 2};
      code = code * 16 + static_cast<std::uint32_t>(value);
    }
    YamlEscape out{{}, 2 + digits};
    append_utf8(out.bytes, code);
    return out;
  };
  switch (c) {
    case '0': return {std::string(1, '\0'), 2};
    case 'a': return {"\a", 2};
    case 'b': return {"\b", 2};
    case 't': case '\t': return {"\t", 2};
    case 'n': return {"\n", 2};
    case 'v': return {"\v", 2};
    case 'f': return {"\f", 2};
    case 'r': return {"\r", 2};
    case 'e': return {"\x1b", 2};
    case 'N': return {"\xC2\x85", 2};
    case '_': return {"\xC2\xA0", 2};
    case 'L': return {"\xE2\x80\xA8", 2};
    case 'P': return {"\xE2\x80\xA9", 2};
    case 'x': return hex(2);
    case 'u': return hex(4);
    case 'U': return hex(8);
    case '\r': case '\n': {
      std::size_t next = at + 1;
      if (file[next] == '\r' && next + 1 < end && file[next + 1] == '\n') ++next;
      ++next;
      while (next < end && (file[next] == ' ' || file[next] == '\t')) ++next;
      return {{}, next - at};
    }
    default: return {std::string(1, c), 2};  // \" \/ \\ \' and a space
  }
}

}  // namespace

DecodedText decode_json_string(std::string_view token, std::uint32_t base) {
  DecodedText out;
  // Strip the quotes; offsets below are relative to the token.
  std::size_t i = token.empty() || token.front() != '"' ? 0 : 1;
  std::size_t end = token.size();
  if (end > i && token[end - 1] == '"') --end;
  auto emit_from = [&](std::size_t source, std::size_t before) {
    for (std::size_t k = before; k < out.text.size(); ++k) {
      out.origin.push_back(base + static_cast<std::uint32_t>(source));
    }
  };
  while (i < end) {
    const std::size_t start = i;
    const std::size_t before = out.text.size();
    if (token[i] != '\\' || i + 1 >= end) {
      out.text += token[i++];
      emit_from(start, before);
      continue;
    }
    const char escape = token[i + 1];
    i += 2;
    switch (escape) {
      case 'n': out.text += '\n'; break;
      case 't': out.text += '\t'; break;
      case 'r': out.text += '\r'; break;
      case 'b': out.text += '\b'; break;
      case 'f': out.text += '\f'; break;
      case 'u': {
        long cp = parse_hex4(token, i);
        if (cp < 0) {
          out.text += "\\u";
          break;
        }
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < end && token[i] == '\\' && token[i + 1] == 'u') {
          const long low = parse_hex4(token, i + 2);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        append_utf8(out.text, static_cast<std::uint32_t>(cp));
        break;
      }
      default: out.text += escape; break;  // \" \\ \/ and anything the parser let through
    }
    emit_from(start, before);
  }
  out.origin.push_back(base + static_cast<std::uint32_t>(end));
  return out;
}

bool percent_decode(const DecodedText& in, DecodedText& out, std::uint32_t& bad_offset) {
  if (in.origin.size() != in.text.size() + 1) {  // not a decoded text: nothing to map through
    bad_offset = 0;
    return false;
  }
  out.text.clear();
  out.origin.clear();
  const std::string& s = in.text;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '%') {
      out.text += s[i];
      out.origin.push_back(in.origin[i]);
      ++i;
      continue;
    }
    const int high = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
    const int low = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
    if (high < 0 || low < 0) {
      bad_offset = in.origin[i];
      return false;
    }
    out.text += static_cast<char>(high * 16 + low);
    out.origin.push_back(in.origin[i]);
    i += 3;
  }
  out.origin.push_back(in.origin.back());
  return true;
}

DecodedText align_with_file(std::string_view text, std::string_view file_text, Span span) {
  // Between two bytes of the value the file holds at most an escape, a line break and an
  // indentation: a short window keeps a byte the file lacks from pulling everything after
  // it far ahead.
  constexpr std::size_t kWindow = 128;
  DecodedText out;
  out.text = std::string(text);
  out.origin.reserve(text.size() + 1);
  std::size_t cursor = std::min<std::size_t>(span.begin, file_text.size());
  const std::size_t end = std::min<std::size_t>(span.end, file_text.size());
  // In a double-quoted scalar a backslash starts an escape, decoded here so that a byte it
  // stands for is placed on it (`\u0069` is one `i`; looking for the next `i` would skip ahead).
  // A tag may come first (`!Sub "..."`, `!!str "..."`).
  if (cursor < end && file_text[cursor] == '!') {
    std::size_t after_tag = cursor;
    while (after_tag < end && file_text[after_tag] != ' ' && file_text[after_tag] != '\t') ++after_tag;
    while (after_tag < end && (file_text[after_tag] == ' ' || file_text[after_tag] == '\t')) ++after_tag;
    if (after_tag < end && file_text[after_tag] == '"') cursor = after_tag;
  }
  const bool double_quoted = cursor < end && file_text[cursor] == '"';
  if (double_quoted) ++cursor;  // the opening quote stands for nothing
  std::string_view pending;  // the rest of the bytes the last escape stands for
  std::string escaped;
  std::size_t escape_at = 0;
  for (const char c : text) {
    if (!pending.empty() && pending.front() == c) {
      out.origin.push_back(static_cast<std::uint32_t>(escape_at));
      pending.remove_prefix(1);
      continue;
    }
    pending = {};
    if (double_quoted && (c == ' ' || c == '\n')) {
      // A line break folded into a space (or one of several kept as breaks) stands on the break
      // in the file; the indentation after it, tabs included, stands for nothing. Searching
      // for a space instead would skip ahead to the next one inside the value.
      std::size_t at = cursor;
      while (at < end && (file_text[at] == ' ' || file_text[at] == '\t')) ++at;
      if (at < end && (file_text[at] == '\n' || file_text[at] == '\r')) {
        out.origin.push_back(static_cast<std::uint32_t>(at));
        cursor = at + ((file_text[at] == '\r' && at + 1 < end && file_text[at + 1] == '\n') ? 2 : 1);
        while (cursor < end && (file_text[cursor] == ' ' || file_text[cursor] == '\t')) ++cursor;
        continue;
      }
    }
    if (double_quoted) {
      // White space in the file before a byte that is none is a fold or an indentation: the
      // value's own spaces are bytes of the value (trailing ones before a break are dropped).
      const bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
      while (!blank && cursor < end &&
             (file_text[cursor] == ' ' || file_text[cursor] == '\t' || file_text[cursor] == '\n' ||
              file_text[cursor] == '\r')) {
        ++cursor;
      }
      YamlEscape escape;
      while (cursor < end && file_text[cursor] == '\\' &&
             (escape = yaml_escape(file_text, cursor, end)).bytes.empty()) {
        cursor += escape.length;  // an escaped line break
      }
      if (cursor < end && file_text[cursor] == '\\' && escape.bytes.front() == c) {
        escaped = std::move(escape.bytes);
        escape_at = cursor;
        pending = std::string_view(escaped).substr(1);
        out.origin.push_back(static_cast<std::uint32_t>(cursor));
        cursor += escape.length;
        continue;
      }
    }
    const std::size_t limit = std::min(end, cursor + kWindow);
    std::size_t found = cursor;
    while (found < limit && file_text[found] != c) ++found;
    if (found < limit) {
      out.origin.push_back(static_cast<std::uint32_t>(found));
      cursor = found + 1;
    } else {
      out.origin.push_back(static_cast<std::uint32_t>(cursor));
    }
  }
  out.origin.push_back(static_cast<std::uint32_t>(std::max(cursor, std::min<std::size_t>(span.begin, end))));
  return out;
}

}  // namespace grantlint::json
