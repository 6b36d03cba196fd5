#include "eval/context.h"

#include "base/strings.h"

namespace grantlint::eval {

void Context::set(std::string_view key, ContextValue value) { values_[ascii_lower(key)] = std::move(value); }

void Context::set_default(std::string_view key, std::string value) {
  std::string lower = ascii_lower(key);
  if (values_.contains(lower) || (!derived_over_unknown_ && is_unknown(lower))) return;
  values_.emplace(std::move(lower), ContextValue{{std::move(value)}, false});
}

void Context::mark_unknown(std::string_view pattern) {
  match::Glob glob(pattern, /*fold_case=*/true);
  if (glob.has_wildcard()) {
    unknown_.push_back(std::move(glob));
  } else {
    unknown_keys_.insert(ascii_lower(pattern));
  }
}

void Context::forget(std::string_view key) { values_.erase(ascii_lower(key)); }

void Context::mark_absent(std::string_view key) {
  std::string lower = ascii_lower(key);
  values_.erase(lower);
  absent_.insert(std::move(lower));
}

const ContextValue* Context::find(std::string_view lower_key) const {
  const auto it = values_.find(lower_key);
  return it == values_.end() ? nullptr : &it->second;
}

bool no_request_carries(std::string_view key) {
  const std::size_t colon = key.find(':');
  return colon == std::string_view::npos || colon == 0 || (key.size() >= 5 && iequals(key.substr(0, 5), "aws::"));
}

bool Context::is_unknown(std::string_view lower_key) const {
  if (values_.contains(lower_key) || absent_.contains(lower_key)) return false;
  // No request carries a key without a `service:` prefix or a CloudFormation pseudo parameter
  // left outside `Fn::Sub` (`${AWS::AccountId}`, POL036): absent, whatever the caller left unknown.
  if (no_request_carries(lower_key)) return false;
  if (unknown_keys_.contains(lower_key)) return true;
  for (const match::Glob& glob : unknown_) {
    if (glob.matches(lower_key)) return true;
  }
  return false;
}

}  // namespace grantlint::eval
