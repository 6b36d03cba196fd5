#include "glue/requirements.h"

#include <fmt/format.h>

#include <array>

#include "base/strings.h"
#include "rules/registry.h"

namespace grantlint::glue {

extern const char kGlueRequirements[];
extern const std::size_t kGlueRequirementsSize;

std::string_view to_string(KeyPurpose purpose) {
  switch (purpose) {
    case KeyPurpose::none: return "";
    case KeyPurpose::catalog: return "Data Catalog";
    case KeyPurpose::password: return "connection password";
    case KeyPurpose::s3: return "S3";
    case KeyPurpose::cloudwatch: return "CloudWatch Logs";
    case KeyPurpose::bookmarks: return "job bookmark";
  }
  return "";
}

namespace {

template <typename T, std::size_t N>
std::optional<T> lookup(const std::array<std::pair<std::string_view, T>, N>& table, std::string_view name) {
  for (const auto& [key, value] : table) {
    if (key == name) return value;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<std::string_view, Who>, 6> kWho = {{
    {"job", Who::job},
    {"crawler", Who::crawler},
    {"dev-endpoint", Who::dev_endpoint},
    {"operator", Who::operator_principal},
    {"catalog-service-role", Who::catalog_service_role},
    {"logs-service", Who::logs_service},
}};

constexpr std::array<std::pair<std::string_view, When>, 8> kWhen = {{
    {"always", When::always},
    {"catalog-encrypted", When::catalog_encrypted},
    {"catalog-service-role", When::catalog_service_role},
    {"uses-jdbc-connection", When::uses_jdbc_connection},
    {"manages-connections", When::manages_connections},
    {"s3-sse-kms", When::s3_sse_kms},
    {"cloudwatch-sse-kms", When::cloudwatch_sse_kms},
    {"bookmarks-cse-kms", When::bookmarks_cse_kms},
}};

constexpr std::array<std::pair<std::string_view, KeyPurpose>, 6> kKey = {{
    {"-", KeyPurpose::none},
    {"catalog", KeyPurpose::catalog},
    {"password", KeyPurpose::password},
    {"s3", KeyPurpose::s3},
    {"cloudwatch", KeyPurpose::cloudwatch},
    {"bookmarks", KeyPurpose::bookmarks},
}};

constexpr std::array<std::pair<std::string_view, Severity>, 4> kSeverity = {{
    {"high", Severity::high},
    {"medium", Severity::medium},
    {"low", Severity::low},
    {"info", Severity::info},
}};

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) return out;
    start = tab + 1;
  }
}

}  // namespace

std::expected<std::vector<Requirement>, RequirementError> parse_requirements(std::string_view text) {
  std::vector<Requirement> out;
  std::size_t number = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (line.empty() || line.front() == '#') continue;
    const auto fail = [&](std::string message) {
      return std::unexpected(RequirementError{number, std::move(message)});
    };
    const std::vector<std::string_view> fields = split_tabs(line);
    if (fields.size() != 10) return fail(fmt::format("expected 10 tab-separated fields, found {}", fields.size()));
    Requirement requirement;
    requirement.line = number;
    requirement.rule = rules::find_rule(fields[0]);
    if (requirement.rule == nullptr) return fail(fmt::format("unknown rule `{}`", fields[0]));
    for (const std::string_view word : split_words(fields[1])) {
      const auto who = lookup(kWho, word);
      if (!who) return fail(fmt::format("unknown principal kind `{}`", word));
      requirement.who.push_back(*who);
    }
    if (requirement.who.empty()) return fail("no principal kind");
    const auto when = lookup(kWhen, fields[2]);
    if (!when) return fail(fmt::format("unknown condition `{}`", fields[2]));
    requirement.when = *when;
    const auto key = lookup(kKey, fields[3]);
    if (!key) return fail(fmt::format("unknown key purpose `{}`", fields[3]));
    requirement.key = *key;
    for (const std::string_view action : split_words(fields[4])) {
      if (action.find(':') == std::string_view::npos) return fail(fmt::format("`{}` is not service:Action", action));
      requirement.actions.emplace_back(action);
    }
    if (requirement.actions.empty()) return fail("no actions");
    requirement.resource = fields[5];
    if ((requirement.resource == "key") != (requirement.key != KeyPurpose::none)) {
      return fail("the resource is `key` exactly when a key purpose is given");
    }
    if (fields[6] != "-") {
      for (const std::string_view pair : split_words(fields[6])) {
        if (pair.size() > 1 && pair.front() == kAbsentMark && pair.find('=') == std::string_view::npos) {
          requirement.context.emplace_back(pair, "");  // a key the request does not carry
          continue;
        }
        const std::size_t equals = pair.find('=');
        if (equals == std::string_view::npos || equals == 0) return fail(fmt::format("`{}` is not key=value", pair));
        requirement.context.emplace_back(pair.substr(0, equals), pair.substr(equals + 1));
      }
    }
    const auto severity = lookup(kSeverity, fields[7]);
    if (!severity) return fail(fmt::format("unknown severity `{}`", fields[7]));
    requirement.severity = *severity;
    requirement.purpose = fields[8];
    requirement.doc = fields[9];
    if (!requirement.doc.starts_with("https://")) return fail("the documentation link must be an https URL");
    out.push_back(std::move(requirement));
  }
  return out;
}

const std::vector<Requirement>& builtin_requirements() {
  static const std::vector<Requirement> table =
      parse_requirements(std::string_view(kGlueRequirements, kGlueRequirementsSize))
          .value_or(std::vector<Requirement>{});
  return table;
}

std::string expand(std::string_view text, const std::vector<std::pair<std::string_view, std::string_view>>& values) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.substr(i, 2) == "${") {
      const std::size_t close = text.find('}', i);
      if (close != std::string_view::npos) {
        const std::string_view name = text.substr(i + 2, close - i - 2);
        bool found = false;
        for (const auto& [key, value] : values) {
          if (key == name) {
            out += value;
            found = true;
            break;
          }
        }
        if (found) {
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace grantlint::glue
