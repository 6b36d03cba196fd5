#include "report/uri.h"

#include <fmt/format.h>

#include <filesystem>

namespace grantlint::report {

namespace fs = std::filesystem;

std::string default_base_dir() {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec) return ".";
  for (fs::path dir = cwd;; dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", ec)) return dir.string();
    if (dir == dir.parent_path()) break;
  }
  return cwd.string();
}

std::string percent_encode_path(std::string_view path) {
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~' || c == '/';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string artifact_uri(std::string_view path, std::string_view base_dir) {
  if (path == "-" || path == "<stdin>") return "stdin";
  std::error_code ec;
  const fs::path absolute = fs::absolute(fs::path(path), ec).lexically_normal();
  if (ec) return percent_encode_path(path);
  const fs::path relative = absolute.lexically_relative(fs::path(base_dir).lexically_normal());
  const bool outside = relative.empty() || *relative.begin() == "..";
  if (!outside) return percent_encode_path(relative.generic_string());
  return "file://" + percent_encode_path(absolute.generic_string());
}

}  // namespace grantlint::report
