// Policy-file mode: the Glue pack's permission rules on the files a `.grantlint.json`
// names, with each finding located in those files (the statement, the key policy) or in the
// configuration (the job, the role, the part it encrypts).
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "catalog/catalog.h"
#include "diag/diagnostic.h"
#include "eval/compiled.h"
#include "glue/analyse.h"
#include "glue/config.h"
#include "input/recognize.h"

namespace grantlint::glue {

// Reads a file the configuration names (a path relative to it, as written there) into the
// report's sources; nullopt, with the reason, when it cannot be read.
using FileLoader = std::function<Result<SourceId>(const std::string& path)>;

// One policy slot of a file (an object, or a string holding the policy), analysed as `kind`
// and compiled; its problems go to `sink`. nullptr when it does not analyse.
std::unique_ptr<const eval::CompiledPolicy> compile_slot(const SourceFile& file, SourceId source,
                                                         const input::PolicySlot& slot, policy::Kind kind,
                                                         const catalog::Catalog& catalog, DiagnosticSink& sink);

// The first policy of a file (the whole file, or the document inside an AWS CLI wrapper such
// as `get-key-policy`'s `Policy` string), compiled; `document` gets its span and JSON pointer
// in the file. nullptr when the file holds no policy with a statement; its problems go to `sink`.
struct DocumentPlace {
  Span span;
  std::string pointer;
};
std::unique_ptr<const eval::CompiledPolicy> compile_policy_file(const SourceFile& file, SourceId source,
                                                                policy::Kind kind, const catalog::Catalog& catalog,
                                                                DiagnosticSink& sink,
                                                                DocumentPlace* document = nullptr);

// A policy written by the pack itself (`text`, JSON), compiled; `{account}` in its strings
// becomes `account` after parsing (a template's account is a placeholder, whose markers the
// parser would not keep). nullptr when it does not analyse.
std::unique_ptr<const eval::CompiledPolicy> compile_policy_text(const std::string& text, policy::Kind kind,
                                                                const catalog::Catalog& catalog,
                                                                const std::string& account = "");

void analyse_glue_files(const GlueConfig& config, const FileLoader& load, const FileLookup& files,
                        const catalog::Catalog& catalog, DiagnosticSink& sink);

}  // namespace grantlint::glue
