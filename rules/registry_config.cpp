// The configuration's rules (`.grantlint.json`, analyzer/config/project.cpp and the Glue
// pack's policy-file section).
#include <array>
#include <span>

#include "rules/registry.h"

namespace grantlint::rules {

const RuleMeta kInvalidConfig{
    .id = "CFG001",
    .name = "InvalidConfig",
    .type = FindingType::error,
    .summary = "the `.grantlint.json` configuration cannot be used as written",
    .help =
        "A member grantlint does not know (with the nearest known name), a value of the wrong type, a glob or "
        "suppression `pointer` that would match nothing as written (a leading `/`, a character class, a pointer "
        "without its leading `/`), a role a job or crawler runs as that `glue.roles` does not declare, a part a "
        "component encrypts without a key for it, a key that is not a KMS key ARN, or a policy file that cannot "
        "be read or holds no policy. The Glue pack does not run on a configuration with such a problem, except a "
        "policy file: the pack then runs without it, and what needs it is said not to be evaluated. A warning "
        "says where matching suppression paths against the run's files ran past its budget (README, Limits). "
        "Fix it and run again. The format is in docs/glue.md, \"Policy files\".",
    .tags = "correctness config"};

const RuleMeta kExpiredSuppression{
    .id = "CFG002",
    .name = "ExpiredSuppression",
    .type = FindingType::warning,
    .summary = "a suppression in `.grantlint.json` has expired",
    .help =
        "A suppression's `expires` date has passed, so it no longer applies and the findings it covered are "
        "reported again. Fix them, or review the reason and set a new date.",
    .tags = "config"};

const RuleMeta kUnusedSuppression{
    .id = "CFG003",
    .name = "UnusedSuppression",
    .type = FindingType::warning,
    .summary = "a suppression in `.grantlint.json` matches no finding",
    .help =
        "No finding has the suppression's rule, path, and Sid, principal or JSON pointer: the problem was fixed, "
        "or the suppression names it wrongly. Remove it, or correct it so that it keeps hiding only what was "
        "reviewed.",
    .tags = "config"};

namespace {
constexpr std::array kConfig = {&kInvalidConfig, &kExpiredSuppression, &kUnusedSuppression};
}  // namespace

std::span<const RuleMeta* const> config_rules() { return kConfig; }

}  // namespace grantlint::rules
