#include "engine/simulate.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <expected>
#include <filesystem>
#include <map>
#include <new>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/string_map.h"
#include "base/strings.h"
#include "base/suggest.h"
#include "base/utf8.h"
#include "catalog/catalog.h"
#include "checks/checks.h"
#include "diag/emitter.h"
#include "eval/context.h"
#include "input/embedded.h"
#include "input/recognize.h"
#include "json/parse.h"
#include "json/skim.h"
#include "match/arn.h"
#include "policy/lower.h"
#include "rules/registry.h"

namespace grantlint {

namespace {

// AWS answers a request within one partition only: an `aws` caller's credentials are unknown to
// `aws-cn`, and an ARN of another partition names nothing there (h56 M3: an `aws` user was allowed
// to assume an `aws-cn` role). Refused, as AWS refuses it, whatever the policies say.
void refuse_across_partitions(const eval::Request& request, eval::Answer& answer) {
  // A bare account id names no partition (review of c5c2ac7), and an explicit Deny stays one.
  if (!request.caller.text.starts_with("arn:") || answer.decision == eval::Decision::explicit_deny) return;
  const std::string_view caller = request.caller.partition;
  const std::string_view resource = request.resource_is_arn ? std::string_view(request.resource_fields[0]) : "";
  if (caller.empty() || resource.empty() || caller == resource || !is_partition(caller) || !is_partition(resource)) {
    return;
  }
  answer.decision = eval::Decision::implicit_deny;
  answer.allowed_if = eval::Tri::no();
  answer.reason = fmt::format(
      "the caller is of partition `{}` and the resource of `{}`: AWS answers no request across "
      "partitions",
      caller, resource);
}

using json::Node;
using json::Type;

// "`PATH` cannot be read as JSON: WHY", WHY the parser's first error that stopped it: a syntax
// error, or valid JSON nested deeper than grantlint reads (which "is not valid JSON" misnamed);
// not a byte order mark, which the parser reads past.
std::string unreadable_json(std::string_view path, const DiagnosticSink& sink) {
  for (const Diagnostic& diagnostic : sink.unsorted()) {
    if (diagnostic.level == Level::error && diagnostic.rule != &rules::kUtf8Bom) {
      return fmt::format("`{}` cannot be read as JSON: {}", path, diagnostic.message);
    }
  }
  return fmt::format("`{}` cannot be read as JSON", path);
}

constexpr std::array<std::string_view, 10> kRequestFields = {
    "name",           "why",     "expect", "principal", "action", "resource", "resourceAccount", "context",
    "unknownContext", "policies"};
constexpr std::array<std::string_view, 5> kPolicyFields = {"identity", "resource", "boundary", "scp", "session"};

// An unknownContext key, or --unknown, that no request carries (eval::no_request_carries):
// the evaluator takes it as absent, so naming it unknown would change nothing unsaid (rev_0b81 L4).
std::string never_unknown(std::string_view key) {
  return fmt::format(
      "`{}` names no condition key (a key is `service:name`, such as `aws:PrincipalAccount`): no "
      "request carries it, so it is absent, never unknown",
      key);
}

// Patterns with a wildcard in one request's `unknownContext`: each is matched against every
// condition key the evaluator looks up (key names are looked up at once, however many).
constexpr std::size_t kMaxUnknownWildcards = 1000;
constexpr std::array<std::string_view, 4> kDecisions = {"allowed", "explicit_deny", "implicit_deny", "conditional"};

// Reading a request stops at its first problem, which becomes the request's error.
template <class T>
using Read = std::expected<T, RequestError>;

std::unexpected<RequestError> problem(std::string message, std::optional<Location> location = std::nullopt) {
  return std::unexpected(RequestError{std::move(message), location});
}

std::string scalar_text(const Node& node) {
  return node.is(Type::string) || node.is(Type::number) || node.is(Type::boolean) ? node.text : std::string();
}

bool is_scalar(const Node& node) { return node.is(Type::string) || node.is(Type::number) || node.is(Type::boolean); }

}  // namespace

bool SimulationOutcome::as_expected() const {
  if (!expect) return true;
  return answer && !error && eval::to_string(answer->decision) == *expect;
}

std::string_view SimulationOutcome::label_of(const eval::CompiledPolicy* policy) const {
  for (const auto& [labelled, label] : labels) {
    if (labelled == policy) return label;
  }
  return "policy";
}

struct Simulator::Impl {
  // What compiling one policy gave: the policy, or why there is none, and its grammar errors.
  struct Compiled {
    const eval::CompiledPolicy* policy = nullptr;
    std::optional<RequestError> error;
    std::vector<Diagnostic> errors;
  };
  SimulatorOptions options;

  [[nodiscard]] const catalog::Catalog& known_catalog() const {
    return options.catalog != nullptr ? *options.catalog : catalog::Catalog::builtin();
  }

  // Why an action the catalog does not know (a typo, a look-alike letter) is refused, as AWS
  // refuses the call: a decision about it would pass an `expect` test that tests nothing.
  // Empty for a known action.
  [[nodiscard]] std::string unknown_action(const std::string& action) const {
    DiagnosticSink unknown;
    Emitter emit(unknown, 0);
    checks::check_action_pattern(policy::Text{action, Span{}, ""}, known_catalog(), emit);
    if (unknown.unsorted().empty()) return {};
    return fmt::format("no decision is made: {} (for an action newer than the built-in catalog, give `--catalog`)",
                       unknown.unsorted().front().message);
  }
  SourceSet sources;
  json::Parser parser;
  std::vector<SimulationOutcome> outcomes;
  bool batch = false;
  std::vector<std::unique_ptr<const eval::CompiledPolicy>> owned_policies;  // what answers point into
  std::map<std::pair<std::string, policy::Kind>, Compiled> file_policies;   // by canonical path and kind
  std::deque<Compiled> inline_policies;
  std::vector<Diagnostic> request_file_errors;  // JSON-level errors of the request file being read

  // One request being read: where its policies go and how they are named.
  struct Reading {
    SimulationOutcome& out;
    std::filesystem::path base_dir;  // relative policy paths start here
    SourceId source = 0;

    [[nodiscard]] Location at(const Node& node) const { return Location{source, node.span}; }
  };

  void simulate_bytes(std::string path, std::string_view bytes) {
    if (bytes.size() > kMaxFileBytes) {
      SimulationOutcome& out = outcomes.emplace_back();
      out.error = RequestError{fmt::format("cannot read `{}`: larger than {} bytes", path, kMaxFileBytes), {}};
      return;
    }
    std::filesystem::path base;
    if (path != "<stdin>") base = std::filesystem::path(path).parent_path();
    const SourceId id = sources.add(std::move(path), bytes);
    // A file that opens a list is a batch, answered in JSON Lines, even when it does not parse:
    // its error is then one line too, as a reader of the lines expects.
    const std::string_view text = sources.get(id).text();
    const std::size_t first = json::skip_space(text, text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0);
    batch = first < text.size() && text[first] == '[';
    DiagnosticSink sink;
    Emitter emit(sink, id);
    std::optional<Node> root;
    try {
      root = parser.parse(text, json::OffsetMap::shifted(0), emit);
    } catch (const std::bad_alloc&) {
      SimulationOutcome& out = outcomes.emplace_back();
      out.error = RequestError{fmt::format("not enough memory to read `{}`", sources.get(id).path()), {}};
      return;
    }
    if (!root) {
      // One request nested too deep, or with a bad escape, costs that request, not the batch.
      if (batch) {
        if (const auto elements = batch_elements(text, first)) {
          simulate_elements(*elements, id, base);
          return;
        }
      }
      SimulationOutcome& out = outcomes.emplace_back();
      out.error = RequestError{unreadable_json(sources.get(id).path(), sink), {}};
      out.findings = sink.unsorted();
      return;
    }
    // Duplicate keys and the like, anywhere in the file: each makes its request malformed.
    request_file_errors = errors_in(sink);
    if (root->is(Type::array)) {
      for (const Node& item : root->items) simulate_node(item, id, base);
    } else {
      simulate_node(*root, id, base);
    }
  }

  // Where each request of the batch whose `[` is at `open` lies, from the list's brackets,
  // commas and strings alone; nullopt when those do not hold up (a batch cut short, a comma
  // missing), where no request can be told from the next and the file's error is given whole.
  using Extent = std::pair<std::size_t, std::size_t>;
  static std::optional<std::vector<Extent>> batch_elements(std::string_view text, std::size_t open) {
    std::vector<Extent> elements;
    std::size_t at = json::skip_space(text, open + 1);
    if (at < text.size() && text[at] == ']') return std::nullopt;  // `[]` parses: no fallback needed
    while (true) {
      const auto end = json::skim_value(text, at);
      if (!end) return std::nullopt;
      elements.emplace_back(at, *end);
      at = json::skip_space(text, *end);
      if (at >= text.size()) return std::nullopt;
      if (text[at] == ']') break;
      if (text[at] != ',') return std::nullopt;
      at = json::skip_space(text, at + 1);
    }
    if (json::skip_space(text, at + 1) != text.size()) return std::nullopt;
    return elements;
  }

  // The requests of a batch that does not parse whole, each parsed on its own: a broken one
  // is answered with its error, and the rest are decided.
  void simulate_elements(const std::vector<Extent>& elements, SourceId id, const std::filesystem::path& base) {
    const std::string_view text = sources.get(id).text();
    for (std::size_t i = 0; i < elements.size(); ++i) {
      const auto [begin, end] = elements[i];
      DiagnosticSink sink;
      Emitter emit(sink, id);
      std::optional<Node> node;
      try {
        node =
            parser.parse(text.substr(begin, end - begin), json::OffsetMap::shifted(static_cast<std::uint32_t>(begin)),
                         emit, {}, json::ParseUnit::element);
      } catch (const std::bad_alloc&) {
        outcomes.emplace_back().error = RequestError{
            fmt::format("not enough memory to read request {} of `{}`", i + 1, sources.get(id).path()), {}};
        continue;
      }
      if (!node) {
        SimulationOutcome& out = outcomes.emplace_back();
        out.error = RequestError{fmt::format("request {} of `{}` does not parse", i + 1, sources.get(id).path()), {}};
        out.findings = sink.unsorted();
        continue;
      }
      request_file_errors = errors_in(sink);
      simulate_node(*node, id, base);
    }
  }

  void simulate_node(const Node& node, SourceId id, const std::filesystem::path& base) {
    SimulationOutcome& out = outcomes.emplace_back();
    for (const Diagnostic& diagnostic : request_file_errors) {
      const Span span = diagnostic.location.span;
      if (span.begin >= node.span.begin && span.end <= node.span.end) out.findings.push_back(diagnostic);
    }
    Reading reading{out, base, id};
    if (auto done = read_request(node, reading); !done) out.error = std::move(done.error());
  }

  static Read<std::string> string_field(const Reading& reading, const Node& node, std::string_view name) {
    if (!node.is(Type::string)) {
      return problem(fmt::format("`{}` must be a string, not {}", name, json::type_name(node.type)), reading.at(node));
    }
    return node.text;
  }

  Read<void> read_request(const Node& node, Reading& reading) {
    SimulationOutcome& out = reading.out;
    if (!node.is(Type::object)) {
      return problem(fmt::format("a request is an object, not {}", json::type_name(node.type)), reading.at(node));
    }
    // The name first, so that even a request with a bad field is named in the output.
    if (const Node* name = node.find("name"); name != nullptr && name->is(Type::string)) out.name = name->text;
    for (const json::Member& member : node.members) {
      if (std::ranges::find(kRequestFields, member.key) == kRequestFields.end()) {
        return problem(fmt::format("unknown request field `{}`{}", member.key,
                                   did_you_mean(closest_match(member.key, kRequestFields))),
                       Location{reading.source, member.key_span});
      }
    }
    // Each field, read into `target` when present.
    const auto text = [&](std::string_view name, std::string& target) -> Read<void> {
      const Node* field = node.find(name);
      if (field == nullptr) return {};
      auto value = string_field(reading, *field, name);
      if (!value) return std::unexpected(std::move(value.error()));
      target = std::move(*value);
      return {};
    };
    std::string expect;
    std::string resource_account;
    for (auto [name, target] : {std::pair<std::string_view, std::string*>{"name", &out.name},
                                {"principal", &out.principal},
                                {"action", &out.action},
                                {"resource", &out.resource},
                                {"resourceAccount", &resource_account},
                                {"expect", &expect}}) {
      if (auto read = text(name, *target); !read) return read;
    }
    if (const Node* given = node.find("expect")) {
      if (std::ranges::find(kDecisions, expect) == kDecisions.end()) {
        return problem(fmt::format("`expect` must be one of allowed, explicit_deny, implicit_deny, conditional, not "
                                   "`{}`{}",
                                   expect, did_you_mean(closest_match(expect, kDecisions))),
                       reading.at(*given));
      }
      out.expect = expect;
    }
    for (std::string_view required : {"principal", "action", "resource"}) {
      if (node.find(required) == nullptr) {
        return problem(fmt::format("the request has no `{}`", required), reading.at(node));
      }
    }

    eval::Context context;
    if (const Node* given = node.find("context")) {
      if (auto read = read_context(*given, reading, context); !read) return read;
    }
    if (const Node* unknown = node.find("unknownContext")) {
      const auto empty = [&](const Node& pattern) {
        return problem("an `unknownContext` pattern is empty, so it matches no key; give a key or a pattern such "
                       "as `aws:Source*`",
                       reading.at(pattern));
      };
      // The keys given, lower case, looked up once each (h47 H2: compared with each one, 30,000
      // names took 12 s).
      StringMap<std::string_view> given_keys;
      if (const Node* given = node.find("context"); given != nullptr && given->is(Type::object)) {
        for (const json::Member& member : given->members) given_keys.try_emplace(ascii_lower(member.key), member.key);
      }
      const auto known_too = [&](std::string_view pattern, const Node& at) -> Read<void> {
        if (pattern.find_first_of("*?") == std::string_view::npos && eval::no_request_carries(pattern)) {
          return problem(never_unknown(pattern), reading.at(at));
        }
        if (given_keys.empty() || pattern.find_first_of("*?") != std::string_view::npos) return {};
        const auto it = given_keys.find(ascii_lower(pattern));
        return it == given_keys.end() ? Read<void>{} : both_known_and_unknown(it->second, reading.at(at));
      };
      if (unknown->is(Type::string)) {
        if (unknown->text.empty()) return empty(*unknown);
        if (auto read = known_too(unknown->text, *unknown); !read) return read;
        context.mark_unknown(unknown->text);
      } else if (unknown->is(Type::array)) {
        for (const Node& item : unknown->items) {
          auto pattern = string_field(reading, item, "unknownContext[]");
          if (!pattern) return std::unexpected(std::move(pattern.error()));
          if (pattern->empty()) return empty(item);
          if (auto read = known_too(*pattern, item); !read) return read;
          context.mark_unknown(*pattern);
        }
      } else {
        return problem("`unknownContext` must be a key pattern or an array of them", reading.at(*unknown));
      }
      if (context.unknown_wildcards() > kMaxUnknownWildcards) {
        return problem(fmt::format("`unknownContext` holds {} patterns with `*` or `?`, more than the {} a request "
                                   "may give (each is tried on every condition key); list the keys by name",
                                   context.unknown_wildcards(), kMaxUnknownWildcards),
                       reading.at(*unknown));
      }
    }

    eval::PolicySet set;
    if (const Node* policies = node.find("policies")) {
      if (auto read = read_policies(*policies, reading, set); !read) return read;
    }
    auto request = eval::make_request(out.principal, out.action, out.resource, resource_account, std::move(context));
    if (!request) {
      using Field = eval::RequestProblem::Field;
      const Field field = request.error().field;
      const Node* culprit = node.find(field == Field::principal  ? "principal"
                                      : field == Field::action   ? "action"
                                      : field == Field::resource ? "resource"
                                                                 : "resourceAccount");
      return problem(request.error().message, reading.at(culprit != nullptr ? *culprit : node));
    }
    if (const Node* action = node.find("action")) {
      if (auto why = unknown_action(out.action); !why.empty()) return problem(std::move(why), reading.at(*action));
    }
    if (!out.findings.empty()) {
      return problem("the request or its policies are malformed; no decision is made", reading.at(node));
    }
    request->context.set_comparison_budget(kMaxComparisons);
    out.answer = eval::decide(set, *request);
    if (request->context.budget_spent()) return problem(comparisons_spent(), reading.at(node));
    refuse_across_partitions(*request, *out.answer);
    return {};
  }

  // A key the request gives a value and names unknown too: which one it meant is not known (h46
  // L4). A pattern with a wildcard may cover given keys: they are known, the rest unknown.
  static std::unexpected<RequestError> both_known_and_unknown(std::string_view key, std::optional<Location> at) {
    return problem(fmt::format("context key `{}` is given a value and named unknown too; a key is known or unknown, "
                               "not both",
                               key),
                   at);
  }

  // Whether a key holds a set is a property of the key (IAM semantics §3.5): a key the
  // catalog types `ArrayOf...` is a set even when one value is given, and a single-valued
  // key given as a one-element array is that value. Keys the catalog does not know keep
  // the form they were given in.
  void set_context(eval::Context& context, std::string_view key, eval::ContextValue value) const {
    const catalog::Catalog& types = known_catalog();
    if (const catalog::ConditionKey* known = types.find_condition_key(key)) {
      if (known->type.starts_with("ArrayOf")) {
        value.multi = true;
      } else if (value.values.size() == 1) {
        value.multi = false;
      }
    }
    context.set(key, std::move(value));
  }

  Read<void> read_context(const Node& given, const Reading& reading, eval::Context& context) const {
    if (!given.is(Type::object)) return problem("`context` must be an object of condition keys", reading.at(given));
    StringMap<std::string_view> spelt;  // each key, lower case, as the request first spells it
    for (const json::Member& member : given.members) {
      const Node& value = member.value;
      // No condition names an empty key: the value would sit in the context unread.
      if (member.key.empty()) {
        return problem("a context key is empty; give the condition key the value is for",
                       Location{reading.source, member.key_span});
      }
      // Keys are names without regard to case: two spellings would leave the decision to the
      // order they are written in (h46 M5).
      if (const auto [first, added] = spelt.try_emplace(ascii_lower(member.key), member.key); !added) {
        return problem(fmt::format("context key `{}` is `{}` again (condition keys are names without regard to "
                                   "case); give it once, with an array for several values",
                                   member.key, first->second),
                       Location{reading.source, member.key_span});
      }
      if (is_scalar(value)) {
        set_context(context, member.key, eval::ContextValue{{scalar_text(value)}, false});
      } else if (value.is(Type::array)) {
        eval::ContextValue set{{}, true};
        for (const Node& item : value.items) {
          if (!is_scalar(item)) {
            return problem(fmt::format("context key `{}`: a set holds strings, numbers or booleans", member.key),
                           reading.at(item));
          }
          set.values.push_back(scalar_text(item));
        }
        set_context(context, member.key, std::move(set));
      } else {
        return problem(
            fmt::format("context key `{}` must be a string, number, boolean or an array of them", member.key),
            reading.at(value));
      }
    }
    return {};
  }

  using PolicyList = std::vector<const eval::CompiledPolicy*>;

  // One policy, or an array of them.
  Read<PolicyList> read_list(const Node& node, std::string_view name, policy::Kind kind, Reading& reading) {
    PolicyList compiled;
    if (!node.is(Type::array)) {
      auto one = load(node, std::string(name), kind, reading);
      if (!one) return std::unexpected(std::move(one.error()));
      compiled.push_back(*one);
      return compiled;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      auto one = load(node.items[i], fmt::format("{}[{}]", name, i), kind, reading);
      if (!one) return std::unexpected(std::move(one.error()));
      compiled.push_back(*one);
    }
    return compiled;
  }

  Read<void> read_policies(const Node& policies, Reading& reading, eval::PolicySet& set) {
    if (!policies.is(Type::object)) return problem("`policies` must be an object", reading.at(policies));
    for (const json::Member& member : policies.members) {
      if (std::ranges::find(kPolicyFields, member.key) == kPolicyFields.end()) {
        return problem(fmt::format("unknown policy type `{}`{}", member.key,
                                   did_you_mean(closest_match(member.key, kPolicyFields))),
                       Location{reading.source, member.key_span});
      }
    }
    const auto list_into = [&](std::string_view name, policy::Kind kind, PolicyList& target) -> Read<void> {
      const Node* node = policies.find(name);
      if (node == nullptr) return {};
      auto list = read_list(*node, name, kind, reading);
      if (!list) return std::unexpected(std::move(list.error()));
      target = std::move(*list);
      return {};
    };
    const auto one_into = [&](std::string_view name, policy::Kind kind,
                              const eval::CompiledPolicy*& target) -> Read<void> {
      const Node* node = policies.find(name);
      if (node == nullptr) return {};
      auto one = load(*node, std::string(name), kind, reading);
      if (!one) return std::unexpected(std::move(one.error()));
      target = *one;
      return {};
    };
    if (auto read = list_into("identity", policy::Kind::identity, set.identity); !read) return read;
    if (auto read = list_into("boundary", policy::Kind::boundary, set.boundary); !read) return read;
    if (const Node* resource = policies.find("resource")) {
      if (auto fits = key_policy_fits(reading.out.action, reading.out.resource); !fits) {
        return problem(fits.error(), reading.at(*resource));
      }
    }
    if (auto read = one_into("resource", resource_kind(reading.out.action, reading.out.resource), set.resource);
        !read) {
      return read;
    }
    if (auto read = one_into("session", policy::Kind::identity, set.session); !read) return read;
    if (const Node* scp = policies.find("scp")) {
      if (!scp->is(Type::array)) {
        return problem("`scp` must be an array of levels, each a policy or an array of policies", reading.at(*scp));
      }
      for (std::size_t level = 0; level < scp->items.size(); ++level) {
        auto list = read_list(scp->items[level], fmt::format("scp[{}]", level), policy::Kind::scp, reading);
        if (!list) return std::unexpected(std::move(list.error()));
        set.scp.push_back(std::move(*list));
      }
    }
    return {};
  }

  // A `kms:` request with a resource policy must be about a key, whose key policy it is.
  static std::expected<void, std::string> key_policy_fits(std::string_view action, std::string_view resource) {
    if (action.size() < 4 || !iequals(action.substr(0, 4), "kms:") || match::is_kms_key_arn(resource)) return {};
    return std::unexpected(
        fmt::format("a key policy decides requests on its key: the resource of `{}` must be the "
                    "key ARN `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`, not `{}`",
                    action, resource));
  }

  // The grammar a resource policy is read with follows from what the request is about.
  static policy::Kind resource_kind(std::string_view action, std::string_view resource) {
    if (match::is_kms_key_arn(resource)) return policy::Kind::kms_key;
    const auto fields = match::split_arn(resource);
    const bool role = fields && (*fields)[1] == "iam" && (*fields)[4].starts_with("role/");
    if (role && action.size() > 4 && iequals(action.substr(0, 4), "sts:")) return policy::Kind::trust;
    return policy::Kind::resource;
  }

  // A policy given inline (an object) or as a file path (a string). Its grammar errors go
  // to reading.out.findings.
  Read<const eval::CompiledPolicy*> load(const Node& node, std::string label, policy::Kind kind, Reading& reading) {
    if (node.is(Type::object)) {
      inline_policies.push_back(compile_node(node, reading.source, kind));
      return use(inline_policies.back(), std::move(label), reading, reading.at(node));
    }
    if (!node.is(Type::string)) {
      return problem(
          fmt::format("`{}` must be a policy object or a file path, not {}", label, json::type_name(node.type)),
          reading.at(node));
    }
    std::filesystem::path path(node.text);
    if (path.is_relative() && !reading.base_dir.empty() && node.text != "-") path = reading.base_dir / path;
    return load_file(path.string(), std::move(label), kind, reading, reading.at(node));
  }

  // Each file is read and compiled once per run, however many requests name it.
  Read<const eval::CompiledPolicy*> load_file(const std::string& path, std::string label, policy::Kind kind,
                                              Reading& reading, std::optional<Location> where) {
    if (!options.read_policy_files) return problem(fmt::format("policy files are not read here: `{}`", path), where);
    if (path == "-") return problem("a policy cannot come from standard input; give its file path", where);
    // A name with a NUL byte is kept as it is: made canonical, the system would cut it at the
    // NUL and give another file's name (whose policy a later request would then be decided by).
    std::error_code error;
    const bool nul = path.find('\0') != std::string::npos;
    const std::filesystem::path canonical =
        nul ? std::filesystem::path() : std::filesystem::weakly_canonical(path, error);
    auto [entry, fresh] = file_policies.try_emplace({nul || error ? path : canonical.string(), kind});
    if (fresh) entry->second = compile_file(path, kind);
    return use(entry->second, std::move(label), reading, where);
  }

  Read<const eval::CompiledPolicy*> use(const Compiled& compiled, std::string label, Reading& reading,
                                        std::optional<Location> where) {
    reading.out.findings.insert(reading.out.findings.end(), compiled.errors.begin(), compiled.errors.end());
    if (compiled.error) {
      return problem(compiled.error->message, compiled.error->location ? compiled.error->location : where);
    }
    reading.out.labels.emplace_back(compiled.policy, std::move(label));
    return compiled.policy;
  }

  Compiled compile_file(const std::string& path, policy::Kind kind) {
    Compiled compiled;
    auto bytes = read_file_bytes(path);
    if (!bytes) {
      compiled.error = RequestError{clip_long_quotes(bytes.error().message), {}};
      return compiled;
    }
    if (bytes->size() > kMaxFileBytes) {
      compiled.error = RequestError{fmt::format("cannot read `{}`: larger than {} bytes", path, kMaxFileBytes), {}};
      return compiled;
    }
    const SourceId id = sources.add(path, *bytes);
    DiagnosticSink sink;
    Emitter emit(sink, id);
    std::optional<Node> root;
    try {
      root = parser.parse(sources.get(id).text(), json::OffsetMap::shifted(0), emit);
    } catch (const std::bad_alloc&) {  // this request's error; the rest of a batch is answered
      compiled.error = RequestError{fmt::format("not enough memory to read `{}`", path), {}};
      return compiled;
    }
    if (!root) {
      compiled.errors = errors_in(sink);
      compiled.error = RequestError{unreadable_json(path, sink), {}};
      return compiled;
    }
    const auto slots = input::find_policies(*root);
    if (slots.empty()) {
      compiled.error = RequestError{fmt::format("`{}` holds no policy document", path), {}};
      return compiled;
    }
    const input::PolicySlot& slot = slots.front();
    if (!slot.node->is(Type::string)) {
      compiled = compile_node(*slot.node, id, kind);
    } else if (const auto embedded = input::parse_embedded(sources.get(id).text(), slot, parser, emit)) {
      compiled = compile_node(embedded->root, id, kind);
    } else {
      compiled.error = RequestError{fmt::format("the policy in `{}` does not parse", path), {}};
    }
    // JSON-level errors of the file (duplicate keys, a bad escape) make it malformed too.
    for (Diagnostic& diagnostic : errors_in(sink)) compiled.errors.push_back(std::move(diagnostic));
    return compiled;
  }

  Compiled compile_node(const Node& node, SourceId id, policy::Kind kind) {
    Compiled compiled;
    DiagnosticSink sink;
    Emitter emit(sink, id);
    auto document = policy::lower(node, kind, emit);
    compiled.errors = errors_in(sink);
    // A malformed policy variable (`${aws:username` without its `}`: Access Analyzer's
    // MISSING_BRACE_IN_VARIABLE error) is refused as the grammar errors are; decided, it would
    // be read as literal text. A variable where IAM never expands one (POL033) is compared as
    // written, which the evaluator does.
    if (document) {
      DiagnosticSink variables;
      Emitter variables_emit(variables, id);
      checks::check_variables(*document, variables_emit);
      for (const Diagnostic& diagnostic : variables.unsorted()) {
        if (diagnostic.rule == &rules::kMalformedPolicyVariable) compiled.errors.push_back(diagnostic);
      }
    }
    if (!document) {
      compiled.error = RequestError{fmt::format("a policy is an object, not {}", json::type_name(node.type)),
                                    Location{id, node.span}};
      return compiled;
    }
    owned_policies.push_back(eval::CompiledPolicy::compile(std::move(*document), id));
    compiled.policy = owned_policies.back().get();
    return compiled;
  }

  // Grammar errors make a request malformed; warnings and notes do not.
  static std::vector<Diagnostic> errors_in(const DiagnosticSink& sink) {
    std::vector<Diagnostic> errors;
    for (const Diagnostic& diagnostic : sink.unsorted()) {
      if (diagnostic.level == Level::error) errors.push_back(diagnostic);
    }
    return errors;
  }

  void simulate_flags(const FlagRequest& flags) {
    SimulationOutcome& out = outcomes.emplace_back();
    out.principal = flags.principal;
    out.action = flags.action;
    out.resource = flags.resource;
    Reading reading{out, {}, 0};
    if (auto done = read_flags(flags, reading); !done) out.error = std::move(done.error());
  }

  Read<void> read_flags(const FlagRequest& flags, Reading& reading) {
    eval::Context context;
    // A key given more than once (without regard to case) with more than one value makes a set;
    // the same value again is the same flag repeated, not a set (h49 L2).
    // Each key is one lookup in `by_lower` (h48 H1: a search of `pairs` was quadratic in --context).
    std::vector<std::pair<std::string, std::vector<std::string>>> pairs;
    std::unordered_map<std::string, std::size_t> by_lower;
    std::unordered_set<std::string> given;  // lower-case key, NUL, value
    for (const std::string& item : flags.context) {
      const auto equals = item.find('=');
      if (equals == std::string::npos || equals == 0)
        return problem(fmt::format("--context `{}` is not key=value", item));
      const std::string key = item.substr(0, equals);
      std::string lower = ascii_lower(key);
      const auto [at, fresh] = by_lower.try_emplace(lower, pairs.size());
      if (fresh) pairs.emplace_back(key, std::vector<std::string>{});
      if (!given.insert(lower + '\0' + item.substr(equals + 1)).second) continue;
      pairs[at->second].second.push_back(item.substr(equals + 1));
    }
    for (auto& [key, values] : pairs) {
      const bool multi = values.size() > 1;
      set_context(context, key, eval::ContextValue{std::move(values), multi});
    }
    for (const std::string& pattern : flags.unknown) {
      if (pattern.empty()) return problem("--unknown is empty, so it matches no key");
      if (pattern.find_first_of("*?") == std::string::npos && eval::no_request_carries(pattern)) {
        return problem(fmt::format("--unknown {}", never_unknown(pattern)));
      }
      if (pattern.find_first_of("*?") == std::string::npos && by_lower.contains(ascii_lower(pattern))) {
        return problem(
            fmt::format("--unknown `{}` is given a value by --context too; a key is known or unknown, not "
                        "both",
                        pattern));
      }
      context.mark_unknown(pattern);
    }

    eval::PolicySet set;
    const auto file = [&](const std::string& path, std::string label, policy::Kind kind,
                          std::vector<const eval::CompiledPolicy*>& target) -> Read<void> {
      auto one = load_file(path, std::move(label), kind, reading, std::nullopt);
      if (!one) return std::unexpected(std::move(one.error()));
      target.push_back(*one);
      return {};
    };
    for (std::size_t i = 0; i < flags.identity_policies.size(); ++i) {
      auto read =
          file(flags.identity_policies[i], fmt::format("identity[{}]", i), policy::Kind::identity, set.identity);
      if (!read) return read;
    }
    for (std::size_t i = 0; i < flags.boundary_policies.size(); ++i) {
      auto read =
          file(flags.boundary_policies[i], fmt::format("boundary[{}]", i), policy::Kind::boundary, set.boundary);
      if (!read) return read;
    }
    for (std::size_t i = 0; i < flags.scp_policies.size(); ++i) {
      auto read = file(flags.scp_policies[i], fmt::format("scp[{}]", i), policy::Kind::scp, set.scp.emplace_back());
      if (!read) return read;
    }
    std::vector<const eval::CompiledPolicy*> single;
    if (!flags.resource_policy.empty()) {
      if (auto fits = key_policy_fits(flags.action, flags.resource); !fits) return problem(fits.error());
      auto read = file(flags.resource_policy, "resource", resource_kind(flags.action, flags.resource), single);
      if (!read) return read;
      set.resource = single.back();
    }
    if (!flags.session_policy.empty()) {
      auto read = file(flags.session_policy, "session", policy::Kind::identity, single);
      if (!read) return read;
      set.session = single.back();
    }
    auto request =
        eval::make_request(flags.principal, flags.action, flags.resource, flags.resource_account, std::move(context));
    if (!request) return problem(request.error().message);
    if (auto why = unknown_action(flags.action); !why.empty()) return problem(std::move(why));
    if (!reading.out.findings.empty()) return problem("the policies are malformed; no decision is made");
    request->context.set_comparison_budget(kMaxComparisons);
    reading.out.answer = eval::decide(set, *request);
    if (request->context.budget_spent()) return problem(comparisons_spent());
    refuse_across_partitions(*request, *reading.out.answer);
    return {};
  }

  // README, Limits: 0.45-0.7 s of CPU on the release build to spend (hostile h50 M1: 100,000,000 took 2-6 s).
  static constexpr std::uint64_t kMaxComparisons = 20'000'000;
  static std::string comparisons_spent() {
    return "matching the request's resource and context values against the policies' patterns takes more than "
           "20,000,000 units of work (a comparison costs one, and one more for every 16 words it may read: a set of "
           "values under `ForAnyValue`/`ForAllValues` against many wildcard patterns, or long values); no decision "
           "is made";
  }
};

Simulator::Simulator(SimulatorOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = options; }
Simulator::~Simulator() = default;

void Simulator::simulate_file(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) {
    SimulationOutcome out;
    out.error = RequestError{clip_long_quotes(bytes.error().message), {}};
    impl_->outcomes.push_back(std::move(out));
    return;
  }
  impl_->simulate_bytes(path == "-" ? "<stdin>" : path, *bytes);
}

void Simulator::simulate_bytes(std::string path, std::string_view bytes) {
  impl_->simulate_bytes(std::move(path), bytes);
}
void Simulator::simulate_flags(const FlagRequest& request) { impl_->simulate_flags(request); }
bool Simulator::batch() const { return impl_->batch; }
const std::vector<SimulationOutcome>& Simulator::outcomes() const { return impl_->outcomes; }
const SourceSet& Simulator::sources() const { return impl_->sources; }

}  // namespace grantlint
