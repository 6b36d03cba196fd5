// The `scan` pipeline: account exports in, findings out (the same report `check` makes).
// Each policy document is analysed once, on all cores: managed policies (the default
// version fully, other versions for what AWS would reject), inline policies and trust
// policies; references the export cannot resolve are findings, never silence.
#pragma once

#include <memory>
#include <string>

#include "engine/check.h"

namespace grantlint::account {

struct ScanOptions {
  const catalog::Catalog* catalog = nullptr;  // nullptr: the built-in catalog
  unsigned threads = 0;                       // 0: one per core
};

// Analyses one export already in `file`; findings go to `sink`, and the documents analysed
// to `documents`. The file must look like an export (looks_like_authorization_details).
void analyse_export(const SourceFile& file, SourceId id, const catalog::Catalog& catalog, unsigned threads,
                    DiagnosticSink& sink, std::vector<DocumentInfo>& documents);

class Scanner {
 public:
  explicit Scanner(ScanOptions options);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  void scan_file(const std::string& path, const std::string& display_path);
  void add_notification(ToolNotification notification);
  [[nodiscard]] CheckReport finish() &&;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace grantlint::account
