// An account snapshot for the Glue pack (glue-rules.md §6): one Region's Glue, KMS and EC2
// settings as the AWS CLI prints them, beside the account's IAM export. Every element keeps
// where it is written, so that findings point at it; fields the rules do not read are not kept.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "source/span.h"

namespace grantlint::eval {
class CompiledPolicy;
}

namespace grantlint::glue {

// Where an element is written: the file, the span, and its JSON pointer there.
struct Place {
  SourceId source = 0;
  Span span;
  std::string pointer;
};

// A value as written, with its place.
struct Text {
  std::string value;
  Place at;
};

// The inputs of §6, each of which a rule may need. `present` says whether the snapshot
// held a file that parsed with the expected shape.
enum class Input : std::uint8_t {
  authorization_details,
  catalog_settings,
  security_configurations,
  jobs,
  crawlers,
  dev_endpoints,
  connections,
  aliases,
  security_groups,
  subnets,
  vpc_endpoints,
  kCount,
};

std::string_view input_path(Input input);  // `glue/get-jobs.json`

// A value (a mode, a name) a template decides with an intrinsic function: not judged.
inline constexpr std::string_view kKnownAtDeployment = "(known at deployment)";
// A value a snapshot writes with the wrong type (`"KeyState": 1`, reported): not judged either,
// rather than read as absent (`DISABLED`, no security configuration, the default key).
inline constexpr std::string_view kNotRead = "(not read)";

// Whether a value is one the rules cannot judge (kKnownAtDeployment, kNotRead).
constexpr bool is_undecided(std::string_view value) { return value == kKnownAtDeployment || value == kNotRead; }

struct EncryptionPart {
  std::string mode;         // `SSE-KMS`, `DISABLED`, ... (empty: the part is absent)
  std::optional<Text> key;  // KmsKeyArn
  Place at;
};

struct SecurityConfiguration {
  Text name;
  EncryptionPart s3, cloudwatch, bookmarks;
};

struct CatalogSettings {
  Place at;
  std::string mode;  // CatalogEncryptionMode
  Place mode_at;
  std::optional<Text> key;           // SseAwsKmsKeyId
  std::optional<Text> service_role;  // CatalogEncryptionServiceRole
  bool passwords_encrypted = false;  // ReturnConnectionPasswordEncrypted
  Place passwords_at;
  std::optional<Text> password_key;  // ConnectionPasswordEncryption.AwsKmsKeyId
};

enum class ComponentKind : std::uint8_t { job, crawler, dev_endpoint };
std::string_view to_string(ComponentKind kind);  // "job", "crawler", "dev endpoint"

// The rules asked of the role a component of `kind` runs as: of the grants it is given (a dev
// endpoint writes no logs, a crawler no S3 output or bookmarks), of its trust and its name.
// Not evaluated for a component whose role cannot be read.
constexpr std::string_view component_role_rules(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::job:
      return "GLUE-IAM-02 GLUE-IAM-03 GLUE-IAM-04 GLUE-IAM-05 GLUE-IAM-06 GLUE-IAM-07 GLUE-IAM-08 GLUE-IAM-10 "
             "GLUE-IAM-12 GLUE-KMS-05";
    case ComponentKind::crawler:
      return "GLUE-IAM-02 GLUE-IAM-03 GLUE-IAM-06 GLUE-IAM-07 GLUE-IAM-08 GLUE-IAM-10 GLUE-IAM-12 GLUE-KMS-05";
    case ComponentKind::dev_endpoint:
      return "GLUE-IAM-02 GLUE-IAM-03 GLUE-IAM-04 GLUE-IAM-07 GLUE-IAM-08 GLUE-IAM-10 GLUE-IAM-12 GLUE-KMS-05";
  }
  return "";
}

// Every rule asked of a component of `kind`: its settings' (and a dev endpoint's network), its
// role's, and of the key policy of its logs' key (jobs and crawlers write logs). Not evaluated for the components of a
// list, or a resource, that cannot be read.
constexpr std::string_view component_rules(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::job:
      return "GLUE-ENC-03 GLUE-ENC-04 GLUE-ENC-05 GLUE-IAM-02 GLUE-IAM-03 GLUE-IAM-04 GLUE-IAM-05 GLUE-IAM-06 "
             "GLUE-IAM-07 GLUE-IAM-08 GLUE-IAM-10 GLUE-IAM-12 GLUE-KMS-04 GLUE-KMS-05";
    case ComponentKind::crawler:
      return "GLUE-ENC-03 GLUE-ENC-04 GLUE-ENC-05 GLUE-IAM-02 GLUE-IAM-03 GLUE-IAM-06 GLUE-IAM-07 GLUE-IAM-08 "
             "GLUE-IAM-10 GLUE-IAM-12 GLUE-KMS-04 GLUE-KMS-05";
    case ComponentKind::dev_endpoint:
      return "GLUE-ENC-03 GLUE-ENC-04 GLUE-ENC-05 GLUE-NET-01 GLUE-NET-02 GLUE-NET-03 GLUE-NET-04 GLUE-NET-05 "
             "GLUE-INFO-01 GLUE-IAM-02 GLUE-IAM-03 GLUE-IAM-04 GLUE-IAM-07 GLUE-IAM-08 GLUE-IAM-10 GLUE-IAM-12 "
             "GLUE-KMS-05";
  }
  return "";
}

// A job, crawler or development endpoint: what it runs as and with which settings.
struct Component {
  ComponentKind kind = ComponentKind::job;
  Text name;
  std::optional<Text> role;                    // Role / RoleArn: an ARN, `path/name` or a name
  std::optional<Text> security_configuration;  // empty values are absent
  bool bookmarks = false;                      // --job-bookmark-option job-bookmark-enable
  std::vector<Text> connections;               // connection names it uses
  std::vector<Text> security_groups;           // dev endpoints
  std::string vpc_id;                          // dev endpoints
  std::string subnet_id;                       // dev endpoints: the VPC when vpc_id is absent
  std::string glue_version;
};

struct Connection {
  Text name;
  std::string type;                 // JDBC, KAFKA, NETWORK, ...
  std::optional<Text> enforce_ssl;  // ConnectionProperties.JDBC_ENFORCE_SSL
  Place properties_at;
  std::string subnet_id;
  std::vector<Text> security_groups;
};

struct Alias {
  std::string name;  // alias/...
  std::string arn;
  std::string target_key_id;  // empty: a predefined alias without a key
};

struct Key {
  std::string id;
  std::string arn;
  std::string key_spec, key_usage, key_state;
  Place metadata_at;            // describe-key.json's KeyMetadata
  std::optional<Place> arn_at;  // describe-key.json's `Arn`, when it is used
  bool arn_formed = false;      // the ARN is formed from the key id in the snapshot's account
  std::optional<Place> policy;  // the `Policy` string of get-key-policy.json
  bool policy_is_file = false;  // the policy is a whole file (policy-file mode), not a string
  std::string policy_path;      // `kms/keys/<id>/get-key-policy.json`, for "not evaluated"
  // The policy compiled by the reader (a template's key), owned by it.
  const eval::CompiledPolicy* compiled_policy = nullptr;
  // A plan knows the policy only after apply: not evaluated (policy_path says why).
  bool policy_unknown = false;
};

struct Rule {
  std::string protocol;  // "-1", "tcp", ...
  std::optional<std::int64_t> from_port, to_port;
  std::vector<std::string> cidrs;   // IPv4 and IPv6
  std::vector<std::string> groups;  // UserIdGroupPairs' GroupId
  Place at;
};

struct SecurityGroup {
  Text id;
  std::string vpc_id;
  std::vector<Rule> ingress, egress;
};

struct VpcEndpoint {
  std::string id, vpc_id, service, type, state;
  bool private_dns = false;
};

struct VpcAttributes {
  std::optional<bool> dns_support, dns_hostnames;
  Place support_at, hostnames_at;
};

struct Snapshot {
  std::string directory;  // as the user named it
  std::string account, partition = "aws", region;
  std::string account_shown;  // how messages show `account`, when it stands in for an unknown one
  bool partition_named = false;  // by the manifest (else `aws`, or the IAM export's)
  // The ARN AWS gives the key `id` of this account and Region.
  [[nodiscard]] std::string kms_key_arn(std::string_view id) const {
    return "arn:" + partition + ":kms:" + region + ":" + account + ":key/" + std::string(id);
  }
  bool present[static_cast<int>(Input::kCount)] = {};
  // Layout files that are there but could not be read or parsed, and directories (ending in
  // `/`) that could not be listed, each named as an error: what needs them is not evaluated,
  // but they are not "missing".
  std::set<std::string> unread;
  // Of those, the files that were read but not parsed: findings about them point there.
  std::map<std::string, SourceId, std::less<>> unparsed;
  // Layout files read that hold only some of their list's entries (later pages, entries left
  // out, each reported): the rules are evaluated for what is there, and ACC005 says the rest
  // is not.
  std::map<std::string, SourceId, std::less<>> partial;
  [[nodiscard]] bool was_unread(std::string_view path) const {
    for (const std::string& entry : unread) {
      if (entry == path || (entry.ends_with('/') && path.starts_with(entry))) return true;
    }
    return false;
  }
  std::optional<SourceId> authorization_details;
  std::optional<SourceId> first_file;  // where findings about missing files point

  // What the rules cannot know: blocks of a template an intrinsic function gives (`Properties:
  // !Ref Settings`, known only at deployment), and a snapshot's values of the wrong type
  // (`"KeyState": 1`, reported, which read as kNotRead). The rules they decide are not
  // evaluated, and the pack says so (ACC005).
  struct Undecided {
    Place at;
    std::string reason;  // "`Properties` of `AWS::Glue::Job` `Nightly` is given by `Ref`, ..."
    std::string rules;   // the rule ids, separated by spaces
  };
  std::vector<Undecided> undecided;

  std::optional<CatalogSettings> catalog;
  std::vector<SecurityConfiguration> security_configurations;
  std::vector<Component> components;
  std::vector<Connection> connections;
  std::vector<Alias> aliases;
  std::vector<Key> keys;
  // `kms/keys/` is absent from a snapshot directory although the account may have keys
  // (`kms/list-keys.json` is absent too, or lists some): a key not found is then missing, not
  // a reference to nothing.
  bool keys_missing = false;
  // The key ids `kms/list-keys.json` lists: one without its directory is missing from the
  // snapshot (the collector could not describe it), not absent from the account.
  std::set<std::string, std::less<>> listed_keys;
  std::vector<SecurityGroup> security_groups;
  std::map<std::string, std::string> subnet_vpcs;
  std::vector<VpcEndpoint> vpc_endpoints;
  std::map<std::string, VpcAttributes> vpcs;

  [[nodiscard]] bool has(Input input) const { return present[static_cast<int>(input)]; }
};

}  // namespace grantlint::glue
