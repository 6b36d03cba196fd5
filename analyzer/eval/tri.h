// Three-valued answers for static analysis: a condition on a context key the caller marked
// unknown is neither true nor false but an atom, and what depends on it is a formula over
// such atoms ("allowed if these conditions hold"). Known answers stay constants and never
// allocate, so a fully known request costs no more than a two-valued evaluator.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace grantlint::eval {

struct Atom;  // a condition entry or resource pattern of one statement (compiled.h)

class Tri {
 public:
  enum class Op : std::uint8_t { truth, falsity, atom, all, any, negate };

  static Tri yes() { return Tri(Op::truth); }
  static Tri no() { return Tri(Op::falsity); }
  static Tri of(bool value) { return value ? yes() : no(); }
  static Tri atom(const Atom* atom);

  [[nodiscard]] bool is_true() const { return op_ == Op::truth; }
  [[nodiscard]] bool is_false() const { return op_ == Op::falsity; }
  [[nodiscard]] bool known() const { return is_true() || is_false(); }
  [[nodiscard]] Op op() const { return op_; }
  [[nodiscard]] const Atom* atom_ref() const;
  [[nodiscard]] const std::vector<Tri>& operands() const;

  // Simplifying connectives: constants absorb, nested connectives of one kind flatten,
  // double negation cancels.
  friend Tri operator&&(const Tri& a, const Tri& b);
  friend Tri operator||(const Tri& a, const Tri& b);
  friend Tri operator!(const Tri& a);
  // In place: appends to this formula's own operand list when no other Tri shares it, so
  // folding many statements into one answer stays linear.
  Tri& operator&=(const Tri& b);
  Tri& operator|=(const Tri& b);

 private:
  struct Node;
  explicit Tri(Op op) : op_(op) {}
  Tri(Op op, std::shared_ptr<Node> node) : op_(op), node_(std::move(node)) {}
  static Tri combine(Op op, const Tri& a, const Tri& b);
  Tri& combine_in_place(Op op, const Tri& b);

  Op op_;
  std::shared_ptr<Node> node_;  // null for constants; never changed once shared
};

}  // namespace grantlint::eval
