#include "cli/parse_errors.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "base/suggest.h"

namespace grantlint::cli {

namespace {

// CLI11 lists a set as `{a,b,c}`: read as `a`, `b` or `c`.
std::vector<std::string_view> set_members(std::string_view set) {
  std::vector<std::string_view> members;
  for (std::size_t begin = 0; begin <= set.size();) {
    const std::size_t comma = std::min(set.find(',', begin), set.size());
    members.push_back(set.substr(begin, comma - begin));
    begin = comma + 1;
  }
  return members;
}

std::string one_of(const std::vector<std::string_view>& members) {
  std::string out;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i != 0) out += i + 1 == members.size() ? " or " : ", ";
    out += fmt::format("`{}`", members[i]);
  }
  return out;
}

// What an option's value must be, from CLI11's type name (`UINT:UINT in [0 - 1024]`,
// `TEXT:{text,json}`).
std::string value_kind(std::string_view type) {
  static const RE2 kRange(R"(.*in \[(\S+) - (\S+)\])");
  static const RE2 kSet(R"(.*:\{(.*)\})");
  std::string low, high, set;
  if (RE2::FullMatch(type, kRange, &low, &high)) return fmt::format("a number from {} to {}", low, high);
  if (RE2::FullMatch(type, kSet, &set)) return one_of(set_members(set));
  if (type.ends_with("GLOB")) return "a glob";
  if (type.starts_with("UINT") || type.starts_with("INT")) return "a number";
  return "";
}

// A positional argument CLI11 names by its variable.
std::string positional(std::string_view name) {
  if (name == "paths") return "a path to read (a file, a directory, or `-` for standard input)";
  if (name == "pattern") return "an action pattern such as `s3:Get*`";
  return fmt::format("its `{}` argument", name);
}

}  // namespace

std::string plain_parse_error(std::string_view what, std::string_view command) {
  static const RE2 kOutOfRange(R"((--[\w-]+): Value (.*) not in range (\S+) to (\S+))");
  static const RE2 kNotMember(R"((--[\w-]+): (.*) not in \{(.*)\})");
  static const RE2 kMissingValue(R"((--[\w-]+): 1 required (.*) missing)");
  static const RE2 kRepeated(R"((--[\w-]+): At Most 1 required but received (\d+))");
  static const RE2 kRequired(R"((\w+) is required)");
  static const RE2 kNotDirectory(R"((--[\w-]+): Directory (does not exist|is actually a file): (.*))");
  std::string option, value, low, high, set, type, count, name;
  if (RE2::FullMatch(what, kOutOfRange, &option, &value, &low, &high)) {
    const bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
    return fmt::format("{}: `{}` is {}; give a whole number from {} to {}", option, value,
                       digits ? "out of range" : "not a number", low, high);
  }
  if (RE2::FullMatch(what, kNotMember, &option, &value, &set)) {
    const std::vector<std::string_view> members = set_members(set);
    return fmt::format("{}: `{}` is not {}{}", option, value, one_of(members),
                       did_you_mean(closest_match(value, members)));
  }
  if (RE2::FullMatch(what, kMissingValue, &option, &type)) {
    const std::string kind = value_kind(type);
    return kind.empty() ? fmt::format("{} needs a value", option) : fmt::format("{} needs a value: {}", option, kind);
  }
  if (RE2::FullMatch(what, kRepeated, &option, &count)) {
    return fmt::format("{} is given {} times; give it once", option, count);
  }
  std::string why;
  if (RE2::FullMatch(what, kNotDirectory, &option, &why, &value)) {
    return fmt::format("{}: `{}` is not a directory ({})", option, value,
                       why == "does not exist" ? "it does not exist" : "it is a file");
  }
  if (RE2::FullMatch(what, kRequired, &name)) {
    const std::string who = command.empty() ? "grantlint" : fmt::format("`grantlint {}`", command);
    return fmt::format("{} needs {}", who, positional(name));
  }
  // `--option: Some sentence`: the option kept, the sentence's first word lowercased.
  std::string out(what);
  const std::size_t colon = out.starts_with("--") ? out.find(": ") : std::string::npos;
  const std::size_t start = colon == std::string::npos ? 0 : colon + 2;
  if (start + 1 < out.size() && std::isupper(static_cast<unsigned char>(out[start])) != 0 &&
      std::islower(static_cast<unsigned char>(out[start + 1])) != 0) {
    out[start] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[start])));
  }
  return out;
}

}  // namespace grantlint::cli
