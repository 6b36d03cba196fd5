// `grantlint simulate`: decide requests against policies and explain the decisions.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/cli.h"
#include "engine/simulate.h"

namespace grantlint::cli {

struct SimulateArgs {
  std::string request_file;  // --request FILE ("-": standard input)
  FlagRequest flags;
  std::string format = "text";
  std::string output;
  std::string catalog_file;  // --catalog: a newer catalog, for actions the built-in one lacks
};

CLI::App* add_simulate_command(CLI::App& app, SimulateArgs& args);

// Exit codes: 0 every request decided (and as expected, where one says `expect`);
// 1 a decision differs from its `expect`; 2 a request could not be decided.
int run_simulate(const SimulateArgs& args, Io& io);

}  // namespace grantlint::cli
