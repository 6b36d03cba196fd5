#include "engine/listing_cap.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "diag/emitter.h"
#include "rules/registry.h"

using namespace grantlint;

namespace {

Diagnostic finding(const RuleMeta& rule, std::uint32_t at, std::string document = "") {
  Diagnostic d;
  d.rule = &rule;
  d.level = rule.level();
  d.message = "unknown element";
  d.location = Location{0, Span{at, at + 1}};
  d.document = std::move(document);
  d.related.push_back(RelatedLocation{Location{0, Span{0, 1}}, "here"});
  return d;
}

std::size_t count(const std::vector<Diagnostic>& found, const RuleMeta& rule, const std::string& document) {
  std::size_t n = 0;
  for (const Diagnostic& d : found) if (d.rule == &rule && d.document == document) ++n;
  return n;
}

}  // namespace

TEST_CASE("a rule's findings in one document are listed up to the cap, then counted") {
  std::vector<Diagnostic> found;
  for (std::uint32_t i = 0; i < kListedPerRule + 500; ++i) found.push_back(finding(rules::kUnknownElement, i));
  for (std::uint32_t i = 0; i < 10; ++i) found.push_back(finding(rules::kUnknownElement, i, "/Policies/0"));
  cap_per_document(found);
  REQUIRE(count(found, rules::kUnknownElement, "") == kListedPerRule + 1);
  REQUIRE(count(found, rules::kUnknownElement, "/Policies/0") == 10);
  const Diagnostic& summary = found[kListedPerRule];
  CHECK(summary.location.span.begin == kListedPerRule);  // at the first left out
  CHECK(summary.message == "500 more `POL007` findings in this file are not listed (1000 are); this is the first of them");
  CHECK(summary.related.empty());
}

TEST_CASE("findings about principals and rules that cap themselves are all listed") {
  std::vector<Diagnostic> found;
  for (std::uint32_t i = 0; i < kListedPerRule + 5; ++i) found.push_back(finding(rules::kDuplicateKey, i));
  for (std::uint32_t i = 0; i < kListedPerRule + 5; ++i) found.push_back(finding(rules::kEffectiveAdministrator, i));
  cap_per_document(found);
  CHECK(found.size() == 2 * (kListedPerRule + 5));
}

TEST_CASE("at the cap, nothing changes") {
  std::vector<Diagnostic> found;
  for (std::uint32_t i = 0; i < kListedPerRule; ++i) found.push_back(finding(rules::kUnknownElement, i));
  cap_per_document(found);
  CHECK(found.size() == kListedPerRule);
  CHECK(found.back().message == "unknown element");
}

TEST_CASE("pages of one file are documents of their own, numbered by the sink") {
  DiagnosticSink sink;
  sink.note_pages(0, {0, 5000});
  for (std::uint32_t i = 0; i < kListedPerRule; ++i)
    sink.report(finding(rules::kUnknownElement, 10 + i, "/Policies/0"));
  for (std::uint32_t i = 0; i < kListedPerRule; ++i) {
    sink.report(finding(rules::kUnknownElement, 5010 + i, "/Policies/0"));
  }
  CHECK(sink.page_at(0, 4999) == 1);
  CHECK(sink.page_at(0, 5000) == 2);
  CHECK(sink.page_at(1, 5000) == 0);  // a file without pages
  std::vector<Diagnostic> found = std::move(sink).sorted({"export.json"});
  cap_per_document(found);
  REQUIRE(found.size() == 2 * kListedPerRule);
  CHECK(found.front().page == 1);
  CHECK(found.back().page == 2);
  CHECK(found.back().message == "unknown element");
}

TEST_CASE("a file of one page notes none") {
  DiagnosticSink sink;
  sink.note_pages(0, {0});
  sink.report(finding(rules::kUnknownElement, 3));
  CHECK(std::move(sink).sorted({"p.json"}).front().page == 0);
}

TEST_CASE("a budget keeps a rule's first findings and one that stands for the rest, which the cap counts") {
  DiagnosticSink sink;
  FindingBudget budget(kKeptPerRule, capped);
  for (std::uint32_t i = 0; i < kKeptPerRule + 2500; ++i) {
    Diagnostic d = finding(rules::kUnknownElement, i);
    if (budget.admit(d)) sink.report(std::move(d));
  }
  for (std::uint32_t i = 0; i < kKeptPerRule + 5; ++i) {
    Diagnostic d = finding(rules::kEffectiveAdministrator, i);
    REQUIRE(budget.admit(d));  // findings about principals are all kept
    sink.report(std::move(d));
  }
  budget.settle(sink);
  std::vector<Diagnostic> found = sink.unsorted();
  REQUIRE(count(found, rules::kUnknownElement, "") == kKeptPerRule + 1);
  const Diagnostic held = found.back();             // settled last
  CHECK(held.location.span.begin == kKeptPerRule);  // the first left out
  CHECK(held.stands_for == 2500);
  CHECK(held.message ==
        "2500 more `POL007` findings in this file are not kept (the first 10000 are); this is the first of them");
  // Listed: the first 1,000, and one that counts all the others, kept or not.
  cap_per_document(found);
  REQUIRE(count(found, rules::kUnknownElement, "") == kListedPerRule + 1);
  CHECK(found[kListedPerRule].message ==
        "11500 more `POL007` findings in this file are not listed (1000 are); this is the first of them");
  // With most kept ones hidden (a baseline), the one standing for those not kept still counts them.
  std::vector<Diagnostic> few{finding(rules::kUnknownElement, 1), held};
  cap_per_document(few);
  REQUIRE(few.size() == 2);
  CHECK(few[1].message == "2500 more `POL007` findings in this file are not listed (1 are); this is the first of them");
}
