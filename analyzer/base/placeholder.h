// Values a template decides only at deploy time (CloudFormation's `Ref`, `Fn::GetAtt`, the
// `${Name}` of `Fn::Sub`) stand in policy text as placeholders: the name between two
// private-use characters that no policy holds. Matchers take a placeholder as literal text,
// so it is a specific value and never `*`; checks that judge a value's form skip what holds
// one; messages show it as `${Name}`.
#pragma once

#include <string>
#include <string_view>

namespace grantlint {

inline constexpr std::string_view kPlaceholderOpen = "\xEE\x80\x80";   // U+E000
inline constexpr std::string_view kPlaceholderClose = "\xEE\x80\x81";  // U+E001
// Characters a placeholder's name may hold that would mean something in policy text, and
// the private-use characters that stand for them inside it: `:` (ARN fields still split at
// the real ones), `*` and `?` (no wildcard hides in a name), `$` (no policy variable either).
inline constexpr std::string_view kPlaceholderStandIns[][2] = {{":", "\xEE\x80\x82"},   // U+E002
                                                               {"*", "\xEE\x80\x83"},   // U+E003
                                                               {"?", "\xEE\x80\x84"},   // U+E004
                                                               {"$", "\xEE\x80\x85"}};  // U+E005

// Replaces the private-use characters that mark placeholders with U+FFFD in text read from a
// file: only a template's functions make placeholders, and a policy that holds these
// characters must not pass for one.
void neutralize_placeholder_markers(std::string& text);

// `name` as a placeholder.
std::string make_placeholder(std::string_view name);

// `name` as a placeholder that stands for one name, never holding a `/` (a bucket's or a
// role's physical name): matched as one name even at the end of an ARN.
std::string make_name_placeholder(std::string_view name);

// Whether `text` holds a placeholder: an opening marker with a closing one after it (a lone
// marker is text, as a policy may hold any character).
[[nodiscard]] inline bool has_placeholder(std::string_view text) {
  const auto open = text.find(kPlaceholderOpen);
  return open != std::string_view::npos && text.find(kPlaceholderClose, open) != std::string_view::npos;
}

// Whether `text` holds placeholders and each is one made by make_name_placeholder: the name a
// template's resource is given by CloudFormation, which no other resource has.
[[nodiscard]] bool only_name_placeholders(std::string_view text);

// Whether the whole of `text` is one placeholder.
[[nodiscard]] bool is_placeholder(std::string_view text);

// `text` as a pattern of the values it may take, for matching against resource types: a
// placeholder that ends it may be anything (`*`, `/` included: `parameter${Path}`); one
// followed by more text, or made by make_name_placeholder, stands for one name, without
// `/` (`${AWS::StackName}-reports` is a bucket, not an object).
[[nodiscard]] std::string placeholders_as_wildcards(std::string_view text);

// `text` with each placeholder of `name` (`AWS::Partition`) written as `value`: a check that
// asks about one deployment fills in the pseudo parameters it assumes.
[[nodiscard]] std::string fill_placeholder(std::string_view text, std::string_view name, std::string_view value);

// `text` with a template's `${AWS::Partition}` written `aws`: the partition a literal `arn:aws:`
// pattern applies in, where checks compare patterns written both ways.
[[nodiscard]] inline std::string in_aws_partition(std::string_view text) {
  return fill_placeholder(text, "AWS::Partition", "aws");
}

// `text` with each placeholder written `${Name}`, for messages.
[[nodiscard]] std::string show_placeholders(std::string_view text);

}  // namespace grantlint
