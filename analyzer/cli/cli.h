// The command-line interface, callable in-process (tests) or from main().
#pragma once

#include "catalog/catalog.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace grantlint::cli {

struct Io {
  std::string out;  // what goes to standard output
  std::string err;  // what goes to standard error
  bool stdout_is_terminal = false;
  bool stderr_is_terminal = false;
  // Writes progress to standard error as it happens; when empty, progress goes to `err`.
  std::function<void(std::string_view)> live_err;
  // Writes a report to standard output as it is made; when empty, reports go to `out`.
  std::function<void(std::string_view)> live_out;
};

// Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 usage or I/O error.
int run(const std::vector<std::string>& args, Io& io);

// Puts a report on standard output, or in `output` when one is named; false after saying
// why on standard error.
bool deliver(const std::string& text, const std::string& output, Io& io);
// Whether two paths name one file: the same file on disk, or (when they do not exist yet) the
// same absolute path.
bool same_file(const std::string& a, const std::string& b);

// The catalog named by --catalog, or the built-in one. nullptr after reporting an error.
const catalog::Catalog* open_catalog(const std::string& file, std::unique_ptr<catalog::Catalog>& holder, Io& io);

}  // namespace grantlint::cli
