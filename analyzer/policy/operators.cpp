#include "policy/operators.h"

#include <array>

#include "base/suggest.h"

namespace grantlint::policy {

namespace {

constexpr std::array<std::string_view, 27> kBase = {
    "StringEquals",       "StringNotEquals",           "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
    "StringLike",         "StringNotLike",             "NumericEquals",          "NumericNotEquals",
    "NumericLessThan",    "NumericLessThanEquals",     "NumericGreaterThan",     "NumericGreaterThanEquals",
    "DateEquals",         "DateNotEquals",             "DateLessThan",           "DateLessThanEquals",
    "DateGreaterThan",    "DateGreaterThanEquals",     "Bool",                   "BinaryEquals",
    "IpAddress",          "NotIpAddress",              "ArnEquals",              "ArnLike",
    "ArnNotEquals",       "ArnNotLike",                "Null"};
constexpr std::array<std::string_view, 2> kSet = {"ForAllValues", "ForAnyValue"};

std::string_view find_ci(std::span<const std::string_view> list, std::string_view word) {
  for (std::string_view candidate : list) {
    if (iequals(candidate, word)) return candidate;
  }
  return {};
}


}  // namespace

std::span<const std::string_view> base_operators() { return kBase; }
std::span<const std::string_view> set_operators() { return kSet; }

OperatorParse parse_operator(std::string_view text) {
  using Status = OperatorParse::Status;
  OperatorParse out;
  bool case_differs = false;
  std::string_view rest = text;

  if (const auto colon = text.find(':'); colon != std::string_view::npos) {
    if (text.find(':', colon + 1) != std::string_view::npos) {
      out.status = Status::too_many_colons;
      return out;
    }
    const std::string_view prefix = text.substr(0, colon);
    rest = text.substr(colon + 1);
    if (!find_ci(kSet, rest).empty()) {
      out.status = Status::misplaced_set;
      out.detail = std::string(rest);
      out.canonical = std::string(find_ci(kSet, rest)) + ":" + std::string(prefix);
      return out;
    }
    const std::string_view set = find_ci(kSet, prefix);
    if (set.empty()) {
      out.status = Status::bad_set_prefix;
      out.detail = std::string(prefix);
      if (auto near = closest_match(prefix, kSet)) out.canonical = std::string(*near) + ":" + std::string(rest);
      return out;
    }
    case_differs = set != prefix;
    out.op.set_prefix = std::string(set);
  } else {
    for (std::string_view set : kSet) {
      if (istarts_with(text, set)) {
        out.status = Status::missing_colon;
        out.detail = std::string(set);
        out.canonical = std::string(set) + ":" + std::string(text.substr(set.size()));
        return out;
      }
      if (iends_with(text, set)) {
        out.status = Status::misplaced_set;
        out.detail = std::string(set);
        out.canonical = std::string(set) + ":" + std::string(text.substr(0, text.size() - set.size()));
        return out;
      }
    }
  }

  std::string_view base = rest;
  if (iends_with(base, "IfExists") && base.size() > 8) {
    case_differs = case_differs || base.substr(base.size() - 8) != "IfExists";
    base.remove_suffix(8);
    out.op.if_exists = true;
  }
  const std::string_view canonical_base = find_ci(kBase, base);
  if (canonical_base.empty()) {
    out.status = Status::unknown_base;
    out.detail = std::string(base);
    if (auto near = closest_match(base, kBase)) {
      out.canonical = (out.op.set_prefix.empty() ? "" : out.op.set_prefix + ":") + std::string(*near) +
                      (out.op.if_exists ? "IfExists" : "");
    }
    return out;
  }
  case_differs = case_differs || canonical_base != base;
  out.op.base = std::string(canonical_base);
  out.canonical = (out.op.set_prefix.empty() ? "" : out.op.set_prefix + ":") + out.op.base +
                  (out.op.if_exists ? "IfExists" : "");
  if (out.op.base == "Null" && out.op.if_exists) {
    out.status = Status::null_if_exists;
    return out;
  }
  out.status = case_differs ? Status::case_mismatch : Status::ok;
  return out;
}

}  // namespace grantlint::policy
