#include "glue/files.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "diag/emitter.h"
#include "engine/analyse.h"
#include "input/embedded.h"
#include "input/recognize.h"
#include "json/parse.h"
#include "rules/registry.h"

namespace grantlint::glue {

std::unique_ptr<const eval::CompiledPolicy> compile_slot(const SourceFile& file, SourceId source,
                                                         const input::PolicySlot& slot, policy::Kind kind,
                                                         const catalog::Catalog& catalog, DiagnosticSink& sink) {
  json::Parser parser;
  Emitter emit(sink, source, slot.pointer);
  std::optional<policy::Document> analysed;
  if (slot.node->is(json::Type::string)) {
    if (slot.pointer.empty()) return nullptr;  // a string as the whole file is not a policy
    const auto embedded = input::parse_embedded(file.text(), slot, parser, emit);
    if (!embedded) return nullptr;
    const std::string_view text(embedded->text.data(), embedded->text.size());
    analysed = analyse_policy(embedded->root, text, embedded->map, kind, catalog, emit);
  } else {
    const std::string_view text =
        slot.pointer.empty() ? file.text() : file.text().substr(slot.node->span.begin, slot.node->span.size());
    const auto map = json::OffsetMap::shifted(slot.pointer.empty() ? 0 : slot.node->span.begin);
    analysed = analyse_policy(*slot.node, text, map, kind, catalog, emit);
  }
  if (!analysed) return nullptr;
  return eval::CompiledPolicy::compile(std::move(*analysed), source);
}

std::unique_ptr<const eval::CompiledPolicy> compile_policy_file(const SourceFile& file, SourceId source,
                                                                policy::Kind kind, const catalog::Catalog& catalog,
                                                                DiagnosticSink& sink, DocumentPlace* document) {
  json::Parser parser;
  Emitter emit(sink, source);
  const auto root = parser.parse(file.text(), json::OffsetMap::shifted(0), emit);
  if (!root) return nullptr;
  // The first policy of the file: the whole file, or the document inside a wrapper the AWS
  // CLI prints (`get-role-policy`, `get-policy-version`, `get-key-policy`).
  const std::vector<input::PolicySlot> slots = input::find_policies(*root);
  if (slots.empty()) return nullptr;
  auto compiled = compile_slot(file, source, slots.front(), kind, catalog, sink);
  if (compiled == nullptr || compiled->document().statements.empty()) return nullptr;
  if (document != nullptr) *document = DocumentPlace{slots.front().node->span, slots.front().pointer};
  return compiled;
}

std::unique_ptr<const eval::CompiledPolicy> compile_policy_text(const std::string& text, policy::Kind kind,
                                                                const catalog::Catalog& catalog,
                                                                const std::string& account) {
  const simdjson::padded_string padded(text);
  DiagnosticSink ignored;
  Emitter emit(ignored, 0);
  json::Parser parser;
  const std::string_view view(padded.data(), padded.size());
  auto root = parser.parse(view, json::OffsetMap::shifted(0), emit);
  if (!root) return nullptr;
  json::rewrite_strings(*root, [&](std::string value) {
    for (std::size_t at = value.find("{account}"); at != std::string::npos; at = value.find("{account}", at)) {
      value.replace(at, 9, account);
      at += account.size();
    }
    return value;
  });
  auto document = analyse_policy(*root, view, json::OffsetMap::shifted(0), kind, catalog, emit, Depth::grammar);
  if (!document) return nullptr;
  return eval::CompiledPolicy::compile(std::move(*document), 0);
}

namespace {

using account::DocumentRef;
using account::Principal;
using account::PrincipalKind;

class FileMode {
 public:
  FileMode(const GlueConfig& config, const FileLoader& load, const FileLookup& files, const catalog::Catalog& catalog,
           DiagnosticSink& sink)
      : config_(config), load_(load), files_(files), catalog_(catalog), sink_(sink), emit_(sink, config.source) {}

  void run() {
    for (const ConfigPrincipal& role : config_.roles) add_principal(role, false);
    for (const ConfigPrincipal& principal : config_.operators) add_principal(principal, true);
    if (failed_) return;
    build_snapshot();
    if (failed_) return;
    std::vector<const Principal*> operators;
    for (std::size_t i = config_.roles.size(); i < iam_.principals.size(); ++i)
      operators.push_back(&iam_.principals[i]);
    const account::DocumentLookup lookup = [this](const DocumentRef& document) {
      const auto it = compiled_.find({document.source, document.span.begin});
      if (it == compiled_.end()) return account::CompiledDocument{};
      return account::CompiledDocument{it->second.get(), 0, document.source, document.pointer};
    };
    analyse_snapshot(snapshot_, iam_, lookup, files_, catalog_, sink_,
                     PackOptions{.permissions_only = true,
                                 .default_key_policy = true,
                                 .operators = operators,
                                 .unusable_trust = unusable_trust_});
  }

 private:
  // A problem of the configuration itself stops the pack; a policy file that cannot be used
  // (unreadable, broken) is reported and what it holds is unknown: the pack runs without it,
  // and what depends on it is said not to be evaluated.
  void problem(const Text& at, std::string message, bool stops_the_pack = true) {
    emit_.emit(rules::kInvalidConfig, at.at.span, at.at.pointer, std::move(message));
    failed_ = failed_ || stops_the_pack;
  }

  std::optional<SourceId> load(const Text& path) {
    auto loaded = load_(path.value);
    if (!loaded) {
      problem(path, loaded.error().message, false);
      return std::nullopt;
    }
    return *loaded;
  }

  // A policy file, compiled once however many principals name it. Its own problems are
  // what `grantlint check` on it reports; here only "it holds no usable policy" is, and a
  // policy of the other kind: a trust policy names whom it lets in (`Principal`), an identity
  // policy or a boundary never does, and IAM refuses each as the other. Kept apart by kind, so
  // that a trust file also listed as a role's policy is still its roles' trust (h52 H4: it was
  // read once as an identity policy, and every role trusting through it could not be assumed).
  std::optional<DocumentRef> document(const Text& path, policy::Kind kind) {
    const auto source = load(path);
    if (!source) return std::nullopt;
    const bool trust = kind == policy::Kind::trust;
    const std::pair use(*source, trust);
    if (const auto it = documents_.find(use); it != documents_.end()) return it->second;
    if (unusable_.contains(use)) return std::nullopt;
    DiagnosticSink quiet;
    DocumentPlace place;
    auto compiled = compile_policy_file(files_(*source), *source, kind, catalog_, quiet, &place);
    if (compiled == nullptr) {
      no_policy(path, *source);
      unusable_.insert(use);
      return std::nullopt;
    }
    // Read as an identity policy, a `Principal` is refused (POL024) and dropped from the statement.
    const bool names_principals =
        trust ? std::ranges::any_of(compiled->document().statements,
                                    [](const policy::Statement& statement) { return statement.principal.present; })
              : std::ranges::any_of(quiet.unsorted(),
                                    [](const Diagnostic& d) { return d.rule->id == rules::kPrincipalNotAllowed.id; });
    if (trust != names_principals) {
      problem(path,
              trust ? fmt::format("`{}` is not a trust policy: none of its statements has a `Principal` (is it an "
                                  "identity policy?)",
                                  path.value)
                    : fmt::format("`{}` is not an identity policy: a statement of it has a `Principal`, which IAM "
                                  "refuses in one (is it a trust policy?)",
                                  path.value),
              false);
      unusable_.insert(use);
      return std::nullopt;
    }
    // One compiled policy per file: a file is usable as one kind only (above).
    compiled_.emplace(std::pair(*source, place.span.begin), std::move(compiled));
    const DocumentRef ref{*source, place.span, place.pointer, true};
    documents_.emplace(use, ref);
    return ref;
  }

  void no_policy(const Text& path, SourceId source) {
    problem(path,
            fmt::format("`{}` holds no policy with a statement; `grantlint check {}` says why", path.value,
                        files_(source).path()),
            false);
  }

  void add_principal(const ConfigPrincipal& entry, bool is_operator) {
    Principal principal;
    principal.source = config_.source;
    principal.kind = entry.user ? PrincipalKind::user : PrincipalKind::role;
    principal.name = entry.name.value;
    principal.arn = entry.arn;
    principal.arn_span = entry.name.at.span;
    principal.pointer = entry.name.at.pointer;
    for (const Text& path : entry.policies) {
      if (auto ref = document(path, is_operator ? policy::Kind::identity : policy::Kind::inline_role)) {
        principal.inline_policies.push_back(account::InlinePolicy{path.value, *ref});
      } else {
        // Attached but not held: what the principal is allowed is unknown (access.cpp).
        principal.attached.push_back(account::Reference{config_.source, path.value, path.at.span, path.at.pointer});
      }
    }
    if (entry.trust) {
      if (auto ref = document(*entry.trust, policy::Kind::trust)) {
        principal.trust = *ref;
      } else {
        unusable_trust_.emplace(entry.arn, Place{config_.source, entry.trust->at.span, entry.trust->at.pointer});
      }
    }
    if (entry.boundary) {
      // A boundary is a managed policy in IAM; here its file stands for one (not held when the
      // file cannot be used: whether the boundary lets grants through is then unknown).
      const std::string arn =
          fmt::format("arn:{}:iam::{}:policy/{}", config_.partition, config_.account, entry.boundary->value);
      if (auto ref = document(*entry.boundary, policy::Kind::boundary)) {
        iam_.policies.push_back(account::ManagedPolicy::declared(arn, *ref));
      }
      principal.boundary = account::Reference{config_.source, arn, entry.boundary->at.span, entry.boundary->at.pointer};
    }
    iam_.principals.push_back(std::move(principal));
  }

  void build_snapshot() {
    Snapshot& s = snapshot_;
    s.directory = files_(config_.source).path();
    s.account = config_.account;
    s.region = config_.region;
    s.partition = config_.partition;
    for (bool& present : s.present) present = true;
    s.authorization_details = config_.source;
    s.first_file = config_.source;
    add_keys();
    const Place at{config_.source, Span{0, 0}, "/glue/keys"};
    CatalogSettings catalog{at, "DISABLED", at, std::nullopt, std::nullopt, false, at, std::nullopt};
    if (const auto it = config_.keys.find("catalog"); it != config_.keys.end()) {
      catalog.mode = "SSE-KMS";
      catalog.key = it->second.arn;
    }
    if (const auto it = config_.keys.find("passwords"); it != config_.keys.end()) {
      catalog.passwords_encrypted = true;
      catalog.password_key = it->second.arn;
    }
    s.catalog = catalog;
    bool jdbc = false;
    for (const ConfigComponent& entry : config_.components) {
      jdbc = jdbc || entry.jdbc;
      add_component(entry);
    }
    // What reads connection passwords is a JDBC connection; which one does not matter here.
    if (jdbc) s.connections.push_back(Connection{Text{"jdbc", at}, "JDBC", std::nullopt, at, "", {}});
  }

  // One key per ARN, whichever purposes name it; its policy file from whichever names one.
  void add_keys() {
    std::map<std::string, const ConfigKey*> by_arn;
    for (const auto& [purpose, entry] : config_.keys) {
      const ConfigKey*& first = by_arn[entry.arn.value];
      if (first == nullptr || (!first->policy && entry.policy)) {
        if (first != nullptr && first->policy && entry.policy && first->policy->value != entry.policy->value) {
          problem(*entry.policy, fmt::format("key `{}` has two policy files, `{}` and `{}`", entry.arn.value,
                                             first->policy->value, entry.policy->value));
        }
        first = &entry;
      } else if (first->policy && entry.policy && first->policy->value != entry.policy->value) {
        problem(*entry.policy, fmt::format("key `{}` has two policy files, `{}` and `{}`", entry.arn.value,
                                           first->policy->value, entry.policy->value));
      }
    }
    for (const auto& [arn, entry] : by_arn) {
      Key key;
      key.arn = arn;
      key.id = key.arn.substr(key.arn.find(":key/") + 5);
      key.metadata_at = entry->arn.at;
      if (entry->policy) {
        // A key policy file that cannot be used is not the default key policy: the key's
        // policy is unknown, and the rules that need it are not evaluated (policy_path says why).
        const auto unknown = [&] {
          key.policy_unknown = true;
          key.policy_path = fmt::format("the policy of key `{}` is in `{}`, which cannot be used (CFG001)", arn,
                                        entry->policy->value);
          snapshot_.keys.push_back(std::move(key));
        };
        const auto source = load(*entry->policy);
        if (!source) {
          unknown();
          continue;
        }
        DiagnosticSink quiet;
        DocumentPlace place;
        const auto compiled =
            compile_policy_file(files_(*source), *source, policy::Kind::kms_key, catalog_, quiet, &place);
        if (compiled == nullptr) {
          no_policy(*entry->policy, *source);
          unknown();
          continue;
        }
        // A key policy names whom it lets use the key; one that names no one is another kind of
        // policy given by mistake (an identity policy), which would refuse everyone (h51 L1).
        if (std::ranges::none_of(compiled->document().statements,
                                 [](const policy::Statement& statement) { return statement.principal.present; })) {
          problem(*entry->policy,
                  fmt::format("`{}` is not a key policy: none of its statements has a `Principal` (is it an identity "
                              "policy?)",
                              entry->policy->value),
                  false);
          unknown();
          continue;
        }
        key.policy = Place{*source, place.span, place.pointer};
        key.policy_is_file = true;
        key.policy_path = entry->policy->value;
      }
      snapshot_.keys.push_back(std::move(key));
    }
  }

  void add_component(const ConfigComponent& entry) {
    Component component;
    component.kind = entry.kind;
    component.name = entry.name;
    const auto role =
        std::ranges::find_if(config_.roles, [&](const ConfigPrincipal& r) { return r.name.value == entry.role.value; });
    component.role = Text{role->arn, entry.role.at};
    if (entry.jdbc) component.connections.push_back(Text{"jdbc", entry.name.at});
    if (!entry.encrypts.empty()) {
      // Each component's parts are its own security configuration, named after it.
      SecurityConfiguration configuration;
      configuration.name = entry.name;
      const auto part = [&](std::string_view name, std::string_view mode) {
        EncryptionPart out{"DISABLED", std::nullopt, entry.name.at};
        const auto it = std::ranges::find_if(entry.encrypts, [&](const Text& t) { return t.value == name; });
        if (it == entry.encrypts.end()) return out;
        out.mode = std::string(mode);
        out.key = Text{config_.keys.at(std::string(name)).arn.value, it->at};
        out.at = it->at;
        return out;
      };
      configuration.s3 = part("s3", "SSE-KMS");
      configuration.cloudwatch = part("cloudwatch", "SSE-KMS");
      configuration.bookmarks = part("bookmarks", "CSE-KMS");
      component.security_configuration = entry.name;
      component.bookmarks = configuration.bookmarks.mode == "CSE-KMS";
      snapshot_.security_configurations.push_back(std::move(configuration));
    }
    snapshot_.components.push_back(std::move(component));
  }

  const GlueConfig& config_;
  const FileLoader& load_;
  const FileLookup& files_;
  const catalog::Catalog& catalog_;
  DiagnosticSink& sink_;
  Emitter emit_;
  bool failed_ = false;
  account::Export iam_;
  Snapshot snapshot_;
  std::map<std::pair<SourceId, std::uint32_t>, std::unique_ptr<const eval::CompiledPolicy>> compiled_;
  std::map<std::pair<SourceId, bool>, DocumentRef> documents_;  // by file, and whether read as a trust policy
  std::set<std::pair<SourceId, bool>> unusable_;                // reported as holding no usable policy of that kind
  std::map<std::string, Place> unusable_trust_;  // PackOptions::unusable_trust
};

}  // namespace

void analyse_glue_files(const GlueConfig& config, const FileLoader& load, const FileLookup& files,
                        const catalog::Catalog& catalog, DiagnosticSink& sink) {
  FileMode(config, load, files, catalog, sink).run();
}

}  // namespace grantlint::glue
