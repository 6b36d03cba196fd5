// Condition operator names: parsing `ForAnyValue:StringLikeIfExists` into its parts.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "policy/model.h"

namespace grantlint::policy {

std::span<const std::string_view> base_operators();  // canonical spellings
std::span<const std::string_view> set_operators();   // "ForAllValues", "ForAnyValue"

// How a written operator relates to the documented ones.
struct OperatorParse {
  enum class Status : std::uint8_t {
    ok,               // documented spelling
    case_mismatch,    // accepted by AWS without regard to case, but not the documented spelling
    unknown_base,     // `suggestion` may hold the nearest base operator
    bad_set_prefix,   // a prefix before `:` that is not a set operator
    misplaced_set,    // a set operator after the base operator
    missing_colon,    // a set operator run into the base operator: `ForAnyValueStringEquals`
    too_many_colons,  // more than one `:`
    null_if_exists,   // NullIfExists
  };
  Status status = Status::ok;
  ConditionOperator op;  // canonical parts (valid for ok, case_mismatch and null_if_exists)
  std::string canonical;  // the documented spelling of what was meant, when known
  std::string detail;     // the offending part
};

OperatorParse parse_operator(std::string_view text);

}  // namespace grantlint::policy
