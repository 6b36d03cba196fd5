// The `scan` pipeline: account exports in, findings out (the same report `check` makes).
// Each policy document is analysed once, on all cores: managed policies (the default
// version fully, other versions for what AWS would reject), inline policies and trust
// policies; references the export cannot resolve are findings, never silence.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "account/effective.h"
#include "account/model.h"
#include "base/progress.h"
#include "engine/check.h"

namespace grantlint::account {

struct ScanOptions {
  const catalog::Catalog* catalog = nullptr;  // nullptr: the built-in catalog
  unsigned threads = 0;                       // 0: one per core
};

using SourceLookup = std::function<const SourceFile&(SourceId)>;

// Reads one export file into `out` (appending); false, after reporting why, when it is
// not an export. A large file is read on two threads unless `threads` is 1.
bool read_export(const SourceFile& file, SourceId id, DiagnosticSink& sink, Export& out, unsigned threads = 0);

// Analyses one account's export (from one file or several); findings go to `sink`, and the
// documents analysed to `documents`. A principal or policy listed again alike is left out of
// `model` first (analysed once, at its first listing); one listed again otherwise is ACC001.
// `after` runs once the documents are compiled, with a way to find them (rule packs that
// read the account's policies).
using AfterAnalysis = std::function<void(const DocumentLookup&)>;
void analyse_account(Export& model, const SourceLookup& files, const catalog::Catalog& catalog, unsigned threads,
                     DiagnosticSink& sink, std::vector<DocumentInfo>& documents, const AfterAnalysis& after = {},
                     Progress* progress = nullptr);

// read_export and analyse_account for a single file.
void analyse_export(const SourceFile& file, SourceId id, const catalog::Catalog& catalog, unsigned threads,
                    DiagnosticSink& sink, std::vector<DocumentInfo>& documents);

class Scanner {
 public:
  explicit Scanner(ScanOptions options);
  // Counts the analysis (documents, principals) from now on; `progress` must outlive finish().
  void set_progress(Progress* progress);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  void scan_file(const std::string& path, const std::string& display_path);
  // An account snapshot directory (glue-rules.md §6): its IAM export joins the account's,
  // and the Glue pack runs on the rest.
  void scan_snapshot(const std::string& directory);
  void add_notification(ToolNotification notification);
  [[nodiscard]] CheckReport finish() &&;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace grantlint::account
