// Settings rules: Data Catalog and connection-password encryption (GLUE-ENC-01/02),
// security configurations on jobs, crawlers and development endpoints (GLUE-ENC-03..05),
// JDBC SSL (GLUE-ENC-06), the keys those settings name (GLUE-KMS-01..03) and legacy
// development endpoints (GLUE-INFO-01).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <span>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/suggest.h"
#include "glue/pack.h"
#include "rules/registry.h"

namespace grantlint::glue {

namespace {

LogicalLocation catalog_location(const Pack& pack) {
  return LogicalLocation{"catalog", pack.glue_arn("catalog"), "dataCatalog"};
}

// The modes Glue accepts for each setting (its API's enums). A template or plan may write
// another (a typo, `SSE_KMS`): Glue refuses it, so what the setting would be is not known, and
// the rules that judge it say so rather than pass it or call it `DISABLED`.
constexpr std::string_view kCatalogModes[] = {"DISABLED", "SSE-KMS", "SSE-KMS-WITH-SERVICE-ROLE"};
constexpr std::string_view kS3Modes[] = {"DISABLED", "SSE-KMS", "SSE-S3"};
constexpr std::string_view kCloudWatchModes[] = {"DISABLED", "SSE-KMS"};
constexpr std::string_view kBookmarkModes[] = {"DISABLED", "CSE-KMS"};

// Whether a mode is one Glue does not accept; an absent mode, or one the rules cannot know (an
// intrinsic function's, or one of the wrong type in a snapshot), is not.
bool unaccepted(std::string_view mode, std::span<const std::string_view> accepted) {
  return !mode.empty() && !is_undecided(mode) && std::ranges::find(accepted, mode) == accepted.end();
}

// "`FIELD` is `MODE`, which Glue does not accept (...): CONSEQUENCE; did you mean `NEAR`?"
std::string unaccepted_mode(std::string_view field, std::string_view mode, std::span<const std::string_view> accepted,
                            std::string_view consequence) {
  return fmt::format("`{}` is `{}`, which Glue does not accept ({}): {}{}", field, mode, backticked(accepted, ", "),
                     consequence, did_you_mean(closest_match(mode, accepted)));
}

void check_catalog(Pack& pack) {
  if (!pack.has(Input::catalog_settings, "GLUE-ENC-01 GLUE-ENC-02 GLUE-IAM-02 GLUE-IAM-03")) return;
  if (!pack.snapshot.catalog) return;  // the file's shape was reported
  const CatalogSettings& settings = *pack.snapshot.catalog;
  if (unaccepted_catalog_mode(settings.mode)) {
    pack.report(rules::kGlueCatalogUnencrypted, Severity::medium, settings.mode_at,
                unaccepted_mode("CatalogEncryptionMode", settings.mode, kCatalogModes,
                                "Glue refuses the setting, so whether the Data Catalog is encrypted at rest is not "
                                "known"),
                {catalog_location(pack)});
  }
  if (settings.mode.empty() || settings.mode == "DISABLED") {
    pack.report(rules::kGlueCatalogUnencrypted, Severity::medium, settings.mode_at,
                fmt::format("the Data Catalog is not encrypted at rest (`CatalogEncryptionMode` is `{}`): databases, "
                            "tables, partitions and connections are stored without a KMS key",
                            settings.mode.empty() ? "absent" : settings.mode),
                {catalog_location(pack)});
  }
  if (!settings.passwords_encrypted) {
    pack.report(rules::kGluePasswordsUnencrypted, Severity::medium, settings.passwords_at,
                "connection passwords are returned in clear text (`ReturnConnectionPasswordEncrypted` is not `true`): "
                "anyone allowed `glue:GetConnection` reads them",
                {catalog_location(pack)});
  }
}

const char* part_mode(const EncryptionPart& part) { return part.mode.empty() ? "DISABLED" : part.mode.c_str(); }

void check_components(Pack& pack) {
  std::vector<std::string_view> names;
  for (const SecurityConfiguration& configuration : pack.snapshot.security_configurations) {
    names.push_back(configuration.name.value);
  }
  Suggestions suggestions(std::move(names));
  const bool have_configurations = pack.snapshot.has(Input::security_configurations);
  for (const Component& component : pack.snapshot.components) {
    const std::string_view kind = to_string(component.kind);
    if (component.kind == ComponentKind::dev_endpoint) {
      pack.report(rules::kGlueDevEndpoint, Severity::info, component.name.at,
                  fmt::format("dev endpoint `{}` (Glue {}) is a legacy feature: development endpoints run Glue 0.9 or "
                              "1.0 only and AWS recommends interactive sessions instead",
                              component.name.value, component.glue_version.empty() ? "?" : component.glue_version),
                  {pack.of(component)});
    }
    if (!component.security_configuration) {
      pack.report(rules::kGlueNoSecurityConfiguration,
                  component.kind == ComponentKind::crawler ? Severity::low : Severity::medium, component.name.at,
                  fmt::format("{} `{}` has no security configuration: its {} are not encrypted with a KMS key", kind,
                              component.name.value,
                              component.kind == ComponentKind::crawler ? "logs" : "S3 output, logs and bookmarks"),
                  {pack.of(component)});
      continue;
    }
    // A name the snapshot writes as another type: the rules it decides are not evaluated (ACC005).
    if (is_undecided(component.security_configuration->value) && !pack.options().declared_only) continue;
    if (!have_configurations) {
      // Nor are the keys it names (GLUE-KMS-01..03) and what their policies refuse (GLUE-KMS-05).
      pack.not_evaluated(std::string(input_path(Input::security_configurations)),
                         "GLUE-ENC-04 GLUE-ENC-05 GLUE-IAM-04 GLUE-IAM-05 GLUE-IAM-06 GLUE-KMS-01 GLUE-KMS-02 "
                         "GLUE-KMS-03 GLUE-KMS-04 GLUE-KMS-05");
      continue;
    }
    const SecurityConfiguration* configuration = pack.security_configuration(component);
    const Text& name = *component.security_configuration;
    if (configuration == nullptr) {
      if (pack.options().declared_only) continue;  // defined outside the code, perhaps
      pack.report(rules::kGlueMissingSecurityConfiguration, Severity::high, name.at,
                  fmt::format("{} `{}` names security configuration `{}`, which does not exist: runs fail{}", kind,
                              component.name.value, name.value, suggestions.did_you_mean_for(name.value)),
                  {pack.of(component)});
      continue;
    }
    const auto weak = [&](const EncryptionPart& part, Severity severity, std::string what) {
      pack.report(rules::kGlueWeakSecurityConfiguration, severity, part.mode.empty() ? configuration->name.at : part.at,
                  fmt::format("{} `{}` uses security configuration `{}`, whose {}", kind, component.name.value,
                              name.value, what),
                  {pack.of(component), Pack::of_security_configuration(name.value)});
    };
    const auto refused = [&](const EncryptionPart& part, std::string_view field,
                             std::span<const std::string_view> accepted) {
      if (!unaccepted(part.mode, accepted)) return false;
      weak(part, Severity::medium,
           unaccepted_mode(field, part.mode, accepted,
                           "Glue refuses the configuration, so how it encrypts is not known"));
      return true;
    };
    if (refused(configuration->s3, "S3EncryptionMode", kS3Modes) ||
        refused(configuration->cloudwatch, "CloudWatchEncryptionMode", kCloudWatchModes) ||
        refused(configuration->bookmarks, "JobBookmarksEncryptionMode", kBookmarkModes)) {
      continue;
    }
    if (component.kind != ComponentKind::crawler) {
      if (configuration->s3.mode.empty() || configuration->s3.mode == "DISABLED") {
        weak(configuration->s3, Severity::medium, "S3 encryption is `DISABLED`: output is written unencrypted");
      } else if (configuration->s3.mode == "SSE-S3") {
        weak(configuration->s3, Severity::info, "S3 encryption is `SSE-S3`, not `SSE-KMS` with a key you control");
      }
    }
    if (component.kind != ComponentKind::dev_endpoint &&
        (configuration->cloudwatch.mode.empty() || configuration->cloudwatch.mode == "DISABLED")) {
      weak(configuration->cloudwatch, Severity::low,
           fmt::format("CloudWatch Logs encryption is `{}`", part_mode(configuration->cloudwatch)));
    }
    if (component.kind == ComponentKind::job && component.bookmarks &&
        (configuration->bookmarks.mode.empty() || configuration->bookmarks.mode == "DISABLED")) {
      weak(configuration->bookmarks, Severity::low,
           "job bookmark encryption is `DISABLED` while the job enables bookmarks");
    }
  }
}

void check_connections(Pack& pack) {
  for (const Connection& connection : pack.snapshot.connections) {
    if (connection.type != "JDBC") continue;
    if (connection.enforce_ssl && connection.enforce_ssl->value == "true") continue;
    pack.report(rules::kGlueJdbcSslNotEnforced, Severity::medium,
                connection.enforce_ssl ? connection.enforce_ssl->at : connection.properties_at,
                fmt::format("JDBC connection `{}` does not require SSL (`JDBC_ENFORCE_SSL` is {}): credentials and "
                            "data may cross the network unencrypted",
                            connection.name.value,
                            connection.enforce_ssl ? fmt::format("`{}`", connection.enforce_ssl->value)
                                                   : std::string("absent, which means `false`")),
                {pack.of(connection)});
  }
}

// The lists of the components that could use a key for `purpose` (S3 output: jobs and dev
// endpoints; logs: jobs and crawlers; bookmarks: jobs) that the snapshot does not hold (absent,
// or unreadable and reported) or holds in part (later pages, entries left out): a key no
// component that was read uses may be used by theirs. For messages: "`glue/get-jobs.json`",
// "part of `glue/get-crawlers.json`".
std::vector<std::string> unread_lists_of_users(const Pack& pack, KeyPurpose purpose) {
  std::vector<std::string> unread;
  if (pack.options().declared_only) return unread;  // a template declares what it declares
  const auto note = [&](Input input) {
    const std::string_view path = input_path(input);
    if (!pack.snapshot.has(input)) {
      unread.push_back(fmt::format("`{}`", path));
    } else if (pack.snapshot.partial.contains(path)) {
      unread.push_back(fmt::format("part of `{}`", path));
    }
  };
  if (purpose == KeyPurpose::s3 || purpose == KeyPurpose::cloudwatch || purpose == KeyPurpose::bookmarks) {
    note(Input::jobs);
  }
  if (purpose == KeyPurpose::cloudwatch) note(Input::crawlers);
  if (purpose == KeyPurpose::s3) note(Input::dev_endpoints);
  // A component whose security configuration's name did not read may use any configuration.
  for (const Component& component : pack.snapshot.components) {
    const bool may_use = component.kind == ComponentKind::job ||
                         (component.kind == ComponentKind::crawler && purpose == KeyPurpose::cloudwatch) ||
                         (component.kind == ComponentKind::dev_endpoint && purpose == KeyPurpose::s3);
    if (may_use && component.security_configuration && component.security_configuration->value == kNotRead) {
      unread.push_back(
          fmt::format("the security configuration of {} `{}`", to_string(component.kind), component.name.value));
    }
  }
  return unread;
}

void check_keys(Pack& pack) {
  for (const KeyUse& use : pack.key_uses()) {
    const std::string reference = use.reference != nullptr ? use.reference->value : use.default_alias;
    if (is_undecided(reference)) continue;  // not read: ACC005 names the rules
    const KeyResolution resolved = pack.resolve(reference);
    // A key that a component not read may use is judged as used: what is not read does not
    // lower a finding.
    const std::vector<std::string> unread =
        use.exercised ? std::vector<std::string>{} : unread_lists_of_users(pack, use.purpose);
    const bool exercised = use.exercised || !unread.empty();
    const std::string used = use.exercised ? std::string("used")
                             : unread.empty()
                                 ? std::string("not used by any job, crawler or dev endpoint")
                                 : fmt::format(
                                       "whether it is used is not known: no job, crawler or dev endpoint read "
                                       "uses it, but {} {} not read",
                                       fmt::join(unread, " and "), unread.size() > 1 ? "were" : "was");
    std::vector<LogicalLocation> logical = {Pack::of_security_configuration(use.label)};
    if (use.label.starts_with("catalog/")) logical.front() = LogicalLocation{"catalog", use.label, "dataCatalog"};
    // What could not be read is no finding about the settings: the rules are not evaluated,
    // and ACC005 says so (the read error itself is reported).
    if (!resolved.unread.empty()) {
      pack.not_evaluated(resolved.unread, "GLUE-KMS-01 GLUE-KMS-02 GLUE-KMS-03");
      continue;
    }
    if (resolved.key == nullptr) {
      pack.report(rules::kGlueKeyUnresolved, exercised ? Severity::medium : Severity::low, use.at,
                  fmt::format("the {} key of `{}` cannot be resolved: {} ({})", to_string(use.purpose), use.label,
                              resolved.problem, used),
                  std::move(logical));
      continue;
    }
    const Key& key = *resolved.key;
    logical.push_back(Pack::of(key));
    if (key.key_spec.empty() && key.key_state.empty()) {
      pack.not_evaluated(fmt::format("kms/keys/{}/describe-key.json", key.id), "GLUE-KMS-01 GLUE-KMS-02");
      continue;
    }
    const bool spec_known = !is_undecided(key.key_spec) && !is_undecided(key.key_usage);
    if (spec_known && (key.key_spec != "SYMMETRIC_DEFAULT" || key.key_usage != "ENCRYPT_DECRYPT")) {
      pack.report(rules::kGlueKeyNotSymmetric, exercised ? Severity::high : Severity::low, use.at,
                  fmt::format("the {} key of `{}`, `{}`, is `{}`/`{}`: Glue supports only symmetric encryption keys "
                              "(`SYMMETRIC_DEFAULT`/`ENCRYPT_DECRYPT`) ({})",
                              to_string(use.purpose), use.label, reference, key.key_spec, key.key_usage, used),
                  logical);
    }
    if (!is_undecided(key.key_state) && key.key_state != "Enabled") {
      pack.report(rules::kGlueKeyNotEnabled, exercised ? Severity::high : Severity::low, use.at,
                  fmt::format("the {} key of `{}`, `{}`, is in state `{}`: nothing can be encrypted or decrypted "
                              "with it ({})",
                              to_string(use.purpose), use.label, key.arn, key.key_state, used),
                  logical);
    }
  }
}

// Key policies the snapshot lacks or could not read are not checked (KMS001), whether or not
// Glue uses their keys: said once per file (or for `kms/keys/` as a whole).
void note_unread_key_policies(Pack& pack) {
  const Snapshot& snapshot = pack.snapshot;
  if (snapshot.keys_missing || snapshot.was_unread("kms/keys/")) {
    pack.not_evaluated("kms/keys/", "KMS001");
    return;
  }
  std::unordered_set<std::string_view> read;
  for (const Key& key : snapshot.keys) {
    read.insert(key.id);
    if (!key.policy && !key.policy_unknown && key.compiled_policy == nullptr && !key.policy_path.empty()) {
      pack.not_evaluated(key.policy_path, "KMS001");
    }
  }
  for (const std::string& id : snapshot.listed_keys) {
    if (!read.contains(id)) pack.not_evaluated(fmt::format("kms/keys/{}/", id), "KMS001");
  }
}

}  // namespace

bool unaccepted_catalog_mode(std::string_view mode) { return unaccepted(mode, kCatalogModes); }

void check_settings(Pack& pack) {
  check_catalog(pack);
  // Components found in the files present are checked; a missing list is reported.
  // A list not read also leaves unknown whether a key is used (GLUE-KMS-01..03 say so).
  pack.has(Input::jobs, component_rules(ComponentKind::job));
  pack.has(Input::crawlers, component_rules(ComponentKind::crawler));
  pack.has(Input::dev_endpoints, component_rules(ComponentKind::dev_endpoint));
  check_components(pack);
  if (pack.has(Input::connections, "GLUE-ENC-06 GLUE-IAM-03 GLUE-NET-01 GLUE-NET-02 GLUE-NET-03 GLUE-NET-04")) {
    check_connections(pack);
  }
  // Infrastructure code names its keys by ARNs known after deployment, and holds no key state.
  if (pack.options().declared_only) return;
  check_keys(pack);
  note_unread_key_policies(pack);
}

}  // namespace grantlint::glue
