// Reading the element forms the policy grammar shares: a string or an array of strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diag/emitter.h"
#include "json/node.h"
#include "policy/model.h"

namespace grantlint::policy {

// The strings of `value` (a string, or an array of strings). Other JSON types are
// reported as POL008 and left out; an empty array is reported as POL009 with
// `empty_message`. `what` names the element in messages, e.g. "`Action`".
std::vector<Text> string_list(const json::Node& value, const std::string& pointer, std::string_view what,
                              std::string_view empty_message, Emitter& emit);

}  // namespace grantlint::policy
