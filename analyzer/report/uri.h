// Artifact URIs for SARIF: repository-relative with forward slashes and percent-encoding,
// as GitHub code scanning requires; `file://` URIs only for files outside the base.
#pragma once

#include <string>
#include <string_view>

namespace grantlint::report {

// The nearest directory from the working directory upwards that holds `.git`, or the
// working directory itself.
std::string default_base_dir();

std::string artifact_uri(std::string_view path, std::string_view base_dir);

std::string percent_encode_path(std::string_view path);

}  // namespace grantlint::report
