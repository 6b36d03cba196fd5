#include "engine/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include "account/export_shape.h"
#include "account/scan.h"
#include "base/strings.h"
#include "base/suggest.h"
#include "base/utf8.h"
#include "catalog/catalog.h"
#include "diag/contain.h"
#include "diag/emitter.h"
#include "engine/analyse.h"
#include "engine/listing_cap.h"
#include "glue/analyse.h"
#include "glue/aws_managed_policies.h"
#include "glue/config.h"
#include "glue/declared.h"
#include "glue/declared_account.h"
#include "glue/files.h"
#include "glue/region_hypotheses.h"
#include "input/cloudformation.h"
#include "input/embedded.h"
#include "input/managed_attachments.h"
#include "input/recognize.h"
#include "input/terraform.h"
#include "input/yaml.h"
#include "json/offset_map.h"
#include "json/parse.h"
#include "json/pointer.h"
#include "json/serialize.h"
#include "policy/lower.h"
#include "rules/registry.h"

namespace grantlint {

struct Checker::Impl {
  static constexpr std::size_t kMaxRegionRuns = 16;
  static constexpr std::size_t kMaxCatalogRuns = 64;

  CheckOptions options;
  SourceSet sources;
  std::map<std::string, SourceId> by_path;  // normalized display path → source
  DiagnosticSink sink;
  json::Parser parser;
  std::vector<DocumentInfo> documents;
  std::vector<ToolNotification> notifications;
  std::size_t support_sources = 0;  // the configuration's (CheckReport::support_sources)

  const catalog::Catalog& catalog() const {
    return options.catalog != nullptr ? *options.catalog : catalog::Catalog::builtin();
  }

  // JSON that no wrapper holds and whose top level has no `Statement`, nor a near miss of it,
  // nor a policy language version (`"Version": "2012-10-17"`: a policy whose statements are under
  // a wrong key, h48 L4; a `version` of another form would take in every package.json).
  static bool plainly_not_a_policy(const json::Node& root, const std::vector<input::PolicySlot>& slots) {
    if (slots.size() != 1 || !slots.front().pointer.empty()) return false;
    if (!root.is(json::Type::object)) return true;
    static constexpr std::string_view kStatement[] = {"Statement"};
    return std::ranges::none_of(root.members, [](const json::Member& member) {
      const bool language_version = member.key == "Version" && member.value.is(json::Type::string) &&
                                    (member.value.text == "2012-10-17" || member.value.text == "2008-10-17");
      return language_version || closest_match(member.key, kStatement).has_value();
    });
  }

  // Where the first mark of a template (YAML or JSON) or a Terraform plan is in `text`; npos
  // when it has none.
  static std::size_t template_mark(std::string_view text) {
    static constexpr std::string_view kMarks[] = {"AWSTemplateFormatVersion", "AWS::", "\"terraform_version\"",
                                                  "\"planned_values\"", "\"resource_changes\""};
    std::size_t first = std::string_view::npos;
    for (const std::string_view mark : kMarks) first = std::min(first, text.find(mark));
    return first;
  }

  // Whether a broken file still reads like a template (YAML or JSON), or a Terraform plan
  // (`terraform show -json`), in its ASCII characters too when it is UTF-16 or UTF-32.
  static bool mentions_template(std::string_view text) {
    if (const auto wide = wide_encoding(text);
        wide && template_mark(narrow_ascii(text, *wide)) != std::string_view::npos) {
      return true;
    }
    return template_mark(text) != std::string_view::npos;
  }

  // The first line of `text` at or after `from` (a line's start) that starts a YAML document:
  // `---` then white space or the end. libyaml's scanner takes one there at any depth, since no
  // scalar may hold such a line.
  static std::optional<Span> next_document_marker(std::string_view text, std::size_t from) {
    for (std::size_t line = from; line < text.size();) {
      if (text.substr(line).starts_with("---") &&
          (line + 3 == text.size() || std::string_view(" \t\r\n").find(text[line + 3]) != std::string_view::npos)) {
        return Span{static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(line + 3)};
      }
      const std::size_t end = text.find_first_of("\r\n", line);
      if (end == std::string_view::npos) break;
      line = end + (text.substr(end).starts_with("\r\n") ? 2 : 1);
    }
    return std::nullopt;
  }

  // Where the first of the YAML documents after the first (`second` starts the next) that is a
  // CloudFormation template starts. Each is parsed on its own, so that a type written with an
  // escape (`"\x41WS::IAM::Role"`) is read as CloudFormation reads it (h45); one that does not
  // parse is judged by its text, and so are the documents past kMaxDocuments (README, Limits).
  static std::optional<Span> later_template(std::string_view text, Span second) {
    constexpr int kMaxDocuments = 10'000;
    std::optional<Span> next = second;
    input::YamlSpent spent;  // one budget for all of them, as for one document (h47 H1)
    for (int read = 0; next; ++read) {
      const std::uint32_t begin = next->begin;
      const std::string_view rest = text.substr(begin);
      if (read == kMaxDocuments) {
        // The document that holds the first mark: the last start at or before it (h46 M2).
        const std::size_t mark = template_mark(rest);
        if (mark == std::string_view::npos) return std::nullopt;
        for (auto start = next_document_marker(text, next->end); start && start->begin <= begin + mark;
             start = next_document_marker(text, start->end)) {
          next = start;
        }
        return next;
      }
      DiagnosticSink ignored;
      Emitter quiet(ignored, 0);
      std::optional<Span> following;
      const auto root = input::parse_yaml(rest, quiet, &following, &spent);
      if (following) {
        following = Span{begin + following->begin, begin + following->end};
      } else if (!root) {
        following = next_document_marker(text, next->end);  // past what libyaml could not read
      }
      const std::string_view document = text.substr(begin, following ? following->begin - begin : rest.size());
      if (root ? input::is_cloudformation(*root) : mentions_template(document)) return next;
      next = following;
    }
    return std::nullopt;
  }

  // Whether JSON text names `word` (ASCII), in a string spelt with escapes too
  // (`"\u0061ws_iam_policy"`, h46 M4), whether or not the text parses.
  static bool names_in_json_text(std::string_view text, std::string_view word) {
    if (text.find(word) != std::string_view::npos) return true;
    if (text.find('\\') == std::string_view::npos) return false;
    std::string decoded;
    decoded.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\\' || i + 1 == text.size()) {
        decoded.push_back(text[i]);
        continue;
      }
      unsigned code = 0;
      if (text[i + 1] == 'u' && i + 6 <= text.size() &&
          std::from_chars(text.data() + i + 2, text.data() + i + 6, code, 16).ptr == text.data() + i + 6) {
        decoded.push_back(code < 0x80 ? static_cast<char>(code) : '?');
        i += 5;
      } else {
        decoded.push_back(text[i + 1] == '/' || text[i + 1] == '\\' || text[i + 1] == '"' ? text[i + 1] : ' ');
        ++i;
      }
    }
    return decoded.find(word) != std::string::npos;
  }

  // Whether broken JSON still reads like a policy: it names a statement, an effect or an action,
  // or holds a policy language version (a policy cut off before its statements, or with keys
  // spelt in escapes).
  static bool mentions_statement(std::string_view text) {
    // A policy saved as UTF-16 (Windows PowerShell's default) is still one: the words are
    // looked for in its ASCII characters too (bytes that only look like a mark may start UTF-8).
    if (const auto wide = wide_encoding(text); wide && mentions_statement_words(narrow_ascii(text, *wide))) {
      return true;
    }
    return mentions_statement_words(text);
  }
  // A key `Statement`, `Effect`, `Action` or `NotAction` (any case), quoted as JSON wants, in
  // single quotes or bare as a script's literal writes it (`{'Statement': ...}`, `{Effect: ...}`).
  static bool mentions_statement_words(std::string_view text) {
    if (text.find("\"2012-10-17\"") != std::string_view::npos ||
        text.find("\"2008-10-17\"") != std::string_view::npos) {
      return true;
    }
    static constexpr std::string_view kWords[] = {"statement", "effect", "action", "notaction"};
    const auto opens_key = [](char c) { return c == '"' || c == '\'' || c == '{' || c == ',' || is_json_space(c); };
    for (std::size_t at = 0; at < text.size(); ++at) {
      if (!opens_key(text[at])) continue;
      for (const std::string_view word : kWords) {
        if (!iequals(text.substr(at + 1, word.size()), word)) continue;
        std::size_t end = at + 1 + word.size();
        // In a policy held as a JSON string (a Terraform plan's, `get-bucket-policy`'s), `\"Statement\":`.
        if (text.substr(end).starts_with("\\\"")) ++end;
        if (end < text.size() && (text[end] == '"' || text[end] == '\'')) ++end;
        while (end < text.size() && is_json_space(text[end])) ++end;
        if (end < text.size() && text[end] == ':') return true;
      }
    }
    return false;
  }

  // A file of Terraform configuration in its JSON syntax (`main.tf.json`): named so, and an object
  // of Terraform's top-level blocks.
  static bool is_terraform_configuration(std::string_view path, const json::Node& root) {
    if (!path.ends_with(".tf.json") || !root.is(json::Type::object)) return false;
    static constexpr std::string_view kBlocks[] = {"resource", "data", "module", "provider", "terraform"};
    return std::ranges::any_of(kBlocks, [&](std::string_view block) { return root.find(block) != nullptr; });
  }

  // A template's logical id, or a Terraform address (`module.ops.aws_iam_policy.ops[0]`),
  // named without its modules.
  static LogicalLocation resource_location(const std::string& address) {
    return LogicalLocation{input::split_terraform_address(address).resource, address, "resource"};
  }

  void analyse(SourceId id, bool walked) {
    const SourceFile& file = sources.get(id);
    Emitter file_emit(sink, id);
    // An account export is analysed as `scan` does, without a tree of the whole file. Its documents
    // are of the kinds the export gives them, whatever --policy-type says (read as one policy, the
    // export lost every finding about its principals: h44 M2).
    if (account::looks_like_authorization_details(file.text())) {
      account::analyse_export(file, id, catalog(), 0, sink, documents);
      return;
    }
    // A walked file that does not parse is reported only if it looks like a policy: a
    // repository's tsconfig.json with comments is not one, a policy with a typo is.
    DiagnosticSink parse_problems;
    Emitter parse_emit(walked ? parse_problems : sink, id);
    const bool yaml = input::is_yaml_file(file.path(), file.text());
    std::optional<Span> second_document;
    auto root = yaml ? input::parse_yaml(file.text(), parse_emit, &second_document)
                     : parser.parse(file.text(), json::OffsetMap::shifted(0), parse_emit);
    if (!root) {
      // A file of NUL bytes alone lost what it held, which a walk must say, policy or not; so
      // does Terraform configuration naming IAM policies (h45), as it would be when it parses.
      const bool terraform_iam = file.path().ends_with(".tf.json") && names_in_json_text(file.text(), "aws_iam_");
      const bool reported =
          mentions_template(file.text()) || (!yaml && mentions_statement(file.text())) || terraform_iam;
      if (walked && (reported || zero_filled(file.text()))) {
        for (const Diagnostic& d : parse_problems.unsorted()) sink.report(d);
      }
      return;
    }
    std::vector<input::PolicySlot> slots;
    std::deque<json::Node> template_variants;  // the resolved documents the slots point at
    // Templates are found whatever --policy-type says; it applies to their policies.
    const bool cloudformation = input::is_cloudformation(*root);
    if (cloudformation) {
      if (second_document) {
        file_emit.emit(rules::kInvalidYaml, *second_document, "",
                       "the file holds a second YAML document; a template is one document, and only the first is "
                       "read");
      }
      slots = input::cloudformation_policies(*root, yaml, file_emit, template_variants);
      if (!input::uses_foreign_macro(*root)) {
        check_managed_attachments(input::cloudformation_managed_attachments(*root), file_emit);
        const std::vector<glue::Snapshot> declared = glue::declared_in_cloudformation(*root, id, file.path());
        if (!declared.empty()) {
          // The roles and keys the Glue resources use, for the pack's permission rules.
          analyse_declared_account(declared, id, file.path(), [&](const glue::Deployment& deployment) {
            return glue::DeclaredAccount::from_cloudformation(*root, slots, file, id, catalog(), deployment);
          });
        }
      }
    } else if (input::is_terraform(*root)) {
      slots = input::terraform_policies(*root, file_emit);
      check_managed_attachments(input::terraform_managed_attachments(*root), file_emit);
      const std::vector<glue::Snapshot> declared = glue::declared_in_terraform(*root, id, file.path());
      if (!declared.empty()) {
        analyse_declared_account(declared, id, file.path(), [&](const glue::Deployment& deployment) {
          return glue::DeclaredAccount::from_terraform(*root, slots, file, id, catalog(), deployment);
        });
      }
    } else if (!yaml && root->is(json::Type::object) && root->find("format_version") != nullptr &&
               root->find("resource_changes") != nullptr) {
      // A plan trimmed to its changes: what it plans is read from `planned_values`, which it lacks.
      file_emit.emit(rules::kPolicyNotAnalysed, Span{0, 0}, "",
                     "this Terraform plan has `resource_changes` but no `planned_values`, which grantlint reads the "
                     "planned resources from, so its policies are not analysed; write the whole plan with "
                     "`terraform show -json PLANFILE`",
                     Level::error);
      return;
    } else if (!yaml && is_terraform_configuration(file.path(), *root)) {
      // Configuration in Terraform's JSON syntax: its policies are expressions (`jsonencode`,
      // references) only a plan resolves. Named, it is said; walked, when it names IAM policies
      // (h44 M3: it was skipped in silence, or read as a broken policy when named).
      if (!walked || names_in_json_text(file.text(), "aws_iam_")) {
        file_emit.emit(rules::kPolicyNotAnalysed, Span{0, 0}, "",
                       "this is Terraform configuration (`.tf.json`), whose policies grantlint does not read: "
                       "check the plan instead, written by `terraform show -json PLANFILE`",
                       Level::warning);
      }
      return;
    } else if (yaml) {
      // A template behind a first document that is not one (`--- null`, a comment block read as a
      // mapping) is lost to reading, which must be said, in a walk too (h44 H4).
      if (const auto later = second_document ? later_template(file.text(), *second_document) : std::nullopt) {
        file_emit.emit(rules::kInvalidYaml, *later, "",
                       "a later YAML document, starting here, is a CloudFormation template, but only the first "
                       "document is read, and it holds no template's resources; a template is one document: put it "
                       "in a file of its own");
        return;
      }
      // YAML holds policies only in templates; a workflow or a compose file is not one.
      if (!walked) {
        file_emit.emit(rules::kPolicyNotAnalysed, Span{0, 0}, "",
                       "this YAML file is not a CloudFormation template (no `AWSTemplateFormatVersion`, no "
                       "`Resources` of `AWS::` types); grantlint reads policies from JSON files and templates");
      }
      return;
    } else {
      slots = input::find_policies(*root);
      if (walked && !options.forced_kind && plainly_not_a_policy(*root, slots)) return;
    }
    // Held back while it was unknown whether the walked file is a policy: it is one, so what
    // parsing found (a byte order mark, a duplicate key) is reported like the rest.
    if (walked) {
      for (const Diagnostic& d : parse_problems.unsorted()) sink.report(d);
    }
    // The findings of the forms of one template policy (its `Fn::If`s one way or the other),
    // by rule, place and message: a finding two forms share is one, though an `AWS::NoValue`
    // may have moved its statement's index.
    using FindingKey = std::tuple<std::string_view, std::uint32_t, std::uint32_t, std::string>;
    std::set<FindingKey> in_forms;
    // Advice to remove text that adds nothing is held back until the policy's last form: it is
    // reported only when every form gives it, since text redundant one way its conditions go
    // may be needed another way.
    struct HeldAdvice {
      Diagnostic diagnostic;
      std::size_t forms = 0;  // how many forms gave it
    };
    std::map<FindingKey, HeldAdvice> removal_advice;
    // A policy's size differs by form, by a few characters each: it is over its quota once,
    // at the most severe level a form reaches (an error over the hard quota before a warning
    // over a default one).
    std::map<FindingKey, Diagnostic> most_severe_size;
    std::size_t forms = 0;
    const auto settle_forms = [&] {
      for (const auto& [key, held] : removal_advice) {
        if (held.forms == forms) sink.report(held.diagnostic);
      }
      for (const auto& [key, size] : most_severe_size) sink.report(size);
      most_severe_size.clear();
      removal_advice.clear();
      in_forms.clear();
      forms = 0;
    };
    for (const input::PolicySlot& slot : slots) {
      if (!slot.repeats_document) settle_forms();
      ++forms;
      std::set<FindingKey> advice_in_this_form;
      // ECR repository policies take no Resource (the repository is the resource): POL020 is
      // left out for them.
      DiagnosticSink found;
      Emitter emit(found, id, slot.pointer);
      FindingBudget budget(kKeptPerRule, capped);
      emit.limit(&budget);
      if (!slot.resource.empty()) emit.about(resource_location(slot.resource));
      // A string inside a wrapper holds the policy; a string as the whole file is not a policy.
      if (!slot.pointer.empty() && slot.node->is(json::Type::string)) {
        analyse_embedded(file, slot, emit);
      } else if (yaml || cloudformation) {
        // The checks of a policy's text read what AWS receives: the policy as JSON, not the
        // YAML around it with its comments, nor the indentation of a JSON template.
        json::DecodedText sent = json::minified(*slot.node, file.text());
        const auto map = json::OffsetMap::table(std::move(sent.origin));
        analyse_document(*slot.node, sent.text, map, slot, emit);
      } else {
        const std::string_view text =
            slot.pointer.empty() ? file.text() : file.text().substr(slot.node->span.begin, slot.node->span.size());
        const auto map = json::OffsetMap::shifted(slot.pointer.empty() ? 0 : slot.node->span.begin);
        analyse_document(*slot.node, text, map, slot, emit);
      }
      budget.settle(found);
      // A template's policy is checked with its functions resolved (an `Fn::If` taken,
      // `AWS::NoValue` removed): a finding points where its value is written
      // (`/Statement/0/Fn::If/1/Action`, not `/Statement/0/Action`).
      const json::Node* written = cloudformation ? json::find_pointer(*root, slot.pointer) : nullptr;
      std::optional<json::WrittenPlaces> places;
      if (written != nullptr) places.emplace(*slot.node, *written);
      const auto as_written = [&](const Diagnostic& d) {
        Diagnostic out = d;
        // A finding about the whole document (`""`, KMS001) points at the branch that holds it.
        if (places && d.document == slot.pointer) out.pointer = places->place(d.pointer).value_or(d.pointer);
        return out;
      };
      for (const Diagnostic& d : found.unsorted()) {
        if (slot.takes_no_resource && d.rule == &rules::kMissingResource) continue;
        if (slot.version_added && d.rule == &rules::kMissingVersion) continue;
        if (d.rule == &rules::kPolicyTooLarge) {
          const FindingKey place{d.rule->id, d.location.span.begin, d.location.span.end, ""};
          const auto [held, fresh] = most_severe_size.try_emplace(place, as_written(d));
          if (!fresh && d.level > held->second.level) held->second = as_written(d);
          continue;
        }
        FindingKey key{d.rule->id, d.location.span.begin, d.location.span.end, d.message};
        if (d.rule->advises_removal) {
          if (!advice_in_this_form.insert(key).second) continue;
          ++removal_advice.try_emplace(std::move(key), HeldAdvice{as_written(d)}).first->second.forms;
          continue;
        }
        if (!in_forms.insert(std::move(key)).second) continue;
        sink.report(as_written(d));
      }
    }
    settle_forms();
  }

  // The Glue pack on what a template or plan declares, with the account it declares. A file
  // that does not say its Region but names several may deploy to any of them: the pack runs
  // for each, and a finding some of them give and others not is a note that it depends on the
  // Region. Each run decides every component again, so past kMaxRegionRuns Regions (AWS has
  // about 36; a policy listing hundreds of ARNs names made-up ones) the pack runs once.
  template <class Make>
  void analyse_declared_account(const std::vector<glue::Snapshot>& declared, SourceId source, const std::string& path,
                                Make make) {
    // Each Data Catalog's settings past the first are a snapshot of their own, and each
    // snapshot runs the pack over every role and key: past kMaxCatalogRuns, the rest are not
    // analysed, and a note says so (an account has one Data Catalog per Region).
    const std::size_t snapshots = std::min(declared.size(), kMaxCatalogRuns);
    if (declared.size() > snapshots) {
      note_not_evaluated(source, fmt::format("`{}` declares {} Data Catalog encryption settings; only the first {} are "
                                             "analysed",
                                             path, declared.size(), snapshots));
    }
    const auto run = [&](const glue::DeclaredAccount& account, DiagnosticSink& into) {
      for (std::size_t i = 0; i < snapshots; ++i) {
        glue::Snapshot glue = declared[i];
        account.complete(glue);
        analyse_declared_glue(glue, account, into);
      }
    };
    const glue::DeclaredAccount unknown_region = make(glue::Deployment{options.account, ""});
    const std::size_t regions = unknown_region.regions_named().size();
    if (unknown_region.region_known() || regions < 2) {
      run(unknown_region, sink);
      return;
    }
    if (regions > kMaxRegionRuns) {
      run(unknown_region, sink);
      note_not_evaluated(source, fmt::format("`{}` names {} Regions in its ARNs and does not say which it deploys "
                                             "to: the Glue pack ran with the Region unknown, not once for each (at "
                                             "most {})",
                                             path, regions, kMaxRegionRuns));
      return;
    }
    DiagnosticSink base;
    run(unknown_region, base);
    std::vector<glue::RegionRun> named;
    for (const std::string& region : unknown_region.regions_named()) {
      run(make(glue::Deployment{options.account, region}), named.emplace_back(glue::RegionRun{region, {}}).found);
    }
    glue::merge_region_runs(base, named, path, sink);
  }

  // An ACC005 note about the whole file: what the Glue pack did not evaluate in it.
  void note_not_evaluated(SourceId source, std::string message) {
    Diagnostic note{
        &rules::kSnapshotInputMissing, Level::note, std::move(message), Location{source, Span{0, 0}}, "", "", {}, {}};
    note.severity = Severity::info;
    sink.report(std::move(note));
  }

  // An AWS managed policy attached by a template or a plan that grants every action on every
  // resource (`AdministratorAccess`): the policy is AWS's, so no document of the file shows it.
  void check_managed_attachments(const std::vector<input::ManagedAttachment>& attachments, Emitter& emit) {
    for (const input::ManagedAttachment& attachment : attachments) {
      const eval::CompiledPolicy* policy = glue::known_aws_managed_policy(attachment.arn, catalog());
      if (policy == nullptr) continue;
      const bool everything = std::ranges::any_of(policy->statements(), [](const eval::CompiledStatement& st) {
        return !st.deny && !st.not_action && st.conditions.empty() && st.resource_present && !st.not_resource &&
               std::ranges::any_of(st.actions, [](const eval::CompiledAction& a) { return a.any; }) &&
               std::ranges::any_of(st.resources, [](const eval::CompiledResource& r) {
                 return r.form == eval::CompiledResource::Form::any;
               });
      });
      if (!everything) continue;
      const std::string_view name = std::string_view(attachment.arn).substr(attachment.arn.rfind('/') + 1);
      emit.emit(rules::kFullAdministrator, attachment.span, attachment.pointer,
                fmt::format("`{}` attaches AWS's managed policy `{}`, which allows every action on every resource: "
                            "full administrator access",
                            attachment.holder, name));
    }
  }

  // The Glue pack's settings rules on what a plan or a template declares, and its permission
  // rules on the account it declares.
  void analyse_declared_glue(const glue::Snapshot& snapshot, const glue::DeclaredAccount& account,
                             DiagnosticSink& into) {
    const account::DocumentLookup compiled = account.lookup();
    const glue::FileLookup files = [this](SourceId source) -> const SourceFile& { return sources.get(source); };
    glue::PackOptions declared;
    declared.default_key_policy = true;
    declared.declared_only = true;
    glue::analyse_snapshot(snapshot, account.iam(), compiled, files, catalog(), into, declared);
  }

  void analyse_embedded(const SourceFile& file, const input::PolicySlot& slot, Emitter& emit) {
    const auto embedded = input::parse_embedded(file.text(), slot, parser, emit);
    if (!embedded) return;
    const std::string_view text(embedded->text.data(), embedded->text.size());
    analyse_document(embedded->root, text, embedded->map, slot, emit);
  }

  void analyse_document(const json::Node& root, std::string_view text, const json::OffsetMap& map,
                        const input::PolicySlot& slot, Emitter& emit) {
    policy::Kind kind = policy::Kind::identity;
    bool detected = false;
    if (options.forced_kind) {
      kind = *options.forced_kind;
    } else if (slot.kind) {
      kind = *slot.kind;
    } else if (options.resource_type != nullptr) {
      kind = policy::Kind::resource;  // a policy of the resource --resource-type names
    } else {
      kind = policy::detect_kind(root);
      detected = true;
    }
    if (!slot.repeats_document)
      documents.push_back(DocumentInfo{emit.source(), slot.pointer, kind, detected, slot.resource, slot.node->span});
    // --resource-type is for documents whose wrapper does not say what holds them: a template's
    // queue policy is not the bucket's.
    const policy::ResourceType* resource_type = slot.resource_type;
    if (resource_type == nullptr && !slot.kind) resource_type = options.resource_type;
    const Attachment attached{options.account, resource_type,
                              resource_type == slot.resource_type ? std::string_view(slot.resource_name) : ""};
    analyse_policy(root, text, map, kind, catalog(), emit, Depth::full, attached);
  }
};

Checker::Checker(CheckOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = options; }
Checker::~Checker() = default;

void Checker::check_bytes(std::string path, std::string_view bytes, bool walked) {
  if (bytes.size() > kMaxFileBytes) {  // spans are 32-bit offsets
    impl_->notifications.push_back(
        ToolNotification{path, fmt::format("cannot check `{}`: larger than {} bytes", path, kMaxFileBytes)});
    return;
  }
  check_read(std::move(path), FileBytes(simdjson::padded_string(bytes)), walked);
}

void Checker::check_read(std::string path, FileBytes bytes, bool walked) {
  const std::string key = std::filesystem::path(path).lexically_normal().string();
  const SourceId id = impl_->sources.add_padded(std::move(path), std::move(bytes));
  impl_->by_path.emplace(key, id);
  contained(
      impl_->sink, id, [&] { return fmt::format("`{}`", impl_->sources.get(id).path()); },
      [&] {
        fault_point(impl_->sources.get(id).path());
        impl_->analyse(id, walked);
      });
}

void Checker::check_config(const std::string& path, const std::string& display_path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) {
    impl_->notifications.push_back(ToolNotification{display_path, bytes.error().message});
    return;
  }
  const SourceId id = impl_->sources.add(display_path, *bytes);
  ++impl_->support_sources;
  Emitter emit(impl_->sink, id);
  // Memory running out on a configuration (a gzip bomb) is said of it; the rest is checked.
  std::optional<json::Node> root;
  contained(
      impl_->sink, id, [&] { return fmt::format("the configuration `{}`", display_path); },
      [&] {
        root = impl_->parser.parse(impl_->sources.get(id).text(), json::OffsetMap::shifted(0), emit, {},
                                   json::ParseUnit::configuration);
      });
  if (!root) return;
  namespace fs = std::filesystem;
  const fs::path directory = fs::path(path).parent_path();
  const fs::path shown_directory = fs::path(display_path).parent_path();
  auto config = glue::read_glue_config(*root, id, directory.string(), impl_->sink);
  if (!config) return;
  // Paths in the configuration are relative to it; they are reported as the configuration's
  // own path is, so that a file also named on the command line is the same source.
  const glue::FileLoader load = [&](const std::string& relative) -> Result<SourceId> {
    const std::string shown = (shown_directory / relative).lexically_normal().string();
    if (const auto it = impl_->by_path.find(shown); it != impl_->by_path.end()) return it->second;
    // Only regular files: a configuration naming a device or a pipe must not hang the run.
    std::error_code error;
    const fs::file_type type = fs::status(directory / relative, error).type();
    if (type != fs::file_type::regular) {
      // What the system says (a link loop, a directory it may not enter), else what is there.
      const std::string why = type == fs::file_type::not_found ? "no such file"
                              : error                          ? error.message()
                                                               : std::string(not_a_regular_file(type));
      return make_error(fmt::format("cannot read `{}`: {}", relative, why));
    }
    auto file = read_file_bytes((directory / relative).string());
    if (!file) return make_error(file.error().message);
    if (file->size() > kMaxFileBytes)
      return make_error(fmt::format("`{}` is larger than {} bytes", relative, kMaxFileBytes));
    const SourceId loaded = impl_->sources.add(shown, *file);
    impl_->by_path.emplace(shown, loaded);
    return loaded;
  };
  const glue::FileLookup files = [this](SourceId source) -> const SourceFile& { return impl_->sources.get(source); };
  contained(
      impl_->sink, id, [&] { return fmt::format("the Glue section of `{}`", display_path); },
      [&] { glue::analyse_glue_files(*config, load, files, impl_->catalog(), impl_->sink); });
}

void Checker::check_file(const std::string& path, const std::string& display_path, bool walked) {
  // A regular file is read once into padded storage, or mapped when large (an export); other
  // files (standard input, a process substitution's pipe) are read as a stream.
  std::error_code error;
  if (path != "-" && std::filesystem::is_regular_file(path, error)) {
    auto bytes = read_file_padded(path);
    if (!bytes) {
      impl_->notifications.push_back(ToolNotification{display_path, bytes.error().message});
      return;
    }
    if (!bytes->left_unread().empty()) {
      impl_->notifications.push_back(ToolNotification{display_path, bytes->left_unread(), false});
    }
    check_read(display_path, std::move(*bytes), walked);
    return;
  }
  // Named on the command line, a pipe is read to its end; found in a directory, a FIFO or a
  // device is not a policy file, and opening a FIFO no one writes to would wait forever.
  if (walked) {
    // A dangling link or a loop of links says so; what exists is named for what it is not.
    const std::string why =
        error ? error.message() : std::string(not_a_regular_file(std::filesystem::status(path, error).type()));
    impl_->notifications.push_back(ToolNotification{display_path, fmt::format("cannot read `{}`: {}", display_path, why)});
    return;
  }
  // Stray bytes after gzip data are said, and what the gzip data holds is analysed, as for a
  // named file (h45: standard input lost it).
  std::string left_unread;
  auto bytes = read_file_bytes(path, &left_unread);
  if (!bytes) {
    impl_->notifications.push_back(ToolNotification{display_path, bytes.error().message});
    return;
  }
  if (!left_unread.empty()) impl_->notifications.push_back(ToolNotification{display_path, left_unread, false});
  check_bytes(display_path, *bytes, walked);
}

void Checker::add_notification(ToolNotification notification) {
  impl_->notifications.push_back(std::move(notification));
}

std::size_t count_unread(const std::vector<ToolNotification>& notifications) {
  return static_cast<std::size_t>(std::ranges::count_if(notifications, &ToolNotification::unread));
}

std::size_t checked_files(const CheckReport& report, const std::vector<ToolNotification>& notifications) {
  return report.sources.size() - std::min(report.support_sources, report.sources.size()) + count_unread(notifications);
}

std::vector<ToolNotification> changed_inputs(const SourceSet& sources) {
  std::vector<ToolNotification> changed;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const SourceFile& file = sources.get(static_cast<SourceId>(i));
    if (!file.changed_on_disk()) continue;
    changed.push_back(ToolNotification{
        file.path(),
        fmt::format("`{}` changed on disk while grantlint read it: its findings may point at text it no longer "
                    "holds; scan it again once it is complete",
                    file.path()),
        false});
  }
  return changed;
}

std::vector<ToolNotification> final_notifications(const CheckReport& report) {
  std::vector<ToolNotification> notifications = report.notifications;
  for (ToolNotification& changed : changed_inputs(report.sources)) {
    if (std::ranges::any_of(notifications, [&](const ToolNotification& n) { return n.path == changed.path; })) continue;
    changed.message = clip_long_quotes(std::move(changed.message));
    notifications.push_back(std::move(changed));
  }
  return notifications;
}

CheckReport make_report(SourceSet sources, DiagnosticSink sink, std::vector<DocumentInfo> documents,
                        std::vector<ToolNotification> notifications) {
  CheckReport report;
  std::ranges::move(changed_inputs(sources), std::back_inserter(notifications));
  // In file order, then by message: the same whatever the number of threads.
  std::vector<DiagnosticSink::Failure> failures = sink.failures();
  std::ranges::sort(failures, [](const auto& a, const auto& b) {
    return std::tie(a.source, a.message) < std::tie(b.source, b.message);
  });
  for (const DiagnosticSink::Failure& failure : failures) {
    notifications.push_back(ToolNotification{sources.get(failure.source).path(), failure.message, false});
  }
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < sources.size(); ++i) paths.push_back(sources.get(static_cast<SourceId>(i)).path());
  for (DocumentInfo& document : documents) document.page = sink.page_at(document.source, document.span.begin);
  report.diagnostics = std::move(sink).sorted(paths);
  report.sources = std::move(sources);
  report.documents = std::move(documents);
  // A path quoted whole (a directory past PATH_MAX is 4 KB) is cut as quotes in findings are (h46 L6).
  for (ToolNotification& notification : notifications) {
    notification.message = clip_long_quotes(std::move(notification.message));
  }
  report.notifications = std::move(notifications);
  return report;
}

CheckReport Checker::finish() && {
  CheckReport report = make_report(std::move(impl_->sources), std::move(impl_->sink), std::move(impl_->documents),
                                   std::move(impl_->notifications));
  report.support_sources = impl_->support_sources;
  return report;
}

}  // namespace grantlint
