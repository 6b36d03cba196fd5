// The Glue pack's permission requirements, as data (rules/glue/requirements.tsv): which
// principal of which component needs which actions, on which key or resource, with which
// request context, at what severity, and the AWS page that says so.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diag/diagnostic.h"

namespace grantlint::glue {

// Marks a context key the request does not carry (`!kms:ViaService`: a direct call to KMS).
constexpr char kAbsentMark = '!';

enum class Who : std::uint8_t { job, crawler, dev_endpoint, operator_principal, catalog_service_role, logs_service };

enum class When : std::uint8_t {
  always,
  catalog_encrypted,     // CatalogEncryptionMode SSE-KMS: every client uses the key itself
  catalog_service_role,  // SSE-KMS-WITH-SERVICE-ROLE: the service role uses it
  uses_jdbc_connection,  // the component uses a JDBC connection and passwords are encrypted
  manages_connections,   // the operator may create or update connections, passwords encrypted
  s3_sse_kms,
  cloudwatch_sse_kms,
  bookmarks_cse_kms,  // and the job enables bookmarks
};

enum class KeyPurpose : std::uint8_t { none, catalog, password, s3, cloudwatch, bookmarks };
std::string_view to_string(KeyPurpose purpose);  // "Data Catalog", "connection password", ...

struct Requirement {
  const RuleMeta* rule = nullptr;
  std::vector<Who> who;
  When when = When::always;
  KeyPurpose key = KeyPurpose::none;
  std::vector<std::string> actions;
  std::string resource;                                      // "key", or an ARN template
  std::vector<std::pair<std::string, std::string>> context;  // key, value template; `!key`: absent
  Severity severity = Severity::none;
  std::string purpose;
  std::string doc;
  std::size_t line = 0;
};

struct RequirementError {
  std::size_t line = 0;
  std::string message;
};

std::expected<std::vector<Requirement>, RequirementError> parse_requirements(std::string_view text);

// The built-in table; a test proves it parses, so a broken one is never shipped.
const std::vector<Requirement>& builtin_requirements();

// `${partition}` and the like replaced by their values.
std::string expand(std::string_view text, const std::vector<std::pair<std::string_view, std::string_view>>& values);

}  // namespace grantlint::glue
