#include "eval/tri.h"

namespace grantlint::eval {

struct Tri::Node {
  const Atom* atom = nullptr;
  std::vector<Tri> operands;
};

Tri Tri::atom(const Atom* atom) {
  auto node = std::make_shared<Node>();
  node->atom = atom;
  return Tri(Op::atom, std::move(node));
}

const Atom* Tri::atom_ref() const { return node_ ? node_->atom : nullptr; }

const std::vector<Tri>& Tri::operands() const {
  static const std::vector<Tri> kNone;
  return node_ ? node_->operands : kNone;
}

Tri Tri::combine(Op op, const Tri& a, const Tri& b) {
  auto node = std::make_shared<Node>();
  for (const Tri* side : {&a, &b}) {
    if (side->op_ == op) {
      node->operands.insert(node->operands.end(), side->operands().begin(), side->operands().end());
    } else {
      node->operands.push_back(*side);
    }
  }
  return Tri(op, std::move(node));
}

Tri operator&&(const Tri& a, const Tri& b) {
  if (a.is_false() || b.is_true()) return a;
  if (b.is_false() || a.is_true()) return b;
  return Tri::combine(Tri::Op::all, a, b);
}

Tri operator||(const Tri& a, const Tri& b) {
  if (a.is_true() || b.is_false()) return a;
  if (b.is_true() || a.is_false()) return b;
  return Tri::combine(Tri::Op::any, a, b);
}

Tri& Tri::combine_in_place(Op op, const Tri& b) {
  if (op_ != op || node_.use_count() != 1) return *this = combine(op, *this, b);
  if (b.op_ == op) {
    const std::vector<Tri> more = b.operands();  // copied first: `b` may share nothing with us, or be us
    node_->operands.insert(node_->operands.end(), more.begin(), more.end());
  } else {
    node_->operands.push_back(b);
  }
  return *this;
}

Tri& Tri::operator&=(const Tri& b) {
  if (is_false() || b.is_true()) return *this;
  if (b.is_false() || is_true()) return *this = b;
  return combine_in_place(Op::all, b);
}

Tri& Tri::operator|=(const Tri& b) {
  if (is_true() || b.is_false()) return *this;
  if (b.is_true() || is_false()) return *this = b;
  return combine_in_place(Op::any, b);
}

Tri operator!(const Tri& a) {
  if (a.is_true()) return Tri::no();
  if (a.is_false()) return Tri::yes();
  if (a.op_ == Tri::Op::negate) return a.operands().front();
  auto node = std::make_shared<Tri::Node>();
  node->operands.push_back(a);
  return Tri(Tri::Op::negate, std::move(node));
}

}  // namespace grantlint::eval
