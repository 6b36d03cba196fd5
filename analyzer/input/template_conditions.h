// How a CloudFormation template's conditions relate. One defined as `Fn::Not`, `Fn::And` or
// `Fn::Or` of other conditions (`IsNotProd: !Not [!Condition IsProd]`) follows from them; the
// others (`Fn::Equals` of parameters) may go either way. A policy's forms vary the free
// conditions only, so that `IsProd` and `IsNotProd` are never both true. A parameter takes one
// value, one of its `AllowedValues` when it lists them.
#pragma once

#include <algorithm>
#include <bit>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "json/node.h"

namespace grantlint::input {

// The `AllowedValues` of a template parameter (a `Parameters` entry's value) that takes one of
// them: a `String` or `Number` one whose list holds constants only. Null for any other (lists
// and SSM parameters are not bounded by the list).
const json::Node* allowed_values(const json::Node& parameter);

class TemplateConditions {
 public:
  // `conditions`: the template's `Conditions` map, or null; `parameters` its `Parameters`.
  explicit TemplateConditions(const json::Node* conditions, const json::Node* parameters = nullptr);

  // The conditions some names are or follow from: the free ones in the order first met, and
  // the others ordered so that each comes after those it follows from.
  struct Closure {
    std::vector<std::string> free;
    std::vector<std::string> derived;
  };
  [[nodiscard]] Closure closure_of(const std::vector<std::string>& names) const;

  // The conditions on a cycle (`A: !Not [!Condition A]`), which CloudFormation refuses; each
  // is taken as free.
  [[nodiscard]] const std::set<std::string>& on_cycle() const { return on_cycle_; }

  // A way the conditions go: the free ones in `taken_false` false, the others true, and those
  // in `forced` as it says whatever they follow from.
  struct Way {
    std::set<std::string> taken_false;
    std::map<std::string, bool> forced;
    friend auto operator<=>(const Way&, const Way&) = default;
  };

  // How each derived condition of `closure` goes in `way`, with an entry for each condition
  // `way` takes false or forces too (a condition without an entry is true).
  [[nodiscard]] std::map<std::string, bool> choice(const Closure& closure, const Way& way) const;

  // closure_of(names).free, kept: a template's policies ask for the same names again and
  // again, and a closure may be thousands of conditions long.
  [[nodiscard]] const std::vector<std::string>& free_of(const std::vector<std::string>& names) const;
  // How each of `names` goes in `way`, as choice() has it. The derived conditions' values are
  // kept per way, so that each is evaluated once per way whatever the policies that ask.
  [[nodiscard]] std::map<std::string, bool> values(const std::vector<std::string>& names, const Way& way) const;

  // `way` as a deployment may have it: a parameter takes one value, so of the comparisons of
  // one value with different constants (`Env = prod`, `Env = dev`) among the free conditions
  // `free` (a closure's) at most one holds. One forced true (as leading_to marks those a branch
  // needs) holds, else the first in `free`'s order that `way` leaves true; the others are taken
  // false, and the marks dropped. With `AllowedValues`, a comparison with a value the
  // parameter does not allow never holds, and when the comparisons name every allowed value,
  // one of them holds (the first that `way` does not force false).
  [[nodiscard]] Way settled(const std::vector<std::string>& free, Way way) const;

  // A way under which each condition of `path` goes its way, or nullopt when no way of the
  // free conditions leads there (`IsProd` and `IsNotProd` both true; `Env = prod` and
  // `Env = dev` both true). The comparisons it leaves true are forced true, so that settled
  // keeps them. Past kMaxSearched free conditions, or once the template's searches have taken
  // kSearchBudget evaluations of conditions, none is searched for: each condition of `path` is
  // forced as it asks (a branch no deployment reaches may then be analysed). A path asked
  // again is answered as the first time.
  [[nodiscard]] std::optional<Way> leading_to(const std::map<std::string, bool>& path) const;

  // Steps settled() and values() may take for a template in all: a call over n names costs
  // n·log2(n) (sets and maps of names). 4,000 comparisons of one parameter, each tried false
  // alone, were 4,000 ways of 4,000 names and took 42 s (h45); they now spend it in about
  // 2.5 s, and 16,000 in about 5 s, while 90 policies each varied every way of ten Region
  // comparisons take 27,000,000 steps. Past it, vary_budget_spent(): a policy keeps the forms
  // found so far, and the template says so.
  static constexpr std::size_t kVaryBudget = 64'000'000;
  [[nodiscard]] bool vary_budget_spent() const { return vary_left_ == 0; }

  // Evaluations of conditions a template's searches may take in all.
  static constexpr std::size_t kSearchBudget = 1'000'000;
  // Whether a search was given up for the budget (said once per template, TPL003).
  [[nodiscard]] bool searches_cut_short() const { return searches_cut_short_; }

 private:
  struct Expression {
    enum class Kind { condition, negation, all, any } kind = Kind::condition;
    std::string name;  // for Kind::condition
    std::vector<Expression> parts;
    int derived = -1;  // for Kind::condition: the index of the derived condition `name` is; -1 for a free one
  };
  // An `Fn::Equals` of a value (`!Ref Env`) with a constant (`prod`), each in canonical text.
  struct Comparison {
    std::string subject;
    std::string constant;
  };
  using Comparisons = std::map<std::string, Comparison>;  // by the name of its condition
  static std::optional<Expression> composition(const json::Node& node, int depth, Comparisons& comparisons);
  [[nodiscard]] std::optional<Way> search(const std::map<std::string, bool>& path) const;
  static void references_of(const Expression& expression, std::vector<std::string>& out);
  void read_allowed_values(const json::Node& parameters);
  // An expression's value, `known(name)` giving each condition's it names.
  template <class Known>
  static bool value(const Expression& expression, const Known& known);

  // The conditions that follow from others, with the names they refer to. A condition on a
  // cycle (which CloudFormation refuses) is taken as free, so that none is left.
  struct Derived {
    Expression expression;
    std::vector<std::string> references;
    std::size_t index = 0;                        // in by_index_
    std::vector<std::size_t> derived_references;  // the indices of the derived ones among `references`
  };
  std::map<std::string, Derived> derived_;
  std::vector<const Derived*> by_index_;
  void index_derived();
  std::set<std::string> on_cycle_;
  Comparisons comparisons_;
  // The constants (in canonical text) each parameter's `AllowedValues` lists, by the canonical
  // text of `!Ref` of it.
  std::map<std::string, std::set<std::string>> allowed_;
  // Evaluations of conditions the searches of leading_to may still take: each search tries up
  // to 2^kMaxSearched ways, each evaluating every condition of its closure, and a template may
  // ask for hundreds of branches behind hundreds of derived conditions.
  mutable std::size_t search_left_ = kSearchBudget;
  mutable std::size_t vary_left_ = kVaryBudget;
  void charge(std::size_t names) const {
    const std::size_t steps = names * static_cast<std::size_t>(std::bit_width(names) + 1);
    vary_left_ -= std::min(vary_left_, steps);
  }
  mutable bool searches_cut_short_ = false;
  mutable std::map<std::map<std::string, bool>, std::optional<Way>> searched_;
  // What free_of and values keep, each emptied when it grows past kMaxKept entries.
  static constexpr std::size_t kMaxKept = 1'000'000;
  // Bytes of values kept: one a derived condition per way, and about 64 a name of the way's.
  static constexpr std::size_t kMaxDerivedKept = std::size_t{64} << 20;
  mutable std::map<std::vector<std::string>, std::vector<std::string>> free_kept_;
  // The free conditions each derived one follows from, in closure_of's order.
  [[nodiscard]] const std::vector<std::string>* free_list(const std::string& name) const;
  mutable std::map<std::string, std::vector<std::string>, std::less<>> free_lists_;
  mutable std::size_t free_lists_size_ = 0;
  mutable std::size_t free_kept_size_ = 0;
  struct WayHash {
    std::size_t operator()(const Way& way) const;
  };
  // By way, each derived condition's value by index: kUnknown until evaluated (a forced one is
  // set when the way is first met).
  static constexpr std::int8_t kUnknown = -1;
  mutable std::unordered_map<Way, std::vector<std::int8_t>, WayHash> derived_kept_;
  mutable std::size_t derived_kept_size_ = 0;
  mutable std::size_t derived_evaluations_ = 0;  // every evaluation of a derived condition, for search's budget
};

}  // namespace grantlint::input
