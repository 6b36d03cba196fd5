// RFC 6901 JSON Pointers, for naming the element a finding is about.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace grantlint::json {

// `base` + "/" + the escaped token (`~` → `~0`, `/` → `~1`).
std::string pointer_append(std::string_view base, std::string_view token);
std::string pointer_append(std::string_view base, std::size_t index);

}  // namespace grantlint::json
