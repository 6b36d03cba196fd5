// Reads `aws iam get-account-authorization-details` output without a tree or an index of the
// whole file: the pages and the four lists are walked by their brackets (json/skim.h), and
// each element (one user, group, role or managed policy, a few kilobytes) is parsed into a
// json::Node with spans, read into the model and dropped. A broken element is reported and
// the next one read; when its quotes or brackets do not pair up, the next element is found by
// what reads as one (the list's own key). Several pages concatenated in one file are read
// one after the other.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "account/model.h"
#include "diag/emitter.h"
#include "json/parse.h"
#include "source/source_file.h"

namespace grantlint::account {

// A file this large has its elements parsed ahead of the reader, on another thread
// (account/element_prefetch.h): what is read and reported is the same.
inline constexpr std::size_t kParseAheadFrom = std::size_t{4} << 20;

// Reads every page of `file` into `out`. Problems with the export's shape are reported
// through `emit`; what could be read is kept. False when the file holds none of the export's
// keys at its top level (reported: an export nested in a wrapper's object is not read).
bool read_authorization_details(const SourceFile& file, json::Parser& parser, Emitter& emit, Export& out,
                                std::size_t parse_ahead_from = kParseAheadFrom);

}  // namespace grantlint::account
