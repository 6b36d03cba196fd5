#include "input/walk.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "diag/diagnostic.h"

namespace grantlint::input {

namespace fs = std::filesystem;

namespace {

// Directories never worth descending into; named in the README.
bool always_skipped(const std::string& name) { return name == ".git" || name == "node_modules"; }

void walk_directory(const fs::path& root, const WalkOptions& options, WalkResult& result) {
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  fs::directory_iterator it(root, ec);
  if (ec) {
    result.problems.push_back({root.string(), fmt::format("cannot read directory `{}`: {}", root.string(), ec.message())});
    return;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    entries.push_back(*it);
  }
  if (ec) {
    result.problems.push_back({root.string(), fmt::format("cannot read directory `{}`: {}", root.string(), ec.message())});
  }
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path() < b.path(); });
  (void)options;
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    std::error_code status_ec;
    // Symbolic links to directories are not followed, so a link loop cannot trap the walk.
    if (entry.is_symlink(status_ec) && fs::is_directory(entry.path(), status_ec)) continue;
    if (entry.is_directory(status_ec)) {
      if (!always_skipped(name)) walk_directory(entry.path(), options, result);
      continue;
    }
    result.files.push_back(entry.path().string());
  }
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) { return glob_match(prepare_glob(pattern), path); }

PreparedGlob prepare_glob(std::string_view written) {
  PreparedGlob out;
  // `./sub/*.json` names what `sub/*.json` does, and `./*.json` the files at the top only.
  out.names_directories = written.find('/') != std::string_view::npos;
  written = without_leading_dot_slash(written);
  // A run of three stars or more matches as `**` does; `**/**/` as `**/`.
  std::string& pattern = out.pattern;
  pattern.reserve(written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    if (written[i] != '*' || !pattern.ends_with("**")) pattern += written[i];
  }
  // A `**` that is a whole segment, then `/`: it matches no directory too, so its `/` is not a
  // byte every path it matches holds.
  const auto any_directories_at = [&](std::size_t i) {
    return pattern.compare(i, 3, "**/") == 0 && (i == 0 || pattern[i - 1] == '/');
  };
  for (std::size_t i = 0; i + 6 <= pattern.size();) {
    if (any_directories_at(i) && pattern.compare(i + 3, 3, "**/") == 0) {
      pattern.erase(i, 3);
    } else {
      ++i;
    }
  }
  std::size_t run_begin = 0;  // where the current run without a wildcard began
  for (std::size_t i = 0; i <= pattern.size(); ++i) {
    const bool optional_slash = i >= 2 && pattern[i] == '/' && any_directories_at(i - 2);
    if (i == pattern.size() || pattern[i] == '*' || pattern[i] == '?' || optional_slash) {
      if (i - run_begin > out.required.size()) out.required = pattern.substr(run_begin, i - run_begin);
      run_begin = i + 1;
    }
    if (i < pattern.size() && pattern[i] != '*' && !optional_slash) ++out.min_length;
  }
  out.automaton = GlobAutomaton(out.pattern);
  return out;
}

std::string glob_problem(std::string_view glob) {
  if (glob.empty()) return "an empty glob matches no file";
  if (glob.starts_with('/')) {
    return fmt::format(
        "`{}` starts with `/`, so it matches no file: globs match paths from the directory walked "
        "(a configuration's, from its directory); did you mean `{}`?",
        clip_long_text(glob), clip_long_text(glob.substr(std::min(glob.find_first_not_of('/'), glob.size()))));
  }
  if (glob.ends_with('/')) {
    const std::string_view directory = without_leading_dot_slash(glob);
    return fmt::format("`{}` ends with `/`, so it matches no file (globs match files); did you mean `{}**`?",
                       clip_long_text(glob), clip_long_text(directory));
  }
  return {};
}

std::string walk_glob_problem(std::string_view glob) {
  if (std::string problem = glob_problem(glob); !problem.empty()) return problem;
  if (const auto odd = glob.find_first_of("[]{}"); odd != std::string_view::npos) {
    return fmt::format(
        "`{}` in the glob `{}` is matched literally (the globs grantlint takes are `*`, `**` and `?`): give one "
        "glob for each pattern (`--include '*.json' --include '*.yaml'`)",
        glob[odd], clip_long_text(glob));
  }
  const std::string_view path = without_leading_dot_slash(glob);
  std::vector<std::string_view> kept;  // the segments, `.` and empty ones left out, `..` taking one back
  bool odd_segment = false;
  bool leaves = false;  // a `..` past the top: outside the directory walked
  for (std::size_t begin = 0; begin <= path.size();) {
    const std::size_t end = std::min(path.find('/', begin), path.size());
    const std::string_view segment = path.substr(begin, end - begin);
    if (segment.empty() || segment == ".") {
      odd_segment = true;
    } else if (segment == "..") {
      odd_segment = true;
      if (kept.empty())
        leaves = true;
      else
        kept.pop_back();
    } else {
      kept.push_back(segment);
    }
    begin = end + 1;
  }
  if (!odd_segment) return {};
  if (leaves || kept.empty()) {
    return fmt::format("`{}` names files outside the directory walked, or none, so it matches no file",
                       clip_long_text(glob));
  }
  std::string meant = glob.starts_with("./") && kept.size() == 1 ? "./" : "";
  for (std::size_t i = 0; i < kept.size(); ++i) meant.append(i == 0 ? "" : "/").append(kept[i]);
  return fmt::format(
      "`{}` holds an empty, `.` or `..` segment, which no path a walk finds has, so it matches no file; "
      "did you mean `{}`?",
      clip_long_text(glob), clip_long_text(meant));
}

std::string_view without_leading_dot_slash(std::string_view glob) {
  while (glob.starts_with("./")) glob.remove_prefix(2);
  return glob;
}

bool has_glob_wildcard(std::string_view pattern) { return pattern.find_first_of("*?") != std::string_view::npos; }

std::string_view last_component(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool glob_match(const PreparedGlob& glob, std::string_view path) {
  std::uint64_t unmetered = 0;
  return glob_match(glob, path, unmetered);
}

bool glob_match(const PreparedGlob& glob, std::string_view path, std::uint64_t& work) {
  // An attempt the length or the literal refuses still costs a call and a search, as much as
  // some 16 word operations of the automaton (measured): counted as one, 20,000 suppressions
  // over 20,000 files ran 12 s within the budget (h48 H7).
  constexpr std::uint64_t kAttempt = 16;
  const std::string_view matched = glob.names_directories ? path : last_component(path);
  work += matched.size() / 64 + kAttempt;
  if (matched.size() < glob.min_length || matched.find(glob.required) == std::string_view::npos) return false;
  work += matched.size() * ((glob.pattern.size() + 63) / 64);
  return glob.automaton.matches(matched);
}

GlobSet::GlobSet(const std::vector<std::string>& patterns) {
  for (const std::string& pattern : patterns) {
    if (has_glob_wildcard(pattern)) {
      wildcards_.push_back(prepare_glob(pattern));
    } else {
      (pattern.find('/') != std::string::npos ? paths_ : names_)
          .insert(std::string(without_leading_dot_slash(pattern)));
    }
  }
}

bool GlobSet::matches(std::string_view path) const {
  if (paths_.contains(path) || (!names_.empty() && names_.contains(last_component(path)))) return true;
  return std::ranges::any_of(wildcards_, [&](const PreparedGlob& glob) { return glob_match(glob, path); });
}

// The file a path names, whatever way it is spelt (`a.json`, `./a.json`, a link to it): its
// device and inode, one stat. A path that cannot be stat'ed is its own identity.
using FileIdentity = std::pair<std::uint64_t, std::uint64_t>;
std::optional<FileIdentity> identity_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return FileIdentity{static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino)};
}

namespace {

// Whether `path` goes through a symbolic link (it is one, or a directory on its way is): its
// real path differs from the one written.
bool reached_through_link(const std::string& path) {
  std::error_code ec;
  const fs::path written = fs::absolute(path, ec).lexically_normal();
  if (ec) return false;
  const fs::path real = fs::weakly_canonical(written, ec);
  return !ec && real != written;
}

}  // namespace

std::string without_linked_dotdot(const std::string& path) {
  const fs::path written(path);
  fs::path prefix;
  bool misleads = false;  // a `..` undoes a link
  std::error_code ec;
  for (const fs::path& part : written) {
    // A link to a file followed by `..` names nothing (the kernel says "Not a directory"): kept.
    if (part == ".." && !prefix.empty() && prefix.filename() != ".." && fs::is_symlink(prefix, ec) &&
        fs::is_directory(prefix, ec)) {
      misleads = true;
    }
    prefix /= part;
  }
  if (!misleads) return path;
  // The directory as the kernel resolves it, the file's own name kept (a link to a file is still
  // named by its own path, as elsewhere).
  const fs::path directory = fs::weakly_canonical(fs::absolute(written, ec).parent_path(), ec);
  if (ec) return path;
  const fs::path real = directory / written.filename();
  const fs::path here = fs::weakly_canonical(fs::current_path(ec), ec);
  if (ec) return real.string();
  const fs::path relative = real.lexically_relative(here);
  return relative.empty() || relative.string().size() >= real.string().size() ? real.string() : relative.string();
}

WalkResult expand_paths(const std::vector<std::string>& paths, const WalkOptions& options) {
  WalkResult result;
  const GlobSet include(options.include);
  const GlobSet exclude(options.exclude);
  const GlobSet config_include(options.config_include);
  const GlobSet config_exclude(options.config_exclude);
  // A file named twice, or named and found in a directory, or found in two directories, is
  // checked once (its findings would be listed twice), standard input too; named, it keeps its
  // name and is checked whatever it holds.
  std::set<FileIdentity> seen;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-" || !fs::is_regular_file(path, ec)) continue;
    if (const auto identity = identity_of(path)) seen.insert(*identity);
  }
  std::set<FileIdentity> named;
  for (const std::string& path : paths) {
    if (path == "-") {
      // Standard input gives its bytes once: named twice, it is read once like any file.
      if (std::ranges::find(result.files, path) == result.files.end()) result.files.push_back(path);
      continue;
    }
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      result.problems.push_back({path, fmt::format("cannot open `{}`: {}", path,
                                                   ec ? ec.message() : "No such file or directory")});
      continue;
    }
    if (!fs::is_directory(status)) {
      // Named explicitly: always checked, once.
      const auto identity = fs::is_regular_file(status) ? identity_of(path) : std::nullopt;
      if (!identity || named.insert(*identity).second) result.files.push_back(path);
      continue;
    }
    WalkResult found;
    walk_directory(fs::path(path), options, found);
    for (const WalkProblem& problem : found.problems) result.problems.push_back(problem);
    // The directory walked, from the configuration's directory, to match the configuration's
    // globs (empty when it is not inside it).
    std::string walked_from_config;
    if (!options.config_directory.empty()) {
      std::error_code failed;
      const fs::path walked = fs::weakly_canonical(fs::absolute(path, failed), failed);
      const fs::path inside = walked.lexically_relative(options.config_directory);
      if (!failed && !inside.empty() && !inside.string().starts_with(".."))
        walked_from_config = inside.generic_string();
    }
    // A file found both by its own path and through a link is checked under its own path: its
    // findings belong there, and so do the suppressions written for it (a link's path may be one
    // a suppression is for, such as a folder of archived copies).
    std::vector<std::string> through_link;
    for (const std::string& file : found.files) {
      const std::string relative = fs::path(file).lexically_relative(path).generic_string();
      const std::string from_config =
          walked_from_config.empty() || walked_from_config == "." ? relative : walked_from_config + "/" + relative;
      const bool included =
          options.config_include.empty()
              ? include.matches(relative) || (options.include_in_any_case && include.matches(ascii_lower(relative)))
              : config_include.matches(from_config);
      if (!included || exclude.matches(relative) || config_exclude.matches(from_config)) {
        continue;
      }
      if (reached_through_link(file)) {
        through_link.push_back(file);
        continue;
      }
      if (const auto identity = identity_of(file); identity && !seen.insert(*identity).second) continue;
      result.files.push_back(file);
    }
    for (std::string& file : through_link) {
      if (const auto identity = identity_of(file); identity && !seen.insert(*identity).second) continue;
      result.files.push_back(std::move(file));
    }
  }
  return result;
}

}  // namespace grantlint::input
