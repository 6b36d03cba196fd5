// Reads an account snapshot directory (glue-rules.md §6) into the Glue pack's model. Every
// file is optional: a missing one is recorded as absent (its rules are then "not evaluated"),
// a file that does not parse or has the wrong shape is a finding, and the rest is read.
#pragma once

#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "engine/check.h"
#include "glue/snapshot.h"
#include "source/source_file.h"

namespace grantlint::glue {

// A snapshot has a `manifest.json`, or `iam/` and `glue/` directories.
bool is_snapshot_directory(const std::string& directory);

// Whether the snapshot reader reads the file at `relative` (`/`-separated, from the snapshot's
// folder): its manifest, the AWS CLI answers of its layout, a key's or a VPC's folder of them.
// A scan tells of any other file it finds in a snapshot folder (h48 M2: they went unread, unsaid).
bool snapshot_reads(std::string_view relative);

// Files are added to `sources`; unreadable ones become notifications. The IAM export is
// added but not read here: `snapshot.authorization_details` names it.
Snapshot read_snapshot(const std::string& directory, SourceSet& sources, DiagnosticSink& sink,
                       std::vector<ToolNotification>& notifications);

// Settles the snapshot's account and partition once its IAM export is read (`account` and
// `partition` are the export's; empty when it names none): key ARNs formed from the manifest's
// are formed again, and a key whose `describe-key.json` names another account or partition is
// reported (ACC001) and known by the ARN its id has in the snapshot's.
void settle_account(Snapshot& snapshot, std::string_view account, std::string_view partition, DiagnosticSink& sink);

}  // namespace grantlint::glue
