#include "policy/lower.h"

#include <array>
#include <unordered_map>

#include <fmt/format.h>

#include "base/placeholder.h"
#include "base/suggest.h"
#include "base/utf8.h"
#include "json/pointer.h"
#include "match/arn.h"
#include "policy/elements.h"
#include "policy/operators.h"
#include "policy/principals.h"
#include "rules/registry.h"

namespace grantlint::policy {

namespace {

using json::Node;
using json::Type;
namespace r = rules;

constexpr std::array<std::string_view, 3> kDocumentElements = {"Version", "Id", "Statement"};
constexpr std::array<std::string_view, 9> kStatementElements = {
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"};

std::string suggestion_for(std::string_view word, std::span<const std::string_view> candidates) {
  return did_you_mean(closest_match(word, candidates));
}

// What a condition with an empty list of values does (IAM semantics §3.1, §3.3, §3.5):
// positive operators OR over no values (false), negated ones NOR over them (true).
std::string_view empty_values_effect(const ConditionOperator& op) {
  if (op.base.empty()) return "cannot match as intended";
  const bool negated = op.negated();
  if (negated) {
    return op.set_prefix == "ForAnyValue" ? "matches whenever the key has any value" : "matches every request";
  }
  if (op.set_prefix == "ForAllValues" || op.if_exists) return "matches only when the key is absent";
  return "never matches";
}

// arn:PARTITION:kms:REGION:ACCOUNT:key/ID, the form of a key's own ARN.

// The first string value that uses a policy variable (`${...}`), or nullptr.
const Node* first_variable(const Node& node) {
  if (node.is(Type::string)) return node.text.find("${") != std::string::npos ? &node : nullptr;
  for (const Node& item : node.items) {
    if (const Node* found = first_variable(item)) return found;
  }
  for (const json::Member& member : node.members) {
    if (const Node* found = first_variable(member.value)) return found;
  }
  return nullptr;
}

// `${aws:username}` out of `arn:aws:s3:::bucket/${aws:username}/*`.
std::string variable_text(std::string_view value) {
  const auto begin = value.find("${");
  const auto end = value.find('}', begin);
  return std::string(value.substr(begin, end == std::string_view::npos ? 2 : end - begin + 1));
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

class Lowerer {
 public:
  Lowerer(Kind kind, Emitter& emit) : kind_(kind), emit_(emit) {}

  std::optional<Document> document(const Node& root) {
    root_ = &root;
    if (!root.is(Type::object)) {
      emit_.emit(r::kNotAnObject, root.span, "",
                 fmt::format("a policy document must be a JSON object, found {}", json::type_name(root.type)));
      return std::nullopt;
    }
    Document doc;
    doc.kind = kind_;
    doc.span = root.span;
    const Node* statement = nullptr;
    for (const json::Member& member : root.members) {
      const std::string pointer = json::pointer_append("", member.key);
      if (member.key == "Version") {
        doc.version = version(member, pointer);
      } else if (member.key == "Id") {
        doc.id = scalar_string(member, pointer, "Id");
        if (doc.id && is_identity_like(kind_)) {
          emit_.emit(r::kIdInIdentityPolicy, member.key_span, pointer,
                     fmt::format("`Id` has no meaning in {} policies; IAM ignores it", family_name(kind_)));
        }
      } else if (member.key == "Statement") {
        if (statement == nullptr) statement = &member.value;
      } else {
        unknown_element(member, pointer, "the policy", kDocumentElements);
      }
    }
    if (!doc.version && root.find("Version") == nullptr) {
      const Span start{root.span.begin, root.span.begin + 1};
      if (const Node* variable = first_variable(root)) {
        emit_.emit(r::kMissingVersion, start, "",
                   fmt::format("the policy has no `Version`, so `{}` is matched as literal text; add "
                               "`\"Version\": \"2012-10-17\"`",
                               variable_text(variable->text)),
                   std::nullopt, {RelatedLocation{emit_.at(variable->span), "the policy variable"}});
      } else {
        emit_.emit(r::kMissingVersion, start, "", "the policy has no `Version`; add `\"Version\": \"2012-10-17\"`",
                   Level::note);
      }
    }
    variables_enabled_ = doc.variables_enabled();
    statements(root, statement, doc);
    return doc;
  }

 private:
  // --- document level -------------------------------------------------------------

  std::optional<Text> version(const json::Member& member, const std::string& pointer) {
    auto text = scalar_string(member, pointer, "Version");
    if (!text) return std::nullopt;
    if (text->value == "2012-10-17") return text;
    if (text->value == "2008-10-17") {
      if (const Node* variable = first_variable(*root_)) {
        emit_.emit(r::kLegacyVersion, text->span, pointer,
                   fmt::format("under `Version` `2008-10-17` `{}` is matched as literal text; use `2012-10-17`",
                               variable_text(variable->text)),
                   std::nullopt, {RelatedLocation{emit_.at(variable->span), "the policy variable"}});
      } else {
        emit_.emit(r::kLegacyVersion, text->span, pointer,
                   "`Version` `2008-10-17` is the legacy policy language; use `2012-10-17`", Level::note);
      }
      return text;
    }
    emit_.emit(r::kInvalidVersion, text->span, pointer,
               fmt::format("`Version` must be `2012-10-17` or `2008-10-17`, not `{}`", text->value));
    return std::nullopt;
  }

  void statements(const Node& root, const Node* value, Document& doc) {
    const std::string pointer = "/Statement";
    if (value == nullptr) {
      emit_.emit(r::kMissingStatement, Span{root.span.begin, root.span.begin + 1}, "",
                 "the policy has no `Statement`");
      return;
    }
    if (value->is(Type::object)) {
      statement(*value, pointer, doc);  // a single statement object is a one-element array
    } else if (value->is(Type::array)) {
      if (value->items.empty()) {
        emit_.emit(r::kMissingStatement, value->span, pointer, "`Statement` is an empty array");
      }
      for (std::size_t i = 0; i < value->items.size(); ++i) {
        const Node& item = value->items[i];
        const std::string item_pointer = json::pointer_append(pointer, i);
        if (!item.is(Type::object)) {
          emit_.emit(r::kWrongType, item.span, item_pointer,
                     fmt::format("a statement must be an object, found {}", json::type_name(item.type)));
          continue;
        }
        statement(item, item_pointer, doc);
      }
    } else {
      emit_.emit(r::kWrongType, value->span, pointer,
                 fmt::format("`Statement` must be an object or an array of objects, found {}",
                             json::type_name(value->type)));
    }
    check_sids(doc);
  }

  // --- statement level ------------------------------------------------------------

  void statement(const Node& node, const std::string& pointer, Document& doc) {
    Statement st;
    st.span = node.span;
    st.pointer = pointer;
    const json::Member* action = nullptr;
    const json::Member* not_action = nullptr;
    const json::Member* resource = nullptr;
    const json::Member* not_resource = nullptr;
    const json::Member* principal = nullptr;
    const json::Member* not_principal = nullptr;
    const json::Member* effect = nullptr;
    const json::Member* condition = nullptr;
    for (const json::Member& member : node.members) {
      const std::string member_pointer = json::pointer_append(pointer, member.key);
      const std::string& key = member.key;
      // Duplicate keys are reported by the JSON stage; the first occurrence is used here.
      auto take = [&](const json::Member*& slot) {
        if (slot == nullptr) slot = &member;
      };
      if (key == "Sid") {
        if (!st.sid) st.sid = sid(member, member_pointer);
      } else if (key == "Effect") {
        take(effect);
      } else if (key == "Action") {
        take(action);
      } else if (key == "NotAction") {
        take(not_action);
      } else if (key == "Resource") {
        take(resource);
      } else if (key == "NotResource") {
        take(not_resource);
      } else if (key == "Principal") {
        take(principal);
      } else if (key == "NotPrincipal") {
        take(not_principal);
      } else if (key == "Condition") {
        take(condition);
      } else {
        unknown_element(member, member_pointer, "a statement", kStatementElements);
      }
    }

    if (effect == nullptr) {
      emit_.emit(r::kMissingEffect, node.span, pointer, "the statement has no `Effect`; add `Allow` or `Deny`");
    } else {
      st.effect = effect_of(*effect, json::pointer_append(pointer, "Effect"));
      st.effect_span = effect->value.span;
    }

    pair(pointer, action, not_action, "Action", st.action);
    if (!st.action.present && action == nullptr && not_action == nullptr) {
      emit_.emit(r::kMissingAction, node.span, pointer, "the statement has neither `Action` nor `NotAction`");
    }
    pair(pointer, resource, not_resource, "Resource", st.resource);
    resource_rules(node, pointer, resource, not_resource, st);
    principal_rules(node, pointer, principal, not_principal, st);
    if (condition != nullptr) conditions(*condition, json::pointer_append(pointer, "Condition"), st);
    doc.statements.push_back(std::move(st));
  }

  std::optional<Text> sid(const json::Member& member, const std::string& pointer) {
    auto text = scalar_string(member, pointer, "Sid");
    if (!text) return std::nullopt;
    if (text->value.empty()) {
      emit_.emit(r::kEmptyValue, text->span, pointer, "`Sid` is empty; give the statement a name or remove it");
      return text;
    }
    if (uses_iam_sid_rules(kind_) && !has_placeholder(text->value)) {
      for (std::size_t i = 0; i < text->value.size(); ++i) {
        if (!is_alnum(text->value[i])) {
          emit_.emit(r::kInvalidSid, text->span, pointer,
                     fmt::format("`Sid` `{}` may contain only letters and digits in {} policies", text->value,
                                 family_name(kind_)));
          break;
        }
      }
    }
    return text;
  }

  void check_sids(const Document& doc) {
    // IAM requires unique Sids; other services accept duplicates, which only confuse (a warning).
    const bool required = uses_iam_sid_rules(kind_);
    std::unordered_map<std::string_view, const Text*> seen;
    for (const Statement& st : doc.statements) {
      if (!st.sid || st.sid->value.empty()) continue;
      const auto [it, inserted] = seen.emplace(st.sid->value, &*st.sid);
      if (!inserted) {
        emit_.emit(r::kDuplicateSid, st.sid->span, st.sid->pointer,
                   fmt::format("`Sid` `{}` is used by another statement; {}", st.sid->value,
                               required ? "IAM requires unique statement ids" : "give each statement its own"),
                   required ? std::nullopt : std::optional<Level>(Level::warning),
                   {RelatedLocation{emit_.at(it->second->span), "first used here"}});
      }
    }
  }

  std::optional<Effect> effect_of(const json::Member& member, const std::string& pointer) {
    auto text = scalar_string(member, pointer, "Effect");
    if (!text) return std::nullopt;
    if (text->value == "Allow") return Effect::allow;
    if (text->value == "Deny") return Effect::deny;
    // A template's `!Ref EffectParam`, known only at deployment: taken as Allow, the form in
    // which the statement grants what it names (README, templates).
    if (has_placeholder(text->value)) return Effect::allow;
    static constexpr std::array<std::string_view, 2> kEffects = {"Allow", "Deny"};
    emit_.emit(r::kInvalidEffect, text->span, pointer,
               fmt::format("`Effect` must be `Allow` or `Deny`, not `{}`{}", text->value,
                           suggestion_for(text->value, kEffects)));
    return std::nullopt;
  }

  // Action/NotAction and Resource/NotResource: one of a pair, a string or array of strings.
  void pair(const std::string& pointer, const json::Member* positive,
            const json::Member* negative, std::string_view name, PatternList& out) {
    if (positive != nullptr && negative != nullptr) {
      emit_.emit(r::kConflictingElements, negative->key_span, json::pointer_append(pointer, negative->key),
                 fmt::format("the statement has both `{0}` and `Not{0}`; use one of them", name), std::nullopt,
                 {RelatedLocation{emit_.at(positive->key_span), fmt::format("`{}` is here", name)}});
    }
    const json::Member* chosen = positive != nullptr ? positive : negative;
    if (chosen == nullptr) return;
    out.present = true;
    out.negated = chosen == negative;
    out.key_span = chosen->key_span;
    out.span = chosen->value.span;
    out.pointer = json::pointer_append(pointer, chosen->key);
    out.items = string_list(chosen->value, out.pointer, fmt::format("`{}`", chosen->key),
                            fmt::format("`{}` is an empty array, so the statement matches nothing", chosen->key),
                            emit_);
    if (name == "Action") {
      // Malformed actions are reported here and left out of the model (AWS would reject them).
      std::erase_if(out.items, [&](const Text& item) { return !action_format(item); });
    }
  }

  // Reports a malformed action; returns whether the action is well formed.
  bool action_format(const Text& item) {
    const std::string& a = item.value;
    if (a == "*" || has_placeholder(a)) return true;  // a template's placeholder: known at deployment
    // A policy variable here is compared as written, never expanded: POL033 says so, rather
    // than a colon or `$` of the variable read as a typo. The item stays, as IAM keeps it.
    if (variables_enabled_ && a.find("${") != std::string::npos) return true;
    auto bad = [&](std::string message) { emit_.emit(r::kInvalidAction, item.span, item.pointer, std::move(message)); };
    if (a.find_first_of(", \t") != std::string::npos) {
      // IAM accepts such a name, which then matches no action (IAM semantics §2.2): a
      // warning, and the item is left out of the model, which evaluates the same.
      emit_.emit(r::kInvalidAction, item.span, item.pointer,
                 fmt::format("action `{}` contains a comma or space, so it matches no action; list each action as "
                             "its own string",
                             a),
                 Level::warning);
      return false;
    }
    // Letters of another script drawn like Latin ones (`ѕ3`, a fullwidth `：`) look right and
    // match nothing: the action they imitate is offered, with the code point of the one found
    // (U+FFFD stands for what the reader replaced, a private-use marker: not the file's). Made
    // only for a malformed action, never for the well-formed ones of every policy.
    const auto suggestion = [&] {
      const auto meant = ascii_look_alike(a);
      return meant && *meant != a ? did_you_mean(std::optional<std::string_view>(*meant)) : std::string();
    };
    const auto code_point = [](std::string_view text, std::size_t at) -> std::optional<std::uint32_t> {
      constexpr std::uint32_t kReplacement = 0xFFFD;
      const CodePoint cp = decode_utf8(text, at);
      if (cp.length == 1 || !cp.valid || cp.value == kReplacement) return std::nullopt;
      return cp.value;
    };
    const auto colon = a.find(':');
    if (colon == std::string::npos) {
      bad(fmt::format("action `{}` is not `*` or `service:action`{}", a, suggestion()));
      return false;
    }
    if (a.find(':', colon + 1) != std::string::npos) {
      bad(fmt::format("action `{}` has more than one colon", a));
      return false;
    }
    const std::string_view service(a.data(), colon);
    const std::string_view name(a.data() + colon + 1, a.size() - colon - 1);
    if (service.empty()) {
      bad(fmt::format("action `{}` has no service prefix before the colon", a));
      return false;
    }
    if (service.find_first_of("*?") != std::string_view::npos) {
      bad(fmt::format("action `{}` has a wildcard in its service prefix `{}`, which IAM rejects", a, service));
      return false;
    }
    for (std::size_t i = 0; i < service.size(); ++i) {
      const char c = service[i];
      if (!is_alnum(c) && c != '-') {
        const auto found = code_point(service, i);
        const std::string code =
            found ? fmt::format(" (`{}` is U+{:04X})", service.substr(i, decode_utf8(service, i).length), *found)
                  : "";
        bad(fmt::format("action `{}` has an invalid service prefix `{}`{}{}", a, service, code, suggestion()));
        return false;
      }
    }
    if (name.empty()) {
      bad(fmt::format("action `{}` has no action name after the colon", a));
      return false;
    }
    for (std::size_t i = 0; i < name.size();) {
      const CodePoint cp = decode_utf8(name, i);
      const char c = name[i];
      if (cp.length > 1 || (!is_alnum(c) && c != '*' && c != '?' && c != '-' && c != '_')) {
        const auto found = code_point(name, i);
        const std::string code = found ? fmt::format(" (U+{:04X})", *found) : "";
        bad(fmt::format("action `{}` has an invalid character `{}`{} in its name{}", a, name.substr(i, cp.length), code,
                        cp.length > 1 ? suggestion() : std::string()));
        return false;
      }
      i += cp.length;
    }
    return true;
  }

  void resource_rules(const Node& node, const std::string& pointer, const json::Member* resource,
                      const json::Member* not_resource, const Statement& st) {
    const json::Member* given = resource != nullptr ? resource : not_resource;
    if (kind_ == Kind::trust) {
      if (given != nullptr) {
        emit_.emit(r::kResourceNotAllowed, given->key_span, json::pointer_append(pointer, given->key),
                   fmt::format("a role trust policy cannot name a resource; remove `{}`", given->key));
      }
      return;
    }
    if (given == nullptr) {
      if (kind_ == Kind::kms_key) {
        emit_.emit(r::kMissingResource, node.span, pointer,
                   "the key policy statement has no `Resource`, so it has no effect; add `\"Resource\": \"*\"`",
                   Level::warning);
      } else if (kind_ == Kind::resource) {
        // Some services' resource policies (ECR repository policies) take no Resource.
        emit_.emit(r::kMissingResource, node.span, pointer,
                   "the statement has neither `Resource` nor `NotResource`; only some services' resource "
                   "policies (such as ECR's) may omit it",
                   Level::warning);
      } else {
        emit_.emit(r::kMissingResource, node.span, pointer,
                   "the statement has neither `Resource` nor `NotResource`");
      }
      return;
    }
    if (kind_ == Kind::kms_key) {
      if (st.resource.negated) {
        emit_.emit(r::kKeyPolicyResource, st.resource.key_span, st.resource.pointer,
                   "a key policy statement uses `NotResource`; in a key policy use `\"Resource\": \"*\"` "
                   "(this key)");
        return;
      }
      for (const Text& item : st.resource.items) {
        if (item.value == "*") continue;
        if (match::is_kms_key_arn(item.value)) {
          emit_.emit(r::kKeyPolicyResource, item.span, item.pointer,
                     fmt::format("in a key policy write `*` (this key) rather than the key ARN `{}`, which "
                                 "matches only if it is this key's own",
                                 item.value),
                     Level::note);
        } else {
          emit_.emit(r::kKeyPolicyResource, item.span, item.pointer,
                     fmt::format("in a key policy `Resource` should be `*` (this key); `{}` is not a key ARN and "
                                 "matches nothing",
                                 item.value));
        }
      }
    }
  }

  void principal_rules(const Node& node, const std::string& pointer, const json::Member* principal,
                       const json::Member* not_principal, Statement& st) {
    if (principal != nullptr && not_principal != nullptr) {
      emit_.emit(r::kConflictingElements, not_principal->key_span, json::pointer_append(pointer, "NotPrincipal"),
                 "the statement has both `Principal` and `NotPrincipal`; use one of them", std::nullopt,
                 {RelatedLocation{emit_.at(principal->key_span), "`Principal` is here"}});
    }
    const json::Member* given = principal != nullptr ? principal : not_principal;
    if (is_identity_like(kind_)) {
      if (given != nullptr) {
        emit_.emit(r::kPrincipalNotAllowed, given->key_span, json::pointer_append(pointer, given->key),
                   fmt::format("`{}` is not allowed in {} policies, which apply to the principal they are "
                               "attached to",
                               given->key, family_name(kind_)));
      }
      return;
    }
    if (given == nullptr) {
      emit_.emit(r::kMissingPrincipal, node.span, pointer,
                 fmt::format("the statement has no `Principal`, which {} policies require", family_name(kind_)));
      return;
    }
    st.principal = lower_principal(*given, json::pointer_append(pointer, given->key), kind_, emit_);
    if (kind_ == Kind::trust && st.principal.wildcard && !st.principal.negated) {
      // IAM rejects the bare string in AssumeRolePolicyDocument (MalformedPolicyDocument);
      // `{"AWS": "*"}` is accepted (ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL).
      emit_.emit(r::kWildcardInPrincipal, st.principal.span, st.principal.pointer,
                 "role trust policies reject `\"Principal\": \"*\"`; name the principals that may assume the "
                 "role, or write `{\"AWS\": \"*\"}` with a condition that scopes it");
    }
    if (kind_ != Kind::trust) {
      // Identity providers sign in through a role: only its trust policy names them
      // (FEDERATED_PRINCIPAL_NOT_SUPPORTED).
      for (const PrincipalEntry& entry : st.principal.entries) {
        if (entry.type != "Federated") continue;
        emit_.emit(r::kPrincipalNotAllowed, entry.key_span, json::pointer_append(st.principal.pointer, entry.type),
                   fmt::format("`Federated` principals sign in through a role, so only role trust policies name "
                               "them; {} policies do not: name the role (`AWS`) instead",
                               family_name(kind_)));
      }
    }
    if (!st.principal.negated) return;
    if (kind_ == Kind::trust) {
      emit_.emit(r::kPrincipalNotAllowed, given->key_span, st.principal.pointer,
                 "role trust policies do not accept `NotPrincipal`; use `Principal`");
    } else if (st.effect == Effect::allow) {
      emit_.emit(r::kAllowWithNotPrincipal, given->key_span, st.principal.pointer,
                 "`NotPrincipal` with `Allow` grants access to everyone not listed, anonymous callers "
                 "included; use `Principal` with a condition on `aws:PrincipalArn`");
    }
  }

  // --- conditions -----------------------------------------------------------------

  void conditions(const json::Member& member, const std::string& pointer, Statement& st) {
    const Node& block = member.value;
    if (!block.is(Type::object)) {
      emit_.emit(r::kInvalidCondition, block.span, pointer,
                 fmt::format("`Condition` must be an object of operators, found {}", json::type_name(block.type)));
      return;
    }
    if (block.members.empty()) {
      emit_.emit(r::kEmptyValue, block.span, pointer, "`Condition` is empty and has no effect; remove it");
    }
    for (const json::Member& op_member : block.members) {
      const std::string op_pointer = json::pointer_append(pointer, op_member.key);
      const auto parsed = operator_of(op_member, op_pointer);
      const Node& keys = op_member.value;
      if (!keys.is(Type::object)) {
        emit_.emit(r::kInvalidCondition, keys.span, op_pointer,
                   fmt::format("operator `{}` must hold an object of condition keys, found {}", op_member.key,
                               json::type_name(keys.type)));
        continue;
      }
      if (keys.members.empty()) {
        emit_.emit(r::kEmptyValue, keys.span, op_pointer,
                   fmt::format("operator `{}` has no condition keys and has no effect", op_member.key));
      }
      // Keys compare without regard to case (IAM semantics §3.2): the same key twice in one
      // operator, spelt differently, is one key written twice.
      std::unordered_map<std::string, const json::Member*> seen_keys;
      seen_keys.reserve(keys.members.size());
      for (const json::Member& key_member : keys.members) {
        const auto [first, inserted] = seen_keys.emplace(ascii_lower(key_member.key), &key_member);
        if (!inserted && first->second->key != key_member.key) {
          const json::Member& earlier = *first->second;
          emit_.emit(r::kInvalidCondition, key_member.key_span, json::pointer_append(op_pointer, key_member.key),
                     fmt::format("condition key `{}` repeats `{}` with different case; keys are "
                                 "case-insensitive, so use one entry",
                                 key_member.key, earlier.key),
                     std::nullopt, {RelatedLocation{emit_.at(earlier.key_span), "first written here"}});
        }
        const std::string& key = key_member.key;
        const auto colon = key.find(':');
        // Tag keys (after the `/` of `aws:ResourceTag/...`) may hold spaces; the rest may not.
        if (colon == std::string::npos || colon == 0 || colon + 1 == key.size() ||
            key.substr(0, key.find('/')).find_first_of(" \t") != std::string::npos) {
          emit_.emit(r::kInvalidCondition, key_member.key_span, json::pointer_append(op_pointer, key),
                     fmt::format("condition key `{}` is not `service:name` (such as `aws:SourceIp`), so it never "
                                 "appears in a request",
                                 key));
        }
        ConditionEntry entry;
        if (parsed) entry.op = *parsed;
        entry.op_text = op_member.key;
        entry.op_span = op_member.key_span;
        entry.key = key_member.key;
        entry.key_span = key_member.key_span;
        entry.pointer = json::pointer_append(op_pointer, key_member.key);
        entry.values = condition_values(key_member.value, entry);
        if (parsed) st.conditions.push_back(std::move(entry));
      }
    }
  }

  std::optional<ConditionOperator> operator_of(const json::Member& member, const std::string& pointer) {
    using Status = OperatorParse::Status;
    const OperatorParse parsed = parse_operator(member.key);
    const std::string hint =
        did_you_mean(parsed.canonical.empty() ? std::nullopt : std::optional<std::string_view>(parsed.canonical));
    switch (parsed.status) {
      case Status::ok: return parsed.op;
      case Status::case_mismatch:
        emit_.emit(r::kUnknownOperator, member.key_span, pointer,
                   fmt::format("condition operator `{}` is not written as documented: use `{}`", member.key,
                               parsed.canonical),
                   Level::warning);
        return parsed.op;
      case Status::unknown_base:
        emit_.emit(r::kUnknownOperator, member.key_span, pointer,
                   fmt::format("unknown condition operator `{}`{}", member.key, hint));
        return std::nullopt;
      case Status::bad_set_prefix:
        emit_.emit(r::kInvalidSetOperator, member.key_span, pointer,
                   fmt::format("unknown set operator `{}` in `{}`: use `ForAllValues:` or `ForAnyValue:`{}",
                               parsed.detail, member.key, hint));
        return std::nullopt;
      case Status::misplaced_set:
        emit_.emit(r::kInvalidSetOperator, member.key_span, pointer,
                   fmt::format("set operator `{}` must come before the operator in `{}`{}", parsed.detail,
                               member.key, hint));
        return std::nullopt;
      case Status::missing_colon:
        emit_.emit(r::kInvalidSetOperator, member.key_span, pointer,
                   fmt::format("set operator `{}` must be followed by a colon in `{}`{}", parsed.detail, member.key,
                               hint));
        return std::nullopt;
      case Status::too_many_colons:
        emit_.emit(r::kInvalidSetOperator, member.key_span, pointer,
                   fmt::format("condition operator `{}` has more than one `:`; an operator takes at most one set "
                               "operator, as in `ForAnyValue:StringEquals`",
                               member.key));
        return std::nullopt;
      case Status::null_if_exists:
        emit_.emit(r::kNullWithIfExists, member.key_span, pointer,
                   fmt::format("`{}`: the `Null` operator takes no `IfExists` suffix; use `Null`", member.key));
        return std::nullopt;
    }
    return std::nullopt;
  }

  std::vector<Text> condition_values(const Node& value, const ConditionEntry& entry) {
    std::vector<Text> out;
    auto scalar = [&](const Node& v, const std::string& pointer) {
      if (v.is(Type::string) || v.is(Type::number) || v.is(Type::boolean)) {
        out.push_back(Text{v.text, v.span, pointer});
        return;
      }
      emit_.emit(r::kInvalidCondition, v.span, pointer,
                 fmt::format("condition values must be strings, numbers or booleans, found {}",
                             json::type_name(v.type)));
    };
    if (value.is(Type::array)) {
      if (value.items.empty()) {
        emit_.emit(r::kEmptyValue, value.span, entry.pointer,
                   fmt::format("condition key `{}` has no values, so the condition {}", entry.key,
                               empty_values_effect(entry.op)));
      }
      for (std::size_t i = 0; i < value.items.size(); ++i) scalar(value.items[i], json::pointer_append(entry.pointer, i));
      mixed_value_types(value, entry);
    } else {
      scalar(value, entry.pointer);
    }
    return out;
  }

  // The values of one key share one JSON type (Access Analyzer's INVALID_CONDITION_DATA_TYPE):
  // `["10", 20]` is reported at the first value of another type than the first.
  void mixed_value_types(const Node& values, const ConditionEntry& entry) {
    const Node* first = nullptr;
    for (std::size_t i = 0; i < values.items.size(); ++i) {
      const Node& v = values.items[i];
      if (!v.is(Type::string) && !v.is(Type::number) && !v.is(Type::boolean)) continue;  // reported already
      if (first == nullptr) {
        first = &v;
        continue;
      }
      if (v.type == first->type) continue;
      const auto shown = [](const Node& n) { return n.is(Type::string) ? fmt::format("\"{}\"", n.text) : n.text; };
      emit_.emit(r::kInvalidCondition, v.span, json::pointer_append(entry.pointer, i),
                 fmt::format("the values of `{}` mix JSON types: `{}` is {}, the first value `{}` {}; write them all "
                             "as strings",
                             entry.key, shown(v), json::type_name(v.type), shown(*first), json::type_name(first->type)));
      return;
    }
  }

  // --- helpers --------------------------------------------------------------------

  std::optional<Text> scalar_string(const json::Member& member, const std::string& pointer, std::string_view name) {
    if (!member.value.is(Type::string)) {
      emit_.emit(r::kWrongType, member.value.span, pointer,
                 fmt::format("`{}` must be a string, found {}", name, json::type_name(member.value.type)));
      return std::nullopt;
    }
    return Text{member.value.text, member.value.span, pointer};
  }

  void unknown_element(const json::Member& member, const std::string& pointer, std::string_view where,
                       std::span<const std::string_view> known) {
    emit_.emit(r::kUnknownElement, member.key_span, pointer,
               fmt::format("unknown element `{}` in {}{}", member.key, where, suggestion_for(member.key, known)));
  }

  Kind kind_;
  Emitter& emit_;
  const Node* root_ = nullptr;
  bool variables_enabled_ = false;  // under `2012-10-17`, where `${...}` is a policy variable
};

}  // namespace

std::optional<Document> lower(const json::Node& root, Kind kind, Emitter& emit) {
  return Lowerer(kind, emit).document(root);
}

}  // namespace grantlint::policy
