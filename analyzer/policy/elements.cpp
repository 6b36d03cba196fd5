#include "policy/elements.h"

#include <fmt/format.h>

#include "json/pointer.h"
#include "rules/registry.h"

namespace grantlint::policy {

std::vector<Text> string_list(const json::Node& value, const std::string& pointer, std::string_view what,
                              std::string_view empty_message, Emitter& emit) {
  std::vector<Text> out;
  if (value.is(json::Type::string)) {
    out.push_back(Text{value.text, value.span, pointer});
    return out;
  }
  if (!value.is(json::Type::array)) {
    emit.emit(rules::kWrongType, value.span, pointer,
              fmt::format("{} must be a string or an array of strings, found {}", what, json::type_name(value.type)));
    return out;
  }
  if (value.items.empty()) emit.emit(rules::kEmptyValue, value.span, pointer, std::string(empty_message));
  for (std::size_t i = 0; i < value.items.size(); ++i) {
    const json::Node& item = value.items[i];
    const std::string item_pointer = json::pointer_append(pointer, i);
    if (!item.is(json::Type::string)) {
      emit.emit(rules::kWrongType, item.span, item_pointer,
                fmt::format("{} values must be strings, found {}", what, json::type_name(item.type)));
      continue;
    }
    out.push_back(Text{item.text, item.span, item_pointer});
  }
  return out;
}

}  // namespace grantlint::policy
