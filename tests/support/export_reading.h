// What reading an account export gives, its findings and its model, as text: two readings
// (with and without elements parsed ahead on another thread) compare whole. Used by the unit
// tests and fuzz_scan.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "account/authz_details.h"
#include "account/model.h"
#include "diag/emitter.h"
#include "json/parse.h"
#include "source/source_file.h"

namespace grantlint::testing {

inline std::string read_export_as_text(std::string_view text, std::size_t parse_ahead_from) {
  const SourceFile file("export.json", text);
  DiagnosticSink sink;
  Emitter emit(sink, 0);
  FindingBudget budget(100, [](const RuleMeta&) { return true; });
  emit.limit(&budget);
  json::Parser parser;
  account::Export out;
  const bool holds = account::read_authorization_details(file, parser, emit, out, parse_ahead_from);
  budget.settle(sink);
  std::string said = fmt::format("holds {}\n", holds);
  for (const Diagnostic& d : sink.unsorted()) {
    said += fmt::format("{} {}-{} {} {} {}\n", d.rule->id, d.location.span.begin, d.location.span.end, d.pointer,
                        d.message, d.related.size());
  }
  const auto document = [](const account::DocumentRef& ref) {
    return fmt::format("[{} {}-{} {}]", ref.present, ref.span.begin, ref.span.end, ref.pointer);
  };
  for (const account::Principal& p : out.principals) {
    said += fmt::format("principal {} {} {} {}-{} {} {}", static_cast<int>(p.kind), p.name, p.arn, p.arn_span.begin,
                        p.arn_span.end, p.pointer, document(p.trust));
    for (const account::InlinePolicy& policy : p.inline_policies) said += " " + policy.name + document(policy.document);
    for (const account::Reference& r : p.attached) said += " attached " + r.target + " " + r.pointer;
    for (const account::Reference& r : p.groups) said += " group " + r.target + " " + r.pointer;
    if (p.boundary) said += " boundary " + p.boundary->target;
    said += "\n";
  }
  for (const account::ManagedPolicy& policy : out.policies) {
    said += fmt::format("policy {} {}", policy.arn, policy.pointer);
    for (const account::PolicyVersion& version : policy.versions) said += " " + version.id + document(version.document);
    said += "\n";
  }
  for (const account::Export::PageEnd& end : out.page_ends) {
    said += fmt::format("page {} {} skipped {}\n", end.page_begin, end.truncated.has_value(), end.skipped.size());
  }
  return said;
}

}  // namespace grantlint::testing
