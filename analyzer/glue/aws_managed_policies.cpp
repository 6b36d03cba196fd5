#include "glue/aws_managed_policies.h"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/strings.h"
#include "glue/files.h"

namespace grantlint::glue {

extern const char kAwsManagedPolicies[];
extern const std::size_t kAwsManagedPoliciesSize;

namespace {

// ARN → its document's text, from the embedded table.
std::map<std::string, std::string_view, std::less<>> texts() {
  std::map<std::string, std::string_view, std::less<>> out;
  std::string_view table(kAwsManagedPolicies, kAwsManagedPoliciesSize);
  while (!table.empty()) {
    const std::size_t end = std::min(table.find('\n'), table.size());
    const std::string_view line = table.substr(0, end);
    table.remove_prefix(std::min(end + 1, table.size()));
    const std::size_t tab = line.find('\t');
    if (line.starts_with('#') || tab == std::string_view::npos) continue;
    out.emplace(std::string(line.substr(0, tab)), line.substr(tab + 1));
  }
  return out;
}

}  // namespace

const eval::CompiledPolicy* known_aws_managed_policy(std::string_view arn, const catalog::Catalog& catalog) {
  static const auto kTexts = texts();
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<const eval::CompiledPolicy>, std::less<>> compiled;
  auto text = kTexts.find(arn);
  std::string_view partition = "aws";
  if (text == kTexts.end() && arn.starts_with("arn:aws-")) {
    // The same policy in the China and GovCloud partitions: the table holds the `aws` one's
    // text, whose resource ARNs are written in that partition's instead.
    const std::size_t rest = arn.find(':', 4);
    if (rest != std::string_view::npos && is_partition(arn.substr(4, rest - 4))) {
      text = kTexts.find(std::string("arn:aws") + std::string(arn.substr(rest)));
      partition = arn.substr(4, rest - 4);
    }
  }
  if (text == kTexts.end()) return nullptr;
  const std::lock_guard lock(mutex);
  auto it = compiled.find(arn);
  if (it == compiled.end()) {
    std::string document(text->second);
    if (partition != "aws") {
      const std::string written = fmt::format("arn:{}:", partition);
      for (std::size_t at = document.find("arn:aws:"); at != std::string::npos; at = document.find("arn:aws:", at)) {
        document.replace(at, 8, written);
        at += written.size();
      }
    }
    it = compiled.emplace(std::string(arn), compile_policy_text(document, policy::Kind::identity, catalog)).first;
  }
  return it->second.get();
}

account::BuiltinPolicyLookup aws_managed_policy_lookup(const catalog::Catalog& catalog) {
  return [&catalog](std::string_view arn) { return known_aws_managed_policy(arn, catalog); };
}

}  // namespace grantlint::glue
