#include "engine/check.h"

#include <fmt/format.h>

#include "account/authz_details.h"
#include "account/scan.h"
#include "catalog/catalog.h"
#include "diag/emitter.h"
#include "engine/analyse.h"
#include "input/embedded.h"
#include "input/recognize.h"
#include "json/offset_map.h"
#include "json/parse.h"
#include "policy/lower.h"
#include "rules/registry.h"

namespace grantlint {

struct Checker::Impl {
  CheckOptions options;
  SourceSet sources;
  DiagnosticSink sink;
  json::Parser parser;
  std::vector<DocumentInfo> documents;
  std::vector<ToolNotification> notifications;

  const catalog::Catalog& catalog() const {
    return options.catalog != nullptr ? *options.catalog : catalog::Catalog::builtin();
  }

  void analyse(SourceId id) {
    const SourceFile& file = sources.get(id);
    Emitter file_emit(sink, id);
    // An account export is analysed as `scan` does, without a tree of the whole file.
    if (!options.forced_kind && account::looks_like_authorization_details(file.text())) {
      account::analyse_export(file, id, catalog(), 0, sink, documents);
      return;
    }
    const auto root = parser.parse(file.text(), json::OffsetMap::shifted(0), file_emit);
    if (!root) return;
    for (const input::PolicySlot& slot : input::find_policies(*root)) {
      Emitter emit(sink, id, slot.pointer);
      // A string inside a wrapper holds the policy; a string as the whole file is not a policy.
      if (!slot.pointer.empty() && slot.node->is(json::Type::string)) {
        analyse_embedded(file, slot, emit);
      } else {
        const std::string_view text = slot.pointer.empty()
                                          ? file.text()
                                          : file.text().substr(slot.node->span.begin, slot.node->span.size());
        const auto map = json::OffsetMap::shifted(slot.pointer.empty() ? 0 : slot.node->span.begin);
        analyse_document(*slot.node, text, map, slot, emit);
      }
    }
  }

  void analyse_embedded(const SourceFile& file, const input::PolicySlot& slot, Emitter& emit) {
    const auto embedded = input::parse_embedded(file.text(), slot, parser, emit);
    if (!embedded) return;
    const std::string_view text(embedded->text.data(), embedded->text.size());
    analyse_document(embedded->root, text, embedded->map, slot, emit);
  }

  void analyse_document(const json::Node& root, std::string_view text, const json::OffsetMap& map,
                        const input::PolicySlot& slot, Emitter& emit) {
    policy::Kind kind = policy::Kind::identity;
    bool detected = false;
    if (options.forced_kind) {
      kind = *options.forced_kind;
    } else if (slot.kind) {
      kind = *slot.kind;
    } else {
      kind = policy::detect_kind(root);
      detected = true;
    }
    documents.push_back(DocumentInfo{emit.source(), slot.pointer, kind, detected});
    analyse_policy(root, text, map, kind, catalog(), emit);
  }
};

Checker::Checker(CheckOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = options; }
Checker::~Checker() = default;

void Checker::check_bytes(std::string path, std::string_view bytes) {
  if (bytes.size() > kMaxFileBytes) {  // spans are 32-bit offsets
    impl_->notifications.push_back(
        ToolNotification{path, fmt::format("cannot check `{}`: larger than {} bytes", path, kMaxFileBytes)});
    return;
  }
  impl_->analyse(impl_->sources.add(std::move(path), bytes));
}

void Checker::check_file(const std::string& path, const std::string& display_path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) {
    impl_->notifications.push_back(ToolNotification{display_path, bytes.error().message});
    return;
  }
  check_bytes(display_path, *bytes);
}

void Checker::add_notification(ToolNotification notification) {
  impl_->notifications.push_back(std::move(notification));
}

CheckReport make_report(SourceSet sources, DiagnosticSink sink, std::vector<DocumentInfo> documents,
                        std::vector<ToolNotification> notifications) {
  CheckReport report;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < sources.size(); ++i) paths.push_back(sources.get(static_cast<SourceId>(i)).path());
  report.diagnostics = std::move(sink).sorted(paths);
  report.sources = std::move(sources);
  report.documents = std::move(documents);
  report.notifications = std::move(notifications);
  return report;
}

CheckReport Checker::finish() && {
  return make_report(std::move(impl_->sources), std::move(impl_->sink), std::move(impl_->documents),
                     std::move(impl_->notifications));
}

}  // namespace grantlint
