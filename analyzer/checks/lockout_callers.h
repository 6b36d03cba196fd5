// The callers and keys KMS001's lockout question asks about, read from a key policy: who it
// names (principals, `aws:PrincipalArn` patterns, account values), in which partitions and
// accounts, and which keys it may be attached to.
#pragma once

#include <compare>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/model.h"
#include "source/span.h"

namespace grantlint::checks {

// Calls `visit` with each text of the policy's statements that may name an account or a
// partition: principal values, resources and condition values (a `policy::Text&` to change when
// the policy is not const).
template <class Document, class Visit>
void for_each_account_text(Document& doc, Visit visit) {
  for (auto& st : doc.statements) {
    for (auto& entry : st.principal.entries) {
      for (auto& value : entry.values) visit(value);
    }
    for (auto& item : st.resource.items) visit(item);
    for (auto& condition : st.conditions) {
      for (auto& value : condition.values) visit(value);
    }
  }
}

// The partitions the policy names in an ARN (a principal, a resource, a condition value), `aws`
// when it names none. A partition a pattern leaves open (`arn:*:iam::A:role/Admin`, `arn:aws*:`),
// a bare account id or an account value is each of them that it admits (h55 H3: taken as `aws`,
// such a caller was never asked about an `aws-cn` key, and its Deny made a false lockout).
std::vector<std::string> partitions_named(const policy::Document& doc);

// A caller to ask about, and the `aws:PrincipalArn` its request carries (a role's session
// does not name the role's path; empty: the caller's ARN tells it).
struct Probe {
  std::string caller;
  std::string principal_arn;
  friend auto operator<=>(const Probe&, const Probe&) = default;
};

// Why callers_to_ask() listed none.
struct Unlisted {
  std::string template_value;  // a principal or account value holding a template's placeholder
  Span template_span;          // where it is
  bool past_limit = false;     // more callers than its limit
  bool past_patterns = false;  // accounts × the patterns that tell them apart past its budget
};

// The callers to ask whether they may change a key policy, as `simulate` takes them:
// - the root, an IAM user and a role's session of each account the policy names, in a
//   principal, in an `aws:PrincipalArn` pattern or as an `aws:PrincipalAccount` or
//   `kms:CallerAccount` value of a statement about `kms:PutKeyPolicy`;
// - a session of each role named, and each user, role session and federated user named;
// - the users and roles those statements' `aws:PrincipalArn` conditions name: a wildcard under a
//   `Like` or `Arn` operator filled in, an account field that is a pattern or a policy variable
//   taken as each account named that it admits; under a `String` operator a wildcard is
//   literal, and no IAM name holds one. A role named elsewhere in the same account under another
//   path is that one (a role's name is unique in its account).
// Accounts named only by statements that are not about `kms:PutKeyPolicy` (an Allow of
// `kms:Decrypt` to 1,500 accounts) are alike but for the partition and the wildcard patterns
// (`aws:PrincipalArn` account fields, `aws:PrincipalAccount` values) that admit them: of each
// such class one is asked, and the owner's (h52 H2: three callers each made a 22 KB policy pass
// the budget, and its lockout went unsaid). A pattern these cannot read asks them all.
// None, and `*unlisted` says why, when one of them holds a template's placeholder (who it names
// is not known), past `limit` callers, or past `budget` accounts × patterns to sort them by.
std::optional<std::vector<Probe>> callers_to_ask(const policy::Document& doc, std::string_view owner,
                                                 std::size_t budget, std::size_t limit, Unlisted* unlisted);

// A key a key policy may be attached to, for asking the evaluator, and its account.
struct KeyToAsk {
  std::string arn;
  std::string partition;
  std::string account;
};

// The keys a key policy may be attached to: the first key ARN its resources name, else one of
// the account that owns the policy; else one of each account (in each partition the policy names
// that its ARN admits, `aws` when it names none) an Allow of `kms:PutKeyPolicy`
// admits by name (a principal, or an `aws:PrincipalAccount`, `kms:CallerAccount` or
// `aws:PrincipalArn` value): the key's own is among them, and only its callers may change its
// policy (h52 review: the lowest account named was taken for the key's, and a user of the key in
// a lower-numbered account made the administrators "cross-account"); else one of each account
// the callers asked are of, and so when one admits everyone. `probes` is not empty.
std::vector<KeyToAsk> keys_to_ask(const policy::Document& doc, const std::vector<Probe>& probes);

}  // namespace grantlint::checks
