#include "cli/simulate.h"

#include <fmt/format.h>

#include "cli/file_option.h"
#include "report/decision.h"

namespace grantlint::cli {

CLI::App* add_simulate_command(CLI::App& app, SimulateArgs& args) {
  auto* cmd = app.add_subcommand("simulate", "Decide whether policies allow a request, and explain why");
  FlagRequest& f = args.flags;
  cmd->add_option("--request", args.request_file,
                  "A request file: one request object, or an array of them (JSON Lines out)")
      ->check(kFileName);
  cmd->add_option("--principal", f.principal, "Caller: an IAM or STS ARN, a service principal, or `anonymous`");
  cmd->add_option("--action", f.action, "The action, `service:Name`");
  cmd->add_option("--resource", f.resource, "The resource ARN, or `*` for actions without resource types")
      ->capture_default_str();
  cmd->add_option("--resource-account", f.resource_account, "The resource's account when its ARN has none");
  cmd->add_option("--context", f.context, "A context value `key=value`; a key given twice makes a set");
  cmd->add_option("--unknown", f.unknown, "A context key (or pattern) whose value is unknown");
  cmd->add_option("--identity-policy", f.identity_policies, "An identity policy file")->check(kFileName);
  cmd->add_option("--resource-policy", f.resource_policy, "The resource policy (for a KMS key: the key policy)")
      ->check(kFileName);
  cmd->add_option("--boundary", f.boundary_policies, "A permissions boundary policy file")->check(kFileName);
  cmd->add_option("--scp", f.scp_policies, "A service control policy file; each is one organization level")
      ->check(kFileName);
  cmd->add_option("--session-policy", f.session_policy, "The session policy file")->check(kFileName);
  cmd->add_option("--format", args.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", args.output, "Write the decisions to FILE instead of standard output")
      ->check(kFileName);
  cmd->add_option("--catalog", args.catalog_file, "Use this AWS action catalog instead of the built-in one")
      ->check(kFileName);
  return cmd;
}

int run_simulate(const SimulateArgs& args, Io& io) {
  std::unique_ptr<catalog::Catalog> holder;
  const catalog::Catalog* known = open_catalog(args.catalog_file, holder, io);
  if (known == nullptr) return 2;
  Simulator simulator(SimulatorOptions{.read_policy_files = true, .catalog = known});
  if (!args.request_file.empty()) {
    if (!args.flags.principal.empty() || !args.flags.action.empty()) {
      io.err += "grantlint: error: give either --request or --principal and --action, not both\n";
      return 2;
    }
    simulator.simulate_file(args.request_file);
  } else {
    if (args.flags.principal.empty() || args.flags.action.empty()) {
      io.err += "grantlint: error: simulate needs --request FILE, or --principal and --action\n";
      return 2;
    }
    simulator.simulate_flags(args.flags);
  }
  std::string text;
  int status = 0;
  for (const SimulationOutcome& outcome : simulator.outcomes()) {
    if (args.format == "json") {
      text += report::format_decision_json(outcome, simulator.sources(), simulator.batch() ? 0 : 2);
      if (simulator.batch()) text += '\n';
    } else {
      text += report::format_decision_text(outcome, simulator.sources());
    }
    if (outcome.error || !outcome.answer) {
      status = 2;
    } else if (!outcome.as_expected() && status == 0) {
      status = 1;
    }
  }
  // The decisions must not replace a policy or request file they were made from.
  if (!args.output.empty()) {
    std::vector<std::string> read{args.request_file, args.catalog_file};
    for (std::size_t i = 0; i < simulator.sources().size(); ++i) {
      read.push_back(simulator.sources().get(static_cast<SourceId>(i)).path());
    }
    for (const std::string& path : read) {
      if (path.empty() || !same_file(args.output, path)) continue;
      io.err += fmt::format(
          "grantlint: error: will not write the decisions over `{}`, which this run reads; name "
          "another file\n",
          path);
      return 2;
    }
  }
  if (!deliver(text, args.output, io)) return 2;
  return status;
}

}  // namespace grantlint::cli
