// The roles, IAM policies, KMS keys and aliases a CloudFormation template or a Terraform plan
// declares, as the account the Glue pack's permission rules (GLUE-IAM, GLUE-KMS-04..06) ask
// about, so that the pack runs on infrastructure code as on an account snapshot.
//
// A plan's values are literal, except those known only after apply: a role's or key's ARN
// is then made from its name (or a placeholder of its address), and the configuration's
// references (`role_arn = aws_iam_role.glue.arn`) say which resource a value comes from; a
// policy known only after apply is unknown, never taken as empty.
//
// What a template leaves to deployment is a placeholder (base/placeholder.h) on both sides:
// `!GetAtt GlueRole.Arn` in a job and in a policy are the same text. The pseudo parameters
// are the exception: `${AWS::Partition}` is `aws`, and `${AWS::AccountId}` and
// `${AWS::Region}` are the account `--account` gives, or the one account (Region) the
// template's ARNs name literally, so that `!Sub arn:${AWS::Partition}:...` and a literal
// `arn:aws:...` name the same key. A policy the template attaches but does not hold (an AWS
// managed policy) is unknown: the pack reports a missing grant only where no such policy
// could supply it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "account/effective.h"
#include "account/model.h"
#include "base/placeholder.h"
#include "catalog/catalog.h"
#include "eval/compiled.h"
#include "glue/snapshot.h"
#include "input/cloudformation.h"
#include "input/recognize.h"
#include "json/node.h"
#include "source/source_file.h"

namespace grantlint::glue {

// The account of a template whose account is not known, as the evaluator is asked about it (it
// asks for 12 digits). Messages show it as the file's language names the account; a number
// no documentation example uses, so that no real text is taken for it.
inline constexpr std::string_view kStandInAccount = "800000000008";

// What the user says of the account a file deploys to (`--account`), and the Region taken
// for it when the file does not say (one of regions_named(), to see what depends on it).
struct Deployment {
  std::string account;
  std::string region;
};

class DeclaredAccount {
 public:
  // `root`: the template as written, or the plan; `slots`: its policies
  // (input::cloudformation_policies, input::terraform_policies); `account`: `--account`, or
  // empty.
  static DeclaredAccount from_cloudformation(const json::Node& root, const std::vector<input::PolicySlot>& slots,
                                             const SourceFile& file, SourceId source, const catalog::Catalog& catalog,
                                             const Deployment& deployment);
  static DeclaredAccount from_terraform(const json::Node& root, const std::vector<input::PolicySlot>& slots,
                                        const SourceFile& file, SourceId source, const catalog::Catalog& catalog,
                                        const Deployment& deployment);

  // Whether the file says its Region (one named, or the provider's); if not, the Regions it
  // names (several), each of which it may deploy to.
  [[nodiscard]] bool region_known() const { return !has_placeholder(pseudo_.region); }
  [[nodiscard]] const std::set<std::string>& regions_named() const { return regions_named_; }

  // Gives a snapshot read from the same template the account, Region, partition, keys and
  // aliases, and writes its role and key references as the account's own are written.
  void complete(Snapshot& snapshot) const;

  [[nodiscard]] const account::Export& iam() const { return iam_; }
  // Finds the compiled documents of iam(); valid while this object lives.
  [[nodiscard]] account::DocumentLookup lookup() const;

 private:
  struct Pseudo {
    std::string partition = "aws", region, account, url_suffix = "amazonaws.com";
    std::string account_shown;  // when `account` stands in for an unknown one
  };

  DeclaredAccount(const SourceFile& file, SourceId source, const catalog::Catalog& catalog)
      : file_(file), source_(source), catalog_(catalog) {}

  // `unknown_region` and `unknown_account`: how the file's own language names them.
  void choose_pseudo_values(const json::Node& resources, const Deployment& deployment,
                            std::string_view unknown_region, std::string_view unknown_account);
  [[nodiscard]] std::string substituted(std::string text) const;
  // `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` in the file's partition and account.
  [[nodiscard]] std::string arn(std::string_view service, std::string_view region, std::string_view resource) const;
  [[nodiscard]] std::optional<std::string> value(const json::Node* node) const;
  // CloudFormation.
  void read_roles(const json::Node& resources);
  void read_keys(const json::Node& resources);
  void read_policies(const std::vector<input::PolicySlot>& slots, const json::Node& resources);
  void mark_unread(const json::Node& resources);
  // Terraform (declared_account_terraform.cpp).
  void read_terraform(const json::Node& root, const std::vector<input::PolicySlot>& slots,
                      const Deployment& deployment);
  std::optional<account::DocumentRef> compile(const input::PolicySlot& slot, policy::Kind kind);
  // A role a Glue resource names (`value`, written at `node`) that the file does not define:
  // a principal whose policies are unknown, when the value is a role's ARN or name.
  void add_role_named_elsewhere(const std::string& value, const json::Node& node, const std::string& pointer,
                                const json::Node& everything);
  [[nodiscard]] std::string written_role_arn(const json::Node& everything, std::string_view name);
  // The template's roles a `Roles`/`RoleName` value names: `!Ref Role`, or a literal name.
  std::vector<account::Principal*> roles_named(const json::Node* node);
  [[nodiscard]] account::Reference reference(const json::Node& node, std::string target,
                                             const std::string& pointer) const;

  const SourceFile& file_;
  SourceId source_;
  const catalog::Catalog& catalog_;
  input::TemplateResources resources_;  // the template's resources, by logical id
  Pseudo pseudo_;
  std::set<std::string> regions_named_;
  account::Export iam_;
  std::map<std::string, std::size_t> role_by_reference_;  // `!Ref` value or literal name → principal
  std::vector<Key> keys_;
  // The keys of each id (a logical ID's placeholder, or a literal key ID), pointing into keys_.
  std::unordered_map<std::string, std::vector<Key*>> keys_by_id();
  std::vector<Alias> aliases_;
  // A reference's placeholder → what it stands for: `!Ref Alias` → the alias name; a plan's
  // `aws_kms_key.k` → the key's ARN.
  std::map<std::string, std::string> known_values_;
  std::map<std::pair<SourceId, std::uint32_t>, std::unique_ptr<const eval::CompiledPolicy>> compiled_;
  std::set<std::string> read_pointers_;  // the documents compiled, by JSON pointer
  std::optional<std::map<std::string, std::set<std::string>>> written_roles_;  // role name → ARNs the file writes
};

}  // namespace grantlint::glue
