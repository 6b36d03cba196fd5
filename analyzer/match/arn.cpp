#include "match/arn.h"

#include <array>
#include <cctype>
#include <vector>

#include "match/glob.h"

namespace grantlint::match {

namespace {

// `${...}` → `*`.
std::string placeholders_to_wildcards(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "${") == 0) {
      const auto close = text.find('}', i);
      if (close != std::string_view::npos) {
        out += '*';
        i = close + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace

std::optional<std::array<std::string_view, 5>> split_arn(std::string_view arn) {
  if (!arn.starts_with("arn:")) return std::nullopt;
  std::array<std::string_view, 5> fields;
  std::size_t pos = 4;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto colon = arn.find(':', pos);
    if (colon == std::string_view::npos) return std::nullopt;
    fields[i] = arn.substr(pos, colon - pos);
    pos = colon + 1;
  }
  fields[4] = arn.substr(pos);
  return fields;
}

bool is_kms_key_arn(std::string_view arn) {
  const auto fields = split_arn(arn);
  return fields && (*fields)[1] == "kms" && (*fields)[4].starts_with("key/");
}

std::optional<ArnFields> split_arn_pattern(std::string_view pattern, bool variables) {
  std::string text;
  if (variables) {
    text = placeholders_to_wildcards(pattern);
  } else {
    text.assign(pattern.data(), pattern.size());
  }
  if (!text.starts_with("arn:")) return std::nullopt;
  std::array<std::string, 5> fields;
  std::size_t pos = 4;
  std::size_t count = 0;
  for (; count < 4; ++count) {
    const auto colon = text.find(':', pos);
    if (colon == std::string::npos) break;
    fields[count] = text.substr(pos, colon - pos);
    pos = colon + 1;
  }
  if (count == 4) {
    fields[4] = text.substr(pos);
    return ArnFields{fields[0], fields[1], fields[2], fields[3], fields[4]};
  }
  // Fewer than six fields: only a trailing `*` makes it a pattern, expanding across the
  // missing colons.
  if (!text.ends_with('*')) return std::nullopt;
  fields[count] = text.substr(pos);
  for (std::size_t i = count + 1; i < 5; ++i) fields[i] = "*";
  return ArnFields{fields[0], fields[1], fields[2], fields[3], fields[4]};
}

bool arn_patterns_intersect(const ArnFields& a, const ArnFields& b) {
  // The short fields first: they reject most pairs before the resource part is compared.
  return globs_intersect(a.service, b.service) && globs_intersect(a.partition, b.partition) &&
         globs_intersect(a.region, b.region) && globs_intersect(a.account, b.account) &&
         globs_intersect(a.resource, b.resource);
}

bool arn_pattern_can_match_template(const ArnFields& pattern, std::string_view arn_template) {
  const auto type = split_arn_pattern(arn_template, /*variables=*/true);
  return type && arn_patterns_intersect(pattern, *type);
}

bool is_region(std::string_view s) {
  if (s.size() < 9) return false;
  for (char c : s) {
    if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return s.find('-') != std::string_view::npos && std::isdigit(static_cast<unsigned char>(s.back()));
}

}  // namespace grantlint::match
