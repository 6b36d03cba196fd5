// One policy document through the checks: its grammar for its kind, its size and
// characters, and (unless only the grammar is wanted) every semantic check.
#pragma once

#include <optional>
#include <string_view>

#include "diag/emitter.h"
#include "json/node.h"
#include "json/offset_map.h"
#include "policy/kind.h"
#include "policy/model.h"

namespace grantlint {

namespace catalog {
class Catalog;
}

enum class Depth : bool {
  grammar,  // what AWS would reject: a non-default policy version is checked only for this
  full,
};

// What the caller knows of where a document is attached.
struct Attachment {
  std::string_view account;                             // the owning account (`check --account`)
  const policy::ResourceType* resource_type = nullptr;  // a resource policy's resource
  std::string_view resource_name;                       // and its name (a bucket's), when known
};

// Returns the lowered document (nullopt when the root is not an object), for callers that
// go on to evaluate it.
std::optional<policy::Document> analyse_policy(const json::Node& root, std::string_view text,
                                               const json::OffsetMap& map, policy::Kind kind,
                                               const catalog::Catalog& catalog, Emitter& emit,
                                               Depth depth = Depth::full, const Attachment& attached = {});

// The same in its two stages, for callers that share the first stage's findings between
// documents (account scans): the grammar and the text (what AWS rejects), then the checks.
std::optional<policy::Document> analyse_grammar(const json::Node& root, std::string_view text,
                                                const json::OffsetMap& map, policy::Kind kind, Emitter& emit,
                                                const Attachment& attached = {});
void analyse_semantics(const policy::Document& document, const catalog::Catalog& catalog, Emitter& emit);

}  // namespace grantlint
