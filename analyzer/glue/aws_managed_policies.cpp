#include "glue/aws_managed_policies.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>

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
  if (text == kTexts.end() && arn.starts_with("arn:aws-")) {
    // The same policy in the China and GovCloud partitions: the table holds the `aws` one's
    // text (resource ARNs in it name the `aws` partition, so it allows no more there).
    const std::size_t rest = arn.find(':', 4);
    if (rest != std::string_view::npos) text = kTexts.find(std::string("arn:aws") + std::string(arn.substr(rest)));
  }
  if (text == kTexts.end()) return nullptr;
  const std::lock_guard lock(mutex);
  auto it = compiled.find(arn);
  if (it == compiled.end()) {
    it = compiled.emplace(std::string(arn), compile_policy_text(std::string(text->second), policy::Kind::identity,
                                                                catalog))
             .first;
  }
  return it->second.get();
}

account::BuiltinPolicyLookup aws_managed_policy_lookup(const catalog::Catalog& catalog) {
  return [&catalog](std::string_view arn) { return known_aws_managed_policy(arn, catalog); };
}

}  // namespace grantlint::glue
