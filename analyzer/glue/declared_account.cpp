#include "glue/declared_account.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "base/placeholder.h"
#include "diag/emitter.h"
#include "engine/analyse.h"
#include "glue/files.h"
#include "input/cloudformation.h"
#include "input/terraform.h"
#include "json/pointer.h"
#include "json/serialize.h"
#include "match/arn.h"

namespace grantlint::glue {

namespace {

using account::DocumentRef;
using account::Principal;
using json::Member;
using json::Node;
using json::Type;

std::string resource_pointer(std::string_view logical_id) { return json::pointer_append("/Resources", logical_id); }

const Node* property(const Node& resource, std::string_view name) {
  const Node* properties = resource.find("Properties");
  return properties != nullptr && properties->is(Type::object) ? properties->find(name) : nullptr;
}

std::string literal_or(const Node* node, std::string fallback) {
  return node != nullptr && node->is(Type::string) && !node->text.empty() ? node->text : std::move(fallback);
}

// Each string of `node`, functions' arguments included; `in_principal` says whether it is
// under a `Principal`, `NotPrincipal` or `Condition` (which may name other accounts).
template <class Visit>
void each_string(const Node& node, Visit visit, bool in_principal = false) {
  if (node.is(Type::string)) visit(node.text, in_principal);
  for (const Node& item : node.items) each_string(item, visit, in_principal);
  for (const Member& member : node.members) {
    each_string(member.value, visit,
                in_principal || member.key == "Principal" || member.key == "NotPrincipal" || member.key == "Condition");
  }
}

bool is_account_id(std::string_view s) {
  return s.size() == 12 && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

DeclaredAccount DeclaredAccount::from_cloudformation(const Node& root, const std::vector<input::PolicySlot>& slots,
                                                     const SourceFile& file, SourceId source,
                                                     const catalog::Catalog& catalog, const Deployment& deployment) {
  DeclaredAccount out(file, source, catalog);
  out.resources_ = input::template_resources(root);
  const Node* resources = root.find("Resources");
  if (resources == nullptr || !resources->is(Type::object)) return out;
  // The Data Catalog's settings name the account they belong to.
  Deployment chosen = deployment;
  for (const Member& member : resources->members) {
    const Node* id = out.resources_.types[member.key] == "AWS::Glue::DataCatalogEncryptionSettings"
                         ? property(member.value, "CatalogId")
                         : nullptr;
    if (chosen.account.empty() && id != nullptr && id->is(Type::string) && is_account_id(id->text)) {
      chosen.account = id->text;
    }
  }
  out.choose_pseudo_values(*resources, chosen, "AWS::Region", "${AWS::AccountId}");
  out.read_roles(*resources);
  out.read_keys(*resources);
  out.read_policies(slots, *resources);
  for (const Member& member : resources->members) {
    const std::string& type = out.resources_.types[member.key];
    const std::string_view field = type == "AWS::Glue::Job" || type == "AWS::Glue::Crawler" ? "Role"
                                   : type == "AWS::Glue::DevEndpoint"                        ? "RoleArn"
                                                                                             : "";
    const Node* role = field.empty() ? nullptr : property(member.value, field);
    std::string pointer = json::pointer_append(json::pointer_append(resource_pointer(member.key), "Properties"), field);
    if (type == "AWS::Glue::DataCatalogEncryptionSettings") {
      // The catalog's encryption service role.
      const Node* settings = property(member.value, "DataCatalogEncryptionSettings");
      const Node* at_rest = settings != nullptr ? settings->find("EncryptionAtRest") : nullptr;
      role = at_rest != nullptr ? at_rest->find("CatalogEncryptionServiceRole") : nullptr;
      pointer = json::pointer_append(resource_pointer(member.key),
                                     "Properties/DataCatalogEncryptionSettings/EncryptionAtRest/"
                                     "CatalogEncryptionServiceRole");
    }
    if (const auto value = out.value(role)) out.add_role_named_elsewhere(*value, *role, pointer, *resources);
  }
  return out;
}

DeclaredAccount DeclaredAccount::from_terraform(const Node& root, const std::vector<input::PolicySlot>& slots,
                                                const SourceFile& file, SourceId source,
                                                const catalog::Catalog& catalog, const Deployment& deployment) {
  DeclaredAccount out(file, source, catalog);
  out.read_terraform(root, slots, deployment);
  return out;
}

// The account and Region a template deploys to are its stack's. When `--account` does not say,
// the one account (Region) its ARNs name literally is taken for it. With none or several, the
// account is kStandInAccount (the evaluator asks for a 12-digit account; messages show it as
// `${AWS::AccountId}`) and the Region stays a placeholder: only the template's own
// `${AWS::AccountId}` (`${AWS::Region}`) matches them.
void DeclaredAccount::choose_pseudo_values(const Node& resources, const Deployment& deployment,
                                           std::string_view unknown_region, std::string_view unknown_account) {
  const std::string_view account = deployment.account;
  std::set<std::string> accounts, regions;
  each_string(resources, [&](const std::string& text, bool in_principal) {
    // A regional service principal (`logs.eu-west-1.amazonaws.com`) is in the stack's Region.
    for (std::size_t at = text.find(".amazonaws.com"); at != std::string::npos;
         at = text.find(".amazonaws.com", at + 1)) {
      const std::size_t dot = text.rfind('.', at - 1);
      const std::string_view label = std::string_view(text).substr(dot + 1, at - dot - 1);
      if (dot != std::string::npos && match::is_region(label)) regions.emplace(label);
    }
    // A principal or a condition may name a partner's account: only ARNs of resources count.
    if (in_principal) return;
    for (std::size_t at = text.find("arn:"); at != std::string::npos; at = text.find("arn:", at + 4)) {
      const auto fields = match::split_arn(std::string_view(text).substr(at));
      if (!fields) continue;
      if (match::is_region((*fields)[2])) regions.emplace((*fields)[2]);
      if (is_account_id((*fields)[3])) accounts.emplace((*fields)[3]);
    }
  });
  pseudo_.account = !account.empty()       ? std::string(account)
                    : accounts.size() == 1 ? *accounts.begin()
                                           : std::string(kStandInAccount);
  if (pseudo_.account == kStandInAccount) pseudo_.account_shown = std::string(unknown_account);
  pseudo_.region = !deployment.region.empty() ? deployment.region
                   : regions.size() == 1        ? *regions.begin()
                                                : make_placeholder(unknown_region);
  regions_named_ = std::move(regions);
}

std::string DeclaredAccount::substituted(std::string text) const {
  if (!has_placeholder(text)) return text;
  const std::pair<std::string, const std::string*> values[] = {
      {make_placeholder("AWS::Partition"), &pseudo_.partition},
      {make_placeholder("AWS::Region"), &pseudo_.region},
      {make_placeholder("AWS::AccountId"), &pseudo_.account},
      {make_placeholder("AWS::URLSuffix"), &pseudo_.url_suffix}};
  for (const auto& [placeholder, value] : values) {
    if (placeholder == *value) continue;
    for (std::size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at)) {
      text.replace(at, placeholder.size(), *value);
      at += value->size();
    }
  }
  return text;
}

std::string DeclaredAccount::arn(std::string_view service, std::string_view region, std::string_view resource) const {
  return fmt::format("arn:{}:{}:{}:{}:{}", pseudo_.partition, service, region, pseudo_.account, resource);
}

std::optional<std::string> DeclaredAccount::value(const Node* node) const {
  if (node == nullptr) return std::nullopt;
  auto resolved = input::cloudformation_value(*node, resources_);
  if (!resolved) return std::nullopt;
  return substituted(std::move(*resolved));
}

account::Reference DeclaredAccount::reference(const Node& node, std::string target, const std::string& pointer) const {
  return account::Reference{source_, std::move(target), node.span, pointer};
}

void DeclaredAccount::read_roles(const Node& resources) {
  for (const Member& member : resources.members) {
    if (resources_.types[member.key] != "AWS::IAM::Role") continue;
    Principal role;
    role.source = source_;
    role.kind = account::PrincipalKind::role;
    // What `!Ref Role` and `!GetAtt Role.Arn` give (input/cloudformation.h): its literal
    // RoleName and Path, else a placeholder of its logical id.
    const std::string by_ref = make_name_placeholder(member.key);
    role.name = literal_or(property(member.value, "RoleName"), by_ref);
    role.arn = arn("iam", "", "role" + literal_or(property(member.value, "Path"), "/") + role.name);
    role.arn_span = member.key_span;
    role.pointer = resource_pointer(member.key);
    const std::string properties = json::pointer_append(role.pointer, "Properties");
    if (const Node* arns = property(member.value, "ManagedPolicyArns"); arns != nullptr && arns->is(Type::array)) {
      for (std::size_t i = 0; i < arns->items.size(); ++i) {
        const std::string pointer = json::pointer_append(json::pointer_append(properties, "ManagedPolicyArns"), i);
        auto arn = value(&arns->items[i]);
        role.attached.push_back(reference(arns->items[i], arn ? *arn : make_placeholder("ManagedPolicyArns"), pointer));
      }
    }
    if (const Node* boundary = property(member.value, "PermissionsBoundary")) {
      auto arn = value(boundary);
      role.boundary = reference(*boundary, arn ? *arn : make_placeholder("PermissionsBoundary"),
                                json::pointer_append(properties, "PermissionsBoundary"));
    }
    role_by_reference_.emplace(by_ref, iam_.principals.size());
    role_by_reference_.emplace(role.name, iam_.principals.size());
    role_by_reference_.emplace(role.arn, iam_.principals.size());
    iam_.principals.push_back(std::move(role));
  }
}

void DeclaredAccount::read_keys(const Node& resources) {
  for (const Member& member : resources.members) {
    const std::string& type = resources_.types[member.key];
    if (type == "AWS::KMS::Key") {
      Key key;
      key.id = make_name_placeholder(member.key);  // what `!Ref Key` gives
      key.arn = arn("kms", pseudo_.region, "key/" + key.id);
      key.key_spec = literal_or(property(member.value, "KeySpec"), "SYMMETRIC_DEFAULT");
      key.key_usage = literal_or(property(member.value, "KeyUsage"), "ENCRYPT_DECRYPT");
      key.key_state = "Enabled";
      key.metadata_at = Place{source_, member.key_span, resource_pointer(member.key)};
      key.policy_path = fmt::format("the key policy of `{}`", member.key);
      keys_.push_back(std::move(key));
    } else if (type == "AWS::KMS::Alias") {
      const auto name = value(property(member.value, "AliasName"));
      auto target = value(property(member.value, "TargetKeyId"));
      if (!name) continue;
      // TargetKeyId is a key id or a key ARN.
      if (target) {
        if (const std::size_t key = target->rfind(":key/"); key != std::string::npos) target = target->substr(key + 5);
      }
      aliases_.push_back(Alias{*name, arn("kms", pseudo_.region, *name), target.value_or("")});
      known_values_.emplace(make_placeholder(member.key), *name);
    }
  }
}

// The ARN of the role named `name` as the file writes it somewhere (a key policy's
// principal, also in `!Sub`): a bare name does not say the role's path, and role names are
// unique in an account. Empty when the file writes none, or several. The file's role ARNs are
// indexed once.
std::string DeclaredAccount::written_role_arn(const Node& everything, std::string_view name) {
  if (!written_roles_) {
    written_roles_.emplace();
    const auto in_arn = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
             std::string_view("+=,.@_/:-").find(c) != std::string_view::npos;
    };
    each_string(everything, [&](const std::string& written, bool) {
      if (written.find(":role/") == std::string::npos) return;
      std::string text = written;
      for (const auto& [pseudo, value] : {std::pair<std::string_view, std::string_view>{"${AWS::AccountId}",
                                                                                         pseudo_.account},
                                          {"${AWS::Partition}", pseudo_.partition}}) {
        for (std::size_t at = text.find(pseudo); at != std::string::npos; at = text.find(pseudo, at + value.size())) {
          text.replace(at, pseudo.size(), value);
        }
      }
      for (std::size_t at = text.find(":role/"); at != std::string::npos; at = text.find(":role/", at + 1)) {
        std::size_t end = at;
        while (end < text.size() && in_arn(text[end])) ++end;
        const std::size_t begin = text.rfind("arn:", at);
        if (begin == std::string::npos) continue;
        const std::string_view arn = std::string_view(text).substr(begin, end - begin);
        const auto fields = match::split_arn(arn);
        if (!fields || (*fields)[3] != pseudo_.account) continue;
        const std::string_view resource = (*fields)[4];
        (*written_roles_)[std::string(resource.substr(resource.rfind('/') + 1))].emplace(arn);
      }
    });
  }
  const auto it = written_roles_->find(std::string(name));
  return it != written_roles_->end() && it->second.size() == 1 ? *it->second.begin() : std::string();
}

void DeclaredAccount::add_role_named_elsewhere(const std::string& value, const Node& node, const std::string& pointer,
                                               const Node& everything) {
  if (value.empty() || role_by_reference_.contains(value)) return;
  std::string role_arn = value;
  if (!value.starts_with("arn:")) {
    role_arn = value.find('/') == std::string::npos ? written_role_arn(everything, value) : "";
    if (role_arn.empty()) role_arn = arn("iam", "", "role/" + value);
  }
  const auto fields = match::split_arn(role_arn);
  if (!fields || (*fields)[1] != "iam" || !(*fields)[4].starts_with("role/") || has_placeholder((*fields)[4])) return;
  Principal role;
  role.source = source_;
  role.kind = account::PrincipalKind::role;
  role.name = std::string((*fields)[4].substr((*fields)[4].rfind('/') + 1));
  role.arn = role_arn;
  role.arn_span = node.span;
  role.pointer = pointer;
  role.defined_elsewhere = true;
  role_by_reference_.emplace(value, iam_.principals.size());
  role_by_reference_.emplace(role_arn, iam_.principals.size());
  iam_.principals.push_back(std::move(role));
}

std::vector<Principal*> DeclaredAccount::roles_named(const Node* node) {
  std::vector<Principal*> out;
  if (node == nullptr) return out;
  const auto one = [&](const Node& item) {
    const auto name = value(&item);
    if (!name) return;
    const auto it = role_by_reference_.find(*name);
    if (it != role_by_reference_.end()) out.push_back(&iam_.principals[it->second]);
  };
  if (node->is(Type::array)) {
    for (const Node& item : node->items) one(item);
  } else {
    one(*node);
  }
  return out;
}

std::unordered_map<std::string, std::vector<Key*>> DeclaredAccount::keys_by_id() {
  std::unordered_map<std::string, std::vector<Key*>> out;
  for (Key& key : keys_) out[key.id].push_back(&key);
  return out;
}

void DeclaredAccount::read_policies(const std::vector<input::PolicySlot>& slots, const Node& resources) {
  // Looked up by name, not walked, for each policy: a template may declare thousands of keys.
  std::unordered_map<std::string_view, const Node*> by_name;
  for (const Member& member : resources.members) by_name.try_emplace(member.key, &member.value);
  const auto keys = keys_by_id();
  for (const input::PolicySlot& slot : slots) {
    if (slot.repeats_document || slot.resource.empty()) continue;  // `Fn::If`: its first form
    const auto found = by_name.find(slot.resource);
    if (found == by_name.end()) continue;
    const Node* resource = found->second;
    const std::string& type = resources_.types[slot.resource];
    if (type == "AWS::IAM::Role") {
      const bool trust = slot.pointer.ends_with("/AssumeRolePolicyDocument");
      const auto document = compile(slot, trust ? policy::Kind::trust : policy::Kind::inline_role);
      if (!document) continue;
      Principal& role = iam_.principals[role_by_reference_.at(make_name_placeholder(slot.resource))];
      if (trust) {
        role.trust = *document;
      } else {
        role.inline_policies.push_back(account::InlinePolicy{slot.pointer, *document});
      }
    } else if (type == "AWS::IAM::Policy" || type == "AWS::IAM::RolePolicy") {
      const auto document = compile(slot, policy::Kind::inline_role);
      if (!document) continue;
      const Node* named = property(*resource, type == "AWS::IAM::Policy" ? "Roles" : "RoleName");
      for (Principal* role : roles_named(named)) {
        role->inline_policies.push_back(account::InlinePolicy{slot.resource, *document});
      }
    } else if (type == "AWS::IAM::ManagedPolicy") {
      const auto document = compile(slot, policy::Kind::identity);
      if (!document) continue;
      const std::string policy_arn = arn("iam", "", "policy/" + make_name_placeholder(slot.resource));
      iam_.policies.push_back(account::ManagedPolicy::declared(policy_arn, *document));
      const Node* named = property(*resource, "Roles");
      const std::string pointer = json::pointer_append(resource_pointer(slot.resource), "Properties/Roles");
      for (Principal* role : roles_named(named)) role->attached.push_back(reference(*named, policy_arn, pointer));
    } else if (type == "AWS::KMS::Key") {
      const auto document = compile(slot, policy::Kind::kms_key);
      if (!document) continue;
      if (const auto named = keys.find(make_name_placeholder(slot.resource)); named != keys.end()) {
        for (Key* key : named->second) {
          key->policy = Place{source_, document->span, document->pointer};
          key->compiled_policy = compiled_.at({source_, document->span.begin}).get();
        }
      }
    }
  }
  mark_unread(resources);
}

// A policy the template writes but that was not read (a parameter or a function gives it, or
// it does not parse): unknown, never empty, and a key's never the default.
void DeclaredAccount::mark_unread(const Node& resources) {
  const auto unread = [&](const std::string& pointer) { return !read_pointers_.contains(pointer); };
  const auto keys = keys_by_id();
  for (const Member& member : resources.members) {
    const std::string& type = resources_.types[member.key];
    const std::string properties = json::pointer_append(resource_pointer(member.key), "Properties");
    const auto unknown = [&](Principal& role, const Node& node, const std::string& pointer) {
      role.attached.push_back(reference(node, pointer, pointer));  // named by where it is written
    };
    if (type == "AWS::IAM::Role") {
      Principal& role = iam_.principals[role_by_reference_.at(make_name_placeholder(member.key))];
      const Node* policies = property(member.value, "Policies");
      if (policies == nullptr) continue;
      const std::string at = json::pointer_append(properties, "Policies");
      if (!policies->is(Type::array)) {
        // A function gives the list: read if any form of it (`Fn::If`) was.
        const std::string under = at + "/";
        const auto first_after = read_pointers_.lower_bound(under);
        if (first_after == read_pointers_.end() || !first_after->starts_with(under)) {
          unknown(role, *policies, at);
        }
        continue;
      }
      for (std::size_t i = 0; i < policies->items.size(); ++i) {
        const std::string document = json::pointer_append(json::pointer_append(at, i), "PolicyDocument");
        if (policies->items[i].find("PolicyDocument") != nullptr && unread(document)) {
          unknown(role, policies->items[i], document);
        }
      }
    } else if (type == "AWS::IAM::Policy" || type == "AWS::IAM::RolePolicy" || type == "AWS::IAM::ManagedPolicy") {
      const std::string document = json::pointer_append(properties, "PolicyDocument");
      const Node* written = property(member.value, "PolicyDocument");
      if (written == nullptr || !unread(document)) continue;
      const Node* named = property(member.value, type == "AWS::IAM::RolePolicy" ? "RoleName" : "Roles");
      for (Principal* role : roles_named(named)) unknown(*role, *written, document);
    } else if (type == "AWS::KMS::Key") {
      const std::string document = json::pointer_append(properties, "KeyPolicy");
      if (property(member.value, "KeyPolicy") == nullptr || !unread(document)) continue;
      if (const auto named = keys.find(make_name_placeholder(member.key)); named != keys.end()) {
        for (Key* key : named->second) {
          key->policy_unknown = true;
          key->policy_path = fmt::format("the policy of key `{}` is not spelled out in the template", member.key);
        }
      }
    }
  }
}

// Compiled as AWS will receive it: pseudo parameters given their values. The policy's own
// problems are what `check` reports on the template.
std::optional<DocumentRef> DeclaredAccount::compile(const input::PolicySlot& slot, policy::Kind kind) {
  DiagnosticSink quiet;
  std::unique_ptr<const eval::CompiledPolicy> compiled;
  if (slot.node->is(Type::string)) {
    compiled = compile_slot(file_, source_, slot, kind, catalog_, quiet);
  } else {
    Node document = *slot.node;
    json::rewrite_strings(document, [this](std::string text) { return substituted(std::move(text)); });
    json::DecodedText sent = json::minified(document);
    const auto map = json::OffsetMap::table(std::move(sent.origin));
    Emitter emit(quiet, source_, slot.pointer);
    auto analysed = analyse_policy(document, sent.text, map, kind, catalog_, emit, Depth::grammar);
    if (analysed) compiled = eval::CompiledPolicy::compile(std::move(*analysed), source_);
  }
  if (compiled == nullptr) return std::nullopt;
  const DocumentRef ref{source_, slot.node->span, slot.pointer, true};
  read_pointers_.insert(slot.pointer);
  compiled_.emplace(std::pair(source_, slot.node->span.begin), std::move(compiled));
  return ref;
}

account::DocumentLookup DeclaredAccount::lookup() const {
  return [this](const DocumentRef& document) {
    const auto it = compiled_.find({document.source, document.span.begin});
    if (it == compiled_.end()) return account::CompiledDocument{};
    return account::CompiledDocument{it->second.get(), 0, document.source, document.pointer};
  };
}

void DeclaredAccount::complete(Snapshot& snapshot) const {
  snapshot.partition = pseudo_.partition;
  snapshot.region = pseudo_.region;
  snapshot.account = pseudo_.account;
  snapshot.account_shown = pseudo_.account_shown;
  snapshot.keys = keys_;
  snapshot.aliases = aliases_;
  snapshot.authorization_details = source_;
  snapshot.present[static_cast<int>(Input::authorization_details)] = true;
  snapshot.present[static_cast<int>(Input::aliases)] = true;
  // A job names its role by `!GetAtt Role.Arn` (the role's ARN) or `!Ref Role` (its name).
  // A plan's reference carries the instance key of the resource it is made from
  // (`aws_iam_role.r["a"]`); the resource it names may have none.
  const auto unkeyed = [](const std::string& value) {
    if (!is_placeholder(value)) return value;
    const std::string address = show_placeholders(value);  // `${aws_iam_role.r["a"]}`
    return make_placeholder(input::without_instance_key(address.substr(2, address.size() - 3)));
  };
  for (Component& component : snapshot.components) {
    if (!component.role) continue;
    component.role->value = substituted(std::move(component.role->value));
    auto it = role_by_reference_.find(component.role->value);
    if (it == role_by_reference_.end()) it = role_by_reference_.find(unkeyed(component.role->value));
    if (it != role_by_reference_.end()) component.role->value = iam_.principals[it->second].arn;
  }
  const auto rewrite = [&](std::optional<Text>& text) {
    if (!text) return;
    text->value = substituted(std::move(text->value));
    auto known = known_values_.find(text->value);
    if (known == known_values_.end()) known = known_values_.find(unkeyed(text->value));
    if (known != known_values_.end()) text->value = known->second;
  };
  if (snapshot.catalog) {
    rewrite(snapshot.catalog->key);
    rewrite(snapshot.catalog->password_key);
    rewrite(snapshot.catalog->service_role);
  }
  for (SecurityConfiguration& configuration : snapshot.security_configurations) {
    for (EncryptionPart* part : {&configuration.s3, &configuration.cloudwatch, &configuration.bookmarks}) {
      rewrite(part->key);
    }
  }
}

}  // namespace grantlint::glue
