#include "cli/cli.h"

#include <fmt/format.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <unordered_set>
#include <utility>
#include <vector>

#include "account/scan.h"
#include "base/progress.h"
#include "base/strings.h"
#include "base/suggest.h"
#include "catalog/catalog.h"
#include "checks/checks.h"
#include "cli/file_option.h"
#include "cli/number_option.h"
#include "cli/parse_errors.h"
#include "cli/simulate.h"
#include "config/project.h"
#include "diag/emitter.h"
#include "engine/check.h"
#include "glue/read_snapshot.h"
#include "input/walk.h"
#include "policy/kind.h"
#include "report/report.h"
#include "report/text_safe.h"
#include "report/uri.h"
#include "rules/registry.h"

namespace grantlint::cli {

namespace {

// A line of standard error. Messages name the user's files: a line break or an escape sequence
// in a file's name is shown escaped, so that it can neither forge a line (a CI runner's
// workflow command) nor drive the terminal; a path past 200 bytes is cut as quotes in findings
// are (h47 L1: 5 KB paths were quoted whole).
std::string error_line(std::string_view message) {
  return fmt::format("grantlint: error: {}\n", report::terminal_safe(clip_long_quotes(std::string(message))));
}

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;

struct CheckArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  std::string fail_on = "warning";
  std::string policy_type;
  std::string resource_type;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  std::string color = "auto";
  std::string stdin_filename = "<stdin>";
  std::string sarif_category = "grantlint";
  std::size_t sarif_max_results = report::SarifOptions::kGitHubMaxResults;
  std::string base_dir;
  std::string catalog_file;
  std::string config;  // `.grantlint.json`; empty: looked for upwards, `none`: not read
  std::string baseline, write_baseline;
  bool include_suppressed = false;  // list suppressed findings (SARIF `suppressions`, JSON `suppressed`)
  bool skip_non_policy = false;     // check: skip plainly non-policy JSON even when named
  std::string account;              // check: the account the policies belong to (RES009)
};


// Why a pattern expands to nothing, in check's words (an unknown service or action, with the
// nearest one), so a typo is told from a pattern that merely matches no action.
std::string why_no_action(const std::string& pattern, const catalog::Catalog& catalog) {
  DiagnosticSink sink;
  Emitter emit(sink, 0);
  checks::check_action_pattern(policy::Text{pattern, Span{}, ""}, catalog, emit);
  if (sink.unsorted().empty()) return fmt::format("`{}` matches no action", pattern);
  return sink.unsorted().front().message;
}

int run_catalog(const std::string& file, const std::string& pattern, bool expand, Io& io) {
  std::unique_ptr<catalog::Catalog> holder;
  const catalog::Catalog* catalog = open_catalog(file, holder, io);
  if (catalog == nullptr) return 2;
  if (expand) {
    const auto actions = catalog->expand(pattern);
    for (const std::string& action : actions) io.out += action + "\n";
    // The pattern is the user's text, cut as other quoted text is (h48 L8: 100 KB came back whole).
    if (actions.empty()) {
      io.err += "grantlint: " + report::terminal_safe(clip_long_quotes(why_no_action(pattern, *catalog))) + "\n";
    }
    return actions.empty() ? 1 : 0;
  }
  const catalog::Counts counts = catalog->counts();
  io.out += fmt::format(
      "catalog: {}\nsource: {} {}\ndate: {}\nservices: {}\nactions: {}\nresource types: {}\n"
      "condition keys: {} ({} global)\n",
      catalog->origin(), catalog->source_package(), catalog->source_version(), catalog->source_date(), counts.services,
      counts.actions, counts.resource_types, counts.condition_keys, catalog->global_condition_keys().size());
  if (!catalog->overlay().empty()) {
    io.out += fmt::format("corrections: {} ({})\n", catalog->overlay_corrections(), catalog->overlay());
  }
  return 0;
}

bool use_color(const CheckArgs& args, const Io& io) {
  if (args.color == "always") return true;
  if (args.color == "never" || !args.output.empty()) return false;
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  if ((no_color != nullptr && *no_color != '\0') || (term != nullptr && std::strcmp(term, "dumb") == 0)) return false;
  return io.stdout_is_terminal;
}

// The configuration's directory, absolute and without links; empty when it cannot be told.
std::filesystem::path config_home(const std::string& config) {
  namespace fs = std::filesystem;
  std::error_code failed;
  fs::path home = fs::weakly_canonical(fs::absolute(fs::path(config), failed).parent_path(), failed);
  return failed ? fs::path() : home;
}

// The files the paths name, with --include and --exclude, then the configuration's
// `include` (when --include is not given) and `exclude` (added).
input::WalkResult walk_inputs(const CheckArgs& args, const std::optional<std::string>& config,
                              std::vector<std::string> default_include) {
  input::WalkOptions walk;
  walk.include = std::move(default_include);
  walk.include_in_any_case = args.include.empty();
  if (!args.include.empty()) walk.include = args.include;
  walk.exclude = args.exclude;
  if (config) {
    config::WalkGlobs globs = config::config_globs(*config);
    walk.config_directory = config_home(*config).string();
    if (args.include.empty()) walk.config_include = std::move(globs.include);
    walk.config_exclude = std::move(globs.exclude);
  }
  return input::expand_paths(args.paths, walk);
}

// --include and --exclude take globs up to input::kMaxGlobLength.
const CLI::Validator kGlobLength(
    [](const std::string& glob) {
      if (std::string problem = input::walk_glob_problem(glob); !problem.empty()) return problem;
      return glob.size() > input::kMaxGlobLength
                 ? fmt::format("a glob of {} characters: globs longer than {} are not taken", glob.size(),
                               input::kMaxGlobLength)
                 : std::string();
    },
    "GLOB");

// The options `check` and `scan` share: inputs, report format and destination, catalog.
void add_report_options(CLI::App* cmd, CheckArgs& args, std::string_view verb) {
  cmd->add_option("--format", args.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", args.output, "Write the report to FILE instead of standard output")->check(kFileName);
  cmd->add_option("--fail-on", args.fail_on, "Exit 1 when a finding is at or above this level")
      ->check(CLI::IsMember({"error", "warning", "note", "none"}))
      ->capture_default_str();
  cmd->add_option("--include", args.include,
                  fmt::format("Glob of files to {} inside directories (default {})", verb,
                              verb == "check" ? "`*.json`, `*.yaml`, `*.yml`, `*.template`" : "`*.json`, `*.json.gz`"))
      ->check(kGlobLength);
  cmd->add_option("--exclude", args.exclude, "Glob of files to skip inside directories")->check(kGlobLength);
  cmd->add_option("--color", args.color, "Colour the text report")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_option("--sarif-category", args.sarif_category, "SARIF automationDetails category")->capture_default_str();
  cmd->add_option("--sarif-max-results", args.sarif_max_results,
                  "Keep the N most severe results in SARIF, as GitHub code scanning needs (0: all)")
      ->check(decimal_in(0, std::uint64_t{1} << 40))
      ->capture_default_str();
  cmd->add_option("--base-dir", args.base_dir,
                  "Directory SARIF and github paths are relative to (default: the enclosing git repository)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--catalog", args.catalog_file, "Use this AWS action catalog instead of the built-in one")
      ->check(kFileName);
  cmd->add_option("--config", args.config,
                  "Read this configuration instead of the nearest `.grantlint.json` upwards (`none`: no "
                  "configuration)")
      // Standard input is the policies' (`check -`): a configuration read from it too would
      // take their bytes, or come back empty at its second read.
      ->check(
          [](const std::string& value) {
            return value == "-" ? std::string("standard input cannot hold the configuration: name its file") : "";
          },
          "")
      ->check(kFileName);
  cmd->add_option("--baseline", args.baseline, "Report only the findings this baseline file does not hold")
      ->check(kFileName);
  cmd->add_option("--write-baseline", args.write_baseline,
                  "Write the findings (after suppressions) to this baseline file")
      ->check(kFileName);
  cmd->add_flag("--include-suppressed", args.include_suppressed,
                "List the findings the configuration suppresses: in SARIF with `suppressions` (every result then has "
                "the array), in JSON under `suppressed`; text and github formats leave them out");
}

// The configuration `check` and `scan` read: `--config FILE`, or the nearest `.grantlint.json` from the
// working directory upwards (named relative to it); none with `--config none`. Inside a git
// repository (a directory holding `.git`) the search ends at its root. Outside one, a file owned
// by another user than the one running grantlint and root is passed over, and said: anyone may
// write into `/tmp`, and a suppression there would hide findings in every directory below.
std::optional<std::string> find_config(const std::string& given, Io& io) {
  if (given == "none") return std::nullopt;
  if (!given.empty()) return given;
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path start = fs::current_path(error);
  if (error) return std::nullopt;
  const auto holds = [&](const fs::path& path) {
    std::error_code failed;
    return fs::symlink_status(path, failed).type() != fs::file_type::not_found && !failed;
  };
  std::optional<fs::path> repository;
  for (fs::path directory = start;; directory = directory.parent_path()) {
    if (holds(directory / ".git")) {
      repository = directory;
      break;
    }
    if (directory == directory.parent_path()) break;
  }
  fs::path up;
  for (fs::path directory = start;; directory = directory.parent_path()) {
    // Whatever holds the name is the configuration: a directory or a dangling link there is
    // reported when read, not passed over for a parent's file.
    const fs::path candidate = directory / ".grantlint.json";
    if (holds(candidate)) {
      struct stat info {};
      const bool foreign =
          !repository && ::lstat(candidate.c_str(), &info) == 0 && info.st_uid != ::geteuid() && info.st_uid != 0;
      if (!foreign) return (up / ".grantlint.json").string();
      io.err += fmt::format(
          "grantlint: warning: passing over `{}`, which another user (uid {}) owns; name it with "
          "`--config` to read it\n",
          report::terminal_safe((up / ".grantlint.json").string()), info.st_uid);
    }
    if (directory == repository || directory == directory.parent_path()) return std::nullopt;
    up /= "..";
  }
}

// Where a report goes as the reporter writes it: the `-o` file, or standard output.
class ReportDestination {
 public:
  ReportDestination(const std::string& path, Io& io) : path_(path), io_(io) {
    if (path_.empty()) return;
    file_ = open_for_writing(path_);
    if (file_ == nullptr) {
      error_ = fmt::format("cannot write `{}`: {}", path_, write_failure(path_, errno));
    }
  }
  ~ReportDestination() {
    if (file_ != nullptr) std::fclose(file_);
  }
  ReportDestination(const ReportDestination&) = delete;
  ReportDestination& operator=(const ReportDestination&) = delete;

  // Why the report cannot be written, if it cannot.
  [[nodiscard]] const std::string& error() const { return error_; }

  void write(std::string_view piece) {
    if (file_ != nullptr) {
      if (error_.empty() && std::fwrite(piece.data(), 1, piece.size(), file_) != piece.size())
        error_ = fmt::format("cannot write `{}`: {}", path_, std::strerror(errno));
    } else if (io_.live_out) {
      io_.live_out(piece);
    } else {
      io_.out += piece;
    }
  }

  // Closes the file; false, with error() saying why, when the report did not all reach it.
  bool finish() {
    if (file_ == nullptr) return error_.empty();
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!closed && error_.empty()) error_ = fmt::format("cannot write `{}`: {}", path_, std::strerror(errno));
    if (!error_.empty()) error_ += remove_partial_output(path_);
    return error_.empty();
  }

 private:
  std::string path_;
  Io& io_;
  std::FILE* file_ = nullptr;
  std::string error_;
};

// Whether `file` holds nothing or what a run writes: a JSON or SARIF report (which name the
// tool near their top), a baseline (whose first key is a lowercase `version`, which no policy
// has), a text report (which ends with its summary line).
bool holds_earlier_output(const std::string& file) {
  std::FILE* in = std::fopen(file.c_str(), "rb");
  if (in == nullptr) return false;
  std::string head(4096, '\0');
  head.resize(std::fread(head.data(), 1, head.size(), in));
  std::string tail(256, '\0');
  const bool long_file = std::fseek(in, -static_cast<long>(tail.size()), SEEK_END) == 0;
  tail.resize(long_file ? std::fread(tail.data(), 1, tail.size(), in) : 0);
  std::fclose(in);
  if (!long_file) tail = head;
  constexpr std::string_view kBlank = " \t\r\n";
  const std::size_t start = head.find_first_not_of(kBlank);
  if (start == std::string::npos) return true;
  if (head[start] == '{') {
    const std::size_t key = head.find_first_not_of(kBlank, start + 1);
    const std::string_view first = key == std::string::npos ? std::string_view() : std::string_view(head).substr(key);
    if (first.starts_with("\"schemaVersion\"") || first.starts_with("\"$schema\"")) {
      return head.find("\"name\": \"grantlint\"") != std::string::npos;
    }
    return first.starts_with("\"version\": 1,");
  }
  while (!tail.empty() && kBlank.find(tail.back()) != std::string_view::npos) tail.pop_back();
  const std::string_view last =
      std::string_view(tail).substr(tail.rfind('\n') == std::string::npos ? 0 : tail.rfind('\n') + 1);
  return last.starts_with("no findings") ||
         (!last.empty() && std::isdigit(static_cast<unsigned char>(last.front())) != 0 &&
          last.find(" in ") != std::string_view::npos && last.find(" file") != std::string_view::npos);
}

// Whether the run writes `file`, its report (`-o`) or the baseline it writes, over what an
// earlier run wrote there. A directory walk passes over such a file, so that a run that keeps
// its report beside the policies can run again; over anything else (a policy) the walk reads it,
// and the run refuses to write there as over a file named on the command line.
bool writes_over(const CheckArgs& args, const std::string& file) {
  return ((!args.output.empty() && same_file(args.output, file)) ||
          (!args.write_baseline.empty() && same_file(args.write_baseline, file))) &&
         holds_earlier_output(file);
}

// Why the run must not write its outputs: `-o FILE` is a file the run reads (an input, the
// configuration, the baseline, the catalog) or the baseline being written, or the baseline
// written is the one read.
std::string report_would_replace(const CheckReport& report, const CheckArgs& args,
                                 const std::optional<std::string>& config) {
  if (!args.baseline.empty() && !args.write_baseline.empty() && same_file(args.baseline, args.write_baseline)) {
    return fmt::format("`--baseline {}` and `--write-baseline {}` name one file: the baseline would be replaced by "
                       "this run's findings before it is read; name two",
                       args.baseline, args.write_baseline);
  }
  if (args.output.empty()) {
    // The report goes to standard output: a baseline written there too would be mixed into it.
    struct stat out {};
    struct stat baseline {};
    if (!args.write_baseline.empty() && ::fstat(STDOUT_FILENO, &out) == 0 &&
        ::stat(args.write_baseline.c_str(), &baseline) == 0 && out.st_dev == baseline.st_dev &&
        out.st_ino == baseline.st_ino) {
      return fmt::format(
          "`--write-baseline {}` is the standard output, where the report goes: the two would be mixed; "
          "name another file, or write the report with `-o`",
          args.write_baseline);
    }
    return {};
  }
  for (std::size_t i = 0; i < report.sources.size(); ++i) {
    const std::string& input = report.sources.get(static_cast<SourceId>(i)).path();
    if (same_file(args.output, input)) {
      return fmt::format("will not write the report over `{}`, which this run reads; name another file", input);
    }
  }
  // One it could not read (a truncated gzip, a file it may not read) is still the user's.
  for (const ToolNotification& unread : report.notifications) {
    if (unread.unread && same_file(args.output, unread.path)) {
      return fmt::format("will not write the report over `{}`, an input this run could not read; name another file",
                         unread.path);
    }
  }
  const std::string config_path = config.value_or("");
  for (const std::string* read : {&args.baseline, &args.catalog_file, &config_path}) {
    if (!read->empty() && same_file(args.output, *read)) {
      return fmt::format("will not write the report over `{}`, which this run reads; name another file", *read);
    }
  }
  if (!args.write_baseline.empty() && same_file(args.output, args.write_baseline)) {
    return fmt::format("`-o {}` and `--write-baseline {}` name one file; name two", args.output, args.write_baseline);
  }
  return {};
}

// Whether the inputs hold the configuration's whole directory: one of them is that directory
// or a directory above it (`check .` beside `.grantlint.json`).
bool reads_whole_tree(const CheckArgs& args, const std::optional<std::string>& config) {
  if (!config || args.paths.empty()) return true;
  namespace fs = std::filesystem;
  const fs::path home = config_home(*config);
  if (home.empty()) return true;
  return std::ranges::any_of(args.paths, [&](const std::string& input) {
    std::error_code failed;
    if (input == "-" || !fs::is_directory(input, failed)) return false;
    const fs::path top = fs::weakly_canonical(fs::path(input), failed);
    if (failed) return false;
    const fs::path inside = home.lexically_relative(top);
    return !inside.empty() && !inside.string().starts_with("..");
  });
}

// Writes a finished report in the format asked for; the exit code follows --fail-on.
// `threads`: how many may render the report (0: one per core).
int write_report(CheckReport report, const CheckArgs& args, const std::optional<std::string>& config, Io& io,
                 unsigned threads = 0) {
  if (const std::string why = report_would_replace(report, args, config); !why.empty()) {
    io.err += error_line(why);
    return kExitError;
  }
  const auto today = config::today();
  if (!today) {
    io.err += error_line(today.error());
    return kExitError;
  }
  const auto applied = config::apply_config(report, config,
                                            config::ApplyOptions{*today, args.baseline, args.write_baseline,
                                                                 args.include_suppressed, reads_whole_tree(args, config)});
  if (!applied) {
    io.err += error_line(applied.error().message);
    return kExitError;
  }
  ReportDestination destination(args.output, io);
  if (!destination.error().empty()) {
    for (const ToolNotification& n : report.notifications) io.err += error_line(n.message);
    io.err += error_line(destination.error());
    return kExitError;
  }
  const report::Output output = [&destination](std::string_view piece) { destination.write(piece); };
  // SARIF URIs and GitHub annotations name files from one base, the repository's root, against which
  // code scanning and the Actions runner resolve them (not the working directory of a step that
  // sets `working-directory:`). A relative --base-dir is taken from the working directory.
  std::error_code ignored;
  const std::string base_dir = args.base_dir.empty()
                                   ? report::default_base_dir()
                                   : std::filesystem::absolute(args.base_dir, ignored).lexically_normal().string();
  if (args.format == "json") {
    report::write_json(report, output, threads);
  } else if (args.format == "github") {
    report::write_github(report, report::GithubOptions{base_dir}, output);
  } else if (args.format == "sarif") {
    report::SarifOptions sarif;
    sarif.base_dir = base_dir;
    sarif.automation_id = args.sarif_category + "/";
    sarif.max_results = args.sarif_max_results;
    report::write_sarif(report, sarif, output);
    if (const std::size_t left_out = report::sarif_results_left_out(report, sarif)) {
      io.err += fmt::format("grantlint: warning: {}\n",
                            report::sarif_left_out_message(
                                left_out, report.diagnostics.size() + report.suppressed.size(), sarif.max_results));
    }
  } else {
    report::write_text(report, report::TextOptions{use_color(args, io), !args.output.empty()}, output);
  }
  for (const ToolNotification& n : report.notifications) io.err += error_line(n.message);
  // An input that changed while the report was written (its lines were quoted from it).
  bool changed_while_writing = false;
  for (const ToolNotification& changed : changed_inputs(report.sources)) {
    if (std::ranges::any_of(report.notifications, [&](const ToolNotification& n) { return n.path == changed.path; })) {
      continue;
    }
    io.err += error_line(changed.message);
    changed_while_writing = true;
  }

  if (!destination.finish()) {
    io.err += error_line(destination.error());
    return kExitError;
  }
  if (!report.notifications.empty() || changed_while_writing) return kExitError;
  if (args.fail_on == "none") return kExitClean;
  const Level threshold = parse_level(args.fail_on).value_or(Level::warning);
  for (const Diagnostic& d : report.diagnostics) {
    if (d.level >= threshold) return kExitFindings;
  }
  return kExitClean;
}

// Inputs from this size on take long enough to show progress on a terminal.
constexpr std::uintmax_t kProgressFromBytes = 32u << 20;

// Progress on standard error: one line rewritten in place on a terminal, cleared at the end
// of each phase; a line per update otherwise (`--progress always` into a log).
Progress::Show progress_display(Io& io) {
  const bool terminal = io.stderr_is_terminal;
  return [&io, terminal](std::string_view phase, std::size_t done, std::size_t total) {
    const std::size_t percent = total == 0 ? 100 : done * 100 / total;
    std::string line = fmt::format("grantlint: analysing {} {}/{} ({}%)", phase, done, total, percent);
    if (terminal)
      line = done == total ? "\r\x1b[K" : "\r\x1b[K" + line;
    else
      line += '\n';
    if (io.live_err) {
      io.live_err(line);
    } else {
      io.err += line;
    }
  };
}

bool shows_progress(std::string_view mode, const std::vector<std::string>& files, const Io& io) {
  if (mode != "auto") return mode == "always";
  if (!io.stderr_is_terminal) return false;
  std::uintmax_t bytes = 0;
  for (const std::string& file : files) {
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(file, error);
    if (!error) bytes += size;
  }
  return bytes >= kProgressFromBytes;
}

// The snapshot directories up to kSnapshotDepth levels below `root` (ROOT/ORG/ACCOUNT/REGION), in
// sorted order, not looked into. A symbolic link to a directory is taken as a snapshot but not
// searched (a loop). The search looks into directories in sorted order and gives up past
// kMaxSnapshotSearch of them (a repository named by mistake): `cut` says so.
constexpr int kSnapshotDepth = 3;
constexpr std::size_t kMaxSnapshotSearch = 10'000;
struct SnapshotSearch {
  std::vector<std::string> found;
  bool cut = false;
};
SnapshotSearch snapshots_below(const std::string& root) {
  SnapshotSearch out;
  std::vector<std::pair<std::string, int>> pending{{root, 0}};
  std::size_t searched = 0;
  while (!pending.empty()) {
    const auto [directory, depth] = std::move(pending.back());
    pending.pop_back();
    std::error_code error;
    std::vector<std::pair<std::string, bool>> children;  // and whether it is a symbolic link
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
      if (!entry.is_directory(error)) continue;  // files do not count against the search
      children.emplace_back(entry.path().string(), entry.is_symlink(error));
    }
    std::ranges::sort(children);
    const std::size_t deeper = pending.size();
    for (auto& [child, link] : children) {
      if (++searched > kMaxSnapshotSearch) {
        out.cut = true;
        break;
      }
      if (glue::is_snapshot_directory(child)) {
        out.found.push_back(std::move(child));
      } else if (depth + 1 < kSnapshotDepth && !link) {
        pending.emplace_back(std::move(child), depth + 1);
      }
    }
    if (out.cut) break;
    std::reverse(pending.begin() + static_cast<std::ptrdiff_t>(deeper), pending.end());  // the first on top
  }
  std::ranges::sort(out.found);
  return out;
}

// `scan --timings`: how long each stage took, and the peak memory, on standard error. The
// analysis is its phases (documents, principals: each account's added up) and the rest of it.
std::string timings_line(const Progress& progress, std::chrono::steady_clock::time_point started,
                         std::chrono::steady_clock::time_point read, std::chrono::steady_clock::time_point analysed,
                         std::chrono::steady_clock::time_point written) {
  using Seconds = std::chrono::duration<double>;
  std::vector<std::pair<std::string, std::pair<Seconds, std::size_t>>> phases;
  Seconds in_phases{};
  for (const Progress::PhaseTime& phase : progress.phase_times()) {
    auto it = std::ranges::find(phases, phase.phase, [](const auto& entry) { return entry.first; });
    if (it == phases.end()) it = phases.insert(phases.end(), {phase.phase, {}});
    it->second.first += phase.took;
    it->second.second += phase.steps;
    in_phases += phase.took;
  }
  std::string line = fmt::format("grantlint: timings: reading {:.3f} s", Seconds(read - started).count());
  for (const auto& [name, took] : phases) {
    line += fmt::format("; {} {:.3f} s ({})", name, took.first.count(), took.second);
  }
  const Seconds rest = std::max(Seconds(analysed - read) - in_phases, Seconds{});
  line += fmt::format("; rest of the analysis {:.3f} s; report {:.3f} s; total {:.3f} s", rest.count(),
                      Seconds(written - analysed).count(), Seconds(written - started).count());
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) line += fmt::format("; peak memory {} MB", usage.ru_maxrss / 1024);
  return line + "\n";
}

// An account scan frees and allocates again hundreds of megabytes from stage to stage. By
// default glibc gives a freed block over 128 KB (or more than 128 KB free at the top of the
// heap) back to the system, and the next stage faults every page of it in again. Kept up to
// 16 MB a heap instead, a 200 MB export scans about 3% faster with 17 MB less peak memory
// (bench/scan_bench.sh's export). Not more: every thread's heap keeps what it may, and keeping
// more (or growing heaps in larger steps) raised the peak of 250,000 users with their own
// policies, on two threads, from 909 to 1,012 MB.
void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest glibc takes (64-bit)
  mallopt(M_TRIM_THRESHOLD, 16 << 20);
}

// A directory named on the command line as the walk's paths begin with it: without its
// trailing slashes (`snap/` walks to `snap/iam/...`).
std::string walked_folder(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

int run_scan(const CheckArgs& args, unsigned threads, std::string_view progress_mode, bool timings, Io& io) {
  const auto started = std::chrono::steady_clock::now();
  keep_freed_memory();
  account::ScanOptions options;
  std::unique_ptr<catalog::Catalog> catalog_holder;
  options.catalog = open_catalog(args.catalog_file, catalog_holder, io);
  if (options.catalog == nullptr) return kExitError;
  options.threads = threads;
  const std::optional<std::string> config = find_config(args.config, io);
  account::Scanner scanner(options);
  // Snapshot directories (glue-rules.md §6), named or up to three levels down, are read whole;
  // every other path is walked for export files.
  CheckArgs rest = args;
  rest.paths.clear();
  // A snapshot named twice (or named and found below another named folder) is read once, as a
  // file named twice is: its findings would otherwise be reported twice.
  std::set<std::string> snapshots_read;
  std::set<std::string, std::less<>> inside_snapshots;  // the snapshot folders found below named ones
  const auto scan_snapshot_once = [&](const std::string& directory) {
    std::error_code error;
    const std::filesystem::path canonical = std::filesystem::weakly_canonical(directory, error);
    if (snapshots_read.insert(error ? directory : canonical.string()).second) scanner.scan_snapshot(directory);
  };
  for (const std::string& path : args.paths) {
    // Exports are memory-mapped, which a pipe cannot be.
    if (path == "-") {
      scanner.add_notification({path, "`scan` reads files, not standard input: save the export first (`aws iam "
                                      "get-account-authorization-details > export.json`) and name the file"});
      continue;
    }
    std::error_code error;
    if (!std::filesystem::is_directory(path, error)) {
      rest.paths.push_back(path);
      continue;
    }
    if (glue::is_snapshot_directory(path)) {
      scan_snapshot_once(path);
      // Walked too, for the files its reader does not read: each is named (h49 H3).
      inside_snapshots.insert(walked_folder(path));
      rest.paths.push_back(path);
      continue;
    }
    const SnapshotSearch search = snapshots_below(path);
    if (search.cut) {
      scanner.add_notification(
          {path, fmt::format("the search for snapshot folders (ACCOUNT/REGION, {} levels down at most) stopped after "
                             "{} directories; snapshots past them are not scanned: name their folders instead "
                             "(the folder's exports are read)",
                             kSnapshotDepth, kMaxSnapshotSearch)});
    }
    for (const std::string& child : search.found) {
      scan_snapshot_once(child);
      inside_snapshots.insert(child);
    }
    // The exports beside the snapshots are read too (h47 H4: none was once a snapshot was found).
    rest.paths.push_back(path);
  }
  std::vector<std::string> files;
  if (!rest.paths.empty()) {
    // Exports are often kept compressed (`aws iam get-account-authorization-details | gzip`).
    input::WalkResult inputs = walk_inputs(rest, config, {"*.json", "*.json.gz"});
    for (const input::WalkProblem& problem : inputs.problems) scanner.add_notification({problem.path, problem.message});
    files = std::move(inputs.files);
    // A snapshot's files are its reader's: read as exports too, they would be reported twice.
    // One it does not read (an export put in the folder, a snapshot inside it) is said, not
    // passed over (h48 M2).
    std::set<std::string> nested_said;
    const auto in_a_snapshot = [&](std::string_view file) {
      for (std::size_t slash = file.rfind('/'); slash != std::string_view::npos && slash > 0;
           slash = file.rfind('/', slash - 1)) {
        const std::string_view folder = file.substr(0, slash);
        if (!inside_snapshots.contains(folder)) continue;
        std::string_view relative = file.substr(slash + 1);
        while (relative.starts_with('/')) relative.remove_prefix(1);  // `snap//iam/...`
        if (glue::snapshot_reads(relative)) return true;
        // This run's report, baseline or configuration, kept in the folder, is no stray export.
        const std::string path(file);
        if (writes_over(args, path) || (!args.baseline.empty() && same_file(args.baseline, path)) ||
            (config && same_file(*config, path))) {
          return true;
        }
        const auto first = relative.find('/');
        const std::string child =
            first == std::string_view::npos ? std::string() : std::string(file.substr(0, slash + 1 + first));
        if (!child.empty() && glue::is_snapshot_directory(child)) {
          if (nested_said.insert(child).second) {
            scanner.add_notification({child, fmt::format("`{}` is a snapshot folder inside the snapshot folder `{}`, "
                                                         "and is not scanned: name it to scan it",
                                                         child, folder)});
          }
          return true;
        }
        scanner.add_notification(
            {std::string(file), fmt::format("`{}` is in the snapshot folder `{}`, whose reader does not read it: "
                                            "move it out of the folder (or name it) to scan it as an export",
                                            file, folder)});
        return true;
      }
      return false;
    };
    if (!inside_snapshots.empty()) std::erase_if(files, in_a_snapshot);
    // A snapshot folder deeper than the search goes has its files read as exports, each an
    // ACC001 that does not say why: a warning names the folder once (h48 L10).
    const std::set<std::string, std::less<>> named(rest.paths.begin(), rest.paths.end());
    std::unordered_map<std::string, bool> asked;  // by directory: a snapshot folder
    for (const std::string& file : files) {
      for (std::size_t slash = file.rfind('/'); slash != std::string::npos && slash > 0;
           slash = file.rfind('/', slash - 1)) {
        const std::string folder = file.substr(0, slash);
        if (named.contains(folder)) break;
        const auto [known, fresh] = asked.try_emplace(folder, false);
        if (!fresh) break;  // this folder and those above it were asked for an earlier file
        known->second = glue::is_snapshot_directory(folder);
        if (known->second) {
          io.err += fmt::format(
              "grantlint: warning: `{}` looks like a snapshot folder, but lies deeper than the {} levels the search "
              "for them goes: its files are read as exports; name the folder to scan it as a snapshot\n",
              report::terminal_safe(clip_long_text(folder)), kSnapshotDepth);
        }
      }
    }
  }
  Progress progress(shows_progress(progress_mode, files, io) ? progress_display(io) : Progress::Show());
  scanner.set_progress(&progress);
  const std::unordered_set<std::string_view> named_paths(args.paths.begin(), args.paths.end());
  for (const std::string& file : files) {
    if (!named_paths.contains(file) && writes_over(args, file)) continue;  // the last run's report
    scanner.scan_file(file, file);
  }
  const auto read = std::chrono::steady_clock::now();
  CheckReport report = std::move(scanner).finish();
  // The accounts' models and compiled policies are freed by now, mostly in the middle of the heap,
  // which glibc keeps: given back before the report is built, whose own memory then set the peak
  // (200 MB export: 310 -> 288 MB, 1.51 -> 1.41 times the file, same time alternated thrice).
  malloc_trim(0);
  const auto analysed = std::chrono::steady_clock::now();
  const int status = write_report(std::move(report), args, config, io, threads);
  if (timings) io.err += timings_line(progress, started, read, analysed, std::chrono::steady_clock::now());
  return status;
}

int run_check(const CheckArgs& args, Io& io) {
  CheckOptions options;
  std::unique_ptr<catalog::Catalog> catalog_holder;
  options.catalog = open_catalog(args.catalog_file, catalog_holder, io);
  if (options.catalog == nullptr) return kExitError;
  if (!args.policy_type.empty()) options.forced_kind = policy::parse_kind(args.policy_type);
  if (!args.resource_type.empty()) options.resource_type = policy::find_resource_type(args.resource_type);
  options.account = args.account;

  const std::optional<std::string> config = find_config(args.config, io);
  // Policies are JSON; CloudFormation templates are JSON or YAML.
  const input::WalkResult inputs = walk_inputs(args, config, {"*.json", "*.yaml", "*.yml", "*.template"});
  namespace fs = std::filesystem;
  std::error_code ignored;
  const fs::path config_file = config ? fs::weakly_canonical(*config, ignored) : fs::path();

  Checker checker(options);
  for (const input::WalkProblem& problem : inputs.problems) checker.add_notification({problem.path, problem.message});
  const std::unordered_set<std::string_view> named_paths(args.paths.begin(), args.paths.end());
  for (const std::string& file : inputs.files) {
    // The configuration is read as one, not checked as a policy.
    if (config && file != "-" && fs::weakly_canonical(file, ignored) == config_file) continue;
    const bool named = named_paths.contains(file);
    if (!named && writes_over(args, file)) continue;  // the last run's report, found by the walk
    checker.check_file(file, file == "-" ? args.stdin_filename : file, !named || args.skip_non_policy);
  }
  if (config) checker.check_config(*config, *config);
  return write_report(std::move(checker).finish(), args, config, io);
}

int run_rules(const std::string& format, Io& io) {
  if (format == "json") {
    io.out += report::format_rules_json();
  } else if (format == "markdown") {
    io.out += report::format_rules_markdown();
  } else {
    io.out += report::format_rules_text();
  }
  return kExitClean;
}

// An argument taken for an option that its command does not have: a file named `-p.json`, or a
// mistyped `--formt`. CLI11 says "paths is required", or that the argument was not expected,
// which names neither the option nor the way out; this names the first one, with the nearest
// option or how to name such a file. Empty when every option was known.
std::string unknown_option_message(const CLI::App& app) {
  // Every command met on the line, nested ones (`catalog expand`) included: a command that
  // failed is listed by its parent only.
  std::vector<const CLI::App*> commands{&app};
  for (std::size_t i = 0; i < commands.size(); ++i) {
    for (const CLI::App* command : commands[i]->get_subcommands()) {
      if (std::ranges::find(commands, command) == commands.end()) commands.push_back(command);
    }
  }
  for (const CLI::App* command : commands) {
    for (const std::string& arg : command->remaining()) {
      if (arg.size() < 2 || arg[0] != '-' || arg == "--") continue;
      const std::string name = arg.starts_with("--") ? arg.substr(0, arg.find('=')) : arg;
      std::vector<std::string> options;
      for (const CLI::Option* option : command->get_options()) {
        for (const std::string& long_name : option->get_lnames()) options.push_back("--" + long_name);
      }
      const std::vector<std::string_view> names(options.begin(), options.end());
      if (const auto near = closest_match(name, names)) {
        return fmt::format("unknown option `{}`{}", name, did_you_mean(near));
      }
      const std::string_view verb = command->get_name();
      if (verb == "check" || verb == "scan") {
        return fmt::format("unknown option `{}`; to {} a file of that name, write `./{}` or put `--` before it", arg,
                           verb, arg);
      }
      return fmt::format("unknown option `{}`", name);
    }
  }
  return {};
}

}  // namespace

const catalog::Catalog* open_catalog(const std::string& file, std::unique_ptr<catalog::Catalog>& holder, Io& io) {
  if (file.empty()) return &catalog::Catalog::builtin();
  auto text = read_file_bytes(file);
  if (!text) {
    io.err += error_line(text.error().message);
    return nullptr;
  }
  auto loaded = catalog::Catalog::load(std::move(*text), file);
  if (!loaded) {
    io.err += error_line(loaded.error().message);
    return nullptr;
  }
  holder = std::move(*loaded);
  return holder.get();
}

bool same_file(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::equivalent(a, b, ec)) return true;
  const fs::path absolute_a = fs::absolute(a, ec).lexically_normal();
  const fs::path absolute_b = fs::absolute(b, ec).lexically_normal();
  return !ec && absolute_a == absolute_b;
}

bool deliver(const std::string& text, const std::string& output, Io& io) {
  ReportDestination destination(output, io);
  if (destination.error().empty()) destination.write(text);
  if (destination.finish()) return true;
  io.err += error_line(destination.error());
  return false;
}

int run(const std::vector<std::string>& args, Io& io) {
  CLI::App app{"grantlint: a static analyzer for AWS IAM and KMS policies", "grantlint"};
  app.set_version_flag("--version", fmt::format("grantlint {}", kToolVersion));
  app.require_subcommand(1);

  CheckArgs check;
  auto* check_cmd = app.add_subcommand("check", "Check policy files for malformed and risky grants");
  check_cmd->add_option("paths", check.paths, "Files or directories to check (`-` reads standard input)")->required();
  std::vector<std::string> kinds;
  for (policy::Kind kind : policy::all_kinds()) kinds.emplace_back(policy::to_string(kind));
  check_cmd->add_option("--policy-type", check.policy_type, "Check every document as this kind of policy")
      ->check(CLI::IsMember(kinds));
  std::vector<std::string> resource_types;
  for (const policy::ResourceType& type : policy::all_resource_types()) resource_types.emplace_back(type.name);
  check_cmd
      ->add_option("--resource-type", check.resource_type,
                   "The resource the policies of bare files are attached to (they are then resource policies): its "
                   "service's actions, ARNs and size quota are checked; templates and plans say it themselves")
      ->check(CLI::IsMember(resource_types));
  // An empty name (an unset CI variable) would give every report a file of no name, and SARIF
  // an empty `uri`, which the schema refuses.
  check_cmd->add_option("--stdin-filename", check.stdin_filename, "Name to report for standard input")
      ->check([](const std::string& value) {
        return value.empty() ? std::string("expected a file name, not an empty one") : std::string();
      });
  check_cmd
      ->add_option("--account", check.account,
                   "The 12-digit account the policies belong to: principals of other accounts are reported")
      ->check([](const std::string& value) {
        return is_account_id(value) ? std::string() : std::string("expected a 12-digit account id");
      });

  check_cmd->add_flag("--skip-non-policy", check.skip_non_policy,
                      "Skip JSON files that are plainly not policies even when named (for hooks that pass every "
                      "JSON file)");
  add_report_options(check_cmd, check, "check");

  std::string catalog_file;
  std::string expand_pattern;
  auto* catalog_cmd = app.add_subcommand("catalog", "Show the AWS action catalog's source, date and counts");
  catalog_cmd->add_option("--catalog", catalog_file, "Use this AWS action catalog instead of the built-in one")
      ->check(kFileName);
  auto* expand_cmd = catalog_cmd->add_subcommand("expand", "List the actions an action pattern matches");
  expand_cmd->add_option("pattern", expand_pattern, "An action pattern such as `s3:Get*`")->required();

  std::string rules_format = "text";
  auto* rules_cmd = app.add_subcommand("rules", "List every rule with its id, level and summary");
  rules_cmd->add_option("--format", rules_format, "Output format")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();

  CheckArgs scan;
  unsigned scan_threads = 0;
  auto* scan_cmd = app.add_subcommand(
      "scan", "Scan account exports (get-account-authorization-details) and account snapshots (the Glue pack)");
  scan_cmd->add_option("paths", scan.paths, "Export files, snapshot directories, or directories of them")->required();
  add_report_options(scan_cmd, scan, "scan");
  // Each thread holds a stack and its own scratch: 100,000 took 11 s and 396 MB before any
  // work, and 4294967295 never started.
  scan_cmd->add_option("--threads", scan_threads, "Analyse on this many threads, at most 1024 (default: one per core)")
      ->check(decimal_in(0, 1024));
  std::string scan_progress = "auto";
  scan_cmd
      ->add_option("--progress", scan_progress,
                   "Show progress on standard error: auto (on a terminal, for inputs of 32 MB or more), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  bool scan_timings = false;
  scan_cmd->add_flag("--timings", scan_timings,
                     "Print how long reading, each analysis phase and the report took, and the peak memory, on "
                     "standard error");

  SimulateArgs simulate;
  auto* simulate_cmd = add_simulate_command(app, simulate);

  std::vector<std::string> argv_storage(args.rbegin(), args.rend());
  try {
    app.parse(argv_storage);
  } catch (const CLI::CallForHelp&) {
    io.out += app.help();
    return kExitClean;
  } catch (const CLI::CallForAllHelp&) {
    io.out += app.help("", CLI::AppFormatMode::All);
    return kExitClean;
  } catch (const CLI::CallForVersion&) {
    io.out += fmt::format("grantlint {}\n", kToolVersion);
    return kExitClean;
  } catch (const CLI::ParseError& e) {
    // A mistyped command (`grantlint chek`) is named, with the nearest one, rather than
    // CLI11's "a subcommand is required"; so is an unknown option.
    std::string message = unknown_option_message(app);
    if (!args.empty() && !args.front().starts_with('-')) {
      std::vector<std::string_view> names;
      for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
        names.push_back(command->get_name());
      }
      if (std::ranges::find(names, args.front()) == names.end()) {
        message = fmt::format("unknown command `{}`{}", args.front(), did_you_mean(closest_match(args.front(), names)));
      }
    }
    if (message.empty()) {
      // The command the line reached (`catalog expand`), for a message that names it.
      std::string command;
      for (const CLI::App* at = &app;;) {
        const auto entered = at->get_subcommands([](const CLI::App* c) { return c->parsed(); });
        if (entered.empty()) break;
        at = entered.front();
        command += (command.empty() ? "" : " ") + at->get_name();
      }
      message = plain_parse_error(e.what(), command);
    }
    io.err += error_line(message);
    io.err += "run `grantlint --help` for usage\n";
    return kExitError;
  }
  // Paths are normalised lexically from here on (reports, suppressions, URIs): spelt so that
  // this names the file read.
  for (std::vector<std::string>* paths : {&check.paths, &scan.paths}) {
    for (std::string& path : *paths) {
      if (path != "-") path = input::without_linked_dotdot(path);
    }
  }
  if (check_cmd->parsed()) return run_check(check, io);
  if (rules_cmd->parsed()) return run_rules(rules_format, io);
  if (simulate_cmd->parsed()) return run_simulate(simulate, io);
  if (scan_cmd->parsed()) return run_scan(scan, scan_threads, scan_progress, scan_timings, io);
  if (catalog_cmd->parsed()) return run_catalog(catalog_file, expand_pattern, expand_cmd->parsed(), io);
  return kExitError;
}

}  // namespace grantlint::cli
