// The request context: condition keys (case-insensitive names) with one value or a set of
// values, and the keys whose values the caller does not know (three-valued mode).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/string_map.h"
#include "match/glob.h"

namespace grantlint::eval {

struct ContextValue {
  std::vector<std::string> values;
  bool multi = false;  // given as a set (a JSON array), even of one element
};

// What matching a text against a pattern costs against a request's budget (Context): one unit,
// about what comparing two short values takes, and one more per 16 words the matcher may read at
// worst (a wildcard pattern against a text is O(|t|·⌈|p|/64⌉) words, pattern.h). A pair of
// 10-byte values costs 1, of 1 KB ones 1,001.
inline std::uint64_t matching_units(std::size_t text, std::size_t pattern) {
  return 1 + static_cast<std::uint64_t>(text) * ((pattern + 63) / 64) / 16;
}

// Whether no request carries `key` (any case): one without a `service:` prefix (`account`,
// `:x`) or a CloudFormation pseudo parameter (`AWS::AccountId`, left outside `Fn::Sub`). Such
// a key is absent from every request, never unknown.
bool no_request_carries(std::string_view key);

class Context {
 public:
  // Replaces any earlier value of the key.
  void set(std::string_view key, ContextValue value);
  void set(std::string_view key, std::string value) { set(key, ContextValue{{std::move(value)}, false}); }
  // Sets the key only when neither a value nor an unknown-pattern covers it already.
  void set_default(std::string_view key, std::string value);
  // From now on set_default sets keys the unknown-patterns cover too: a scan that marks
  // every key unknown still knows who the caller is.
  void keep_derived_keys() { derived_over_unknown_ = true; }
  // Keys matching `pattern` (`*` and `?`, without regard to case) are unknown unless set.
  void mark_unknown(std::string_view pattern);
  // How many of the unknown-patterns hold a wildcard: each is tried on every key looked up,
  // where a plain key name is one lookup.
  [[nodiscard]] std::size_t unknown_wildcards() const { return unknown_.size(); }
  // Drops the key's value: an unknown-pattern that covers it makes it unknown again.
  void forget(std::string_view key);
  // The request does not carry the key, whatever unknown-pattern covers it (`kms:ViaService`
  // on a direct call to KMS).
  void mark_absent(std::string_view key);

  // `lower_key` must be lower case.
  [[nodiscard]] const ContextValue* find(std::string_view lower_key) const;
  [[nodiscard]] bool is_unknown(std::string_view lower_key) const;

  // A budget of work comparing request values with condition values one by one (0: none, the
  // default), in units the evaluator charges per comparison by the bytes it may read.
  // `ForAnyValue:StringLike` over 100,000 request values and 20,000 patterns is 2e9 comparisons
  // (hostile h48 H5), 81 million of 1 KB values as long (h49 H1). Past it a comparison matches
  // nothing and budget_spent() says so: the caller reports the request undecided rather than
  // trust the decision.
  void set_comparison_budget(std::uint64_t budget) { comparison_budget_ = budget; }
  // Counts a comparison of `units`; false once the budget is spent.
  bool charge_comparison(std::uint64_t units) const {
    if (comparison_budget_ == 0) return true;
    if (comparisons_ >= comparison_budget_ || units > comparison_budget_ - comparisons_) {
      comparisons_ = comparison_budget_;
      budget_spent_ = true;
      return false;
    }
    comparisons_ += units;
    return true;
  }
  [[nodiscard]] bool budget_spent() const { return budget_spent_; }
  // The units charged so far (counted only under a budget).
  [[nodiscard]] std::uint64_t comparisons() const { return comparisons_; }

 private:
  StringMap<ContextValue> values_;
  bool derived_over_unknown_ = false;
  std::vector<match::Glob> unknown_;  // the patterns with a wildcard
  StringSet unknown_keys_;            // the others, lower case
  StringSet absent_;                  // lower case
  std::uint64_t comparison_budget_ = 0;
  mutable std::uint64_t comparisons_ = 0;  // counted by the evaluator, which sees the context const
  mutable bool budget_spent_ = false;
};

}  // namespace grantlint::eval
