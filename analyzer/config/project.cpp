#include "config/project.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <new>
#include <optional>
#include <set>
#include <system_error>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "account/export_shape.h"
#include "base/string_map.h"
#include "base/suggest.h"
#include "base/utf8.h"
#include "diag/emitter.h"
#include "engine/listing_cap.h"
#include "input/walk.h"
#include "input/yaml.h"
#include "json/offset_map.h"
#include "json/parse.h"
#include "json/pointer.h"
#include "report/json_writer.h"
#include "rules/registry.h"
#include "source/line_index.h"
#include "source/source_file.h"

namespace grantlint::config {

namespace {

// `path` with `?` for each `[`, `]`, `{` and `}`: what matches a file whose name holds them
// (`app/[id]/p.json`, a web framework's route folder).
std::string with_any_character_for_brackets(std::string path) {
  std::ranges::replace_if(path, [](char c) { return c == '[' || c == ']' || c == '{' || c == '}'; }, '?');
  return path;
}

using json::Node;
using json::Type;

constexpr std::string_view kTopLevel[] = {"rules", "include", "exclude", "suppressions", "glue"};
constexpr std::string_view kSuppressionMembers[] = {"rule",    "path", "sid",    "principal",
                                                    "pointer", "page", "reason", "expires"};

bool valid_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (const std::size_t i : {0uz, 1uz, 2uz, 3uz, 5uz, 6uz, 8uz, 9uz}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const int month = std::atoi(std::string(text.substr(5, 2)).c_str());
  const int day = std::atoi(std::string(text.substr(8, 2)).c_str());
  const std::chrono::year_month_day date{std::chrono::year{std::atoi(std::string(text.substr(0, 4)).c_str())},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  return date.ok();
}

std::vector<std::string_view> rule_ids() {
  std::vector<std::string_view> ids;
  for (const RuleMeta* rule : rules::all_rules()) ids.push_back(rule->id);
  return ids;
}

class Reader {
 public:
  Reader(SourceId source, DiagnosticSink& sink) : emit_(sink, source) {}

  ProjectConfig read(const Node& root) {
    ProjectConfig config;
    if (!root.is(Type::object)) {
      problem(root.span, "", fmt::format("the configuration is {}, expected an object", json::type_name(root.type)));
      return config;
    }
    // A key given again is JSON004 and, as in policies, its first occurrence is the one read.
    for (const json::Member* each : root.first_members()) {
      const json::Member& member = *each;
      const std::string at = json::pointer_append("", member.key);
      if (std::ranges::find(kTopLevel, member.key) == std::end(kTopLevel)) {
        problem(member.key_span, at,
                fmt::format("unknown member `{}` in the configuration{}", member.key,
                            did_you_mean(closest_match(member.key, kTopLevel))));
      } else if (member.key == "rules") {
        read_rules(member.value, at, config);
      } else if (member.key == "include" || member.key == "exclude") {
        (member.key == "include" ? config.include : config.exclude) = strings(member.value, at);
      } else if (member.key == "suppressions") {
        read_suppressions(member.value, at, config);
      }
    }
    return config;
  }

 private:
  void problem(Span span, std::string pointer, std::string message) {
    emit_.emit(rules::kInvalidConfig, span, std::move(pointer), std::move(message));
  }

  // Why a suppression's `pointer` could take no finding (h45 15): a JSON pointer is empty or
  // `/` then keys, `~` only in `~0` and `~1`, and no document nests past json::kMaxDepth (twice
  // that for a policy an export holds in a string).
  static std::string pointer_problem(std::string_view pointer) {
    if (!pointer.empty() && !pointer.starts_with('/')) {
      // `#/Statement` is the pointer written as a URI fragment (h47 L5), whose `/` may be
      // percent-encoded (`#%2FStatement`, h48 L9).
      std::string meant(pointer.starts_with('#') ? pointer.substr(1) : pointer);
      if (pointer.starts_with('#')) {
        const json::DecodedText fragment{meant, std::vector<std::uint32_t>(meant.size() + 1)};
        json::DecodedText decoded;
        std::uint32_t bad = 0;
        if (json::percent_decode(fragment, decoded, bad)) meant = std::move(decoded.text);
      }
      return fmt::format(
          "`{}` is not a JSON pointer, which is empty or `/` then keys (`/Statement/0`); did you "
          "mean `{}{}`?",
          clip_long_text(pointer), meant.starts_with('/') ? "" : "/", clip_long_text(meant));
    }
    for (std::size_t at = pointer.find('~'); at != std::string_view::npos; at = pointer.find('~', at + 1)) {
      if (at + 1 == pointer.size() || (pointer[at + 1] != '0' && pointer[at + 1] != '1')) {
        return fmt::format("`~` in a JSON pointer is written `~0`, and `/` in a key `~1`: `{}` holds neither",
                           clip_long_text(pointer));
      }
    }
    // A policy's lists are arrays, whose items RFC 6901 numbers without leading zeros: `/Statement/01`
    // names nothing. Elsewhere (a template's logical ID `01`) such a token may be a key.
    for (const std::string_view list : {"/Statement/", "/Action/", "/NotAction/", "/Resource/", "/NotResource/"}) {
      for (std::size_t at = pointer.find(list); at != std::string_view::npos; at = pointer.find(list, at + 1)) {
        const std::size_t begin = at + list.size();
        const std::size_t end = std::min(pointer.find('/', begin), pointer.size());
        const std::string_view token = pointer.substr(begin, end - begin);
        if (token.size() < 2 || token[0] != '0' ||
            !std::ranges::all_of(token, [](char c) { return c >= '0' && c <= '9'; })) {
          continue;
        }
        const std::size_t nonzero = std::min(token.find_first_not_of('0'), token.size() - 1);
        return fmt::format(
            "`{}` numbers an item with a leading zero, which a JSON pointer does not; did you mean `{}{}{}`?",
            clip_long_text(pointer), clip_long_text(pointer.substr(0, begin)), token.substr(nonzero),
            clip_long_text(pointer.substr(end)));
      }
    }
    if (const auto levels = static_cast<std::size_t>(std::ranges::count(pointer, '/')); levels > 2 * json::kMaxDepth) {
      return fmt::format(
          "a pointer {} levels deep names nothing grantlint reads: documents nest {} levels at most, "
          "and a policy an export holds in a string as deep again",
          levels, json::kMaxDepth);
    }
    return {};
  }

  std::vector<std::string> strings(const Node& node, const std::string& at) {
    std::vector<std::string> out;
    if (!node.is(Type::array)) {
      problem(node.span, at, fmt::format("`{}` must be an array of strings", at));
      return out;
    }
    for (const Node& item : node.items) {
      if (item.is(Type::string) && item.text.size() > input::kMaxGlobLength) {
        problem(item.span, at,
                fmt::format("a glob of {} characters in `{}`: globs longer than {} are not taken", item.text.size(), at,
                            input::kMaxGlobLength));
      } else if (item.is(Type::string) && !item.text.empty() && !input::walk_glob_problem(item.text).empty()) {
        problem(item.span, at, input::walk_glob_problem(item.text));
      } else if (item.is(Type::string) && !item.text.empty()) {
        out.push_back(item.text);
      } else {
        problem(item.span, at, fmt::format("`{}` must hold non-empty strings", at));
      }
    }
    return out;
  }

  bool known_rule(const Node& node, const std::string& id, const std::string& at) {
    if (rules::find_rule(id) != nullptr) return true;
    const auto ids = rule_ids();
    problem(node.span, at, fmt::format("unknown rule `{}`{}", id, did_you_mean(closest_match(id, ids))));
    return false;
  }

  void read_rules(const Node& node, const std::string& at, ProjectConfig& config) {
    if (!node.is(Type::object)) {
      problem(node.span, at, "`/rules` must be an object: rule id → `off`, `error`, `warning` or `note`");
      return;
    }
    for (const json::Member* each : node.first_members()) {
      const json::Member& member = *each;
      const std::string member_at = json::pointer_append(at, member.key);
      if (!known_rule(member.value, member.key, member_at)) continue;
      const std::string id(rules::find_rule(member.key)->id);  // as the registry spells it
      const std::string value = member.value.is(Type::string) ? member.value.text : "";
      if (value == "off" && id == rules::kInvalidConfig.id) {
        // Turning it off would hide why the Glue pack did not run.
        problem(member.value.span, member_at, "`CFG001` cannot be turned off: fix the configuration instead");
      } else if (value == "off") {
        config.rules[id] = std::nullopt;
      } else if (const auto level = parse_level(value)) {
        config.rules[id] = *level;
      } else {
        problem(member.value.span, member_at,
                member.value.is(Type::string)
                    ? fmt::format("rule `{}`: `{}` is not `off`, `error`, `warning` or `note`", member.key, value)
                    : fmt::format("rule `{}`: the level is a string (`off`, `error`, `warning` or `note`), not {}",
                                  member.key, json::type_name(member.value.type)));
      }
    }
  }

  void read_suppressions(const Node& node, const std::string& at, ProjectConfig& config) {
    if (!node.is(Type::array)) {
      problem(node.span, at, "`/suppressions` must be an array of objects");
      return;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      const Node& item = node.items[i];
      const std::string item_at = json::pointer_append(at, i);
      if (!item.is(Type::object)) {
        problem(item.span, item_at, "a suppression must be an object");
        continue;
      }
      if (auto suppression = read_suppression(item, item_at)) config.suppressions.push_back(std::move(*suppression));
    }
  }

  std::optional<Suppression> read_suppression(const Node& item, const std::string& at) {
    Suppression out;
    out.at = item.span;
    out.pointer = at;
    bool ok = true;
    int keys = 0;
    std::optional<Span> page_at;
    for (const json::Member* each : item.first_members()) {
      const json::Member& member = *each;
      const std::string member_at = json::pointer_append(at, member.key);
      if (std::ranges::find(kSuppressionMembers, member.key) == std::end(kSuppressionMembers)) {
        problem(member.key_span, member_at,
                fmt::format("unknown member `{}` in a suppression{}", member.key,
                            did_you_mean(closest_match(member.key, kSuppressionMembers))));
        ok = false;
        continue;
      }
      if (member.key == "page") {
        // Digits alone, 1 to a billion: a file's pages are counted from 1 (Diagnostic::page).
        const std::string& digits = member.value.text;
        const bool whole = member.value.is(Type::number) && !digits.empty() && digits.size() <= 9 &&
                           digits.front() != '0' &&
                           std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; });
        if (!whole) {
          problem(member.value.span, member_at, "`page` must be a whole number from 1 (the page the report names)");
          ok = false;
          continue;
        }
        out.page = static_cast<std::uint32_t>(std::stoul(digits));
        page_at = member.key_span;
        continue;
      }
      // `"pointer": ""` is the whole document.
      if (!member.value.is(Type::string) || (member.value.text.empty() && member.key != "pointer")) {
        problem(member.value.span, member_at, fmt::format("`{}` must be a non-empty string", member.key));
        ok = false;
        continue;
      }
      const std::string& value = member.value.text;
      if (member.key == "rule") {
        const bool known = known_rule(member.value, value, member_at);
        ok = known && ok;
        out.rule = known ? std::string(rules::find_rule(value)->id) : value;
      } else if (member.key == "path" && value.size() > input::kMaxGlobLength) {
        problem(member.value.span, member_at,
                fmt::format("a path glob of {} characters: globs longer than {} are not taken", value.size(),
                            input::kMaxGlobLength));
        ok = false;
      } else if (member.key == "path" && !input::glob_problem(value).empty()) {
        problem(member.value.span, member_at, input::glob_problem(value));
        ok = false;
      } else if (member.key == "path" &&
                 (value == "." || value == ".." || value.ends_with("/.") || value.ends_with("/.."))) {
        // A folder, as `../` is (h52 L3: `..` matched nothing, unsaid).
        problem(member.value.span, member_at,
                fmt::format("`{}` names a folder, so it matches no file (paths match files); did you mean `{}/**`?",
                            clip_long_text(value), clip_long_text(value)));
        ok = false;
      } else if (member.key == "path") {
        // `*`, `**` and `?` are the globs a path takes; a character class (`[ab]`) or braces
        // would be matched literally and match nothing, silently.
        if (const auto odd = value.find_first_of("[]{}"); odd != std::string::npos) {
          problem(member.value.span, member_at,
                  fmt::format("`{}` in the path `{}` is no glob a suppression takes (`*`, `**` and `?` are); list "
                              "each file in a suppression of its own; to match a bracket or brace in a file's name "
                              "literally, write `?` for it (`{}`)",
                              value[odd], value, with_any_character_for_brackets(value)));
          ok = false;
        }
        out.path = value;
      } else if (member.key == "reason") {
        out.reason = value;
      } else if (member.key == "expires") {
        if (!valid_date(value)) {
          problem(member.value.span, member_at, fmt::format("`{}` is not a date `YYYY-MM-DD`", value));
          ok = false;
        }
        out.expires = value;
      } else {
        ++keys;
        out.key = member.key == "sid"         ? Suppression::Key::sid
                  : member.key == "principal" ? Suppression::Key::principal
                                              : Suppression::Key::pointer;
        // `/` is taken for the whole document, as users write it, rather than a key named "";
        // so is a trailing `/` (`/Statement/1/` for the statement), which no finding's pointer has.
        out.value = value;
        if (out.key == Suppression::Key::pointer && out.value.ends_with('/')) out.value.pop_back();
        if (out.key == Suppression::Key::pointer) {
          if (const std::string why = pointer_problem(value); !why.empty()) {
            problem(member.value.span, member_at, why);
            ok = false;
          }
        }
      }
    }
    const auto require = [&](bool present, std::string_view what) {
      if (!present) problem(item.span, at, fmt::format("a suppression needs {}", what));
      ok = ok && present;
    };
    require(!out.rule.empty(), "`rule`");
    require(!out.reason.empty(), "a `reason`");
    require(keys == 1, "exactly one of `sid`, `principal` and `pointer`");
    if (page_at && out.key != Suppression::Key::pointer && keys == 1) {
      problem(*page_at, json::pointer_append(at, "page"),
              "`page` goes with a `pointer` (a place in one page of a file of concatenated pages); a `sid` or a "
              "`principal` holds on every page");
      ok = false;
    }
    if (!ok) return std::nullopt;
    return out;
  }

  Emitter emit_;
};

std::string normal_path(std::string_view path) { return std::filesystem::path(path).lexically_normal().string(); }

// The Sid of the statement that holds `pointer` (JSON pointer tokens from the file's root),
// added to `out`. Inside a template's policy, a finding names the branch of `Fn::If` it is in
// (`/Statement/0/Fn::If/1/Effect`); a pointer written without the branches is searched in
// both (each one's statement's Sid is added): where a token is not found, the branches of an
// `Fn::If` there are.
void statement_sids(const Node& node, std::string_view pointer, std::vector<std::string>& out,
                    const Node* statement = nullptr, std::string_view previous = {}, int branches = 0) {
  if (pointer.empty() || pointer.front() != '/') {
    const Node* found = statement != nullptr ? statement->find("Sid") : nullptr;
    if (found != nullptr && found->is(Type::string)) out.push_back(found->text);
    return;
  }
  const std::size_t next = pointer.find('/', 1);
  const std::string token(pointer.substr(1, (next == std::string_view::npos ? pointer.size() : next) - 1));
  const std::string_view rest = next == std::string_view::npos ? std::string_view() : pointer.substr(next);
  const Node* child = json::pointer_child(node, token);
  if (child == nullptr) {
    // At most a few levels of branches: a pointer is matched, not every form enumerated.
    const Node* condition = node.is(Type::object) && node.members.size() == 1 ? node.find("Fn::If") : nullptr;
    if (condition == nullptr || !condition->is(Type::array) || condition->items.size() != 3 || branches >= 8) {
      statement_sids(node, {}, out, statement);
      return;
    }
    // A statement that is itself an `Fn::If` element of `Statement` is the branch's object.
    for (const Node* branch : {&condition->items[1], &condition->items[2]}) {
      statement_sids(*branch, pointer, out, statement == &node ? branch : statement, previous, branches + 1);
    }
    return;
  }
  // `Statement` holds one statement object, or an array of them.
  if (token == "Statement" && node.is(Type::object) && child->is(Type::object)) statement = child;
  if (previous == "Statement" && node.is(Type::array) && child->is(Type::object)) statement = child;
  // A branch of a statement that is an `Fn::If` (`/Statement/1/Fn::If/1/Action`) is the statement.
  if (previous == "Fn::If" && statement != nullptr && statement->find("Fn::If") == &node && child->is(Type::object)) {
    statement = child;
  }
  statement_sids(*child, rest, out, statement, token, branches);
}

// A pointer into a template with its `Fn::If` branches taken out
// (`/Policies/0/Fn::If/1/PolicyDocument` is `/Policies/0/PolicyDocument`). Compared so, a
// suppression matches whether or not it names the branches: a finding inside a policy names
// what a branch there holds without them.
std::string without_branches(std::string_view pointer) {
  std::string out;
  for (std::size_t at = 0; at < pointer.size();) {
    const std::size_t next = std::min(pointer.find('/', at + 1), pointer.size());
    const std::string_view token = pointer.substr(at, next - at);
    if (token == "/Fn::If" && next < pointer.size()) {
      const std::size_t after = std::min(pointer.find('/', next + 1), pointer.size());
      const std::string_view branch = pointer.substr(next, after - next);
      if (branch == "/1" || branch == "/2") {
        at = after;
        continue;
      }
    }
    out += token;
    at = next;
  }
  return out;
}

// A finding's fingerprint for baselines: its rule, file, message and the text it points at
// (white space removed), so that it survives lines moving; `:n` tells identical ones apart.
std::string fingerprint_of(const Diagnostic& d, const SourceFile& file, const std::string& path) {
  std::uint64_t hash = 1469598103934665603ull;
  const auto mix = [&](std::string_view text) {
    for (const char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ull;
    }
    hash ^= 0xff;
    hash *= 1099511628211ull;
  };
  mix(d.rule->id);
  mix(path);
  mix(d.message);
  std::string text;
  file.note_read();
  for (const char c : file.text().substr(d.location.span.begin, d.location.span.size())) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') text += c;
  }
  mix(text);
  return fmt::format("{:016x}", hash);
}

// `path:line:column` of a byte of a baseline, for its errors, counted as findings are.
std::string baseline_place(const std::string& path, std::string_view text, std::size_t offset) {
  const LineColumn at = LineIndex(text).locate(static_cast<std::uint32_t>(std::min(offset, text.size())));
  return fmt::format("{}:{}:{}", path, at.line, at.column);
}

// A baseline is read whole or not at one: a finding it cannot read would be reported again
// (or, worse, one of another format's fingerprints would hide nothing while the run passes).
// Parses a file grantlint reads for itself (a configuration, a baseline); nullopt with the
// parser's findings in `emit`, or an error when memory runs out for it.
Result<std::optional<Node>> parse_own_file(json::Parser& parser, std::string_view text, Emitter& emit,
                                           std::string_view what, const std::string& path,
                                           json::ParseUnit unit = json::ParseUnit::policy) {
  try {
    return parser.parse(text, json::OffsetMap::shifted(0), emit, {}, unit);
  } catch (const std::bad_alloc&) {
    return make_error(fmt::format("not enough memory to read the {} `{}`", what, path));
  }
}

// A value as written, in backquotes; a long one cut, saying so.
std::string quoted_value(std::string_view text, Span span) {
  constexpr std::size_t kShown = 40;
  const std::string_view value = text.substr(span.begin, span.size());
  if (value.size() <= kShown) return fmt::format("`{}`", value);
  return fmt::format("`{}...` ({} bytes)", value.substr(0, kShown), value.size());
}

Result<std::multiset<std::string>> read_baseline(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) return make_error(bytes.error().message);
  // Re-saved by Windows PowerShell 5 (`Out-File`): said to be UTF-16, with how to convert it.
  if (const auto wide = wide_encoding(*bytes)) {
    return make_error(fmt::format("{}: {}; it is not applied", baseline_place(path, *bytes, 0),
                                  wide->not_utf8_message("baseline", "grantlint reads baselines as UTF-8 JSON")));
  }
  DiagnosticSink problems;
  Emitter emit(problems, 0);
  json::Parser parser;
  auto parsed = parse_own_file(parser, *bytes, emit, "baseline", path, json::ParseUnit::baseline);
  if (!parsed) return std::unexpected(std::move(parsed.error()));
  const std::optional<Node>& root = *parsed;
  if (!root) {
    const std::vector<Diagnostic> found = problems.unsorted();
    const std::size_t at = found.empty() ? 0 : found.front().location.span.begin;
    // The parser's words are a policy's; a baseline too deep is JSON, just more than grantlint reads.
    if (!found.empty() && found.front().rule == &rules::kNestingTooDeep) {
      return make_error(fmt::format("{}: the baseline nests more than {} levels deep, deeper than grantlint reads: "
                                    "it is not applied",
                                    baseline_place(path, *bytes, at), json::kMaxDepth));
    }
    return make_error(fmt::format("{}: the baseline is not JSON: {}", baseline_place(path, *bytes, at),
                                  found.empty() ? "it does not parse" : found.front().message));
  }
  // Of a key written twice, one value would be read and the other ignored (findings hidden, or
  // reported again): refused, as a baseline that does not parse.
  // So is a byte no JSON string may hold, which the parser read as `_` (h47 L4: read silently):
  // a fingerprint with it would hide nothing.
  for (const Diagnostic& problem : problems.unsorted()) {
    if (problem.rule == &rules::kDuplicateKey || problem.rule == &rules::kInvalidJson) {
      const std::string_view what = std::string_view(problem.message).substr(0, problem.message.find(';'));
      return make_error(fmt::format("{}: {}; the baseline is not applied",
                                    baseline_place(path, *bytes, problem.location.span.begin), what));
    }
  }
  const Node* findings = root->is(Type::object) ? root->find("findings") : nullptr;
  if (findings == nullptr || !findings->is(Type::array)) {
    const std::string why = !root->is(Type::object) ? fmt::format("it is {}, not an object", json::type_name(root->type))
                            : findings == nullptr   ? std::string("it has no `findings`")
                                                    : fmt::format("its `findings` is {}, not an array",
                                                                  json::type_name(findings->type));
    return make_error(fmt::format("{}: `{}` is not a grantlint baseline (written by --write-baseline): {}",
                                  baseline_place(path, *bytes, findings != nullptr ? findings->span.begin
                                                                                   : root->span.begin),
                                  path, why));
  }
  // JSON numbers are values: `1.0` and `1e0` are 1 too (h46 L5). The test is on the decimal text, exactly:
  // `1.0000000000000001` rounds to the double 1 but is not version 1 (h47 L6).
  const Node* version = root->find("version");
  const auto is_one = [](const std::string& text) {
    std::string digits;      // the significand's digits, without the point
    std::int64_t point = 0;  // where the decimal point goes in `digits`
    std::size_t at = 0;
    if (at < text.size() && text[at] == '-') return false;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) digits += text[at];
    point = static_cast<std::int64_t>(digits.size());
    if (at < text.size() && text[at] == '.') {
      for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) digits += text[at];
    }
    if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
      ++at;
      const bool negative = at < text.size() && text[at] == '-';
      if (at < text.size() && (text[at] == '-' || text[at] == '+')) ++at;
      std::int64_t exponent = 0;  // saturated: no number the parser accepts needs more
      for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
        exponent = std::min<std::int64_t>(exponent * 10 + (text[at] - '0'), std::int64_t{1} << 40);
      }
      point += negative ? -exponent : exponent;
    }
    if (at != text.size()) return false;
    std::size_t first = 0;
    while (first < digits.size() && digits[first] == '0') ++first, --point;
    std::size_t last = digits.size();
    while (last > first && digits[last - 1] == '0') --last;
    return last - first == 1 && digits[first] == '1' && point == 1;
  };
  if (version == nullptr || !version->is(Type::number) || !is_one(version->text)) {
    return make_error(fmt::format("{}: this grantlint reads baselines of `\"version\": 1`, not {}",
                                  baseline_place(path, *bytes, version ? version->span.begin : root->span.begin),
                                  version ? quoted_value(*bytes, version->span) : "one without a version"));
  }
  std::multiset<std::string> out;
  for (const Node& item : findings->items) {
    const Node* fingerprint = item.is(Type::object) ? item.find("fingerprint") : nullptr;
    if (fingerprint == nullptr || !fingerprint->is(Type::string)) {
      return make_error(fmt::format("{}: a baseline finding is an object with a string `fingerprint`",
                                    baseline_place(path, *bytes, item.span.begin)));
    }
    out.insert(fingerprint->text);
  }
  return out;
}

}  // namespace

std::expected<std::string, std::string> today() {
  // A pinned date that does not parse is refused: falling back to the clock would let suppressions expire (or
  // not) on a day the CI that pinned it never chose.
  if (const char* given = std::getenv("GRANTLINT_TODAY"); given != nullptr) {
    if (valid_date(given)) return std::string(given);
    return std::unexpected(fmt::format("GRANTLINT_TODAY is `{}`, not a date `YYYY-MM-DD`; unset it to use today's date",
                                       given));
  }
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day date{now};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

WalkGlobs config_globs(const std::string& path) {
  WalkGlobs out;
  auto bytes = read_file_bytes(path);
  if (!bytes) return out;
  DiagnosticSink ignored;
  Emitter emit(ignored, 0);
  json::Parser parser;
  // Any problem with the file, memory included, is reported when it is applied.
  const auto parsed = parse_own_file(parser, *bytes, emit, "configuration", path);
  if (!parsed || !*parsed || !(*parsed)->is(Type::object)) return out;
  const std::optional<Node>& root = *parsed;
  for (auto [member, into] : {std::pair{"include", &out.include}, std::pair{"exclude", &out.exclude}}) {
    const Node* list = root->find(member);
    if (list == nullptr || !list->is(Type::array)) continue;
    for (const Node& item : list->items) {
      if (item.is(Type::string) && !item.text.empty() && item.text.size() <= input::kMaxGlobLength) {
        into->push_back(item.text);
      }
    }
  }
  return out;
}

Result<Applied> apply_config(CheckReport& report, const std::optional<std::string>& config_path,
                             const ApplyOptions& options) {
  Applied applied;
  // Paths as the configuration sees them (relative to its directory), so that suppressions
  // and baselines mean the same from any working directory; as reported without one.
  namespace fs = std::filesystem;
  // Paths are relative to the configuration's directory, or without one to the working
  // directory, however the file was named (`p.json`, `$PWD/p.json`, `../here/p.json`).
  std::error_code error;
  const fs::path base = config_path ? fs::absolute(fs::path(*config_path), error).parent_path().lexically_normal()
                                    : fs::current_path(error).lexically_normal();
  const bool based = !base.empty() && !error;
  // Worked out once per file: suppressions and baselines ask for each file many times, and
  // fs::absolute asks the system for the working directory each time.
  // By source id, not in a map: the suppression loops ask it per candidate (h48 H7). A deque, as
  // growing it keeps the paths already handed out where they are.
  std::deque<std::optional<std::string>> paths_by_source;
  const auto path_of = [&](SourceId id) -> const std::string& {
    if (id >= paths_by_source.size()) paths_by_source.resize(std::max<std::size_t>(id + 1, report.sources.size()));
    std::optional<std::string>& known = paths_by_source[id];
    if (known) return *known;
    const std::string& reported = report.sources.get(id).path();
    if (!based || reported == "-" || reported.starts_with("<")) {
      known = normal_path(reported);
    } else {
      const fs::path relative = fs::absolute(fs::path(reported), error).lexically_normal().lexically_relative(base);
      known = relative.empty() ? normal_path(reported) : relative.string();
    }
    return *known;
  };
  std::vector<Diagnostic> kept = std::move(report.diagnostics);
  report.diagnostics.clear();
  report.suppressions_listed = options.keep_suppressed;
  DiagnosticSink added;
  ProjectConfig config;

  // The configuration may be in the report already (policy-file mode read it).
  std::optional<SourceId> source;
  bool config_fresh = false;  // not read by policy-file mode
  if (config_path) {
    for (std::size_t i = 0; i < report.sources.size(); ++i) {
      if (report.sources.get(static_cast<SourceId>(i)).path() == *config_path) source = static_cast<SourceId>(i);
    }
    config_fresh = !source;
    if (config_fresh) {
      // One that cannot be read is said so, as any file the run could not read, and the
      // findings are reported as they are, not lost with it.
      if (auto bytes = read_file_bytes(*config_path)) {
        source = report.sources.add(*config_path, *bytes);
        ++report.support_sources;
      } else {
        // `check` may have tried to read it already (for its Glue section) and said so.
        const auto said = std::ranges::find(report.notifications, *config_path, &ToolNotification::path);
        ToolNotification& unread = said != report.notifications.end()
                                       ? *said
                                       : report.notifications.emplace_back(*config_path, bytes.error().message);
        unread.message += "; the configuration is not applied";
        unread.unread = false;  // no input of the run: the summary does not count it a file (h45 low 12)
      }
    }
  }
  // A configuration that is named but not read, or not JSON, applies none of its suppressions.
  bool config_applied = !config_path;
  if (config_path && source) {
    json::Parser parser;
    // Syntax errors were reported when policy-file mode read it.
    DiagnosticSink syntax;
    Emitter emit(config_fresh ? added : syntax, *source);
    auto parsed = parse_own_file(parser, report.sources.get(*source).text(), emit, "configuration", *config_path,
                                 json::ParseUnit::configuration);
    if (!parsed) return std::unexpected(std::move(parsed.error()));
    const std::optional<Node>& root = *parsed;
    if (root) {
      config_applied = true;
      config = Reader(*source, added).read(*root);
      // Suppressions, each matched against every finding; files are parsed once for Sids (a
      // template as the YAML it is).
      std::map<SourceId, std::optional<Node>> trees;
      const auto tree = [&](SourceId id) -> const Node* {
        auto [it, inserted] = trees.try_emplace(id);
        if (inserted) {
          DiagnosticSink quiet;
          Emitter quiet_emit(quiet, id);
          const SourceFile& file = report.sources.get(id);
          it->second = input::is_yaml_file(file.path(), file.text())
                           ? input::parse_yaml(file.text(), quiet_emit)
                           : parser.parse(file.text(), json::OffsetMap::shifted(0), quiet_emit);
        }
        return it->second ? &*it->second : nullptr;
      };
      // An export is never parsed whole for Sids (hundreds of megabytes; its pages are not one
      // JSON value): the document a finding is in is, from the span the report lists it with,
      // and kept while the findings that follow are in it too (they come in file order).
      std::map<SourceId, bool> exports;
      std::map<std::tuple<SourceId, std::uint32_t, std::string_view>, Span> document_spans;
      std::optional<std::tuple<SourceId, std::uint32_t, std::string>> parsed_key;
      std::optional<Node> parsed_document;
      const auto sids_of = [&](const Diagnostic& d) {
        std::vector<std::string> sids;
        const SourceFile& file = report.sources.get(d.location.source);
        const auto [is_export, first_seen] = exports.try_emplace(d.location.source, false);
        if (first_seen) is_export->second = account::looks_like_authorization_details(file.text());
        if (!is_export->second) {
          if (const Node* root_node = tree(d.location.source)) statement_sids(*root_node, d.document + d.pointer, sids);
          return sids;
        }
        if (document_spans.empty()) {
          for (const DocumentInfo& document : report.documents) {
            document_spans.try_emplace({document.source, document.page, document.pointer}, document.span);
          }
        }
        std::tuple<SourceId, std::uint32_t, std::string> key{d.location.source, d.page, d.document};
        if (parsed_key != key) {
          parsed_document.reset();
          const auto span = document_spans.find({d.location.source, d.page, d.document});
          if (span != document_spans.end()) {
            DiagnosticSink quiet;
            Emitter quiet_emit(quiet, d.location.source);
            const Span at = span->second;
            parsed_document =
                parser.parse(file.text().substr(at.begin, at.size()), json::OffsetMap::shifted(at.begin), quiet_emit);
          }
          parsed_key = std::move(key);
        }
        if (parsed_document) statement_sids(*parsed_document, d.pointer, sids);
        return sids;
      };
      // A suppression is unused only if the run read what it could apply to: a pre-commit run
      // of one clean file, or a scan, must not call a reviewed suppression of another file
      // "unused" (its advice to remove it would unhide the finding on the next full run). A
      // `path` must match a file of the run; one without a path needs the whole tree read,
      // unless it names a principal (the scan's own).
      std::map<std::string, bool, std::less<>> glob_matches_a_file;  // by glob: a glob is asked once
      // A file that does not parse (JSON001, TPL001) was not analysed: the findings a suppression
      // of it is for are not there to match, and removing it would bring them back once it is fixed.
      // One read past its error (an export's broken element) was analysed.
      std::set<SourceId> unparsed;
      for (const Diagnostic& d : kept) {
        if (d.rule == &rules::kInvalidJson || d.rule == &rules::kInvalidYaml) unparsed.insert(d.location.source);
      }
      for (const DocumentInfo& document : report.documents) unparsed.erase(document.source);
      // A path without a wildcard names its files at once (by the whole path when it holds a `/`,
      // by the file's name otherwise, as matching it would): a configuration of thousands of such
      // paths costs a lookup each, not a match per suppression and file (h44 H3: 8,000 took 14 s).
      StringMap<std::vector<SourceId>> sources_by_path;
      StringMap<std::vector<SourceId>> sources_by_name;
      for (SourceId id = 0; id < report.sources.size(); ++id) {
        const std::string& path = path_of(id);
        sources_by_path[path].push_back(id);
        sources_by_name[std::string(input::last_component(path))].push_back(id);
      }
      static const std::vector<SourceId> kNoSources;
      const auto named_sources = [&](const std::string& glob) -> const std::vector<SourceId>* {
        if (glob.empty() || input::has_glob_wildcard(glob)) return nullptr;
        const StringMap<std::vector<SourceId>>& by =
            glob.find('/') != std::string::npos ? sources_by_path : sources_by_name;
        const auto it = by.find(input::without_leading_dot_slash(glob));
        return it == by.end() ? &kNoSources : &it->second;
      };
      // The files each wildcard-free path names, as a set (built once per path, however many
      // suppressions name it).
      std::unordered_map<const std::vector<SourceId>*, std::unordered_set<SourceId>> named_file_sets;
      // Matching wildcard paths against the run's files has a budget (README, Limits): each match
      // is bounded, but a thousand 3 KB globs over 400 files of 1 KB paths took 8 s, and the
      // product grows without end (h46 M6). Past it, a suppression takes no finding of a file it
      // was not matched against (the finding is reported) and is not called unused.
      constexpr std::uint64_t kGlobWork = 4'000'000'000;  // word operations (3 s of CPU measured); in the message
      constexpr std::uint64_t kCandidateWork = 4;         // a finding a wildcard-path suppression asks about
      std::uint64_t glob_work = 0;
      std::optional<std::size_t> out_of_glob_work;  // the suppression the budget ran out at
      // A wildcard path that leaves the configuration's folder (`../*/p.json`) is matched, without
      // its `../`s, against the files' paths from the folder it goes up to (h51 L3: it matched
      // nothing, unsaid, while `../t/p.json` is brought back to `p.json`).
      std::map<std::pair<std::size_t, SourceId>, std::string> paths_up;
      const auto path_up = [&](SourceId id, std::size_t up) -> const std::string& {
        if (up == 0) return path_of(id);
        const auto [it, fresh] = paths_up.try_emplace(std::pair(up, id));
        if (fresh) {
          fs::path ancestor = base;
          for (std::size_t i = 0; i < up; ++i) ancestor = ancestor.parent_path();
          const fs::path relative = (base / path_of(id)).lexically_normal().lexically_relative(ancestor);
          it->second = relative.empty() ? path_of(id) : relative.string();
        }
        return it->second;
      };
      const auto glob_takes_path = [&](const input::PreparedGlob& prepared, SourceId id, std::size_t suppression,
                                       std::size_t up) -> std::optional<bool> {
        if (glob_work > kGlobWork) {
          if (!out_of_glob_work) out_of_glob_work = suppression;
          return std::nullopt;
        }
        return input::glob_match(prepared, path_up(id, up), glob_work);
      };
      const auto could_apply = [&](const Suppression& s, const std::string& glob, std::size_t suppression,
                                   std::size_t up) {
        if (glob.empty()) {
          if (s.key == Suppression::Key::principal) return true;
          return options.whole_tree && unparsed.empty();
        }
        const auto [known, first_asked] = glob_matches_a_file.try_emplace(std::string(up, '\n') + glob, false);
        if (!first_asked) return known->second;
        const std::vector<SourceId>* named = named_sources(glob);  // the files a path without a wildcard names
        const input::PreparedGlob prepared = input::prepare_glob(named == nullptr ? std::string_view(glob) : "");
        bool matches_a_file = false;
        const std::size_t count = named != nullptr ? named->size() : report.sources.size();
        for (std::size_t n = 0; n < count; ++n) {
          const SourceId id = named != nullptr ? (*named)[n] : static_cast<SourceId>(n);
          if (id == *source) continue;
          if (named == nullptr) {
            const std::optional<bool> takes = glob_takes_path(prepared, id, suppression, up);
            if (!takes) return known->second = false;  // not known: not called unused
            if (!*takes) continue;
          }
          if (unparsed.contains(id)) return known->second = false;
          matches_a_file = true;
        }
        return known->second = matches_a_file;
      };
      // What each finding is matched by, worked out once (a configuration may hold thousands of
      // suppressions): its pointer without branches, and the Sids of its statement when a
      // suppression of its rule names a Sid (the pointer only when one of its rule names a pointer).
      std::set<std::string_view> rules_by_sid;
      std::set<std::string_view> rules_by_pointer;
      for (const Suppression& s : config.suppressions) {
        if (s.key == Suppression::Key::sid) rules_by_sid.insert(s.rule);
        if (s.key == Suppression::Key::pointer) rules_by_pointer.insert(s.rule);
      }
      struct Keys {
        std::string pointer;
        std::vector<std::string> sids;
      };
      std::vector<Keys> keys;
      keys.reserve(kept.size());
      for (const Diagnostic& d : kept) {
        keys.push_back(Keys{rules_by_pointer.contains(d.rule->id) ? without_branches(d.document + d.pointer) : "",
                            rules_by_sid.contains(d.rule->id) ? sids_of(d) : std::vector<std::string>()});
      }
      // The findings each suppression may take, by what it names: only the values some suppression
      // names are indexed (a finding's pointer by its prefixes), so that each suppression is
      // matched against its candidates, not against every finding.
      using Named = Suppression::Key;
      std::map<std::tuple<std::string_view, Named, std::string_view>, std::vector<std::size_t>> candidates;
      std::vector<std::string> suppression_pointers;  // without branches, by suppression
      std::vector<const std::vector<std::size_t>*> may_take_of;  // by suppression: its candidates
      suppression_pointers.reserve(config.suppressions.size());
      for (const Suppression& s : config.suppressions) {
        suppression_pointers.push_back(s.key == Named::pointer ? without_branches(s.value) : std::string());
        const std::string_view named = s.key == Named::pointer ? suppression_pointers.back() : s.value;
        may_take_of.push_back(&candidates.try_emplace({s.rule, s.key, named}).first->second);
      }
      const auto add_candidate = [&](std::string_view rule, Named named, std::string_view value, std::size_t i) {
        const auto it = candidates.find({rule, named, value});
        if (it != candidates.end() && (it->second.empty() || it->second.back() != i)) it->second.push_back(i);
      };
      for (std::size_t i = 0; i < kept.size(); ++i) {
        const std::string_view rule = kept[i].rule->id;
        const std::string_view full = keys[i].pointer;
        if (rules_by_pointer.contains(rule)) {
          for (std::size_t at = 0; at < full.size(); ++at) {
            if (full[at] == '/') add_candidate(rule, Named::pointer, full.substr(0, at), i);
          }
          add_candidate(rule, Named::pointer, full, i);
        }
        for (const std::string& sid : keys[i].sids) add_candidate(rule, Named::sid, sid, i);
        for (const LogicalLocation& l : kept[i].logical) {
          add_candidate(rule, Named::principal, l.fully_qualified_name, i);
          add_candidate(rule, Named::principal, l.name, i);
        }
      }
      std::vector<bool> suppressed(kept.size(), false);
      for (std::size_t k = 0; k < config.suppressions.size(); ++k) {
        const Suppression& s = config.suppressions[k];
        Emitter at(added, *source);
        if (!s.expires.empty() && s.expires < options.today) {
          at.emit(rules::kExpiredSuppression, s.at, s.pointer,
                  fmt::format("the suppression of `{}` expired on {}: the findings it covered are reported again",
                              s.rule, s.expires));
          continue;
        }
        const std::string& pointer = suppression_pointers[k];
        // Written as the report shows it (`./p.json`, `iam//p.json`) or plainly: compared normalised, as
        // the reported paths are.
        std::string glob = s.path.empty() ? std::string() : normal_path(s.path);
        // One that leaves the configuration's folder and comes back (`../t/p.json` in `t/`) is the
        // path the report gives its files (h50 L3: it matched nothing, unsaid).
        if (based && glob.starts_with("../")) {
          const fs::path back = (base / glob).lexically_normal().lexically_relative(base);
          if (!back.empty() && !back.string().starts_with("..")) glob = back.string();
        }
        // A path written with a folder (`./p*.json`, `x/../p.json`) is the files at the top only:
        // normalising must not leave a glob of names, which any folder's files match (h49 M3).
        if (s.path.find('/') != std::string::npos && glob.find('/') == std::string::npos) glob.insert(0, "./");
        // A path without a wildcard names its files at once: its candidates are their findings
        // (below), so it is not matched, and no budget stops it (h47 M5).
        const std::vector<SourceId>* named = named_sources(glob);
        const bool wildcard = !glob.empty() && named == nullptr;
        std::size_t up = 0;  // the `../`s a wildcard path begins with (path_up)
        while (wildcard && based && glob.starts_with("../")) {
          glob.erase(0, 3);
          ++up;
        }
        // What is left names the files at the top of the folder gone up to (`../*.json`): not a
        // glob of names, which every file of the run matches (review of h51 L3).
        if (up > 0 && glob.find('/') == std::string::npos) glob.insert(0, "./");
        // Past the budget a wildcard path matches no file it was not matched against, which is
        // all of them for a suppression not begun: it takes nothing and is not called unused.
        if (wildcard && glob_work > kGlobWork) {
          if (!out_of_glob_work) out_of_glob_work = k;
          continue;
        }
        const input::PreparedGlob prepared = input::prepare_glob(wildcard ? std::string_view(glob) : "");
        // By file: a glob is matched once per file (-1: not yet).
        std::vector<std::int8_t> glob_takes(glob.empty() || named != nullptr ? 0 : report.sources.size(), -1);
        const auto matches = [&](std::size_t i) {
          const Diagnostic& d = kept[i];
          if (d.rule->id != s.rule) return false;
          if (wildcard) {
            // Each candidate asked is charged too: one Sid in 20,000 files made each of 20,000
            // suppressions ask about 20,000 findings, 10 s past a spent budget (h48 H7).
            glob_work += kCandidateWork;
            std::int8_t& known = glob_takes[d.location.source];
            if (known < 0) known = glob_takes_path(prepared, d.location.source, k, up).value_or(false) ? 1 : 0;
            if (known == 0) return false;
          }
          switch (s.key) {
            case Suppression::Key::principal:
              return std::ranges::any_of(d.logical, [&](const LogicalLocation& l) {
                return l.fully_qualified_name == s.value || l.name == s.value;
              });
            case Suppression::Key::pointer: {
              // Each page of a file has pointers of its own; without a `page`, the first (or only) one.
              if (std::max(d.page, std::uint32_t{1}) != s.page) return false;
              const std::string& full = keys[i].pointer;
              return full == pointer ||
                     (full.size() > pointer.size() && full.starts_with(pointer) && full[pointer.size()] == '/');
            }
            case Suppression::Key::sid:
              return std::ranges::find(keys[i].sids, s.value) != keys[i].sids.end();
          }
          return false;
        };
        // A path without a wildcard: its candidates in the files it names (matches() decides the
        // rest). Not every finding of those files: 20,000 reviewed principals of one export took
        // a pass over the export's findings each (h48 H2).
        std::vector<std::size_t> in_named_files;
        if (named != nullptr) {
          const auto [files, fresh] = named_file_sets.try_emplace(named);
          if (fresh) files->second.insert(named->begin(), named->end());
          for (const std::size_t i : *may_take_of[k]) {
            if (files->second.contains(kept[i].location.source)) in_named_files.push_back(i);
          }
        }
        const std::vector<std::size_t>& may_take = named != nullptr ? in_named_files : *may_take_of[k];
        // Quoted in a finding and in each finding it takes: bounded, as other quoted text is.
        const std::string reason = clip_long_text(s.reason);
        std::size_t taken = 0;
        for (const std::size_t i : may_take) {
          if (suppressed[i] || !matches(i)) continue;
          suppressed[i] = true;
          if (options.keep_suppressed) {
            report.suppressed.push_back(SuppressedFinding{kept[i], reason, Location{*source, s.at}});
          }
          ++taken;
        }
        applied.suppressed += taken;
        // Findings an earlier suppression took count as used too, not "matches no finding" (a sid
        // rule beside a broader path rule is ordinary); they are among the candidates.
        const bool used = taken > 0 || std::ranges::any_of(may_take, matches);
        if (!used && could_apply(s, glob, k, up)) {
          at.emit(rules::kUnusedSuppression, s.at, s.pointer,
                  fmt::format("the suppression of `{}` ({}) matches no finding: remove it, or fix what it names",
                              s.rule, reason));
        }
      }
      if (out_of_glob_work) {
        const Suppression& s = config.suppressions[*out_of_glob_work];
        Emitter(added, *source)
            .emit(rules::kInvalidConfig, s.at, s.pointer,
                  "matching suppression paths against the files of this run stopped here, past 4,000,000,000 "
                  "word operations (README, Limits): from this suppression on, a suppression takes no finding of a "
                  "file its path was not matched against, and none is called unused; give fewer or shorter "
                  "wildcard paths",
                  Level::warning);
      }
      std::vector<Diagnostic> unsuppressed;
      for (std::size_t i = 0; i < kept.size(); ++i) {
        if (!suppressed[i]) unsuppressed.push_back(std::move(kept[i]));
      }
      kept = std::move(unsuppressed);
    }
  }
  // Suppressed findings in report order, as the findings they were among.
  std::ranges::sort(report.suppressed, {}, [&](const SuppressedFinding& s) {
    const Diagnostic& d = s.finding;
    return std::tuple(report.sources.get(d.location.source).path(), d.location.span.begin, d.rule->id, d.message,
                      s.justification);
  });
  for (const Diagnostic& d : added.unsorted()) kept.push_back(d);
  // Rules off or re-levelled, the configuration's own findings included.
  if (!config.rules.empty()) {
    std::erase_if(kept, [&](const Diagnostic& d) {
      const auto it = config.rules.find(std::string(d.rule->id));
      return it != config.rules.end() && !it->second;
    });
    for (Diagnostic& d : kept) {
      const auto it = config.rules.find(std::string(d.rule->id));
      if (it != config.rules.end() && it->second) d.level = *it->second;
    }
  }

  // Baselines: fingerprints of what is reported now, and what an earlier run recorded.
  std::vector<std::string> fingerprints;
  std::map<std::string, int> seen;
  if (!options.write_baseline.empty() || !options.baseline.empty()) {
    for (const Diagnostic& d : kept) {
      const std::string hash = fingerprint_of(d, report.sources.get(d.location.source), path_of(d.location.source));
      fingerprints.push_back(fmt::format("{}:{}", hash, seen[hash]++));
    }
  }
  if (!options.write_baseline.empty() && !config_applied) {
    // It would hold the findings the configuration suppresses or turns off, which stay hidden by
    // the baseline after a suppression expires or is removed.
    report.notifications.push_back(ToolNotification{
        options.write_baseline,
        fmt::format("the baseline `{}` is not written: the configuration `{}` is not applied, and the baseline would "
                    "record the findings it suppresses",
                    options.write_baseline, *config_path),
        false});
  } else if (!options.write_baseline.empty()) {
    std::string text;
    report::JsonWriter w(text);
    w.begin_object().field("version", std::uint64_t{1}).key("findings").begin_array();
    for (std::size_t i = 0; i < kept.size(); ++i) {
      w.begin_object()
          .field("rule", kept[i].rule->id)
          .field("file", path_of(kept[i].location.source))
          .field("fingerprint", fingerprints[i])
          .end_object();
    }
    w.end_array().end_object();
    // A slip of the command line (`--write-baseline policy.json`) must not replace an input.
    for (std::size_t i = 0; i < report.sources.size(); ++i) {
      std::error_code ec;
      const std::string& input = report.sources.get(static_cast<SourceId>(i)).path();
      if (std::filesystem::equivalent(options.write_baseline, input, ec)) {
        return make_error(fmt::format("will not write the baseline over `{}`, which this run reads; name another file",
                                      input));
      }
    }
    // Nor over one it could not read (a truncated gzip, a file it may not read).
    for (const ToolNotification& unread : report.notifications) {
      std::error_code ec;
      if (unread.unread && std::filesystem::equivalent(options.write_baseline, unread.path, ec)) {
        return make_error(fmt::format(
            "will not write the baseline over `{}`, an input this run could not read; name another file", unread.path));
      }
    }
    text += '\n';
    std::FILE* out = open_for_writing(options.write_baseline);
    const bool written = out != nullptr && std::fwrite(text.data(), 1, text.size(), out) == text.size();
    const int failed = errno;
    if (out == nullptr || std::fclose(out) != 0 || !written) {
      const int closing = errno;
      return make_error(fmt::format("cannot write the baseline `{}`: {}{}", options.write_baseline,
                                    out == nullptr ? write_failure(options.write_baseline, failed)
                                                   : std::generic_category().message(written ? closing : failed),
                                    out == nullptr ? std::string() : remove_partial_output(options.write_baseline)));
    }
  }
  // A baseline that cannot be read hides nothing: every finding is reported, and the run says
  // why (exit 2) rather than give no report (an earlier `-o` file would stay as it was).
  if (!options.baseline.empty()) {
    auto known = read_baseline(options.baseline);
    if (!known) {
      report.notifications.push_back(ToolNotification{
          options.baseline, fmt::format("{}; every finding is reported", known.error().message), false});
    } else {
      std::vector<Diagnostic> fresh;
      for (std::size_t i = 0; i < kept.size(); ++i) {
        const auto it = known->find(fingerprints[i]);
        if (it != known->end()) {
          known->erase(it);
          ++applied.in_baseline;
        } else {
          fresh.push_back(std::move(kept[i]));
        }
      }
      kept = std::move(fresh);
    }
  }

  if (!config_path && options.baseline.empty()) {
    // Nothing was taken out, added or re-levelled: the findings are in the order make_report()
    // gave them, which sorting again keeps (0.065 s for the 90,000 findings of a 200 MB export).
    report.diagnostics = std::move(kept);
  } else {
    DiagnosticSink out;
    for (Diagnostic& d : kept) out.report(std::move(d));
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < report.sources.size(); ++i) {
      paths.push_back(report.sources.get(static_cast<SourceId>(i)).path());
    }
    report.diagnostics = std::move(out).sorted(paths);
  }
  // Listed up to the cap only now: a baseline or a suppression that hides some of a rule's
  // findings leaves room for the rest, and fixing one does not make others appear new.
  cap_per_document(report.diagnostics);
  return applied;
}

}  // namespace grantlint::config
