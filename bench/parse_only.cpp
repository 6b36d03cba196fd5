// The floor `grantlint scan` is measured against: read the file and visit every value of
// it with simdjson On-Demand, building nothing. Prints the value count and the seconds.
//   parse_only FILE
#include <simdjson.h>

#include <chrono>
#include <cstdio>

#include "source/source_file.h"

namespace {

namespace od = simdjson::ondemand;

std::size_t visit(od::value value) {
  od::json_type type;
  if (value.type().get(type)) return 0;
  std::size_t count = 1;
  if (type == od::json_type::object) {
    od::object object;
    if (value.get_object().get(object)) return count;
    for (auto field : object) {
      od::value child;
      if (field.value().get(child) == simdjson::SUCCESS) count += visit(child);
    }
  } else if (type == od::json_type::array) {
    od::array array;
    if (value.get_array().get(array)) return count;
    for (auto item : array) {
      od::value child;
      if (item.get(child) == simdjson::SUCCESS) count += visit(child);
    }
  } else if (type == od::json_type::string) {
    std::string_view text;
    if (value.get_string().get(text)) return count;
  } else {
    (void)value.raw_json_token();
  }
  return count;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: parse_only FILE\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  auto bytes = grantlint::read_file_padded(argv[1]);
  if (!bytes) {
    std::fprintf(stderr, "%s\n", bytes.error().message.c_str());
    return 2;
  }
  od::parser parser;
  od::document document;
  std::size_t values = 0;
  // The bytes are followed by simdjson's padding, mapped or in memory (source_file.h).
  const simdjson::padded_string_view padded(bytes->data(), bytes->size(), bytes->size() + simdjson::SIMDJSON_PADDING);
  if (parser.iterate(padded).get(document) == simdjson::SUCCESS) {
    od::value root;
    if (document.get_value().get(root) == simdjson::SUCCESS) values = visit(root);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu values in %.3f s\n", values, seconds);
  return 0;
}
