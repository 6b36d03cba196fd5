#include "account/scan.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "account/authz_details.h"
#include "account/export_shape.h"
#include "account/not_an_export.h"
#include "account/principals.h"
#include "account/reach.h"
#include "account/text_numbers.h"
#include "base/strings.h"
#include "base/utf8.h"
#include "catalog/catalog.h"
#include "diag/contain.h"
#include "engine/analyse.h"
#include "engine/listing_cap.h"
#include "glue/analyse.h"
#include "glue/aws_managed_policies.h"
#include "glue/read_snapshot.h"
#include "input/embedded.h"
#include "json/offset_map.h"
#include "json/parse.h"
#include "match/arn.h"
#include "policy/lower.h"
#include "rules/registry.h"

namespace grantlint::account {

namespace {

// A JSON value written so that equal values are equal text: object members sorted by key
// (the first of a repeated key kept, as the checks read it), strings decoded and
// length-prefixed, numbers and literals as written.
void canonical_json(const json::Node& node, std::string& out) {
  switch (node.type) {
    case json::Type::object: {
      std::vector<const json::Member*> members = node.first_members();
      std::ranges::sort(members, {}, &json::Member::key);
      out += '{';
      for (const json::Member* member : members) {
        out += fmt::format("{}:{}", member->key.size(), member->key);
        canonical_json(member->value, out);
      }
      out += '}';
      return;
    }
    case json::Type::array:
      out += '[';
      for (const json::Node& item : node.items) canonical_json(item, out);
      out += ']';
      return;
    case json::Type::string:
      out += fmt::format("s{}:{}", node.text.size(), node.text);
      return;
    default:
      out += fmt::format("v{}:{}", node.text.size(), node.text);
      return;
  }
}

// One policy document of an export to analyse.
struct Job {
  DocumentRef document;
  policy::Kind kind = policy::Kind::identity;
  Depth depth = Depth::full;
  // Compiled for the evaluator: what grants (a default version, an inline or trust policy),
  // and the other versions of a customer managed policy a principal holds, which
  // iam:SetDefaultPolicyVersion could make its default (the reach pass, reach.h).
  bool evaluated = true;
  // A version of an AWS managed policy: AWS writes them past the quotas it sets its customers
  // (`ReadOnlyAccess` is over 6,144 characters), and no account can change them, so the
  // size quota (POL010) is not theirs.
  bool aws_managed = false;
};

// Findings in a managed policy name at most this many of the principals that attach it.
constexpr std::size_t kMaxAttachersNamed = 10;

// The rules that judge a policy's text by AWS's reference (the catalog). An AWS managed policy
// names what the reference no longer lists (a retired service, an action's old name) or does not
// list yet (docs/managed-policies.md): only AWS can change its text, so a scan says so in a note,
// where as an error or a warning it failed every run over an account that attaches one.
bool judges_text_by_catalog(const RuleMeta* rule) {
  return rule == &rules::kUnknownService || rule == &rules::kUnknownAction || rule == &rules::kPatternMatchesNothing ||
         rule == &rules::kUnknownConditionKey || rule == &rules::kMalformedResourceArn ||
         rule == &rules::kResourceTypeMismatch;
}

policy::Kind inline_kind(PrincipalKind kind) {
  switch (kind) {
    case PrincipalKind::user: return policy::Kind::inline_user;
    case PrincipalKind::group: return policy::Kind::inline_group;
    case PrincipalKind::role: return policy::Kind::inline_role;
  }
  return policy::Kind::identity;
}

// A document in a canonical form: a string (URL-encoded, as AWS writes it, or not) decoded,
// then parsed, so that one document however printed (white space, key order, `\u0041` for
// `A`) is one. One that does not decode or parse is compared as its text, and so is unlike
// every document that does; an absent one is empty.
std::string canonical_document(const SourceLookup& files, const DocumentRef& document) {
  if (!document.present) return std::string();
  const std::string_view text = files(document.source).text().substr(document.span.begin, document.span.size());
  json::DecodedText decoded{std::string(text), {}};
  if (text.starts_with('"')) {
    decoded = json::decode_json_string(text, 0);
    if (std::uint32_t bad = 0; !input::url_decode_policy(decoded, bad)) return fmt::format("\x01{}", text);
  }
  const simdjson::padded_string padded(decoded.text);
  DiagnosticSink ignored;
  Emitter emit(ignored, document.source);
  json::Parser parser;
  const auto root = parser.parse(std::string_view(padded.data(), padded.size()), json::OffsetMap::shifted(0), emit, {},
                                 json::ParseUnit::policy);
  if (!root) return fmt::format("\x01{}", decoded.text);
  std::string out;
  canonical_json(*root, out);
  return out;
}

// What a principal's listing grants and is: its policies (documents canonical, in order of
// name), attached ARNs, groups, boundary and trust policy.
std::string principal_contents(const SourceLookup& files, const Principal& principal) {
  std::vector<std::string> inline_policies;
  for (const InlinePolicy& policy : principal.inline_policies) {
    inline_policies.push_back(fmt::format("{}\x02{}", policy.name, canonical_document(files, policy.document)));
  }
  std::ranges::sort(inline_policies);
  std::vector<std::string> references;
  for (const Reference& attached : principal.attached) references.push_back("a" + attached.target);
  for (const Reference& group : principal.groups) references.push_back("g" + group.target);
  std::ranges::sort(references);
  std::string out;
  for (const std::string& piece : inline_policies) out += piece + '\x03';
  for (const std::string& piece : references) out += piece + '\x03';
  if (principal.boundary) out += "b" + principal.boundary->target;
  out += '\x03' + canonical_document(files, principal.trust);
  return out;
}

// Every version of a managed policy listing, canonical.
std::string policy_contents(const SourceLookup& files, const ManagedPolicy& policy) {
  std::string out;
  for (const PolicyVersion& version : policy.versions) {
    out += fmt::format("{}\x02{}\x03", version.is_default ? 'd' : 'v', canonical_document(files, version.document));
  }
  return out;
}

// Whether every document in canonical contents parsed (canonical_document marks one that does
// not with \x01, a byte JSON text never holds raw).
bool all_parse(std::string_view contents) { return contents.find('\x01') == std::string_view::npos; }

// A principal or managed policy listed again (snapshots of one account in several Regions each
// hold its IAM export; pages joined twice; a garbled page). A copy alike the first listing is
// left out: the first is analysed, once, and findings point there. A copy that differs stays
// and is said (ACC001): a group's members and a policy's principals get the first listing's,
// so what the other grants would be lost unsaid; a user or role is analysed once per listing.
void settle_listed_again(Export& model, const SourceLookup& files, DiagnosticSink& sink) {
  const auto related = [](SourceId source, Span span, std::string_view what) {
    return std::vector<RelatedLocation>{RelatedLocation{Location{source, span}, std::string(what)}};
  };
  std::unordered_map<std::string_view, std::size_t> first_principal[3];  // by kind
  std::vector<bool> drop_principal(model.principals.size(), false);
  for (std::size_t i = 0; i < model.principals.size(); ++i) {
    const Principal& principal = model.principals[i];
    const std::string_view key = principal.kind == PrincipalKind::group ? principal.name : principal.arn;
    if (key.empty()) continue;
    const auto [it, inserted] = first_principal[static_cast<int>(principal.kind)].emplace(key, i);
    if (inserted) continue;
    const std::string earlier_contents = principal_contents(files, model.principals[it->second]);
    const std::string contents = principal_contents(files, principal);
    drop_principal[i] = earlier_contents == contents;
    if (drop_principal[i]) continue;
    // A group's members get its first listing: one with a document that does not parse (a
    // garbled page) must not win over one whose documents do. The two change places (the
    // map's key views a name equal in both).
    if (principal.kind == PrincipalKind::group && !all_parse(earlier_contents) && all_parse(contents)) {
      std::swap(model.principals[it->second], model.principals[i]);
      const Principal& readable = model.principals[it->second];
      const Principal& garbled = model.principals[i];
      Emitter(sink, garbled.source)
          .emit(rules::kMalformedExport, garbled.arn_span, garbled.pointer + "/Arn",
                fmt::format("group `{}` is listed again, here with a policy document that does not parse: its "
                            "members get the other listing's, and this one's policies are checked only as policies",
                            garbled.name),
                std::nullopt, related(readable.source, readable.arn_span, "the listing its members get"));
      continue;
    }
    const Principal& earlier = model.principals[it->second];
    const std::string_view what = kind_name(principal.kind);
    Emitter(sink, principal.source)
        .emit(rules::kMalformedExport, principal.arn_span, principal.pointer + "/Arn",
              principal.kind == PrincipalKind::group
                  ? fmt::format("group `{}` is listed again with other policies; its members get the first "
                                "listing's, and this one's policies are checked only as policies",
                                principal.name)
                  : fmt::format("{} `{}` is listed again with other policies; each listing is analysed as a {} "
                                "of its own",
                                what, principal.arn, what),
              std::nullopt, related(earlier.source, earlier.arn_span, "listed first here"));
  }
  const auto default_text = [&](const ManagedPolicy& policy) {
    const PolicyVersion* version = policy.default_version();
    return version == nullptr ? std::string() : canonical_document(files, version->document);
  };
  std::unordered_map<std::string_view, std::size_t> first_policy;
  std::vector<bool> drop_policy(model.policies.size(), false);
  for (std::size_t i = 0; i < model.policies.size(); ++i) {
    const ManagedPolicy& policy = model.policies[i];
    if (policy.arn.empty()) continue;
    const auto [it, inserted] = first_policy.emplace(policy.arn, i);
    if (inserted) continue;
    drop_policy[i] = policy_contents(files, model.policies[it->second]) == policy_contents(files, policy);
    if (drop_policy[i]) continue;
    // Listings that differ only in versions no principal gets are both checked, and nothing is said.
    const std::string earlier_default = default_text(model.policies[it->second]);
    const std::string this_default = default_text(policy);
    if (earlier_default == this_default) continue;
    // As for groups: a default document that does not parse does not win over one that does.
    if (!all_parse(earlier_default) && all_parse(this_default)) {
      std::swap(model.policies[it->second], model.policies[i]);
      const ManagedPolicy& readable = model.policies[it->second];
      const ManagedPolicy& garbled = model.policies[i];
      Emitter(sink, garbled.source)
          .emit(rules::kMalformedExport, garbled.span, garbled.pointer + "/Arn",
                fmt::format("policy `{}` is listed again, here with a default document that does not parse: "
                            "principals get the other listing's, and this one is checked only as a policy",
                            garbled.arn),
                std::nullopt, related(readable.source, readable.span, "the listing principals get"));
      continue;
    }
    const ManagedPolicy& earlier = model.policies[it->second];
    Emitter(sink, policy.source)
        .emit(rules::kMalformedExport, policy.span, policy.pointer + "/Arn",
              fmt::format("policy `{}` is listed again with another default document; principals get the first "
                          "listing's, and this one is checked only as a policy",
                          policy.arn),
              std::nullopt, related(earlier.source, earlier.span, "listed first here"));
  }
  const auto keep = [](auto& items, const std::vector<bool>& drop) {
    if (std::ranges::none_of(drop, [](bool d) { return d; })) return;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (drop[i]) continue;
      if (kept != i) items[kept] = std::move(items[i]);  // never onto itself, which may empty it
      ++kept;
    }
    items.resize(kept);
  };
  keep(model.principals, drop_principal);
  keep(model.policies, drop_policy);
}

// One export file through the analysis.
class ExportAnalysis {
 public:
  ExportAnalysis(const catalog::Catalog& catalog, unsigned threads, DiagnosticSink& sink,
                 std::vector<DocumentInfo>& documents, Progress* progress)
      : catalog_(catalog), threads_(threads), sink_(sink), documents_(documents), progress_(progress) {}

  void analyse(const Export& model, const SourceLookup& files, const AfterAnalysis& after) {
    after_ = &after;
    files_ = &files;
    check_references(model);
    std::vector<Job> jobs = collect_jobs(model);
    for (const Job& job : jobs) {
      documents_.push_back(
          DocumentInfo{job.document.source, job.document.pointer, job.kind, false, {}, job.document.span});
      if (std::ranges::find(sources_, job.document.source) == sources_.end()) sources_.push_back(job.document.source);
    }
    analyse_documents(jobs, model);
    release_text();
  }

 private:
  void report(SourceId source, const RuleMeta& rule, Span span, std::string pointer, std::string message) {
    Emitter(sink_, source).emit(rule, span, std::move(pointer), std::move(message));
  }

  // An emitter for findings about one principal: its ARN is their logical location, as for
  // the per-principal checks (none for a principal whose `Arn` did not read).
  Emitter principal_emitter(const Principal& principal, SourceId source) {
    Emitter emitter(sink_, source);
    if (!principal.arn.empty()) emitter.about(LogicalLocation{principal.name, principal.arn, "resource"});
    return emitter;
  }

  void report_leftover_marker(const Export::PageEnd& end) {
    if (!end.marker) return;
    report(end.source, rules::kTruncatedExport, *end.marker, "/Marker",
           "the export ends with a `Marker`, so more pages follow: their principals and policies are not analysed");
  }

  // What the export names but does not hold, and whether it is complete.
  void check_references(const Export& model) {
    // Pages in several files (one per file, once split_pages_by_account has joined each file's):
    // the export is complete when one of them is its last page. One that says it is not
    // truncated but keeps a `Marker` ends it too, and only its Marker is doubtful; when every
    // page says it is truncated, the last page given is where the export is cut.
    const auto ends = [](const Export::PageEnd& end) { return !end.truncated; };
    const bool complete =
        std::ranges::any_of(model.page_ends, [&](const Export::PageEnd& end) { return ends(end) && !end.marker; });
    if (!complete && !model.page_ends.empty()) {
      if (std::ranges::any_of(model.page_ends, ends)) {
        for (const Export::PageEnd& end : model.page_ends) {
          if (ends(end)) report_leftover_marker(end);
        }
      } else {
        // One page cut is one finding: its `Marker` is where the same cut says the next page starts.
        const Export::PageEnd& end = model.page_ends.back();
        std::vector<RelatedLocation> related;
        if (end.marker)
          related.push_back(RelatedLocation{Location{end.source, *end.marker}, "the next page's `Marker`"});
        Emitter(sink_, end.source)
            .emit(rules::kTruncatedExport, *end.truncated, "/IsTruncated",
                  fmt::format("the export says it is truncated{}: principals and policies on later pages are not "
                              "analysed",
                              end.marker ? ", and its `Marker` says where the next page starts" : ""),
                  std::nullopt, std::move(related));
      }
    }
    // Past where broken JSON stopped the reading, the export may hold what is not found; in a
    // broken stretch reading skipped, it may hold what that stretch names. Either way the
    // permissions are unknown, and each reference says so, with where the export was lost.
    std::optional<Location> stopped;
    for (const Export::PageEnd& end : model.page_ends) {
      if (end.unread_from && !stopped) stopped = Location{end.source, *end.unread_from};
    }
    // The names and ARNs skipped stretches hold, each read once: runs of the characters IAM
    // allows in them (a map, so that many references against much skipped text stay linear).
    std::unordered_map<std::string_view, Location> skipped_names;
    for (const Export::PageEnd& end : model.page_ends) {
      for (const Span span : end.skipped) {
        const std::string_view text = (*files_)(end.source).text().substr(span.begin, span.size());
        const auto name_char = [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                 std::string_view("+=,.@_-:/").find(c) != std::string_view::npos;
        };
        for (std::size_t i = 0; i < text.size();) {
          if (!name_char(text[i])) {
            ++i;
            continue;
          }
          std::size_t j = i;
          while (j < text.size() && name_char(text[j])) ++j;
          skipped_names.try_emplace(text.substr(i, j - i), Location{end.source, span});
          i = j;
        }
      }
    }
    // How a reference to what the export does not hold is said: plainly when the export was
    // read whole; as lost with the stretch that names it, or past where reading stopped.
    const auto not_held = [&](std::string_view target) {
      struct Said {
        std::string_view which;
        std::vector<RelatedLocation> related;
      };
      if (const auto it = skipped_names.find(target); it != skipped_names.end()) {
        return Said{
            "which the export does not hold where it could be read (a broken stretch reading skipped names "
            "it)",
            {RelatedLocation{it->second, "the broken stretch reading skipped, which names it"}}};
      }
      if (stopped) {
        return Said{"which the export does not hold before reading stopped at broken JSON",
                    {RelatedLocation{*stopped, "reading stopped here"}}};
      }
      return Said{"which the export does not hold", {}};
    };
    std::unordered_set<std::string_view> policies;
    for (const ManagedPolicy& policy : model.policies) {
      // One whose `Arn` was no policy's (ACC001) names none: `"PolicyArn": ""` is not held.
      if (!policy.arn.empty()) policies.insert(policy.arn);
    }
    std::unordered_set<std::string_view> groups;
    for (const Principal& principal : model.principals) {
      if (principal.kind == PrincipalKind::group) groups.insert(principal.name);
    }
    const auto emit = [&](const Principal& principal, const Reference& at, const RuleMeta& rule, std::string message,
                          std::vector<RelatedLocation> related, std::optional<Level> level = std::nullopt) {
      principal_emitter(principal, at.source)
          .emit(rule, at.span, at.pointer, std::move(message), level, std::move(related));
    };
    // An AWS managed policy grantlint carries a copy of is judged by that copy (effective.h,
    // BuiltinPolicyLookup): a note says so, since AWS may have changed it since.
    const auto builtin = [&](const Principal& principal, const Reference& at, std::string_view how) {
      if (!aws_managed_for(at.target, principal.arn) ||
          glue::known_aws_managed_policy(at.target, catalog_) == nullptr) {
        return false;
      }
      emit(principal, at, rules::kMissingManagedPolicy,
           fmt::format("{} `{}` {} `{}`, which the export does not hold (exported without AWS managed policies?): "
                       "grantlint's copy of this AWS managed policy is used",
                       kind_name(principal.kind), principal.name, how, at.target),
           {}, Level::note);
      return true;
    };
    for (const Principal& principal : model.principals) {
      for (const Reference& attached : principal.attached) {
        if (policies.contains(attached.target)) continue;
        if (builtin(principal, attached, "attaches")) continue;
        auto said = not_held(attached.target);
        const bool other_partition =
            is_aws_managed(attached.target) && !aws_managed_for(attached.target, principal.arn);
        emit(principal, attached, rules::kMissingManagedPolicy,
             fmt::format("{} `{}` attaches `{}`, {}{}: its permissions are unknown", kind_name(principal.kind),
                         principal.name, attached.target, said.which,
                         other_partition ? " (an AWS managed policy of another partition than the principal's, which "
                                           "IAM does not attach: the export was edited?)"
                                         : ""),
             std::move(said.related));
      }
      if (principal.boundary && !policies.contains(principal.boundary->target) &&
          !builtin(principal, *principal.boundary, "has permissions boundary")) {
        auto said = not_held(principal.boundary->target);
        emit(principal, *principal.boundary, rules::kMissingManagedPolicy,
             fmt::format("{} `{}` has permissions boundary `{}`, {}", kind_name(principal.kind), principal.name,
                         principal.boundary->target, said.which),
             std::move(said.related));
      }
      for (const Reference& group : principal.groups) {
        if (groups.contains(group.target)) continue;
        auto said = not_held(group.target);
        emit(principal, group, rules::kMissingGroup,
             fmt::format("user `{}` belongs to group `{}`, {}: the group's policies are unknown", principal.name,
                         group.target, said.which),
             std::move(said.related));
      }
    }
  }

  // A policy a principal attaches (or has as its boundary) that the export holds but cannot
  // use: no default version, or a default document that did not parse (each said where it
  // is). What it grants or refuses is as unknown as that of one the export lacks.
  void check_unusable_attachments(const Export& model, const DocumentLookup& lookup) {
    std::unordered_map<std::string_view, const ManagedPolicy*> listed;  // principals get the first listing
    for (const ManagedPolicy& policy : model.policies) {
      if (!policy.arn.empty()) listed.try_emplace(policy.arn, &policy);
    }
    const auto unusable = [&](std::string_view arn) -> std::optional<std::string_view> {
      const auto it = listed.find(arn);
      if (it == listed.end()) return std::nullopt;  // ACC003 as not held (check_references)
      const PolicyVersion* version = it->second->default_version();
      if (version == nullptr) return "which the export holds without a default version";
      if (!version->document.present) return "which the export holds without its default version's document";
      if (lookup(version->document).policy == nullptr) {
        return "which the export holds but whose default version's document could not be read";
      }
      return std::nullopt;
    };
    // An AWS managed policy grantlint carries a copy of is judged by that copy (PolicyIndex::builtin).
    // `unknown`: what the message says when no copy stands in.
    const auto emit = [&](const Principal& principal, const Reference& at, std::string message,
                          std::string_view unknown, const ManagedPolicy& policy) {
      const bool copy_used =
          aws_managed_for(at.target, principal.arn) && glue::known_aws_managed_policy(at.target, catalog_) != nullptr;
      message += copy_used ? std::string_view(": grantlint's copy of this AWS managed policy is used") : unknown;
      principal_emitter(principal, at.source)
          .emit(rules::kMissingManagedPolicy, at.span, at.pointer, std::move(message),
                copy_used ? std::optional(Level::note) : std::nullopt,
                {RelatedLocation{Location{policy.source, policy.span}, "the policy, listed here"}});
    };
    for (const Principal& principal : model.principals) {
      for (const Reference& attached : principal.attached) {
        const auto why = unusable(attached.target);
        if (!why) continue;
        emit(principal, attached,
             fmt::format("{} `{}` attaches `{}`, {}", kind_name(principal.kind), principal.name, attached.target, *why),
             ": its permissions are unknown", *listed.at(attached.target));
      }
      if (!principal.boundary) continue;
      const auto why = unusable(principal.boundary->target);
      if (!why) continue;
      emit(principal, *principal.boundary,
           fmt::format("{} `{}` has permissions boundary `{}`, {}", kind_name(principal.kind), principal.name,
                       principal.boundary->target, *why),
           "", *listed.at(principal.boundary->target));
    }
  }

  static std::vector<Job> collect_jobs(const Export& model) {
    std::vector<Job> jobs;
    // A managed policy that is only ever a permissions boundary is a ceiling, not a grant:
    // checked as a boundary, so the overbroad-grant rules leave it alone.
    std::unordered_set<std::string_view> attached, boundaries;
    for (const Principal& principal : model.principals) {
      for (const Reference& reference : principal.attached) attached.insert(reference.target);
      if (principal.boundary) boundaries.insert(principal.boundary->target);
    }
    for (const ManagedPolicy& policy : model.policies) {
      const policy::Kind kind = boundaries.contains(policy.arn) && !attached.contains(policy.arn)
                                    ? policy::Kind::boundary
                                    : policy::Kind::identity;
      for (const PolicyVersion& version : policy.versions) {
        if (!version.document.present) continue;
        // Only the default version grants anything; the others are checked for what AWS rejects.
        const bool held = !policy.arn.empty() && (attached.contains(policy.arn) || boundaries.contains(policy.arn));
        // A contested default (ACC001) is checked in full too: it may be the one AWS applies.
        const bool full = version.is_default || version.contested_default;
        const bool aws_managed = is_aws_managed(policy.arn);
        jobs.push_back(Job{version.document, kind, full ? Depth::full : Depth::grammar,
                           version.is_default || (held && !aws_managed), aws_managed});
      }
    }
    for (const Principal& principal : model.principals) {
      for (const InlinePolicy& policy : principal.inline_policies) {
        if (policy.document.present) jobs.push_back(Job{policy.document, inline_kind(principal.kind), Depth::full});
      }
      if (principal.trust.present) jobs.push_back(Job{principal.trust, policy::Kind::trust, Depth::full});
    }
    return jobs;
  }

  // Analyses the documents on all cores, each worker with its own parser and findings.
  // Analyses the documents on all cores, each worker with its own parser. A document whose
  // text, kind and depth repeat one already analysed (the same inline policy pasted into many
  // roles) is not analysed again: the first one's findings are moved to its place.
  std::string_view text_of(const DocumentRef& document) const {
    return (*files_)(document.source).text().substr(document.span.begin, document.span.size());
  }

  // Gives back the memory of the export's text that a stage has read: a mapped export's pages
  // return to the page cache, so that reading a 200 MB export does not hold 200 MB.
  void release_text() const {
    for (const SourceId source : sources_) (*files_)(source).release();
  }

  // Counts the text a stage reads, document by document (on any number of threads), and
  // releases it every few tens of megabytes. A read of a few bytes counts as 64 KB: reading
  // one page of a mapping maps the pages around it too (the kernel's fault-around).
  class ReadBudget {
   public:
    explicit ReadBudget(const ExportAnalysis& analysis) : analysis_(analysis) {}
    void read(std::size_t bytes) {
      const std::size_t counted = std::max<std::size_t>(bytes, kFaultAround);
      if (read_.fetch_add(counted, std::memory_order_relaxed) + counted < kReleaseEvery) return;
      if (read_.exchange(0, std::memory_order_relaxed) >= kReleaseEvery) analysis_.release_text();
    }

   private:
    static constexpr std::size_t kReleaseEvery = 64u << 20;
    static constexpr std::size_t kFaultAround = 64u << 10;
    const ExportAnalysis& analysis_;
    std::atomic<std::size_t> read_{0};
  };

  // The family a document's findings are shared in: a policy held in a JSON string keeps its
  // own kind, since its size would be measured on its decoded text.
  policy::Kind sharing_kind(const Job& job) const {
    return text_of(job.document).starts_with('"') ? job.kind : policy::family(job.kind);
  }

  void analyse_documents(const std::vector<Job>& jobs, const Export& model) {
    // The job whose findings each job reuses: the first of the same text and family, at full
    // depth if any of them is (a non-default version takes the grammar's part of them).
    std::vector<std::size_t> first_of(jobs.size());
    std::vector<std::size_t> distinct;
    // The job whose compiled policy each granting document shares: the kind changes the
    // findings (quotas), never what a policy grants.
    std::vector<std::size_t> compiled_by(jobs.size(), kNone);
    ReadBudget budget(*this);
    {
      // Each text read (and hashed) once, on all cores: the jobs numbered by their text.
      std::size_t texts = 0;
      const std::vector<std::size_t> text_id = number_by_text(
          jobs.size(),
          [&](std::size_t i) {
            budget.read(jobs[i].document.span.size());
            return text_of(jobs[i].document);
          },
          threads_, texts);
      std::vector<policy::Kind> sharing(jobs.size());
      for (std::size_t i = 0; i < jobs.size(); ++i) sharing[i] = sharing_kind(jobs[i]);
      std::vector<std::vector<std::size_t>> seen(texts);  // by text: the first job per family
      const auto of_family = [&](std::vector<std::size_t>& firsts, std::size_t job) {
        return std::ranges::find_if(firsts, [&](std::size_t first) { return sharing[first] == sharing[job]; });
      };
      for (std::size_t i = 0; i < jobs.size(); ++i) {
        auto& firsts = seen[text_id[i]];
        const auto same = of_family(firsts, i);
        if (same == firsts.end()) {
          firsts.push_back(i);
        } else if ((jobs[*same].depth == Depth::grammar && jobs[i].depth == Depth::full) ||
                   (jobs[*same].depth == jobs[i].depth && !jobs[*same].evaluated && jobs[i].evaluated)) {
          *same = i;  // analysed at full depth, and compiled, if any of them is
        }
      }
      for (std::size_t i = 0; i < jobs.size(); ++i) {
        first_of[i] = *of_family(seen[text_id[i]], i);
        if (first_of[i] == i) distinct.push_back(i);
      }
      // Among the documents analysed, the first one with each text that the evaluator needs:
      // granting documents, and trust policies (read with their own grammar) apart.
      std::vector<std::size_t> granting(texts, kNone);
      std::vector<std::size_t> trusting(texts, kNone);
      for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (!evaluated(jobs[i])) continue;
        std::size_t& first = (jobs[i].kind == policy::Kind::trust ? trusting : granting)[text_id[i]];
        if (first == kNone) first = first_of[i];
        compiled_by[i] = first;
      }
    }
    std::vector<std::vector<Diagnostic>> found(jobs.size());
    // How many of them the grammar's stage made: all of them unless the semantic stage ran.
    std::vector<std::size_t> grammar_found(jobs.size(), kNone);
    std::vector<std::vector<DiagnosticSink::Failure>> failed(jobs.size());
    std::vector<std::unique_ptr<const eval::CompiledPolicy>> compiled(jobs.size());
    const unsigned cores = threads_ != 0 ? threads_ : std::max(1u, std::thread::hardware_concurrency());
    const auto workers = static_cast<unsigned>(std::min<std::size_t>(cores, (distinct.size() + 63) / 64));
    std::vector<std::size_t> copies(jobs.size(), 0);  // other documents with each analysed one's text
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (first_of[i] != i) ++copies[first_of[i]];
    }
    std::atomic<std::size_t> next{0};
    std::mutex thread_failures_mutex;
    DiagnosticSink thread_failures;
    if (progress_ != nullptr) progress_->begin("documents", distinct.size());
    const auto work = [&] {
      DiagnosticSink worker;
      const SourceId some_source = distinct.empty() ? 0 : jobs[distinct.front()].document.source;
      // What escapes one document's containment (memory running out between documents) still
      // must not escape the thread, where it would end the process.
      contained(
          worker, some_source, [] { return "the documents a worker thread had not finished"; },
          [&] {
            json::Parser worker_parser;
            for (std::size_t k = next++; k < distinct.size(); k = next++) {
              DiagnosticSink out;
              const std::size_t job = distinct[k];
              const SourceId source = jobs[job].document.source;
              const auto what = [&] {
                return copies[job] == 0
                           ? fmt::format("the policy at `{}` (and the permissions of the principals that hold it)",
                                         jobs[job].document.pointer)
                           : fmt::format(
                                 "the policy at `{}` and the {} other documents with the same text (and the "
                                 "permissions of the principals that hold them)",
                                 jobs[job].document.pointer, copies[job]);
              };
              budget.read(jobs[job].document.span.size());
              contained(out, source, what, [&] {
                fault_point(jobs[job].document.pointer);
                auto policy = analyse_one((*files_)(source), source, jobs[job], worker_parser, out,
                                          grammar_found[job]);
                if (compiled_by[job] == job) compiled[job] = std::move(policy);
              });
              found[distinct[k]] = out.unsorted();
              failed[distinct[k]] = out.failures();
              if (progress_ != nullptr) progress_->advance();
            }
          });
      if (worker.failures().empty()) return;
      const std::lock_guard lock(thread_failures_mutex);
      thread_failures.take(std::move(worker));
    };
    if (workers <= 1) {
      work();
    } else {
      std::vector<std::jthread> threads;
      try {
        for (unsigned w = 0; w < workers; ++w) threads.emplace_back(work);
      } catch (const std::system_error&) {
        work();  // a thread that cannot start (a limit on processes): this one takes documents too
      }
    }
    if (progress_ != nullptr) progress_->end();
    release_text();
    for (const auto& failures : failed) {
      for (const DiagnosticSink::Failure& failure : failures) sink_.fail(failure.source, failure.message);
    }
    sink_.take(std::move(thread_failures));
    const auto attachers = attachers_by_document(model);
    QuotaFindings quotas(*this, jobs);
    // Each document's parse lists its duplicate keys up to its own cap; a file of a million
    // documents (or copies of one) with one each keeps kKeptPerRule and counts the rest.
    std::map<SourceId, FindingBudget> duplicate_keys;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const std::size_t first = first_of[i];
      const Job& original = jobs[first];
      const std::int64_t shift = static_cast<std::int64_t>(jobs[i].document.span.begin) - original.document.span.begin;
      const std::vector<Diagnostic>& shared = found[first];
      const auto end = jobs[i].depth == Depth::full
                           ? shared.end()
                           : shared.begin() + static_cast<std::ptrdiff_t>(std::min(grammar_found[first], shared.size()));
      const auto report_copy = [&](const Diagnostic& diagnostic) {
        Diagnostic copy = diagnostic;
        if (i != first) {
          copy.document = jobs[i].document.pointer;
          rename_document(copy.message, original.document.pointer, jobs[i].document.pointer);
          move_into(copy.location, original.document, jobs[i].document.source, shift);
          for (RelatedLocation& related : copy.related) {
            move_into(related.location, original.document, jobs[i].document.source, shift);
          }
        }
        name_attachers(copy, attachers);
        if (jobs[i].aws_managed && copy.level != Level::note && judges_text_by_catalog(copy.rule)) {
          copy.level = Level::note;
          copy.message += "; the policy is AWS managed, so only AWS can change its text";
        }
        if (copy.rule == &rules::kDuplicateKey) {
          FindingBudget& of_file = duplicate_keys
                                       .try_emplace(
                                           copy.location.source, kKeptPerRule,
                                           +[](const RuleMeta& rule) { return &rule == &rules::kDuplicateKey; }, "file")
                                       .first->second;
          if (!of_file.admit(copy)) return;
        }
        sink_.report(std::move(copy));
      };
      // A document of another kind of the family is measured against its own size quota, and
      // one of AWS's own against none.
      const bool other_kind = jobs[i].kind != original.kind;
      const bool measured_apart = other_kind || jobs[i].aws_managed;
      for (const Diagnostic& diagnostic : std::ranges::subrange(shared.begin(), end)) {
        if (!measured_apart || diagnostic.rule != &rules::kPolicyTooLarge) report_copy(diagnostic);
      }
      if (other_kind && !jobs[i].aws_managed) {
        for (const Diagnostic& diagnostic : quotas.of(first, jobs[i].kind)) report_copy(diagnostic);
      }
    }
    for (auto& [source, of_file] : duplicate_keys) of_file.settle(sink_);
    // Per-principal checks, through the evaluator over the compiled documents.
    const auto key = [](const DocumentRef& document) {
      return (static_cast<std::uint64_t>(document.source) << 32) | document.span.begin;
    };
    std::unordered_map<std::uint64_t, std::size_t> job_at;
    for (std::size_t i = 0; i < jobs.size(); ++i) job_at.emplace(key(jobs[i].document), i);
    const DocumentLookup lookup = [&](const DocumentRef& document) {
      const auto it = job_at.find(key(document));
      if (it == job_at.end()) return CompiledDocument{};
      const std::size_t first = compiled_by[it->second];
      if (first == kNone) return CompiledDocument{};
      return CompiledDocument{
          compiled[first].get(),
          static_cast<std::int64_t>(document.span.begin) - static_cast<std::int64_t>(jobs[first].document.span.begin),
          document.source, document.pointer};
    };
    check_unusable_attachments(model, lookup);
    const BuiltinPolicyLookup builtin = glue::aws_managed_policy_lookup(catalog_);
    PolicyIndex index(model, lookup, builtin);
    index.resolve_all(cores);
    const std::vector<Standing> standings = check_principals(model, index, cores, sink_, progress_);
    // The steps through other principals (reach.h), a phase of its own in `--timings`.
    if (progress_ != nullptr) progress_->begin("chains", model.principals.size());
    check_reach(model, index, standings, sink_, cores);
    if (progress_ != nullptr) progress_->end();
    if (*after_) (*after_)(lookup);
  }

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  // The size-quota findings (POL010) of an analysed document's text for another kind of its
  // family, measured once per document and kind.
  class QuotaFindings {
   public:
    QuotaFindings(const ExportAnalysis& analysis, const std::vector<Job>& jobs) : analysis_(analysis), jobs_(jobs) {}

    const std::vector<Diagnostic>& of(std::size_t job, policy::Kind kind) {
      auto [it, fresh] = measured_.try_emplace({job, kind});
      if (!fresh) return it->second;
      const DocumentRef& document = jobs_[job].document;
      DiagnosticSink out;
      Emitter emit(out, document.source, document.pointer);
      policy::check_policy_text(analysis_.text_of(document), json::OffsetMap::shifted(document.span.begin), kind,
                                emit);
      // The other finding of the text's stage (characters) is the same for the whole family.
      for (const Diagnostic& diagnostic : out.unsorted()) {
        if (diagnostic.rule == &rules::kPolicyTooLarge) it->second.push_back(diagnostic);
      }
      return it->second;
    }

   private:
    const ExportAnalysis& analysis_;
    const std::vector<Job>& jobs_;
    std::map<std::pair<std::size_t, policy::Kind>, std::vector<Diagnostic>> measured_;
  };

  // Whether the per-principal checks evaluate a document: granting ones and trust policies.
  static bool evaluated(const Job& job) { return job.evaluated; }

  // A message that names where its document sits (`the URL-encoded policy in
  // \`Policies/0/...\``) names the copy's place instead.
  static void rename_document(std::string& message, std::string_view from, std::string_view to) {
    if (from.starts_with('/')) from.remove_prefix(1);
    if (to.starts_with('/')) to.remove_prefix(1);
    if (from.empty() || from == to) return;
    for (std::size_t at = message.find(from); at != std::string::npos; at = message.find(from, at + to.size())) {
      message.replace(at, from.size(), to);
    }
  }

  // Moves a location inside `document` to the copy of it in `source`, `shift` bytes away.
  static void move_into(Location& location, const DocumentRef& document, SourceId source, std::int64_t shift) {
    const Span span = location.span;
    if (location.source != document.source || span.begin < document.span.begin || span.end > document.span.end) {
      return;
    }
    location.source = source;
    location.span = Span{static_cast<std::uint32_t>(span.begin + shift), static_cast<std::uint32_t>(span.end + shift)};
  }

  // Checks one document; returns it compiled for the per-principal checks when it grants
  // permissions to a principal (a default version or an inline policy).
  // `grammar_found` is set to how many of the findings the grammar's stage made (they come
  // first), for the non-default versions of the same text; left alone when the document does
  // not reach the semantic stage (every finding is then the grammar's).
  std::unique_ptr<const eval::CompiledPolicy> analyse_one(const SourceFile& file, SourceId id, const Job& job,
                                                          json::Parser& worker_parser, DiagnosticSink& out,
                                                          std::size_t& grammar_found) const {
    Emitter emit(out, id, job.document.pointer);
    const Span span = job.document.span;
    std::optional<policy::Document> document;
    if (file.text()[span.begin] == '"') {
      const json::Node string_node{json::Type::string, span, {}, {}, {}};
      const input::PolicySlot slot{job.document.pointer, &string_node, job.kind, "get-account-authorization-details"};
      const auto embedded = input::parse_embedded(file.text(), slot, worker_parser, emit);
      if (!embedded) return nullptr;
      const std::string_view text(embedded->text.data(), embedded->text.size());
      document = analyse_grammar(embedded->root, text, embedded->map, job.kind, emit);
    } else {
      const std::string_view text = file.text().substr(span.begin, span.size());
      const auto map = json::OffsetMap::shifted(span.begin);
      const auto root = worker_parser.parse(text, map, emit, {}, json::ParseUnit::policy);
      if (root) document = analyse_grammar(*root, text, map, job.kind, emit);
    }
    grammar_found = out.unsorted().size();
    if (document && job.depth == Depth::full) analyse_semantics(*document, catalog_, emit);
    if (!document || !evaluated(job)) return nullptr;
    return eval::CompiledPolicy::compile(std::move(*document), id);
  }

  // For each managed policy's default document: where principals attach it.
  struct Attachers {
    SourceId source = 0;
    Span document;
    std::string arn;
    std::vector<RelatedLocation> where;
    std::size_t count = 0;
  };

  static std::vector<Attachers> attachers_by_document(const Export& model) {
    std::unordered_map<std::string_view, std::size_t> by_arn;
    std::vector<Attachers> out;
    for (const ManagedPolicy& policy : model.policies) {
      const PolicyVersion* version = policy.default_version();
      if (version == nullptr || !version->document.present) continue;
      if (policy.arn.empty()) continue;  // no policy's ARN (ACC001): no attachment names it
      by_arn.emplace(policy.arn, out.size());
      out.push_back(Attachers{version->document.source, version->document.span, policy.arn, {}, 0});
    }
    for (const Principal& principal : model.principals) {
      const auto note = [&](const Reference& reference, std::string_view how) {
        const auto it = by_arn.find(reference.target);
        if (it == by_arn.end()) return;
        Attachers& attachers = out[it->second];
        if (++attachers.count <= kMaxAttachersNamed) {
          attachers.where.push_back(
              RelatedLocation{Location{reference.source, reference.span},
                              fmt::format("{} by {} `{}`", how, kind_name(principal.kind),
                                          principal.arn.empty() ? principal.name : principal.arn)});
        }
      };
      for (const Reference& attached : principal.attached) note(attached, "attached");
      if (principal.boundary) note(*principal.boundary, "used as the permissions boundary");
    }
    std::ranges::sort(out, {}, [](const Attachers& a) { return std::pair(a.source, a.document.begin); });
    return out;
  }

  // A finding in a managed policy is reported once, naming the principals that attach it.
  static void name_attachers(Diagnostic& diagnostic, const std::vector<Attachers>& attachers) {
    const auto at = std::pair(diagnostic.location.source, diagnostic.location.span.begin);
    auto it = std::ranges::upper_bound(attachers, at, {},
                                       [](const Attachers& a) { return std::pair(a.source, a.document.begin); });
    if (it == attachers.begin()) return;
    --it;
    if (it->source != at.first || at.second >= it->document.end) return;
    for (const RelatedLocation& related : it->where) diagnostic.related.push_back(related);
    if (it->count > it->where.size()) {
      diagnostic.message +=
          fmt::format(" (`{}` is attached to {} principals; {} are named)", it->arn, it->count, it->where.size());
    }
  }

  const catalog::Catalog& catalog_;
  unsigned threads_;
  DiagnosticSink& sink_;
  std::vector<DocumentInfo>& documents_;
  Progress* progress_;
  const SourceLookup* files_ = nullptr;
  const AfterAnalysis* after_ = nullptr;
  std::vector<SourceId> sources_;  // the files the export's documents are in
};

}  // namespace

namespace {

// Why a page is of its account, for the ACC001 of an element that names another.
enum class Why : std::uint8_t { most, first_of_equals, continued };

std::string account_of_arn(std::string_view arn) {
  const auto fields = match::split_arn(arn);
  return fields && is_account_id((*fields)[3]) ? std::string((*fields)[3]) : std::string();
}

// A file's pages, joined by account: `cat a.json b.json` of two accounts' exports is two
// exports, since a user belongs only to groups of its own account. A page is of the account
// most of its account-bearing ARNs name (a tie goes to the first named), so that one mistyped
// ARN does not move a page's AWS managed policies and its `IsTruncated` to an account that
// does not exist. A page that follows one saying more is to come (`IsTruncated`, `Marker`)
// continues that page's account when the account its ARNs name is a near miss of it (a digit
// or two off): one mistyped ARN on a page that holds nothing else. An element whose own ARN
// names an account (a principal, a customer managed policy) goes there, the rest (AWS managed
// policies) with their page. Of the pages of one account, the last one in the file says
// whether the export goes on.
std::vector<std::pair<std::string, Export>> split_pages_by_account(Export file, const std::string& account_hint,
                                                                   SourceId id, DiagnosticSink& sink) {
  std::vector<std::uint32_t> starts;
  for (const Export::PageEnd& end : file.page_ends) starts.push_back(end.page_begin);
  const auto page_of = [&](std::uint32_t offset) {
    const auto after = std::ranges::upper_bound(starts, offset);
    return after == starts.begin() ? std::size_t{0} : static_cast<std::size_t>(after - starts.begin() - 1);
  };
  // Each page's count of ARNs by account, and the order the accounts first appear in.
  struct Votes {
    std::unordered_map<std::string, std::size_t> count;
    std::vector<std::string> order;
  };
  std::vector<Votes> votes(std::max<std::size_t>(starts.size(), 1));
  const auto vote = [&](std::uint32_t offset, const std::string& account) {
    if (account.empty()) return;
    Votes& of_page = votes[page_of(offset)];
    if (of_page.count[account]++ == 0) of_page.order.push_back(account);
  };
  // Each element's account: the one its own ARN names, none for an AWS managed policy (its
  // page's, below).
  std::vector<std::string> principal_account;
  std::vector<std::string> policy_account;
  for (const Principal& principal : file.principals) {
    principal_account.push_back(account_of_arn(principal.arn));
    vote(principal.arn_span.begin, principal_account.back());
  }
  for (const ManagedPolicy& policy : file.policies) {
    policy_account.push_back(account_of_arn(policy.arn));
    vote(policy.span.begin, policy_account.back());
  }
  const auto near_miss = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.size(); ++i) differ += a[i] != b[i] ? std::size_t{1} : std::size_t{0};
    return differ <= 2;
  };
  std::vector<std::string> page_account(votes.size());
  std::vector<Why> why(votes.size(), Why::most);
  for (std::size_t i = 0; i < votes.size(); ++i) {
    std::size_t most = 0;
    std::size_t equals = 0;
    for (const std::string& account : votes[i].order) {
      const std::size_t count = votes[i].count[account];
      if (count > most) {
        page_account[i] = account;
        most = count;
        equals = 1;
      } else if (count == most) {
        ++equals;
      }
    }
    why[i] = equals > 1 ? Why::first_of_equals : Why::most;
    const bool continues =
        i > 0 && !page_account[i - 1].empty() && (file.page_ends[i - 1].truncated || file.page_ends[i - 1].marker);
    if (continues && page_account[i] != page_account[i - 1] &&
        (page_account[i].empty() || near_miss(page_account[i], page_account[i - 1]))) {
      why[i] = page_account[i].empty() ? Why::most : Why::continued;
      page_account[i] = page_account[i - 1];
    }
  }
  // A page without an account's ARN goes with the page before it (the first, with the next
  // that has one, else the hint).
  for (std::size_t i = 1; i < page_account.size(); ++i) {
    if (page_account[i].empty()) page_account[i] = page_account[i - 1];
  }
  for (std::size_t i = page_account.size() - 1; i > 0; --i) {
    if (page_account[i - 1].empty()) page_account[i - 1] = page_account[i];
  }
  for (std::string& account : page_account) {
    if (account.empty()) account = account_hint;
  }
  std::vector<std::pair<std::string, Export>> out;
  std::unordered_map<std::string, std::size_t> index;  // of `out`, by account: a file may hold thousands
  const auto part = [&](const std::string& account) -> Export& {
    const auto [it, added] = index.try_emplace(account, out.size());
    return added ? out.emplace_back(account, Export{}).second : out[it->second].second;
  };
  // An element goes to the account its own ARN names, which in an export the AWS CLI wrote is
  // its page's: one that differs (a mistyped ARN, pages cut and joined by hand) is an ACC001.
  Emitter emit(sink, id);
  FindingBudget budget(kKeptPerRule, [](const RuleMeta& rule) { return &rule == &rules::kMalformedExport; });
  emit.limit(&budget);
  const auto settle = [&](std::string& own, std::string_view arn, std::uint32_t offset, std::string_view what,
                          const std::string& pointer, Span span) {
    const std::size_t page = page_of(offset);
    const std::string& of_page = page_account[page];
    if (own.empty()) {
      own = of_page;
      return;
    }
    if (own != of_page && !of_page.empty()) {
      emit.emit(
          rules::kMalformedExport, span, pointer + "/Arn",
          fmt::format(
              "{} `{}` names account `{}`, but its page {}: it is analysed as account `{}`'s", what,
              clip_long_name(arn), own,
              why[page] == Why::continued
                  ? fmt::format("follows one of account `{}`, a digit or two from it, that says more is to "
                                "come",
                                of_page)
              : why[page] == Why::first_of_equals
                  ? fmt::format("is of account `{}`, which as many ARNs on it name as any other, and first", of_page)
                  : fmt::format("is of account `{}`, which most ARNs on it name", of_page),
              own));
    }
  };
  const bool one_account = std::ranges::all_of(page_account, [&](const auto& a) { return a == page_account.front(); });
  for (std::size_t i = 0; i < file.principals.size(); ++i) {
    const Principal& principal = file.principals[i];
    settle(principal_account[i], principal.arn, principal.arn_span.begin, kind_name(principal.kind), principal.pointer,
           principal.arn_span);
  }
  for (std::size_t i = 0; i < file.policies.size(); ++i) {
    const ManagedPolicy& policy = file.policies[i];
    settle(policy_account[i], policy.arn, policy.span.begin, "managed policy", policy.pointer, policy.span);
  }
  budget.settle(sink);
  const auto same = [&](const std::string& account) { return account == page_account.front(); };
  if (one_account && std::ranges::all_of(principal_account, same) && std::ranges::all_of(policy_account, same)) {
    out.emplace_back(page_account.front(), std::move(file));
  } else {
    for (std::size_t i = 0; i < file.principals.size(); ++i) {
      part(principal_account[i]).principals.push_back(std::move(file.principals[i]));
    }
    for (std::size_t i = 0; i < file.policies.size(); ++i) {
      part(policy_account[i]).policies.push_back(std::move(file.policies[i]));
    }
    for (Export::PageEnd& end : file.page_ends) {
      part(page_account[page_of(end.page_begin)]).page_ends.push_back(std::move(end));
    }
  }
  // Of each account's pages in this file, the last one ends it; what reading skipped or where
  // it stopped, on any page, is kept.
  for (auto& [account, model] : out) {
    if (model.page_ends.size() < 2) continue;
    Export::PageEnd last = std::move(model.page_ends.back());
    for (std::size_t i = 0; i + 1 < model.page_ends.size(); ++i) {
      Export::PageEnd& earlier = model.page_ends[i];
      if (!last.unread_from) last.unread_from = earlier.unread_from;
      last.skipped.insert(last.skipped.end(), earlier.skipped.begin(), earlier.skipped.end());
    }
    model.page_ends.clear();
    model.page_ends.push_back(std::move(last));
  }
  return out;
}

}  // namespace

bool read_export(const SourceFile& file, SourceId id, DiagnosticSink& sink, Export& out, unsigned threads) {
  Emitter emit(sink, id);
  if (!looks_like_authorization_details(file.text())) {
    if (const auto wide = wide_encoding(file.text())) {
      emit.emit(rules::kMalformedExport, Span{0, 0}, "",
                fmt::format("this file is {} text, not UTF-8: the AWS CLI writes exports as UTF-8 JSON; convert it, "
                            "for example with `iconv -f {} -t UTF-8`, and scan it again",
                            wide->name, wide->iconv_name()));
      return false;
    }
    if (const auto because = not_an_export_because(file.text(), file.was_decompressed())) {
      emit.emit(rules::kMalformedExport, Span{0, 0}, "", *because);
      return false;
    }
    if (const auto quote = export_cut_in_first_key(file.text())) {
      emit.emit(rules::kInvalidJson,
                Span{static_cast<std::uint32_t>(*quote), static_cast<std::uint32_t>(file.text().size())}, "",
                "unexpected end of input inside the export's first key: the file is cut short (an interrupted "
                "download or copy?), and nothing in it is analysed; export it again");
      return false;
    }
    emit.emit(rules::kMalformedExport, Span{0, 0}, "",
              "this file is not `aws iam get-account-authorization-details` output (its first key is not "
              "`UserDetailList`, `GroupDetailList`, `RoleDetailList`, `Policies`, `IsTruncated` or `Marker`); "
              "use `grantlint check` for policy files");
    return false;
  }
  // A broken element is one ACC001: a million of them (`[1, 1, ...]`) are kept up to the budget
  // and the rest counted, not a million findings in memory. So are duplicate keys, which each
  // element's parse lists up to its own cap.
  FindingBudget budget(kKeptPerRule, [](const RuleMeta& rule) {
    return &rule == &rules::kMalformedExport || &rule == &rules::kDuplicateKey;
  });
  emit.limit(&budget);
  json::Parser parser;
  const bool holds_export =
      read_authorization_details(file, parser, emit, out, threads == 1 ? std::string::npos : kParseAheadFrom);
  budget.settle(sink);
  if (!holds_export) return false;
  std::vector<std::uint32_t> page_starts;
  for (const Export::PageEnd& end : out.page_ends) {
    if (end.source == id) page_starts.push_back(end.page_begin);
  }
  sink.note_pages(id, std::move(page_starts));
  return true;
}

void analyse_account(Export& model, const SourceLookup& files, const catalog::Catalog& catalog, unsigned threads,
                     DiagnosticSink& sink, std::vector<DocumentInfo>& documents, const AfterAnalysis& after,
                     Progress* progress) {
  settle_listed_again(model, files, sink);
  ExportAnalysis(catalog, threads, sink, documents, progress).analyse(model, files, after);
}

void analyse_export(const SourceFile& file, SourceId id, const catalog::Catalog& catalog, unsigned threads,
                    DiagnosticSink& sink, std::vector<DocumentInfo>& documents) {
  Export pages;
  if (!read_export(file, id, sink, pages, threads)) return;
  const SourceLookup files = [&](SourceId) -> const SourceFile& { return file; };
  for (auto& [account, model] : split_pages_by_account(std::move(pages), {}, id, sink)) {
    analyse_account(model, files, catalog, threads, sink, documents);
  }
}

struct Scanner::Impl {
  ScanOptions options;
  Progress* progress = nullptr;  // counts documents and principals as they are analysed
  SourceSet sources;
  DiagnosticSink sink;
  std::vector<DocumentInfo> documents;
  std::vector<ToolNotification> notifications;
  // Exports by account, in the order first seen: the pages of one account may come in
  // several files, and group names and references resolve within an account only.
  std::vector<std::pair<std::string, Export>> accounts;
  std::unordered_map<std::string, std::size_t> account_index;  // of `accounts`, by account
  std::vector<glue::Snapshot> snapshots;
  std::set<std::pair<dev_t, ino_t>> files_read;  // export files already read (device, inode)

  // A file whose pages name no account (only AWS managed policies, an empty last page) is pages
  // of the export read before it, as such a page in one file is of the page before it; before
  // any account's, of the next one read.
  std::string previous_account;
  Export accountless;

  static void move_into(Export& merged, Export& page) {
    std::ranges::move(page.principals, std::back_inserter(merged.principals));
    std::ranges::move(page.policies, std::back_inserter(merged.policies));
    std::ranges::move(page.page_ends, std::back_inserter(merged.page_ends));
    page = Export{};
  }

  // The partition of the ARNs of `account`'s principals (empty when it has none).
  std::string partition_of(const std::string& account) const {
    const auto it = account_index.find(account);
    if (it == account_index.end()) return "";
    for (const Principal& principal : accounts[it->second].second.principals) {
      const auto fields = match::split_arn(principal.arn);
      if (fields && is_partition((*fields)[0])) return std::string((*fields)[0]);
    }
    return "";
  }

  // Returns the accounts the file's pages are of.
  std::vector<std::string> read(SourceId id, const std::string& account_hint = {}) {
    std::vector<std::string> read_accounts;
    Export pages;
    if (!read_export(sources.get(id), id, sink, pages, options.threads)) return read_accounts;
    for (auto& [named, page] : split_pages_by_account(std::move(pages), account_hint, id, sink)) {
      const std::string& account = named.empty() ? previous_account : named;
      if (!account.empty() && std::ranges::find(read_accounts, account) == read_accounts.end()) {
        read_accounts.push_back(account);
      }
      if (account.empty()) {
        move_into(accountless, page);
        continue;
      }
      previous_account = account;
      auto it = account_index.find(account);
      if (it == account_index.end()) {
        it = account_index.emplace(account, accounts.size()).first;
        accounts.emplace_back(account, Export{});
      }
      Export& merged = accounts[it->second].second;
      move_into(merged, accountless);
      move_into(merged, page);
    }
    return read_accounts;
  }

  void analyse() {
    if (!accountless.page_ends.empty() || !accountless.principals.empty() || !accountless.policies.empty()) {
      accounts.emplace_back("", std::move(accountless));
      accountless = Export{};
    }
    previous_account.clear();
    const catalog::Catalog& catalog = options.catalog != nullptr ? *options.catalog : catalog::Catalog::builtin();
    const SourceLookup files = [&](SourceId id) -> const SourceFile& { return sources.get(id); };
    for (auto& [account, model] : accounts) {
      const AfterAnalysis glue_pack = [&](const DocumentLookup& compiled) {
        for (const glue::Snapshot& snapshot : snapshots) {
          if (snapshot.account != account) continue;
          glue_contained(snapshot, [&] { glue::analyse_snapshot(snapshot, model, compiled, files, catalog, sink); });
        }
      };
      analyse_account(model, files, catalog, options.threads, sink, documents, glue_pack, progress);
    }
    // Snapshots without an IAM export: the rules that need none still run.
    const Export empty;
    const DocumentLookup none = [](const DocumentRef&) { return CompiledDocument{}; };
    for (const glue::Snapshot& snapshot : snapshots) {
      const bool analysed = snapshot.account.empty()
                                ? std::ranges::any_of(accounts, [](const auto& entry) { return entry.first.empty(); })
                                : account_index.contains(snapshot.account);
      if (!analysed) {
        glue_contained(snapshot, [&] { glue::analyse_snapshot(snapshot, empty, none, files, catalog, sink); });
      }
    }
    accounts.clear();
    account_index.clear();
    snapshots.clear();
  }

  // The Glue pack on one snapshot, its failure reported against the snapshot's first file
  // (a snapshot without files has nothing that could fail).
  template <class Work>
  void glue_contained(const glue::Snapshot& snapshot, Work&& work) {
    if (!snapshot.first_file) return work();
    contained(
        sink, *snapshot.first_file,
        [&] { return fmt::format("the Glue settings of snapshot `{}`", snapshot.directory); },
        [&] {
          fault_point(snapshot.directory);
          work();
        });
  }
};

Scanner::Scanner(ScanOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = options; }
Scanner::~Scanner() = default;

void Scanner::set_progress(Progress* progress) { impl_->progress = progress; }

void Scanner::scan_file(const std::string& path, const std::string& display_path) {
  // The same file named twice (or through a symbolic link) is one export: read once, or every
  // finding and every principal would count twice.
  struct stat info {};
  if (stat(path.c_str(), &info) == 0 && !impl_->files_read.emplace(info.st_dev, info.st_ino).second) return;
  auto bytes = read_file_padded(path);
  if (!bytes) {
    impl_->notifications.push_back(ToolNotification{display_path, bytes.error().message});
    return;
  }
  if (!bytes->left_unread().empty())
    impl_->notifications.push_back(ToolNotification{display_path, bytes->left_unread(), false});
  const SourceId id = impl_->sources.add_padded(display_path, std::move(*bytes));
  contained(
      impl_->sink, id, [&] { return fmt::format("`{}`", display_path); },
      [&] {
        fault_point(display_path);
        impl_->read(id);
      });
}

void Scanner::scan_snapshot(const std::string& directory) {
  glue::Snapshot snapshot = glue::read_snapshot(directory, impl_->sources, impl_->sink, impl_->notifications);
  if (!snapshot.first_file) {
    impl_->notifications.push_back(ToolNotification{directory,
                                                    "the snapshot directory holds none of the files of "
                                                    "an account snapshot"});
    return;
  }
  std::string export_account, export_partition;
  if (snapshot.authorization_details) {
    const std::vector<std::string> read = impl_->read(*snapshot.authorization_details, snapshot.account);
    if (read.size() == 1) {
      export_account = read.front();
      export_partition = impl_->partition_of(export_account);
    }
    // The manifest's account (a digit off, a leading zero) is not its export's: the export's
    // is the snapshot's, or nothing of the pack would meet the export's roles and keys.
    if (!snapshot.account.empty() && read.size() == 1 && read.front() != snapshot.account) {
      Emitter(impl_->sink, *snapshot.first_file)
          .emit(
              rules::kMalformedExport, Span{0, 0}, "",
              fmt::format("snapshot `{}` says its account is `{}` (`manifest.json` or `sts/get-caller-identity.json`), "
                          "but its IAM export `{}` is of account `{}`: the export's account is used",
                          snapshot.directory, snapshot.account, glue::input_path(glue::Input::authorization_details),
                          read.front()));
    }
    // The same for the partition (`aws-cn` in the manifest, `arn:aws:` ARNs in the export).
    if (!export_partition.empty() && export_partition != snapshot.partition && snapshot.partition_named) {
      Emitter(impl_->sink, *snapshot.first_file)
          .emit(rules::kMalformedExport, Span{0, 0}, "",
                fmt::format("snapshot `{}` says its partition is `{}` (`manifest.json`), but the ARNs of its IAM "
                            "export `{}` are in partition `{}`: the export's is used",
                            snapshot.directory, snapshot.partition,
                            glue::input_path(glue::Input::authorization_details), export_partition));
    }
  }
  glue::settle_account(snapshot, export_account, export_partition, impl_->sink);
  impl_->snapshots.push_back(std::move(snapshot));
}

void Scanner::add_notification(ToolNotification notification) {
  impl_->notifications.push_back(std::move(notification));
}

CheckReport Scanner::finish() && {
  impl_->analyse();
  return make_report(std::move(impl_->sources), std::move(impl_->sink), std::move(impl_->documents),
                     std::move(impl_->notifications));
}

}  // namespace grantlint::account
