// The values of a large JSON array (an export's tens of thousands of findings), rendered on
// several threads and passed on in order: the output is the same for any number of threads.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "report/json_writer.h"
#include "report/report.h"

namespace grantlint::report {

// Writes `count` values into the array `w` stands in, `write_one(writer, i)` writing value i
// (with its own writer), on up to `threads` threads (0: one per core). What `w` wrote so far is
// in `out`; the values go to `output` as they are done, and `w` stands after the last one.
// `write_one` must only read what it shares with the other calls (a file's line index is built
// before: SourceFile::lines()).
void write_array_values(JsonWriter& w, std::string& out, const Output& output, std::size_t count, unsigned threads,
                        const std::function<void(JsonWriter&, std::size_t)>& write_one);

}  // namespace grantlint::report
