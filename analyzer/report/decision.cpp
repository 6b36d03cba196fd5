#include "report/decision.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "report/json_writer.h"
#include "report/text_safe.h"

namespace grantlint::report {

namespace {

using eval::StatementTrace;
using eval::Tri;

const policy::Statement& statement_of(const eval::CompiledPolicy& policy, std::size_t index) {
  return policy.document().statements[index];
}

std::string where(const SourceSet& sources, SourceId source, Span span) {
  const SourceFile& file = sources.get(source);
  const LineColumn at = file.lines().locate(span.begin);
  return fmt::format("{}:{}:{}", path_safe(file.path()), at.line, at.column);
}

void write_location(JsonWriter& w, const SourceSet& sources, SourceId source, Span span) {
  const SourceFile& file = sources.get(source);
  const LineColumn at = file.lines().locate(span.begin);
  w.path_field("file", file.path()).field("line", at.line).field("column", at.column);
}

std::string_view outcome_name(StatementTrace::Outcome outcome) {
  switch (outcome) {
    case StatementTrace::Outcome::applies: return "applies";
    case StatementTrace::Outcome::conditional: return "conditional";
    case StatementTrace::Outcome::no_match: return "no_match";
  }
  return "";
}

void write_formula(JsonWriter& w, const Tri& formula, const SimulationOutcome& outcome, const SourceSet& sources) {
  switch (formula.op()) {
    case Tri::Op::truth: w.value(true); return;
    case Tri::Op::falsity: w.value(false); return;
    case Tri::Op::negate:
      w.begin_object().key("not");
      write_formula(w, formula.operands().front(), outcome, sources);
      w.end_object();
      return;
    case Tri::Op::all:
    case Tri::Op::any:
      w.begin_object().key(formula.op() == Tri::Op::all ? "all" : "any").begin_array();
      for (const Tri& operand : formula.operands()) write_formula(w, operand, outcome, sources);
      w.end_array().end_object();
      return;
    case Tri::Op::atom: {
      const eval::Atom& atom = *formula.atom_ref();
      const policy::Statement& statement = statement_of(*atom.policy, atom.statement);
      w.begin_object();
      w.field("policy", outcome.label_of(atom.policy));
      if (statement.sid) w.field("sid", statement.sid->value);
      if (atom.kind == eval::Atom::Kind::resource) {
        const policy::Text& item = statement.resource.items[atom.index];
        w.field(statement.resource.negated ? "notResource" : "resource", item.value);
        write_location(w, sources, atom.policy->source(), item.span);
      } else {
        const policy::ConditionEntry& entry = statement.conditions[atom.index];
        w.field("operator", entry.op_text).field("key", entry.key);
        w.key("values").begin_array();
        for (const policy::Text& value : entry.values) w.value(value.value);
        w.end_array();
        write_location(w, sources, atom.policy->source(), entry.key_span);
      }
      w.end_object();
      return;
    }
  }
}

std::string formula_text(const Tri& formula, const SimulationOutcome& outcome) {
  switch (formula.op()) {
    case Tri::Op::truth: return "true";
    case Tri::Op::falsity: return "false";
    case Tri::Op::negate: return fmt::format("not ({})", formula_text(formula.operands().front(), outcome));
    case Tri::Op::all:
    case Tri::Op::any: {
      std::string out;
      for (const Tri& operand : formula.operands()) {
        if (!out.empty()) out += formula.op() == Tri::Op::all ? " and " : " or ";
        const bool group = operand.op() == Tri::Op::all || operand.op() == Tri::Op::any;
        out += group ? "(" + formula_text(operand, outcome) + ")" : formula_text(operand, outcome);
      }
      return out;
    }
    case Tri::Op::atom: {
      const eval::Atom& atom = *formula.atom_ref();
      const policy::Statement& statement = statement_of(*atom.policy, atom.statement);
      if (atom.kind == eval::Atom::Kind::resource) {
        return fmt::format("{} `{}` names the resource ({})", statement.resource.negated ? "NotResource" : "Resource",
                           statement.resource.items[atom.index].value, outcome.label_of(atom.policy));
      }
      const policy::ConditionEntry& entry = statement.conditions[atom.index];
      std::vector<std::string_view> texts;
      for (const policy::Text& value : entry.values) texts.push_back(value.value);
      const std::string values = backticked(texts);
      return fmt::format("{} `{}` {} ({})", entry.op_text, entry.key, values, outcome.label_of(atom.policy));
    }
  }
  return "";
}

void write_findings(JsonWriter& w, const SimulationOutcome& outcome, const SourceSet& sources) {
  w.key("findings").begin_array();
  for (const Diagnostic& d : outcome.findings) {
    w.begin_object().field("ruleId", d.rule->id).field("level", to_string(d.level)).field("message", d.message);
    write_location(w, sources, d.location.source, d.location.span);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string format_decision_json(const SimulationOutcome& outcome, const SourceSet& sources, int indent) {
  std::string out;
  JsonWriter w(out, indent);
  w.begin_object();
  if (!outcome.name.empty()) w.field("name", outcome.name);
  w.field("principal", outcome.principal).field("action", outcome.action).field("resource", outcome.resource);
  if (outcome.error || !outcome.answer) {
    w.key("error").begin_object();
    w.field("message", outcome.error ? outcome.error->message : std::string("no decision"));
    if (outcome.error && outcome.error->location) {
      write_location(w, sources, outcome.error->location->source, outcome.error->location->span);
    }
    w.end_object();
    write_findings(w, outcome, sources);
  } else {
    const eval::Answer& answer = *outcome.answer;
    w.field("decision", eval::to_string(answer.decision));
    w.field("reason", answer.reason);
    if (answer.decision == eval::Decision::conditional) {
      w.key("allowedIf");
      write_formula(w, answer.allowed_if, outcome, sources);
    }
    w.key("statements").begin_array();
    for (const StatementTrace& trace : answer.statements) {
      const policy::Statement& statement = statement_of(*trace.policy, trace.statement);
      w.begin_object().field("policy", outcome.label_of(trace.policy));
      if (statement.sid) w.field("sid", statement.sid->value);
      w.field("effect", statement.effect == policy::Effect::deny ? "Deny" : "Allow");
      w.field("outcome", outcome_name(trace.outcome));
      if (!trace.reason.empty()) w.field("reason", trace.reason);
      write_location(w, sources, trace.policy->source(), statement.span);
      w.end_object();
    }
    w.end_array();
  }
  if (outcome.expect) w.field("expected", *outcome.expect).field("asExpected", outcome.as_expected());
  w.end_object();  // ends the line itself when indenting
  return out;
}

std::string format_decision_text(const SimulationOutcome& outcome, const SourceSet& sources) {
  std::string out;
  const std::string title = outcome.name.empty() ? std::string() : fmt::format("{}: ", terminal_safe(outcome.name));
  if (outcome.error || !outcome.answer) {
    std::string location;
    if (outcome.error && outcome.error->location) {
      location = where(sources, outcome.error->location->source, outcome.error->location->span) + ": ";
    }
    out += fmt::format("{}{}error: {}\n", title, location,
                       terminal_safe(outcome.error ? outcome.error->message : std::string("no decision")));
    for (const Diagnostic& d : outcome.findings) {
      out += fmt::format("  {}: {} [{}] {}\n", where(sources, d.location.source, d.location.span), to_string(d.level),
                         d.rule->id, terminal_safe(d.message));
    }
  } else {
    const eval::Answer& answer = *outcome.answer;
    out +=
        fmt::format("{}{}: `{}` on `{}` by `{}`\n", title, eval::to_string(answer.decision),
                    terminal_safe(outcome.action), terminal_safe(outcome.resource), terminal_safe(outcome.principal));
    if (answer.decision == eval::Decision::explicit_deny || answer.decision == eval::Decision::implicit_deny) {
      out += fmt::format("  because {}\n", terminal_safe(answer.reason));
    }
    if (answer.decision == eval::Decision::conditional) {
      out += fmt::format("  allowed if: {}\n", terminal_safe(formula_text(answer.allowed_if, outcome)));
    }
    for (const StatementTrace& trace : answer.statements) {
      const policy::Statement& statement = statement_of(*trace.policy, trace.statement);
      const std::string sid = statement.sid ? fmt::format(" `{}`", statement.sid->value) : std::string();
      out += fmt::format("  {}: {}{} ({}) {}{}\n", where(sources, trace.policy->source(), statement.span),
                         outcome.label_of(trace.policy), terminal_safe(sid),
                         statement.effect == policy::Effect::deny ? "Deny" : "Allow", outcome_name(trace.outcome),
                         trace.reason.empty() ? std::string() : ": " + terminal_safe(trace.reason));
    }
  }
  if (outcome.expect && !outcome.as_expected()) {
    out += fmt::format("  expected {}\n", terminal_safe(*outcome.expect));
  }
  return out;
}

}  // namespace grantlint::report
