// Expands the paths named on the command line into the files to check: directories are
// walked recursively in sorted order, keeping files whose name matches an include glob
// (the caller's default: `*.json` for exports, templates too for `check`) and no exclude
// glob. Files named explicitly are always checked.
// Nothing is skipped silently: a path that cannot be read is returned as a problem.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/string_map.h"
#include "input/glob_automaton.h"

namespace grantlint::input {

struct WalkOptions {
  std::vector<std::string> include = {"*.json"};
  // The defaults' extensions in any case (`A.JSON`, `b.Yaml`, as `check` takes such a file named):
  // a walk passed over them without a word (hostile h48 L3). A glob the user gives keeps its case.
  bool include_in_any_case = false;
  std::vector<std::string> exclude;
  // A configuration's globs match a file's path from the configuration's directory, as its
  // suppression paths do, so that they hold whichever directory is walked (`check iam/` from
  // the repository's root, `check .` from a folder below it); the globs above match it from the
  // directory walked. A file outside the configuration's directory is matched from the
  // directory walked. `config_include`, when not empty, replaces `include`.
  std::string config_directory;
  std::vector<std::string> config_include;
  std::vector<std::string> config_exclude;
};

struct WalkProblem {
  std::string path;
  std::string message;
};

struct WalkResult {
  std::vector<std::string> files;
  std::vector<WalkProblem> problems;
};

WalkResult expand_paths(const std::vector<std::string>& paths, const WalkOptions& options);

// `path` spelt so that normalising it lexically names the file the kernel opens: a `..` after a
// symbolic link goes up from where the link points, so `x/../p.json`, with `x` a link to
// `../elsewhere/sub`, is `../elsewhere/p.json` (relative to the working directory when that is
// shorter than the absolute path), not `p.json`. Any other path is returned as written.
std::string without_linked_dotdot(const std::string& path);

// The longest glob taken (a path's own limit, PATH_MAX): a longer glob is refused where it is
// given.
inline constexpr std::size_t kMaxGlobLength = 4096;

// Glob match: `*` any run without `/`, `**` any run (and a `**/` that is a whole segment no
// directory too), `?` one character other than `/`; a leading `./` names what the rest does.
// A pattern without `/` is matched against the last path component only.
bool glob_match(std::string_view pattern, std::string_view path);
// Why a glob is refused where it is given, or empty: one that is empty, starts with `/` (globs
// match paths from the directory walked, or the configuration's, which never start with `/`)
// or ends with `/` (globs match files) matches nothing, and matching nothing silently would
// check, or report, what it was written to leave out.
std::string glob_problem(std::string_view glob);
// The same for an `--include`/`--exclude` glob (or a configuration's `include`/`exclude`),
// which is matched against the paths a walk finds: also refused are brackets and braces
// (`*.{json,yaml}`, `[jJ]`, which would be matched literally) and an empty, `.` or `..` segment
// (`a//*.json`, `a/./x`, `../x`), which no walked path holds (hostile h48 H4: such an
// `--include` checked no file and exited 0).
std::string walk_glob_problem(std::string_view glob);
// `glob` without its leading `./`s: `./sub/*.json` names what `sub/*.json` does (a glob that
// held a `/` stays matched against whole paths, `./*.json` only at the top).
std::string_view without_leading_dot_slash(std::string_view glob);
// Whether a glob holds a wildcard (`*`, `?`); one without is matched by equality.
bool has_glob_wildcard(std::string_view pattern);
// A path's last component: what a glob without a `/` is matched against.
std::string_view last_component(std::string_view path);

// A glob readied for matching many paths: runs of three `*` or more shortened to `**` (which
// matches as much), and the fewest characters a path it matches has, so that a path too short
// for it is refused at once. Matching then costs the path's length times the glob's length over
// 64 (its automaton), without allocating for globs of the length taken.
struct PreparedGlob {
  std::string pattern;
  std::size_t min_length = 0;
  bool names_directories = false;  // it holds a `/`: matched against the whole path
  // Its longest run without a wildcard, which a path it matches holds as it is: a path without it
  // is refused by a search, before the automaton runs (thousands of globs over thousands of paths).
  std::string required;
  GlobAutomaton automaton;
};
PreparedGlob prepare_glob(std::string_view pattern);
bool glob_match(const PreparedGlob& glob, std::string_view path);
// The same, adding what it cost to `work`, in word operations (a path refused by its length or
// its literal run costs a word per 64 bytes searched): for callers that keep a budget over
// many globs and many paths.
bool glob_match(const PreparedGlob& glob, std::string_view path, std::uint64_t& work);

// Globs matched against many paths: one without a wildcard is looked up at once (by the whole
// path when it holds a `/`, by the last component otherwise), so that a configuration listing
// thousands of paths costs a lookup per file, not a match per path and file; the others are
// prepared once.
class GlobSet {
 public:
  explicit GlobSet(const std::vector<std::string>& patterns);
  [[nodiscard]] bool matches(std::string_view path) const;

 private:
  StringSet paths_;  // without a wildcard, holding a `/`
  StringSet names_;  // without a wildcard or a `/`
  std::vector<PreparedGlob> wildcards_;
};

}  // namespace grantlint::input
