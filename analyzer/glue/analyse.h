// The Glue encryption pack over one account snapshot: settings (GLUE-ENC, GLUE-KMS-01..03),
// permissions through the evaluator (GLUE-IAM, GLUE-KMS-04/05), the network (GLUE-NET) and
// the inputs it could not read (ACC005). Rules whose inputs are missing are reported as not
// evaluated, once per missing file, never as passed.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "account/effective.h"
#include "account/model.h"
#include "catalog/catalog.h"
#include "diag/diagnostic.h"
#include "glue/snapshot.h"
#include "source/source_file.h"

namespace grantlint::glue {

using FileLookup = std::function<const SourceFile&(SourceId)>;

// How much of the pack runs, for inputs that are not a whole snapshot.
struct PackOptions {
  // Only the permission rules (GLUE-IAM, GLUE-KMS-04..06): the settings and the network are
  // not known (policy-file mode).
  bool permissions_only = false;
  // A key without a policy file has the default key policy, which enables IAM policies.
  bool default_key_policy = false;
  // What infrastructure code declares (a Terraform plan, a template): the settings rules, on
  // what the code declares, and the permission rules, on the account it declares
  // (glue/declared_account.h). A security configuration, role or key the file names but does
  // not define, the keys' own settings, and what a policy it attaches but does not hold might
  // allow, are not evaluated; operators may be defined elsewhere; no input is reported missing.
  bool declared_only = false;
  // The operators, when they are declared rather than found in the export.
  std::optional<std::vector<const account::Principal*>> operators;
  // Roles whose trust policy file cannot be used (policy-file mode), by ARN: where it is named.
  // Whom they trust is not known, and the rules that read it are not evaluated.
  std::map<std::string, Place> unusable_trust;

  // Whether the IAM side is an account export (a snapshot's), not policy files or declared code.
  [[nodiscard]] bool reads_an_export() const { return !permissions_only && !declared_only; }
};

// `iam` is the account's export (empty when the snapshot has none); `compiled` finds its
// compiled documents.
void analyse_snapshot(const Snapshot& snapshot, const account::Export& iam, const account::DocumentLookup& compiled,
                      const FileLookup& files, const catalog::Catalog& catalog, DiagnosticSink& sink,
                      PackOptions options = {});

}  // namespace grantlint::glue
