#include "engine/simulate.h"

#include <algorithm>
#include <array>
#include <filesystem>

#include <fmt/format.h>

#include "base/suggest.h"
#include "diag/emitter.h"
#include "input/embedded.h"
#include "input/recognize.h"
#include "json/parse.h"
#include "policy/lower.h"

namespace grantlint {

namespace {

using json::Node;
using json::Type;

constexpr std::array<std::string_view, 10> kRequestFields = {
    "name", "why", "expect", "principal", "action", "resource", "resourceAccount", "context", "unknownContext",
    "policies"};
constexpr std::array<std::string_view, 5> kPolicyFields = {"identity", "resource", "boundary", "scp", "session"};
constexpr std::array<std::string_view, 4> kDecisions = {"allowed", "explicit_deny", "implicit_deny", "conditional"};

// Thrown inside one request's reading only; caught per request so a batch goes on.
struct RequestProblem {
  RequestError error;
};

[[noreturn]] void fail(std::string message, std::optional<Location> location = std::nullopt) {
  throw RequestProblem{RequestError{std::move(message), location}};
}

std::string scalar_text(const Node& node) {
  return node.is(Type::string) || node.is(Type::number) || node.is(Type::boolean) ? node.text : std::string();
}

bool is_scalar(const Node& node) {
  return node.is(Type::string) || node.is(Type::number) || node.is(Type::boolean);
}

}  // namespace

bool SimulationOutcome::as_expected() const {
  if (!expect) return true;
  return answer && !error && eval::to_string(answer->decision) == *expect;
}

struct Simulator::Impl {
  SourceSet sources;
  json::Parser parser;
  std::vector<SimulationOutcome> outcomes;
  bool batch = false;

  // One request being read: where its policies go and how they are named.
  struct Reading {
    SimulationOutcome& out;
    DiagnosticSink sink;
    std::filesystem::path base_dir;  // relative policy paths start here
    SourceId source = 0;
    std::string request_action;
    std::string request_resource;
  };

  void simulate_bytes(std::string path, std::string_view bytes) {
    if (bytes.size() > kMaxFileBytes) {
      SimulationOutcome out;
      out.error = RequestError{fmt::format("cannot read `{}`: larger than {} bytes", path, kMaxFileBytes), {}};
      outcomes.push_back(std::move(out));
      return;
    }
    const std::filesystem::path base = path == "-" ? std::filesystem::path() : std::filesystem::path(path).parent_path();
    const SourceId id = sources.add(std::move(path), bytes);
    DiagnosticSink sink;
    Emitter emit(sink, id);
    const auto root = parser.parse(sources.get(id).text(), json::OffsetMap::shifted(0), emit);
    if (!root) {
      SimulationOutcome out;
      out.error = RequestError{"the request file is not valid JSON", {}};
      out.findings = sink.unsorted();
      outcomes.push_back(std::move(out));
      return;
    }
    if (root->is(Type::array)) {
      batch = true;
      for (const Node& item : root->items) simulate_node(item, id, base);
    } else {
      simulate_node(*root, id, base);
    }
  }

  void simulate_node(const Node& node, SourceId id, const std::filesystem::path& base) {
    SimulationOutcome& out = outcomes.emplace_back();
    Reading reading{out, {}, base, id, {}, {}};
    try {
      read_request(node, reading);
    } catch (const RequestProblem& problem) {
      out.error = problem.error;
      out.answer.reset();
    }
  }

  Location at(const Reading& reading, const Node& node) const { return Location{reading.source, node.span}; }

  std::string string_field(const Reading& reading, const Node& node, std::string_view name) const {
    if (!node.is(Type::string)) {
      fail(fmt::format("`{}` must be a string, not {}", name, json::type_name(node.type)), at(reading, node));
    }
    return node.text;
  }

  void read_request(const Node& node, Reading& reading) {
    SimulationOutcome& out = reading.out;
    if (!node.is(Type::object)) {
      fail(fmt::format("a request is an object, not {}", json::type_name(node.type)), at(reading, node));
    }
    for (const json::Member& member : node.members) {
      if (std::ranges::find(kRequestFields, member.key) == kRequestFields.end()) {
        fail(fmt::format("unknown request field `{}`{}", member.key,
                         did_you_mean(closest_match(member.key, kRequestFields))),
             Location{reading.source, member.key_span});
      }
    }
    const auto field = [&](std::string_view name) { return node.find(name); };
    if (const Node* name = field("name")) out.name = string_field(reading, *name, "name");
    if (const Node* expect = field("expect")) {
      out.expect = string_field(reading, *expect, "expect");
      if (std::ranges::find(kDecisions, *out.expect) == kDecisions.end()) {
        fail(fmt::format("`expect` must be one of allowed, explicit_deny, implicit_deny, conditional, not `{}`{}",
                         *out.expect, did_you_mean(closest_match(*out.expect, kDecisions))),
             at(reading, *expect));
      }
    }
    for (std::string_view required : {"principal", "action", "resource"}) {
      if (field(required) == nullptr) fail(fmt::format("the request has no `{}`", required), at(reading, node));
    }
    out.principal = string_field(reading, *field("principal"), "principal");
    out.action = string_field(reading, *field("action"), "action");
    out.resource = string_field(reading, *field("resource"), "resource");
    reading.request_action = out.action;
    reading.request_resource = out.resource;
    std::string resource_account;
    if (const Node* account = field("resourceAccount")) {
      resource_account = string_field(reading, *account, "resourceAccount");
    }

    eval::Context context;
    if (const Node* given = field("context")) read_context(*given, reading, context);
    if (const Node* unknown = field("unknownContext")) {
      if (unknown->is(Type::string)) {
        context.mark_unknown(unknown->text);
      } else if (unknown->is(Type::array)) {
        for (const Node& item : unknown->items) context.mark_unknown(string_field(reading, item, "unknownContext[]"));
      } else {
        fail("`unknownContext` must be a key pattern or an array of them", at(reading, *unknown));
      }
    }

    eval::PolicySet set;
    if (const Node* policies = field("policies")) read_policies(*policies, reading, set);

    auto request = eval::make_request(out.principal, out.action, out.resource, resource_account, std::move(context));
    if (!request) fail(request.error().message, at(reading, node));
    if (!out.findings.empty()) {
      fail("the request's policies are malformed; no decision is made", at(reading, node));
    }
    out.answer = eval::decide(set, *request);
  }

  static void read_context(const Node& given, const Reading& reading, eval::Context& context) {
    if (!given.is(Type::object)) fail("`context` must be an object of condition keys", Location{reading.source, given.span});
    for (const json::Member& member : given.members) {
      const Node& value = member.value;
      if (is_scalar(value)) {
        context.set(member.key, scalar_text(value));
      } else if (value.is(Type::array)) {
        eval::ContextValue set{{}, true};
        for (const Node& item : value.items) {
          if (!is_scalar(item)) {
            fail(fmt::format("context key `{}`: a set holds strings, numbers or booleans", member.key),
                 Location{reading.source, item.span});
          }
          set.values.push_back(scalar_text(item));
        }
        context.set(member.key, std::move(set));
      } else {
        fail(fmt::format("context key `{}` must be a string, number, boolean or an array of them", member.key),
             Location{reading.source, value.span});
      }
    }
  }

  void read_policies(const Node& policies, Reading& reading, eval::PolicySet& set) {
    if (!policies.is(Type::object)) fail("`policies` must be an object", at(reading, policies));
    for (const json::Member& member : policies.members) {
      if (std::ranges::find(kPolicyFields, member.key) == kPolicyFields.end()) {
        fail(fmt::format("unknown policy type `{}`{}", member.key,
                         did_you_mean(closest_match(member.key, kPolicyFields))),
             Location{reading.source, member.key_span});
      }
    }
    const auto list = [&](const Node& node, std::string_view name, policy::Kind kind) {
      std::vector<const eval::CompiledPolicy*> compiled;
      if (node.is(Type::array)) {
        for (std::size_t i = 0; i < node.items.size(); ++i) {
          compiled.push_back(load(node.items[i], fmt::format("{}[{}]", name, i), kind, reading));
        }
      } else {
        compiled.push_back(load(node, std::string(name), kind, reading));
      }
      return compiled;
    };
    if (const Node* identity = policies.find("identity")) set.identity = list(*identity, "identity", policy::Kind::identity);
    if (const Node* boundary = policies.find("boundary")) set.boundary = list(*boundary, "boundary", policy::Kind::boundary);
    if (const Node* resource = policies.find("resource")) {
      set.resource = load(*resource, "resource", resource_kind(reading), reading);
    }
    if (const Node* session = policies.find("session")) {
      set.session = load(*session, "session", policy::Kind::identity, reading);
    }
    if (const Node* scp = policies.find("scp")) {
      if (!scp->is(Type::array)) fail("`scp` must be an array of levels, each an array of policies", at(reading, *scp));
      for (std::size_t level = 0; level < scp->items.size(); ++level) {
        set.scp.push_back(list(scp->items[level], fmt::format("scp[{}]", level), policy::Kind::scp));
      }
    }
  }

  // The grammar a resource policy is read with follows from what the request is about.
  static policy::Kind resource_kind(const Reading& reading) {
    const std::string& action = reading.request_action;
    const std::string& resource = reading.request_resource;
    const bool kms_key = resource.starts_with("arn:") && resource.find(":kms:") != std::string::npos &&
                         resource.find(":key/") != std::string::npos;
    if (kms_key) return policy::Kind::kms_key;
    const bool role = resource.starts_with("arn:") && resource.find(":iam::") != std::string::npos &&
                      resource.find(":role/") != std::string::npos;
    if (role && action.size() > 4 && (action.starts_with("sts:") || action.starts_with("STS:"))) {
      return policy::Kind::trust;
    }
    return policy::Kind::resource;
  }

  // A policy given inline (an object) or as a file path (a string).
  const eval::CompiledPolicy* load(const Node& node, std::string label, policy::Kind kind, Reading& reading) {
    if (node.is(Type::object)) return lower_and_compile(node, reading.source, std::move(label), kind, reading);
    if (!node.is(Type::string)) {
      fail(fmt::format("`{}` must be a policy object or a file path, not {}", label, json::type_name(node.type)),
           at(reading, node));
    }
    std::filesystem::path path(node.text);
    if (path.is_relative() && !reading.base_dir.empty()) path = reading.base_dir / path;
    return load_file(path.string(), std::move(label), kind, reading, at(reading, node));
  }

  const eval::CompiledPolicy* load_file(const std::string& path, std::string label, policy::Kind kind,
                                        Reading& reading, std::optional<Location> where) {
    auto bytes = read_file_bytes(path);
    if (!bytes) fail(bytes.error().message, where);
    if (bytes->size() > kMaxFileBytes) fail(fmt::format("cannot read `{}`: larger than {} bytes", path, kMaxFileBytes), where);
    const SourceId id = sources.add(path, *bytes);
    Emitter emit(reading.sink, id);
    const auto root = parser.parse(sources.get(id).text(), json::OffsetMap::shifted(0), emit);
    if (!root) {
      take_errors(reading);
      fail(fmt::format("`{}` is not valid JSON", path), where);
    }
    const auto slots = input::find_policies(*root);
    if (slots.empty()) fail(fmt::format("`{}` holds no policy document", path), where);
    const input::PolicySlot& slot = slots.front();
    if (slot.node->is(Type::string)) {
      Emitter slot_emit(reading.sink, id, slot.pointer);
      const auto embedded = input::parse_embedded(sources.get(id).text(), slot, parser, slot_emit);
      if (!embedded) {
        take_errors(reading);
        fail(fmt::format("the policy in `{}` does not parse", path), where);
      }
      return lower_and_compile(embedded->root, id, std::move(label), kind, reading);
    }
    return lower_and_compile(*slot.node, id, std::move(label), kind, reading);
  }

  const eval::CompiledPolicy* lower_and_compile(const Node& node, SourceId id, std::string label, policy::Kind kind,
                                                Reading& reading) {
    Emitter emit(reading.sink, id);
    auto document = policy::lower(node, kind, emit);
    take_errors(reading);
    if (!document) return nullptr;
    reading.out.policies.push_back(eval::CompiledPolicy::compile(std::move(*document), id, std::move(label)));
    return reading.out.policies.back().get();
  }

  // Grammar errors make a request malformed; warnings and notes do not.
  static void take_errors(Reading& reading) {
    for (const Diagnostic& diagnostic : reading.sink.unsorted()) {
      if (diagnostic.level == Level::error) reading.out.findings.push_back(diagnostic);
    }
    reading.sink = DiagnosticSink();
  }

  void simulate_flags(const FlagRequest& flags) {
    SimulationOutcome& out = outcomes.emplace_back();
    out.principal = flags.principal;
    out.action = flags.action;
    out.resource = flags.resource;
    Reading reading{out, {}, {}, 0, flags.action, flags.resource};
    try {
      eval::Context context;
      std::vector<std::pair<std::string, std::vector<std::string>>> pairs;
      for (const std::string& item : flags.context) {
        const auto equals = item.find('=');
        if (equals == std::string::npos || equals == 0) fail(fmt::format("--context `{}` is not key=value", item));
        const std::string key = item.substr(0, equals);
        auto it = std::ranges::find_if(pairs, [&](const auto& pair) { return iequals(pair.first, key); });
        if (it == pairs.end()) {
          pairs.emplace_back(key, std::vector<std::string>{});
          it = pairs.end() - 1;
        }
        it->second.push_back(item.substr(equals + 1));
      }
      for (auto& [key, values] : pairs) {
        const bool multi = values.size() > 1;
        context.set(key, eval::ContextValue{std::move(values), multi});
      }
      for (const std::string& pattern : flags.unknown) context.mark_unknown(pattern);
      eval::PolicySet set;
      for (std::size_t i = 0; i < flags.identity_policies.size(); ++i) {
        set.identity.push_back(load_file(flags.identity_policies[i], fmt::format("identity[{}]", i),
                                         policy::Kind::identity, reading, std::nullopt));
      }
      for (std::size_t i = 0; i < flags.boundary_policies.size(); ++i) {
        set.boundary.push_back(load_file(flags.boundary_policies[i], fmt::format("boundary[{}]", i),
                                         policy::Kind::boundary, reading, std::nullopt));
      }
      for (std::size_t i = 0; i < flags.scp_policies.size(); ++i) {
        set.scp.push_back({load_file(flags.scp_policies[i], fmt::format("scp[{}]", i), policy::Kind::scp, reading,
                                     std::nullopt)});
      }
      if (!flags.resource_policy.empty()) {
        set.resource = load_file(flags.resource_policy, "resource", resource_kind(reading), reading, std::nullopt);
      }
      if (!flags.session_policy.empty()) {
        set.session = load_file(flags.session_policy, "session", policy::Kind::identity, reading, std::nullopt);
      }
      auto request =
          eval::make_request(flags.principal, flags.action, flags.resource, flags.resource_account, std::move(context));
      if (!request) fail(request.error().message);
      if (!out.findings.empty()) fail("the policies are malformed; no decision is made");
      out.answer = eval::decide(set, *request);
    } catch (const RequestProblem& problem) {
      out.error = problem.error;
      out.answer.reset();
    }
  }
};

Simulator::Simulator() : impl_(std::make_unique<Impl>()) {}
Simulator::~Simulator() = default;

void Simulator::simulate_file(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) {
    SimulationOutcome out;
    out.error = RequestError{bytes.error().message, {}};
    impl_->outcomes.push_back(std::move(out));
    return;
  }
  impl_->simulate_bytes(path == "-" ? "<stdin>" : path, *bytes);
}

void Simulator::simulate_bytes(std::string path, std::string_view bytes) { impl_->simulate_bytes(std::move(path), bytes); }
void Simulator::simulate_flags(const FlagRequest& request) { impl_->simulate_flags(request); }
bool Simulator::batch() const { return impl_->batch; }
const std::vector<SimulationOutcome>& Simulator::outcomes() const { return impl_->outcomes; }
const SourceSet& Simulator::sources() const { return impl_->sources; }

}  // namespace grantlint
