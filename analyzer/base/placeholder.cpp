#include "base/placeholder.h"

#include <algorithm>
#include <iterator>

namespace grantlint {

namespace {

// What a placeholder followed by more text stands for when matching: some name.
constexpr std::string_view kPlaceholderName = "x";
// The first character of a placeholder made by make_name_placeholder.
constexpr std::string_view kOneNameFlag = "\xEE\x80\x86";  // U+E006

// Calls `literal(text)` for the text between placeholders and `hole(name)` for each
// placeholder's name (still with its stand-ins); an unclosed one is literal text.
template <class Literal, class Hole>
void split_placeholders(std::string_view text, Literal literal, Hole hole) {
  while (!text.empty()) {
    const auto open = text.find(kPlaceholderOpen);
    const auto close = open == std::string_view::npos ? std::string_view::npos : text.find(kPlaceholderClose, open);
    if (close == std::string_view::npos) {
      literal(text);
      return;
    }
    literal(text.substr(0, open));
    hole(text.substr(open + kPlaceholderOpen.size(), close - open - kPlaceholderOpen.size()));
    text.remove_prefix(close + kPlaceholderClose.size());
  }
}

}  // namespace

void neutralize_placeholder_markers(std::string& text) {
  // U+E000..U+E006 are EE 80 80..86, never part of another character's encoding.
  for (std::size_t at = text.find("\xEE\x80"); at != std::string::npos; at = text.find("\xEE\x80", at + 1)) {
    if (at + 2 < text.size() && static_cast<unsigned char>(text[at + 2]) >= 0x80 &&
        static_cast<unsigned char>(text[at + 2]) <= 0x86) {
      text.replace(at, 3, "\xEF\xBF\xBD");  // U+FFFD, also three bytes
    }
  }
}

std::string make_name_placeholder(std::string_view name) {
  std::string out = make_placeholder(name);
  out.insert(kPlaceholderOpen.size(), kOneNameFlag);
  return out;
}

bool only_name_placeholders(std::string_view text) {
  bool any = false;
  bool all_names = true;
  split_placeholders(
      text, [](std::string_view) {},
      [&](std::string_view name) {
        any = true;
        all_names = all_names && name.starts_with(kOneNameFlag);
      });
  return any && all_names;
}

std::string make_placeholder(std::string_view name) {
  std::string out(kPlaceholderOpen);
  for (const char c : name) {
    const auto* standin = std::ranges::find_if(kPlaceholderStandIns, [&](const auto& pair) { return pair[0][0] == c; });
    if (standin != std::end(kPlaceholderStandIns)) {
      out += (*standin)[1];
    } else {
      out += c;
    }
  }
  out += kPlaceholderClose;
  return out;
}

bool is_placeholder(std::string_view text) {
  return text.starts_with(kPlaceholderOpen) && text.ends_with(kPlaceholderClose) &&
         text.find(kPlaceholderClose) == text.size() - kPlaceholderClose.size() &&
         text.size() >= kPlaceholderOpen.size() + kPlaceholderClose.size();
}

std::string placeholders_as_wildcards(std::string_view text) {
  std::string out;
  bool last_is_one_name = false;
  split_placeholders(
      text, [&](std::string_view literal) { out += literal; },
      [&](std::string_view name) {
        out += kPlaceholderName;
        last_is_one_name = name.starts_with(kOneNameFlag);
      });
  // The last placeholder, when nothing follows it, may be anything, unless it is one name.
  if (text.ends_with(kPlaceholderClose) && !last_is_one_name && out.ends_with(kPlaceholderName)) {
    out.replace(out.size() - kPlaceholderName.size(), kPlaceholderName.size(), "*");
  }
  return out;
}

std::string show_placeholders(std::string_view text) {
  std::string out;
  split_placeholders(
      text, [&](std::string_view literal) { out += literal; },
      [&](std::string_view name) {
        if (name.starts_with(kOneNameFlag)) name.remove_prefix(kOneNameFlag.size());
        out += "${";
        for (std::size_t at = 0; at < name.size();) {
          const std::string_view rest = name.substr(at);
          const auto* standin =
              std::ranges::find_if(kPlaceholderStandIns, [&](const auto& pair) { return rest.starts_with(pair[1]); });
          if (standin != std::end(kPlaceholderStandIns)) {
            out += (*standin)[0];
            at += (*standin)[1].size();
          } else {
            out += name[at++];
          }
        }
        out += '}';
      });
  return out;
}

std::string fill_placeholder(std::string_view text, std::string_view name, std::string_view value) {
  if (!has_placeholder(text)) return std::string(text);  // nearly every pattern: no name to make
  const std::string wanted = make_placeholder(name);
  const std::string_view wanted_name = std::string_view(wanted).substr(
      kPlaceholderOpen.size(), wanted.size() - kPlaceholderOpen.size() - kPlaceholderClose.size());
  std::string out;
  out.reserve(text.size());
  split_placeholders(
      text, [&](std::string_view literal) { out += literal; },
      [&](std::string_view hole) {
        if (hole == wanted_name) {
          out += value;
        } else {
          out.append(kPlaceholderOpen).append(hole).append(kPlaceholderClose);
        }
      });
  return out;
}

}  // namespace grantlint
