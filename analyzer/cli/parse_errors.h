// CLI11's messages for a command line it refuses ("Value abc not in range 0 to 1024", "paths
// is required"), said the way grantlint's own errors are: lowercase, the offending text in
// backticks, the accepted values listed, and the nearest one where it fits.
#pragma once

#include <string>
#include <string_view>

namespace grantlint::cli {

// `what` is CLI::ParseError::what(); `command` the command line's command (`check`,
// `catalog expand`), or empty. A message of a form not known here is returned as it is, its
// first word lowercased.
std::string plain_parse_error(std::string_view what, std::string_view command);

}  // namespace grantlint::cli
