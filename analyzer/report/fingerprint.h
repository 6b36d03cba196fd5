// GitHub code scanning's `primaryLocationLineHash`, computed as github/codeql-action's
// src/fingerprints.ts does (MIT licence): a rolling hash over the first 100 characters
// (UTF-16 code units, spaces and tabs skipped) from the start of each line, then
// `:n` for the n-th identical hash in the file. Reimplemented from its description and
// checked against that file's published test vectors.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace grantlint::report {

// One hash per line; element 0 is line 1. A file with no characters gets one line.
std::vector<std::string> line_hashes(std::string_view utf8_text);

// Told every few megabytes how far the text has been read (a mapped file gives those pages back).
using ReadUpTo = std::function<void(std::size_t)>;

// The hashes of the given lines only (1-based; lines past the end are left out), for files
// where a few lines have findings: the same values as the whole list's, without a string
// per line.
std::unordered_map<std::uint32_t, std::string> line_hashes(std::string_view utf8_text,
                                                           std::span<const std::uint32_t> lines,
                                                           const ReadUpTo& read_up_to = {});

}  // namespace grantlint::report
