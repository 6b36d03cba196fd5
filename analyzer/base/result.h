// The one place that names the result type for tool failures (I/O, usage, limits).
// Findings about a policy are never errors of this kind: they are Diagnostics.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace grantlint {

struct Error {
  std::string message;  // lowercase, no final period; names the file where there is one
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> make_error(std::string message) {
  return std::unexpected<Error>(Error{std::move(message)});
}

}  // namespace grantlint
