#include "glue/analyse.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/placeholder.h"
#include "base/strings.h"
#include "glue/aws_managed_policies.h"
#include "glue/files.h"
#include "glue/pack.h"
#include "json/node.h"
#include "match/arn.h"
#include "rules/registry.h"

namespace grantlint::glue {

Pack::Pack(const Snapshot& snapshot_in, const account::Export& iam_in, const account::DocumentLookup& compiled,
           const FileLookup& files_in, const catalog::Catalog& catalog_in, DiagnosticSink& sink, PackOptions options)
    : snapshot(snapshot_in),
      iam(iam_in),
      index(iam_in, compiled, aws_managed_policy_lookup(catalog_in)),
      files(files_in),
      catalog(catalog_in),
      sink_(sink),
      options_(std::move(options)) {
  if (options_.operators) operators_ = *options_.operators;
  for (const account::Principal& principal : iam.principals) {
    if (principal.kind != account::PrincipalKind::role) continue;
    roles_by_arn_.emplace(principal.arn, &principal);
    roles_by_name_.emplace(principal.name, &principal);
  }
  for (const SecurityConfiguration& configuration : snapshot.security_configurations) {
    configurations_.emplace(configuration.name.value, &configuration);
  }
  for (const Alias& alias : snapshot.aliases) aliases_.try_emplace(alias.name, &alias);
  for (const Key& key : snapshot.keys) keys_.try_emplace(key.id, &key);
  for (const Connection& connection : snapshot.connections)
    connections_.try_emplace(connection.name.value, &connection);
  compile_key_policies(sink);
  compile_delegation();
  collect_key_uses();
}

Pack::~Pack() = default;

void Pack::compile_key_policies(DiagnosticSink& sink) {
  for (const Key& key : snapshot.keys) {
    if (!key.policy || key.compiled_policy != nullptr) continue;
    const SourceFile& file = files(key.policy->source);
    std::unique_ptr<const eval::CompiledPolicy> compiled;
    if (key.policy_is_file) {
      // A key policy file of a repository: `check` reports its own problems.
      DiagnosticSink quiet;
      compiled = compile_policy_file(file, key.policy->source, policy::Kind::kms_key, catalog, quiet);
    } else {
      // The `Policy` string of get-key-policy.json.
      const json::Node string_node{json::Type::string, key.policy->span, {}, {}, {}};
      const input::PolicySlot slot{key.policy->pointer, &string_node, policy::Kind::kms_key, "get-key-policy"};
      compiled = compile_slot(file, key.policy->source, slot, policy::Kind::kms_key, catalog, sink);
    }
    // A policy without a statement (`Statement` left out, or every one unreadable) is one KMS
    // refuses: the key's policy is not known, rather than one that allows nothing.
    if (compiled != nullptr && compiled->statements().empty() && !key.policy_is_file) compiled.reset();
    if (compiled != nullptr) {
      key_policies_.emplace(&key, std::move(compiled));
    } else if (!key.policy_is_file) {
      unreadable_key_policies_.emplace(key.policy_path, key.policy->source);
    }
  }
}

void Pack::collect_key_uses() {
  if (snapshot.catalog) {
    const CatalogSettings& settings = *snapshot.catalog;
    if (settings.mode == "SSE-KMS" || settings.mode == "SSE-KMS-WITH-SERVICE-ROLE") {
      key_uses_.push_back(KeyUse{"catalog/EncryptionAtRest", settings.key ? &*settings.key : nullptr, "alias/aws/glue",
                                 KeyPurpose::catalog, true, settings.key ? settings.key->at : settings.mode_at});
    }
    if (settings.passwords_encrypted) {
      key_uses_.push_back(KeyUse{"catalog/ConnectionPasswordEncryption",
                                 settings.password_key ? &*settings.password_key : nullptr, "alias/aws/glue",
                                 KeyPurpose::password, true,
                                 settings.password_key ? settings.password_key->at : settings.passwords_at});
    }
  }
  // What the components that use each configuration exercise, in one pass over them.
  struct Exercised {
    bool s3 = false, cloudwatch = false, bookmarks = false;
  };
  std::unordered_map<const SecurityConfiguration*, Exercised> exercised_by;
  for (const Component& component : snapshot.components) {
    const SecurityConfiguration* used = security_configuration(component);
    if (used == nullptr) continue;
    Exercised& by = exercised_by[used];
    by.s3 = by.s3 || component.kind != ComponentKind::crawler;
    by.cloudwatch = by.cloudwatch || component.kind != ComponentKind::dev_endpoint;
    by.bookmarks = by.bookmarks || (component.kind == ComponentKind::job && component.bookmarks);
  }
  for (const SecurityConfiguration& configuration : snapshot.security_configurations) {
    const auto found = exercised_by.find(&configuration);
    const Exercised by = found == exercised_by.end() ? Exercised{} : found->second;
    const auto add = [&](const EncryptionPart& part, std::string_view mode, std::string_view name, KeyPurpose purpose,
                         bool exercised) {
      if (part.mode != mode || !part.key) return;
      key_uses_.push_back(KeyUse{fmt::format("{}/{}", configuration.name.value, name), &*part.key, "", purpose,
                                 exercised, part.key->at});
    };
    add(configuration.s3, "SSE-KMS", "S3", KeyPurpose::s3, by.s3);
    add(configuration.cloudwatch, "SSE-KMS", "CloudWatch", KeyPurpose::cloudwatch, by.cloudwatch);
    add(configuration.bookmarks, "CSE-KMS", "JobBookmarks", KeyPurpose::bookmarks, by.bookmarks);
  }
}

void Pack::report(const RuleMeta& rule, Severity severity, const Place& at, std::string message,
                  std::vector<LogicalLocation> logical, std::vector<RelatedLocation> related) {
  // A template's values hold placeholders, and its unknown account a stand-in: shown as `${Name}`.
  const auto shown = [this](std::string& text) {
    if (has_placeholder(text)) text = show_placeholders(text);
    if (!snapshot.account_shown.empty()) {
      const std::string& account = snapshot.account;
      for (std::size_t i = text.find(account); i != std::string::npos; i = text.find(account, i + 1)) {
        text.replace(i, account.size(), snapshot.account_shown);
      }
    }
  };
  shown(message);
  for (RelatedLocation& r : related) shown(r.message);
  for (LogicalLocation& l : logical) {
    shown(l.name);
    shown(l.fully_qualified_name);
    // A snapshot's or template's name no resource can have is cut, as each finding repeats it.
    l.name = clip_long_name(l.name);
    l.fully_qualified_name = clip_long_name(l.fully_qualified_name);
  }
  Diagnostic diagnostic{&rule, level_of(severity), std::move(message), Location{at.source, at.span}, at.pointer,
                        "",    std::move(related), std::move(logical)};
  diagnostic.severity = severity;
  sink_.report(std::move(diagnostic));
}

const account::Principal* Pack::role(std::string_view reference) const {
  if (reference.starts_with("arn:")) {
    const auto it = roles_by_arn_.find(std::string(reference));
    if (it != roles_by_arn_.end()) return it->second;
  }
  // `name` or `path/name`: role names are unique in an account.
  const std::size_t slash = reference.rfind('/');
  const auto it =
      roles_by_name_.find(std::string(slash == std::string_view::npos ? reference : reference.substr(slash + 1)));
  return it == roles_by_name_.end() ? nullptr : it->second;
}

const SecurityConfiguration* Pack::security_configuration(const Component& component) const {
  if (!component.security_configuration) return nullptr;
  const auto it = configurations_.find(component.security_configuration->value);
  return it == configurations_.end() ? nullptr : it->second;
}

const Connection* Pack::connection(std::string_view name) const {
  const auto it = connections_.find(name);
  return it == connections_.end() ? nullptr : it->second;
}

KeyResolution Pack::resolve(std::string_view reference) const {
  std::string_view resource = reference;
  if (reference.starts_with("arn:")) {
    const auto fields = match::split_arn(reference);
    if (!fields || (*fields)[1] != "kms")
      return {nullptr, fmt::format("`{}` is not a KMS key or alias ARN", reference), {}};
    if ((!snapshot.account.empty() && (*fields)[3] != snapshot.account) ||
        (!snapshot.region.empty() && (*fields)[2] != snapshot.region)) {
      return {nullptr,
              fmt::format("`{}` is in another account or Region than the snapshot ({}, {})", reference,
                          snapshot.account, snapshot.region),
              {}};
    }
    resource = (*fields)[4];
  }
  std::string key_id(resource.starts_with("key/") ? resource.substr(4) : resource);
  if (resource.starts_with("alias/")) {
    // Without the aliases the key is not known: a missing input, not a reference to nothing.
    if (!snapshot.has(Input::aliases)) {
      const std::string_view aliases = input_path(Input::aliases);
      const bool unread = snapshot.was_unread(aliases);
      return {nullptr,
              fmt::format("`{}` is an alias and `{}` {}", reference, aliases,
                          unread ? "could not be read (reported as an error)" : "is missing"),
              std::string(aliases)};
    }
    const auto found = aliases_.find(resource);
    const Alias* alias = found == aliases_.end() ? nullptr : found->second;
    if (alias == nullptr) {
      const std::string_view aliases = input_path(Input::aliases);
      // Entries of the list were left out (reported): the alias may be one of them.
      if (snapshot.partial.contains(aliases)) {
        return {nullptr,
                fmt::format("alias `{}` is not among the entries of `{}` that were read (some were not: reported)",
                            resource, aliases),
                std::string(aliases)};
      }
      return {nullptr, fmt::format("alias `{}` is not in `{}`", resource, aliases), {}};
    }
    if (alias->target_key_id.empty()) return {nullptr, fmt::format("alias `{}` points at no key", resource), {}};
    key_id = alias->target_key_id;
  }
  const auto key = keys_.find(key_id);
  if (key == keys_.end()) {
    // `kms/keys` a file, or a directory that cannot be listed: the key may well be there.
    const std::string directory = fmt::format("kms/keys/{}/", key_id);
    if (snapshot.was_unread(directory)) {
      return {nullptr, fmt::format("`{}` could not be read (reported as an error)", directory),
              snapshot.was_unread("kms/keys/") ? std::string("kms/keys/") : directory};
    }
    // `kms/keys/` absent, or a key list-keys.json names without its directory: the key is
    // missing from the snapshot, not from the account.
    if (snapshot.keys_missing) {
      return {nullptr, std::string("`kms/keys/` is missing from the snapshot"), std::string("kms/keys/")};
    }
    if (snapshot.listed_keys.contains(key_id)) {
      return {nullptr, fmt::format("key `{}` is in `kms/list-keys.json` but `{}` is missing", key_id, directory),
              directory};
    }
    return {nullptr, fmt::format("key `{}` is not in the snapshot (`{}`)", key_id, directory), {}};
  }
  return {key->second, "", {}};
}

const eval::CompiledPolicy* Pack::key_policy(const Key& key) const {
  if (key.compiled_policy != nullptr) return key.compiled_policy;
  const auto it = key_policies_.find(&key);
  if (it != key_policies_.end()) return it->second.get();
  return options_.default_key_policy && !key.policy && !key.policy_unknown ? delegation_.get() : nullptr;
}

LogicalLocation Pack::of(const Component& component) const {
  const std::string_view type = component.kind == ComponentKind::job       ? "job"
                                : component.kind == ComponentKind::crawler ? "crawler"
                                                                           : "devEndpoint";
  return LogicalLocation{component.name.value, glue_arn(fmt::format("{}/{}", type, component.name.value)),
                         std::string(type)};
}

LogicalLocation Pack::of(const Connection& connection) const {
  return LogicalLocation{connection.name.value, glue_arn("connection/" + connection.name.value), "connection"};
}

std::string Pack::glue_arn(std::string_view resource) const {
  return fmt::format("arn:{}:glue:{}:{}:{}", snapshot.partition, snapshot.region, snapshot.account, resource);
}

LogicalLocation Pack::of(const account::Principal& principal) {
  return LogicalLocation{clip_long_name(principal.name), clip_long_name(principal.arn),
                         std::string(kind_name(principal))};
}

LogicalLocation Pack::of(const Key& key) { return LogicalLocation{key.id, key.arn, "key"}; }

LogicalLocation Pack::of_security_configuration(std::string_view label) {
  const std::size_t slash = label.find('/');
  return LogicalLocation{std::string(label.substr(0, slash)), std::string(label), "securityConfiguration"};
}

Location Pack::where(const account::Principal& principal) const {
  return Location{principal.source, principal.arn_span};
}

void Pack::not_evaluated(std::string path, std::string_view rules) {
  // A file read in part (entries left out, later pages): said as such, where it is.
  if (const auto partial = snapshot.partial.find(path); partial != snapshot.partial.end()) {
    not_evaluated_because(fmt::format("`{}` of snapshot `{}` holds only some of its entries (reported), so for "
                                      "the others",
                                      path, snapshot.directory),
                          rules, Place{partial->second, Span{0, 0}, ""});
    return;
  }
  auto& list = missing_[std::move(path)];
  for (const std::string_view rule : split_words(rules)) {
    if (std::ranges::find(list, rule) == list.end()) list.emplace_back(rule);
  }
}

bool Pack::has(Input input, std::string_view rules) {
  const std::string_view path = input_path(input);
  if (!snapshot.has(input)) {
    not_evaluated(std::string(path), rules);
    return false;
  }
  if (snapshot.partial.contains(path)) not_evaluated(std::string(path), rules);
  return true;
}

void Pack::not_evaluated_because(std::string reason, std::string_view rules, const Place& at) {
  auto [it, added] = undecided_.try_emplace(std::move(reason), Undecided{{}, at});
  for (const std::string_view rule : split_words(rules)) {
    if (std::ranges::find(it->second.rules, rule) == it->second.rules.end()) it->second.rules.emplace_back(rule);
  }
}

std::string Pack::iam_may_hold(std::string_view name) const {
  // A role is named by its name or ARN, with or without its path: the name is what a skipped
  // stretch holds in any of them.
  const std::string_view last = name.substr(name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1);
  // An export of users alone (`--query UserDetailList`) says nothing of the account's roles.
  constexpr std::uint8_t kRoles = 1u << 2;  // kListKeys[2], `RoleDetailList`
  if (!iam.page_ends.empty() &&
      std::ranges::none_of(iam.page_ends, [](const auto& end) { return (end.lists_named & kRoles) != 0; })) {
    return "the IAM export cannot tell of: it lists no roles at all (it has no `RoleDetailList`)";
  }
  for (const account::Export::PageEnd& end : iam.page_ends) {
    if (end.unread_from)
      return "the IAM export may hold past where broken JSON stopped its reading (reported as an error)";
    for (const Span span : end.skipped) {
      const std::string_view text = files(end.source).text().substr(span.begin, span.size());
      if (!last.empty() && text.find(last) != std::string_view::npos) {
        return "a broken stretch of the IAM export that was skipped (reported as an error) may hold";
      }
    }
  }
  return "";
}

void Pack::run() {
  for (const Snapshot::Undecided& block : snapshot.undecided) {
    not_evaluated_because(block.reason, block.rules, block.at);
  }
  if (!options_.permissions_only) check_settings(*this);
  check_access(*this);
  check_overbroad(*this);
  if (!options_.permissions_only && !options_.declared_only) check_network(*this);
  for (const auto& [reason, undecided] : undecided_) {
    report(rules::kSnapshotInputMissing, Severity::info, undecided.at,
           fmt::format("{}: {} not evaluated", reason, backticked(undecided.rules)), {});
  }
  // Reported against the IAM export when there is one, else against nothing: a missing
  // file has no place of its own. Infrastructure code declares what it declares: nothing
  // is missing from it.
  if (options_.declared_only) return;
  for (const auto& [path, rule_ids] : missing_) {
    // A file that did not parse is where its finding points; one absent or unreadable has no
    // place of its own.
    // An IAM file's at the IAM export, any other's at the snapshot's first file (its manifest).
    const auto unparsed = snapshot.unparsed.find(path);
    SourceId at = snapshot.first_file.value_or(0);
    if (unparsed != snapshot.unparsed.end()) {
      at = unparsed->second;
    } else if (const auto policy = unreadable_key_policies_.find(path); policy != unreadable_key_policies_.end()) {
      at = policy->second;
    } else if (path.starts_with("iam/") && snapshot.authorization_details) {
      at = *snapshot.authorization_details;
    }
    Diagnostic diagnostic{
        &rules::kSnapshotInputMissing,
        Level::warning,
        snapshot.was_unread(path) || unreadable_key_policies_.contains(path)
            ? fmt::format("`{}` of snapshot `{}` could not be read (reported as an error): {} not evaluated", path,
                          snapshot.directory, backticked(rule_ids))
            : fmt::format("`{}` is missing from snapshot `{}`: {} not evaluated", path, snapshot.directory,
                          backticked(rule_ids)),
        Location{at, Span{0, 0}},
        "",
        "",
        {},
        {}};
    sink_.report(std::move(diagnostic));
  }
}

void analyse_snapshot(const Snapshot& snapshot, const account::Export& iam, const account::DocumentLookup& compiled,
                      const FileLookup& files, const catalog::Catalog& catalog, DiagnosticSink& sink,
                      PackOptions options) {
  Pack(snapshot, iam, compiled, files, catalog, sink, std::move(options)).run();
}

}  // namespace grantlint::glue
