#include "account/authz_details.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <array>

#include "base/strings.h"
#include "json/pointer.h"
#include "json/syntax_check.h"
#include "match/arn.h"
#include "rules/registry.h"

namespace grantlint::account {

namespace od = simdjson::ondemand;

namespace {

using json::Node;
using json::Type;

constexpr std::array<std::string_view, 6> kTopLevelKeys = {"UserDetailList", "GroupDetailList", "RoleDetailList",
                                                           "Policies",       "IsTruncated",     "Marker"};

std::string child(const std::string& pointer, std::string_view key) { return json::pointer_append(pointer, key); }
std::string child(const std::string& pointer, std::size_t index) { return fmt::format("{}/{}", pointer, index); }

// Reads one element of a list, already parsed into a Node whose spans are in the file.
class ElementReader {
 public:
  ElementReader(Emitter& emit, Export& out) : emit_(emit), out_(out), source_(emit.source()) {}

  void principal(const Node& node, std::string pointer, PrincipalKind kind, std::string_view list) {
    if (!object(node, pointer, fmt::format("an entry of `{}`", list))) return;
    Principal principal;
    principal.source = source_;
    principal.kind = kind;
    principal.pointer = pointer;
    const std::string_view name_key = kind == PrincipalKind::user    ? "UserName"
                                      : kind == PrincipalKind::group ? "GroupName"
                                                                     : "RoleName";
    principal.name = text(node, name_key, pointer);
    principal.arn = text(node, "Arn", pointer);
    const Node* own_arn = node.find("Arn");
    principal.arn_span = own_arn != nullptr ? own_arn->span : node.span;
    const std::string_view inline_key = kind == PrincipalKind::user    ? "UserPolicyList"
                                        : kind == PrincipalKind::group ? "GroupPolicyList"
                                                                       : "RolePolicyList";
    for_each(node, inline_key, pointer, [&](const Node& item, const std::string& at) {
      if (!object(item, at, "an inline policy")) return;
      principal.inline_policies.push_back(
          InlinePolicy{text(item, "PolicyName", at), document(item, "PolicyDocument", at)});
    });
    for_each(node, "AttachedManagedPolicies", pointer, [&](const Node& item, const std::string& at) {
      if (!object(item, at, "an attached policy")) return;
      if (const Node* arn = item.find("PolicyArn"); arn != nullptr && arn->is(Type::string)) {
        principal.attached.push_back(Reference{source_, arn->text, arn->span, child(at, "PolicyArn")});
      } else {
        shape(item.span, at, "an attached policy has no `PolicyArn` string");
      }
    });
    if (kind == PrincipalKind::user) {
      for_each(node, "GroupList", pointer, [&](const Node& item, const std::string& at) {
        if (item.is(Type::string)) {
          principal.groups.push_back(Reference{source_, item.text, item.span, at});
        } else {
          shape(item.span, at, fmt::format("a group name is a string, not {}", json::type_name(item.type)));
        }
      });
    }
    if (const Node* boundary = node.find("PermissionsBoundary"); boundary != nullptr && boundary->is(Type::object)) {
      const Node* arn = boundary->find("PermissionsBoundaryArn");
      if (arn != nullptr && arn->is(Type::string)) {
        principal.boundary = Reference{source_, arn->text, arn->span,
                                       child(child(pointer, "PermissionsBoundary"), "PermissionsBoundaryArn")};
      }
    }
    if (kind == PrincipalKind::role) principal.trust = document(node, "AssumeRolePolicyDocument", pointer);
    out_.principals.push_back(std::move(principal));
  }

  void policy(const Node& node, std::string pointer) {
    if (!object(node, pointer, "an entry of `Policies`")) return;
    ManagedPolicy policy;
    expect_string(node, "PolicyName", pointer);
    policy.arn = text(node, "Arn", pointer);
    for_each(node, "PolicyVersionList", pointer, [&](const Node& item, const std::string& at) {
      if (!object(item, at, "a policy version")) return;
      expect_string(item, "VersionId", at);
      PolicyVersion version;
      const Node* is_default = item.find("IsDefaultVersion");
      version.is_default = is_default != nullptr && is_default->is(Type::boolean) && is_default->text == "true";
      version.document = document(item, "Document", at);
      policy.versions.push_back(std::move(version));
    });
    out_.policies.push_back(std::move(policy));
  }

 private:
  // A member the analysis does not use, checked for its shape all the same.
  void expect_string(const Node& node, std::string_view key, const std::string& pointer) {
    (void)text(node, key, pointer);
  }

  bool object(const Node& node, const std::string& pointer, std::string_view what) {
    if (node.is(Type::object)) return true;
    shape(node.span, pointer, fmt::format("{} is an object, not {}", what, json::type_name(node.type)));
    return false;
  }

  void shape(Span span, const std::string& pointer, std::string message) {
    emit_.emit(rules::kMalformedExport, span, pointer, std::move(message));
  }

  std::string text(const Node& node, std::string_view key, const std::string& pointer) {
    const Node* value = node.find(key);
    if (value == nullptr) return {};
    if (!value->is(Type::string)) {
      shape(value->span, child(pointer, key),
            fmt::format("`{}` is a string, not {}", key, json::type_name(value->type)));
      return {};
    }
    return value->text;
  }

  DocumentRef document(const Node& node, std::string_view key, const std::string& pointer) {
    const Node* value = node.find(key);
    if (value == nullptr) return {};
    if (!value->is(Type::object) && !value->is(Type::string)) {
      shape(value->span, child(pointer, key),
            fmt::format("`{}` is a policy object or a URL-encoded policy string, not {}", key,
                        json::type_name(value->type)));
      return {};
    }
    return DocumentRef{source_, value->span, child(pointer, key), true};
  }

  template <class Visit>
  void for_each(const Node& node, std::string_view key, const std::string& pointer, Visit visit) {
    const Node* list = node.find(key);
    if (list == nullptr) return;  // empty lists may be left out
    const std::string at = child(pointer, key);
    if (!list->is(Type::array)) {
      shape(list->span, at, fmt::format("`{}` is an array, not {}", key, json::type_name(list->type)));
      return;
    }
    for (std::size_t i = 0; i < list->items.size(); ++i) visit(list->items[i], child(at, i));
  }

  Emitter& emit_;
  Export& out_;
  SourceId source_;
};

class PageReader {
 public:
  PageReader(const SourceFile& file, json::Parser& parser, Emitter& emit, Export& out)
      : file_(file), parser_(parser), emit_(emit), out_(out), elements_(emit, out) {}

  // One page: the top-level object. Returns an error when the page is not JSON.
  simdjson::error_code page(od::document_reference document, std::string pointer_prefix) {
    od::object top;
    if (auto error = document.get_object().get(top)) return error;
    // Only the last page of the file says whether it ends the export.
    page_end().truncated.reset();
    page_end().marker.reset();
    for (auto field : top) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return error;
      od::value value;
      if (auto error = field.value().get(value)) return error;
      const std::string pointer = child(pointer_prefix, key);
      if (key == "UserDetailList" || key == "GroupDetailList" || key == "RoleDetailList" || key == "Policies") {
        if (auto error = list(value, key, pointer)) return error;
      } else if (key == "IsTruncated") {
        bool truncated = false;
        const std::string_view token = value.raw_json_token();
        if (value.get_bool().get(truncated) == simdjson::SUCCESS && truncated)
          page_end().truncated = span_of(trim(token));
      } else if (key == "Marker") {
        page_end().marker = span_of(trim(value.raw_json_token()));
      }
    }
    return simdjson::SUCCESS;
  }

 private:
  simdjson::error_code list(od::value& value, std::string_view key, const std::string& pointer) {
    od::json_type list_type;
    if (auto error = value.type().get(list_type)) return error;
    if (list_type != od::json_type::array) {
      emit_.emit(rules::kMalformedExport, span_of(trim(value.raw_json_token())), pointer,
                 fmt::format("`{}` must be an array, not {}", key, type_name(list_type)));
      return simdjson::SUCCESS;
    }
    od::array array;
    if (auto error = value.get_array().get(array)) return error;
    std::size_t index = 0;
    for (auto item : array) {
      od::value element;
      if (auto error = item.get(element)) return error;
      std::string_view raw;
      od::json_type type;
      if (auto error = element.type().get(type)) return error;
      if (type == od::json_type::object) {
        od::object object;
        if (auto error = element.get_object().get(object)) return error;
        if (auto error = object.raw_json().get(raw)) return error;
      } else {
        raw = trim(element.raw_json_token());
      }
      element_(raw, key, child(pointer, index++));
    }
    return simdjson::SUCCESS;
  }

  void element_(std::string_view raw, std::string_view key, const std::string& pointer) {
    const auto offset = static_cast<std::uint32_t>(raw.data() - file_.text().data());
    const auto node = parser_.parse(raw, json::OffsetMap::shifted(offset), emit_);
    if (!node) return;
    if (key == "Policies") {
      elements_.policy(*node, pointer);
    } else {
      elements_.principal(*node, pointer,
                          key == "UserDetailList"    ? PrincipalKind::user
                          : key == "GroupDetailList" ? PrincipalKind::group
                                                     : PrincipalKind::role,
                          key);
    }
  }

  Export::PageEnd& page_end() {
    if (out_.page_ends.empty() || out_.page_ends.back().source != emit_.source()) {
      out_.page_ends.push_back(Export::PageEnd{emit_.source(), std::nullopt, std::nullopt});
    }
    return out_.page_ends.back();
  }

  static std::string_view type_name(od::json_type type) {
    switch (type) {
      case od::json_type::array: return json::type_name(Type::array);
      case od::json_type::object: return json::type_name(Type::object);
      case od::json_type::number: return json::type_name(Type::number);
      case od::json_type::string: return json::type_name(Type::string);
      case od::json_type::boolean: return json::type_name(Type::boolean);
      case od::json_type::null: return json::type_name(Type::null);
    }
    return "a value";
  }

  static std::string_view trim(std::string_view token) {
    while (!token.empty() && is_json_space(token.back())) token.remove_suffix(1);
    return token;
  }

  Span span_of(std::string_view token) const {
    const auto begin = static_cast<std::uint32_t>(token.data() - file_.text().data());
    return Span{begin, begin + static_cast<std::uint32_t>(token.size())};
  }

  const SourceFile& file_;
  json::Parser& parser_;
  Emitter& emit_;
  Export& out_;
  ElementReader elements_;
};

}  // namespace

std::string Export::account() const {
  const auto account_of = [](std::string_view arn) -> std::string {
    const auto fields = match::split_arn(arn);
    return fields && is_account_id((*fields)[3]) ? std::string((*fields)[3]) : std::string();
  };
  for (const Principal& principal : principals) {
    if (auto account = account_of(principal.arn); !account.empty()) return account;
  }
  for (const ManagedPolicy& policy : policies) {
    if (auto account = account_of(policy.arn); !account.empty()) return account;
  }
  return {};
}

bool looks_like_authorization_details(std::string_view text) {
  const auto brace = text.find_first_not_of(kJsonSpace);
  if (brace == std::string_view::npos || text[brace] != '{') return false;
  const auto quote = text.find_first_not_of(kJsonSpace, brace + 1);
  if (quote == std::string_view::npos || text[quote] != '"') return false;
  const std::string_view rest = text.substr(quote + 1);
  for (std::string_view key : kTopLevelKeys) {
    if (rest.starts_with(key) && rest.substr(key.size()).starts_with("\"")) return true;
  }
  return false;
}

void read_authorization_details(const SourceFile& file, json::Parser& parser, Emitter& emit, Export& out) {
  const std::string_view text = file.text();
  od::parser reader;
  od::document_stream stream;
  const std::size_t batch = std::max<std::size_t>(text.size(), 1u << 16);
  auto failure = reader.iterate_many(text.data(), text.size(), batch).get(stream);
  PageReader pages(file, parser, emit, out);
  std::size_t page_count = 0;
  std::size_t page_start = 0;
  if (!failure) {
    for (auto it = stream.begin(); it != stream.end(); ++it) {
      page_start = it.current_index();
      od::document_reference document;
      if ((failure = (*it).get(document))) break;
      ++page_count;
      // Pages concatenated in one file share the pointer space; spans tell them apart.
      if ((failure = pages.page(document, ""))) break;
    }
  }
  if (failure || page_count == 0) {
    // Say exactly where the export stops being JSON; what was read before stays.
    const auto problem = json::find_syntax_error(text.substr(page_start));
    const auto at = static_cast<std::uint32_t>(page_start + (problem ? problem->offset : 0));
    emit.emit(
        rules::kInvalidJson, Span{at, at + (problem ? problem->length : 0)}, "",
        problem ? problem->message : fmt::format("the export could not be read: {}", simdjson::error_message(failure)));
  }
}

}  // namespace grantlint::account
