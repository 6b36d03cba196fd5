#include "input/template_conditions.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

namespace grantlint::input {

namespace {

using json::Node;
using json::Type;

// One definition nested deeper than this (`!Not [!Not [...]]`) is taken as free.
constexpr int kMaxDepth = 64;

// Past this many free conditions behind one branch, a way to it is not searched for (each
// search tries every way of them).
constexpr std::size_t kMaxSearched = 10;

}  // namespace

TemplateConditions::TemplateConditions(const Node* conditions, const Node* parameters) {
  if (conditions == nullptr || !conditions->is(Type::object)) return;
  if (parameters != nullptr && parameters->is(Type::object)) read_allowed_values(*parameters);
  for (const json::Member& condition : conditions->members) {
    // `Other: !Condition Base` alone is an alias; it follows from Base like the rest.
    auto expression = composition(condition.value, 0, comparisons_);
    if (!expression) continue;
    Derived derived{std::move(*expression), {}, 0, {}};
    references_of(derived.expression, derived.references);
    derived_.try_emplace(condition.key, std::move(derived));
  }
  // Each condition a reference leads back to while its own references are being walked is on
  // a cycle: taken as free, it ends every cycle through it. Walked without recursion, since a
  // chain of conditions may be thousands long.
  enum class Mark { walking, done };
  std::map<std::string_view, Mark> marks;
  std::set<std::string> on_cycle;  // copied to on_cycle_ once the walk, which views names, is done
  for (const auto& [start, ignored] : derived_) {
    if (marks.contains(start)) continue;
    std::vector<std::pair<std::string_view, std::size_t>> stack{{start, 0}};
    marks.emplace(start, Mark::walking);
    while (!stack.empty()) {
      auto& [name, next] = stack.back();
      const std::vector<std::string>& references = derived_.at(std::string(name)).references;
      if (next == references.size()) {
        marks[name] = Mark::done;
        stack.pop_back();
        continue;
      }
      const std::string& reference = references[next++];
      if (!derived_.contains(reference)) continue;
      const auto [mark, fresh] = marks.try_emplace(reference, Mark::walking);
      if (fresh) {
        stack.emplace_back(mark->first, 0);
      } else if (mark->second == Mark::walking) {
        on_cycle.insert(reference);
      }
    }
  }
  for (const std::string& name : on_cycle) derived_.erase(name);
  on_cycle_ = std::move(on_cycle);
  index_derived();
}

// Numbers the derived conditions, so that values() reads and keeps them by index rather than
// by name (a chain of thousands is evaluated once per way, name lookups were most of the time).
void TemplateConditions::index_derived() {
  for (auto& [name, derived] : derived_) {
    derived.index = by_index_.size();
    by_index_.push_back(&derived);
  }
  // Nested at most kMaxDepth deep (composition): recursion is bounded.
  const auto mark = [&](auto& self, Expression& expression) -> void {
    if (expression.kind == Expression::Kind::condition) {
      const auto it = derived_.find(expression.name);
      expression.derived = it == derived_.end() ? -1 : static_cast<int>(it->second.index);
      return;
    }
    for (Expression& part : expression.parts) self(self, part);
  };
  for (auto& [name, derived] : derived_) {
    mark(mark, derived.expression);
    for (const std::string& reference : derived.references) {
      if (const auto it = derived_.find(reference); it != derived_.end()) {
        derived.derived_references.push_back(it->second.index);
      }
    }
  }
}

namespace {

bool is_constant(const Node& node) {
  return node.is(Type::string) || node.is(Type::number) || node.is(Type::boolean);
}

// `node` written out so that two equal values read the same (the keys of a map in order). A
// constant is its text, whatever its type: `Fn::Equals` compares strings, so `1` is `"1"`.
void canonical(const Node& node, std::string& out, int depth) {
  if (depth > kMaxDepth) return;
  out += is_constant(node) ? 'c' : static_cast<char>('0' + static_cast<int>(node.type));
  out += node.text;
  for (const Node& item : node.items) {
    out += '[';
    canonical(item, out, depth + 1);
    out += ']';
  }
  std::vector<const json::Member*> members;
  for (const json::Member& member : node.members) members.push_back(&member);
  std::ranges::sort(members, {}, &json::Member::key);
  for (const json::Member* member : members) {
    out += '{';
    out += member->key;
    out += ':';
    canonical(member->value, out, depth + 1);
    out += '}';
  }
}

}  // namespace

// A `String` or `Number` parameter that lists `AllowedValues` takes one of them. Other types
// (lists, SSM parameters) are compared as their value, which the list does not bound.
const Node* allowed_values(const Node& parameter) {
  const Node* type = parameter.find("Type");
  const Node* allowed = parameter.find("AllowedValues");
  if (type == nullptr || !type->is(Type::string) || (type->text != "String" && type->text != "Number") ||
      allowed == nullptr || !allowed->is(Type::array) || allowed->items.empty() ||
      !std::ranges::all_of(allowed->items, is_constant)) {
    return nullptr;
  }
  return allowed;
}

void TemplateConditions::read_allowed_values(const Node& parameters) {
  for (const json::Member* parameter : parameters.first_members()) {
    const Node* allowed = allowed_values(parameter->value);
    if (allowed == nullptr) continue;
    Node reference{Type::object, {}, {}, {}, {}};
    reference.members.push_back(json::Member{"Ref", {}, Node{Type::string, {}, parameter->key, {}, {}}});
    std::string subject;
    canonical(reference, subject, 0);
    std::set<std::string>& values = allowed_[subject];
    for (const Node& value : allowed->items) {
      std::string constant;
      canonical(value, constant, 0);
      values.insert(std::move(constant));
    }
  }
}

// `node` as `Fn::Not`, `Fn::And`, `Fn::Or` of `{Condition: name}`s and `Fn::Equals`, or
// nullopt when it holds anything else (then the condition is free). Each comparison is a free
// condition of its own, named by what it compares, so that `IsProd: !Equals [!Ref Env, prod]`
// and `IsNotProd: !Not [!Equals [!Ref Env, prod]]` go opposite ways; one of a value with a
// constant is kept in `comparisons`.
std::optional<TemplateConditions::Expression> TemplateConditions::composition(const Node& node, int depth,
                                                                              Comparisons& comparisons) {
  if (depth > kMaxDepth || !node.is(Type::object) || node.members.size() != 1) return std::nullopt;
  const json::Member& only = node.members.front();
  if (only.key == "Condition") {
    if (!only.value.is(Type::string)) return std::nullopt;
    return Expression{Expression::Kind::condition, only.value.text, {}};
  }
  if (only.key == "Fn::Equals") {
    if (!only.value.is(Type::array) || only.value.items.size() != 2) return std::nullopt;
    std::string sides[2];
    for (std::size_t i = 0; i < 2; ++i) canonical(only.value.items[i], sides[i], 0);
    const bool constant[2] = {is_constant(only.value.items[0]), is_constant(only.value.items[1])};
    // Two constants, or one value twice, compare the same way in every deployment: an empty
    // `Fn::And` is true, an empty `Fn::Or` false.
    if (sides[0] == sides[1] || (constant[0] && constant[1])) {
      return Expression{sides[0] == sides[1] ? Expression::Kind::all : Expression::Kind::any, {}, {}};
    }
    if (sides[1] < sides[0]) std::swap(sides[0], sides[1]);
    // No condition's name holds a space: this one is no template's.
    std::string name = "Fn::Equals " + sides[0] + " " + sides[1];
    if (constant[0] != constant[1]) {
      const bool first_is_constant = sides[0].starts_with('c');
      comparisons.try_emplace(name, Comparison{sides[first_is_constant ? 1 : 0], sides[first_is_constant ? 0 : 1]});
    }
    return Expression{Expression::Kind::condition, std::move(name), {}};
  }
  Expression out;
  if (only.key == "Fn::Not") {
    out.kind = Expression::Kind::negation;
  } else if (only.key == "Fn::And") {
    out.kind = Expression::Kind::all;
  } else if (only.key == "Fn::Or") {
    out.kind = Expression::Kind::any;
  } else {
    return std::nullopt;
  }
  if (!only.value.is(Type::array) || only.value.items.empty()) return std::nullopt;
  if (out.kind == Expression::Kind::negation && only.value.items.size() != 1) return std::nullopt;
  for (const Node& part : only.value.items) {
    auto parsed = composition(part, depth + 1, comparisons);
    if (!parsed) return std::nullopt;
    out.parts.push_back(std::move(*parsed));
  }
  return out;
}

void TemplateConditions::references_of(const Expression& expression, std::vector<std::string>& out) {
  if (expression.kind == Expression::Kind::condition) {
    out.push_back(expression.name);
    return;
  }
  for (const Expression& part : expression.parts) references_of(part, out);
}

// An expression's value once every condition it names is known. Its nesting is at most kMaxDepth.
template <class Known>
bool TemplateConditions::value(const Expression& expression, const Known& known) {
  switch (expression.kind) {
    case Expression::Kind::condition:
      return known(expression);
    case Expression::Kind::negation: return !value(expression.parts.front(), known);
    case Expression::Kind::all:
      for (const Expression& part : expression.parts) {
        if (!value(part, known)) return false;
      }
      return true;
    case Expression::Kind::any:
      for (const Expression& part : expression.parts) {
        if (value(part, known)) return true;
      }
      return false;
  }
  return true;
}

TemplateConditions::Closure TemplateConditions::closure_of(const std::vector<std::string>& names) const {
  Closure out;
  std::set<std::string_view> seen;
  // Depth first, each derived condition listed once those it refers to are (post-order);
  // without recursion, as in the constructor.
  for (const std::string& start : names) {
    if (!seen.insert(start).second) continue;
    if (!derived_.contains(start)) {
      out.free.push_back(start);
      continue;
    }
    std::vector<std::pair<const std::string*, std::size_t>> stack{{&derived_.find(start)->first, 0}};
    while (!stack.empty()) {
      auto& [name, next] = stack.back();
      const std::vector<std::string>& references = derived_.at(*name).references;
      if (next == references.size()) {
        out.derived.push_back(*name);
        stack.pop_back();
        continue;
      }
      const std::string& reference = references[next++];
      if (!seen.insert(reference).second) continue;
      if (const auto it = derived_.find(reference); it != derived_.end()) {
        stack.emplace_back(&it->first, 0);
      } else {
        out.free.push_back(reference);
      }
    }
  }
  return out;
}

std::map<std::string, bool> TemplateConditions::choice(const Closure& closure, const Way& way) const {
  std::map<std::string, bool> out;
  for (const std::string& name : way.taken_false) out.emplace(name, false);
  for (const auto& [name, forced] : way.forced) out[name] = forced;
  for (const std::string& name : closure.derived) {
    if (way.forced.contains(name)) continue;
    out[name] = value(derived_.at(name).expression, [&](const Expression& reference) {
      const auto it = out.find(reference.name);
      return it == out.end() || it->second;  // one without an entry is true
    });
  }
  return out;
}

// Each derived condition's list is its references' (a free one itself), first occurrences
// kept: the order closure_of's walk meets them in. Built once per condition, in post-order
// without recursion; null once the lists kept grow past kMaxKept names.
const std::vector<std::string>* TemplateConditions::free_list(const std::string& name) const {
  if (const auto it = free_lists_.find(name); it != free_lists_.end()) return &it->second;
  std::vector<std::pair<const std::string*, std::size_t>> stack{{&derived_.find(name)->first, 0}};
  while (!stack.empty()) {
    auto& [current, next] = stack.back();
    const Derived& derived = derived_.at(*current);
    if (next < derived.references.size()) {
      const std::string& reference = derived.references[next++];
      if (derived_.contains(reference) && !free_lists_.contains(reference)) {
        stack.emplace_back(&derived_.find(reference)->first, 0);
      }
      continue;
    }
    std::vector<std::string> list;
    std::set<std::string_view> listed;
    const auto add = [&](const std::string& free) {
      if (listed.insert(free).second) list.push_back(free);
    };
    for (const std::string& reference : derived.references) {
      if (const auto it = free_lists_.find(reference); it != free_lists_.end()) {
        for (const std::string& free : it->second) add(free);
      } else {
        add(reference);
      }
    }
    free_lists_size_ += list.size() + 1;
    if (free_lists_size_ > kMaxKept) return nullptr;
    free_lists_.emplace(*current, std::move(list));
    stack.pop_back();
  }
  return &free_lists_.find(name)->second;
}

std::size_t TemplateConditions::WayHash::operator()(const Way& way) const {
  std::size_t out = way.taken_false.size();
  const auto mix = [&](std::size_t value) { out ^= value + 0x9e3779b97f4a7c15u + (out << 6) + (out >> 2); };
  for (const std::string& name : way.taken_false) mix(std::hash<std::string>{}(name));
  for (const auto& [name, forced] : way.forced) mix(std::hash<std::string>{}(name) + (forced ? 1 : 0));
  return out;
}

const std::vector<std::string>& TemplateConditions::free_of(const std::vector<std::string>& names) const {
  if (const auto it = free_kept_.find(names); it != free_kept_.end()) return it->second;
  std::vector<std::string> free;
  {
    std::set<std::string_view> listed;
    bool walk = false;  // the lists kept grew too large: closure_of walks
    for (const std::string& name : names) {
      const std::vector<std::string>* list = derived_.contains(name) ? free_list(name) : nullptr;
      if (derived_.contains(name) && list == nullptr) {
        walk = true;
        break;
      }
      if (list == nullptr) {
        if (listed.insert(name).second) free.push_back(name);
        continue;
      }
      for (const std::string& one : *list) {
        if (listed.insert(one).second) free.push_back(one);
      }
    }
    if (walk) free = closure_of(names).free;
  }
  if (free_kept_size_ + names.size() + free.size() > kMaxKept) {
    free_kept_.clear();
    free_kept_size_ = 0;
  }
  free_kept_size_ += names.size() + free.size() + 1;
  return free_kept_.emplace(names, std::move(free)).first->second;
}

std::map<std::string, bool> TemplateConditions::values(const std::vector<std::string>& names, const Way& way) const {
  const std::size_t evaluations_before = derived_evaluations_;
  // The values kept for `way`, looked up (or made) only when a derived condition is asked:
  // ways that only vary free conditions (hundreds of forms of one policy) keep nothing.
  std::vector<std::int8_t>* kept = nullptr;
  const auto kept_for_way = [&]() -> std::vector<std::int8_t>& {
    if (kept != nullptr) return *kept;
    const std::size_t cost = by_index_.size() + 64 * (way.taken_false.size() + way.forced.size() + 1);
    if (derived_kept_size_ + cost > kMaxDerivedKept) {
      derived_kept_.clear();
      derived_kept_size_ = 0;
    }
    const auto [entry, fresh] = derived_kept_.try_emplace(way);
    if (fresh) {
      derived_kept_size_ += cost;
      entry->second.assign(by_index_.size(), kUnknown);
      for (const auto& [name, forced] : way.forced) {
        if (const auto it = derived_.find(name); it != derived_.end()) entry->second[it->second.index] = forced ? 1 : 0;
      }
    }
    kept = &entry->second;
    return *kept;
  };
  const auto free_value = [&](const std::string& name) {
    if (const auto forced = way.forced.find(name); forced != way.forced.end()) return forced->second;
    return !way.taken_false.contains(name);
  };
  std::map<std::string, bool> out;
  for (const std::string& name : names) {
    const auto it = derived_.find(name);
    if (it == derived_.end()) {
      out[name] = free_value(name);
      continue;
    }
    std::vector<std::int8_t>& known = kept_for_way();
    const std::size_t start = it->second.index;
    // Those it refers to first (post-order), without recursion: a chain may be thousands long.
    std::vector<std::pair<std::size_t, std::size_t>> stack;
    if (known[start] == kUnknown) stack.emplace_back(start, 0);
    while (!stack.empty()) {
      auto& [current, next] = stack.back();
      const Derived& derived = *by_index_[current];
      if (next < derived.derived_references.size()) {
        const std::size_t reference = derived.derived_references[next++];
        if (known[reference] == kUnknown) stack.emplace_back(reference, 0);
        continue;
      }
      known[current] =
          value(derived.expression,
                [&](const Expression& leaf) {
                  return leaf.derived >= 0 ? known[static_cast<std::size_t>(leaf.derived)] == 1 : free_value(leaf.name);
                })
              ? 1
              : 0;
      ++derived_evaluations_;
      stack.pop_back();
    }
    out[name] = known[start] == 1;
  }
  // The names asked, and the derived conditions evaluated for them.
  charge(names.size() + 1 + derived_evaluations_ - evaluations_before);
  return out;
}

TemplateConditions::Way TemplateConditions::settled(const std::vector<std::string>& free, Way way) const {
  if (comparisons_.empty()) return way;
  charge(free.size() + way.taken_false.size() + way.forced.size() + 1);
  const auto allows = [&](const Comparison& comparison) {
    const auto it = allowed_.find(comparison.subject);
    return it == allowed_.end() || it->second.contains(comparison.constant);
  };
  std::set<std::string_view> held;  // the subjects a comparison holds for
  // A comparison a way asks to hold (leading_to's way to a branch marks those) holds. The mark
  // is dropped once the subject's other comparisons are false, so that a way reads the same
  // however it was found.
  std::vector<std::string> asked;
  for (const auto& [name, forced] : way.forced) {
    const auto it = comparisons_.find(name);
    if (!forced || it == comparisons_.end()) continue;
    held.insert(it->second.subject);
    asked.push_back(name);
  }
  for (const std::string& name : asked) {
    way.forced.erase(name);
    way.taken_false.erase(name);
  }
  for (const std::string& name : free) {
    const auto it = comparisons_.find(name);
    if (it == comparisons_.end() || way.taken_false.contains(name) || way.forced.contains(name) ||
        std::ranges::find(asked, name) != asked.end()) {
      continue;
    }
    if (!allows(it->second) || !held.insert(it->second.subject).second) way.taken_false.insert(name);
  }
  if (allowed_.empty()) return way;
  // A parameter whose allowed values the comparisons all name equals one of them: when none
  // holds, the first that may does.
  std::map<std::string_view, std::set<std::string_view>> named;  // by subject: the constants compared
  for (const std::string& name : free) {
    const auto it = comparisons_.find(name);
    if (it != comparisons_.end() && allowed_.contains(it->second.subject)) {
      named[it->second.subject].insert(it->second.constant);
    }
  }
  for (const auto& [subject, constants] : named) {
    if (held.contains(subject)) continue;
    const std::set<std::string>& values = allowed_.find(std::string(subject))->second;
    if (!std::ranges::all_of(values, [&](const std::string& value) { return constants.contains(value); })) continue;
    for (const std::string& name : free) {
      const auto it = comparisons_.find(name);
      if (it == comparisons_.end() || it->second.subject != subject || !allows(it->second) ||
          way.forced.contains(name)) {
        continue;
      }
      way.taken_false.erase(name);
      break;
    }
  }
  return way;
}

std::optional<TemplateConditions::Way> TemplateConditions::leading_to(const std::map<std::string, bool>& path) const {
  // Each resource of a template may ask the same: searched once.
  if (const auto known = searched_.find(path); known != searched_.end()) return known->second;
  std::optional<Way> way = search(path);
  searched_.emplace(path, way);
  return way;
}

std::optional<TemplateConditions::Way> TemplateConditions::search(const std::map<std::string, bool>& path) const {
  if (searches_cut_short_) return Way{{}, path};  // the budget is spent: no closure is walked either
  std::vector<std::string> named;
  for (const auto& [name, way] : path) named.push_back(name);
  const std::vector<std::string> free = free_of(named);
  if (free.size() > kMaxSearched) return Way{{}, path};
  // The free comparisons of each value, as bits of the mask: a way with two of them true (a
  // bit clear) is no deployment's, and is passed over at the cost of one evaluation.
  std::map<std::string_view, std::size_t> one_value;
  for (std::size_t k = 0; k < free.size(); ++k) {
    if (const auto it = comparisons_.find(free[k]); it != comparisons_.end()) {
      one_value[it->second.subject] |= std::size_t{1} << k;
    }
  }
  for (std::size_t mask = 0; mask < (std::size_t{1} << free.size()); ++mask) {
    const bool two_values = std::ranges::any_of(
        one_value, [&](const auto& compared) { return std::popcount(compared.second & ~mask) > 1; });
    if (two_values && search_left_ > 0) {
      --search_left_;
      continue;
    }
    // Each way costs its free conditions, the path's, and the derived conditions evaluated
    // for it the first time (values() keeps them per way).
    const std::size_t before = derived_evaluations_;
    if (search_left_ == 0) {
      searches_cut_short_ = true;
      return Way{{}, path};
    }
    Way way;
    for (std::size_t k = 0; k < free.size(); ++k) {
      if ((mask & (std::size_t{1} << k)) != 0) way.taken_false.insert(free[k]);
    }
    const bool one_value_each = settled(free, way) == way;  // else one parameter with two values
    const std::map<std::string, bool> found = one_value_each ? values(named, way) : std::map<std::string, bool>{};
    const std::size_t evaluated = derived_evaluations_ - before;
    search_left_ -= std::min(search_left_, free.size() + path.size() + evaluated);
    if (!one_value_each) continue;
    const bool leads = std::ranges::all_of(path, [&](const auto& step) { return found.at(step.first) == step.second; });
    if (!leads) continue;
    // The comparisons it leaves true are asked to hold: in a policy's closure, where the first of a
    // parameter's comparisons would otherwise hold (settled), the branch's still does.
    for (const std::string& name : free) {
      if (comparisons_.contains(name) && !way.taken_false.contains(name)) way.forced.emplace(name, true);
    }
    return way;
  }
  return std::nullopt;
}

}  // namespace grantlint::input
