#include "engine/analyse.h"

#include "catalog/catalog.h"
#include "checks/checks.h"
#include "policy/lower.h"

namespace grantlint {

std::optional<policy::Document> analyse_policy(const json::Node& root, std::string_view text,
                                               const json::OffsetMap& map, policy::Kind kind,
                                               const catalog::Catalog& catalog, Emitter& emit, Depth depth,
                                               const Attachment& attached) {
  auto document = analyse_grammar(root, text, map, kind, emit, attached);
  if (document && depth == Depth::full) analyse_semantics(*document, catalog, emit);
  return document;
}

std::optional<policy::Document> analyse_grammar(const json::Node& root, std::string_view text,
                                                const json::OffsetMap& map, policy::Kind kind, Emitter& emit,
                                                const Attachment& attached) {
  auto document = policy::lower(root, kind, emit);
  if (!document) return std::nullopt;
  document->account = attached.account;
  if (kind == policy::Kind::resource) {
    document->resource_type = attached.resource_type;
    if (attached.resource_type != nullptr) document->resource_name = attached.resource_name;
  }
  policy::check_policy_text(text, map, kind, emit, document->resource_type);
  return document;
}

void analyse_semantics(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit) {
  checks::run_all(document, catalog, emit);
}

}  // namespace grantlint
