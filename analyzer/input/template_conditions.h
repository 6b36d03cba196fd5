// How a CloudFormation template's conditions relate. One defined as `Fn::Not`, `Fn::And` or
// `Fn::Or` of other conditions (`IsNotProd: !Not [!Condition IsProd]`) follows from them; the
// others (`Fn::Equals` of parameters) may go either way. A policy's forms vary the free
// conditions only, so that `IsProd` and `IsNotProd` are never both true.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "json/node.h"

namespace grantlint::input {

class TemplateConditions {
 public:
  // `conditions`: the template's `Conditions` map, or null.
  explicit TemplateConditions(const json::Node* conditions);

  // The free conditions that `names` are or follow from, in order, each once.
  [[nodiscard]] std::vector<std::string> free_conditions_of(const std::vector<std::string>& names) const;

  // The way each condition goes when the free ones in `taken_false` are false and the other
  // free ones true: an entry for each condition that follows from others, and for those of
  // `taken_false` (a condition without one is true).
  [[nodiscard]] std::map<std::string, bool> choice(const std::set<std::string>& taken_false) const;

  // The free conditions to take false for each condition of `path` to go its way, or nullopt
  // when no way of the free ones leads there (`IsProd` and `IsNotProd` both true).
  [[nodiscard]] std::optional<std::set<std::string>> leading_to(const std::map<std::string, bool>& path) const;

 private:
  struct Expression {
    enum class Kind { condition, negation, all, any } kind = Kind::condition;
    std::string name;  // for Kind::condition
    std::vector<Expression> parts;
  };
  static std::optional<Expression> composition(const json::Node& node, int depth);
  [[nodiscard]] bool value(const Expression& expression, const std::set<std::string>& taken_false, int depth) const;
  [[nodiscard]] bool value_of(const std::string& name, const std::set<std::string>& taken_false, int depth) const;
  void free_of(const std::string& name, std::vector<std::string>& out, std::set<std::string>& seen, int depth) const;

  std::map<std::string, Expression> derived_;  // the conditions that follow from others
};

}  // namespace grantlint::input
