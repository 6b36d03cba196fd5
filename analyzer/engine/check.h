// The `check` pipeline for one run: files in, sorted findings out. It never prints.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "policy/kind.h"
#include "policy/resource_type.h"
#include "source/source_file.h"

namespace grantlint {

namespace catalog {
class Catalog;
}

struct CheckOptions {
  std::optional<policy::Kind> forced_kind;    // --policy-type
  const catalog::Catalog* catalog = nullptr;  // nullptr: the built-in catalog
  std::string account;                        // --account: the account the policies belong to
  const policy::ResourceType* resource_type = nullptr;  // --resource-type, for resource policies
};

// A policy document found in a file, and the kind it was checked as.
struct DocumentInfo {
  SourceId source = 0;
  std::string pointer;
  policy::Kind kind = policy::Kind::identity;
  bool kind_detected = false;  // guessed from content rather than known from the wrapper or forced
  std::string resource = {};   // the template's logical id or the Terraform address that holds it
  Span span = {};              // where it is in the file (for a template's resolved form, the original's)
  std::uint32_t page = 0;      // as Diagnostic::page, set by make_report
};

// A file that could not be analysed at all (unreadable, vanished), or a part of one the
// analysis failed on (diag/contain.h): not a finding.
struct ToolNotification {
  std::string path;
  std::string message;
  bool unread = true;  // the file was not read at all
};

// How many of `notifications` are files that were not read.
std::size_t count_unread(const std::vector<ToolNotification>& notifications);

// A finding a configuration suppression covers, kept when asked (`--include-suppressed`):
// SARIF lists it with `suppressions`, which tools such as GitHub's dismiss-alerts action read.
struct SuppressedFinding {
  Diagnostic finding;
  std::string justification;  // the suppression's reason
  Location suppression;       // the suppression's object in the configuration
};

struct CheckReport {
  SourceSet sources;
  std::vector<Diagnostic> diagnostics;  // sorted and without duplicates
  std::vector<DocumentInfo> documents;
  std::vector<ToolNotification> notifications;
  // Set by the configuration when suppressed findings are kept; then SARIF gives every
  // result a `suppressions` array, empty for the findings reported.
  bool suppressions_listed = false;
  std::vector<SuppressedFinding> suppressed;  // in report order
  // Sources read besides the inputs (the configuration found for them): shown where their
  // findings are, not counted among the files checked.
  std::size_t support_sources = 0;
};

// How many files the summary says were checked: the inputs read, and those that could not be.
std::size_t checked_files(const CheckReport& report, const std::vector<ToolNotification>& notifications);

// A tool error for each mapped input that changed on disk while it was read (source_file.h).
std::vector<ToolNotification> changed_inputs(const SourceSet& sources);

// The report's notifications, then a tool error for each input that changed on disk since
// they were made: a reporter asks after quoting the inputs, and writes the answer last.
std::vector<ToolNotification> final_notifications(const CheckReport& report);

// A finished report: findings sorted by the files' paths, then everything moved in.
CheckReport make_report(SourceSet sources, DiagnosticSink sink, std::vector<DocumentInfo> documents,
                        std::vector<ToolNotification> notifications);

class Checker {
 public:
  explicit Checker(CheckOptions options);
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  // Analyses one file's bytes; `path` is how reports name it.
  void check_bytes(std::string path, std::string_view bytes, bool walked = false);
  // Reads and analyses a file ("-" is standard input); a read failure becomes a notification.
  // A file found by walking a directory that is plainly not a policy (JSON without
  // `Statement`, or a near miss of it, at the top, nor a wrapper or an export) is not
  // reported on: a repository holds other JSON. Named on the command line, it is.
  void check_file(const std::string& path, const std::string& display_path, bool walked = false);
  void add_notification(ToolNotification notification);
  // Reads a `.grantlint.json` and, if it has a `glue` section, runs the Glue pack's
  // permission rules on the files it names (policy-file mode). Files already checked are
  // reused; the others join the report.
  void check_config(const std::string& path, const std::string& display_path);

  [[nodiscard]] CheckReport finish() &&;

 private:
  // Analyses a file's bytes as read (check_bytes and check_file end here).
  void check_read(std::string path, FileBytes bytes, bool walked);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace grantlint
