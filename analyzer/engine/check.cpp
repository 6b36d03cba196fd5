#include "engine/check.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "catalog/catalog.h"
#include "checks/checks.h"
#include "diag/emitter.h"
#include "input/recognize.h"
#include "json/offset_map.h"
#include "json/parse.h"
#include "policy/lower.h"
#include "rules/registry.h"

namespace grantlint {

namespace {

bool looks_url_encoded(std::string_view text) {
  const auto first = text.find_first_not_of(kJsonSpace);
  return first != std::string_view::npos && text[first] == '%';
}

}  // namespace

struct Checker::Impl {
  CheckOptions options;
  SourceSet sources;
  DiagnosticSink sink;
  json::Parser parser;
  std::vector<DocumentInfo> documents;
  std::vector<ToolNotification> notifications;

  void analyse(SourceId id) {
    const SourceFile& file = sources.get(id);
    Emitter file_emit(sink, id);
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

  // A policy held in a JSON string, perhaps URL-encoded: decode it keeping every byte's
  // origin, parse the decoded text, and report against the escapes in the file.
  void analyse_embedded(const SourceFile& file, const input::PolicySlot& slot, Emitter& emit) {
    const Span span = slot.node->span;
    json::DecodedText decoded = json::decode_json_string(file.text().substr(span.begin, span.size()), span.begin);
    if (looks_url_encoded(decoded.text)) {
      json::DecodedText url_decoded;
      std::uint32_t bad = 0;
      if (!json::percent_decode(decoded, url_decoded, bad)) {
        emit.emit(rules::kEmbeddedPolicy, Span{bad, std::min(bad + 3, span.end)}, "",
                  fmt::format("the URL-encoded policy in `{}` has a `%` not followed by two hex digits",
                              slot.pointer.substr(1)));
        return;
      }
      decoded = std::move(url_decoded);
    }
    if (decoded.text.find_first_not_of(kJsonSpace) == std::string::npos) {
      emit.emit(rules::kEmbeddedPolicy, span, "", fmt::format("`{}` holds an empty string, not a policy", slot.pointer.substr(1)));
      return;
    }
    const simdjson::padded_string padded(decoded.text);
    const auto map = json::OffsetMap::table(std::move(decoded.origin));
    const std::string_view text(padded.data(), padded.size());
    const auto root = parser.parse(text, map, emit);
    if (!root) return;
    analyse_document(*root, text, map, slot, emit);
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
    const auto doc = policy::lower(root, kind, emit);
    if (!doc) return;
    policy::check_policy_text(text, map, kind, emit);
    checks::run_all(*doc, options.catalog != nullptr ? *options.catalog : catalog::Catalog::builtin(), emit);
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

CheckReport Checker::finish() && {
  CheckReport report;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < impl_->sources.size(); ++i) {
    paths.push_back(impl_->sources.get(static_cast<SourceId>(i)).path());
  }
  report.diagnostics = std::move(impl_->sink).sorted(paths);
  report.sources = std::move(impl_->sources);
  report.documents = std::move(impl_->documents);
  report.notifications = std::move(impl_->notifications);
  return report;
}

}  // namespace grantlint
