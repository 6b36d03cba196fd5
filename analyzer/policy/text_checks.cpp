#include <fmt/format.h>

#include "base/utf8.h"

#include "policy/lower.h"
#include "policy/resource_type.h"
#include "rules/registry.h"

namespace grantlint::policy {

namespace {

bool is_ws(std::uint32_t cp) { return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r'; }

}  // namespace

void check_policy_text(std::string_view text, const json::OffsetMap& map, Kind kind, Emitter& emit,
                       const ResourceType* resource_type) {
  std::uint32_t base = 0;  // a byte order mark is reported by the JSON stage, and not counted
  if (text.starts_with(kByteOrderMark)) {
    text.remove_prefix(kByteOrderMark.size());
    base = static_cast<std::uint32_t>(kByteOrderMark.size());
  }
  std::size_t characters = 0;
  std::size_t bad_count = 0;
  std::size_t first_bad = 0;
  std::size_t first_bad_len = 0;
  std::uint32_t first_bad_cp = 0;
  const bool iam_charset = is_identity_like(kind) || kind == Kind::trust;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x80) {  // printable ASCII, most of every policy
      if (byte != ' ') ++characters;
      ++i;
      continue;
    }
    const CodePoint decoded = decode_utf8(text, i);
    const std::uint32_t cp = decoded.value;
    const std::size_t len = decoded.length;
    if (!is_ws(cp)) ++characters;
    if (iam_charset && !(cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0xFF))) {
      if (bad_count++ == 0) {
        first_bad = i;
        first_bad_len = len;
        first_bad_cp = cp;
      }
    }
    i += len;
  }
  if (bad_count > 0) {
    const auto begin = base + static_cast<std::uint32_t>(first_bad);
    emit.emit(rules::kInvalidCharacter, map.map(Span{begin, begin + static_cast<std::uint32_t>(first_bad_len)}), "",
              fmt::format("character U+{:04X} is outside what IAM accepts (tab, newline and U+0020 to U+00FF){}",
                          first_bad_cp,
                          bad_count > 1 ? fmt::format("; {} such characters in the policy", bad_count) : ""));
  }
  SizeQuota quota = size_quota(kind);
  if (kind == Kind::resource && resource_type != nullptr && resource_type->size_quota != 0) {
    quota = SizeQuota{static_cast<std::uint32_t>(resource_type->size_quota), resource_type->quota_counts_whitespace,
                      resource_type->quota_what};
  }
  if (quota.limit == 0) return;
  const std::size_t size = quota.bytes ? text.size() : characters;
  const Span first_byte = map.map(Span{base, base + (text.empty() ? 0u : 1u)});
  if (size > quota.limit) {
    emit.emit(rules::kPolicyTooLarge, first_byte, "",
              fmt::format("the policy is {} {}, over the {} quota of {} for {}", size,
                          quota.bytes ? "bytes" : "characters without white space",
                          quota.bytes ? "byte" : "character", quota.limit, quota.what));
  } else if (kind == Kind::trust && size > 2048) {
    emit.emit(rules::kPolicyTooLarge, first_byte, "",
              fmt::format("the trust policy is {} characters without white space, over the default quota of "
                          "2048; it fits only if the account's quota was raised",
                          size),
              Level::warning);
  }
}

}  // namespace grantlint::policy
