// Policy-file mode of the Glue pack: the `glue` section of a repository's `.grantlint.json`
// says which policy files belong to which Glue role, which roles the jobs and crawlers run
// as, and which key serves which purpose, so that `grantlint check` runs the pack's
// permission rules on the files of a repository (docs/glue.md, "Policy files").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "glue/snapshot.h"
#include "json/node.h"
#include "source/source_file.h"

namespace grantlint::glue {

// What a key serves: the Data Catalog, connection passwords, or a security configuration's
// S3, CloudWatch Logs or job-bookmark part.
inline constexpr std::string_view kKeyPurposes[] = {"catalog", "passwords", "s3", "cloudwatch", "bookmarks"};

struct ConfigKey {
  Text arn;
  std::optional<Text> policy;  // the key policy file, relative to the configuration
};

struct ConfigPrincipal {
  Text name;
  std::string arn;             // given, or made from the account, path and name
  bool user = false;           // operators are users unless their ARN names a role
  std::vector<Text> policies;  // identity policy files
  std::optional<Text> trust;   // roles: the trust policy file
  std::optional<Text> boundary;
};

struct ConfigComponent {
  ComponentKind kind = ComponentKind::job;
  Text name;
  Text role;
  std::vector<Text> encrypts;  // `s3`, `cloudwatch`, `bookmarks`
  bool jdbc = false;           // reads connection passwords
};

struct GlueConfig {
  SourceId source = 0;
  std::string directory;  // where the paths are relative to
  std::string account, region, partition = "aws";
  std::map<std::string, ConfigKey> keys;  // by purpose
  std::vector<ConfigPrincipal> roles, operators;
  std::vector<ConfigComponent> components;
};

// Reads the `glue` section of a parsed configuration; problems are CFG001 findings. nullopt
// when there is no `glue` section or it cannot be used.
std::optional<GlueConfig> read_glue_config(const json::Node& root, SourceId source, std::string directory,
                                           DiagnosticSink& sink);

}  // namespace grantlint::glue
