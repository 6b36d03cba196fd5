// What the options that name a file (`-o`, `--config`, `--baseline`, `--catalog`, ...) accept.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace grantlint::cli {

// An empty value (`--write-baseline "$BASELINE"` with the variable unset) names no file: it is
// a usage error, not the option left out, which would skip writing a baseline without a word
// or read the nearest configuration instead of the one meant (hostile h48 M3).
inline const CLI::Validator kFileName(
    [](const std::string& value) {
      return value.empty() ? std::string("an empty value names no file") : std::string();
    },
    "FILE");

}  // namespace grantlint::cli
